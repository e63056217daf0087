"""What the engines find is written in French and Arabic from its code and parameters.

The real engines run on the fixtures' node (bad MRZs, a stolen passport, a watchlist hit,
an alert of each action, a tampered chip); every finding they produce, every watchlist
reason, and every alert action is then written in each language: its English is the
message the API returns, and in French and Arabic every sentence (and every sentence put
into another) comes from the catalogue, with every value put in and no English left.
"""

from __future__ import annotations

import html
import io
import re
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PIL import Image

from passerelle.biometrics.fingerprint.captures import LiveFinger
from passerelle.documents import check_mrz
from passerelle.documents.typed import TypedDocument, check_typed
from passerelle.i18n import use_language
from passerelle.i18n.catalogues import LOCALE_FOLDER
from passerelle.i18n.wording import State, Wording
from passerelle.node import Node
from passerelle.records.alert_actions import ACTIONS
from passerelle.screening import InspectionResult, Inspector
from passerelle.screening.components import DlibFaceEngine, LocalFingerEngine
from passerelle.screening.faces import check_faces
from passerelle.screening.fingerprints import LiveFingers, check_fingerprints
from passerelle.screening.rules import document_findings
from passerelle.store.alerts import AlertDraft, AlertRegistry, DocumentSubject
from passerelle.store.loading import load_file
from passerelle.store.sltd import SltdRegistry
from passerelle.web.wording import (
    action_instruction,
    action_label,
    candidate_reasons,
    finding_contact,
    finding_text,
    written,
)
from passerelle.web.wording_states import state_named
from tests.conftest import Clock
from tests.documents.chip.chip_pki import with_group
from tests.screening.conftest import ADMIN, STOLEN_NUMBER, passport, request, write_lines
from tests.screening.test_chip_check import chip_of, trust_morocco

GOOD = passport()
LINE1, LINE2 = GOOD.split("\n")
BAD_MRZS = (
    "",  # nothing read
    "P<MARLAMRANI<<SALMA\nZX98765",  # no MRZ shape
    f"{LINE1}\n{LINE2}<<",  # a line too long
    f"{LINE1}\n{LINE2[:2]}8{LINE2[3:]}",  # a misread number: check digits fail
    f"{LINE1}\n{LINE2[:13]}9{LINE2[14:]}",  # a birth date with a wrong check digit
    f"{LINE1}\n{LINE2[:13]}9130{LINE2[17:]}",  # month 13
    f"{LINE1}\n{LINE2[:20]}X{LINE2[21:]}",  # a sex that is not one
    f"{LINE1[:2]}ZZZ{LINE1[5:]}\n{LINE2[:10]}ZZZ{LINE2[13:]}",  # unknown states
    f"{LINE1[:5]}LAMRAN1{LINE1[12:]}\n{LINE2}",  # a digit in the name
    f"{LINE1}\n{LINE2[:13]}<<<<<<{LINE2[19:]}",  # an unknown birth date
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<11",  # a specimen, expired, composite
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n"
    "L898902C36UTO7408122F1204159ZE184226B<<<<<1é",  # a character an MRZ cannot hold
)
ENGLISH_WORDS = re.compile(
    r"\b(the|and|is|are|was|not|with|by|of|on|this|traveller|refer|check|could|cannot|"
    r"name|number|reads|gives|holds|line|issued|watchlist|found|missing|stolen)\b"
)
"""Words a French or Arabic sentence of the node never holds (a value put in aside)."""


def _catalogue(language: str) -> set[str]:
    with (LOCALE_FOLDER / language / "LC_MESSAGES" / "reasons.po").open("rb") as po:
        return {m.id for m in read_po(po) if m.id and m.string}


def _templates(said: Wording) -> list[str]:
    out = [said.template]
    for _, value in said.parameters:
        for one in value if isinstance(value, tuple) else (value,):
            if isinstance(one, Wording):
                out += _templates(one)
    return out


def _values(said: Wording) -> list[str]:
    """The values put into ``said`` as the page reader's language writes them (a state by
    its name in that language)."""
    out: list[str] = []
    for _, value in said.parameters:
        for one in value if isinstance(value, tuple) else (value,):
            if isinstance(one, Wording):
                out += _values(one)
            else:
                out.append(state_named(one) if isinstance(one, State) else str(one))
    return out


