"""The scale story, told on a running :class:`~passerelle.federation_demo.council.Council`.

=====  ==========================================================================
step   what happens, and what must hold
=====  ==========================================================================
1      the last member is killed (SIGKILL) and the one before it hung (SIGSTOP:
       it accepts connections, never answers), for the whole story
2      five members' analysts issue an alert each (API): every healthy member
       holds each; the killed and the hung one hold none; each issuer's outbox
       keeps their messages
3      every healthy member's officer inspects a passport the next member
       reported stolen: the verdict is that member's hit, every healthy partner
       answered both queries, the killed one is reported unreachable and the
       hung one timed out, and the inspection returns within the deadline
4      the killed member restarts and the hung one resumes: both converge on
       every issuer's alerts, each message applied once
=====  ==========================================================================

:class:`CouncilStory` tells the steps like ``story.Story`` (a failing step does
not stop the next) and gathers the figures (:class:`Figures`): alert delivery
and inspection times, the time to converge.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from passerelle.federation.protocol.tls import client_ssl_context
from passerelle.federation_demo import council_cast, ledger, steps
from passerelle.federation_demo.council import Council
from passerelle.federation_demo.ledger import HeldAlert
from passerelle.federation_demo.processes import answers_tls
from passerelle.federation_demo.story import Chapter, Teller

__all__ = ["CouncilStory", "Figures", "percentile"]

ANSWERED = ("hit", "no_hit")
INSPECTION_SLACK_S = 1.0
"""What an inspection may take beyond the partners' deadline (the local checks, the API)."""


def percentile(samples: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``samples`` (0 when there is none)."""
    ordered = sorted(samples)
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Figures:
    """What the story measured, in seconds."""

    alert_delivery_s: list[float] = field(default_factory=list)
    """From an alert's issue (the API's answer) to a healthy member holding it, per pair."""
    inspection_s: list[float] = field(default_factory=list)
    """Each inspection's round trip through the officer's API."""
    partner_queries: int = 0
    """Queries the askers audited as sent (one per partner per kind)."""
    convergence_s: float | None = None
    """From the restart to every issuer's alerts held by both recovered members."""


