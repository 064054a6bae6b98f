"""Dense retrieval: an exact inner-product FAISS index over the stored chunk vectors.

`IndexIDMap2(IndexFlatIP(dim))`: vectors are L2-normalised, so inner product is cosine; ids are
the store's chunk ids, and `IndexIDMap2` can hand a chunk's vector back (`vector(id)`). Search is
exact (brute force), which is fast enough on a CPU up to roughly 10^5–10^6 chunks (a few ms per
query at 10^5 × 384-d); beyond that an IVF/HNSW index would be the next step. The index is derived
data: it is rebuilt from `chunks.sqlite` whenever the store changes, never re-embedded.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.atomic import write_atomic
from rag.errors import IndexCorruptError


class DenseIndex:
    def __init__(self, index: Any) -> None:
        self._index = index

    @property
    def dim(self) -> int:
        return int(self._index.d)

    def __len__(self) -> int:
        return int(self._index.ntotal)

    @classmethod
    def build(cls, ids: Sequence[int] | np.ndarray, vectors: np.ndarray, dim: int | None = None) -> DenseIndex:
        import faiss

        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2:
            raise ValueError(f"vectors must be 2-D, got shape {vectors.shape}")
        dim = dim or vectors.shape[1]
        ids = np.ascontiguousarray(ids, dtype=np.int64)
        if len(ids) != len(vectors):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if len(ids):
            index.add_with_ids(vectors, ids)
        return cls(index)

    def search(self, qvec: np.ndarray, k: int) -> list[tuple[int, float]]:
        """Best-first (chunk id, cosine) pairs, at most `k`."""
        k = min(k, len(self))
        if k <= 0:
            return []
        q = np.ascontiguousarray(qvec, dtype=np.float32).reshape(1, -1)
        scores, ids = self._index.search(q, k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        """The stored vectors of the ids present in the index."""
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
    def load(cls, path: Path) -> DenseIndex:
        import faiss

        try:
            return cls(faiss.read_index(str(path)))
        except RuntimeError as e:
            raise IndexCorruptError(
                f"Cannot read {path} ({str(e).strip().splitlines()[-1]}). Run `rag index --rebuild`."
            ) from None
