"""The scenario travellers, the alerts the node issues, and what each scenario should show.

The cast is hand-written (names, dates of birth) so that the demo reads the
same from one seed to the next; only document numbers and expiry dates are
drawn. Each scenario says which decision the node's border check should give
and why, in an officer's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from passerelle.demo.model import DemoAlert, Expected, Scenario, Traveller, WatchlistRecord
from passerelle.demo.people import PassportOffice
from passerelle.documents import check_digit
from passerelle.records.alerts import DocumentSubject, PersonSubject
from passerelle.stay import Direction

__all__ = ["CAST", "FACE_GALLERY", "CastMember", "alert_id", "scenario_alerts", "scenarios"]

FACE_GALLERY = "alerts"
"""The 1:N gallery the demo portrait is enrolled in, under the wanted person's alert id."""

DUTY_DESK = "DGSN duty desk, Rabat: +212 537 00 00 00 (24/7)"


@dataclass(frozen=True, slots=True)
class CastMember:
    key: str
    nationality: str
    sex: str
    given_names: str
    surname: str
    birth_date: date


CAST: tuple[CastMember, ...] = (
    CastMember("clear", "ESP", "F", "LUCIA", "MARTINEZ ROMERO", date(1988, 6, 17)),
    CastMember("stolen", "MAR", "M", "BRAHIM", "OUHADDOU", date(1990, 9, 9)),
    CastMember("watchlisted", "MAR", "M", "MOHAMED", "BENALI", date(1985, 3, 2)),
    CastMember("common_name", "MAR", "M", "MOHAMED", "ALAOUI", date(1992, 7, 23)),
    CastMember("bad_check_digit", "FRA", "F", "CAMILLE", "DUBOIS", date(1994, 2, 11)),
    CastMember("overstay", "SEN", "M", "MAMADOU", "NDIAYE", date(1991, 5, 30)),
    CastMember("travel_ban", "MAR", "M", "HICHAM", "TAHIRI", date(1979, 10, 4)),
    CastMember("face", "FRA", "F", "ISABELLE", "LEROY", date(1971, 8, 19)),
)
"""One traveller per scenario (ids ``T-00001``… in this order)."""

COMMON_NAME_DECOY = ("Mohamed Alaoui", "محمد العلوي", date(1970, 1, 15))
"""The listed namesake of the common-name scenario: same name, another person."""
OLD_PASSPORT = "UM4731285"
"""The watchlisted traveller's previous passport, reported stolen (README's example)."""


def cast(office: PassportOffice) -> dict[str, Traveller]:
    """The scenario travellers, with passports drawn from ``office``."""
    travellers: dict[str, Traveller] = {}
    for number, member in enumerate(CAST, start=1):
        travellers[member.key] = office.issue(
            f"T-{number:05d}",
            nationality=member.nationality,
            sex="M" if member.sex == "M" else "F",
            name=(member.given_names, member.surname),
            birth_date=member.birth_date,
        )
    return travellers


def alert_id(as_of: date, number: int) -> str:
    return f"MAR-A-{as_of.year}-{number:04d}"


def _person(*names: str, birth_date: date | str | None) -> PersonSubject:
    born = birth_date.isoformat() if isinstance(birth_date, date) else birth_date
    return PersonSubject(tuple(names), born)


def _document(traveller: Traveller) -> DocumentSubject:
    return DocumentSubject(traveller.issuing_state, traveller.document_number)


def scenario_alerts(
    as_of: date,
    people: dict[str, Traveller],
    *,
    missing_minor: Traveller,
    stolen_passport: Traveller,
    watched_passport: Traveller,
) -> tuple[DemoAlert, ...]:
    """The handful of alerts the node has issued: persons and documents, each with its action.

    The first is the wanted person whose face the demo enrols (``FACE_GALLERY``).
    """
    ban = people["travel_ban"]
    since = as_of - timedelta(days=60)
    return (
        DemoAlert(
            alert_id(as_of, 1),
            "wanted",
            _person("Nadia Berrada", "نادية برادة", birth_date=date(1968, 12, 3)),
            "DGSN, Direction de la police judiciaire, Rabat: +212 537 00 00 10",
            "Arrest for surrender (international arrest warrant): keep the traveller at the "
            "booth without alarming them, keep the passport, call the police judiciaire at once. "
            "She is known to travel on genuine passports in other names.",
            since,
        ),
        DemoAlert(
            alert_id(as_of, 2),
            "travel_ban",
            _person(
                f"{ban.given_names.title()} {ban.surname.title()}",
                "هشام الطاهري",
                birth_date=ban.birth_date,
            ),
            "Parquet du tribunal de première instance de Casablanca, via " + DUTY_DESK,
            "Judicial ban on leaving the territory: refuse exit, keep the passport against a "
            "receipt, inform the prosecutor's office through the duty desk.",
            as_of - timedelta(days=21),
            as_of + timedelta(days=180),
        ),
        DemoAlert(
            alert_id(as_of, 3),
            "missing_person",
            _person(
                f"{missing_minor.given_names.title()} {missing_minor.surname.title()}",
                birth_date=missing_minor.birth_date,
            ),
            "Brigade des mineurs, préfecture de police de Tanger: +212 539 00 00 20",
            "Minor reported missing by her parents: do not let her cross, keep her with an "
            "officer (a woman officer if possible), call the brigade des mineurs.",
            as_of - timedelta(days=5),
        ),
        DemoAlert(
            alert_id(as_of, 4),
            "stolen_document",
            _document(stolen_passport),
            "DGSN, service des passeports, Rabat: +212 537 00 00 30",
            "Passport reported stolen in a burglary (not yet in the SLTD registry): seize it, "
            "check the bearer's identity, hand the document to the service des passeports.",
            as_of - timedelta(days=2),
        ),
        DemoAlert(
            alert_id(as_of, 5),
            "surveillance",
            _document(watched_passport),
            "DGST liaison cell: +212 537 00 00 40 (report within the hour)",
            "Discreet check: admit or let leave as usual, do not alert the traveller; report the "
            "route, companions and vehicle to the liaison cell.",
            since,
            as_of + timedelta(days=365),
        ),
        DemoAlert(
            alert_id(as_of, 6),
            "wanted",
            _person("Abdelkader Zerhouni", "عبد القادر الزرهوني", birth_date="1966"),
            "BCN Interpol Rabat (red notice): +212 537 00 00 50",
            "Red notice for extradition: hold the traveller for the BCN, who confirm the notice "
            "with the requesting state before arrest.",
            since,
        ),
    )


