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

Persian, Urdu and Pashto write the same names with their own letters (ی ک ہ ۀ
ے ټ ډ ړ ګ ڼ, and ښ ږ ځ څ for sounds Arabic lacks): :func:`fold_arabic` brings
each to the Arabic letter it stands for, after NFKC has turned the presentation
forms (U+FB50-U+FEFF, ﻤﺣﻤﺩ) back into ordinary letters, so محمد typed either way
is the same word. Some letters are read two ways across the region: ث is ``t``
in Arabic and ``s`` in Persian and Urdu (Usman, Ghias), ذ ض ظ are ``d`` or ``z``
(Zia, Ramazan, Dhawahri), and a kaf may be a gaf typed without its stroke (كل,
Gul): :func:`arabic_alternates` gives the skeleton of the other reading.

:func:`icao_transliteration` gives the ICAO Doc 9303 Part 3 recommended Latin
letters (without the ``X`` escapes of the reversible form), the base spelling a
passport of an Arabic-script state prints when it has no other.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "arabic_alternates",
    "arabic_frame",
    "arabic_skeleton",
    "fold_arabic",
    "icao_transliteration",
    "is_arabic",
    "strip_arabic_marks",
]

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel

_DROPPED = set("اأإآٱءؤئىةعٰ")
_REGIONAL = str.maketrans(
    {
        "ی": "ي",  # Persian yeh
        "ې": "ي",  # Pashto yeh
        "ۍ": "ي",
        "ے": "ي",  # Urdu barree yeh
        "ۑ": "ي",
        "ک": "ك",  # keheh
        "ڪ": "ك",
        "ہ": "ه",  # Urdu heh goal
        "ھ": "ه",  # heh doachashmee
        "ە": "ه",
        "ۀ": "ه",  # heh with yeh above (the ezafe: زادهٔ)
        "ۃ": "ة",
        "ټ": "ت",  # Pashto tteh
        "ٹ": "ت",  # Urdu tteh
        "ډ": "د",  # Pashto ddal
        "ڈ": "د",
        "ړ": "ر",  # Pashto rreh
        "ڑ": "ر",
        "ګ": "گ",  # Pashto gaf
        "ڼ": "ن",  # Pashto noon
        "ں": "ن",  # noon ghunna
        "ٱ": "ا",
        "\u200c": "",  # the zero-width non-joiner of Persian spelling (محمد‌رضا)
    }
)
"""Persian, Urdu and Pashto letters that write an Arabic letter's sound, folded to it."""
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
    "ښ": "x",  # Pashto: sh in the south, kh in the north
    "ږ": "j",  # Pashto: zh or g
    "ځ": "z",  # Pashto dz
    "څ": "s",  # Pashto ts
}
_ALTERNATES = {"ث": "s", "ذ": "z", "ض": "z", "ظ": "d", "ك": "g", "ښ": "k", "ږ": "z"}
"""The other reading of letters the region reads two ways (Persian ث is s, ض z...;
a ك or ک may stand for گ, which older Persian typing writes without its stroke)."""

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


def fold_arabic(text: str) -> str:
    """One Arabic-script word as plain Arabic letters: presentation forms (NFKC),
    Persian, Urdu and Pashto letters folded, marks and tatweel dropped.

    >>> fold_arabic("ﻤﺣﻤﺩ") == "محمد", fold_arabic("مُحَمّـد") == "محمد"
    (True, True)
    >>> fold_arabic("ثناء اللہ") == "ثناء الله", fold_arabic("کاکا") == "كاكا"
    (True, True)
    """
    return _MARKS.sub("", unicodedata.normalize("NFKC", text)).translate(_REGIONAL)


def arabic_skeleton(token: str) -> str:
    """The consonant skeleton of one Arabic-script word (no article, no spaces).

    >>> arabic_skeleton("محمد"), arabic_skeleton("يوسف"), arabic_skeleton("فاطمة")
    ('mhmd', 'ysf', 'ftm')
    >>> arabic_skeleton("عبدالله")  # a final ه after a vowel falls, as in Abdallah
    'bdl'
    """
    return _skeleton(token, None)


