"""End to end: `run_eval` with the real bundled models on a slice of eval/gold.jsonl over seeds/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT, Settings
from rag.evaluate.gold import load_gold
from rag.evaluate.report import write_html_report
from rag.evaluate.runner import run_eval
from rag.pipeline import Rag
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow

SLICE = ("soc-01", "sor-02", "kl-02", "x-02", "u-02")  # date, name, name, two documents, unanswerable


def test_eval_slice_with_real_models(tmp_path: Path, e5, gemma) -> None:
    items = [it for it in load_gold(PROJECT_ROOT / "eval" / "gold.jsonl") if it.id in SLICE]
    assert len(items) == len(SLICE)
    rag = Rag(Settings(index_dir=tmp_path / "index"), embedder=e5, generator=gemma)
    rag.index([SEEDS])

    result = run_eval(rag, items, k=5)
    data = json.loads(json.dumps(result.to_json()))
    s = data["summary"]

    assert result.warnings == []  # every evidence quote of the slice is in the index
    assert s["counts"]["items"] == 5 and s["counts"]["errors"] == 0
    assert s["retrieval"]["hit@5"] >= 0.75  # the evidence passages are easy to find on seeds/
    for group, keys in {"answer": ("em", "f1", "contains", "semantic", "danish_rate"),
                        "citation": ("citation_precision", "citation_recall"),
                        "refusal": ("refusal_recall",)}.items():
        for key in keys:
            assert key in s[group]
    for key in ("em", "f1", "contains", "semantic", "citation_recall"):
        assert 0.0 <= s["answer" if key != "citation_recall" else "citation"][key] <= 1.0
    assert s["latency"]["total_mean_s"] > 0 and s["latency"]["ttft_mean_s"] > 0
    run = data["run"]
    assert run["embedder"] == e5.id and run["model"] == gemma.id
    assert run["corpus_hash"] and run["settings"]["k"] == 5
    by_id = {r["id"]: r for r in data["items"]}
    assert by_id["soc-01"]["retrieval"]["hit_rank"] is not None

    write_html_report(result, tmp_path / "report.html")
    assert "soc-01" in (tmp_path / "report.html").read_text(encoding="utf-8")
