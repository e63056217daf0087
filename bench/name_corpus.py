"""Personal names for benchmarks: Arabic-origin, Sahel and West African, European.

What it holds
    Pure data and small drawing helpers, no I/O. Arabic-origin given and family
    names carry their Arabic script form and their Latin spellings under five
    conventions:

    ``maghreb``   French-influenced civil registers of Morocco, Algeria, Tunisia,
                  Mauritania and the Maghreb diaspora (Mohamed, Youssef/Youcef,
                  Abdelkader, Aïcha, Oualid, Ech-Chaoui).
    ``english``   Gulf, Levant, Iraq, Libya, Sudan and most English-language
                  systems (Muhammad, Yusuf, Abdul Qadir, Al-Shawi).
    ``egyptian``  Egyptian documents: ج as G, Abd El X, El X (Gamal, Abdel Rahman).
    ``icao``      a plain, diacritic-free transliteration of the Arabic script in
                  the spirit of ICAO 9303 Part 3 (article always ``Al``, taa
                  marbuta as ``ah``), as a machine transliterator would print it.
    ``sahel``     Francophone Sahel spellings (Oumar, Ousmane, Fatoumata).

    Within a convention the first spelling is the usual one; later ones are
    rarer. Non-Arabic names (West African and European) carry one ``latin``
    list of spellings (with and without diacritics where both are seen).

Weights are relative frequencies within each table (Mohamed far ahead, a long
tail of rare names). They are plausible orders of magnitude, not census data.

Use
    >>> import random
    >>> person = draw_person(random.Random(7))
    >>> sorted(person)
    ['birth_date', 'names', 'nationalities', 'origin', 'sex']

``draw_identity`` gives the structured person (name parts with their entries),
which generators of name variants work from; ``draw_person`` flattens it into a
watchlist-like record.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

__all__ = [
    "ARABIC_FAMILY",
    "ARABIC_GIVEN",
    "ARAB_STATES",
    "BEN_CONNECTOR",
    "CONVENTIONS",
    "NATIONALITIES",
    "OTHER_FAMILY",
    "OTHER_GIVEN",
    "WEST_AFRICA",
    "Identity",
    "NameEntry",
    "NamePart",
    "Nationality",
    "draw_birth_date",
    "draw_identity",
    "draw_person",
    "draw_second_nationality",
    "family_by_key",
    "given_by_key",
    "pick_spelling",
]

CONVENTIONS: tuple[str, ...] = ("maghreb", "english", "egyptian", "icao", "sahel")
_FALLBACK: dict[str, tuple[str, ...]] = {
    "maghreb": ("maghreb", "english"),
    "english": ("english", "maghreb"),
    "egyptian": ("egyptian", "english", "maghreb"),
    "icao": ("icao", "english"),
    "sahel": ("sahel", "maghreb", "english"),
    "latin": ("latin",),
}


@dataclass(frozen=True, slots=True, eq=False)
class NameEntry:
    """One name (given or family) with its script forms and spellings.

    ``key`` identifies the name across scripts and spellings; ``group`` joins
    names that people use interchangeably (Fatima / Fatima Zahra). ``core`` is
    the key without its particle (``ben_ali`` → ``ali``), used to tell whether
    two family names are the same once the particle is dropped.
    """

    key: str
    kind: str  # "given" | "family" | "connector"
    origin: str  # "arabic", "berber", "fula", "wolof", "french", ...
    arabic: str  # Arabic script form; "" when the name has none
    sex: str  # "M" | "F" for given names, "" otherwise
    weight: float
    regions: frozenset[str]  # region letters or ISO alpha-3 codes; "*" everywhere
    spellings: dict[str, tuple[str, ...]]  # convention -> forms, usual first
    particle: str  # "", "ben", "al", "ould", "ait", "abu", "abd", "ag", "van", ...
    group: str
    core: str

    def forms(self, convention: str) -> tuple[str, ...]:
        """Latin spellings under ``convention`` (falling back to a related one)."""
        for conv in (*_FALLBACK.get(convention, (convention,)), "latin", "maghreb", "english"):
            forms = self.spellings.get(conv)
            if forms:
                return forms
        raise KeyError(f"{self.key}: no Latin spelling")

    def has_convention(self, convention: str) -> bool:
        """Whether this name has its own spellings under ``convention``."""
        return bool(self.spellings.get(convention))


@dataclass(frozen=True, slots=True)
class NamePart:
    """One part of a person's name: its role, the name, and the spelling used."""

    role: str  # "given" | "connector" | "father" | "grandfather" | "family"
    entry: NameEntry
    latin: str


@dataclass(frozen=True, slots=True)
class Nationality:
    """A state: ISO 3166-1 alpha-3 code, name region and its usual convention."""

    code: str
    region: str  # M Maghreb, R Mauritania, E Egypt/Sudan, G Gulf, L Levant/Iraq, S Sahel, X other
    convention: str
    arabic_weight: float  # share of the Arabic-origin population
    other_weight: float  # share of the rest of the population


@dataclass(frozen=True, slots=True)
class Identity:
    """A person as a name generator sees them: structured name, sex, nationality."""

    parts: tuple[NamePart, ...]
    sex: str
    nationality: str
    convention: str
    birth_date: date
    origin: str  # "arabic" | "west_african" | "european"
    jan1: bool = False  # birth date recorded as 1 January for an unknown day

    @property
    def latin(self) -> str:
        """The name as this person's documents spell it, given names first."""
        return " ".join(part.latin for part in self.parts)

    @property
    def arabic(self) -> str | None:
        """The Arabic script form, or None when a part has none."""
        if not all(part.entry.arabic for part in self.parts):
            return None
        return " ".join(part.entry.arabic for part in self.parts)

    def role(self, role: str) -> tuple[NamePart, ...]:
        """The parts playing ``role``, in order."""
        return tuple(part for part in self.parts if part.role == role)


def _parse_arabic(table: str, kind: str) -> tuple[NameEntry, ...]:
    entries: list[NameEntry] = []
    for raw in table.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("|")]
        if kind == "given":
            key, arabic, sex, weight, regions, maghreb, english, egyptian, icao, sahel = cells
            particle, group = "", key
        else:
            key, arabic, particle, weight, regions, maghreb, english, egyptian, icao = cells
            sex, sahel, group = "", "", key
        if "=" in key:
            key, group = key.split("=")
        spellings = {
            conv: tuple(f for f in forms.split("/") if f)
            for conv, forms in (
                ("maghreb", maghreb),
                ("english", english),
                ("egyptian", egyptian),
                ("icao", icao),
                ("sahel", sahel),
            )
            if forms
        }
        core = key.split("_", 1)[1] if particle in {"ben", "al", "ould", "ait", "ag"} else key
        origin = "berber" if particle == "ait" or key in _BERBER else "arabic"
        entries.append(
            NameEntry(
                key=key,
                kind=kind,
                origin=origin,
                arabic=arabic,
                sex=sex,
                weight=float(weight),
                regions=frozenset(regions.split(",")),
                spellings=spellings,
                particle=particle,
                group=group,
                core=core,
            )
        )
    return tuple(entries)


def _parse_other(table: str, kind: str) -> tuple[NameEntry, ...]:
    entries: list[NameEntry] = []
    for raw in table.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, origin, sex_or_particle, weight, nats, forms = (c.strip() for c in line.split("|"))
        key, _, group = key.partition("=")
        sex = sex_or_particle if kind == "given" else ""
        particle = sex_or_particle if kind == "family" else ""
        core = key.split("_", 1)[1] if particle == "ag" else key
        entries.append(
            NameEntry(
                key=key,
                kind=kind,
                origin=origin,
                arabic="",
                sex=sex,
                weight=float(weight),
                regions=frozenset(nats.split(",")),
                spellings={"latin": tuple(forms.split("/"))},
                particle=particle,
                group=group or key,
                core=core,
            )
        )
    return tuple(entries)


_BERBER = frozenset({"amghar", "ouhaddou", "oubaha", "meziane"})

