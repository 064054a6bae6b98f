"""Sentence similarity: the embedder's closeness of each sentence to the question, cached, and how
the learned ranker reads it (relative within one question, so any embedder's scale serves)."""

from __future__ import annotations

import pytest

from rag.answer.evidence import build_evidence, question_terms, sentence_candidates
from rag.answer.policy import AnswerPolicy
from rag.answer.sentence_ranker import candidate_features
from rag.answer.similarity import SentenceSimilarity
from rag.types import Chunk, Hit
from tests.fakes import FakeEmbedder


def hit(text: str) -> Hit:
    return Hit(chunk=Chunk(source="doc.txt", start=0, end=len(text), text=text), score=0.9, rank=1, legs={},
               scores={"dense": 0.9})


def test_each_sentence_gets_its_cosine_and_is_embedded_once():
    embedder = FakeEmbedder()
    similarity = SentenceSimilarity(embedder)
    sentences = ["Skolen åbnede i 1990.", "Vejret var godt.", "Skolen åbnede i 1990."]
    first = similarity("Hvornår åbnede skolen?", sentences)
    assert len(first) == 3 and first[0] == first[2] > first[1]
    assert embedder.passages_embedded == 2  # a repeated sentence is embedded once
    again = similarity("Hvornår åbnede skolen?", sentences[:2])
    assert again == first[:2] and embedder.passages_embedded == 2  # and once across questions
    assert similarity("Hvornår?", []) == []


def test_the_cache_is_bounded_and_forgets_the_least_recently_used():
    embedder = FakeEmbedder()
    similarity = SentenceSimilarity(embedder, cache_size=2)
    similarity("q", ["a b", "c d"])
    similarity("q", ["a b"])  # "a b" is now the most recent
    similarity("q", ["e f"])  # evicts "c d"
    before = embedder.passages_embedded
    similarity("q", ["a b"])
    assert embedder.passages_embedded == before
    similarity("q", ["c d"])
    assert embedder.passages_embedded == before + 1


def test_the_ranker_reads_closeness_relative_to_the_other_candidates():
    q = "Hvem blev valgt til borgmester?"
    cands = sentence_candidates(q, [hit("Gert Jørgensen blev valgt til borgmester. Byrådet mødes på rådhuset.")],
                                AnswerPolicy())
    terms = frozenset(question_terms(q))
    near = candidate_features(q, terms, cands, [0.9], [None], similarity=[0.82, 0.80])
    wide = candidate_features(q, terms, cands, [0.9], [None], similarity=[0.5, -0.1])  # another scale
    assert [f["dense_sentence_below_top"] for f in near] == pytest.approx([0.0, 1.0], abs=1e-4)
    assert [f["dense_sentence_below_top"] for f in wide] == pytest.approx([0.0, 1.0], abs=1e-4)
    none = candidate_features(q, terms, cands, [0.9], [None])
    assert {f["dense_sentence_below_top"] for f in none} == {0.0}  # the same for all: no effect on a softmax
    with pytest.raises(ValueError):
        candidate_features(q, terms, cands, [0.9], [None], similarity=[0.5])


def test_a_closer_sentence_wins_a_tie_on_words():
    # two sentences holding the question's words equally; the embedder decides between them
    text = "Klubben blev stiftet i 1920 af fiskere. Klubben blev stiftet om i 1950 efter krigen."
    q = "Hvornår blev klubben stiftet?"

    def prefer(year: str):
        return lambda question, sentences: [1.0 if year in s else 0.0 for s in sentences]

    first = build_evidence(q, [hit(text)], AnswerPolicy(), similarity=prefer("1920")).chosen
    second = build_evidence(q, [hit(text)], AnswerPolicy(), similarity=prefer("1950")).chosen
    assert first is not None and "1920" in first.text
    assert second is not None and "1950" in second.text


def test_the_question_is_compared_without_the_words_naming_the_document():
    seen = []

    def record(question, sentences):
        seen.append(question)
        return [0.0] * len(sentences)

    text = "Holm & Kjær ApS er et revisionsfirma. Din adgangskode skal være på 14 tegn."
    named = Hit(chunk=Chunk(source="docs/holm-kjaer-it.docx", start=0, end=len(text), text=text), score=0.9,
                rank=1, legs={}, scores={"dense": 0.9})
    build_evidence("Hvor mange tegn skal mit password have hos Holm & Kjær?", [named], AnswerPolicy(),
                   similarity=record)
    assert seen and "Holm" not in seen[0] and "Kjær" not in seen[0] and "password" in seen[0]
