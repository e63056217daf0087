"""Labelled evaluation set for watchlist name screening, generated from a seed.

What it writes (into ``--out``, default ``bench/data/names_eval``)
    ``watchlist.jsonl``        watchlist persons (the watchlist file: docs/operator-guide.md)
    ``queries_tune.jsonl``     half of the labelled queries: tune engines on these
    ``queries_holdout.jsonl``  the other half: held out, for reporting only
    ``README.md``              what the files are, how they were made, counts per kind

How the data is made
    People come from ``name_corpus`` (realistic name frequencies per
    nationality). Many watchlist persons deliberately share a common name
    (several Mohamed Ben Ali, Ahmed Ben Ali, Fatima Zahra El Idrissi ...) with
    birth years far enough apart that the birth date tells them apart.

    A true-variant query is what a border post would read for that person: the
    passport's own spelling under another transliteration convention, the Arabic
    script name, family name first, a particle joined, split or dropped, the MRZ
    name field (truncated at 39 characters, sometimes with O/0 or I/1 misreads),
    one keyboard typo, a middle name missing; and a birth date that is exact,
    year only, missing, day/month swapped or off by one digit. Variants are made
    from the name data and clerk-like string edits, never from a matching engine.

    A hard negative is someone else: same name but another birth year (and maybe
    nationality), the same given name with another family name, the same family
    name with another given name, a sibling (same family name and father), or a
    random traveller with a common name. A negative never has a watchlist person
    with a clashing name and a compatible (or missing) birth date.

Run it
    .venv/bin/python bench/name_eval_data.py [--seed 2026] [--out bench/data/names_eval]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from random import Random

from name_corpus import (
    ARAB_STATES,
    NATIONALITIES,
    Identity,
    NameEntry,
    NamePart,
    draw_identity,
    draw_second_nationality,
    family_by_key,
    given_by_key,
    pick_spelling,
)

REFERENCE_YEAR = 2026
MRZ_NAME_LENGTH = 39  # TD3 line 1, positions 6-44

PLAUSIBLE_CONVENTIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "M": (("maghreb", 5), ("english", 3), ("icao", 1), ("egyptian", 0.5)),
    "R": (("maghreb", 5), ("english", 2), ("icao", 1)),
    "E": (("egyptian", 5), ("english", 3), ("icao", 1), ("maghreb", 1)),
    "G": (("english", 5), ("icao", 2), ("maghreb", 1.5), ("egyptian", 0.5)),
    "L": (("english", 5), ("icao", 2), ("maghreb", 1.5), ("egyptian", 0.5)),
    "S": (("sahel", 5), ("maghreb", 3)),
}
NEIGHBOUR_STATES: dict[str, tuple[str, ...]] = {
    "M": ("MAR", "DZA", "TUN", "LBY", "FRA", "BEL", "ESP", "NLD", "ITA", "DEU"),
    "R": ("MRT", "SEN", "MLI", "MAR"),
    "E": ("EGY", "SDN", "LBY", "SAU", "JOR"),
    "G": ("SAU", "ARE", "QAT", "KWT", "YEM", "JOR"),
    "L": ("JOR", "SYR", "IRQ", "LBN", "PSE", "DEU"),
    "S": ("MLI", "NER", "TCD", "SEN", "BFA", "GIN", "CIV", "MRT", "FRA"),
    "X": ("FRA", "ESP", "ITA", "PRT", "BEL", "NLD", "DEU", "GBR", "CHE"),
}
ISSUERS: tuple[tuple[str, float], ...] = (
    ("MAR", 12),
    ("DZA", 8),
    ("TUN", 6),
    ("FRA", 8),
    ("ESP", 6),
    ("EGY", 5),
    ("ITA", 3),
    ("BEL", 3),
    ("MLI", 3),
    ("SEN", 3),
    ("NER", 2),
    ("MRT", 2),
    ("LBY", 2),
    ("NLD", 2),
    ("DEU", 2),
    ("SAU", 2),
    ("JOR", 1),
)
CATEGORIES: tuple[tuple[str, float], ...] = (
    ("wanted", 40),
    ("travel_ban", 25),
    ("alert", 25),
    ("missing", 10),
)
# Common names that several watchlist persons share: given keys, family key,
# the usual nationality, how many persons.
HOMONYM_CLUSTERS: tuple[tuple[tuple[str, ...], str, str, str, int], ...] = (
    (("muhammad",), "ben_ali", "MAR", "M", 4),
    (("ahmad",), "ben_ali", "DZA", "M", 3),
    (("fatima_zahra",), "el_idrissi", "MAR", "F", 3),
    (("muhammad",), "el_amrani", "MAR", "M", 3),
    (("muhammad",), "haddad", "TUN", "M", 2),
    (("ahmad",), "hasan", "EGY", "M", 3),
    (("abd_al_qadir",), "ben_muhammad", "DZA", "M", 2),
    (("fatima",), "ben_ahmad", "MAR", "F", 2),
    (("yusuf",), "el_alaoui", "MAR", "M", 2),
    (("muhammad",), "al_qahtani", "SAU", "M", 3),
    (("khadija",), "el_mansouri", "MAR", "F", 2),
    (("ali",), "el_trabelsi", "TUN", "M", 2),
    (("muhammad",), "ould_ahmad", "MRT", "M", 2),
    (("mamadou",), "diallo", "GIN", "M", 3),
    (("ibrahim",), "traore", "MLI", "M", 2),
    (("aisha",), "ben_salih", "TUN", "F", 2),
    (("umar",), "el_khatib", "SYR", "M", 2),
)
POSITIVE_KINDS: tuple[tuple[str, float], ...] = (
    ("exact", 5),
    ("spelling", 9),
    ("translit", 13),
    ("arabic_vs_latin", 8),
    ("latin_vs_arabic", 8),
    ("arabic_variant", 4),
    ("order_swap", 8),
    ("particle", 11),
    ("mrz", 9),
    ("mrz_truncated", 3),
    ("mrz_ocr", 5),
    ("typo", 9),
    ("missing_middle", 7),
)
DOB_VARIANTS: tuple[tuple[str, float], ...] = (
    ("exact", 40),
    ("year", 13),
    ("missing", 15),
    ("swap", 10),
    ("typo", 12),
    ("jan1", 10),
)
NEGATIVE_KINDS: tuple[tuple[str, float], ...] = (
    ("neg_homonym_dob", 22),
    ("neg_homonym_dob_nat", 13),
    ("neg_same_given", 17),
    ("neg_same_family", 17),
    ("neg_sibling", 13),
    ("neg_random", 18),
)


@dataclass
class Person:
    """A watchlist person: the identity behind it and the record as issued."""

    ident: Identity
    names: list[str]
    birth_date: str | None
    nationalities: list[str]
    sex: str | None
    category: str
    issued_by: str
    valid_until: str | None
    wid: str = ""
    uses: int = 0

    @property
    def latin_names(self) -> list[str]:
        return [n for n in self.names if not _is_arabic(n)]

    @property
    def has_arabic(self) -> bool:
        return any(_is_arabic(n) for n in self.names)


@dataclass
class Query:
    """A labelled screening query."""

    name: str
    birth_date: str | None
    nationality: str | None
    sex: str | None
    expected: Person | None
    kind: str
    qid: str = ""


# --- small helpers -----------------------------------------------------------


def _weighted(rng: Random, table: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def strip_accents(text: str) -> str:
    """Drop diacritics the way an ASCII-only keyboard or database does."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _region(ident: Identity) -> str:
    return NATIONALITIES[ident.nationality].region


