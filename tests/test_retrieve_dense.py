"""The FAISS wrapper: exact and approximate (hnsw, ivfpq) inner-product search by chunk id, atomic save, mmap load."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.retrieve.dense import (
    AUTO_FLAT_MAX,
    IVFPQ_MIN,
    RESCORE_FACTOR,
    DenseIndex,
    choose_kind,
    kind_of_file,
    rescore,
)


def _unit(rows: list[list[float]]) -> np.ndarray:
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_search_returns_ids_best_first() -> None:
    vectors = _unit([[1, 0, 0], [0, 1, 0], [1, 1, 0]])
    index = DenseIndex.build([10, 20, 30], vectors)
    hits = index.search(_unit([[1, 0.1, 0]])[0], k=2)
    assert [i for i, _ in hits] == [10, 30]
    assert hits[0][1] == pytest.approx(float(vectors[0] @ _unit([[1, 0.1, 0]])[0]), abs=1e-6)
    assert len(index.search(vectors[0], k=10)) == 3  # k above the size: no -1 padding


def test_empty_index_searches_to_nothing() -> None:
    index = DenseIndex.build([], np.zeros((0, 8), dtype=np.float32))
    assert len(index) == 0 and index.dim == 8
    assert index.search(np.ones(8, dtype=np.float32), k=5) == []


def test_vectors_by_id() -> None:
    vectors = _unit([[1, 0], [0, 1]])
    index = DenseIndex.build([7, 9], vectors)
    got = index.vectors([9, 8])
    assert list(got) == [9]
    np.testing.assert_allclose(got[9], vectors[1])


def test_save_load_roundtrip_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "dense.faiss"
    DenseIndex.build([1], _unit([[1, 0]])).save(path)
    assert [i for i, _ in DenseIndex.load(path).search(_unit([[1, 0]])[0], 1)] == [1]

    import os

    def crash(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        DenseIndex.build([2], _unit([[0, 1]])).save(path)
    monkeypatch.undo()
    assert [i for i, _ in DenseIndex.load(path).search(_unit([[1, 0]])[0], 1)] == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dense.faiss"]  # no temp file left


# -- the ANN kinds (setting `ann`) -----------------------------------------------------------------
# Training ivfpq at IVFPQ_MIN is seconds of k-means: `heavy`, so in `make test`, not `make test-fast`.
KINDS = ["flat", "hnsw", pytest.param("ivfpq", marks=pytest.mark.heavy)]


def _clustered(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    """Unit vectors near a fixed 6-d subspace, like embeddings (queries: another seed)."""
    basis = np.random.default_rng(0).standard_normal((6, dim)).astype(np.float32)
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, 6)).astype(np.float32) @ basis + 0.1 * rng.standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def big() -> tuple[np.ndarray, np.ndarray]:
    n = IVFPQ_MIN  # the smallest size at which ivfpq is really built
    return np.arange(100, 100 + n, dtype=np.int64), _clustered(n)


class _Built(dict[str, DenseIndex]):
    """One index of each kind over `big`, built when first asked for (ivfpq is the slow part: PQ training)."""

    def __init__(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        super().__init__()
        self.ids, self.vectors = ids, vectors

    def __missing__(self, kind: str) -> DenseIndex:
        self[kind] = DenseIndex.build(self.ids, self.vectors, ann=kind)
        return self[kind]


@pytest.fixture(scope="module")
def built(big: tuple[np.ndarray, np.ndarray]) -> dict[str, DenseIndex]:
    return _Built(*big)


def _lookup(ids: np.ndarray, vectors: np.ndarray):  # type: ignore[no-untyped-def]
    row = {int(i): r for r, i in enumerate(ids)}

    def lookup(wanted: list[int]) -> tuple[np.ndarray, np.ndarray]:
        rows = [row[i] for i in wanted if i in row]
        return ids[rows], vectors[rows]

    return lookup


def _top(index: DenseIndex, q: np.ndarray, k: int, lookup) -> list[int]:  # type: ignore[no-untyped-def]
    if index.exact_scores:
        return [i for i, _ in index.search(q, k)]
    return [i for i, _ in rescore(index.search(q, k * RESCORE_FACTOR), q, k, lookup)]


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_recalls_the_exact_neighbours(
        kind: str, big: tuple[np.ndarray, np.ndarray], built: dict[str, DenseIndex]) -> None:
    ids, vectors = big
    index, exact = built[kind], built["flat"]
    assert index.kind == kind and len(index) == len(ids) and index.dim == vectors.shape[1]
    queries = _clustered(50, seed=1)
    lookup = _lookup(ids, vectors)
    found = [len(set(_top(index, q, 10, lookup)) & set(_top(exact, q, 10, lookup))) for q in queries]
    assert sum(found) / (10 * len(queries)) >= (0.95 if index.exact_scores else 0.7)  # recall@10 vs flat
    assert _top(index, vectors[7], 10, lookup)[0] == int(ids[7])  # a stored vector finds itself


@pytest.mark.parametrize("kind", KINDS)
def test_scores_are_exact_cosines_where_promised(
        kind: str, big: tuple[np.ndarray, np.ndarray], built: dict[str, DenseIndex]) -> None:
    ids, vectors = big
    index = built[kind]
    q = _clustered(1, seed=2)[0]
    by_id = dict(zip(ids.tolist(), vectors, strict=True))
    if index.exact_scores:
        for i, score in index.search(q, 5):
            assert score == pytest.approx(float(by_id[i] @ q), abs=1e-4)
        np.testing.assert_allclose(index.vectors([int(ids[3])])[int(ids[3])], vectors[3], atol=1e-6)
    else:
        assert index.vectors([int(ids[3])]) == {}  # PQ codes are not the vectors: ask the store
        for i, score in rescore(index.search(q, 10), q, 5, _lookup(ids, vectors)):
            assert score == pytest.approx(float(by_id[i] @ q), abs=1e-6)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_saves_and_loads(
        kind: str, big: tuple[np.ndarray, np.ndarray], built: dict[str, DenseIndex], tmp_path: Path) -> None:
    ids, vectors = big
    index = built[kind]
    path = tmp_path / "dense.faiss"
    index.save(path)
    assert kind_of_file(path) == kind
    loaded = DenseIndex.load(path)
    assert loaded.kind == kind and len(loaded) == len(ids)
    assert loaded.mmapped  # IVF lists with IO_FLAG_MMAP, flat codes with IO_FLAG_MMAP_IFC
    q = vectors[11]
    assert loaded.search(q, 10) == index.search(q, 10)


@pytest.mark.parametrize("kind", KINDS)
def test_mmapped_index_outlives_its_file_being_removed(
        kind: str, big: tuple[np.ndarray, np.ndarray], built: dict[str, DenseIndex], tmp_path: Path) -> None:
    """A reader holding a mapped index keeps working while a writer prunes the old generation."""
    _, vectors = big
    path = tmp_path / "dense-1.faiss"
    built[kind].save(path)
    loaded = DenseIndex.load(path)
    before = loaded.search(vectors[5], 10)
    path.unlink()
    assert loaded.search(vectors[5], 10) == before
    built[kind].save(path)
    unmapped = DenseIndex.load(path, mmap=False)
    assert unmapped.mmapped is False and unmapped.search(vectors[5], 10) == before


def test_kind_of_file_rejects_what_it_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "x.faiss").write_bytes(b"not an index at all, not at all" * 3)
    assert kind_of_file(tmp_path / "x.faiss") is None
    assert kind_of_file(tmp_path / "missing.faiss") is None


def test_auto_switches_from_flat_to_ivfpq_by_size() -> None:
    assert choose_kind("auto", 0) == "flat"
    assert choose_kind("auto", AUTO_FLAT_MAX) == "flat"
    assert choose_kind("auto", AUTO_FLAT_MAX + 1) == "ivfpq"
    assert choose_kind("hnsw", 3) == "hnsw"  # an explicit kind is honoured at any size...
    assert choose_kind("ivfpq", IVFPQ_MIN - 1) == "flat"  # ...except PQ, which cannot train on so few
    assert choose_kind("ivfpq", IVFPQ_MIN) == "ivfpq"
    with pytest.raises(ValueError, match="ann must be one of"):
        choose_kind("annoy", 10)


@pytest.mark.parametrize("kind", ["hnsw", "ivfpq"])
def test_small_and_empty_indexes_of_every_kind(kind: str) -> None:
    vectors = _unit([[1, 0, 0], [0, 1, 0], [1, 1, 0]])
    index = DenseIndex.build([10, 20, 30], vectors, ann=kind)
    assert [i for i, _ in index.search(_unit([[1, 0.1, 0]])[0], k=2)] == [10, 30]
    empty = DenseIndex.build([], np.zeros((0, 8), dtype=np.float32), ann=kind)
    assert len(empty) == 0 and empty.search(np.ones(8, dtype=np.float32), k=5) == []


@pytest.mark.heavy
def test_build_from_batches_equals_build_in_one(
        big: tuple[np.ndarray, np.ndarray], built: dict[str, DenseIndex]) -> None:
    ids, vectors = big
    batches = lambda: ((ids[i:i + 999], vectors[i:i + 999]) for i in range(0, len(ids), 999))  # noqa: E731
    streamed = DenseIndex.build_from(batches, len(ids), vectors.shape[1], ann="ivfpq")
    assert streamed.search(vectors[0], 10) == built["ivfpq"].search(vectors[0], 10)  # same training sample


@pytest.mark.parametrize("kind", KINDS)
def test_update_removes_and_adds_in_place(kind: str, big: tuple[np.ndarray, np.ndarray]) -> None:
    """An updated index holds exactly the ids a fresh build would; flat finds what flat would."""
    ids, vectors = big
    old = DenseIndex.build(ids[:-50], vectors[:-50], ann=kind)
    removed = ids[:30]
    ok = old.update(removed, [(ids[-50:], vectors[-50:])])
    if kind == "hnsw":  # FAISS's HNSW cannot remove: the caller builds afresh
        assert not ok and len(old) == len(ids) - 50
        return
    assert ok and sorted(old.ids().tolist()) == ids[30:].tolist()
    q = vectors[-1]
    assert old.search(q, 1)[0][0] == ids[-1]
    if kind == "flat":
        fresh = DenseIndex.build(ids[30:], vectors[30:], ann="flat")
        assert [i for i, _ in old.search(q, 10)] == [i for i, _ in fresh.search(q, 10)]


@pytest.mark.heavy  # trains IVF-PQ at IVFPQ_MIN vectors
def test_updatable_only_while_the_kind_and_list_count_still_fit(big: tuple[np.ndarray, np.ndarray]) -> None:
    ids, vectors = big
    flat = DenseIndex.build(ids, vectors, ann="auto")
    assert flat.updatable("auto", len(ids) + 10) and not flat.updatable("ivfpq", len(ids))
    ivf = DenseIndex.build(ids, vectors, ann="ivfpq")
    assert ivf.updatable("ivfpq", len(ids) + 100)
    assert not ivf.updatable("ivfpq", len(ids) * 8)  # √n moved: retrain
