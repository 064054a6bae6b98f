"""The HTML report is one self-contained file, and the baseline comparison gates on drops."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rag.evaluate.baseline import compare
from rag.evaluate.gold import GoldItem
from rag.evaluate.report import histogram, write_html_report
from rag.evaluate.runner import run_eval
from tests.eval_fakes import FakeRag, Script

ITEMS = [
    GoldItem("ok", "Hvornår?", ("11. maj",), ("vedtaget den 11. maj",), True),
    GoldItem("bad", "Hvem <b>?", ("Ivan Hansen",), ("Ivan Hansen er borgmester",), True),
    GoldItem("u", "Ukendt?", (), (), False),
]
SCRIPTS = {
    "Hvornår?": Script(["Den blev vedtaget den 11. maj."], answer="Den 11. maj [1].", cite=(1,)),
    "Hvem <b>?": Script(["x"], answer="<script>alert(1)</script> Ole"),
    "Ukendt?": Script(["x"], answer="Det kan jeg ikke finde.", refused=True),
}


def test_report_is_self_contained_and_failures_come_first(tmp_path: Path) -> None:
    result = run_eval(FakeRag(SCRIPTS), ITEMS, k=5)
    path = tmp_path / "sub" / "report.html"
    write_html_report(result, path)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<iframe|<img|\bsrc\s*=|url\(|@import", html, re.I)
    assert "http" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # answers are escaped
    assert '<table id="questions">' in html and html.count("<svg") >= 3
    rows = re.findall(r'<tr class="(fail|ok)"><td>(\w+)<', html)
    assert rows == [("fail", "bad"), ("ok", "ok"), ("ok", "u")]
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]  # written atomically


def test_report_retrieval_only(tmp_path: Path) -> None:
    result = run_eval(FakeRag(SCRIPTS), ITEMS, k=5, retrieval_only=True)
    write_html_report(result, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "retrieve_s" in html and "<b>answer</b>" not in html


def test_histogram_handles_edge_cases() -> None:
    assert "No latency" in histogram([], label="total_s")
    assert histogram([1.0, 1.0], label="total_s").count("<rect") == 20  # one value: no division by zero


# -- baseline -------------------------------------------------------------------------------
CURRENT = {"retrieval": {"hit@1": 0.80, "mrr@10": 0.70, "ndcg@10": None},
           "answer": {"f1": 0.50, "new": 0.1},
           "refusal": {"refusal_recall": 0.5, "false_refusals": ["a"]},
           "latency": {"total_mean_s": 9.0}}
BASELINE = {"retrieval": {"hit@1": 0.85, "mrr@10": 0.71, "ndcg@10": 0.6},
            "answer": {"f1": 0.50, "old": 0.3},
            "refusal": {"refusal_recall": 0.5, "false_refusals": []},
            "latency": {"total_mean_s": 1.0}}


def test_compare_gates_on_drops_beyond_tolerance() -> None:
    c = compare(CURRENT, BASELINE, tolerance=0.02)
    rows = {(r.group, r.metric): r for r in c.rows}
    assert rows["retrieval", "hit@1"].regressed  # 0.80 < 0.85 - 0.02
    assert rows["retrieval", "hit@1"].delta == pytest.approx(-0.05)
    assert not rows["retrieval", "mrr@10"].regressed  # -0.01 is within tolerance
    assert not rows["retrieval", "ndcg@10"].regressed and rows["retrieval", "ndcg@10"].delta is None
    assert not rows["answer", "new"].regressed and not rows["answer", "old"].regressed
    assert not rows["latency", "total_mean_s"].regressed and not rows["latency", "total_mean_s"].gated
    assert ("refusal", "false_refusals") not in rows
    assert c.regressed and [(r.group, r.metric) for r in c.regressions] == [("retrieval", "hit@1")]
    assert not compare(CURRENT, BASELINE, tolerance=0.06).regressed
    assert not compare(BASELINE, BASELINE).regressed
    assert c.notes == ()


def test_compare_notes_runs_that_measured_different_things() -> None:
    c = compare({"counts": {"items": 5, "k": 5}}, {"counts": {"items": 66, "k": 5}})
    assert c.notes == ("the runs differ in items (current 5, baseline 66): the comparison is not like for like.",)
    assert [(r.metric, r.current, r.baseline, r.delta) for r in c.rows] == [("items", 5, 66, -61), ("k", 5, 5, 0)]