def _first_given(ident: Identity) -> NameEntry:
    return ident.role("given")[0].entry


def _family(ident: Identity) -> NameEntry:
    families = ident.role("family")
    return families[0].entry if families else ident.parts[-1].entry


def _given_groups(ident: Identity) -> set[str]:
    return {p.entry.group for p in ident.role("given")}


def names_clash(a: Identity, b: Identity) -> bool:
    """Whether a screener could take ``a`` and ``b`` for the same name.

    Same family name (particle aside) and a shared given name, or the two names
    with given and family swapped.
    """
    core_a, core_b = _family(a).core, _family(b).core
    if core_a == core_b and _given_groups(a) & _given_groups(b):
        return True
    return _first_given(a).group == core_b and _first_given(b).group == core_a


def years_clash(y1: int, y2: int) -> bool:
    """Whether one typo (a year digit off by one) could turn one year into the other."""
    delta = abs(y1 - y2)
    return delta <= 1 or delta in (9, 10, 11)


def _query_year(value: str | None) -> int | None:
    return int(value[:4]) if value else None


# --- name rendering, as documents and clerks produce it ------------------------


def respell(ident: Identity, convention: str, rng: Random) -> tuple[NamePart, ...]:
    """The same name spelled afresh under ``convention`` (usual spellings favoured)."""
    parts = []
    for part in ident.parts:
        conv = "latin" if "latin" in part.entry.spellings else convention
        parts.append(replace(part, latin=pick_spelling(rng, part.entry.forms(conv))))
    return tuple(parts)


def plausible_convention(ident: Identity, rng: Random, *, other_than: str = "") -> str | None:
    """A convention someone would plausibly write this person's name in."""
    if ident.origin != "arabic":  # West African and European names keep their spelling
        return None if other_than else ident.convention
    table = PLAUSIBLE_CONVENTIONS.get(_region(ident), PLAUSIBLE_CONVENTIONS["M"])
    choices = [(c, w) for c, w in table if c != other_than]
    return _weighted(rng, choices) if choices else None


def text_of(parts: Sequence[NamePart]) -> str:
    return " ".join(p.latin for p in parts)


def family_first(parts: Sequence[NamePart], rng: Random) -> str:
    """Family name first, as registers and many officers write it."""
    family = [p.latin for p in parts if p.role == "family"]
    rest = [p.latin for p in parts if p.role != "family"]
    if not family:
        family, rest = [rest[-1]], rest[:-1]
    style = rng.random()
    if style < 0.4:
        return " ".join(family + rest)
    if style < 0.75:
        return " ".join([" ".join(family).upper(), *rest])
    return " ".join(family) + ", " + " ".join(rest)


_MRZ_SPECIAL = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE"}


def mrz_chars(text: str) -> str:
    """Text in MRZ characters: ICAO 9303 transliteration, '<' for spaces and hyphens."""
    out: list[str] = []
    for ch in text.upper():
        if ch in _MRZ_SPECIAL:
            out.append(_MRZ_SPECIAL[ch])
        elif ch in " -":
            out.append("<")
        elif ch in "'’,.":
            continue
        else:
            base = strip_accents(ch)
            if "A" <= base <= "Z":
                out.append(base)
    return re.sub("<+", "<", "".join(out)).strip("<")


def mrz_name(parts: Sequence[NamePart], rng: Random, *, pad: bool = False) -> tuple[str, bool]:
    """The TD3 name field ``SURNAME<<GIVEN<NAMES``; truncated to 39 characters."""
    family = [p.latin for p in parts if p.role == "family"]
    given = [p.latin for p in parts if p.role != "family"]
    if not family:
        family, given = [given[-1]], given[:-1]
    surname = mrz_chars(" ".join(family))
    if rng.random() < 0.3:  # some issuers write the particle joined: BENALI, ELIDRISSI
        surname = re.sub(r"^(BEN|EL|AL|AIT)<", r"\1", surname)
    field_text = surname + "<<" + mrz_chars(" ".join(given))
    truncated = len(field_text) > MRZ_NAME_LENGTH
    field_text = field_text[:MRZ_NAME_LENGTH]
    field_text = field_text.ljust(MRZ_NAME_LENGTH, "<") if pad else field_text.rstrip("<")
    return field_text, truncated


_OCR = {"O": "0", "I": "1"}


def ocr_misread(mrz: str, rng: Random) -> str | None:
    """One or two O→0 / I→1 misreads in the name characters of an MRZ field."""
    spots = [i for i, ch in enumerate(mrz) if ch in _OCR]
    if not spots:
        return None
    chosen = rng.sample(spots, min(len(spots), 1 if rng.random() < 0.7 else 2))
    chars = list(mrz)
    for i in chosen:
        chars[i] = _OCR[chars[i]]
    return "".join(chars)


_KEYS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(ch: str) -> str:
    low = ch.lower()
    for r, row in enumerate(_KEYS):
        c = row.find(low)
        if c < 0:
            continue
        near = [row[c - 1] if c > 0 else "", row[c + 1] if c + 1 < len(row) else ""]
        for rr in (r - 1, r + 1):
            if 0 <= rr < len(_KEYS):
                near.append(_KEYS[rr][c : c + 1])
        return "".join(near)
    return ""


_VOWEL_SLIPS = {"a": "e", "e": "i", "i": "e", "o": "u", "u": "o", "y": "i"}


