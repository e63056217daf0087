"""MRZ check throughput: Passerelle against the ``mrz`` package from PyPI, on one core.

What it measures
    Documents parsed and validated per second by ``passerelle.documents.check_mrz``
    and, in the same run and on the same corpus, by the checker classes of the
    ``mrz`` package (``TD1CodeChecker``, ``TD2CodeChecker``, ``TD3CodeChecker``),
    the peer this project compares itself with. The target is at least 10× the
    ``mrz`` package's throughput, with every corruption that ``mrz`` catches caught
    too.

The corpus
    Generated from a seeded ``random.Random``: TD1, TD2 and TD3 in equal thirds,
    real ISO 3166-1 alpha-3 states, 9-character alphanumeric document numbers
    (no long numbers: ``mrz`` rejects them, and this is about shared ground),
    Maghreb, Sahel and European names, birth dates 1940-2020, expiry dates
    2020-2036, sex M/F. About 10 % of the documents carry one corrupted character
    at a position a check digit covers (document number, dates, the check digits
    themselves, the TD3 personal number), never by a value difference that is a
    multiple of 10 (those no 7-3-1 check digit can see). Half of the corruptions
    are look-alike OCR misreads (O↔0, I↔1, B↔8, S↔5, Z↔2, Q→0, D→0), half arbitrary.

What one "document" costs
    Passerelle: ``check_mrz(text, as_of=...)`` and reading ``.well_formed``.
    ``mrz``: picking the checker class by the text's length (the package does not
    detect the format itself), constructing it with ``check_expiry=False`` (expiry
    is not compared: only structural validity), ``bool(checker)`` and
    ``checker.fields()``. An exception raised by ``mrz`` counts as "invalid".

Timing
    ``time.perf_counter`` over the whole corpus (and over each format's part),
    best of ``--repeat`` runs, after one untimed warm-up pass that also collects
    the verdicts for the correctness cross-check. Python runs this loop on one
    thread; where the OS allows it the process is also pinned to one CPU.

Run it
    .venv/bin/python bench/mrz_throughput.py [--count N] [--seed S] [--repeat R]
                                             [--corrupt-rate F] [--json]

The exit code is 1 when the cross-check fails (a corruption ``mrz`` catches that
Passerelle misses, or a clean document Passerelle rejects), 0 otherwise; the
throughput target is reported, not enforced.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import string
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from mrz.checker.td1 import TD1CodeChecker  # type: ignore[import-untyped]
from mrz.checker.td2 import TD2CodeChecker  # type: ignore[import-untyped]
from mrz.checker.td3 import TD3CodeChecker  # type: ignore[import-untyped]

from passerelle.documents import MrzFormat, check_mrz
from passerelle.documents.compose import compose_mrz

AS_OF = date(2026, 11, 25)
FORMATS: tuple[MrzFormat, ...] = (MrzFormat.TD1, MrzFormat.TD2, MrzFormat.TD3)
TARGET_RATIO = 10.0

STATES: tuple[str, ...] = (
    "MAR",
    "DZA",
    "TUN",
    "LBY",
    "EGY",
    "MRT",
    "SEN",
    "MLI",
    "NER",
    "TCD",
    "BFA",
    "SDN",
    "GMB",
    "GIN",
    "CIV",
    "NGA",
    "CMR",
    "SAU",
    "ARE",
    "QAT",
    "JOR",
    "LBN",
    "TUR",
    "FRA",
    "ESP",
    "ITA",
    "PRT",
    "BEL",
    "NLD",
    "CHE",
    "GBR",
    "SWE",
    "NOR",
)
SURNAMES: tuple[str, ...] = (
    "BENALI",
    "EL AMRANI",
    "BOUAZIZI",
    "HADDAD",
    "MANSOURI",
    "CHERKAOUI",
    "BELKACEM",
    "BENSALAH",
    "OULD AHMED",
    "TRAORE",
    "DIALLO",
    "KEITA",
    "COULIBALY",
    "NDIAYE",
    "DIOP",
    "TOURE",
    "OUEDRAOGO",
    "SOW",
    "BA",
    "MAIGA",
    "ISSOUFOU",
    "MARTIN",
    "GARCIA",
    "DUBOIS",
    "FERNANDEZ",
    "ROSSI",
    "SILVA",
    "MUELLER",
    "JANSSEN",
    "LEFEBVRE",
)
GIVEN_NAMES: tuple[str, ...] = (
    "MOHAMED",
    "FATIMA",
    "YOUSSEF",
    "AICHA",
    "KHADIJA",
    "AMINATA",
    "MOUSSA",
    "OUMAR",
    "MARIAM",
    "IBRAHIM",
    "SALIF",
    "AWA",
    "KARIM",
    "NADIA",
    "HAMZA",
    "SOUMAYA",
    "PIERRE",
    "MARIE",
    "JOSE",
    "LUCIA",
    "ANA MARIA",
    "JEAN PAUL",
    "GIULIA",
    "JOAO",
)
DOCUMENT_CODES: dict[MrzFormat, tuple[str, ...]] = {
    MrzFormat.TD1: ("I<", "ID"),
    MrzFormat.TD2: ("I<",),
    MrzFormat.TD3: ("P<",),
}
ALNUM = string.ascii_uppercase + string.digits
MRZ_ALPHABET = ALNUM + "<"
VALUES: dict[str, int] = {
    **{d: int(d) for d in string.digits},
    **{c: 10 + i for i, c in enumerate(string.ascii_uppercase)},
    "<": 0,
}
LOOKALIKE_MISREADS: dict[str, str] = {
    "O": "0", "0": "O", "I": "1", "1": "I", "B": "8", "8": "B",
    "S": "5", "5": "S", "Z": "2", "2": "Z", "Q": "0", "D": "0",
}  # fmt: skip
"""True character → what a reader misreads it as."""

Position = tuple[int, int, str]
"""(line index, column, field name) of a character a check digit covers."""


def _span(line: int, start: int, stop: int, field: str) -> list[Position]:
    return [(line, col, field) for col in range(start, stop)]


def _two_line_positions(width: int) -> list[Position]:
    return [
        *_span(1, 0, 9, "document_number"),
        (1, 9, "document_number_cd"),
        *_span(1, 13, 19, "birth_date"),
        (1, 19, "birth_date_cd"),
        *_span(1, 21, 27, "expiry_date"),
        (1, 27, "expiry_date_cd"),
        (1, width - 1, "composite_cd"),
    ]


COVERED: dict[MrzFormat, list[Position]] = {
    MrzFormat.TD1: [
        *_span(0, 5, 14, "document_number"),
        (0, 14, "document_number_cd"),
        *_span(1, 0, 6, "birth_date"),
        (1, 6, "birth_date_cd"),
        *_span(1, 8, 14, "expiry_date"),
        (1, 14, "expiry_date_cd"),
        (1, 29, "composite_cd"),
    ],
    MrzFormat.TD2: _two_line_positions(36),
    MrzFormat.TD3: [
        *_two_line_positions(44),
        *_span(1, 28, 42, "optional_data"),
        (1, 42, "optional_data_cd"),
    ],
}
MRZ_CHECKERS: dict[int, Callable[..., Any]] = {
    92: TD1CodeChecker,  # 3 × 30 + 2 newlines
    73: TD2CodeChecker,  # 2 × 36 + 1 newline
    89: TD3CodeChecker,  # 2 × 44 + 1 newline
}


@dataclass(frozen=True, slots=True)
class Corruption:
    kind: str  # "lookalike" or "arbitrary"
    field: str
    line: int  # 1-based
    position: int  # 1-based
    was: str
    now: str


@dataclass(frozen=True, slots=True)
class Document:
    fmt: MrzFormat
    text: str
    corruption: Corruption | None


# --------------------------------------------------------------------------- corpus


def _random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _alnum(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(ALNUM) for _ in range(length))


def _document_number(rng: random.Random) -> str:
    """Nine alphanumerics, shaped like real issuers' numbers (letters then digits, or mixed)."""
    shape = rng.randrange(3)
    if shape == 0:
        letters = rng.randint(1, 2)
        return _alnum_letters(rng, letters) + "".join(
            rng.choice(string.digits) for _ in range(9 - letters)
        )
    if shape == 1:
        return "".join(rng.choice(string.digits) for _ in range(9))
    return _alnum(rng, 9)


