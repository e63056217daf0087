"""Words of a written name that are not a name part of their own: the catalogue.

*Articles* (al, el, the assimilated es-, er-, ur-...) are dropped; *particles*
(Ben, Ould, Abu, Abd...) bind to the part they introduce.

Pure data, read by :mod:`passerelle.names.parse`; each table says what the
words are and how the engine treats them (docs/names.md, "How a name is read").

*Titles* (honorifics, ranks, religious and professional titles) come before a
name in lists and on documents of the region (``Haji Abdul Basir``, ``Mullah
Naim``, ``Dr. Hamed``, ``Col Abdel Hamid``, ``قاري سيف الله``): one side shows
them and the other does not, so a title neither earns nor costs bits. Titles are
read only where they are written, at the head of a name and before another part:
``Mustafa Hajji Muhammad`` keeps Hajji (a father's name) and ``Mohamed Haji``
keeps Haji. Titles that are also names (Sayed, Amir, Hafiz, Sheikh) are titles
only as the very first word, with no article, before three words or more: ``El
Sayed`` and ``السيد`` are family names, ``Amir Hosseini`` a given name and a family
name. ``Akhund`` (a cleric) is left out: it is borne as a family name. An MRZ name
has no titles: passports print none, and its first word is the surname (``MAJOR<<
JOHN``).

*Compound second halves* join the part before them into one name part, across
scripts and spacing: the theophoric ``Allah`` (حبيب الله, Habibullah, Habib Ullah,
Habib-Allah), and ``al-Din``, ``al-Rahman``, ``al-Haq``, ``al-Islam`` after an
article (Zia-ur-Rahman, ضياء الرحمن, Ziaurrahman; Siraj ud Din, Sirajuddin).
"""

from __future__ import annotations

__all__ = [
    "ALLAH_WORDS",
    "ARABIC_SECOND_HALVES",
    "ARTICLES",
    "LATIN_SECOND_HALVES",
    "NAME_TITLES",
    "PARTICLE_SKELETONS",
    "PATRONYMIC_PARTICLES",
    "SUN_ARTICLES",
    "TITLES",
]

TITLES = frozenset(
    {
        # pilgrims
        "haji",
        "hajji",
        "hadji",
        "hadj",
        "hajj",
        "alhaj",
        "alhajj",
        "elhadj",
        "حاج",
        "حاجي",
        "الحاج",
        # clerics and scholars
        "mullah",
        "mulla",
        "molla",
        "mollah",
        "mawlawi",
        "mawlavi",
        "maulavi",
        "maulvi",
        "molvi",
        "moulvi",
        "mowlawi",
        "maulana",
        "mawlana",
        "qari",
        "mufti",
        "ustad",
        "ustaz",
        "ملا",
        "مولوي",
        "مولانا",
        "قاري",
        "مفتي",
        "استاد",
        "حاجى",
        "قارى",
        "مولوى",
        "مفتى",
        # doctors, engineers, ranks
        "dr",
        "doctor",
        "eng",
        "engineer",
        "prof",
        "col",
        "colonel",
        "gen",
        "general",
        "brig",
        "brigadier",
        "maj",
        "major",
        "capt",
        "captain",
        "lt",
        "lieutenant",
        "دكتور",
        "الدكتور",
        "مهندس",
        "المهندس",
        "عقيد",
        "العقيد",
        "لواء",
        "اللواء",
        "عميد",
        "العميد",
    }
)
"""Titles, folded (Latin: lower-case a-z; Arabic script as
:func:`~passerelle.names.arabic.fold_arabic` leaves it)."""

NAME_TITLES = frozenset(
    {
        "sayyid",
        "sayid",
        "sayed",
        "sayyed",
        "syed",
        "seyed",
        "sheikh",
        "shaikh",
        "shaykh",
        "sheik",
        "hafiz",
        "hafez",
        "amir",
        "emir",
        "سيد",
        "شيخ",
        "حافظ",
        "امير",
        "أمير",
    }
)
"""Titles that are also names: a title only as a name's first word, with no article,
before three words or more.
The French spelling ``Cheikh`` is left out: in the Sahel it is mostly a given name."""

ALLAH_WORDS = frozenset({"allah", "ullah", "ulla", "ollah", "illah", "الله"})
"""``Allah`` as the second half of a compound (Habib Ullah), or the first (Allah Dad)."""

LATIN_SECOND_HALVES = {
    "rahman": "rhmn",
    "rehman": "rhmn",
    "rahmane": "rhmn",
    "haq": "hk",
    "haqq": "hk",
    "haque": "hk",
    "islam": "slm",
}
"""Second halves (besides ``al-Din``) that join the part before them after an article
(Zia-ur-Rahman, Zia ul Haq), with their skeletons."""

ARABIC_SECOND_HALVES = frozenset({"الدين", "الرحمن", "الرحمان", "الحق", "الاسلام", "الإسلام"})
"""The same in Arabic script, with their article (ضياء الرحمن)."""

ARTICLES = frozenset({"al", "el", "ul", "il"})
"""The Arabic article as Latin spellings write it standalone (al-, el-)."""

SUN_ARTICLES = frozenset(
    {"ad", "ed", "ar", "er", "as", "es", "at", "et", "az", "ez", "an", "en", "ech", "ach", "esh"}
    | {"ud", "ur", "us", "ut", "uz", "un", "ush", "uth", "ash"}
)
"""The article assimilated to a sun letter (Es-Sayed, Er-Rachidi): an article only
when the next word starts with that consonant. The ``u`` forms are those of
Afghanistan and Pakistan (Abd ur-Rehman, Zia ud Din)."""

PATRONYMIC_PARTICLES = {
    "ben": "ben",
    "bin": "ben",
    "ibn": "ben",
    "bn": "ben",
    "bent": "bent",
    "bint": "bent",
    "ould": "ould",
    "wuld": "ould",
    "ait": "ait",
    "ayt": "ait",
    "ag": "ag",
    "abu": "abu",
    "abou": "abu",
    "abo": "abu",
    "abd": "abd",
    "abdel": "abd",
    "abdal": "abd",
    "abdul": "abd",
    "abdoul": "abd",
    "abdou": "abd",
    "abdi": "abd",
    "abdur": "abd",
    "abdar": "abd",
    "abder": "abd",
    "abdus": "abd",
    "abdas": "abd",
    "abdes": "abd",
    "abduz": "abd",
    "abdaz": "abd",
    "abdez": "abd",
    "abdun": "abd",
    "abdush": "abd",
    "abdut": "abd",
    "abdud": "abd",
    "بن": "ben",
    "ابن": "ben",
    "بنت": "bent",
    "ولد": "ould",
    "walad": "ould",
    "آيت": "ait",
    "ايت": "ait",
    "أبو": "abu",
    "ابو": "abu",
    "عبد": "abd",
}
"""Words that bind to the next name part (son of, daughter of, father of, servant of),
folded to one spelling. Joined, split or hyphenated, ``Ben Ali`` is one part."""

PARTICLE_SKELETONS = {"ben": "bn", "bent": "bnt", "ould": "wld", "ait": "t", "ag": "g"}
"""Skeletons of the particles whose letters the word-skeleton rules would misread."""
