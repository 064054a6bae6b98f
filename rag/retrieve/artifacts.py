"""The derived search structures beside the store: `dense-<gen>.faiss` and `lexical-<gen>/`.

Both are made from `chunks.sqlite` (never re-embedded) and named after the store generation
they were built from, so a reader can always tell whether they are current. After an update the
previous generation's pair is updated (`update_dense`, `update_lexical`: only the chunks whose
ids came or went since are touched, found by comparing its ids with the store's) and written
under the new generation; when there is none, or most of the corpus changed, they are built from
the whole store (`build_dense`, `build_lexical`). Each is written under a temporary name and
renamed into place, so a crash leaves either the complete file or nothing.

Each carries a SHA-256 recorded when it was written: `dense-<gen>.faiss.sha256` beside the FAISS
file (written first, so a crash between the two leaves a file whose sum does not match, which
reads as damaged) and `checksums.json` inside the lexical folder (renamed into place with it).
Loading verifies them: a file whose bytes changed (a damaged disk, a half-copied backup, a
FAISS file whose header is intact but whose vectors are not) is rebuilt from the store like a
missing one, by the reader for its own use and by the next `rag index` on disk. Hashing costs
about what reading the file costs; a FAISS file or lexical array over `FULL_CHECK_BYTES` is
memory-mapped rather than read, so a reader checks its size and 64 sampled blocks instead
(`checksums-sampled.json` in the lexical folder), and `rag index` (every run) checks it whole.

Temp leftovers (`.<name>.tmp-<pid>`) of a killed writer are removed by the next writer, and by a
reader when that pid is no longer alive.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rag.atomic import fsync_dir, write_atomic
from rag.crashpoints import crash_point
from rag.errors import IndexCorruptError
from rag.retrieve.dense import DenseIndex

if TYPE_CHECKING:
    import numpy as np

    from rag.retrieve.lexical import LexicalIndex
    from rag.retrieve.store import Store

CHECKSUMS = "checksums.json"  # inside lexical-<gen>/
SAMPLED = "checksums-sampled.json"  # inside lexical-<gen>/: size and sampled sum of files over FULL_CHECK_BYTES
_SUM_SUFFIX = ".sha256"  # beside dense-<gen>.faiss: JSON {"sha256", "size", "sampled"}
FULL_CHECK_BYTES = 64 * 1024 * 1024  # readers hash a FAISS file whole up to this size
_SAMPLES, _SAMPLE_BYTES = 64, 4096
_TEMP = re.compile(r"^\..+\.tmp-(\d+)$")


def dense_path(index_dir: Path, generation: int) -> Path:
    return index_dir / f"dense-{generation}.faiss"


def lexical_path(index_dir: Path, generation: int) -> Path:
    return index_dir / f"lexical-{generation}"


def _sum_path(path: Path) -> Path:
    return path.with_name(path.name + _SUM_SUFFIX)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sampled_sha256(path: Path) -> str:
    """SHA-256 of the size and 64 blocks of 4 KB spread evenly over the file (first and last included)."""
    size = path.stat().st_size
    h = hashlib.sha256(str(size).encode())
    with open(path, "rb") as f:
        for i in range(_SAMPLES):
            f.seek(max(0, (size - _SAMPLE_BYTES) * i // (_SAMPLES - 1)))
            h.update(f.read(_SAMPLE_BYTES))
    return h.hexdigest()


def build_dense(store: Store, dim: int, ann: str = "auto") -> DenseIndex:
    """The FAISS index of the kind `ann` chooses for the store's size, streamed from the store."""
    return DenseIndex.build_from(lambda: store.iter_vectors(dim), store.count_chunks(), dim, ann=ann)


def dense_kind(index_dir: Path, generation: int) -> str | None:
    """The kind of the saved dense index (flat, hnsw, ivfpq) from its header; None if unknown."""
    from rag.retrieve.dense import kind_of_file

    return kind_of_file(dense_path(index_dir, generation))


def build_lexical(store: Store) -> LexicalIndex:
    """The lexical index of every stored chunk, texts streamed from the store (bounded memory)."""
    from rag.retrieve.lexical import LexicalIndex

    ids: list[int] = []

    def texts() -> Iterator[str]:
        for cid, text in store.iter_documents():
            ids.append(cid)
            yield text

    return LexicalIndex.build(ids, texts())


# An update changing more than this share of the chunks rebuilds the derived indexes instead of
# updating the previous ones (a rebuild, or a corpus mostly replaced: fresh ivfpq training pays).
UPDATE_MAX_SHARE = 0.5