def keyboard_typo(word: str, rng: Random) -> str | None:
    """One insertion, deletion, substitution or transposition, as a hurried clerk types."""
    if len(word) < 4:
        return None
    for _ in range(10):
        op = rng.choice(("substitute", "delete", "insert", "transpose"))
        i = rng.randrange(1, len(word))
        ch = word[i]
        if op == "substitute":
            pool = _neighbours(ch) + _VOWEL_SLIPS.get(ch.lower(), "")
            if not pool:
                continue
            new = rng.choice(pool)
            new = new.upper() if ch.isupper() else new
            result = word[:i] + new + word[i + 1 :]
        elif op == "delete":
            result = word[:i] + word[i + 1 :]
        elif op == "insert":
            pool = ch + _neighbours(ch)
            result = word[:i] + rng.choice(pool) + word[i:]
        else:
            if i + 1 >= len(word) or word[i] == word[i + 1]:
                continue
            result = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if result != word and result.isalpha():
            return result
    return None


_ARABIC_EDITS: tuple[Callable[[str], str], ...] = (
    lambda t: t.translate({ord("أ"): "ا", ord("إ"): "ا", ord("آ"): "ا"}),
    lambda t: re.sub(r"ة(?=\s|$)", "ه", t),
    lambda t: re.sub(r"ى(?=\s|$)", "ي", t),
    lambda t: re.sub(r"ي(?=\s|$)", "ى", t),
    lambda t: t.replace("عبد ال", "عبدال"),
    lambda t: t.replace("محمد", "محمّد"),
    lambda t: t.replace("أبو ", "ابو "),
)


def arabic_spelling(text: str, rng: Random) -> str | None:
    """The Arabic name as typed elsewhere: hamza dropped, ة/ه, ى/ي, عبدال joined, shadda."""
    options = [edit(text) for edit in _ARABIC_EDITS]
    options = [o for o in options if o != text]
    if not options:
        return None
    result = rng.choice(options)
    if rng.random() < 0.3:  # often two habits come together
        second = [edit(result) for edit in _ARABIC_EDITS]
        second = [o for o in second if o != result]
        if second:
            result = rng.choice(second)
    return result


_PARTICLE = re.compile(
    r"^(?P<p>El|Al|Ech|Es|Er|Ed|Ez|En|Et|Ash|As|Ar|Ad|Adh|An|At|Az|Ben|Bin|Ould|Ait|Aït|Ayt"
    r"|Abou|Abu|Abo|Ag)(?P<sep>[ -])(?P<rest>.+)$"
)
_JOINED = ("ben", "ech", "es", "er", "ed", "ez", "en", "et", "el", "ait", "ould", "ag")


def _sibling_forms(part: NamePart) -> tuple[str, ...]:
    """The spellings of the convention ``part`` is written in (empty if not found)."""
    for forms in part.entry.spellings.values():
        if part.latin in forms:
            return forms
    return ()


def _tokens(text: str) -> int:
    return len([t for t in re.split(r"[ '\-]", text) if t])


def _particle_forms(part: NamePart, rng: Random) -> list[str]:
    """Other ways a register writes this family name's particle."""
    text, entry = part.latin, part.entry
    out: list[str] = []
    m = _PARTICLE.match(text)
    if m and entry.particle:
        p, sep, rest = m["p"], m["sep"], m["rest"]
        if entry.particle != "ould":  # Ouldahmed is rare; Benali, Alqahtani are not
            out.append(p + rest.lower().replace(" ", "").replace("-", ""))
        out.append(p + ("-" if sep == " " else " ") + rest)  # Ben-Ali, Al Qahtani
        if entry.particle == "al":
            out.append(rest)  # Idrissi, Qahtani
            if p not in ("El", "Al"):
                out.append("El " + rest)  # Ech-Chaoui -> El Chaoui
            else:
                out.append(("Al" if p == "El" else "El") + sep + rest)
        if entry.particle == "ben" and rng.random() < 0.5:
            out.append(rest)  # Ben Ali -> Ali
    elif entry.particle and " " not in text and "-" not in text:
        low = text.lower()
        english = (*entry.spellings.get("english", ()), *entry.spellings.get("icao", ()))
        surfaces = (*_JOINED, "al") if text in english else _JOINED
        for surface in surfaces:
            if low.startswith(surface) and len(low) - len(surface) >= 3:
                head, rest = text[: len(surface)], text[len(surface) :]
                out.append(head + " " + rest.capitalize())  # Benali -> Ben Ali
                break
    for form in _sibling_forms(part):
        if _tokens(form) != _tokens(text):
            out.append(form)  # data: De Luca / Deluca, van Dijk / Vandijk, Abdel Aziz
    return [o for o in out if _fold(o) != _fold(text)]


def _compound_forms(part: NamePart) -> list[str]:
    """Compound given names joined, hyphenated or split (Abdelkader / Abd El Kader)."""
    text = part.latin
    out: list[str] = []
    tokens = re.split(r"[ -]", text)
    if len(tokens) > 1:
        out.append(tokens[0] + "".join(t.lower() for t in tokens[1:]))  # Fatimazahra
        out.append("-".join(tokens))  # Fatima-Zahra
    for form in _sibling_forms(part):
        if _tokens(form) != len(tokens):
            out.append(form)
    return [o for o in out if _fold(o) != _fold(text)]


def particle_variant(parts: Sequence[NamePart], rng: Random) -> tuple[NamePart, ...] | None:
    """The name with one particle joined, split, hyphenated or dropped."""
    options: list[tuple[int, str | None]] = []
    for i, part in enumerate(parts):
        if part.role == "family":
            options += [(i, f) for f in _particle_forms(part, rng)]
        elif part.role == "connector":
            options.append((i, None))  # Mohamed Ben Ahmed Trabelsi -> Mohamed Ahmed Trabelsi
        elif part.role in ("given", "father") and (
            " " in part.entry.arabic or re.search("[ -]", part.latin)
        ):
            options += [(i, f) for f in _compound_forms(part)]
    if not options:
        return None
    i, new = rng.choice(options)
    if new is None:
        return tuple(p for j, p in enumerate(parts) if j != i)
    return tuple(replace(p, latin=new) if j == i else p for j, p in enumerate(parts))


def drop_middle(parts: Sequence[NamePart], rng: Random) -> tuple[NamePart, ...] | None:
    """The name without a middle part: second given name, father's or grandfather's
    name, or a Spanish second surname."""
    given = [i for i, p in enumerate(parts) if p.role == "given"]
    nasab = [i for i, p in enumerate(parts) if p.role in ("connector", "father", "grandfather")]
    families = [i for i, p in enumerate(parts) if p.role == "family"]
    choices: list[set[int]] = []
    if len(given) > 1:
        choices.append(set(given[1:]))
    if nasab:
        choices.append(set(nasab))
        grand = [i for i in nasab if parts[i].role == "grandfather"]
        if grand:
            choices.append(set(grand))
    if len(families) > 1:
        choices.append({families[-1]})
    if not choices:
        return None
    drop = rng.choice(choices)
    return tuple(p for i, p in enumerate(parts) if i not in drop)


