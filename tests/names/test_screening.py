"""Screening a name against an in-memory watchlist: the right person, quiet about others."""

from __future__ import annotations

import pickle
import random

import pytest

from passerelle.names import DEFAULT_THRESHOLD, NameQuery, ScreenedPerson, ScreeningIndex

WATCHLIST = [
    ScreenedPerson("W1", ("Mohamed Ben Ali", "محمد بن علي"), "1985-03-02", ("MAR",), "M"),
    ScreenedPerson("W2", ("Mohamed Ben Ali",), "1990-07-14", ("TUN",), "M"),
    ScreenedPerson("W3", ("Youssef Zerhouni",), "1979", ("MAR",), "M"),
    ScreenedPerson("W4", ("Fatima Zahra El Idrissi",), "1992-11-05", ("MAR",), "F"),
    ScreenedPerson("W5", ("Abdelkader Benmoussa",), "1968-04-04", ("DZA",), "M"),
    ScreenedPerson("W6", ("Aminata Traoré",), "1988-01-20", ("MLI",), "F"),
    ScreenedPerson("W7", ("Karim Haddad",), None, ("LBN",), "M"),
]


@pytest.fixture(scope="module")
def index() -> ScreeningIndex:
    return ScreeningIndex.build(WATCHLIST)


def best(index: ScreeningIndex, query: NameQuery) -> tuple[str, float]:
    matches = index.screen(query, top=1)
    assert matches, f"no match for {query}"
    return matches[0].id, matches[0].score


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (NameQuery("Mohamed Ben Ali", "1985-03-02"), "W1"),
        (NameQuery("محمد بن علي", "1985-03-02"), "W1"),
        (NameQuery("BENALI<<MOHAMED", "1990-07-14"), "W2"),
        (NameQuery("Ben Ali Mohammed", "1990-07-14"), "W2"),
        (NameQuery("Yusuf Zerhouni"), "W3"),
        (NameQuery("Zerhouni Youcef", "1979-06-01"), "W3"),
        (NameQuery("Fatimazahra Idrissi", "1992-05-11"), "W4"),
        (NameQuery("Abd al-Qadir Ben Moussa", "1968-04-04", "DZA"), "W5"),
        (NameQuery("عبد القادر بن موسى", "1968"), "W5"),
        (NameQuery("Aminata Traore", "1988-01-20"), "W6"),
        (NameQuery("Aminata Taore", "1988-01-20"), "W6"),
        (NameQuery("Karim Hadad", nationality="LBN"), "W7"),
    ],
)
def test_variants_of_a_listed_person_find_that_person_first(
    index: ScreeningIndex, query: NameQuery, expected: str
) -> None:
    assert best(index, query)[0] == expected


def test_exact_name_and_birth_date_is_an_alert(index: ScreeningIndex) -> None:
    person, score = best(index, NameQuery("Mohamed Ben Ali", "1985-03-02", "MAR", "M"))
    assert person == "W1"
    assert score >= 0.85


def test_a_common_name_alone_does_not_score_like_an_exact_match(index: ScreeningIndex) -> None:
    _, with_date = best(index, NameQuery("Mohamed Ben Ali", "1985-03-02"))
    _, without = best(index, NameQuery("Mohamed Ben Ali"))
    assert without < DEFAULT_THRESHOLD < with_date


def test_a_contradicting_birth_date_keeps_a_common_name_quiet(index: ScreeningIndex) -> None:
    matches = index.screen(NameQuery("Mohamed Ben Ali", "1972-09-30"), threshold=DEFAULT_THRESHOLD)
    assert matches == []


def test_mohamed_alone_matches_nobody_above_the_threshold(index: ScreeningIndex) -> None:
    assert index.screen(NameQuery("Mohamed", "1985-03-02"), threshold=DEFAULT_THRESHOLD) == []


def test_another_family_name_is_not_a_match(index: ScreeningIndex) -> None:
    matches = index.screen(NameQuery("Mohamed Tazi", "1985-03-02"), threshold=DEFAULT_THRESHOLD)
    assert matches == []


