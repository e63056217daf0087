"""The audit trail: who searched, loaded, changed or disclosed what, when and why.

Each record holds the keyed hash (HMAC-SHA256 with the node's audit key, kept
outside the database) of its own fields and of the record before it, so

* editing a record breaks its own hash,
* deleting or reordering records breaks the link (``prev_hash``) or the
  sequence,
* cutting the tail disagrees with the chain head (``audit_head``), which is
  itself sealed with the key over (sequence, last hash, counter): a head
  rewritten to match a shortened or emptied chain does not match its seal,

and nobody with write access to the database alone can forge a consistent
chain. What the database alone cannot show (an older sealed head put back, a
chain rewritten by someone holding the key) is caught by the signed
checkpoints kept outside it (``audit_checkpoints``, ``audit_anchoring``).

What a search asked and returned lives beside the chain (``audit_payloads``, ids
rather than copies of personal data) under a digest the chain seals; retention
may delete payloads, but only up to a watermark that a sealed ``retention.apply``
record states.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.records.fields import says_nothing
from passerelle.store.private_files import create_private_file
from passerelle.store.tables import AuditHead, AuditPayload, AuditRecord

__all__ = [
    "GENESIS",
    "Actor",
    "AuditHeadTampered",
    "AuditKeyMissing",
    "AuditTrail",
    "ChainVerdict",
    "create_key",
    "load_key",
    "load_or_create_key",
]

GENESIS = "0" * 64
_EDITED = "its content does not match its seal: the record was edited"
_KEY_PROBE = 20  # records after a failing record 1 checked to tell a wrong key from an edit
ActorKind = Literal["user", "peer", "system"]


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts: a user (with a role), a partner node, or the node itself."""

    name: str
    kind: ActorKind = "user"
    role: str = "admin"


@dataclass(frozen=True, slots=True)
class ChainVerdict:
    """The result of verifying the chain: intact, or the first broken record and why."""

    intact: bool
    records: int
    first_broken: int | None = None
    reason: str | None = None
    redacted_payloads: int = 0
    key_mismatch: bool = False
    last_seq: int = 0
    """The last record walked (0 for an empty chain)."""
    last_hash: str = GENESIS
    counter: int = 0
    """The head's counter (how many times the head was written)."""


def canonical(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, no blanks) for hashing."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


class AuditKeyMissing(ConfigurationError):
    """The audit key file is not there: the chain cannot be checked, and no key is made up."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"the audit key is missing: {path}")
        self.path = path


class AuditHeadTampered(ConfigurationError):
    """The chain head does not match its seal: appending would seal the tampering, so the
    node refuses to append until an auditor has looked (``passerelle audit verify``)."""


def load_key(path: Path) -> bytes:
    """The node's audit key from ``path``; :class:`AuditKeyMissing` when the file is absent.

    Never creates a key: a new key would seal nothing already in the chain.
    """
    try:
        text = path.read_text()
    except FileNotFoundError as exc:
        raise AuditKeyMissing(path) from exc
    except OSError as exc:
        raise ConfigurationError(f"cannot read audit key {path}: {exc}") from exc
    try:
        key = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise ConfigurationError(f"audit key {path} is not hexadecimal") from exc
    if len(key) < 32:
        raise ConfigurationError(f"audit key {path} is shorter than 32 bytes")
    return key


def create_key(path: Path) -> bytes:
    """A new audit key (32 random bytes) written to ``path``, created 0600 (its folder 0700).

    Refuses to replace an existing file. Only ``passerelle keys init`` calls this
    (``passerelle.keyring.init_keys``), and only for a node that has no audit key yet.
    """
    key = secrets.token_bytes(32)
    try:
        create_private_file(path, (key.hex() + "\n").encode("ascii"))
    except OSError as exc:
        raise ConfigurationError(f"cannot create audit key {path}: {exc}") from exc
    return key


def load_or_create_key(path: Path) -> bytes:
    """The audit key from ``path``, created when absent: for a node with an empty chain only."""
    try:
        return load_key(path)
    except AuditKeyMissing:
        return create_key(path)


_HEAD = cast(Table, AuditHead.__table__)
_READ_HEAD = (
    select(_HEAD.c.seq, _HEAD.c.hash, _HEAD.c.counter, _HEAD.c.seal)
    .where(_HEAD.c.id == 1)
    .with_for_update()
)
_MOVE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == 1)
    .values(
        seq=bindparam("seq"),
        hash=bindparam("hash"),
        counter=bindparam("counter"),
        seal=bindparam("seal"),
    )
)
_RECORD_COLUMNS = tuple(column.name for column in AuditRecord.__table__.columns)
_SEALED = (
    "seq",
    "at",
    "actor",
    "actor_kind",
    "role",
    "action",
    "purpose",
    "redacts_through",
    "payload_hash",
    "prev_hash",
)
"""A record's fields its seal covers, in the order they are sealed."""
_HELD_HEAD = "passerelle.audit_head"
"""``Session.info`` key: (transaction, trail, seq, hash, counter) of the head this
transaction last wrote (``AuditTrail.record``)."""
_INSERT_RECORD = insert(cast(Table, AuditRecord.__table__))
_INSERT_PAYLOAD = insert(cast(Table, AuditPayload.__table__))


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


