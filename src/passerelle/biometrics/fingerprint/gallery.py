"""1:N fingerprint search: triangle codes pick a short list, BOZORTH3 decides.

The gallery keeps, for every enrolled template, its triangle codes
(``descriptor``) in an inverted index: for each of the 262,144 codes, the
prints holding it and the turn of each triangle. A search gathers the
postings of the probe's codes, counts turn-consistent votes per print with
one ``numpy.bincount``, and runs BOZORTH3 only on the ``shortlist`` best
prints. Templates added after the index was built wait in a small second
index, merged into the main one once it holds a fifth as many triangles;
removed templates are masked at once and dropped at the next merge.

>>> from passerelle.biometrics.fingerprint.extract import extract_template
>>> from passerelle.biometrics.fingerprint.synthetic import generate_master, render_impression
>>> gallery = FingerprintGallery()
>>> for seed in (11, 12, 13):
...     gallery.add(f"finger-{seed}", extract_template(render_impression(generate_master(seed), 0)))
>>> probe = extract_template(render_impression(generate_master(12), 1))
>>> [c.id for c in gallery.search(probe) if c.is_match]
['finger-12']
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from passerelle.biometrics.container import Container, open_container, save_container
from passerelle.biometrics.fingerprint.compare import compare_prepared, prepare
from passerelle.biometrics.fingerprint.descriptor import (
    CODE_COUNT,
    TURN_BINS,
    probe_codes,
    triangle_codes,
)
from passerelle.biometrics.fingerprint.templates import FingerprintTemplate, require_comparable
from passerelle.exc import InvalidInput

__all__ = [
    "COMMON_SHARE",
    "SEARCH_THRESHOLD",
    "SHORTLIST",
    "FingerprintCandidate",
    "FingerprintGallery",
]

SHORTLIST = 50
"""Prints BOZORTH3 compares per search, the best by triangle votes."""
SEARCH_THRESHOLD = 64
"""BOZORTH3 score at or above which a search reports a candidate as a match.

Each search compares the probe with ``SHORTLIST`` prints, so its chance of a
false match is up to ``SHORTLIST`` times the 1:1 false match rate: the 1:1
``MATCH_THRESHOLD`` (FMR 4.7e-4) would flag a stranger in about one search in
40. 64 is one above the highest of 114,240 non-mated scores in the
calibration run (see ``compare.MATCH_THRESHOLD``), so FMR < 2.6e-5 (rule of
three, 95 %): with a short list of 50, at most one search in 800 would end
in a false match if short-listed prints scored like random ones. They are
chosen for resembling the probe, so the true rate may be higher:
``bench/finger_match.py`` counts false matches in searches for fingers that
are not enrolled. The cost: an FNMR of 1.8 % (13 of 720 mated pairs score
below 64).
"""
COMMON_SHARE = 0.07
"""Triangle codes with more postings than this share of the enrolled prints are not looked up."""
_MIN_COMMON = 1000
_MERGE_SHARE = 0.2
_SCORE_PRIOR = 50.0
"""Added to a print's triangle count before the square root that scales its votes."""
FORMAT_VERSION = 1
_MAGIC = b"PSRLFPG\x00"


@dataclass(frozen=True, slots=True)
class FingerprintCandidate:
    """One enrolled finger a probe may be, with its BOZORTH3 score and shortlist votes."""

    id: str
    score: int
    votes: float
    is_match: bool
    """The score reaches the threshold of the search."""