def test_every_match_gives_its_reasons(index: ScreeningIndex) -> None:
    (match,) = index.screen(NameQuery("Muhammad bin Ali", "1985-03-02"), top=1)
    assert match.id == "W1"
    text = " | ".join(match.reasons)
    assert "ben ali" in text
    assert "same date of birth" in text


def test_scores_are_in_the_unit_interval_and_sorted(index: ScreeningIndex) -> None:
    matches = index.screen(NameQuery("Mohamed Ali"), top=10)
    scores = [match.score for match in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= score <= 1.0 for score in scores)


def test_an_empty_watchlist_and_an_empty_name_give_no_match() -> None:
    assert ScreeningIndex.build([]).screen(NameQuery("Mohamed Ben Ali")) == []
    assert ScreeningIndex.build(WATCHLIST).screen(NameQuery("  ")) == []


def test_a_sibling_sharing_father_and_family_names_is_not_an_alert() -> None:
    family = ScreeningIndex.build(
        [ScreenedPerson("R", ("Rania Tahir Ahmad Al-Qahtani",), None, ("SAU",), "F")]
    )
    sibling = family.screen(NameQuery("Layla Tahir Ahmad Al-Qahtani", "1967-09-26", "SAU", "F"))
    herself = family.screen(NameQuery("Rania Tahir Ahmed Al Qahtani", "1967-09-26", "SAU", "F"))
    assert sibling[0].score < DEFAULT_THRESHOLD <= herself[0].score
    assert any("different name parts" in reason for reason in sibling[0].reasons)


def test_a_namesake_born_years_apart_is_never_an_alert() -> None:
    long_name = ScreeningIndex.build(
        [ScreenedPerson("S", ("Ismail Ismail Mohamed El Sherif",), "1989-12-06", ("EGY",), "M")]
    )
    (match,) = long_name.screen(NameQuery("Ismail Ismail Mohamed El Sherif", "2009-12-05"))
    assert match.score < DEFAULT_THRESHOLD
    assert "born 1989, not 2009" in match.reasons


def test_first_of_january_on_both_dates_is_compared_as_the_years_alone() -> None:
    # Registers write 1 January for an unknown day and month: 1966-01-01 and 1976-01-01
    # are ten years apart, not "one digit apart"; the year-only 1966 is the better match.
    sows = ScreeningIndex.build(
        [
            ScreenedPerson("Y76", ("Djibril Sow",), "1976-01-01", ("GIN",), "M"),
            ScreenedPerson("Y66", ("Djibril Sow",), "1966", ("GIN",), "M"),
        ]
    )
    first, second = sows.screen(NameQuery("SOW<<DJIBRIL", "1966-01-01", "GIN", "M"))
    assert (first.id, second.id) == ("Y66", "Y76")
    assert second.score < DEFAULT_THRESHOLD
    assert "born 1976, not 1966" in second.reasons
    same = sows.explain(NameQuery("SOW<<DJIBRIL", "1976-01-01", "GIN", "M"), "Y76")
    assert same is not None
    assert "born 1 January 1976 on both (often a day and month unknown)" in same.reasons
    # a date that is not 1 January on both sides keeps the one-digit rule
    slip = sows.explain(NameQuery("SOW<<DJIBRIL", "1976-01-07", "GIN", "M"), "Y76")
    assert slip is not None
    assert "date of birth one digit apart" in slip.reasons


def test_explain_scores_one_listed_person_whether_retrieved_or_not() -> None:
    index = ScreeningIndex.build(
        [ScreenedPerson(f"M{n}", ("Mohamed Alaoui",), None) for n in range(200)]
        + [ScreenedPerson("Z", ("Zineb Tazi",), "1990-04-02")]
    )
    query = NameQuery("Mohamed Alaoui")
    assert len(index.screen(query, top=300)) < 201  # retrieval compares a few namesakes
    near, far = index.explain(query, "M0"), index.explain(query, "M199")
    assert near is not None
    assert far is not None
    assert far.score == near.score
    assert index.explain(query, "Z") is None  # nothing shared: not comparable
    assert index.explain(query, "nobody") is None