def _alnum_letters(rng: random.Random, length: int) -> str:
    return "".join(rng.choice(string.ascii_uppercase) for _ in range(length))


def _clean_mrz(rng: random.Random, fmt: MrzFormat) -> str:
    state = rng.choice(STATES)
    nationality = state if rng.random() < 0.85 else rng.choice(STATES)
    birth = _random_date(rng, date(1940, 1, 1), date(2020, 12, 31))
    earliest_expiry = max(date(2020, 1, 1), birth + timedelta(days=366))
    expiry = _random_date(rng, earliest_expiry, date(2036, 12, 31))
    given = rng.choice(GIVEN_NAMES)
    if rng.random() < 0.2:
        given += " " + rng.choice(GIVEN_NAMES)
    optional = ""
    optional_2 = ""
    if fmt is MrzFormat.TD3 and rng.random() < 0.5:
        optional = _alnum_letters(rng, 2) + "".join(rng.choice(string.digits) for _ in range(6))
    elif fmt is MrzFormat.TD1 and rng.random() < 0.3:
        optional_2 = _alnum(rng, rng.randint(4, 8))
    return compose_mrz(
        fmt,
        document_number=_document_number(rng),
        birth_date=birth.strftime("%y%m%d"),
        expiry_date=expiry.strftime("%y%m%d"),
        surname=rng.choice(SURNAMES),
        given_names=given,
        issuing_state=state,
        nationality=nationality,
        sex=rng.choice("MF"),
        document_code=rng.choice(DOCUMENT_CODES[fmt]),
        optional_data=optional,
        optional_data_2=optional_2,
    )


