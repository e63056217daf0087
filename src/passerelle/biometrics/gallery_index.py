"""The faiss side of a face gallery: IVF-PQ builds, exact scans, list counts.

:mod:`passerelle.biometrics.gallery` keeps the templates and the identities;
this module turns a block of stored templates (float32 or float16 rows) into
faiss calls, converting at most :data:`BLOCK` rows to float32 at a time so
that a float16 store never needs a float32 copy of itself.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import faiss
import numpy as np
import numpy.typing as npt

__all__ = ["BLOCK", "add_blocks", "build_ivf", "ivf_lists", "keep_tables", "scan_exact"]

BLOCK = 1 << 18
"""Stored rows converted to float32 at a time (128 MiB at 128 dimensions)."""
_SEED = 20_240_605
_FAISS_PY: Any = faiss
"""faiss's Python-side classes, which the stubs shipped with faiss-cpu 1.15 do not declare."""
_TRAINING = threading.Lock()
Stored = npt.NDArray[np.float32] | npt.NDArray[np.float16]


def ivf_lists(templates: int, most: int) -> int:
    """Inverted lists for ``templates``: ``most`` (the band's), fewer on a small gallery.

    At most a 39th of the templates, the fewest points k-means trains a list on,
    kept a power of two.
    """
    lists = 2 ** max(0, math.floor(math.log2(max(most, 1))))
    while lists > 16 and 39 * lists > templates:
        lists //= 2
    return int(lists)


def build_ivf(vectors: Stored, lists: int, *, tables: bool) -> Any:
    """An IVF-PQ index (PQ codes of four dimensions a byte) over ``vectors``, ids = rows.

    The coarse quantiser ranks by L2, which ranks unit vectors as inner product
    does (faiss's residual tables need L2). Trained on a seeded sample of at
    least 64 rows a list, then read back so that each list holds no spare room.
    ``tables``: keep faiss's precomputed distance tables
    (32 KiB a list; without them each list a query visits computes its own).
    """
    rows, dim = vectors.shape
    quantiser = faiss.IndexFlatL2(dim)
    index = faiss.IndexIVFPQ(quantiser, dim, lists, _pq_parts(dim), 8)
    index.cp.seed = _SEED
    sample_size = min(rows, max(64 * lists, 65_536))
    picked = np.sort(np.random.default_rng(_SEED).choice(rows, sample_size, replace=False))
    with _blas_distances():
        index.train(np.ascontiguousarray(vectors[picked], dtype=np.float32))
    keep_tables(index, tables)
    for start in range(0, rows, BLOCK):
        block = np.ascontiguousarray(vectors[start : start + BLOCK], dtype=np.float32)
        index.add_with_ids(block, np.arange(start, start + block.shape[0]))
    # faiss grows each list by doubling: read back, the lists take their exact size (up to
    # 0.3 GiB less at 10M templates, as a node that loads the gallery file holds them)
    exact = faiss.deserialize_index(faiss.serialize_index(index))
    keep_tables(exact, tables)
    return exact


def keep_tables(index: Any, tables: bool) -> None:
    """Keep or drop an IVF-PQ index's precomputed tables (faiss rebuilds them on reading)."""
    if not tables:
        index.use_precomputed_table = -1
        index.precomputed_table.resize(0)


def add_blocks(index: Any, vectors: Stored) -> None:
    """Add rows to an index that numbers them itself (HNSW), a block at a time."""
    for start in range(0, vectors.shape[0], BLOCK):
        index.add(np.ascontiguousarray(vectors[start : start + BLOCK], dtype=np.float32))


def scan_exact(
    query: npt.NDArray[np.float32], vectors: Stored, fetch: int
) -> npt.NDArray[np.int64]:
    """The ``fetch`` rows with the highest inner product with ``query`` (one row), best first."""
    if vectors.dtype == np.float32:
        _, found = faiss.knn(query, vectors, fetch, faiss.METRIC_INNER_PRODUCT)
        row: npt.NDArray[np.int64] = found[0]
        return row[row >= 0]
    scores, slots = [], []
    for start in range(0, vectors.shape[0], BLOCK):
        block = np.ascontiguousarray(vectors[start : start + BLOCK], dtype=np.float32)
        best, found = faiss.knn(
            query, block, min(fetch, block.shape[0]), faiss.METRIC_INNER_PRODUCT
        )
        scores.append(best[0])
        slots.append(found[0] + start)
    every, where = np.concatenate(scores), np.concatenate(slots)
    order = np.argsort(-every, kind="stable")[:fetch]
    picked: npt.NDArray[np.int64] = where[order]
    return picked[picked >= 0]


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


def _pq_parts(dim: int) -> int:
    """Product-quantiser sub-vectors: four dimensions each (32 for 128-d), dividing ``dim``."""
    return max(part for part in range(1, dim // 4 + 1) if dim % part == 0) if dim >= 4 else 1