# key[=group] | arabic | sex | weight | regions | maghreb | english | egyptian | icao | sahel
# Regions: M Maghreb, R Mauritania, E Egypt/Sudan, G Gulf, L Levant/Iraq, S Sahel, * all.
_GIVEN_TABLE = """
muhammad|محمد|M|1000|*|Mohamed/Mohammed/Mhamed|Muhammad/Mohammed/Mohammad/Mohamad|Mohamed/Mohammed|Muhammad|Mohamed/Mahamat/Mohammed
ahmad|أحمد|M|420|*|Ahmed|Ahmad/Ahmed|Ahmed|Ahmad|Ahmed/Ahmat
mahmud|محمود|M|120|*|Mahmoud|Mahmoud/Mahmud|Mahmoud|Mahmud|Mahmoud/Mahamoud
mustafa|مصطفى|M|110|*|Mustapha/Mostafa/Moustapha|Mustafa/Moustafa|Mostafa/Moustafa|Mustafa|Moustapha/Mustapha
ali|علي|M|220|*|Ali|Ali|Aly/Ali|Ali|Ali/Aliou
hasan|حسن|M|170|*|Hassan/Hassane|Hassan/Hasan|Hassan|Hasan|Hassane/Hassan
al_hasan=hasan|الحسن|M|35|M|Lahcen/Lahsen/El Hassane|Al-Hasan/Alhassan|El Hassan|Alhasan|Alhassane
husayn|حسين|M|110|*|Houcine/Hocine/Houssine/Hussein|Hussein/Hussain/Husain|Hussein/Hossein|Husayn|Hissein/Housseini
yusuf|يوسف|M|150|*|Youssef/Youcef/Youssouf|Yusuf/Yousef/Yousif|Youssef/Yousef|Yusuf|Youssouf/Youssef
ibrahim|إبراهيم|M|150|*|Brahim/Ibrahim|Ibrahim/Ebrahim|Ibrahim/Ebrahim|Ibrahim|Ibrahima/Ibrahim/Brahim
ismail|إسماعيل|M|70|*|Smail/Ismail/Ismaïl/Smaïl|Ismail/Ismael|Ismail|Ismail|Ismaila/Ismaël
abd_al_qadir|عبد القادر|M|80|M,S,L,R|Abdelkader/Abdelkadir/Abd El Kader/Abdel Kader|Abdul Qadir/Abdulkadir/Abdelqader/Abd al-Qadir|Abdel Kader/Abd El Kader|Abd Alqadir|Abdoulkader/Abdelkader/Abdoul Kader
abd_al_rahman|عبد الرحمن|M|90|*|Abderrahmane/Abderrahman/Abderahmane/Abdel Rahman|Abdulrahman/Abdul Rahman/Abdelrahman/Abd al-Rahman/Abdurrahman|Abd El Rahman/Abdel Rahman/Abdelrahman|Abd Alrahman|Abdourahmane/Abdourahamane/Abdourahman
abd_allah|عبد الله|M|130|*|Abdallah/Abdellah/Abdelah|Abdullah/Abdallah/Abd Allah|Abdallah/Abdalla/Abdullah|Abd Allah|Abdoulaye/Abdallah/Abdoulahi
abd_al_aziz|عبد العزيز|M|60|*|Abdelaziz/Abdel Aziz/Abd El Aziz|Abdulaziz/Abdul Aziz/Abdelaziz|Abdel Aziz/Abd El Aziz|Abd Alaziz|Abdoulaziz/Abdelaziz
abd_al_karim|عبد الكريم|M|50|*|Abdelkrim/Abdelkarim/Abdel Krim|Abdulkarim/Abdul Karim/Abdelkarim|Abdel Karim/Abd El Karim|Abd Alkarim|Abdoulkarim/Abdelkarim
abd_al_latif|عبد اللطيف|M|35|*|Abdellatif/Abdelatif/Abdel Latif|Abdullatif/Abdul Latif/Abdellatif|Abdel Latif/Abd El Latif|Abd Allatif|
abd_al_hamid|عبد الحميد|M|35|*|Abdelhamid/Abdel Hamid|Abdulhamid/Abdul Hamid|Abdel Hamid/Abd El Hamid|Abd Alhamid|Abdoulhamid/Abdelhamid
abd_al_majid|عبد المجيد|M|25|*|Abdelmajid/Abdelmadjid/Abdelmajide|Abdulmajid/Abdul Majeed/Abdelmajid|Abdel Meguid/Abdel Magid|Abd Almajid|
abd_al_salam|عبد السلام|M|30|*|Abdeslam/Abdesselam/Abdessalem/Abdesalam|Abdulsalam/Abdul Salam/Abdussalam|Abdel Salam/Abd El Salam|Abd Alsalam|Abdoussalam/Abdoul Salam
abd_al_hakim|عبد الحكيم|M|20|*|Abdelhakim/Abdelhakime/Abdel Hakim|Abdulhakim/Abdul Hakim|Abdel Hakim/Abd El Hakim|Abd Alhakim|
abd_al_wahid|عبد الواحد|M|18|M|Abdelouahed/Abdelwahed/Abdelouahid|Abdulwahid/Abdul Wahid|Abdel Wahed/Abd El Wahed|Abd Alwahid|
abd_al_ghani|عبد الغني|M|15|*|Abdelghani/Abdelghany/Abdel Ghani|Abdulghani/Abdul Ghani|Abdel Ghany/Abdel Ghani|Abd Alghani|
abd_al_nasir|عبد الناصر|M|18|M,E|Abdennacer/Abdennasser/Abdelnasser|Abdulnasser/Abdul Nasser/Abdel Nasser|Abdel Nasser/Abd El Nasser|Abd Alnasir|
abd_al_jalil|عبد الجليل|M|15|*|Abdeljalil/Abdeldjalil/Abdel Jalil|Abduljalil/Abdul Jalil|Abdel Galil/Abd El Galil|Abd Aljalil|
abd_al_ilah|عبد الإله|M|15|M,G,L|Abdelilah/Abdelillah/Abdelilah|Abdulilah/Abdul Ilah/Abdulelah|Abdel Elah/Abd El Elah|Abd Alilah|
abd_al_razzaq|عبد الرزاق|M|25|*|Abderrazak/Abderrazzak/Abderazak|Abdulrazzaq/Abdul Razzaq/Abdelrazak|Abdel Razek/Abd El Razek|Abd Alrazzaq|Abdourazak/Abderazak
abd_al_hadi|عبد الهادي|M|15|*|Abdelhadi/Abdel Hadi|Abdulhadi/Abdul Hadi|Abdel Hady/Abd El Hady|Abd Alhadi|
abd_al_malik|عبد المالك|M|20|M,S|Abdelmalek/Abdelmalik/Abdel Malek|Abdulmalik/Abdul Malik|Abdel Malek/Abd El Malek|Abd Almalik|Abdoulmalick/Abdelmalek
umar|عمر|M|120|*|Omar/Omar|Omar/Umar|Omar|Umar|Oumar/Omar
uthman|عثمان|M|55|*|Othmane/Otmane/Athmane|Othman/Uthman/Osman|Osman/Othman|Uthman|Ousmane/Othmane
khalid|خالد|M|110|*|Khalid/Khaled|Khalid/Khaled|Khaled|Khalid|Khalid/Khaled
said|سعيد|M|80|*|Said/Saïd/Saaid|Saeed/Said|Saeed/Said|Said|Saïd/Said
saad|سعد|M|35|*|Saad/Saâd|Saad/Sa'ad|Saad|Saad|
hisham|هشام|M|50|*|Hicham/Hichem|Hisham/Hesham|Hesham/Hisham|Hisham|
walid|وليد|M|60|*|Oualid/Walid/Ouelid|Walid/Waleed|Walid/Waleed|Walid|
rashid|رشيد|M|55|*|Rachid/Rachide|Rashid/Rasheed|Rashid/Rasheed|Rashid|Rachid
idris|إدريس|M|45|M,S|Driss/Idriss/Idris|Idris/Idrees|Idris/Edris|Idris|Idrissa/Idriss
hamid|حميد|M|40|*|Hamid|Hamid/Hameed|Hamid/Hameed|Hamid|Hamidou/Hamid
hamza|حمزة|M|60|*|Hamza/Hamzah|Hamza/Hamzah|Hamza|Hamzah|Hamza
yasin|ياسين|M|55|*|Yassine/Yacine/Yasine|Yasin/Yaseen/Yassin|Yassin/Yassine|Yasin|
amin|أمين|M|60|*|Amine|Amin/Ameen|Amin/Ameen|Amin|
karim|كريم|M|50|*|Karim/Kerim|Karim/Kareem|Karim/Kareem|Karim|
tariq|طارق|M|45|*|Tarik/Tarek|Tariq/Tarek|Tarek/Tarik|Tariq|
jamal|جمال|M|50|*|Jamal/Djamel/Jamel/Djamal|Jamal|Gamal|Jamal|Djamal
nabil|نبيل|M|40|*|Nabil/Nabile|Nabil/Nabeel|Nabil/Nabeel|Nabil|
murad|مراد|M|45|M|Mourad/Mourade|Murad/Mourad|Mourad/Morad|Murad|
ridwan|رضوان|M|35|M|Redouane/Redwane/Ridouane/Radouane|Ridwan/Radwan/Redwan|Radwan/Redwan|Ridwan|
yunus|يونس|M|40|M|Younes/Youness/Younès|Yunus/Younis/Younes|Younes/Yones|Yunus|Younoussa/Younous
ayyub|أيوب|M|30|M|Ayoub/Ayyoub|Ayoub/Ayyub|Ayoub|Ayyub|
bilal|بلال|M|45|*|Bilal/Bilel|Bilal|Belal/Bilal|Bilal|Bilal
anas|أنس|M|30|M,G,L|Anas/Anass|Anas|Anas|Anas|
zakariya|زكريا|M|40|*|Zakaria/Zakariya/Zakariae|Zakaria/Zakariya/Zakariyya|Zakaria/Zakareya|Zakariya|Zakaria
sulayman|سليمان|M|45|*|Slimane/Soulaimane/Souleimane/Sliman|Sulaiman/Suleiman/Sulayman|Soliman/Suleiman|Sulayman|Souleymane/Souleimane
musa|موسى|M|45|*|Moussa/Mousa|Musa/Mousa|Moussa/Mousa|Musa|Moussa
isa|عيسى|M|25|*|Aissa/Aïssa/Issa|Isa/Eisa/Issa|Eissa/Essa|Isa|Issa
yahya|يحيى|M|40|*|Yahya/Yahia|Yahya/Yahia|Yehia/Yahia|Yahya|Yaya/Yahaya
nasir|ناصر|M|30|*|Nacer/Nasser/Naceur|Nasser/Nasir|Nasser|Nasir|
fathi|فتحي|M|25|M,E,L|Fethi/Fathi|Fathi/Fathy|Fathy/Fathi|Fathi|
habib|حبيب|M|30|*|Habib|Habib/Habeeb|Habib/Habeeb|Habib|Habibou/Habib
salah=salah|صلاح|M|35|*|Salah|Salah|Salah|Salah|
salah_al_din=salah|صلاح الدين|M|35|M,E,L|Salaheddine/Salah Eddine/Salah-Eddine|Salahuddin/Salah al-Din/Salaheddin|Salah El Din/Salah Eldin|Salah Aldin|
nur_al_din|نور الدين|M|35|M|Noureddine/Nourredine/Nour Eddine/Nourdine|Nuruddin/Nour al-Din/Nureddin|Nour El Din/Nour Eldin|Nur Aldin|
izz_al_din|عز الدين|M|20|M|Azzeddine/Azeddine/Azdine/Ezzedine|Izzuddin/Ezzeddine/Izz al-Din|Ezz El Din/Ezz Eldin|Izz Aldin|
khayr_al_din|خير الدين|M|12|M|Kheireddine/Khaireddine/Kheir Eddine|Khairuddin/Khair al-Din|Kheir El Din|Khayr Aldin|
badr|بدر|M|20|*|Badr/Badre|Badr/Bader|Badr|Badr|
adil|عادل|M|45|*|Adil/Adel|Adel/Adil|Adel|Adil|
samir|سمير|M|45|*|Samir|Samir/Sameer|Samir/Sameer|Samir|
farid|فريد|M|30|*|Farid|Farid/Fareed|Farid/Fareed|Farid|
rida|رضا|M|35|*|Réda/Reda/Rida|Rida/Reda|Reda|Rida|
mahdi|مهدي|M|40|M|Mehdi/Mahdi|Mahdi/Mehdi|Mahdy/Mahdi|Mahdi|
hakim|حكيم|M|25|M|Hakim|Hakim/Hakeem|Hakim|Hakim|
abbas|عباس|M|30|*|Abbas/Abbès|Abbas|Abbas|Abbas|
jalal|جلال|M|15|*|Jalal/Djalal|Jalal|Galal|Jalal|
tahir|طاهر|M|25|*|Tahar/Taher|Tahir/Taher|Taher|Tahir|Tahirou
bashir|بشير|M|30|*|Bachir/Béchir/Bechir|Bashir/Basheer|Bashir/Beshir|Bashir|Bachir
munir|منير|M|25|*|Mounir|Munir/Mouneer|Mounir/Monir|Munir|
sharif|شريف|M|25|*|Cherif/Chérif|Sharif/Shareef|Sherif|Sharif|Chérif/Cherif
ashraf|أشرف|M|30|E,L|Achraf/Ashraf|Ashraf|Ashraf|Ashraf|
amr|عمرو|M|35|E,G|Amr/Amrou|Amr/Amro|Amr|Amr|
usama|أسامة|M|35|*|Oussama/Ousama|Usama/Osama/Osamah|Osama/Ossama|Usamah|Oussama
ayman|أيمن|M|30|E,L,G|Aymen/Ayman|Ayman/Aiman|Ayman|Ayman|
hani|هاني|M|20|E,L|Hani/Hany|Hani|Hany|Hani|
ihab|إيهاب|M|15|E|Ihab/Ehab|Ihab/Ehab|Ehab|Ihab|
husam|حسام|M|25|E,L,G|Houssam/Hossam|Hussam/Husam|Hossam|Husam|
sami|سامي|M|30|*|Sami/Samy|Sami|Samy/Sami|Sami|
faysal|فيصل|M|30|*|Fayçal/Faycal/Fayssal|Faisal/Faysal|Faisal/Feisal|Faysal|
nawaf|نواف|M|15|G|Nawaf|Nawaf|Nawaf|Nawaf|
turki|تركي|M|15|G|Turki|Turki/Torki|Torky|Turki|
sultan|سلطان|M|20|G|Soltane/Sultan|Sultan|Soltan/Sultan|Sultan|
fahd|فهد|M|20|G|Fahd/Fahed|Fahd/Fahad|Fahd|Fahd|
majid|ماجد|M|20|G,L|Majed|Majid/Majed|Maged|Majid|
rami|رامي|M|20|L,E|Rami/Ramy|Rami|Ramy|Rami|
ziyad|زياد|M|30|*|Ziad/Ziyad|Ziad/Ziyad/Zeyad|Ziad/Zeyad|Ziyad|
mansur|منصور|M|25|*|Mansour|Mansur/Mansour|Mansour|Mansur|Mansour
marwan|مروان|M|25|*|Marouane/Marwane/Marwan|Marwan|Marwan|Marwan|
ilyas|إلياس|M|30|M|Ilyas/Ilias/Elias|Ilyas/Elias|Elias/Elyas|Ilyas|
haytham|هيثم|M|15|L,E,G|Haitham/Haythem/Haithem|Haitham/Haytham|Haitham/Heitham|Haytham|
wail|وائل|M|20|E,L|Wael/Wail/Ouail|Wael/Wa'il|Wael|Wail|
shukri|شكري|M|15|M,E|Choukri/Chokri|Shukri/Shokri|Shokry|Shukri|
lutfi|لطفي|M|15|M,E|Lotfi/Lutfi|Lutfi/Lotfi|Lotfy|Lutfi|
mukhtar|مختار|M|20|M,S,E,R|Mokhtar|Mukhtar/Mokhtar|Mokhtar|Mukhtar|Moctar/Mokhtar
abu_bakr|أبو بكر|M|35|M,S,G,R|Boubaker/Boubakeur/Aboubakr/Abou Bakr|Abubakar/Abu Bakr/Abubakr|Abo Bakr/Abou Bakr|Abu Bakr|Aboubacar/Boubacar/Aboubakar
salim|سليم|M|30|*|Salim/Slim|Salim/Saleem|Selim/Salim|Salim|
tawfiq|توفيق|M|20|*|Toufik/Taoufik/Tawfik|Tawfiq/Tawfik/Tewfik|Tawfik/Tawfeek|Tawfiq|
jawad|جواد|M|20|M,L|Jaouad/Jawad/Djaouad|Jawad|Gawad|Jawad|
hafid|حفيظ|M|18|M|Hafid/Hafidh/Hafed|Hafiz/Hafeez|Hafeez|Hafiz|
najib|نجيب|M|18|*|Najib/Nadjib|Najib/Najeeb|Nagib/Naguib|Najib|
aziz|عزيز|M|25|*|Aziz|Aziz|Aziz|Aziz|
mubarak|مبارك|M|30|M,S,R|Mbarek/M'barek/Moubarak|Mubarak|Mobarak|Mubarak|Moubarak
mawlud|مولود|M|20|M|Miloud/Mouloud|Mawlud/Mouloud|Mawloud|Mawlud|
al_arabi|العربي|M|25|M|Larbi/El Arbi|Al-Arabi/Alarabi|El Araby|Alarabi|
al_akhdar|الأخضر|M|15|M|Lakhdar/Lakhder|Al-Akhdar|El Akhdar|Alakhdar|
bushuayb|بوشعيب|M|15|M|Bouchaib/Bouchaïb|Abu Shuaib/Bushuayb|Abou Shoeib|Bushuayb|
ammar|عمار|M|20|*|Ammar/Amar|Ammar|Ammar|Ammar|
sufyan|سفيان|M|35|M|Sofiane/Soufiane/Sofian|Sufyan/Sufian/Sofian|Sofian/Sufyan|Sufyan|
nizar|نزار|M|15|M,L|Nizar/Nizare|Nizar/Nezar|Nezar|Nizar|
shakib|شكيب|M|10|M|Chakib/Chakibe|Shakib/Shakeeb|Shakib|Shakib|
taha|طه|M|20|*|Taha|Taha|Taha|Taha|
imad|عماد|M|25|*|Imad/Imed|Imad/Emad|Emad|Imad|
hamdi|حمدي|M|15|M,E|Hamdi|Hamdi/Hamdy|Hamdy|Hamdi|
ghali|غالي|M|10|M,S|Ghali|Ghali|Ghaly|Ghali|Ghaly
hamad|حمد|M|20|G|Hamad|Hamad|Hamad|Hamad|
sayf|سيف|M|20|G,L|Saif/Seif|Saif/Saif|Seif|Sayf|
sidi|سيدي|M|25|R,M|Sidi|Sidi|Sidi|Sidi|Sidi
shaykh|الشيخ|M|20|R,S|Cheikh/Cheikhna|Sheikh|El Sheikh|Alshaykh|Cheikh/Cheick
# female
fatima=fatima|فاطمة|F|300|*|Fatima/Fatma|Fatima/Fatimah|Fatma/Fatima|Fatimah|Fatoumata/Fatimata/Fatouma
fatima_zahra=fatima|فاطمة الزهراء|F|120|M|Fatima Zahra/Fatima-Zahra/Fatimazahra/Fatima Ezzahra/Fatma Zohra|Fatima al-Zahra/Fatimah Alzahraa/Fatima Al Zahra|Fatma El Zahraa/Fatma Elzahraa|Fatimah Alzahra|
zahra=fatima|زهرة|F|30|M|Zahra/Zohra|Zahra/Zahrah|Zahra|Zahrah|
aisha|عائشة|F|120|*|Aïcha/Aicha/Aïsha|Aisha/Aysha/Aishah|Aisha/Aysha|Aishah|Aïssata/Aissatou/Aïcha
khadija|خديجة|F|110|*|Khadija/Khadidja/Khedidja|Khadija/Khadijah/Khadeeja|Khadiga/Khadija|Khadijah|Kadiatou/Khadidiatou/Kadidia
maryam|مريم|F|110|*|Meryem/Meriem/Mariam/Myriam|Maryam/Mariam|Mariam/Maryam|Maryam|Mariam/Mariama/Mariame
zaynab|زينب|F|60|*|Zineb/Zeineb/Zeinab/Zaynab|Zainab/Zaynab|Zeinab/Zainab|Zaynab|Zeinabou/Zenabou
amina|أمينة|F|80|*|Amina|Amina/Aminah/Ameena|Amina|Aminah|Aminata/Amina
hafsa|حفصة|F|30|M|Hafsa/Hafssa|Hafsa/Hafsah|Hafsa|Hafsah|
nadia|نادية|F|60|*|Nadia/Nadya|Nadia/Nadiya|Nadia|Nadiyah|
samira|سميرة|F|50|*|Samira|Samira/Sameera|Samira/Sameera|Samirah|
karima|كريمة|F|40|M|Karima|Karima/Kareema|Karima|Karimah|
latifa|لطيفة|F|35|*|Latifa|Latifa/Lateefa|Latifa|Latifah|
naima|نعيمة|F|40|M|Naïma/Naima|Naima/Naeema|Naeima/Naima|Naimah|
malika|مليكة|F|35|M|Malika|Malika|Malika|Malikah|
rashida|رشيدة|F|35|M|Rachida|Rashida/Rasheeda|Rashida|Rashidah|
hind|هند|F|30|*|Hind|Hind|Hend|Hind|
sanaa|سناء|F|35|*|Sanaa/Sana|Sanaa/Sana|Sanaa/Sana|Sana|
asmaa|أسماء|F|40|*|Asmaa/Asma|Asma/Asmaa|Asmaa|Asma|
iman|إيمان|F|40|*|Imane/Imen/Iman|Iman/Eman|Eman/Iman|Iman|
huda|هدى|F|40|*|Houda/Hoda|Huda/Hoda|Hoda/Hodaa|Huda|
salma|سلمى|F|35|*|Salma|Salma/Salmah|Salma|Salma|
layla|ليلى|F|40|*|Leila/Leïla/Laila|Layla/Laila/Leila|Laila/Leila|Layla|
suad|سعاد|F|30|*|Souad/Souade|Suad/Souad|Soad/Suad|Suad|
wafa|وفاء|F|25|*|Wafa/Ouafae/Wafae|Wafa/Wafaa|Wafaa|Wafa|
rania|رانيا|F|25|E,L,G|Rania|Rania/Ranya|Rania|Raniya|
nur|نور|F|30|*|Nour/Nor|Nur/Noor/Nour|Nour/Noor|Nur|
nur_al_huda|نور الهدى|F|15|M|Nour El Houda/Nourelhouda/Nour Elhouda|Nur al-Huda/Noor Alhuda|Nour El Hoda|Nur Alhuda|
yasmin|ياسمين|F|35|*|Yasmine/Yasmina|Yasmin/Yasmeen|Yasmin/Yasmeen|Yasmin|
sumayya|سمية|F|30|M|Soumaya/Soumia/Soumiya|Sumayya/Sumaya/Somaya|Somaya/Somaia|Sumayyah|
ikram|إكرام|F|25|M|Ikram/Ikrame|Ikram|Ekram|Ikram|
ilham|إلهام|F|25|*|Ilham/Ilhem|Ilham/Elham|Elham|Ilham|
hayat|حياة|F|25|M|Hayat|Hayat/Hayah|Hayat|Hayah|
farida|فريدة|F|25|*|Farida|Farida/Fareeda|Farida|Faridah|
jamila|جميلة|F|30|*|Jamila/Djamila|Jamila/Jameela|Gamila|Jamilah|Djamila
habiba|حبيبة|F|20|*|Habiba|Habiba|Habiba|Habibah|
safiya|صفية|F|25|*|Safia/Safiya|Safiya/Safia/Safiyya|Safeya/Safia|Safiyah|Safiatou/Safia
ruqayya|رقية|F|20|*|Rokaya/Rkia/Rekia|Ruqayya/Ruqaya|Rokaya/Roqaya|Ruqayyah|Rokia/Rokiatou
hanan|حنان|F|25|*|Hanane/Hanan|Hanan|Hanan|Hanan|
siham|سهام|F|25|M|Siham/Sihem|Siham|Seham|Siham|
dunya|دنيا|F|20|M|Dounia/Dounya|Dunya/Donia|Donia|Dunya|
warda|وردة|F|15|M|Warda/Ouarda|Warda|Warda|Wardah|
muna|منى|F|30|*|Mouna/Mona|Muna/Mona|Mona|Muna|
ghada|غادة|F|15|E,L|Ghada|Ghada|Ghada|Ghadah|
najat|نجاة|F|20|M|Najat/Nadjet|Najat/Najah|Nagat|Najah|
aya|آية|F|25|*|Aya/Ayah|Aya/Ayah|Aya|Ayah|
amal|أمل|F|25|*|Amal|Amal|Amal|Amal|
hajar|هاجر|F|30|M|Hajar/Hadjer|Hajar/Hagar|Hagar|Hajar|
kawthar|كوثر|F|20|M|Kaoutar/Kaouthar/Kawtar|Kawthar/Kauthar|Kawthar/Kawsar|Kawthar|
ibtisam|ابتسام|F|15|M|Ibtissam/Ibtissem|Ibtisam/Ebtisam|Ebtesam|Ibtisam|
bushra|بشرى|F|20|M|Bouchra/Bochra|Bushra|Boshra|Bushra|
lubna|لبنى|F|20|M|Loubna/Lobna|Lubna|Lobna|Lubna|
sara|سارة|F|35|*|Sara/Sarah|Sara/Sarah|Sara|Sarah|
halima|حليمة|F|30|M,S|Halima|Halima/Haleema|Halima|Halimah|Halimatou/Halima
hawa|حواء|F|15|S,M|Haoua/Hawa|Hawa/Hawwa|Hawaa|Hawa|Hawa/Haoua
rahma|رحمة|F|15|*|Rahma|Rahma/Rahmah|Rahma|Rahmah|
nawal|نوال|F|20|*|Naoual/Nawal|Nawal|Nawal|Nawal|
kenza|كنزة|F|20|M|Kenza|Kenza|Kenza|Kanzah|
ghizlan|غزلان|F|15|M|Ghizlane/Ghizlan|Ghizlan|Ghezlan|Ghizlan|
malak|ملاك|F|15|*|Malak|Malak|Malak|Malak|
"""  # noqa: E501

