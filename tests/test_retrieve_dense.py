"""The FAISS wrapper: exact inner-product search by chunk id, atomic save."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.retrieve.dense import DenseIndex


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