def _altered_check_digit(mrz: str) -> str:
    """The MRZ with its document number check digit changed (line 2, position 10)."""
    line1, line2 = mrz.split("\n")
    right = check_digit(line2[:9])
    return f"{line1}\n{line2[:9]}{(right + 5) % 10}{line2[10:]}"


def _scenario(
    key: str,
    title: str,
    traveller: Traveller,
    direction: Direction,
    point: str,
    expected: Expected,
    explanation: str,
    *,
    mrz: str | None = None,
    live_photo: bool = False,
) -> Scenario:
    return Scenario(
        key=key,
        title=title,
        mrz=mrz or traveller.mrz,
        direction=direction,
        crossing_point=point,
        expected=expected,
        explanation=explanation,
        traveller_id=traveller.id,
        live_photo=live_photo,
    )


def scenarios(
    people: dict[str, Traveller],
    *,
    watchlisted: WatchlistRecord,
    decoy: WatchlistRecord,
    stolen_on: date,
    overstay_since: date,
    alerts: tuple[DemoAlert, ...],
    watched: Traveller,
) -> tuple[Scenario, ...]:
    """What to try at the border, in the order the demo shows it."""
    p = people
    wanted, ban, surveillance = alerts[0], alerts[1], alerts[4]
    return (
        _scenario(
            "clear",
            "A Spanish visitor coming back for the weekend",
            p["clear"],
            "entry",
            "TNG-MED",
            "clear",
            "Well-formed passport, not reported, no alert, no watchlist namesake; her last "
            "stay (one week, this month) leaves 82 days.",
        ),
        _scenario(
            "stolen",
            "A Moroccan passport reported stolen",
            p["stolen"],
            "entry",
            "BAB-SEBTA",
            "hit",
            f"MAR {p['stolen'].document_number} is in the SLTD registry, reported stolen by MAR "
            f"on {stolen_on.isoformat()}: seize it, the bearer may not be its holder.",
        ),
        _scenario(
            "watchlisted",
            "A watchlisted person whose passport spells the name otherwise",
            p["watchlisted"],
            "entry",
            "TNG-MED",
            "hit",
            f"The passport reads {p['watchlisted'].mrz_name}; watchlist person {watchlisted.id} "
            f"is listed as {' / '.join(watchlisted.names)}, same date of birth: the engine "
            "matches the spellings and the Arabic script.",
        ),
        _scenario(
            "common_name",
            "A common name that must not alert",
            p["common_name"],
            "exit",
            "CMN-T1",
            "clear",
            f"{p['common_name'].mrz_name}: the watchlist holds {decoy.names[0]} ({decoy.id}), "
            f"born {decoy.birth_date}; the dates of birth contradict, so the namesake is not "
            "put before the officer.",
        ),
        _scenario(
            "bad_check_digit",
            "A document number whose check digit is wrong",
            p["bad_check_digit"],
            "entry",
            "RAK-MEN",
            "refer",
            "Line 2's document number check digit (and so the composite) does not add up: "
            "ICAO 9303 says the MRZ is not well formed; rescan, then examine the document.",
            mrz=_altered_check_digit(p["bad_check_digit"].mrz),
        ),
        _scenario(
            "overstay",
            "A visitor leaving after more than 90 days",
            p["overstay"],
            "exit",
            "CMN-T1",
            "refer",
            f"Entered on {overstay_since.isoformat()} and never left: more than 90 days in the "
            "last 180, an overstay under the short-stay rule.",
        ),
        _scenario(
            "travel_ban",
            "A person under a judicial travel ban, leaving",
            p["travel_ban"],
            "exit",
            "TNG-MED",
            "hit",
            f"Alert {ban.id} (travel ban) on {ban.subject.as_json()['names'][0]}, same date of "
            f"birth: {ban.action} Contact: {ban.issuing_authority}.",
        ),
        _scenario(
            "face",
            "A wanted woman travelling on a genuine-looking passport in another name",
            p["face"],
            "entry",
            "CMN-T1",
            "hit",
            f"The passport is clean, but the live photo (the demo portrait) matches the face "
            f"enrolled under alert {wanted.id} (wanted) in the '{FACE_GALLERY}' gallery: the "
            f"verdict shows her reference photo and name ({wanted.subject.as_json()['names'][0]}). "
            "Without scikit-image no face is enrolled and the check is clear.",
            live_photo=True,
        ),
        _scenario(
            "discreet_check",
            "A traveller under a discreet check, arriving",
            watched,
            "entry",
            "TNG-MED",
            "clear",
            f"Alert {surveillance.id} (surveillance) on {watched.issuing_state} "
            f"{watched.document_number} asks for a discreet check: the verdict stays CLEAR, "
            'nothing on screen alerts the traveller; the officer unfolds "Report: follow the '
            'instruction", records what was seen, and admits as usual. The report waits for '
            "the analysts on /alerts.",
        ),
    )
