"""The scripted federation story, told on three running nodes, each step against its expectation.

=====  ==========================================================================
step   what happens, and what must hold
=====  ==========================================================================
1      TUN's alert, issued before any node ran, waited in TUN's outbox: MAR and
       BEL hold it once the nodes are up
2      MAR's analyst issues a wanted-person alert (API): BEL and TUN hold it, and
       BEL's officer inspecting that person gets a hit on MAR's alert
3      TUN stops; MAR issues two alerts and withdraws one: BEL follows, TUN holds
       neither, MAR's outbox keeps TUN's three messages
4      TUN restarts: it converges exactly (the same alerts, states and versions
       as MAR's; each message applied once)
5      BEL's officer inspects five travellers: hits name only the partner that
       holds the record (MAR's stolen passport, MAR's watchlisted person under
       another spelling, MAR's wanted face; TUN's stolen passport); a clean
       traveller is clear, every partner answering no-hit
6      BEL's analyst asks MAR for the record behind the passport hit: pending,
       BEL holds no data; MAR's analyst approves; BEL then holds that record,
       exactly
7      MAR's listener refuses a tampered, a replayed, an unsigned and an
       unknown-peer request with their codes, and audits each refusal
8      MAR's officer inspects a traveller with a live print of the right index
       finger: BEL holds that finger (another impression, enrolled under its
       wanted person): a hit naming Belgium, with BEL's reference; MAR audits
       what it sent (the finger's position and template SHA-256, no template)
=====  ==========================================================================

:meth:`Story.run` tells every step (one that fails does not stop the others)
and returns them; :attr:`Chapter.held` says whether every expectation held.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from passerelle.federation_demo import cast, steps
from passerelle.federation_demo.ledger import HeldAlert, held_partner_alerts, outbox_entries
from passerelle.federation_demo.three_nodes import ThreeNodes
from passerelle.screening.words import state_words

__all__ = ["Chapter", "Check", "Story", "Teller"]

JUSTIFICATION = "Traveller held at BRU-ZAV with this passport; confirming the theft report."


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation and what was seen."""

    held: bool
    said: str


@dataclass
class Chapter:
    """One step of the story: its title, its checks, and the error that cut it short, if any."""

    number: int
    title: str
    checks: list[Check] = field(default_factory=list)
    error: str | None = None

    @property
    def held(self) -> bool:
        return self.error is None and bool(self.checks) and all(c.held for c in self.checks)


Step = tuple[str, Callable[[], None]]
"""A chapter's title and the step that tells it."""


