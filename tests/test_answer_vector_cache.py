"""The on-disk sentence vector cache: exact round trip, keyed by embedder, bounded, and never a
reason for an answer to fail (a corrupt, locked or unwritable file only turns it off)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.answer.similarity import SentenceSimilarity
from rag.answer.vector_cache import FILE_NAME, VectorCache
from tests.fakes import FakeEmbedder


def vec(seed: int, dim: int = 8) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(dim).astype(np.float32)


def test_vectors_come_back_exactly_and_only_for_their_embedder(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / FILE_NAME, "e5@1")
    cache.put({"Skolen åbnede i 1990.": vec(1), "Vejret var godt.": vec(2)})
    got = VectorCache(tmp_path / FILE_NAME, "e5@1").get(["Skolen åbnede i 1990.", "Ukendt sætning."])
    assert list(got) == ["Skolen åbnede i 1990."]
    assert np.array_equal(got["Skolen åbnede i 1990."], vec(1))
    assert VectorCache(tmp_path / FILE_NAME, "e5@2").get(["Skolen åbnede i 1990."]) == {}  # another version


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=40), min_size=1, max_size=12, unique=True))
def test_any_text_round_trips(tmp_path_factory: pytest.TempPathFactory, texts: list[str]) -> None:
    cache = VectorCache(tmp_path_factory.mktemp("vc") / FILE_NAME, "fake")
    stored = {t: vec(i) for i, t in enumerate(texts)}
    cache.put(stored)
    got = cache.get(texts)
    assert set(got) == set(texts)
    assert all(np.array_equal(got[t], stored[t]) for t in texts)


def test_past_the_bound_the_oldest_are_dropped(tmp_path: Path) -> None:
    cache = VectorCache(tmp_path / FILE_NAME, "fake", max_rows=10)
    for i in range(12):
        cache.put({f"sætning {i}": vec(i)})
    kept = cache.get([f"sætning {i}" for i in range(12)])
    assert len(kept) <= 10 and "sætning 11" in kept and "sætning 0" not in kept


def test_a_damaged_file_is_set_aside_and_the_cache_starts_afresh(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(b"this is not a database" * 100)
    embedder = FakeEmbedder()
    similarity = SentenceSimilarity(embedder, store=VectorCache(path, embedder.id))
    scores = similarity("Hvornår åbnede skolen?", ["Skolen åbnede i 1990.", "Vejret var godt."])
    assert len(scores) == 2 and scores[0] > scores[1]
    assert similarity.store.enabled  # type: ignore[union-attr]
    assert (tmp_path / f"{FILE_NAME}.damaged").read_bytes().startswith(b"this is not a database")  # kept
    assert set(VectorCache(path, embedder.id).get(["Vejret var godt."])) == {"Vejret var godt."}


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root can write a read-only folder")
def test_a_read_only_folder_only_turns_it_off(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        embedder = FakeEmbedder()
        similarity = SentenceSimilarity(embedder, store=VectorCache(folder / FILE_NAME, embedder.id))
        assert len(similarity("q", ["a b"])) == 1
        assert not similarity.store.enabled  # type: ignore[union-attr]
    finally:
        folder.chmod(0o700)


def test_another_writer_skips_a_write_but_keeps_the_cache(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    embedder = FakeEmbedder()
    VectorCache(path, embedder.id).put({"a b": embedder.embed_passages(["a b"])[0]})
    embedder.passages_embedded = 0
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        cache = VectorCache(path, embedder.id)
        similarity = SentenceSimilarity(embedder, store=cache)
        assert len(similarity("q", ["a b", "c d"])) == 2
        assert embedder.passages_embedded == 1  # "a b" was read back; only "c d" was embedded
        assert cache.enabled  # one busy write is skipped, not the cache for the rest of a long chat
    finally:
        other.execute("ROLLBACK")
        other.close()
    cache.put({"c d": vec(3)})
    assert set(cache.get(["a b", "c d"])) == {"a b", "c d"}


def test_a_vector_of_another_length_is_a_miss(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    VectorCache(path, "st/my-model", 8).put({"a b": vec(0, dim=8)})
    assert VectorCache(path, "st/my-model", 16).get(["a b"]) == {}  # the folder now holds another model
    assert set(VectorCache(path, "st/my-model", 8).get(["a b"])) == {"a b"}


def test_a_rebuild_deletes_the_cache(tmp_path: Path, seeds_copy: Path) -> None:
    from rag.config import Settings
    from rag.retrieve.indexer import Indexer

    settings = Settings(index_dir=tmp_path / "idx")
    Indexer(settings, FakeEmbedder()).update([seeds_copy])
    VectorCache.beside(settings.index_dir, "fake-embedder").put({"a b": vec(0)})  # type: ignore[union-attr]
    assert (settings.index_dir / FILE_NAME).exists()
    Indexer(settings, FakeEmbedder()).update([seeds_copy], rebuild=True)
    assert not list(settings.index_dir.glob(f"{FILE_NAME}*"))


def test_there_is_no_cache_without_an_index_folder(tmp_path: Path) -> None:
    assert VectorCache.beside(tmp_path / "missing", "fake") is None
    assert VectorCache.beside(tmp_path, "fake") is not None
