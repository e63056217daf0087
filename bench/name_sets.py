"""Query sets ``bench/name_quality.py`` runs beside the generated evaluation set.

Look-alike negatives (``lookalike``)
    Made from the generated watchlist and ``bench/name_corpus.py``, deterministic: for
    each listed person whose first Latin name opens on a corpus given name, another
    corpus given name of the same sex whose consonants are the same once vowels are
    dropped and doubled letters merged (Hamid and Ahmed ``hmd``, Malak and Malika
    ``mlk``, Hanae and Hanane ``hn``) but which is another name (another entry and
    another group of the corpus) takes its place; the rest of the name is kept, and the
    query carries the person's sex and first nationality but **no birth date** (a
    passenger list). The query is a negative: a different given name is a different
    person. A query whose name is a listed person's name (as written, accents and case
    aside) is left out.
    The definition uses no part of the engine.

The UN set (``un``, ``un_no_dob``)
    ``../shared/eval/names_un`` (the UN Security Council Consolidated List's persons
    with Arabic-script names; see its SOURCES.md), when present: its own watchlist and
    queries, with the birth dates (``un``) and without (``un_no_dob``). ``expected_id``
    becomes ``expected``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from unidecode import unidecode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import name_corpus

Record = dict[str, Any]

UN_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "names_un"
"""Where the UN set lies beside a checkout (``../shared/eval/names_un``)."""

_NOT_LETTER = re.compile("[^a-z]")
_VOWELS = re.compile("[aeiouy]")
_DOUBLES = re.compile(r"(.)\1+")


def consonants(word: str) -> str:
    """``word`` folded to lower-case a-z, vowels dropped, doubled letters merged.

    >>> consonants("Hamid"), consonants("Ahmed"), consonants("Hanane"), consonants("Hanae")
    ('hmd', 'hmd', 'hn', 'hn')
    """
    letters = _NOT_LETTER.sub("", unidecode(word).lower())
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", letters))


def _plain(name: str) -> str:
    return " ".join(unidecode(name).lower().split())


def _usual_spelling(entry: name_corpus.NameEntry) -> str:
    for convention in ("maghreb", "english", "latin", "egyptian", "sahel", "icao"):
        forms = entry.spellings.get(convention)
        if forms:
            return forms[0]
    raise KeyError(entry.key)


def lookalike_queries(watchlist: Sequence[Record]) -> list[Record]:
    """The look-alike negatives of ``watchlist`` (see the module's docstring)."""
    entries = list(name_corpus.ARABIC_GIVEN) + list(name_corpus.OTHER_GIVEN)
    by_spelling: dict[str, list[name_corpus.NameEntry]] = {}
    by_consonants: dict[str, list[name_corpus.NameEntry]] = {}
    for entry in entries:
        for forms in entry.spellings.values():
            for form in forms:
                by_spelling.setdefault(form.lower(), []).append(entry)
                form_consonants = consonants(form)
                if entry not in by_consonants.setdefault(form_consonants, []):
                    by_consonants[form_consonants].append(entry)
    listed = {_plain(name) for r in watchlist for name in r["names"]}
    queries: list[Record] = []
    for person in watchlist:
        latin = [n for n in person["names"] if not re.search("[\u0600-\u06ff]", n)]
        if not latin:
            continue
        words = latin[0].split()
        own = by_spelling.get(words[0].lower(), [])
        if not own or len(words) < 2:
            continue
        keys = {e.key for e in own} | {e.group for e in own}
        others = sorted(
            (
                e
                for e in by_consonants.get(consonants(words[0]), [])
                if e.key not in keys and e.group not in keys and e.sex == person.get("sex")
            ),
            key=lambda e: e.key,
        )
        if not others:
            continue
        name = " ".join([_usual_spelling(others[0]), *words[1:]])
        if _plain(name) in listed:
            continue
        query: Record = {
            "qid": f"L{len(queries) + 1:05d}",
            "name": name,
            "expected": None,
            "kind": "neg_lookalike+dob_none",
        }
        if person.get("sex"):
            query["sex"] = person["sex"]
        if person.get("nationalities"):
            query["nationality"] = person["nationalities"][0]
        queries.append(query)
    return queries


def un_set(folder: Path = UN_DIR) -> tuple[list[Record], list[Record]] | None:
    """(watchlist, queries) of the UN set, or None when it is not there."""
    watchlist_file, queries_file = folder / "watchlist.jsonl", folder / "queries.jsonl"
    if not (watchlist_file.is_file() and queries_file.is_file()):
        return None
    with watchlist_file.open(encoding="utf-8") as fh:
        watchlist = [json.loads(line) for line in fh if line.strip()]
    queries: list[Record] = []
    with queries_file.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                q = json.loads(line)
                queries.append(
                    {
                        "qid": q["qid"],
                        "name": q["name"],
                        "birth_date": q.get("birth_date"),
                        "expected": q.get("expected_id"),
                        "kind": q["kind"],
                    }
                )
    return watchlist, queries


def without_birth_dates(queries: Sequence[Record]) -> list[Record]:
    """``queries`` with their birth dates dropped (names only)."""
    return [{k: v for k, v in q.items() if k != "birth_date"} for q in queries]
