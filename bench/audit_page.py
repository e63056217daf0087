"""The auditor's ``/audit`` page over a long audit chain, and an inspection sent meanwhile.

What it measures
    A node in a temporary home (embedded SQLite) is migrated, given an auditor and an
    officer (with a bearer token), and its audit chain is filled with ``--records``
    records (300,000 by default) written straight into the tables in bulk, each sealed
    with the node's audit key as ``AuditTrail.record`` seals it (not timed). Where the
    code has checkpoints (``passerelle audit checkpoint``), one is taken after the fill,
    as a serving node takes them on its own. Then ``passerelle serve`` (one worker)
    starts on loopback and the run times, wall to wall from a client in this process:

    * an inspection alone (``POST /api/v1/inspections``, median of ``--rounds``);
    * the ``/audit`` page alone (an auditor's session; each of ``--rounds`` loads);
    * the page and an inspection sent 0.2 s after it: both times.

    The same script measures the code before and after a change: run it with
    ``PYTHONPATH`` pointing at the other source tree (``passerelle`` commands and the
    server run from it); it adapts to a chain head with or without a seal.

Run it
    PYTHONPATH=$PWD/src .venv/bin/python bench/audit_page.py [--records 300000] [--json]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, insert, inspect, text
from sqlalchemy.engine import make_url

from passerelle.documents import MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.server.ports import free_port as _free_port
from passerelle.store.audit import GENESIS, AuditTrail, canonical, load_key
from passerelle.store.db import Database
from passerelle.store.tables import AuditPayload, AuditRecord

PASSWORD = "bench: a long enough passphrase 42"
PURPOSE = "border control: routine inspection"


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    command = [str(Path(sys.executable).with_name("passerelle")), *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"passerelle {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout


def fill_chain(url: str, key_file: Path, records: int) -> float:
    """Append ``records`` sealed records after the chain's head, in bulk; seconds taken."""
    started = time.perf_counter()
    trail = AuditTrail(load_key(key_file))
    database = Database(url)
    columns = {c["name"] for c in inspect(database.engine).get_columns("audit_head")}
    with database.engine.begin() as connection:
        seq, prev = connection.execute(text("SELECT seq, hash FROM audit_head WHERE id = 1")).one()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    payload_hash = hashlib.sha256(canonical({"query": {}, "result": {}})).hexdigest()
    batch: list[dict[str, Any]] = []
    payloads: list[dict[str, Any]] = []
    for n in range(records):
        seq += 1
        record = AuditRecord(
            seq=seq,
            at=at + timedelta(seconds=n),
            actor="officer.bench",
            actor_kind="user",
            role="officer",
            action="sltd.search",
            purpose="border check",
            redacts_through=None,
            payload_hash=payload_hash,
            prev_hash=prev,
        )
        record.hash = trail._seal(record)
        prev = record.hash
        batch.append({c.name: getattr(record, c.name) for c in AuditRecord.__table__.columns})
        payloads.append({"seq": seq, "query": {}, "result": {}})
        if len(batch) == 20_000 or n == records - 1:
            with database.engine.begin() as connection:
                connection.execute(insert(AuditRecord.__table__), batch)
                connection.execute(insert(AuditPayload.__table__), payloads)
            batch, payloads = [], []
    with database.engine.begin() as connection:
        if "seal" in columns:
            counter = connection.execute(text("SELECT counter FROM audit_head")).scalar_one()
            counter += records
            seal = trail._seal_head(seq, prev, counter)  # type: ignore[attr-defined]
            connection.execute(
                text("UPDATE audit_head SET seq = :s, hash = :h, counter = :c, seal = :x"),
                {"s": seq, "h": prev, "c": counter, "x": seal},
            )
        else:
            connection.execute(
                text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": seq, "h": prev}
            )
    database.dispose()
    assert prev != GENESIS
    return time.perf_counter() - started


