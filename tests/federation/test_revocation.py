"""Revocation on real listeners over mutual TLS: the federation CRL refuses a replaced
certificate on connection, a revoked signing key on each message, and a revoked server
to a connecting client; a CRL older than the one installed, or not the CA's, is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import Result
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from typer.testing import CliRunner

from passerelle.cli import app
from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.federation import (
    CONTENT_TYPE,
    FederationCA,
    TlsFiles,
    client_ssl_context,
    new_envelope,
    new_federation_ca,
    sign_envelope,
)
from passerelle.federation.protocol.identity import load_identity
from passerelle.federation.protocol.revocation import crl_pem, install_crl, read_crl, revoke
from passerelle.federation.protocol.tls import load_certificate
from passerelle.federation.transport.client import BadReply, ExchangeClient, PeerUnreachable
from passerelle.federation.transport.inbound import InboundMessage
from passerelle.federation.transport.server import MESSAGES_PATH, federation_app
from tests.federation.conftest import enrol
from tests.federation.nodes import FederatedNode, listening, make_node, register


def answer_document(message: InboundMessage) -> dict[str, Any]:
    return {"outcome": "no_hit"}


@dataclass
class Pair:
    mar: FederatedNode
    bel: FederatedNode
    port: int
    ca: FederationCA
    replacement: TlsFiles
    """MAR's new TLS key and certificate (the old one, ``mar.tls``, is to be revoked)."""

    def post(self, files: TlsFiles) -> httpx.Response:
        envelope = new_envelope(
            "MAR", "BEL", "query.document", {"document_number": "L1"}, at=datetime.now(UTC)
        )
        wire = sign_envelope(envelope, self.mar.identity).to_wire()
        with httpx.Client(verify=client_ssl_context(files), trust_env=False) as client:
            return client.post(
                f"https://localhost:{self.port}{MESSAGES_PATH}",
                content=wire,
                headers={"content-type": CONTENT_TYPE},
            )

    def install_on_bel(self, crl: x509.CertificateRevocationList) -> None:
        install_crl(self.bel.tls.crl, crl_pem(crl), self.ca.certificate)

    def last_refusal(self) -> dict[str, Any]:
        return self.bel.audit_records("exchange.refused")[-1]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[Pair]:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar, bel = make_node(tmp_path / "mar", ca, "MAR"), make_node(tmp_path / "bel", ca, "BEL")
    replacement = enrol(ca, "MAR", tmp_path / "mar-new-tls")
    app = federation_app(bel.node, bel.identity, handlers={"query.document": answer_document})
    with listening(app, bel.tls) as port:
        register(bel, mar, 1, inbound=["document"])
        yield Pair(mar, bel, port, ca, replacement)
    mar.close()
    bel.close()


def serial_of(files: TlsFiles) -> int:
    return load_certificate(files.certificate).serial_number


def test_a_replaced_and_revoked_certificate_is_refused_and_audited_its_replacement_accepted(
    pair: Pair,
) -> None:
    assert pair.post(pair.mar.tls).status_code == 200
    crl = revoke(
        pair.ca,
        None,
        serials=[serial_of(pair.mar.tls)],
        reason=x509.ReasonFlags.superseded,
        now=datetime.now(UTC),
    )
    pair.install_on_bel(crl)  # while BEL's listener runs: no restart needed

    answer = pair.post(pair.mar.tls)
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "revoked"
    refusal = pair.last_refusal()
    assert refusal["code"] == "revoked"
    assert refusal["tls_state"] == "MAR"
    assert pair.post(pair.replacement).status_code == 200


def test_a_message_signed_with_a_revoked_key_is_refused_and_audited(pair: Pair) -> None:
    crl = revoke(pair.ca, None, key_ids=[pair.mar.identity.key_id], now=datetime.now(UTC))
    pair.install_on_bel(crl)

    answer = pair.post(pair.replacement)
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "revoked"
    assert pair.mar.identity.key_id in answer.json()["detail"]
    assert pair.last_refusal()["code"] == "revoked"


