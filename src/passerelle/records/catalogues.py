"""The node's catalogues: its crossing points and the reasons officers give for a decision.

They differ by state (a Moroccan node's ports and land borders, a Schengen
state's refusal grounds of the Borders Code, Annex V), so they are data, not
code: one JSON file, by default ``HOME/config/catalogues.json``
(``PASSERELLE_CATALOGUES_FILE`` points elsewhere), read once when the node's
services are wired (``passerelle.wiring.load_catalogues``) and parsed here into
frozen values. Both sections are optional::

    {
      "crossing_points": [
        {"code": "TNG-MED", "name": "Tanger Med port"},
        {"code": "CMN-T1", "name": "Casablanca Mohammed V airport, terminal 1"}
      ],
      "decision_reasons": {
        "admit":  {"label": "Admit", "reasons": [
                    {"code": "cleared", "label": "Checks passed", "preselect": ["clear"]}]},
        "refer":  {"label": "Refer to second line", "reasons": [
                    {"code": "hit_to_handle", "label": "Hit to handle", "preselect": ["hit"]}]},
        "refuse": {"label": "Refuse", "reasons": [
                    {"code": "false_document", "label": "False or forged document"}]}
      }
    }

* ``crossing_points``: the points the booth offers (and the only ones it takes);
  without it, the officer types the point. A code is trimmed and upper-cased,
  1 to 64 letters, digits, blanks and ``. _ / -``, starting with a letter or digit.
* ``decision_reasons``: the three actions' groups, each with a ``label`` (the
  heading in the form) and at least one reason. A reason's ``code`` is what is
  recorded (1 to 64 lower-case letters, digits and ``_ . : -``, unique in the
  catalogue); its ``label`` is what the officer reads; ``preselect`` lists the
  verdicts for which the form offers it first (each at most once in the
  catalogue): ``clear``, ``hit``, and for a referral the source that asked for
  a second look, ``document``, ``face``, ``watchlist``, ``stay``, or ``other``.
  Without the section, :data:`DEFAULT_REASONS`, worded for no state in
  particular.
* ``stay_rule``: who the short-stay rule does not bind (the node's nationals,
  exempt document types, categories the officer states): :mod:`passerelle.records.stay_rule`.

A bad catalogue stops the node at start with :class:`InvalidCatalogue`, naming
the file, the field (``crossing_points[2].code``) and the reason.

>>> catalogues = parse_catalogues('{"crossing_points": [{"code": "tng-med"}]}', source="c.json")
>>> catalogues.point_codes, catalogues.reasons is DEFAULT_REASONS
(('TNG-MED',), True)
>>> parse_catalogues('{"crossing_points": [{"name": "Tanger"}]}', source="c.json")
Traceback (most recent call last):
...
passerelle.records.catalogues.InvalidCatalogue: c.json: crossing_points[0].code: is required
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, cast, get_args

from passerelle.exc import ConfigurationError, InvalidInput
from passerelle.records.stay_rule import (
    DEFAULT_STAY_RULE,
    StayRuleScope,
    parse_stay_rule,
    stay_rule_document,
)

__all__ = [
    "ACTIONS",
    "DEFAULT_CATALOGUES",
    "DEFAULT_REASONS",
    "SITUATIONS",
    "Action",
    "Catalogues",
    "CrossingPoint",
    "DecisionReason",
    "DecisionReasons",
    "InvalidCatalogue",
    "ReasonGroup",
    "Situation",
    "catalogues_json",
    "parse_catalogues",
]

Action = Literal["admit", "refer", "refuse"]
ACTIONS: tuple[Action, ...] = get_args(Action)
Situation = Literal["clear", "hit", "document", "face", "watchlist", "stay", "other"]
SITUATIONS: tuple[Situation, ...] = get_args(Situation)
"""The verdicts a reason may be preselected for: clear, hit, or a referral's source."""

# As analytics.crossing_point_code and screening.records check them (not imported: lower layer).
_POINT = re.compile(r"[^\W_][\w .\-/]{0,63}")
_REASON_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}")
_MAX_TEXT = 200


class InvalidCatalogue(ConfigurationError):
    """A catalogue file that cannot be used: ``source`` (the file), ``field``, ``reason``."""

    def __init__(self, source: str, field: str, reason: str) -> None:
        super().__init__(f"{source}: {field}: {reason}")
        self.source = source
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CrossingPoint:
    """A crossing point of the node: its code (as crossings record it) and its name."""

    code: str
    name: str = ""

    @property
    def shown(self) -> str:
        """``TNG-MED — Tanger Med port`` (the code alone without a name)."""
        return f"{self.code} — {self.name}" if self.name else self.code


@dataclass(frozen=True, slots=True)
class DecisionReason:
    """A reason an officer gives for a decision: the code recorded, the words shown."""

    code: str
    label: str
    preselect: tuple[Situation, ...] = ()


