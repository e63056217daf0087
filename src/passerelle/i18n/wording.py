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
match's reasons), written one after the other, ``; `` between them.

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

__all__ = ["Parameter", "Wording", "worded"]


@dataclass(frozen=True, slots=True)
class Wording:
    """A sentence as its English template (a catalogue's msgid) and the values put into it."""

    template: str
    parameters: tuple[tuple[str, Parameter], ...] = ()

    @property
    def english(self) -> str:
        """The sentence in English: the template filled in (nested wordings in English)."""
        return str(self.written(lambda template: template, str))

    def written(self, translate: Callable[[str], Any], value: Callable[[str | int], Any]) -> Any:
        """The sentence through ``translate`` (a template to the reader's language), each
        value through ``value`` (escaping, isolation), nested wordings written the same way."""
        values = {name: _written(given, translate, value) for name, given in self.parameters}
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


Parameter = str | int | Wording | tuple[Wording, ...]
"""A value put into a sentence: text or a number as it is, a wording translated in turn,
wordings one after the other (``; `` between them)."""


def _written(
    given: Parameter, translate: Callable[[str], Any], value: Callable[[str | int], Any]
) -> Any:
    if isinstance(given, Wording):
        return given.written(translate, value)
    if isinstance(given, tuple):
        parts = [one.written(translate, value) for one in given]
        return (parts[0][:0] + "; ").join(parts) if parts else value("")
    return value(given)


def _stored(given: Parameter) -> Any:
    if isinstance(given, Wording):
        return given.as_dict()
    if isinstance(given, tuple):
        return [one.as_dict() for one in given]
    return given


def _read(given: Any) -> Parameter:
    if isinstance(given, Mapping):
        return Wording.from_dict(given)
    if isinstance(given, list):
        return tuple(Wording.from_dict(one) for one in given)
    return str(given) if not isinstance(given, int) else given


def worded(template: str, /, **parameters: Parameter) -> Wording:
    """The wording of ``template`` (marked ``N_`` where it is written) with ``parameters``."""
    return Wording(template, tuple(parameters.items()))
