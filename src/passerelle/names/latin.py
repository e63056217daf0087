"""Latin script: folding to plain lower-case letters, and the consonant skeleton of a word.

The skeleton is the Latin half of :mod:`passerelle.names.arabic`: the same
consonant classes, reached from the spellings French, English, Spanish and
ICAO-style transcriptions use. ``ch``/``sh``/``sch`` (ش) are ``x``; ``dj``/``j``
(ج) are ``j``; ``kh``, ``q``, ``ck`` and a hard ``c`` are ``k``; a soft ``c``
(Youcef) is ``s``; ``th``/``dh``/``ph``/``gh`` lose their ``h``; ``ou`` before a
vowel is the consonant ``w`` (Oualid, Redouane). Vowels are dropped, and so are
``w`` and ``y`` inside a word (long vowels in Arabic), a final ``h`` after a
vowel (Fatimah, Abdallah) and doubled letters (Mohammed).

>>> [latin_skeleton(w) for w in ("mohamed", "muhammad", "mhamed", "mohammed")]
['mhmd', 'mhmd', 'mhmd', 'mhmd']
>>> [latin_skeleton(w) for w in ("youssef", "yusuf", "youcef")]
['ysf', 'ysf', 'ysf']
>>> [latin_skeleton(w) for w in ("hicham", "hisham", "walid", "oualid", "redouane", "radwan")]
['hxm', 'hxm', 'wld', 'wld', 'rdn', 'rdn']
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

__all__ = ["fold_latin", "latin_skeleton"]

_NOT_LETTER = re.compile(r"[^a-z]+")
_REWRITES = (
    (re.compile("x"), "ks"),
    (re.compile("ou(?=[aeiy])"), "w"),
    (re.compile("tch|sch|sh|ch"), "x"),
    (re.compile("dj"), "j"),
    (re.compile("kh|ck|q"), "k"),
    (re.compile("c(?=[eiy])"), "s"),
    (re.compile("c"), "k"),
    (re.compile("ph"), "f"),
    (re.compile("(?<=[tdg])h"), ""),
)
_VOWEL_H_END = re.compile("(?<=[aeiou])h$")
_DROP = re.compile("[aeiou]|(?<=.)[wy]")
_DOUBLES = re.compile(r"(.)\1+")


def fold_latin(text: str) -> str:
    """Plain lower-case a-z and single spaces: accents, ligatures and other scripts folded.

    >>> fold_latin("Aïcha  Ouédraogo-Müller")
    'aicha ouedraogo muller'
    """
    ascii_text = unidecode(unicodedata.normalize("NFKC", text)).lower()
    return " ".join(_NOT_LETTER.sub(" ", ascii_text).split())


def latin_skeleton(word: str) -> str:
    """The consonant skeleton of one folded word (lower-case a-z)."""
    text = _VOWEL_H_END.sub("", word) if len(word) > 2 else word
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    head = text[:1] if text[:1] in ("w", "y") else ""
    body = _DROP.sub("", text[1:] if head else text)
    return _DOUBLES.sub(r"\1", head + body)