@dataclass(frozen=True, slots=True)
class ReasonGroup:
    """The reasons offered for one action, under a heading."""

    action: Action
    label: str
    reasons: tuple[DecisionReason, ...]


@dataclass(frozen=True, slots=True)
class DecisionReasons:
    """The decision form's reasons: one group per action, admit, refer, refuse in order."""

    groups: tuple[ReasonGroup, ...]

    def group(self, action: str) -> ReasonGroup | None:
        """The group of ``action`` (None for an action that is not one)."""
        return next((g for g in self.groups if g.action == action), None)

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
            "Admit",
            (
                _reason("cleared", "Checks passed", "clear"),
                _reason("cleared_after_second_line", "Cleared by second line"),
            ),
        ),
        ReasonGroup(
            "refer",
            "Refer to second line",
            (
                _reason("document_doubt", "Doubt about the document", "document"),
                _reason("identity_doubt", "Doubt about the holder's identity", "other"),
                _reason("watchlist_candidate", "Possible watchlist match", "watchlist"),
                _reason("face_mismatch", "Face does not match the document", "face"),
                _reason("stay_question", "Stay rule to verify", "stay"),
                _reason("hit_to_handle", "Hit to handle", "hit"),
            ),
        ),
        ReasonGroup(
            "refuse",
            "Refuse entry or exit",
            (
                _reason("no_valid_document", "No valid travel document"),
                _reason("false_document", "False, counterfeit or forged document"),
                _reason("no_valid_visa", "No valid visa or residence permit"),
                _reason("purpose_not_justified", "Purpose or conditions of stay not justified"),
                _reason("stay_exceeded", "Authorised length of stay already used"),
                _reason("insufficient_means", "Insufficient means of subsistence"),
                _reason("entry_ban", "Alert or ban refusing entry or exit"),
                _reason("threat", "Threat to public policy, security or health"),
            ),
        ),
    )
)
"""The reasons of a node without a catalogue: grounds most states share, no state's law cited."""


@dataclass(frozen=True, slots=True)
class Catalogues:
    """The node's crossing points (none: typed by the officer) and decision reasons."""

    crossing_points: tuple[CrossingPoint, ...] = ()
    reasons: DecisionReasons = DEFAULT_REASONS
    source: str = "built-in defaults"
    """Where they were read from (a file, or the built-in defaults)."""
    stay_rule: StayRuleScope = DEFAULT_STAY_RULE
    """Who the stay rule does not bind (``records.stay_rule``, the ``stay_rule`` section)."""

    @property
    def point_codes(self) -> tuple[str, ...]:
        """The crossing points' codes, in the catalogue's order."""
        return tuple(point.code for point in self.crossing_points)

    def crossing_point(self, given: str) -> str:
        """The crossing point as recorded (upper case); one of the catalogue's when it lists
        any, whichever face it came through.

        >>> Catalogues((CrossingPoint("TNG-MED", "Tanger Med"),)).crossing_point(" tng-med ")
        'TNG-MED'
        >>> DEFAULT_CATALOGUES.crossing_point("anywhere")
        'ANYWHERE'
        """
        point = given.strip().upper()
        if self.crossing_points and point not in self.point_codes:
            raise InvalidInput("crossing_point", "choose one of this node's crossing points")
        return point

    def check_decision(self, action: str, reason_code: str) -> None:
        """Refuse a decision whose reason the catalogue does not offer for its action.

        >>> DEFAULT_CATALOGUES.check_decision("admit", "false_document")
        Traceback (most recent call last):
        ...
        passerelle.exc.InvalidInput: reason_code: choose a reason under "admit" for this decision
        """
        if not self.reasons.fits(action, reason_code):
            raise InvalidInput(
                "reason_code", f'choose a reason under "{action}" for this decision'
            )


DEFAULT_CATALOGUES = Catalogues()
"""No crossing points (the officer types one) and :data:`DEFAULT_REASONS`."""


# -- parsing ---------------------------------------------------------------------------------


