"""Pack retrieved passages into the generator's context window, whole or not at all.

Tokens are counted with the generator's own tokenizer. The budget is the context window less
the answer's room (`max_answer_tokens`) and the prompt around the passages; passages are taken
in rank order, each one that does not fit is skipped whole (a later, shorter one may still fit),
and the ones taken are numbered [1]..[k] in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.errors import ContextTooSmallError
from rag.types import Hit

SAFETY_TOKENS = 8  # BOS and the join between prompt pieces


@dataclass(frozen=True)
class Packed:
    hits: tuple[Hit, ...]  # the passages given to the model, [1]..[k] in order
    blocks: tuple[str, ...]  # each passage rendered with its number
    dropped: int  # passages that did not fit

    @property
    def text(self) -> str:
        return "\n\n".join(self.blocks)


def pack_passages(
    hits: Sequence[Hit],
    *,
    render: Callable[[int, Hit], str],
    count_tokens: Callable[[str], int],
    context_tokens: int,
    reserved_tokens: int,
) -> Packed:
    """Fill `context_tokens - reserved_tokens` with rendered passages, in rank order."""
    budget = context_tokens - reserved_tokens - SAFETY_TOKENS
    taken: list[Hit] = []
    blocks: list[str] = []
    used = 0
    for hit in hits:
        block = render(len(taken) + 1, hit)
        cost = count_tokens(block + "\n\n")
        if used + cost <= budget:
            taken.append(hit)
            blocks.append(block)
            used += cost
    if hits and not taken:
        raise ContextTooSmallError(
            f"The context window of {context_tokens} tokens is too small for one passage and the answer; "
            "raise n_ctx, or lower chunk_tokens (and re-index) or max_answer_tokens."
        )
    return Packed(hits=tuple(taken), blocks=tuple(blocks), dropped=len(hits) - len(taken))
