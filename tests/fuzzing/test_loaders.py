"""Bulk files (SLTD, watchlist, crossings): every line is loaded, repeated, or rejected by field.

Files come from other systems and may hold anything: bytes that are not UTF-8,
JSON that is not an object, records with fields missing, mistyped or unknown.
``parsed_parts`` reads a file line by line with a registry's parser and accounts
for every line: an entry, a repeat of an earlier one, a rejection naming the
line, the field and the reason, or a blank line. Nothing else escapes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from passerelle.store.crossings import CrossingRegistry
from passerelle.store.load_parsing import EntryReader, parsed_parts
from passerelle.store.sltd import SltdRegistry
from passerelle.store.watchlist import WatchlistRegistry
from tests.fuzzing.budget import FUZZ
from tests.fuzzing.refusals import assert_names_a_field
from tests.fuzzing.strategies import json_values, mutated

STOLEN = {
    "issuing_state": "MAR",
    "document_number": "AB1234567",
    "document_code": "P",
    "status": "stolen",
    "reported_on": "2026-10-01",
    "reported_by": "MAR",
}
WANTED = {
    "id": "MAR-W-0001",
    "names": ["محمد بن علي", "Mohamed Ben Ali"],
    "birth_date": "1985-03-02",
    "nationalities": ["MAR"],
    "sex": "M",
    "category": "wanted",
    "issued_by": "MAR",
    "valid_until": None,
}
CROSSING = {
    "issuing_state": "MAR",
    "document_number": "ZX9876543",
    "nationality": "MAR",
    "crossing_point": "TNG-MED",
    "direction": "entry",
    "at": "2026-11-20T10:15:00Z",
    "officer": "officer.benali",
    "id": "C-1",
}
REGISTRIES: dict[str, tuple[EntryReader[Any], dict[str, Any]]] = {
    "sltd": (SltdRegistry(), STOLEN),
    "watchlist": (WatchlistRegistry(), WANTED),
    "crossings": (CrossingRegistry(), CROSSING),
}


@st.composite
def lines(draw: st.DrawFn, valid: dict[str, Any]) -> bytes:
    """One line of a bulk file: the valid record mutated, any JSON, or any bytes."""
    kind = draw(st.sampled_from(["record", "record", "json", "bytes", "blank"]))
    if kind == "record":
        return json.dumps(draw(mutated(valid)), ensure_ascii=draw(st.booleans())).encode()
    if kind == "json":
        return json.dumps(draw(json_values())).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=60)).replace(b"\n", b" ")
    return b"  "


@FUZZ
@given(
    st.sampled_from(sorted(REGISTRIES)).flatmap(
        lambda name: st.tuples(st.just(name), st.lists(lines(REGISTRIES[name][1]), max_size=8))
    )
)
@example(("watchlist", [json.dumps({**WANTED, "names": ["x"] * 10_000}).encode()]))
@example(  # raised OverflowError
    ("crossings", [json.dumps({**CROSSING, "at": "9999-12-31T23:59:59-23:59"}).encode()])
)
@example(("sltd", [b'{"issuing_state": "MAR", "document_number": 1e400}']))
@example(("sltd", [json.dumps({**STOLEN, "status": []}).encode()]))  # raised TypeError
@example(("sltd", [json.dumps({**STOLEN, "issuing_state": {}}).encode()]))  # raised TypeError
def test_every_line_of_a_bulk_file_is_an_entry_a_repeat_or_a_rejection_naming_its_field(
    case: tuple[str, list[bytes]],
) -> None:
    name, content = case
    registry, _ = REGISTRIES[name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{name}.jsonl"
        path.write_bytes(b"".join(line + b"\n" for line in content))
        parts = list(parsed_parts(path, registry, batch_size=3, part_size=2))
    blank = sum(1 for line in content if not line.strip())
    entries = sum(len(part.entries) for part in parts)
    repeats = sum(part.repeats for part in parts)
    rejections = [rejection for part in parts for rejection in part.rejections]
    assert entries + repeats + len(rejections) + blank == len(content)
    for rejection in rejections:
        assert 1 <= rejection.line_no <= len(content)
        assert_names_a_field(rejection.field, rejection.reason)
    assert parts[-1].final
