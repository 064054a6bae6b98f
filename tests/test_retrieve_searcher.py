"""Searching an index: the three modes, legs and scores on every hit, reranking, freshness."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.errors import ConfigError, IndexMissingError
from rag.retrieve.indexer import Indexer
from rag.retrieve.searcher import Searcher
from rag.retrieve.store import STORE_FILE, Store
from tests.fakes import FakeEmbedder

DOCS = {
    "a.txt": "Folketinget vedtog reformen Børnene Først i maj 2024 efter lange forhandlinger.",
    "b.txt": "Sorø Kommune fik besøg af ministeren, som talte med borgmesteren om skoler.",
    "c.txt": "I Ishøj drøftede man børnesagerne og sagsbehandlernes arbejdsvilkår.",
    "d.txt": "Kommunernes Landsforening kom med et udspil om udsatte børn og unge.",
}


@pytest.fixture
def indexed(settings: Settings, tmp_path: Path) -> Settings:
    root = tmp_path / "docs"
    root.mkdir()
    for name, text in DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    Indexer(settings, FakeEmbedder()).update([root])
    return settings


def _stored_vector(settings: Settings, chunk_id: int, dim: int) -> np.ndarray:
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        return store.vectors(dim, [chunk_id])[1][0]


def test_missing_index_says_what_to_do(settings: Settings) -> None:
    with pytest.raises(IndexMissingError, match=rf"No index at .*rag index PATH --index {settings.index_dir}"):
        Searcher(settings, FakeEmbedder())


@pytest.mark.parametrize("mode", ["dense", "lexical", "hybrid"])
def test_modes_rank_the_right_passage_first(indexed: Settings, mode: str) -> None:
    emb = FakeEmbedder()
    hits = Searcher(indexed, emb).search("Hvornår blev reformen Børnene Først vedtaget?", k=3, mode=mode)
    assert hits[0].chunk.source.endswith("a.txt")
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    q = emb.embed_query("Hvornår blev reformen Børnene Først vedtaget?")
    for h in hits:
        assert mode in h.legs if mode != "hybrid" else set(h.legs) <= {"dense", "lexical"}
        cosine = float(_stored_vector(indexed, h.chunk_id, emb.dim) @ q)
        assert h.scores["dense"] == pytest.approx(cosine, abs=1e-5)  # always, in every mode
    expected_score = {"dense": "dense", "lexical": "lexical", "hybrid": "rrf"}[mode]
    assert hits[0].score == pytest.approx(hits[0].scores[expected_score])


def test_hybrid_records_each_leg_rank(indexed: Settings) -> None:
    searcher = Searcher(indexed, FakeEmbedder())
    hybrid = searcher.search("børnesagerne Ishøj", k=4, mode="hybrid")
    dense = {h.chunk_id: h.rank for h in searcher.search("børnesagerne Ishøj", k=4, mode="dense")}
    lexical = {h.chunk_id: h.rank for h in searcher.search("børnesagerne Ishøj", k=4, mode="lexical")}
    top = hybrid[0]
    assert top.legs == {"dense": dense[top.chunk_id], "lexical": lexical[top.chunk_id]}
    assert "lexical" in top.scores and "rrf" in top.scores
    for h in hybrid:
        assert h.legs.get("lexical") == lexical.get(h.chunk_id)


def test_lexical_only_hits_still_get_a_dense_cosine(indexed: Settings) -> None:
    emb = FakeEmbedder()
    hits = Searcher(indexed, emb).search("Kommune", k=4, mode="lexical")
    assert len(hits) == 2 and all(h.legs == {"lexical": h.rank} for h in hits)
    for h in hits:
        assert h.scores["dense"] == pytest.approx(
            float(_stored_vector(indexed, h.chunk_id, emb.dim) @ emb.embed_query("Kommune")), abs=1e-5)


class LengthReranker:
    """A fake cross-encoder through the Reranker protocol: longer passages score higher."""

    id = "fake-reranker"

    def __init__(self) -> None:
        self.calls: list[int] = []

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        self.calls.append(len(texts))
        return [float(len(t)) for t in texts]


def test_reranker_reorders_the_fused_top(indexed: Settings) -> None:
    reranker = LengthReranker()
    s = dataclasses.replace(indexed, rerank_depth=3)
    hits = Searcher(s, FakeEmbedder(), reranker=reranker).search("kommune børn", k=2, mode="hybrid")
    assert reranker.calls == [3]
    assert [h.legs["rerank"] for h in hits] == [1, 2]
    assert hits[0].score == hits[0].scores["rerank"] >= hits[1].score
    assert hits[0].score == float(len(hits[0].chunk.text))
    assert "dense" in hits[0].scores


def test_unknown_mode_is_a_config_error(indexed: Settings) -> None:
    with pytest.raises(ConfigError, match="mode must be one of"):
        Searcher(indexed, FakeEmbedder()).search("x", k=1, mode="fuzzy")


def test_a_long_lived_searcher_sees_a_reindex(indexed: Settings, tmp_path: Path) -> None:
    searcher = Searcher(indexed, FakeEmbedder())
    before = searcher.stats()
    (tmp_path / "docs" / "e.txt").write_text("Odense Zoo fik en ny elefant.", encoding="utf-8")
    Indexer(indexed, FakeEmbedder()).update([tmp_path / "docs"])
    assert searcher.search("elefant Odense", k=1, mode="lexical")[0].chunk.source.endswith("e.txt")
    assert searcher.stats()["generation"] == before["generation"] + 1


def test_stats_and_chunks(indexed: Settings) -> None:
    searcher = Searcher(indexed, FakeEmbedder())
    stats = searcher.stats()
    assert stats["files"] == 4 and stats["chunks"] == 4
    assert stats["manifest"]["embedder"] == "fake-embedder" and stats["manifest"]["dim"] == 64
    assert stats["manifest"]["chunker"] == {
        "encoding": "cl100k_base", "chunk_tokens": indexed.chunk_tokens, "overlap": indexed.chunk_overlap,
    }
    chunks = searcher.all_chunks()
    assert len(chunks) == 4
    files = searcher.files()
    assert sorted(Path(r.source).name for r in files.values()) == sorted(DOCS)
    assert all(len(r.sha256) == 64 and r.n_chunks == 1 for r in files.values())
    first = searcher.chunk_items()[0]
    assert searcher.chunk(first[0]) == first[1]
    with pytest.raises(KeyError):
        searcher.chunk(10_000)


class _VectorEmbedder(FakeEmbedder):
    """Queries "q<N>" embed to a given vector: lets a test aim at stored vectors exactly."""

    def __init__(self, queries: dict[str, np.ndarray]) -> None:
        super().__init__(dim=32)
        self.queries = queries

    def embed_query(self, text: str) -> np.ndarray:
        return self.queries[text]


@pytest.mark.heavy  # trains a real IVF-PQ index at IVFPQ_MIN vectors: seconds of k-means
def test_ivfpq_index_is_built_mapped_and_its_cosines_are_exact(settings: Settings) -> None:
    from rag.config import ANN_KINDS
    from rag.retrieve import artifacts
    from rag.retrieve.dense import IVFPQ_MIN
    from rag.retrieve.manifest import manifest_for
    from rag.retrieve.store import FileRecord
    from rag.types import Chunk

    assert "ivfpq" in ANN_KINDS
    n, rng = IVFPQ_MIN, np.random.default_rng(0)
    basis = rng.standard_normal((6, 32)).astype(np.float32)
    vectors = rng.standard_normal((n, 6)).astype(np.float32) @ basis
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    emb = _VectorEmbedder({"q0": vectors[0], "q1": vectors[4321]})
    settings = dataclasses.replace(settings, ann="ivfpq")
    settings.index_dir.mkdir(parents=True)
    with Store(settings.index_dir / STORE_FILE) as store, store.transaction():
        store.put_file(FileRecord("/x.txt", "x.txt", "0" * 64, 1, n, None, None, "2026-01-01T00:00:00+00:00"))
        chunks = [Chunk(source="x.txt", start=i, end=i + 1, text=f"passage {i}", ordinal=i, n_tokens=2)
                  for i in range(n)]
        store.add_chunks("/x.txt", chunks, vectors)
        store.set_manifest(manifest_for(settings, emb))
    searcher = Searcher(settings, emb)
    assert searcher.repaired == ["dense", "lexical"]  # built from the store, then saved
    assert artifacts.dense_kind(settings.index_dir, searcher.generation) == "ivfpq"
    for query, row in (("q0", 0), ("q1", 4321)):
        hits = searcher.search(query, k=5, mode="dense")
        assert hits[0].chunk.text == f"passage {row}"
        for h in hits:  # re-scored from the stored vectors: exact cosines, not PQ estimates
            assert h.scores["dense"] == pytest.approx(float(vectors[h.chunk_id - 1] @ vectors[row]), abs=1e-5)
        assert [h.scores["dense"] for h in hits] == sorted((h.scores["dense"] for h in hits), reverse=True)
    reloaded = Searcher(settings, emb)  # loads the saved file, memory-mapped
    assert reloaded.repaired == [] and reloaded._backend._dense.mmapped
    assert [h.chunk_id for h in reloaded.search("q1", k=5, mode="dense")] == \
        [h.chunk_id for h in searcher.search("q1", k=5, mode="dense")]


def test_a_hit_opening_mid_table_carries_its_tables_header_from_the_chunks_before(settings: Settings,
                                                                                   tmp_path: Path) -> None:
    head = "Dato | Tur | Voksen | Barn | Pensionist"
    rows = [f"{d}. maj | Tur nummer {d} til byen By{d} | {400 + d} kr. | {200 + d} kr. | {300 + d} kr."
            for d in range(1, 31)]
    root = tmp_path / "docs"
    root.mkdir()
    (root / "ture.txt").write_text("Dagture 2027\n\nTurene og priserne\n" + "\n".join([head, *rows])
                                   + "\n\nTilmelding sker på telefon.", encoding="utf-8")
    small = dataclasses.replace(settings, chunk_tokens=120, chunk_overlap=30)
    Indexer(small, FakeEmbedder()).update([root])
    hits = Searcher(small, FakeEmbedder()).search("Tur nummer 19 til byen By19", k=10, mode="lexical")
    later = [h for h in hits if h.chunk.ordinal > 0 and h.chunk.text.lstrip().startswith(tuple("0123456789"))]
    assert later, "the table should run over several chunks"
    assert all(h.chunk.table_header == head for h in later)
    assert all(h.chunk.table_header is None for h in hits if h.chunk.ordinal == 0)
    assert later[0].chunk.read_text.startswith(head + "\n")
