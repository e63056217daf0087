"""Latin script: folding to plain lower-case letters, and the consonant skeleton of a word.

The skeleton is the Latin half of :mod:`passerelle.names.arabic`: the same
consonant classes, reached from the spellings French, English, Spanish and
ICAO-style transcriptions use. ``ch``/``sh``/``sch`` (ش) are ``x``; ``dj``/``j``
(ج) are ``j``; ``kh``, ``q``, ``ck`` and a hard ``c`` are ``k``; a soft ``c``
(Youcef) is ``s``; ``th``/``dh``/``ph``/``gh`` lose their ``h``; ``ou`` before a
vowel is the consonant ``w`` (Oualid, Redouane). Vowels are dropped, and so are
``w`` and ``y`` inside a word (long vowels in Arabic), a final ``h`` after a
vowel (Fatimah, Abdallah) and doubled letters (Mohammed).

:func:`latin_alternates` reads the letters the region spells two ways the other
way: ``dh`` as z (Dhawahri, Zawahiri), ``th`` as s (Othman, Usman), ``z`` as d
(Zia, Diya), ``v`` as w (Vali, Wali), ``sh`` as s then h (Ishaq: اسحاق).

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

__all__ = ["fold_latin", "latin_alternates", "latin_frame", "latin_skeleton"]

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
_TWO_WAY = re.compile("dh|th|sh|z|v")
_OTHER_READING = {"dh": "z", "th": "s", "sh": "s_h", "z": "d", "v": "w"}


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


def latin_alternates(word: str) -> str:
    """The skeleton of ``word`` with its two-way letters read the other way, or "";
    a word with none but a final h after a vowel keeps that h (Saleh, Salah: صالح).

    >>> latin_alternates("dhawahri"), latin_alternates("zia"), latin_alternates("ishaq")
    ('zhr', 'd', 'shk')
    >>> latin_alternates("saleh"), latin_alternates("karim")
    ('slh', '')
    """
    skeleton = latin_skeleton(word)
    if _TWO_WAY.search(word) is None:
        if len(word) > 3 and _VOWEL_H_END.search(word):
            return skeleton + "h"
        return ""
    other = latin_skeleton(_TWO_WAY.sub(lambda m: _OTHER_READING[m.group()], word))
    other = other.replace("_", "")
    # a reading that merges two consonants (Akhundzada: d and z) is no reading
    return "" if other == skeleton or len(other) < len(skeleton) else other


_VOWELS = frozenset("aeiou")
_DIGRAPH_H = frozenset("kscdtgpz")


def latin_frame(word: str) -> str:
    """Where a folded word's vowels sit: opening (``V``/``C``), between its first two
    consonants (``S`` a vowel parts them, ``K`` none), closing on an a (``A``: the
    feminine ة of Malika, Karima), on a consonant (``C``), or ``?`` when the spelling
    cannot tell (a final -ah, -at, -ou, -i, a French mute e: Yasmine and Yasmina);
    the vowel before the last consonant (``a``, ``o`` any other, ``?``); how many
    consonants Arabic would write (Hanane 3, Hanae 2); then the vowel between each
    two consonants (``A``, ``I``, ``U``, ``E`` a or i, ``_`` none, ``?``). A French
    ``ou`` before a vowel is the consonant w (Ouali is Wali); a word with a glued
    article or Abu (Ezzahra, Elalaoui, Aboubakr) has no frame.
    See :func:`passerelle.names.compare.look_alike`.

    >>> latin_frame("hamid"), latin_frame("ahmed"), latin_frame("malika"), latin_frame("malak")
    ('CSCo3AI', 'VKCo3_E', 'CSAo3AI', 'CSCa3AA')
    >>> latin_frame("hanane"), latin_frame("hanae"), latin_frame("mahmoud")
    ('CS?a3AA', 'CSAa2A', 'CSCo4A_U')
    """
    word = _OU_W.sub("w", word)
    if not word or _GLUED.match(word):
        return ""
    start = "V" if word[0] in _VOWELS else "C"
    i = 0
    while i < len(word) and word[i] in _VOWELS:
        i += 1
    i += 1  # the first consonant, with its h (kh, sh) or its double (mm)
    while i < len(word) and (
        word[i] == word[i - 1] or (word[i] == "h" and word[i - 1] in _DIGRAPH_H)
    ):
        i += 1
    gap = "S" if i < len(word) and word[i] in _VOWELS | {"y"} else "K"
    frame = start + gap + _closing(word) + _before_last(word) + str(min(9, _consonants(word)))
    return frame + _vowels(word)


def _vowels(word: str) -> str:
    """The vowel between each two consonants, by the Arabic vowel it writes: ``A`` (a),
    ``I`` (i, ee, ei, ai), ``U`` (o, u, ou), ``E`` (e: a or i), ``_`` none, ``?`` mixed."""
    text = _VOWEL_H_END.sub("", word) if len(word) > 2 else word
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = _DOUBLES.sub(r"\1", text)
    runs: list[str] = []
    run = None
    for position, letter in enumerate(text):
        vowel = letter in _VOWELS or (letter in "wy" and position > 0)
        if vowel:
            if run is not None:
                run += letter
        else:
            if run is not None:
                runs.append(run)
            run = ""
    return "".join(_vowel_class(r) for r in runs)


def _vowel_class(run: str) -> str:
    letters = set(run)
    if not letters:
        return "_"
    if letters <= {"a"}:
        return "A"
    if letters <= {"e"}:
        return "E"
    if letters <= {"o", "u", "w"}:
        return "U"
    if letters <= {"i", "y", "e"} or letters == {"a", "i"}:
        return "I"
    return "?"


def _before_last(word: str) -> str:
    """The vowel before the last consonant: ``a``, ``o`` for any other, ``?`` for none."""
    stem = word.rstrip("aeiouy")
    stem = stem[:-1] if stem.endswith("h") and len(stem) > 2 else stem
    stem = stem.rstrip("bcdfghjklmnpqrstvwxz")
    if not stem or stem[-1] not in _VOWELS:
        return "?"
    return "a" if stem[-1] == "a" else "o"


def _consonants(word: str) -> int:
    """Consonants of ``word`` counted as Arabic writes them: a doubled letter is one
    (Mohammed), the same letter either side of a vowel two (Hanane, Haddad)."""
    text = _VOWEL_H_END.sub("", word) if len(word) > 2 else word
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    text = _DOUBLES.sub(r"\1", text)
    head = text[:1] if text[:1] in ("w", "y") else ""
    return len(head) + len(_DROP.sub("", text[1:] if head else text))


def _closing(word: str) -> str:
    if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWELS:
        return "?"  # Fatimah (ة), Salah (ح), Abdallah (ه)
    end = len(word)
    while end > 0 and word[end - 1] in _VOWELS | {"y"}:
        end -= 1
    run = word[end:]
    if not run:
        return "?" if word.endswith("at") else "C"  # Hayat: ة in construct
    if end == 0:
        return "?"
    return "A" if "a" in run else "?"


_VOWELS = frozenset("aeiou")
_DIGRAPH_H = frozenset("kscdtgpz")
_OU_W = re.compile("^ou(?=[aeiy])")
_GLUED = re.compile(r"^(?:[ae]([tdrzsnl]|ch|sh)\1|[ae]l[a-z]{4}|ab[ou]u?b)")
