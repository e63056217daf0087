"""Border inspections under load: ``passerelle serve --workers 2`` against a raw HTTP+DB floor.

What it measures
    A node in a temporary home (embedded SQLite) is migrated (``passerelle db upgrade``),
    loaded with ``--sltd`` stolen/lost document records and ``--watchlist`` persons by the
    node's own bulk loaders (``passerelle sltd load`` / ``watchlist load``, timed wall to
    wall), given an officer (``passerelle user add``) and a bearer token (``token issue``).
    Then ``passerelle serve --workers 2`` starts on loopback: each worker builds its
    watchlist name-screening index before it accepts requests (the app's lifespan), so the
    run reports how long each worker took to become ready and its resident memory (now and
    at its peak). Readiness is read from uvicorn's "Application startup complete" lines,
    then one inspection is sent and must answer 201.

    Load: ``--clients`` (50) concurrent clients, each on its own keep-alive connection,
    POST ``/api/v1/inspections`` (MRZ only, with purpose, crossing point, direction) back
    to back for ``--warmup`` + ``--seconds`` seconds; only requests *sent* after the
    warm-up count. Throughput is counted requests per second of the measured window;
    latency is send-to-last-byte per request (p50/p95/p99/max). An error is any answer
    other than 201, any exception (connection reset, time-out), and any 201 whose result
    says a check failed or did not answer, or that the inspection was not recorded
    (findings ``error``, ``unavailable``, ``not_recorded``): the node answers those
    ``refer`` instead of failing, so a bare status count would hide them.

    With ``--think MS`` each client pauses that long (±50 %) between requests (a booth's
    pace; several values, comma-separated, run one after the other on the same servers);
    without it the clients saturate the node, and by Little's law the latency is then
    clients ÷ throughput, whatever the node does: the p95 target is met at saturation only
    if the node answers 1,000 inspections a second. Both figures are printed.

    The client is a separate process (raw asyncio HTTP/1.1 over pre-built requests: no
    HTTP library, a few tens of µs of CPU per request) so that it does not share the GIL
    with anything; its CPU time is reported as a share of one CPU. On a 2-vCPU machine it
    still takes CPU from the server: the report says how much.

The peer, measured in the same run by the same client
    The floor of the work: uvicorn with the same options (2 workers, ``log_level=info``,
    access log on, no server header) serving a FastAPI app with one sync endpoint that takes
    the same JSON body (a frozen pydantic model of the same fields), cuts the issuing state
    and document number out of the MRZ by position (no validation), makes one raw
    ``sqlite3`` look-up of that document in the same database (``SELECT status FROM
    sltd_records WHERE issuing_state = ? AND number_key9 = ? AND superseded_at IS NULL``, the
    registry's index; one read-only connection per thread) and answers ``{"hit": ...}``
    with 201. So the ratio says what a full inspection costs above HTTP + framework + one
    indexed read: the document check, four sources in threads (SLTD, stay, alerts,
    watchlist screening), the bearer token check, and the write transaction that stores the
    inspection with its audit record (and the crossing when clear). Ratios are Passerelle ÷
    peer: for throughput below 1 means Passerelle is slower, for latency above 1 too.

The data
    Generated from ``random.Random(--seed)`` (not timed): the SLTD records as
    ``bench/store_load.py`` makes them; watchlist persons drawn by ``bench/name_corpus.py``
    (realistic name frequencies: Mohamed far ahead, a long tail; Latin forms, some with
    their Arabic script form, full, partial or missing birth dates, one or two
    nationalities), each with a category and issuer. ``--travellers`` MRZs (TD3 passports,
    TD1 identity cards) with valid check digits: 80 % travellers drawn afresh from the
    same population with a document number not on file (most are ``clear``; a namesake of
    a listed person may be referred), 8 % documents on the SLTD, 7 % listed persons (name,
    birth date, nationality and sex as listed), 5 % with one check digit wrong.

Targets (the project's issue)
    p95 ≤ 50 ms with zero errors at 50 clients. Reported, not enforced: the exit code is 1
    only when the node or the peer cannot be started, or a smoke inspection fails.

    The target is judged at a booth's pace (``--think`` of a few seconds: an officer
    reads the passport, looks at the traveller, then scans; 50 booths at one scan every
    5 s are 10 inspections a second), not at saturation. Closed-loop clients with no
    think time keep ``clients`` requests in the node at all times, so by Little's law
    the mean latency is ``clients ÷ throughput`` whatever the node does: 50 clients
    within 50 ms need 1,000 inspections a second. On 2 shared vCPUs at 10-20 ms of
    CPU per inspection the node answers 100-200 a second, so saturated latencies are
    250-500 ms by arithmetic alone, while the peer (one indexed read, no checks, no
    write, about 0.5 ms of CPU) answers some 3,000 a second. The saturating phase
    says how much the node can take (throughput, CPU per inspection, errors), the
    paced phase whether a border post of 50 booths is served within the target.

Profiling
    ``--profile N`` runs, after the loads and before the servers, N inspections of the
    same travellers in this process through the app's own ``Inspector`` (index build timed,
    resident memory added) under cProfile, and prints the functions with the largest
    cumulative and own times (the checks run one after the other in the calling thread
    here, instead of in a thread pool, so that cProfile sees them).

The store
    ``--database postgresql`` puts the node in a fresh database of the PostgreSQL server
    at ``--pg-url`` (the loads, the token, every inspection; the peer then reads the
    same database with psycopg), named after the ``--keep`` folder and kept with it, or
    dropped at the end. The default is SQLite in the node's home.

Several hosts
    ``--hosts N`` (PostgreSQL only) starts N ``passerelle serve`` processes of one node on
    the one database, as docs/deployment.md lays a node out on several machines: host 1
    in the prepared HOME, each other in a HOME of its own holding a copy of the node's key
    folder (and of the saved watchlist index); ``--workers`` workers each (default 2). The
    client spreads its connections evenly over the hosts (client i on host i mod N: what a
    least-connections balancer does, without a balancer's own CPU on the machine). The
    server CPU is reported in all and per host; on one machine the hosts share its CPUs,
    so two hosts say what a second host costs (the database connections, the watchlist
    checks, a second index in memory), not what a second machine gives.

Sampling the workers
    ``--spy`` runs ``py-spy record`` on each worker during each measured window (not the
    warm-up) and prints the functions with the largest share of the samples, own and
    total (``bench/spy.py``; py-spy is in the dev extra). The collapsed stacks stay in
    the ``--keep`` folder for a flame graph.

Run it
    .venv/bin/python bench/inspection_load.py [--quick] [--sltd N] [--watchlist N]
        [--seconds S] [--warmup S] [--clients N] [--think MS[,MS...]] [--travellers N]
        [--profile N] [--no-peer] [--keep DIR] [--seed S] [--json]
        [--database sqlite|postgresql] [--pg-url URL] [--spy] [--hosts N] [--workers N]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import hashlib
import io
import json
import math
import os
import pickle
import platform
import pstats
import random
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal

sys.path.insert(0, str(Path(__file__).resolve().parent))

import orjson
from unidecode import unidecode

import name_corpus
import spy
import store_load
from passerelle.documents import MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.server.ports import free_port as _free_port
from passerelle.store.sltd import number_key

HERE = Path(__file__).resolve().parent
TARGET_P95_MS = 50.0
PURPOSE = "border control: routine inspection"
CROSSING_POINTS = ("TNG-PORT", "CMN-AIR", "RBA-AIR", "NDR-LAND", "OUD-LAND")
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PATH = "/api/v1/inspections"
PEER_PATH = "/peer/v1/inspections"
EXPECTED_STATUS = 201
OFFICER = "bench-officer"
SHARES = {"clear": 0.80, "stolen": 0.08, "listed": 0.07, "bad_check_digit": 0.05}
LISTED_SAMPLE = 5000
"""Listed persons kept (at random) to draw listed travellers from."""
CATEGORIES = ("wanted", "travel_ban", "missing", "alert")
CATEGORY_WEIGHTS = (30, 40, 15, 15)
DEGRADED = re.compile(rb'"code":\s*"(error|unavailable|not_recorded)"')
DECISION = re.compile(rb'"decision":\s*"([a-z]+)"')
IDLE_S = 4.0
"""A connection idle this long is reopened (uvicorn closes keep-alive ones after 5 s)."""
UVICORN_OPTIONS: dict[str, Any] = {
    "proxy_headers": False,
    "server_header": False,
    "log_level": "info",
}
"""What ``passerelle serve`` gives uvicorn besides the app, host, port and workers."""

Kind = Literal["clear", "stolen", "listed", "bad_check_digit"]


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True, slots=True)
class Traveller:
    """One inspection to send: the MRZ as read, and what kind of traveller it is."""

    mrz: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Listed:
    """What a listed traveller's passport shows of a listed person."""

    surname: str
    given: str
    birth_date: date
    nationality: str
    sex: str