class _Postings:
    """Triangle postings sorted by code: slots and turns, with each code's start."""

    __slots__ = ("slots", "starts", "turns")

    def __init__(
        self,
        codes: npt.NDArray[np.int32],
        slots: npt.NDArray[np.int32],
        turns: npt.NDArray[np.uint8],
    ) -> None:
        order = np.argsort(codes, kind="stable")
        self.slots = slots[order]
        self.turns = turns[order]
        counts = np.bincount(codes, minlength=CODE_COUNT)
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    def __len__(self) -> int:
        return len(self.slots)

    @classmethod
    def restored(
        cls,
        slots: npt.NDArray[np.int32],
        turns: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.int64],
    ) -> _Postings:
        """Postings as :meth:`FingerprintGallery.save` wrote them (already sorted)."""
        postings = cls.__new__(cls)
        postings.slots, postings.turns, postings.starts = slots, turns, starts
        return postings

    def counts(self, codes: npt.NDArray[np.int32]) -> npt.NDArray[np.int64]:
        """Postings per code."""
        counts: npt.NDArray[np.int64] = self.starts[codes + 1] - self.starts[codes]
        return counts

    def gather(
        self, codes: npt.NDArray[np.int32]
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32], npt.NDArray[np.uint8]]:
        """For each posting of ``codes``: which probe code it answers, its slot and turn."""
        low = self.starts[codes]
        counts = self.starts[codes + 1] - low
        total = int(counts.sum())
        which = np.repeat(np.arange(len(codes)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        at = low[which] + offsets
        return which, self.slots[at], self.turns[at]


class FingerprintGallery:
    """Enrolled fingerprint templates, searchable 1:N by id."""

    def __init__(self, *, shortlist: int = SHORTLIST) -> None:
        self._shortlist = shortlist
        self._ids: list[str] = []
        self._templates: list[FingerprintTemplate | None] = []
        self._slot_of: dict[str, int] = {}
        self._sizes: list[int] = []
        self._main: _Postings | None = None
        self._pending: list[tuple[int, npt.NDArray[np.int32], npt.NDArray[np.uint8]]] = []
        self._recent: _Postings | None = None
        self._recent_dirty = False
        self._alive = np.zeros(0, dtype=bool)
        self._size_array = np.zeros(0, dtype=np.float64)

    def __len__(self) -> int:
        return len(self._slot_of)

    def __contains__(self, id: object) -> bool:
        return id in self._slot_of

    @property
    def comparable(self) -> bool:
        """Every enrolled template compares with this node's probes (none from an old extractor)."""
        return all(t.comparable for t in self._templates if t is not None)

    @property
    def index_nbytes(self) -> int:
        """Memory held by the triangle index (postings and code offsets), in bytes."""
        return sum(
            p.slots.nbytes + p.turns.nbytes + p.starts.nbytes
            for p in (self._main, self._recent)
            if p is not None
        )

    def add(self, id: str, template: FingerprintTemplate) -> None:
        """Enrol ``template`` under ``id`` (replacing what ``id`` held)."""
        self.add_many([(id, template)])

    def add_many(self, items: Iterable[tuple[str, FingerprintTemplate]]) -> None:
        """Enrol many templates at once (one index update instead of one per template)."""
        for id, template in items:
            require_comparable(template)
            if id in self._slot_of:
                self.remove(id)
            found = triangle_codes(template.record())
            slot = len(self._ids)
            self._ids.append(id)
            self._templates.append(template)
            self._slot_of[id] = slot
            self._sizes.append(len(found.codes))
            self._pending.append((slot, found.codes, found.turns))
        self._recent_dirty = True

    def remove(self, id: str) -> None:
        """Withdraw ``id``; raises ``InvalidInput("id", ...)`` if it is not enrolled."""
        slot = self._slot_of.pop(id, None)
        if slot is None:
            raise InvalidInput("id", "not enrolled in this gallery")
        self._templates[slot] = None
        if slot < len(self._alive):
            self._alive[slot] = False

    def shortlist(self, probe: FingerprintTemplate, size: int) -> list[tuple[str, float]]:
        """The ``size`` enrolled ids with most turn-consistent shared triangles, best first."""
        require_comparable(probe, "probe")
        votes = self._votes(probe)
        size = min(size, len(self._slot_of))
        if size <= 0:
            return []
        best = np.argpartition(-votes, size - 1)[:size]
        best = best[np.argsort(-votes[best], kind="stable")]
        return [(self._ids[s], float(votes[s])) for s in best if votes[s] > -np.inf]

    def search(
        self,
        probe: FingerprintTemplate,
        *,
        top: int = 10,
        threshold: int = SEARCH_THRESHOLD,
        shortlist: int | None = None,
    ) -> list[FingerprintCandidate]:
        """The ``top`` enrolled fingers closest to ``probe`` by BOZORTH3 score, best first.

        BOZORTH3 runs on the ``shortlist`` (default ``SHORTLIST``) prints with
        most triangle votes; each candidate says whether it reaches ``threshold``.
        """
        short = self.shortlist(probe, shortlist or self._shortlist)
        prepared_probe = prepare(probe)
        scored = []
        for id, votes in short:
            template = self._templates[self._slot_of[id]]
            if template is None:  # pragma: no cover - removed slots are never shortlisted
                continue
            score = compare_prepared(prepared_probe, prepare(template))
            scored.append(FingerprintCandidate(id, score, votes, score >= threshold))
        scored.sort(key=lambda c: (-c.score, -c.votes))
        return scored[:top]

    def _votes(self, probe: FingerprintTemplate) -> npt.NDArray[np.float64]:
        """Turn-consistent triangle votes per slot, scaled; -inf for removed slots."""
        self._refresh()
        query = probe_codes(probe.record())
        count = len(self._ids)
        segments = [p for p in (self._main, self._recent) if p is not None and len(p) > 0]
        tally = np.zeros(count * TURN_BINS, dtype=np.float64)
        postings = sum(len(p) for p in segments)
        if segments and len(query.codes):
            df = np.zeros(len(query.codes), dtype=np.int64)
            for segment in segments:
                df += segment.counts(query.codes)
            cap = max(COMMON_SHARE * len(self._slot_of), _MIN_COMMON)
            keep = (df > 0) & (df <= cap)
            codes, turns = query.codes[keep], query.turns[keep]
            weights = query.weights[keep] * np.log(postings / df[keep])
            for segment in segments:
                which, slots, their_turns = segment.gather(codes)
                turn = np.floor(np.mod(their_turns + 0.5 - turns[which], TURN_BINS))
                tally += np.bincount(
                    slots.astype(np.int64) * TURN_BINS + turn.astype(np.int64) % TURN_BINS,
                    weights=weights[which],
                    minlength=count * TURN_BINS,
                )
        table = tally.reshape(count, TURN_BINS)
        best = (table + np.roll(table, 1, axis=1)).max(axis=1)
        votes = best / np.sqrt(self._size_array + _SCORE_PRIOR)
        return np.where(self._alive, votes, -np.inf)

    def _refresh(self) -> None:
        """Index pending templates: in the small index, or merged into the main one."""
        if not self._recent_dirty:
            return
        self._alive = np.array([t is not None for t in self._templates], dtype=bool)
        self._size_array = np.asarray(self._sizes, dtype=np.float64)
        pending = sum(len(codes) for _, codes, _ in self._pending)
        if self._main is None or pending > _MERGE_SHARE * len(self._main):
            self._main = self._merge(self._main, self._pending)
            self._pending, self._recent = [], None
        else:
            self._recent = self._merge(None, self._pending)
        self._recent_dirty = False

    def _merge(
        self,
        base: _Postings | None,
        pending: list[tuple[int, npt.NDArray[np.int32], npt.NDArray[np.uint8]]],
    ) -> _Postings:
        codes = [codes for _, codes, _ in pending]
        slots = [np.full(len(c), slot, dtype=np.int32) for slot, c, _ in pending]
        turns = [t for _, _, t in pending]
        if base is not None:
            base_codes = np.repeat(np.arange(CODE_COUNT, dtype=np.int32), np.diff(base.starts))
            codes.append(base_codes)
            slots.append(base.slots)
            turns.append(base.turns)
        all_slots = np.concatenate(slots) if slots else np.zeros(0, dtype=np.int32)
        keep = self._alive[all_slots]
        return _Postings(
            np.concatenate(codes)[keep] if codes else np.zeros(0, dtype=np.int32),
            all_slots[keep],
            np.concatenate(turns)[keep] if turns else np.zeros(0, dtype=np.uint8),
        )

    # ------------------------------------------------------------ persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the gallery with its triangle index to one file, atomically.

        Pending templates are merged into the main index first, so
        :meth:`load` restores a gallery that searches at once, with nothing
        to recompute.
        """
        self._refresh()
        if self._pending or self._recent is not None:
            self._main = self._merge(self._main, self._pending)
            self._pending, self._recent = [], None
        main = self._main or _Postings(
            np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.uint8)
        )
        templates = self._templates
        lengths = np.array([len(t.iso) if t else 0 for t in templates], dtype="<u4")
        manifest = {
            "format": FORMAT_VERSION,
            "shortlist": self._shortlist,
            "ids": [
                id if t is not None else None for id, t in zip(self._ids, templates, strict=True)
            ],
            "qualities": [t.quality if t else None for t in templates],
            "minutiae": [t.minutiae_count if t else 0 for t in templates],
            "extractors": [[t.extractor, t.extractor_version] if t else None for t in templates],
            "sizes": self._sizes,
        }
        save_container(
            path,
            _MAGIC,
            [
                ("iso", lambda out: [out.write(t.iso) for t in templates if t is not None]),
                ("iso_lengths", lambda out: out.write(lengths.data)),
                ("slots", lambda out: out.write(main.slots.astype("<i4").data)),
                ("turns", lambda out: out.write(main.turns.data)),
                ("starts", lambda out: out.write(main.starts.astype("<i8").data)),
            ],
            manifest,
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> FingerprintGallery:
        """Read a gallery :meth:`save` wrote (the index is read, not rebuilt)."""
        with open_container(path, _MAGIC, FORMAT_VERSION, "fingerprint gallery") as container:
            return cls._read(container)

    @classmethod
    def _read(cls, container: Container) -> FingerprintGallery:
        manifest = container.manifest
        gallery = cls(shortlist=int(manifest["shortlist"]))
        ids, sizes = manifest["ids"], manifest["sizes"]
        lengths = np.frombuffer(container.read("iso_lengths"), dtype="<u4")
        if not len(ids) == len(sizes) == len(lengths) == len(manifest["qualities"]):
            raise InvalidInput("path", "template tables do not agree")
        iso = container.read("iso")
        if int(lengths.sum()) != len(iso):
            raise InvalidInput("path", "iso section does not match the manifest")
        at = 0
        for slot, id in enumerate(ids):
            length = int(lengths[slot])
            if id is None:
                gallery._templates.append(None)
                gallery._ids.append("")
            else:
                extractor, extractor_version = manifest["extractors"][slot]
                template = FingerprintTemplate(
                    iso[at : at + length],
                    int(manifest["minutiae"][slot]),
                    manifest["qualities"][slot],
                    extractor,
                    extractor_version,
                )
                gallery._templates.append(template)
                gallery._ids.append(id)
                gallery._slot_of[id] = slot
            at += length
        gallery._sizes = [int(size) for size in sizes]
        starts = np.frombuffer(container.read("starts"), dtype="<i8").astype(np.int64)
        slots = np.frombuffer(container.read("slots"), dtype="<i4").astype(np.int32)
        turns = np.frombuffer(container.read("turns"), dtype=np.uint8).copy()
        if len(starts) != CODE_COUNT + 1 or starts[-1] != len(slots) or len(turns) != len(slots):
            raise InvalidInput("path", "triangle index does not match the manifest")
        if len(slots) and int(slots.max()) >= len(ids):
            raise InvalidInput("path", "triangle index names a print that is not stored")
        gallery._main = _Postings.restored(slots, turns, starts)
        gallery._alive = np.array([t is not None for t in gallery._templates], dtype=bool)
        gallery._size_array = np.asarray(gallery._sizes, dtype=np.float64)
        gallery._recent_dirty = False
        return gallery
