"""Metric and normalisation checks against hand-computed examples, including the known anchor bugs."""

from __future__ import annotations

import math

import pytest

from rag.evaluate import metrics as M
from rag.evaluate.normalize import normalize_answer, normalize_text, strip_citation_marks
from tests.fakes import FakeEmbedder

L2, L3, L4, L5 = (math.log2(n) for n in (2, 3, 4, 5))


# -- normalisation ---------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("14 mia. kr.", "14 milliarder kroner"),
    ("De 14 mia. kr.", "14 milliarder kroner"),
    ("2,5 mio. kr", "2.5 millioner kroner"),
    ("1.000 kr.", "1000 kroner"),
    ("14 mia. kr.", "14.000.000.000 kr."),
    ("2,5 mio.", "2.500.000"),
    ("5 mio. dollar", "5.000.000 $"),
    ("3 tusinde", "3000"),
    ("12 %", "12 pct."),
    ("12 %", "12 procent"),
    ("11. maj 2021", "11 maj 2021"),
    ("den 11. maj 2021", "2021-05-11"),
    ("11.05.2021", "11. maj 2021"),
    ("22-04-2022", "22. april 2022"),
    ("5. okt. 2020", "05. oktober 2020"),
    ("den tredje", "3."),
    ("tre børn", "3 børn"),
    ("Det Radikale Venstre", "radikale venstre"),
    ("“Børnene Først”", "Børnene Først"),
    ("KL’s udspil", "KL's udspil"),
    ("Social- og Ældreudvalget", "social og ældreudvalget"),
    ("ﬁnans", "finans"),  # NFKC ligature
])
def test_normalize_answer_equates_variants(a: str, b: str) -> None:
    assert normalize_answer(a) == normalize_answer(b)


@pytest.mark.parametrize(("a", "b"), [
    ("14 mia. kr.", "14 mio. kr."),
    ("2,5 millioner", "25 millioner"),  # a decimal comma is kept, not deleted
    ("11. maj", "12. maj"),
    ("Karen Hækkerup", "Astrid Krag"),
])
def test_normalize_answer_keeps_differences(a: str, b: str) -> None:
    assert normalize_answer(a) != normalize_answer(b)


def test_normalize_answer_exact_forms() -> None:
    assert normalize_answer("Den 11. maj.") == "11 maj"
    assert normalize_answer("De 14 mia. kr., der årligt anvendes") == "14000000000 kroner der årligt anvendes"
    assert normalize_answer("2,55 mio. $") == "2550000 dollars"
    assert normalize_answer("millioner af kroner") == "millioner af kroner"  # no number: nothing to fold
    assert normalize_answer("Ole Bjørstorp (S)") == "ole bjørstorp s"
    assert normalize_answer("") == ""


def test_normalize_is_idempotent() -> None:
    for s in ("De 14 mia. kr.", "den 11. maj 2021", "2,5 %", "“Tillid” – og inddragelse"):
        once = normalize_answer(s)
        assert normalize_answer(once) == once
        assert normalize_text(normalize_text(s)) == normalize_text(s)


def test_normalize_text_is_light() -> None:
    assert normalize_text("  Børnene\u00a0Først –\n vedtaget  ") == "børnene først - vedtaget"
    assert normalize_text("’synsningerne’ og “tal”") == "'synsningerne' og \"tal\""
    assert normalize_text("bør\u00adnene") == "børnene"  # soft hyphen dropped


def test_strip_citation_marks() -> None:
    assert strip_citation_marks("Den 11. maj [1]. Vedtaget [1, 2] af [3-4] mange.") == "Den 11. maj. Vedtaget af mange."


# -- retrieval -------------------------------------------------------------------------------
def test_hit_mrr_first_rank() -> None:
    m = [set(), set(), {0}, set()]
    assert M.hit_at_k(m, 1) == 0.0
    assert M.hit_at_k(m, 2) == 0.0
    assert M.hit_at_k(m, 3) == 1.0
    assert M.mrr_at_k(m, 10) == pytest.approx(1 / 3)
    assert M.mrr_at_k(m, 2) == 0.0
    assert M.first_relevant_rank(m) == 3
    assert M.hit_at_k([], 5) == 0.0 and M.mrr_at_k([], 5) == 0.0


def test_recall_counts_evidence_quotes() -> None:
    m = [{1}, set(), {0, 1}, set(), {2}]
    assert M.recall_at_k(m, 3, 1) == pytest.approx(1 / 3)
    assert M.recall_at_k(m, 3, 3) == pytest.approx(2 / 3)
    assert M.recall_at_k(m, 3, 5) == pytest.approx(1.0)


def test_duplicates_never_push_hit_or_recall_above_one() -> None:
    # Anchor bug: the same relevant passage retrieved three times.
    m = [{0}, {0}, {0}]
    assert M.hit_at_k(m, 3) == 1.0
    assert M.recall_at_k(m, 1, 3) == 1.0
    assert M.ndcg_at_k(m, 1, 3) == 1.0
    # ... and with two quotes, the duplicates of quote 0 do not count for quote 1.
    assert M.recall_at_k(m, 2, 3) == 0.5
    assert M.ndcg_at_k(m, 2, 3) == pytest.approx((1 / L2) / (1 / L2 + 1 / L3))


