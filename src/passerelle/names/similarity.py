"""How alike two name parts are: one name's spellings, or two names.

:func:`part_similarity` says how closely two parts agree (0 to 1) and in what
way: the same spelling, a spelling variant (one consonant skeleton), a part with
or without its article or particle, letters the region reads two ways (ظ as z or
dh), a close spelling, one consonant apart. Two parts of one skeleton are still
two names when their vowels say so (:func:`look_alike`: Hamid and Ahmed, Malak
and Malika, Hanae and Hanane, Mahmoud and Mohamed). :func:`similarity_bits`
turns a similarity into the share of the part's bits it earns.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import JaroWinkler, Levenshtein

from passerelle.i18n import N_
from passerelle.names.parse import NamePart
from passerelle.names.weights import DEFAULT_WEIGHTS, NameWeights

__all__ = ["look_alike", "part_similarity", "similarity_bits"]


def part_similarity(
    query: NamePart, record: NamePart, *, weights: NameWeights = DEFAULT_WEIGHTS
) -> tuple[float, str]:
    """How alike two name parts are (0 to 1) and in what way (words marked ``N_``: the
    reasons of a match write them in the reader's language).

    Two parts with one skeleton are spellings of one name unless their vowels say
    two names (:func:`look_alike`): Hamid and Ahmed, Malak and Malika stay apart.
    """
    if query.latin and query.latin == record.latin:
        return 1.0, N_("same spelling")
    w = weights
    q, r = query.skeleton, record.skeleton
    both_latin = bool(query.latin and record.latin)
    jw = JaroWinkler.normalized_similarity(query.latin, record.latin) if both_latin else 0.0
    if q and q == r:
        if look_alike(query.frame, record.frame):
            return 0.0, ""
        if len(q) >= 3 or jw >= w.variant_short_jaro_winkler or (not both_latin and len(q) >= 2):
            return (
                max(w.variant_min_similarity, min(jw, w.variant_max_similarity)),
                N_("spelling variant"),
            )
        if not both_latin:
            return w.same_consonants_across_scripts, N_("same consonants")
        return w.same_consonants_short, N_("same consonants")
    if (record.core and q == record.core) or (query.core and query.core == r):
        return (
            (w.article_similarity, N_("article"))
            if (record.core_is_article or query.core_is_article)
            else (
                w.particle_left_out_similarity,
                N_("particle left out"),
            )
        )
    if _read_two_ways(query, record) and not look_alike(query.frame, record.frame):
        if min(len(q), len(r)) >= 2:
            return w.alternate_reading_similarity, N_("letters read two ways")
        if not both_latin:
            return w.same_consonants_across_scripts, N_("letters read two ways")
    if query.truncated and len(query.latin) >= 3 and record.latin.startswith(query.latin):
        return w.truncated_spelling_similarity, N_("truncated in the MRZ")
    if query.truncated and len(q) >= 2 and r.startswith(q):
        return w.truncated_skeleton_similarity, N_("truncated in the MRZ")
    if (
        both_latin
        and jw >= w.close_spelling_jaro_winkler
        and min(len(query.latin), len(record.latin)) >= 4
    ):
        return (
            w.close_spelling_base + (jw - w.close_spelling_jaro_winkler) * w.close_spelling_slope,
            N_("close spelling"),
        )
    near = len(q) >= 3 and len(r) >= 3 and _one_letter_apart(q, r)
    if near and (not both_latin or jw >= w.one_letter_apart_jaro_winkler):
        return w.one_letter_apart_similarity, N_("one letter apart")
    return 0.0, ""


def _read_two_ways(query: NamePart, record: NamePart) -> bool:
    """Whether the two skeletons meet once a two-way letter is read the other way
    (ظ as dh: Dhawahri and Zawahiri; ث as s: Usman and Othman)."""
    q, r = query.skeleton, record.skeleton
    qa, ra = query.alternate, record.alternate
    return bool((qa and qa in (r, ra)) or (ra and ra == q))


_CONFUSABLE = frozenset(
    {
        frozenset(pair)
        for pair in (
            "kx",
            "kg",
            "ks",
            "kh",
            "sx",
            "sz",
            "ts",
            "td",
            "tz",
            "dz",
            "jg",
            "jz",
            "jx",
            "mn",
        )
    }
)
"""Consonant classes one spelling of a name writes for another's (kh and ch, q and g,
ث as t or s, ظ as z or th, the dotted pair ح and خ, m and n...): a three-consonant
name changed in one other consonant is another name (Salem and Saleh), in one of
these a spelling of it."""


_OTHER_VOWEL = frozenset({frozenset("AI"), frozenset("AU"), frozenset("IU")})


def _vowels_differ(query: str, record: str) -> bool:
    """Whether two Latin spellings of one skeleton voice it as two names: their vowels
    between consonants differ in quality twice, or once where one also leaves a vowel
    out that the other writes (Mahmoud and Mohamed: a/o, then h-m against h-a-m;
    Turki and Tarik). One difference alone is a spelling (Mhamed, Fatma, Ridwan)."""
    if not query or len(query) != len(record):
        return False
    other = sum(frozenset((q, r)) in _OTHER_VOWEL for q, r in zip(query, record, strict=True))
    left_out = sum((q == "_") != (r == "_") for q, r in zip(query, record, strict=True))
    return other >= 2 or (other >= 1 and left_out >= 1)


def _one_letter_apart(q: str, r: str) -> bool:
    if Levenshtein.distance(q, r) != 1:
        return False
    if min(len(q), len(r)) > 3:
        return True
    if len(q) != len(r):  # one consonant more: not in front (Salim is not Moslim)
        return q[0] == r[0]
    changed = {a for a, b in zip(q, r, strict=True) if a != b} | {
        b for a, b in zip(q, r, strict=True) if a != b
    }
    return frozenset(changed) in _CONFUSABLE


@lru_cache(maxsize=65_536)
def look_alike(query_frame: str, record_frame: str) -> bool:
    """Whether two parts of one consonant skeleton are two names by their vowels.

    A frame (:attr:`NamePart.frame`) says whether the name opens on a vowel
    (``V``/``C``), whether a vowel parts its first two consonants (``S`` parted,
    ``K`` clustered, ``?`` unknown), whether it ends on an a, the feminine ة
    (``A``), on a consonant (``C``) or unknown (``?``), the vowel before the last
    consonant (``a``, ``o`` another, ``?``) and how many consonants Arabic writes.
    Two names differ when they write a different number of consonants and only one
    ends on that a (Hanae and Hanane, 2 and 3: the skeleton says one ``n`` for both;
    Taore, a slip for Traoré, keeps its ending and stays Traoré); when one ends on that a
    and the other on a consonant with another vowel before it (Malak and Malika;
    Ibrahim and the Sahel's Ibrahima stay one name); or, for three consonants or
    fewer, when one opens on a vowel and the other on a consonant parted from the
    next (Ahmed and Hamid, حامد and أحمد; Brahim and Ibrahim, clustered, stay one).

    >>> look_alike("VKCo3", "CSCo3"), look_alike("CSCa3", "CSAo3"), look_alike("VKCo4", "CKCo4")
    (True, True, False)
    >>> look_alike("CSA?2", "CS?a3"), look_alike("VKCo4", "VKAo4")
    (True, False)
    """
    if len(query_frame) < 5 or len(record_frame) < 5:
        return False
    q_start, q_gap, q_end, q_vowel, q_count = tuple(query_frame[:5])
    r_start, r_gap, r_end, r_vowel, r_count = tuple(record_frame[:5])
    if _vowels_differ(query_frame[5:], record_frame[5:]):
        return True
    if q_count != r_count and "A" in (q_end, r_end) and q_end != r_end:
        return True
    if {q_end, r_end} == {"A", "C"} and {q_vowel, r_vowel} == {"a", "o"}:
        return True
    if {q_start, r_start} == {"V", "C"} and q_count <= "3":
        consonant_gap = q_gap if q_start == "C" else r_gap
        return consonant_gap == "S"
    return False


def similarity_bits(similarity: float, *, weights: NameWeights = DEFAULT_WEIGHTS) -> float:
    """The share of a part's bits that a spelling agreement of ``similarity`` earns."""
    floor = weights.similarity_floor
    return max(0.0, min(1.0, (similarity - floor) / (1.0 - floor)))
