"""Indexing and search benchmark.

Figures: indexing throughput (tokens/s, chunks/s) beside the raw embedder on the same chunk texts
(the ratio shows rag's own overhead), re-index time of an unchanged corpus, index size on disk,
query latency per retrieval mode (in-process, warm) and `rag search` latency as a fresh process,
and peak RSS of `rag index` as a child process. Corpora: seeds/, and all 1,010 squad-da passages
when ../shared/data is present.
"""

from __future__ import annotations

import os
import tempfile
import time
from functools import partial
from pathlib import Path

from rag.config import Settings
from rag.pipeline import Rag
from rag.types import Hit

from common import QUESTIONS, RAG, ROOT, SQUAD, dir_size_mb, median_seconds, run_child, table


def squad_docs(tmp: Path) -> Path | None:
    if not SQUAD.exists() or os.environ.get("BENCH_SQUAD") == "0":  # BENCH_SQUAD=0: seeds only (fast)
        return None
    from rag.evaluate.squad import import_squad

    out = tmp / "squad"
    import_squad(SQUAD, out)
    return out / "docs"


def bench_corpus(name: str, corpus: Path, tmp: Path) -> None:
    index_dir = tmp / f"index-{name}"
    settings = Settings(index_dir=index_dir)
    rag = Rag(settings)
    embedder = rag.embedder  # load outside the timed region: model start-up is not indexing

    t0 = time.perf_counter()
    report = rag.index([corpus])
    index_s = time.perf_counter() - t0

    searcher = rag.searcher()
    chunks = searcher.all_chunks()
    texts = [c.text for c in chunks]
    tokens = sum(c.n_tokens for c in chunks)
    t0 = time.perf_counter()
    for i in range(0, len(texts), settings.embed_batch):
        embedder.embed_passages(texts[i: i + settings.embed_batch])
    raw_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    again = rag.index([corpus])
    reindex_s = time.perf_counter() - t0

    def rate(seconds: float) -> str:
        return f"{seconds:.2f} s  {tokens / seconds:,.0f} tok/s  {len(chunks) / seconds:,.1f} chunks/s"

    rows = [
        ("files / chunks / tokens", f"{report.files_total} / {len(chunks)} / {tokens}"),
        ("index (full)", rate(index_s)),
        ("raw embedder, same texts", rate(raw_s)),
        ("ratio index / raw embed", f"{index_s / raw_s:.2f}x"),
        ("re-index unchanged", f"{reindex_s:.3f} s  ({again.chunks_embedded} chunks embedded)"),
        ("index size on disk", f"{dir_size_mb(index_dir):.2f} MB"),
    ]
    for part in sorted(index_dir.iterdir()):
        size = dir_size_mb(part) if part.is_dir() else part.stat().st_size / 1e6
        rows.append((f"  {part.name}", f"{size:.3f} MB"))

    def search_all(mode: str) -> list[list[Hit]]:
        return [rag.search(q, k=5, mode=mode) for q in QUESTIONS]

    for mode in ("dense", "lexical", "hybrid"):
        per_q = median_seconds(partial(search_all, mode), repeat=5)
        rows.append((f"search latency, {mode} (warm)", f"{per_q / len(QUESTIONS) * 1000:.1f} ms/query"))
    table(f"Index + search: {name}", rows)


def bench_process(tmp: Path) -> None:
    index_dir = tmp / "index-proc"
    wall, rss, _ = run_child([*RAG, "index", "seeds", "--index", str(index_dir)])
    search_wall, search_rss, _ = run_child([*RAG, "search", QUESTIONS[0], "--index", str(index_dir), "--json"])
    help_wall, _, _ = run_child([*RAG, "--help"])
    table("Processes (cold, seeds/)", [
        ("rag index seeds", f"{wall:.2f} s, peak RSS {rss:.0f} MB"),
        ("rag search (fresh process)", f"{search_wall:.2f} s, peak RSS {search_rss:.0f} MB"),
        ("rag --help", f"{help_wall:.2f} s"),
    ])


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        bench_process(tmp)
        bench_corpus("seeds/", ROOT / "seeds", tmp)
        docs = squad_docs(tmp)
        if docs:
            bench_corpus("squad-da-dev (1,010 passages)", docs, tmp)


if __name__ == "__main__":
    main()
