"""Evaluation metrics as pure functions, each checked against hand-computed examples in the tests.

Retrieval metrics take `matches`: for each retrieved passage, best rank first, the set of gold
evidence indices it contains (empty when it is not relevant), and `n_gold`, the number of evidence
quotes in the gold item. Working on evidence indices rather than relevance flags is what keeps
the metrics honest when the same evidence is retrieved twice (duplicate or overlapping chunks):
a quote is credited once, at the first rank that has it, so hit rate, recall and nDCG never exceed 1.

Answer metrics take the prediction and the gold aliases and score the best alias.
Aggregates return None when they are undefined (no items to average over), never a made-up 0 or 1.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from rag.evaluate.normalize import answer_tokens, normalize_answer

if TYPE_CHECKING:
    from rag.protocols import Embedder

Matches = Sequence[Collection[int]]


# -- retrieval -------------------------------------------------------------------------------
def first_relevant_rank(matches: Matches, k: int | None = None) -> int | None:
    """1-based rank of the first relevant passage within the top k, or None."""
    for rank, m in enumerate(matches[:k] if k else matches, start=1):
        if m:
            return rank
    return None


def hit_at_k(matches: Matches, k: int) -> float:
    """1.0 when any of the top k passages is relevant."""
    return 1.0 if first_relevant_rank(matches, k) else 0.0


def mrr_at_k(matches: Matches, k: int) -> float:
    """Reciprocal rank of the first relevant passage in the top k (0.0 when none)."""
    rank = first_relevant_rank(matches, k)
    return 1.0 / rank if rank else 0.0


def recall_at_k(matches: Matches, n_gold: int, k: int) -> float:
    """Share of the gold evidence quotes found in the top k passages."""
    if n_gold <= 0:
        raise ValueError("recall needs at least one gold evidence quote")
    found = set().union(*matches[:k]) if matches else set()
    return len(found & set(range(n_gold))) / n_gold


def ndcg_at_k(matches: Matches, n_gold: int, k: int) -> float:
    """nDCG with binary gains: a passage gains 1 when it holds an evidence quote not found above it.

    The ideal DCG puts all `n_gold` relevant items (capped at k) at the top, however many the
    retriever returned, so a retriever that finds one of three quotes at rank 1 scores well below 1.
    """
    if n_gold <= 0:
        raise ValueError("nDCG needs at least one gold evidence quote")
    seen: set[int] = set()
    dcg = 0.0
    for i, m in enumerate(matches[:k]):
        new = set(m) - seen
        if new:
            dcg += 1.0 / math.log2(i + 2)
            seen |= new
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(n_gold, k)))
    return dcg / ideal


# -- answers ---------------------------------------------------------------------------------
def exact_match(pred: str, golds: Iterable[str]) -> float:
    """1.0 when the normalised prediction equals a normalised gold alias."""
    p = normalize_answer(pred)
    return 1.0 if any(p == normalize_answer(g) for g in golds) else 0.0


def _f1(pred: list[str], gold: list[str]) -> float:
    if not pred or not gold:
        return 1.0 if pred == gold else 0.0
    common = sum((Counter(pred) & Counter(gold)).values())
    if common == 0:
        return 0.0
    precision, recall = common / len(pred), common / len(gold)
    return 2 * precision * recall / (precision + recall)


def token_f1(pred: str, golds: Iterable[str]) -> float:
    """Bag-of-tokens F1 of the normalised prediction against the best gold alias."""
    p = answer_tokens(pred)
    return max((_f1(p, answer_tokens(g)) for g in golds), default=0.0)


def contains(pred: str, golds: Iterable[str]) -> float:
    """1.0 when a normalised gold alias occurs in the normalised prediction, on word boundaries."""
    p = f" {normalize_answer(pred)} "
    for g in golds:
        g_norm = normalize_answer(g)
        if g_norm and f" {g_norm} " in p:
            return 1.0
    return 0.0


def semantic(pred: str, golds: Iterable[str], embedder: Embedder) -> float:
    """Best cosine between the prediction and a gold alias, both embedded with `embed_query`.

    Query-side embeddings are used for both texts because the comparison is symmetric (short text
    against short text); the embedder returns L2-normalised vectors, so the dot product is the cosine.
    An empty prediction scores 0.0.
    """
    golds = [g for g in golds if g.strip()]
    if not pred.strip() or not golds:
        return 0.0
    p = embedder.embed_query(pred)
    return max(float(p @ embedder.embed_query(g)) for g in golds)


# -- citations and refusal -------------------------------------------------------------------
def citation_precision(correct: Sequence[bool]) -> float | None:
    """Share of an answer's cited passages that contain evidence; None when it cites nothing."""
    return sum(correct) / len(correct) if correct else None


def refusal_scores(refused: Sequence[bool], answerable: Sequence[bool]) -> dict[str, float | None]:
    """Precision and recall of refusing, with "refused" as the positive class and "unanswerable" as truth."""
    tp = sum(r and not a for r, a in zip(refused, answerable, strict=True))
    n_refused = sum(refused)
    n_unanswerable = sum(not a for a in answerable)
    return {
        "refusal_precision": tp / n_refused if n_refused else None,
        "refusal_recall": tp / n_unanswerable if n_unanswerable else None,
    }


# -- aggregation -----------------------------------------------------------------------------
def mean(values: Iterable[float | None]) -> float | None:
    """Mean of the values that are not None; None when there are none."""
    vals = [v for v in values if v is not None]
    return sum(vals) / len(vals) if vals else None


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th percentile (0–100) with linear interpolation between closest ranks (numpy's default)."""
    vals = sorted(values)
    if not vals:
        return None
    pos = (len(vals) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return vals[lo] + (vals[hi] - vals[lo]) * (pos - lo)
