"""Distributed embedding for `rag index --workers ray`: Ray Data batch inference over a Ray cluster.

The chunk texts become a Ray Dataset; `map_batches` runs them through a pool of actors, each
holding its own copy of the embedder (loaded once per actor from `settings.embedder`, so every
node needs rag and the model package installed), one CPU each, as many actors as the cluster has
CPUs. Finished batches stream back to the indexer as (positions, vectors) in whatever order they
finish; the indexer puts each file into the index once all its chunks are in, so the write path,
the manifest and the crash rules are those of a local run.

Which cluster: `RAY_ADDRESS` (e.g. `ray://head:10001`, or `auto` on a cluster node) when set, else a
local Ray started for this run and stopped after it (useful to spread one machine's cores over
separate processes; measured against one process in bench/ray_embed_bench.py). Reading, cleaning
and chunking stay on the driver: they are cheap next to embedding.

What it leaves out: GPUs (give actors `num_gpus` through Ray once the embedder runs on one),
autoscaling policy, and shipping rag to the nodes (a runtime_env or an image is the operator's).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from rag.errors import UnavailableError
from rag.protocols import Embedder


class _EmbedActor:
    """One Ray actor: loads the embedder once, then embeds the batches it is given."""

    def __init__(self, make_embedder: Callable[[], Embedder], expect: tuple[str, int]) -> None:
        self.embedder = make_embedder()
        got = (self.embedder.id, int(self.embedder.dim))
        if got != tuple(expect):
            raise RuntimeError(f"a Ray worker loaded the embedder {got}, the index needs {tuple(expect)}")

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        vectors = self.embedder.embed_passages([str(t) for t in batch["text"]])
        return {"i": batch["i"], "vector": vectors}


def _quiet(ray: Any) -> None:
    """No progress bars or start-up chatter on the user's terminal: `rag index` shows its own."""
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.ERROR)


def _connect(ray: Any) -> bool:
    """Join RAY_ADDRESS's cluster, or start a local Ray; True when this call started it."""
    if ray.is_initialized():
        return False
    address = os.environ.get("RAY_ADDRESS") or None
    try:
        ray.init(address=address, include_dashboard=False, log_to_driver=False,
                 logging_level=logging.ERROR, configure_logging=False)
    except (ConnectionError, RuntimeError, ValueError) as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise UnavailableError(
            f"Cannot start or reach {where} ({first}). Check RAY_ADDRESS, or index without --workers ray."
        ) from None
    return True


def _cause(e: BaseException) -> str:
    """The innermost message of a Ray error, on one line."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    return lines[-1] if lines else type(e).__name__


def cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def embed_with_ray(
    texts: Sequence[str],
    *,
    make_embedder: Callable[[], Embedder],
    batch_size: int,
    expect: tuple[str, int],
    actors: int | None = None,
) -> Iterator[tuple[Sequence[int], Any]]:
    """Yield (positions in `texts`, (n, dim) float32 vectors) for every batch, as the actors finish them.

    `expect` is the (id, dim) the index was built with: a worker that loads anything else fails
    the run instead of writing foreign vectors. `actors` defaults to the cluster's CPU count.
    """
    if not texts:
        return
    try:
        import ray
        import ray.data
    except ImportError:
        raise UnavailableError(
            "--workers ray needs Ray: pip install 'rag[ray]' (or index without --workers ray)."
        ) from None
    import numpy as np

    started = _connect(ray)
    try:
        _quiet(ray)
        n = actors or cluster_cpus(ray)
        ds: Any = ray.data.from_items([{"i": i, "text": t} for i, t in enumerate(texts)],
                                 override_num_blocks=max(1, min(len(texts) // batch_size + 1, 4 * n)))
        ds = ds.map_batches(_EmbedActor, fn_constructor_args=(make_embedder, expect), batch_size=batch_size,
                            batch_format="numpy", concurrency=n, num_cpus=1)
        try:
            for out in ds.iter_batches(batch_size=None, batch_format="numpy"):
                yield out["i"].tolist(), np.asarray(out["vector"], dtype=np.float32)
        except ray.exceptions.RayError as e:  # a worker failed (its model, its memory, its node)
            raise UnavailableError(f"Embedding with Ray failed: {_cause(e)}. Nothing was committed.") from None
    finally:
        if started:
            ray.shutdown()