def _text(page_html: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def assert_written_everywhere(said: Wording, message: str) -> None:
    """English: the API's message; French and Arabic: every template from the catalogue,
    every value put in, no English word left once the values are taken out."""
    assert said.english == message
    with use_language("en"):
        assert _text(written(said)) == message
    for language in ("fr", "ar"):
        missing = [t for t in _templates(said) if t not in _catalogue(language)]
        assert not missing, (language, missing)
        with use_language(language):
            text = _text(written(said))
            values = _values(said)
        rest = text
        for value in sorted(values, key=len, reverse=True):
            assert value in text, (language, value, text)
            rest = rest.replace(value, " ")
        assert not ENGLISH_WORDS.search(rest), (language, text)


def _all_wordings(result: InspectionResult) -> list[tuple[Wording, str]]:
    found = [(f.wording, f.message) for f in result.findings]
    document = result.document.get("findings", [])
    assert isinstance(document, list)
    found += [
        (w, str(f["message"])) for f, w in zip(document, result.document_wordings, strict=True)
    ]
    for candidate in result.matches.watchlist:
        assert len(candidate.wordings) == len(candidate.reasons)
        found += list(zip(candidate.wordings, candidate.reasons, strict=True))
    assert all(w is not None for w, _ in found), [m for w, m in found if w is None]
    return [(w, m) for w, m in found if w is not None]


def _issue_alerts_of_every_action(node: Node, clock: Clock) -> None:
    with node.database.write() as session:
        for number, code in enumerate(sorted(ACTIONS)):
            AlertRegistry(node.audit).issue(
                session,
                AlertDraft(
                    category="stolen_document",
                    subject=DocumentSubject("MAR", f"QA{number:07d}"),
                    issuing_authority="DGSN Rabat, duty desk",
                    action="Keep the passport.",
                    action_code=code,
                ),
                actor=ADMIN,
                now=clock(),
            )


@pytest.fixture
def inspections(node: Node, clock: Clock) -> list[InspectionResult]:
    """The real engines on the fixtures: what each source finds, stored and read back."""
    _issue_alerts_of_every_action(node, clock)
    trust_morocco(node)
    inspector = Inspector(node)
    mrzs = [
        *BAD_MRZS[1:],  # an empty MRZ is refused before any check
        passport(number=STOLEN_NUMBER),
        passport(surname="BENALI", given_names="MOHAMED", birth_date="850302", sex="M"),
        passport(surname="HADDAD", given_names="KARIM", birth_date="800615", sex="M"),
        *(passport(number=f"QA{n:07d}") for n in range(len(ACTIONS))),
    ]
    results = [inspector.inspect(request(mrz, clock)) for mrz in mrzs]
    chip = chip_of(GOOD)
    dg2 = bytearray(chip.data_groups[2])
    dg2[-30] ^= 0x10
    for tampered in (chip, with_group(chip, 2, bytes(dg2)), chip_of(passport(number="QX1"))):
        results.append(inspector.inspect(replace(request(GOOD, clock), chip=tampered)))
    return [InspectionResult.from_dict(r.as_stored()) for r in results]


def test_every_finding_the_engines_produce_is_written_in_french_and_arabic(
    inspections: list[InspectionResult],
) -> None:
    codes = set()
    for result in inspections:
        for said, message in _all_wordings(result):
            assert_written_everywhere(said, message)
        codes |= {f.code for f in result.findings}
    expected = {
        "not_well_formed", "check_digit", "invalid_date", "bad_sex", "unknown_state",
        "bad_character", "unknown_date", "suspicious", "expired", "ocr_misread",
        "sltd_match", "watchlist_match", "alert_person", "alert_document", "chip_hash",
        "chip_verified", "chip_mrz_mismatch", "unknown_format", "bad_length",
    }  # fmt: skip
    assert expected <= codes, expected - codes


def test_document_checks_alone_are_written_in_french_and_arabic() -> None:
    for mrz in BAD_MRZS:
        for finding in check_mrz(mrz, as_of=date(2026, 12, 7)).findings:
            assert finding.wording is not None, finding
            assert_written_everywhere(finding.wording, finding.message)
    typed = TypedDocument("P", "MAR", "ZX1", "LAMRANI", "SALMA", None, "MAR", "F", date(2020, 1, 1))
    for finding in document_findings(check_typed(typed, as_of=date(2026, 12, 7))):
        assert finding.wording is not None
        assert_written_everywhere(finding.wording, finding.message)


def test_the_english_page_text_is_the_message_the_api_returns(
    inspections: list[InspectionResult],
) -> None:
    with use_language("en"):
        for result in inspections:
            for finding in result.findings:
                assert _text(str(finding_text(finding))) == finding.message
            for candidate in result.matches.watchlist:
                shown = [_text(str(r)) for r in candidate_reasons(candidate)]
                assert shown == list(candidate.reasons)


def test_the_api_answer_carries_no_wording_and_an_old_stored_result_shows_its_english(
    inspections: list[InspectionResult],
) -> None:
    for result in inspections:
        answer = result.as_dict()
        assert "wording" not in str(answer)
        old = InspectionResult.from_dict(answer)  # stored before the wordings
        assert all(f.wording is None for f in old.findings)
        with use_language("fr"):
            assert [finding_text(f) for f in old.findings] == [f.message for f in old.findings]
        assert InspectionResult.from_dict(result.as_stored()) == result


def test_every_alert_action_is_written_from_its_code() -> None:
    for code, action in ACTIONS.items():
        with use_language("en"):
            assert (action_label(code), action_instruction(code)) == (
                action.label,
                action.instruction,
            )
        for language in ("fr", "ar"):
            with use_language(language):
                label, instruction = action_label(code), action_instruction(code)
            assert label not in (None, action.label)
            assert instruction not in (None, action.instruction)
            assert not ENGLISH_WORDS.search(f"{label} {instruction}"), (language, label)


def _png(size: int, grey: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", (size, size), grey).save(out, format="PNG")
    return out.getvalue()


def test_a_stolen_foreign_passport_names_its_state_in_the_readers_language(
    node: Node, clock: Clock, tmp_path: Path
) -> None:
    stolen = {
        "issuing_state": "BEL",
        "document_number": "BE7654321",
        "document_code": "P",
        "status": "stolen",
        "reported_on": "2026-11-02",
        "reported_by": "BEL",
    }
    lines = write_lines(tmp_path / "bel.jsonl", stolen)
    load_file(node.database, node.audit, SltdRegistry(), lines, actor=ADMIN, clock=clock)
    result = Inspector(node).inspect(request(passport(state="BEL", number="BE7654321"), clock))
    stored = InspectionResult.from_dict(result.as_stored())
    (hit,) = [f for f in stored.findings if f.code == "sltd_match"]
    assert hit.wording is not None
    assert "reported stolen by Belgium (BEL) on 2026-11-02" in hit.message  # the API's English
    assert hit.contact == "the SLTD contact point of Belgium (BEL)"
    assert_written_everywhere(hit.wording, hit.message)
    for language, name in (("fr", "Belgique (BEL)"), ("ar", "بلجيكا (BEL)")):
        with use_language(language):
            said, contact = _text(written(hit.wording)), _text(str(finding_contact(hit)))
        assert name in said, (language, said)
        assert "Belgium" not in said, (language, said)
        assert name in contact, contact
        assert not ENGLISH_WORDS.search(contact.replace(name, "")), contact


def test_a_fingerprint_and_a_face_the_engines_refuse_are_written_with_no_english_left(
    node: Node,
) -> None:
    blank = _png(300, 200)
    fingers = LiveFingers([LiveFinger(2, blank)], LocalFingerEngine())
    lock = threading.Lock()
    prints = check_fingerprints(fingers, None, [], node.database, node.audit, search_lock=lock)
    faces = check_faces(
        DlibFaceEngine(),
        None,
        [],
        node.database,
        node.audit,
        document_photo=blank,
        live_photo=None,
        search_lock=lock,
    )
    refused = [*prints.findings, *faces.findings]
    assert {f.code for f in refused} == {"fingerprint_unusable", "face_unusable"}
    for finding in refused:
        assert finding.wording is not None
        assert_written_everywhere(finding.wording, finding.message)
    with use_language("fr"):
        said = _text(written(prints.findings[0].wording))  # type: ignore[arg-type]
    assert "index droit" in said, said
    assert "aucune minutie" in said, said
    with use_language("ar"):
        said = _text(written(faces.findings[0].wording))  # type: ignore[arg-type]
    assert "لم يُعثر على أي وجه" in said, said
