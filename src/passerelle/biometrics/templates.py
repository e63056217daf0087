"""Face templates: what a model makes of a face, tagged so that models never mix.

A template is an L2-normalised float32 vector with the name and version of the
model that made it. Two templates are compared only when both tags agree: a
vector from another model (or another version of the same one) lives in
another space, and a distance between the two would mean nothing.

The byte form is compact and versioned (38 bytes of header and 4 bytes a
dimension); :class:`passerelle.biometrics.vault.TemplateVault` encrypts it at
rest, since a template is personal data.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from passerelle.exc import InvalidInput

__all__ = ["FaceTemplate", "ModelMismatch"]

_MAGIC = b"PFT"
_FORMAT_VERSION = 1
_HEADER = struct.Struct("<3sBH16s16s")  # magic, format, dimension, model, model version


class ModelMismatch(InvalidInput):
    """Two templates from different models (or versions) were to be compared."""


@dataclass(frozen=True, slots=True, eq=False)
class FaceTemplate:
    """A face as one model sees it: an L2-normalised float32 vector, tagged."""

    model: str
    model_version: str
    vector: npt.NDArray[np.float32]

    def __post_init__(self) -> None:
        vector = np.asarray(self.vector, dtype=np.float32).reshape(-1)
        if vector.size == 0 or not np.all(np.isfinite(vector)):
            raise InvalidInput("template", "must be a non-empty vector of finite numbers")
        norm = float(np.linalg.norm(vector))
        if norm == 0.0:
            raise InvalidInput("template", "is the zero vector")
        for name, value in (("model", self.model), ("model_version", self.model_version)):
            if not value or len(value.encode()) > 16:
                raise InvalidInput(name, "must be 1 to 16 bytes of text")
        normalised = vector / norm
        normalised.setflags(write=False)
        object.__setattr__(self, "vector", normalised)

    @property
    def dimension(self) -> int:
        return int(self.vector.shape[0])

    def similarity(self, other: FaceTemplate) -> float:
        """Cosine similarity in [-1, 1]; refuses a template of another model or version."""
        if (self.model, self.model_version) != (other.model, other.model_version):
            raise ModelMismatch(
                "template",
                f"made by {other.model} {other.model_version}, not {self.model} "
                f"{self.model_version}: templates of different models are never compared",
            )
        return float(np.dot(self.vector, other.vector))

    def to_bytes(self) -> bytes:
        """The versioned byte form (header, then little-endian float32 values)."""
        header = _HEADER.pack(
            _MAGIC,
            _FORMAT_VERSION,
            self.dimension,
            self.model.encode().ljust(16, b"\0"),
            self.model_version.encode().ljust(16, b"\0"),
        )
        return header + self.vector.astype("<f4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> FaceTemplate:
        """Read :meth:`to_bytes`; a clear error for anything else."""
        if len(data) < _HEADER.size:
            raise InvalidInput("template", "is too short to be a face template")
        magic, version, dimension, model, model_version = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise InvalidInput("template", "is not a Passerelle face template")
        if version != _FORMAT_VERSION:
            raise InvalidInput("template", f"has format version {version}, this node reads 1")
        if len(data) != _HEADER.size + 4 * dimension:
            raise InvalidInput("template", f"holds {len(data)} bytes, not a {dimension}-value one")
        vector = np.frombuffer(data, dtype="<f4", offset=_HEADER.size).astype(np.float32)
        return cls(model.rstrip(b"\0").decode(), model_version.rstrip(b"\0").decode(), vector)