def _detectable(was: str, now: str) -> bool:
    """A substitution some 7-3-1 check digit can see: the values differ by no multiple of 10."""
    return now != was and (VALUES[now] - VALUES[was]) % 10 != 0


def _corrupt(rng: random.Random, fmt: MrzFormat, text: str, lookalike: bool) -> Document:
    lines = text.split("\n")
    positions = COVERED[fmt]
    kind = "arbitrary"
    choice: tuple[Position, str] | None = None
    if lookalike:
        eligible = [p for p in positions if lines[p[0]][p[1]] in LOOKALIKE_MISREADS]
        if eligible:
            pos = rng.choice(eligible)
            choice = pos, LOOKALIKE_MISREADS[lines[pos[0]][pos[1]]]
            kind = "lookalike"
    if choice is None:
        pos = rng.choice(positions)
        was = lines[pos[0]][pos[1]]
        choice = pos, rng.choice([c for c in MRZ_ALPHABET if _detectable(was, c)])
    (line, col, field), now = choice
    was = lines[line][col]
    assert _detectable(was, now), (was, now)
    lines[line] = lines[line][:col] + now + lines[line][col + 1 :]
    corruption = Corruption(kind, field, line + 1, col + 1, was, now)
    return Document(fmt, "\n".join(lines), corruption)


def build_corpus(count: int, seed: int, corrupt_rate: float) -> list[Document]:
    """``count`` documents, TD1/TD2/TD3 in equal thirds, ``corrupt_rate`` of them corrupted."""
    rng = random.Random(seed)
    formats = [FORMATS[i % 3] for i in range(count)]
    rng.shuffle(formats)
    n_corrupt = round(count * corrupt_rate)
    corrupted = sorted(rng.sample(range(count), n_corrupt))
    lookalike_at = {index: n % 2 == 0 for n, index in enumerate(corrupted)}
    corpus: list[Document] = []
    for i, fmt in enumerate(formats):
        text = _clean_mrz(rng, fmt)
        if i in lookalike_at:
            corpus.append(_corrupt(rng, fmt, text, lookalike_at[i]))
        else:
            corpus.append(Document(fmt, text, None))
    return corpus


# --------------------------------------------------------------------------- the two checks


def passerelle_ok(text: str) -> bool:
    return check_mrz(text, as_of=AS_OF).well_formed


def mrz_verdict(text: str) -> tuple[bool, bool]:
    """``mrz``'s verdict (checker built, ``bool()`` taken, fields parsed): (valid, raised)."""
    checker_class = MRZ_CHECKERS.get(len(text))
    if checker_class is None:
        return False, False
    try:
        checker = checker_class(text, check_expiry=False)
        ok = bool(checker)
        checker.fields()
    except Exception:  # any exception from mrz means "invalid"
        return False, True
    return ok, False


def run_passerelle(texts: Sequence[str]) -> int:
    valid = 0
    for text in texts:
        if check_mrz(text, as_of=AS_OF).well_formed:
            valid += 1
    return valid


def run_mrz(texts: Sequence[str]) -> int:
    valid = 0
    checkers = MRZ_CHECKERS
    for text in texts:
        checker_class = checkers.get(len(text))
        if checker_class is None:
            continue
        try:
            checker = checker_class(text, check_expiry=False)
            ok = bool(checker)
            checker.fields()
        except Exception:  # any exception from mrz means "invalid"
            continue
        if ok:
            valid += 1
    return valid


