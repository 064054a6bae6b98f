"""A scripted stand-in for `rag.pipeline.Rag`, for testing the eval runner and report without models."""

from __future__ import annotations

from dataclasses import dataclass, field

from rag.config import Settings
from rag.types import Answer, Chunk, Citation, Hit
from tests.fakes import FakeEmbedder


def hit(text: str, rank: int, chunk_id: int | None = None, source: str = "doc.txt") -> Hit:
    return Hit(chunk=Chunk(source=source, start=0, end=len(text), text=text), score=1.0 / rank, rank=rank,
               chunk_id=rank if chunk_id is None else chunk_id)


@dataclass
class Script:
    """What the fake returns for one question."""

    passages: list[str]  # search results, best first
    answer: str = ""
    refused: bool = False
    cite: tuple[int, ...] = ()  # 1-based ranks of the passages the answer cites
    is_danish: bool = True
    timings: dict[str, float] = field(default_factory=lambda: {"ttft_s": 0.2, "generate_s": 0.5})


class FakeRag:
    """Anything with .search / .ask / .embedder / .settings is enough for `run_eval`."""

    def __init__(self, scripts: dict[str, Script], settings: Settings | None = None) -> None:
        self.scripts = scripts
        self.settings = settings or Settings()
        self.embedder = FakeEmbedder()
        self.searches: list[tuple[str, int, str | None]] = []
        self.asks: list[tuple[str, int]] = []

    def search(self, query: str, *, k: int | None = None, mode: str | None = None) -> list[Hit]:
        self.searches.append((query, k or 5, mode))
        passages = self.scripts[query].passages
        return [hit(t, i) for i, t in enumerate(passages[: k or 5], start=1)]

    def ask(self, question: str, *, k: int | None = None, mode: str | None = None, on_token=None) -> Answer:
        self.asks.append((question, k or 5))
        s = self.scripts[question]
        hits = self.search(question, k=k, mode=mode)
        citations = tuple(Citation(n, hits[rank - 1]) for n, rank in enumerate(s.cite, start=1))
        return Answer(question=question, text=s.answer, refused=s.refused, citations=citations, hits=tuple(hits),
                      model="fake-model", embedder=self.embedder.id, is_danish=s.is_danish,
                      language="da" if s.is_danish else "en",
                      timings={**s.timings, "retrieve_s": 0.01, "total_s": 0.8})
