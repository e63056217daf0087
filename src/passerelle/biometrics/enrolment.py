"""1:N galleries kept from the store: enrol, remove, search, rebuild.

The store holds every template, sealed; a gallery's index lives in a file
beside the database (``HOME/galleries/NAME.gallery`` for faces,
``NAME.fingers`` for fingerprints) with a small state file recording the
store rows it was built from (their count and the newest row id). Opening a
gallery whose state disagrees with the store (a crash between the commit and
the file write, an enrolment by another process) rebuilds it from the store,
so the index never answers for a removed identity and never misses an
enrolled one.

After a model upgrade (another dlib release, another NBIS series) the stored
templates of the old model cannot be compared with new probes: a rebuild
leaves them out, and :meth:`StoredGalleries.outdated` names the identities
to re-enrol from their source photos or prints (re-enrolling adds a current
template; removing the identity deletes both).

:class:`FaceGalleries` and :class:`FingerprintGalleries` share this cycle
(:class:`StoredGalleries`) and differ only in the index they keep.
"""

from __future__ import annotations

import json
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Generic, NamedTuple, TypeVar

from sqlalchemy.orm import Session

from passerelle.biometrics.face import FACE_MODEL, FACE_MODEL_VERSION, MATCH_THRESHOLD, FaceCapture
from passerelle.biometrics.fingerprint.gallery import (
    SEARCH_THRESHOLD,
    FingerprintCandidate,
    FingerprintGallery,
)
from passerelle.biometrics.fingerprint.templates import (
    FingerprintTemplate,
    comparable_tags,
    require_comparable,
)
from passerelle.biometrics.gallery import FaceGallery, GalleryHit
from passerelle.biometrics.gallery_bands import IndexCatalogue
from passerelle.biometrics.reference import reference_jpeg
from passerelle.biometrics.templates import FaceTemplate
from passerelle.biometrics.vault import TemplateVault
from passerelle.store.biometrics import (
    BiometricTemplateStore,
    FaceReferenceStore,
    GalleryState,
    StoredTemplate,
    checked_display_name,
    checked_gallery,
    checked_identity,
)
from passerelle.store.db import Database

__all__ = ["FaceGalleries", "FingerprintGalleries", "ReferencePhoto", "StoredGalleries"]

IndexT = TypeVar("IndexT", FaceGallery, FingerprintGallery)
TemplateT = TypeVar("TemplateT", FaceTemplate, FingerprintTemplate)


