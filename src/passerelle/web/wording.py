"""What the engines found, written in the page reader's language from codes and parameters.

The engines keep each sentence they write as a :class:`~passerelle.i18n.wording.Wording`:
its English template (a catalogue's msgid) and the values put into it. A page writes the
template's translation and the same values, each value escaped and isolated (``<bdi>``,
:func:`~passerelle.web.isolation.isolated_parameter`) so that a document number or a date
keeps its order inside an Arabic sentence; a value that is itself a wording (a field's
name, a document finding quoted by the border check) is translated in turn, and a state
is named in the reader's language (``web.wording_states``). A finding
stored before the wordings has none: its English message is shown as it was.

The alert actions (``records.alert_actions``) are written from their code: their label and
the officer's instruction. The actions the node itself writes on a finding (``refer to
second line``...) are its own marked sentences; an issuer's instruction is the issuer's
words and is shown as written.

>>> from passerelle.i18n import N_
>>> from passerelle.i18n.wording import worded
>>> written(worded(N_("line %(line)s has %(count)s characters"), line=2, count="<43>"))
Markup('line 2 has &lt;43&gt; characters')
"""

from __future__ import annotations

from typing import Protocol

from markupsafe import Markup

from passerelle.i18n import gettext
from passerelle.i18n.wording import Wording
from passerelle.records.alert_actions import ACTIONS
from passerelle.records.second_line import QueueEntry
from passerelle.screening import Finding
from passerelle.screening.words import ENGINE_ACTIONS
from passerelle.web.isolation import isolated, isolated_parameter
from passerelle.web.wording_states import state_named

__all__ = [
    "action_instruction",
    "action_label",
    "candidate_reasons",
    "chip_reason",
    "finding_action",
    "finding_contact",
    "finding_text",
    "found_lines",
    "written",
    "written_text",
]

_FIRST_STRONG_ISOLATE, _POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


class _Reasoned(Protocol):
    @property
    def reasons(self) -> tuple[str, ...]: ...

    @property
    def wordings(self) -> tuple[Wording, ...]: ...


class _Said(Protocol):
    @property
    def message(self) -> str: ...

    @property
    def wording(self) -> Wording | None: ...


def _template(text: str) -> Markup:
    return Markup.escape(gettext(text))


def written(wording: Wording) -> Markup:
    """``wording`` in the reader's language as page HTML, each value escaped and isolated."""
    return Markup(wording.written(_template, isolated_parameter, state_named))


def _isolated_text(value: str | int) -> str:
    text = str(value)
    if isinstance(isolated(text), Markup):  # a page would put it in a <bdi>
        return f"{_FIRST_STRONG_ISOLATE}{text}{_POP_DIRECTIONAL_ISOLATE}"
    return text


def written_text(wording: Wording) -> str:
    """``wording`` in the reader's language as plain text (for a line a view joins with
    other text), each value a page would isolate between Unicode isolates (FSI ... PDI): the
    plain text's ``<bdi>``."""
    return str(wording.written(gettext, _isolated_text, state_named))


def finding_text(finding: _Said) -> Markup | str:
    """A finding's sentence in the reader's language (its English message when it was stored
    without its wording)."""
    return written(finding.wording) if finding.wording is not None else finding.message


def chip_reason(finding: Finding) -> str:
    """Why a chip finding leaves the chip untrusted, for the verdict's chip line: the chip's
    own finding and the part it concerns (``dg2: ...``), in the reader's language."""
    said = finding.wording
    if said is None:
        return finding.message.removeprefix("Chip: ")
    inner = dict(said.parameters)
    quoted, part = inner.get("finding"), inner.get("part", "")
    if isinstance(quoted, Wording):
        return f"{written_text(quoted)} ({_isolated_text(str(part))})."
    return written_text(said)


def candidate_reasons(candidate: _Reasoned) -> list[Markup] | tuple[str, ...]:
    """Why a watchlist person may be the traveller (a verdict's candidate, a search's match),
    one sentence each, in the reader's language (the English reasons when stored without
    their wordings)."""
    if not candidate.wordings:
        return candidate.reasons
    return [written(reason) for reason in candidate.wordings]


def found_lines(entry: QueueEntry) -> list[Markup | str]:
    """What referred or hit a second-line entry, each in the reader's language (the stored
    English when the inspection was stored without its findings' wordings)."""
    wordings = entry.found_wordings or (None,) * len(entry.found)
    return [
        written(wording) if wording is not None else message
        for message, wording in zip(entry.found, wordings, strict=False)
    ]


class _Acted(Protocol):
    @property
    def action(self) -> str | None: ...

    @property
    def action_wording(self) -> Wording | None: ...

    @property
    def contact(self) -> str | None: ...

    @property
    def contact_wording(self) -> Wording | None: ...


def finding_action(finding: _Acted) -> Markup | str | None:
    """What to do on a finding: the node's own instruction in the reader's language, an
    issuer's instruction as the issuer wrote it."""
    action = finding.action
    if finding.action_wording is not None:
        return written(finding.action_wording)
    if action is not None and action in ENGINE_ACTIONS:
        return gettext(action)
    return action


def finding_contact(finding: _Acted) -> Markup | str | None:
    """Whom to call on a finding: a contact the node words itself (the issuing authority in
    a state...) in the reader's language, an issuer's own words as written."""
    if finding.contact_wording is not None:
        return written(finding.contact_wording)
    return finding.contact


def action_label(code: str | None) -> str | None:
    """The officer's words for an alert action code (``arrest``...), in the reader's
    language; None for no known code."""
    action = ACTIONS.get(code or "")
    return gettext(action.label) if action is not None else None


def action_instruction(code: str | None) -> str | None:
    """What the officer does for an alert action code, in the reader's language."""
    action = ACTIONS.get(code or "")
    return gettext(action.instruction) if action is not None else None