def test_among_more_namesakes_than_are_compared_nationality_and_birth_day_decide() -> None:
    namesakes = [
        ScreenedPerson(f"F{n:03d}", ("Mohamed Kamara",), f"19{50 + n % 40}", ("FRA",), "M")
        for n in range(300)
    ]
    index = ScreeningIndex.build(
        [
            *namesakes,
            ScreenedPerson("GIN", ("Mohamed Kamara",), None, ("GIN",), "M"),
            ScreenedPerson("DAY", ("Mahamat Camara",), "1996-11-29", ("TCD",), "M"),
        ]
    )
    # no date: the one namesake of the traveller's nationality is compared, and first
    assert best(index, NameQuery("KAMARA<<MOHAMED", None, "GIN", "M"))[0] == "GIN"
    # the listed person born that very day, spelled another way, is compared too
    assert "DAY" in index.candidates(NameQuery("KAMARA<<MOHAMED", "1996-11-29", "TCD", "M"))


def test_a_saved_index_screens_as_the_one_it_was_saved_from() -> None:
    persons = [
        ScreenedPerson("A", ("Mohamed Ben Ali", "محمد بن علي"), "1985-03-02", ("MAR",), "M"),
        ScreenedPerson("B", ("Mahamat Camara",), "1996-11-29", ("TCD",), "M"),
        ScreenedPerson("C", ("Fatima Zahra El Idrissi",), "1990", ("MAR", "FRA"), "F"),
    ]
    index = ScreeningIndex.build(persons)
    loaded = pickle.loads(pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    for query in (
        NameQuery("BENALI<<MOHAMED", "1985-03-02", "MAR", "M"),
        NameQuery("KAMARA<<MOHAMED", "1996-11-29", "TCD", "M"),
        NameQuery("Fatimazahra Elidrissi", None, "FRA", "F"),
    ):
        assert loaded.screen(query) == index.screen(query)
        assert loaded.candidates(query) == index.candidates(query)
    assert loaded.key_counts() == index.key_counts()


def test_vowel_only_names_match_across_scripts() -> None:
    index = ScreeningIndex.build([ScreenedPerson("A", ("آية المنصوري",), "1993-02-06")])
    assert best(index, NameQuery("Aya El Mansouri", "1993-02-06"))[0] == "A"


def test_retrieval_finds_what_comparing_every_person_finds() -> None:
    rng = random.Random(5)
    given = ["Mohamed", "Ahmed", "Youssef", "Fatima", "Khadija", "Omar", "Amine", "Aicha"]
    family = ["Ben Ali", "El Idrissi", "Tazi", "Alaoui", "Bennani", "Haddad", "Diallo", "Traoré"]
    persons = [
        ScreenedPerson(
            f"P{n}",
            (f"{rng.choice(given)} {rng.choice(given)} {rng.choice(family)}",),
            f"{rng.randint(1950, 2005)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        )
        for n in range(600)
    ]
    index = ScreeningIndex.build(persons)
    for person in rng.sample(persons, 30):
        first, _middle, *rest = person.names[0].split()
        for name in (person.names[0], f"{' '.join(rest)} {first}", f"{first} {' '.join(rest)}"):
            query = NameQuery(name, person.birth_date)
            fast = [(m.id, round(m.score, 6)) for m in index.screen(query, top=3)]
            full = [(m.id, round(m.score, 6)) for m in index.screen(query, top=3, exhaustive=True)]
            assert fast[:1] == full[:1], name


def test_other_scripts_degrade_gracefully(index: ScreeningIndex) -> None:
    assert best(index, NameQuery("Мохамед Бенали", "1985-03-02"))[0] == "W1"
    assert index.screen(NameQuery("王小明", "1985-03-02"), threshold=DEFAULT_THRESHOLD) == []