def arabic_alternates(token: str) -> str:
    """The skeleton of ``token`` with the region's other reading of its two-way letters
    (ث s, ذ ض z, ظ d, ك g), or "" when it has none.

    >>> arabic_alternates("ظواهري"), arabic_alternates("ضيا"), arabic_alternates("محمد")
    ('dhr', 'z', '')
    """
    letters = strip_arabic_marks(token)
    if not any(letter in _ALTERNATES for letter in letters):
        return ""
    return _skeleton(token, _ALTERNATES)


_OPENING_VOWELS = frozenset("اأإآع")
_LONG_VOWELS = frozenset("اويى")
_CLOSING_VOWELS = frozenset("ةاى")


def arabic_frame(token: str) -> str:
    """Where the vowels of one Arabic-script word sit, as far as the script tells, in
    the form of :func:`passerelle.names.latin.latin_frame`: opening on an alif or ʿayn
    (``V``), a long vowel after the first consonant (``S``, else ``?``: short vowels
    are not written), closing on ة, ا, ى or اء (``A``), on ي, ه, و, ع or ء (``?``: Latin
    spellings drop ʿayn and hamza, Rabi for ربيع), else on a consonant (``C``); the
    long vowel before the last consonant (``a`` ا, ``o`` و or ي, ``?`` none written);
    the consonants as written.

    >>> arabic_frame("حامد"), arabic_frame("أحمد"), arabic_frame("مليكة"), arabic_frame("ملاك")
    ('CSC?3', 'V?C?3', 'C?Ao3', 'C?Ca3')
    >>> arabic_frame("هناء"), arabic_frame("حنان")
    ('C?A?2', 'C?Ca3')
    """
    letters = strip_arabic_marks(token)
    if not letters:
        return ""
    start = "V" if letters[0] in _OPENING_VOWELS else "C"
    i = 0
    while i < len(letters) and letters[i] in _OPENING_VOWELS:
        i += 1
    gap = "S" if i + 1 < len(letters) and letters[i + 1] in _LONG_VOWELS else "?"
    last = letters[-1]
    if last == "ء" and letters[-2:-1] == "ا":
        last = "ا"
    end = "A" if last in _CLOSING_VOWELS else "?" if last in "يهوعء" else "C"
    return start + gap + end + _before_last(letters) + str(min(9, _consonants(letters)))


def _before_last(letters: str) -> str:
    """The long vowel before the last consonant: ``a`` (ا), ``o`` (و, ي), ``?`` none."""
    stem = letters.rstrip("ةاىيهء")
    if len(stem) < 2:
        return "?"
    before = stem[-2]
    return "a" if before in "اآ" else "o" if before in "وي" else "?"


def _consonants(letters: str) -> int:
    """Consonants as written: a letter repeated across a long vowel counts twice
    (حنان 3, هناء 2), a shadda is one letter already (محمّد 4)."""
    if letters.endswith("ه") and len(letters) > 2:
        letters = letters[:-1]
    count = 0
    last = ""
    parted = True
    for position, letter in enumerate(letters):
        cls = _CLASSES.get(letter)
        if letter in _DROPPED or (cls is not None and cls in "wy" and position > 0):
            parted = True  # a long vowel, ʿayn or hamza between two letters
            continue
        if cls is None or (cls == last and not parted):
            continue
        count += 1
        last, parted = cls, False
    return count


def _skeleton(token: str, alternates: dict[str, str] | None) -> str:
    letters = strip_arabic_marks(token)
    if letters.endswith("ه") and len(letters) > 2:
        letters = letters[:-1]
    out: list[str] = []
    for position, letter in enumerate(letters):
        if letter in _DROPPED:
            continue
        cls = (alternates or {}).get(letter) or _CLASSES.get(letter)
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