class StoredGalleries(ABC, Generic[IndexT, TemplateT]):
    """A node's galleries of one modality, one per list, backed by the store."""

    modality: ClassVar[str]
    suffix: ClassVar[str]

    def __init__(self, database: Database, vault: TemplateVault, folder: Path) -> None:
        self._database = database
        self._vault = vault
        self._folder = folder
        self._store = BiometricTemplateStore()
        self._searched: dict[str, tuple[GalleryState, IndexT]] = {}
        """The galleries searched, in memory with the store's state they were opened at."""
        self._searched_lock = threading.Lock()

    # ------------------------------------------------------------ what a modality provides
    @abstractmethod
    def _empty(self, name: str) -> IndexT: ...

    @abstractmethod
    def _load(self, path: Path) -> IndexT: ...

    @abstractmethod
    def _tags(self, template: TemplateT) -> tuple[str, str]:
        """The template's model (or extractor) and its version, kept in clear."""

    @abstractmethod
    def _current(self, model: str, model_version: str) -> bool:
        """Whether templates with these tags compare with this node's probes."""

    @abstractmethod
    def _index_is_current(self, index: IndexT) -> bool:
        """Whether a saved index was built from current templates only."""

    @abstractmethod
    def _encode(self, template: TemplateT) -> bytes: ...

    @abstractmethod
    def _decode(self, data: bytes) -> TemplateT: ...

    @abstractmethod
    def _add(self, index: IndexT, identity: str, template: TemplateT) -> None: ...

    @abstractmethod
    def _remove(self, index: IndexT, identity: str) -> None: ...

    def _finish(self, index: IndexT) -> None:
        """Make the index ready to save after a batch of changes (default: nothing)."""

    def _outdated_structure(self, index: IndexT) -> bool:
        """Whether a saved index should be rebuilt as it is opened (default: never)."""
        return False

    def _forget(self, session: Session, gallery: str, identity: str) -> None:
        """Delete what else the modality keeps of a removed identity (default: nothing)."""

    # ------------------------------------------------------------ the cycle
    def enrol_template(
        self,
        gallery: str,
        identity: str,
        template: TemplateT,
        *,
        source_sha256: str,
        at: datetime,
        by: str,
        also: Callable[[Session], None] | None = None,
    ) -> int:
        """Store ``template`` (sealed) under ``identity`` and add it to the gallery; its row id.

        ``also`` writes more rows of the enrolment in its transaction (a reference photo).
        """
        name = checked_gallery(gallery)
        model, model_version = self._tags(template)
        index, before = self._open(name)
        with self._database.write() as session:
            row = self._store.add(
                session,
                gallery=gallery,
                identity=identity,
                modality=self.modality,
                model=model,
                model_version=model_version,
                sealed=self._vault.seal(self._encode(template), identity.strip()),
                source_sha256=source_sha256,
                enrolled_at=at,
                enrolled_by=by,
            )
            if also is not None:
                also(session)
        self._add(index, identity.strip(), template)
        self._keep(name, index, GalleryState(before.templates + 1, max(row, before.last_id)))
        return row

    def remove(self, gallery: str, identity: str) -> int:
        """Delete ``identity``'s templates from the store and the gallery; how many."""
        name = checked_gallery(gallery)
        index, before = self._open(name)
        with self._database.write() as session:
            removed = self._store.remove(session, name, identity, modality=self.modality)
            self._forget(session, name, identity)
            last_id = self._store.state(session, name, modality=self.modality).last_id
        if removed:
            self._remove(index, identity.strip())
        self._keep(name, index, GalleryState(before.templates - removed, last_id))
        return removed

    def outdated(self, gallery: str) -> list[str]:
        """Identities with templates of another model, left out of searches: to re-enrol."""
        name = checked_gallery(gallery)
        with self._database.read() as session:
            rows = self._store.templates(session, name, modality=self.modality)
            stale = {
                row.identity for row in rows if not self._current(row.model, row.model_version)
            }
        return sorted(stale)

    def open(self, gallery: str) -> IndexT:
        """The gallery's index for searching: the one this object holds in memory while the
        store's state (its templates' count and newest row id, which any host's enrolment or
        removal moves) is the one it was opened at; else read from its file when that
        matches the store, else rebuilt. Shared by the searches: never changed in place
        (enrolment and removal work on their own copy)."""
        name = checked_gallery(gallery)
        with self._database.read() as session:
            state = self._store.state(session, name, modality=self.modality)
        with self._searched_lock:
            held = self._searched.get(name)
        if held is not None and held[0] == state:
            return held[1]
        index, opened = self._open(name)
        with self._searched_lock:
            self._searched[name] = (opened, index)
        return index

    def _open(self, name: str) -> tuple[IndexT, GalleryState]:
        with self._database.read() as session:
            state = self._store.state(session, name, modality=self.modality)
        path, state_path = self._paths(name)
        if path.exists() and state_path.exists():
            try:
                recorded = GalleryState(**json.loads(state_path.read_text()))
            except (ValueError, TypeError):
                recorded = None
            if recorded == state:
                index = self._load(path)
                if self._index_is_current(index):
                    if self._outdated_structure(index):  # the node's settings changed
                        self._finish(index)
                        self._write(name, index, state)
                    return index, state
        return self._rebuild(name), state

    def _keep(self, name: str, index: IndexT, expected: GalleryState) -> None:
        """Write the updated gallery if the store is where this process left it; else rebuild
        (another process enrolled or removed meanwhile)."""
        with self._database.read() as session:
            state = self._store.state(session, name, modality=self.modality)
        if state != expected:
            self._rebuild(name)
            return
        self._finish(index)
        self._write(name, index, state)

    def _rebuild(self, name: str) -> IndexT:
        """Build the gallery from the store's rows and write it with its state."""
        index = self._empty(name)
        with self._database.read() as session:
            state = self._store.state(session, name, modality=self.modality)
            for row in self._store.templates(session, name, modality=self.modality):
                if self._current(row.model, row.model_version):
                    self._add(index, row.identity, self._unseal(row))
        self._finish(index)
        self._write(name, index, state)
        return index

    def _unseal(self, row: StoredTemplate) -> TemplateT:
        return self._decode(self._vault.open(row.sealed, row.identity))

    def _write(self, name: str, index: IndexT, state: GalleryState) -> None:
        path, state_path = self._paths(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        state_path.unlink(missing_ok=True)  # a crash from here on leaves no claim of agreement
        index.save(path)
        temporary = state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state._asdict()))
        os.replace(temporary, state_path)

    def _paths(self, name: str) -> tuple[Path, Path]:
        return (
            self._folder / f"{name}.{self.suffix}",
            self._folder / f"{name}.{self.suffix}.state.json",
        )