# key | arabic | particle | weight | regions | maghreb | english | egyptian | icao
_FAMILY_TABLE = """
ben_ali|بن علي|ben|60|M|Ben Ali/Benali|Bin Ali|Ben Ali|Bin Ali
ben_ahmad|بن أحمد|ben|35|M|Ben Ahmed/Benahmed|Bin Ahmed/Bin Ahmad|Ben Ahmed|Bin Ahmad
ben_muhammad|بن محمد|ben|35|M|Ben Mohamed/Benmohamed|Bin Mohammed/Bin Muhammad|Ben Mohamed|Bin Muhammad
ben_salih|بن صالح|ben|30|M|Ben Salah/Bensalah|Bin Salih/Bin Saleh|Ben Saleh|Bin Salih
ben_yusuf|بن يوسف|ben|25|M|Ben Youssef/Benyoussef/Benyoucef|Bin Yusuf/Bin Yousef|Ben Youssef|Bin Yusuf
ben_umar|بن عمر|ben|20|M|Ben Amor/Benamor/Ben Omar|Bin Omar/Bin Umar|Ben Omar|Bin Umar
ben_ibrahim|بن إبراهيم|ben|25|M|Ben Brahim/Benbrahim|Bin Ibrahim|Ben Ibrahim|Bin Ibrahim
ben_abd_allah|بن عبد الله|ben|25|M|Ben Abdallah/Benabdallah/Ben Abdellah/Benabdellah|Bin Abdullah/Bin Abdallah|Ben Abdallah|Bin Abd Allah
ben_said|بن سعيد|ben|15|M|Ben Saïd/Bensaid/Ben Said|Bin Saeed/Bin Said|Ben Said|Bin Said
ben_hajj|بن الحاج|ben|15|M|Ben Hadj/Benhadj/Ben Lhaj|Bin Al-Hajj/Bin Hajj|Ben El Hag|Bin Alhajj
ben_jallun|بن جلون|ben|15|M|Benjelloun/Ben Jelloun|Bin Jallun/Benjelloun|Ben Galloun|Bin Jallun
ben_sulayman|بن سليمان|ben|15|M|Ben Slimane/Benslimane|Bin Sulaiman/Bin Suleiman|Ben Soliman|Bin Sulayman
ben_isa|بن عيسى|ben|12|M|Ben Aïssa/Benaissa/Ben Aissa|Bin Issa/Bin Eisa|Ben Eissa|Bin Isa
ben_musa|بن موسى|ben|12|M|Ben Moussa/Benmoussa|Bin Musa|Ben Moussa|Bin Musa
ben_khalifa|بن خليفة|ben|10|M|Ben Khalifa/Benkhalifa|Bin Khalifa|Ben Khalifa|Bin Khalifah
ben_uthman|بن عثمان|ben|10|M|Ben Othmane/Benothmane/Ben Athmane|Bin Othman/Bin Uthman|Ben Osman|Bin Uthman
ben_hammuda|بن حمودة|ben|10|M|Ben Hamouda/Benhamouda|Bin Hamuda/Bin Hammouda|Ben Hamouda|Bin Hamudah
ben_al_arabi|بن العربي|ben|10|M|Ben Larbi/Benlarbi|Bin Al-Arabi|Ben El Araby|Bin Alarabi
ben_yahya|بن يحيى|ben|15|M|Ben Yahia/Benyahia/Ben Yahya|Bin Yahya|Ben Yehia|Bin Yahya
ben_mansur|بن منصور|ben|12|M|Ben Mansour/Benmansour|Bin Mansur/Bin Mansour|Ben Mansour|Bin Mansur
ben_hamid|بن حامد|ben|10|M|Ben Hamed/Benhamed|Bin Hamid/Bin Hamed|Ben Hamed|Bin Hamid
ben_shaqrun|بن شقرون|ben|10|M|Benchekroun/Ben Chekroun|Bin Shaqrun|Ben Shakroun|Bin Shaqrun
el_idrissi|الإدريسي|al|40|M|El Idrissi/Elidrissi/Idrissi|Al-Idrisi/Al Idrissi|El Edrisy/El Idrissi|Alidrisi
el_amrani|العمراني|al|35|M|El Amrani/Elamrani/Lamrani/Amrani|Al-Amrani|El Amrany|Alamrani
el_alaoui|العلوي|al|35|M|El Alaoui/Alaoui/Elalaoui|Al-Alawi/Al Alawi|El Alawy|Alalawi
el_fassi|الفاسي|al|20|M|El Fassi/Elfassi/Fassi|Al-Fasi/Al Fassi|El Fasy|Alfasi
el_mansouri|المنصوري|al|30|M,G|El Mansouri/Elmansouri/Mansouri|Al-Mansouri/Al Mansoori/Al-Mansuri|El Mansoury|Almansuri
el_khatib|الخطيب|al|25|*|El Khatib/Elkhatib/Khatib|Al-Khatib/Al Khateeb|El Khateeb/El Khatib|Alkhatib
el_hachimi|الهاشمي|al|20|*|El Hachimi/Hachimi/Elhachimi|Al-Hashimi/Al Hashemi|El Hashemy|Alhashimi
el_ouazzani|الوزاني|al|15|M|El Ouazzani/Ouazzani/Elouazzani|Al-Wazzani|El Wazzany|Alwazzani
el_kettani|الكتاني|al|15|M|El Kettani/Kettani|Al-Kattani|El Kattany|Alkattani
el_hassani|الحسني|al|15|M|El Hassani/Hassani/Elhassani|Al-Hasani|El Hassany|Alhasani
el_bakkali|البقالي|al|15|M|El Bakkali/Bakkali/Elbakkali|Al-Baqqali|El Bakaly|Albaqqali
el_ghazi|الغازي|al|12|M|El Ghazi/Ghazi/Elghazi|Al-Ghazi|El Ghazy|Alghazi
el_yousfi|اليوسفي|al|15|M|El Youssfi/Youssfi/El Yousfi/Elyousfi|Al-Yousfi/Al-Yusufi|El Yousfy|Alyusufi
ech_chaoui|الشاوي|al|12|M|Ech-Chaoui/Echchaoui/Chaoui/Ech Chaoui|Al-Shawi/Ash-Shawi|El Shawy|Alshawi
es_sayed|السيد|al|20|M,E|Es-Sayed/Essayed/Sayed/Es Sayed|Al-Sayed/As-Sayyid/Al Sayyed|El Sayed/Elsayed/El Saied|Alsayyid
er_rachidi|الرشيدي|al|15|M|Er-Rachidi/Errachidi/Rachidi|Al-Rashidi/Ar-Rashidi|El Rashidy|Alrashidi
ed_dahbi|الذهبي|al|10|M|Ed-Dahbi/Eddahbi/Dahbi|Al-Dhahabi/Adh-Dhahabi|El Dahaby|Aldhahabi
ez_zahraoui|الزهراوي|al|10|M|Ez-Zahraoui/Ezzahraoui/Zahraoui|Al-Zahrawi/Az-Zahrawi|El Zahrawy|Alzahrawi
en_naciri|الناصري|al|15|M|En-Naciri/Ennaciri/Naciri/Ennasiri|Al-Nasiri/An-Nasiri|El Nasiry|Alnasiri
et_tahiri|الطاهري|al|12|M|Et-Tahiri/Ettahiri/Tahiri|Al-Tahiri/At-Tahiri|El Tahery|Altahiri
es_saidi|السعيدي|al|15|M|Es-Saidi/Essaidi/Saidi/Es Saïdi|Al-Saidi/As-Saeedi|El Saidy/El Saeedy|Alsaidi
el_trabelsi|الطرابلسي|al|35|M|Trabelsi/Ettrabelsi/El Trabelsi|Al-Tarabulsi/Al-Trabulsi|El Trabelsy|Altarabulsi
el_jebali|الجبالي|al|15|M|Jebali/Djebali/El Jebali|Al-Jabali|El Gabaly|Aljabali
el_gharbi|الغربي|al|15|M|Gharbi/El Gharbi|Al-Gharbi|El Gharby|Algharbi
el_hammami|الحمامي|al|15|M|Hammami/Hamami|Al-Hammami|El Hammamy|Alhammami
el_ayari|العياري|al|12|M|Ayari/Ayyari|Al-Ayari|El Ayary|Alayyari
el_jaziri|الجزيري|al|10|M|Jaziri/Jeziri|Al-Jaziri|El Gaziry|Aljaziri
el_cherkaoui|الشرقاوي|al|20|M|Cherkaoui/Charkaoui/Ech-Cherkaoui|Al-Sharqawi/Sharqawi|El Sharkawy|Alsharqawi
et_tazi|التازي|al|15|M|Tazi/Ettazi|Al-Tazi|El Tazy|Altazi
ech_chraibi|الشرايبي|al|12|M|Chraibi/Chraïbi|Al-Sharaibi/Shraibi|El Sharayby|Alsharaybi
ez_ziani|الزياني|al|15|M|Ziani/Zayani/Ezziani|Al-Zayani|El Zayany|Alzayani
el_hamdaoui|الحمداوي|al|15|M|Hamdaoui/El Hamdaoui|Al-Hamdawi|El Hamdawy|Alhamdawi
ez_zaoui|الزاوي|al|10|M|Zaoui/Ezzaoui|Al-Zawi|El Zawy|Alzawi
el_messaoudi|المسعودي|al|20|M|Messaoudi/El Messaoudi|Al-Masoudi/Al-Masudi|El Masoudy|Almasudi
es_saadi|السعدي|al|15|*|Saadi/Essaadi/El Saadi|Al-Saadi/Al Saady|El Saady|Alsaadi
el_mokhtari|المختاري|al|12|M|Mokhtari/El Mokhtari|Al-Mukhtari|El Mokhtary|Almukhtari
el_aroussi|العروسي|al|10|M|Laaroussi/El Aroussi/Aroussi|Al-Arusi|El Arousy|Alarusi
el_azzouzi|العزوزي|al|10|M|Azzouzi/El Azzouzi|Al-Azzouzi|El Azzouzy|Alazzuzi
et_toumi|التومي|al|10|M|Toumi/Ettoumi|Al-Tumi|El Toumy|Altumi
el_warfalli|الورفلي|al|10|M|Ouarfalli/El Ouarfalli|Al-Warfalli/Werfalli|El Warfally|Alwarfalli
el_misrati|المصراتي|al|10|M|Misrati/El Misrati|Al-Misrati/Misrati|El Mesraty|Almisrati
el_mahmoudi|المحمودي|al|10|M|Mahmoudi/El Mahmoudi|Al-Mahmoudi|El Mahmoudy|Almahmudi
el_fitouri|الفيتوري|al|8|M|Fitouri/El Fitouri|Al-Fitouri/Al Faitouri|El Fetoury|Alfayturi
belkacem|بلقاسم||25|M|Belkacem/Belkassem|Belqasim/Bilqasim|Belkasem|Balqasim
bouzid|بوزيد||20|M|Bouzid|Bouzid/Abu Zaid|Bouzid|Buzid
boukhari|بوخاري||12|M|Boukhari|Bukhari|Bokhary|Bukhari
haddad|حداد||35|M,L|Haddad|Haddad|Haddad|Haddad
mansur|منصور||25|*|Mansour|Mansour/Mansur|Mansour|Mansur
shaaban|شعبان||15|M,E|Chaabane|Shaaban/Sha'ban|Shaaban|Shaban
mejri|مجري||10|M|Mejri|Mejri/Majri|Magry|Majri
lahlou|لحلو||10|M|Lahlou|Lahlou/Lahlu|Lahlou|Lahlu
barrada|برادة||12|M|Berrada|Barrada/Berrada|Barrada|Barradah
bennani|بناني||15|M|Bennani/Benani|Bannani/Bennani|Bannany|Bannani
rahmouni|رحموني||12|M|Rahmouni|Rahmuni/Rahmouni|Rahmouny|Rahmuni
ouali|والي||12|M|Ouali|Wali|Waly|Wali
belhadj|بلحاج||20|M|Belhadj/Bel Hadj/Belhaj|Belhaj/Bilhajj|Belhag|Bilhajj
kaddour|قدور||12|M|Kaddour|Qaddur/Kaddour|Kaddour|Qaddur
meziane|مزيان||12|M|Meziane|Mezian/Meziane|Mezian|Mizyan
slimani|سليماني||15|M|Slimani|Sulaimani/Slimani|Soleimany|Sulaymani
kaci|قاسي||10|M|Kaci|Qasi|Kasy|Qasi
kadri|قادري||12|M|Kadri|Qadri/Kadri|Kadry|Qadiri
bouali|بوعلي||12|M|Bouali|Bu Ali/Bouali|Bouali|Buali
boukhris|بوخريص||8|M|Boukhris|Bukhris|Boukhris|Bukhris
hamidi|حميدي||12|M|Hamidi|Hamidi/Humaidi|Hamidy|Humaydi
amghar|أمغار||8|M|Amghar|Amghar|Amghar|Amghar
ouhaddou|أوحدو||8|M|Ouhaddou/Ouhadou|Uhaddu/Ouhaddou|Ouhaddou|Uhaddu
oubaha|أوباها||6|M|Oubaha|Ubaha|Oubaha|Ubaha
ait_ahmad|آيت أحمد|ait|15|M|Aït Ahmed/Ait Ahmed/Aitahmed|Ait Ahmad/Ayt Ahmed|Ait Ahmed|Ayt Ahmad
ait_ali|آيت علي|ait|12|M|Aït Ali/Ait Ali|Ait Ali/Ayt Ali|Ait Ali|Ayt Ali
ait_said|آيت سعيد|ait|10|M|Aït Saïd/Ait Said/Aitsaid|Ait Saeed|Ait Said|Ayt Said
ait_ibrahim|آيت إبراهيم|ait|10|M|Aït Brahim/Ait Brahim|Ait Ibrahim|Ait Ibrahim|Ayt Ibrahim
ait_hajj|آيت الحاج|ait|8|M|Aït Lhaj/Ait El Hadj/Ait Lhadj|Ait Al-Hajj|Ait El Hag|Ayt Alhajj
ait_talib|آيت الطالب|ait|8|M|Aït Taleb/Ait Taleb|Ait Talib|Ait Taleb|Ayt Altalib
ait_hammou|آيت حمو|ait|10|M|Aït Hammou/Ait Hammou/Aithammou|Ait Hammu|Ait Hammou|Ayt Hammu
ait_mansur|آيت منصور|ait|8|M|Aït Mansour/Ait Mansour|Ait Mansur|Ait Mansour|Ayt Mansur
abu_zayd|أبو زيد|abu|12|*|Abou Zeid/Abouzeid/Abouzid|Abu Zaid/Abu Zayd/Abuzaid|Abou Zeid/Abo Zeid|Abu Zayd
abu_al_fadl|أبو الفضل|abu|8|E|Abou El Fadl/Aboulfadl|Abu al-Fadl/Abul Fadl|Abo El Fadl/Abou El Fadl|Abu Alfadl
abu_ali|أبو علي|abu|8|L|Abou Ali/Abouali|Abu Ali|Abou Ali|Abu Ali
abu_jabir|أبو جابر|abu|8|L|Abou Jaber|Abu Jaber/Abu Jabir|Abou Gaber|Abu Jabir
abu_khalil|أبو خليل|abu|8|L|Abou Khalil/Aboukhalil|Abu Khalil|Abou Khalil|Abu Khalil
abd_al_aziz|عبد العزيز|abd|15|E,M|Abdelaziz/Abdel Aziz/Abd El Aziz|Abdulaziz/Abdul Aziz|Abdel Aziz/Abd El Aziz/Abdelaziz|Abd Alaziz
abd_al_rahman|عبد الرحمن|abd|15|E|Abderrahmane/Abdel Rahman|Abdulrahman/Abdul Rahman|Abdel Rahman/Abd El Rahman/Abdelrahman|Abd Alrahman
abd_al_hamid|عبد الحميد|abd|12|E,M|Abdelhamid/Abdel Hamid|Abdulhamid/Abdul Hamid|Abdel Hamid/Abd El Hamid|Abd Alhamid
abd_al_salam|عبد السلام|abd|10|E|Abdeslam/Abdesselam|Abdulsalam/Abdul Salam|Abdel Salam/Abd El Salam|Abd Alsalam
abd_al_fattah|عبد الفتاح|abd|12|E|Abdelfattah/Abdel Fattah|Abdulfattah/Abdul Fattah|Abdel Fattah/Abd El Fattah|Abd Alfattah
abd_allah|عبد الله|abd|15|*|Abdallah/Abdellah|Abdullah/Abdallah|Abdalla/Abdallah|Abd Allah
ould_abd_allah|ولد عبد الله|ould|15|R|Ould Abdallah/Ould Abdellahi/Ould Abdellah|Ould Abdullah|Ould Abdallah|Walad Abd Allah
ould_ahmad|ولد أحمد|ould|15|R|Ould Ahmed|Ould Ahmad|Ould Ahmed|Walad Ahmad
ould_muhammad|ولد محمد|ould|20|R|Ould Mohamed|Ould Mohammed/Ould Muhammad|Ould Mohamed|Walad Muhammad
ould_shaykh|ولد الشيخ|ould|12|R|Ould Cheikh/Ould Echeikh|Ould Al-Sheikh/Ould Sheikh|Ould El Sheikh|Walad Alshaykh
ould_sidi|ولد سيدي|ould|12|R|Ould Sidi|Ould Sidi|Ould Sidi|Walad Sidi
ould_salem|ولد سالم|ould|12|R|Ould Salem|Ould Salim/Ould Salem|Ould Salem|Walad Salim
ould_ibrahim|ولد إبراهيم|ould|10|R|Ould Brahim|Ould Ibrahim|Ould Ibrahim|Walad Ibrahim
ould_ali|ولد اعلي|ould|10|R|Ould Ely/Ould Ali|Ould Ali|Ould Aly|Walad Ali
ould_al_amin|ولد الأمين|ould|10|R|Ould Lemine/Ould El Amine|Ould Al-Amin|Ould El Amin|Walad Alamin
ould_abu_bakr|ولد أبو بكر|ould|8|R|Ould Boubacar/Ould Boubakar|Ould Abu Bakr|Ould Abou Bakr|Walad Abu Bakr
ould_mahmud|ولد محمود|ould|8|R|Ould Mahmoud|Ould Mahmud|Ould Mahmoud|Walad Mahmud
hasan|حسن||30|E,*|Hassan|Hassan/Hasan|Hassan|Hasan
mahmud|محمود||25|E|Mahmoud|Mahmoud/Mahmud|Mahmoud|Mahmud
ibrahim|إبراهيم||25|E,*|Ibrahim/Brahim|Ibrahim|Ibrahim|Ibrahim
mustafa|مصطفى||20|E|Mostapha/Mustapha|Mustafa|Mostafa/Moustafa|Mustafa
ali|علي||20|E,S|Ali|Ali|Aly/Ali|Ali
salim|سالم||20|*|Salem|Salem/Salim|Salem|Salim
salih|صالح||20|*|Salah/Saleh|Saleh/Salih|Saleh|Salih
qasim|قاسم||15|L,*|Kacem/Kassem|Qasim/Kassem/Qassem|Kassem/Kasem|Qasim
el_masri|المصري|al|15|E,L|El Masri/Elmasri|Al-Masri/Al Masri|El Masry/Elmasry|Almasri
ech_cherif|الشريف|al|15|*|Ech-Cherif/Cherif|Al-Sharif|El Sherif/Elsherif|Alsharif
ech_chadli|الشاذلي|al|10|E,M|Chadli/Ech-Chadli|Al-Shadhili/Al-Shazli|El Shazly/Elshazly|Alshadhili
jamal|جمال||10|E|Djamel/Jamal|Jamal|Gamal|Jamal
rajab|رجب||10|E|Rajab/Radjab|Rajab|Ragab|Rajab
fawzi|فوزي||10|E|Fawzi/Faouzi|Fawzi|Fawzy|Fawzi
ashur|عاشور||10|E,L,M|Achour|Ashour/Ashur|Ashour|Ashur
shahata|شحاتة||8|E|Chehata|Shahata|Shehata|Shahatah
hijazi|حجازي||10|E,L|Hijazi/Hejazi|Hijazi/Hejazi|Hegazy/Hegazi|Hijazi
en_najjar|النجار|al|12|E,L|En-Najjar/Ennajjar/Najjar|Al-Najjar/An-Najjar|El Naggar/Elnaggar|Alnajjar
el_badaoui|البدوي|al|10|E,*|El Badaoui/Badaoui|Al-Badawi|El Badawy|Albadawi
adam|آدم||12|S,E|Adam|Adam|Adam|Adam
harun|هارون||12|S,E|Haroun|Harun/Haroun|Haroun|Harun
al_qahtani|القحطاني|al|25|G|El Kahtani/Qahtani|Al-Qahtani/Al Qahtani/Alqahtani|El Kahtany|Alqahtani
al_otaibi|العتيبي|al|25|G|El Otaibi/Otaibi|Al-Otaibi/Al Otaibi/Al-Utaybi|El Oteiby|Alutaybi
al_ghamdi|الغامدي|al|20|G|El Ghamdi|Al-Ghamdi/Alghamdi|El Ghamdy|Alghamidi
al_shammari|الشمري|al|20|G,L|Ech-Chammari/Chammari|Al-Shammari/Al Shammari/Alshammari|El Shammary|Alshammari
al_dosari|الدوسري|al|15|G|Ed-Dossari|Al-Dosari/Al-Dossary/Aldossari|El Dosary|Aldawsari
al_harbi|الحربي|al|20|G|El Harbi|Al-Harbi/Alharbi|El Harby|Alharbi
al_zahrani|الزهراني|al|15|G|Ez-Zahrani|Al-Zahrani/Alzahrani|El Zahrany|Alzahrani
al_mutairi|المطيري|al|18|G|El Moutairi|Al-Mutairi/Al-Mutayri/Almutairi|El Motairy|Almutayri
al_anazi|العنزي|al|15|G,L|El Anazi|Al-Anazi/Al-Enezi/Alanazi|El Anazy|Alanazi
al_maliki|المالكي|al|15|G,L|El Maliki|Al-Maliki/Almaliki|El Maleky|Almaliki
al_balushi|البلوشي|al|10|G|El Balouchi|Al-Balushi/Al Baloushi|El Balushy|Albalushi
al_kaabi|الكعبي|al|10|G|El Kaabi|Al-Kaabi/Al Ka'abi|El Kaaby|Alkabi
al_nuaimi|النعيمي|al|10|G,L|En-Nouaimi|Al-Nuaimi/Al Nuaimi/Al-Noaimi|El Noaimy|Alnuaymi
al_yami|اليامي|al|8|G|El Yami|Al-Yami|El Yamy|Alyami
al_tamimi|التميمي|al|15|L,G|Et-Tamimi/Tamimi|Al-Tamimi/Al Tamimi|El Tamimy|Altamimi
al_jaburi|الجبوري|al|15|L|El Jabouri|Al-Jubouri/Al-Jabouri/Aljuburi|El Gabory|Aljuburi
al_dulaimi|الدليمي|al|15|L|Ed-Doulaimi|Al-Dulaimi/Al-Dulaymi|El Dolaimy|Aldulaymi
al_ubaydi|العبيدي|al|15|L,M|Obeidi/Abidi/El Obeidi|Al-Obaidi/Al-Ubaydi/Alobaidi|El Obeidy|Alubaydi
al_khalil|الخليل|al|8|L|El Khalil|Al-Khalil|El Khalil|Alkhalil
al_homsi|الحمصي|al|10|L|El Homsi|Al-Homsi/Al-Himsi|El Homsy|Alhimsi
al_halabi|الحلبي|al|10|L|El Halabi/Halabi|Al-Halabi/Halabi|El Halaby|Alhalabi
az_zoubi|الزعبي|al|10|L|Ez-Zoubi/Zoubi|Al-Zoubi/Al-Zu'bi/Alzoubi|El Zoaby|Alzubi
khoury|خوري||15|L|Khoury/Khouri|Khoury/Khouri/Khuri|Khoury|Khuri
darwish|درويش||12|L,E|Derouiche/Darouiche|Darwish/Darweesh|Darwish/Darweesh|Darwish
hamdan|حمدان||12|L,G|Hamdane/Hamdan|Hamdan|Hamdan|Hamdan
awda|عودة||8|L|Aouda/Odeh|Odeh/Awda/Audeh|Oda|Awdah
"""  # noqa: E501

