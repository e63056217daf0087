"""Face groups: the identity records whose faces match, so the model compares by equality.

A face template is filed under a record's id in a gallery (``biometrics``: an alert,
a watchlist person, or a traveller's document photo under the inspection that read
it). Two records whose templates score at or above the node's calibrated face
threshold (the cosine of :meth:`FaceTemplate.similarity`, the score the galleries
use) fall into one *face group*, transitively. The linkage model then compares
``face_group`` by equality: the same SQL on DuckDB and on Spark, and no template
ever leaves the node's process.

Templates of different models are never compared (:class:`ModelMismatch`): each
model's templates are grouped on their own. The search is faiss's exact range
search (inner product), in blocks, so a node with a million faces is grouped
without a quadratic table in memory.
"""

from __future__ import annotations

from collections import defaultdict

import faiss
import numpy as np
import numpy.typing as npt
import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.biometrics.templates import FaceTemplate
from passerelle.biometrics.vault import TemplateVault
from passerelle.store.tables import BiometricTemplate

__all__ = ["FACE_KINDS", "FACE_SCHEMA", "face_groups", "group_vectors"]

FACE_KINDS = ("inspection", "watchlist", "alert")
"""The kinds of record a template's identity may name (ids do not collide across kinds)."""
FACE_SCHEMA = pa.schema([("kind", pa.string()), ("ref", pa.string()), ("face_group", pa.string())])
_BLOCK = 4096


def group_vectors(vectors: npt.NDArray[np.float32], threshold: float) -> list[int]:
    """The group of each (L2-normalised) vector: vectors at or above ``threshold`` cosine
    of one another share a group, transitively; a group is named by its lowest index.

    >>> group_vectors(np.array([[1, 0], [0.99, 0.141], [0, 1]], dtype=np.float32), 0.9)
    [0, 0, 2]
    """
    count = len(vectors)
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if count == 0:
        return []
    data = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexFlatIP(data.shape[1])
    index.add(data)
    for start in range(0, count, _BLOCK):
        # range_search keeps scores strictly above the radius: a hair below the threshold
        limits, _, found = index.range_search(data[start : start + _BLOCK], threshold - 1e-6)
        for offset in range(len(limits) - 1):
            i = start + offset
            for j in found[limits[offset] : limits[offset + 1]]:
                a, b = root(i), root(int(j))
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return [root(i) for i in range(count)]


def face_groups(session: Session, vault: TemplateVault, *, threshold: float) -> pa.Table:
    """``(kind, ref, face_group)`` for every record the node holds a face template of."""
    by_model: dict[tuple[str, str], list[tuple[str, npt.NDArray[np.float32]]]] = defaultdict(list)
    query = (
        select(BiometricTemplate.identity, BiometricTemplate.sealed)
        .where(BiometricTemplate.modality == "face")
        .order_by(BiometricTemplate.id)
        .execution_options(yield_per=5000)
    )
    for identity, sealed in session.execute(query):
        template = FaceTemplate.from_bytes(vault.open(sealed, identity))
        by_model[(template.model, template.model_version)].append((identity, template.vector))
    kinds: list[str] = []
    refs: list[str] = []
    groups: list[str] = []
    for (model, version), owned in sorted(by_model.items()):
        vectors = np.stack([vector for _, vector in owned])
        for (identity, _), group in zip(owned, group_vectors(vectors, threshold), strict=True):
            for kind in FACE_KINDS:
                kinds.append(kind)
                refs.append(identity)
                groups.append(f"{model}/{version}/{owned[group][0]}")
    return pa.table({"kind": kinds, "ref": refs, "face_group": groups}, schema=FACE_SCHEMA)
