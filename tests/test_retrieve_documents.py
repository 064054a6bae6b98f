"""Documents in an index: page/section through the store, the format bump, commits per group of files
(what Ctrl-C keeps), `remove`, `documents`, re-reading the index's own files, and the watcher."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.errors import IndexCorruptError, InputError
from rag.retrieve import artifacts
from rag.retrieve.indexer import Indexer, IndexInterrupted, documents, remove
from rag.retrieve.searcher import Searcher
from rag.retrieve.store import STORE_FILE, Store
from tests.fakes import FakeEmbedder


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "guide.md").write_text("# Ansøgning\n\nSådan søger du om tilskud i Sorø.\n\n## Frister\n\n"
                                   "Fristen for tilskud er 1. marts.\n", encoding="utf-8")
    (root / "a.txt").write_text("Aarhus Kommune byggede en ny havn i 2020.", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("Billund fik en ny lufthavnsterminal.", encoding="utf-8")
    return root


def _search_sources(settings: Settings, query: str) -> list[str]:
    return [Path(h.chunk.source).name for h in Searcher(settings, FakeEmbedder()).search(query, k=5, mode="hybrid")]


def test_page_and_section_are_stored_and_come_back_in_hits(settings: Settings, corpus: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus])
    hit = Searcher(settings, FakeEmbedder()).search("Fristen for tilskud marts", k=1, mode="lexical")[0]
    assert hit.chunk.source.endswith("guide.md")
    assert hit.chunk.title == "Ansøgning"
    assert hit.chunk.section == "Frister"  # the path without its first heading, which is the title
    assert hit.chunk.page is None


def _downgrade_to_format_1(index_dir: Path) -> None:
    db = sqlite3.connect(index_dir / STORE_FILE)
    db.execute("ALTER TABLE chunks DROP COLUMN section")
    db.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    db.commit()
    db.close()


def test_an_old_format_index_says_how_to_rebuild_and_rebuild_upgrades_it(settings: Settings, corpus: Path) -> None:
    first = Indexer(settings, FakeEmbedder()).update([corpus])
    _downgrade_to_format_1(settings.index_dir)
    hint = f"rag index --rebuild --index {settings.index_dir}"
    with pytest.raises(IndexCorruptError, match="store format 1") as err:
        Searcher(settings, FakeEmbedder())
    assert hint in str(err.value)
    with pytest.raises(IndexCorruptError, match="--rebuild"):
        Indexer(settings, FakeEmbedder()).update([corpus])

    report = Indexer(settings, FakeEmbedder()).update(None, rebuild=True)  # the hint's command: no paths
    assert report.rebuilt and len(report.added) == 3 and report.files_total == 3
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        ids = [cid for cid, _ in store.iter_chunks()]
    assert min(ids) > first.chunks_total  # chunk ids still never reused
    assert _search_sources(settings, "Billund lufthavnsterminal")[0] == "b.txt"


def test_update_without_paths_rereads_the_index_own_files(settings: Settings, corpus: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus / "a.txt", corpus / "sub"])
    (corpus / "a.txt").write_text("Aarhus Kommune åbnede et nyt museum.", encoding="utf-8")
    (corpus / "sub" / "b.txt").unlink()
    report = Indexer(settings, FakeEmbedder()).update(None)
    assert [Path(p).name for p in report.updated] == ["a.txt"]
    assert [Path(p).name for p in report.removed] == ["b.txt"]
    assert report.files_total == 1  # guide.md was never given, so it is not picked up


def test_no_paths_and_an_empty_index_names_the_index(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=rf"rag index ~/Dokumenter --index {settings.index_dir}"):
        Indexer(settings, FakeEmbedder()).update(None, default=tmp_path / "no-seeds")


def test_default_folder_is_used_for_a_new_index(settings: Settings, corpus: Path) -> None:
    report = Indexer(settings, FakeEmbedder()).update(None, default=corpus)
    assert len(report.added) == 3 and report.paths == [str(corpus)]


# -- commits per group: what Ctrl-C keeps -----------------------------------------------------------
class InterruptingEmbedder(FakeEmbedder):
    """Raises KeyboardInterrupt on the n-th embedding batch, like Ctrl-C mid-embedding."""

    def __init__(self, after_batches: int) -> None:
        super().__init__()
        self.batches_left = after_batches

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self.batches_left == 0:
            raise KeyboardInterrupt
        self.batches_left -= 1
        return super().embed_passages(texts)


def _many(tmp_path: Path, n: int) -> Path:
    root = tmp_path / "many"
    root.mkdir()
    for i in range(n):
        (root / f"m{i:02d}.txt").write_text(f"Dokument {i} om Vejle nummer{i} og fjorden.", encoding="utf-8")
    return root


def test_ctrl_c_keeps_the_files_already_committed(settings: Settings, tmp_path: Path) -> None:
    many = _many(tmp_path, 8)
    one_per_batch = dataclasses.replace(settings, embed_batch=1)
    with pytest.raises(IndexInterrupted) as stop:
        Indexer(one_per_batch, InterruptingEmbedder(after_batches=3), commit_chunks=2).update([many])
    report = stop.value.report
    assert isinstance(stop.value, KeyboardInterrupt) and report.interrupted
    kept = sorted(Path(p).name for p in report.added)
    assert kept == ["m00.txt", "m01.txt"]  # the 3rd file was embedded but not yet committed
    assert report.chunks_embedded == 2 and report.files_pending == 8
    assert 3 <= report.chunks_pending <= 8  # chunks of the files prepared by then (they stream in)

    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        files = store.files()
        assert sorted(Path(r.source).name for r in files.values()) == kept
        assert store.count_chunks() == sum(r.n_chunks for r in files.values())  # whole files only
    searcher = Searcher(settings, FakeEmbedder())  # derived indexes were not written: rebuilt from the store
    assert set(searcher.repaired) == {"dense", "lexical"}
    assert Path(searcher.search("nummer1 Vejle", k=1, mode="lexical")[0].chunk.source).name == "m01.txt"

    emb = FakeEmbedder()
    rest = Indexer(settings, emb).update([many])
    assert len(rest.added) == 6 and len(rest.unchanged) == 2 and emb.passages_embedded == 6


def test_ctrl_c_in_a_rebuild_leaves_a_consistent_index_of_the_new_kind(settings: Settings, tmp_path: Path) -> None:
    many = _many(tmp_path, 6)
    Indexer(settings, FakeEmbedder()).update([many])
    other = dataclasses.replace(settings, embed_batch=1)

    new = InterruptingEmbedder(after_batches=2)
    new.id = "fake-other"
    with pytest.raises(IndexInterrupted):
        Indexer(other, new, commit_chunks=1).update([many], rebuild=True)
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        assert store.manifest()["embedder"] == "fake-other"
        assert len(store.files()) == 2  # the old files went with the first commit; two new ones are in


def test_ctrl_c_stops_promptly_while_a_batch_is_embedding(settings: Settings, tmp_path: Path) -> None:
    """The main thread waits on the embedding worker in short steps, so an interrupt raised in it
    (as SIGINT does) ends the update without waiting for the batch."""
    import _thread

    many = _many(tmp_path, 2)
    release, finished = threading.Event(), threading.Event()

    class Slow(FakeEmbedder):
        def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
            _thread.interrupt_main()  # Ctrl-C arrives while this batch is still running
            release.wait(30)
            finished.set()
            return super().embed_passages(texts)

    try:
        with pytest.raises(IndexInterrupted) as stop:
            Indexer(settings, Slow()).update([many])
        assert not finished.is_set()  # the update ended without waiting for the batch
    finally:
        release.set()
    assert stop.value.report.added == []
    assert not settings.index_dir.exists()  # a first build that kept nothing leaves no folder behind


# -- documents and remove ----------------------------------------------------------------------------
def test_documents_lists_what_is_indexed(settings: Settings, corpus: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus])
    docs = documents(settings)
    assert [Path(d.source).name for d in docs] == ["a.txt", "guide.md", "b.txt"]
    guide = docs[1]
    assert guide.title == "Ansøgning" and guide.n_chunks >= 1 and guide.size > 0 and guide.indexed_at


def test_remove_a_file_and_a_folder(settings: Settings, corpus: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus])
    report = remove(settings, [str(corpus / "a.txt"), str(corpus / "sub")])
    assert sorted(Path(p).name for p in report.removed) == ["a.txt", "b.txt"]
    assert report.files_total == 1
    assert artifacts.current(settings.index_dir, report.generation) == {"dense": True, "lexical": True}
    searcher = Searcher(settings, FakeEmbedder())
    assert not searcher.repaired
    assert all(n == "guide.md" for n in _search_sources(settings, "Aarhus havn Billund"))
    assert (corpus / "a.txt").exists()  # the file on disk is untouched


def test_remove_by_the_path_docs_shows(settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(corpus.parent)
    Indexer(settings, FakeEmbedder()).update([Path("docs")])
    assert remove(settings, ["docs/guide.md"]).removed == ["docs/guide.md"]


def test_remove_of_something_not_indexed_removes_nothing(settings: Settings, corpus: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([corpus])
    with pytest.raises(InputError, match=r"Not in the index.*nope\.txt.*rag docs --index"):
        remove(settings, [str(corpus / "a.txt"), str(corpus / "nope.txt")])
    assert len(documents(settings)) == 3


# -- the watcher ----------------------------------------------------------------------------------------
def test_watch_roots_folds_files_into_their_folders(corpus: Path) -> None:
    from rag.retrieve.watcher import watch_roots

    assert watch_roots([corpus / "sub" / "b.txt", corpus, corpus / "a.txt"]) == [corpus]
    assert watch_roots([corpus / "sub" / "b.txt"]) == [corpus / "sub"]


def test_watcher_reports_document_changes_and_ignores_the_index(tmp_path: Path, corpus: Path) -> None:
    from rag.retrieve.watcher import changes

    index_dir = corpus / ".rag-index"
    index_dir.mkdir()
    stop = threading.Event()
    seen: list[set[str]] = []

    def run() -> None:
        for batch in changes([corpus], index_dir, stop_event=stop, debounce_ms=200):
            seen.append(batch)
            if any(p.endswith("new.md") for p in batch):
                stop.set()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    import time

    for _ in range(100):  # keep writing until the watcher has started and seen one
        (index_dir / "chunks.sqlite").write_text("x")
        (corpus / "ignored.bin").write_text("x")
        (corpus / "new.md").write_text("# Ny\n\nNy tekst.", encoding="utf-8")
        thread.join(0.3)
        if not thread.is_alive():
            break
        time.sleep(0.1)
    stop.set()
    thread.join(10)
    changed = set().union(*seen)
    assert any(p.endswith("new.md") for p in changed)
    assert not any("rag-index" in p or p.endswith(".bin") for p in changed)


# -- a real Ctrl-C (SIGINT) to a running `rag index` ---------------------------------------------------
_SLOW_INDEX = """
import sys, time
from pathlib import Path
import rag.retrieve.indexer as indexer
from rag import cli
from rag.pipeline import Rag
from tests.fakes import FakeEmbedder

