"""A host process writing the audit chain from several threads at once (run as a script).

``python -m tests.hosts.audit_writers THREADS RECORDS``: opens the node of this
host (``PASSERELLE_HOME``, ``PASSERELLE_DATABASE_URL``), starts THREADS writers
that each append RECORDS records, each in its own transaction, and waits for them.
"""

from __future__ import annotations

import sys
import threading

from passerelle.node import open_node
from passerelle.settings import load_settings
from passerelle.store.audit import Actor


def main(threads: int, records: int) -> None:
    start = threading.Barrier(threads)
    failures: list[BaseException] = []
    with open_node(load_settings()) as node:

        def write(number: int) -> None:
            actor = Actor(f"writer.{node.settings.home.name}.{number}", "system")
            start.wait()
            try:
                for _ in range(records):
                    with node.database.write() as session:
                        node.audit.record(
                            session, actor=actor, action="test.write", at=node.clock()
                        )
            except BaseException as exc:  # reported below: the test reads the exit status
                failures.append(exc)

        workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    if failures:
        raise SystemExit(f"{len(failures)} writer(s) failed: {failures[0]!r}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
