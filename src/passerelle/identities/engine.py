"""Running the linkage model on DuckDB or Spark, and reading its predictions as proposals.

:func:`predict_links` trains the Fellegi-Sunter model of :mod:`.model` on the identity
table and scores the blocked pairs:

1. the prior (``estimate_probability_two_random_records_match``) from the
   deterministic rules and their assumed recall;
2. ``u`` from random pairs (``estimate_u_using_random_sampling``, seeded);
3. ``m`` by expectation maximisation on each training block that holds pairs;
4. ``predict`` at the threshold.

The same settings run on ``duckdb`` (in process) or ``spark`` (local mode by default,
a cluster by ``spark_master``); Splink writes the SQL in each engine's dialect.
:func:`proposals` turns the predictions into :class:`LinkProposal` with their evidence,
leaving out the pairs that are one document under one name and birth date (the same
identity read twice, not two identities).
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from splink import DuckDBAPI, Linker, block_on

from passerelle.exc import InvalidInput
from passerelle.identities.model import LinkageModel
from passerelle.records.identity_links import LinkEnd, LinkProposal

__all__ = [
    "ENGINES",
    "Predictions",
    "checked_engine",
    "predict_links",
    "proposals",
    "spark_session",
]

ENGINES = ("duckdb", "spark")
DUCKDB_MEMORY = "4GB"
"""DuckDB's memory limit for a run: past it, it spills to its temporary folder."""
_AGREEING_NAMES = frozenset({"same spelling", "same name across spellings and scripts"})


def checked_engine(value: str) -> str:
    """``duckdb`` or ``spark``; ``InvalidInput`` naming ``engine`` otherwise."""
    engine = (value or "").strip().lower()
    if engine not in ENGINES:
        raise InvalidInput("engine", "must be duckdb or spark")
    return engine


@dataclass(frozen=True, slots=True)
class Predictions:
    """The pairs at or above the threshold, and what the trained model says per level."""

    pairs: pa.Table
    parameters: dict[str, Any]
    trained: dict[str, Any] = field(default_factory=dict)
    """The trained model as Splink writes it (``save_model_to_json``): given back to
    :func:`predict_links` as ``trained``, another engine predicts with the same ``m``,
    ``u`` and prior, without training."""


def spark_session(master: str = "local[2]", *, memory: str = "2g") -> Any:
    """A Spark session for Splink (its similarity jar loaded, the UI off).

    Splink runs many small queries (tens of jobs per EM iteration, a few per u
    comparison), so each job's fixed cost is what counts: few shuffle partitions, no
    adaptive execution (it splits each query into more jobs), Arrow between Python and
    the JVM."""
    import sys

    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(master)
        .appName("passerelle-linkage")
        .config("spark.ui.enabled", "false")
        .config("spark.pyspark.python", sys.executable)  # the workers import pyspark too
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "4")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.adaptive.enabled", "false")  # its query stages: 3x the jobs
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
        .getOrCreate()
    )


def _trainable(records: pa.Table, columns: tuple[str, ...]) -> bool:
    """Whether some two records share ``columns`` (EM on an empty block fails)."""
    con = duckdb.connect()
    con.register("records", records)
    joined = " AND ".join(f"{column} IS NOT NULL" for column in columns)
    found = con.execute(
        f"SELECT 1 FROM records WHERE {joined} GROUP BY {', '.join(columns)} "
        "HAVING count(*) > 1 LIMIT 1"
    ).fetchall()
    con.close()
    return bool(found)


def _database_api(engine: str, spark: Any) -> Any:
    if engine == "duckdb":
        con = duckdb.connect(
            config={"memory_limit": DUCKDB_MEMORY, "preserve_insertion_order": False}
        )
        return DuckDBAPI(connection=con)
    from splink.backends.spark import SparkAPI

    return SparkAPI(  # type: ignore[no-untyped-call]
        spark_session=spark, break_lineage_method="persist"
    )


def _registered(db_api: Any, records: pa.Table, engine: str, spark: Any, folder: str) -> Any:
    """The records as Splink's input table. On Spark, read from a Parquet file in
    ``folder``: registered as the Arrow table itself, every task of every query would
    carry the rows in its plan (8 MB a task at 100,000 records)."""
    if engine == "duckdb":
        return db_api.register(records)
    path = Path(folder) / "records.parquet"
    pq.write_table(records, path)
    frame = spark.read.parquet(str(path)).persist()
    frame.count()
    return db_api.register(frame)


