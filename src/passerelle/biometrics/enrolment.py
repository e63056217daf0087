"""Face galleries kept from the store: enrol, remove, search, rebuild.

The store holds every template, sealed; a gallery's FAISS index lives in a
file beside the database (``HOME/galleries/NAME.gallery``) with a small state
file recording the store rows it was built from (their count and the newest
row id). Opening a gallery whose state disagrees with the store (a crash
between the commit and the file write, an enrolment by another process)
rebuilds it from the store, so the index never answers for a removed identity
and never misses an enrolled one.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from passerelle.biometrics.face import MATCH_THRESHOLD, FaceCapture
from passerelle.biometrics.gallery import FaceGallery, GalleryHit
from passerelle.biometrics.templates import FaceTemplate
from passerelle.biometrics.vault import TemplateVault
from passerelle.store.biometrics import BiometricTemplateStore, GalleryState, checked_gallery
from passerelle.store.db import Database

__all__ = ["FaceGalleries"]

_FACE_MODEL = "dlib-resnet-v1"


class FaceGalleries:
    """The node's face galleries, one per list, backed by the store."""

    def __init__(
        self,
        database: Database,
        vault: TemplateVault,
        folder: Path,
        *,
        threshold: float = MATCH_THRESHOLD,
    ) -> None:
        self._threshold = threshold
        self._database = database
        self._vault = vault
        self._folder = folder
        self._store = BiometricTemplateStore()

    def enrol(
        self,
        gallery: str,
        identity: str,
        capture: FaceCapture,
        *,
        source_sha256: str,
        at: datetime,
        by: str,
    ) -> int:
        """Store the face's template (sealed) under ``identity`` and add it to the gallery."""
        template = capture.template
        name = checked_gallery(gallery)
        faces, before = self._open(name)
        with self._database.write() as session:
            row = self._store.add(
                session,
                gallery=gallery,
                identity=identity,
                modality="face",
                model=template.model,
                model_version=template.model_version,
                sealed=self._vault.seal(template.to_bytes(), identity.strip()),
                source_sha256=source_sha256,
                enrolled_at=at,
                enrolled_by=by,
            )
        faces.add(identity.strip(), template)
        self._keep(name, faces, GalleryState(before.templates + 1, max(row, before.last_id)))
        return row

    def remove(self, gallery: str, identity: str) -> int:
        """Delete ``identity``'s templates from the store and the gallery; how many."""
        name = checked_gallery(gallery)
        faces, before = self._open(name)
        with self._database.write() as session:
            removed = self._store.remove(session, name, identity)
            last_id = self._store.state(session, name).last_id
        if removed:
            faces.remove(identity.strip())
        self._keep(name, faces, GalleryState(before.templates - removed, last_id))
        return removed

    def search(self, gallery: str, capture: FaceCapture, *, top: int = 5) -> list[GalleryHit]:
        """The identities whose faces are nearest the capture, best first."""
        return self.open(gallery).search(capture.template, top)

    def open(self, gallery: str) -> FaceGallery:
        """The gallery's index: read from its file when it matches the store, else rebuilt."""
        return self._open(checked_gallery(gallery))[0]

    def _open(self, name: str) -> tuple[FaceGallery, GalleryState]:
        with self._database.read() as session:
            state = self._store.state(session, name)
        path, state_path = self._paths(name)
        if path.exists() and state_path.exists():
            try:
                recorded = GalleryState(**json.loads(state_path.read_text()))
            except (ValueError, TypeError):
                recorded = None
            if recorded == state:
                faces = FaceGallery.load(path)
                faces.threshold = self._threshold
                return faces, state
        return self._rebuild(name), state

    def _keep(self, name: str, faces: FaceGallery, expected: GalleryState) -> None:
        """Write the updated gallery if the store is where this process left it; else rebuild
        (another process enrolled or removed meanwhile)."""
        with self._database.read() as session:
            state = self._store.state(session, name)
        if state != expected:
            self._rebuild(name)
            return
        if faces.needs_rebuild:
            faces.rebuild()
        self._write(name, faces, state)

    def _rebuild(self, name: str) -> FaceGallery:
        """Build the gallery from the store's rows and write it with its state."""
        faces = FaceGallery(name, _FACE_MODEL, threshold=self._threshold)
        with self._database.read() as session:
            state = self._store.state(session, name)
            for row in self._store.templates(session, name):
                template = FaceTemplate.from_bytes(self._vault.open(row.sealed, row.identity))
                faces.add(row.identity, template)
        faces.rebuild()
        self._write(name, faces, state)
        return faces

    def _write(self, name: str, faces: FaceGallery, state: GalleryState) -> None:
        path, state_path = self._paths(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        state_path.unlink(missing_ok=True)  # a crash from here on leaves no claim of agreement
        faces.save(path)
        temporary = state_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state._asdict()))
        os.replace(temporary, state_path)

    def _paths(self, name: str) -> tuple[Path, Path]:
        return self._folder / f"{name}.gallery", self._folder / f"{name}.state.json"
