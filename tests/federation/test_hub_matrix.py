"""The hub's agreement matrix and the sealing of parts: what is allowed, what opens."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from passerelle.exc import InvalidInput
from passerelle.federation import NodeIdentity, new_federation_ca
from passerelle.federation.hub.matrix import HubMatrix, parse_matrix
from passerelle.federation.protocol.errors import BadSeal
from passerelle.federation.protocol.sealing import (
    SealingKey,
    create_sealing_key,
    load_sealing_key,
    load_sealing_keys,
    open_sealed,
    parse_sealing_line,
    rotate_sealing_key,
    seal,
)
from tests.federation.nodes import ADMIN, make_node


def test_the_matrix_allows_a_pair_or_everyone_and_never_a_member_to_itself(
    tmp_path: Path,
) -> None:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    hub = make_node(tmp_path, ca, "UNO")
    try:
        matrix = HubMatrix(hub.node.database, hub.node.audit)
        matrix.allow("*", "*", ["query.document"], actor=ADMIN)
        matrix.allow("MAR", "BEL", ["query.*", "alert.issue"], actor=ADMIN)

        assert matrix.allows("TUN", "ESP", "query.document")
        assert not matrix.allows("TUN", "ESP", "query.person")
        assert matrix.allows("MAR", "BEL", "query.face")
        assert matrix.allows("MAR", "BEL", "alert.issue")
        assert not matrix.allows("BEL", "MAR", "alert.issue")
        assert not matrix.allows("MAR", "MAR", "query.document")
        assert matrix.allowed("MAR", "query.person", ["BEL", "ESP", "MAR"]) == {"BEL"}

        matrix.deny("MAR", "BEL", actor=ADMIN)
        assert not matrix.allows("MAR", "BEL", "query.face")
        assert [r.as_json() for r in matrix.rules()] == [
            {"from": "*", "to": "*", "kinds": ["query.document"]}
        ]
        actions = [r["actor"] for r in hub.audit_records("hub.allow")]
        assert actions == ["admin.test", "admin.test"]
        assert len(hub.audit_records("hub.deny")) == 1
    finally:
        hub.close()


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({}, "agreements"),
        ({"agreements": [{"from": "MAR", "to": "XX1", "kinds": ["query.document"]}]}, "to"),
        ({"agreements": [{"from": "MAR", "to": "BEL", "kinds": []}]}, "kinds"),
        ({"agreements": [{"from": "MAR", "to": "BEL", "kinds": ["DROP TABLE"]}]}, "kinds"),
        ({"agreements": [{"from": "MAR", "to": "BEL"}]}, "agreements[0]"),
    ],
)
def test_a_bad_matrix_file_names_the_field(document: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_matrix(document)
    assert refused.value.field == field


def test_a_sealed_part_opens_only_for_its_addressee_and_unaltered(tmp_path: Path) -> None:
    bel = NodeIdentity.generate("BEL")
    assert create_sealing_key(tmp_path / "keys")
    key = load_sealing_key(tmp_path / "keys", "BEL")
    assert (tmp_path / "keys" / "node-x25519.pem").stat().st_mode & 0o077 == 0
    assert not create_sealing_key(tmp_path / "keys")  # never replaced
    assert load_sealing_key(tmp_path / "keys", "BEL").raw == key.raw
    line = parse_sealing_line(key.line(bel).text, [bel.peer_key])
    sealed = seal(b"ZX1111111 Youssef El Idrissi", line)

    assert open_sealed(sealed, [key]) == b"ZX1111111 Youssef El Idrissi"
    assert b"ZX1111111" not in sealed
    altered = bytearray(sealed)
    altered[-1] ^= 1
    with pytest.raises(BadSeal):
        open_sealed(bytes(altered), [key])
    with pytest.raises(BadSeal):
        open_sealed(sealed, [SealingKey("BEL", X25519PrivateKey.generate())])
    esp = SealingKey("ESP", key.private_key)  # the same key claimed by another state
    with pytest.raises(BadSeal):
        open_sealed(sealed, [esp])
    with pytest.raises(InvalidInput, match="sealing_key"):
        parse_sealing_line(key.line(bel).text, [NodeIdentity.generate("BEL").peer_key])


def test_after_a_sealing_key_rotation_parts_sealed_to_either_key_open(tmp_path: Path) -> None:
    bel = NodeIdentity.generate("BEL")
    keys = tmp_path / "keys"
    create_sealing_key(keys)
    old = parse_sealing_line(load_sealing_key(keys, "BEL").line(bel).text, [bel.peer_key])
    new_key = rotate_sealing_key(keys, "BEL")
    new = parse_sealing_line(new_key.line(bel).text, [bel.peer_key])
    assert new.key_id != old.key_id

    held = load_sealing_keys(keys, "BEL")
    assert open_sealed(seal(b"sealed to the old key", old), held) == b"sealed to the old key"
    assert open_sealed(seal(b"sealed to the new key", new), held) == b"sealed to the new key"
    rotate_sealing_key(keys, "BEL")
    with pytest.raises(BadSeal, match="does not hold"):
        open_sealed(seal(b"two rotations ago", old), load_sealing_keys(keys, "BEL"))