def test_ndcg_hand_computed() -> None:
    # relevant (new quote) at ranks 2 and 4; two quotes in the gold.
    m = [set(), {0}, {0}, {1}]
    dcg = 1 / L3 + 1 / L5
    idcg = 1 / L2 + 1 / L3
    assert M.ndcg_at_k(m, 2, 10) == pytest.approx(dcg / idcg)
    assert M.ndcg_at_k(m, 2, 10) == pytest.approx(0.65092, abs=1e-5)
    assert M.ndcg_at_k([{0}, {1}], 2, 10) == pytest.approx(1.0)
    assert M.ndcg_at_k([set(), set()], 2, 10) == 0.0


def test_ndcg_ideal_comes_from_the_gold_not_the_retrieved_list() -> None:
    # Anchor bug: gold has 3 evidence quotes, only one was retrieved, at rank 1. An ideal DCG
    # computed over the retrieved list would say 1.0; the gold's 3 relevant items say otherwise.
    m = [{0}, set(), set()]
    expected = 1.0 / (1 / L2 + 1 / L3 + 1 / L4)
    assert M.ndcg_at_k(m, 3, 10) == pytest.approx(expected)
    assert M.ndcg_at_k(m, 3, 10) < 1.0
    # The ideal is capped at k: with k=1 and the one relevant item first, nDCG is 1.
    assert M.ndcg_at_k(m, 3, 1) == 1.0


def test_retrieval_metrics_need_gold() -> None:
    with pytest.raises(ValueError):
        M.recall_at_k([{0}], 0, 5)
    with pytest.raises(ValueError):
        M.ndcg_at_k([{0}], 0, 5)


# -- answers ---------------------------------------------------------------------------------
def test_exact_match_and_contains() -> None:
    golds = ["11. maj", "den 11. maj"]
    assert M.exact_match("Den 11. maj.", golds) == 1.0
    assert M.exact_match("Reformen blev vedtaget den 11. maj.", golds) == 0.0
    assert M.contains("Reformen blev vedtaget den 11. maj.", golds) == 1.0
    assert M.contains("Reformen blev vedtaget den 11. maj 2021 [1].", golds) == 1.0
    assert M.contains("Den 21. maj.", golds) == 0.0  # word boundaries: "1 maj" is not in "21 maj"
    assert M.contains("Det ved jeg ikke", ["kr."]) == 0.0
    assert M.exact_match("", golds) == 0.0 and M.contains("", golds) == 0.0


def test_token_f1_hand_computed() -> None:
    # pred tokens: [14000000000, kroner, om, året] ; gold: [14000000000, kroner]
    # common 2 → precision 2/4, recall 2/2 → F1 = 2·0.5·1/1.5 = 2/3
    assert M.token_f1("14 mia. kr. om året", ["14 milliarder kroner"]) == pytest.approx(2 / 3)
    # pred [social, og, indenrigsminister, astrid, krag, s]; gold [astrid, krag]: P = 2/6, R = 1 → 0.5
    assert M.token_f1("Social- og Indenrigsminister Astrid Krag (S)", ["Astrid Krag"]) == pytest.approx(0.5)
    # max over aliases
    assert M.token_f1("Ivan Hansen", ["Hansen", "Ivan Hansen"]) == 1.0
    # pred [ole, hansen] vs gold [ivan, hansen]: 1 common → P=R=0.5 → 0.5
    assert M.token_f1("Ole Hansen", ["Ivan Hansen"]) == pytest.approx(0.5)
    assert M.token_f1("", ["Ivan Hansen"]) == 0.0
    assert M.token_f1("den", ["det"]) == 1.0  # both only articles: both empty


def test_semantic_uses_best_alias() -> None:
    emb = FakeEmbedder()
    assert M.semantic("Ivan Hansen", ["Ole", "Ivan Hansen"], emb) == pytest.approx(1.0)
    assert M.semantic("", ["Ivan Hansen"], emb) == 0.0
    s = M.semantic("borgmester Ivan Hansen", ["Ivan Hansen"], emb)
    assert 0.0 < s < 1.0


# -- citations, refusal, aggregates ----------------------------------------------------------
def test_citation_precision() -> None:
    assert M.citation_precision([True, False, True, True]) == 0.75
    assert M.citation_precision([]) is None


def test_refusal_scores_hand_computed() -> None:
    # items:        A      A      U      U      U
    answerable = [True, True, False, False, False]
    refused = [True, False, True, True, False]
    # TP = 2 (refused unanswerable), FP = 1 (refused answerable), FN = 1 (answered unanswerable)
    s = M.refusal_scores(refused, answerable)
    assert s["refusal_precision"] == pytest.approx(2 / 3)
    assert s["refusal_recall"] == pytest.approx(2 / 3)
    none = M.refusal_scores([False, False], [True, True])
    assert none == {"refusal_precision": None, "refusal_recall": None}


def test_mean_and_percentile() -> None:
    assert M.mean([1.0, None, 0.0]) == 0.5
    assert M.mean([None]) is None
    vals = [1.0, 2.0, 3.0, 4.0, 10.0]
    assert M.percentile(vals, 50) == 3.0
    # position (5-1)·0.95 = 3.8 → 4 + 0.8·(10-4) = 8.8 (numpy's linear interpolation)
    assert M.percentile(vals, 95) == pytest.approx(8.8)
    assert M.percentile([2.5], 95) == 2.5
    assert M.percentile([], 50) is None
