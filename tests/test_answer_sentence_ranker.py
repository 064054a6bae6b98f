"""The learned sentence ranker: its features, its shipped weights, and the ranking the flow reads."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.answer.answerability_model import AnswerabilityGate, features
from rag.answer.evidence import build_evidence, question_terms, sentence_candidates
from rag.answer.policy import AnswerPolicy
from rag.answer.sentence_ranker import DEFAULT_WEIGHTS, Candidate, SentenceRanker, candidate_features, default_ranker
from rag.answer.similarity import SentenceSimilarity
from rag.types import Chunk, Hit
from tests.fakes import FakeEmbedder


def hit(text: str, *, rank: int = 1, dense: float | None = 0.85, lexical: float | None = None) -> Hit:
    scores = ({} if dense is None else {"dense": dense}) | ({} if lexical is None else {"lexical": lexical})
    chunk = Chunk(source=f"doc{rank}.txt", start=0, end=len(text), text=text)
    return Hit(chunk=chunk, score=dense or 0.0, rank=rank, legs={}, scores=scores)


def test_the_shipped_weights_cover_every_feature_and_say_where_they_came_from():
    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    q = "Hvem blev valgt til borgmester?"
    cands = sentence_candidates(q, [hit("Gert Jørgensen blev valgt til borgmester i 2021.")], AnswerPolicy())
    names = candidate_features(q, frozenset(question_terms(q)), cands, [0.85], [None])[0].keys()
    assert set(data["features"]) == set(names) == set(data["coef"])
    assert data["meta"]["trainer"] == "eval/sentences/train.py"
    assert all(math.isfinite(c) for c in default_ranker().coef)


def test_probabilities_are_a_distribution_over_one_questions_candidates():
    ranker = SentenceRanker(("a", "b"), (1.0, -2.0))
    p = ranker.probabilities([{"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 1.0}, {"a": 500.0, "b": 0.0}])
    assert sum(p) == pytest.approx(1.0)
    assert p[2] > p[0] > p[1]  # and no overflow at a large logit
    assert ranker.probabilities([]) == []


def test_the_sentence_holding_the_answer_outranks_one_that_only_shares_a_word():
    passage = ("Byrådet mødes hver måned på rådhuset i Sorø. Gert Jørgensen blev valgt til borgmester i Sorø i 2021. "
               "Sorø ligger ved Sorø Sø.")
    ev = build_evidence("Hvem blev valgt til borgmester i Sorø?", [hit(passage)], AnswerPolicy())
    assert ev.chosen is not None and ev.chosen.text.startswith("Gert Jørgensen")
    assert ev.sentences[0] == ev.chosen
    assert 0.0 < ev.chosen.score <= 1.0


def test_a_sentence_of_a_far_lower_passage_needs_more_to_win():
    same = "Kommunen åbnede en ny skole i 2020."
    hits = [hit(same, rank=1, dense=0.90), hit(same.replace("skole", "skole for alle"), rank=2, dense=0.80)]
    ev = build_evidence("Hvornår åbnede kommunen en ny skole?", hits, AnswerPolicy())
    assert ev.chosen is not None and ev.chosen.n == 1


def test_a_sentence_sharing_no_word_with_the_question_scores_zero():
    ev = build_evidence("Hvornår åbnede skolen?", [hit("Skolen åbnede i 1990. Vejret var godt hele ugen.")],
                        AnswerPolicy())
    scores = {s.text: s.score for s in ev.sentences}
    assert scores["Vejret var godt hele ugen."] == 0.0 < scores["Skolen åbnede i 1990."]


def test_the_formula_ranking_is_still_there_and_unknown_rankers_are_refused():
    passage = "Gert Jørgensen blev valgt til borgmester i Sorø i 2021. Sorø ligger ved Sorø Sø."
    ev = build_evidence("Hvem blev valgt til borgmester?", [hit(passage)], AnswerPolicy(sentence_ranker="formula"))
    assert ev.chosen is not None and ev.chosen.text.startswith("Gert Jørgensen")
    with pytest.raises(ValueError, match="sentence_ranker"):
        AnswerPolicy(sentence_ranker="neural")


def test_the_answerability_gate_reads_the_ranking_it_was_trained_on_whatever_the_flow_uses():
    gate = AnswerabilityGate(threshold=0.5)
    q = "Hvem blev valgt til borgmester i Sorø i 2021?"
    hits = [hit("Sorø Kommune har fået ny borgmester. Gert Jørgensen blev valgt til borgmester i Sorø i 2021."),
            hit("Operaen i Paris ligger i Frankrig.", rank=2, dense=0.8)]
    expected = gate.model.score(features(q, hits))
    for ranker in ("learned", "formula"):
        ev = build_evidence(q, hits, dataclasses.replace(AnswerPolicy(), sentence_ranker=ranker))
        assert gate.model.probability_of(ev) == pytest.approx(expected)


_TEXT = st.text(alphabet=st.sampled_from(list("abcæøå ÆØÅ.,?!-0123456789\n")), max_size=200)


@settings(max_examples=60, deadline=None)
@given(question=_TEXT, texts=st.lists(_TEXT, min_size=1, max_size=4),
       dense=st.lists(st.one_of(st.none(), st.floats(-1, 1)), min_size=4, max_size=4),
       lexical=st.lists(st.one_of(st.none(), st.floats(0, 50)), min_size=4, max_size=4))
def test_features_are_finite_with_the_same_keys_for_any_input(question, texts, dense, lexical):
    q_terms = frozenset(question_terms(question))
    cands = [Candidate(n, t, frozenset(question_terms(t)), n % 2 == 0, n) for n, t in enumerate(texts, start=1)]
    feats = candidate_features(question, q_terms, cands, dense[:len(texts)], lexical[:len(texts)])
    assert len(feats) == len(cands)
    for f in feats:
        assert list(f) == list(feats[0])
        assert all(math.isfinite(v) for v in f.values())
    p = default_ranker().probabilities(feats)
    assert not p or sum(p) == pytest.approx(1.0)


def test_a_sentence_sharing_no_word_is_never_chosen_however_thin_the_probabilities():
    adjectives = ("store", "små", "lyse", "mørke", "nye", "gamle", "flotte", "kolde", "varme", "fine", "brede", "lave")
    filler = " ".join(f"Skolen har {a} klasser og en gård." for a in adjectives)
    passage = f"{filler} Vejret var koldt i 1999 hele vinteren."
    ev = build_evidence("Hvornår åbnede skolen?", [hit(passage)], AnswerPolicy())
    assert 0 < ev.sentences[0].score < AnswerPolicy().kind_margin  # spread thin over many candidates
    assert ev.chosen is None  # the year sits in a sentence that shares no word with the question


def test_name_words_read_the_title_and_the_file_name_with_its_danish_letters():
    from rag.answer.sentence_ranker import name_words

    assert name_words(None, "docs/solhoej-tennisklub_medlemsbetingelser.html").split() == [
        "solhoej", "tennisklub", "medlemsbetingelser", "solhøj", "tennisklub", "medlemsbetingelser"]
    assert name_words("Husorden", "husorden-lindegaarden.md").split() == [
        "Husorden", "husorden", "lindegaarden", "husorden", "lindegården"]
    assert name_words(None, "michael-laudrup.txt").split() == ["michael", "laudrup", "michæl", "laudrup"]
    assert name_words("Titel", "").split() == ["Titel"]


def test_words_naming_the_document_do_not_pick_its_introduction():
    """The question names the firm to say which handbook; the sentence naming the firm is its introduction."""
    text = ("Holm & Kjær ApS er et revisionsfirma med 23 medarbejdere i Aarhus. "
            "Din adgangskode skal være på 14 tegn.")
    q = "Hvor mange tegn skal mit password have hos Holm & Kjær?"
    chunk = Chunk(source="docs/holm-kjaer-it-haandbog.docx", start=0, end=len(text), text=text)
    named = Hit(chunk=chunk, score=0.85, rank=1, legs={}, scores={"dense": 0.85})
    # as the flow ranks, with the embedder's closeness, read without the words naming the document
    ev = build_evidence(q, [named], AnswerPolicy(), similarity=SentenceSimilarity(FakeEmbedder()))
    feats = {s.text[:4]: s for s in ev.sentences}
    assert ev.chosen is not None and ev.chosen.text.startswith("Din adgangskode"), feats
    cands = sentence_candidates(q, [named], AnswerPolicy())
    from rag.answer.evidence import learned_features

    f = learned_features(q, [named], cands)
    assert f[0]["name_share"] > 0 and f[1]["name_share"] == 0


def test_a_code_the_question_names_picks_the_sentence_holding_it():
    from rag.answer.sentence_ranker import codes

    assert codes("Fejlkode E03 på AW-8 fra 2019, 4,2 procent") >= {"e03", "aw-8", "2019"}
    text = ("Vises en fejlkode igen inden for 48 timer, skal du kontakte din installatør. "
            "E03: For lavt vandtryk i anlægget.")
    q = "Hvad betyder fejlkode E03 på min varmepumpe?"
    cands = sentence_candidates(q, [hit(text)], AnswerPolicy())
    from rag.answer.evidence import learned_features

    f = learned_features(q, [hit(text)], cands)
    assert [x["code_share"] for x in f] == [0.0, 1.0]
    ev = build_evidence(q, [hit(text)], AnswerPolicy())
    assert ev.sentences[0].text.startswith("E03")
