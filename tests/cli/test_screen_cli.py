"""``passerelle screen``: one name or a batch against the node's active watchlist, audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.cli.conftest import Run
from tests.cli.test_watchlist_cli import audit_actions
from tests.store.test_watchlist import person
from tests.store.test_watchlist import write_lines as jsonl


def loaded(run: Run, tmp_path: Path) -> None:
    path = jsonl(
        tmp_path / "w.jsonl",
        person("W1"),
        person("W2", names=["Youssef Zerhouni"], birth_date="1979"),
        person("W3", names=["Karim Haddad"], birth_date="1970-01-01"),
    )
    assert run("watchlist", "load", str(path)).returncode == 0
    assert run("watchlist", "withdraw", "W3", "--reason", "arrested").returncode == 0


def test_one_name_in_arabic_script_finds_the_listed_person_and_exits_one(
    run: Run, tmp_path: Path
) -> None:
    loaded(run, tmp_path)
    done = run(
        "screen", "--purpose", "test", "--name", "محمد بن علي", "--dob", "1985-03-02", "--json"
    )
    assert done.returncode == 1, done.stderr
    (line,) = done.stdout.splitlines()
    result = json.loads(line)
    assert [match["id"] for match in result["matches"]] == ["W1"]
    assert result["matches"][0]["reasons"]


def test_no_match_exits_zero_and_a_withdrawn_person_is_not_screened(
    run: Run, tmp_path: Path
) -> None:
    loaded(run, tmp_path)
    done = run("screen", "--purpose", "test", "--name", "Karim Haddad", "--dob", "1970-01-01")
    assert done.returncode == 0, done.stdout
    assert "no watchlist match" in done.stdout


def test_a_batch_prints_one_line_per_query_in_order_and_is_audited_once(
    run: Run, tmp_path: Path, node_home: Callable[[], Path]
) -> None:
    loaded(run, tmp_path)
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        "\n".join(
            json.dumps(query, ensure_ascii=False)
            for query in (
                {"qid": "a", "name": "BENALI<<MOHAMED", "birth_date": "1985-03-02"},
                {"qid": "b", "name": "Jean Dupont"},
                {"qid": "c", "name": "Yusuf Zarhouni", "birth_date": "1979", "nationality": "MAR"},
            )
        )
        + "\n",
        encoding="utf-8",
    )
    done = run("screen", "--batch", str(queries), "--purpose", "pre-arrival check, flight AT202")
    assert done.returncode == 1, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["qid"] for r in results] == ["a", "b", "c"]
    assert [[m["id"] for m in r["matches"]] for r in results] == [["W1"], [], ["W2"]]
    assert all(0.0 <= m["score"] <= 1.0 for r in results for m in r["matches"])
    assert audit_actions(node_home())[-1] == ("watchlist.search", "pre-arrival check, flight AT202")


def test_a_bad_batch_line_is_named_and_nothing_is_screened(run: Run, tmp_path: Path) -> None:
    loaded(run, tmp_path)
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"qid": "a", "name": "Ali"}\n{"qid": "b", "nom": "Ali"}\n')
    done = run("screen", "--purpose", "test", "--batch", str(queries))
    assert done.returncode == 2
    assert "line 2: nom: unknown field" in done.stderr
    assert done.stdout == ""


def test_name_and_batch_together_or_neither_is_a_usage_error(run: Run) -> None:
    assert run("screen").returncode == 2
    assert run("screen", "--name", "Ali", "--batch", "x.jsonl").returncode == 2
