"""The default index backend: one folder holding `chunks.sqlite` (the truth) and derived FAISS + bm25s files.

Writing: the folder's `write.lock` (one writer at a time; a second waits `lock_timeout` seconds),
then ONE SQLite transaction per update (`Store.transaction()`: a crash or Ctrl-C before its commit
leaves the previous index exactly as it was), then `sync` rebuilds the derived dense and lexical
indexes from the committed store (no re-embedding) under names carrying the new generation
(`rag.retrieve.artifacts`), updating the previous generation's in place of a full rebuild where it
can. Reading: the store read-only (WAL: a consistent snapshot while a writer
works) and the derived indexes of its current generation, rebuilt from the store when missing
(a crash between commit and artifact write) and saved back if no writer holds the lock.

What it leaves out: everything that is not storage and search (see `rag.retrieve.backends`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rag.errors import IndexLockedError, IndexMissingError, InputError
from rag.retrieve import artifacts
from rag.retrieve.store import SENTENCE_VECTORS_FILE, STORE_FILE, FileRecord, Store, index_command

if TYPE_CHECKING:
    import numpy as np

    from rag.config import Settings
    from rag.retrieve.dense import DenseIndex
    from rag.retrieve.lexical import LexicalIndex
    from rag.types import Chunk

LOCK_FILE = "write.lock"


def index_folder_skip(own: Path) -> Callable[[Path], str | None]:  # a rag.ingest.loaders.SkipDir
    """For a walk of documents: a rag index folder (its store and its write lock) is no documents.
    The index being written (`own`) is passed over silently; another is named once."""
    own_abs = os.path.abspath(own)

    def why(folder: Path) -> str | None:
        if not ((folder / STORE_FILE).is_file() and (folder / LOCK_FILE).exists()):
            return None
        return "" if os.path.abspath(folder) == own_abs else "a rag index folder, not documents; passed over"
    return why


def write_in_progress(index_dir: Path) -> bool:
    """Whether a `rag index` holds the write lock of `index_dir` right now (False if unknown)."""
    from filelock import FileLock, Timeout

    if not (Path(index_dir) / LOCK_FILE).exists():
        return False
    try:
        with FileLock(str(Path(index_dir) / LOCK_FILE), timeout=0):
            return False
    except Timeout:
        return True
    except OSError:  # a read-only folder: cannot tell
        return False


class _LocalUpdate:
    def __init__(self, store: Store) -> None:
        self._store = store

    def clear(self) -> None:
        self._store.clear()

    def remove_file(self, path: str) -> None:
        self._store.remove_file(path)

    def put_file(self, record: FileRecord, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        self._store.remove_file(record.path)
        self._store.put_file(record)
        self._store.add_chunks(record.path, chunks, vectors)

    def set_manifest(self, manifest: dict[str, Any]) -> None:
        self._store.set_manifest(manifest)


class LocalBackend:
    def __init__(self, settings: Settings, *, write: bool, rebuild: bool = False) -> None:
        self.settings = settings
        self.index_dir = Path(settings.index_dir)
        lock_timeout = settings.lock_timeout
        self.location = str(self.index_dir)
        self.repaired: list[str] = []
        self.derived: dict[str, tuple[str, str, float]] = {}  # what the last sync did: (how, kind, seconds)
        self._dense: DenseIndex | None = None
        self._lexical: LexicalIndex | None = None
        self._lock: Any = None
        path = self.index_dir / STORE_FILE
        if self.index_dir.exists() and not self.index_dir.is_dir():
            raise InputError(f"{self.index_dir} is a file, not an index folder. Pass a folder with --index "
                             "(a new one is created).")
        if not write:
            if not path.is_file():
                self._missing(f"No index at {self.index_dir}/.")
            self._store = Store(path, readonly=True)
            return
        from filelock import FileLock, Timeout

        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.index_dir / LOCK_FILE), timeout=lock_timeout)
        try:
            lock.acquire()
        except Timeout:
            raise IndexLockedError(
                f"Another `rag index` is writing {self.index_dir}; wait for it to finish "
                f"(or raise lock_timeout, now {lock_timeout:g} s)."
            ) from None
        self._lock = lock
        if rebuild:
            for cached in self.index_dir.glob(f"{SENTENCE_VECTORS_FILE}*"):
                with suppress(OSError):
                    cached.unlink()
        try:
            self._store = Store(path, upgrade=rebuild)
        except BaseException:
            lock.release()
            raise

    def _missing(self, what: str) -> NoReturn:
        """IndexMissingError: "being built" while a first `rag index` holds the lock, else how to make one."""
        if write_in_progress(self.index_dir):
            raise IndexMissingError(
                f"The index at {self.index_dir}/ is being built by a `rag index` right now; "
                "try again when it has finished."
            )
        if _holds_documents(self.index_dir):  # `--index docs` where `rag index docs` was meant
            raise IndexMissingError(
                f"{self.index_dir}/ holds documents, not an index. Index them into a folder of its own: "
                f"`{index_command(Path('.rag'), [str(self.index_dir)])}`, then ask with --index .rag."
            )
        raise IndexMissingError(
            f"{what} Index your documents first: `{index_command(self.index_dir, ['PATH'])}` "
            "(PATH: your files or folders)."
        )

    def close(self) -> None:
        try:
            self._store.close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> LocalBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what is indexed ------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        return self._store.manifest()

    def generation(self) -> int:
        return self._store.generation

    def files(self) -> dict[str, FileRecord]:
        return self._store.files()

    def count_chunks(self) -> int:
        return self._store.count_chunks()

    # -- writing --------------------------------------------------------------------------------
    @contextmanager
    def update(self) -> Iterator[_LocalUpdate]:
        with self._store.transaction():
            yield _LocalUpdate(self._store)

    def sync(self, *, force: bool) -> list[str]:
        """Bring FAISS and lexical up to the committed store (`force`: it changed), or repair missing
        ones: the previous generation's updated where it can be (`artifacts.update_dense`,
        `update_lexical`), else built from the whole store. `self.derived` says which, and how long."""
        import time

        manifest = self._store.manifest()
        self.derived = {}
        if not manifest:
            return []
        gen = int(manifest["generation"])
        have = artifacts.current(self.index_dir, gen)
        repaired = []
        stale_kind = have["dense"] and not force and self._dense_kind_changed(gen)
        if force or not have["dense"] or stale_kind:
            dim, ann = int(manifest["dim"]), self.settings.ann
            t = time.perf_counter()
            dense = artifacts.update_dense(self._store, dim, self.index_dir, gen, ann) if force else None
            how = "updated" if dense is not None else "built"
            dense = dense or artifacts.build_dense(self._store, dim, ann)
            artifacts.write_dense(dense, self.index_dir, gen)
            self.derived["dense"] = (how, dense.kind, time.perf_counter() - t)
            del dense
            if not force and not stale_kind:
                repaired.append("dense")
        if force or not have["lexical"]:
            t = time.perf_counter()
            lexical = artifacts.update_lexical(self._store, self.index_dir, gen) if force else None
            how = "updated" if lexical is not None else "built"
            lexical = lexical or artifacts.build_lexical(self._store)
            artifacts.write_lexical(lexical, self.index_dir, gen)
            self.derived["lexical"] = (how, "bm25", time.perf_counter() - t)
            if not force:
                repaired.append("lexical")
        artifacts.prune(self.index_dir, keep=gen)
        self.repaired = repaired
        return repaired

    def _dense_kind_changed(self, gen: int) -> bool:
        """True when the setting `ann` now asks for another kind of dense index than the saved one."""
        from rag.retrieve.dense import choose_kind

        return artifacts.dense_kind(self.index_dir, gen) != choose_kind(self.settings.ann, self._store.count_chunks())

    # -- reading --------------------------------------------------------------------------------
    def load(self) -> dict[str, Any]:
        self.repaired = []
        with self._store.snapshot():
            manifest = self._store.manifest()
            if not manifest or not self._store.has_chunks():
                if write_in_progress(self.index_dir):
                    self._missing("")
                return {}
            gen = int(manifest["generation"])
            dense = artifacts.load_dense(self.index_dir, gen)
            lexical = artifacts.load_lexical(self.index_dir, gen)
            if dense is None:
                dense = artifacts.build_dense(self._store, int(manifest["dim"]), self.settings.ann)
                self.repaired.append("dense")
            if lexical is None:
                lexical = artifacts.build_lexical(self._store)
                self.repaired.append("lexical")
        self._dense, self._lexical = dense, lexical
        if self.repaired:
            self._persist_repairs(gen)
        else:
            artifacts.prune_dead_temps(self.index_dir)  # what killed writers left (their pid is gone)
        return manifest

    def _persist_repairs(self, gen: int) -> None:
        """Save what was rebuilt, if no writer holds the lock right now; searching works either way."""
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(self.index_dir / LOCK_FILE), timeout=0):
                artifacts.prune_dead_temps(self.index_dir)
                if self._store.generation != gen:
                    return  # a writer committed meanwhile and wrote its own
                if "dense" in self.repaired and self._dense is not None:
                    artifacts.write_dense(self._dense, self.index_dir, gen)
                if "lexical" in self.repaired and self._lexical is not None:
                    artifacts.write_lexical(self._lexical, self.index_dir, gen)
        except (Timeout, OSError):
            pass  # a writer is busy, or the folder is read-only

    def _loaded(self) -> tuple[DenseIndex, LexicalIndex]:
        if self._dense is None or self._lexical is None:
            self.load()
        assert self._dense is not None and self._lexical is not None
        return self._dense, self._lexical

    def dense_search(self, qvec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """FAISS's best `k`; an approximate index's candidates are re-scored exactly from the store."""
        dense = self._loaded()[0]
        if dense.exact_scores:
            return sorted(dense.search(qvec, k), key=lambda x: (-x[1], x[0]))  # equal cosines in id order
        from rag.retrieve.dense import RESCORE_FACTOR, rescore

        found = dense.search(qvec, k * RESCORE_FACTOR)
        return rescore(found, qvec, k, lambda ids: self._store.vectors(dense.dim, ids))

    def lexical_search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        return self._loaded()[1].search_terms(terms, k)

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        return self._store.chunks(ids)

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """From FAISS, or from the store for ids newer than it (a writer just committed)."""
        dense = self._loaded()[0]
        out = dense.vectors(ids)
        rest = [int(i) for i in ids if int(i) not in out]
        if rest:
            found, vectors = self._store.vectors(dense.dim, rest)
            out.update({int(i): v for i, v in zip(found, vectors, strict=True)})
        return out

    def iter_chunks(self) -> Iterator[tuple[int, Chunk]]:
        return self._store.iter_chunks()

    def file_vectors(self, path: str) -> dict[str, np.ndarray]:
        dim = self._store.manifest().get("dim")
        return self._store.file_vectors(path, int(dim)) if dim else {}

    def size_bytes(self) -> int | None:
        return sum(p.stat().st_size for p in self.index_dir.rglob("*") if p.is_file())


def _holds_documents(folder: Path) -> bool:
    """`folder` (no index in it) directly holds files rag would index."""
    from rag.ingest.loaders import SUPPORTED_SUFFIXES

    try:
        return any(p.suffix.lower() in SUPPORTED_SUFFIXES and p.is_file() for p in folder.iterdir())
    except OSError:
        return False
