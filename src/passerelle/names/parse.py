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
from dataclasses import dataclass, replace
from functools import lru_cache

from passerelle.names.arabic import (
    arabic_alternates,
    arabic_frame,
    arabic_skeleton,
    fold_arabic,
    is_arabic,
)
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
from passerelle.names.latin import fold_latin, latin_alternates, latin_frame, latin_skeleton
from passerelle.names.lexicon import READINGS

__all__ = ["NamePart", "parse_name"]

MRZ_NAME_FIELDS = frozenset({30, 31, 39})
"""Lengths of the MRZ name field (TD1, TD2, TD3): a name that fills one may be truncated."""

_MRZ_DIGITS = str.maketrans({"0": "O", "1": "I", "5": "S", "8": "B", "2": "Z", "6": "G"})
_SPLIT = re.compile(r"[\s\-_,.;/()]+")
_APOSTROPHES = re.compile("['’‘`ʿʾ\u02bb\u02bc]")
_ABD = re.compile(r"abd(?:[aeiou]{1,2}l|[aeiou]{1,2}(?=([tdrzsn])\1))?")
_DIN = re.compile(r"(?<=[a-z]{3})(?:[aeiou]?l)?[aeiou]?d{1,2}(?:i|ee|ii)ne?$")
_DIN_WORD = re.compile(r"(?:[aeiou]?l|[aeiou])?d{1,2}(?:i|ee|ii)ne?$")
_ALLAH_END = re.compile(r"([a-z]{3,}?)(?:[aeiou]?llah|ulla)$")
_ALLAH_START = re.compile(r"allah[a-z]{2,}$")
_DESCENT_END = re.compile(r"([a-z]{3,}?)(?:zadah|zadeh|zada|zade|zai|zay|zoy)$")
_ARABIC_DESCENT = ("زاده", "زادہ", "زي")
"""Persian and Pashto endings of descent (-zada son of, -zai of the tribe of): the
name without them is the part's core (Akhundzada meets Akhund, Noorzai Noor)."""
_SECOND_HALF_END = re.compile(
    r"([a-z]{2,}?[aeiou])(?:l|r|rr|s|ss|d|dd|n|z|t)?(" + "|".join(LATIN_SECOND_HALVES) + ")$"
)
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
    particle: str = ""
    """The particle bound to the part (``ben``, ``abu``...), "" if none."""
    frame: str = ""
    """Where the vowels sit (:func:`~passerelle.names.latin.latin_frame`), for telling
    look-alike names of one skeleton apart; "" for compounds and bound parts."""
    alternate: str = ""
    """The skeleton with the region's other reading of two-way letters (ظ z or dh, ث t
    or s: :func:`~passerelle.names.arabic.arabic_alternates`), "" when there is none."""


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
    mrz = "<" in text
    truncated = False
    if mrz:
        field = text.strip()
        truncated = len(field) in MRZ_NAME_FIELDS and field[-1:].isalpha()
        words = field.upper().translate(_MRZ_DIGITS).replace("<", " ").split()
    else:
        words = [w for w in _SPLIT.split(_APOSTROPHES.sub("", text)) if w]
    read = [_word(w) for w in words]
    if not mrz:
        read = _without_initials(read)
    parts = _combine(read)
    if truncated and parts:
        parts[-1] = replace(parts[-1], truncated=True)
    return tuple(parts)


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


def _combine(words: list[_Word]) -> list[NamePart]:
    """Bind particles, drop articles and titles, join compounds; one part per name part."""
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
        if following is not None and not parts and _is_title(word, article, i):
            i += 1  # a title neither earns nor costs (catalogue.TITLES)
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


def _is_title(word: _Word, after_article: bool, position: int) -> bool:
    """Whether ``word``, at the head of a name, is a title (catalogue.TITLES)."""
    if word.text in TITLES:
        return True
    return word.text in NAME_TITLES and not after_article and position == 0


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
        return _arabic_part(word.text)
    return _latin_part(word.text)