class ReferencePhoto(NamedTuple):
    """A face identity's name and reference photo (JPEG; ``None``: none on file)."""

    name: str | None
    jpeg: bytes | None


class FaceGalleries(StoredGalleries[FaceGallery, FaceTemplate]):
    """The node's face galleries (FAISS), one per list.

    Each identity may keep a reference photo (the image enrolled, downscaled:
    :mod:`passerelle.biometrics.reference`, sealed like the templates and bound
    to its gallery and identity) and a display name, shown to the officer on a
    hit; both go when the identity's templates are removed.
    """

    modality = "face"
    suffix = "gallery"

    def __init__(
        self,
        database: Database,
        vault: TemplateVault,
        folder: Path,
        *,
        threshold: float = MATCH_THRESHOLD,
        catalogue: IndexCatalogue | None = None,
    ) -> None:
        super().__init__(database, vault, folder)
        self._threshold = threshold
        self._catalogue = catalogue

    def enrol(
        self,
        gallery: str,
        identity: str,
        capture: FaceCapture | FaceTemplate,
        *,
        source_sha256: str,
        at: datetime,
        by: str,
        image: bytes | None = None,
        name: str | None = None,
    ) -> int:
        """Store the face's template (sealed) under ``identity`` and add it to the gallery;
        with ``image`` (the photo enrolled) its downscaled copy, sealed, becomes the
        identity's reference photo, and ``name`` the name shown with it. ``capture`` is a
        face captured here or a template made elsewhere (another node's, a seeded one)."""
        display_name = checked_display_name(name)
        photo = reference_jpeg(image, field="image") if image is not None else None
        also = None
        if photo is not None or display_name is not None:
            sealed = (
                self._vault.seal(photo, _reference_binding(gallery, identity))
                if photo is not None
                else None
            )

            def also(session: Session) -> None:
                FaceReferenceStore().put(
                    session,
                    gallery=gallery,
                    identity=identity,
                    display_name=display_name,
                    sealed_image=sealed,
                    image_sha256=source_sha256 if sealed is not None else None,
                    enrolled_at=at,
                    enrolled_by=by,
                )

        return self.enrol_template(
            gallery,
            identity,
            capture.template if isinstance(capture, FaceCapture) else capture,
            source_sha256=source_sha256,
            at=at,
            by=by,
            also=also,
        )

    def reference(self, gallery: str, identity: str) -> ReferencePhoto | None:
        """The identity's name and reference photo, opened; ``None`` when none is on file."""
        with self._database.read() as session:
            stored = FaceReferenceStore().get(session, gallery, identity)
        if stored is None:
            return None
        jpeg = None
        if stored.sealed_image is not None:
            jpeg = self._vault.open(
                stored.sealed_image, _reference_binding(stored.gallery, stored.identity)
            )
        return ReferencePhoto(stored.display_name, jpeg)

    def _forget(self, session: Session, gallery: str, identity: str) -> None:
        FaceReferenceStore().remove(session, gallery, identity)

    def search(self, gallery: str, capture: FaceCapture, *, top: int = 5) -> list[GalleryHit]:
        """The identities whose faces are nearest the capture, best first."""
        return self.open(gallery).search(capture.template, top)

    def _empty(self, name: str) -> FaceGallery:
        return FaceGallery(
            name,
            FACE_MODEL,
            model_version=FACE_MODEL_VERSION,
            threshold=self._threshold,
            catalogue=self._catalogue,
        )

    def _load(self, path: Path) -> FaceGallery:
        faces = FaceGallery.load(path, catalogue=self._catalogue)
        faces.threshold = self._threshold
        return faces

    def _tags(self, template: FaceTemplate) -> tuple[str, str]:
        return template.model, template.model_version

    def _current(self, model: str, model_version: str) -> bool:
        return (model, model_version) == (FACE_MODEL, FACE_MODEL_VERSION)

    def _index_is_current(self, index: FaceGallery) -> bool:
        return index.model == FACE_MODEL and index.model_version in (None, FACE_MODEL_VERSION)

    def _encode(self, template: FaceTemplate) -> bytes:
        return template.to_bytes()

    def _decode(self, data: bytes) -> FaceTemplate:
        return FaceTemplate.from_bytes(data)

    def _add(self, index: FaceGallery, identity: str, template: FaceTemplate) -> None:
        index.add(identity, template)

    def _remove(self, index: FaceGallery, identity: str) -> None:
        index.remove(identity)

    def _finish(self, index: FaceGallery) -> None:
        if index.needs_rebuild:
            index.rebuild()

    def _outdated_structure(self, index: FaceGallery) -> bool:
        """The catalogue of index bands wants another index or store for the gallery's size."""
        return index.needs_rebuild


