"""What an engine says, kept as its sentence's code and parameters, to be written in any language.

A document check, a name match or a border check explains itself in a sentence
("the birth date check digit reads '3' but the data gives 4"). The engines keep
that sentence as a :class:`Wording`: the English template, marked ``N_`` so the
catalogues hold it (``%(name)s`` placeholders), and the values put into it. The
English text the API, the CLI and the stored inspections carry is the template
filled in (:meth:`Wording.english`); a page writes the same sentence in its
reader's language from the template's translation and the same values
(``web.wording``). A value may itself be a wording (a field's name, a whole
finding quoted in another), translated in turn, or a tuple of wordings (a name
match's reasons), written one after the other, ``; `` between them, or a
:class:`State` (an issuing state, a nationality: its code and English name), which a
page writes as the state's name in its reader's language.

>>> said = worded(N_("the %(field)s check digit reads %(read)s"),
...               field=worded(N_("birth date")), read="'3'")
>>> said.english
"the birth date check digit reads '3'"
>>> Wording.from_dict(said.as_dict()) == said
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from passerelle.i18n.catalogues import N_  # noqa: F401 - for the doctest

__all__ = ["Parameter", "State", "Wording", "worded"]


@dataclass(frozen=True, slots=True)
class State:
    """A state or organisation put into a sentence: its ICAO code and its English name.

    The English sentence says ``Morocco (MAR)`` (``with_code``) or ``Morocco``; a page
    writes the name in its reader's language (``Maroc (MAR)``, ``web.wording_states``).

    >>> worded(N_("reported by %(state)s"), state=State("MAR", "Morocco")).english
    'reported by Morocco (MAR)'
    """

    code: str
    name: str
    with_code: bool = True

    @property
    def english(self) -> str:
        return self.written(self.name)

    def written(self, name: str) -> str:
        """The state as a sentence puts it, with its name in some language."""
        return f"{name} ({self.code})" if self.with_code else name

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.code, "name": self.name, "with_code": self.with_code}

    def __str__(self) -> str:
        return self.english


def _in_english(state: State) -> str:
    return state.english


@dataclass(frozen=True, slots=True)
class Wording:
    """A sentence as its English template (a catalogue's msgid) and the values put into it."""

    template: str
    parameters: tuple[tuple[str, Parameter], ...] = ()

    @property
    def english(self) -> str:
        """The sentence in English: the template filled in (nested wordings in English)."""
        return str(self.written(lambda template: template, str))

    def written(
        self,
        translate: Callable[[str], Any],
        value: Callable[[str | int], Any],
        state: Callable[[State], str] = _in_english,
    ) -> Any:
        """The sentence through ``translate`` (a template to the reader's language), each
        value through ``value`` (escaping, isolation), a state through ``state`` (its name in
        the reader's language) then ``value``, nested wordings written the same way."""
        values = {name: _written(given, translate, value, state) for name, given in self.parameters}
        return translate(self.template) % values

    def as_dict(self) -> dict[str, Any]:
        """The wording as JSON values (stored with an inspection; read by :meth:`from_dict`)."""
        return {
            "template": self.template,
            "parameters": {name: _stored(given) for name, given in self.parameters},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Wording:
        parameters = dict(data.get("parameters") or {})
        return cls(str(data["template"]), tuple((k, _read(v)) for k, v in parameters.items()))

    def __str__(self) -> str:
        return self.english


Parameter = str | int | Wording | State | tuple[Wording, ...]
"""A value put into a sentence: text or a number as it is, a wording translated in turn,
a state named in the reader's language, wordings one after the other (``; `` between them)."""


def _written(
    given: Parameter,
    translate: Callable[[str], Any],
    value: Callable[[str | int], Any],
    state: Callable[[State], str],
) -> Any:
    if isinstance(given, Wording):
        return given.written(translate, value, state)
    if isinstance(given, State):
        return value(state(given))
    if isinstance(given, tuple):
        parts = [one.written(translate, value, state) for one in given]
        return (parts[0][:0] + "; ").join(parts) if parts else value("")
    return value(given)


def _stored(given: Parameter) -> Any:
    if isinstance(given, Wording | State):
        return given.as_dict()
    if isinstance(given, tuple):
        return [one.as_dict() for one in given]
    return given


def _read(given: Any) -> Parameter:
    if isinstance(given, Mapping) and "state" in given:
        return State(str(given["state"]), str(given["name"]), bool(given.get("with_code", True)))
    if isinstance(given, Mapping):
        return Wording.from_dict(given)
    if isinstance(given, list):
        return tuple(Wording.from_dict(one) for one in given)
    return str(given) if not isinstance(given, int) else given


def worded(template: str, /, **parameters: Parameter) -> Wording:
    """The wording of ``template`` (marked ``N_`` where it is written) with ``parameters``."""
    return Wording(template, tuple(parameters.items()))
