"""Who the node's short-stay rule binds: the ``stay_rule`` section of its catalogue file.

The stay rule (``passerelle.stay``: 90 days in any 180 unless the node sets
otherwise) is a rule for visitors. It never binds a state's own nationals, nor
foreigners who live there on a residence title, nor those the law or the border
practice takes out of it (diplomats, crew on duty...). Who is out of it differs by
state, so it is data, one optional section of the catalogue file::

    "stay_rule": {
      "exempt_nationalities": ["MAR"],
      "exempt_documents": ["PD", "PS"],
      "exemptions": [
        {"code": "residence_card", "label": "Holder of a Moroccan residence card",
         "basis": "Loi 02-03, art. 5 and 6"}
      ]
    }

* ``exempt_nationalities``: the nationalities (ICAO 9303 codes, as the MRZ gives
  them) the rule never binds. **Without the key, the node's own state**
  (``PASSERELLE_NODE``): a state's stay limit is never one on its own nationals.
  ``[]`` binds everyone.
* ``exempt_documents``: document codes (ICAO 9303, the first letters of the MRZ:
  ``PD``) whose holders the rule does not bind. The second letter of a passport's
  code is the issuing state's choice (Doc 9303 Part 4), so list the codes the
  node's partners use for diplomatic, service or official passports. Default none.
* ``exemptions``: the categories the officer may state at the booth, after seeing
  the card or document that proves it (``stay_exemption`` of a check): a ``code``
  (recorded), a ``label`` (shown), and optionally the ``basis`` (the legal text,
  shown with it). Default none.

A node without the section keeps the rule for everyone but its own nationals.
Bad values stop the node at start with ``InvalidCatalogue`` naming the field
(``stay_rule.exempt_nationalities[1]``).

>>> scope = parse_stay_rule({"exemptions": [{"code": "crew", "label": "Crew on duty"}]},
...                         source="c.json").for_node("MAR")
>>> scope.exemption(nationality="MAR", document_code="P", stated=None).reason
'national of Morocco (MAR)'
>>> scope.exemption(nationality="SEN", document_code="P", stated=None) is None
True
>>> scope.exemption(nationality="SEN", document_code="P", stated="crew").reference
'exemption:crew'
>>> scope.category("pilot")
Traceback (most recent call last):
...
passerelle.exc.InvalidInput: stay_exemption: 'pilot' is not one of this node's exemptions (crew)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal, cast

from passerelle.documents import is_known_state
from passerelle.documents.states import stated as stated_state
from passerelle.exc import InvalidInput
from passerelle.i18n import N_
from passerelle.i18n.wording import Wording, worded
from passerelle.records.catalogue_parsing import InvalidCatalogue

__all__ = [
    "DEFAULT_STAY_RULE",
    "StayExemption",
    "StayExemptionCategory",
    "StayRuleScope",
    "parse_stay_rule",
    "stay_rule_document",
]

_CODE = re.compile(r"[a-z0-9][a-z0-9_.:-]{0,63}")
_DOCUMENT_CODE = re.compile(r"[A-Z][A-Z<]?")
_MAX_TEXT = 200
_KEYS = {"exempt_nationalities", "exempt_documents", "exemptions"}

ExemptionKind = Literal["nationality", "document", "exemption"]


@dataclass(frozen=True, slots=True)
class StayExemptionCategory:
    """A category of traveller the rule does not bind, stated by the officer at the booth."""

    code: str
    label: str
    basis: str = ""
    """The legal text it rests on (shown to the officer and recorded)."""

    @property
    def shown(self) -> str:
        """``Crew member on duty (Annex 9)``: the label, with its basis when there is one."""
        return f"{self.label} ({self.basis})" if self.basis else self.label


@dataclass(frozen=True, slots=True)
class StayExemption:
    """Why the rule does not bind one traveller: by nationality, document or a stated category."""

    kind: ExemptionKind
    code: str
    reason: str
    """In an officer's words: ``national of Morocco (MAR)``."""
    wording: Wording | None = None
    """``reason`` as its sentence's template and values (``i18n.wording``), for a page to
    write in its reader's language."""

    @property
    def reference(self) -> str:
        """``nationality:MAR``, ``document:PD``, ``exemption:crew`` (kept with the finding)."""
        return f"{self.kind}:{self.code}"


@dataclass(frozen=True, slots=True)
class StayRuleScope:
    """Who the stay rule does not bind on this node (everyone else is bound)."""

    exempt_nationalities: tuple[str, ...] | None = None
    """None: the node's own state (:meth:`for_node` fills it in)."""
    exempt_documents: tuple[str, ...] = ()
    categories: tuple[StayExemptionCategory, ...] = ()

    def for_node(self, state: str) -> StayRuleScope:
        """This scope with the default nationality, the node's own ``state``, filled in."""
        if self.exempt_nationalities is not None:
            return self
        return replace(self, exempt_nationalities=(state.strip().upper(),))

    @property
    def codes(self) -> tuple[str, ...]:
        """The categories' codes, in the catalogue's order."""
        return tuple(category.code for category in self.categories)

    def category(self, code: str) -> StayExemptionCategory:
        """The category ``code`` names, or ``InvalidInput("stay_exemption", ...)``."""
        for category in self.categories:
            if category.code == code:
                return category
        known = ", ".join(self.codes) or "none on this node"
        raise InvalidInput(
            "stay_exemption",
            worded(
                N_("%(code)s is not one of this node's exemptions (%(known)s)"),
                code=repr(code),
                known=known,
            ),
        )

    def exemption(
        self, *, nationality: str | None, document_code: str | None, stated: str | None
    ) -> StayExemption | None:
        """Why the rule does not bind this traveller (None: it binds them). Nationality
        first, then the document, then the category the officer stated."""
        nation = (nationality or "").strip().upper()
        if nation and nation in (self.exempt_nationalities or ()):
            said = worded(N_("national of %(state)s"), state=stated_state(nation))
            return StayExemption("nationality", nation, said.english, said)
        code = (document_code or "").strip().upper().rstrip("<")
        if code and code in self.exempt_documents:
            said = worded(N_("document of type %(code)s, exempt on this node"), code=code)
            return StayExemption("document", code, said.english, said)
        if stated:
            category = self.category(stated)
            said = worded(N_("%(category)s, stated by the officer"), category=category.shown)
            return StayExemption("exemption", category.code, said.english, said)
        return None