class CouncilStory(Teller):
    """Tells the scale story on ``council`` (set up and started)."""

    def __init__(
        self, council: Council, *, say: Callable[[str], None], patience: float = 120.0
    ) -> None:
        super().__init__(say)
        self.council = council
        self.roles = council.roles
        self.patience = patience
        self.figures = Figures()
        self.deadline_s = (
            int(
                council.nodes[self.roles.members[0]].env.get(
                    "PASSERELLE_FEDERATION_DEADLINE_MS", "800"
                )
            )
            / 1000
        )

    def run(self) -> list[Chapter]:
        """Every step in order; each with its checks (or the error that stopped it)."""
        killed, hung = self.roles.killed, self.roles.hung
        return self.tell(
            [
                (f"{killed} is killed and {hung} hung, for the whole story", self.failures),
                (f"{len(self.roles.issuers)} members issue an alert each", self.alerts),
                ("Every healthy member inspects a traveller", self.inspections),
                (f"{killed} restarts and {hung} resumes: both catch up", self.recovery),
            ]
        )

    # -- 1 -----------------------------------------------------------------------------------

    def failures(self) -> None:
        killed, hung = self.roles.killed, self.roles.hung
        self.council.kill(killed)
        self.expect(not self.council.running(killed), f"{killed}'s processes are gone")
        self.council.hang(hung)
        node = self.council.nodes[hung]
        silent = not answers_tls(node.federation_port, client_ssl_context(node.tls))
        self.expect(
            silent and node.federation.running,
            f"{hung}'s listener runs but completes no TLS handshake (hung)",
        )

    # -- 2 -----------------------------------------------------------------------------------

    def alerts(self) -> None:
        issued: dict[str, tuple[str, float]] = {}
        for issuer in self.roles.issuers:
            alert = self.council.api(issuer, "analyst").issue_alert(
                council_cast.member_alert(issuer)
            )
            issued[issuer] = (str(alert["id"]), time.monotonic())
            self.say(f"  {issuer}  POST /api/v1/alerts: {alert['id']} {alert['status']}")
        waiting = {(issuer, at) for issuer in issued for at in self.roles.healthy if at != issuer}
        arrived: dict[tuple[str, str], float] = {}
        give_up = time.monotonic() + self.patience
        while waiting and time.monotonic() < give_up:
            for at in sorted({at for _, at in waiting}):  # one read per member
                held = ledger.partner_alerts_by_issuer(self.council.database(at))
                for issuer in [i for i, where in waiting if where == at]:
                    alert_id, since = issued[issuer]
                    if held.get((issuer, alert_id)) == HeldAlert(alert_id, "active", 1):
                        arrived[(issuer, at)] = time.monotonic() - since
                        waiting.discard((issuer, at))
            time.sleep(0.05)
        self.figures.alert_delivery_s = list(arrived.values())
        for issuer, (alert_id, _) in issued.items():
            took = [s for (i, _), s in arrived.items() if i == issuer]
            missing = sorted(at for i, at in waiting if i == issuer)
            expected = len([m for m in self.roles.healthy if m != issuer])
            self.expect(
                not missing,
                f"{len(took)} of {expected} healthy members hold {issuer}'s {alert_id} "
                f"(slowest after {max(took, default=0):.2f} s)"
                + (f"; missing at {', '.join(missing)}" if missing else ""),
            )
        for absent in (self.roles.killed, self.roles.hung):
            got = [
                a.alert_id
                for issuer in issued
                for a in ledger.held_partner_alerts(self.council.database(absent), issuer)
            ]
            self.expect(not got, f"{absent} holds none of them: {', '.join(got) or 'none'}")
            kept = [
                issuer
                for issuer in issued
                if any(
                    not e.delivered and e.idempotency_key.startswith("alert:")
                    for e in ledger.outbox_entries(self.council.database(issuer), absent)
                )
            ]
            self.expect(
                kept == list(issued),
                f"the outboxes of {', '.join(kept) or 'no issuer'} keep their alert for {absent}",
            )

    # -- 3 -----------------------------------------------------------------------------------

    def inspections(self) -> None:
        askers = [m for m in self.roles.healthy if m not in self.council.listener_only]
        for asker in askers:
            holder, traveller = council_cast.traveller_for(asker, askers)
            started = time.monotonic()
            seen = steps.inspect(self.council.api(asker, "officer"), traveller, portrait=None)
            took = time.monotonic() - started
            self.figures.inspection_s.append(took)
            database = self.council.database(asker)
            asked = ledger.partners_asked(database, seen.inspection_id)
            self.figures.partner_queries += len(asked)
            self.expect(*self._judge(asker, holder, seen, asked, took))
            routes = ledger.routes_asked(database, seen.inspection_id)
            wanted = {p: self._route(asker, p) for p in self.roles.members if p != asker}
            hub = sorted(p for p, r in routes.items() if r == "hub")
            self.expect(
                routes == wanted,
                f"{asker} asked {len(routes) - len(hub)} partners directly and {len(hub)} "
                f"through the hub ({self.council.route} route)",
            )

    def _judge(
        self,
        asker: str,
        holder: str,
        seen: steps.Inspection,
        asked: dict[tuple[str, str], str],
        took: float,
    ) -> tuple[bool, str]:
        partners = [m for m in self.roles.members if m != asker]
        healthy = [m for m in partners if m in self.roles.healthy]
        kinds = council_cast.AGREED_KINDS
        answered = [p for p in healthy if all(asked.get((p, k)) in ANSWERED for k in kinds)]
        hits = sorted({p for (p, _), status in asked.items() if status == "hit"})
        killed = {asked.get((self.roles.killed, k)) for k in kinds}
        hung = {asked.get((self.roles.hung, k)) for k in kinds}
        held = (
            seen.decision == "hit"
            and seen.partners_hit == {holder}
            and hits == [holder]
            and len(answered) == len(healthy)
            and killed == {"unreachable"}
            and hung == {"timeout"}
            and took <= self.deadline_s + INSPECTION_SLACK_S
            and seen.federation_light == "red"  # a partner's hit; the others' silence is noted
            and self._noted(seen, self.roles.killed, "could not be reached")
            and self._noted(seen, self.roles.hung, "did not answer in time")
        )
        return held, (
            f"{asker}: {seen.decision.upper()} by {', '.join(hits) or 'nobody'} "
            f"(expected {holder}); {len(answered)} of {len(healthy)} healthy partners answered "
            f"both queries; {self.roles.killed} {'/'.join(sorted(map(str, killed)))}, "
            f"{self.roles.hung} {'/'.join(sorted(map(str, hung)))}; light "
            f"{seen.federation_light}, {len(seen.federation_notes)} notes to the officer; "
            f"{took:.2f} s"
        )

    def _route(self, asker: str, partner: str) -> str:
        hub = self.council.hub
        return (
            "hub" if hub is not None and hub.via(self.roles.members, asker, partner) else "direct"
        )

    @staticmethod
    def _noted(seen: steps.Inspection, state: str, words: str) -> bool:
        """Whether the officer's verdict notes that ``state`` ``words``."""
        return any(f"({state}) {words}" in note for note in seen.federation_notes)

    # -- 4 -----------------------------------------------------------------------------------

    def recovery(self) -> None:
        killed, hung = self.roles.killed, self.roles.hung
        started = time.monotonic()
        self.council.start(killed)
        self.council.resume(hung)
        pending = {(issuer, at) for issuer in self.roles.issuers for at in (killed, hung)}
        seen: dict[tuple[str, str], steps.Convergence] = {}
        give_up = time.monotonic() + self.patience
        while pending and time.monotonic() < give_up:
            for issuer, at in sorted(pending):
                now = steps.convergence(self.council, issuer=issuer, at=at)
                seen[(issuer, at)] = now
                if now.converged:
                    pending.discard((issuer, at))
            time.sleep(0.2)
        took = time.monotonic() - started
        if not pending:
            self.figures.convergence_s = took
        for at in (killed, hung):
            late = sorted(issuer for issuer, where in pending if where == at)
            messages = sum(len(seen[(i, at)].sent_keys) for i in self.roles.issuers)
            self.expect(
                not late,
                f"{at} holds every issuer's alerts as issued and applied each of their "
                f"{messages} messages once ({took:.1f} s after the restart began)"
                + (f"; not yet from {', '.join(late)}" if late else ""),
            )
