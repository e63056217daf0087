"""Generated SLTD files of any size, fast: numpy draws, lines formatted in worker processes.

The records are those ``store_load.py`` always made (28 issuing states weighted as in
``STATE_WEIGHTS``, 9-character numbers in four shapes, 5 % 12-character TD1 numbers from
BEL and PRT, the four statuses, report dates 2010-2026, reported by the issuer 90 % of the
time), drawn with ``numpy.random.Generator`` instead of ``random.Random`` one field at a
time: 10,000,000 lines took ~40 minutes the old way on the shared machine.

(state, first nine folded characters) stays unique, so every present look-up has exactly
one answer. Each chunk of ``CHUNK`` candidates is drawn from its own seed, twice: a first
pass keeps only the look-up keys (52-bit integers: the state's index, then the nine folded
characters in base 36) and finds the first occurrence of each; the second draws the chunk
again and writes the kept lines. Memory is ~8 bytes per record plus one chunk (100 million
records: ~2.5 GiB at the deduplication's peak).

Use it: ``generate_sltd_file(path, count, lookups, seed=…)`` returns the look-ups
(``(state, number, present)``, 90 % present) and the file's figures.
"""

from __future__ import annotations

import multiprocessing
import os
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

CHUNK = 1_000_000
STATE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("MAR", 14), ("DZA", 12), ("TUN", 8), ("LBY", 3), ("EGY", 6), ("MRT", 3), ("SEN", 6),
    ("MLI", 5), ("NER", 3), ("TCD", 2), ("BFA", 3), ("GIN", 3), ("CIV", 4), ("NGA", 5),
    ("CMR", 3), ("GMB", 1), ("FRA", 6), ("ESP", 5), ("ITA", 4), ("DEU", 3), ("NLD", 2),
    ("BEL", 2), ("PRT", 2), ("GBR", 2), ("TUR", 3), ("SAU", 2), ("SYR", 2), ("JOR", 1),
)  # fmt: skip
STATES = tuple(s for s, _ in STATE_WEIGHTS)
_STATE_P = np.array([w for _, w in STATE_WEIGHTS], dtype=float) / sum(w for _, w in STATE_WEIGHTS)
_BEL, _PRT = STATES.index("BEL"), STATES.index("PRT")
LONG_TD1_SHARE = 0.05
STATUSES = ("stolen", "lost", "revoked", "invalidated")
_STATUS_P = np.array((40, 45, 8, 7), dtype=float) / 100
CODES = ("P", "PP", "I", "ID", "AC")
_CODE_P = np.array((70, 5, 15, 8, 2), dtype=float) / 100
FIRST_REPORT = date(2010, 1, 1)
REPORT_DAYS = (date(2026, 11, 24) - FIRST_REPORT).days
_ALNUM = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", dtype=np.uint8)
# A character's value in the key: digits 0-9, letters 10-35, O read as 0 and I as 1.
_KEY_VALUE = np.zeros(256, dtype=np.uint64)
for _i, _c in enumerate(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"):
    _KEY_VALUE[_c] = _i
_KEY_VALUE[ord("O")], _KEY_VALUE[ord("I")] = 0, 1
_LINE = (
    b'{"issuing_state":"%s","document_number":"%s","document_code":"%s",'
    b'"status":"%s","reported_on":"%s","reported_by":"%s"}'
)


def _chunk(seed: int, index: int) -> dict[str, np.ndarray]:
    """Chunk ``index``'s candidates (the same arrays every time for one seed)."""
    rng = np.random.default_rng([seed, index])
    n = CHUNK
    long = rng.random(n) < LONG_TD1_SHARE
    state = rng.choice(len(STATES), size=n, p=_STATE_P).astype(np.uint8)
    state[long] = np.where(rng.random(int(long.sum())) < 0.5, _BEL, _PRT)
    # Nine characters in the shapes issuers use: 2 letters + 7 digits (35 %), 9 digits
    # (20 %), a letter + 8 digits (25 %), 9 of A-Z0-9 (20 %).
    shape = np.searchsorted(np.array((0.35, 0.55, 0.80)), rng.random(n), side="right")
    letters = (65 + rng.integers(0, 26, (n, 12))).astype(np.uint8)
    digits = (48 + rng.integers(0, 10, (n, 12))).astype(np.uint8)
    alnum = _ALNUM[rng.integers(0, 36, (n, 9))]
    chars = digits.copy()
    position = np.arange(12)
    lettered = ((shape == 0)[:, None] & (position < 2)) | ((shape == 2)[:, None] & (position < 1))
    chars[lettered] = letters[lettered]
    chars[:, :9][shape == 3] = alnum[shape == 3]
    # 12-character TD1 numbers: BEL 12 digits; PRT 9 digits, 2 letters, a digit.
    chars[long] = digits[long]
    prt = long & (state == _PRT)
    chars[prt, 9:11] = letters[prt, 9:11]
    chars[~long, 9:] = 0
    folded = _KEY_VALUE[chars[:, :9]]
    key = state.astype(np.uint64)
    for i in range(9):
        key = key * np.uint64(36) + folded[:, i]
    code = rng.choice(len(CODES), size=n, p=_CODE_P).astype(np.uint8)
    code[long] = np.where(rng.random(int(long.sum())) < 0.5, 2, 3)  # I or ID
    reporter = np.where(
        rng.random(n) < 0.9, state, rng.choice(len(STATES), size=n, p=_STATE_P)
    ).astype(np.uint8)
    return {
        "key": key,
        "state": state,
        "number": chars.view("S12").ravel(),
        "code": code,
        "status": rng.choice(len(STATUSES), size=n, p=_STATUS_P).astype(np.uint8),
        "day": rng.integers(0, REPORT_DAYS, n).astype(np.uint16),
        "reporter": reporter,
    }


def _keys(job: tuple[int, int]) -> np.ndarray:
    return _chunk(*job)["key"]


_STATE_B = [s.encode() for s in STATES]
_CODE_B = [c.encode() for c in CODES]
_STATUS_B = [s.encode() for s in STATUSES]
_DAY_B = [(FIRST_REPORT + timedelta(days=d)).isoformat().encode() for d in range(REPORT_DAYS)]


def _lines(
    job: tuple[int, int, np.ndarray, np.ndarray],
) -> tuple[bytes, list[tuple[str, str]], int, set[int]]:
    """The chunk's kept lines as bytes; the (state, number) of its lines at ``picks``
    (positions among the kept lines); its long numbers; the states it names."""
    seed, index, kept, picks = job
    c = {name: values[kept] for name, values in _chunk(seed, index).items()}
    numbers = c["number"].tolist()
    states = c["state"].tolist()
    text = b"\n".join(
        [
            _LINE % (_STATE_B[s], n, _CODE_B[k], _STATUS_B[t], _DAY_B[d], _STATE_B[r])
            for s, n, k, t, d, r in zip(
                states,
                numbers,
                c["code"].tolist(),
                c["status"].tolist(),
                c["day"].tolist(),
                c["reporter"].tolist(),
                strict=True,
            )
        ]
    )
    picked = [(STATES[states[i]], numbers[i].decode()) for i in picks.tolist()]
    long_numbers = int((c["number"].view(np.uint8).reshape(-1, 12)[:, 9] != 0).sum())
    return (text + b"\n" if text else b""), picked, long_numbers, set(states)


def _pool(processes: int) -> Any:
    context = multiprocessing.get_context("fork")
    return context.Pool(processes)


def generate_sltd_file(
    path: Path, count: int, lookups: int, *, seed: int, processes: int | None = None
) -> tuple[list[tuple[str, str, bool]], dict[str, Any]]:
    """Write ``count`` SLTD lines to ``path``; return the look-ups and the file's figures."""
    processes = processes or min(4, os.cpu_count() or 1)
    chunks = -(-count * 1002 // 1000 // CHUNK) or 1
    with _pool(processes) as pool:
        keys: list[np.ndarray] = []
        unique = 0
        while True:  # enough chunks for ``count`` distinct keys (repeats are ~0.1 %)
            keys.extend(pool.map(_keys, [(seed, i) for i in range(len(keys), chunks)]))
            every = np.concatenate(keys)
            distinct, first = np.unique(every, return_index=True)
            unique = len(distinct)
            if unique >= count:
                break
            chunks += 1
        del every
        keep = np.zeros(len(keys) * CHUNK, dtype=bool)
        keep[np.sort(first)[:count]] = True
        del keys, first
        rng = random.Random(seed)
        picks = np.array(sorted(rng.sample(range(count), round(lookups * 0.9))), dtype=np.int64)
        present: list[tuple[str, str]] = []
        long_numbers = 0
        seen_states: set[int] = set()
        with path.open("wb") as handle:
            done = 0
            jobs = []
            for i in range(len(keep) // CHUNK):
                kept = np.flatnonzero(keep[i * CHUNK : (i + 1) * CHUNK])
                mine = picks[(picks >= done) & (picks < done + len(kept))] - done
                jobs.append((seed, i, kept, mine))
                done += len(kept)
            for text, picked, long_count, states in pool.imap(_lines, jobs):
                handle.write(text)
                present.extend(picked)
                long_numbers += long_count
                seen_states |= states
    queries = [(s, n, True) for s, n in present]
    queries.extend(_absent(rng, distinct, lookups - len(queries)))
    rng.shuffle(queries)
    return queries, {
        "records": count,
        "states": len(seen_states),
        "long_td1_numbers": long_numbers,
        "bytes": path.stat().st_size,
    }


def _absent(rng: random.Random, distinct: np.ndarray, count: int) -> list[tuple[str, str, bool]]:
    """``count`` nine-character numbers of weighted states whose key is not on file."""
    out: list[tuple[str, str, bool]] = []
    while len(out) < count:
        state = rng.choices(range(len(STATES)), weights=[w for _, w in STATE_WEIGHTS])[0]
        number = "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=9))
        key = np.uint64(state)
        for ch in number:
            key = key * np.uint64(36) + _KEY_VALUE[ord(ch)]
        at = int(np.searchsorted(distinct, key))
        if at < len(distinct) and distinct[at] == key:
            continue
        out.append((STATES[state], number, False))
    return out
