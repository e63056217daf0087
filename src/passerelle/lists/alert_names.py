"""Person alerts found by the name engine at the border, in whatever script they were issued.

The alerts check first looks person alerts up by the key the store files them
under (first name as issued, folded, and birth date): certain, and one indexed
read. That key misses an alert issued as ``كريم حداد`` when the passport reads
``HADDAD<<KARIM``, or one issued with another spelling. :class:`AlertNames`
holds the live person alerts (the node's own and its partners') in a
name-screening index (``passerelle.names``, the watchlist's engine), so the
MRZ name is also screened against them.

The index is small (alerts are hundreds or thousands, not a million) and must
never be stale: an alert issued a second ago, through this host or another one
of the node, must stop its traveller. Each screening first reads the alert
tables' change counters (``passerelle.store.changes``: one primary-key read,
moved by the database in every transaction that writes the tables) in the
caller's transaction, and rebuilds the index when they moved. (Row counts and
the latest ``updated_at`` were the watermark before: two scans per inspection,
and blind to a status change written by a host whose clock is behind.)
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from passerelle.names import NameMatch, NameQuery, ScreenedPerson, ScreeningIndex
from passerelle.records.alerts import LIVE_STATUSES, AlertView, PersonSubject
from passerelle.records.partner_alerts import PartnerAlertView
from passerelle.store.alerts import alert_view
from passerelle.store.changes import ALERT_TABLES, change_marks
from passerelle.store.partner_alerts import partner_alert_view
from passerelle.store.tables import Alert, PartnerAlert

__all__ = ["AlertNameMatch", "AlertNames"]

Watermark = tuple[int, ...]


@dataclass(frozen=True, slots=True)
class AlertNameMatch:
    """A person alert the traveller's name may be: the node's own or a partner's."""

    alert: AlertView | PartnerAlertView
    match: NameMatch

    @property
    def reference(self) -> str:
        """The alert as hits refer to it: its id, or ``STATE:id`` for a partner's."""
        alert = self.alert
        if isinstance(alert, PartnerAlertView):
            return f"{alert.issuing_state}:{alert.alert_id}"
        return alert.id

    def in_force(self, on: date) -> bool:
        return self.alert.in_force(on)


@dataclass(frozen=True, slots=True)
class _Snapshot:
    watermark: Watermark
    index: ScreeningIndex
    alerts: dict[str, AlertView | PartnerAlertView]


class AlertNames:
    """The live person alerts in a name-screening index, kept in step with the store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None

    def screen(
        self, session: Session, query: NameQuery, *, threshold: float, top: int = 5
    ) -> list[AlertNameMatch]:
        """The person alerts ``query`` may be, best first, scores ≥ ``threshold``
        (alerts in force or not: the caller judges on its day)."""
        snapshot = self._current(session)
        if not snapshot.alerts:
            return []
        matches = snapshot.index.screen(query, top=top, threshold=threshold)
        return [AlertNameMatch(snapshot.alerts[m.id], m) for m in matches]

    def _current(self, session: Session) -> _Snapshot:
        mark = _watermark(session)
        with self._lock:
            snapshot = self._snapshot
            if snapshot is None or snapshot.watermark != mark:
                snapshot = self._snapshot = _build(session, mark)
            return snapshot


def _watermark(session: Session) -> Watermark:
    """The alert tables' change counters: any write by any host moves them."""
    return change_marks(session, ALERT_TABLES)


def _build(session: Session, mark: Watermark) -> _Snapshot:
    """Index every live person alert (the index ids are positions: alert ids may repeat
    across states, and may hold any character an issuer uses)."""
    alerts: dict[str, AlertView | PartnerAlertView] = {}
    persons: list[ScreenedPerson] = []
    own = session.scalars(
        select(Alert).where(Alert.kind == "person", Alert.status.in_(sorted(LIVE_STATUSES)))
    )
    for row in own:
        view = alert_view(row)
        if isinstance(view.subject, PersonSubject):
            number = f"a{len(alerts)}"
            alerts[number] = view
            persons.append(ScreenedPerson(number, view.subject.names, view.subject.birth_date))
    shared = session.scalars(select(PartnerAlert).where(PartnerAlert.status == "active"))
    for held in shared:
        partner = partner_alert_view(held)
        names = partner.subject.get("names")
        if partner.kind != "person" or not isinstance(names, list) or not names:
            continue
        birth = partner.subject.get("birth_date")
        number = f"a{len(alerts)}"
        alerts[number] = partner
        persons.append(
            ScreenedPerson(
                number,
                tuple(str(name) for name in names),
                birth if isinstance(birth, str) else None,
            )
        )
    return _Snapshot(mark, ScreeningIndex.build(persons), alerts)
