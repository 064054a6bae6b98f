"""Property-based tests (hypothesis) where inputs are wild: decoder and loaders, cleaner, sentence
splitter, chunker, citation renumbering.

The invariants: decoding never fails and round-trips UTF-8 (and Danish cp1252 lines); loading
raises nothing but `UnreadableFileError`; every non-space character is covered by exactly one
sentence span; `doc.text[start:end] == chunk.text` and every chunk is within both token limits
(chunk_tokens and the embedder's own); renumbered citations are 1..m in order of first use; the
name gate names only words of the question, and none when the question is among the texts; a
"hvornår" answer only grows into text the passage holds.

Example counts follow the hypothesis profile (tests/conftest.py): 25 a property in `make test-fast`,
200 in `make test`, 800 with `HYPOTHESIS_PROFILE=thorough`.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st

from rag.answer.verify import cited_numbers, renumber
from rag.errors import UnreadableFileError
from rag.ingest.chunker import Chunker, _splits_at
from rag.ingest.clean import clean_text
from rag.ingest.loaders import decode, load_document, looks_binary
from rag.ingest.sentences import split_sentences
from rag.types import Document

# Danish-looking text: words, abbreviations, numbers, dates, punctuation, quotes, line breaks,
# and now and then any character at all.
_WORDS = ["Børnene", "Først", "reformen", "blev", "vedtaget", "den", "11.", "maj", "2024", "bl.a.", "f.eks.",
          "kr.", "mia.", "H.C.", "Andersen", "nr.", "338", "Sorø", "Ærø", "Åbenrå", "øen", "i", "og", "osv.",
          "Hvornår", "?", "!", "…", ".", ",", "–", "“citat”", "(parentes)", "1.", "a)", "pct.", "29.", "Marts"]
_SEPARATORS = [" ", " ", " ", "\n", "\n\n", "\t", "  ", "\r\n", "\u00a0", "\u2028"]
danish_text = st.lists(
    st.one_of(st.sampled_from(_WORDS), st.sampled_from(_SEPARATORS), st.text(max_size=6)), max_size=120
).map("".join)


# -- decoder and loaders ------------------------------------------------------------------------
@given(st.binary(max_size=3000))
def test_decode_never_fails_and_looks_binary_is_total(data: bytes) -> None:
    assert isinstance(decode(data).text, str)
    assert looks_binary(data) in (True, False)


@given(st.text(max_size=500))
def test_utf8_round_trips(text: str) -> None:
    assume(not text.startswith("\ufeff"))  # a leading BOM is read as one, by design
    # NULs on one side of each byte pair are how UTF-16 without a BOM is recognised (`utf16_without_bom`);
    # text files hold no NULs, so a text with them need not come back as UTF-8
    assume("\x00" not in text)
    assert decode(text.encode("utf-8")).text == text  # st.text() holds no lone surrogates


def test_a_short_text_with_a_nul_is_not_taken_for_utf16() -> None:
    assert decode(b"000\x00").text == "000\x00"  # found by the property above


_CP1252_DANISH = st.text(alphabet=st.sampled_from("abcæøåÆØÅ .,-:1;\n"), max_size=200)


@given(_CP1252_DANISH, _CP1252_DANISH)
def test_cp1252_and_utf8_lines_both_keep_their_letters(legacy: str, modern: str) -> None:
    """A file whose lines are each cp1252 or UTF-8 decodes to the text that was written."""
    text = legacy.rstrip("\n") + "\n" + modern
    data = legacy.rstrip("\n").encode("cp1252") + b"\n" + modern.encode("utf-8")
    assert decode(data).text == text


@given(data=st.binary(max_size=4000), suffix=st.sampled_from([".txt", ".md", ".html"]))
def test_load_document_raises_only_unreadable(tmp_path_factory, data: bytes, suffix: str) -> None:  # type: ignore[no-untyped-def]
    path = Path(tmp_path_factory.mktemp("load")) / f"f{suffix}"
    path.write_bytes(data)
    try:
        doc = load_document(path)
    except UnreadableFileError as e:
        assert str(e).startswith(f"{path}: skipped: ") and "\n" not in str(e)
        return
    assert doc.text.strip() and doc.sha256


# -- cleaner ------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\r]")


@given(danish_text, st.one_of(st.none(), st.text(max_size=30)))
def test_clean_text_is_total_and_leaves_no_control_characters(raw: str, hint: str | None) -> None:
    cleaned = clean_text(raw, title_hint=hint)
    assert not _CONTROL.search(cleaned.text)
    assert cleaned.text == cleaned.text.strip()
    assert cleaned.date is None or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", cleaned.date)


# -- sentence splitter --------------------------------------------------------------------------
@given(danish_text)
def test_sentence_spans_cover_every_non_space_character_once(text: str) -> None:
    spans = split_sentences(text)
    covered = [0] * len(text)
    last_end = 0
    for s, e in spans:
        assert last_end <= s < e <= len(text)  # in order, not overlapping, non-empty
        assert not text[s].isspace() and not text[e - 1].isspace()
        for i in range(s, e):
            covered[i] += 1
        last_end = e
    for i, ch in enumerate(text):
        if not ch.isspace():
            assert covered[i] == 1, (i, ch, spans)


# -- chunker ------------------------------------------------------------------------------------
@given(text=danish_text, chunk_tokens=st.integers(16, 64), overlap_share=st.floats(0, 0.9),
       embed_limit=st.integers(12, 80))
def test_chunks_are_exact_slices_within_both_limits(
    text: str, chunk_tokens: int, overlap_share: float, embed_limit: int
) -> None:
    cleaned = clean_text(text).text
    assume(cleaned.strip())
    doc = Document(source="x.txt", text=cleaned, sha256="0" * 64)

    def fits(piece: str) -> bool:  # an embedder with its own (word-based) limit
        return len(piece.split()) + 2 <= embed_limit

    chunker = Chunker(chunk_tokens=chunk_tokens, overlap=int(overlap_share * (chunk_tokens - 1)), fits=fits)
    chunks = chunker.chunk(doc)
    assert chunks
    for i, c in enumerate(chunks):
        assert doc.text[c.start : c.end] == c.text
        assert c.ordinal == i and c.text == c.text.strip() and c.text
        assert c.n_tokens == chunker.count(c.text)
        if len(c.text.split()) > 1 or c.n_tokens > 1:  # a single unsplittable character is the floor
            assert c.n_tokens <= chunk_tokens
            assert fits(c.text) or len(c.text.split()) == 1
    # every non-space character of the document is in some chunk
    covered = [False] * len(doc.text)
    for c in chunks:
        covered[c.start : c.end] = [True] * (c.end - c.start)
    assert all(covered[i] for i, ch in enumerate(doc.text) if not ch.isspace())


# Text where tiktoken's pieces meet at unit boundaries in every way: words, numbers, punctuation,
# quotes, spaces, tabs, line breaks (\n, \r\n, runs), and now and then any character at all.
_SEAMS = st.lists(st.one_of(st.sampled_from([*_WORDS, " ", "  ", "\t", "\n", "\n\n", "\r\n", " \n", ".\n", "'s",
                                              "1234", "!!", "/", "\u00a0", "\u2028"]), st.text(max_size=4)),
                  max_size=60).map("".join)


@given(_SEAMS)
def test_token_counts_add_up_where_the_chunker_splits_them(text: str) -> None:
    """The chunker counts windows as sums of pieces split by `_splits_at` (cl100k, the bundled encoding)."""
    chunker = Chunker()
    for i in range(1, len(text)):
        if _splits_at(text, i):
            for a, b in ((0, len(text)), (max(0, i - 7), min(len(text), i + 9))):
                assert chunker.count(text[a:b]) == chunker.count(text[a:i]) + chunker.count(text[i:b]), (text, i)


def _reference_pack(chunker: Chunker, text: str, units: list) -> list[tuple[int, int, int]]:  # type: ignore[type-arg]
    """The packing loop as it was before it counted incrementally: every window counted whole."""
    def within(first: int, last: int) -> bool:
        estimate = sum(u.tokens for u in units[first : last + 1])
        if estimate > chunker.chunk_tokens:
            return False
        if estimate + 2 * (last - first) <= chunker.chunk_tokens:
            return True
        return chunker.count(text[units[first].start : units[last].end]) <= chunker.chunk_tokens

    out: list[tuple[int, int, int]] = []
    first = fresh = 0
    while fresh < len(units):
        while first < fresh and not within(first, fresh):
            first += 1
        end = fresh + 1
        while end < len(units) and within(first, end) and not (
            units[end].paragraph_start and sum(u.tokens for u in units[first:end]) >= chunker.chunk_tokens / 2
        ):
            end += 1
        first, last = chunker._emit(text, units, first, fresh, end - 1, out)
        start = last + 1
        while start - 1 > first and chunker.count(
                text[units[start - 1].start : units[last].end]) <= chunker.overlap:
            start -= 1
        first, fresh = start, last + 1
    return out


@given(text=st.one_of(danish_text, _SEAMS), chunk_tokens=st.integers(8, 64), overlap_share=st.floats(0, 0.9))
def test_incremental_packing_equals_counting_every_window_whole(
    text: str, chunk_tokens: int, overlap_share: float
) -> None:
    chunker = Chunker(chunk_tokens=chunk_tokens, overlap=int(overlap_share * (chunk_tokens - 1)))
    units = chunker._units(text)
    assert chunker._pack(text, units) == _reference_pack(chunker, text, units)


# -- citations ----------------------------------------------------------------------------------
_citation = st.lists(st.integers(0, 12), min_size=1, max_size=3).map(
    lambda ns: "[" + ", ".join(map(str, ns)) + "]")
answer_text = st.lists(st.one_of(st.sampled_from([*_WORDS, " ", ". "]), _citation), max_size=40).map(" ".join)


@given(answer_text, st.integers(1, 10))
def test_renumbered_citations_are_1_to_m_in_order_of_first_use(text: str, k: int) -> None:
    out, order = renumber(text, k)
    assert len(order) == len(set(order)) and all(1 <= n <= k for n in order)
    numbers = cited_numbers(out)
    assert set(numbers) == set(range(1, len(order) + 1))
    firsts = list(dict.fromkeys(numbers))
    assert firsts == sorted(firsts)  # new numbers appear in order of first use
    assert renumber(out, len(order)) == (out, list(range(1, len(order) + 1)))  # idempotent


# -- compound splitting and holidays (query analysis) -------------------------------------------
_LETTERS = "abcdefghijklmnopqrstuvwxyzæøå"


@given(st.lists(st.text(alphabet=_LETTERS, min_size=1, max_size=9), min_size=1, max_size=40), st.data())
def test_compound_parts_are_known_long_enough_and_total(vocab: list[str], data: st.DataObject) -> None:
    from rag.retrieve.lexical import COMPOUND_MIN_PART, compound_parts

    # a word made of two vocabulary words (the case it is for), or anything at all
    term = data.draw(st.one_of(st.tuples(st.sampled_from(vocab), st.sampled_from(vocab)).map("".join),
                               st.text(max_size=30)))
    parts = compound_parts(term, set(vocab).__contains__)
    if parts is not None:
        assert term.isalpha()
        assert all(p in vocab and len(p) >= COMPOUND_MIN_PART for p in parts)


@given(st.lists(st.sampled_from(["juledag", "2.", "anden", "nytårsaften", "Grundlovsdag", "jul", " ", "\n",
                                 "juledagsmiddag", "den", "1."]), max_size=12).map(" ".join))
def test_holiday_dates_are_fixed_dates_once_each(text: str) -> None:
    from rag.danish import HOLIDAYS, holiday_dates

    dates = holiday_dates(text)
    assert len(dates) == len(set(dates)) and set(dates) <= set(HOLIDAYS.values())
    assert bool(dates) == bool(re.search(r"(?<!\w)(?:juledag|nytårsaften|grundlovsdag)(?!\w)", text, re.I))


# -- the Danish name and time rules --------------------------------------------------------------
@given(danish_text, st.lists(danish_text, max_size=3))
def test_names_missing_is_total_and_names_only_question_words(question: str, texts: list[str]) -> None:
    from rag.danish import names_missing

    missing = names_missing(question, texts)
    assert all(name and name in question for name in missing)
    assert names_missing(question, [*texts, question]) == []  # the question itself holds all its names


@given(danish_text, danish_text)
def test_time_widening_only_grows_an_answer_from_the_text(span: str, text: str) -> None:
    from rag.danish import widen_time

    wide = widen_time(span, [text], "time", "Hvornår skete det?")
    core = wide.strip(" .")
    assert wide == span or (span.strip(" .") in core and (core in text or core in " ".join(text.split())))
