"""Face templates: tagged, versioned bytes, never compared across models, sealed at rest."""

from __future__ import annotations

import secrets

import numpy as np
import pytest

from passerelle.biometrics.templates import FaceTemplate, ModelMismatch
from passerelle.biometrics.vault import TemplateVault
from passerelle.exc import InvalidInput


def template(seed: int = 1, version: str = "dlib20.0.1") -> FaceTemplate:
    vector = np.random.default_rng(seed).normal(size=128).astype(np.float32)
    return FaceTemplate("dlib-resnet-v1", version, vector)


def test_bytes_round_trip_keeps_model_version_and_values() -> None:
    original = template()
    data = original.to_bytes()
    assert len(data) == 38 + 4 * 128
    again = FaceTemplate.from_bytes(data)
    assert (again.model, again.model_version) == (original.model, original.model_version)
    assert np.array_equal(again.vector, original.vector)
    assert original.similarity(again) == pytest.approx(1.0)


def test_templates_of_another_model_version_are_never_compared() -> None:
    with pytest.raises(ModelMismatch, match="never compared"):
        template(1).similarity(template(2, version="dlib19.24"))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "too short"),
        (b"XYZ" + bytes(200), "not a Passerelle face template"),
        (template().to_bytes()[:-4], "holds"),
    ],
)
def test_broken_template_bytes_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        FaceTemplate.from_bytes(data)


def test_nan_and_zero_vectors_are_refused() -> None:
    with pytest.raises(InvalidInput, match="finite"):
        FaceTemplate("m", "1", np.array([np.nan, 1.0], dtype=np.float32))
    with pytest.raises(InvalidInput, match="zero vector"):
        FaceTemplate("m", "1", np.zeros(128, dtype=np.float32))


def test_a_sealed_template_opens_only_for_its_identity_and_untouched() -> None:
    vault = TemplateVault(secrets.token_bytes(32))
    data = template().to_bytes()
    sealed = vault.seal(data, "MAR-W-0001")
    assert data not in sealed
    assert vault.open(sealed, "MAR-W-0001") == data
    with pytest.raises(InvalidInput, match="moved from another identity"):
        vault.open(sealed, "MAR-W-0002")
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(InvalidInput, match="altered"):
        vault.open(tampered, "MAR-W-0001")
    other_key = TemplateVault(secrets.token_bytes(32))
    with pytest.raises(InvalidInput, match="another key"):
        other_key.open(sealed, "MAR-W-0001")