# West African and European names: key[=group] | origin | sex (given) or particle (family) |
# weight | nationalities | spellings (first usual, then others seen on documents)
_OTHER_GIVEN_TABLE = """
mamadou=muhammad|fula|M|70|SEN,GIN,MLI,BFA,NER,MRT,CIV|Mamadou/Mamadu/Mamoudou
amadou=ahmad|fula|M|45|SEN,MLI,NER,BFA,GIN,CIV,MRT|Amadou/Ahmadou/Hamadou
modibo|bambara|M|12|MLI|Modibo
seydou|songhai|M|20|MLI,BFA,NER|Seydou/Seïdou/Saydou
bakary=abu_bakr|mande|M|20|MLI,SEN,GIN,CIV|Bakary/Bakari/Backary
sekou=shaykh|mande|M|20|GIN,MLI,CIV|Sékou/Sekou/Seckou
salif|mande|M|10|MLI,CIV|Salif
lassina=hasan|dioula|M|10|CIV,MLI,BFA|Lassina
adama|mande|M|20|BFA,MLI,SEN,CIV,TCD|Adama
babacar|wolof|M|15|SEN|Babacar/Babakar
pape|wolof|M|15|SEN|Pape/Papa
tidiane|fula|M|10|SEN,GIN|Tidiane/Tidjane
issiaka|mande|M|8|BFA,MLI,CIV|Issiaka
boureima=ibrahim|songhai|M|12|BFA,NER|Boureima/Bourema
harouna|hausa|M|12|NER,BFA,MLI,TCD|Harouna
hama|songhai|M|8|NER,MLI|Hama
djibril|fula|M|12|SEN,GIN,MLI,MRT,TCD|Djibril/Jibril
kouadio|akan|M|12|CIV|Kouadio
koffi|akan|M|12|CIV|Koffi/Kofi
emeka|igbo|M|8|NGA|Emeka
chinedu|igbo|M|8|NGA|Chinedu
olumide|yoruba|M|6|NGA|Olumide
tunde|yoruba|M|8|NGA|Tunde/Babatunde
emmanuel|french|M|15|FRA,CMR,CIV,NGA,BFA|Emmanuel
joseph|french|M|15|FRA,CMR,CIV,BEL,NGA|Joseph
awa=hawa|wolof|F|30|SEN,MLI,GIN,MRT|Awa
coumba|fula|F|20|SEN,MLI,GIN,MRT|Coumba/Koumba
ndeye|wolof|F|20|SEN|Ndèye/Ndeye/N'Deye
astou=aisha|wolof|F|12|SEN|Astou
oumou|mande|F|15|MLI,GIN|Oumou
djeneba=zaynab|mande|F|15|MLI,BFA,CIV|Djénéba/Djeneba/Dieneba
bintou|mande|F|15|MLI,GIN,CIV|Bintou/Bintu
fanta=fatima|mande|F|15|GIN,MLI,SEN|Fanta
assetou=aisha|mande|F|10|BFA,MLI|Assétou/Assetou
salimata|mande|F|12|BFA,MLI,CIV|Salimata/Salamata
binta|fula|F|10|SEN,GIN,MRT|Binta
mame|wolof|F|8|SEN|Mame
adjoua|akan|F|10|CIV|Adjoua
akissi|akan|F|8|CIV|Akissi
ramatoulaye|fula|F|12|SEN,MLI,GIN|Ramatoulaye/Ramatoulay
nafissatou|fula|F|10|SEN,NER|Nafissatou/Nafissa
ngozi|igbo|F|8|NGA|Ngozi
chioma|igbo|F|8|NGA|Chioma
funmilayo|yoruba|F|6|NGA|Funmilayo/Funmi
grace|english|F|10|NGA,GBR,USA,CMR|Grace
christine|french|F|10|FRA,CMR,CIV,BEL|Christine
jeanne|french|F|8|FRA,CMR,BEL|Jeanne
achta|chadian|F|10|TCD|Achta
hadje|chadian|F|8|TCD|Hadjé/Hadje
folake|yoruba|F|6|NGA|Folake
jean|french|M|40|FRA,BEL,CHE,CAN,CMR,CIV|Jean
pierre|french|M|25|FRA,BEL,CHE,CMR|Pierre
michel|french|M|20|FRA,BEL|Michel
philippe|french|M|20|FRA,BEL|Philippe
nicolas|french|M|25|FRA,BEL,CHE|Nicolas
thomas|french|M|25|FRA,DEU,BEL,NLD,GBR|Thomas
julien|french|M|20|FRA,BEL|Julien
francois|french|M|15|FRA,BEL,CHE|François/Francois
jerome|french|M|10|FRA|Jérôme/Jerome
stephane|french|M|15|FRA,BEL|Stéphane/Stephane
sebastien|french|M|15|FRA,BEL|Sébastien/Sebastien
laurent|french|M|15|FRA,BEL|Laurent
olivier|french|M|15|FRA,BEL|Olivier
antoine|french|M|15|FRA|Antoine
louis|french|M|15|FRA,BEL|Louis
hugo|french|M|12|FRA,ESP|Hugo
marie|french|F|40|FRA,BEL,CHE,CMR,CIV,CAN|Marie
nathalie|french|F|20|FRA,BEL|Nathalie
isabelle|french|F|20|FRA,BEL|Isabelle
sophie|french|F|20|FRA,DEU,NLD,BEL|Sophie
celine|french|F|15|FRA,BEL|Céline/Celine
elodie|french|F|12|FRA|Élodie/Elodie
helene|french|F|12|FRA|Hélène/Helene
camille|french|F|15|FRA,BEL|Camille
lea|french|F|15|FRA|Léa/Lea
chloe|french|F|12|FRA|Chloé/Chloe
julie|french|F|15|FRA,BEL|Julie
francoise|french|F|10|FRA|Françoise/Francoise
valerie|french|F|12|FRA,BEL|Valérie/Valerie
ines|french|F|10|FRA,BEL|Inès/Ines
ines_es|spanish|F|10|ESP,PRT|Inés/Ines/Inês
jose|spanish|M|40|ESP,PRT|José/Jose
antonio|spanish|M|35|ESP,ITA|Antonio
antonio_pt|portuguese|M|15|PRT|António/Antonio
manuel|spanish|M|25|ESP,PRT|Manuel
francisco|spanish|M|25|ESP,PRT|Francisco
juan|spanish|M|25|ESP|Juan
javier|spanish|M|20|ESP|Javier
david|spanish|M|20|ESP,FRA,GBR,DEU,NLD|David
daniel|spanish|M|20|ESP,DEU,FRA|Daniel
carlos|spanish|M|20|ESP,PRT|Carlos
miguel|spanish|M|15|ESP,PRT|Miguel
alejandro|spanish|M|15|ESP|Alejandro
pablo|spanish|M|12|ESP|Pablo
jesus|spanish|M|12|ESP|Jesús/Jesus
maria|spanish|F|45|ESP|María/Maria
maria_it|italian|F|30|ITA,PRT,DEU,CHE|Maria
carmen|spanish|F|25|ESP|Carmen
isabel|spanish|F|15|ESP,PRT|Isabel
ana|spanish|F|25|ESP,PRT|Ana
lucia|spanish|F|15|ESP|Lucía/Lucia
laura|spanish|F|15|ESP,ITA,FRA,DEU|Laura
cristina|spanish|F|12|ESP,ITA|Cristina
pilar|spanish|F|10|ESP|Pilar
rocio|spanish|F|8|ESP|Rocío/Rocio
giuseppe|italian|M|30|ITA|Giuseppe
giovanni|italian|M|25|ITA|Giovanni
francesco|italian|M|20|ITA|Francesco
alessandro|italian|M|15|ITA|Alessandro
marco|italian|M|20|ITA|Marco
luca|italian|M|15|ITA|Luca
salvatore|italian|M|10|ITA|Salvatore
anna|italian|F|25|ITA,DEU,NLD|Anna
giulia|italian|F|15|ITA|Giulia
francesca|italian|F|15|ITA|Francesca
chiara|italian|F|12|ITA|Chiara
rosa|italian|F|12|ESP,ITA,PRT|Rosa
joao|portuguese|M|30|PRT|João/Joao
pedro|portuguese|M|15|PRT,ESP|Pedro
goncalo|portuguese|M|8|PRT|Gonçalo/Goncalo
conceicao|portuguese|F|8|PRT|Conceição/Conceicao
beatriz|portuguese|F|10|PRT,ESP|Beatriz
michael|german|M|25|DEU,GBR,NLD|Michael
andreas|german|M|20|DEU,CHE|Andreas
stefan|german|M|20|DEU,CHE|Stefan/Stephan
jurgen|german|M|12|DEU|Jürgen/Juergen/Jurgen
klaus|german|M|12|DEU|Klaus
wolfgang|german|M|12|DEU|Wolfgang
peter|german|M|20|DEU,NLD,GBR,CHE|Peter
lukas|german|M|15|DEU,CHE|Lukas/Lucas
sabine|german|F|15|DEU|Sabine
petra|german|F|12|DEU|Petra
monika|german|F|12|DEU|Monika
ursula|german|F|10|DEU,CHE|Ursula
katharina|german|F|12|DEU|Katharina/Katarina
jan|dutch|M|25|NLD,DEU,BEL|Jan
pieter|dutch|M|12|NLD,BEL|Pieter
johannes|dutch|M|15|NLD,DEU|Johannes
willem|dutch|M|10|NLD,BEL|Willem
daan|dutch|M|10|NLD|Daan
johanna|dutch|F|12|NLD,DEU|Johanna
sanne|dutch|F|10|NLD|Sanne
emma|dutch|F|15|NLD,GBR,DEU,FRA|Emma
femke|dutch|F|8|NLD|Femke
james|english|M|25|GBR,USA,IRL,CAN|James
john|english|M|25|GBR,USA,IRL,CAN|John
robert|english|M|20|GBR,USA|Robert
william|english|M|15|GBR,USA|William
paul|english|M|15|GBR,IRL,FRA,CMR,CIV|Paul
mary|english|F|15|GBR,USA,IRL,CAN|Mary
elizabeth|english|F|12|GBR,USA|Elizabeth
jennifer|english|F|10|GBR,USA|Jennifer
emily|english|F|12|GBR,USA,CAN|Emily
richard|english|M|12|GBR,USA|Richard
andrew|english|M|12|GBR,USA,CAN|Andrew
mark|english|M|12|GBR,USA,IRL|Mark
sean|irish|M|8|IRL|Seán/Sean
susan|english|F|10|GBR,USA|Susan
margaret|english|F|8|GBR,IRL|Margaret
sarah|english|F|12|GBR,USA,IRL,CAN|Sarah
helen|english|F|8|GBR,USA|Helen
siobhan|irish|F|6|IRL|Siobhán/Siobhan
"""