def best_time(run: Callable[[Sequence[str]], int], texts: Sequence[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - start)
    return best


def _mrz_reasons(text: str) -> str:
    checker_class = MRZ_CHECKERS.get(len(text))
    if checker_class is None:
        return "no checker for this length"
    try:
        checker = checker_class(text, check_expiry=False)
        verdict = bool(checker)
        errors: list[str] = list(checker.report.errors)
    except Exception as exc:
        return f"raised {type(exc).__name__}: {exc}"
    return f"{'valid' if verdict else 'invalid'} {errors}"


def _passerelle_reasons(text: str) -> str:
    result = check_mrz(text, as_of=AS_OF)
    errors = [f"{f.code.value}:{f.field}: {f.message}" for f in result.errors]
    return f"{'well formed' if result.well_formed else 'not well formed'} {errors}"


# --------------------------------------------------------------------------- report


def _pin_to_one_cpu() -> int | None:
    if not hasattr(os, "sched_setaffinity"):
        return None
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
    except OSError:
        return None
    return cpu


def _figures(seconds: float, n: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 6),
        "docs_per_s": round(n / seconds, 1) if seconds > 0 else 0.0,
        "us_per_doc": round(seconds / n * 1e6, 2) if n else 0.0,
    }


def _ratio(passerelle_s: float, mrz_s: float) -> float:
    return round(mrz_s / passerelle_s, 2) if passerelle_s > 0 else 0.0


def measure(args: argparse.Namespace) -> dict[str, Any]:
    cpu = _pin_to_one_cpu()
    corpus = build_corpus(args.count, args.seed, args.corrupt_rate)
    texts = [d.text for d in corpus]

    # Untimed pass: the cross-check's verdicts, and the warm-up of both libraries.
    p_verdicts = [passerelle_ok(t) for t in texts]
    m_results = [mrz_verdict(t) for t in texts]
    m_verdicts = [ok for ok, _ in m_results]
    mrz_exceptions = sum(raised for _, raised in m_results)

    misses: list[dict[str, Any]] = []  # (b) corrupted, caught by mrz, missed by Passerelle
    clean_rejected: list[dict[str, Any]] = []  # (c)
    clean_rejected_by_mrz = 0
    only_passerelle = 0  # (d)
    both_missed = 0
    by_kind: dict[str, int] = {"lookalike": 0, "arbitrary": 0}
    for doc, p_ok, m_ok in zip(corpus, p_verdicts, m_verdicts, strict=True):
        c = doc.corruption
        if c is None:
            if not p_ok:
                clean_rejected.append(
                    {
                        "format": doc.fmt.value,
                        "mrz": doc.text,
                        "passerelle": _passerelle_reasons(doc.text),
                        "mrz_pkg": _mrz_reasons(doc.text),
                    }
                )
            if not m_ok:
                clean_rejected_by_mrz += 1
            continue
        by_kind[c.kind] += 1
        if not m_ok and p_ok:
            misses.append(
                {
                    "format": doc.fmt.value,
                    "mrz": doc.text,
                    "corruption": repr(c),
                    "passerelle": _passerelle_reasons(doc.text),
                    "mrz_pkg": _mrz_reasons(doc.text),
                }
            )
        elif m_ok and not p_ok:
            only_passerelle += 1
        elif m_ok and p_ok:
            both_missed += 1

    p_total = best_time(run_passerelle, texts, args.repeat)
    m_total = best_time(run_mrz, texts, args.repeat)
    per_format: dict[str, Any] = {}
    for fmt in FORMATS:
        part = [d.text for d in corpus if d.fmt is fmt]
        p_s = best_time(run_passerelle, part, args.repeat)
        m_s = best_time(run_mrz, part, args.repeat)
        per_format[fmt.value] = {
            "documents": len(part),
            "passerelle": _figures(p_s, len(part)),
            "mrz": _figures(m_s, len(part)),
            "ratio": _ratio(p_s, m_s),
        }

    n = len(corpus)
    n_corrupt = sum(d.corruption is not None for d in corpus)
    ratio = _ratio(p_total, m_total)
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "pinned_cpu": cpu,
        "as_of": AS_OF.isoformat(),
        "mrz_options": "check_expiry=False (structural validity only)",
        "corpus": {
            "documents": n,
            "seed": args.seed,
            "by_format": {f.value: sum(d.fmt is f for d in corpus) for f in FORMATS},
            "corrupted": n_corrupt,
            "corrupted_lookalike": by_kind["lookalike"],
            "corrupted_arbitrary": by_kind["arbitrary"],
            "corrupt_rate": args.corrupt_rate,
        },
        "repeat": args.repeat,
        "passerelle": _figures(p_total, n),
        "mrz": _figures(m_total, n),
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "target_met": ratio >= TARGET_RATIO,
        "per_format": per_format,
        "crosscheck": {
            "invalid_passerelle": p_verdicts.count(False),
            "invalid_mrz": m_verdicts.count(False),
            "mrz_exceptions": mrz_exceptions,
            "corrupted_caught_by_mrz_missed_by_passerelle": len(misses),
            "clean_rejected_by_passerelle": len(clean_rejected),
            "clean_rejected_by_mrz": clean_rejected_by_mrz,
            "corrupted_caught_by_passerelle_only": only_passerelle,
            "corrupted_missed_by_both": both_missed,
            "misses": misses,
            "clean_rejections": clean_rejected,
        },
    }


