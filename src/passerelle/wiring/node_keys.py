"""The makers of the node's keys whose file formats are the federation's, handed to the
keyring: the audit-checkpoint key (an Ed25519 identity of its own) and the sealing key
(X25519). ``passerelle keys init`` (and the demo, and the tests' set-up) provision a
node through :func:`provision_keys`; nothing else makes these keys.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from passerelle.federation.protocol.identity import NodeIdentity, save_identity
from passerelle.federation.protocol.sealing import create_sealing_key
from passerelle.keyring import KeyMaker, KeyName, KeysInit, init_keys
from passerelle.settings import Settings
from passerelle.store.db import Database

__all__ = ["key_makers", "provision_keys"]


def key_makers(settings: Settings) -> dict[KeyName, KeyMaker]:
    """The makers of the checkpoint and sealing keys, for ``keyring.init_keys``."""

    def checkpoint(path: Path) -> bool:
        save_identity(NodeIdentity.generate(settings.node), path.parent)
        return True

    def sealing(path: Path) -> bool:
        return create_sealing_key(path.parent)

    return {"checkpoint": checkpoint, "sealing": sealing}


def provision_keys(settings: Settings, database: Database, *, at: datetime) -> KeysInit:
    """``keys init``: make the keys the node lacks, every kind, and record their
    fingerprints (``keyring.init_keys``)."""
    return init_keys(settings, database, at=at, makers=key_makers(settings))
