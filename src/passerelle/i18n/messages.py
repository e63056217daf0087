"""Keeping the catalogues in step with the sources: extract, update, check, compile.

``python -m passerelle.i18n.messages update`` (``make messages``) extracts every marked
string (``_()``, ``gettext``, ``ngettext``, ``N_`` in Python; ``{{ _() }}`` and
``{% trans %}`` in the templates) into its area's catalogue of each language, keeping what
is translated and dropping what the sources no longer say; ``check`` lists what a
catalogue lacks (a test runs it); ``fill LANGUAGE AREA FILE.json`` puts a translator's
``{"source": "translation"}`` into a catalogue; ``compile`` writes the ``.mo`` files (at
install).
"""

from __future__ import annotations

import fnmatch
import io
import re
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from passerelle.i18n.catalogues import LOCALE_FOLDER, SOURCE_LANGUAGE
from passerelle.i18n.languages import LANGUAGES

__all__ = ["Area", "Problem", "areas", "check", "compile_all", "extract", "main", "update"]

PACKAGE = LOCALE_FOLDER.parent
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}
_JINJA = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")
TRANSLATED = tuple(item.code for item in LANGUAGES if item.code != SOURCE_LANGUAGE)


@dataclass(frozen=True, slots=True)
class Area:
    """A part of the node with its own catalogue per language."""

    name: str
    patterns: tuple[str, ...]

    def claims(self, relative: str) -> bool:
        return any(fnmatch.fnmatchcase(relative, pattern) for pattern in self.patterns)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a catalogue lacks or gets wrong, with where the string comes from."""

    language: str
    area: str
    message: str
    reason: str

    def __str__(self) -> str:
        return f"{self.language}/{self.area}: {self.message!r}: {self.reason}"


def areas() -> tuple[Area, ...]:
    with (LOCALE_FOLDER / "areas.toml").open("rb") as source:
        data = tomllib.load(source)
    return tuple(Area(item["name"], tuple(item["files"])) for item in data["area"])


def _sources() -> Iterator[tuple[str, Path, str]]:
    """Every source file that may hold marked strings: (path under the package, file, method)."""
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE).as_posix()
        if path.suffix == ".py":
            yield relative, path, "python"
        elif path.suffix == ".html" and relative.startswith("web/templates/"):
            yield relative, path, "jinja2.ext:babel_extract"


def extract() -> tuple[dict[str, Catalog], list[str]]:
    """Each area's strings as a template catalogue, and the files with strings no area claims."""
    known = areas()
    found = {area.name: Catalog(project="passerelle", fuzzy=False) for area in known}
    orphans: list[str] = []
    for relative, path, method in _sources():
        options = _JINJA if method != "python" else {}
        messages = list(extract_from_file(method, str(path), keywords=KEYWORDS, options=options))
        if not messages:
            continue
        area = next((item for item in known if item.claims(relative)), None)
        if area is None:
            orphans.append(relative)
            continue
        for line, text, comments, context in messages:
            found[area.name].add(
                text, None, [(relative, line)], auto_comments=comments, context=context
            )
    return found, orphans


def _po_path(language: str, area: str) -> Path:
    return LOCALE_FOLDER / language / "LC_MESSAGES" / f"{area}.po"


def _load(language: str, area: str) -> Catalog:
    path = _po_path(language, area)
    if not path.exists():
        return Catalog(locale=language, domain=area, project="passerelle", fuzzy=False)
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=area)


