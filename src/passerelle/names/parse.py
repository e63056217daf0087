"""A written name as the parts a comparison works on.

One name string (``Mohamed Ben Ali``, ``محمد بن علي``, ``BENALI<<MOHAMED``) becomes
a tuple of :class:`NamePart`. Particles bind to the word they introduce (``Ben
Ali``, ``Benali`` and ``Ben-Ali`` are one part), the article is dropped (``El
Idrissi`` and ``Idrissi`` agree; a glued ``Elidrissi`` keeps both readings),
``Abd`` compounds lose their inner article the way Arabic script writes them
(Abdelkader, Abd al-Qadir, Abdul Kader and عبد القادر share ``bdkdr``), and
compounds are one part however spaced: ``-eddine``, ``-ur-rahman`` (Zia-ur-Rahman,
Ziaurrahman, ضياء الرحمن) and Allah (Habib Ullah, Habibullah, حبيب الله). Titles at
the head of a name (Haji, Mullah, Dr) and initials are left out: they neither earn
nor cost (:func:`unweighed_words` names them). MRZ-form names (``<`` for spaces,
``<<`` between surname and given names) are read with the digits OCR confuses
with letters put back, and a name that fills the whole field is marked
truncated: its last part may have been cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from passerelle.names.arabic import arabic_skeleton, fold_arabic, is_arabic
from passerelle.names.catalogue import (
    ALLAH_WORDS,
    ARABIC_SECOND_HALVES,
    ARTICLES,
    LATIN_SECOND_HALVES,
    NAME_TITLES,
    PARTICLE_SKELETONS,
    PATRONYMIC_PARTICLES,
    SUN_ARTICLES,
    TITLES,
)
from passerelle.names.latin import fold_latin, latin_skeleton
from passerelle.names.words import NamePart, arabic_part, construct, latin_part, seam, servant

__all__ = ["NamePart", "parse_name", "unweighed_words"]

MRZ_NAME_FIELDS = frozenset({30, 31, 39})
"""Lengths of the MRZ name field (TD1, TD2, TD3): a name that fills one may be truncated."""

_MRZ_DIGITS = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})
_SPLIT = re.compile(r"[\s\-_,.;/()]+")
_APOSTROPHES = re.compile("['’‘`ʿʾ\u02bb\u02bc]")
_DIN_WORD = re.compile(r"(?:[aeiou]?l|[aeiou])?d{1,2}(?:i|ee|ii)ne?$")
_ARABIC_ARTICLE = "ال"


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
    >>> [p.skeleton for p in parse_name("Haji Habib Ullah Reshad")]
    ['hblh', 'rxd']
    """
    parts, truncated, _ = _read(text)
    if truncated and parts:
        parts[-1] = replace(parts[-1], truncated=True)
    return tuple(parts)


def unweighed_words(text: str) -> tuple[str, ...]:
    """The words of a written name that neither earn nor cost bits: its titles and
    initials, folded, for the reasons an officer reads.

    >>> unweighed_words("Haji Abdul Rahman S. Taha")
    ('haji', 's')
    """
    return _read(text)[2]


def _read(text: str) -> tuple[list[NamePart], bool, tuple[str, ...]]:
    """(parts, whether a full MRZ field may be cut, the titles and initials left out)."""
    mrz = "<" in text
    truncated = False
    if mrz:
        field = text.strip()
        truncated = len(field) in MRZ_NAME_FIELDS and field[-1:].isalpha()
        words = field.upper().translate(_MRZ_DIGITS).replace("<", " ").split()
    else:
        words = [w for w in _SPLIT.split(_APOSTROPHES.sub("", text)) if w]
    read = [_word(w) for w in words]
    initials: list[str] = []
    if not mrz:
        kept = _without_initials(read)
        initials = [word.text for word in read if word not in kept]
        read = kept
    titles: list[str] = []
    parts = _combine(read, None if mrz else titles)  # a passport prints no titles
    return parts, truncated, (*titles, *initials)


@dataclass(frozen=True, slots=True)
class _Word:
    text: str  # folded Latin or Arabic letters
    arabic: bool


@lru_cache(maxsize=200_000)
def _word(raw: str) -> _Word:
    """One written word, folded (cached: a watchlist's million names share their words)."""
    if is_arabic(raw):
        return _Word(fold_arabic(raw), True)
    return _Word(fold_latin(raw).replace(" ", ""), False)


def _without_initials(words: list[_Word]) -> list[_Word]:
    """An initial (``Abdul Rahman S Taha``, ``Raed M. Hijazi``) says too little to earn
    bits and costs none when the other side spells the name out or lacks it."""
    if sum(len(word.text) >= 2 for word in words) < 2:
        return words
    return [word for word in words if word.arabic or len(word.text) != 1]