def _print_report(r: dict[str, Any]) -> None:
    corpus, cross = r["corpus"], r["crosscheck"]
    by_format = ", ".join(f"{k} {v}" for k, v in corpus["by_format"].items())
    pinned = f"pinned to CPU {r['pinned_cpu']}" if r["pinned_cpu"] is not None else "not pinned"
    print("MRZ check throughput: Passerelle vs the mrz package (PyPI), one core")
    print(
        f"  Python {r['python']} ({r['implementation']}), {r['platform']}; single-threaded, "
        f"{pinned}"
    )
    print(
        f"  corpus: {corpus['documents']} documents (seed {corpus['seed']}): {by_format}; "
        f"{corpus['corrupted']} corrupted ({corpus['corrupted_lookalike']} look-alike misreads, "
        f"{corpus['corrupted_arbitrary']} arbitrary)"
    )
    print(
        f"  Passerelle: check_mrz(as_of={r['as_of']}).well_formed; "
        f"mrz: TDnCodeChecker {r['mrz_options']}, bool() + .fields()"
    )
    print(f"  timing: time.perf_counter, best of {r['repeat']}, after one warm-up pass")
    print()
    header = f"  {'':<8}{'Passerelle docs/s':>19}{'µs/doc':>9}{'mrz docs/s':>13}{'µs/doc':>9}"
    print(header + f"{'ratio':>9}")
    rows = [("all", r["passerelle"], r["mrz"], r["ratio"])]
    rows += [(k, v["passerelle"], v["mrz"], v["ratio"]) for k, v in r["per_format"].items()]
    for name, p, m, ratio in rows:
        print(
            f"  {name:<8}{p['docs_per_s']:>19,.0f}{p['us_per_doc']:>9.1f}"
            f"{m['docs_per_s']:>13,.0f}{m['us_per_doc']:>9.1f}{ratio:>8.1f}×"
        )
    print()
    met = "met" if r["target_met"] else "NOT met"
    print(f"  passerelle/mrz = {r['ratio']:.1f}× (target ≥ {r['target_ratio']:.0f}×: {met})")
    print()
    print("  correctness cross-check (whole corpus):")
    print(
        f"    (a) judged invalid: Passerelle {cross['invalid_passerelle']}, "
        f"mrz {cross['invalid_mrz']} (of which mrz raised {cross['mrz_exceptions']})"
    )
    print(
        "    (b) corrupted, caught by mrz, missed by Passerelle: "
        f"{cross['corrupted_caught_by_mrz_missed_by_passerelle']} (must be 0)"
    )
    print(
        f"    (c) clean documents rejected by Passerelle: "
        f"{cross['clean_rejected_by_passerelle']} (must be 0); by mrz: "
        f"{cross['clean_rejected_by_mrz']}"
    )
    print(
        f"    (d) corrupted, caught by Passerelle but not by mrz: "
        f"{cross['corrupted_caught_by_passerelle_only']}; missed by both: "
        f"{cross['corrupted_missed_by_both']}"
    )
    for title, items in (("miss", cross["misses"]), ("clean rejection", cross["clean_rejections"])):
        for item in items:
            print(f"\n  {title} ({item['format']}): {item.get('corruption', 'uncorrupted')}")
            for line in item["mrz"].split("\n"):
                print(f"      {line}")
            print(f"    Passerelle: {item['passerelle']}")
            print(f"    mrz:        {item['mrz_pkg']}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=20_000, help="documents (default 20000)")
    parser.add_argument("--seed", type=int, default=9303, help="corpus seed (default 9303)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs, best kept (default 5)")
    parser.add_argument(
        "--corrupt-rate", type=float, default=0.10, help="share of corrupted documents (0.10)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.count < 3 or args.repeat < 1 or not 0.0 <= args.corrupt_rate <= 1.0:
        parser.error("need --count ≥ 3, --repeat ≥ 1 and 0 ≤ --corrupt-rate ≤ 1")
    report = measure(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_report(report)
    cross = report["crosscheck"]
    failed = (
        cross["corrupted_caught_by_mrz_missed_by_passerelle"]
        or cross["clean_rejected_by_passerelle"]
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
