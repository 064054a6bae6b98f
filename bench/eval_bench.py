"""Evaluation benchmark: seconds per question for `rag eval`, retrieval-only and with answers."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rag.config import Settings
from rag.evaluate.gold import load_gold
from rag.evaluate.runner import run_eval
from rag.pipeline import Rag

from common import ROOT, table


def main() -> None:
    items = load_gold(ROOT / "eval" / "gold.jsonl")
    with tempfile.TemporaryDirectory() as t:
        rag = Rag(Settings(index_dir=Path(t) / "index"))
        rag.index([ROOT / "seeds"])
        rag.generator  # noqa: B018 - load the model outside the timed region
        rows = []
        for label, retrieval_only in (("retrieval only", True), ("retrieval + answers", False)):
            t0 = time.perf_counter()
            run_eval(rag, items, k=rag.settings.k, retrieval_only=retrieval_only)
            seconds = time.perf_counter() - t0
            rows.append((label, f"{seconds / len(items):.3f} s/question ({len(items)} questions, {seconds:.1f} s)"))
        table("rag eval on eval/gold.jsonl (seeds/)", rows)


if __name__ == "__main__":
    main()