indexer.COMMIT_CHUNKS = 1
log = Path(sys.argv[1])

class Slow(FakeEmbedder):
    def embed_passages(self, texts):
        with log.open("a") as f:
            f.write("start\\n")
        time.sleep(0.05 if log.read_text().count("start") <= 2 else 30)
        with log.open("a") as f:
            f.write("end\\n")
        return super().embed_passages(texts)

cli._rag = lambda s: Rag(s, embedder=Slow())
sys.argv = ["rag", "index", sys.argv[2], "--index", sys.argv[3]]
cli.main()
"""


@pytest.mark.heavy
def test_sigint_stops_a_running_index_at_once_and_keeps_what_was_committed(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    many = _many(tmp_path, 5)
    log, index_dir = tmp_path / "embed.log", tmp_path / "ix"
    log.touch()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent.parent), *sys.path]),
           "RAG_EMBED_BATCH": "1"}
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_INDEX, str(log), str(many), str(index_dir)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(600):  # until the third batch (the slow one) is under way
            if log.read_text().count("start") >= 3:
                break
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=20)
    finally:
        proc.kill()
    assert proc.returncode == 130, stderr
    assert log.read_text().count("end") == 2  # it did not wait for the batch in flight
    assert "Interrupted. Kept 2 files committed" in stderr and f"--index {index_dir}" in stderr
    assert "Traceback" not in stderr
    with Store(index_dir / STORE_FILE, readonly=True) as store:
        assert len(store.files()) == 2 and store.count_chunks() == 2


def test_a_fast_embedder_gets_full_batches_after_the_first_call(settings: Settings, tmp_path: Path) -> None:
    calls: list[int] = []

    class Counting(FakeEmbedder):
        def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
            calls.append(len(texts))
            return super().embed_passages(texts)

    Indexer(settings, Counting()).update([_many(tmp_path, 40)])
    assert calls == [4, 32, 4]


def test_a_slow_embedder_gets_smaller_calls_so_progress_moves(settings: Settings, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.retrieve.indexer as indexer

    monkeypatch.setattr(indexer, "EMBED_CALL_S", 0.0)  # every call counts as slow
    calls: list[int] = []

    class Counting(FakeEmbedder):
        def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
            calls.append(len(texts))
            return super().embed_passages(texts)

    embedded: list[int] = []

    def progress(what: str, done: int, total: int) -> None:
        if what == "Embedding":
            embedded.append(done)

    report = Indexer(settings, Counting()).update([_many(tmp_path, 40)], progress=progress)
    assert calls == [4] + [1] * 36
    assert embedded == [4, *range(5, 41)]  # the bar moves with every chunk once calls are small
    assert report.chunks_embedded == 40 and len(report.added) == 40


def test_a_commit_is_also_due_after_some_seconds(settings: Settings, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A slow embedder never reaches COMMIT_CHUNKS quickly: time also makes a commit due."""
    import rag.retrieve.indexer as indexer

    monkeypatch.setattr(indexer, "COMMIT_EVERY_S", 0.0)  # every embedding call is "late"
    one = dataclasses.replace(settings, embed_batch=1)
    with pytest.raises(IndexInterrupted) as stop:
        Indexer(one, InterruptingEmbedder(after_batches=3)).update([_many(tmp_path, 6)])
    assert len(stop.value.report.added) == 3  # each file was committed as soon as it was embedded
