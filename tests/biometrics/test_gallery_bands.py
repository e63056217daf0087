"""Face galleries take their index from the catalogue of size bands, as data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import faiss
import numpy as np
import numpy.typing as npt
import pytest

from passerelle.biometrics.container import open_container, save_container
from passerelle.biometrics.gallery import FaceGallery
from passerelle.biometrics.gallery_bands import (
    IndexBand,
    IndexCatalogue,
    default_catalogue,
    read_catalogue,
)
from passerelle.exc import InvalidInput

DIM = 128
MODEL = "dlib-resnet-v1"
Rows = npt.NDArray[np.float32]

EXACT = IndexBand(10_000, "exact", nlist=64, nprobe=8, rerank=128, store="float32")
SMALL_IVF = IndexBand(11_000, "ivf", nlist=64, nprobe=8, rerank=128, store="float32")
LARGE_IVF = IndexBand(None, "ivf", nlist=128, nprobe=16, rerank=128, store="float16", tables=False)
BANDS = IndexCatalogue((EXACT, SMALL_IVF, LARGE_IVF))
"""The shipped catalogue's shape at a test's sizes: exact, IVF, IVF over float16 templates
(IVF needs 10,000 templates at least to train its quantisers)."""


@dataclass(frozen=True)
class Listing:
    names: list[str]
    templates: Rows
    probes: Rows
    probed: list[str]


@pytest.fixture(scope="module", autouse=True)
def _one_faiss_thread() -> Iterator[None]:
    saved = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    yield
    faiss.omp_set_num_threads(saved)


def _unit(rows: Rows) -> Rows:
    unit: Rows = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return unit


@pytest.fixture(scope="module")
def listing() -> Listing:
    """6,000 clustered identities with one to three templates each (about 12,000)."""
    rng = np.random.default_rng(21)
    identities = 6_000
    groups = _unit(rng.standard_normal((64, DIM)).astype(np.float32))
    own = _unit(rng.standard_normal((identities, DIM)).astype(np.float32))
    centres = _unit(0.6 * groups[rng.integers(0, 64, identities)] + 0.8 * own)
    owners = np.repeat(np.arange(identities), rng.integers(1, 4, identities))
    noise = rng.standard_normal((owners.size, DIM)).astype(np.float32) / np.sqrt(DIM)
    probed = rng.choice(identities, 200, replace=False)
    probe_noise = rng.standard_normal((probed.size, DIM)).astype(np.float32) / np.sqrt(DIM)
    return Listing(
        [f"W-{owner}" for owner in owners],
        _unit(centres[owners] + 0.35 * noise),
        _unit(centres[probed] + 0.5 * probe_noise),
        [f"W-{i}" for i in probed],
    )


def _gallery(listing: Listing, templates: int, catalogue: IndexCatalogue = BANDS) -> FaceGallery:
    gallery = FaceGallery("wanted", MODEL, DIM, catalogue=catalogue)
    gallery.add_many(listing.names[:templates], listing.templates[:templates])
    gallery.rebuild()
    return gallery


@pytest.fixture(scope="module")
def national(listing: Listing) -> FaceGallery:
    """The listing in the last band: IVF over float16 templates, without tables."""
    assert len(listing.names) > 11_000
    return _gallery(listing, len(listing.names))


def _tops(gallery: FaceGallery, probes: Rows, *, exact: bool = False) -> list[str]:
    return [gallery.search(probe, 5, exact=exact)[0].identity for probe in probes]


def test_the_shipped_catalogue_scans_small_galleries_and_quantises_national_ones() -> None:
    catalogue = default_catalogue()
    assert catalogue.band_for(20_000).index == "exact"
    assert (catalogue.band_for(1_000_000).index, catalogue.band_for(1_000_000).store) == (
        "ivf",
        "float32",
    )
    assert catalogue.band_for(10_000_000).store == "float16"
    assert catalogue.bands[-1].up_to is None


def test_each_size_gets_its_bands_index_lists_and_store(listing: Listing) -> None:
    small = _gallery(listing, 2_000)
    assert (small.band, small.index_kind, small.store) == (EXACT, "exact", "float32")
    medium = _gallery(listing, 10_500)
    assert (medium.band, medium.index_kind, medium.store) == (SMALL_IVF, "ivf", "float32")
    assert medium._index.nlist == SMALL_IVF.nlist
    assert medium._index.precomputed_table.size() > 0


def test_a_national_gallery_keeps_float16_templates_and_no_tables(national: FaceGallery) -> None:
    assert (national.band, national.index_kind, national.store) == (LARGE_IVF, "ivf", "float16")
    assert national._index.nlist == LARGE_IVF.nlist
    assert national._index.precomputed_table.size() == 0
    assert national.needs_rebuild is False


def test_quantised_search_finds_the_same_top_identity_as_exact_search(
    listing: Listing, national: FaceGallery
) -> None:
    exact = _tops(national, listing.probes, exact=True)
    assert exact == listing.probed
    found = _tops(national, listing.probes)
    agree = sum(a == b for a, b in zip(found, exact, strict=True)) / len(exact)
    assert agree >= 0.99


def test_float16_scores_stay_within_a_thousandth_of_float32(
    listing: Listing, national: FaceGallery
) -> None:
    full = FaceGallery("wanted", MODEL, DIM, kind="exact")
    full.add_many(listing.names, listing.templates)
    for probe in listing.probes[:50]:
        half, whole = national.search(probe, 3, exact=True), full.search(probe, 3)
        assert [h.identity for h in half] == [h.identity for h in whole]
        assert max(abs(a.score - b.score) for a, b in zip(half, whole, strict=True)) < 1e-3


def test_a_float16_gallery_reloads_its_index_and_answers_identically(
    listing: Listing, national: FaceGallery, tmp_path: Path
) -> None:
    path = tmp_path / "wanted.gallery"
    national.save(path)
    loaded = FaceGallery.load(path, catalogue=BANDS)
    assert (loaded.store, loaded.index_kind, loaded.index_builds) == ("float16", "ivf", 0)
    assert loaded._index.precomputed_table.size() == 0
    assert loaded.needs_rebuild is False
    for probe in listing.probes[:30]:
        assert loaded.search(probe, 10) == national.search(probe, 10)


def test_a_catalogue_wanting_another_store_asks_for_a_rebuild_that_converts(
    listing: Listing, national: FaceGallery, tmp_path: Path
) -> None:
    path = tmp_path / "wanted.gallery"
    national.save(path)
    wider = IndexCatalogue((EXACT, replace(SMALL_IVF, up_to=None)))
    loaded = FaceGallery.load(path, catalogue=wider)
    assert loaded.needs_rebuild is True
    loaded.rebuild()
    assert (loaded.store, loaded._index.nlist, loaded.needs_rebuild) == ("float32", 64, False)
    assert _tops(loaded, listing.probes[:50]) == listing.probed[:50]


def test_a_gallery_saved_before_stores_and_bands_still_loads(
    national: FaceGallery, listing: Listing, tmp_path: Path
) -> None:
    """A file of the first format: float32 templates, an ``exact_limit`` tuning, no store."""
    older = FaceGallery("wanted", MODEL, DIM, kind="exact")
    older.add_many(listing.names[:500], listing.templates[:500])
    path, legacy = tmp_path / "new.gallery", tmp_path / "old.gallery"
    older.save(path)
    with open_container(path, b"PSRLGAL\x00", 1, "face gallery") as container:
        manifest = dict(container.manifest)
        sections = {name: container.read(name) for name in ("vectors", "owners", "names")}
    del manifest["store"]
    manifest["tuning"] = {**manifest["tuning"], "exact_limit": 50_000}
    save_container(
        legacy,
        b"PSRLGAL\x00",
        [(name, lambda out, data=data: out.write(data)) for name, data in sections.items()],
        manifest,
    )
    loaded = FaceGallery.load(legacy)
    assert (loaded.store, loaded.templates) == ("float32", 500)
    assert loaded.search(listing.templates[7], 1)[0].identity == listing.names[7]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("", "band"),
        (
            '[[band]]\nup_to = 10\nindex = "exact"\nnlist = 1\nnprobe = 1\nrerank = 1\n'
            'store = "float32"\n',
            "band[0].up_to",
        ),
        (
            '[[band]]\nindex = "flat"\nnlist = 1\nnprobe = 1\nrerank = 1\nstore = "float32"\n',
            "band[0].index",
        ),
        (
            '[[band]]\nindex = "ivf"\nnlist = 1\nnprobe = 0\nrerank = 1\nstore = "float32"\n',
            "band[0].nprobe",
        ),
        (
            '[[band]]\nindex = "ivf"\nnlist = 1\nnprobe = 1\nrerank = 1\nstore = "int4"\n',
            "band[0].store",
        ),
        (
            '[[band]]\nindex = "ivf"\nnlist = 1\nnprobe = 1\nrerank = 1\nstore = "float32"\n'
            "lists = 3\n",
            "band[0].lists",
        ),
        (
            '[[band]]\nup_to = 10\nindex = "exact"\nnlist = 1\nnprobe = 1\nrerank = 1\n'
            'store = "float32"\n[[band]]\nup_to = 5\nindex = "ivf"\nnlist = 1\nnprobe = 1\n'
            'rerank = 1\nstore = "float32"\n[[band]]\nindex = "ivf"\nnlist = 1\nnprobe = 1\n'
            'rerank = 1\nstore = "float32"\n',
            "band[1].up_to",
        ),
    ],
)
def test_an_unusable_catalogue_is_refused_naming_the_band_and_key(
    tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "bands.toml"
    path.write_text(text)
    with pytest.raises(InvalidInput) as refused:
        read_catalogue(path)
    assert refused.value.field == f"bands.toml: {field}"


def test_the_catalogue_file_is_valid_toml_with_one_table_per_band() -> None:
    import tomllib

    shipped = Path(__file__).parents[2] / "src/passerelle/biometrics/gallery_bands.toml"
    data = tomllib.loads(shipped.read_text())
    assert len(data["band"]) == len(default_catalogue().bands)
    assert json.dumps(data)  # plain data: numbers, strings, booleans
