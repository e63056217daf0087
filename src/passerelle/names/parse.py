"""A written name as the parts a comparison works on.

One name string (``Mohamed Ben Ali``, ``محمد بن علي``, ``BENALI<<MOHAMED``) becomes
a tuple of :class:`NamePart`. Particles bind to the word they introduce (``Ben
Ali``, ``Benali`` and ``Ben-Ali`` are one part), the article is dropped (``El
Idrissi`` and ``Idrissi`` agree; a glued ``Elidrissi`` keeps both readings),
``Abd`` compounds lose their inner article the way Arabic script writes them
(Abdelkader, Abd al-Qadir, Abdul Kader and عبد القادر share ``bdkdr``), and
``-eddine`` compounds join their first half. MRZ-form names (``<`` for spaces,
``<<`` between surname and given names) are read with the digits OCR confuses
with letters put back, and a name that fills the whole field is marked
truncated: its last part may have been cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from passerelle.names.arabic import arabic_skeleton, is_arabic, strip_arabic_marks
from passerelle.names.latin import fold_latin, latin_skeleton
from passerelle.names.lexicon import (
    ARTICLES,
    PARTICLE_SKELETONS,
    PATRONYMIC_PARTICLES,
    READINGS,
    SUN_ARTICLES,
)

__all__ = ["NamePart", "parse_name"]

MRZ_NAME_FIELDS = frozenset({30, 31, 39})
"""Lengths of the MRZ name field (TD1, TD2, TD3): a name that fills one may be truncated."""

_MRZ_DIGITS = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})
_SPLIT = re.compile(r"[\s\-_,.;/()]+")
_APOSTROPHES = re.compile("['’‘`ʿʾ\u02bb\u02bc]")
_ABD = re.compile(r"abd(?:[aeiou]{1,2}l|[aeiou]{1,2}(?=([tdrzsn])\1))?")
_DIN = re.compile(r"(?<=[a-z]{3})(?:[aeiou]?l)?[aeiou]?d{1,2}(?:i|ee|ii)ne?$")
_DOUBLES = re.compile(r"(.)\1+")
_DIN_WORDS = frozenset({"din", "dine", "deen", "eddine", "edine", "eddin", "uddin", "ddine"})
_ARABIC_ARTICLE = "ال"
_ARABIC_VOWEL_LETTERS = str.maketrans(
    {
        "ا": "a",
        "آ": "a",
        "أ": "a",
        "إ": "i",
        "ع": "a",
        "ي": "y",
        "ى": "a",
        "و": "w",
        "ة": "a",
        "ئ": "",
        "ء": "",
        "ؤ": "",
    }
)
_VOWELS_ONLY = "~"
"""Skeleton prefix of a name with no consonant class at all (Awa, Aya): the letters."""


@dataclass(frozen=True, slots=True)
class NamePart:
    """One part of a name, in the forms the comparison needs."""

    shown: str
    """The part as written (folded Latin, or Arabic letters), for reasons."""
    latin: str
    """Folded Latin letters, for letter-by-letter comparison ("" for an Arabic word
    the engine has no reading for)."""
    skeleton: str
    """Consonant skeleton, shared by spellings in both scripts."""
    core: str = ""
    """Skeleton of the part without a bound particle or a glued article, if any."""
    core_is_article: bool = False
    """``core`` drops an article (meaning kept) rather than a particle (son of...)."""
    arabic: bool = False
    truncated: bool = False
    """The last part of a full MRZ name field: it may be a prefix of the real name."""


def parse_name(text: str) -> tuple[NamePart, ...]:
    """The parts of one written name, in order.

    >>> [p.skeleton for p in parse_name("Mohamed Ben Ali")]
    ['mhmd', 'bnl']
    >>> [p.skeleton for p in parse_name("محمد بن علي")]
    ['mhmd', 'bnl']
    >>> [p.skeleton for p in parse_name("BENALI<<MOHAMED")]
    ['bnl', 'mhmd']
    >>> [p.skeleton for p in parse_name("Abd al-Qadir El Idrissi")]
    ['bdkdr', 'drs']
    """
    mrz = "<" in text
    truncated = False
    if mrz:
        field = text.strip()
        truncated = len(field) in MRZ_NAME_FIELDS and field[-1:].isalpha()
        words = field.upper().translate(_MRZ_DIGITS).replace("<", " ").split()
    else:
        words = [w for w in _SPLIT.split(_APOSTROPHES.sub("", text)) if w]
    parts = _combine([_word(w) for w in words])
    if truncated and parts:
        last = parts[-1]
        parts[-1] = NamePart(
            last.shown,
            last.latin,
            last.skeleton,
            last.core,
            last.core_is_article,
            last.arabic,
            truncated=True,
        )
    return tuple(parts)


@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # folded Latin or Arabic letters
    arabic: bool


@lru_cache(maxsize=200_000)
def _word(raw: str) -> _Word:
    """One written word, folded (cached: a watchlist's million names share their words)."""
    if is_arabic(raw):
        return _Word(strip_arabic_marks(raw), True)
    return _Word(fold_latin(raw).replace(" ", ""), False)


def _combine(words: list[_Word]) -> list[NamePart]:
    """Bind particles, drop articles, join ``-eddine`` halves; one part per name part."""
    parts: list[NamePart] = []
    i = 0
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else None
        if not word.text:
            i += 1
            continue
        if following is not None and _is_article(word, following):
            i += 1
            continue
        particle = PATRONYMIC_PARTICLES.get(word.text)
        if particle is not None and following is not None:
            j = i + 1
            while j + 1 < len(words) and _is_article(words[j], words[j + 1]):
                j += 1  # Ben el Hadj, Abd el Kader
            parts.append(_bound(particle, word, words[j]))
            i = j + 1
            continue
        if parts and (word.text in _DIN_WORDS or word.text == "الدين" or word.text == "دين"):
            parts[-1] = _joined(
                parts[-1], _part(_Word("din" if not word.arabic else "دين", word.arabic))
            )
            i += 1
            continue
        parts.append(_part(word))
        i += 1
    return parts


def _is_article(word: _Word, following: _Word) -> bool:
    if word.arabic:
        return word.text == _ARABIC_ARTICLE
    if word.text in ARTICLES:
        return True
    if word.text in SUN_ARTICLES and not following.arabic:
        consonant = latin_skeleton(word.text)[-1:]
        return bool(consonant) and latin_skeleton(following.text)[:1] == consonant
    return False


@lru_cache(maxsize=200_000)
def _part(word: _Word) -> NamePart:
    """A single word as a name part (cached: names repeat)."""
    if word.arabic:
        return _arabic_part(word.text)
    return _latin_part(word.text)


def _latin_part(text: str) -> NamePart:
    abd = _ABD.match(text)
    if abd and len(text) - abd.end() >= 2:
        rest = text[abd.end() :]
        return NamePart(text, text, _dedupe("bd" + latin_skeleton(rest)))
    din = _DIN.search(text)
    if din:
        head = text[: din.start()]
        return NamePart(text, text, _dedupe(latin_skeleton(head) + "dn"))
    skeleton = latin_skeleton(text)
    for prefix, particle in (("ben", "ben"), ("bin", "ben"), ("ibn", "ben"), ("ould", "ould")):
        if text.startswith(prefix) and len(text) - len(prefix) >= 3:
            core = latin_skeleton(text[len(prefix) :])
            return NamePart(text, text, _dedupe(PARTICLE_SKELETONS[particle] + core), core=core)
    if text.startswith(("el", "al")) and len(text) >= 6:
        core = latin_skeleton(text[2:])
        if len(core) >= 2:
            return NamePart(text, text, skeleton, core=core, core_is_article=True)
    if not skeleton:
        return NamePart(text, text, _VOWELS_ONLY + text)
    if len(text) >= 4 and text.endswith("at") and len(skeleton) >= 2:
        # a final -at is often ة, which Arabic script writes without a consonant (Hayat)
        return NamePart(text, text, skeleton, core=skeleton[:-1], core_is_article=True)
    return NamePart(text, text, skeleton)


def _arabic_part(text: str) -> NamePart:
    reading = READINGS.get(text, "")
    if text.startswith(_ARABIC_ARTICLE) and len(text) > 3:
        text = text[2:]
    reading = reading or READINGS.get(text, "")
    if text.startswith("عبد") and len(text) > 4:
        rest = text[3:]
        if rest.startswith(_ARABIC_ARTICLE):
            rest = rest[2:]
        return NamePart(text, reading, _dedupe("bd" + arabic_skeleton(rest)), arabic=True)
    inner = text.find(_ARABIC_ARTICLE, 3)
    if inner >= 3 and len(text) - inner - 2 >= 2:  # نورالدين: the article inside a compound
        text = text[:inner] + text[inner + 2 :]
    reading = reading or READINGS.get(text, "")
    skeleton = arabic_skeleton(text)
    if not skeleton:  # آية: long vowels only
        skeleton = _VOWELS_ONLY + (reading or text.translate(_ARABIC_VOWEL_LETTERS))
    return NamePart(text, reading, skeleton, arabic=True)


def _bound(particle: str, word: _Word, bound_to: _Word) -> NamePart:
    """A particle and the name part it introduces, as one part."""
    target = _part(bound_to)
    core = target.core if target.core_is_article else target.skeleton
    latin = (particle + target.latin) if target.latin else ""
    shown = f"{word.text} {target.shown}"
    if particle == "abd":
        return NamePart(shown, latin, _dedupe("bd" + core), arabic=target.arabic)
    if particle == "abu":
        return NamePart(shown, latin, _dedupe("b" + core), arabic=target.arabic)
    prefix = PARTICLE_SKELETONS.get(particle, latin_skeleton(particle))
    return NamePart(shown, latin, _dedupe(prefix + core), core=core, arabic=target.arabic)


def _dedupe(skeleton: str) -> str:
    return _DOUBLES.sub(r"\1", skeleton)


def _joined(first: NamePart, second: NamePart) -> NamePart:
    latin = first.latin + second.latin if first.latin and second.latin else ""
    return NamePart(
        f"{first.shown} {second.shown}",
        latin,
        first.skeleton + second.skeleton,
        arabic=first.arabic,
    )
