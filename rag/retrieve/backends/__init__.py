"""Where an index lives: the seam between the indexer/searcher and the engine that stores and searches.

`IndexBackend` is everything `rag index` writes and `rag search` reads, and nothing more:
- the manifest (read; written inside an update, which bumps its `generation`),
- the indexed files with their content hashes (`FileRecord`), for incremental updates,
- one update (`IndexUpdate`): clear, delete a file's chunks, put a file's chunks with their vectors,
- dense search (query vector → best-first (chunk id, cosine)),
- lexical search over terms that `rag.retrieve.lexical.tokenize` has already analysed (tokenised,
  stop words dropped, Danish Snowball stems): every backend ranks the same Danish terms,
- chunks and their stored vectors by id.

Two implementations, selected by the setting `index_uri`:
- unset (the default): `local.LocalBackend`, the index folder (`index_dir`): SQLite store + FAISS + bm25s;
- `milvus://host:19530[/collection]`, or a path ending in `.db` (Milvus Lite): `milvus.MilvusBackend`.

What the seam leaves out, on purpose, so that every backend ranks and refuses alike: the manifest
*rules* (`rag.retrieve.manifest`), query analysis, reciprocal rank fusion, reranking and the cosine
of lexical-only hits (all in `rag.retrieve.searcher`), and reading, chunking and embedding files
(`rag.retrieve.indexer`). A backend is opened for writing (the one writer: it holds the write
lock) or for reading; it is a context manager that releases both.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from rag.config import Settings
    from rag.retrieve.store import FileRecord
    from rag.types import Chunk


class IndexUpdate(Protocol):
    """The writes of one `rag index` run; all or nothing where the engine has transactions."""

    def clear(self) -> None:
        """Remove every file and chunk (a rebuild)."""
        ...

    def remove_file(self, path: str) -> None:
        """Remove the file at `path` (absolute) and all its chunks; a path not indexed is a no-op."""
        ...

    def put_file(self, record: FileRecord, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Add the file with these chunks and (n, dim) vectors, replacing whatever it had before."""
        ...

    def set_manifest(self, manifest: dict[str, Any]) -> None:
        """Record how the index was built; bumps `generation` and stamps `created`/`updated`."""
        ...


@runtime_checkable
class IndexBackend(Protocol):
    location: str  # where the index lives, as messages name it: a folder, a URI or a .db path
    repaired: list[str]  # derived search structures the last `load`/`sync` had to rebuild

    # -- what is indexed ------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The manifest as last committed; {} for a new index."""
        ...

    def generation(self) -> int:
        """The committed generation (0 for a new index): cheap, checked before every search."""
        ...

    def files(self) -> dict[str, FileRecord]:
        """Every indexed file with its sha256, keyed by absolute path."""
        ...

    def count_chunks(self) -> int: ...

    # -- writing (a backend opened with write=True) --------------------------------------------
    def update(self) -> AbstractContextManager[IndexUpdate]:
        """One update; an exception inside leaves the previous index (see each backend's limits)."""
        ...

    def sync(self, *, force: bool) -> list[str]:
        """After an update: bring derived search structures to the committed generation
        (`force`: rebuild them even if present). Returns the ones rebuilt only because missing."""
        ...

    # -- reading --------------------------------------------------------------------------------
    def load(self) -> dict[str, Any]:
        """Make searches see the committed generation; its manifest, or {} if nothing is indexed."""
        ...

    def dense_search(self, qvec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Best-first (chunk id, cosine), at most `k`."""
        ...

    def lexical_search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Best-first (chunk id, BM25 score > 0) for analysed query terms, at most `k`."""
        ...

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        """The chunks with these ids that exist (a missing id is simply absent)."""
        ...

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of the ids that exist."""
        ...

    def file_vectors(self, path: str) -> dict[str, np.ndarray]:
        """The committed vector of each chunk text of the indexed file at `path` ({} when none, or
        where the backend cannot tell cheaply): an edited file re-embeds only the chunks it changed."""
        ...

    def iter_chunks(self) -> Iterator[tuple[int, Chunk]]:
        """Every (chunk id, chunk), in id order."""
        ...

    def size_bytes(self) -> int | None:
        """Bytes on this machine's disk, or None where the engine keeps them elsewhere."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> IndexBackend: ...

    def __exit__(self, *exc: object) -> None: ...


def is_milvus(index_uri: str) -> bool:
    """Whether `index_uri` names a Milvus server or a Milvus Lite file (else: the local folder)."""
    uri = index_uri.strip()
    return uri.startswith("milvus://") or uri.endswith(".db")


def index_command_for(settings: Settings, paths: Sequence[str] = (), *, rebuild: bool = False) -> str:
    """The `rag index` command line for the index these settings name, for hints in messages."""
    from rag.retrieve.store import index_command

    if not is_milvus(settings.index_uri):
        return index_command(settings.index_dir, paths, rebuild=rebuild)
    import shlex

    words = ["rag", "index", *(["--rebuild"] if rebuild else []), *paths, "--index-uri", settings.index_uri.strip()]
    return " ".join(shlex.quote(w) for w in words)


def docs_remove_command_for(settings: Settings, paths: Sequence[str]) -> str:
    """The `rag docs remove` command line for the index these settings name, for hints in messages."""
    import shlex

    where = (["--index-uri", settings.index_uri.strip()] if is_milvus(settings.index_uri)
             else ["--index", str(settings.index_dir)])
    return " ".join(shlex.quote(w) for w in ["rag", "docs", "remove", *paths, *where])


def open_backend(settings: Settings, *, write: bool, rebuild: bool = False) -> IndexBackend:
    """The backend `settings.index_uri` names (unset: the local folder `settings.index_dir`).

    `write=True` takes the index's write lock (IndexLockedError after `lock_timeout` seconds);
    `rebuild=True` also opens an index of an older format, which the rebuild's `clear()` replaces.
    `write=False` raises IndexMissingError when there is no index to read.
    """
    if is_milvus(settings.index_uri):
        from rag.retrieve.backends.milvus import MilvusBackend

        return MilvusBackend.open(settings, write=write)
    from rag.retrieve.backends.local import LocalBackend

    return LocalBackend(settings, write=write, rebuild=rebuild)
