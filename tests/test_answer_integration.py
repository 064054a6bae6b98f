"""The real bundled models on seeds/: a grounded, cited answer, and a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import Settings
from rag.pipeline import Rag
from rag.protocols import Embedder, Generator
from rag.retrieve.indexer import Indexer
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rag(tmp_path_factory: pytest.TempPathFactory, e5: Embedder, gemma: Generator) -> Rag:
    settings = Settings(index_dir=tmp_path_factory.mktemp("answer") / "index")
    Indexer(settings, e5).update([SEEDS])
    return Rag(settings, embedder=e5, generator=gemma)


def test_sorø_mayor_is_answered_from_the_sorø_document(rag: Rag) -> None:
    streamed: list[str] = []
    answer = rag.ask("Hvem er borgmester i Sorø Kommune?", on_token=streamed.append)
    assert not answer.refused
    assert "Ivan Hansen" in answer.text
    assert [Path(c.hit.chunk.source).name for c in answer.citations] == ["soroe-karen-haekkerup-besoeg.txt"]
    assert answer.text.endswith(("[1]", "[1]."))
    assert answer.unsupported == ()
    assert answer.is_danish
    assert answer.template in ("completion", "completion+extractive")
    assert streamed  # the model was asked, and its tokens were streamed
    assert set(answer.timings) >= {"ttft_s", "generate_s", "retrieve_s", "total_s"}


def test_question_the_documents_cannot_answer_is_refused(rag: Rag) -> None:
    answer = rag.ask("Hvad er hovedstaden i Australien?")
    assert answer.refused
    assert answer.text == "Det kan jeg ikke finde i dokumenterne."
    assert answer.citations == ()


@pytest.mark.parametrize("question", [
    "Hvor mange Familiehuse skal der etableres med Børnene Først?",  # on topic, but no number is given
    "Hvornår træder Barnets Lov i kraft?",  # on topic, but no date is given
])
def test_on_topic_question_without_the_asked_for_kind_is_refused(rag: Rag, question: str) -> None:
    answer = rag.ask(question)
    assert answer.refused
    assert answer.citations == ()


def test_when_question_is_answered_with_a_date(rag: Rag) -> None:
    answer = rag.ask("Hvornår blev reformen Børnene Først vedtaget?")
    assert not answer.refused
    assert "11. maj" in answer.text