def previous_generation(index_dir: Path, generation: int, kind: str) -> int | None:
    """The newest generation before `generation` with a `kind` ("dense"/"lexical") artifact on disk."""
    pattern = re.compile(rf"^{kind}-(\d+)(\.faiss)?$")
    found = [int(m.group(1)) for p in index_dir.iterdir() if (m := pattern.match(p.name))]
    older = [g for g in found if g < generation]
    return max(older) if older else None


def _changes(old_ids: np.ndarray, store: Store) -> tuple[np.ndarray, np.ndarray] | None:
    """(removed ids, added ids) from an artifact's ids to the store's; None when most changed."""
    import numpy as np

    now = store.ids()
    removed = np.setdiff1d(old_ids, now, assume_unique=True)
    added = np.setdiff1d(now, old_ids, assume_unique=True)
    if len(removed) + len(added) > UPDATE_MAX_SHARE * max(len(now), 1):
        return None
    return removed, added


def update_dense(store: Store, dim: int, index_dir: Path, generation: int, ann: str = "auto") -> DenseIndex | None:
    """The previous generation's FAISS index brought up to the store (removed ids out, new vectors
    in), or None when there is none intact or it must be built afresh (`DenseIndex.updatable`)."""
    old = previous_generation(index_dir, generation, "dense")
    if old is None or not dense_intact(index_dir, old):
        return None
    try:
        index = DenseIndex.load(dense_path(index_dir, old), mmap=False)
    except IndexCorruptError:
        return None
    if not index.updatable(ann, store.count_chunks()):
        return None
    changes = _changes(index.ids(), store)
    if changes is None:
        return None
    removed, added = changes

    def batches() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        for i in range(0, len(added), 10_000):
            yield store.vectors(dim, added[i:i + 10_000].tolist())

    return index if index.update(removed, batches()) else None


def update_lexical(store: Store, index_dir: Path, generation: int) -> LexicalIndex | None:
    """The previous generation's lexical index brought up to the store, analysing only the new
    chunks' texts; None when there is none intact, or it cannot be updated (`LexicalIndex.updated`)."""
    import numpy as np

    from rag.retrieve.lexical import LexicalIndex

    old = previous_generation(index_dir, generation, "lexical")
    if old is None or not lexical_intact(index_dir, old):
        return None
    try:
        index = LexicalIndex.load(lexical_path(index_dir, old))
    except IndexCorruptError:
        return None
    changes = _changes(np.asarray(index.ids, dtype=np.int64), store)
    if changes is None:
        return None
    removed, added = changes
    ids: list[int] = []

    def texts() -> Iterator[str]:
        for cid, text in store.iter_documents(added.tolist()):
            ids.append(cid)
            yield text

    new_texts = list(texts())  # a few % of the corpus; `ids` holds the ids that still exist, in order
    return index.updated(removed.tolist(), ids, new_texts)


def write_dense(index: DenseIndex, index_dir: Path, generation: int) -> None:
    """Serialise, record the checksum, then rename the index into place."""
    final = dense_path(index_dir, generation)
    tmp = index_dir / f".{final.name}.tmp-{os.getpid()}"
    try:
        index.save(tmp)
        sums = {"sha256": sha256_file(tmp), "size": tmp.stat().st_size, "sampled": sampled_sha256(tmp)}
        write_atomic(_sum_path(final), json.dumps(sums).encode("ascii"))
        crash_point("dense-tmp-written")
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    fsync_dir(index_dir)
    crash_point("dense-written")


