"""The narrow seams between the pipeline and the heavy libraries behind it.

Each Protocol has real adapters (in `rag.retrieve` / `rag.answer`) and deterministic fakes in
`tests/fakes.py`; `tests/test_contracts.py` runs every implementation through the same checks.
Nothing here imports numpy-heavy or model libraries at runtime.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    import numpy as np

    from rag.types import Answer, Hit


@runtime_checkable
class Embedder(Protocol):
    """Turns text into L2-normalised float32 vectors; query/passage prefixes are its own business."""

    id: str  # recorded in the index manifest; a different id means the index must be rebuilt
    dim: int
    max_tokens: int  # the model's own maximum sequence length, in its own tokens

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see for `text` as a passage, prefix and specials included."""
        ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """(n, dim) float32, each row L2-normalised."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """(dim,) float32, L2-normalised."""
        ...


@dataclass(frozen=True)
class Prompt:
    """What a generator is asked: completion text, or chat messages for models with a template."""

    text: str = ""
    messages: tuple[dict[str, str], ...] = ()
    # The start of `text` that every prompt of its kind shares (instructions, worked examples): a
    # generator may keep its KV cache from one prompt to the next. "" for none; chat prompts find
    # theirs from the messages (everything before the last user turn).
    fixed: str = ""

    @property
    def is_chat(self) -> bool:
        return bool(self.messages)


@runtime_checkable
class Generator(Protocol):
    """A local language model that streams text."""

    # Read-only to callers (properties here, so a pass-through proxy satisfies the protocol as
    # well as an implementation holding plain attributes).
    @property
    def id(self) -> str: ...

    @property
    def context_tokens(self) -> int: ...

    @property
    def has_chat_template(self) -> bool:
        """True when the model file carries its own chat template."""
        ...

    # Set by each `stream`: tokens in that prompt, and how many of them the model had to evaluate
    # (the rest were reused from its KV cache: a fixed prefix shared with earlier prompts).
    @property
    def last_prompt_tokens(self) -> int: ...

    @property
    def last_prefill_tokens(self) -> int: ...

    @property
    def last_cut_off(self) -> bool:
        """True when the last `stream` ended at `max_tokens`, not at a stop or the model's own end:
        its text may end inside a word ("… på borgmest")."""
        ...

    def count_tokens(self, text: str) -> int: ...

    def stream(
        self, prompt: Prompt, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]: ...


@runtime_checkable
class Retriever(Protocol):
    def retrieve(self, query: str, k: int) -> list[Hit]: ...


@runtime_checkable
class Reranker(Protocol):
    id: str

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        """Relevance of each text to the query; higher is better."""
        ...


class SearchPipeline(Protocol):
    """What `rag calibrate` needs of a pipeline (`rag.pipeline.Rag`; tests use fakes): search, and
    the embedder whose calibration it writes."""

    @property
    def embedder(self) -> Embedder: ...

    def search(self, query: str, *, k: int | None = ..., mode: str | None = ...) -> Sequence[Hit]: ...


class AnswerPipeline(SearchPipeline, Protocol):
    """What `rag eval` needs of a pipeline: search, answer, and the embedder (semantic scores)."""

    def ask(self, question: str, *, k: int | None = ..., mode: str | None = ...) -> Answer: ...