def predict_links(
    records: pa.Table,
    model: LinkageModel,
    *,
    engine: str = "duckdb",
    spark: Any = None,
    trained: dict[str, Any] | None = None,
) -> Predictions:
    """Train the model on ``records`` (the identity table) and predict the pairs at or
    above its threshold, on ``engine`` (``spark`` needs a session: :func:`spark_session`).

    ``trained`` (:attr:`Predictions.trained` of an earlier run): predict with that trained
    model, without training (the model's threshold still applies)."""
    engine = checked_engine(engine)
    logging.getLogger("splink").setLevel(logging.ERROR)
    if records.num_rows < 2:
        return Predictions(pa.table({}), {})
    if engine == "spark" and spark is None:
        spark = spark_session()
    db_api = _database_api(engine, spark)
    with tempfile.TemporaryDirectory(prefix="passerelle-linkage-") as folder:
        table_in = _registered(db_api, records, engine, spark, folder)
        linker = Linker(table_in, model.settings())
        if trained is None:
            _train(linker, records, model)
        else:
            settings = _with_parameters(linker.misc.save_model_to_json(), trained)
            linker = Linker(table_in, settings)
        predicted = linker.inference.predict(threshold_match_probability=model.threshold)
        table = predicted.as_pyarrow_table()  # type: ignore[no-untyped-call]
        return Predictions(table, _parameters(linker), linker.misc.save_model_to_json())


def _train(linker: Linker, records: pa.Table, model: LinkageModel) -> None:
    """The prior, ``u`` by random pairs (seeded), then ``m`` by EM per training block."""
    rules: list[str | Any] = [rule for rule in model.prior_rules if _rule_finds(records, rule)]
    if rules:
        linker.training.estimate_probability_two_random_records_match(
            rules, recall=model.prior_recall
        )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=model.u_max_pairs, seed=model.u_seed, num_chunks=model.u_chunks
    )
    for block in model.training_blocks:
        if _trainable(records, block):
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*block), estimate_without_term_frequencies=True
            )


def _with_parameters(settings: dict[str, Any], trained: dict[str, Any]) -> dict[str, Any]:
    """``settings`` (in this engine's SQL dialect) with ``trained``'s prior and each
    level's ``m`` and ``u`` (another engine's run of the same model: the same levels in
    the same order)."""
    settings["probability_two_random_records_match"] = trained[
        "probability_two_random_records_match"
    ]
    for mine, theirs in zip(settings["comparisons"], trained["comparisons"], strict=True):
        for level, learnt in zip(
            mine["comparison_levels"], theirs["comparison_levels"], strict=True
        ):
            for key in ("m_probability", "u_probability", "tf_adjustment_weight"):
                if key in learnt:
                    level[key] = learnt[key]
                else:
                    level.pop(key, None)
    return settings


def _rule_finds(records: pa.Table, rule: str) -> bool:
    columns = sorted({part.split(".")[1].split()[0] for part in rule.split() if "." in part})
    return _trainable(records, tuple(columns))


def _parameters(linker: Linker) -> dict[str, Any]:
    """The trained model's ``m``/``u`` per level, as the run keeps them."""
    settings = linker.misc.save_model_to_json()
    out: dict[str, Any] = {
        "probability_two_random_records_match": settings.get("probability_two_random_records_match")
    }
    for comparison in settings.get("comparisons", []):
        out[comparison["output_column_name"]] = [
            {
                "level": level.get("label_for_charts"),
                "m": level.get("m_probability"),
                "u": level.get("u_probability"),
            }
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        ]
    return out


def _weight(row: dict[str, Any], field: str) -> float | None:
    """The comparison's match weight (log2 of its Bayes factor, term frequencies included):
    Splink 5 names it ``mw_<field>`` (``bf_<field>`` before)."""
    weight = row.get(f"mw_{field}")
    if weight is None:
        factor = row.get(f"bf_{field}")
        if factor is None or factor <= 0 or math.isinf(factor):
            return None
        weight = math.log2(factor)
    weight = float(weight) + float(row.get(f"mw_tf_adj_{field}") or 0.0)
    return None if math.isinf(weight) or math.isnan(weight) else round(weight, 2)


def proposals(predictions: Predictions, model: LinkageModel) -> Iterator[LinkProposal]:
    """The predicted pairs as link proposals, with each comparison's level and weight."""
    fields = [comparison.field for comparison in model.comparisons]
    for row in predictions.pairs.to_pylist():
        levels = {field: model.level_label(field, int(row[f"gamma_{field}"])) for field in fields}
        if _same_identity(levels):
            continue
        comparisons = [
            {"field": field, "level": levels[field], "weight": _weight(row, field)}
            for field in fields
        ]
        probability = min(max(float(row["match_probability"]), 0.0), 1.0)
        yield LinkProposal(
            left=LinkEnd(row["kind_l"], row["ref_l"]),
            right=LinkEnd(row["kind_r"], row["ref_r"]),
            probability=round(probability, 6),
            evidence={
                "comparisons": comparisons,
                "match_weight": round(float(row["match_weight"]), 2),
                "probability": round(probability, 6),
                "model": "fellegi-sunter (splink)",
            },
        )


def _same_identity(levels: dict[str, str]) -> bool:
    """One document read under one name and birth date: the same identity, not a link."""
    return (
        levels.get("document") == "same document"
        and levels.get("name") in _AGREEING_NAMES
        and levels.get("birth_date") in ("same birth date", "birth year unknown")
    )