def _watchlist_person(
    rng: random.Random, number: int, identity: name_corpus.Identity
) -> dict[str, Any]:
    """A watchlist line for ``identity`` (as ``name_corpus.draw_person`` flattens one)."""
    names = [identity.latin]
    script = identity.arabic
    if script is not None and identity.nationality in name_corpus.ARAB_STATES:
        roll = rng.random()
        if roll < 0.04:
            names = [script]
        elif roll < 0.4:
            names.append(script)
    born = identity.birth_date
    roll = rng.random()
    birth: str | None
    if (identity.jan1 and roll < 0.5) or 0.87 <= roll < 0.95:
        birth = str(born.year)
    elif roll < 0.85:
        birth = born.isoformat()
    elif roll < 0.87:
        birth = born.isoformat()[:7]
    else:
        birth = None
    nationalities = [identity.nationality]
    second = name_corpus.draw_second_nationality(rng, identity)
    if second:
        nationalities.append(second)
    issuer = store_load._state(rng)
    valid_until = None
    if rng.random() < 0.3:
        valid_until = (date(2027, 1, 1) + timedelta(days=rng.randrange(3650))).isoformat()
    return {
        "id": f"{issuer}-WL-{number:08d}",
        "names": names,
        "birth_date": birth,
        "nationalities": nationalities,
        "sex": identity.sex if rng.random() < 0.98 else None,
        "category": rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0],
        "issued_by": issuer,
        "valid_until": valid_until,
    }


def _mrz_words(text: str) -> str:
    """A name as the MRZ spells it: A-Z, words joined by ``<``."""
    folded = unidecode(text).upper()
    return "<".join("".join(c if "A" <= c <= "Z" else " " for c in folded).split())


def _listed(identity: name_corpus.Identity) -> Listed:
    given = " ".join(p.latin for p in identity.parts if p.role == "given")
    surname = " ".join(p.latin for p in identity.parts if p.role != "given")
    return Listed(
        _mrz_words(surname or given),
        _mrz_words(given if surname else ""),
        identity.birth_date,
        identity.nationality,
        identity.sex,
    )