def parse_catalogues(text: str, *, source: str) -> Catalogues:
    """The catalogues in ``text`` (a JSON object, the format above), or :class:`InvalidCatalogue`
    naming ``source`` (the file), the field and the reason."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidCatalogue(
            source, "(file)", f"is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from exc
    root = _object(data, source, "(file)", {"crossing_points", "decision_reasons", "stay_rule"})
    points: tuple[CrossingPoint, ...] = ()
    if "crossing_points" in root:
        points = _points(root["crossing_points"], source)
    reasons = DEFAULT_REASONS
    if "decision_reasons" in root:
        reasons = _reasons(root["decision_reasons"], source)
    stay_rule = parse_stay_rule(root.get("stay_rule", {}), source=source)
    return Catalogues(points, reasons, source, stay_rule)


def _object(value: object, source: str, field: str, allowed: set[str]) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise InvalidCatalogue(source, field, f"must be a JSON object, not {_kind(value)}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise InvalidCatalogue(source, field, f"unknown key {unknown[0]!r} (known: {known})")
    return cast(Mapping[str, object], value)


def _list(value: object, source: str, field: str) -> list[object]:
    if not isinstance(value, list):
        raise InvalidCatalogue(source, field, f"must be a JSON list, not {_kind(value)}")
    return value


def _text(item: Mapping[str, object], key: str, source: str, field: str, *, required: bool) -> str:
    value = item.get(key)
    if value is None:
        if required:
            raise InvalidCatalogue(source, f"{field}.{key}", "is required")
        return ""
    if not isinstance(value, str):
        raise InvalidCatalogue(source, f"{field}.{key}", f"must be text, not {_kind(value)}")
    value = value.strip()
    if required and not value:
        raise InvalidCatalogue(source, f"{field}.{key}", "must not be empty")
    if len(value) > _MAX_TEXT:
        raise InvalidCatalogue(source, f"{field}.{key}", f"is longer than {_MAX_TEXT} characters")
    return value


def _points(value: object, source: str) -> tuple[CrossingPoint, ...]:
    points: list[CrossingPoint] = []
    seen: set[str] = set()
    for number, entry in enumerate(_list(value, source, "crossing_points")):
        field = f"crossing_points[{number}]"
        item = _object(entry, source, field, {"code", "name"})
        code = _text(item, "code", source, field, required=True).upper()
        if not _POINT.fullmatch(code):
            raise InvalidCatalogue(
                source,
                f"{field}.code",
                f"{code!r} is not a crossing point code "
                "(1 to 64 letters, digits, blanks and . _ / -, a letter or digit first)",
            )
        if code in seen:
            raise InvalidCatalogue(source, f"{field}.code", f"{code} is listed twice")
        seen.add(code)
        points.append(CrossingPoint(code, _text(item, "name", source, field, required=False)))
    return tuple(points)


def _reasons(value: object, source: str) -> DecisionReasons:
    root = _object(value, source, "decision_reasons", set(ACTIONS))
    codes: set[str] = set()
    preselected: set[str] = set()
    groups: list[ReasonGroup] = []
    for action in ACTIONS:
        field = f"decision_reasons.{action}"
        if action not in root:
            raise InvalidCatalogue(source, field, "is required (admit, refer and refuse each)")
        group = _object(root[action], source, field, {"label", "reasons"})
        label = _text(group, "label", source, field, required=True)
        entries = _list(group.get("reasons"), source, f"{field}.reasons")
        if not entries:
            raise InvalidCatalogue(source, f"{field}.reasons", "must list at least one reason")
        reasons: list[DecisionReason] = []
        for number, entry in enumerate(entries):
            where = f"{field}.reasons[{number}]"
            item = _object(entry, source, where, {"code", "label", "preselect"})
            code = _text(item, "code", source, where, required=True)
            if not _REASON_CODE.fullmatch(code):
                raise InvalidCatalogue(
                    source,
                    f"{where}.code",
                    f"{code!r} is not a reason code "
                    "(1 to 64 lower-case letters, digits, '_', '.', ':' or '-')",
                )
            if code in codes:
                raise InvalidCatalogue(source, f"{where}.code", f"{code} is listed twice")
            codes.add(code)
            situations = _situations(item.get("preselect", []), source, f"{where}.preselect")
            for situation in situations:
                if situation in preselected:
                    raise InvalidCatalogue(
                        source, f"{where}.preselect", f"{situation!r} is preselected twice"
                    )
                preselected.add(situation)
            label_ = _text(item, "label", source, where, required=True)
            reasons.append(DecisionReason(code, label_, situations))
        groups.append(ReasonGroup(action, label, tuple(reasons)))
    return DecisionReasons(tuple(groups))


def _situations(value: object, source: str, field: str) -> tuple[Situation, ...]:
    found: list[Situation] = []
    for entry in _list(value, source, field):
        if entry not in SITUATIONS:
            raise InvalidCatalogue(
                source, field, f"{entry!r} is not one of {', '.join(SITUATIONS)}"
            )
        found.append(entry)
    return tuple(found)


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def catalogues_json(catalogues: Catalogues) -> str:
    """``catalogues`` in the file's format (what :func:`parse_catalogues` reads back).

    >>> parse_catalogues(catalogues_json(DEFAULT_CATALOGUES), source="x") == Catalogues(
    ...     source="x")
    True
    """
    document: dict[str, object] = {
        "crossing_points": [
            {"code": p.code, "name": p.name} if p.name else {"code": p.code}
            for p in catalogues.crossing_points
        ],
        "decision_reasons": {
            group.action: {
                "label": group.label,
                "reasons": [
                    {"code": r.code, "label": r.label}
                    | ({"preselect": list(r.preselect)} if r.preselect else {})
                    for r in group.reasons
                ],
            }
            for group in catalogues.reasons.groups
        },
    }
    if catalogues.stay_rule != DEFAULT_STAY_RULE:
        document["stay_rule"] = stay_rule_document(catalogues.stay_rule)
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
