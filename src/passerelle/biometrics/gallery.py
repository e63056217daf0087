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
- ``ivf``: an inverted file (1,024 to 8,192 lists) of product-quantised codes
  (PQ32, 32 bytes a template) picks ``rerank`` candidates (256), which are
  scored exactly against the stored float32 templates. 1M: built in 14 s,
  p99 1.3 ms, recall@1 1.000 against exact search; 10M: built in 7 min,
  p99 15 ms, 6.4 GiB resident;
- ``hnsw``: a graph (faiss ``HNSWFlat``, M=32, inner product), 0.8 KB a
  template. 1M: built in 4-6 min, recall@1 0.973 at efSearch 64 and 0.993 at
  128 (p99 0.9 ms); 10M would take hours. Offered, never picked by ``auto``;
- ``auto`` (the default): exact up to ``exact_limit`` live templates
  (:data:`EXACT_LIMIT`), IVF above.

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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast, get_args, runtime_checkable

import faiss
import numpy as np
import numpy.typing as npt

from passerelle.biometrics.container import Container, Section, open_container, save_container
from passerelle.biometrics.face import MATCH_THRESHOLD
from passerelle.exc import InvalidInput

__all__ = [
    "DEFAULT_THRESHOLD",
    "EXACT_LIMIT",
    "FaceGallery",
    "GalleryHit",
    "GalleryKind",
    "TaggedTemplate",
]

GalleryKind = Literal["auto", "exact", "hnsw", "ivf"]
IndexKind = Literal["exact", "hnsw", "ivf"]
Vectors = npt.NDArray[np.float32]

