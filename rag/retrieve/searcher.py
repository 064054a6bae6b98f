"""Search an index: dense (FAISS), lexical (Danish BM25) or hybrid (RRF of both), optionally reranked.

The Searcher opens the store read-only and loads the derived indexes of the store's current
generation (rebuilding one from the store if it is missing, e.g. after a crash mid-write). Before
each search it checks the generation again, so a long-lived Searcher (`rag chat`) sees a re-index
done in another terminal.

Every Hit carries `scores["dense"]`, the cosine between the query and the chunk's stored vector,
even when only the lexical leg found the chunk: refusal compares that one signal in every mode.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from rag.config import MODES, Settings
from rag.errors import ConfigError, IndexMissingError
from rag.protocols import Embedder, Reranker
from rag.retrieve import artifacts
from rag.retrieve.indexer import LOCK_FILE
from rag.retrieve.manifest import EMBED_TEXT, check_manifest
from rag.retrieve.store import STORE_FILE, FileRecord, Store, index_command
from rag.types import Chunk, Hit


class Searcher:
    def __init__(self, settings: Settings, embedder: Embedder, reranker: Reranker | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.reranker = reranker
        self.index_dir = Path(settings.index_dir)
        path = self.index_dir / STORE_FILE
        if not path.is_file():
            raise IndexMissingError(
                f"No index at {self.index_dir}/. Index your documents first: "
                f"`{index_command(self.index_dir, ['PATH'])}` (PATH: your files or folders)."
            )
        self._store = Store(path, readonly=True)
        self.repaired: list[str] = []  # derived indexes this Searcher had to rebuild from the store
        self._load()

    def close(self) -> None:
        self._store.close()

    # -- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        with self._store.snapshot():
            manifest = self._store.manifest()
            if not manifest or self._store.count_chunks() == 0:
                raise IndexMissingError(
                    f"The index at {self.index_dir}/ is empty. Index your documents first: "
                    f"`{index_command(self.index_dir, ['PATH'])}` (PATH: your files or folders)."
                )
            wanted = {"embedder": self.embedder.id, "dim": int(self.embedder.dim), "embed_text": EMBED_TEXT}
            check_manifest(manifest, wanted, self.index_dir, chunker=False)
            gen = int(manifest["generation"])
            dense = artifacts.load_dense(self.index_dir, gen)
            lexical = artifacts.load_lexical(self.index_dir, gen)
            if dense is None:
                dense = artifacts.build_dense(self._store, int(manifest["dim"]), self.settings.ann)
                self.repaired.append("dense")
            if lexical is None:
                lexical = artifacts.build_lexical(self._store)
                self.repaired.append("lexical")
        self.manifest, self.generation, self._dense, self._lexical = manifest, gen, dense, lexical
        if self.repaired:
            self._persist_repairs()

    def _persist_repairs(self) -> None:
        """Save what was rebuilt, if no writer holds the lock right now; searching works either way."""
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(self.index_dir / LOCK_FILE), timeout=0):
                if self._store.generation != self.generation:
                    return  # a writer committed meanwhile and wrote its own
                if "dense" in self.repaired:
                    artifacts.write_dense(self._dense, self.index_dir, self.generation)
                if "lexical" in self.repaired:
                    artifacts.write_lexical(self._lexical, self.index_dir, self.generation)
        except (Timeout, OSError):
            pass  # a writer is busy, or the folder is read-only

    def _refresh(self) -> None:
        if self._store.generation != self.generation:
            self.repaired = []
            self._load()

    # -- searching ----------------------------------------------------------------------------
    def search(self, query: str, *, k: int, mode: str) -> list[Hit]:
        if mode not in MODES:
            raise ConfigError(f"mode must be one of {', '.join(MODES)}, got {mode!r}.")
        self._refresh()
        s = self.settings
        qvec = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
        legs: dict[str, list[tuple[int, float]]] = {}
        if mode in ("dense", "hybrid"):
            legs["dense"] = self._dense_leg(qvec, max(k, s.dense_depth))
        if mode in ("lexical", "hybrid"):
            legs["lexical"] = self._lexical.search(query, max(k, s.lexical_depth))
        if mode == "hybrid":
            from rag.retrieve.fusion import rrf

            order = rrf({leg: [i for i, _ in r] for leg, r in legs.items()}, k=s.rrf_k)
        else:
            order = legs[mode]

        ranks = {leg: {cid: r for r, (cid, _) in enumerate(found, start=1)} for leg, found in legs.items()}
        raw = {leg: dict(found) for leg, found in legs.items()}
        if mode == "hybrid":
            raw["rrf"] = dict(order)
        # candidates for the reranker, or just the top k; a few spare in case a concurrent writer removed some
        depth = max(k, s.rerank_depth) if self.reranker is not None else k
        top = order[: depth + 10]
        chunks = self._store.chunks(cid for cid, _ in top)
        top = [(cid, score) for cid, score in top if cid in chunks][:depth]
        cosines = self._cosines(qvec, [cid for cid, _ in top], raw.get("dense", {}))
        hits = [
            Hit(chunk=chunks[cid], score=float(score), rank=rank, chunk_id=cid,
                legs={leg: r[cid] for leg, r in ranks.items() if cid in r},
                scores={**{leg: raw[leg][cid] for leg in raw if cid in raw[leg]}, "dense": cosines[cid]})
            for rank, (cid, score) in enumerate(top, start=1)
        ]
        if self.reranker is not None:
            from rag.retrieve.rerank import rerank

            return rerank(query, hits, self.reranker, k)
        return hits

    def _dense_leg(self, qvec: np.ndarray, depth: int) -> list[tuple[int, float]]:
        """FAISS's best `depth`; an approximate index's candidates are re-scored exactly from the store."""
        if self._dense.exact_scores:
            return self._dense.search(qvec, depth)
        from rag.retrieve.dense import RESCORE_FACTOR, rescore

        found = self._dense.search(qvec, depth * RESCORE_FACTOR)
        return rescore(found, qvec, depth, lambda ids: self._store.vectors(self._dense.dim, ids))

    def _cosines(self, qvec: np.ndarray, ids: list[int], known: dict[int, float]) -> dict[int, float]:
        """Query–chunk cosine for every id, from FAISS scores or the stored vectors."""
        out = {cid: float(known[cid]) for cid in ids if cid in known}
        need = [cid for cid in ids if cid not in out]
        out.update({cid: float(vec @ qvec) for cid, vec in self._dense.vectors(need).items()})
        rest = [cid for cid in need if cid not in out]  # newer than FAISS (a writer just committed)
        if rest:
            ids, vectors = self._store.vectors(self._dense.dim, rest)
            out.update({int(cid): float(vec @ qvec) for cid, vec in zip(ids, vectors, strict=True)})
        return out

    # -- inspection ---------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Files, chunks, size on disk and the manifest, for `rag index` / `rag models` output."""
        self._refresh()
        size = sum(p.stat().st_size for p in self.index_dir.rglob("*") if p.is_file())
        return {
            "index_dir": str(self.index_dir),
            "files": len(self._store.files()),
            "chunks": self._store.count_chunks(),
            "generation": self.generation,
            "size_bytes": size,
            "manifest": dict(self.manifest),
        }

    def files(self) -> dict[str, FileRecord]:
        """Every indexed file (source, sha256, size, chunks, title, date), keyed by absolute path."""
        return self._store.files()

    def chunk(self, chunk_id: int) -> Chunk:
        found = self._store.chunks([chunk_id])
        if chunk_id not in found:
            raise KeyError(chunk_id)
        return found[chunk_id]

    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the index, in id order (for evaluation and benchmarks)."""
        return [c for _, c in self._store.iter_chunks()]

    def chunk_items(self) -> list[tuple[int, Chunk]]:
        """(chunk id, chunk) for every chunk, in id order."""
        return list(self._store.iter_chunks())