def _combine(words: list[_Word], titles: list[str] | None) -> list[NamePart]:
    """Bind particles, drop articles and titles (kept in ``titles``; None: read no
    titles, as in an MRZ, whose first word is a surname), join compounds; one part per
    name part."""
    parts: list[NamePart] = []
    i = 0
    after_article = False
    while i < len(words):
        word = words[i]
        following = words[i + 1] if i + 1 < len(words) else None
        if not word.text:
            i += 1
            continue
        if following is not None and _is_article(word, following):
            after_article = True
            i += 1
            continue
        article, after_article = after_article, False
        if (
            titles is not None
            and following is not None
            and not parts
            and _is_title(word, article, i, len(words) - i - 1)
        ):
            titles.append(word.text)  # a title neither earns nor costs (catalogue.TITLES)
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
        if word.text in ALLAH_WORDS:
            if parts and not article:  # Habib Ullah, حبيب الله: one name
                parts[-1] = _theophoric(parts[-1], word.arabic)
                i += 1
                continue
            if following is not None and not parts:  # Allah Dad, الله داد
                parts.append(_allah_first(_part(following)))
                i += 2
                continue
        second = _second_half(word, article)
        if parts and second:  # Nour Eddine, Zia-ur-Rahman, ضياء الرحمن
            parts[-1] = _joined(parts[-1], second, word)
            i += 1
            continue
        parts.append(_part(word))
        i += 1
    return parts


def _is_title(word: _Word, after_article: bool, position: int, after: int) -> bool:
    """Whether ``word``, at the head of a name with ``after`` words after it, is a title
    (catalogue.TITLES). One that is also a name (Amir, Sayed) is a title only as the
    first word, without an article, before three words or more: ``Amir Hosseini`` is
    a given name and a family name, ``Sayyid Abdul Basir Zerhouni`` a title and three."""
    if word.text in TITLES:
        return True
    return word.text in NAME_TITLES and not after_article and position == 0 and after >= 3


def _second_half(word: _Word, after_article: bool) -> str:
    """The skeleton ``word`` adds as a compound's second half, or "" if it is none."""
    if word.arabic:
        if word.text in ARABIC_SECOND_HALVES or word.text == "دين":
            return arabic_skeleton(word.text[2:] if word.text.startswith("ال") else word.text)
        return ""
    if _DIN_WORD.match(word.text):
        return "dn"
    return LATIN_SECOND_HALVES.get(word.text, "") if after_article else ""


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
        return arabic_part(word.text)
    return latin_part(word.text)


def _bound(particle: str, word: _Word, bound_to: _Word) -> NamePart:
    """A particle and the name part it introduces, as one part."""
    target = _part(bound_to)
    core = target.core if target.core_is_article else target.skeleton
    latin = (particle + target.latin) if target.latin else ""
    shown = f"{word.text} {target.shown}"
    prefix = {"abd": "bd", "abu": "b"}.get(particle) or PARTICLE_SKELETONS.get(
        particle, latin_skeleton(particle)
    )
    alternate = seam(prefix, target.alternate) if target.alternate else ""
    if particle == "abd":
        return servant(
            NamePart(shown, latin, seam(prefix, core), arabic=target.arabic, alternate=alternate),
            core,
        )
    if particle == "abu":
        return NamePart(
            shown,
            latin,
            seam(prefix, core),
            arabic=target.arabic,
            alternate=alternate,
            particle=particle,
        )
    return NamePart(
        shown,
        latin,
        seam(prefix, core),
        core=core,
        arabic=target.arabic,
        alternate=alternate,
        particle=particle,
    )


def _joined(first: NamePart, second: str, word: _Word) -> NamePart:
    """``first`` and a compound's second half (skeleton ``second``) as one part."""
    latin = first.latin + word.text if first.latin and not word.arabic else ""
    return NamePart(
        f"{first.shown} {word.text}",
        latin,
        seam(first.skeleton, second),
        arabic=first.arabic,
        alternate=seam(first.alternate, second) if first.alternate else "",
    )


def _theophoric(first: NamePart, arabic: bool) -> NamePart:
    """``first`` followed by Allah (Habib Ullah, حبيب الله) as one part."""
    head = first
    if first.arabic and first.shown.endswith("ة"):
        head = arabic_part(construct(first.shown))
    joined = _joined(head, "lh", _Word("الله" if arabic else "ullah", arabic))
    return NamePart(
        f"{first.shown} {'الله' if arabic else 'allah'}",
        joined.latin,
        joined.skeleton,
        core=head.skeleton,
        arabic=joined.arabic,
        alternate=joined.alternate,
    )


def _allah_first(second: NamePart) -> NamePart:
    """Allah followed by ``second`` (Allah Dad, الله داد) as one part."""
    return NamePart(
        f"allah {second.shown}",
        "allah" + second.latin if second.latin else "",
        seam("lh", second.skeleton),
        arabic=second.arabic,
        alternate=seam("lh", second.alternate) if second.alternate else "",
    )