DEFAULT_THRESHOLD = MATCH_THRESHOLD
"""Score (cosine) at or above which a candidate is a hit: the node's 1:1 face threshold."""
EXACT_LIMIT = 50_000
"""Live templates up to which ``auto`` scans exactly.

Measured by bench/face_gallery.py on this node's 2-core machine, one core:
exact p99 1.0-1.4 ms at 50k, 2.1-2.8 ms at 100k, 4-6 ms at 200k. Up to 50k a
scan stays inside the 2 ms query budget with room for a busy CPU, gives exact
answers and needs no index build; above it IVF answers in about 1 ms at 1M.
"""
TOMBSTONE_SHARE = 0.25
"""Share of removed templates past which ``needs_rebuild`` asks for a rebuild."""
FORMAT_VERSION = 1
_MAGIC = b"PSRLGAL\x00"
_IVF_MIN_TEMPLATES = 10_000
"""Fewer live templates than this cannot train product quantisers: IVF stays exact."""
_HNSW_EF_CONSTRUCTION = 100
_SEED = 20_240_605
_FAISS_PY: Any = faiss
"""faiss's Python-side classes, which the stubs shipped with faiss-cpu 1.15 do not declare."""
_TRAINING = threading.Lock()


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
    ``kind`` and ``exact_limit`` choose the index (see the module); ``nprobe``
    is the IVF lists a query visits (default: a 32nd of them, at least 16);
    ``rerank`` the IVF candidates scored exactly; ``hnsw_m`` and ``ef_search``
    shape and search the HNSW graph. Tuning attributes may be changed between
    searches; ``kind`` takes effect at :meth:`rebuild`.

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
        exact_limit: int = EXACT_LIMIT,
        hnsw_m: int = 32,
        ef_search: int = 64,
        nprobe: int | None = None,
        rerank: int = 256,
    ) -> None:
        if not name or not model:
            raise InvalidInput("name" if not name else "model", "must not be empty")
        if not isinstance(dim, int) or not 1 <= dim <= 4096:
            raise InvalidInput("dim", "must be a whole number from 1 to 4096")
        if not 0.0 <= threshold <= 1.0:
            raise InvalidInput("threshold", "must lie in [0, 1]")
        tuning = {"exact_limit": exact_limit, "hnsw_m": hnsw_m, "ef_search": ef_search}
        for field, value in {**tuning, "nprobe": nprobe, "rerank": rerank}.items():
            if value is not None and value < 1:
                raise InvalidInput(field, "must be positive")
        self.name, self.model, self.dim, self.model_version = name, model, dim, model_version
        self.threshold = threshold
        self.kind: GalleryKind = _checked_kind(kind)
        self.exact_limit, self.hnsw_m, self.ef_search = exact_limit, hnsw_m, ef_search
        self.nprobe: int | None = nprobe
        self.rerank = rerank
        self.index_builds = 0
        """ANN indexes this object built (0 after :meth:`load`: the index was read)."""
        self._lock = threading.RLock()
        self._vectors: Vectors = np.empty((0, dim), dtype=np.float32)
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
    def needs_rebuild(self) -> bool:
        """The kind rule wants another index, IVF outgrew its lists, or tombstones piled up."""
        with self._lock:
            if self._planned_kind() != self._index_kind:
                return True
            if self._index_kind == "ivf" and _ivf_lists(self.templates) > 2 * self._index.nlist:
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
                self._index.add(self._vectors[start:stop])
            elif self._index_kind == "ivf":
                self._index.add_with_ids(self._vectors[start:stop], np.arange(start, stop))

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
            base = max(self.rerank, 2 * k + 16) if kind == "ivf" else 2 * k + 16
            fetch = min(self._slots, math.ceil(base * self._slots / live))
            while True:
                slots = self._candidates(query, fetch, kind)
                slots = slots[self._owners[slots] >= 0]
                scores = self._vectors[slots] @ query[0]
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
            _, found = faiss.knn(
                query, self._vectors[: self._slots], fetch, faiss.METRIC_INNER_PRODUCT
            )
        elif kind == "hnsw":
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
        live = self.templates
        wanted: IndexKind
        if self.kind == "auto":
            wanted = "exact" if live <= self.exact_limit else "ivf"
        else:
            wanted = self.kind
        return "exact" if wanted == "ivf" and live < _IVF_MIN_TEMPLATES else wanted

    def _nprobe(self) -> int:
        if self.nprobe is not None:
            return self.nprobe
        return int(min(self._index.nlist, max(16, self._index.nlist // 32)))

    def _build_index(self) -> None:
        kind, vectors = self._planned_kind(), self._vectors[: self._slots]
        if kind == "exact":
            self._index = None
        elif kind == "hnsw":
            self._index = faiss.IndexHNSWFlat(self.dim, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            self._index.hnsw.efConstruction = _HNSW_EF_CONSTRUCTION
            self._index.add(vectors)
        else:
            lists = _ivf_lists(self.templates)
            quantiser = faiss.IndexFlatL2(self.dim)
            # L2 ranks unit vectors as inner product does; faiss's residual tables need L2.
            self._index = faiss.IndexIVFPQ(quantiser, self.dim, lists, _pq_parts(self.dim), 8)
            self._index.cp.seed = _SEED
            sample_size = min(self._slots, max(64 * lists, 65_536))
            picked = np.random.default_rng(_SEED).choice(self._slots, sample_size, replace=False)
            with _blas_distances():
                self._index.train(vectors[np.sort(picked)])
            self._index.add_with_ids(vectors, np.arange(self._slots))
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

    def _grow(self, extra: int) -> None:
        needed = self._slots + extra
        if needed <= self._vectors.shape[0]:
            return
        capacity = max(needed, self._vectors.shape[0] * 3 // 2, 1024)
        vectors = np.empty((capacity, self.dim), dtype=np.float32)
        vectors[: self._slots] = self._vectors[: self._slots]
        owners = np.full(capacity, -1, dtype=np.int32)
        owners[: self._slots] = self._owners[: self._slots]
        self._vectors, self._owners = vectors, owners

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
                "slots": self._slots,
                "tombstones": self._tombstones,
                "tuning": {
                    "exact_limit": self.exact_limit,
                    "hnsw_m": self.hnsw_m,
                    "ef_search": self.ef_search,
                    "nprobe": self.nprobe,
                    "rerank": self.rerank,
                },
            }
            save_container(path, _MAGIC, sections, manifest)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> FaceGallery:
        """Read a gallery :meth:`save` wrote, its index included (nothing is rebuilt)."""
        with open_container(path, _MAGIC, FORMAT_VERSION, "face gallery") as container:
            return cls._read(container)

    @classmethod
    def _read(cls, container: Container) -> FaceGallery:
        manifest = container.manifest
        dim, slots = manifest["dim"], manifest["slots"]
        gallery = cls(
            manifest["name"],
            manifest["model"],
            dim,
            model_version=manifest["model_version"],
            threshold=manifest["threshold"],
            kind="exact",
            **manifest["tuning"],
        )
        gallery.kind = _checked_kind(manifest["kind"])
        gallery._grow(slots)
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
        return gallery


@contextmanager
def _blas_distances() -> Iterator[None]:
    """Let faiss compute k-means distances with BLAS while an IVF index trains.

    Below 128,000 points faiss 1.15 uses a kernel that is slow on 4-d PQ
    sub-vectors: training on 12,500 templates took 4.5 s, 0.9 s with BLAS. The
    setting is process-wide and only changes speed; trainings take turns so
    that the saved value is always the original.
    """
    with _TRAINING:
        saved = _FAISS_PY.cvar.distance_compute_blas_threshold
        _FAISS_PY.cvar.distance_compute_blas_threshold = 20
        try:
            yield
        finally:
            _FAISS_PY.cvar.distance_compute_blas_threshold = saved


def _checked_kind(kind: str) -> GalleryKind:
    if kind not in get_args(GalleryKind):
        raise InvalidInput("kind", f"must be one of {', '.join(get_args(GalleryKind))}")
    return cast(GalleryKind, kind)


def _ivf_lists(templates: int) -> int:
    """Inverted lists for ``templates``: the power of two nearest 2·√n, kept within bounds.

    At least 1,024: with 512 lists over 60k clustered templates, lists cut
    through groups of similar faces and recall@1 fell to 0.93 (nprobe 16). At
    most 8,192, which keeps a 10M build within 30 minutes on two cores, and at
    most a 39th of the templates, the fewest points k-means trains a list on.
    """
    lists = min(8192, max(1024, 2 ** round(math.log2(2.0 * math.sqrt(max(templates, 1))))))
    while lists > 16 and 39 * lists > templates:
        lists //= 2
    return int(lists)


def _pq_parts(dim: int) -> int:
    """Product-quantiser sub-vectors: four dimensions each (32 for 128-d), dividing ``dim``."""
    return max(part for part in range(1, dim // 4 + 1) if dim % part == 0) if dim >= 4 else 1
