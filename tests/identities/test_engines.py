"""DuckDB and Spark run the same model on the same sample and propose the same pairs.

Spark runs in local mode in this process (UI off, one shuffle partition), one session
for the module. Each engine trains on its own (u from its own random pairs: the same
seed, not the same sampler), or Spark predicts with the model DuckDB trained (then the
pairs and probabilities are the same). The 100,000-record comparison is marked slow
(bench/linkage.py times it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from passerelle.identities import load_model, predict_links, proposals
from passerelle.identities.engine import spark_session
from passerelle.identities.sample import sample_records, true_pairs


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = spark_session("local[2]", memory="3g")
    session.conf.set("spark.sql.shuffle.partitions", "1")
    yield session
    session.stop()


Found = dict[tuple[str, str], float]


def _pairs(
    records: Any, engine: str, spark: Any = None, trained: dict[str, Any] | None = None
) -> tuple[Found, dict[str, Any]]:
    model = load_model()
    predicted = predict_links(
        records.drop_columns(["person"]), model, engine=engine, spark=spark, trained=trained
    )
    found: Found = {}
    for proposal in proposals(predicted, model):
        key = tuple(sorted((proposal.left.key, proposal.right.key)))
        found[(key[0], key[1])] = proposal.probability
    return found, predicted.trained


def _same_links(duck: Found, sparked: Found) -> None:
    assert set(duck) == set(sparked)
    assert max(abs(duck[pair] - sparked[pair]) for pair in duck) < 1e-6


def test_spark_proposes_the_pairs_duckdb_proposes(spark: Any) -> None:
    records = sample_records(300, seed=7)
    duck, trained = _pairs(records, "duckdb")
    sparked, _ = _pairs(records, "spark", spark)
    assert set(duck) == set(sparked)
    assert all(abs(duck[pair] - sparked[pair]) < 0.02 for pair in duck)  # EM stops a hair apart
    truth = true_pairs(records)
    assert len(set(duck) & truth) >= 0.75 * len(truth)  # a small sample teaches EM little
    _same_links(duck, _pairs(records, "spark", spark, trained)[0])


@pytest.mark.slow
def test_spark_and_duckdb_agree_on_a_hundred_thousand_records(spark: Any) -> None:
    """With DuckDB's trained model Spark proposes the same pairs at the same probabilities;
    training on its own (its own random pairs for u), a pair a hair from the threshold
    may fall on either side."""
    records = sample_records(100_000, seed=7)
    duck, trained = _pairs(records, "duckdb")
    _same_links(duck, _pairs(records, "spark", spark, trained)[0])
    sparked, _ = _pairs(records, "spark", spark)
    both = set(duck) & set(sparked)
    assert len(both) >= 0.99 * len(set(duck) | set(sparked))
    assert all(abs(duck[pair] - sparked[pair]) < 0.02 for pair in both)
