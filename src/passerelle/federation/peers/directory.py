"""The partner registry: which states this node talks to, where, with which keys, on what terms.

A partner is registered with its state code, its URL (``https://``), the
public key line(s) it gave out of band (``ed25519 STATE BASE64``, two while it
rotates) and the agreement:

=====================  ==========================================================
``inbound_kinds``      the queries the partner may ask this node: ``document``,
                       ``person``, ``face``
``outbound_kinds``     the queries this node sends it
``alert_categories``   this node's alert categories shared with it
``follow_up_hours``    how long the owner of a record has to answer a follow-up
=====================  ==========================================================

:class:`PeerDirectory` stores them in ``exchange_peers``; each change is one
transaction with its audit record (``peer.add``, ``peer.update``,
``peer.key_add``, ``peer.key_remove``, ``peer.enable``, ``peer.disable``,
``peer.remove``, ``peer.sealing_key`` and ``peer.route`` (through a hub or direct:
``federation.hub``); ``peer.key_announced`` and ``peer.key_retired`` when the partner rotates its
key: ``key_announce``; disabling holds back approved disclosures, removing settles what
is queued for the partner: ``peers.retirement``). Adding a partner, enabling it
again or changing its agreement also queues, in the same transaction, the alerts
issued before that it may now receive (``alert_sync.backfill_alerts``; see
:attr:`PeerDirectory.last_backfill`).
It is also the node's :class:`~passerelle.federation.protocol.identity.PeerKeys`:
only *enabled* partners' keys verify a message. Bad values raise
:class:`InvalidInput` naming the field; an unregistered state raises
:class:`NotFound` (field ``state``). The values (:class:`Agreement`,
:class:`PeerView`, the parsers) live in ``peer_values`` and are re-exported here.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.exc import InvalidInput, NotFound
from passerelle.federation.alerts.outgoing import Backfill, backfill_alerts
from passerelle.federation.peers.retirement import Retirement, hold_disclosures, retire
from passerelle.federation.peers.values import (
    DEFAULT_FOLLOW_UP_HOURS,
    QUERY_KINDS,
    Agreement,
    PeerView,
    parse_kinds,
    parse_peer_keys,
    parse_peer_name,
    parse_peer_url,
)
from passerelle.federation.protocol.identity import PeerKey, parse_public_key, parse_state
from passerelle.federation.protocol.sealing import parse_sealing_line
from passerelle.node import utc_now
from passerelle.store.audit import Actor, AuditTrail
from passerelle.store.db import Database
from passerelle.store.tables import ExchangePeer

__all__ = [
    "DEFAULT_FOLLOW_UP_HOURS",
    "QUERY_KINDS",
    "Agreement",
    "PeerDirectory",
    "PeerView",
    "Retirement",
    "parse_kinds",
    "parse_peer_url",
]


def _view(row: ExchangePeer) -> PeerView:
    return PeerView(
        state=row.state,
        name=row.name,
        url=row.url,
        keys=tuple(parse_public_key(line) for line in row.public_keys),
        agreement=Agreement(
            inbound_kinds=tuple(row.inbound_kinds),
            outbound_kinds=tuple(row.outbound_kinds),
            alert_categories=tuple(row.alert_categories),
            follow_up_hours=row.follow_up_hours,
        ),
        enabled=row.enabled,
        added_at=row.added_at,
        added_by=row.added_by,
        updated_at=row.updated_at,
        sealing_key=row.sealing_key,
        via=row.via,
        relays=row.relays,
    )


class PeerDirectory:
    """The partners registered on this node (``exchange_peers``); also its :class:`PeerKeys`."""

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        *,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.audit = audit
        self.clock = clock
        self.last_backfill: Backfill | None = None
        """What the last add, enable or agreement change queued of the alerts issued before."""

    # -- reading ---------------------------------------------------------------------------

    def get(self, state: str) -> PeerView:
        """The partner registered for ``state``; :class:`NotFound` if none."""
        code = parse_state(state)
        with self.database.lookup() as session:
            row = session.get(ExchangePeer, code)
            if row is None:
                raise NotFound("state", f"{code} is not a registered partner")
            return _view(row)

    def find(self, state: str) -> PeerView | None:
        """The partner registered for ``state``, or None (an unknown code is None too)."""
        try:
            return self.get(state)
        except InvalidInput:
            return None

    def list(self, *, enabled_only: bool = False) -> builtins.list[PeerView]:
        """Every partner, by state code."""
        query = select(ExchangePeer).order_by(ExchangePeer.state)
        if enabled_only:
            query = query.where(ExchangePeer.enabled.is_(True))
        with self.database.read() as session:
            return [_view(row) for row in session.scalars(query)]

    def asked_for(self, query_kind: str) -> builtins.list[PeerView]:
        """The enabled partners this node sends ``query_kind`` queries to (fan-out targets)."""
        return [peer for peer in self.list(enabled_only=True) if peer.is_asked(query_kind)]

    def keys_for(self, state: str) -> Sequence[PeerKey]:
        """The keys of an *enabled* partner; empty for any other state (PeerKeys)."""
        peer = self.find(state)
        return peer.keys if peer is not None and peer.enabled else ()

    # -- changes ---------------------------------------------------------------------------

    def add(
        self,
        state: str,
        *,
        url: str,
        public_keys: Iterable[str],
        actor: Actor,
        name: str | None = None,
        agreement: Agreement | None = None,
        relays: bool = False,
    ) -> PeerView:
        """Register a partner (enabled); :class:`InvalidInput` if the state is already there.

        ``relays``: the partner is a federation hub (``federation.hub``), not a member."""
        code = parse_state(state)
        keys = parse_peer_keys(public_keys, code)
        base = parse_peer_url(url)
        terms = agreement or Agreement()
        label = parse_peer_name(name, code)
        now = self.clock()
        with self.database.write() as session:
            if session.get(ExchangePeer, code) is not None:
                raise InvalidInput("state", f"{code} is already a registered partner")
            row = ExchangePeer(
                state=code,
                name=label,
                url=base,
                public_keys=[k.text for k in keys],
                inbound_kinds=list(terms.inbound_kinds),
                outbound_kinds=list(terms.outbound_kinds),
                alert_categories=list(terms.alert_categories),
                follow_up_hours=terms.follow_up_hours,
                enabled=True,
                added_at=now,
                added_by=actor.name,
                updated_at=now,
                relays=relays,
            )
            session.add(row)
            session.flush()
            view = _view(row)
            self._audit(session, "peer.add", view, actor, now)
            self.last_backfill = backfill_alerts(session, self.audit, code, actor=actor, now=now)
            return view

    def update(
        self,
        state: str,
        *,
        actor: Actor,
        agreement: Agreement | None = None,
        url: str | None = None,
        name: str | None = None,
    ) -> PeerView:
        """Replace the agreement, the URL or the name of a partner (those given)."""
        base = parse_peer_url(url) if url is not None else None
        return self._change(
            state,
            "peer.update",
            actor,
            lambda row: _apply(row, agreement=agreement, url=base, name=name),
            backfill=agreement is not None,
        )

    def add_key(
        self, state: str, key_line: str, *, actor: Actor, action: str = "peer.key_add"
    ) -> PeerView:
        """Register a second key for a partner (rotation); the key must name its state."""
        code = parse_state(state)
        (key,) = parse_peer_keys([key_line], code)

        def change(row: ExchangePeer) -> None:
            held = [parse_public_key(line) for line in row.public_keys]
            if any(k.key_id == key.key_id for k in held):
                raise InvalidInput("public_key", f"key {key.key_id} is already registered")
            row.public_keys = [*row.public_keys, key.text]

        return self._change(code, action, actor, change, detail={"key_id": key.key_id})

    def remove_key(
        self, state: str, key: str, *, actor: Actor, action: str = "peer.key_remove"
    ) -> PeerView:
        """Remove one of a partner's keys (its line or key id); the last one cannot go."""
        code = parse_state(state)
        wanted = key.strip()
        if wanted.lower().startswith("ed25519"):
            wanted = parse_peer_keys([wanted], code)[0].key_id

        def change(row: ExchangePeer) -> None:
            kept = [line for line in row.public_keys if parse_public_key(line).key_id != wanted]
            if len(kept) == len(row.public_keys):
                raise InvalidInput("public_key", f"key {wanted} is not registered for {code}")
            if not kept:
                raise InvalidInput(
                    "public_key", f"{wanted} is {code}'s only key: add the new key first"
                )
            row.public_keys = kept

        return self._change(code, action, actor, change, detail={"key_id": wanted})

    def set_sealing_key(self, state: str, line: str, *, actor: Actor) -> PeerView:
        """Register the partner's sealing key line (``x25519 ...``), checked to be signed by
        one of its registered signing keys (parts relayed through a hub are sealed to it)."""
        code = parse_state(state)

        def change(row: ExchangePeer) -> None:
            keys = [parse_public_key(text) for text in row.public_keys]
            row.sealing_key = parse_sealing_line(line, keys).text

        return self._change(code, "peer.sealing_key", actor, change)

    def set_route(self, state: str, *, via: str | None, actor: Actor) -> PeerView:
        """Reach the partner through the hub ``via`` (a registered partner that relays, and
        the partner's sealing key known), or directly (``via`` None)."""
        code = parse_state(state)
        hub = parse_state(via, field="via") if via is not None else None

        def change(row: ExchangePeer) -> None:
            if hub is not None:
                hub_row = self._row_in(row, hub)
                if not hub_row.relays:
                    raise InvalidInput("via", f"{hub} is not registered as a hub (peer add --hub)")
                if row.sealing_key is None:
                    raise InvalidInput(
                        "via", f"register {code}'s sealing key first (peer sealing-key {code})"
                    )
            if row.relays:
                raise InvalidInput("state", f"{code} is a hub, not a member to route to")
            row.via = hub

        detail = {"route": f"hub:{hub}" if hub else "direct"}
        return self._change(code, "peer.route", actor, change, detail=detail)

    def enable(self, state: str, *, actor: Actor) -> PeerView:
        """Accept and send messages again for a partner; it is sent the alerts it missed."""
        return self._change(
            state, "peer.enable", actor, lambda row: setattr(row, "enabled", True), backfill=True
        )

    def disable(self, state: str, *, actor: Actor) -> PeerView:
        """Stop accepting (its keys no longer verify) and sending messages for a partner.

        Approved disclosures queued for it are held back (``peers.retirement``): enabling
        it again does not send them.
        """
        code = parse_state(state)
        now = self.clock()
        with self.database.write() as session:
            row = self._row(session, code)
            row.enabled, row.updated_at = False, now
            session.flush()
            held = hold_disclosures(session, code)
            view = _view(row)
            detail = {"disclosures_held": str(len(held))} if held else None
            self._audit(session, "peer.disable", view, actor, now, detail=detail)
            return view

    def remove(self, state: str, *, actor: Actor, force: bool = False) -> Retirement:
        """Delete a partner's registration (its history stays in the audit trail).

        Refused while messages to it wait for delivery, unless ``force`` (they are
        parked); its alerts are withdrawn here, its pending requests closed
        (``peers.retirement``).
        """
        code = parse_state(state)
        now = self.clock()
        with self.database.write() as session:
            row = self._row(session, code)
            view = _view(row)
            done = retire(session, code, force=force, by=actor.name, now=now)
            session.delete(row)
            detail = {key: str(count) for key, count in done.as_json().items()}
            self._audit(session, "peer.remove", view, actor, now, detail=detail)
            return done

    # -- internals -------------------------------------------------------------------------

    def _change(
        self,
        state: str,
        action: str,
        actor: Actor,
        change: Callable[[ExchangePeer], None],
        *,
        detail: dict[str, str] | None = None,
        backfill: bool = False,
    ) -> PeerView:
        code = parse_state(state)
        now = self.clock()
        with self.database.write() as session:
            row = self._row(session, code)
            change(row)
            row.updated_at = now
            session.flush()
            view = _view(row)
            self._audit(session, action, view, actor, now, detail=detail)
            if backfill:
                self.last_backfill = backfill_alerts(
                    session, self.audit, code, actor=actor, now=now
                )
            return view

    @staticmethod
    def _row_in(row: ExchangePeer, code: str) -> ExchangePeer:
        """Another partner's row, read in the session ``row`` belongs to."""
        session = Session.object_session(row)
        assert session is not None
        return PeerDirectory._row(session, code)

    @staticmethod
    def _row(session: Session, code: str) -> ExchangePeer:
        row = session.get(ExchangePeer, code)
        if row is None:
            raise NotFound("state", f"{code} is not a registered partner")
        return row

    def _audit(
        self,
        session: Session,
        action: str,
        view: PeerView,
        actor: Actor,
        at: datetime,
        *,
        detail: dict[str, str] | None = None,
    ) -> None:
        summary = view.as_json()
        del summary["added_at"], summary["updated_at"], summary["added_by"]
        self.audit.record(
            session,
            actor=actor,
            action=action,
            at=at,
            query={"state": view.state, **(detail or {})},
            result=summary,
        )


def _apply(
    row: ExchangePeer, *, agreement: Agreement | None, url: str | None, name: str | None
) -> None:
    if agreement is not None:
        row.inbound_kinds = list(agreement.inbound_kinds)
        row.outbound_kinds = list(agreement.outbound_kinds)
        row.alert_categories = list(agreement.alert_categories)
        row.follow_up_hours = agreement.follow_up_hours
    if url is not None:
        row.url = url
    if name is not None:
        row.name = parse_peer_name(name, row.state)
