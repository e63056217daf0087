"""1:N face galleries: which listed persons a probe face may be, out of millions.

A gallery holds the face templates of one list (wanted persons, alerts, a
partner's references) made by one model. Each listed person is an *identity*
(the store's id) with one or more templates (several photos); a search returns
the best-scoring identities, each once, scored by its closest template, and
flags those at or above the gallery's threshold as hits for a human to review.

Templates are L2-normalised on the way in (dlib's raw descriptors have a norm
near 1.46), so the cosine similarity is an inner product. The score is that
cosine clipped to [0, 1], as in :func:`passerelle.biometrics.face.verify_faces`,
so one threshold means the same thing 1:1 and 1:N; ``distance`` is the
Euclidean distance between the normalised templates, ``sqrt(2 - 2 cos)``.

How it searches (``kind``), as bench/face_gallery.py measured it on this
node's two-core machine (synthetic clustered templates, one core a query):

- ``exact``: every template is scanned (faiss ``knn``, memory-bound at about
  30 GB/s: 50k templates p99 about 1.1 ms, 1M 17 ms, 10M 173 ms at p50);
- ``ivf``: an inverted file of product-quantised codes (PQ32, 32 bytes a
  template) picks ``rerank`` candidates, which are scored exactly against the
  stored templates (docs/biometrics.md, "Galleries at national size", has the
  figures by size);
- ``hnsw``: a graph (faiss ``HNSWFlat``, M=32, inner product), 0.8 KB a
  template. 1M: built in 4-6 min, recall@1 0.973 at efSearch 64 and 0.993 at
  128 (p99 0.9 ms); 10M would take hours. Offered, never picked by ``auto``;
- ``auto`` (the default): the catalogue's band for the gallery's size
  (:mod:`.gallery_bands`, ``gallery_bands.toml``): exact up to 50,000 live
  templates, IVF above, with the lists, lists probed and candidates rescored
  measured best for the size.

The band also says how precisely the templates are kept: float32, or float16
on national galleries (2.4 GiB instead of 4.8 at 10M templates), where the
rescoring reads them at half precision (cosines within 0.001 of float32's) and
exact scans convert a block at a time.

Adding templates never rebuilds the index: a gallery that outgrew its index
still answers (exactly, or from the ANN index it has), and ``needs_rebuild``
says when :meth:`FaceGallery.rebuild` would switch kind or reclaim removed
templates. Removal is immediate: an HNSW graph cannot forget a node, so removed
templates stay as tombstones that every search filters out (fetching more
candidates to make up); IVF lists drop them outright. A removed identity is
never returned.

:meth:`FaceGallery.save` writes one file atomically (:mod:`.container`): the
templates, their owners, the identities, the faiss index as faiss serialises
it, and a versioned manifest, so that :meth:`FaceGallery.load` restores the
index without rebuilding it.

Thread-safety: one re-entrant lock per gallery serialises searches, changes
and saves; faiss and numpy release the GIL, so separate galleries search in
parallel.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast, get_args, runtime_checkable

import faiss
import numpy as np
import numpy.typing as npt

from passerelle.biometrics.container import Container, Section, open_container, save_container
from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.biometrics.gallery_bands import (
    IndexBand,
    IndexCatalogue,
    StorePrecision,
    default_catalogue,
)
from passerelle.biometrics.gallery_index import (
    add_blocks,
    build_ivf,
    ivf_lists,
    keep_tables,
    scan_exact,
)
from passerelle.exc import InvalidInput

__all__ = [
    "DEFAULT_THRESHOLD",
    "FaceGallery",
    "GalleryHit",
    "GalleryKind",
    "TaggedTemplate",
]

GalleryKind = Literal["auto", "exact", "hnsw", "ivf"]
IndexKind = Literal["exact", "hnsw", "ivf"]
Vectors = npt.NDArray[np.float32]
Stored = npt.NDArray[np.float32] | npt.NDArray[np.float16]

DEFAULT_THRESHOLD = MATCH_THRESHOLD
"""Score (cosine) at or above which a candidate is a hit: the node's 1:1 face threshold."""
TOMBSTONE_SHARE = 0.25
"""Share of removed templates past which ``needs_rebuild`` asks for a rebuild."""
FORMAT_VERSION = 1
_MAGIC = b"PSRLGAL\x00"
_IVF_MIN_TEMPLATES = 10_000
"""Fewer live templates than this cannot train product quantisers: IVF stays exact."""
_HNSW_EF_CONSTRUCTION = 100
_FAISS_PY: Any = faiss
"""faiss's Python-side classes, which the stubs shipped with faiss-cpu 1.15 do not declare."""


