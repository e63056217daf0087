"""The reasons officers give for a decision, per direction, with their labels by language.

The catalogue file's ``decision_reasons`` section (``records.catalogues``) takes
either one set of reasons for both directions (the three actions' groups)::

    "decision_reasons": {
      "admit":  {"label": "Admit", "reasons": [{"code": "cleared", "label": "Checks passed"}]},
      "refer":  {"label": "Refer", "reasons": [...]},
      "refuse": {"label": "Refuse", "reasons": [...]}
    }

or one set per direction, each in that same form::

    "decision_reasons": {
      "entry": {"admit": {...}, "refer": {...}, "refuse": {...}},
      "exit":  {"admit": {...}, "refer": {...}, "refuse": {...}}
    }

A group may give its heading by language too (``"labels": {"fr": "Admettre", "ar": ...}``).
A reason is ``{"code", "label", "labels", "legal_basis", "preselect"}``: the code
recorded (1 to 64 lower-case letters, digits and ``_ . : -``, unique in its
direction), the label the officer reads, ``labels`` by language for the booth's form
in the reader's language and the refusal notice (``{"fr": "...", "ar": "...", "en":
"..."}``, optional; :func:`label_for_reader` picks the words, falling back to the node's
translation of the default reasons' labels), the
legal basis printed on the notice (optional), and the verdicts it is offered
first for (``clear``, ``hit``, ``document``, ``face``, ``watchlist``, ``stay``,
``other``; each once in a direction).

>>> entry, exit_ = parse_decision_reasons({"entry": DEFAULT_JSON, "exit": DEFAULT_JSON}, "c.json")
>>> entry == exit_ == DEFAULT_REASONS
True
>>> try:
...     parse_decision_reasons({"entry": DEFAULT_JSON}, "c.json")
... except InvalidCatalogue as exc:
...     print(exc.field, "|", exc.reason)
decision_reasons.exit | is required (entry and exit each, or one set for both)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from passerelle.exc import shown_field_name
from passerelle.i18n import N_, gettext, use_language
from passerelle.records.catalogue_parsing import (
    InvalidCatalogue,
    json_list,
    json_object,
    json_text,
)

__all__ = [
    "ACTIONS",
    "DEFAULT_JSON",
    "DEFAULT_REASONS",
    "DIRECTIONS",
    "SITUATIONS",
    "Action",
    "DecisionReason",
    "DecisionReasons",
    "ReasonGroup",
    "Situation",
    "label_for_reader",
    "parse_decision_reasons",
    "reasons_json",
]

Action = Literal["admit", "refer", "refuse"]
ACTIONS: tuple[Action, ...] = get_args(Action)
Situation = Literal["clear", "hit", "document", "face", "watchlist", "stay", "other"]
SITUATIONS: tuple[Situation, ...] = get_args(Situation)
"""The verdicts a reason may be preselected for: clear, hit, or a referral's source."""
DIRECTIONS = ("entry", "exit")

_REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_MAX_LEGAL_BASIS = 300


