"""Writers of one SQLite file take turns: across threads and processes, none fails, none is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from sqlalchemy import text

from passerelle.store import Database
from passerelle.store.sqlite_writers import WriterTurns


def make_database(path: Path) -> Database:
    database = Database(f"sqlite:///{path}")
    with database.write() as session:
        session.execute(text("CREATE TABLE IF NOT EXISTS marks (writer TEXT, n INTEGER)"))
    return database


def marks(database: Database) -> list[tuple[str, int]]:
    with database.read() as session:
        rows = session.execute(text("SELECT writer, n FROM marks ORDER BY writer, n")).all()
    return [(writer, n) for writer, n in rows]


WRITER = textwrap.dedent(
    """
    import sys
    from sqlalchemy import text
    from passerelle.store import Database
    database = Database(f"sqlite:///{sys.argv[1]}")
    for n in range(int(sys.argv[3])):
        with database.write() as session:
            last = session.execute(text("SELECT count(*) FROM marks")).scalar_one()
            insert = text("INSERT INTO marks VALUES (:w, :n)")
            session.execute(insert, {"w": sys.argv[2], "n": last})
    database.dispose()
    """
)


def test_threads_and_processes_writing_at_once_all_land_one_after_the_other(
    tmp_path: Path,
) -> None:
    database = make_database(tmp_path / "node.db")
    processes = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "node.db"), f"p{i}", "40"])
        for i in range(2)
    ]

    def write(name: str) -> None:
        for _ in range(40):
            with database.write() as session:
                last = session.execute(text("SELECT count(*) FROM marks")).scalar_one()
                session.execute(text("INSERT INTO marks VALUES (:w, :n)"), {"w": name, "n": last})

    threads = [threading.Thread(target=write, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [process.wait(timeout=120) for process in processes] == [0, 0]

    stored = marks(database)
    assert len(stored) == 6 * 40
    # each writer saw every earlier write: the counts it read are all different
    assert sorted(n for _, n in stored) == list(range(6 * 40))
    database.dispose()


HOLDER = textwrap.dedent(
    """
    import sys
    from passerelle.store import Database
    database = Database(f"sqlite:///{sys.argv[1]}")
    with database.write():
        print("holding", flush=True)
        sys.stdin.readline()
    """
)


def test_a_writer_waits_while_another_process_holds_its_turn(tmp_path: Path) -> None:
    database = make_database(tmp_path / "node.db")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "node.db")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdin is not None
    assert holder.stdout.readline().strip() == "holding"
    entered = threading.Event()

    def write() -> None:
        with database.write() as session:
            entered.set()
            session.execute(text("INSERT INTO marks VALUES ('late', 0)"))

    writer = threading.Thread(target=write)
    writer.start()
    assert not entered.wait(0.5)  # still the other process's turn
    holder.stdin.write("\n")
    holder.stdin.flush()
    assert holder.wait(timeout=30) == 0
    writer.join(timeout=30)
    assert entered.is_set()
    assert marks(database) == [("late", 0)]
    database.dispose()


def test_the_turns_are_kept_in_a_file_beside_the_database_and_memory_needs_none(
    tmp_path: Path,
) -> None:
    database = make_database(tmp_path / "node.db")
    assert (tmp_path / "node.db-writers").exists()
    database.dispose()
    memory = Database("sqlite://")
    with memory.write() as session:
        session.execute(text("CREATE TABLE marks (writer TEXT, n INTEGER)"))
        session.execute(text("INSERT INTO marks VALUES ('memory', 0)"))
    assert marks(memory) == [("memory", 0)]
    memory.dispose()


def test_databases_on_one_file_share_its_turns_so_a_nested_turn_never_waits_for_itself(
    tmp_path: Path,
) -> None:
    path = tmp_path / "node.db"
    first, second = make_database(path), Database(f"sqlite:///{path}")
    one, other = WriterTurns.of(path), WriterTurns.of(tmp_path / "." / "node.db")
    assert one is other
    done = threading.Event()

    def nested() -> None:
        with one.turn(), other.turn():  # a second flock on another descriptor would hang
            done.set()

    worker = threading.Thread(target=nested, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert done.is_set()
    for turns in (one, other):
        turns.release()
    first.dispose()
    second.dispose()
    assert WriterTurns.of(path) is not one  # the last user gone, the file's turns were closed
