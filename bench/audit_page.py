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
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from passerelle.documents import MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.store.audit import GENESIS, AuditTrail, canonical, load_key
from passerelle.store.tables import AuditRecord

PASSWORD = "bench: a long enough passphrase 42"
PURPOSE = "border control: routine inspection"


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    command = [str(Path(sys.executable).with_name("passerelle")), *args]
    done = subprocess.run(command, env=env, input=stdin, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"passerelle {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.stdout


def fill_chain(home: Path, records: int) -> float:
    """Append ``records`` sealed records after the chain's head, in bulk; seconds taken."""
    started = time.perf_counter()
    trail = AuditTrail(load_key(home / "keys" / "audit.key"))
    connection = sqlite3.connect(home / "passerelle.db")
    columns = {row[1] for row in connection.execute("PRAGMA table_info(audit_head)")}
    seq, prev = connection.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    at = datetime(2026, 1, 1, tzinfo=UTC)
    payload_hash = hashlib.sha256(canonical({"query": {}, "result": {}})).hexdigest()
    batch: list[tuple[Any, ...]] = []
    payloads: list[tuple[Any, ...]] = []
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
        stored_at = record.at.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        batch.append(
            (seq, stored_at, record.actor, "user", "officer", record.action,
             record.purpose, None, payload_hash, record.prev_hash, record.hash)
        )  # fmt: skip
        payloads.append((seq, "{}", "{}"))
        if len(batch) == 20_000 or n == records - 1:
            connection.executemany(
                "INSERT INTO audit_records (seq, at, actor, actor_kind, role, action, purpose, "
                "redacts_through, payload_hash, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                batch,
            )
            connection.executemany(
                "INSERT INTO audit_payloads (seq, query, result) VALUES (?,?,?)", payloads
            )
            batch, payloads = [], []
    if "seal" in columns:
        counter = connection.execute("SELECT counter FROM audit_head").fetchone()[0] + records
        seal = trail._seal_head(seq, prev, counter)  # type: ignore[attr-defined]
        connection.execute(
            "UPDATE audit_head SET seq = ?, hash = ?, counter = ?, seal = ? WHERE id = 1",
            (seq, prev, counter, seal),
        )
    else:
        connection.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (seq, prev))
    connection.commit()
    connection.close()
    assert prev != GENESIS
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def measure(records: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="audit-page-") as folder:
        home = Path(folder) / "home"
        env = {k: v for k, v in os.environ.items() if not k.startswith("PASSERELLE_")}
        env |= {"PASSERELLE_HOME": str(home), "PASSERELLE_NODE": "MAR"}
        _cli(env, "db", "upgrade")
        _cli(env, "user", "add", "auditor.bench", "--role", "auditor", stdin=PASSWORD + "\n")
        _cli(env, "user", "add", "officer.bench", "--role", "officer", stdin=PASSWORD + "\n")
        token = _cli(env, "token", "issue", "officer.bench", "--days", "1").strip()
        fill_s = fill_chain(home, records)
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
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.records, args.rounds)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:28} {value}")


if __name__ == "__main__":
    main()
