"""Federation fixtures: a clock, node identities and a federation CA with two nodes' TLS files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from passerelle.federation import (
    FederationCA,
    NodeIdentity,
    TlsFiles,
    issue_node_certificate,
    new_federation_ca,
    new_tls_key,
    save_node_tls,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Federation:
    """A CA and the TLS folders of its nodes, by state."""

    ca: FederationCA
    nodes: dict[str, TlsFiles]


def enrol(ca: FederationCA, state: str, folder: Path, *, names: tuple[str, ...] = ()) -> TlsFiles:
    """Issue ``state`` a key and certificate from ``ca`` and write them in ``folder``."""
    key = new_tls_key()
    certificate = issue_node_certificate(
        ca,
        key.public_key(),
        state=state,
        node_name=f"node-{state.lower()}",
        names=names,
        now=datetime.now(UTC),
    )
    files = TlsFiles(folder)
    save_node_tls(files, key=key, certificate=certificate, ca_certificate=ca.certificate)
    return files


@pytest.fixture
def mar() -> NodeIdentity:
    return NodeIdentity.generate("MAR")


@pytest.fixture
def bel() -> NodeIdentity:
    return NodeIdentity.generate("BEL")


@pytest.fixture
def federation(tmp_path: Path) -> Federation:
    """A federation CA (valid now) with MAR and BEL enrolled."""
    ca = new_federation_ca("Test federation CA", now=datetime.now(UTC))
    nodes = {state: enrol(ca, state, tmp_path / state.lower()) for state in ("MAR", "BEL")}
    return Federation(ca, nodes)
