"""Deterministic fakes for the Protocols in `rag.protocols`, for fast unit tests.

FakeEmbedder hashes lower-cased words into buckets, so texts that share words are similar and
results never depend on a model. FakeGenerator replays scripted answers token by token.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from rag.protocols import Prompt

_WORD = re.compile(r"\w+", re.UNICODE)


class FakeEmbedder:
    def __init__(self, dim: int = 64, max_tokens: int = 512, id: str = "fake-embedder") -> None:
        self.id = id
        self.dim = dim
        self.max_tokens = max_tokens
        self.passages_embedded = 0  # lets tests prove that unchanged files are not re-embedded

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text)) + 2

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        n = float(np.linalg.norm(v))
        if n == 0:
            v[0] = 1.0
            return v
        return v / n

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec(t) for t in texts]).astype(np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)


class FakeGenerator:
    """Replays `script` (a fixed string, or a function of the prompt) in small pieces."""

    def __init__(
        self,
        script: str | Callable[[Prompt], str] = "",
        *,
        context_tokens: int = 2048,
        has_chat_template: bool = False,
        id: str = "fake-generator",
    ) -> None:
        self.id = id
        self.context_tokens = context_tokens
        self.has_chat_template = has_chat_template
        self.script = script
        self.prompts: list[Prompt] = []
        self.last_prompt_tokens = 0
        self.last_prefill_tokens = 0
        self.last_cut_off = False

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text)) + len(re.findall(r"[^\w\s]", text))

    def stream(
        self, prompt: Prompt, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]:
        self.prompts.append(prompt)
        self.last_prompt_tokens = self.last_prefill_tokens = self.count_tokens(
            prompt.text or " ".join(m["content"] for m in prompt.messages))
        text = self.script(prompt) if callable(self.script) else self.script
        for s in stop:
            if s and s in text:
                text = text[: text.index(s)]
        pieces = re.findall(r"\S+\s*|\s+", text)
        self.last_cut_off = len(pieces) >= max_tokens  # as llama.cpp: the limit reached, even on the last word
        yield from pieces[:max_tokens]