DEFAULT_STAY_RULE = StayRuleScope()
"""The rule binds everyone but the node's own nationals; no category to state."""


# -- the catalogue file's section -----------------------------------------------------------


def _bad(source: str, field: str, reason: str) -> Exception:
    return InvalidCatalogue(source, field, reason)


def _list(value: object, source: str, field: str) -> list[object]:
    if not isinstance(value, list):
        raise _bad(source, field, "must be a JSON list")
    return value


def _text(item: Mapping[str, object], key: str, source: str, field: str, required: bool) -> str:
    value = item.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _bad(source, f"{field}.{key}", "is required (text)" if required else "must be text")
    if len(value.strip()) > _MAX_TEXT:
        raise _bad(source, f"{field}.{key}", f"is longer than {_MAX_TEXT} characters")
    return value.strip()


def _nationalities(value: object, source: str) -> tuple[str, ...]:
    found: list[str] = []
    for number, entry in enumerate(_list(value, source, "stay_rule.exempt_nationalities")):
        field = f"stay_rule.exempt_nationalities[{number}]"
        code = entry.strip().upper() if isinstance(entry, str) else ""
        if not code or not is_known_state(code):
            raise _bad(source, field, f"{entry!r} is not an ICAO 9303 state code (MAR, D, XXA...)")
        if code in found:
            raise _bad(source, field, f"{code} is listed twice")
        found.append(code)
    return tuple(found)


def _documents(value: object, source: str) -> tuple[str, ...]:
    found: list[str] = []
    for number, entry in enumerate(_list(value, source, "stay_rule.exempt_documents")):
        field = f"stay_rule.exempt_documents[{number}]"
        code = entry.strip().upper() if isinstance(entry, str) else ""
        if not _DOCUMENT_CODE.fullmatch(code):
            raise _bad(
                source, field, f"{entry!r} is not a document code (one or two letters: PD, PS)"
            )
        if code in found:
            raise _bad(source, field, f"{code} is listed twice")
        found.append(code)
    return tuple(found)


def _categories(value: object, source: str) -> tuple[StayExemptionCategory, ...]:
    found: list[StayExemptionCategory] = []
    for number, entry in enumerate(_list(value, source, "stay_rule.exemptions")):
        field = f"stay_rule.exemptions[{number}]"
        if not isinstance(entry, dict):
            raise _bad(source, field, "must be a JSON object")
        unknown = sorted(set(entry) - {"code", "label", "basis"})
        if unknown:
            raise _bad(source, field, f"unknown key {unknown[0]!r} (known: basis, code, label)")
        item = cast(Mapping[str, object], entry)
        code = _text(item, "code", source, field, True)
        if not _CODE.fullmatch(code):
            raise _bad(
                source,
                f"{field}.code",
                f"{code!r} is not a code (1 to 64 lower-case letters, digits, '_', '.', ':', '-')",
            )
        if code in (c.code for c in found):
            raise _bad(source, f"{field}.code", f"{code} is listed twice")
        label = _text(item, "label", source, field, True)
        found.append(StayExemptionCategory(code, label, _text(item, "basis", source, field, False)))
    return tuple(found)


def parse_stay_rule(value: object, *, source: str) -> StayRuleScope:
    """The ``stay_rule`` section (already read from JSON), or ``InvalidCatalogue`` naming
    ``source``, the field and the reason."""
    if not isinstance(value, dict):
        raise _bad(source, "stay_rule", "must be a JSON object")
    unknown = sorted(set(value) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        raise _bad(source, "stay_rule", f"unknown key {unknown[0]!r} (known: {known})")
    section = cast(Mapping[str, object], value)
    nationalities = (
        _nationalities(section["exempt_nationalities"], source)
        if "exempt_nationalities" in section
        else None
    )
    return StayRuleScope(
        nationalities,
        _documents(section.get("exempt_documents", []), source),
        _categories(section.get("exemptions", []), source),
    )


def stay_rule_document(scope: StayRuleScope) -> dict[str, object]:
    """``scope`` as the catalogue file writes it (what :func:`parse_stay_rule` reads back).

    >>> parse_stay_rule(stay_rule_document(DEFAULT_STAY_RULE), source="x") == DEFAULT_STAY_RULE
    True
    """
    document: dict[str, object] = {}
    if scope.exempt_nationalities is not None:
        document["exempt_nationalities"] = list(scope.exempt_nationalities)
    if scope.exempt_documents:
        document["exempt_documents"] = list(scope.exempt_documents)
    if scope.categories:
        document["exemptions"] = [
            {"code": c.code, "label": c.label} | ({"basis": c.basis} if c.basis else {})
            for c in scope.categories
        ]
    return document