_OTHER_FAMILY_TABLE = """
diallo|fula||60|SEN,GIN,MLI,BFA,NER,MRT,CIV|Diallo/Djallo
bah|fula||30|GIN,SEN,MLI|Bah/Ba
barry|fula||25|GIN,SEN|Barry/Bari
sow|fula||30|SEN,GIN,MLI,MRT|Sow
balde|fula||15|GIN,SEN|Baldé/Balde
sidibe|fula||20|MLI,GIN,BFA|Sidibé/Sidibe
sy|fula||15|SEN,MRT,MLI|Sy
kane|fula||15|SEN,MRT|Kane
dicko|fula||15|MLI,BFA,NER|Dicko/Diko
diop|wolof||45|SEN|Diop/Diope
ndiaye|wolof||50|SEN|Ndiaye/N'Diaye/N'diaye
fall|wolof||25|SEN,MRT|Fall/Faal
gueye|wolof||25|SEN|Gueye/Guèye/Gaye
faye|serer||20|SEN|Faye
mbaye|wolof||20|SEN|Mbaye/M'Baye
sarr|serer||20|SEN|Sarr/Sar
seck|wolof||15|SEN|Seck
diouf|serer||18|SEN|Diouf
thiam|wolof||15|SEN|Thiam/Tiam
cisse|soninke||30|SEN,MLI,GIN,BFA|Cissé/Cisse/Sissé
toure|songhai||35|MLI,GIN,SEN,CIV|Touré/Toure
traore|bambara||55|MLI,BFA,CIV,GIN|Traoré/Traore
coulibaly|bambara||50|MLI,CIV,BFA|Coulibaly/Koulibaly/Kulibali
keita|bambara||35|MLI,GIN,SEN|Keïta/Keita/Kéita
konate|bambara||25|MLI,GIN,CIV|Konaté/Konate
diarra|bambara||30|MLI|Diarra/Jara
kante|bambara||15|MLI,GIN|Kanté/Kante
dembele|bambara||20|MLI,SEN|Dembélé/Dembele
sangare|bambara||15|MLI,CIV|Sangaré/Sangare
kone|bambara||30|CIV,MLI,BFA|Koné/Kone
doumbia|bambara||20|MLI,CIV|Doumbia/Dumbuya
camara|mande||40|GIN,SEN,MLI|Camara/Kamara
sissoko|mande||15|MLI|Sissoko/Sisoko
maiga|songhai||25|MLI,NER|Maïga/Maiga
haidara|songhai||12|MLI|Haïdara/Haidara
tandina|songhai||6|MLI|Tandina
ouedraogo|mossi||50|BFA,CIV|Ouédraogo/Ouedraogo/Wedraogo
sawadogo|mossi||35|BFA|Sawadogo/Savadogo
kabore|mossi||25|BFA|Kaboré/Kabore
compaore|mossi||15|BFA|Compaoré/Compaore
zongo|mossi||15|BFA|Zongo
ouattara|dioula||30|CIV,BFA|Ouattara/Watara
nikiema|mossi||10|BFA|Nikièma/Nikiema
ilboudo|mossi||10|BFA|Ilboudo
yameogo|mossi||8|BFA|Yaméogo/Yameogo
issoufou|hausa||15|NER|Issoufou/Issifou
mahamadou|hausa||15|NER,MLI|Mahamadou
abdou|hausa||15|NER,SEN|Abdou/Abdu
moussa|hausa||15|NER,TCD|Moussa/Musa
garba|hausa||12|NER,NGA|Garba
bello|hausa||15|NGA,NER|Bello
abubakar|hausa||15|NGA|Abubakar/Aboubakar
oumarou|hausa||12|NER|Oumarou/Umaru
adamou|hausa||10|NER|Adamou/Adamu
boukar|kanuri||8|NER,TCD,CMR|Boukar/Bukar
mahamat|chadian||20|TCD|Mahamat/Mahamath
abakar|chadian||15|TCD|Abakar/Abbakar
hissein|chadian||12|TCD|Hissein/Hissène
ahmat|chadian||10|TCD|Ahmat
ag_ahmad|tuareg|ag|12|MLI,NER|Ag Ahmed/Ag Ahmad/Agahmed
ag_muhammad|tuareg|ag|12|MLI,NER|Ag Mohamed/Ag Mohammed
ag_intalla|tuareg|ag|6|MLI|Ag Intalla/Ag Intallah
ag_alhassane|tuareg|ag|8|MLI,NER|Ag Alhassane/Ag Alhassan
ag_ibrahim|tuareg|ag|8|MLI,NER|Ag Ibrahim/Ag Brahim
ag_attaher|tuareg|ag|5|MLI|Ag Attaher/Ag Ataher
kouassi|akan||20|CIV|Kouassi
kouame|akan||20|CIV|Kouamé/Kouame
nguessan|akan||12|CIV|N'Guessan/Nguessan
okafor|igbo||15|NGA|Okafor
eze|igbo||10|NGA|Eze
okeke|igbo||10|NGA|Okeke
nwosu|igbo||8|NGA|Nwosu
adeyemi|yoruba||15|NGA|Adeyemi
adebayo|yoruba||12|NGA|Adebayo
balogun|yoruba||8|NGA|Balogun
ogunleye|yoruba||6|NGA|Ogunleye
atangana|beti||8|CMR|Atangana
tchakounte|bamileke||6|CMR|Tchakounté/Tchakounte
mbarga|beti||10|CMR|Mbarga
ngono|beti||8|CMR|Ngono
fotso|bamileke||8|CMR|Fotso
martin|french||40|FRA,BEL,CHE,CAN|Martin
bernard|french||25|FRA,BEL|Bernard
dubois|french||22|FRA,BEL|Dubois
petit|french||17|FRA|Petit
durand|french||17|FRA|Durand
leroy|french||15|FRA,BEL|Leroy
moreau|french||15|FRA|Moreau
simon|french||15|FRA,BEL|Simon
lefebvre|french||15|FRA,BEL|Lefebvre
bertrand|french||12|FRA|Bertrand
roux|french||12|FRA|Roux
fournier|french||12|FRA|Fournier
girard|french||12|FRA|Girard
dupont|french||12|FRA,BEL|Dupont
lambert|french||12|FRA,BEL|Lambert
guerin|french||10|FRA|Guérin/Guerin
le_gall|french|le|6|FRA|Le Gall/Legall
garcia|spanish||45|ESP,FRA|García/Garcia
fernandez|spanish||35|ESP|Fernández/Fernandez
gonzalez|spanish||35|ESP|González/Gonzalez
rodriguez|spanish||35|ESP|Rodríguez/Rodriguez
lopez|spanish||30|ESP|López/Lopez
martinez|spanish||30|ESP,FRA|Martínez/Martinez
sanchez|spanish||28|ESP|Sánchez/Sanchez
perez|spanish||28|ESP|Pérez/Perez
gomez|spanish||20|ESP|Gómez/Gomez
jimenez|spanish||15|ESP|Jiménez/Jimenez
ruiz|spanish||15|ESP|Ruiz
hernandez|spanish||15|ESP|Hernández/Hernandez
diaz|spanish||15|ESP|Díaz/Diaz
moreno|spanish||15|ESP|Moreno
munoz|spanish||12|ESP|Muñoz/Munoz
alvarez|spanish||12|ESP|Álvarez/Alvarez
navarro|spanish||10|ESP|Navarro
rossi|italian||30|ITA|Rossi
russo|italian||25|ITA|Russo
ferrari|italian||20|ITA|Ferrari
esposito|italian||20|ITA|Esposito
bianchi|italian||18|ITA|Bianchi
romano|italian||18|ITA|Romano
colombo|italian||15|ITA|Colombo
ricci|italian||15|ITA|Ricci
greco|italian||12|ITA|Greco
de_luca|italian|de|12|ITA|De Luca/Deluca
d_angelo|italian|d'|8|ITA|D'Angelo/Dangelo
silva|portuguese||40|PRT|Silva
santos|portuguese||30|PRT|Santos
ferreira|portuguese||25|PRT|Ferreira
pereira|portuguese||25|PRT|Pereira
oliveira|portuguese||22|PRT|Oliveira
costa|portuguese||20|PRT,ITA|Costa
goncalves|portuguese||15|PRT|Gonçalves/Goncalves
da_silva|portuguese|da|10|PRT|Da Silva/Dasilva
muller|german||40|DEU,CHE|Müller/Mueller/Muller
schmidt|german||30|DEU|Schmidt
schneider|german||25|DEU|Schneider
fischer|german||22|DEU|Fischer
weber|german||20|DEU,CHE|Weber
meyer|german||20|DEU,CHE|Meyer
wagner|german||18|DEU|Wagner
becker|german||17|DEU|Becker
hoffmann|german||16|DEU|Hoffmann
schafer|german||12|DEU|Schäfer/Schaefer/Schafer
schroder|german||10|DEU|Schröder/Schroeder/Schroder
kruger|german||8|DEU|Krüger/Krueger/Kruger
weiss|german||8|DEU,CHE|Weiß/Weiss
de_jong|dutch|de|25|NLD|de Jong/De Jong/Dejong
jansen|dutch||20|NLD|Jansen
de_vries|dutch|de|20|NLD|de Vries/De Vries/Devries
van_den_berg|dutch|van|15|NLD|van den Berg/Van den Berg/Vandenberg
van_dijk|dutch|van|15|NLD|van Dijk/Van Dijk/Vandijk
bakker|dutch||15|NLD|Bakker
janssens|flemish||15|BEL|Janssens
peeters|flemish||15|BEL|Peeters
maes|flemish||12|BEL|Maes
smith|english||35|GBR,USA,IRL,CAN|Smith
jones|english||25|GBR,USA|Jones
williams|english||22|GBR,USA|Williams
taylor|english||18|GBR,USA|Taylor
brown|english||18|GBR,USA,CAN|Brown
murphy|irish||10|IRL,GBR|Murphy
davies|english||15|GBR|Davies
evans|english||12|GBR|Evans
wilson|english||12|GBR,USA,CAN|Wilson
johnson|english||12|GBR,USA|Johnson
roberts|english||10|GBR|Roberts
walker|english||10|GBR,USA|Walker
wright|english||10|GBR|Wright
thompson|english||10|GBR,USA,CAN|Thompson
white|english||10|GBR,USA|White
hughes|english||8|GBR|Hughes
edwards|english||8|GBR|Edwards
green|english||8|GBR|Green
hall|english||8|GBR|Hall
kelly|irish||8|IRL|Kelly
tremblay|french||10|CAN|Tremblay
o_brien|irish|o'|8|IRL|O'Brien/OBrien/O Brien
"""

