"""`rag index`: bring the index folder up to date with files on disk, incrementally and atomically.

One update, under the folder's write lock:
1. find files under the given paths; hash each file's raw bytes (sha256); files whose hash the
   store already has are *unchanged* and are neither loaded, chunked nor embedded;
2. load, clean and chunk new and changed files (unreadable ones go to `report.skipped`);
3. in ONE store transaction: delete the chunks of changed and removed files, embed the new
   chunks batch by batch and insert them with their vectors, bump the manifest generation;
4. after the commit, rebuild the derived FAISS and lexical indexes from the store (no
   re-embedding) and write them atomically under names carrying the new generation.
A crash or Ctrl-C before step 3 commits leaves the previous index untouched; one after it leaves
a committed store whose derived indexes are rebuilt from it on the next load.

Removal rule: a file is removed from the index when it was indexed from under one of the paths
given now (or is one of them) and no longer exists there, or can no longer be read. Files indexed
from other paths are kept: `rag index seeds` does not remove what `rag index notes` added.
`rebuild=True` wipes the index and re-embeds everything under the given paths; it is how the
embedder or the chunker settings are changed.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.errors import IndexLockedError, InputError, UnreadableFileError
from rag.protocols import Embedder
from rag.retrieve import artifacts
from rag.retrieve.manifest import check_manifest, manifest_for
from rag.retrieve.store import STORE_FILE, FileRecord, Store, now_iso
from rag.types import Chunk, Document

Progress = Callable[[str, int, int], None]
LOCK_FILE = "write.lock"


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    chunks_embedded: int = 0
    chunks_total: int = 0
    files_total: int = 0
    seconds: float = 0.0
    tokens_embedded: int = 0  # tiktoken tokens of the embedded chunks
    embed_seconds: float = 0.0  # time spent inside the embedder
    generation: int = 0  # store generation after the update
    rebuilt: bool = False
    repaired: list[str] = field(default_factory=list)  # derived indexes rebuilt from the store

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


def _abspath(p: Path | str) -> str:
    return os.path.abspath(os.fspath(p))


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)




@dataclass
class _Pending:
    """A new or changed file, loaded and chunked, waiting to be embedded."""

    path: str
    doc: Document
    size: int
    chunks: list[Chunk]
    is_update: bool


class Indexer:
    def __init__(self, settings: Settings, embedder: Embedder) -> None:
        self.settings = settings
        self.embedder = embedder
        self.index_dir = Path(settings.index_dir)

    def update(self, paths: list[Path], *, rebuild: bool = False, progress: Progress | None = None) -> IndexReport:
        from filelock import FileLock, Timeout

        t0 = time.perf_counter()
        progress = progress or (lambda what, done, total: None)
        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.index_dir / LOCK_FILE), timeout=self.settings.lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise IndexLockedError(
                f"Another `rag index` is writing {self.index_dir}; wait for it to finish "
                f"(or raise lock_timeout, now {self.settings.lock_timeout:g} s)."
            ) from None
        try:
            with Store(self.index_dir / STORE_FILE) as store:
                report = self._update(store, [Path(p) for p in paths], rebuild, progress)
        finally:
            lock.release()
        report.seconds = time.perf_counter() - t0
        return report

    # -- the steps ----------------------------------------------------------------------------
    def _update(self, store: Store, paths: list[Path], rebuild: bool, progress: Progress) -> IndexReport:
        from rag.ingest.loaders import discover

        report = IndexReport(rebuilt=rebuild)
        manifest = manifest_for(self.settings, self.embedder)
        has_chunks = store.count_chunks() > 0
        if not rebuild and has_chunks:
            check_manifest(store.manifest(), manifest, self.index_dir, chunker=True)
        previously = store.files()
        indexed = {} if rebuild else previously  # a rebuild treats every file as new

        files, skipped = discover(paths)
        report.skipped.extend((str(s), str(r)) for s, r in skipped)
        roots = [_abspath(p) for p in paths]
        seen: set[str] = set()
        pending: list[_Pending] = []
        chunker = self._chunker()
        unique = list(dict.fromkeys(_abspath(f) for f in files))
        for i, path in enumerate(unique, start=1):
            progress("Reading", i - 1, len(unique))
            old = indexed.get(path)
            try:
                data = Path(path).read_bytes()  # read once: hashed here, extracted below if changed
            except OSError as e:
                report.skipped.append((old.source if old else _display(path), e.strerror or str(e)))
                continue
            sha, size = hashlib.sha256(data).hexdigest(), len(data)
            if old is not None and old.sha256 == sha:
                seen.add(path)
                report.unchanged.append(old.source)
                continue
            try:
                doc = self._load(path, data)
            except UnreadableFileError as e:  # its message reads "<path>: skipped: <reason>"
                report.skipped.append((old.source if old else _display(path), str(e).split(": skipped: ")[-1]))
                continue
            chunks = chunker.chunk(doc)
            if not chunks:
                report.skipped.append((doc.source, "no text to index"))
                continue
            seen.add(path)
            pending.append(_Pending(path, doc, size, chunks, is_update=path in previously))
        progress("Reading", len(unique), len(unique))

        gone = [p for p in previously if p not in seen and (rebuild or _under(p, roots))]
        if not pending and (rebuild or not has_chunks):  # a rebuild of nothing keeps the old index
            reasons = "; ".join(f"{s}: {r}" for s, r in report.skipped[:3])
            raise InputError(
                f"Nothing to index under {', '.join(map(str, paths))}"
                + (f" ({reasons})" if reasons else "")
                + ". Give files or folders with .txt, .md, .html, .pdf or .docx documents, e.g. rag index seeds."
            )
        if pending or gone or rebuild:
            self._commit(store, pending, gone, previously, manifest, rebuild, report, progress)
        report.generation = store.generation
        self._write_artifacts(store, report, force=report.changed)
        report.chunks_total = store.count_chunks()
        report.files_total = len(store.files())
        return report

    def _chunker(self) -> Any:
        from rag.ingest.chunker import Chunker

        max_tokens = self.embedder.max_tokens
        return Chunker(
            encoding=self.settings.encoding,
            chunk_tokens=self.settings.chunk_tokens,
            overlap=self.settings.chunk_overlap,
            fits=lambda text: self.embedder.count_tokens(text) <= max_tokens,
        )

    @staticmethod
    def _load(path: str, data: bytes) -> Document:
        from rag.ingest.loaders import load_document

        return load_document(Path(path), source=_display(path), data=data)

    def _commit(self, store: Store, pending: list[_Pending], gone: list[str], previously: dict[str, FileRecord],
                manifest: dict[str, Any], rebuild: bool, report: IndexReport, progress: Progress) -> None:
        """The one transaction: remove, embed + insert, bump the generation. All or nothing."""
        total = sum(len(p.chunks) for p in pending)
        batch = max(1, self.settings.embed_batch)
        done = 0
        if total:
            progress("Embedding", 0, total)
        with store.transaction():
            if rebuild:
                store.clear()
            for path in gone:
                store.remove_file(path)
                report.removed.append(previously[path].source)
            stamp = now_iso()
            # Embed across file boundaries in full batches; insert each file once all its chunks are in.
            queue: list[tuple[_Pending, Chunk]] = [(p, c) for p in pending for c in p.chunks]
            vectors_of: dict[int, list[Any]] = {id(p): [] for p in pending}
            for start in range(0, len(queue), batch):
                part = queue[start : start + batch]
                t = time.perf_counter()
                vectors = self.embedder.embed_passages([c.text for _, c in part])
                report.embed_seconds += time.perf_counter() - t
                for (p, _), vec in zip(part, vectors, strict=True):
                    vectors_of[id(p)].append(vec)
                    if len(vectors_of[id(p)]) == len(p.chunks):
                        self._insert(store, p, vectors_of.pop(id(p)), stamp)
                        (report.updated if p.is_update and not rebuild else report.added).append(p.doc.source)
                done += len(part)
                progress("Embedding", done, total)
            store.set_manifest(manifest)
        report.chunks_embedded = total
        report.tokens_embedded = sum(c.n_tokens for p in pending for c in p.chunks)

    @staticmethod
    def _insert(store: Store, p: _Pending, vectors: list[Any], stamp: str) -> None:
        import numpy as np

        store.remove_file(p.path)
        store.put_file(FileRecord(p.path, p.doc.source, p.doc.sha256, p.size, len(p.chunks), p.doc.title,
                                  p.doc.date, stamp))
        store.add_chunks(p.path, p.chunks, np.stack(vectors))

    def _write_artifacts(self, store: Store, report: IndexReport, *, force: bool) -> None:
        """Rebuild FAISS and lexical from the committed store (or repair missing ones)."""
        gen = report.generation
        have = artifacts.current(self.index_dir, gen)
        if force or not have["dense"]:
            artifacts.write_dense(artifacts.build_dense(store, self.embedder.dim), self.index_dir, gen)
            if not force:
                report.repaired.append("dense")
        if force or not have["lexical"]:
            artifacts.write_lexical(artifacts.build_lexical(store), self.index_dir, gen)
            if not force:
                report.repaired.append("lexical")
        artifacts.prune(self.index_dir, keep=gen)


def _display(path: str) -> str:
    """A path as the user would write it: relative to the working directory when under it."""
    cwd = os.getcwd()
    return os.path.relpath(path, cwd) if _under(path, [cwd]) else path
