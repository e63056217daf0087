"""A seeded synthetic population with planted multiple identities, for tests and the bench.

``sample_records(persons, seed=...)`` gives an identity table (the columns of
:data:`~passerelle.identities.records.RECORD_SCHEMA` plus ``person``, the truth):

- every person has one identity (a document, a name spelt one way, a birth date);
- ``planted`` of them (a share) have a second identity: their name spelt another
  way or in Arabic script, another document number and nationality, sometimes the
  birth date's day and month transposed or the day shifted, sometimes the same face
  as the first;
- ``namesakes`` different persons are all called Mohamed Ali (in several spellings),
  born the same year on different days: they must *not* be linked.

Columns are built with numpy and Arrow (no Python object per record beyond the name
pool), so a million records take seconds.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from itertools import product

import numpy as np
import pyarrow as pa

from passerelle.identities.features import name_features

__all__ = ["sample_records", "true_pairs"]

_GIVEN = (
    ("Mohamed", "Mohammed", "محمد"),
    ("Youssef", "Youcef", "يوسف"),
    ("Hicham", "Hisham", "هشام"),
    ("Karim", "Kareem", "كريم"),
    ("Rachid", "Rashid", "رشيد"),
    ("Samir", "Sameer", "سمير"),
    ("Omar", "Umar", "عمر"),
    ("Khalid", "Khaled", "خالد"),
    ("Nabil", "Nabeel", "نبيل"),
    ("Fatima", "Fatma", "فاطمة"),
    ("Amina", "Ameena", "أمينة"),
    ("Said", "Saeed", "سعيد"),
    ("Mustapha", "Mostafa", "مصطفى"),
    ("Abdelkader", "Abd al-Qadir", "عبد القادر"),
    ("Jamal", "Djamal", "جمال"),
    ("Tarik", "Tariq", "طارق"),
)
_CONSONANTS: tuple[tuple[str, str], ...] = (
    ("b", "ب"), ("d", "د"), ("f", "ف"), ("k", "ك"), ("l", "ل"), ("m", "م"),
    ("n", "ن"), ("r", "ر"), ("s", "س"), ("t", "ت"), ("z", "ز"), ("j", "ج"),
)  # fmt: skip
_STATES = ("MAR", "DZA", "TUN", "SEN", "MLI", "EGY", "LBY", "SYR", "FRA", "ESP")


@lru_cache(maxsize=2)
def _family_pool(letters: int) -> tuple[tuple[str, str, str], ...]:
    """Family names of ``letters`` consonants (Latin, another Latin spelling, Arabic script),
    the three spellings of one skeleton: 3 give about 1,700 names, 4 about 20,000."""
    pool = []
    for consonants in product(_CONSONANTS, repeat=letters):
        latin_letters = [c for c, _ in consonants]
        arabic_letters = [a for _, a in consonants]
        head, *middle, last = latin_letters
        latin = head.upper() + "a" + "a".join(middle) + "a" + last + "i"
        other = head.upper() + "e" + "a".join(middle) + "a" + last + "y"
        arabic = "".join(arabic_letters[:-1]) + "ا" + arabic_letters[-1] + "ي"
        keys = {name_features(n).name_key for n in (latin, other, arabic)}
        if len(keys) == 1:
            pool.append((latin, other, arabic))
    return tuple(pool)


def sample_records(
    persons: int,
    *,
    seed: int = 9303,
    planted: float = 0.05,
    namesakes: int = 200,
    face_share: float = 0.3,
) -> pa.Table:
    """``persons`` persons' identity records, ``planted`` of them with a second identity."""
    rng = np.random.default_rng(seed)
    families = _family_pool(3 if persons < 200_000 else 4)  # a million share more names
    names: list[str] = []
    index: dict[str, int] = {}

    def name_id(text: str) -> int:
        if text not in index:
            index[text] = len(names)
            names.append(text)
        return index[text]

    given_pick = rng.integers(0, len(_GIVEN), persons)
    family_pick = rng.integers(0, len(families), persons)
    born = date(1950, 1, 1) + np.array(
        [timedelta(days=int(d)) for d in rng.integers(0, 365 * 50, persons)]
    )
    sex = np.where(rng.random(persons) < 0.6, "M", "F")
    nationality = rng.integers(0, len(_STATES), persons)
    face = rng.random(persons) < face_share
    first_names = np.empty(persons, dtype=np.int64)
    for i in range(persons):
        first_names[i] = name_id(f"{_GIVEN[given_pick[i]][0]} {families[family_pick[i]][0]}")
    namesakes = min(namesakes, persons, 365)
    days = rng.permutation(365)
    for i in range(namesakes):  # Mohamed Ali, born in 1985 on different days
        first_names[i] = name_id(("Mohamed Ali", "Mohammed Ali", "محمد علي")[i % 3])
        born[i] = date(1985, 1, 1) + timedelta(days=int(days[i]))
        nationality[i], sex[i] = 0, "M"
    person = np.arange(persons)
    twins = rng.choice(np.arange(namesakes, persons), int(persons * planted), replace=False)
    second = np.empty(len(twins), dtype=np.int64)
    second_born = born[twins].copy()
    for k, i in enumerate(twins):
        g, f = _GIVEN[given_pick[i]], families[family_pick[i]]
        text = (f"{g[1]} {f[1]}", f"{g[2]} {f[2]}", f"{g[0]} {f[1]}", f"{g[0]} {f[0]}")[
            int(rng.integers(0, 4))
        ]
        second[k] = name_id(text)
        shift = rng.random()
        day: date = born[i]
        if shift < 0.15 and day.day <= 12 and day.day != day.month:
            second_born[k] = day.replace(day=day.month, month=day.day)
        elif shift < 0.3:
            second_born[k] = day + timedelta(days=int(rng.integers(1, 4)))
    count = persons + len(twins)
    people = np.concatenate([person, twins])
    births = np.concatenate([born, second_born])
    nat = np.concatenate([nationality, (nationality[twins] + rng.integers(1, 5, len(twins))) % 10])
    faces = np.concatenate([face, face[twins] & (rng.random(len(twins)) < 0.5)])
    face_group = [f"face-{p}" if faces[n] else None for n, p in enumerate(people)]
    features = [name_features(text) for text in names]
    name_ids = np.concatenate([first_names, second])
    kinds = np.where(rng.random(count) < 0.9, "inspection", "watchlist")
    refs = [f"R{n:08d}" for n in range(count)]
    documents = [
        f"{_STATES[nat[n]]}:D{n:08d}" if kinds[n] == "inspection" else None for n in range(count)
    ]
    column = pa.array
    return pa.table(
        {
            "record_key": column([f"{k}:{r}" for k, r in zip(kinds, refs, strict=True)]),
            "kind": column(kinds.tolist()),
            "ref": column(refs),
            "name": column([names[i] for i in name_ids]),
            "name_latin": column([features[i].name_latin for i in name_ids]),
            "name_key": column([features[i].name_key for i in name_ids]),
            "given_key": column([features[i].given_key for i in name_ids]),
            "family_key": column([features[i].family_key for i in name_ids]),
            "birth_date": column([b.isoformat() for b in births]),
            "birth_year": column([b.year for b in births], pa.int32()),
            "sex": column(np.concatenate([sex, sex[twins]]).tolist()),
            "nationality": column([_STATES[n] for n in nat]),
            "document": column(documents, pa.string()),
            "face_group": column(face_group, pa.string()),
            "person": column(people.tolist(), pa.int64()),
        }
    )


def true_pairs(records: pa.Table) -> set[tuple[str, str]]:
    """The record-key pairs of one person (ordered), the links a perfect model finds."""
    by_person: dict[int, list[str]] = {}
    keys = records.column("record_key").to_pylist()
    for key, who in zip(keys, records.column("person").to_pylist(), strict=True):
        by_person.setdefault(who, []).append(key)
    pairs = set()
    for group in by_person.values():
        group.sort()
        for a in range(len(group)):
            for b in range(a + 1, len(group)):
                pairs.add((group[a], group[b]))
    return pairs