def test_a_client_refuses_a_server_whose_certificate_is_revoked(pair: Pair) -> None:
    crl = revoke(pair.ca, None, serials=[serial_of(pair.bel.tls)], now=datetime.now(UTC))
    install_crl(pair.replacement.crl, crl_pem(crl), pair.ca.certificate)

    with pytest.raises(httpx.ConnectError, match="revoked"):
        pair.post(pair.replacement)
    assert pair.post(pair.mar.tls).status_code == 200  # MAR's other folder holds no CRL


def test_a_running_client_follows_a_crl_installed_while_it_runs(pair: Pair) -> None:
    register(pair.mar, pair.bel, pair.port, outbound=["document"])
    bel = pair.mar.directory.get("BEL")
    now = datetime.now(UTC)

    async def story() -> None:
        async with ExchangeClient(pair.mar.identity, pair.mar.tls) as client:
            await client.send(bel, "query.document", {"document_number": "L1"}, timeout=10)
            signing = revoke(pair.ca, None, key_ids=[pair.bel.identity.key_id], now=now)
            install_crl(pair.mar.tls.crl, crl_pem(signing), pair.ca.certificate)
            with pytest.raises(BadReply) as bad:
                await client.send(bel, "query.document", {"document_number": "L1"}, timeout=10)
            assert bad.value.code == "revoked"

            current = read_crl(pair.mar.tls.crl.read_bytes(), pair.ca.certificate)
            tls = revoke(pair.ca, current, serials=[serial_of(pair.bel.tls)], now=now)
            install_crl(pair.mar.tls.crl, crl_pem(tls), pair.ca.certificate)
            with pytest.raises(PeerUnreachable, match="revoked"):
                await client.send(bel, "query.document", {"document_number": "L1"}, timeout=10)

    asyncio.run(story())


def test_an_older_crl_is_not_installed_over_a_newer_one(pair: Pair) -> None:
    now = datetime.now(UTC)
    first = revoke(pair.ca, None, now=now)
    second = revoke(pair.ca, read_crl(crl_pem(first), pair.ca.certificate), serials=[7], now=now)
    pair.install_on_bel(second)

    with pytest.raises(InvalidInput, match="older than the installed number 2"):
        pair.install_on_bel(first)
    assert read_crl(pair.bel.tls.crl.read_bytes(), pair.ca.certificate).serials == {7}


def test_a_tampered_crl_or_one_from_another_ca_is_refused(pair: Pair) -> None:
    crl = revoke(pair.ca, None, serials=[serial_of(pair.mar.tls)], now=datetime.now(UTC))
    der = bytearray(crl.public_bytes(Encoding.DER))
    der[-10] ^= 0x01  # inside the signature
    tampered = x509.load_der_x509_crl(bytes(der))
    with pytest.raises(InvalidInput, match="signature does not verify"):
        pair.install_on_bel(tampered)

    rogue = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    with pytest.raises(InvalidInput, match="signature does not verify"):
        pair.install_on_bel(revoke(rogue, None, now=datetime.now(UTC)))
    assert not pair.bel.tls.crl.exists()


def test_a_connection_cannot_be_checked_against_a_crl_the_ca_did_not_sign(pair: Pair) -> None:
    rogue = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    pair.bel.tls.crl.write_bytes(crl_pem(revoke(rogue, None, now=datetime.now(UTC))))

    answer = pair.post(pair.replacement)
    assert answer.status_code == 503  # refused: the node fails closed, and says why
    assert answer.json()["code"] == "revocation_unknown"
    assert "signature" in pair.last_refusal()["reason"]


def _bel_with(tmp_path: Path, ca: FederationCA, **settings: Any) -> FederatedNode:
    """BEL as :func:`make_node` makes it, opened with ``settings`` added."""
    bel = make_node(tmp_path / "bel", ca, "BEL")
    bel.node.settings = bel.node.settings.model_copy(update=settings)
    return bel


def test_the_crl_is_read_where_the_settings_put_it(tmp_path: Path) -> None:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(tmp_path / "mar", ca, "MAR")
    shared = tmp_path / "etc" / "federation-crl.pem"  # kept current by configuration management
    bel = _bel_with(tmp_path, ca, federation_crl_file=shared)
    app = federation_app(bel.node, bel.identity, handlers={"query.document": answer_document})
    with listening(app, bel.tls) as port:
        register(bel, mar, 1, inbound=["document"])
        pair = Pair(mar, bel, port, ca, mar.tls)
        assert pair.post(mar.tls).status_code == 200
        crl = revoke(ca, None, serials=[serial_of(mar.tls)], now=datetime.now(UTC))
        shared.parent.mkdir()
        install_crl(shared, crl_pem(crl), ca.certificate)
        assert not bel.tls.crl.exists()  # HOME/tls/crl.pem is not where BEL looks
        answer = pair.post(mar.tls)
        assert answer.status_code == 403
        assert answer.json()["code"] == "revoked"
    mar.close()
    bel.close()