ARABIC_GIVEN: tuple[NameEntry, ...] = _parse_arabic(_GIVEN_TABLE, "given")
ARABIC_FAMILY: tuple[NameEntry, ...] = _parse_arabic(_FAMILY_TABLE, "family")
OTHER_GIVEN: tuple[NameEntry, ...] = _parse_other(_OTHER_GIVEN_TABLE, "given")
OTHER_FAMILY: tuple[NameEntry, ...] = _parse_other(_OTHER_FAMILY_TABLE, "family")

BEN_CONNECTOR = NameEntry(
    key="ben",
    kind="connector",
    origin="arabic",
    arabic="بن",
    sex="",
    weight=0.0,
    regions=frozenset({"*"}),
    spellings={
        "maghreb": ("Ben",),
        "english": ("Bin",),
        "egyptian": ("Ben",),
        "icao": ("Bin",),
        "sahel": ("Ben",),
    },
    particle="ben",
    group="ben",
    core="ben",
)

# code, region, convention, weight in the Arabic-origin population, weight in the rest
_NATIONALITY_TABLE = """
MAR M maghreb 24 0
DZA M maghreb 20 0
TUN M maghreb 10 0
LBY M english 4 0
MRT R maghreb 3 0.5
EGY E egyptian 12 0
SDN E english 3 0
SAU G english 5 0
ARE G english 1 0
QAT G english 0.5 0
KWT G english 0.5 0
YEM G english 1 0
JOR L english 3 0
SYR L english 4 0
IRQ L english 3 0
LBN L english 2 0
PSE L english 1 0
FRA M maghreb 6 14
BEL M maghreb 2 4
ESP M maghreb 2 12
ITA M maghreb 1.5 7
NLD M maghreb 1.5 4
DEU M maghreb 1.5 8
TCD S sahel 2 2
NER S sahel 1 4
MLI S sahel 1 6
SEN S sahel 0.3 6
BFA S sahel 0 5
GIN S sahel 0 3
CIV S sahel 0 4
NGA S sahel 0 3
CMR S sahel 0 1
PRT X latin 0 5
GBR X latin 0 5
IRL X latin 0 0.5
CHE X latin 0 1
USA X latin 0 2
CAN X latin 0 0.5
"""