class AuditTrail:
    """Appends to and verifies the node's audit chain."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def _seal(self, record: AuditRecord | Mapping[str, Any]) -> str:
        """The HMAC of a record's sealed fields (a stored record, or the values of one
        about to be written)."""
        if isinstance(record, Mapping):
            fields = [record[name] for name in _SEALED]
        else:
            fields = [getattr(record, name) for name in _SEALED]
        fields[1] = _timestamp(fields[1])
        return hmac.new(self._key, canonical(fields), hashlib.sha256).hexdigest()

    def record(
        self,
        session: Session,
        *,
        actor: Actor,
        action: str,
        at: datetime,
        purpose: str | None = None,
        query: Mapping[str, Any] | None = None,
        result: Mapping[str, Any] | None = None,
        redacts_through: int | None = None,
    ) -> int:
        """Append one record in ``session``'s transaction; returns its sequence number.

        Searches must state a purpose: ``action`` names ending in ``.search`` or
        ``.disclose`` without one are refused.
        """
        if action.endswith((".search", ".disclose")) and says_nothing(purpose):
            raise InvalidInput("purpose", f"a {action} must state its purpose")
        # Core statements on the tables, not ORM objects: the same four statements (lock
        # and read the head, insert the link and its payload, move the head), without the
        # unit of work's bookkeeping, which cost more than the statements on every append.
        connection = session.connection()
        # The head, locked by this transaction's first append: a second append in the
        # same transaction (an inspection and its crossing) takes it as the first one
        # left it instead of reading it again (a savepoint opened or ended since: read).
        within = session.get_nested_transaction() or session.get_transaction()
        held = session.info.get(_HELD_HEAD)
        if held is not None and held[0] is within and held[1] is self:
            seq, prev_hash, counter = held[2], held[3], held[4]
        else:
            head = connection.execute(_READ_HEAD).one()
            problem = self._head_problem(head.seq, head.hash, head.counter, head.seal)
            if problem:
                raise AuditHeadTampered(f"the audit chain cannot be appended to: {problem}")
            seq, prev_hash, counter = head.seq, head.hash, head.counter
        payload = {"query": dict(query or {}), "result": dict(result or {})}
        record: dict[str, Any] = dict.fromkeys(_RECORD_COLUMNS)
        record.update(
            seq=seq + 1,
            at=at,
            actor=actor.name,
            actor_kind=actor.kind,
            role=actor.role,
            action=action,
            purpose=purpose,
            redacts_through=redacts_through,
            payload_hash=hashlib.sha256(canonical(payload)).hexdigest(),
            prev_hash=prev_hash,
        )
        record["hash"] = self._seal(record)
        connection.execute(_INSERT_RECORD, record)
        connection.execute(
            _INSERT_PAYLOAD,
            {"seq": record["seq"], "query": payload["query"], "result": payload["result"]},
        )
        counter += 1
        connection.execute(
            _MOVE_HEAD,
            {
                "seq": record["seq"],
                "hash": record["hash"],
                "counter": counter,
                "seal": self._seal_head(record["seq"], record["hash"], counter),
            },
        )
        session.info[_HELD_HEAD] = (within, self, record["seq"], record["hash"], counter)
        return int(record["seq"])

    def _seal_head(self, seq: int, hash: str, counter: int) -> str:
        fields = ["audit_head", seq, hash, counter]
        return hmac.new(self._key, canonical(fields), hashlib.sha256).hexdigest()

    def head_problem(self, head: AuditHead) -> str | None:
        """Why ``head`` cannot be trusted (None when it holds its seal, or is the untouched
        head of a new chain: sequence 0, the genesis hash, counter 0, no seal)."""
        return self._head_problem(head.seq, head.hash, head.counter, head.seal)

    def _head_problem(self, seq: int, hash: str, counter: int, seal: str | None) -> str | None:
        if seal is None:
            if (seq, hash, counter) == (0, GENESIS, 0):
                return None
            return (
                f"the chain head (record {seq}, counter {counter}) is not sealed: "
                "it was written without the audit key"
            )
        if not hmac.compare_digest(seal, self._seal_head(seq, hash, counter)):
            return (
                f"the chain head (record {seq}, counter {counter}) does not match "
                "its seal: it was rewritten without the audit key"
            )
        return None

    def seal_unsealed_head(self, session: Session) -> bool:
        """Seal a head written before heads were sealed (schema 0014), as it stands; True when
        it was sealed. Only ``db upgrade`` from an older schema calls this: sealing a head
        found unsealed later would seal whatever an intruder wrote there."""
        session.info.pop(_HELD_HEAD, None)
        head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one()
        if head.seal is not None or (head.seq, head.hash) == (0, GENESIS):
            return False
        head.counter = max(head.counter, head.seq)
        head.seal = self._seal_head(head.seq, head.hash, head.counter)
        return True

    def verify(self, session: Session, *, since: tuple[int, str] | None = None) -> ChainVerdict:
        """Walk the chain; name the first record that does not hold, or a head that does not.

        ``since`` = (seq, hash): a point of the chain verified before (a checkpoint whose
        record was checked): only the record there (its hash and seal) and the records
        after it are walked; ``records`` then counts those.
        """
        watermark = (
            session.scalars(
                select(AuditRecord.redacts_through)
                .where(AuditRecord.action == "retention.apply")
                .where(AuditRecord.redacts_through.is_not(None))
                .order_by(AuditRecord.redacts_through.desc())
                .limit(1)
            ).first()
            or 0
        )
        expected_seq, prev_hash, count, redacted = 1, GENESIS, 0, 0
        if since is not None and since[0] > 0:
            start = session.get(AuditRecord, since[0])
            if start is None or start.hash != since[1]:
                return ChainVerdict(
                    False,
                    0,
                    since[0],
                    "it is not the record verified before: the chain was cut or rewritten since",
                )
            if not hmac.compare_digest(start.hash, self._seal(start)):
                return ChainVerdict(False, 0, since[0], _EDITED)
            expected_seq, prev_hash = since[0] + 1, since[1]
        rows = session.execute(
            select(AuditRecord, AuditPayload)
            .outerjoin(AuditPayload, AuditPayload.seq == AuditRecord.seq)
            .where(AuditRecord.seq >= expected_seq)
            .order_by(AuditRecord.seq)
            .execution_options(yield_per=2000)
        )
        for record, payload in rows:
            count += 1
            problem = self._check_link(record, payload, expected_seq, prev_hash, watermark)
            if problem == _EDITED and record.seq == 1:
                return self._first_seal_fails(session, count)
            if problem:
                return ChainVerdict(False, count, record.seq, problem)
            if payload is None:
                redacted += 1
            expected_seq, prev_hash = record.seq + 1, record.hash
        head = session.get(AuditHead, 1)
        if head is None:
            return ChainVerdict(False, count, None, "the chain head is missing")
        problem = self.head_problem(head)
        if problem:
            return ChainVerdict(
                False,
                count,
                expected_seq,
                f"{problem}; the chain ends at record {expected_seq - 1}: records may have "
                "been removed from the end",
            )
        if head.seq != expected_seq - 1 or head.hash != prev_hash:
            return ChainVerdict(
                False,
                count,
                expected_seq,
                f"the chain head names record {head.seq} but the chain ends at "
                f"{expected_seq - 1}: records were removed from the end",
            )
        return ChainVerdict(
            True,
            count,
            redacted_payloads=redacted,
            last_seq=expected_seq - 1,
            last_hash=prev_hash,
            counter=head.counter,
        )

    def _first_seal_fails(self, session: Session, count: int) -> ChainVerdict:
        """Record 1 does not match its seal: tell a wrong key from an edited record 1.

        With the wrong key no record's seal holds; with the right key and record 1
        edited, the records after it still hold. The next records (up to
        ``_KEY_PROBE``) decide; with record 1 alone the two cannot be told apart,
        and the reason says so.
        """
        later = session.scalars(
            select(AuditRecord)
            .where(AuditRecord.seq > 1)
            .order_by(AuditRecord.seq)
            .limit(_KEY_PROBE)
        ).all()
        if any(hmac.compare_digest(record.hash, self._seal(record)) for record in later):
            return ChainVerdict(False, count, 1, _EDITED)
        if not later:
            return ChainVerdict(
                False,
                count,
                1,
                "the only record does not match its seal: either the key does not match "
                "the records or record 1 was edited (one record cannot tell the two apart)",
                key_mismatch=True,
            )
        return ChainVerdict(
            False,
            count,
            1,
            f"the key does not match the records: none of the first {len(later) + 1} records "
            "holds with this key (another node's key, or a chain rewritten without the key)",
            key_mismatch=True,
        )

    def _check_link(
        self,
        record: AuditRecord,
        payload: AuditPayload | None,
        expected_seq: int,
        prev_hash: str,
        watermark: int,
    ) -> str | None:
        if record.seq != expected_seq:
            return (
                f"expected record {expected_seq} here but found {record.seq}: "
                "records were removed or reordered"
            )
        if record.prev_hash != prev_hash:
            return "its link to the previous record is broken: records were removed or reordered"
        if not hmac.compare_digest(record.hash, self._seal(record)):
            return _EDITED
        if payload is None:
            if record.seq > watermark:
                return "its payload is missing and no retention run removed it"
        else:
            digest = hashlib.sha256(
                canonical({"query": payload.query, "result": payload.result})
            ).hexdigest()
            if digest != record.payload_hash:
                return "its payload does not match the sealed digest: the payload was edited"
        return None
