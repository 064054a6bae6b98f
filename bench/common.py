"""Shared helpers for the benchmarks: timing, peak memory of child processes, tables.

Benchmarks print figures and ratios; they never assert timings (the machines are shared and noisy).
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAG = [sys.executable, "-m", "rag"]
SQUAD = ROOT.parent / "shared" / "data" / "squad-da-dev.json"

QUESTIONS = [
    "Hvornår blev reformen Børnene Først vedtaget?",
    "Hvem er borgmester i Sorø Kommune?",
    "Hvor mange penge anvendes årligt på området for udsatte børn i kommunerne?",
    "Hvem er direktør for Socialstyrelsen?",
    "Hvad spurgte Folketingets Social- og Ældreudvalg om i spørgsmål nr. 338?",
]


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(fn)[0] for _ in range(repeat))


def run_child(args: Sequence[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Runs a command; returns (wall seconds, peak RSS of that very child in MB, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(args), cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=err)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would be the max over all children so far.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{err.read().decode()}")
        return wall, usage.ru_maxrss / 1024, out.read().decode()


def dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def table(title: str, rows: Sequence[tuple[str, str]]) -> None:
    print(f"\n## {title}")
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


def fill(nbytes: int, piece: Callable[[], str], sep: str) -> str:
    """`piece()` results joined by `sep` until the text holds at least `nbytes` bytes."""
    out, size = [], 0
    while size < nbytes:
        out.append(piece())
        size += len(out[-1].encode("utf-8")) + len(sep)
    return sep.join(out)


def danish_prose(nbytes: int, seed: int = 0) -> str:
    """About `nbytes` of Danish prose: paragraphs of 3-8 real sentences drawn at random (SQuAD-da
    passages where ../shared/data has them, else seeds/), so a size can be asked for that no real file has."""
    if SQUAD.exists():
        data = json.loads(SQUAD.read_text(encoding="utf-8"))
        texts = [p["context"] for art in data["data"] for p in art["paragraphs"]]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    sentences = [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 20]
    rng = random.Random(seed)
    return fill(nbytes, lambda: " ".join(rng.choice(sentences) for _ in range(rng.randint(3, 8))), "\n\n")
