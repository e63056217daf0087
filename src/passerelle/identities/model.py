"""The linkage model as data (``model.json``), and Splink settings made from it.

The JSON file names the comparisons, their levels in decreasing order of agreement,
the blocking rules, the training blocks, the prior and the threshold; the same file
makes the same Splink model on DuckDB and on Spark (Splink writes each level's SQL
in the engine's dialect; the ``sql`` levels use only ``substr``, ``=`` and
``IS NULL``, which both engines read alike).

A level is one of:

================  ============================================================
``null``          the column is null on either side (no evidence either way)
``exact``         the column is equal (``term_frequency``: weighed by how common
                  the value is, so that a common name says less than a rare one)
``jaro_winkler``  Jaro-Winkler similarity of the column at or above ``threshold``
``sql``           a condition on ``<column>_l`` and ``<column>_r``
``else``          anything else; ``neutral``: fixed at a Bayes factor of 1
================  ============================================================

>>> model = load_model()
>>> [c.field for c in model.comparisons]
['name', 'birth_date', 'nationality', 'sex', 'document', 'face']
>>> model.level_label("birth_date", 3)
'day and month transposed'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import splink.comparison_level_library as cll
from splink import SettingsCreator, block_on
from splink.comparison_library import CustomComparison
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from passerelle.exc import InvalidInput

__all__ = ["Comparison", "Level", "LinkageModel", "load_model"]

_KINDS = frozenset({"null", "exact", "jaro_winkler", "sql", "else"})


@dataclass(frozen=True, slots=True)
class Level:
    """One comparison level, as the JSON file writes it."""

    kind: str
    label: str
    column: str | None = None
    sql: str | None = None
    threshold: float | None = None
    term_frequency: bool = False
    neutral: bool = False
    null: bool = False
    m: float | None = None
    """A fixed m probability (EM leaves it): what the node knows of how often one person's
    two records fall in this level, where a block of namesakes would mislead EM."""
    u: float | None = None
    """A fixed u probability: how often two different persons fall in this level, where
    random pairs cannot tell (two faces at the calibrated threshold: its false-match rate)."""

    def creator(self) -> ComparisonLevelCreator:
        """The Splink level this one is."""
        made: ComparisonLevelCreator
        if self.kind == "null":
            made = cll.NullLevel(self._column())
        elif self.kind == "exact":
            made = cll.ExactMatchLevel(self._column(), term_frequency_adjustments=False)
            if self.term_frequency:
                made = made.configure(tf_adjustment_column=self._column())
        elif self.kind == "jaro_winkler":
            made = cll.JaroWinklerLevel(self._column(), self.threshold or 0.9)
        elif self.kind == "sql":
            made = cll.CustomLevel(self.sql or "")
            if self.null:
                made = made.configure(is_null_level=True)
        else:
            made = cll.ElseLevel()
        made = made.configure(label_for_charts=self.label)
        if self.m is not None:
            made = made.configure(m_probability=self.m, fix_m_probability=True)
        if self.u is not None:
            made = made.configure(u_probability=self.u, fix_u_probability=True)
        if self.neutral:
            made = made.configure(
                m_probability=0.5, u_probability=0.5, fix_m_probability=True, fix_u_probability=True
            )
        return made

    def _column(self) -> str:
        if not self.column:
            raise InvalidInput("column", f"the {self.kind} level {self.label!r} names no column")
        return self.column


@dataclass(frozen=True, slots=True)
class Comparison:
    """One field's comparison: its levels, most agreeing first (the null level first)."""

    field: str
    levels: tuple[Level, ...]

    def creator(self) -> CustomComparison:
        return CustomComparison(
            [level.creator() for level in self.levels], output_column_name=self.field
        )


@dataclass(frozen=True, slots=True)
class LinkageModel:
    """The whole model: comparisons, blocking, training, prior and threshold."""

    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[tuple[str, ...], ...]
    training_blocks: tuple[tuple[str, ...], ...]
    prior_rules: tuple[str, ...]
    prior_recall: float
    u_max_pairs: int
    u_seed: int
    threshold: float
    u_chunks: int = 1
    """How many chunks Splink splits the random pairs into for u. One: every comparison
    counts all ``u_max_pairs`` pairs (no early stop after a chunk, which made u depend on
    chunk order, and a Spark job per chunk)."""

    def settings(self) -> SettingsCreator:
        """Splink's settings for a dedupe of the identity table (``record_key``)."""
        return SettingsCreator(
            link_type="dedupe_only",
            unique_id_column_name="record_key",
            comparisons=[comparison.creator() for comparison in self.comparisons],
            blocking_rules_to_generate_predictions=[
                block_on(*columns) for columns in self.blocking_rules
            ],
            retain_matching_columns=True,
            retain_intermediate_calculation_columns=True,
            additional_columns_to_retain=["kind", "ref", "given_key", "family_key"],
            max_iterations=25,
        )

    def level_label(self, field: str, gamma: int) -> str:
        """The label of ``field``'s level numbered ``gamma`` (Splink's numbering: -1 the
        null level, then the highest number the most agreeing level)."""
        for comparison in self.comparisons:
            if comparison.field == field:
                levels = comparison.levels
                if gamma < 0:
                    return levels[0].label
                others = levels[1:]
                return others[len(others) - 1 - gamma].label
        raise InvalidInput("field", f"{field!r} is not a comparison of the model")

    def with_threshold(self, threshold: float | None) -> LinkageModel:
        """The model with another threshold (``None``: this one)."""
        if threshold is None:
            return self
        return _replace_threshold(self, threshold)


def _replace_threshold(model: LinkageModel, threshold: float) -> LinkageModel:
    if not 0.0 < threshold < 1.0:
        raise InvalidInput("threshold", "must be a probability between 0 and 1 (exclusive)")
    from dataclasses import replace

    return replace(model, threshold=threshold)


def _level(data: dict[str, Any], field: str) -> Level:
    kind = data.get("kind")
    if kind not in _KINDS:
        raise InvalidInput("kind", f"{kind!r} in {field!r} is not one of {sorted(_KINDS)}")
    label = data.get("label") or f"{data.get('column') or field} unknown"
    return Level(
        kind=kind,
        label=label,
        column=data.get("column"),
        sql=data.get("sql"),
        threshold=data.get("threshold"),
        term_frequency=bool(data.get("term_frequency")),
        neutral=bool(data.get("neutral")),
        null=bool(data.get("null")) or kind == "null",
        m=data.get("m"),
        u=data.get("u"),
    )


def load_model(path: Path | None = None) -> LinkageModel:
    """The model in ``path`` (default: the package's ``model.json``)."""
    if path is None:
        text = resources.files("passerelle.identities").joinpath("model.json").read_text()
    else:
        text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    comparisons = tuple(
        Comparison(item["field"], tuple(_level(level, item["field"]) for level in item["levels"]))
        for item in data["comparisons"]
    )
    model = LinkageModel(
        comparisons=comparisons,
        blocking_rules=tuple(tuple(rule) for rule in data["blocking_rules"]),
        training_blocks=tuple(tuple(rule) for rule in data["training_blocks"]),
        prior_rules=tuple(data["prior"]["rules"]),
        prior_recall=float(data["prior"]["recall"]),
        u_max_pairs=int(data["u_sampling"]["max_pairs"]),
        u_seed=int(data["u_sampling"]["seed"]),
        u_chunks=int(data["u_sampling"].get("chunks", 1)),
        threshold=0.5,
    )
    return _replace_threshold(model, float(data["threshold"]))
