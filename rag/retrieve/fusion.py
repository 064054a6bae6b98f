"""Reciprocal rank fusion (Cormack, Clarke & Büttcher, SIGIR 2009) of ranked id lists.

Each leg ("dense", "lexical", ...) contributes `weight / (k + rank)` for every id it ranked
(1-based). Only ranks are used, so legs with incomparable scores (cosine, BM25) fuse cleanly.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence


def rrf(
    rankings: Mapping[str, Sequence[int]],
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> list[tuple[int, float]]:
    """Fuse best-first id lists into best-first (id, score) pairs.

    `weights` defaults to 1.0 for every leg (a leg missing from a given mapping also gets 1.0).
    An id repeated within one leg counts once, at its first position, and the repeats do not push
    later ids down. Ties on the fused score (common: ranks 1 and 3 tie with ranks 3 and 1) are
    broken by the id's best rank in any single leg, then by its ranks in the legs in the order
    they are given (so the first leg is the tie-breaker), then by the id: always deterministic.
    """
    if k < 0:
        raise ValueError(f"rrf k must be >= 0, got {k}")
    scores: dict[int, float] = {}
    leg_ranks: list[dict[int, int]] = []
    for leg, ids in rankings.items():
        w = 1.0 if weights is None else float(weights.get(leg, 1.0))
        ranks = {doc: rank for rank, doc in enumerate(dict.fromkeys(ids), start=1)}  # de-duplicated
        for doc, rank in ranks.items():
            scores[doc] = scores.get(doc, 0.0) + w / (k + rank)
        leg_ranks.append(ranks)

    def tie_key(doc: int) -> tuple[float, int, tuple[float, ...], int]:
        ranks = tuple(float(r.get(doc, math.inf)) for r in leg_ranks)
        return (-scores[doc], int(min(ranks)), ranks, doc)

    return [(d, scores[d]) for d in sorted(scores, key=tie_key)]