class FingerprintGalleries(StoredGalleries[FingerprintGallery, FingerprintTemplate]):
    """The node's fingerprint galleries (triangle index + BOZORTH3), one per list.

    An identity is one finger: enrol each finger of a person under its own id
    (e.g. ``MAR-W-0001/R2``, the store id and the ISO finger position).
    """

    modality = "finger"
    suffix = "fingers"

    def __init__(
        self,
        database: Database,
        vault: TemplateVault,
        folder: Path,
        *,
        threshold: int = SEARCH_THRESHOLD,
    ) -> None:
        super().__init__(database, vault, folder)
        self._threshold = threshold

    @property
    def threshold(self) -> int:
        """The BOZORTH3 score at or above which a search reports a match."""
        return self._threshold

    def enrol(
        self,
        gallery: str,
        identity: str,
        template: FingerprintTemplate,
        *,
        source_sha256: str,
        at: datetime,
        by: str,
    ) -> int:
        """Store the finger's template (sealed) under ``identity`` and add it to the gallery."""
        require_comparable(template)
        return self.enrol_template(
            gallery, identity, template, source_sha256=source_sha256, at=at, by=by
        )

    def search(
        self, gallery: str, probe: FingerprintTemplate, *, top: int = 5
    ) -> list[FingerprintCandidate]:
        """The enrolled fingers nearest the probe by BOZORTH3 score, best first."""
        return self.open(gallery).search(probe, top=top, threshold=self._threshold)

    def _empty(self, name: str) -> FingerprintGallery:
        return FingerprintGallery()

    def _load(self, path: Path) -> FingerprintGallery:
        return FingerprintGallery.load(path)

    def _tags(self, template: FingerprintTemplate) -> tuple[str, str]:
        return template.extractor, template.extractor_version

    def _current(self, model: str, model_version: str) -> bool:
        return comparable_tags(model, model_version)

    def _index_is_current(self, index: FingerprintGallery) -> bool:
        return index.comparable

    def _encode(self, template: FingerprintTemplate) -> bytes:
        return template.to_bytes()

    def _decode(self, data: bytes) -> FingerprintTemplate:
        return FingerprintTemplate.from_bytes(data)

    def _add(self, index: FingerprintGallery, identity: str, template: FingerprintTemplate) -> None:
        index.add(identity, template)

    def _remove(self, index: FingerprintGallery, identity: str) -> None:
        if identity in index:
            index.remove(identity)


def _reference_binding(gallery: str, identity: str) -> str:
    """What a reference photo is sealed to: its gallery and identity (not a template's)."""
    return f"reference:{checked_gallery(gallery)}:{checked_identity(identity)}"
