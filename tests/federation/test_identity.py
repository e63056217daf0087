"""Node identities: saving, loading, refusing to overwrite, and the public key text form."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation import (
    IdentityExists,
    IdentityMissing,
    NodeIdentity,
    PeerKeyRing,
    load_identity,
    parse_public_key,
    save_identity,
)
from passerelle.federation.protocol.identity import PRIVATE_KEY_FILE, PUBLIC_KEY_FILE


def test_identity_saved_and_loaded_keeps_state_and_key(tmp_path: Path, mar: NodeIdentity) -> None:
    private_path = save_identity(mar, tmp_path / "keys")

    loaded = load_identity(tmp_path / "keys")

    assert (loaded.state, loaded.key_id) == ("MAR", mar.key_id)
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert (tmp_path / "keys" / PUBLIC_KEY_FILE).read_text() == mar.peer_key.text + "\n"
    assert loaded.public_key.verify(mar.sign(b"hello"), b"hello") is None


def test_saving_over_an_existing_identity_is_refused_unless_forced(
    tmp_path: Path, mar: NodeIdentity
) -> None:
    save_identity(mar, tmp_path)
    other = NodeIdentity.generate("MAR")

    with pytest.raises(IdentityExists) as refused:
        save_identity(other, tmp_path)
    assert refused.value.field == "identity"
    assert "exists" in refused.value.reason
    assert load_identity(tmp_path).key_id == mar.key_id

    save_identity(other, tmp_path, force=True)
    assert load_identity(tmp_path).key_id == other.key_id
    assert stat.S_IMODE((tmp_path / PRIVATE_KEY_FILE).stat().st_mode) == 0o600


def test_missing_identity_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(IdentityMissing, match="passerelle node init"):
        load_identity(tmp_path)


def test_private_key_readable_by_others_is_refused(tmp_path: Path, mar: NodeIdentity) -> None:
    private_path = save_identity(mar, tmp_path)
    private_path.chmod(0o644)

    with pytest.raises(ConfigurationError, match="chmod 600"):
        load_identity(tmp_path)


def test_public_key_file_of_another_key_is_refused(tmp_path: Path, mar: NodeIdentity) -> None:
    save_identity(mar, tmp_path)
    (tmp_path / PUBLIC_KEY_FILE).write_text(NodeIdentity.generate("MAR").peer_key.text)

    with pytest.raises(ConfigurationError, match="does not match"):
        load_identity(tmp_path)


def test_public_key_text_form_round_trips(mar: NodeIdentity) -> None:
    text = mar.peer_key.text
    algorithm, state, encoded = text.split()

    parsed = parse_public_key(f"  {text}\n")

    assert (algorithm, state, len(base64.b64decode(encoded))) == ("ed25519", "MAR", 32)
    assert parsed == mar.peer_key
    assert parsed.key_id == mar.key_id
    assert len(mar.key_id) == 32


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("ed25519 MAR", "public_key", "3 fields"),
        ("rsa MAR AAAA", "algorithm", "not supported"),
        ("ed25519 ZZZ " + "A" * 43 + "=", "state", "'ZZZ' is not"),
        ("ed25519 MAR not*base64", "public_key", "not valid base64"),
        ("ed25519 MAR " + base64.b64encode(b"x" * 31).decode(), "public_key", "32 bytes, not 31"),
    ],
)
def test_malformed_public_key_text_names_the_field(text: str, field: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_public_key(text)
    assert refused.value.field == field
    assert reason in refused.value.reason


def test_key_ring_holds_several_keys_per_state_during_rotation(mar: NodeIdentity) -> None:
    successor = NodeIdentity.generate("MAR")
    ring = PeerKeyRing([mar.peer_key, successor.peer_key, mar.peer_key])

    assert [k.key_id for k in ring.keys_for("MAR")] == [mar.key_id, successor.key_id]
    assert ring.keys_for("BEL") == ()
