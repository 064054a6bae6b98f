"""Token-based, sentence-aware chunking with exact character offsets.

Sentences (from `rag.ingest.sentences`) are packed whole into chunks of at most `chunk_tokens`
tiktoken tokens. A sentence longer than that is cut at whitespace into pieces that fit; no other
sentence is ever cut. At a paragraph break a chunk that is already half full is closed, so chunks
tend to follow the document's structure. Each chunk after the first starts with the last whole
sentences of the one before, up to `overlap` tokens. Every chunk is also checked with `fits`, the
embedder's own length test: one that fails gives up whole sentences to the next chunk, and a
single sentence that fails is halved at whitespace, so the embedder never truncates silently.

Offsets index into `Document.text`: `doc.text[chunk.start:chunk.end] == chunk.text`. Each chunk
also gets the page(s) it starts and ends on and the section (heading path) that covers most of it,
from the document's structure spans.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.errors import ConfigError
from rag.ingest.sentences import split_sentences
from rag.ingest.tokens import get_encoding
from rag.types import Chunk, Document, Span

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Unit:
    """A sentence, or a piece of an over-long one: the smallest thing a chunk is built from."""

    start: int
    end: int
    tokens: int
    paragraph_start: bool  # a blank line separates it from the unit before


class Chunker:
    def __init__(
        self,
        *,
        encoding: str = "cl100k_base",
        chunk_tokens: int = 200,
        overlap: int = 40,
        fits: Callable[[str], bool] | None = None,
    ) -> None:
        if chunk_tokens < 1:
            raise ConfigError(f"chunk_tokens must be at least 1, got {chunk_tokens}.")
        if not 0 <= overlap < chunk_tokens:
            raise ConfigError(
                f"chunk_overlap must be between 0 and chunk_tokens - 1 ({chunk_tokens - 1}), got {overlap}."
            )
        self.encoding = encoding
        self.chunk_tokens = chunk_tokens
        self.overlap = overlap
        self.fits = fits
        self._enc = get_encoding(encoding)

    def count(self, text: str) -> int:
        return len(self._enc.encode_ordinary(text))

    # -- public -------------------------------------------------------------------------------
    def chunk(self, doc: Document) -> list[Chunk]:
        text = doc.text
        out = []
        section_ends = [sp.end for sp in doc.sections]
        for k, (s, e, tokens) in enumerate(self._pack(text, self._units(text))):
            first, last = _value_at(doc.pages, s), _value_at(doc.pages, max(s, e - 1))
            section = _covering(doc.sections, section_ends, s, e)
            out.append(Chunk(source=doc.source, start=s, end=e, text=text[s:e], ordinal=k, n_tokens=tokens,
                             title=doc.title, date=doc.date,
                             page=None if first is None else int(first),
                             page_end=None if last is None else int(last),
                             section=None if section is None else str(section)))
        return out

    # -- sentences → units --------------------------------------------------------------------
    def _units(self, text: str) -> list[_Unit]:
        units: list[_Unit] = []
        prev_end = 0
        for s, e in split_sentences(text):
            para = bool(units) and _PARAGRAPH_BREAK.search(text, prev_end, s) is not None
            tokens = self.count(text[s:e])
            if tokens <= self.chunk_tokens:
                units.append(_Unit(s, e, tokens, para))
            else:
                # Aim for pieces of equal size rather than full pieces and a stub at the end.
                target = math.ceil(tokens / math.ceil(tokens / self.chunk_tokens))
                for i, (ps, pe) in enumerate(self._cut(text, s, e, target)):
                    units.append(_Unit(ps, pe, self.count(text[ps:pe]), para and i == 0))
            prev_end = e
        return units

    def _cut(self, text: str, s: int, e: int, target: int) -> list[tuple[int, int]]:
        """Cut text[s:e] into pieces of at most `target` tokens, at whitespace where possible.

        A remainder within chunk_tokens stays whole.
        """
        pieces: list[tuple[int, int]] = []
        while s < e:
            # Grow a window until it holds more than `target` tokens: the cut lies inside it.
            w = min(e, s + 16 * target)
            while w < e and self.count(text[s:w]) <= target:
                w = min(e, s + 2 * (w - s))
            if w == e and self.count(text[s:e]) <= self.chunk_tokens:
                pieces.append((s, e))
                break

            def fits_target(p: int, s: int = s) -> bool:
                return self.count(text[s:p]) <= target

            word_ends = [m.start() for m in _WHITESPACE.finditer(text, s, w) if m.start() > s]
            cut = _last_true(word_ends, fits_target)
            if cut is None:  # one "word" longer than the target: cut between characters
                cut = _last_true(range(s + 1, w), fits_target) or s + 1
            pieces.append((s, cut))
            s = cut
            while s < e and text[s].isspace():
                s += 1
        return pieces

    # -- units → chunks -----------------------------------------------------------------------
    # Packing once re-counted the growing window with tiktoken for every unit added: a chunk of
    # hundreds of one-word lines cost hundreds of encodes of up to chunk_tokens tokens each (work
    # per chunk grew with the square of its units). The counts below are the same numbers, got by
    # adding counts of pieces split where tiktoken's counts add up (`_splits_at`), so each unit's
    # text is counted about once more than when it was split: `bench/chunker_bench.py`.
    def _within(self, text: str, units: list[_Unit], acc: list[int], first: int, last: int) -> bool:
        """Whether units[first..last] fit in chunk_tokens (exact count only near the limit).
        `acc[i]` is the sum of the tokens of units[:i]."""
        estimate = acc[last + 1] - acc[first]
        if estimate > self.chunk_tokens:
            return False
        if estimate + 2 * (last - first) <= self.chunk_tokens:
            return True
        return self.count(text[units[first].start : units[last].end]) <= self.chunk_tokens

    def _pack(self, text: str, units: list[_Unit]) -> list[tuple[int, int, int]]:
        """Chunks as `(start, end, tokens)`: whole units, packed greedily, with overlap."""
        out: list[tuple[int, int, int]] = []
        acc = list(itertools.accumulate((u.tokens for u in units), initial=0))
        first = fresh = 0  # the chunk is units[first:]; units before `fresh` are overlap
        while fresh < len(units):
            while first < fresh and not self._within(text, units, acc, first, fresh):
                first += 1  # the overlap must leave room for the first new unit
            end = self._grow(text, units, acc, first, fresh)
            first, last = self._emit(text, units, first, fresh, end - 1, out)
            first, fresh = self._overlap_start(text, units, first, last + 1), last + 1
        return out

    def _grow(self, text: str, units: list[_Unit], acc: list[int], first: int, fresh: int) -> int:
        """End (exclusive) of the chunk units[first:end]: add units after `fresh` while they are
        `_within` the limit, stopping at a paragraph break once the chunk is half full."""
        half = self.chunk_tokens / 2
        split, before = units[first].start, 0  # count(text[units[first].start:split]) == before
        end = fresh + 1
        while end < len(units):
            unit = units[end]
            if unit.paragraph_start and acc[end] - acc[first] >= half:
                break
            estimate = acc[end + 1] - acc[first]
            if estimate > self.chunk_tokens:
                break
            if estimate + 2 * (end - first) > self.chunk_tokens:  # near the limit: count exactly
                exact = before + self.count(text[split : unit.end])
                if exact > self.chunk_tokens:
                    break
                if _splits_at(text, unit.end):
                    split, before = unit.end, exact
            end += 1
        return end

    def _overlap_start(self, text: str, units: list[_Unit], first: int, end: int) -> int:
        """First unit of the next chunk: the last whole units of first..end-1 within `overlap`."""
        stop = units[end - 1].end
        split, after = stop, 0  # count(text[split:stop]) == after
        start = end
        while start - 1 > first:  # never repeat the whole previous chunk
            unit = units[start - 1]
            if unit.end < split and _splits_at(text, unit.end):
                split, after = unit.end, self.count(text[unit.end : split]) + after
            tokens = (unit.tokens if unit.end == split else self.count(text[unit.start : split])) + after
            if tokens > self.overlap:
                break
            start -= 1
        return start

    # -- the exact and the embedder's own limit -----------------------------------------------
    def _measure(self, piece: str) -> int | None:
        """Tokens of `piece` if it is within chunk_tokens and passes `fits`, else None."""
        tokens = self.count(piece)
        ok = tokens <= self.chunk_tokens and (self.fits is None or self.fits(piece))
        return tokens if ok else None

    def _emit(
        self, text: str, units: list[_Unit], first: int, fresh: int, last: int, out: list[tuple[int, int, int]]
    ) -> tuple[int, int]:
        """Append the longest chunk units[a..b] (b <= last) that passes `_measure`; return (a, b).

        It keeps at least one new unit: if none fits after the overlap, the overlap goes; if the
        first new unit alone does not fit the embedder, it is halved at whitespace.
        """
        for a in dict.fromkeys((first, fresh)):
            def measure(b: int, a: int = a) -> int | None:
                return self._measure(text[units[a].start : units[b].end])

            b: int | None = last
            tokens = measure(last)
            if tokens is None:
                def fits(i: int, measure: Callable[[int], int | None] = measure) -> bool:
                    return measure(i) is not None

                b = _last_true(range(fresh, last), fits)
                tokens = None if b is None else measure(b)
            if b is not None and tokens is not None:
                out.append((units[a].start, units[b].end, tokens))
                return a, b
        out.extend(self._halve(text, units[fresh].start, units[fresh].end))
        return fresh, fresh

    def _halve(self, text: str, s: int, e: int) -> list[tuple[int, int, int]]:
        """Cut text[s:e] at the whitespace nearest its middle until every piece passes `_measure`."""
        tokens = self._measure(text[s:e])
        if tokens is not None or e - s <= 1:
            return [(s, e, tokens if tokens is not None else self.count(text[s:e]))]
        mid = (s + e) // 2
        gaps = [m for m in _WHITESPACE.finditer(text, s, e) if s < m.start() and m.end() < e]
        best = min(gaps, key=lambda m: abs(m.start() - mid)) if gaps else None
        left_end, cut = (best.start(), best.end()) if best else (mid, mid)
        return self._halve(text, s, left_end) + self._halve(text, cut, e)


def _splits_at(text: str, i: int) -> bool:
    """Whether tiktoken's count of any text[a:b] with a < i < b equals count(text[a:i]) +
    count(text[i:b]): no piece of its pre-tokenizer spans offset i.

    True where a space or tab follows a character that is not whitespace (a word, a number or
    punctuation ends there; the space goes with what follows), or a line break follows a letter or
    digit (after punctuation, cl100k's and o200k's pieces take the line breaks along). Checked for
    every encoding `rag` can use by a property test (tests/test_properties.py).
    """
    if not 0 < i < len(text) or text[i - 1].isspace():
        return False
    return text[i] in " \t" or (text[i] in "\r\n" and text[i - 1].isalnum())


def _last_true(items: Sequence[int], pred: Callable[[int], bool]) -> int | None:
    """The last item for which the monotone `pred` holds (binary search), or None."""
    lo, hi, best = 0, len(items) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if pred(items[mid]):
            best, lo = items[mid], mid + 1
        else:
            hi = mid - 1
    return best


def _value_at(spans: Sequence[Span], offset: int) -> int | str | None:
    """The value of the span containing `offset` (spans are sorted and disjoint), else None."""
    lo, hi = 0, len(spans) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if spans[mid].end <= offset:
            lo = mid + 1
        elif spans[mid].start > offset:
            hi = mid - 1
        else:
            return spans[mid].value
    return None


def _covering(spans: Sequence[Span], ends: Sequence[int], start: int, end: int) -> int | str | None:
    """The value of the span that overlaps [start, end) most (the first on a tie), else None."""
    best, best_len = None, 0
    first = bisect.bisect_right(ends, start)  # the spans before it end before `start`
    for span in spans[first:]:
        if span.start >= end:
            break
        overlap = min(end, span.end) - max(start, span.start)
        if overlap > best_len:
            best, best_len = span.value, overlap
    return best