def generate_watchlist(
    path: Path, count: int, rng: random.Random
) -> tuple[dict[str, Any], list[Listed]]:
    """Write ``count`` persons to ``path``; return stats and a sample of listed persons."""
    sample: list[Listed] = []
    names = 0
    with path.open("wb") as handle:
        lines: list[bytes] = []
        for number in range(count):
            identity = name_corpus.draw_identity(rng)
            person = _watchlist_person(rng, number, identity)
            names += len(person["names"])
            lines.append(orjson.dumps(person))
            listed = _listed(identity)
            if len(sample) < LISTED_SAMPLE:  # reservoir sampling: any person alike
                sample.append(listed)
            elif (slot := rng.randrange(number + 1)) < LISTED_SAMPLE:
                sample[slot] = listed
            if len(lines) >= 10_000:
                handle.write(b"\n".join(lines) + b"\n")
                lines.clear()
        if lines:
            handle.write(b"\n".join(lines) + b"\n")
    return {"persons": count, "names": names, "bytes": path.stat().st_size}, sample


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def _mrz(
    rng: random.Random,
    *,
    state: str,
    number: str,
    who: Listed,
    fmt: MrzFormat | None = None,
) -> str:
    if fmt is None:
        fmt = MrzFormat.TD1 if len(number) > 9 or rng.random() < 0.15 else MrzFormat.TD3
    expiry = date(2027, 1, 1) + timedelta(days=rng.randrange(3000))
    return compose_mrz(
        fmt,
        document_number=number,
        birth_date=_yymmdd(who.birth_date),
        expiry_date=_yymmdd(expiry),
        surname=who.surname,
        given_names=who.given,
        issuing_state=state,
        nationality=who.nationality if fmt is MrzFormat.TD3 else state,
        sex=who.sex,
        document_code="P" if fmt is MrzFormat.TD3 else "ID",
    )


def _spoil_check_digit(mrz: str, rng: random.Random) -> str:
    """The MRZ with the document number's check digit changed (a misread or a forgery)."""
    lines = mrz.split("\n")
    row, col = (0, 14) if len(lines) == 3 else (1, 9)  # TD1: line 1; TD3: line 2
    line = lines[row]
    wrong = str((int(line[col]) + rng.randrange(1, 10)) % 10) if line[col].isdigit() else "0"
    lines[row] = line[:col] + wrong + line[col + 1 :]
    return "\n".join(lines)


def generate_travellers(
    count: int, rng: random.Random, stolen: Sequence[store_load.Query], listed: Sequence[Listed]
) -> list[Traveller]:
    """``count`` travellers in the shares of ``SHARES``, shuffled."""
    kinds: list[Kind] = ["clear", "stolen", "listed", "bad_check_digit"]
    out: list[Traveller] = []
    for kind in rng.choices(kinds, weights=[SHARES[k] for k in kinds], k=count):
        if kind == "listed" and listed:
            who = rng.choice(listed)
            state = who.nationality if len(who.nationality) == 3 else "MAR"
            mrz = _mrz(rng, state=state, number=store_load._sltd_number(rng), who=who)
        else:
            who = _listed(name_corpus.draw_identity(rng))
            if kind == "stolen" and stolen:
                query = rng.choice(stolen)
                mrz = _mrz(rng, state=query.state, number=query.number, who=who)
            else:
                mrz = _mrz(rng, state=store_load._state(rng), number=store_load._sltd_number(rng),
                           who=who)  # fmt: skip
                if kind == "bad_check_digit":
                    mrz = _spoil_check_digit(mrz, rng)
        out.append(Traveller(mrz, kind))
    return out


def request_body(traveller: Traveller, rng: random.Random) -> bytes:
    return orjson.dumps(
        {
            "mrz": traveller.mrz,
            "purpose": PURPOSE,
            "crossing_point": rng.choice(CROSSING_POINTS),
            "direction": "entry" if rng.random() < 0.6 else "exit",
        }
    )


# --------------------------------------------------------------------------- the node


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> tuple[str, float]:
    """Run ``passerelle ARGS`` in the node's environment; its stdout and wall seconds."""
    command = [str(Path(sys.executable).with_name("passerelle")), *args]
    started = time.perf_counter()
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"passerelle {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout, seconds


def prepare_node(env: dict[str, str], files: dict[str, Path]) -> dict[str, Any]:
    """Migrate, load both files, add the officer and issue the token; timings and the token."""
    _, migrate_s = _cli(env, "db", "upgrade")
    _cli(env, "keys", "init")
    loads: dict[str, Any] = {}
    for kind in ("sltd", "watchlist"):
        out, seconds = _cli(env, kind, "load", str(files[kind]), "--json")
        report = json.loads(out)
        lines = int(report.get("lines", 0))
        loads[kind] = {
            "lines": lines,
            "accepted": report.get("accepted"),
            "rejected": report.get("rejected"),
            "seconds": round(seconds, 2),
            "records_per_s": round(lines / seconds),
        }
    password = "bench-officer-" + os.urandom(8).hex()
    _cli(env, "user", "add", OFFICER, "--role", "officer", stdin=password + "\n")
    token, _ = _cli(env, "token", "issue", OFFICER, "--days", "1", "--label", "bench")
    return {"migrate_seconds": round(migrate_s, 2), "loads": loads, "token": token.strip()}


# --------------------------------------------------------------------------- the servers


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and b"resource_tracker" not in _cmdline(entry):
                found.append(int(entry.name))
    return sorted(found)


def _cmdline(entry: Path) -> bytes:
    try:
        return (entry / "cmdline").read_bytes()
    except OSError:
        return b""


