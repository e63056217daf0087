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
  heading in the form) and at least one reason, for both directions, or one such
  set under ``entry`` and one under ``exit`` (the format, reasons' ``labels`` by
  language and ``legal_basis``: :mod:`passerelle.records.decision_reasons`).
  Without the section, :data:`DEFAULT_REASONS`, worded for no state in
  particular (their labels translated: :func:`label_for_reader` gives a reason's label or
  a group's heading in the reader's language).
* ``stay_rule``: who the short-stay rule does not bind (the node's nationals,
  exempt document types, categories the officer states): :mod:`passerelle.records.stay_rule`.
* ``language``: the officer's language on printed notices (``fr``; default ``en``).

A bad catalogue stops the node at start with :class:`InvalidCatalogue`, naming
the file, the field (``crossing_points[2].code``) and the reason.

>>> catalogues = parse_catalogues('{"crossing_points": [{"code": "tng-med"}]}', source="c.json")
>>> catalogues.point_codes, catalogues.reasons is DEFAULT_REASONS
(('TNG-MED',), True)
>>> parse_catalogues('{"crossing_points": [{"name": "Tanger"}]}', source="c.json")
Traceback (most recent call last):
...
passerelle.records.catalogue_parsing.InvalidCatalogue: c.json: crossing_points[0].code: is required
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import worded
from passerelle.records.catalogue_parsing import (
    InvalidCatalogue,
    json_list,
    json_object,
    json_text,
)
from passerelle.records.decision_reasons import (
    ACTIONS,
    DEFAULT_REASONS,
    SITUATIONS,
    Action,
    DecisionReason,
    DecisionReasons,
    ReasonGroup,
    Situation,
    label_for_reader,
    parse_decision_reasons,
    reasons_json,
)
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
    "label_for_reader",
    "parse_catalogues",
]

# As analytics.crossing_point_code and screening.records check them (not imported: lower layer).
_POINT = re.compile(r"[^\W_][\w .\-/]{0,63}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")


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
class Catalogues:
    """The node's crossing points (none: typed by the officer) and decision reasons."""

    crossing_points: tuple[CrossingPoint, ...] = ()
    reasons: DecisionReasons = DEFAULT_REASONS
    """The entry reasons, and the exit ones too when :attr:`exit_reasons` is None."""
    source: str = "built-in defaults"
    """Where they were read from (a file, or the built-in defaults)."""
    exit_reasons: DecisionReasons | None = None
    """The exit reasons, when the catalogue gives them apart."""
    language: str = "en"
    """The officer's language on printed notices."""
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
            raise InvalidInput(
                "crossing_point", worded(N_("choose one of this node's crossing points"))
            )
        return point

    def crossing_point_name(self, code: str) -> str:
        """``TNG-MED — Tanger Med port`` for a listed point, else the code."""
        point = next((p for p in self.crossing_points if p.code == code), None)
        return point.shown if point is not None else code

    def reasons_for(self, direction: str) -> DecisionReasons:
        """The reasons offered on ``direction`` (``entry`` or ``exit``)."""
        if direction == "exit" and self.exit_reasons is not None:
            return self.exit_reasons
        return self.reasons

    def reason_label(self, code: str) -> str:
        """The label of ``code`` on entry, else on exit, else the code (for a record that does
        not say its direction, as an audit record's purpose).

        >>> DEFAULT_CATALOGUES.reason_label("cleared"), DEFAULT_CATALOGUES.reason_label("x")
        ('Checks passed', 'x')
        """
        for reasons in (self.reasons, self.exit_reasons):
            reason = reasons.reason(code) if reasons is not None else None
            if reason is not None:
                return reason.label
        return code

    @property
    def languages(self) -> tuple[str, ...]:
        """The officer's language and those the reasons' labels are given in."""
        found = set(self.reasons.languages) | {self.language}
        if self.exit_reasons is not None:
            found |= set(self.exit_reasons.languages)
        return tuple(sorted(found))

    def check_decision(self, action: str, reason_code: str, direction: str = "entry") -> None:
        """Refuse a decision whose reason the catalogue does not offer for its action in
        ``direction``.

        >>> try:
        ...     DEFAULT_CATALOGUES.check_decision("admit", "false_document", "exit")
        ... except InvalidInput as exc:
        ...     print(exc.field, "|", exc.reason)
        reason_code | choose a reason under "admit" for this decision on exit
        """
        if not self.reasons_for(direction).fits(action, reason_code):
            raise InvalidInput(
                "reason_code",
                worded(
                    N_('choose a reason under "%(action)s" for this decision on %(direction)s'),
                    action=action,
                    direction=direction,
                ),
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
    root = json_object(
        data, source, "(file)", {"crossing_points", "decision_reasons", "language", "stay_rule"}
    )
    points: tuple[CrossingPoint, ...] = ()
    if "crossing_points" in root:
        points = _points(root["crossing_points"], source)
    reasons, exit_reasons = DEFAULT_REASONS, None
    if "decision_reasons" in root:
        reasons, exit_reasons = parse_decision_reasons(root["decision_reasons"], source)
    language = json_text(root, "language", source, "(file)", required=False) or "en"
    if not _LANGUAGE.fullmatch(language):
        raise InvalidCatalogue(
            source, "language", "is not a language code (2 or 3 lower-case letters)"
        )
    stay_rule = parse_stay_rule(root.get("stay_rule", {}), source=source)
    return Catalogues(points, reasons, source, exit_reasons, language, stay_rule)


def _points(value: object, source: str) -> tuple[CrossingPoint, ...]:
    points: list[CrossingPoint] = []
    seen: set[str] = set()
    for number, entry in enumerate(json_list(value, source, "crossing_points")):
        field = f"crossing_points[{number}]"
        item = json_object(entry, source, field, {"code", "name"})
        code = json_text(item, "code", source, field, required=True).upper()
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
        points.append(CrossingPoint(code, json_text(item, "name", source, field, required=False)))
    return tuple(points)


def catalogues_json(catalogues: Catalogues) -> str:
    """``catalogues`` in the file's format (what :func:`parse_catalogues` reads back).

    >>> parse_catalogues(catalogues_json(DEFAULT_CATALOGUES), source="x") == Catalogues(
    ...     source="x")
    True
    """
    reasons: dict[str, Any] = reasons_json(catalogues.reasons)
    if catalogues.exit_reasons is not None:
        reasons = {"entry": reasons, "exit": reasons_json(catalogues.exit_reasons)}
    document: dict[str, Any] = {
        "crossing_points": [
            {"code": p.code, "name": p.name} if p.name else {"code": p.code}
            for p in catalogues.crossing_points
        ],
        "decision_reasons": reasons,
    }
    if catalogues.stay_rule != DEFAULT_STAY_RULE:
        document["stay_rule"] = stay_rule_document(catalogues.stay_rule)
    if catalogues.language != "en":
        document["language"] = catalogues.language
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
