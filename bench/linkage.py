"""Multiple-identity linkage: the Splink model on DuckDB against the exact-key baseline.

What it measures
    ``passerelle.identities``' model (``model.json``: Fellegi-Sunter, u by random
    sampling, EM on the training blocks, prediction at the threshold) trained and run on
    DuckDB over ``--persons`` persons' identity records, with ``--crossings`` crossings
    generated in DuckDB and counted per document as each record's evidence (not timed).
    Reported: the run's wall time (training and prediction, not the generation), the
    process's peak resident memory (``resource.getrusage``), and the precision and recall
    of the planted identity links (every pair of one person's identities).

The peer, measured in the same run on the same records
    The exact-key baseline a rule engine would use: two records are one person when
    they have the same name key (the name engine's skeletons, across scripts) and the
    same birth date; a DuckDB self-join. Its precision and recall against the same truth.

Spark
    With ``--spark N`` (default 100,000; 0 skips it) the same model runs on DuckDB and on
    Spark in local mode (``--spark-memory`` driver) over an N-person sample, twice: Spark
    predicting with the model DuckDB trained (the same parameters: the comparison of the
    engines' prediction alone), and Spark training on its own (u from its own random
    pairs). Each: the wall time, the agreement of the two sets of pairs (Jaccard) and the
    largest probability difference on the pairs both propose.

The data (``passerelle.identities.sample``, seeded)
    Each person has one identity; ``--planted`` of them a second one: the name spelt
    another way or in Arabic script, another document number and nationality, sometimes
    the birth date's day and month transposed or the day shifted by one to three days,
    sometimes (half of those with a face) the same face. ``--namesakes`` persons (at most
    365) are all called Mohamed Ali in three spellings, born in 1985 on different days:
    they must not be linked.

Targets (issue 20): at 1,000,000 records, at most 15 min, at most 8 GiB, precision at
least 0.95, recall at least 0.90.

    .venv/bin/python bench/linkage.py --persons 1000000 --crossings 10000000
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from typing import Any

import duckdb

from passerelle.identities import load_model, predict_links, proposals
from passerelle.identities.sample import sample_records, true_pairs


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, float]:
    hit = len(found & truth)
    return {
        "pairs": len(found),
        "precision": round(hit / len(found), 4) if found else 0.0,
        "recall": round(hit / len(truth), 4) if truth else 0.0,
    }


Pairs = set[tuple[str, str]]


THRESHOLD: list[float | None] = [None]


def _model_run(
    records: Any, engine: str, spark: Any = None, trained: dict[str, Any] | None = None
) -> tuple[dict[tuple[str, str], float], float, dict[str, Any]]:
    """The pairs proposed with their probabilities, the seconds taken, the trained model."""
    model = load_model().with_threshold(THRESHOLD[0])
    started = time.perf_counter()
    predicted = predict_links(
        records.drop_columns(["person"]), model, engine=engine, spark=spark, trained=trained
    )
    found = {}
    for proposal in proposals(predicted, model):
        a, b = sorted((proposal.left.key, proposal.right.key))
        found[(a, b)] = proposal.probability
    return found, time.perf_counter() - started, predicted.trained


def _model_pairs(records: Any, engine: str) -> tuple[Pairs, float]:
    found, seconds, _ = _model_run(records, engine)
    return set(found), seconds


def _agreement(
    duck: dict[tuple[str, str], float], sparked: dict[tuple[str, str], float], seconds: float
) -> dict[str, Any]:
    union = set(duck) | set(sparked)
    both = set(duck) & set(sparked)
    return {
        "spark_s": round(seconds, 1),
        "pairs": len(sparked),
        "agreement_jaccard": round(len(both) / len(union), 4) if union else 1.0,
        "max_probability_difference": max((abs(duck[p] - sparked[p]) for p in both), default=0),
    }


def _baseline(records: Any) -> tuple[set[tuple[str, str]], float]:
    con = duckdb.connect()
    con.register("records", records)
    started = time.perf_counter()
    rows = con.execute(
        "SELECT l.record_key, r.record_key FROM records l JOIN records r "
        "ON l.name_key = r.name_key AND l.birth_date = r.birth_date "
        "AND l.record_key < r.record_key"
    ).fetchall()
    return {(a, b) for a, b in rows}, time.perf_counter() - started


def _crossings(records: Any, count: int, seed: int) -> float:
    """Generate ``count`` crossings over the records' documents in DuckDB, count them per
    document (the evidence a link shows); seconds taken."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})").fetchall()
    con.register("records", records)
    con.execute(
        "CREATE TABLE docs AS SELECT row_number() OVER () - 1 AS n, document FROM records "
        "WHERE document IS NOT NULL"
    ).fetchall()
    ((documents,),) = con.execute("SELECT count(*) FROM docs").fetchall()
    con.execute(
        f"CREATE TABLE crossings AS SELECT (random() * {documents})::BIGINT AS n, "
        "CASE WHEN random() < 0.5 THEN 'entry' ELSE 'exit' END AS direction "
        f"FROM range({count})"
    ).fetchall()
    con.execute(
        "CREATE TABLE per_document AS SELECT d.document, count(*) AS crossings "
        "FROM crossings c JOIN docs d USING (n) GROUP BY d.document"
    ).fetchall()
    con.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--crossings", type=int, default=10_000_000)
    parser.add_argument("--planted", type=float, default=0.05)
    parser.add_argument("--namesakes", type=int, default=365)
    parser.add_argument("--spark", type=int, default=100_000, help="Spark sample (0: none).")
    parser.add_argument("--spark-memory", default="3g", help="Spark driver memory.")
    parser.add_argument("--seed", type=int, default=9303)
    parser.add_argument("--threshold", type=float, help="Another threshold (model.json's).")
    parser.add_argument("--json", action="store_true", help="JSON output (the only kind).")
    args = parser.parse_args()
    THRESHOLD[0] = args.threshold

    started = time.perf_counter()
    records = sample_records(args.persons, seed=args.seed, planted=args.planted,
                             namesakes=args.namesakes)  # fmt: skip
    generated = time.perf_counter() - started
    crossing_s = _crossings(records, args.crossings, args.seed)
    truth = true_pairs(records)
    found, model_s = _model_pairs(records, "duckdb")
    peak = _peak_gib()
    base, base_s = _baseline(records)
    report: dict[str, Any] = {
        "records": records.num_rows,
        "threshold": load_model().with_threshold(args.threshold).threshold,
        "planted_pairs": len(truth),
        "generation_s": round(generated, 1),
        "crossings": args.crossings,
        "crossings_s": round(crossing_s, 1),
        "duckdb": {"run_s": round(model_s, 1), "peak_rss_gib": round(peak, 2),
                   **_scores(found, truth)},
        "exact_key_baseline": {"run_s": round(base_s, 1), **_scores(base, truth)},
    }  # fmt: skip
    print(json.dumps(report, indent=2), flush=True)
    if args.spark:
        from passerelle.identities.engine import spark_session

        del records, found, base, truth

        sample = sample_records(args.spark, seed=args.seed + 1, planted=args.planted,
                                namesakes=args.namesakes)  # fmt: skip
        duck, duck_s, trained = _model_run(sample, "duckdb")
        started = time.perf_counter()
        spark = spark_session("local[2]", memory=args.spark_memory)
        session_s = time.perf_counter() - started
        with_duckdb_model = _agreement(duck, *_model_run(sample, "spark", spark, trained)[:2])
        own = _model_run(sample, "spark", spark)
        spark.stop()
        report["spark"] = {
            "records": sample.num_rows,
            "duckdb_s": round(duck_s, 1),
            "duckdb_pairs": len(duck),
            "session_start_s": round(session_s, 1),
            "predict_with_duckdb_trained_model": with_duckdb_model,
            "train_and_predict": {
                **_agreement(duck, own[0], own[1]),
                **_scores(set(own[0]), true_pairs(sample)),
            },
        }
        print(json.dumps(report["spark"], indent=2))


if __name__ == "__main__":
    main()