@dataclass(frozen=True, slots=True)
class DecisionReason:
    """A reason an officer gives for a decision: the code recorded, the words shown.

    >>> reason = DecisionReason("x", "No visa", labels=(("fr", "Pas de visa"),))
    >>> reason.label_in("fr"), reason.label_in("ar")
    ('Pas de visa', 'No visa')
    """

    code: str
    label: str
    preselect: tuple[Situation, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    """The label by language (``("fr", "...")``), for the refusal notice."""
    legal_basis: str = ""
    """The law the reason stands on, printed on the refusal notice ('' when none is given)."""

    def label_in(self, language: str) -> str:
        """The label in ``language``, else :attr:`label`."""
        return dict(self.labels).get(language, self.label)


@dataclass(frozen=True, slots=True)
class ReasonGroup:
    """The reasons offered for one action, under a heading."""

    action: Action
    label: str
    reasons: tuple[DecisionReason, ...]
    labels: tuple[tuple[str, str], ...] = ()
    """The heading by language (``("fr", "...")``), when the catalogue gives it."""


def label_for_reader(item: DecisionReason | ReasonGroup, language: str) -> str:
    """A reason's label, or a group's heading, in the reader's ``language``: the catalogue's
    own words in that language when it gives them (``labels``), else the node's translation
    of the label (the default reasons' labels are translated), else the label as written.

    >>> label_for_reader(DEFAULT_REASONS.groups[0].reasons[0], "en")
    'Checks passed'
    >>> label_for_reader(DecisionReason("x", "No visa", labels=(("fr", "Pas de visa"),)), "fr")
    'Pas de visa'
    """
    own = dict(item.labels).get(language)
    if own:
        return own
    with use_language(language):
        return gettext(item.label)


@dataclass(frozen=True, slots=True)
class DecisionReasons:
    """The decision form's reasons: one group per action, admit, refer, refuse in order."""

    groups: tuple[ReasonGroup, ...]

    def group(self, action: str) -> ReasonGroup | None:
        """The group of ``action`` (None for an action that is not one)."""
        return next((g for g in self.groups if g.action == action), None)

    def reason(self, code: str) -> DecisionReason | None:
        """The reason of this code, whatever its action (None when not offered)."""
        return next((r for g in self.groups for r in g.reasons if r.code == code), None)

    def label_of(self, code: str) -> str:
        """The label of ``code``, or the code itself when these reasons lack it (a decision
        recorded before the catalogue changed).

        >>> DEFAULT_REASONS.label_of("false_document"), DEFAULT_REASONS.label_of("gone")
        ('False, counterfeit or forged document', 'gone')
        """
        reason = self.reason(code)
        return reason.label if reason is not None else code

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the reasons' labels are given in, sorted."""
        return tuple(sorted({lang for g in self.groups for r in g.reasons for lang, _ in r.labels}))

    def fits(self, action: str, code: str) -> bool:
        """Whether ``code`` is a reason the form offers for ``action``.

        >>> DEFAULT_REASONS.fits("refuse", "false_document")
        True
        >>> DEFAULT_REASONS.fits("admit", "false_document")
        False
        """
        group = self.group(action)
        return group is not None and any(r.code == code for r in group.reasons)

    def preselected(self, situation: Situation) -> str:
        """The reason offered first for a verdict in ``situation``: the one that lists it in
        ``preselect``, else the first admit reason (``clear``) or the first referral one.

        >>> DEFAULT_REASONS.preselected("face")
        'face_mismatch'
        """
        for group in self.groups:
            for reason in group.reasons:
                if situation in reason.preselect:
                    return reason.code
        fallback = self.group("admit" if situation == "clear" else "refer")
        return fallback.reasons[0].code if fallback is not None else ""


def _reason(code: str, label: str, *preselect: Situation) -> DecisionReason:
    return DecisionReason(code, label, preselect)


DEFAULT_REASONS = DecisionReasons(
    (
        ReasonGroup(
            "admit",
            N_("Admit"),
            (
                _reason("cleared", N_("Checks passed"), "clear"),
                _reason("cleared_after_second_line", N_("Cleared by second line")),
            ),
        ),
        ReasonGroup(
            "refer",
            N_("Refer to second line"),
            (
                _reason("document_doubt", N_("Doubt about the document"), "document"),
                _reason("identity_doubt", N_("Doubt about the holder's identity"), "other"),
                _reason("watchlist_candidate", N_("Possible watchlist match"), "watchlist"),
                _reason("face_mismatch", N_("Face does not match the document"), "face"),
                _reason("stay_question", N_("Stay rule to verify"), "stay"),
                _reason("hit_to_handle", N_("Hit to handle"), "hit"),
            ),
        ),
        ReasonGroup(
            "refuse",
            N_("Refuse entry or exit"),
            (
                _reason("no_valid_document", N_("No valid travel document")),
                _reason("false_document", N_("False, counterfeit or forged document")),
                _reason("no_valid_visa", N_("No valid visa or residence permit")),
                _reason("purpose_not_justified", N_("Purpose or conditions of stay not justified")),
                _reason("stay_exceeded", N_("Authorised length of stay already used")),
                _reason("insufficient_means", N_("Insufficient means of subsistence")),
                _reason("entry_ban", N_("Alert or ban refusing entry or exit")),
                _reason("threat", N_("Threat to public policy, security or health")),
            ),
        ),
    )
)
"""The reasons of a node without a catalogue: grounds most states share, no state's law cited."""


# -- the file's format ------------------------------------------------------------------------


def parse_decision_reasons(
    value: object, source: str
) -> tuple[DecisionReasons, DecisionReasons | None]:
    """The ``decision_reasons`` section: (the entry reasons, the exit reasons), the second
    ``None`` when one set serves both directions; :class:`InvalidCatalogue` naming the field."""
    field = "decision_reasons"
    if isinstance(value, dict) and value and set(value) <= set(DIRECTIONS):
        for direction in DIRECTIONS:
            if direction not in value:
                raise InvalidCatalogue(
                    source,
                    f"{field}.{direction}",
                    "is required (entry and exit each, or one set for both)",
                )
        return (
            _reasons(value["entry"], source, f"{field}.entry"),
            _reasons(value["exit"], source, f"{field}.exit"),
        )
    return _reasons(value, source, field), None


def _reasons(value: object, source: str, field: str) -> DecisionReasons:
    if isinstance(value, dict) and set(value) & set(DIRECTIONS):
        known = ", ".join(ACTIONS)
        raise InvalidCatalogue(
            source, field, f"give {known} (one set for both directions) or entry and exit"
        )
    root = json_object(value, source, field, set(ACTIONS))
    codes: set[str] = set()
    preselected: set[str] = set()
    groups: list[ReasonGroup] = []
    for action in ACTIONS:
        where_group = f"{field}.{action}"
        if action not in root:
            raise InvalidCatalogue(
                source, where_group, "is required (admit, refer and refuse each)"
            )
        group = json_object(root[action], source, where_group, {"label", "labels", "reasons"})
        label = json_text(group, "label", source, where_group, required=True)
        headings = _labels(group.get("labels", {}), source, f"{where_group}.labels")
        entries = json_list(group.get("reasons"), source, f"{where_group}.reasons")
        if not entries:
            raise InvalidCatalogue(
                source, f"{where_group}.reasons", "must list at least one reason"
            )
        reasons: list[DecisionReason] = []
        for number, entry in enumerate(entries):
            where = f"{where_group}.reasons[{number}]"
            reason = _reason_of(entry, source, where)
            if reason.code in codes:
                raise InvalidCatalogue(source, f"{where}.code", f"{reason.code} is listed twice")
            codes.add(reason.code)
            for situation in reason.preselect:
                if situation in preselected:
                    raise InvalidCatalogue(
                        source, f"{where}.preselect", f"{situation!r} is preselected twice"
                    )
                preselected.add(situation)
            reasons.append(reason)
        groups.append(ReasonGroup(action, label, tuple(reasons), headings))
    return DecisionReasons(tuple(groups))


def _reason_of(entry: object, source: str, where: str) -> DecisionReason:
    allowed = {"code", "label", "labels", "legal_basis", "preselect"}
    item = json_object(entry, source, where, allowed)
    code = json_text(item, "code", source, where, required=True)
    if not _REASON_CODE.fullmatch(code):
        raise InvalidCatalogue(
            source,
            f"{where}.code",
            f"{code!r} is not a reason code "
            "(1 to 64 lower-case letters, digits, '_', '.', ':' or '-')",
        )
    return DecisionReason(
        code,
        json_text(item, "label", source, where, required=True),
        _situations(item.get("preselect", []), source, f"{where}.preselect"),
        _labels(item.get("labels", {}), source, f"{where}.labels"),
        json_text(item, "legal_basis", source, where, required=False, longest=_MAX_LEGAL_BASIS),
    )


def _labels(value: object, source: str, field: str) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise InvalidCatalogue(source, field, "must be a JSON object of labels by language")
    labels: list[tuple[str, str]] = []
    for language in value:
        if not _LANGUAGE.fullmatch(str(language)):
            raise InvalidCatalogue(
                source,
                f"{field}.{shown_field_name(str(language))}",
                "is not a language code (2 or 3 lower-case letters)",
            )
        labels.append((language, json_text(value, language, source, field, required=True)))
    return tuple(labels)


def _situations(value: object, source: str, field: str) -> tuple[Situation, ...]:
    found: list[Situation] = []
    for entry in json_list(value, source, field):
        if entry not in SITUATIONS:
            raise InvalidCatalogue(
                source, field, f"{entry!r} is not one of {', '.join(SITUATIONS)}"
            )
        found.append(entry)
    return tuple(found)


def reasons_json(reasons: DecisionReasons) -> dict[str, Any]:
    """``reasons`` in the file's format (one set: what :func:`parse_decision_reasons` reads)."""
    return {
        group.action: {"label": group.label}
        | ({"labels": dict(group.labels)} if group.labels else {})
        | {"reasons": [_reason_json(r) for r in group.reasons]}
        for group in reasons.groups
    }


def _reason_json(reason: DecisionReason) -> Mapping[str, object]:
    out: dict[str, object] = {"code": reason.code, "label": reason.label}
    if reason.labels:
        out["labels"] = dict(reason.labels)
    if reason.legal_basis:
        out["legal_basis"] = reason.legal_basis
    if reason.preselect:
        out["preselect"] = list(reason.preselect)
    return out


DEFAULT_JSON = reasons_json(DEFAULT_REASONS)
"""The default reasons in the file's format."""
