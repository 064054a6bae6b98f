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
    assert not re.search(r"<link|<iframe|<img|\bsrc\s*=|url\(|@import|fetch\(|XMLHttpRequest", html, re.I)
    assert html.count("<script") == 1  # the one inline sort/filter script
    assert "http" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # answers are escaped
    assert '<table id="questions">' in html and html.count("<svg") >= 3
    rows = re.findall(r'<tbody data-status="(fail|ok)"[^>]*><tr class="\w+"><td>(\w+)<', html)
    assert rows == [("fail", "bad"), ("ok", "ok"), ("ok", "u")]
    assert [p.name for p in path.parent.iterdir()] == ["report.html"]  # written atomically


def test_report_retrieval_only(tmp_path: Path) -> None:
    result = run_eval(FakeRag(SCRIPTS), ITEMS, k=5, retrieval_only=True)
    write_html_report(result, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "retrieve_s" in html and "<b>answer</b>" not in html and "<b>refusal</b>" not in html


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


def test_the_report_carries_the_baseline_comparison(tmp_path: Path) -> None:
    result = run_eval(FakeRag(SCRIPTS), ITEMS, k=5)
    write_html_report(result, tmp_path / "r.html", compare(CURRENT, BASELINE, tolerance=0.02), "base.json")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Compared with the baseline base.json" in html and "<table id='baseline'>" in html
    assert "Regressed beyond the tolerance 0.02: retrieval.hit@1" in html
    write_html_report(result, tmp_path / "plain.html")
    assert "Compared with the baseline" not in (tmp_path / "plain.html").read_text(encoding="utf-8")


def test_compare_notes_runs_that_measured_different_things() -> None:
    c = compare({"counts": {"items": 5, "k": 5}}, {"counts": {"items": 66, "k": 5}})
    assert c.notes == ("the runs differ in items (current 5, baseline 66): the comparison is not like for like.",)
    assert [(r.metric, r.current, r.baseline, r.delta) for r in c.rows] == [("items", 5, 66, -61), ("k", 5, 5, 0)]


# -- report: passages, sorting, filtering, histogram -----------------------------------------
def test_failed_questions_show_their_passages_with_the_evidence_marked(tmp_path: Path) -> None:
    items = [GoldItem("miss", "Hvornår?", ("11. maj",), ("blev vedtaget den 11. maj",), True),
             GoldItem("ok", "Hvem <b>?", ("Ole",), ("Ole er borgmester",), True)]
    scripts = {
        "Hvornår?": Script(["Noget helt andet.", "Reformen blev\nvedtaget den 11. Maj af et flertal."],
                           answer="Det kan jeg ikke finde.", refused=True),
        "Hvem <b>?": Script(["Ole er borgmester."], answer="Ole er borgmester [1].", cite=(1,)),
    }
    result = run_eval(FakeRag(scripts), items, k=5)
    failed = next(r for r in result.items if r["id"] == "miss")
    assert [p["text"] for p in failed["retrieved"]] == scripts["Hvornår?"].passages
    passed = next(r for r in result.items if r["id"] == "ok")
    assert all("text" not in p for p in passed["retrieved"])  # passing questions stay small

    write_html_report(result, tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Reformen <mark>blev\nvedtaget den 11. Maj</mark> af et flertal." in html
    assert html.count('<div class="passage') == 2
    assert html.count("<tbody") == 2 and 'data-failures="false_refusal"' in html
    assert '<option value="false_refusal">' in html and 'id="q"' in html


def test_a_failed_answers_cited_passage_is_named() -> None:
    from rag.evaluate.report import render_html

    items = [GoldItem("w", "Hvem?", ("Ole",), ("Ole er borgmester",), True)]
    scripts = {"Hvem?": Script(["Karen er minister.", "Ole er borgmester."], answer="Karen [1].", cite=(1,))}
    html = render_html(run_eval(FakeRag(scripts), items, k=5))
    assert "score 1.000 · cited [1]</span>" in html and "holds the evidence</span>" in html


def test_highlight_marks_whole_and_cut_quotes_and_escapes() -> None:
    from rag.evaluate.report import highlight

    assert highlight("a <b> c", ["zzz"]) == "a &lt;b&gt; c"
    text = "Start. Reformen Børnene Først blev vedtaget den 11. maj af regeringen"
    quote = "Reformen Børnene Først blev vedtaget den 11. maj af regeringen og et bredt flertal i Folketinget"
    marked = "Start. <mark>Reformen Børnene Først blev vedtaget den 11. maj af regeringen</mark>"
    assert highlight(text, [quote]) == marked
    assert highlight("to ting: alpha beta og gamma delta", ["alpha beta", "gamma delta"]).count("<mark>") == 2


def test_histogram_labels_stay_inside_the_picture() -> None:
    svg = histogram([0.1, 0.5, 12.25], label="total_s")
    width = float(re.search(r'<svg[^>]*width="(\d+)"', svg).group(1))
    found = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" font-size="11">([\d.]+)</text>', svg)
    axis_y = max(y for _, y, _, _ in found)  # the x axis's labels sit lowest
    labels = [(float(x), anchor, text) for x, y, anchor, text in found if y == axis_y]
    assert [(anchor, text) for _, anchor, text in sorted(labels)] == [("start", "0.10"), ("middle", "6.17"),
                                                                     ("end", "12.25")]
    assert all(0 <= x <= width for x, _, _ in labels)


# -- JSONL and the baseline gate -------------------------------------------------------------
def test_jsonl_has_one_record_per_question_in_gold_order(tmp_path: Path) -> None:
    import json

    result = run_eval(FakeRag(SCRIPTS), ITEMS, k=5)
    assert next(r["id"] for r in result.items) == "bad"  # the JSON puts failures first...
    result.write_jsonl(tmp_path / "r.jsonl")
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["ok", "bad", "u"]  # ...the JSONL keeps gold order


@pytest.mark.parametrize("data", [{}, [], {"summary": {}}, {"results": [1]}, {"summary": {"x": 1}}])
def test_read_results_refuses_empty_and_foreign_files(data: object) -> None:
    from rag.errors import InputError
    from rag.evaluate.baseline import read_results

    with pytest.raises(InputError, match="not a results file"):
        read_results(data, "b.json")


def test_read_results_accepts_a_real_results_file() -> None:
    from rag.evaluate.baseline import read_results

    data = run_eval(FakeRag(SCRIPTS), ITEMS, k=5).to_json()
    assert read_results(data, "b.json") is data


def test_every_settings_difference_is_named() -> None:
    from rag.config import Settings

    cur = run_eval(FakeRag(SCRIPTS, Settings(mode="lexical", k=3)), ITEMS, k=3, mode="lexical").to_json()
    base = run_eval(FakeRag(SCRIPTS, Settings(verbose=True)), ITEMS, k=5).to_json()
    c = compare(cur["summary"], base["summary"], current_run=cur["run"], baseline_run=base["run"])
    assert 'setting mode differs: current "lexical", baseline "hybrid".' in c.notes
    assert "setting k differs: current 3, baseline 5." in c.notes
    assert not any("verbose" in n for n in c.notes)  # housekeeping never changes scores
    same = compare(base["summary"], base["summary"], current_run=base["run"], baseline_run=base["run"])
    assert same.notes == ()


def test_a_different_answer_policy_is_named() -> None:
    import dataclasses

    from rag.answer.policy import AnswerPolicy

    current, baseline = FakeRag(SCRIPTS), FakeRag(SCRIPTS)
    current.policy = AnswerPolicy(source="calibration mine.json for fake")  # type: ignore[attr-defined]
    baseline.policy = dataclasses.replace(AnswerPolicy(), kind_margin=0.3)  # type: ignore[attr-defined]
    cur, base = run_eval(current, ITEMS, k=5).to_json(), run_eval(baseline, ITEMS, k=5).to_json()
    assert cur["run"]["policy"]["source"] == "calibration mine.json for fake"
    c = compare(cur["summary"], base["summary"], current_run=cur["run"], baseline_run=base["run"])
    assert "answer policy kind_margin differs: current 0.1, baseline 0.3." in c.notes
    assert 'answer policy source differs: current "calibration mine.json for fake", baseline "defaults".' in c.notes
    old = dict(base["run"], policy=None)  # a baseline made before policies were recorded
    assert not any("policy" in n for n in compare(cur["summary"], base["summary"], current_run=cur["run"],
                                                   baseline_run=old).notes)


def test_paired_bootstrap_tells_a_real_drop_from_noise() -> None:
    from rag.evaluate.baseline import paired_bootstrap

    assert paired_bootstrap([1.0] * 50, [1.0] * 50) == (0.0, 0.0)
    lo, hi = paired_bootstrap([0.0] * 40 + [1.0] * 60, [1.0] * 100)  # 40 of 100 questions lost
    assert hi < 0 and lo < -0.3
    lo, hi = paired_bootstrap([0.0, 1.0] + [1.0] * 48, [1.0, 0.0] + [1.0] * 48)  # one lost, one won
    assert lo < 0 < hi
    assert paired_bootstrap([0.0, 1.0] * 20, [1.0, 0.0] * 20) == paired_bootstrap([0.0, 1.0] * 20, [1.0, 0.0] * 20)


def test_compare_with_items_says_whether_each_drop_is_beyond_noise() -> None:
    items = [GoldItem(f"q{i}", f"Q{i}?", ("svar",), ("svar her",), True) for i in range(30)]
    good = {f"Q{i}?": Script(["svar her"], answer="svar [1]", cite=(1,)) for i in range(30)}
    worse = {**good, **{f"Q{i}?": Script(["andet"], answer="andet") for i in range(12)}}
    base = run_eval(FakeRag(good), items, k=5).to_json()
    cur = run_eval(FakeRag(worse), items, k=5).to_json()
    c = compare(cur["summary"], base["summary"], current_items=cur["items"], baseline_items=base["items"])
    hit1 = next(r for r in c.rows if r.metric == "hit@1")
    assert hit1.regressed and hit1.paired == 30 and hit1.beyond_noise and hit1.verdict == "drop beyond noise"
    assert hit1.ci is not None and hit1.ci[1] < 0
    assert all(r.ci is None for r in c.rows if not r.gated)