def update() -> list[str]:
    """Bring every catalogue in step with the sources; the files no area claims."""
    templates, orphans = extract()
    for language in TRANSLATED:
        for area, template in templates.items():
            path = _po_path(language, area)
            catalog = _load(language, area)
            created = catalog.creation_date
            catalog.update(template, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            if path.exists():
                catalog.creation_date = created
            elif not len(catalog):
                continue
            catalog.project, catalog.version = "Passerelle", ""
            catalog.msgid_bugs_address = ""
            catalog.copyright_holder = "the Passerelle project"
            catalog.language_team = f"Passerelle {language}"
            catalog.last_translator = "Passerelle"
            buffer = io.BytesIO()
            write_po(buffer, catalog, width=100, include_lineno=False, sort_by_file=True)
            if path.exists() and path.read_bytes() == buffer.getvalue():
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(buffer.getvalue())
    return orphans


def _placeholders(text: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def _translations(message: Message) -> Iterable[str]:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return [text if isinstance(text, str) else "" for text in strings]


def check() -> list[Problem]:
    """What each language's catalogues lack: strings missing, untranslated, fuzzy, or whose
    translation drops or invents a placeholder; and strings in a file no area claims."""
    templates, orphans = extract()
    problems = [
        Problem("*", "*", relative, "marked strings in a file no area of locale/areas.toml claims")
        for relative in orphans
    ]
    for language in TRANSLATED:
        for area, template in templates.items():
            catalog = _load(language, area)
            for wanted in template:
                if not wanted.id:
                    continue
                have = catalog.get(wanted.id, context=wanted.context)
                source = wanted.id if isinstance(wanted.id, str) else wanted.id[0]
                if have is None:
                    problems.append(Problem(language, area, source, "missing (make messages)"))
                elif not all(_translations(have)):
                    problems.append(Problem(language, area, source, "not translated"))
                elif have.fuzzy:
                    problems.append(Problem(language, area, source, "marked fuzzy"))
                else:
                    ids = [wanted.id] if isinstance(wanted.id, str) else list(wanted.id)
                    expected = set().union(*(_placeholders(text) for text in ids))
                    for text in _translations(have):
                        if _placeholders(text) - expected or (
                            not isinstance(wanted.id, tuple) and _placeholders(text) != expected
                        ):
                            problems.append(
                                Problem(language, area, source, f"placeholders differ: {text!r}")
                            )
    return problems


def _singular(source: str | tuple[str, ...] | list[str]) -> str:
    return source if isinstance(source, str) else source[0]


def fill(language: str, area: str, translated: dict[str, str | list[str]]) -> list[str]:
    """Put translations into a catalogue (``{source: translation}``; a list for the plural
    forms); the sources the catalogue does not hold (run ``update`` first)."""
    path = _po_path(language, area)
    catalog = _load(language, area)
    unknown: list[str] = []
    for source, text in translated.items():
        message = next((m for m in catalog if source in (m.id, _singular(m.id))), None)
        if message is None:
            unknown.append(source)
            continue
        message.string = tuple(text) if isinstance(text, list) else text
        message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, include_lineno=False, sort_by_file=True)
    path.write_bytes(buffer.getvalue())
    return unknown


def compile_all() -> int:
    """Write the ``.mo`` of every catalogue; how many."""
    count = 0
    for po_file in sorted(LOCALE_FOLDER.glob("*/LC_MESSAGES/*.po")):
        with po_file.open("rb") as source:
            catalog = read_po(source, locale=po_file.parent.parent.name, domain=po_file.stem)
        with po_file.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)
        count += 1
    return count


def main(argv: list[str] | None = None) -> int:
    command = (argv if argv is not None else sys.argv[1:]) or ["check"]
    if command[0] == "update":
        orphans = update()
        for relative in orphans:
            print(f"no area of locale/areas.toml claims {relative}", file=sys.stderr)
        return 1 if orphans else 0
    if command[0] == "fill" and len(command) == 4:
        import json

        translated = json.loads(Path(command[3]).read_text(encoding="utf-8"))
        unknown = fill(command[1], command[2], translated)
        for source in unknown:
            print(f"not in {command[1]}/{command[2]}: {source!r}", file=sys.stderr)
        return 1 if unknown else 0
    if command[0] == "compile":
        print(f"compiled {compile_all()} catalogues")
        return 0
    if command[0] == "check":
        problems = check()
        for problem in problems:
            print(problem)
        print(f"{len(problems)} problems")
        return 1 if problems else 0
    print(
        "usage: python -m passerelle.i18n.messages update | check | compile"
        " | fill LANGUAGE AREA TRANSLATIONS.json",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
