"""The derived search structures beside the store: `dense-<gen>.faiss` and `lexical-<gen>/`.

Both are rebuilt from `chunks.sqlite` (never re-embedded) and named after the store generation
they were built from, so a reader can always tell whether they are current. Each is written under
a temporary name and renamed into place, so a crash leaves either the complete file or nothing.
If the one for the current generation is missing or unreadable (a crash between the store commit
and the artifact write, or a concurrent writer that pruned it), it is rebuilt from the store.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from rag.atomic import fsync_dir
from rag.errors import IndexCorruptError
from rag.retrieve.dense import DenseIndex

if TYPE_CHECKING:
    from rag.retrieve.lexical import LexicalIndex
    from rag.retrieve.store import Store


def dense_path(index_dir: Path, generation: int) -> Path:
    return index_dir / f"dense-{generation}.faiss"


def lexical_path(index_dir: Path, generation: int) -> Path:
    return index_dir / f"lexical-{generation}"


def build_dense(store: Store, dim: int, ann: str = "auto") -> DenseIndex:
    """The FAISS index of the kind `ann` chooses for the store's size, streamed from the store."""
    return DenseIndex.build_from(lambda: store.iter_vectors(dim), store.count_chunks(), dim, ann=ann)


def dense_kind(index_dir: Path, generation: int) -> str | None:
    """The kind of the saved dense index (flat, hnsw, ivfpq) from its header; None if unknown."""
    from rag.retrieve.dense import kind_of_file

    return kind_of_file(dense_path(index_dir, generation))


def build_lexical(store: Store) -> LexicalIndex:
    from rag.retrieve.lexical import LexicalIndex

    return LexicalIndex.build(*store.texts())


def write_dense(index: DenseIndex, index_dir: Path, generation: int) -> None:
    index.save(dense_path(index_dir, generation))


def write_lexical(index: LexicalIndex, index_dir: Path, generation: int) -> None:
    final = lexical_path(index_dir, generation)
    tmp = index_dir / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        index.save(tmp)
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(tmp)
        shutil.rmtree(final, ignore_errors=True)  # only a stale or broken copy of the same generation
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fsync_dir(index_dir)


def load_dense(index_dir: Path, generation: int) -> DenseIndex | None:
    path = dense_path(index_dir, generation)
    if not path.is_file():
        return None
    try:
        return DenseIndex.load(path)
    except IndexCorruptError:
        return None


def load_lexical(index_dir: Path, generation: int) -> LexicalIndex | None:
    from rag.retrieve.lexical import LexicalIndex

    path = lexical_path(index_dir, generation)
    if not path.is_dir():
        return None
    try:
        return LexicalIndex.load(path)
    except IndexCorruptError:
        return None


def current(index_dir: Path, generation: int) -> dict[str, bool]:
    """Which artifacts of `generation` are on disk (cheap: existence only)."""
    return {"dense": dense_path(index_dir, generation).is_file(),
            "lexical": lexical_path(index_dir, generation).is_dir()}


def prune(index_dir: Path, keep: int) -> None:
    """Remove artifacts of other generations and temp leftovers of crashed writers."""
    keep_names = {dense_path(index_dir, keep).name, lexical_path(index_dir, keep).name}
    for p in index_dir.iterdir():
        name = p.name
        stale = (name.startswith(("dense-", "lexical-")) and name not in keep_names) or (
            name.startswith((".dense-", ".lexical-")) and ".tmp-" in name)
        if not stale:
            continue
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)
