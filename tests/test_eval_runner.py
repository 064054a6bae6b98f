"""The eval runner against a scripted fake Rag: per-item records, summary numbers worked out by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path
from types import SimpleNamespace

import pytest

from rag.errors import InputError
from rag.evaluate.gold import GoldItem
from rag.evaluate.runner import run_eval
from rag.types import Chunk
from tests.eval_fakes import FakeRag, Script

ITEMS = [
    GoldItem("a1", "Hvornår blev reformen vedtaget?", ("11. maj", "den 11. maj"), ("vedtaget den 11. maj",), True),
    GoldItem("a2", "Hvem er borgmester?", ("Ivan Hansen",), ("Ivan Hansen er borgmester", "Villa Villakulla"), True),
    GoldItem("u1", "Hvornår åbnede Villa Villakulla?", (), (), False),
    GoldItem("u2", "Hvem er formand for KL?", (), (), False),
]
SCRIPTS = {
    ITEMS[0].question: Script(["noget andet", "Reformen blev vedtaget den 11. maj.",
                               "Reformen blev vedtaget den 11. maj."], answer="Den 11. maj [1].", cite=(2,)),
    ITEMS[1].question: Script(["Ivan Hansen er borgmester i Sorø.", "x", "y"],
                              answer="Det kan jeg ikke finde i dokumenterne.", refused=True),
    ITEMS[2].question: Script(["x"], answer="Det kan jeg ikke finde i dokumenterne.", refused=True),
    ITEMS[3].question: Script(["x", "y"], answer="Noget forkert [1].", cite=(1,), is_danish=False),
}


@pytest.fixture
def result():
    return run_eval(FakeRag(SCRIPTS), ITEMS, k=5)


def test_summary_hand_computed(result) -> None:
    s = result.summary
    r = s["retrieval"]
    assert r["hit@1"] == 0.5 and r["hit@3"] == 1.0 and r["hit@5"] == 1.0 and r["hit@10"] == 1.0
    assert r["recall@5"] == 0.75  # a1 finds its one quote, a2 one of two
    assert r["mrr@10"] == 0.75  # (1/2 + 1) / 2
    ndcg_a1 = 1 / math.log2(3)  # the duplicate at rank 3 adds nothing
    ndcg_a2 = 1 / (1 + 1 / math.log2(3))  # one of two quotes, at rank 1
    assert r["ndcg@10"] == pytest.approx((ndcg_a1 + ndcg_a2) / 2)

    a = s["answer"]
    assert a["em"] == 0.5 and a["f1"] == 0.5 and a["contains"] == 0.5  # a2 refused → 0
    assert a["semantic"] == pytest.approx(0.5)
    assert a["danish_rate"] == 0.5  # a1 (Danish) and u2 (not); refusals don't count

    assert s["citation"] == {"citation_precision": 1.0, "citation_recall": 0.5}
    assert s["refusal"] == {"refusal_precision": 0.5, "refusal_recall": 0.5, "false_refusals": ["a2"]}
    lat = s["latency"]
    assert lat["total_mean_s"] == pytest.approx(0.8) and lat["ttft_p95_s"] == pytest.approx(0.2)
    assert s["counts"] == {"items": 4, "answerable": 2, "unanswerable": 2, "answered": 2, "refused": 2,
                           "errors": 0, "failed": 2, "k": 5, "depth": 10}


def test_summary_has_the_documented_keys(result) -> None:
    s = result.to_json()["summary"]
    for key in ("hit@1", "hit@3", "hit@5", "hit@10", "recall@5", "mrr@10", "ndcg@10"):
        assert key in s["retrieval"]
    assert {"em", "f1", "contains", "semantic", "danish_rate"} <= set(s["answer"])
    assert set(s["citation"]) == {"citation_precision", "citation_recall"}
    assert {"refusal_precision", "refusal_recall", "false_refusals"} <= set(s["refusal"])


def test_items_failures_first_with_reasons(result) -> None:
    ids = [r["id"] for r in result.items]
    assert ids == ["a2", "u2", "a1", "u1"]
    by_id = {r["id"]: r for r in result.items}
    assert by_id["a2"]["failures"] == ["false_refusal"]
    assert by_id["u2"]["failures"] == ["should_refuse"]
    assert by_id["a1"]["failures"] == []
    a1 = by_id["a1"]
    assert a1["retrieval"]["hit_rank"] == 2
    assert [h["evidence"] for h in a1["retrieved"]] == [[], [0], [0]]
    assert a1["citations"] == [{"n": 1, "source": "doc.txt", "chunk_id": 2, "correct": True}]
    assert a1["scores"]["em"] == 1.0  # citation marks are stripped before scoring


def test_run_info_and_json(result) -> None:
    data = json.loads(json.dumps(result.to_json()))  # JSON-safe
    assert set(data) == {"summary", "items", "run"}
    run = data["run"]
    assert run["settings"]["k"] == 5 and run["embedder"] == "fake-embedder" and run["model"] == "fake-model"
    for key in ("git_revision", "git_dirty", "corpus_hash", "gold_hash", "rag_version", "started", "finished"):
        assert key in run


def test_retrieval_depth_is_independent_of_k() -> None:
    rag = FakeRag(SCRIPTS)
    run_eval(rag, ITEMS[:1], k=3)
    assert rag.searches[0][1] == 10  # evaluation search at depth 10 ...
    assert rag.asks == [(ITEMS[0].question, 3)]  # ... the answer uses k
    rag = FakeRag(SCRIPTS)
    res = run_eval(rag, ITEMS[:1], k=20, mode="lexical")
    assert rag.searches[0] == (ITEMS[0].question, 20, "lexical")
    assert "hit@20" in res.summary["retrieval"] and "recall@20" in res.summary["retrieval"]


def test_retrieval_only_limit_and_progress() -> None:
    rag = FakeRag(SCRIPTS)
    seen = []
    res = run_eval(rag, ITEMS, k=5, retrieval_only=True, limit=3, progress=lambda w, d, t: seen.append((d, t)))
    assert rag.asks == []
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert res.summary["counts"]["items"] == 3
    assert res.summary["retrieval"]["hit@1"] == 0.5
    assert all(v is None for v in res.summary["answer"].values())
    assert res.summary["refusal"]["false_refusals"] == []
    assert res.summary["latency"]["retrieve_mean_s"] is not None
    assert res.run["model"] is None


def test_a_failing_question_is_recorded_not_fatal() -> None:
    class Failing(FakeRag):
        def ask(self, question, **kw):
            if question == ITEMS[0].question:
                raise InputError("The question is too long.")
            return super().ask(question, **kw)

    res = run_eval(Failing(SCRIPTS), ITEMS[:2], k=5)
    first = res.items[0]
    assert first["id"] == "a1" and first["error"] == "The question is too long." and "error" in first["failures"]
    assert res.summary["counts"]["errors"] == 1


def test_missing_evidence_warning_and_corpus_hash(tmp_path: Path) -> None:
    chunk = Chunk(source="a.txt", start=0, end=30, text="Reformen blev vedtaget den 11. maj.")

    class Indexed(FakeRag):
        def searcher(self):
            return SimpleNamespace(all_chunks=lambda: [chunk])

    class WithFiles(FakeRag):
        def searcher(self):
            files = {"/x/a.txt": SimpleNamespace(source="a.txt", sha256="abc")}
            return SimpleNamespace(files=lambda: files, all_chunks=lambda: [chunk])

    res = run_eval(Indexed(SCRIPTS), ITEMS, k=5, retrieval_only=True)
    assert len(res.warnings) == 1 and "a2" in res.warnings[0] and "a1" not in res.warnings[0]
    assert res.run["corpus_hash"].startswith("chunks:") and len(res.run["corpus_hash"]) == 7 + 64
    with_files = run_eval(WithFiles(SCRIPTS), ITEMS, k=5, retrieval_only=True).run["corpus_hash"]
    assert len(with_files) == 64 and with_files != res.run["corpus_hash"]
    res.write_json(tmp_path / "out" / "r.json")
    assert json.loads((tmp_path / "out" / "r.json").read_text())["run"]["warnings"] == res.warnings
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["r.json"]  # no temp file left
