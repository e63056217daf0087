"""1:N face galleries: exact and ANN search agree, removals hold, saved indexes reload."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from passerelle.biometrics.gallery import FaceGallery, GalleryKind
from passerelle.biometrics.gallery_bands import IndexBand, IndexCatalogue
from passerelle.exc import InvalidInput

DIM = 128
MODEL = "dlib-resnet-v1"
IDENTITIES = 5000
Rows = npt.NDArray[np.float32]


def _unit(rows: Rows) -> Rows:
    unit: Rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return unit


@dataclass(frozen=True)
class Listing:
    """Clustered synthetic faces: identities as centres, templates and probes as noisy copies."""

    names: list[str]
    templates: Rows
    probes: Rows
    probed: list[str]


@dataclass(frozen=True)
class Tagged:
    model: str
    model_version: str
    vector: Rows


@pytest.fixture(scope="module", autouse=True)
def _one_faiss_thread() -> Iterator[None]:
    """Build indexes on one thread: on a busy two-core machine faiss's OpenMP threads wait on
    each other (this module took 24 s with two threads beside two busy processes, 11 s with one).
    """
    saved = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(saved)


@pytest.fixture(scope="module")
def listing() -> Listing:
    rng = np.random.default_rng(7)
    groups = _unit(rng.standard_normal((64, DIM)).astype(np.float32))
    own = _unit(rng.standard_normal((IDENTITIES, DIM)).astype(np.float32))
    centres = _unit(0.6 * groups[rng.integers(0, 64, IDENTITIES)] + 0.8 * own)
    owners = np.repeat(np.arange(IDENTITIES), rng.integers(2, 4, IDENTITIES))
    noise = rng.standard_normal((owners.size, DIM)).astype(np.float32) / np.sqrt(DIM)
    templates = _unit(centres[owners] + 0.35 * noise)
    probed = rng.choice(IDENTITIES, 100, replace=False)
    probe_noise = rng.standard_normal((probed.size, DIM)).astype(np.float32) / np.sqrt(DIM)
    probes = _unit(centres[probed] + 0.5 * probe_noise)
    return Listing(
        [f"W-{owner}" for owner in owners], templates, probes, [f"W-{i}" for i in probed]
    )


@pytest.fixture(scope="module")
def built(listing: Listing) -> dict[str, FaceGallery]:
    """One gallery of each kind over the same listing (shared: tests change copies only)."""
    galleries: dict[str, FaceGallery] = {}
    kinds: tuple[GalleryKind, ...] = ("exact", "hnsw", "ivf")
    for kind in kinds:
        gallery = FaceGallery("wanted", MODEL, DIM, kind=kind, hnsw_m=16)
        gallery.add_many(listing.names, listing.templates, model=MODEL)
        gallery.rebuild()
        galleries[kind] = gallery
    return galleries


def _bands(*, exact_up_to: int, float16_from: int | None = None) -> IndexCatalogue:
    """A catalogue scanning exactly up to ``exact_up_to`` templates, IVF above (float16 past
    ``float16_from``)."""
    ivf = IndexBand(None, "ivf", nlist=1024, nprobe=32, rerank=256, store="float32")
    bands = [replace(ivf, up_to=exact_up_to, index="exact")]
    if float16_from is not None:
        bands.append(replace(ivf, up_to=float16_from))
        ivf = replace(ivf, store="float16")
    return IndexCatalogue((*bands, ivf))


def _copy(gallery: FaceGallery, folder: Path) -> FaceGallery:
    """The gallery as a restarted node finds it: saved, then loaded (no index build)."""
    gallery.save(folder / "copy.psg")
    return FaceGallery.load(folder / "copy.psg")


def _top(gallery: FaceGallery, probes: Rows, k: int = 1) -> list[list[str]]:
    return [[hit.identity for hit in gallery.search(probe, k)] for probe in probes]


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_ann_kinds_find_the_same_top_identity_as_exact_search(
    listing: Listing, built: dict[str, FaceGallery], kind: str
) -> None:
    assert built[kind].index_kind == kind
    exact = _top(built["exact"], listing.probes)
    assert [top[0] for top in exact] == listing.probed
    assert _top(built[kind], listing.probes) == exact


def test_auto_scans_exactly_until_rebuild_picks_ivf_past_the_limit(listing: Listing) -> None:
    gallery = FaceGallery("alerts", MODEL, DIM, catalogue=_bands(exact_up_to=1000))
    gallery.add_many(listing.names, listing.templates)
    assert (gallery.index_kind, gallery.needs_rebuild) == ("exact", True)
    assert _top(gallery, listing.probes[:5]) == [[name] for name in listing.probed[:5]]
    gallery.rebuild()
    assert (gallery.index_kind, gallery.needs_rebuild, gallery.index_builds) == ("ivf", False, 1)


def test_a_small_auto_gallery_stays_exact() -> None:
    gallery = FaceGallery("partners", MODEL, 4)
    gallery.add("A", [1.0, 0.0, 0.0, 0.0])
    gallery.rebuild()
    assert (gallery.index_kind, gallery.index_builds, gallery.needs_rebuild) == ("exact", 0, False)


@pytest.mark.parametrize("kind", ["exact", "hnsw", "ivf"])
def test_removed_identity_is_never_returned_even_after_reload(
    listing: Listing, built: dict[str, FaceGallery], kind: str, tmp_path: Path
) -> None:
    gallery = _copy(built[kind], tmp_path)
    gone = listing.probed[:10]
    templates = sum(name in gone for name in listing.names)
    assert sum(gallery.remove(name) for name in gone) == templates
    assert gallery.remove(gone[0]) == 0
    assert gallery.templates == len(listing.names) - templates
    for probe in listing.probes[:10]:
        for exact in (False, True):
            found = {hit.identity for hit in gallery.search(probe, 50, exact=exact)}
            assert found.isdisjoint(gone)
            assert len(found) == 50
    gallery.save(tmp_path / "wanted.psg")
    loaded = FaceGallery.load(tmp_path / "wanted.psg")
    assert gone[0] not in loaded
    for probe in listing.probes[:10]:
        assert {hit.identity for hit in loaded.search(probe, 50)}.isdisjoint(gone)
    loaded.remove(listing.probed[10])
    assert listing.probed[10] not in _top(loaded, listing.probes[10:11], 50)[0]


def test_removals_survive_a_change_of_kind(
    listing: Listing, built: dict[str, FaceGallery], tmp_path: Path
) -> None:
    gallery = _copy(built["hnsw"], tmp_path)
    gone = set(listing.probed[:20])
    for name in gone:
        gallery.remove(name)
    assert gallery.tombstones > 0
    gallery.rebuild(kind="ivf")
    assert (gallery.index_kind, gallery.tombstones) == ("ivf", 0)
    assert gallery.templates == sum(name not in gone for name in listing.names)
    tops = _top(gallery, listing.probes, 20)
    assert all(gone.isdisjoint(top) for top in tops)
    assert [top[0] for top in tops[20:]] == listing.probed[20:]


def test_tombstones_past_a_quarter_ask_for_a_rebuild_that_drops_them(
    listing: Listing, built: dict[str, FaceGallery], tmp_path: Path
) -> None:
    gallery = _copy(built["hnsw"], tmp_path)
    for owner in range(IDENTITIES // 3):
        gallery.remove(f"W-{owner}")
    assert gallery.needs_rebuild
    gallery.rebuild()
    assert (gallery.tombstones, gallery.needs_rebuild, len(gallery)) == (0, False, 3334)
    assert (gallery.index_kind, gallery.index_builds) == ("hnsw", 1)
    kept = [int(name[2:]) >= IDENTITIES // 3 for name in listing.probed]
    tops = [top[0] for top in _top(gallery, listing.probes)]
    assert all(int(top[2:]) >= IDENTITIES // 3 for top in tops)
    assert [top for top, keep in zip(tops, kept, strict=True) if keep] == [
        name for name, keep in zip(listing.probed, kept, strict=True) if keep
    ]


@pytest.mark.parametrize("kind", ["exact", "hnsw", "ivf"])
def test_reload_reads_the_index_and_answers_identically(
    listing: Listing, built: dict[str, FaceGallery], kind: str, tmp_path: Path
) -> None:
    path = tmp_path / "wanted.psg"
    built[kind].save(path)
    assert [p.name for p in tmp_path.iterdir()] == ["wanted.psg"]  # no temporary file left
    loaded = FaceGallery.load(path)
    assert (loaded.index_kind, loaded.index_builds, loaded.needs_rebuild) == (kind, 0, False)
    assert (loaded.name, loaded.model, loaded.dim, loaded.threshold) == ("wanted", MODEL, DIM, 0.93)
    for probe in listing.probes[:20]:
        assert loaded.search(probe, 10) == built[kind].search(probe, 10)


def test_a_damaged_or_foreign_file_is_refused(
    built: dict[str, FaceGallery], tmp_path: Path
) -> None:
    path = tmp_path / "wanted.psg"
    built["ivf"].save(path)
    data = path.read_bytes()
    for damaged in (data[: len(data) // 2], b"GIF89a" + data[6:], data[:-60] + b"x" * 60):
        path.write_bytes(damaged)
        with pytest.raises(InvalidInput) as refused:
            FaceGallery.load(path)
        assert refused.value.field == "path"


def test_an_identity_with_several_photos_is_returned_once() -> None:
    rng = np.random.default_rng(3)
    centre = _unit(rng.standard_normal((1, DIM)).astype(np.float32))[0]
    gallery = FaceGallery("wanted", MODEL, DIM)
    for _ in range(4):
        gallery.add("W-many", centre + 0.01 * rng.standard_normal(DIM))
    gallery.add_many([f"W-{i}" for i in range(30)], rng.standard_normal((30, DIM)))
    hits = gallery.search(centre, 5)
    assert next(hit.identity for hit in hits) == "W-many"
    assert len({hit.identity for hit in hits}) == 5
    assert hits[0].is_hit
    assert not hits[1].is_hit
    assert gallery.templates == 34
    assert len(gallery) == 31


def test_score_is_the_cosine_clipped_to_unit_interval() -> None:
    gallery = FaceGallery("alerts", MODEL, 2, threshold=0.5)
    gallery.add_many(["same", "across", "opposite"], [[2.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    hits = {hit.identity: hit for hit in gallery.search([1.0, 0.0], 3)}
    assert (hits["same"].score, hits["same"].distance, hits["same"].is_hit) == (1.0, 0.0, True)
    assert hits["across"].score == 0.0
    assert hits["across"].distance == pytest.approx(2**0.5)
    assert (hits["opposite"].score, hits["opposite"].distance) == (0.0, 2.0)
    assert gallery.is_hit(0.5)
    assert not gallery.is_hit(0.49)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda g: g.add("A", np.ones(127)), "vector"),
        (lambda g: g.add("A", [np.nan] + [1.0] * 127), "vector"),
        (lambda g: g.add("A", [np.inf] + [1.0] * 127), "vector"),
        (lambda g: g.add("A", [1e300] * 128), "vector"),
        (lambda g: g.add("A", np.zeros(128)), "vector"),
        (lambda g: g.add("A", ["x"] * 128), "vector"),
        (lambda g: g.add("A", np.ones(128), model="arcface-r100"), "model"),
        (lambda g: g.add("A", Tagged("arcface-r100", "1", np.ones(128, np.float32))), "model"),
        (lambda g: g.add("", np.ones(128)), "identity"),
        (lambda g: g.add_many(["A", "B"], np.ones((3, 128))), "identities"),
        (lambda g: g.add_many(["A", "B"], np.ones((2, 64))), "vectors"),
        (lambda g: g.search(np.ones(129)), "vector"),
        (lambda g: g.search(np.ones(128), model="facenet"), "model"),
        (lambda g: g.search(np.ones(128), 0), "k"),
        (lambda g: g.rebuild(kind="lsh"), "kind"),
    ],
)
def test_unusable_input_is_refused_naming_the_field(call: object, field: str) -> None:
    gallery = FaceGallery("wanted", MODEL, DIM)
    with pytest.raises(InvalidInput) as refused:
        call(gallery)  # type: ignore[operator]
    assert refused.value.field == field
    assert gallery.templates == 0


def test_templates_tagged_with_the_gallerys_model_are_normalised_on_the_way_in() -> None:
    gallery = FaceGallery("wanted", MODEL, 3, model_version="19.24")
    gallery.add("A", Tagged(MODEL, "19.24", np.array([3.0, 4.0, 0.0], np.float32)))
    with pytest.raises(InvalidInput, match="version"):
        gallery.add("B", Tagged(MODEL, "19.21", np.array([1.0, 0.0, 0.0], np.float32)))
    (hit,) = gallery.search([0.6, 0.8, 0.0], 1)
    assert hit.score == pytest.approx(1.0)


def test_concurrent_adds_and_searches_leave_a_consistent_gallery(listing: Listing) -> None:
    gallery = FaceGallery("alerts", MODEL, DIM, kind="hnsw")
    chunks = np.array_split(np.arange(4000), 4)
    errors: list[BaseException] = []

    def add(rows: npt.NDArray[np.int64]) -> None:
        try:
            gallery.add_many([listing.names[i] for i in rows], listing.templates[rows])
            for probe in listing.probes[:5]:
                gallery.search(probe, 3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(rows,)) for rows in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert gallery.templates == 4000
    assert len(gallery) == len(set(listing.names[:4000]))


def test_a_gallery_emptied_by_removals_saves_and_reloads(tmp_path: Path) -> None:
    gallery = FaceGallery("emptied", "dlib-resnet-v1")
    gallery.add("only", np.random.default_rng(0).normal(size=128).astype(np.float32))
    gallery.remove("only")
    gallery.save(tmp_path / "emptied.gallery")
    again = FaceGallery.load(tmp_path / "emptied.gallery")
    assert len(again) == 0
    assert again.search(np.random.default_rng(1).normal(size=128).astype(np.float32)) == []