NATIONALITIES: dict[str, Nationality] = {
    code: Nationality(code, region, convention, float(arabic_w), float(other_w))
    for code, region, convention, arabic_w, other_w in (
        line.split() for line in _NATIONALITY_TABLE.strip().splitlines()
    )
}
WEST_AFRICA = frozenset({"MRT", "TCD", "NER", "MLI", "SEN", "BFA", "GIN", "CIV", "NGA", "CMR"})
_DIASPORA_ORIGINS = ("MAR", "MAR", "DZA", "DZA", "TUN")
ARAB_STATES = (
    frozenset(
        code for code, info in NATIONALITIES.items() if info.region in {"M", "R", "E", "G", "L"}
    )
    - {"FRA", "BEL", "ESP", "ITA", "NLD", "DEU"}
) | {"TCD"}


def pick_spelling(rng: random.Random, forms: Sequence[str]) -> str:
    """One of ``forms``, the first most often (weights 1, 0.35, 0.12, ...)."""
    if len(forms) == 1:
        return forms[0]
    weights = [0.35**i for i in range(len(forms))]
    return rng.choices(forms, weights=weights)[0]


def _region_weight(entry: NameEntry, region: str, nationality: str) -> float:
    if "*" in entry.regions or region in entry.regions or nationality in entry.regions:
        return entry.weight
    return entry.weight * 0.03