class Teller:
    """Tells chapters one after the other, one line per action and check (``say``); a
    step that breaks is reported and the next one runs."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self._chapter: Chapter | None = None

    def tell(self, chapters: list[Step]) -> list[Chapter]:
        """Every step in order; each with its checks (or the error that stopped it)."""
        told = []
        for number, (title, step) in enumerate(chapters, start=1):
            chapter = self._chapter = Chapter(number, title)
            self.say("")
            self.say(f"── {number}. {title} " + "─" * max(3, 66 - len(title)))
            try:
                step()
            except Exception as exc:  # a step that breaks is reported; the next one runs
                chapter.error = f"{type(exc).__name__}: {exc}"
                self.say(f"  FAIL {chapter.error}")
            told.append(chapter)
        return told

    def expect(self, held: bool, said: str) -> bool:
        assert self._chapter is not None
        self._chapter.checks.append(Check(held, said))
        self.say(f"  {'ok  ' if held else 'FAIL'} {said}")
        return held


def _held(alert: HeldAlert | None) -> str:
    return "nothing" if alert is None else f"{alert.alert_id} {alert.status} v{alert.version}"


def _alerts(alerts: tuple[HeldAlert, ...] | list[HeldAlert]) -> str:
    return ", ".join(_held(a) for a in alerts) or "none"


def _verdict(seen: steps.Inspection) -> str:
    hits = "; ".join(
        f"{state_words(h.state)} holds a record on this {h.kind} ({h.reference}, band {h.band})"
        for h in seen.partner_hits
    )
    told = hits or f"no partner holds anything (partners' light {seen.federation_light})"
    return f"{seen.decision.upper()}: {told}"


class Story(Teller):
    """Tells the story on ``nodes`` (set up and started), one line per action and check."""

    def __init__(
        self, nodes: ThreeNodes, *, say: Callable[[str], None], patience: float = 90.0
    ) -> None:
        super().__init__(say)
        self.nodes = nodes
        self.patience = patience
        self.portrait = nodes.portrait().read_bytes()
        self.reference: str | None = None

    def run(self) -> list[Chapter]:
        """Every step in order; each with its checks (or the error that stopped it)."""
        return self.tell(
            [
                ("TUN's alert, queued before the nodes ran, reaches MAR and BEL", self.queued),
                ("MAR's analyst issues a wanted-person alert", self.issue),
                ("TUN goes down; MAR issues two alerts and withdraws one", self.outage),
                ("TUN comes back and catches up", self.restart),
                ("BEL's officer inspects five travellers", self.inspections),
                ("BEL asks MAR for the record behind a hit", self.follow_up),
                ("Requests MAR's federation listener must refuse", self.refusals),
                ("MAR's booth sends a live fingerprint that BEL holds", self.fingerprint),
            ]
        )

    # -- 1 and 2: alerts spread ------------------------------------------------------------

    def _spread(self, issuer: str, alert_id: str, to: tuple[str, ...], want: HeldAlert) -> None:
        for state in to:

            def arrived(at: str = state) -> HeldAlert | None:
                held = steps.held_alert(self.nodes, at, issuer, alert_id)
                return held if held == want else None

            seen, took = steps.wait_for(arrived, seconds=self.patience)
            got = seen or steps.held_alert(self.nodes, state, issuer, alert_id)
            self.expect(got == want, f"{state} holds {issuer}'s {_held(got)} (after {took:.1f} s)")

    def queued(self) -> None:
        want = HeldAlert(cast.tun_alert()["id"], "active", 1)
        self._spread("TUN", want.alert_id, ("MAR", "BEL"), want)

    def issue(self) -> None:
        analyst = self.nodes.api("MAR", "analyst")
        alert = analyst.issue_alert(cast.mar_wanted_alert())
        self.say(
            f"  MAR  POST /api/v1/alerts: {alert['id']} {alert['category']}, {alert['status']}"
        )
        self._spread("MAR", alert["id"], ("BEL", "TUN"), HeldAlert(alert["id"], "active", 1))
        seen = steps.inspect(
            self.nodes.api("BEL", "officer"), cast.TRAVELLERS["wanted_by_name"], portrait=None
        )
        wanted = f"MAR:{alert['id']}"
        self.expect(
            seen.decision == "hit" and wanted in seen.alert_references,
            f"BEL's officer inspects {seen.traveller.caption}: {seen.decision.upper()}, "
            f"alert findings {', '.join(seen.alert_references) or 'none'}",
        )

    # -- 3 and 4: a node down, and back ----------------------------------------------------

    def outage(self) -> None:
        self.nodes.stop("TUN")
        tun = self.nodes.nodes["TUN"]
        self.expect(not tun.api.running and not tun.federation.running, "TUN's processes ended")
        analyst = self.nodes.api("MAR", "analyst")
        first, second = cast.mar_outage_alerts()
        for alert in (first, second):
            done = analyst.issue_alert(alert)
            self.say(
                f"  MAR  POST /api/v1/alerts: {done['id']} {done['category']}, {done['status']}"
            )
        gone = analyst.withdraw_alert(first["id"], "Ban lifted by the court.")
        self.say(f"  MAR  POST /api/v1/alerts/{gone['id']}/withdraw: {gone['status']}")
        tun_held = held_partner_alerts(self.nodes.database("TUN"), "MAR")
        self.expect(
            all(a.alert_id not in (first["id"], second["id"]) for a in tun_held),
            f"TUN (down) holds of MAR's: {_alerts(tun_held)}",
        )
        waiting = [  # alert messages (not the audit checkpoints a serving node also sends)
            e
            for e in outbox_entries(self.nodes.database("MAR"), "TUN")
            if not e.delivered and not e.idempotency_key.startswith("checkpoint:")
        ]
        last = next((e.last_error for e in waiting if e.last_error), None)
        self.expect(
            len(waiting) == 3,
            f"MAR's outbox keeps {len(waiting)} message(s) for TUN"
            + (f" (last error: {last[:70]})" if last else ""),
        )
        self._spread("MAR", first["id"], ("BEL",), HeldAlert(first["id"], "withdrawn", 2))
        self._spread("MAR", second["id"], ("BEL",), HeldAlert(second["id"], "active", 1))

    def restart(self) -> None:
        started = time.monotonic()
        self.nodes.start("TUN")

        def caught_up() -> steps.Convergence | None:
            now = steps.convergence(self.nodes, issuer="MAR", at="TUN")
            return now if now.converged else None

        done, _ = steps.wait_for(caught_up, seconds=self.patience)
        took = time.monotonic() - started
        seen = done or steps.convergence(self.nodes, issuer="MAR", at="TUN")
        self.expect(
            seen.held == seen.expected,
            f"TUN holds {_alerts(seen.held)}; MAR has {_alerts(seen.expected)} "
            f"({took:.1f} s after the restart began)",
        )
        self.expect(
            seen.undelivered == 0 and seen.applied_keys == seen.sent_keys,
            f"each of MAR's {len(seen.sent_keys)} messages to TUN delivered and applied once: "
            f"{', '.join(seen.applied_keys)}",
        )

    # -- 5: hit / no-hit -------------------------------------------------------------------

    def inspections(self) -> None:
        officer = self.nodes.api("BEL", "officer")
        expected = [
            ("mar_stolen", "MAR", "document"),
            ("watchlisted", "MAR", "person"),
            ("face", "MAR", "face"),
            ("tun_stolen", "TUN", "document"),
            ("clean", None, None),
        ]
        for key, holder, kind in expected:
            seen = steps.inspect(officer, cast.TRAVELLERS[key], portrait=self.portrait)
            if holder is None:
                held = (
                    seen.decision == "clear"
                    and not seen.partner_hits
                    and seen.federation_light == "green"
                )
            else:
                hit = seen.hit_by(holder, str(kind))
                held = seen.decision == "hit" and seen.partners_hit == {holder} and hit is not None
                if key == "mar_stolen" and hit is not None:
                    self.reference = hit.reference
            self.expect(held, f"{seen.traveller.caption}: {_verdict(seen)}")
            for note in seen.federation_notes:
                self.say(f"       note: {note}")

    # -- 6: follow-up ----------------------------------------------------------------------

    def follow_up(self) -> None:
        if self.reference is None:
            self.expect(False, "no reference from MAR's passport hit (step 5) to follow up")
            return
        asker, owner = self.nodes.api("BEL", "analyst"), self.nodes.api("MAR", "analyst")
        self.say(f"  BEL  POST /api/v1/federation/followups: {self.reference}")
        trace = steps.follow_up(
            asker, owner, self.reference, justification=JUSTIFICATION, seconds=self.patience
        )
        pending = trace.owner_pending
        self.expect(
            pending is not None and pending["status"] == "pending",
            f"MAR's analyst sees the request {pending['status'] if pending else 'nowhere'}, "
            f"due by {pending['deadline_at'][:16] if pending else '-'}",
        )
        before = trace.asker_before
        self.expect(
            before is not None and before["status"] == "pending" and before["released"] is None,
            "before approval BEL holds no data: "
            + (f"{before['status']}, released {before['released']}" if before else "no follow-up"),
        )
        approved = trace.approved["status"] if trace.approved else "no answer"
        self.say(
            f"  MAR  POST /api/v1/federation/followups/{trace.requested['id']}/approve: {approved}"
        )
        after = trace.asker_after
        record = {"record_type": "sltd", **cast.mar_sltd()[0]}
        self.expect(
            after is not None and after["status"] == "approved" and after["released"] == record,
            f"after {trace.seconds:.1f} s BEL holds: "
            + (f"{after['status']}, {after['released']}" if after else "no follow-up"),
        )

    # -- 7: refusals -----------------------------------------------------------------------

    def refusals(self) -> None:
        auditor = self.nodes.api("MAR", "auditor")
        since = steps.last_audit_seq(auditor)
        seen = steps.send_refusal_probes(self.nodes, target="MAR", sender="BEL")
        self.expect(
            seen.replay_first.code is None, f"BEL's signed query, first sent: {seen.replay_first}"
        )
        wanted = {
            "tampered": "bad_signature",
            "replayed": "replay",
            "unsigned": "unsigned",
            "unknown peer": "unknown_peer",
        }
        for name, answer in seen.refused().items():
            self.expect(
                answer.code == wanted[name], f"{name} request: {answer} ({answer.detail[:100]})"
            )
        audited = steps.refusals_audited(auditor, after=since)
        expected = [
            ("BEL", "bad_signature"),
            ("BEL", "replay"),
            ("BEL", "unsigned"),
            ("FRA", "unknown_peer"),
        ]
        self.expect(
            audited == expected,
            "MAR's audit trail (read by its auditor): "
            + ", ".join(f"exchange.refused {code} from {peer}" for peer, code in audited),
        )

    # -- 8: a fingerprint hit --------------------------------------------------------------

    def fingerprint(self) -> None:
        live = self.nodes.live_finger().read_bytes()
        seen = steps.inspect(
            self.nodes.api("MAR", "officer"),
            cast.TRAVELLERS[cast.TRAVELLER_WITH_FINGER],
            portrait=None,
            fingerprints=((2, live),),
            crossing_point="TNG-MED",
        )
        hit = seen.hit_by("BEL", "fingerprint")
        self.expect(
            seen.decision == "hit" and seen.partners_hit == {"BEL"} and hit is not None,
            f"MAR's officer inspects {seen.traveller.caption}: {_verdict(seen)}",
        )
        sent = steps.fingerprints_sent(self.nodes.api("MAR", "auditor"), seen.inspection_id)
        self.expect(
            bool(sent) and all(s.positions == (2,) and not s.template_sent for s in sent),
            "MAR's audit of what left: "
            + (
                "; ".join(
                    f"{s.peer}: finger {list(s.positions)}, template_sha256 {s.digest[:12]}..., "
                    f"answer {s.result}"
                    for s in sent
                )
                or "nothing"
            ),
        )
