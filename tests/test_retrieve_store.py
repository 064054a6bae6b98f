"""The SQLite store: one transaction per update, ids never reused, manifest generations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag.errors import IndexCorruptError
from rag.retrieve.store import FileRecord, Store
from rag.types import Chunk


def _chunks(source: str, *texts: str) -> list[Chunk]:
    out, pos = [], 0
    for i, t in enumerate(texts):
        out.append(Chunk(source=source, start=pos, end=pos + len(t), text=t, ordinal=i,
                         n_tokens=len(t.split()), title="Titel"))
        pos += len(t) + 1
    return out


def _add(store: Store, path: str, *texts: str, dim: int = 4) -> list[int]:
    chunks = _chunks(path, *texts)
    store.remove_file(path)
    store.put_file(FileRecord(path, path, "h-" + path, 10, len(chunks), "Titel", "2022-05-01", "now"))
    vectors = np.eye(dim, dtype=np.float32)[: len(chunks)]
    return store.add_chunks(path, chunks, vectors)


def test_roundtrip_and_manifest(tmp_path: Path) -> None:
    with Store(tmp_path / "chunks.sqlite") as store:
        assert store.manifest() == {} and store.generation == 0
        with store.transaction():
            ids = _add(store, "/a.txt", "første stykke", "andet stykke")
            store.set_manifest({"embedder": "x", "dim": 4})
        assert store.generation == 1
        assert store.manifest()["embedder"] == "x"
        chunks = store.chunks(ids)
        assert [chunks[i].text for i in ids] == ["første stykke", "andet stykke"]
        assert chunks[ids[0]].title == "Titel" and chunks[ids[1]].ordinal == 1
        got_ids, vectors = store.vectors(4)
        assert list(got_ids) == ids and vectors.dtype == np.float32 and vectors.shape == (2, 4)
        assert store.files()["/a.txt"].n_chunks == 2
        with store.transaction():
            store.set_manifest({"embedder": "x", "dim": 4})
        assert store.generation == 2
        assert store.manifest()["created"] <= store.manifest()["updated"]


def test_rollback_on_interrupt_leaves_previous_state(tmp_path: Path) -> None:
    with Store(tmp_path / "chunks.sqlite") as store:
        with store.transaction():
            _add(store, "/a.txt", "gammel tekst")
            store.set_manifest({"dim": 4})
        with pytest.raises(KeyboardInterrupt), store.transaction():
            store.remove_file("/a.txt")
            _add(store, "/b.txt", "ny tekst")
            raise KeyboardInterrupt
        assert list(store.files()) == ["/a.txt"]
        assert store.texts()[1] == ["gammel tekst"]
        assert store.generation == 1


def test_ids_are_never_reused(tmp_path: Path) -> None:
    with Store(tmp_path / "chunks.sqlite") as store:
        with store.transaction():
            first = _add(store, "/a.txt", "en", "to")
        with store.transaction():
            store.remove_file("/a.txt")
        with store.transaction():
            second = _add(store, "/a.txt", "en", "to")
        assert min(second) > max(first)


def test_reader_sees_committed_state_while_writer_works(tmp_path: Path) -> None:
    path = tmp_path / "chunks.sqlite"
    with Store(path) as writer:
        with writer.transaction():
            _add(writer, "/a.txt", "før")
            writer.set_manifest({"dim": 4})
        reader = Store(path, readonly=True)
        with writer.transaction():
            writer.remove_file("/a.txt")
            _add(writer, "/b.txt", "efter")
            # uncommitted: the reader still sees the old state
            assert reader.texts()[1] == ["før"]
            writer.set_manifest({"dim": 4})
        assert reader.texts()[1] == ["efter"]
        assert reader.generation == 2
        reader.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "chunks.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(IndexCorruptError, match="rag index"):
        Store(path)


def test_lookups_beyond_sqlite_variable_limit(tmp_path: Path) -> None:
    with Store(tmp_path / "chunks.sqlite") as store:
        with store.transaction():
            ids = _add(store, "/big.txt", *(f"stykke {i}" for i in range(1200)), dim=1200)
        assert len(store.chunks(ids)) == 1200
        got, vectors = store.vectors(1200, ids[::-1])
        assert sorted(got.tolist()) == ids and vectors.shape == (1200, 1200)


def test_iter_vectors_streams_every_vector_in_id_order(tmp_path: Path) -> None:
    vectors = np.arange(7 * 4, dtype=np.float32).reshape(7, 4)
    with Store(tmp_path / "s.sqlite") as store:
        with store.transaction():
            store.put_file(FileRecord("/a", "a", "0", 1, 7, None, None, "t"))
            store.add_chunks("/a", [Chunk(source="a", start=i, end=i + 1, text="x", ordinal=i, n_tokens=1)
                                    for i in range(7)], vectors)
        parts = list(store.iter_vectors(4, batch=3))
        assert [len(ids) for ids, _ in parts] == [3, 3, 1]
        ids = np.concatenate([i for i, _ in parts])
        np.testing.assert_array_equal(np.concatenate([v for _, v in parts]), vectors)
        assert ids.tolist() == sorted(ids.tolist()) and len(set(ids.tolist())) == 7
        with pytest.raises(IndexCorruptError):
            list(store.iter_vectors(5))


def test_has_chunks_and_ids(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        assert not store.has_chunks() and store.ids().tolist() == []
        with store.transaction():
            ids = _add(store, "/a", "en", "to") + _add(store, "/b", "tre")
        assert store.has_chunks() and store.ids().tolist() == sorted(ids)
        assert list(store.iter_texts([ids[2], ids[0], 10_000])) == [(ids[0], "en"), (ids[2], "tre")]


def test_iter_documents_gives_bm25_a_chunk_with_its_title_and_headings(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        with store.transaction():
            store.put_file(FileRecord(path="/p", source="p.md", sha256="x", size=1, n_chunks=1,
                                      title="Prisliste", date=None, indexed_at=""))
            (cid,) = store.add_chunks("/p", [Chunk(source="p.md", start=0, end=9, text="Pris: 5 kr",
                                                   title="Prisliste", section="Kurser › Glatbane")],
                                      np.zeros((1, 4), dtype=np.float32))
        assert list(store.iter_documents()) == [(cid, "Prisliste\nKurser › Glatbane\nPris: 5 kr")]
        assert list(store.iter_documents([cid + 1])) == []
