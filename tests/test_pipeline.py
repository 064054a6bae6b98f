"""Rag composes the stages: index → search → ask, with fakes, plus its own input checks."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from rag.config import Settings
from rag.errors import ConfigError, InputError
from rag.pipeline import Rag
from tests.fakes import FakeEmbedder, FakeGenerator


def _rag(tmp_path: Path, **changes: object) -> Rag:
    settings = Settings(index_dir=tmp_path / "idx", **changes)  # type: ignore[arg-type]
    return Rag(settings, embedder=FakeEmbedder(), generator=FakeGenerator("Ivan Hansen [1]."))


def test_index_search_ask_end_to_end(tmp_path: Path, seeds_copy: Path) -> None:
    rag = _rag(tmp_path, refusal_min_score=0.0, answer_style="generate")
    report = rag.index([seeds_copy])
    assert report.chunks_embedded > 0 and len(report.added) == 5
    hits = rag.search("borgmester Ivan Hansen Sorø Kommune", k=3)
    assert [h.rank for h in hits] == [1, 2, 3]
    assert hits[0].chunk.source.endswith("soroe-karen-haekkerup-besoeg.txt")
    answer = rag.ask("Hvem er borgmester i Sorø Kommune?", k=3)
    assert not answer.refused
    assert answer.citations and answer.citations[0].n == 1
    assert set(answer.timings) >= {"retrieve_s", "total_s"}
    assert answer.embedder == "fake-embedder"


def test_refusal_before_generation_does_not_load_the_generator(tmp_path: Path, seeds_copy: Path) -> None:
    settings = Settings(index_dir=tmp_path / "idx", refusal_min_score=0.99)
    rag = Rag(settings, embedder=FakeEmbedder())
    rag.index([seeds_copy])
    answer = rag.ask("Hvad er hovedstaden i Australien?")
    assert answer.refused and answer.text == settings.refusal_text and not answer.citations
    assert rag._generator is None  # the GGUF was never loaded


def test_index_replaces_the_searcher(tmp_path: Path, seeds_copy: Path) -> None:
    rag = _rag(tmp_path)
    rag.index([seeds_copy])
    before = rag.searcher()
    (seeds_copy / "ny.txt").write_text("Ærø Kommune åbner et nyt familiehus i Marstal.", encoding="utf-8")
    rag.index([seeds_copy])
    assert rag.searcher() is not before
    assert rag.search("familiehus Marstal", k=1, mode="lexical")[0].chunk.source.endswith("ny.txt")


def test_a_query_typed_without_danish_letters_is_searched_as_the_documents_spell_it(
        tmp_path: Path, seeds_copy: Path) -> None:
    rag = _rag(tmp_path)
    (seeds_copy / "ny.txt").write_text("Ærø Kommune åbner et nyt familiehus i Marstal. Hækken må være høj.",
                                       encoding="utf-8")
    rag.index([seeds_copy])
    # "haekken" and "hoej" match no indexed word; the first passages spell them "hækken" and "høj"
    typed = rag.search("familiehus haekken hoej", k=1, mode="lexical")[0]
    spelt = rag.search("familiehus hækken høj", k=1, mode="lexical")[0]
    as_typed = rag.searcher().search("familiehus haekken hoej", k=1, mode="lexical")[0]
    assert typed.chunk.source.endswith("ny.txt") and typed.chunk == spelt.chunk
    assert typed.score == pytest.approx(spelt.score) and typed.score > as_typed.score


@pytest.mark.parametrize("text", ["", "   \n", " [1] ", "\x01\x02\x03", "\x1b[31m\x1b[0m"])
def test_empty_question_is_refused_as_input_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        _rag(tmp_path).ask(text)


def test_citation_marks_pasted_into_a_question_are_no_part_of_it(tmp_path: Path, seeds_copy: Path) -> None:
    rag = Rag(Settings(index_dir=tmp_path / "idx", refusal_min_score=0.0, answer_style="extractive"),
              embedder=FakeEmbedder())
    rag.index([seeds_copy])
    plain = rag.ask("Hvem er borgmester i Sorø Kommune?")
    marked = rag.ask("Hvem er borgmester [1] i Sorø Kommune [2, 3]?")
    assert marked.question == plain.question and marked.text == plain.text
    coloured = rag.ask("Hvem er borgmester\x1b[31m i Sorø\x1b[0m Kommune?\x07")  # pasted from a coloured terminal
    assert coloured.question == plain.question and coloured.text == plain.text
    decomposed = rag.ask(unicodedata.normalize("NFD", "Hvem er borgmester i Sorø Kommune på Sjælland?"))
    assert decomposed.question == "Hvem er borgmester i Sorø Kommune på Sjælland?"  # as macOS pastes "å"


def test_over_long_question_names_the_limit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="max_question_chars"):
        _rag(tmp_path, max_question_chars=10).ask("x" * 11)


def test_answer_style_is_validated() -> None:
    from rag.config import load_settings

    with pytest.raises(ConfigError, match="answer_style must be one of"):
        load_settings({"answer_style": "poetic"}, environ={})


def test_a_bad_model_file_is_reported_even_when_the_question_is_refused(tmp_path: Path, seeds_copy: Path) -> None:
    from rag.errors import ModelError

    not_gguf = tmp_path / "model.gguf"
    not_gguf.write_text("not a model", encoding="utf-8")
    settings = Settings(index_dir=tmp_path / "idx", refusal_min_score=0.99, model=str(not_gguf))
    rag = Rag(settings, embedder=FakeEmbedder())
    rag.index([seeds_copy])
    with pytest.raises(ModelError, match="not a GGUF"):
        rag.ask("Hvad er hovedstaden i Australien?")
    missing = Rag(settings.replace(model=str(tmp_path / "nope.gguf")), embedder=FakeEmbedder())
    with pytest.raises(ModelError, match="does not exist"):
        missing.ask("Hvad er hovedstaden i Australien?")


def test_a_refusal_names_the_model_file_as_an_answer_does(tmp_path: Path, seeds_copy: Path) -> None:
    """`model` in `ask --json` and the log: one name per model, whether it answered or not."""
    from rag.answer.generators import file_id

    model = tmp_path / "tiny.gguf"
    model.write_bytes(b"GGUF" + b"\0" * (2 << 20))
    rag = Rag(Settings(index_dir=tmp_path / "idx", refusal_min_score=0.99, model=str(model)), embedder=FakeEmbedder())
    rag.index([seeds_copy])
    answer = rag.ask("Hvad er hovedstaden i Australien?")
    assert answer.refused and answer.model == file_id(model) and answer.model.startswith("tiny:")


def test_undecodable_question_bytes_are_read_as_danish(tmp_path: Path, seeds_copy: Path) -> None:
    rag = _rag(tmp_path)
    rag.index([seeds_copy])
    query = b"borgmester Sor\xf8 Kommune".decode("utf-8", "surrogateescape")  # a latin-1 terminal's argv
    hits = rag.search(query, k=1, mode="lexical")
    assert hits and hits[0].chunk.source.endswith("soroe-karen-haekkerup-besoeg.txt")


def test_an_uncalibrated_embedder_gets_the_fallback_policy_with_a_warning(tmp_path: Path) -> None:
    rag = _rag(tmp_path)
    assert rag.policy.scale_free and rag.policy.warning and "fake-embedder" in rag.policy.warning


def test_ask_ranks_sentences_with_the_index_embedder_and_caches_their_vectors(tmp_path: Path,
                                                                                seeds_copy: Path) -> None:
    embedder = FakeEmbedder()
    rag = Rag(Settings(index_dir=tmp_path / "idx", refusal_min_score=0.0, answer_style="extractive"),
              embedder=embedder)
    rag.index([seeds_copy])
    indexed = embedder.passages_embedded
    rag.ask("Hvem er borgmester i Sorø Kommune?", k=3)
    first = embedder.passages_embedded - indexed
    assert first > 0  # the candidate sentences were embedded for the ranker
    rag.ask("Hvem er borgmester i Sorø Kommune?", k=3)
    assert embedder.passages_embedded - indexed == first  # and not again for the same passages
    # a new process (a new Rag) reads them back from beside the index instead of embedding again
    later = Rag(Settings(index_dir=tmp_path / "idx", refusal_min_score=0.0, answer_style="extractive"),
                embedder=embedder)
    before = embedder.passages_embedded
    again = later.ask("Hvem er borgmester i Sorø Kommune?", k=3)
    assert embedder.passages_embedded == before
    assert again.text == rag.ask("Hvem er borgmester i Sorø Kommune?", k=3).text