def write_lexical(index: LexicalIndex, index_dir: Path, generation: int) -> None:
    final = lexical_path(index_dir, generation)
    tmp = index_dir / f".{final.name}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        index.save(tmp)
        files = sorted(tmp.iterdir())
        sums = {f.name: sha256_file(f) for f in files}
        sampled = {f.name: {"size": f.stat().st_size, "sampled": sampled_sha256(f)}
                   for f in files if f.stat().st_size > FULL_CHECK_BYTES}
        (tmp / SAMPLED).write_text(json.dumps(sampled, sort_keys=True), encoding="utf-8")
        (tmp / CHECKSUMS).write_text(json.dumps(sums, indent=0, sort_keys=True), encoding="utf-8")
        for f in tmp.iterdir():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        fsync_dir(tmp)
        crash_point("lexical-tmp-written")
        shutil.rmtree(final, ignore_errors=True)  # only a stale or broken copy of the same generation
        os.replace(tmp, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fsync_dir(index_dir)


def dense_intact(index_dir: Path, generation: int, *, full: bool = True) -> bool:
    """The FAISS file of `generation` exists and its bytes match the checksums written with it:
    all of them, or (`full=False`, a file over FULL_CHECK_BYTES) its size and sampled blocks."""
    path = dense_path(index_dir, generation)
    try:
        sums = json.loads(_sum_path(path).read_text(encoding="ascii"))
        size = path.stat().st_size
        if not isinstance(sums, dict) or sums.get("size") != size:
            return False
        if full or size <= FULL_CHECK_BYTES:
            return bool(sha256_file(path) == sums.get("sha256"))
        return bool(sampled_sha256(path) == sums.get("sampled"))
    except (OSError, ValueError):
        return False


def lexical_intact(index_dir: Path, generation: int, *, full: bool = True) -> bool:
    """The lexical folder of `generation` holds exactly the files, with the bytes, written with it:
    all of them, or (`full=False`, a reader) the size and sampled blocks of files over FULL_CHECK_BYTES."""
    path = lexical_path(index_dir, generation)
    try:
        sums = json.loads((path / CHECKSUMS).read_text(encoding="utf-8"))
        sampled = json.loads((path / SAMPLED).read_text(encoding="utf-8")) if (path / SAMPLED).is_file() else {}
        names = {f.name for f in path.iterdir()} - {CHECKSUMS, SAMPLED}
        if not (isinstance(sums, dict) and isinstance(sampled, dict) and names == set(sums)):
            return False
        for name, digest in sums.items():
            quick = None if full else sampled.get(name)
            if quick is not None:
                if (path / name).stat().st_size != quick.get("size") or \
                        sampled_sha256(path / name) != quick.get("sampled"):
                    return False
            elif sha256_file(path / name) != digest:
                return False
        return True
    except (OSError, ValueError, AttributeError):
        return False


def load_dense(index_dir: Path, generation: int) -> DenseIndex | None:
    """The verified FAISS index of `generation`, or None (missing or damaged: rebuild it)."""
    if not dense_intact(index_dir, generation, full=False):
        return None
    try:
        return DenseIndex.load(dense_path(index_dir, generation))
    except IndexCorruptError:
        return None


def load_lexical(index_dir: Path, generation: int) -> LexicalIndex | None:
    """The verified lexical index of `generation`, or None (missing or damaged: rebuild it)."""
    from rag.retrieve.lexical import LexicalIndex

    if not lexical_intact(index_dir, generation, full=False):
        return None
    try:
        return LexicalIndex.load(lexical_path(index_dir, generation))
    except IndexCorruptError:
        return None


def current(index_dir: Path, generation: int) -> dict[str, bool]:
    """Which artifacts of `generation` are on disk and intact (their checksums match), the lexical one
    analysed by this version's analyzer too (`rag.retrieve.lexical.ANALYZER`)."""
    return {"dense": dense_intact(index_dir, generation),
            "lexical": lexical_intact(index_dir, generation) and _analysed_now(lexical_path(index_dir, generation))}


def _analysed_now(folder: Path) -> bool:
    from rag.retrieve.lexical import ANALYZER

    try:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return True  # an empty corpus's index holds no terms
    except (OSError, ValueError):
        return False
    return isinstance(params, dict) and params.get("analyzer", 1) == ANALYZER


def prune(index_dir: Path, keep: int) -> None:
    """Remove artifacts of other generations and temp leftovers of crashed writers (under the lock)."""
    dense, lexical = dense_path(index_dir, keep).name, lexical_path(index_dir, keep).name
    keep_names = {dense, _sum_path(Path(dense)).name, lexical}
    for p in index_dir.iterdir():
        name = p.name
        stale = (name.startswith(("dense-", "lexical-")) and name not in keep_names) or bool(_TEMP.match(name))
        if stale:
            _remove(p)


def prune_dead_temps(index_dir: Path) -> None:
    """Remove `.<name>.tmp-<pid>` leftovers whose writer is no longer running (safe without the lock:
    a live writer's temp files carry a live pid). Silently does nothing where the folder is read-only."""
    try:
        entries = list(Path(index_dir).iterdir())
    except OSError:
        return
    for p in entries:
        m = _TEMP.match(p.name)
        if m and not _alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                _remove(p)


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would terminate it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # another user's process, or a platform that cannot tell: leave it
    return True


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)
