"""Reciprocal rank fusion, checked against hand-computed values."""

from __future__ import annotations

import pytest

from rag.retrieve.fusion import rrf


def test_hand_computed_scores() -> None:
    fused = rrf({"dense": [1, 2, 3], "lexical": [3, 4]}, k=60)
    got = dict(fused)
    assert got[3] == pytest.approx(1 / 63 + 1 / 61)
    assert got[1] == pytest.approx(1 / 61)
    assert got[2] == pytest.approx(1 / 62)
    assert got[4] == pytest.approx(1 / 62)
    assert [d for d, _ in fused] == [3, 1, 2, 4]  # 2 and 4 tie at 1/62: the first leg's (dense) wins


def test_small_k_rewards_top_ranks() -> None:
    fused = rrf({"a": [1, 2], "b": [2, 1]}, k=0)
    assert dict(fused) == {1: pytest.approx(1.5), 2: pytest.approx(1.5)}
    assert [d for d, _ in fused] == [1, 2]


def test_ties_broken_by_best_single_leg_rank_then_id() -> None:
    # k=0: id 2 scores 1/1 from one leg, id 8 scores 1/2 + 1/2 from two: an exact tie at 1.0
    fused = rrf({"a": [9, 8, 1], "b": [2, 8, 9]}, k=0)
    scores = dict(fused)
    assert scores[9] == pytest.approx(1 + 1 / 3)
    assert scores[2] == pytest.approx(1.0)
    assert scores[8] == pytest.approx(1.0)
    assert [d for d, _ in fused][:3] == [9, 2, 8]  # 2 (best rank 1) before 8 (best rank 2)
    # equal score and equal best rank: the id ranked by the first-given leg wins
    assert [d for d, _ in rrf({"a": [5], "b": [4]})] == [5, 4]
    assert [d for d, _ in rrf({"b": [4], "a": [5]})] == [4, 5]
    # the usual top-of-list tie: ranks (1, 3) against (3, 1)
    assert rrf({"dense": [1, 7, 2], "lexical": [2, 7, 1]})[0][0] == 1
    assert rrf({"lexical": [2, 7, 1], "dense": [1, 7, 2]})[0][0] == 2


def test_weights() -> None:
    fused = rrf({"dense": [1], "lexical": [2]}, k=10, weights={"dense": 2.0})
    assert dict(fused) == {1: pytest.approx(2 / 11), 2: pytest.approx(1 / 11)}  # unnamed leg: 1.0
    fused = rrf({"dense": [1], "lexical": [2]}, k=10, weights={"dense": 0.5, "lexical": 1.0})
    assert [d for d, _ in fused] == [2, 1]


def test_duplicates_within_a_leg_count_once() -> None:
    fused = dict(rrf({"a": [1, 1, 2]}, k=60))
    assert fused[1] == pytest.approx(1 / 61)
    assert fused[2] == pytest.approx(1 / 62)  # the repeat does not push 2 down to rank 3


def test_empty_legs() -> None:
    assert rrf({}) == []
    assert rrf({"dense": [], "lexical": []}) == []
    assert rrf({"dense": [4, 5], "lexical": []}) == [(4, pytest.approx(1 / 61)), (5, pytest.approx(1 / 62))]


def test_negative_k_rejected() -> None:
    with pytest.raises(ValueError):
        rrf({"a": [1]}, k=-1)
