"""The values that flow through the pipeline: Document → Chunk → Hit → Answer.

All frozen dataclasses with no behaviour beyond trivial derived properties, so every stage can
be tested with plain literals. Character offsets always refer to the cleaned document text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A stretch `[start, end)` of a document's cleaned text with one structural value: the page
    number it is on (PDF) or the heading path it falls under ("Indledning › Baggrund")."""

    start: int
    end: int
    value: int | str


@dataclass(frozen=True)
class Document:
    """A loaded, cleaned document."""

    source: str  # path as the user would write it (relative to the working dir when possible)
    text: str  # cleaned text; chunk offsets index into this
    sha256: str  # hash of the raw file bytes: decides whether re-indexing is needed
    title: str | None = None
    date: str | None = None  # ISO 8601 where known: "2021-06-10" or "2020-10"
    pages: tuple[Span, ...] = ()  # value: 1-based page number (PDF only), in text order
    sections: tuple[Span, ...] = ()  # value: heading path, outermost first, joined by " › "


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: `text == document.text[start:end]`."""

    source: str
    start: int
    end: int
    text: str
    ordinal: int = 0  # position within its document
    n_tokens: int = 0  # tiktoken tokens
    title: str | None = None
    date: str | None = None
    page: int | None = None  # page the chunk starts on (PDF)
    page_end: int | None = None  # page it ends on (== page unless it crosses a page break)
    section: str | None = None  # heading path covering most of the chunk
    # the header line of a table this chunk opens in the middle of, from an earlier chunk of its
    # document (set by the searcher, `rag.answer.table.carried_header`; not stored, not in `text`)
    table_header: str | None = None

    @property
    def read_text(self) -> str:
        """`text` with the carried table header line above it: what a passage's reader has before it."""
        return f"{self.table_header}\n{self.text}" if self.table_header else self.text

    @property
    def pages(self) -> str | None:
        """"3" or "3–4"; None when the format has no pages."""
        if self.page is None:
            return None
        return str(self.page) if self.page_end in (None, self.page) else f"{self.page}–{self.page_end}"


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its final score and 1-based rank.

    `legs` maps each retriever leg that found the chunk ("dense", "lexical", "rerank") to the
    1-based rank it had there, so users can see why a passage was retrieved.
    """

    chunk: Chunk
    score: float
    rank: int
    chunk_id: int = -1
    legs: dict[str, int] = field(default_factory=dict)
    # Raw per-leg scores. "dense" is always the query–chunk cosine, even for chunks only the
    # lexical leg found, because refusal needs one comparable relevance signal in every mode.
    scores: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Citation:
    """A passage the answer cites, numbered in order of first use in the answer."""

    n: int
    hit: Hit


@dataclass(frozen=True)
class Answer:
    """A generated (or refused) answer with its verified citations."""

    question: str
    text: str
    refused: bool
    citations: tuple[Citation, ...] = ()
    unsupported: tuple[str, ...] = ()  # answer sentences not supported by the passages they cite
    hits: tuple[Hit, ...] = ()  # everything retrieved, cited or not
    model: str = ""
    embedder: str = ""
    language: str | None = None  # detected language code of the answer
    is_danish: bool = True
    template: str = ""  # which prompt template produced it ("chat" or "completion")
    timings: dict[str, float] = field(default_factory=dict)  # retrieve_s, ttft_s, generate_s, total_s
    # what answered: "quote", "cell", "kind_span", "span", "generative", "reread"; None: refused
    strategy: str | None = None
    refusal_gate: str | None = None  # what refused: "low_similarity", "model_declined", ...; None when answered
    refusal_reason: str | None = None  # why, in one sentence for people; None when answered
    short: bool = False  # a short span rather than a whole quoted sentence

    def timings_record(self) -> dict[str, float | int]:
        """`timings` as stored and shown: token counts as integers, seconds to 4 decimals."""
        return {k: int(v) if k.endswith("_tokens") else round(float(v), 4) for k, v in self.timings.items()}