def _memory_mib(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = round(int(rest.split()[0]) / 1024, 1)
    return {"rss_mib": values.get("VmRSS", 0.0), "peak_rss_mib": values.get("VmHWM", 0.0)}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """A uvicorn server (our child process, its own process group) and its log."""

    def __init__(self, name: str, command: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log, self.port = name, log, _free_port()
        self._handle = log.open("wb")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=env,
            stdout=self._handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, workers: int, timeout_s: float) -> list[float]:
        """Seconds from the start until each worker said its startup was complete."""
        ready: list[float] = []
        while len(ready) < workers:
            text = self.log.read_text(errors="replace")
            if "Application startup failed" in text or self.process.poll() is not None:
                raise RuntimeError(f"{self.name} did not start:\n{text[-3000:]}")
            now = time.perf_counter() - self.started
            while len(ready) < min(workers, text.count("Application startup complete")):
                ready.append(round(now, 2))
            if now > timeout_s:
                raise RuntimeError(
                    f"{self.name}: not ready after {timeout_s:.0f} s:\n{text[-3000:]}"
                )
            time.sleep(0.05)
        return ready

    def workers(self) -> list[int]:
        return _children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._handle.close()


def passerelle_servers(
    env: dict[str, str], folder: Path, *, hosts: int, workers: int
) -> list[Server]:
    """``hosts`` API hosts of one node: ``passerelle serve --workers N`` each, host 1 in the
    prepared HOME, every other in a HOME of its own holding a copy of the node's key folder
    (and of the saved watchlist index, so that it starts as fast), as docs/deployment.md
    sets a second host up. Several hosts need one shared database (PostgreSQL)."""
    command = [str(Path(sys.executable).with_name("passerelle")), "serve"]
    command += ["--workers", str(workers)]
    servers = []
    for number in range(1, hosts + 1):
        host_env = env
        if number > 1:
            home = folder / f"home-host{number}"
            if home.exists():
                shutil.rmtree(home)
            first = Path(env["PASSERELLE_HOME"])
            home.mkdir(mode=0o700)
            shutil.copytree(first / "keys", home / "keys")
            if (first / "cache").exists():
                shutil.copytree(first / "cache", home / "cache")
            host_env = env | {"PASSERELLE_HOME": str(home)}
        name = "passerelle serve" if hosts == 1 else f"passerelle serve host{number}"
        servers.append(Server(name, command, host_env, folder / f"passerelle-host{number}.log"))
    return servers


def peer_server(env: dict[str, str], folder: Path, *, hosts: int, workers: int) -> list[Server]:
    """The peer: one host of ``workers`` workers."""
    command = [sys.executable, str(Path(__file__).resolve()), "--serve-peer"]
    env = env | {"PASSERELLE_BENCH_PEER_WORKERS": str(workers)}
    return [Server("peer", command, env, folder / "peer.log")]


def serve_peer(port: int) -> None:
    """Run the peer app with ``passerelle serve``'s uvicorn options (2 workers)."""
    import uvicorn

    uvicorn.run(
        "inspection_load:peer_app",
        app_dir=str(HERE),
        host="127.0.0.1",
        port=port,
        workers=int(os.environ.get("PASSERELLE_BENCH_PEER_WORKERS", "2")),
        **UVICORN_OPTIONS,
    )


def _build_peer_app() -> Any:
    """The floor: parse the body, one indexed SQLite read, a small JSON answer."""
    from fastapi import FastAPI
    from pydantic import BaseModel, ConfigDict, Field

    database = os.environ["PASSERELLE_BENCH_PEER_DB"]
    postgres = database.startswith("postgresql")
    local = threading.local()
    sql = (
        "SELECT status FROM sltd_records WHERE issuing_state = ? AND number_key9 = ? "
        "AND superseded_at IS NULL"
    )
    if postgres:
        sql = sql.replace("?", "%s")

    class PeerBody(BaseModel):
        model_config = ConfigDict(frozen=True, extra="forbid")
        mrz: str = Field(min_length=1, max_length=400)
        purpose: str = Field(min_length=1, max_length=500)
        crossing_point: str = Field(min_length=1, max_length=64)
        direction: Literal["entry", "exit"]

    app = FastAPI()

    def look_up(body: PeerBody) -> dict[str, Any]:
        connection = getattr(local, "connection", None)
        if connection is None and postgres:
            import psycopg

            connection = local.connection = psycopg.connect(database, autocommit=True)
        elif connection is None:
            connection = local.connection = sqlite3.connect(
                f"file:{database}?mode=ro", uri=True, check_same_thread=False
            )
        lines = body.mrz.split("\n")
        first = lines[0]
        number = first[5:14] if len(lines) == 3 else lines[1][0:9]
        row = connection.execute(
            sql, (first[2:5], number_key(number.replace("<", ""))[:9])
        ).fetchone()
        return {"hit": row is not None, "status": row[0] if row else None}

    # the annotations are strings here (PEP 563) naming a local class: give FastAPI the class
    look_up.__annotations__ = {"body": PeerBody, "return": dict[str, Any]}
    app.post(PEER_PATH, status_code=201)(look_up)
    return app


def __getattr__(name: str) -> Any:  # uvicorn imports ``inspection_load:peer_app``
    if name == "peer_app":
        app = _build_peer_app()
        globals()["peer_app"] = app
        return app
    raise AttributeError(name)


def smoke(port: int, path: str, token: str | None, body: bytes) -> tuple[int, bytes]:
    """One request with urllib: the status and body."""
    import urllib.error
    import urllib.request

    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# --------------------------------------------------------------------------- the client


async def _one_client(
    spec: dict[str, Any],
    requests: list[bytes],
    client: int,
    start: int,
    tally: dict[str, Any],
) -> None:
    """Send requests back to back on one keep-alive connection until the end."""
    clock, monotonic = time.perf_counter_ns, time.monotonic
    warm_until, stop_at = spec["warm_until"], spec["stop_at"]
    think = spec["think_ms"] / 1000
    latencies: list[int] = tally["latencies"]
    errors: Counter[str] = tally["errors"]
    decisions: Counter[str] = tally["decisions"]
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    number = start
    used = 0.0
    ports = spec["ports"]
    port = ports[client % len(ports)]  # the clients spread evenly over the hosts
    if think:  # booths do not all start at once
        await asyncio.sleep(think * random.random())
    while monotonic() < stop_at:
        request = requests[number % len(requests)]
        number += 1
        counted = monotonic() >= warm_until
        try:
            if writer is not None and monotonic() - used > IDLE_S:
                writer.close()  # the server will have closed it: a booth reconnects
                reader = writer = None
            if writer is None or reader is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            sent = clock()
            writer.write(request)
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), spec["timeout_s"])
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            body = await reader.readexactly(length)
            took = clock() - sent
            used = monotonic()
            status = int(head[9:12])
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError) as exc:
            if counted:
                errors[type(exc).__name__] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            if think:  # a booth whose request failed scans again at its pace
                await asyncio.sleep(think * (0.5 + random.random()))
            continue
        if not counted:
            # The warm-up keeps the pace too: back to back, it would leave a backlog
            # of queued inspections for the measured window to drain.
            if think:
                await asyncio.sleep(think * (0.5 + random.random()))
            continue
        latencies.append(took)
        if status != EXPECTED_STATUS:
            errors[f"HTTP {status}"] += 1
            tally["samples"].setdefault(f"HTTP {status}", body[:2000].decode(errors="replace"))
            continue
        if (bad := DEGRADED.search(body)) is not None:
            errors[f"finding {bad.group(1).decode()}"] += 1
            start_at = max(0, bad.start() - 300)
            tally["samples"].setdefault(
                f"finding {bad.group(1).decode()}", body[start_at : start_at + 800].decode()
            )
        if (decision := DECISION.search(body)) is not None:
            decisions[decision.group(1).decode()] += 1
        if think:
            await asyncio.sleep(think * (0.5 + random.random()))
    if writer is not None:
        writer.close()


