"""Hostile inputs and damaged state (issue 11 items 1–10): each test failed before its fix.

Symlink loops, FIFOs, mixed encodings, binary tails; derived files with damaged bytes, a damaged
manifest or store; a failed first build; files that are unreadable for a while; temp files of
killed writers. Fakes only (no models), so they run in `make test-fast`.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from filelock import FileLock
from typer.testing import CliRunner

from rag import cli
from rag.config import Settings
from rag.errors import IndexCorruptError, IndexMissingError, InputError, UnreadableFileError
from rag.ingest import loaders
from rag.ingest.loaders import decode, discover, load_document, looks_binary, read_bytes
from rag.pipeline import Rag
from rag.retrieve import artifacts
from rag.retrieve import indexer as indexer_module
from rag.retrieve.indexer import LOCK_FILE, Indexer, documents
from rag.retrieve.lexical import ANALYZER
from rag.retrieve.searcher import Searcher
from rag.retrieve.store import STORE_FILE, Store
from tests.fakes import FakeEmbedder, FakeGenerator

GOOD = "Børnene Først\n\nReformen Børnene Først blev vedtaget i 2024 af et bredt flertal i Folketinget."
OTHER = "Besøg i Sorø\n\nSocial- og boligministeren besøgte Sorø Kommune og talte med borgmesteren."
posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks and FIFOs as on POSIX")


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "good.txt").write_text(GOOD, encoding="utf-8")
    (root / "other.txt").write_text(OTHER, encoding="utf-8")
    return root


def _in_thread(fn, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    """Run fn() in a daemon thread; fail (instead of hanging the suite) if it blocks."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as e:  # handed back to the test
            box["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "blocked"
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box.get("value")


# -- 1. symlink loops ---------------------------------------------------------------------------
@posix_only
def test_symlink_loop_is_skipped_and_the_good_files_are_indexed(settings: Settings, docs: Path) -> None:
    os.symlink(docs / "b.txt", docs / "a.txt")
    os.symlink(docs / "a.txt", docs / "b.txt")
    os.symlink(docs / "missing.txt", docs / "dangling.txt")
    files, skipped = discover([docs])
    assert sorted(f.name for f in files) == ["good.txt", "other.txt"]
    assert {p.name: r for p, r in skipped} == {
        "a.txt": "broken symbolic link or symlink loop",
        "b.txt": "broken symbolic link or symlink loop",
        "dangling.txt": "broken symbolic link or symlink loop",
    }
    report = Indexer(settings, FakeEmbedder()).update([docs])
    assert sorted(Path(s).name for s in report.added) == ["good.txt", "other.txt"]


# -- 2. FIFOs -----------------------------------------------------------------------------------
@posix_only
def test_fifo_in_a_folder_never_blocks_the_indexer(settings: Settings, docs: Path) -> None:
    os.mkfifo(docs / "pipe.txt")
    report = _in_thread(lambda: Indexer(settings, FakeEmbedder()).update([docs]))
    assert sorted(Path(s).name for s in report.added) == ["good.txt", "other.txt"]
    assert ("pipe.txt", "not a regular file (a FIFO, socket or device)") in [
        (Path(s).name, r) for s, r in report.skipped]


@posix_only
def test_read_bytes_refuses_a_fifo_without_opening_it_for_a_blocking_read(tmp_path: Path) -> None:
    """A file swapped for a FIFO after discovery: read_bytes checks the type on the open descriptor."""
    os.mkfifo(tmp_path / "swapped.txt")
    with pytest.raises(UnreadableFileError, match="not a regular file"):
        _in_thread(lambda: read_bytes(tmp_path / "swapped.txt"))
    with pytest.raises(UnreadableFileError, match="skipped: not a regular file"):
        _in_thread(lambda: load_document(tmp_path / "swapped.txt"))
    (tmp_path / "plain.txt").write_bytes(b"hej")
    assert read_bytes(tmp_path / "plain.txt") == b"hej"


# -- 5. mixed encodings -------------------------------------------------------------------------
def test_a_utf8_file_with_one_cp1252_line_keeps_its_utf8_letters(tmp_path: Path) -> None:
    data = "Børnene Først\n".encode() + "Sorø – “citat”\n".encode("cp1252") + "Ærø og Åbenrå\n".encode()
    decoded = decode(data)
    assert decoded.text == "Børnene Først\nSorø – “citat”\nÆrø og Åbenrå\n"
    assert decoded.note is not None and "1 line(s) read as Windows-1252" in decoded.note
    notes: list[str] = []
    (tmp_path / "mixed.txt").write_bytes(data)
    doc = load_document(tmp_path / "mixed.txt", warn=notes.append)
    assert "BÃ¸rnene" not in doc.text and "Børnene" in doc.text
    assert notes == [decoded.note]


def test_a_wholly_cp1252_file_is_read_without_a_warning() -> None:
    decoded = decode("Børnene Først – æøå\nSorø\n".encode("cp1252"))
    assert decoded.text == "Børnene Først – æøå\nSorø\n" and decoded.note is None


def test_the_indexer_reports_the_mixed_encoding_warning(settings: Settings, docs: Path) -> None:
    (docs / "mixed.txt").write_bytes("Ærø er en ø.\n".encode() + "Sorø ligger på Sjælland.\n".encode("cp1252"))
    report = Indexer(settings, FakeEmbedder()).update([docs])
    assert [(Path(s).name, "mixes encodings" in n) for s, n in report.warnings] == [("mixed.txt", True)]


# -- 6. binary beyond the first 8 KB ------------------------------------------------------------
def test_text_followed_by_random_bytes_is_binary(tmp_path: Path) -> None:
    rng = random.Random(0)
    data = (GOOD + "\n").encode() * 80  # ~9 KB of text
    data += bytes(rng.randrange(256) for _ in range(100_000))
    assert len(data) > 9000 and looks_binary(data)
    (tmp_path / "tail.txt").write_bytes(data)
    with pytest.raises(UnreadableFileError, match="looks binary"):
        load_document(tmp_path / "tail.txt")


def test_a_binary_run_in_the_middle_of_a_long_text_is_binary() -> None:
    rng = random.Random(1)
    text = (GOOD + "\n").encode() * 2000
    assert not looks_binary(text)
    assert looks_binary(text + bytes(rng.randrange(256) for _ in range(20_000)) + text)


def test_long_texts_with_stray_control_characters_are_text() -> None:
    page = (GOOD + "\f\n").encode() * 3000  # form feeds between pages, a lone NUL far in
    assert not looks_binary(page + b"\x00" + page)


# -- 7. integrity of the derived files and the manifest; the store ------------------------------
def _damage(path: Path, at_end: int = 64) -> None:
    """Flip bytes near the end of a file: a FAISS header stays intact, its vectors do not."""
    data = bytearray(path.read_bytes())
    for i in range(len(data) - at_end, len(data) - at_end + 16):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _top(searcher: Searcher, mode: str) -> list[tuple[int, float]]:
    return [(h.chunk_id, round(h.score, 6)) for h in searcher.search("Børnene Først reformen", k=3, mode=mode)]


def _indexed(settings: Settings, docs: Path, mode: str) -> tuple[FakeEmbedder, int, list[tuple[int, float]]]:
    """A fresh index of `docs`: its embedder, generation, and the clean index's top hits in `mode`."""
    emb = FakeEmbedder()
    gen = Indexer(settings, emb).update([docs]).generation
    clean = Searcher(settings, emb)
    expected = _top(clean, mode)
    clean.close()
    return emb, gen, expected


def test_a_damaged_faiss_file_is_noticed_used_rebuilt_and_repaired(settings: Settings, docs: Path) -> None:
    emb, gen, expected = _indexed(settings, docs, "dense")
    path = artifacts.dense_path(settings.index_dir, gen)
    _damage(path)
    assert not artifacts.dense_intact(settings.index_dir, gen)
    with FileLock(str(settings.index_dir / LOCK_FILE)):  # a writer is busy: the reader repairs in memory only
        reader = Searcher(settings, emb)
        assert reader.repaired == ["dense"] and _top(reader, "dense") == expected
        reader.close()
    report = Indexer(settings, emb).update([docs])  # nothing changed, but the damaged file is rewritten
    assert report.repaired == ["dense"] and artifacts.dense_intact(settings.index_dir, gen)


def test_a_reader_writes_back_what_it_rebuilt(settings: Settings, docs: Path) -> None:
    emb = FakeEmbedder()
    gen = Indexer(settings, emb).update([docs]).generation
    _damage(artifacts.dense_path(settings.index_dir, gen))
    Searcher(settings, emb).close()
    assert artifacts.dense_intact(settings.index_dir, gen)


def test_a_damaged_lexical_index_is_rebuilt(settings: Settings, docs: Path) -> None:
    emb, gen, expected = _indexed(settings, docs, "lexical")
    folder = artifacts.lexical_path(settings.index_dir, gen)
    victim = max((f for f in folder.iterdir() if f.name != artifacts.CHECKSUMS), key=lambda f: f.stat().st_size)
    _damage(victim, at_end=min(64, victim.stat().st_size))
    assert not artifacts.lexical_intact(settings.index_dir, gen)
    with FileLock(str(settings.index_dir / LOCK_FILE)):
        reader = Searcher(settings, emb)
        assert reader.repaired == ["lexical"] and _top(reader, "lexical") == expected
        reader.close()
    assert Indexer(settings, emb).update([docs]).repaired == ["lexical"]
    assert artifacts.lexical_intact(settings.index_dir, gen)


def test_a_lexical_index_of_an_older_analyzer_is_rebuilt_and_written_back(settings: Settings, docs: Path) -> None:
    emb, gen, expected = _indexed(settings, docs, "lexical")
    folder = artifacts.lexical_path(settings.index_dir, gen)
    params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
    params["analyzer"] = 1  # intact (checksums match), but its terms are another analyzer's
    (folder / "params.index.json").write_text(json.dumps(params), encoding="utf-8")
    sums = {f.name: artifacts.sha256_file(f) for f in folder.iterdir() if f.name not in (artifacts.CHECKSUMS,
                                                                                     artifacts.SAMPLED)}
    (folder / artifacts.CHECKSUMS).write_text(json.dumps(sums), encoding="utf-8")
    assert artifacts.lexical_intact(settings.index_dir, gen)
    reader = Searcher(settings, emb)
    assert reader.repaired == ["lexical"] and _top(reader, "lexical") == expected
    reader.close()
    saved = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
    assert saved["analyzer"] == ANALYZER
    # `rag index` with nothing changed rewrites one of another analyzer too
    saved["analyzer"] = 1
    (folder / "params.index.json").write_text(json.dumps(saved), encoding="utf-8")
    sums = {f.name: artifacts.sha256_file(f) for f in folder.iterdir() if f.name not in (artifacts.CHECKSUMS,
                                                                                     artifacts.SAMPLED)}
    (folder / artifacts.CHECKSUMS).write_text(json.dumps(sums), encoding="utf-8")
    assert Indexer(settings, emb).update([docs]).repaired == ["lexical"]
    assert json.loads((folder / "params.index.json").read_text(encoding="utf-8"))["analyzer"] == ANALYZER


def test_a_damaged_manifest_says_the_index_must_be_rebuilt(settings: Settings, docs: Path) -> None:
    emb = FakeEmbedder()
    Indexer(settings, emb).update([docs])
    db = sqlite3.connect(settings.index_dir / STORE_FILE)
    raw = db.execute("SELECT value FROM meta WHERE key = 'manifest'").fetchone()[0]
    db.execute("UPDATE meta SET value = ? WHERE key = 'manifest'", (raw.replace('"dim": 64', '"dim": 65'),))
    db.commit()
    db.close()
    with pytest.raises(IndexCorruptError, match=r"manifest .* is damaged .*rag index --rebuild"):
        Searcher(settings, emb)
    with pytest.raises(IndexCorruptError, match="rag index --rebuild"):
        Indexer(settings, emb).update([docs])
    rebuilt = Indexer(settings, emb).update([docs], rebuild=True)
    assert rebuilt.chunks_total > 0
    searcher = Searcher(settings, emb)
    assert searcher.search("Børnene Først", k=1, mode="hybrid")
    searcher.close()


def test_a_damaged_store_is_one_line_that_says_rebuild_from_the_documents(
    tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_rag", lambda s: Rag(s, embedder=FakeEmbedder(), generator=FakeGenerator("x")))
    runner = CliRunner()
    idx = tmp_path / "idx"
    assert runner.invoke(cli.app, ["index", str(docs), "--index", str(idx)]).exit_code == 0
    store = idx / STORE_FILE
    data = bytearray(store.read_bytes())
    data[100:] = bytes(len(data) - 100)  # keep the header, wipe every page after it
    store.write_bytes(bytes(data))
    for args in (["search", "Børnene"], ["index", str(docs)]):
        result = runner.invoke(cli.app, [*args, "--index", str(idx)])
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.output
        assert "rebuilt from your documents" in result.stderr, result.stderr


# -- 8. a failed first build; a reader during a first build --------------------------------------
def test_a_missing_path_leaves_no_index_folder(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Path not found"):
        Indexer(settings, FakeEmbedder()).update([tmp_path / "nonexistent"])
    assert not settings.index_dir.exists()
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="Nothing to index"):
        Indexer(settings, FakeEmbedder()).update([tmp_path / "empty"])
    assert not settings.index_dir.exists()


def test_a_failed_update_of_an_existing_index_keeps_it(settings: Settings, docs: Path, tmp_path: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([docs])
    with pytest.raises(InputError):
        Indexer(settings, FakeEmbedder()).update([tmp_path / "nonexistent"])
    assert (settings.index_dir / STORE_FILE).is_file()


def test_cli_index_of_a_missing_path_leaves_no_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["index", str(tmp_path / "nonexistent"), "--index", str(tmp_path / "D")])
    assert result.exit_code == 1 and "Path not found" in result.stderr
    assert not (tmp_path / "D").exists()


def test_a_reader_during_a_first_build_is_told_it_is_being_built(settings: Settings) -> None:
    settings.index_dir.mkdir()
    with FileLock(str(settings.index_dir / LOCK_FILE)):
        with pytest.raises(IndexMissingError, match="being built"):
            Searcher(settings, FakeEmbedder())
        Store(settings.index_dir / STORE_FILE).close()  # the writer has created the empty store
        with pytest.raises(IndexMissingError, match="being built"):
            Searcher(settings, FakeEmbedder())
        with pytest.raises(IndexMissingError, match="being built"):  # `rag docs` too, not "no documents"
            documents(settings)
    with pytest.raises(IndexMissingError, match=r"is empty\. Index your documents first"):
        Searcher(settings, FakeEmbedder())


# -- 9. a file that is unreadable for a while keeps its chunks ------------------------------------
def test_a_temporarily_unreadable_file_keeps_its_chunks(
    settings: Settings, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = FakeEmbedder()
    first = Indexer(settings, emb).update([docs])
    real = loaders.read_bytes

    def flaky(path: Path) -> bytes:
        if Path(path).name == "good.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    real_sha = indexer_module._sha256_file

    def flaky_sha(path: str) -> str:
        if Path(path).name == "good.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_sha(path)

    # unchanged files are only hashed; a changed one is read again to be loaded
    monkeypatch.setattr(indexer_module, "_sha256_file", flaky_sha)
    report = Indexer(settings, emb).update([docs])
    assert not report.removed and report.chunks_total == first.chunks_total
    assert [(Path(s).name, r) for s, r in report.skipped] == [
        ("good.txt", "cannot read (Permission denied); keeping its 1 indexed chunks")]
    monkeypatch.setattr(indexer_module, "_sha256_file", real_sha)
    (docs / "good.txt").write_text(GOOD + " Ændret.", encoding="utf-8")
    monkeypatch.setattr(loaders, "read_bytes", flaky)
    report = Indexer(settings, emb).update([docs])
    assert not report.removed and not report.updated and report.chunks_total == first.chunks_total
    assert [(Path(s).name, r) for s, r in report.skipped] == [
        ("good.txt", "cannot read (Permission denied); keeping its 1 indexed chunks")]
    monkeypatch.setattr(loaders, "read_bytes", real)
    (docs / "good.txt").unlink()  # gone for real: now it is removed
    assert [Path(s).name for s in Indexer(settings, emb).update([docs]).removed] == ["good.txt"]


def test_files_in_a_folder_that_cannot_be_listed_are_kept(
    settings: Settings, docs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    emb = FakeEmbedder()
    (docs / "sub").mkdir()
    (docs / "sub" / "deep.txt").write_text("Ishøj\n\nAstrid Krag holdt møde i Ishøj.", encoding="utf-8")
    first = Indexer(settings, emb).update([docs])
    real_walk = os.walk

    def walk(top, onerror=None, **kw):  # type: ignore[no-untyped-def]
        for dirpath, dirnames, filenames in real_walk(top, onerror=onerror, **kw):
            if Path(dirpath).name == "sub":
                onerror(PermissionError(13, "Permission denied", dirpath))
                dirnames[:] = []
                continue
            yield dirpath, dirnames, filenames

    monkeypatch.setattr(loaders.os, "walk", walk)
    report = Indexer(settings, emb).update([docs])
    assert not report.removed and report.chunks_total == first.chunks_total
    assert any("cannot read folder (Permission denied)" in r for _, r in report.skipped)


# -- 10. temp files of killed writers -------------------------------------------------------------
@pytest.mark.heavy
def test_search_removes_temp_files_of_dead_writers_only(settings: Settings, docs: Path) -> None:
    Indexer(settings, FakeEmbedder()).update([docs])
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(done.stdout)
    live = os.getppid()
    stale = settings.index_dir / f".dense-7.faiss.tmp-{dead}"
    stale_dir = settings.index_dir / f".lexical-7.tmp-{dead}"
    busy = settings.index_dir / f".dense-8.faiss.tmp-{live}"
    stale.write_bytes(b"half")
    stale_dir.mkdir()
    (stale_dir / "x").write_bytes(b"half")
    busy.write_bytes(b"being written")
    Searcher(settings, FakeEmbedder()).close()
    assert not stale.exists() and not stale_dir.exists()
    assert busy.exists()


def test_index_report_json_still_serialises(tmp_path: Path, docs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_rag", lambda s: Rag(s, embedder=FakeEmbedder(), generator=FakeGenerator("x")))
    (docs / "mixed.txt").write_bytes("Ærø er en ø.\n".encode() + "Sorø ligger på Sjælland.\n".encode("cp1252"))
    result = CliRunner().invoke(cli.app, ["index", str(docs), "--index", str(tmp_path / "idx"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["chunks_total"] > 0
    assert "Warning: " in result.stderr and "mixes encodings" in result.stderr


def test_a_reader_checks_big_lexical_files_by_sampled_blocks(settings: Settings, docs: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Over FULL_CHECK_BYTES a reader compares size and sampled blocks (a writer hashes it whole):
    a change inside a sampled block is caught by both."""
    monkeypatch.setattr(artifacts, "FULL_CHECK_BYTES", 16)
    emb = FakeEmbedder()
    gen = Indexer(settings, emb).update([docs]).generation
    folder = artifacts.lexical_path(settings.index_dir, gen)
    assert (folder / artifacts.SAMPLED).is_file()
    assert artifacts.lexical_intact(settings.index_dir, gen, full=False)
    victim = max((f for f in folder.iterdir() if f.suffix == ".npy"), key=lambda f: f.stat().st_size)
    _damage(victim, at_end=min(64, victim.stat().st_size))  # the last block is always sampled
    assert not artifacts.lexical_intact(settings.index_dir, gen, full=False)
    assert not artifacts.lexical_intact(settings.index_dir, gen)
