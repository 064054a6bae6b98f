"""Sentence similarity: how close each candidate sentence is to the question in the embedder's space.

`SentenceSimilarity(embedder)(question, sentences)` returns one cosine per sentence (the question
embedded as a query, each sentence as a passage). The learned sentence ranker reads these only
relative to each other within one question (`rag.answer.sentence_ranker`'s `dense_sentence_below_top`),
so any embedder's scale serves. Sentence vectors are kept in a bounded in-process cache: `rag chat`
and `rag eval` meet the same passages again and again.

Given a `store` (`rag.answer.vector_cache.VectorCache`, beside the index), the vectors it embeds
are also kept on disk, and a later process reads them back instead of embedding again.

What it leaves out: vectors stored in the index at indexing time (they would double what an index
holds on disk, and every ingested sentence would be embedded though few are ever read back), and
the passage title as context ("Title: sentence" scored the same held out; see `eval/sentences/REPORT.md`),
and embedding only the sentences that share a word with the question (55% of the candidates on
SQuAD-da v2; the others score 0 anyway): retrained that way, held-out top-1 was the same (.677) but
end to end one question fewer was answered right on each of eval/gold.jsonl and the SQuAD-da v1
and v2 200-samples, for 0.2–0.3 s a question.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from rag.answer.vector_cache import VectorCache
    from rag.protocols import Embedder

Similarity = Callable[[str, Sequence[str]], Sequence[float]]  # (question, sentences) -> one score each

CACHE_SENTENCES = 4096  # ~6 MB of 384-dim float32 vectors: a chat session's or an eval's working set


class SentenceSimilarity:
    """Cosines of the question against each sentence, with the sentence vectors cached (LRU)."""

    def __init__(self, embedder: Embedder, *, cache_size: int = CACHE_SENTENCES,
                 store: VectorCache | None = None) -> None:
        self.embedder = embedder
        self.cache_size = cache_size
        self.store = store  # vectors on disk beside the index, shared by later processes
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()

    def __call__(self, question: str, sentences: Sequence[str]) -> list[float]:
        if not sentences:
            return []
        missing = list(dict.fromkeys(s for s in sentences if s not in self._vectors))
        if missing and self.store is not None:
            stored = self.store.get(missing)
            self._vectors.update(stored)
            missing = [s for s in missing if s not in stored]
        if missing:
            embedded = dict(zip(missing, self.embedder.embed_passages(missing), strict=True))
            self._vectors.update(embedded)
            if self.store is not None:
                self.store.put(embedded)
        query = self.embedder.embed_query(question)
        out = []
        for s in sentences:
            self._vectors.move_to_end(s)
            out.append(float(self._vectors[s] @ query))
        while len(self._vectors) > self.cache_size:
            self._vectors.popitem(last=False)
        return out
