"""Arabic script: consonant skeletons for matching, and Latin transliteration for people.

Arabic script writes consonants and long vowels; short vowels are left out. A
name's *skeleton* keeps the consonants that every spelling of it shares, in
either script, so that محمد and Mohamed, Muhammad and Mhamed all come to
``mhmd``. The classes follow how Maghreb and Gulf clerks transcribe each
letter: ث th/t and ت t are one class, ص and س are ``s``, ش (sh, ch) is ``x``,
خ (kh) and ق (q, k, g) are ``k``, ع (ʿayn) and the hamza forms are dropped like
vowels, as Latin spellings drop them (Omar, Ali). A و or ي opening a word is a
consonant (Walid, Youssef); inside a word it is read as a long vowel and
dropped, mirroring :func:`passerelle.names.latin.latin_skeleton`.

:func:`icao_transliteration` gives the ICAO Doc 9303 Part 3 recommended Latin
letters (without the ``X`` escapes of the reversible form), the base spelling a
passport of an Arabic-script state prints when it has no other.
"""

from __future__ import annotations

import re

__all__ = ["arabic_skeleton", "icao_transliteration", "is_arabic", "strip_arabic_marks"]

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel

_DROPPED = set("اأإآٱءؤئىةعٰ")
_CLASSES = {
    "ب": "b",
    "پ": "b",
    "ت": "t",
    "ث": "t",
    "ط": "t",
    "ج": "j",
    "ژ": "j",
    "چ": "x",
    "ح": "h",
    "ه": "h",
    "خ": "k",
    "ق": "k",
    "ك": "k",
    "ک": "k",
    "د": "d",
    "ذ": "d",
    "ض": "d",
    "ر": "r",
    "ز": "z",
    "ظ": "z",
    "س": "s",
    "ص": "s",
    "ش": "x",
    "غ": "g",
    "گ": "g",
    "ڨ": "g",
    "ڭ": "g",
    "ف": "f",
    "ڤ": "f",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "و": "w",
    "ي": "y",
    "ی": "y",
}

# ICAO Doc 9303 Part 3, Arabic: the recommended Latin letters for each letter.
_ICAO = {
    "ء": "",
    "آ": "AA",
    "أ": "A",
    "ؤ": "W",
    "إ": "I",
    "ئ": "I",
    "ا": "A",
    "ب": "B",
    "ة": "H",
    "ت": "T",
    "ث": "TH",
    "ج": "J",
    "ح": "H",
    "خ": "KH",
    "د": "D",
    "ذ": "DH",
    "ر": "R",
    "ز": "Z",
    "س": "S",
    "ش": "SH",
    "ص": "S",
    "ض": "D",
    "ط": "T",
    "ظ": "Z",
    "ع": "E",
    "غ": "GH",
    "ف": "F",
    "ق": "Q",
    "ك": "K",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "ه": "H",
    "و": "W",
    "ى": "A",
    "ي": "Y",
    "پ": "P",
    "چ": "CH",
    "ژ": "ZH",
    "گ": "G",
    "ڤ": "V",
    "ی": "Y",
}


def is_arabic(text: str) -> bool:
    """Whether ``text`` holds any Arabic-script letter.

    >>> is_arabic("محمد"), is_arabic("Mohamed")
    (True, False)
    """
    return _ARABIC.search(text) is not None


def strip_arabic_marks(text: str) -> str:
    """``text`` without short-vowel marks (harakat), shadda, sukun and tatweel."""
    return _MARKS.sub("", text)


def arabic_skeleton(token: str) -> str:
    """The consonant skeleton of one Arabic-script word (no article, no spaces).

    >>> arabic_skeleton("محمد"), arabic_skeleton("يوسف"), arabic_skeleton("فاطمة")
    ('mhmd', 'ysf', 'ftm')
    >>> arabic_skeleton("عبدالله")  # a final ه after a vowel falls, as in Abdallah
    'bdl'
    """
    letters = strip_arabic_marks(token)
    if letters.endswith("ه") and len(letters) > 2:
        letters = letters[:-1]
    out: list[str] = []
    for position, letter in enumerate(letters):
        if letter in _DROPPED:
            continue
        cls = _CLASSES.get(letter)
        if cls is None:
            continue  # digits, punctuation, letters of other scripts
        if cls in "wy" and position > 0:
            continue  # a long vowel inside a word
        if not out or out[-1] != cls:
            out.append(cls)
    return "".join(out)


def icao_transliteration(text: str) -> str:
    """``text`` in the ICAO Doc 9303 Part 3 recommended Latin letters (upper case).

    Arabic script writes no short vowels, so neither does this form.

    >>> icao_transliteration("محمد بن علي")
    'MHMD BN ELY'
    """
    letters = strip_arabic_marks(text)
    return "".join(_ICAO.get(letter, letter) for letter in letters).upper()
