"""The chunker's cost against document size and against sentences per chunk.

A chunk of `chunk_tokens` tokens holds a few sentences of prose but hundreds of one- or two-word
lines (lists, tables flattened to text, logs), and the packing step once re-counted the growing
window with tiktoken for every sentence added: work per chunk grew with the square of the
sentences in it, so a file of tiny lines cost many times what prose of the same size does.

Measured here, in one run, with the chunker `rag index` uses (chunk_tokens 256, overlap 50):

1. time and ms/MB on "tiny lines" (one or two Danish words a line, seeded) and on prose
   (sentences of SQuAD-da dev contexts, or seeds/ where ../shared/data is absent) at growing
   sizes: linear means ms/MB stays flat; the ratio tiny/prose is the price of tiny sentences;
2. on a fixed tiny-lines text, time and the characters handed to tiktoken per character of text
   against chunk_tokens (64…1024): a deterministic count of the work that does not depend on how
   busy the machine is. Linear packing keeps it flat whatever the chunk size (3.75 on tiny lines:
   each unit counted when split, again as it joins a window, once more when its chunk is measured,
   and partly again in the overlap; prose 2.35).

Measured (busy shared 2-core box, CPU seconds): before, tiny lines 24.6 characters counted per
character (8.8 at chunk_tokens 64, 88 at 1,024), 2 MB in 14.3 s; after, 3.75 at every chunk size,
2 MB in 4.2 s (prose 1.6 s). ms/MB was flat from 0.25 to 2 MB before and after: the cost grew with
sentences per chunk, not with file size.

Sizes: BENCH_CHUNK_MB (comma-separated megabytes, default "0.25,0.5,1,2"). Timings are CPU
seconds of this process (`time.process_time`), printed, never asserted; run it alone (`nice`).
"""

from __future__ import annotations

import os
import random
import time

from common import danish_prose, fill, table

MB = 1_000_000
WORDS = ["ja", "nej", "Sorø", "kommune", "og", "det", "er", "godt", "i", "dag", "Børnene", "Først", "2024",
         "skole", "Kapitel", "side", "pris", "kr.", "OK", "-"]


def tiny_lines(nbytes: int, seed: int = 0) -> str:
    rng = random.Random(seed)
    return fill(nbytes, lambda: " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 2))), "\n")


def prose(nbytes: int, seed: int = 0) -> str:
    return danish_prose(nbytes, seed)


def run(text: str, chunk_tokens: int = 256, overlap: int = 50) -> tuple[float, int, float]:
    """(CPU seconds, chunks, characters counted by tiktoken per character of text)."""
    from rag.ingest.chunker import Chunker
    from rag.types import Document

    chunker = Chunker(chunk_tokens=chunk_tokens, overlap=overlap)
    counted = 0
    count = chunker.count

    def counting(text: str) -> int:  # named as Chunker.count's parameter, so it may stand in for it
        nonlocal counted
        counted += len(text)
        return count(text)

    chunker.count = counting  # type: ignore[method-assign]
    doc = Document(source="x.txt", text=text, sha256="0" * 64)
    t0 = time.process_time()
    chunks = chunker.chunk(doc)
    return time.process_time() - t0, len(chunks), counted / max(1, len(text))


def main() -> None:
    sizes = [float(x) for x in os.environ.get("BENCH_CHUNK_MB", "0.25,0.5,1,2").split(",")]
    run("warm up tiktoken.\n" * 10)
    rows, per_mb = [], {}
    for mb in sizes:
        for name, make in (("tiny lines", tiny_lines), ("prose", prose)):
            seconds, n, work = run(make(int(mb * MB)))
            per_mb[name, mb] = seconds / mb
            rows.append((f"{name}, {mb:g} MB", f"{seconds:7.2f} s  {seconds / mb * 1000:8,.0f} ms/MB  "
                                               f"{n:7,} chunks  {work:5.2f} chars counted/char"))
    lo, hi = sizes[0], sizes[-1]
    rows += [
        (f"ms/MB at {hi:g} MB / at {lo:g} MB, tiny lines", f"{per_mb['tiny lines', hi] / per_mb['tiny lines', lo]:.2f}"
                                                            "  (1.0 = linear in size)"),
        (f"ms/MB at {hi:g} MB / at {lo:g} MB, prose", f"{per_mb['prose', hi] / per_mb['prose', lo]:.2f}"),
        (f"tiny lines / prose, ms/MB at {hi:g} MB", f"{per_mb['tiny lines', hi] / per_mb['prose', hi]:.2f}"),
    ]
    table("Chunking time against document size (chunk_tokens 256, overlap 50)", rows)

    text = tiny_lines(int(0.25 * MB))
    sweep = []
    for tokens in (64, 128, 256, 512, 1024):
        seconds, n, work = run(text, chunk_tokens=tokens, overlap=tokens // 5)
        sweep.append((f"chunk_tokens {tokens:5}", f"{seconds:6.2f} s  {n:6,} chunks  {work:6.2f} chars counted/char"))
    table("Tiny lines, 0.25 MB, against chunk size (overlap = chunk_tokens / 5)", sweep)


if __name__ == "__main__":
    main()