async def _drive(spec: dict[str, Any], requests: list[bytes]) -> dict[str, Any]:
    tally: dict[str, Any] = {
        "latencies": [],
        "errors": Counter(),
        "decisions": Counter(),
        "samples": {},
    }
    clients = spec["clients"]
    now = time.monotonic()
    spec["warm_until"] = now + spec["warmup_s"]
    spec["stop_at"] = spec["warm_until"] + spec["seconds"]
    step = max(1, len(requests) // clients)
    await asyncio.gather(*(_one_client(spec, requests, i, i * step, tally) for i in range(clients)))
    return tally


def run_client(spec_path: Path, out_path: Path) -> None:
    """The client process: drive the server as the spec says, write the tally as JSON."""
    spec = json.loads(spec_path.read_text())
    bodies = [line for line in Path(spec["bodies"]).read_bytes().split(b"\n") if line]
    head = (
        f"POST {spec['path']} HTTP/1.1\r\nhost: 127.0.0.1:{spec['ports'][0]}\r\n"
        "content-type: application/json\r\naccept: application/json\r\n"
        + (f"authorization: Bearer {spec['token']}\r\n" if spec.get("token") else "")
    )
    requests = [f"{head}content-length: {len(b)}\r\n\r\n".encode() + b for b in bodies]
    # the host header names the first host; the servers do not read it
    gc.disable()
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    tally = asyncio.run(_drive(spec, requests))
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    out_path.write_text(
        json.dumps(
            {
                "latencies_ns": tally["latencies"],
                "errors": dict(tally["errors"]),
                "decisions": dict(tally["decisions"]),
                "samples": tally["samples"],
                "cpu_seconds": cpu,
                "wall_seconds": spec["warmup_s"] + spec["seconds"],
            }
        )
    )


def drive(
    servers: list[Server],
    folder: Path,
    *,
    path: str,
    token: str | None,
    bodies: Path,
    args: argparse.Namespace,
    think_ms: float,
    spy_folder: Path | None = None,
) -> dict[str, Any]:
    """Run the client process against ``servers`` (its connections spread evenly over them);
    the figures of the measured window (with ``spy_folder``, the workers sampled by py-spy
    during that window), the server CPU in all and per host."""
    server = servers[0]
    spec = {
        "ports": [s.port for s in servers],
        "path": path,
        "token": token,
        "bodies": str(bodies),
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup_s": args.warmup,
        "think_ms": think_ms,
        "timeout_s": 60.0,
    }
    spec_path, out_path = folder / f"{server.name}-spec.json", folder / f"{server.name}-out.json"
    spec_path.write_text(json.dumps(spec))
    by_host = {s.name: s.workers() for s in servers}
    workers = [pid for pids in by_host.values() for pid in pids]
    cpu_before = {pid: _cpu_seconds(pid) for pid in workers}
    load_before = os.getloadavg()[0]
    client = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--client", str(spec_path), str(out_path)]
    )
    profile = None
    if spy_folder is not None:  # the measured window only, not the warm-up
        time.sleep(args.warmup)
        name = f"{server.name.replace(' ', '-')}-think{think_ms:.0f}"
        recorders = spy.record(workers, spy_folder, name, args.seconds)
    if client.wait() != 0:
        raise RuntimeError(f"the client failed (exit {client.returncode})")
    if spy_folder is not None:
        profile = spy.summarize(spy.wait(recorders))
    cpu_after = {pid: _cpu_seconds(pid) for pid in workers if Path(f"/proc/{pid}").exists()}
    tally = json.loads(out_path.read_text())
    latencies: list[int] = tally["latencies_ns"]
    wall = tally["wall_seconds"]
    server_cpu = sum(cpu_after[p] - cpu_before[p] for p in cpu_after)
    host_cpu = {
        name: sum(cpu_after[p] - cpu_before[p] for p in pids if p in cpu_after)
        for name, pids in by_host.items()
    }
    errors = sum(tally["errors"].values())
    return {
        "think_ms": think_ms,
        "requests": len(latencies),
        "throughput_per_s": round(len(latencies) / args.seconds, 1),
        "latency_ms": _percentiles(latencies),
        "errors": errors,
        "error_kinds": tally["errors"],
        "error_samples": tally["samples"],
        "decisions": tally["decisions"],
        "client_cpu_share": round(tally["cpu_seconds"] / wall, 3),
        "server_cpu_share": round(server_cpu / wall, 3),
        "host_cpu_shares": {name: round(cpu / wall, 3) for name, cpu in host_cpu.items()},
        "server_cpu_ms_per_request": (
            round(server_cpu / wall * args.seconds / len(latencies) * 1000, 2)
            if latencies
            else None
        ),
        "load_average_before": round(load_before, 2),
        "workers": {str(pid): _memory_mib(pid) for pid in cpu_after},
        **({"py_spy": profile} if profile is not None else {}),
    }


