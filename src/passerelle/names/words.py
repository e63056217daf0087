"""One written word as a name part: its skeleton, core, frame and other reading.

A Latin word (folded a-z) or an Arabic-script word (folded by
:func:`~passerelle.names.arabic.fold_arabic`) becomes a :class:`NamePart`.
Compounds written as one word are read here: ``Abd`` compounds (Abdelkader,
عبدالقادر) with the name they carry as a core, Allah compounds (Habibullah,
حبيبالله, Allahdad), ``-ud-din`` and ``-ur-rahman`` compounds (Sirajuddin,
Ziaurrahman), the Persian and Pashto endings of descent (Akhundzada, Noorzai),
a bound ``Ben``/``Ould`` and a glued article (Benali, Elidrissi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from passerelle.names.arabic import arabic_alternates, arabic_frame, arabic_skeleton
from passerelle.names.catalogue import LATIN_SECOND_HALVES, PARTICLE_SKELETONS
from passerelle.names.latin import latin_alternates, latin_frame, latin_skeleton
from passerelle.names.lexicon import READINGS
from passerelle.names.saved import SavedAsFields

__all__ = ["NamePart", "arabic_part", "construct", "latin_part", "seam", "servant"]

_ABD = re.compile(r"abd(?:[aeiou]{1,2}l|[aeiou]{1,2}(?=([tdrzsn])\1))?")
_DIN = re.compile(r"(?<=[a-z]{3})(?:[aeiou]?l)?[aeiou]?d{1,2}(?:i|ee|ii)ne?$")
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
class NamePart(SavedAsFields):
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


def latin_part(text: str) -> NamePart:
    abd = _ABD.match(text)
    if abd and len(text) - abd.end() >= 2:
        rest = text[abd.end() :]
        return servant(_latin_compound(text, "bd", rest, ""), latin_skeleton(rest))
    theophoric = _ALLAH_END.match(text)
    if theophoric:  # Habibullah, Khayrallah, Hidayatullah
        head = theophoric.group(1)
        return replace(_latin_compound(text, "", head, "lh"), core=latin_skeleton(head))
    if _ALLAH_START.match(text):  # Allahdad
        return _latin_compound(text, "lh", text[5:], "")
    halves = _SECOND_HALF_END.match(text)
    if halves:  # Ziaurrahman, Ziaulhaq
        return _latin_compound(text, "", halves.group(1), LATIN_SECOND_HALVES[halves.group(2)])
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
                text,
                text,
                seam(PARTICLE_SKELETONS[particle], core),
                core=core,
                alternate=alternate,
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
        seam(seam(before, latin_skeleton(middle)), after),
        alternate=seam(seam(before, alternate), after) if alternate else "",
    )


def arabic_part(text: str) -> NamePart:
    reading = READINGS.get(text, "")
    if text.startswith(_ARABIC_ARTICLE) and len(text) > 3 and text != "الله":
        text = text[2:]
    reading = reading or READINGS.get(text, "")
    if text.startswith("عبد") and len(text) > 4:
        rest = text[3:]
        if rest.startswith(_ARABIC_ARTICLE):
            rest = rest[2:]
        return servant(_arabic_compound(text, reading, "bd", rest, ""), arabic_skeleton(rest))
    if text.endswith("الله") and len(text) >= 6:  # حبيبالله, glued
        head = construct(text[:-4])
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
        seam(seam(before, arabic_skeleton(middle)), after),
        arabic=True,
        alternate=seam(seam(before, alternate), after) if alternate else "",
    )


def construct(head: str) -> str:
    """The first half of a compound as said before its second: a final ة is read t
    (هبة الله, Hibatullah; رحمة الله, Rahmatullah)."""
    return head[:-1] + "ت" if head.endswith("ة") else head


def servant(compound: NamePart, name: str) -> NamePart:
    """An Abd compound with the divine name it serves as its core: Abdul Basir is often
    shortened to Basir, which meets it as a particle left out (not for Abdullah: a
    one-consonant core would meet Ali)."""
    return replace(compound, core=name, particle="abd") if len(name) >= 2 else compound


def seam(first: str, second: str) -> str:
    """Two skeletons joined, the consonant they meet on said once (Abd + Daim, Saad + Din)."""
    return first + second[1:] if first and first[-1:] == second[:1] else first + second
