"""Search an index: dense, lexical (Danish BM25) or hybrid (RRF of both), optionally reranked.

The Searcher opens the index backend (`rag.retrieve.backends`: the local folder by default, or
Milvus) for reading, checks the manifest against the embedder, and asks the backend for each leg:
dense search with the query vector, lexical search with the query's Danish terms (analysed here,
once, by `rag.retrieve.lexical.tokenize`, so every backend ranks the same terms). Fusion, the
reranker and the cosines stay here, so every backend ranks and refuses alike. Before each search it
checks the generation again, so a long-lived Searcher (`rag chat`) sees a re-index done in
another terminal.

Every Hit carries `scores["dense"]`, the cosine between the query and the chunk's stored vector,
even when only the lexical leg found the chunk: refusal compares that one signal in every mode.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from rag.config import MODES, Settings
from rag.errors import ConfigError, IndexMissingError
from rag.protocols import Embedder, Reranker
from rag.retrieve.backends import index_command_for, open_backend
from rag.retrieve.manifest import EMBED_TEXT, check_manifest
from rag.retrieve.store import FileRecord
from rag.types import Chunk, Hit

# how many chunks back a table's header is looked for (read in one query): a price list of 100 rows
# in chunks of the default size; a longer table is a data file more than a document.
# Measured and dropped (eval/trial15, 2026-12-06): a hit ending mid-table run on to its table's end
# (the locksmith's night row stood alone in the next chunk). The extra rows join the sentence
# ranker's candidates: its softmax spread (trial5's coffee break fell from .75 to .68, under the
# `sure_sentence` bar, and the learned gate refused it), near-ties flipped (trial14's padlock
# answer), an unanswerable count was answered from a new row (trial13); trial15 gained no answer.
_HEADER_REACH = 12


class Searcher:
    def __init__(self, settings: Settings, embedder: Embedder, reranker: Reranker | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.reranker = reranker
        self._backend = open_backend(settings, write=False)  # IndexMissingError when there is none
        try:
            self._load()
        except BaseException:
            self._backend.close()
            raise

    def close(self) -> None:
        self._backend.close()

    @property
    def repaired(self) -> list[str]:
        """Derived indexes the backend had to rebuild on the last load (a crash mid-write)."""
        return self._backend.repaired

    # -- loading ------------------------------------------------------------------------------
    def _load(self) -> None:
        manifest = self._backend.load()
        if not manifest:
            where = self._backend.location + ("" if self.settings.index_uri else "/")
            raise IndexMissingError(
                f"The index at {where} is empty. Index your documents first: "
                f"`{index_command_for(self.settings, ['PATH'])}` (PATH: your files or folders)."
            )
        wanted = {"embedder": self.embedder.id, "dim": int(self.embedder.dim), "embed_text": EMBED_TEXT}
        check_manifest(manifest, wanted, self._backend.location, chunker=False)
        self.manifest, self.generation = manifest, int(manifest["generation"])

    def _refresh(self) -> None:
        if self._backend.generation() != self.generation:
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
            legs["dense"] = self._backend.dense_search(qvec, max(k, s.dense_depth))
        if mode in ("lexical", "hybrid"):
            from rag.danish import holiday_dates
            from rag.retrieve.lexical import tokenize

            # "juledag" is searched as the date a schedule gives it too ("25. december"): day and month,
            # both terms, so the date itself outscores a passage that merely has a 25 or a December
            terms = tokenize(" ".join([query, *holiday_dates(query)]))
            legs["lexical"] = self._backend.lexical_search(terms, max(k, s.lexical_depth))
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
        chunks = self._backend.chunks(cid for cid, _ in top)
        top = [(cid, score) for cid, score in top if cid in chunks][:depth]
        cosines = self._cosines(qvec, [cid for cid, _ in top], raw.get("dense", {}))
        hits = [
            Hit(chunk=chunks[cid], score=float(score), rank=rank, chunk_id=cid,
                legs={leg: r[cid] for leg, r in ranks.items() if cid in r},
                scores={**{leg: raw[leg][cid] for leg in raw if cid in raw[leg]}, "dense": cosines[cid]})
            for rank, (cid, score) in enumerate(top, start=1)
        ]
        hits = self._with_table_headers(hits)
        if self.reranker is not None:
            from rag.retrieve.rerank import rerank

            return rerank(query, hits, self.reranker, k)
        return hits

    def _with_table_headers(self, hits: list[Hit]) -> list[Hit]:
        """Each hit whose chunk opens mid-table gets its table's header from the chunks before it in
        its document (`Chunk.table_header`, `rag.answer.table.carried_header`): a long price table's
        later rows are read with the column names. Chunks of a document are stored in order, so the
        one before has the id before, checked by its source and ordinal; up to `_HEADER_REACH` back."""
        from rag.answer.table import carried_header, opens_with_row

        out = []
        for hit in hits:
            chunk = hit.chunk
            if chunk.ordinal == 0 or not opens_with_row(chunk.text):
                out.append(hit)
                continue
            chain = [chunk]  # the chunk and those before it, nearest first, while each opens mid-table
            before = self._backend.chunks(range(max(0, hit.chunk_id - _HEADER_REACH), hit.chunk_id))
            cid = hit.chunk_id - 1
            while cid in before and before[cid].source == chunk.source and before[cid].ordinal == chain[-1].ordinal - 1:
                chain.append(before[cid])
                if not opens_with_row(before[cid].text):
                    break  # it holds the table's start
                cid -= 1
            header: str | None = None
            for later, earlier in zip(chain[-2::-1], chain[::-1], strict=False):  # oldest pair first
                header = carried_header(later.text, dataclasses.replace(earlier, table_header=header))
            out.append(dataclasses.replace(hit, chunk=dataclasses.replace(chunk, table_header=header))
                       if header else hit)
        return out

    def _cosines(self, qvec: np.ndarray, ids: list[int], known: dict[int, float]) -> dict[int, float]:
        """Query–chunk cosine for every id, from the dense leg's scores or the stored vectors."""
        out = {cid: float(known[cid]) for cid in ids if cid in known}
        need = [cid for cid in ids if cid not in out]
        if need:
            out.update({cid: float(vec @ qvec) for cid, vec in self._backend.vectors(need).items()})
        return out

    # -- inspection ---------------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Files, chunks, size on disk and the manifest, for `rag index` / `rag models` output."""
        self._refresh()
        return {
            "index_dir": self._backend.location,
            "files": len(self._backend.files()),
            "chunks": self._backend.count_chunks(),
            "generation": self.generation,
            "size_bytes": self._backend.size_bytes(),
            "manifest": dict(self.manifest),
        }

    def files(self) -> dict[str, FileRecord]:
        """Every indexed file (source, sha256, size, chunks, title, date), keyed by absolute path."""
        return self._backend.files()

    def chunk(self, chunk_id: int) -> Chunk:
        found = self._backend.chunks([chunk_id])
        if chunk_id not in found:
            raise KeyError(chunk_id)
        return found[chunk_id]

    def all_chunks(self) -> list[Chunk]:
        """Every chunk in the index, in id order (for evaluation and benchmarks)."""
        return [c for _, c in self._backend.iter_chunks()]

    def chunk_items(self) -> list[tuple[int, Chunk]]:
        """(chunk id, chunk) for every chunk, in id order."""
        return list(self._backend.iter_chunks())