def typo_variant(parts: Sequence[NamePart], rng: Random) -> str | None:
    """The name with one typo in a word that is not a particle."""
    words = text_of(parts).split(" ")
    spots = [
        i
        for i, w in enumerate(words)
        if len(w) >= 4 and w.isalpha() and not _PARTICLE.match(w + " x")
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    new = keyboard_typo(words[i], rng)
    if new is None:
        return None
    words[i] = new
    return " ".join(words)


# --- watchlist -----------------------------------------------------------------


def _with_names(
    ident: Identity, given: Sequence[NameEntry], family: NameEntry, rng: Random, keep_second: bool
) -> Identity:
    """``ident`` renamed: these given names and this family name, the rest kept."""
    conv = ident.convention
    new: list[NamePart] = []
    placed = False
    old_given = ident.role("given")
    for part in ident.parts:
        if part.role == "given":
            if not placed:
                for entry in given:
                    c = "latin" if "latin" in entry.spellings else conv
                    new.append(NamePart("given", entry, pick_spelling(rng, entry.forms(c))))
                if (
                    keep_second
                    and len(old_given) > 1
                    and old_given[1].entry.group not in {e.group for e in given}
                ):
                    new.append(old_given[1])
                placed = True
        elif part.role == "family" and part is ident.role("family")[0]:
            c = "latin" if "latin" in family.spellings else conv
            new.append(NamePart("family", family, pick_spelling(rng, family.forms(c))))
        else:
            new.append(part)
    return replace(ident, parts=tuple(new))


def _record_birth(ident: Identity, rng: Random, *, required: bool) -> str | None:
    born = ident.birth_date
    roll = rng.random()
    if ident.jan1 and roll < 0.6:
        return str(born.year)
    if roll < 0.62:
        return born.isoformat()
    if roll < 0.67:
        return born.isoformat()[:7]
    if roll < 0.85 or required:
        return str(born.year)
    return None


def _record_names(ident: Identity, rng: Random) -> list[str]:
    latin = ident.latin
    roll = rng.random()
    if roll < 0.12:
        latin = latin.upper()
    elif roll < 0.2 and strip_accents(latin) != latin:
        latin = strip_accents(latin)
    names = [latin]
    script = ident.arabic
    if ident.origin == "arabic" and script and ident.nationality in ARAB_STATES:
        roll = rng.random()
        if roll < 0.08:
            return [script]
        if roll < 0.45:
            names.append(script)
    if rng.random() < 0.1:
        conv = plausible_convention(ident, rng, other_than=ident.convention)
        alias = text_of(respell(ident, conv, rng)) if conv else strip_accents(ident.latin)
        if _fold(alias) not in {_fold(n) for n in names}:
            names.insert(1, alias)
    return names


def _record(ident: Identity, rng: Random, *, dob_required: bool = False) -> Person:
    nationalities = [ident.nationality]
    second = draw_second_nationality(rng, ident)
    if second and second != ident.nationality:
        nationalities.append(second)
    if rng.random() < 0.03:
        nationalities = []
    if ident.nationality in {code for code, _ in ISSUERS} and rng.random() < 0.6:
        issued_by = ident.nationality
    else:
        issued_by = _weighted(rng, ISSUERS)
    valid_until = None
    if rng.random() < 0.15:
        valid_until = date(rng.randint(2027, 2032), rng.randint(1, 12), rng.randint(1, 28))
    return Person(
        ident=ident,
        names=_record_names(ident, rng),
        birth_date=_record_birth(ident, rng, required=dob_required),
        nationalities=nationalities,
        sex=ident.sex if rng.random() < 0.97 else None,
        category=_weighted(rng, CATEGORIES),
        issued_by=issued_by,
        valid_until=valid_until.isoformat() if valid_until else None,
    )


def _fits(ident: Identity, persons: Sequence[Person]) -> bool:
    """A new person may share a name only with persons born years apart, all dated."""
    for other in persons:
        if names_clash(ident, other.ident) and (
            other.birth_date is None
            or years_clash(ident.birth_date.year, other.ident.birth_date.year)
        ):
            return False
    return True


def build_watchlist(rng: Random, size: int) -> list[Person]:
    persons: list[Person] = []
    for given_keys, family_key, nationality, sex, count in HOMONYM_CLUSTERS:
        given = [given_by_key(k) for k in given_keys]
        family = family_by_key(family_key)
        arabic = bool(given[0].arabic)
        made = 0
        while made < count:
            nat = nationality
            if made and rng.random() < 0.5:
                nat = rng.choice(NEIGHBOUR_STATES[NATIONALITIES[nationality].region])
            base = draw_identity(rng, arabic=arabic, nationality=nat, sex=sex)
            if arabic and base.origin != "arabic":
                continue
            ident = _with_names(base, given, family, rng, keep_second=rng.random() < 0.25)
            if not _fits(ident, persons):
                continue
            persons.append(_record(ident, rng, dob_required=True))
            made += 1
    while len(persons) < size:
        roll = rng.random()
        if roll < 0.8:
            ident = draw_identity(rng, arabic=True)
        elif roll < 0.93:
            nat = rng.choice(("MLI", "NER", "TCD", "SEN", "BFA", "GIN", "CIV", "MRT", "NGA"))
            ident = draw_identity(rng, arabic=False, nationality=nat)
        else:
            ident = draw_identity(rng, arabic=False, nationality=rng.choice(NEIGHBOUR_STATES["X"]))
        if not _fits(ident, persons):
            continue
        clashes = any(names_clash(ident, p.ident) for p in persons)
        persons.append(_record(ident, rng, dob_required=clashes))
    rng.shuffle(persons)
    counters: Counter[str] = Counter()
    for person in persons:
        counters[person.issued_by] += 1
        person.wid = f"{person.issued_by}-W-{counters[person.issued_by]:04d}"
    return persons


# --- positive queries ------------------------------------------------------------


def _base_parts(person: Person, rng: Random) -> tuple[tuple[NamePart, ...], bool]:
    """The name as the traveller's passport spells it: usually as on the record."""
    ident = person.ident
    if rng.random() < 0.65 or ident.origin == "european":
        return ident.parts, False
    conv = ident.convention if rng.random() < 0.6 else plausible_convention(ident, rng)
    parts = respell(ident, conv or ident.convention, rng)
    return parts, text_of(parts) != ident.latin


def _differs(name: str, person: Person) -> bool:
    return _fold(name) not in {_fold(n) for n in person.names}


def _variant_name(kind: str, person: Person, rng: Random) -> tuple[str, list[str]] | None:
    """A name for ``person`` of the given kind, with tags, or None if it does not apply."""
    ident = person.ident
    tags: list[str] = []
    if kind == "exact":
        name = rng.choice(person.names)
        if not _is_arabic(name) and rng.random() < 0.3:
            name = name.upper()
        return name, tags
    if kind in ("spelling", "translit"):
        if kind == "translit":
            conv = plausible_convention(ident, rng, other_than=ident.convention)
            if conv is None:
                return None
        else:
            conv = ident.convention
        for _ in range(8):
            name = text_of(respell(ident, conv, rng))
            if kind == "spelling" and rng.random() < 0.25:
                name = strip_accents(name)
            if _differs(name, person) and _differs(strip_accents(name), person):
                return name, tags
        if kind == "spelling" and _differs(strip_accents(ident.latin), person):
            return strip_accents(ident.latin), tags
        return None
    if kind in ("arabic_vs_latin", "arabic_variant"):
        script = ident.arabic
        if script is None or ident.origin != "arabic":
            return None
        if kind == "arabic_vs_latin":
            if person.has_arabic or (ident.nationality not in ARAB_STATES and rng.random() < 0.9):
                return None
            if rng.random() < 0.3:
                script = arabic_spelling(script, rng) or script
            return script, tags
        if not person.has_arabic:
            return None
        variant = arabic_spelling(script, rng)
        return (variant, tags) if variant and _differs(variant, person) else None
    if kind == "latin_vs_arabic":
        if not person.has_arabic:
            return None
        conv = plausible_convention(ident, rng) or ident.convention
        for _ in range(8):
            name = text_of(respell(ident, conv, rng))
            if _differs(name, person):
                return name, tags
        return None
    parts, respelled = _base_parts(person, rng)
    if respelled:
        tags.append("respelled")
    edited: str | None = None
    if kind == "order_swap":
        edited = family_first(parts, rng)
    elif kind == "particle":
        new = particle_variant(parts, rng)
        edited = text_of(new) if new else None
    elif kind == "missing_middle":
        new = drop_middle(parts, rng)
        edited = text_of(new) if new else None
    elif kind == "typo":
        edited = typo_variant(parts, rng)
    elif kind in ("mrz", "mrz_truncated", "mrz_ocr"):
        mrz, truncated = mrz_name(parts, rng, pad=rng.random() < 0.15)
        if kind == "mrz_truncated" and not truncated:
            return None
        if kind == "mrz_ocr":
            misread = ocr_misread(mrz, rng)
            if misread is None:
                return None
            mrz = misread
            if truncated:
                tags.append("truncated")
        elif truncated:
            kind = "mrz_truncated"
        edited = mrz
        tags.insert(0, kind)
    if edited is None or not _differs(edited, person):
        return None
    return edited, tags


def _dob_variant(kind: str, person: Person, rng: Random) -> tuple[bool, str | None]:
    """``(applies, birth date shown)`` for a query on ``person`` with this variant."""
    born = person.ident.birth_date
    if kind == "exact":
        return True, born.isoformat()
    if kind == "year":
        return True, str(born.year)
    if kind == "missing":
        return True, None
    if kind == "swap":
        if born.day > 12 or born.day == born.month:
            return False, None
        return True, date(born.year, born.day, born.month).isoformat()
    if kind == "jan1":  # day unknown: the record has the year, the passport 1 January
        if not person.ident.jan1 or person.birth_date is None or len(person.birth_date) != 4:
            return False, None
        return True, f"{born.year}-01-01"
    digits = list(born.strftime("%Y%m%d"))
    for _ in range(20):
        pos = rng.choice((2, 3, 5, 6, 7))
        step = rng.choice((-1, 1))
        new = int(digits[pos]) + step
        if not 0 <= new <= 9:
            continue
        trial = digits.copy()
        trial[pos] = str(new)
        text = "".join(trial)
        try:
            value = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if value.year < REFERENCE_YEAR and value != born:
            return True, value.isoformat()
    return False, None


def _ambiguous(person: Person, dob: str | None, persons: Sequence[Person]) -> bool:
    """Whether another watchlist person fits this query as well as ``person`` does."""
    year = _query_year(dob)
    for other in persons:
        if other is person or not names_clash(person.ident, other.ident):
            continue
        if year is None or years_clash(year, other.ident.birth_date.year):
            return True
    return False


def _positive(person: Person, kind: str, persons: Sequence[Person], rng: Random) -> Query | None:
    made = _variant_name(kind, person, rng)
    if made is None:
        return None
    name, tags = made
    main = tags.pop(0) if tags and tags[0].startswith("mrz") else kind
    if person.ident.origin == "arabic" and not person.latin_names and not _is_arabic(name):
        tags.append("vs_arabic_only")
    for _ in range(6):
        dob_kind = _weighted(rng, DOB_VARIANTS)
        applies, dob = _dob_variant(dob_kind, person, rng)
        if not applies:
            continue
        if dob_kind == "exact" and _dob_variant("jan1", person, rng)[0]:
            dob_kind = "jan1"
        if not _ambiguous(person, dob, persons):
            break
    else:
        return None
    ident = person.ident
    nationality: str | None = None
    roll = rng.random()
    if roll < 0.04:
        pool = [c for c in NEIGHBOUR_STATES[_region(ident)] if c not in person.nationalities]
        nationality = rng.choice(pool)
        tags.append("nat_other")
    elif roll < 0.82:
        nationality = rng.choice(person.nationalities or [ident.nationality])
    sex = ident.sex if rng.random() < 0.85 else None
    kind_text = "+".join([main, *tags, f"dob_{dob_kind}"])
    return Query(name, dob, nationality, sex, person, kind_text)


def schedule(table: Sequence[tuple[str, float]], count: int, rng: Random) -> list[str]:
    """``count`` kinds in proportion to their weights (largest remainders), shuffled."""
    total = sum(w for _, w in table)
    exact = [(k, count * w / total) for k, w in table]
    counts = {k: int(x) for k, x in exact}
    by_remainder = sorted(exact, key=lambda kx: kx[1] - int(kx[1]), reverse=True)
    for k, _ in by_remainder[: count - sum(counts.values())]:
        counts[k] += 1
    kinds = [k for k, _ in table for _ in range(counts[k])]
    rng.shuffle(kinds)
    return kinds


def make_positives(persons: list[Person], count: int, rng: Random) -> list[Query]:
    """True variants, spread over the watchlist (least-used persons first)."""
    queries: list[Query] = []
    for planned in schedule(POSITIVE_KINDS, count, rng):
        kind = planned
        while True:
            order = sorted(persons, key=lambda p: (p.uses, rng.random()))
            query = next((q for q in (_positive(p, kind, persons, rng) for p in order) if q), None)
            if query is not None:
                assert query.expected is not None
                query.expected.uses += 1
                queries.append(query)
                break
            kind = _weighted(rng, POSITIVE_KINDS)  # no one fits: another kind
    return queries


# --- negative queries -------------------------------------------------------------


def surface(ident: Identity, rng: Random) -> tuple[str, str]:
    """How a negative's name reaches the screen: as printed, respelled, MRZ, Arabic..."""
    roll = rng.random()
    if roll < 0.12 and ident.arabic and ident.nationality in ARAB_STATES:
        return ident.arabic, "arabic"
    if roll < 0.27:
        return mrz_name(ident.parts, rng, pad=rng.random() < 0.15)[0], "mrz"
    if roll < 0.34:
        return family_first(ident.parts, rng), "order_swap"
    if roll < 0.42:
        new = particle_variant(ident.parts, rng)
        if new:
            return text_of(new), "particle"
    if roll < 0.65:
        conv = plausible_convention(ident, rng)
        if conv:
            return text_of(respell(ident, conv, rng)), "respelled"
    return ident.latin, ""


def _random_date(rng: Random, year: int) -> date:
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def _negative_dob(rng: Random, born: date, *, required: bool) -> tuple[str | None, str]:
    roll = rng.random()
    if roll < 0.15 and not required:
        return None, "none"
    if roll < 0.27:
        return str(born.year), "year"
    return born.isoformat(), "full"


def _clear(query: Identity, dob: str | None, persons: Sequence[Person]) -> bool:
    """No watchlist person has a clashing name and a compatible or unknown birth date."""
    year = _query_year(dob)
    for person in persons:
        if names_clash(query, person.ident) and (
            year is None
            or person.birth_date is None
            or years_clash(year, int(person.birth_date[:4]))
            or years_clash(year, person.ident.birth_date.year)
        ):
            return False
    return True


def _homonym_year(rng: Random, ident: Identity, persons: Sequence[Person]) -> int | None:
    clash_years = [p.ident.birth_date.year for p in persons if names_clash(ident, p.ident)]
    for _ in range(50):
        year = ident.birth_date.year + rng.choice((-1, 1)) * rng.randint(2, 30)
        if 1940 <= year <= REFERENCE_YEAR - 1 and not any(
            years_clash(year, y) for y in clash_years
        ):
            return year
    return None


def _other_given(rng: Random, ident: Identity, sex: str) -> NameEntry | None:
    """A given name of the same culture that is none of ``ident``'s names."""
    taken = {p.entry.group for p in ident.parts if p.role in ("given", "father", "grandfather")}
    for _ in range(30):
        fresh = draw_identity(
            rng, arabic=ident.origin == "arabic", nationality=ident.nationality, sex=sex
        )
        entry = _first_given(fresh)
        if entry.group not in taken and entry.sex == sex:
            return entry
    return None


def _spelled(entry: NameEntry, role: str, convention: str, rng: Random) -> NamePart:
    conv = "latin" if "latin" in entry.spellings else convention
    return NamePart(role, entry, pick_spelling(rng, entry.forms(conv)))


_HOMONYM = ("neg_homonym_dob", "neg_homonym_dob_nat")


def _negative(kind: str, persons: Sequence[Person], rng: Random) -> Query | None:
    anchor = rng.choice(persons)
    ident = anchor.ident
    conv = ident.convention
    arabic = ident.origin == "arabic"
    sex = ident.sex
    nationality: str | None = ident.nationality
    if kind in _HOMONYM:
        # Someone else with the same name: another birth year, maybe another state.
        common = _first_given(ident).weight >= 60 or _family(ident).weight >= 25
        clashing = any(p is not anchor and names_clash(ident, p.ident) for p in persons)
        if anchor.birth_date is None or not (common or clashing):
            return None
        year = _homonym_year(rng, ident, persons)
        if year is None:
            return None
        parts = list(ident.parts)
        if ident.role("father") and rng.random() < 0.5:  # and another father
            father = _other_given(rng, ident, "M")
            if father is not None:
                parts = [
                    _spelled(father, "father", conv, rng) if p.role == "father" else p
                    for p in parts
                ]
        query = replace(ident, parts=tuple(parts), birth_date=_random_date(rng, year))
        if kind == "neg_homonym_dob_nat":
            pool = [c for c in NEIGHBOUR_STATES[_region(ident)] if c not in anchor.nationalities]
            nationality = rng.choice(pool)
        elif rng.random() < 0.15:
            nationality = None
    elif kind == "neg_same_given":
        # The same (common) given name, another family name.
        if _first_given(ident).weight < 40 and rng.random() < 0.7:
            return None
        state = rng.choice(NEIGHBOUR_STATES[_region(ident)]) if arabic else ident.nationality
        fresh = draw_identity(rng, arabic=arabic, nationality=state, sex=sex)
        families = [_spelled(p.entry, "family", conv, rng) for p in fresh.role("family")]
        if _family(fresh).core in {_family(ident).core, *_given_groups(ident)}:
            return None
        parts = [p for p in ident.parts if p.role == "given"]
        if ident.role("father") and rng.random() < 0.5:
            parts += [p for p in fresh.parts if p.role in ("connector", "father")]
        query = replace(ident, parts=tuple(parts + families), birth_date=fresh.birth_date)
        nationality = fresh.nationality
    elif kind == "neg_same_family":
        # The same family name, another given name.
        sex = sex if rng.random() < 0.6 else ("F" if sex == "M" else "M")
        given = _other_given(rng, ident, sex)
        if given is None:
            return None
        fresh = draw_identity(rng, arabic=arabic, nationality=ident.nationality, sex=sex)
        parts = [_spelled(given, "given", conv, rng)]
        parts += [p for p in fresh.parts if p.role in ("connector", "father", "grandfather")]
        parts += [p for p in ident.parts if p.role == "family"]
        query = replace(ident, parts=tuple(parts), birth_date=fresh.birth_date, sex=sex)
    elif kind == "neg_sibling":
        # A brother or sister: same family name and father, another given name and birth date.
        if not (ident.role("father") or _family(ident).particle in ("ould", "ag")):
            return None
        sex = sex if rng.random() < 0.6 else ("F" if sex == "M" else "M")
        given = _other_given(rng, ident, sex)
        if given is None:
            return None
        gap = rng.choice((-1, 1)) * rng.choice((2, 3, 4, 5, 6, 7, 8, 12, 13, 14))
        if ident.birth_date.year + gap >= REFERENCE_YEAR:
            return None
        parts = [_spelled(given, "given", conv, rng)]
        parts += [p for p in ident.parts if p.role != "given"]
        born = _random_date(rng, ident.birth_date.year + gap)
        query = replace(ident, parts=tuple(parts), birth_date=born, sex=sex)
    else:
        # A traveller with a common name and no watchlist counterpart.
        query = draw_identity(rng, arabic=rng.random() < 0.75)
        if _first_given(query).weight < 40 and _family(query).weight < 25:
            return None
        nationality, sex = query.nationality, query.sex
    dob, dob_tag = _negative_dob(
        rng, query.birth_date, required=kind in _HOMONYM or kind == "neg_sibling"
    )
    if kind in _HOMONYM:
        if not names_clash(query, ident) or not _clear(query, dob, persons):
            return None
    elif any(names_clash(query, p.ident) for p in persons):
        return None
    name, tag = surface(query, rng)
    if kind not in _HOMONYM and rng.random() < 0.15:
        nationality = None
    tags = [kind, *([tag] if tag else []), f"dob_{dob_tag}"]
    query_sex = sex if rng.random() < 0.85 else None
    return Query(name, dob, nationality, query_sex, None, "+".join(tags))


def make_negatives(persons: list[Person], count: int, rng: Random) -> list[Query]:
    """Hard negatives, in proportion to ``NEGATIVE_KINDS``."""
    queries: list[Query] = []
    for kind in schedule(NEGATIVE_KINDS, count, rng):
        while True:
            query = _negative(kind, persons, rng)
            if query is not None:
                queries.append(query)
                break
    return queries


# --- output -------------------------------------------------------------------------


def _watchlist_line(person: Person) -> str:
    return json.dumps(
        {
            "id": person.wid,
            "names": person.names,
            "birth_date": person.birth_date,
            "nationalities": person.nationalities,
            "sex": person.sex,
            "category": person.category,
            "issued_by": person.issued_by,
            "valid_until": person.valid_until,
        },
        ensure_ascii=False,
    )


def _query_line(query: Query) -> str:
    line: dict[str, object] = {"qid": query.qid, "name": query.name}
    if query.birth_date is not None:
        line["birth_date"] = query.birth_date
    if query.nationality is not None:
        line["nationality"] = query.nationality
    if query.sex is not None:
        line["sex"] = query.sex
    line["expected"] = query.expected.wid if query.expected else None
    line["kind"] = query.kind
    return json.dumps(line, ensure_ascii=False)


def _write_lines(path: Path, lines: Sequence[str]) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _counts(queries: Sequence[Query]) -> dict[str, Counter[str]]:
    main: Counter[str] = Counter()
    modifiers: Counter[str] = Counter()
    dob: Counter[str] = Counter()
    for q in queries:
        head, *rest = q.kind.split("+")
        main[head] += 1
        for tag in rest:
            (dob if tag.startswith("dob_") else modifiers)[tag] += 1
    return {"main": main, "modifiers": modifiers, "dob": dob}


def _table(counter: Counter[str], *, total: int) -> list[str]:
    rows = ["| kind | queries | share |", "|---|---:|---:|"]
    for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
        rows.append(f"| `{key}` | {n} | {100 * n / total:.1f} % |")
    return rows


def readme(
    persons: Sequence[Person], tune: Sequence[Query], holdout: Sequence[Query], seed: int
) -> str:
    every = [*tune, *holdout]
    counts = _counts(every)
    positives = sum(1 for q in every if q.expected)
    script_mix = Counter(
        "Latin + Arabic"
        if p.has_arabic and p.latin_names
        else "Arabic only"
        if p.has_arabic
        else "Latin only"
        for p in persons
    )
    dob_mix = Counter(
        "none"
        if p.birth_date is None
        else {10: "full", 7: "year-month", 4: "year"}[len(p.birth_date)]
        for p in persons
    )
    clusters = Counter(
        (p.ident.role("given")[0].entry.group, _family(p.ident).core) for p in persons
    )
    shared = sum(n for n in clusters.values() if n > 1)
    lines = [
        "# Name screening evaluation set",
        "",
        "Labelled queries for judging a watchlist name-screening engine on Arabic-origin,",
        "Sahel/West African and European names. Generated, deterministic from a seed; no",
        "real person is meant.",
        "",
        "## Files",
        "",
        f"- `watchlist.jsonl`: {len(persons)} watchlist persons, one JSON object per line, in the",
        "  watchlist file contract (`id`, `names`, `birth_date`, `nationalities`, `sex`,",
        "  `category`, `issued_by`, `valid_until`). Names in Latin and/or Arabic script.",
        f"- `queries_tune.jsonl`: {len(tune)} queries. Tune engines (thresholds, weights) on",
        "  these only.",
        f"- `queries_holdout.jsonl`: {len(holdout)} queries. **Held out**: never tune on them,",
        "  never look at individual holdout failures to fix an engine; report on them.",
        "",
        'A query line is `{"qid", "name", "birth_date"?, "nationality"?, "sex"?,',
        '"expected", "kind"}`: `birth_date`, `nationality` and `sex` are absent when the',
        "traveller's document does not give them. `expected` is the watchlist `id` the query",
        "is (a true variant) or `null` (someone else). The harness strips `expected` and",
        "`kind` before screening.",
        "",
        "## How it was generated",
        "",
        "```sh",
        f".venv/bin/python bench/name_eval_data.py --seed {seed} --out bench/data/names_eval",
        "```",
        "",
        "Names come from `bench/name_corpus.py` (Arabic script plus Maghreb/French,",
        "English/Gulf/Levant, Egyptian, ICAO-like and Sahel spellings; West African and",
        "European names), drawn with realistic frequencies per nationality. Variants are",
        "made from that data and from clerk-like edits (typos, particles, MRZ rules), not",
        "from any matching engine. The queries are shuffled, numbered, and split in two",
        "halves at random.",
        "",
        "## The watchlist",
        "",
        f"- Scripts: {', '.join(f'{k} {v}' for k, v in sorted(script_mix.items()))}.",
        f"- Birth dates: {', '.join(f'{k} {v}' for k, v in sorted(dob_mix.items()))}.",
        f"- {shared} persons share their given + family name with at least one other",
        "  watchlist person (e.g. several Mohamed Ben Ali, Ahmed Ben Ali, Fatima Zahra",
        "  El Idrissi, Mamadou Diallo); such persons always have a birth date on record, and",
        "  their birth years differ by at least 2 and not by 9 to 11.",
        "",
        "## Labels",
        "",
        "`kind` is `+`-separated: the main kind first, then modifiers, then the birth-date",
        "variant (`dob_*`).",
        "",
        f"True variants ({positives}, expected = an id):",
        "",
        "- `exact`: a record name as is (sometimes upper-cased).",
        "- `spelling`: another spelling in the same convention (Youssef/Youcef, accents dropped).",
        "- `translit`: another transliteration convention (Maghreb/French, English, Egyptian,",
        "  ICAO-like, Sahel).",
        "- `arabic_vs_latin`: Arabic script query, record has Latin names only.",
        "- `latin_vs_arabic`: Latin query spelled unlike any record name, record has Arabic.",
        "- `arabic_variant`: the Arabic name typed differently (hamza, ة/ه, ى/ي, عبدال, shadda).",
        "- `order_swap`: family name first (`BEN ALI Mohamed`, `Ben Ali, Mohamed`).",
        "- `particle`: particle or compound joined, split, hyphenated or dropped (Benali,",
        "  Ben-Ali, Ali, Elidrissi, Idrissi, Abd El Kader, Fatimazahra, `Ben` of a father's",
        "  name dropped).",
        "- `mrz`, `mrz_truncated`, `mrz_ocr`: the TD3 MRZ name field `SURNAME<<GIVEN<NAMES`;",
        "  `truncated` when cut at 39 characters (the last name cut mid-word); `ocr` with",
        "  O→0 / I→1 misreads. A few keep the `<` filler to 39 characters.",
        "- `typo`: one keyboard insertion, deletion, substitution or transposition.",
        "- `missing_middle`: a second given name, the father's/grandfather's name or a",
        "  second (Spanish) surname left out.",
        "- Modifiers: `respelled` (the passport spells the name unlike the record before the",
        "  main change), `vs_arabic_only` (the record has the Arabic script name only),",
        "  `nat_other` (the passport's nationality is not on the record), `truncated`.",
        "- Birth date: `dob_exact`, `dob_year` (year only), `dob_missing`, `dob_swap`",
        "  (day and month swapped), `dob_typo` (one digit off by one), `dob_jan1` (record has",
        "  the year only, the document shows 1 January). When the record has no birth date,",
        "  the label still says what the document shows compared with the true date.",
        "",
        f"Hard negatives ({len(every) - positives}, expected = null):",
        "",
        "- `neg_homonym_dob`: same name as a watchlist person (spelled as on the record or",
        "  otherwise), another birth year (at least 2 and not 9-11 years apart from every",
        "  person of that name), same or no nationality.",
        "- `neg_homonym_dob_nat`: the same, with another nationality.",
        "- `neg_same_given`: the same (common) given name with another family name.",
        "- `neg_same_family`: the same family name with another given name.",
        "- `neg_sibling`: same family name and father's name (or Ould/Ag + father), another",
        "  given name, born 2-14 years apart.",
        "- `neg_random`: a traveller with a common name and no watchlist counterpart.",
        "- Modifiers tell how the name is shown: `respelled`, `mrz`, `arabic`, `order_swap`,",
        "  `particle`; `dob_full`, `dob_year`, `dob_none`.",
        "",
        "A query with the same name as a watchlist person and no birth date is ambiguous and",
        "is never a negative; positives are only made where no other watchlist person fits",
        "the query's name and birth date as well.",
        "",
        "## Counts (both files)",
        "",
        *_table(counts["main"], total=len(every)),
        "",
        "Modifiers:",
        "",
        *_table(counts["modifiers"], total=len(every)),
        "",
        "Birth-date labels:",
        "",
        *_table(counts["dob"], total=len(every)),
        "",
        "Per file:",
        "",
        "| file | queries | true variants | negatives |",
        "|---|---:|---:|---:|",
    ]
    for label, part in (("queries_tune.jsonl", tune), ("queries_holdout.jsonl", holdout)):
        pos = sum(1 for q in part if q.expected)
        lines.append(f"| `{label}` | {len(part)} | {pos} | {len(part) - pos} |")
    return "\n".join(lines) + "\n"


def _show(queries: Sequence[Query], count: int, rng: Random) -> None:
    for q in rng.sample(list(queries), min(count, len(queries))):
        record = q.expected
        target = (
            f"{record.wid} {record.names} {record.birth_date} {record.nationalities}"
            if record
            else "-"
        )
        print(
            f"{q.kind:<48} {q.name!r:<44} {q.birth_date or '-':<10} "
            f"{q.nationality or '-':<4} -> {target}"
        )


def split_halves(queries: list[Query], rng: Random) -> tuple[list[Query], list[Query]]:
    """Number the queries in a random order and split them in two random halves.

    The split is stratified by main kind, so both halves hold each kind about
    equally often.
    """
    rng.shuffle(queries)
    for n, query in enumerate(queries, start=1):
        query.qid = f"Q{n:05d}"
    strata: dict[str, list[Query]] = {}
    for query in queries:
        strata.setdefault(query.kind.split("+")[0], []).append(query)
    tune: list[Query] = []
    holdout: list[Query] = []
    for key in sorted(strata):
        for query in strata[key]:
            (tune if len(tune) <= len(holdout) else holdout).append(query)
    tune.sort(key=lambda q: q.qid)
    holdout.sort(key=lambda q: q.qid)
    return tune, holdout


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", type=Path, default=Path("bench/data/names_eval"))
    parser.add_argument("--watchlist", type=int, default=400, help="watchlist persons")
    parser.add_argument("--queries", type=int, default=1240, help="queries in all")
    parser.add_argument("--positive-share", type=float, default=0.6)
    parser.add_argument("--show", type=int, default=30, help="print this many samples")
    args = parser.parse_args(argv)

    rng = Random(args.seed)
    persons = build_watchlist(rng, args.watchlist)
    n_pos = round(args.queries * args.positive_share)
    queries = make_positives(persons, n_pos, rng) + make_negatives(
        persons, args.queries - n_pos, rng
    )
    tune, holdout = split_halves(queries, rng)

    args.out.mkdir(parents=True, exist_ok=True)
    _write_lines(args.out / "watchlist.jsonl", [_watchlist_line(p) for p in persons])
    _write_lines(args.out / "queries_tune.jsonl", [_query_line(q) for q in tune])
    _write_lines(args.out / "queries_holdout.jsonl", [_query_line(q) for q in holdout])
    (args.out / "README.md").write_text(readme(persons, tune, holdout, args.seed), encoding="utf-8")

    counts = _counts(queries)
    print(f"watchlist: {len(persons)} persons; queries: {len(tune)} tune + {len(holdout)} holdout")
    for title, counter in counts.items():
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))
    if args.show:
        _show(queries, args.show, Random(args.seed + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