def _latin_part(text: str) -> NamePart:
    abd = _ABD.match(text)
    if abd and len(text) - abd.end() >= 2:
        rest = text[abd.end() :]
        return _servant(_latin_compound(text, "bd", rest, ""), latin_skeleton(rest))
    theophoric = _ALLAH_END.match(text)
    if theophoric:  # Habibullah, Khayrallah, Hidayatullah
        compound = _latin_compound(text, "", theophoric.group(1), "lh")
        return replace(compound, core=latin_skeleton(theophoric.group(1)))
    if _ALLAH_START.match(text):  # Allahdad
        return _latin_compound(text, "lh", text[5:], "")
    compound = _SECOND_HALF_END.match(text)
    if compound:  # Ziaurrahman, Ziaulhaq
        return _latin_compound(text, "", compound.group(1), LATIN_SECOND_HALVES[compound.group(2)])
    din = _DIN.search(text)
    if din:
        return _latin_compound(text, "", text[: din.start()], "dn")
    skeleton = latin_skeleton(text)
    alternate = latin_alternates(text)
    descent = _DESCENT_END.match(text)
    if descent and len(latin_skeleton(descent.group(1))) >= 2:  # Akhundzada, Noorzai
        return NamePart(
            text, text, skeleton, core=latin_skeleton(descent.group(1)), alternate=alternate
        )
    for prefix, particle in (("ben", "ben"), ("bin", "ben"), ("ibn", "ben"), ("ould", "ould")):
        if text.startswith(prefix) and len(text) - len(prefix) >= 3:
            core = latin_skeleton(text[len(prefix) :])
            return NamePart(
                text, text, _seam(PARTICLE_SKELETONS[particle], core), core=core, alternate=alternate
            )
    if text.startswith(("el", "al")) and len(text) >= 6:
        core = latin_skeleton(text[2:])
        if len(core) >= 2:
            return NamePart(
                text, text, skeleton, core=core, core_is_article=True, alternate=alternate
            )
    if not skeleton:
        return NamePart(text, text, _VOWELS_ONLY + text)
    if len(text) >= 4 and text.endswith("at") and len(skeleton) >= 2:
        # a final -at is often ة, which Arabic script writes without a consonant (Hayat)
        return NamePart(
            text,
            text,
            skeleton,
            core=skeleton[:-1],
            core_is_article=True,
            alternate=alternate,
            frame=latin_frame(text),
        )
    return NamePart(text, text, skeleton, alternate=alternate, frame=latin_frame(text))


def _latin_compound(text: str, before: str, middle: str, after: str) -> NamePart:
    """A Latin word that is a compound: ``before`` + the skeleton of ``middle`` + ``after``."""
    alternate = latin_alternates(middle)
    return NamePart(
        text,
        text,
        _seam(_seam(before, latin_skeleton(middle)), after),
        alternate=_seam(_seam(before, alternate), after) if alternate else "",
    )


def _arabic_part(text: str) -> NamePart:
    reading = READINGS.get(text, "")
    if text.startswith(_ARABIC_ARTICLE) and len(text) > 3 and text != "الله":
        text = text[2:]
    reading = reading or READINGS.get(text, "")
    if text.startswith("عبد") and len(text) > 4:
        rest = text[3:]
        if rest.startswith(_ARABIC_ARTICLE):
            rest = rest[2:]
        return _servant(_arabic_compound(text, reading, "bd", rest, ""), arabic_skeleton(rest))
    if text.endswith("الله") and len(text) >= 6:  # حبيبالله, glued
        head = _construct(text[:-4])
        compound = _arabic_compound(text, reading, "", head, "lh")
        return replace(compound, core=arabic_skeleton(head))
    if text.startswith("الله") and len(text) >= 6:  # اللهداد
        return _arabic_compound(text, reading, "lh", text[4:], "")
    for suffix in _ARABIC_DESCENT:  # آخوندزاده, نورزی: of the Akhund, of the Noor
        head = text[: -len(suffix)]
        if text.endswith(suffix) and len(arabic_skeleton(head)) >= 2:
            return NamePart(
                text,
                reading,
                arabic_skeleton(text),
                core=arabic_skeleton(head),
                arabic=True,
                alternate=arabic_alternates(text),
            )
    frame = arabic_frame(text)
    inner = text.find(_ARABIC_ARTICLE, 3)
    if inner >= 3 and len(text) - inner - 2 >= 2:  # نورالدين: the article inside a compound
        text = text[:inner] + text[inner + 2 :]
        frame = ""
    reading = reading or READINGS.get(text, "")
    skeleton = arabic_skeleton(text)
    if not skeleton:  # آية: long vowels only
        skeleton = _VOWELS_ONLY + (reading or text.translate(_ARABIC_VOWEL_LETTERS))
    return NamePart(
        text, reading, skeleton, arabic=True, alternate=arabic_alternates(text), frame=frame
    )


