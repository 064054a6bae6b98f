"""Context packing: whole passages in rank order, never cut; too small a window is an error."""

from __future__ import annotations

import pytest

from rag.answer.context import SAFETY_TOKENS, pack_passages
from rag.errors import ContextTooSmallError
from tests.answer_support import make_hit


def _words(n: int, tag: str) -> str:
    return " ".join(f"{tag}{i}" for i in range(n))


def _pack(hits, context_tokens, reserved=0):
    return pack_passages(
        hits,
        render=lambda n, h: f"[{n}] {h.chunk.text}",
        count_tokens=lambda text: len(text.split()),
        context_tokens=context_tokens,
        reserved_tokens=reserved,
    )


def test_passages_that_do_not_fit_are_dropped_whole_and_later_ones_still_fit():
    hits = [make_hit(_words(30, "a"), rank=1), make_hit(_words(80, "b"), rank=2), make_hit(_words(20, "c"), rank=3)]
    packed = _pack(hits, context_tokens=100 + SAFETY_TOKENS, reserved=40)  # 60 tokens for passages
    assert [h.rank for h in packed.hits] == [1, 3]
    assert packed.dropped == 1
    assert packed.blocks == (f"[1] {hits[0].chunk.text}", f"[2] {hits[2].chunk.text}")  # renumbered, uncut


def test_everything_fits_in_a_large_window():
    hits = [make_hit(_words(10, t), rank=i) for i, t in enumerate("abc", start=1)]
    assert len(_pack(hits, context_tokens=2048).hits) == 3


def test_no_passage_fits_raises_context_too_small():
    with pytest.raises(ContextTooSmallError, match="512 tokens is too small"):
        _pack([make_hit(_words(400, "a"))], context_tokens=512, reserved=160)


def test_no_hits_packs_nothing():
    assert _pack([], context_tokens=64).hits == ()
