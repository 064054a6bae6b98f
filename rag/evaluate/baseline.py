"""Compare an evaluation summary with a baseline: the regression gate behind `rag eval --baseline`.

Every numeric metric in the retrieval, answer, citation and refusal groups is higher-is-better
and regresses when `current < baseline - tolerance` (an absolute tolerance, default 0.02).
Latency is compared and shown but never gates: timings depend on the machine and its load, so a
CI gate on them would fail for reasons that are not regressions. Counts are shown for context.
A metric missing on either side, or None (undefined for that run), is shown and does not gate.
When the two runs differ in what they measured (number of items, k, retrieval depth), in any
setting (`mode` lexical vs hybrid, the model, chunking…), in gold set or corpus, `notes` names each
difference: the deltas are then not like for like.

Is a drop more than noise? With both runs' per-question records, each gated metric that is a mean
over questions is paired by question id and a paired bootstrap (`BOOTSTRAP_SAMPLES` resamples of
the questions, seed 0) gives a 95% interval for the mean change; a drop is *beyond noise* when the
whole interval lies below zero. This says whether the change would likely hold on other questions
like these; it does not gate (a deterministic pipeline's change on this gold set is real either
way), it tells the reader how much a failing or passing gate means. Refusal precision, a ratio
over refused answers, has no per-question value and gets no interval.

`read_results` refuses what is not a `rag eval --json-out` file (`{}`, a list, another tool's
JSON) with one line, instead of gating against nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import InputError

BOOTSTRAP_SAMPLES = 2000
BOOTSTRAP_SEED = 0
# Settings that cannot change a run's scores (where files go, how long to wait for a lock…).
HOUSEKEEPING = frozenset({"verbose", "lock_timeout", "data_dir", "log_answers", "threads", "index_dir"})
GATED = ("retrieval", "answer", "citation", "refusal")
INFORMATIONAL = ("latency", "counts")


@dataclass(frozen=True)
class Row:
    group: str
    metric: str
    current: float | None
    baseline: float | None
    delta: float | None
    regressed: bool
    gated: bool
    paired: int = 0  # questions scored in both runs (0: no per-question data for this metric)
    ci: tuple[float, float] | None = None  # 95% bootstrap interval of the paired mean change
    beyond_noise: bool | None = None  # a drop whose whole interval lies below zero

    @property
    def verdict(self) -> str:
        if self.ci is None:
            return ""
        lo, hi = self.ci
        if lo == hi == 0:
            return "no change"
        if hi < 0:
            return "drop beyond noise"
        if lo > 0:
            return "gain beyond noise"
        return "within noise"


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Row, ...]
    tolerance: float
    notes: tuple[str, ...] = ()

    @property
    def regressed(self) -> bool:
        return any(r.regressed for r in self.rows)

    @property
    def regressions(self) -> list[Row]:
        return [r for r in self.rows if r.regressed]


def _number(value: Any) -> float | None:
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) else value


def read_results(data: Any, path: Path | str) -> dict[str, Any]:
    """`data` (parsed JSON) when it is a results file written by `rag eval --json-out`, else InputError."""
    summary = data.get("summary") if isinstance(data, dict) else None
    if not isinstance(summary, dict) or not any(isinstance(summary.get(g), dict) for g in GATED) \
            or not isinstance(data.get("items", []), list):
        what = "is empty" if data in ({}, [], None) else "has no summary of metrics"
        raise InputError(f"{path} {what}: it is not a results file. Give one written by rag eval --json-out.")
    return data


def _notes(current: dict[str, Any], baseline: dict[str, Any], skip: tuple[str, ...] = ()) -> tuple[str, ...]:
    cur, base = current.get("counts") or {}, baseline.get("counts") or {}
    return tuple(
        f"the runs differ in {key} (current {cur[key]}, baseline {base[key]}): the comparison is not like for like."
        for key in ("items", "answerable", "unanswerable", "k", "depth")
        if key not in skip and key in cur and key in base and cur[key] != base[key]
    )


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, (int, float)) else str(value)


def run_differences(current: dict[str, Any] | None, baseline: dict[str, Any] | None) -> tuple[str, ...]:
    """One note per difference in how the two runs were made: every setting (except `HOUSEKEEPING`),
    retrieval-only or not, the embedder and model actually used, the answer policy (its numbers and
    the calibration they came from), the gold set and the corpus."""
    if not current or not baseline:
        return ()
    notes = []
    cur_s, base_s = current.get("settings") or {}, baseline.get("settings") or {}
    for key in [*cur_s, *(k for k in base_s if k not in cur_s)]:
        if key in HOUSEKEEPING or cur_s.get(key) == base_s.get(key):
            continue
        notes.append(f"setting {key} differs: current {_show(cur_s.get(key))}, baseline {_show(base_s.get(key))}.")
    for key, what in (("retrieval_only", "retrieval_only"), ("embedder", "embedder"), ("model", "model"),
                      ("mode", "mode"), ("k", "k")):
        if key in cur_s and key in base_s:
            continue  # already named as a setting
        if key in current and key in baseline and current[key] != baseline[key]:
            notes.append(f"{what} differs: current {_show(current[key])}, baseline {_show(baseline[key])}.")
    cur_p, base_p = current.get("policy") or {}, baseline.get("policy") or {}
    if cur_p and base_p:  # runs made before policies were recorded have none: nothing to say
        for key in [*cur_p, *(k for k in base_p if k not in cur_p)]:
            if cur_p.get(key) != base_p.get(key):
                notes.append(f"answer policy {key} differs: current {_show(cur_p.get(key))}, "
                             f"baseline {_show(base_p.get(key))}.")
    for key, what in (("gold_hash", "gold set"), ("corpus_hash", "indexed corpus")):
        if current.get(key) and baseline.get(key) and current[key] != baseline[key]:
            notes.append(f"the {what} differs (hash {current[key][:12]} vs {baseline[key][:12]}).")
    return tuple(notes)


# -- per-question values, for the paired bootstrap -------------------------------------------
def _item_value(group: str, metric: str) -> Callable[[dict[str, Any]], float | None] | None:
    """How one question contributes to a summary metric that is a mean over questions, or None."""
    def num(v: Any) -> float | None:
        return None if v is None else float(v)

    if group == "retrieval":
        return lambda r: num(r.get("retrieval", {}).get(metric)) if r.get("answerable") else None
    if group == "answer" and metric == "danish_rate":
        return lambda r: num(r.get("is_danish")) if "refused" in r and not r["refused"] else None
    if group == "answer" or (group == "citation" and metric == "citation_precision"):
        return lambda r: num(r.get("scores", {}).get(metric)) if r.get("answerable") else None
    if group == "citation" and metric == "citation_recall":
        return lambda r: num(r["scores"]["citation_ok"]) if r.get("answerable") and "scores" in r else None
    if group == "refusal" and metric == "refusal_recall":
        return lambda r: num(r.get("refused")) if not r.get("answerable") and "refused" in r else None
    return None


def paired_bootstrap(current: Sequence[float], baseline: Sequence[float], *, samples: int = BOOTSTRAP_SAMPLES,
                     seed: int = BOOTSTRAP_SEED) -> tuple[float, float]:
    """95% percentile interval of mean(current - baseline) over resamples of the paired questions."""
    import numpy as np

    diff = np.asarray(current, dtype=np.float64) - np.asarray(baseline, dtype=np.float64)
    if diff.size == 0:
        raise ValueError("nothing to pair")
    rng = np.random.default_rng(seed)
    means = np.empty(samples)
    for start in range(0, samples, 200):  # in blocks: 200 × n indices at a time
        stop = min(samples, start + 200)
        idx = rng.integers(0, diff.size, size=(stop - start, diff.size))
        means[start:stop] = diff[idx].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(lo), float(hi)


def _paired(cur_items: Sequence[dict[str, Any]], base_items: Sequence[dict[str, Any]],
            value: Callable[[dict[str, Any]], float | None]) -> tuple[list[float], list[float]]:
    base = {r.get("id"): r for r in base_items}
    xs, ys = [], []
    for r in cur_items:
        b = base.get(r.get("id"))
        if b is None:
            continue
        x, y = value(r), value(b)
        if x is not None and y is not None:
            xs.append(x)
            ys.append(y)
    return xs, ys


def compare(current: dict[str, Any], baseline: dict[str, Any], tolerance: float = 0.02, *,
            current_items: Sequence[dict[str, Any]] | None = None,
            baseline_items: Sequence[dict[str, Any]] | None = None,
            current_run: dict[str, Any] | None = None, baseline_run: dict[str, Any] | None = None) -> Comparison:
    """Rows for every metric in either summary, in the current summary's order, baseline-only last.

    With both runs' per-question records, gated mean metrics carry a paired-bootstrap interval;
    with both runs' `run` blocks, `notes` names every difference in how they were made."""
    rows: list[Row] = []
    for group in (*GATED, *INFORMATIONAL):
        cur_g, base_g = current.get(group) or {}, baseline.get(group) or {}
        names = list(cur_g) + [n for n in base_g if n not in cur_g]
        for name in names:
            if isinstance(cur_g.get(name), list) or isinstance(base_g.get(name), list):
                continue  # id lists such as false_refusals are not metrics
            cur, base = _number(cur_g.get(name)), _number(base_g.get(name))
            delta = cur - base if cur is not None and base is not None else None
            gated = group in GATED
            regressed = gated and cur is not None and base is not None and cur < base - tolerance - 1e-12
            paired, ci = 0, None
            value = _item_value(group, name) if gated and current_items and baseline_items else None
            if value is not None:
                xs, ys = _paired(current_items or (), baseline_items or (), value)
                paired = len(xs)
                if paired:
                    ci = paired_bootstrap(xs, ys)
            rows.append(Row(group, name, cur, base, delta, regressed, gated, paired, ci,
                            None if ci is None else ci[1] < 0))
    differences = run_differences(current_run, baseline_run)
    notes = _notes(current, baseline, skip=("k",) if differences else ()) + differences
    return Comparison(tuple(rows), tolerance, notes)
