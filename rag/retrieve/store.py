"""The SQLite store (`chunks.sqlite` in the index folder): the single source of truth of an index.

It holds every indexed file (path, content hash, title, date, size), every chunk (text, offsets,
title, date, page(s) and section, and its embedding as a float32 blob) and the manifest (embedder,
chunker settings, a `generation` counter).
FAISS and the lexical index are derived from it and can always be rebuilt from it without
re-embedding. Every change is made in transactions (`Store.transaction()`): a crash or Ctrl-C
before a commit leaves the index exactly as the previous commit left it.

Format 2 added each chunk's page, page_end and section. An index in another format is refused
with the command that rebuilds it (`Store(..., upgrade=True)` is how a rebuild opens it; its
`clear()` then recreates the tables, all inside the rebuild's first transaction).

Chunk ids are INTEGER PRIMARY KEY AUTOINCREMENT, so an id is never reused, even after its chunk
is deleted: the ids in FAISS and the lexical index always mean the same chunk. The database runs
in WAL mode, so readers (`rag search` in another terminal) keep a consistent snapshot while a
writer works.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import IndexCorruptError
from rag.types import Chunk

STORE_FILE = "chunks.sqlite"
# Sentence vectors a reader keeps beside the index (`rag.answer.vector_cache`); a rebuild deletes them,
# since a rebuild is how an index changes embedder, and an embedder's id need not change with its weights.
SENTENCE_VECTORS_FILE = "sentence-vectors.sqlite"
SCHEMA_VERSION = 2

_META = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
_FILES = """CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,          -- absolute, resolved: identifies the file across working dirs
    source TEXT NOT NULL,           -- as shown to users
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    n_chunks INTEGER NOT NULL,
    title TEXT,
    date TEXT,
    indexed_at TEXT NOT NULL
)"""
_CHUNKS = """CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    path TEXT NOT NULL REFERENCES files(path) ON DELETE CASCADE,
    source TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    n_tokens INTEGER NOT NULL,
    title TEXT,
    date TEXT,
    page INTEGER,                   -- PDF page the chunk starts on; NULL for formats without pages
    page_end INTEGER,
    section TEXT,                   -- heading path, "Indledning › Baggrund"
    vector BLOB NOT NULL
)"""
_CHUNKS_INDEX = "CREATE INDEX IF NOT EXISTS chunks_path ON chunks(path)"
_TABLES = (_META, _FILES, _CHUNKS, _CHUNKS_INDEX)

_CHUNK_COLS = 'id, source, ordinal, start, "end", text, n_tokens, title, date, page, page_end, section'


@dataclass(frozen=True)
class FileRecord:
    path: str
    source: str
    sha256: str
    size: int
    n_chunks: int
    title: str | None
    date: str | None
    indexed_at: str


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _row_to_chunk(row: Sequence[Any]) -> tuple[int, Chunk]:
    cid, source, ordinal, start, end, text, n_tokens, title, date, page, page_end, section = row
    return cid, Chunk(source=source, start=start, end=end, text=text, ordinal=ordinal,
                      n_tokens=n_tokens, title=title, date=date, page=page, page_end=page_end,
                      section=section)


def index_command(index_dir: Path | str, paths: Sequence[str | Path] = (), *, rebuild: bool = False) -> str:
    """The `rag index` command line for this index folder and these paths, shell-quoted, for hints."""
    import shlex

    words = ["rag", "index", *(["--rebuild"] if rebuild else []), *(str(p) for p in paths), "--index",
             str(index_dir)]
    return " ".join(w if w.startswith("~/") else shlex.quote(w) for w in words)


def rebuild_hint(index_dir: Path | str) -> str:
    """Rebuilds an index from the files it holds (given no paths, `rag index` re-reads those)."""
    return index_command(index_dir, rebuild=True)


class Store:
    """One connection to `chunks.sqlite`. Readers pass `readonly=True`; a rebuild passes
    `upgrade=True` to open an index of another format (its tables are recreated by `clear()`)."""

    def __init__(self, path: Path, *, readonly: bool = False, upgrade: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.outdated = False  # holds another format, to be recreated by clear()
        try:
            if readonly:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                           check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, check_same_thread=False)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")  # a commit survives power loss
            self._db.isolation_level = None  # we issue BEGIN/COMMIT ourselves
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=10000")
            if not readonly:
                for statement in _TABLES:
                    self._db.execute(statement)
            schema = self._meta("schema")
        except sqlite3.DatabaseError as e:
            raise IndexCorruptError(
                f"The index store {self.path} cannot be read ({e}). It is what everything else is rebuilt "
                f"from, so it must be rebuilt from your documents: delete {self.path.parent} and run "
                f"`rag index <your documents> --index {self.path.parent}` again."
            ) from None
        if schema is not None and int(schema) != SCHEMA_VERSION:
            if upgrade and not readonly:
                self.outdated = True
            else:
                newer = int(schema) > SCHEMA_VERSION
                raise IndexCorruptError(
                    f"The index at {self.path.parent} has store format {schema}; this rag reads format "
                    f"{SCHEMA_VERSION}" + (" (upgrade rag, or rebuild the index with this one: "
                                          if newer else " (it keeps no page or section of each passage): ")
                    + f"run `{rebuild_hint(self.path.parent)}` to re-read its documents."
                )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- manifest -----------------------------------------------------------------------------
    def _meta(self, key: str) -> str | None:
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # no table yet (an empty database file)
            return None
        return row[0] if row else None

    def manifest(self) -> dict[str, Any]:
        """The manifest as last committed; {} for a new store. IndexCorruptError when it does not
        match the checksum written with it: it records which embedder made the stored vectors, so
        it cannot be derived again from them."""
        raw = self._meta("manifest")
        if not raw:
            return {}
        digest = self._meta("manifest_sha256")
        try:
            if digest is not None and hashlib.sha256(raw.encode("utf-8")).hexdigest() != digest:
                raise ValueError("checksum mismatch")
            data = json.loads(raw)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            int(data.get("generation", 0))
        except (ValueError, TypeError) as e:
            raise IndexCorruptError(
                f"The manifest of the index at {self.path.parent} is damaged ({e}); it records which "
                "embedder made the vectors, so the index must be rebuilt: run `rag index --rebuild`."
            ) from None
        return data

    @property
    def generation(self) -> int:
        return int(self.manifest().get("generation", 0))

    def set_manifest(self, manifest: dict[str, Any]) -> None:
        """Write the manifest (inside `transaction()`), bumping `generation` and `updated`."""
        try:
            old = self.manifest()
            generation = int(old.get("generation", 0)) + 1
        except IndexCorruptError:  # a rebuild over a damaged manifest: a generation no old file has
            old, generation = {}, int(time.time())
        stamp = now_iso()
        new = {**manifest, "generation": generation, "created": old.get("created", stamp), "updated": stamp}
        raw = json.dumps(new, ensure_ascii=False, sort_keys=True)
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('manifest', ?)", (raw,))
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('manifest_sha256', ?)",
                         (hashlib.sha256(raw.encode("utf-8")).hexdigest(),))
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))

    # -- writing ------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """BEGIN IMMEDIATE … COMMIT; any exception (KeyboardInterrupt too) rolls everything back."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def clear(self) -> None:
        """Delete every file and chunk (inside `transaction()`); recreate the tables of an outdated
        format. Chunk ids keep counting up from the highest ever used either way."""
        if not self.outdated:
            self._db.execute("DELETE FROM chunks")
            self._db.execute("DELETE FROM files")
            return
        row = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'chunks'").fetchone()
        self._db.execute("DROP TABLE IF EXISTS chunks")
        self._db.execute("DROP TABLE IF EXISTS files")
        for statement in _TABLES:
            self._db.execute(statement)
        if row:
            self._db.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ('chunks', ?)", (row[0],))
        self.outdated = False

    def remove_file(self, path: str) -> None:
        self._db.execute("DELETE FROM chunks WHERE path = ?", (path,))
        self._db.execute("DELETE FROM files WHERE path = ?", (path,))

    def put_file(self, record: FileRecord) -> None:
        """Insert or replace a file row (its old chunks must have been removed first)."""
        self._db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (record.path, record.source, record.sha256, record.size, record.n_chunks, record.title,
             record.date, record.indexed_at),
        )

    def add_chunks(self, path: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> list[int]:
        """Insert chunks of the file at `path` with their vectors; returns the new chunk ids."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        ids = []
        for chunk, vec in zip(chunks, vectors, strict=True):
            cur = self._db.execute(
                'INSERT INTO chunks (path, source, ordinal, start, "end", text, n_tokens, title, date, '
                "page, page_end, section, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, chunk.source, chunk.ordinal, chunk.start, chunk.end, chunk.text, chunk.n_tokens,
                 chunk.title, chunk.date, chunk.page, chunk.page_end, chunk.section, vec.tobytes()),
            )
            ids.append(int(cur.lastrowid or 0))  # always set after an INSERT
        return ids

    # -- reading ------------------------------------------------------------------------------
    def files(self) -> dict[str, FileRecord]:
        """Every indexed file, keyed by absolute path."""
        try:
            rows = self._db.execute("SELECT * FROM files ORDER BY source").fetchall()
        except sqlite3.OperationalError:
            return {}
        return {row[0]: FileRecord(*row) for row in rows}

    def count_chunks(self) -> int:
        try:
            return int(self._db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def has_chunks(self) -> bool:
        """Whether any chunk is stored: one row read (COUNT(*) scans the table: 4.9 s cold at 1M chunks)."""
        try:
            return bool(self._db.execute("SELECT EXISTS (SELECT 1 FROM chunks)").fetchone()[0])
        except sqlite3.OperationalError:
            return False

    def _where_ids(self, columns: str, ids: Iterable[int]) -> list[tuple[Any, ...]]:
        """Rows of `columns` for the chunk ids that exist, in batches under SQLite's variable limit."""
        wanted = [int(i) for i in ids]
        rows: list[tuple[Any, ...]] = []
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            rows += self._db.execute(
                f"SELECT {columns} FROM chunks WHERE id IN ({','.join('?' * len(part))})", part
            ).fetchall()
        return rows

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        """The chunks with these ids that exist (a missing id is simply absent)."""
        return dict(_row_to_chunk(r) for r in self._where_ids(_CHUNK_COLS, ids))

    def iter_chunks(self) -> Iterator[tuple[int, Chunk]]:
        """Every chunk, in id order."""
        for row in self._db.execute(f"SELECT {_CHUNK_COLS} FROM chunks ORDER BY id"):
            yield _row_to_chunk(row)

    def ids(self) -> np.ndarray:
        """Every chunk id, ascending (int64)."""
        rows = self._db.execute("SELECT id FROM chunks ORDER BY id")
        return np.fromiter((r[0] for r in rows), dtype=np.int64)

    def iter_texts(self, ids: Sequence[int] | None = None) -> Iterator[tuple[int, str]]:
        """(id, text) of every chunk, or of `ids` that exist, in id order, streamed."""
        if ids is None:
            yield from self._db.execute("SELECT id, text FROM chunks ORDER BY id")
            return
        yield from sorted(self._where_ids("id, text", ids))

    def iter_documents(self, ids: Sequence[int] | None = None) -> Iterator[tuple[int, str]]:
        """(id, what BM25 reads of the chunk: `rag.retrieve.lexical.document_text`) of every chunk, or
        of `ids` that exist, in id order, streamed."""
        from rag.retrieve.lexical import document_text

        cols = "id, text, title, section"
        rows = (self._db.execute(f"SELECT {cols} FROM chunks ORDER BY id") if ids is None
                else iter(sorted(self._where_ids(cols, ids))))
        for cid, text, title, section in rows:
            yield cid, document_text(text, title, section)

    def texts(self) -> tuple[list[int], list[str]]:
        rows = self._db.execute("SELECT id, text FROM chunks ORDER BY id").fetchall()
        return [r[0] for r in rows], [r[1] for r in rows]

    def file_vectors(self, path: str, dim: int) -> dict[str, np.ndarray]:
        """Chunk text → vector of the file at `path` (a text in it twice: either vector, they are the same)."""
        rows = self._db.execute("SELECT text, vector FROM chunks WHERE path = ?", (path,)).fetchall()
        return {text: np.frombuffer(blob, dtype=np.float32).copy() for text, blob in rows if len(blob) == 4 * dim}

    def vectors(self, dim: int, ids: Sequence[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(ids int64, vectors float32 (n, dim)) for all chunks, or for `ids` that exist."""
        if ids is None:
            rows = self._db.execute("SELECT id, vector FROM chunks ORDER BY id").fetchall()
        else:
            rows = self._where_ids("id, vector", ids)
        out_ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        if not rows:
            return out_ids, np.zeros((0, dim), dtype=np.float32)
        blob = b"".join(r[1] for r in rows)
        vectors = np.frombuffer(blob, dtype=np.float32)
        if vectors.size != len(rows) * dim:
            raise IndexCorruptError(
                f"The vectors in {self.path} do not have dimension {dim}. Run `{rebuild_hint(self.path.parent)}`."
            )
        return out_ids, vectors.reshape(len(rows), dim)

    def iter_vectors(self, dim: int, batch: int = 50_000) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) for every chunk in id order, `batch` rows at a time (bounded memory)."""
        last = -1
        while True:
            rows = self._db.execute("SELECT id, vector FROM chunks WHERE id > ? ORDER BY id LIMIT ?",
                                    (last, batch)).fetchall()
            if not rows:
                return
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            vectors = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
            if vectors.size != len(rows) * dim:
                raise IndexCorruptError(
                    f"The vectors in {self.path} do not have dimension {dim}. Run `{rebuild_hint(self.path.parent)}`."
                )
            yield ids, vectors.reshape(len(rows), dim)
            last = int(ids[-1])

    @contextmanager
    def snapshot(self) -> Iterator[Store]:
        """A read transaction: everything read inside sees one committed state."""
        self._db.execute("BEGIN")
        try:
            yield self
        finally:
            self._db.execute("COMMIT")
