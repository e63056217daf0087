"""What a client's request id costs an inspection, and what a retry answered from the store costs.

What it measures
    ``Inspector.inspect`` in this process on an MRZ-only traveller (document, SLTD, stay,
    alerts and an empty watchlist checked; the inspection stored and audited), three ways,
    ``--inspections`` times each, on each backend:

    - ``without_id``: no ``request_id`` (the peer: the inspection as before);
    - ``with_id``: a new ``request_id`` each time (one more indexed look-up before the
      checks, the id stored under the unique index);
    - ``replay``: the same requests sent again (answered from the store, nothing written).

    The first two alternate, one inspection each, so that the store's growth and the
    machine's load weigh on both alike. Ratios are against ``without_id`` in the same
    run: ``with_id`` above 1 is the id's cost; ``replay`` below 1 is how much cheaper a
    retry is than a new check.

Run it
    .venv/bin/python bench/request_replay.py [--inspections 300] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from passerelle.documents import MrzFormat
from passerelle.documents.compose import compose_mrz
from passerelle.names import NameMatch, NameQuery
from passerelle.node import Node
from passerelle.screening import InspectionRequest, Inspector
from passerelle.settings import Settings
from passerelle.store import Actor, AuditTrail, Database

ADMIN_URL = os.environ.get(
    "PASSERELLE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
OFFICER = Actor("officer.bench", "user", "officer")


class NoNames:
    """An empty watchlist: the name check answers at once (not what is measured)."""

    def screen(self, query: NameQuery, *, top: int = 10, threshold: float = 0.0) -> list[NameMatch]:
        return []


@contextmanager
def database_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    name = f"passerelle_bench_replay_{secrets.token_hex(3)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def request(n: int, request_id: str | None) -> InspectionRequest:
    mrz = compose_mrz(
        MrzFormat.TD3,
        document_number=f"RB{n:07d}",
        birth_date="900421",
        expiry_date="310714",
        surname="LAMRANI",
        given_names="SALMA",
        issuing_state="MAR",
        sex="F",
    )
    return InspectionRequest(
        mrz=mrz,
        purpose="border control",
        crossing_point="TNG-MED",
        direction="entry",
        officer=OFFICER,
        at=datetime.now(UTC),
        request_id=request_id,
    )


def timed(inspector: Inspector, requests: list[InspectionRequest]) -> list[float]:
    seconds = []
    for asked in requests:
        started = time.perf_counter()
        inspector.inspect(asked)
        seconds.append(time.perf_counter() - started)
    return seconds


def figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
    }


def measure(backend: str, count: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder, database_url(backend, Path(folder)) as url:
        database = Database(url)
        database.upgrade()
        node = Node(
            settings=Settings(home=Path(folder) / "home"),
            database=database,
            audit=AuditTrail(secrets.token_bytes(32)),
        )
        inspector = Inspector(node, names=NoNames())
        timed(inspector, [request(n, None) for n in range(20)])  # warm-up
        plain = [request(1000 + n, None) for n in range(count)]
        named = [request(5000 + n, str(uuid.uuid4())) for n in range(count)]
        without_id, with_id = [], []
        for asked, named_one in zip(plain, named, strict=True):  # interleaved: same drift
            without_id += timed(inspector, [asked])
            with_id += timed(inspector, [named_one])
        replay = timed(inspector, named)
        inspector.close()
        database.dispose()
    base = statistics.median(without_id)
    return {
        "without_id": figures(without_id),
        "with_id": figures(with_id),
        "replay": figures(replay),
        "with_id_ratio": round(statistics.median(with_id) / base, 3),
        "replay_ratio": round(statistics.median(replay) / base, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=300)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--json", action="store_true", help="one line of JSON")
    args = parser.parse_args()
    results = {backend: measure(backend, args.inspections) for backend in args.backends.split(",")}
    print(json.dumps(results) if args.json else json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