def _arabic_compound(text: str, reading: str, before: str, middle: str, after: str) -> NamePart:
    alternate = arabic_alternates(middle)
    return NamePart(
        text,
        reading,
        _seam(_seam(before, arabic_skeleton(middle)), after),
        arabic=True,
        alternate=_seam(_seam(before, alternate), after) if alternate else "",
    )


def _construct(head: str) -> str:
    """The first half of a compound as said before its second: a final ة is read t
    (هبة الله, Hibatullah; رحمة الله, Rahmatullah)."""
    return head[:-1] + "ت" if head.endswith("ة") else head


def _bound(particle: str, word: _Word, bound_to: _Word) -> NamePart:
    """A particle and the name part it introduces, as one part."""
    target = _part(bound_to)
    core = target.core if target.core_is_article else target.skeleton
    latin = (particle + target.latin) if target.latin else ""
    shown = f"{word.text} {target.shown}"
    prefix = {"abd": "bd", "abu": "b"}.get(particle) or PARTICLE_SKELETONS.get(
        particle, latin_skeleton(particle)
    )
    alternate = _seam(prefix, target.alternate) if target.alternate else ""
    if particle == "abd":
        return _servant(
            NamePart(shown, latin, _seam(prefix, core), arabic=target.arabic, alternate=alternate),
            core,
        )
    if particle == "abu":
        return NamePart(
            shown,
            latin,
            _seam(prefix, core),
            arabic=target.arabic,
            alternate=alternate,
            particle=particle,
        )
    return NamePart(
        shown,
        latin,
        _seam(prefix, core),
        core=core,
        arabic=target.arabic,
        alternate=alternate,
        particle=particle,
    )


def _servant(compound: NamePart, name: str) -> NamePart:
    """An Abd compound with the divine name it serves as its core: Abdul Basir is often
    shortened to Basir, which meets it as a particle left out (not for Abdullah: a
    one-consonant core would meet Ali)."""
    return replace(compound, core=name, particle="abd") if len(name) >= 2 else compound


def _seam(first: str, second: str) -> str:
    """Two skeletons joined, the consonant they meet on said once (Abd + Daim, Saad + Din)."""
    return first + second[1:] if first and first[-1:] == second[:1] else first + second


def _joined(first: NamePart, second: str, word: _Word) -> NamePart:
    """``first`` and a compound's second half (skeleton ``second``) as one part."""
    latin = first.latin + word.text if first.latin and not word.arabic else ""
    return NamePart(
        f"{first.shown} {word.text}",
        latin,
        _seam(first.skeleton, second),
        arabic=first.arabic,
        alternate=_seam(first.alternate, second) if first.alternate else "",
    )


def _theophoric(first: NamePart, arabic: bool) -> NamePart:
    """``first`` followed by Allah (Habib Ullah, حبيب الله) as one part."""
    head = first
    if first.arabic and first.shown.endswith("ة"):
        head = _arabic_part(_construct(first.shown))
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
        _seam("lh", second.skeleton),
        arabic=second.arabic,
        alternate=_seam("lh", second.alternate) if second.alternate else "",
    )
