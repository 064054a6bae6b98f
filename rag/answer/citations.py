"""Inline citations: parse "[1]", "[1, 2]", "[1][3]", renumber by first use, verify support.

Passages are numbered 1..k in the prompt. After generation the answer's citations are mapped to
1..m in order of first use, citations to numbers that were not given are dropped, repeats are
merged. Then every sentence is checked against the passages it cites:

- a sentence that cites nothing is unsupported;
- every number in the sentence (dates, amounts, "nr. 338") must occur verbatim in a cited
  passage, and a day with its month ("11. maj") together — invented numbers and dates are the
  typical failure of small models;
- at least `min_overlap` of the sentence's content words (Danish stems, stop words removed)
  must occur in the cited passages.

`tests/test_answer_citations.py` holds the labelled examples this rule was measured on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rag.ingest.sentences import sentences
from rag.retrieve.lexical import tokenize
from rag.types import Citation, Hit

CITATION = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_GROUP = re.compile(r"(?:\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
_DAY_MONTH = re.compile(rf"\b\d{{1,2}}\.?\s+(?:{_MONTHS})\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Checked:
    text: str  # the answer with citations renumbered 1..m
    citations: tuple[Citation, ...]
    unsupported: tuple[str, ...]  # sentences (as in `text`) that their passages do not support


def content_terms(text: str) -> set[str]:
    """Danish content-word stems of `text` (numbers excluded: they are checked verbatim)."""
    return {t for t in tokenize(text) if not t[:1].isdigit()}


def numbers(text: str) -> set[str]:
    """Numbers in `text` outside citation brackets, with a trailing ordinal dot removed."""
    return {m.group(0).rstrip(".,:") for m in _NUMBER.finditer(CITATION.sub(" ", text))}


def _number_in(number: str, passage: str) -> bool:
    return re.search(rf"(?<![\d.,]){re.escape(number)}(?!\d|[.,]\d)", passage) is not None


def _date_in(date: str, passage: str) -> bool:
    """'11. maj' must occur as a day and month in the passage, not just '11' somewhere."""
    day, month = re.match(r"(\d+)\.?\s+(\w+)", date).groups()  # type: ignore[union-attr]
    return re.search(rf"(?<!\d){day}\.?\s+{month}\b", passage, re.IGNORECASE) is not None


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer; a citation standing after a full stop belongs to that sentence."""
    parts = [p.strip() for p in sentences(text) if p.strip()]
    out: list[str] = []
    for part in parts:
        head = _GROUP.match(part)
        if out and head:  # "… vedtaget. [1]": the citation belongs to the sentence before
            out[-1] = f"{out[-1]} {head.group(0)}"
            part = part[head.end():].strip()
        if part:
            out.append(part)
    return out


def cited_numbers(sentence: str) -> list[int]:
    return [int(n) for m in CITATION.finditer(sentence) for n in re.split(r"[,;]", m.group(1))]


def renumber(text: str, k: int) -> tuple[str, list[int]]:
    """Renumber citations by first use; drop numbers outside 1..k and repeats.

    Returns the new text and `order`, where `order[m - 1]` is the given passage number that
    new number m stands for.
    """
    order: list[int] = []

    def group(match: re.Match[str]) -> str:
        seen: list[int] = []
        for old in cited_numbers(match.group(0)):
            if 1 <= old <= k:
                if old not in order:
                    order.append(old)
                new = order.index(old) + 1
                if new not in seen:
                    seen.append(new)
        return "[" + ", ".join(str(n) for n in sorted(seen)) + "]" if seen else ""

    out = _GROUP.sub(group, text)
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)  # "Ivan Hansen [9]." → "Ivan Hansen."
    out = re.sub(r"[ \t]{2,}", " ", out).strip()
    return out, order


def supported(sentence: str, passages: Sequence[str], min_overlap: float) -> bool:
    if not passages:
        return False
    joined = "\n".join(passages)
    if any(not _number_in(n, joined) for n in numbers(sentence)):
        return False
    if any(not _date_in(d, joined) for d in _DAY_MONTH.findall(CITATION.sub(" ", sentence))):
        return False
    terms = content_terms(CITATION.sub(" ", sentence))
    if not terms:
        return True  # nothing but numbers and names already checked, e.g. "11. maj [1]"
    overlap = len(terms & content_terms(joined)) / len(terms)
    return overlap >= min_overlap


def check_citations(text: str, hits: Sequence[Hit], min_overlap: float) -> Checked:
    """Renumber `text`'s citations against the passages `hits` (given as [1]..[k]) and verify them."""
    new_text, order = renumber(text, len(hits))
    citations = tuple(Citation(n=i + 1, hit=hits[old - 1]) for i, old in enumerate(order))
    unsupported: list[str] = []
    for sentence in split_sentences(new_text):
        cited = [citations[n - 1].hit.chunk.text for n in dict.fromkeys(cited_numbers(sentence))]
        if not supported(sentence, cited, min_overlap):
            unsupported.append(sentence)
    return Checked(text=new_text, citations=citations, unsupported=tuple(unsupported))