# Ould (Mauritania) and Ait (Berber) family names only where they are at home.
_OFF_REGION = frozenset({("ould", r) for r in "MEGLSX"} | {("ait", r) for r in "REGLSX"})


@cache
def _weighted(
    table: str, sex: str, region: str, nationality: str
) -> tuple[tuple[NameEntry, ...], tuple[float, ...]]:
    pool = {
        "arabic_given": ARABIC_GIVEN,
        "arabic_family": ARABIC_FAMILY,
        "other_given": OTHER_GIVEN,
        "other_family": OTHER_FAMILY,
        "sahel_given": tuple(e for e in ARABIC_GIVEN if e.has_convention("sahel")),
    }[table]
    entries: list[NameEntry] = []
    cum: list[float] = []
    total = 0.0
    for entry in pool:
        if sex and entry.sex and entry.sex != sex:
            continue
        if table.startswith("other"):
            weight = entry.weight if nationality in entry.regions else 0.0
        elif table == "arabic_family" and (entry.particle, region) in _OFF_REGION:
            weight = 0.0
        else:
            weight = _region_weight(entry, region, nationality)
        if weight <= 0:
            continue
        total += weight
        entries.append(entry)
        cum.append(total)
    if not entries:  # no name tied to this state: fall back to the whole table
        for entry in pool:
            if sex and entry.sex and entry.sex != sex:
                continue
            total += entry.weight
            entries.append(entry)
            cum.append(total)
    return tuple(entries), tuple(cum)


def _draw(rng: random.Random, table: str, sex: str, region: str, nationality: str) -> NameEntry:
    entries, cum = _weighted(table, sex, region, nationality)
    return rng.choices(entries, cum_weights=cum)[0]


@cache
def _nationality_weights(arabic: bool) -> tuple[tuple[str, ...], tuple[float, ...]]:
    codes = tuple(NATIONALITIES)
    weights = [
        NATIONALITIES[c].arabic_weight if arabic else NATIONALITIES[c].other_weight for c in codes
    ]
    cum: list[float] = []
    total = 0.0
    for weight in weights:
        total += weight
        cum.append(total)
    return codes, tuple(cum)


def _draw_nationality(rng: random.Random, arabic: bool) -> str:
    codes, cum = _nationality_weights(arabic)
    return rng.choices(codes, cum_weights=cum)[0]


def draw_birth_date(rng: random.Random, *, reference_year: int = 2026) -> date:
    """A traveller's birth date: mostly adults 18-75, a few children and elders."""
    bands = ((1, 17, 5), (18, 29, 25), (30, 44, 28), (45, 59, 25), (60, 74, 14), (75, 90, 3))
    low, high, _ = rng.choices(bands, weights=[b[2] for b in bands])[0]
    year = reference_year - rng.randint(low, high)
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _part(rng: random.Random, role: str, entry: NameEntry, convention: str) -> NamePart:
    return NamePart(role, entry, pick_spelling(rng, entry.forms(convention)))


def _draw_arabic_parts(
    rng: random.Random, sex: str, nationality: str, convention: str
) -> list[NamePart]:
    src = NATIONALITIES[nationality].region
    if src == "X":
        src = "M"
    parts: list[NamePart] = []
    first = _draw(rng, "arabic_given", sex, src, nationality)
    parts.append(_part(rng, "given", first, convention))
    # A second given name: Maghreb "Mohamed Amine", Mauritanian "Sidi Mohamed".
    if src in {"M", "R"} and rng.random() < (0.22 if sex == "M" else 0.08):
        second = _draw(rng, "arabic_given", sex, src, nationality)
        if second.group != first.group:
            if sex == "M" and rng.random() < 0.6 and first.key != "muhammad":
                parts.insert(0, _part(rng, "given", given_by_key("muhammad"), convention))
            else:
                parts.append(_part(rng, "given", second, convention))
    nasab = {"G": 0.85, "L": 0.75, "E": 0.9, "S": 0.5}.get(src, 0.0)
    if nationality == "TUN":
        nasab = 0.25
    elif nationality == "LBY":
        nasab = 0.5
    if rng.random() < nasab:
        if nationality in {"TUN", "SAU", "ARE", "QAT", "KWT", "YEM"} and rng.random() < (
            0.9 if nationality == "TUN" else 0.25
        ):
            parts.append(_part(rng, "connector", BEN_CONNECTOR, convention))
        father = _draw(rng, "arabic_given", "M", src, nationality)
        parts.append(_part(rng, "father", father, convention))
        if src in {"G", "E", "L"} and rng.random() < 0.5:
            grand = _draw(rng, "arabic_given", "M", src, nationality)
            if grand is father:  # Muhammad son of Muhammad happens; thrice is rare
                grand = _draw(rng, "arabic_given", "M", src, nationality)
            parts.append(_part(rng, "grandfather", grand, convention))
            if src in {"G", "L"} and rng.random() < 0.35:  # four-part names (Iraq, Gulf)
                great = _draw(rng, "arabic_given", "M", src, nationality)
                parts.append(_part(rng, "grandfather", great, convention))
    if src == "S" and rng.random() < 0.7:  # Sahel family names: Maiga, Haidara, Ag Ahmed
        family = _draw(rng, "other_family", "", "", nationality)
        parts.append(_part(rng, "family", family, "latin"))
    else:
        family = _draw(rng, "arabic_family", "", src, nationality)
        parts.append(_part(rng, "family", family, convention))
    return parts


_CHRISTIAN_ORIGINS = frozenset({"igbo", "yoruba", "akan", "beti", "bamileke"})
_CHURCH_NAMES = frozenset({"french", "english"})


def _draw_other_parts(
    rng: random.Random, sex: str, nationality: str, origin: str
) -> list[NamePart]:
    parts: list[NamePart] = []
    family = _draw(rng, "other_family", "", "", nationality)
    if origin == "west_african" and family.origin not in _CHRISTIAN_ORIGINS:
        # Muslim Sahel and West Africa: mostly Arabic-origin names in local spelling.
        muslim = 0.85 if nationality in {"TCD", "NER", "MRT", "MLI"} else 0.55
        if rng.random() < muslim:
            entry = _draw(rng, "sahel_given", sex, "S", nationality)
            parts.append(_part(rng, "given", entry, "sahel"))
        else:
            for _ in range(20):
                entry = _draw(rng, "other_given", sex, "", nationality)
                if entry.origin not in _CHRISTIAN_ORIGINS | _CHURCH_NAMES:
                    break
            parts.append(_part(rng, "given", entry, "latin"))
    elif origin == "west_african":
        for _ in range(20):
            entry = _draw(rng, "other_given", sex, "", nationality)
            if entry.origin == family.origin or entry.origin in _CHURCH_NAMES:
                break
        parts.append(_part(rng, "given", entry, "latin"))
    else:
        entry = _draw(rng, "other_given", sex, "", nationality)
        parts.append(_part(rng, "given", entry, "latin"))
        if rng.random() < 0.25:
            second = _draw(rng, "other_given", sex, "", nationality)
            if second.key != entry.key:
                parts.append(_part(rng, "given", second, "latin"))
    parts.append(_part(rng, "family", family, "latin"))
    if nationality in {"ESP", "PRT"} and rng.random() < 0.7:
        second_family = _draw(rng, "other_family", "", "", nationality)
        if second_family.key != family.key:
            parts.append(_part(rng, "family", second_family, "latin"))
    return parts


@cache
def given_by_key(key: str) -> NameEntry:
    """The given name with this key (Arabic-origin table first)."""
    for entry in ARABIC_GIVEN + OTHER_GIVEN:
        if entry.key == key:
            return entry
    raise KeyError(key)


@cache
def family_by_key(key: str) -> NameEntry:
    """The family name with this key (Arabic-origin table first)."""
    for entry in ARABIC_FAMILY + OTHER_FAMILY:
        if entry.key == key:
            return entry
    raise KeyError(key)


def draw_identity(
    rng: random.Random,
    *,
    arabic: bool | None = None,
    arabic_share: float = 0.3,
    nationality: str | None = None,
    sex: str | None = None,
    reference_year: int = 2026,
) -> Identity:
    """A random person with realistic name frequencies for their nationality.

    ``arabic`` forces an Arabic-origin name (True) or not (False); by default
    a share ``arabic_share`` of people get one.
    """
    if arabic is None:
        arabic = rng.random() < arabic_share
    if nationality is None:
        nationality = _draw_nationality(rng, arabic)
    if sex is None:
        sex = "M" if rng.random() < 0.55 else "F"
    info = NATIONALITIES[nationality]
    if arabic:
        origin = "arabic"
        convention = info.convention if info.convention != "latin" else "maghreb"
        if info.region == "S" and rng.random() < 0.5:
            convention = "maghreb"
        parts = _draw_arabic_parts(rng, sex, nationality, convention)
    else:
        origin = "west_african" if nationality in WEST_AFRICA else "european"
        convention = "sahel" if origin == "west_african" else "latin"
        parts = _draw_other_parts(rng, sex, nationality, origin)
    born = draw_birth_date(rng, reference_year=reference_year)
    jan1_share = 0.25 if info.region in {"S", "R"} else (0.03 if info.region == "M" else 0.0)
    jan1 = rng.random() < jan1_share
    if jan1:
        born = date(born.year, 1, 1)
    return Identity(tuple(parts), sex, nationality, convention, born, origin, jan1)


def draw_person(
    rng: random.Random, *, arabic_share: float = 0.3, reference_year: int = 2026
) -> dict[str, object]:
    """A watchlist-like person record with realistic name frequencies.

    Keys: ``names`` (the Latin form, then for some Arabic-origin people the
    Arabic script form; a few have the Arabic form only), ``birth_date``
    (``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or None), ``nationalities``
    (ISO 3166-1 alpha-3, one or two), ``sex`` (``M``, ``F`` or None) and
    ``origin`` (``arabic``, ``west_african``, ``european``) and ``identity`` (the
    :class:`Identity` drawn, to spell the same person again).
    """
    person = draw_identity(rng, arabic_share=arabic_share, reference_year=reference_year)
    names = [person.latin]
    script = person.arabic
    if script is not None and person.origin == "arabic" and person.nationality in ARAB_STATES:
        roll = rng.random()
        if roll < 0.04:
            names = [script]
        elif roll < 0.4:
            names.append(script)
    roll = rng.random()
    born = person.birth_date
    birth: str | None
    if person.jan1 and roll < 0.5:
        birth = str(born.year)
    elif roll < 0.85:
        birth = born.isoformat()
    elif roll < 0.87:
        birth = born.isoformat()[:7]
    elif roll < 0.95:
        birth = str(born.year)
    else:
        birth = None
    nationalities = [person.nationality]
    second = draw_second_nationality(rng, person)
    if second:
        nationalities.append(second)
    sex: str | None = person.sex if rng.random() < 0.98 else None
    return {
        "names": names,
        "birth_date": birth,
        "nationalities": nationalities,
        "sex": sex,
        "origin": person.origin,
        "identity": person,
    }


def draw_second_nationality(rng: random.Random, person: Identity) -> str | None:
    """A second nationality for some people (diaspora, dual nationals), else None."""
    info = NATIONALITIES[person.nationality]
    if (
        person.origin == "arabic"
        and info.region == "M"
        and person.nationality
        in {
            "FRA",
            "BEL",
            "ESP",
            "ITA",
            "NLD",
            "DEU",
        }
    ):
        return rng.choice(_DIASPORA_ORIGINS) if rng.random() < 0.4 else None
    if person.origin == "arabic" and rng.random() < 0.07:
        return rng.choice(("FRA", "ESP", "BEL", "NLD", "ITA", "DEU", "CAN"))
    if person.origin == "west_african" and rng.random() < 0.05:
        return rng.choice(("FRA", "ITA", "ESP", "BEL"))
    return None