@contextmanager
def postgres_database(admin_url: str | None) -> Iterator[str | None]:
    """A fresh PostgreSQL database on ``admin_url``'s server (dropped after), or None."""
    if admin_url is None:
        yield None
        return
    name = f"passerelle_bench_audit_{os.getpid()}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _inspection_body() -> dict[str, Any]:
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number="XB1234567",
        birth_date="800101",
        expiry_date=(date(2030, 1, 1)).strftime("%y%m%d"),
        surname="BENALI",
        given_names="KARIM",
        issuing_state="MAR",
        nationality="MAR",
        sex="M",
        document_code="P",
    )
    return {"mrz": mrz, "purpose": PURPOSE, "crossing_point": "TNG-PORT", "direction": "entry"}


def _login(client: httpx.Client, name: str) -> None:
    form = client.get("/login").text
    token = re.search(r'name="login_token" value="([^"]+)"', form)
    assert token is not None, "no login form"
    answer = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "login_token": token.group(1), "next": "/"},
    )
    assert answer.status_code in (200, 303), answer.status_code


def measure(records: int, rounds: int, postgres: str | None) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory(prefix="audit-page-") as folder,
        postgres_database(postgres) as postgres_url,
    ):
        home = Path(folder) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
        env |= {"PASSERELLE_HOME": str(home), "PASSERELLE_NODE": "MAR"}
        if postgres_url:
            env["PASSERELLE_DATABASE_URL"] = postgres_url
        url = postgres_url or f"sqlite:///{home / 'passerelle.db'}"
        _cli(env, "db", "upgrade")
        _cli(env, "keys", "init")
        _cli(env, "user", "add", "auditor.bench", "--role", "auditor", stdin=PASSWORD + "\n")
        _cli(env, "user", "add", "officer.bench", "--role", "officer", stdin=PASSWORD + "\n")
        token = _cli(env, "token", "issue", "officer.bench", "--days", "1").strip()
        fill_s = fill_chain(url, home / "keys" / "audit.key", records)
        try:
            _cli(env, "audit", "checkpoint")
            checkpointed = True
        except RuntimeError:
            checkpointed = False  # code without checkpoints
        port = _free_port()
        server = subprocess.Popen(
            [str(Path(sys.executable).with_name("passerelle")), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.3)
            time.sleep(2)  # the checkpointer's first look, the watchlist index
            return _timed(base, token, rounds) | {
                "records": records,
                "database": "postgresql" if postgres_url else "sqlite",
                "fill_seconds": round(fill_s, 1),
                "checkpointed": checkpointed,
            }
        finally:
            server.terminate()
            server.wait(30)


def _timed(base: str, token: str, rounds: int) -> dict[str, Any]:
    officer = httpx.Client(base_url=base, headers={"authorization": f"Bearer {token}"}, timeout=120)
    auditor = httpx.Client(base_url=base, timeout=300)
    _login(auditor, "auditor.bench")
    body = _inspection_body()

    def inspect() -> float:
        started = time.perf_counter()
        answer = officer.post("/api/v1/inspections", json=body)
        assert answer.status_code == 201, answer.text[:300]
        return time.perf_counter() - started

    def load_page() -> float:
        started = time.perf_counter()
        answer = auditor.get("/audit")
        assert answer.status_code == 200, answer.status_code
        return time.perf_counter() - started

    inspect()  # warm
    alone = [inspect() for _ in range(rounds)]
    pages = [load_page() for _ in range(rounds)]
    together: list[tuple[float, float]] = []
    for _ in range(rounds):
        page_s: list[float] = []
        thread = threading.Thread(target=lambda into=page_s: into.append(load_page()))
        thread.start()
        time.sleep(0.2)
        inspection_s = inspect()
        thread.join()
        together.append((page_s[0], inspection_s))
    return {
        "inspection_alone_s": round(statistics.median(alone), 3),
        "page_alone_s": [round(p, 3) for p in pages],
        "page_with_inspection_s": [round(p, 3) for p, _ in together],
        "inspection_during_page_s": [round(i, 3) for _, i in together],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--postgres", metavar="ADMIN_URL", help="measure on a fresh database of this server"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.records, args.rounds, args.postgres)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