def test_a_node_that_requires_a_crl_refuses_partners_until_one_is_installed(
    tmp_path: Path,
) -> None:
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    mar = make_node(tmp_path / "mar", ca, "MAR")
    bel = _bel_with(tmp_path, ca, federation_crl_required=True)
    app = federation_app(bel.node, bel.identity, handlers={"query.document": answer_document})
    with listening(app, bel.tls) as port:
        register(bel, mar, 1, inbound=["document"])
        pair = Pair(mar, bel, port, ca, mar.tls)
        answer = pair.post(mar.tls)
        assert answer.status_code == 503, answer.text  # not "nothing is revoked"
        assert answer.json()["code"] == "revocation_unknown"
        assert "one is required" in pair.last_refusal()["reason"]
        install_crl(bel.tls.crl, crl_pem(revoke(ca, None, now=datetime.now(UTC))), ca.certificate)
        assert pair.post(mar.tls).status_code == 200
    required = TlsFiles(bel.tls.directory, crl_file=tmp_path / "none.pem", crl_required=True)
    with pytest.raises(ConfigurationError, match="one is required"):
        client_ssl_context(required)  # nor does it connect to partners without one
    mar.close()
    bel.close()


def test_the_cli_revokes_at_the_ca_and_installs_only_a_newer_genuine_crl_on_the_node(
    node_home: Callable[[], Path], tmp_path: Path
) -> None:
    runner = CliRunner()

    def run(*args: str) -> Result:
        return runner.invoke(app, list(args))

    ca_dir = tmp_path / "ca"
    assert run("federation", "ca", "--out", str(ca_dir)).exit_code == 0
    assert run("node", "init", "--state", "MAR", "--ca-dir", str(ca_dir)).exit_code == 0
    files = TlsFiles.for_home(node_home())
    ca_certificate = load_certificate(ca_dir / "ca.pem")
    assert read_crl(files.crl.read_bytes(), ca_certificate).number == 1  # installed at init
    first = tmp_path / "crl-1.pem"
    first.write_bytes((ca_dir / "crl.pem").read_bytes())

    revoked = run(
        "federation", "revoke", "--ca-dir", str(ca_dir), "--cert", str(files.certificate),
        "--key-id", load_identity(node_home() / "keys").key_id, "--reason", "key_compromise",
    )  # fmt: skip
    assert revoked.exit_code == 0, revoked.output
    assert "CRL number 2" in revoked.output
    installed = run("federation", "crl", "install", str(ca_dir / "crl.pem"))
    assert installed.exit_code == 0, installed.output
    shown = run("federation", "crl", "show").output
    assert f"certificate {serial_of(files):#x}" in shown
    assert load_identity(node_home() / "keys").key_id in shown

    older = run("federation", "crl", "install", str(first))
    assert older.exit_code == 2
    assert "older than the installed number 2" in older.output
    tampered = tmp_path / "tampered.pem"
    tampered.write_bytes(crl_pem(x509.load_der_x509_crl(flip_signature_bit(ca_dir / "crl.pem"))))
    refused = run("federation", "crl", "install", str(tampered))
    assert refused.exit_code == 2
    assert "signature does not verify" in refused.output
    assert read_crl(files.crl.read_bytes(), ca_certificate).number == 2

    bad_reason = run("federation", "revoke", "--ca-dir", str(ca_dir), "--serial", "7",
                     "--reason", "boredom")  # fmt: skip
    assert bad_reason.exit_code == 2
    assert "reason: 'boredom'" in bad_reason.output


def flip_signature_bit(path: Path) -> bytes:
    der = bytearray(x509.load_pem_x509_crl(path.read_bytes()).public_bytes(Encoding.DER))
    der[-10] ^= 0x01
    return bytes(der)