def _percentiles(samples_ns: list[int]) -> dict[str, float | None]:
    if not samples_ns:
        return {"p50": None, "p95": None, "p99": None, "max": None, "mean": None}
    ordered = sorted(samples_ns)

    def rank(p: float) -> float:
        return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] / 1e6, 2)

    return {
        "p50": rank(50),
        "p95": rank(95),
        "p99": rank(99),
        "max": round(ordered[-1] / 1e6, 2),
        "mean": round(sum(ordered) / len(ordered) / 1e6, 2),
    }


# --------------------------------------------------------------------------- profiling


def profile_inspections(
    env: dict[str, str], travellers: list[Traveller], count: int, *, database_url: str | None
) -> dict[str, Any]:
    """N inspections in this process through the app's own services, under cProfile."""
    from datetime import UTC, datetime

    from passerelle.node import open_node
    from passerelle.screening import InspectionRequest
    from passerelle.settings import Settings
    from passerelle.store.audit import Actor
    from passerelle.wiring import build_services

    settings = Settings(home=Path(env["PASSERELLE_HOME"]), database_url=database_url)
    actor = Actor(name=OFFICER, kind="user", role="officer")
    with open_node(settings) as node:
        services = build_services(node)
        gc.collect()
        before = _memory_mib(os.getpid())["rss_mib"]
        started = time.perf_counter()
        services.inspector.refresh_watchlist()
        build_s = time.perf_counter() - started
        gc.collect()
        added = _memory_mib(os.getpid())["rss_mib"] - before
        inspector = services.inspector
        # cProfile sees one thread: run the checks one after the other in this one
        inspector._run = lambda tasks: [task() for task in tasks.values()]  # type: ignore[method-assign]
        requests = [
            InspectionRequest(
                mrz=t.mrz,
                purpose=PURPOSE,
                crossing_point=CROSSING_POINTS[0],
                direction="entry",
                officer=actor,
                at=datetime.now(UTC),
            )
            for t in travellers[: count + 20]
        ]
        for request in requests[:20]:  # warm-up
            inspector.inspect(request)
        timings: list[int] = []
        profiler = cProfile.Profile()
        for request in requests[20:]:
            t0 = time.perf_counter_ns()
            profiler.enable()
            inspector.inspect(request)
            profiler.disable()
            timings.append(time.perf_counter_ns() - t0)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(40)
    stats.sort_stats("tottime").print_stats(25)
    return {
        "index_build_seconds": round(build_s, 2),
        "index_rss_added_mib": round(added, 1),
        "inspections": len(timings),
        "latency_ms": _percentiles(timings),
        "profile": out.getvalue(),
    }


# --------------------------------------------------------------------------- the run


def measure(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    results: dict[str, Any] = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "seed": args.seed,
        "clients": args.clients,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "think_ms": args.think,
        "problems": [],
    }
    results["database"] = args.database
    with _workspace(args.keep) as folder:
        home = folder / "home"
        bodies = folder / "bodies.jsonl"
        prepared = folder / "prepared.pickle"
        shape: tuple[Any, ...] = (args.sltd, args.watchlist, args.travellers, args.seed)
        if args.database != "sqlite":
            shape += (args.database,)
        kept = pickle.loads(prepared.read_bytes()) if prepared.exists() else None
        if kept is not None and kept["shape"] != shape:
            kept = None
        with _node_database(args, folder, reuse=kept is not None) as (database_url, reused):
            if not reused:
                kept = None
            _run_node(args, results, rng, folder, home, bodies, prepared, shape, kept,
                      database_url)  # fmt: skip
    _add_ratios(results)
    return results


