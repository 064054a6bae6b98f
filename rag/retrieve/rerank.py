"""Optional reranking of the fused top passages with a sentence-transformers cross-encoder.

`load_reranker` takes a folder or a model name already in the local Hugging Face cache and never
downloads: an unknown name fails at once with a ModelError that says what to do. `rerank`
re-scores hits with any `Reranker` (real or fake) and re-ranks them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from rag.errors import ModelError
from rag.protocols import Reranker
from rag.retrieve.embedders import looks_like_path
from rag.types import Hit

_HINT = "Give a cross-encoder folder, or the name of one in the local Hugging Face cache (see `rag models`)."


class CrossEncoderReranker:
    """A sentence-transformers CrossEncoder behind the `Reranker` protocol."""

    def __init__(self, name_or_path: str, *, batch_size: int = 32, device: str | None = None) -> None:
        from sentence_transformers import CrossEncoder

        self.id = name_or_path
        self.batch_size = batch_size
        # local_files_only: a name that is not cached fails here instead of downloading
        self._model = CrossEncoder(name_or_path, local_files_only=True, device=device)

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        scores = self._model.predict(
            [(query, t) for t in texts], batch_size=self.batch_size, show_progress_bar=False
        )
        return [float(s) for s in scores]


def _config_file(spec: str) -> Path | None:
    """The model's config.json: in the folder, or in the local Hugging Face cache for a name."""
    if looks_like_path(spec):
        path = Path(spec).expanduser() / "config.json"
        return path if path.is_file() else None
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    found = try_to_load_from_cache(spec, "config.json")
    return Path(found) if isinstance(found, str) else None


def load_reranker(spec: str) -> Reranker:
    """A cross-encoder by folder or cached name; ModelError with what to do when it cannot be used."""
    spec = spec.strip()
    if not spec:
        raise ModelError(f"No reranker given. {_HINT}")
    if looks_like_path(spec) and not Path(spec).expanduser().is_dir():
        raise ModelError(f"Reranker folder not found: {spec}. {_HINT}")
    config = _config_file(spec)
    if config is None:
        where = "has no config.json" if looks_like_path(spec) else "is not in the local Hugging Face cache"
        raise ModelError(f"Reranker {spec!r} {where}. {_HINT}")
    try:
        architectures = json.loads(config.read_text(encoding="utf-8")).get("architectures") or []
    except (OSError, ValueError) as e:
        raise ModelError(f"Reranker {spec!r} has an unreadable config.json ({e}). {_HINT}") from e
    if architectures and not any(a.endswith("ForSequenceClassification") for a in architectures):
        raise ModelError(
            f"{spec!r} is not a cross-encoder (its model is {', '.join(architectures)}; an embedding "
            f"model cannot rerank). {_HINT}"
        )
    try:
        import sentence_transformers  # noqa: F401
    except ImportError as e:
        raise ModelError(
            "Reranking needs sentence-transformers: pip install 'rag[st]' (install the CPU torch first)."
        ) from e
    try:
        return CrossEncoderReranker(str(Path(spec).expanduser()) if looks_like_path(spec) else spec)
    except (OSError, ValueError) as e:
        raise ModelError(f"Reranker {spec!r} cannot be loaded ({e}). {_HINT}") from e


def rerank(query: str, hits: Sequence[Hit], reranker: Reranker, k: int) -> list[Hit]:
    """Re-score `hits` with `reranker` and return the best `k`, ranked 1.. by the new score.

    Each returned hit keeps its earlier legs and scores and gains legs["rerank"] (its new rank)
    and scores["rerank"]; `score` becomes the reranker's score. Equal scores keep the old order.
    """
    if not hits or k <= 0:
        return []
    scores = reranker.score(query, [h.chunk.text for h in hits])
    if len(scores) != len(hits):
        raise ValueError(f"reranker {reranker.id!r} returned {len(scores)} scores for {len(hits)} texts")
    order = sorted(range(len(hits)), key=lambda i: (-scores[i], i))[:k]
    out = []
    for new_rank, i in enumerate(order, start=1):
        h = hits[i]
        out.append(replace(
            h,
            score=float(scores[i]),
            rank=new_rank,
            legs={**h.legs, "rerank": new_rank},
            scores={**h.scores, "rerank": float(scores[i])},
        ))
    return out