@runtime_checkable
class TaggedTemplate(Protocol):
    """A template with its model tag (:class:`passerelle.biometrics.templates.FaceTemplate`)."""

    @property
    def model(self) -> str: ...
    @property
    def model_version(self) -> str: ...
    @property
    def vector(self) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True, slots=True)
class GalleryHit:
    """A listed identity a probe may be: its best template's score and distance."""

    identity: str
    score: float
    """Cosine similarity clipped to [0, 1]."""
    distance: float
    """Euclidean distance between the normalised templates, in [0, 2]."""
    is_hit: bool
    """Score at or above the gallery's threshold: a candidate for human review."""


class FaceGallery:
    """The templates of one list, one model, searchable 1:N.

    ``model`` (and ``model_version`` when given) must match the tag of every
    template added or searched; ``threshold`` decides ``is_hit``. Tuning:
    ``kind`` chooses the index (``auto``: the ``catalogue``'s band for the
    gallery's size, :mod:`.gallery_bands`); ``nprobe`` is the IVF lists a query
    visits and ``rerank`` the IVF candidates scored exactly (``None``: the
    band's); ``hnsw_m`` and ``ef_search`` shape and search the HNSW graph.
    Tuning attributes may be changed between searches; ``kind`` takes effect at
    :meth:`rebuild`.

    >>> gallery = FaceGallery("alerts", "dlib-resnet-v1", 4)
    >>> gallery.add("P-1", [1.0, 0.0, 0.0, 0.0])
    >>> gallery.add("P-2", [0.0, 1.0, 0.0, 0.0])
    >>> [(h.identity, round(h.score, 2), h.is_hit) for h in gallery.search([3, 0.5, 0, 0], 2)]
    [('P-1', 0.99, True), ('P-2', 0.16, False)]
    """

    def __init__(
        self,
        name: str,
        model: str,
        dim: int = 128,
        *,
        model_version: str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        kind: GalleryKind = "auto",
        catalogue: IndexCatalogue | None = None,
        hnsw_m: int = 32,
        ef_search: int = 64,
        nprobe: int | None = None,
        rerank: int | None = None,
    ) -> None:
        if not name or not model:
            raise InvalidInput("name" if not name else "model", "must not be empty")
        if not isinstance(dim, int) or not 1 <= dim <= 4096:
            raise InvalidInput("dim", "must be a whole number from 1 to 4096")
        if not 0.0 <= threshold <= 1.0:
            raise InvalidInput("threshold", "must lie in [0, 1]")
        tuning = {"hnsw_m": hnsw_m, "ef_search": ef_search}
        for field, value in {**tuning, "nprobe": nprobe, "rerank": rerank}.items():
            if value is not None and value < 1:
                raise InvalidInput(field, "must be positive")
        self.name, self.model, self.dim, self.model_version = name, model, dim, model_version
        self.threshold = threshold
        self.kind: GalleryKind = _checked_kind(kind)
        self.catalogue = catalogue or default_catalogue()
        self.hnsw_m, self.ef_search = hnsw_m, ef_search
        self.nprobe: int | None = nprobe
        self.rerank: int | None = rerank
        self.index_builds = 0
        """ANN indexes this object built (0 after :meth:`load`: the index was read)."""
        self._lock = threading.RLock()
        self._vectors: Stored = np.empty((0, dim), dtype=np.float32)
        self._owners: npt.NDArray[np.int32] = np.empty(0, dtype=np.int32)  # -1: removed
        self._slots = 0
        self._tombstones = 0
        self._names: list[str | None] = []
        self._ids: dict[str, int] = {}
        self._index: Any = None
        self._index_kind: IndexKind = "exact"
        self._build_index()

    # ------------------------------------------------------------------ state
    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, identity: object) -> bool:
        return identity in self._ids

    @property
    def templates(self) -> int:
        """Live templates (removed ones excluded)."""
        return self._slots - self._tombstones

    @property
    def tombstones(self) -> int:
        """Removed templates still held until the next :meth:`rebuild`."""
        return self._tombstones

    @property
    def index_kind(self) -> IndexKind:
        """The index searches use now (``kind`` is what was asked for)."""
        return self._index_kind

    @property
    def store(self) -> StorePrecision:
        """The precision the templates are kept in (float16 halves the memory)."""
        return cast(StorePrecision, self._vectors.dtype.name)

    @property
    def band(self) -> IndexBand:
        """The catalogue's band for the gallery's size now (searches use its tuning)."""
        return self.catalogue.band_for(self.templates)

    @property
    def needs_rebuild(self) -> bool:
        """The band wants another index or store, IVF's lists are off the band's by more than
        a factor of two, or tombstones piled up."""
        with self._lock:
            band = self.band
            if self._planned_kind() != self._index_kind or band.store != self.store:
                return True
            if self._index_kind == "ivf":
                lists = ivf_lists(self.templates, band.nlist)
                if not self._index.nlist // 2 <= lists <= 2 * self._index.nlist:
                    return True
            return self._tombstones > TOMBSTONE_SHARE * max(self._slots, 1)

    def is_hit(self, score: float) -> bool:
        """Whether a score reaches this gallery's threshold."""
        return score >= self.threshold

    def reserve(self, templates: int) -> None:
        """Make room for this many templates at once (avoids copies during a bulk load)."""
        with self._lock:
            self._grow(templates - self._slots)

    # ---------------------------------------------------------------- changes
    def add(
        self, identity: str, template: TaggedTemplate | npt.ArrayLike, *, model: str | None = None
    ) -> None:
        """File one template under ``identity`` (normalised; another model is refused)."""
        vector = self._vectors_of(template, model, single=True)
        self.add_many([identity], vector)

    def add_many(
        self, identities: Sequence[str], vectors: npt.ArrayLike, *, model: str | None = None
    ) -> None:
        """File many templates (one row per identity given; an identity may repeat)."""
        rows = self._vectors_of(vectors, model, single=False)
        if len(identities) != rows.shape[0]:
            raise InvalidInput("identities", f"{len(identities)} given for {rows.shape[0]} rows")
        for identity in identities:
            if not isinstance(identity, str) or not identity:
                raise InvalidInput("identity", "must be a non-empty string")
        with self._lock:
            self._grow(rows.shape[0])
            start, stop = self._slots, self._slots + rows.shape[0]
            self._vectors[start:stop] = rows
            for slot, identity in enumerate(identities, start):
                owner = self._ids.get(identity)
                if owner is None:
                    owner = self._ids[identity] = len(self._names)
                    self._names.append(identity)
                self._owners[slot] = owner
            self._slots = stop
            if self._index_kind == "hnsw":
                self._index.add(rows)
            elif self._index_kind == "ivf":
                self._index.add_with_ids(rows, np.arange(start, stop))

    def remove(self, identity: str) -> int:
        """Forget an identity and all its templates; returns how many templates went."""
        with self._lock:
            owner = self._ids.pop(identity, None)
            if owner is None:
                return 0
            self._names[owner] = None
            slots = np.flatnonzero(self._owners[: self._slots] == owner)
            self._owners[slots] = -1
            self._tombstones += slots.size
            if self._index_kind == "ivf":
                self._index.remove_ids(slots.astype(np.int64))
            return int(slots.size)

    def rebuild(self, kind: GalleryKind | None = None) -> None:
        """Drop tombstones and build the index the kind rule picks (``kind`` changes the rule).

        Blocks searches for the duration: seconds at 1M templates with IVF, about
        ten minutes at 10M; HNSW takes far longer (see bench/face_gallery.py).
        """
        with self._lock:
            if kind is not None:
                self.kind = _checked_kind(kind)
            if self._tombstones:
                self._compact()
            self._build_index()

    # ----------------------------------------------------------------- search
    def search(
        self,
        probe: TaggedTemplate | npt.ArrayLike,
        k: int = 10,
        *,
        model: str | None = None,
        exact: bool = False,
    ) -> list[GalleryHit]:
        """The ``k`` best identities for a probe, best first, each scored by its best template.

        ``exact`` scans every template whatever the index (an audit, or the
        reference an ANN index is measured against).
        """
        if not isinstance(k, int) or k < 1:
            raise InvalidInput("k", "must be a positive whole number")
        query = self._vectors_of(probe, model, single=True)
        with self._lock:
            live = self.templates
            if live == 0:
                return []
            kind = "exact" if exact else self._index_kind
            # IVF's PQ distances are rough: rescore ``rerank`` candidates; the others are exact.
            rerank = self.rerank or self.band.rerank
            base = max(rerank, 2 * k + 16) if kind == "ivf" else 2 * k + 16
            fetch = min(self._slots, math.ceil(base * self._slots / live))
            while True:
                slots = self._candidates(query, fetch, kind)
                slots = slots[self._owners[slots] >= 0]
                scores = self._vectors[slots].astype(np.float32) @ query[0]
                order = np.argsort(-scores, kind="stable")
                owners = self._owners[slots[order]]
                _, first = np.unique(owners, return_index=True)
                best = order[np.sort(first)][:k]
                if best.size >= min(k, len(self._ids)) or fetch >= self._slots:
                    break
                fetch = min(self._slots, fetch * 4)
            return [self._hit(int(self._owners[slots[i]]), float(scores[i])) for i in best]

    def _candidates(self, query: Vectors, fetch: int, kind: IndexKind) -> npt.NDArray[np.int64]:
        if kind == "exact":
            return scan_exact(query, self._vectors[: self._slots], fetch)
        if kind == "hnsw":
            params = _FAISS_PY.SearchParametersHNSW()
            params.efSearch = max(self.ef_search, fetch)
            _, found = self._index.search(query, fetch, params=params)
        else:
            params = faiss.SearchParametersIVF()
            params.nprobe = self._nprobe()
            _, found = self._index.search(query, fetch, params=params)
        row: npt.NDArray[np.int64] = found[0]
        return row[row >= 0]

    def _hit(self, owner: int, cosine: float) -> GalleryHit:
        score = min(1.0, max(0.0, cosine))
        distance = math.sqrt(max(0.0, 2.0 - 2.0 * cosine))
        return GalleryHit(str(self._names[owner]), score, distance, self.is_hit(score))

    # ------------------------------------------------------------------ index
    def _planned_kind(self) -> IndexKind:
        wanted: IndexKind = self.band.index if self.kind == "auto" else self.kind
        return "exact" if wanted == "ivf" and self.templates < _IVF_MIN_TEMPLATES else wanted

    def _nprobe(self) -> int:
        return int(min(self._index.nlist, self.nprobe or self.band.nprobe))

    def _build_index(self) -> None:
        kind, band = self._planned_kind(), self.band
        if band.store != self.store:
            self._grow(0, store=band.store)
        vectors = self._vectors[: self._slots]
        self._index = None  # the old index goes before the new one is built
        if kind == "hnsw":
            self._index = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            self._index.hnsw.efConstruction = _HNSW_EF_CONSTRUCTION
            add_blocks(self._index, vectors)
        elif kind == "ivf":
            lists = ivf_lists(self.templates, band.nlist)
            self._index = build_ivf(vectors, lists, tables=band.tables)
        self._index_kind = kind
        if kind != "exact" and self._slots:
            self.index_builds += 1

    def _compact(self) -> None:
        keep = np.flatnonzero(self._owners[: self._slots] >= 0)
        owners = self._owners[keep]
        alive, renumbered = np.unique(owners, return_inverse=True)
        self._vectors[: keep.size] = self._vectors[keep]
        self._owners[: keep.size] = renumbered
        self._owners[keep.size :] = -1
        self._names = [self._names[int(owner)] for owner in alive]
        self._ids = {str(name): owner for owner, name in enumerate(self._names)}
        self._slots, self._tombstones = int(keep.size), 0

    def _grow(self, extra: int, *, store: StorePrecision | None = None) -> None:
        """Room for ``extra`` more templates, kept in ``store`` precision (default: the
        band's for the new size, so that a bulk load into a float16 band never holds
        float32 copies of every template)."""
        needed = self._slots + extra
        store = store or self.catalogue.band_for(needed).store
        capacity = self._vectors.shape[0]
        if needed <= capacity and store == self.store:
            return
        if needed > capacity:
            capacity = max(needed, capacity * 3 // 2, 1024)
            owners = np.full(capacity, -1, dtype=np.int32)
            owners[: self._slots] = self._owners[: self._slots]
            self._owners = owners
        vectors = np.empty((capacity, self.dim), dtype=store)
        vectors[: self._slots] = self._vectors[: self._slots]
        self._vectors = vectors

    def _vectors_of(
        self, given: TaggedTemplate | npt.ArrayLike, model: str | None, *, single: bool
    ) -> Vectors:
        """Normalised float32 rows (a fresh array) of the right model, dimension and values."""
        field = "vector" if single else "vectors"
        if isinstance(given, TaggedTemplate):
            if self.model_version is not None and given.model_version != self.model_version:
                raise InvalidInput(
                    "model", f"version {given.model_version!r} is not this gallery's"
                )
            model, given = given.model, given.vector
        if model is not None and model != self.model:
            raise InvalidInput("model", f"{model!r} templates cannot join a {self.model!r} gallery")
        try:
            with np.errstate(over="ignore"):
                rows = np.array(given, dtype=np.float32, ndmin=2)
        except (TypeError, ValueError) as exc:
            raise InvalidInput(field, "must be numbers") from exc
        if rows.ndim != 2 or rows.shape[1] != self.dim or (single and rows.shape[0] != 1):
            raise InvalidInput(field, f"must hold {self.dim} values a template, not {rows.shape}")
        if not np.isfinite(rows).all():
            raise InvalidInput(field, "holds NaN or infinite values")
        norms = np.sqrt(np.einsum("ij,ij->i", rows, rows))
        if not (np.isfinite(norms).all() and (norms > 0.0).all()):
            raise InvalidInput(field, "holds a zero vector (no direction) or values out of range")
        rows /= norms[:, None]
        return rows

    # ------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the gallery and its index to one file, atomically (see ``container``)."""
        with self._lock:
            sections: list[Section] = [
                ("vectors", lambda out: out.write(self._vectors[: self._slots].data)),
                ("owners", lambda out: out.write(self._owners[: self._slots].astype("<i4").data)),
                ("names", lambda out: out.write(json.dumps(self._names).encode())),
            ]
            if self._index is not None:
                index = self._index
                sections.append(
                    (
                        "index",
                        lambda out: faiss.write_index(
                            index, _FAISS_PY.PyCallbackIOWriter(out.write)
                        ),
                    )
                )
            manifest = {
                "format": FORMAT_VERSION,
                "name": self.name,
                "model": self.model,
                "model_version": self.model_version,
                "dim": self.dim,
                "threshold": self.threshold,
                "kind": self.kind,
                "index_kind": self._index_kind,
                "store": self.store,
                "slots": self._slots,
                "tombstones": self._tombstones,
                "tuning": {
                    "hnsw_m": self.hnsw_m,
                    "ef_search": self.ef_search,
                    "nprobe": self.nprobe,
                    "rerank": self.rerank,
                },
            }
            save_container(path, _MAGIC, sections, manifest)

    @classmethod
    def load(
        cls, path: str | os.PathLike[str], *, catalogue: IndexCatalogue | None = None
    ) -> FaceGallery:
        """Read a gallery :meth:`save` wrote, its index included (nothing is rebuilt).

        Searches take their tuning from ``catalogue`` (default: the node's); when it
        wants another index for the gallery's size, ``needs_rebuild`` says so.
        """
        with open_container(path, _MAGIC, FORMAT_VERSION, "face gallery") as container:
            return cls._read(container, catalogue)

    @classmethod
    def _read(cls, container: Container, catalogue: IndexCatalogue | None) -> FaceGallery:
        manifest = container.manifest
        dim, slots, tuning = manifest["dim"], manifest["slots"], manifest["tuning"]
        store = manifest.get("store", "float32")  # galleries saved before float16 stores
        if store not in get_args(StorePrecision):
            raise InvalidInput("path", f"template store {store!r} is unknown")
        gallery = cls(
            manifest["name"],
            manifest["model"],
            dim,
            model_version=manifest["model_version"],
            threshold=manifest["threshold"],
            kind="exact",
            catalogue=catalogue,
            **{key: tuning[key] for key in ("hnsw_m", "ef_search", "nprobe", "rerank")},
        )
        gallery.kind = _checked_kind(manifest["kind"])
        gallery._grow(slots, store=store)
        container.read_into("vectors", gallery._vectors[:slots].data)
        gallery._owners[:slots] = np.frombuffer(container.read("owners"), dtype="<i4")
        gallery._names = json.loads(container.read("names"))
        gallery._ids = {name: owner for owner, name in enumerate(gallery._names) if name}
        gallery._slots, gallery._tombstones = slots, manifest["tombstones"]
        if manifest["index_kind"] not in get_args(IndexKind):
            raise InvalidInput("path", f"index kind {manifest['index_kind']!r} is unknown")
        gallery._index_kind = manifest["index_kind"]
        if gallery._index_kind != "exact":
            container.span("index")
            reader = _FAISS_PY.PyCallbackIOReader(container.source.read)
            gallery._index = faiss.read_index(reader)
            expected = slots if gallery._index_kind == "hnsw" else gallery.templates
            if gallery._index.ntotal != expected or gallery._index.d != dim:
                raise InvalidInput("path", "index does not match the stored templates")
            if gallery._index_kind == "ivf":
                keep_tables(gallery._index, gallery.band.tables)
        return gallery


def _checked_kind(kind: str) -> GalleryKind:
    if kind not in get_args(GalleryKind):
        raise InvalidInput("kind", f"must be one of {', '.join(get_args(GalleryKind))}")
    return cast(GalleryKind, kind)