@contextmanager
def _node_database(
    args: argparse.Namespace, folder: Path, *, reuse: bool
) -> Iterator[tuple[str | None, bool]]:
    """The node's database URL (None: SQLite in HOME) and whether a kept one is reused.

    PostgreSQL: a database of its own on ``--pg-url``'s server, named after the ``--keep``
    folder (and kept with it) or random (dropped at the end)."""
    if args.database == "sqlite":
        yield None, reuse
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    if args.keep is not None:
        digest = hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:10]
        name = f"passerelle_bench_inspections_{digest}"
    else:
        name = f"passerelle_bench_inspections_{os.urandom(4).hex()}"
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.exec_driver_sql(
                "SELECT 1 FROM pg_database WHERE datname = %(name)s", {"name": name}
            ).first()
            reuse = reuse and exists is not None
            if not reuse:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield make_url(args.pg_url).set(database=name).render_as_string(hide_password=False), reuse
    finally:
        if args.keep is None:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run_node(
    args: argparse.Namespace,
    results: dict[str, Any],
    rng: random.Random,
    folder: Path,
    home: Path,
    bodies: Path,
    prepared: Path,
    shape: tuple[Any, ...],
    kept: dict[str, Any] | None,
    database_url: str | None,
) -> None:
    """Prepare the node (or take the kept one), then start and drive each server."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PASSERELLE_")}
    env |= {
        "PASSERELLE_HOME": str(home),
        "PASSERELLE_BENCH_PEER_DB": (
            _conninfo(database_url) if database_url else str(home / "passerelle.db")
        ),
        "PYTHONUNBUFFERED": "1",
    }
    if database_url:
        env["PASSERELLE_DATABASE_URL"] = database_url
    if kept is not None:
        results["data"], node, travellers = kept["data"], kept["node"], kept["travellers"]
        node = dict(node, kept=str(folder))
        token = node.pop("token")
        rng.random()  # the smoke inspection's body differs from a fresh run's: no matter
    else:
        if home.exists():
            shutil.rmtree(home)
        files = {"sltd": folder / "sltd.jsonl", "watchlist": folder / "watchlist.jsonl"}
        started = time.perf_counter()
        queries, sltd_stats = store_load.generate_sltd(files["sltd"], args.sltd, 5000, rng)
        stolen = [q for q in queries if q.present]
        watchlist_stats, listed = generate_watchlist(files["watchlist"], args.watchlist, rng)
        travellers = generate_travellers(args.travellers, rng, stolen, listed)
        bodies.write_bytes(b"\n".join(request_body(t, rng) for t in travellers) + b"\n")
        results["data"] = {
            "sltd": sltd_stats,
            "watchlist": watchlist_stats,
            "travellers": dict(Counter(t.kind for t in travellers)),
            "generation_seconds": round(time.perf_counter() - started, 1),
        }
        node = prepare_node(env, files)
        if args.keep:
            saved = {"shape": shape, "data": results["data"], "node": node}
            prepared.write_bytes(pickle.dumps(saved | {"travellers": travellers}))
        token = node.pop("token")
    results["node"] = node
    if args.profile:
        results["profile"] = profile_inspections(
            env, travellers, args.profile, database_url=database_url
        )
        gc.collect()
    # again, untimed: a no-op, unless the code's schema moved on since the loads (a
    # working tree others edit while the bench runs)
    _cli(env, "db", "upgrade")
    results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    runs: list[tuple[str, Any, str, str | None]] = [("passerelle", passerelle_servers, PATH, token)]
    if not args.no_peer:
        runs.append(("peer", peer_server, PEER_PATH, None))
    results["hosts"], results["workers_per_host"] = args.hosts, args.workers
    for name, start, path, bearer in runs:
        servers: list[Server] = start(env, folder, hosts=args.hosts, workers=args.workers)
        try:
            ready = [t for s in servers for t in s.wait_ready(args.workers, args.ready_timeout)]
            workers = [pid for s in servers for pid in s.workers()]
            for server in servers:
                body = request_body(travellers[0], rng)
                status, body = smoke(server.port, path, bearer, body)
                if status != EXPECTED_STATUS:
                    break
            if status != EXPECTED_STATUS:
                results["problems"].append(f"{name}: smoke inspection answered {status}")
                results[name] = {"smoke": body.decode(errors="replace")[:2000]}
                continue
            startup = {
                "ready_seconds": ready,
                "workers": {str(pid): _memory_mib(pid) for pid in workers},
            }
            results[name] = {"startup": startup, "phases": []}
            for think in args.think:
                results[name]["phases"].append(
                    drive(
                        servers,
                        folder,
                        path=path,
                        token=bearer,
                        bodies=bodies,
                        args=args,
                        think_ms=think,
                        spy_folder=folder if args.spy and name == "passerelle" else None,
                    )
                )
        except RuntimeError as exc:
            results["problems"].append(f"{name}: {exc}")
        finally:
            for server in servers:
                server.stop()
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]


def _add_ratios(results: dict[str, Any]) -> None:
    mine = results.get("passerelle", {}).get("phases", [])
    theirs = results.get("peer", {}).get("phases", [])
    results["ratios"] = [
        {
            "think_ms": a["think_ms"],
            "throughput": round(a["throughput_per_s"] / b["throughput_per_s"], 3),
            **{p: round(a["latency_ms"][p] / b["latency_ms"][p], 2) for p in ("p50", "p95", "p99")},
        }
        for a, b in zip(mine, theirs, strict=False)
        if a["requests"] and b["requests"]
    ]
    for phase in mine:
        if phase["requests"]:
            phase["target_met"] = (
                phase["latency_ms"]["p95"] <= TARGET_P95_MS and not phase["errors"]
            )


@contextmanager
def _workspace(keep: Path | None) -> Iterator[Path]:
    """Where the data, the node's home and the logs go: ``keep`` (made if missing, and left
    for the next run to reuse), or a temporary folder removed at the end."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="passerelle-inspection-load-") as tmp:
        yield Path(tmp)


# --------------------------------------------------------------------------- report


def _workers_line(workers: dict[str, dict[str, float]]) -> str:
    return "; ".join(
        f"pid {pid}: {m['rss_mib']:,.0f} MiB (peak {m['peak_rss_mib']:,.0f})"
        for pid, m in workers.items()
    )


