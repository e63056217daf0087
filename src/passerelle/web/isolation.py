"""Every value a page prints as text sits in its own ``<bdi>``: bidirectional isolation.

A name in Arabic followed by a date (``يوسف العمراني · 1980-02-03``) is one run of
right-to-left text to the Unicode bidirectional algorithm: the date's parts come out
reversed (``03-02-1980``), and a direction override stored in a remark (U+202E)
turns the rest of its line backwards. ``<bdi>`` isolates each value: it takes its own
direction from its own first letter, and nothing in it reaches the text around it.

The pages' templates are not edited by hand for this: :class:`IsolatedValues` rewrites
each template as Jinja loads it, passing every ``{{ ... }}`` that prints element text
through the :func:`isolated` filter, so a template written later is isolated without
anyone thinking of it. The filter wraps a value in ``<bdi>`` when it holds a
right-to-left letter, an Arabic-Indic digit or a direction control: text without any of
these (Latin names, dates, codes, accents and dashes) reads the same either way in the
pages' left-to-right paragraphs, and its HTML stays as it was. Values printed inside
a tag (attributes), in elements that hold only text (``title``, ``textarea``,
``option``, ``script``, ``style``), and values the template already writes
``<bdi>{{ ... }}</bdi>`` are left as they are; HTML a view builds (``Markup``) is never
wrapped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension
from markupsafe import Markup

from passerelle.i18n import current_language, language

__all__ = ["IsolatedValues", "isolate_values", "isolated", "isolated_parameter"]

_TOKEN = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*|[>\"']", re.S
)
_TEXT_ONLY = frozenset({"title", "textarea", "option", "script", "style"})
"""Elements whose content is text only: a ``<bdi>`` there would print as it is, or vanish."""
_OPEN, _CLOSE = "<bdi>", "</bdi>"
_EXPRESSION = re.compile(r"\{\{([-+]?)(.*?)([-+]?)\}\}", re.S)
_OPENED = re.compile(r"<bdi\b[^<>]*>\Z")
"""A ``<bdi>`` (with or without attributes) just before a value."""


def _through_isolated(expression: re.Match[str]) -> str:
    before, inner, after = expression.groups()
    return f"{{{{{before} ({inner.strip()})|isolated {after}}}}}"


def isolate_values(source: str) -> str:
    """``source`` with each ``{{ ... }}`` in element text passed through ``|isolated``.

    >>> isolate_values('<td title="{{ t }}">{{ name }} · {{- born or "?" }}</td>')
    '<td title="{{ t }}">{{ (name)|isolated }} · {{- (born or "?")|isolated }}</td>'
    >>> isolate_values('<title>{{ a }}</title><bdi class="n">{{ b }}</bdi><option>{{ c }}</option>')
    '<title>{{ a }}</title><bdi class="n">{{ b }}</bdi><option>{{ c }}</option>'
    """
    out: list[str] = []
    done = 0
    in_tag = False
    quote = ""
    opening = ""  # the tag being read, when it opens a text-only element
    text_only = ""  # the text-only element we are inside, until its closing tag
    for match in _TOKEN.finditer(source):
        token = match.group()
        if token.startswith("{{"):
            if (
                not in_tag
                and not text_only
                and not _OPENED.search(source, 0, match.start())
                and not source.startswith(_CLOSE, match.end())
            ):
                out.append(source[done : match.start()])
                out.append(_EXPRESSION.sub(_through_isolated, token))
                done = match.end()
        elif token.startswith(("{%", "{#", "<!--")):
            continue
        elif token.startswith("<"):
            if quote or (in_tag and not token.startswith("</")):
                continue
            name = token.lstrip("</").lower()
            if text_only:
                if token.startswith("</") and name == text_only:
                    text_only = ""
                    in_tag = True
                continue
            in_tag = True
            opening = name if not token.startswith("</") and name in _TEXT_ONLY else ""
        elif token in "\"'":
            if in_tag:
                quote = "" if quote == token else (quote or token)
        elif token == ">" and in_tag and not quote:
            in_tag = False
            if opening:
                text_only, opening = opening, ""
    out.append(source[done:])
    return "".join(out)


_TURNING = frozenset(
    {"R", "AL", "AN", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}
)
"""Bidirectional classes that turn text around them: right-to-left letters, Arabic
digits, and the explicit embeddings, overrides and isolates."""


def _turns(text: str) -> bool:
    return not text.isascii() and any(unicodedata.bidirectional(c) in _TURNING for c in text)


def _right_to_left_page() -> bool:
    return language(current_language()).direction == "rtl"


def isolated(value: Any) -> Any:
    """``value`` in a ``<bdi>`` when its text could turn the text around it (see
    ``_TURNING``); else as it is. On a right-to-left page (Arabic) every value is isolated,
    left-to-right when it holds no right-to-left letter: an MRZ line, a document number or a
    date then keeps its order (``<bdi dir="ltr">``).

    >>> isolated("يوسف"), isolated("MAR 1980-02-03"), isolated(None), isolated(Markup("<b>é</b>"))
    (Markup('<bdi>يوسف</bdi>'), 'MAR 1980-02-03', None, Markup('<b>é</b>'))
    >>> isolated("\u202eHold <b>"), isolated("B — forged")
    (Markup('<bdi>\u202eHold &lt;b&gt;</bdi>'), 'B — forged')
    """
    if isinstance(value, Markup) or value is None:
        return value
    text = str(value)
    if _turns(text):
        return Markup("<bdi>{}</bdi>").format(text)
    if text and _right_to_left_page():
        return Markup('<bdi dir="ltr">{}</bdi>').format(text)
    return value


def isolated_parameter(value: Any) -> Any:
    """A value put into a translated sentence: isolated as :func:`isolated` does (``<bdi>``),
    escaped; HTML a view built (``Markup``) as it is.

    >>> isolated_parameter("يوسف"), isolated_parameter("<b>"), isolated_parameter(3)
    (Markup('<bdi>يوسف</bdi>'), Markup('&lt;b&gt;'), 3)
    """
    if isinstance(value, Markup | int | float) or value is None:
        return value
    out = isolated(value)
    return out if isinstance(out, Markup) else Markup.escape(out)


class IsolatedValues(Extension):
    """The Jinja extension that applies :func:`isolate_values` to every template loaded,
    and gives the templates the :func:`isolated` filter it uses."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters["isolated"] = isolated

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return isolate_values(source)