def print_report(r: dict[str, Any]) -> None:
    data, node = r["data"], r["node"]
    hosts, workers = r.get("hosts", 1), r.get("workers_per_host", 2)
    print(
        f"Border inspections under load: {hosts} × passerelle serve --workers {workers} "
        "vs the HTTP+DB floor"
    )
    print("  peer: same uvicorn options and client; FastAPI sync endpoint, same body model,")
    print("        one raw sqlite3 indexed SLTD read in the same database, small JSON answer")
    print(f"  Python {r['python']}, SQLite {r['sqlite']}; {r['platform']}; {r['cpus']} CPUs")
    print(f"  the node's database: {r['database']}")
    print(
        f"  data (seed {r['seed']}, generated in {data['generation_seconds']:.0f} s, untimed): "
        f"{data['sltd']['records']:,} SLTD records; {data['watchlist']['persons']:,} watchlist "
        f"persons ({data['watchlist']['names']:,} names); travellers {data['travellers']}"
    )
    print(
        f"  load average before {r.get('load_average_before')}, after "
        f"{r.get('load_average_after')} (other processes share the machine)"
    )
    print()
    again = f" (the run that made {node['kept']})" if "kept" in node else ""
    print(f"  node set-up{again} (CLI, wall to wall): db upgrade {node['migrate_seconds']:.1f} s")
    for kind, x in node["loads"].items():
        print(
            f"    {kind} load: {x['lines']:,} lines ({x['accepted']:,} accepted, "
            f"{x['rejected']} rejected) in {x['seconds']:.1f} s = {x['records_per_s']:,}/s"
        )
    if "profile" in r:
        p = r["profile"]
        print(
            f"  in-process (one thread): watchlist index build {p['index_build_seconds']:.1f} s, "
            f"+{p['index_rss_added_mib']:,.0f} MiB; {p['inspections']} inspections one at a "
            f"time: p50 {p['latency_ms']['p50']} ms, p95 {p['latency_ms']['p95']} ms, "
            f"p99 {p['latency_ms']['p99']} ms"
        )
    print()
    print(f"  load: {r['clients']} clients, {r['warmup']} s warm-up + {r['seconds']} s measured")
    for name in ("passerelle", "peer"):
        x = r.get(name)
        if not x or "phases" not in x:
            continue
        s = x["startup"]
        print(f"  {name}:")
        print(
            f"    workers ready after {', '.join(f'{t:.1f}' for t in s['ready_seconds'])} s; "
            f"memory when ready: {_workers_line(s['workers'])}"
        )
        for phase in x["phases"]:
            lat = phase["latency_ms"]
            think = phase["think_ms"]
            pace = f"think time {think:,.0f} ms (±50 %)" if think else "no think time (saturating)"
            print(f"    {pace}:")
            print(
                f"      {phase['requests']:,} requests, {phase['throughput_per_s']:,.1f}/s; "
                f"latency ms: p50 {lat['p50']}, p95 {lat['p95']}, p99 {lat['p99']}, "
                f"max {lat['max']}, mean {lat['mean']}"
            )
            print(
                f"      errors {phase['errors']} {phase['error_kinds'] or ''}; "
                f"decisions {phase['decisions']}"
            )
            for kind, sample in phase["error_samples"].items():
                print(f"      first {kind}: …{sample}…")
            hosts = phase.get("host_cpu_shares", {})
            per_host = (
                " [" + ", ".join(f"{h.split()[-1]} {c:.2f}" for h, c in hosts.items()) + "]"
                if len(hosts) > 1
                else ""
            )
            print(
                f"      CPU: server workers {phase['server_cpu_share']:.2f} CPUs{per_host} "
                f"({phase['server_cpu_ms_per_request']} ms/request), client "
                f"{phase['client_cpu_share']:.2f} CPUs; load average "
                f"{phase['load_average_before']}; memory after: {_workers_line(phase['workers'])}"
            )
            if "py_spy" in phase:
                spy.print_summary(phase["py_spy"], title="      py-spy")
            if "target_met" in phase:
                print(
                    f"      target p95 ≤ {TARGET_P95_MS:.0f} ms, zero errors → "
                    f"{'met' if phase['target_met'] else 'NOT met'}"
                )
            if not think and phase["throughput_per_s"]:
                floor = r["clients"] / phase["throughput_per_s"] * 1000
                print(
                    f"      saturating: by Little's law the mean latency is clients ÷ "
                    f"throughput = {floor:,.0f} ms whatever the node does (the target is "
                    f"judged at a booth's pace: --think)"
                )
    for q in r["ratios"]:
        think = f"think {q['think_ms']:,.0f} ms" if q["think_ms"] else "saturating"
        print(
            f"  ratio Passerelle ÷ peer ({think}): throughput {q['throughput']:.3f}× "
            f"(below 1: slower); latency p50 {q['p50']:.1f}×, p95 {q['p95']:.1f}×, "
            f"p99 {q['p99']:.1f}× (above 1: slower)"
        )
    for problem in r["problems"]:
        print(f"  PROBLEM: {problem}")
    if "profile" in r:
        print()
        print(r["profile"]["profile"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sltd", type=int, help="SLTD records (default 1,000,000)")
    parser.add_argument("--watchlist", type=int, help="watchlist persons (default 1,000,000)")
    parser.add_argument("--seconds", type=float, help="measured seconds (default 60)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds, not counted (default 10)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument(
        "--think",
        default="0",
        help="ms each client waits between requests, ±50 %%; several (0,1000) run one after "
        "the other on the same servers (default 0: saturating)",
    )
    parser.add_argument("--travellers", type=int, default=5000, help="distinct MRZs (5,000)")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: 10,000 / 10,000 records, 5 s, 2 s warm-up"
    )
    parser.add_argument("--profile", type=int, default=0, help="cProfile N in-process inspections")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer")
    parser.add_argument(
        "--hosts",
        type=int,
        default=1,
        help="API hosts of the node (passerelle serve processes, each its own HOME with the "
        "node's keys, one PostgreSQL database); the clients spread over them (default 1)",
    )
    parser.add_argument(
        "--workers", type=int, default=2, help="workers per host, and the peer's (default 2)"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="the node's store: SQLite in its home (default) or a fresh PostgreSQL database",
    )
    parser.add_argument(
        "--pg-url",
        default=DEFAULT_PG_URL,
        help=f"PostgreSQL server for --database postgresql (default {DEFAULT_PG_URL})",
    )
    parser.add_argument(
        "--spy",
        action="store_true",
        help="sample the workers with py-spy in each measured window; print the top functions",
    )
    parser.add_argument(
        "--ready-timeout", type=float, default=900.0, help="seconds to wait for the workers"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the data and the loaded node in this folder, and reuse them when a later "
        "run asks for the same sizes and seed (the set-up figures are then the first run's)",
    )
    parser.add_argument("--seed", type=int, default=9303, help="data seed (default 9303)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--serve-peer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--client", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_peer:
        serve_peer(args.port)
        return 0
    if args.client:
        run_client(*args.client)
        return 0
    defaults = (10_000, 10_000, 5.0, 2.0) if args.quick else (1_000_000, 1_000_000, 60.0, 10.0)
    for name, default in zip(("sltd", "watchlist", "seconds", "warmup"), defaults, strict=True):
        if getattr(args, name) is None:
            setattr(args, name, default)
    try:
        args.think = [float(value) for value in args.think.split(",")]
    except ValueError:
        parser.error("--think takes milliseconds, comma-separated")
    if args.hosts > 1 and args.database != "postgresql":
        parser.error("--hosts above 1 needs --database postgresql (one store for every host)")
    if args.hosts < 1 or args.workers < 1:
        parser.error("--hosts and --workers must be positive")
    if args.spy and not spy.available():
        parser.error("--spy needs py-spy: pip install py-spy")
    if min(args.sltd, args.watchlist, args.clients, args.travellers) < 1 or args.seconds <= 0:
        parser.error("--sltd, --watchlist, --clients, --travellers and --seconds must be positive")
    report = measure(args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 1 if report["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
