"""The answer log: every `rag ask` / `rag chat` answer, kept in SQLite in the user's data folder.

One row per answer: when, which command, the question, the answer text, whether it refused and
why (`refusal_gate`, `refusal_reason`, and the `strategy` that answered, where the answering flow
reports them), its citations
(number, source, span, title/page/section/date where known, and the passage text), the model and
embedder, the retrieval settings (mode, k) and the timings. `rag log` reads it back, latest first.
Like `llm logs` (simonw/llm): a record of what was asked, for the user, on their own machine.

The file is `<data_dir>/log.sqlite3` (setting `data_dir`: the platform's user data folder, e.g.
`~/.local/share/rag`); the setting `log_answers = false` turns logging off. Writing never breaks
answering: any database or file-system failure becomes `LogError`, which the CLI shows as a
warning after the answer. What it leaves out: no prompts or raw model text (the answer shown is the
verified one), no retention policy (delete the file to start afresh).
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from rag.errors import RagError

FILE_NAME = "log.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,            -- UTC, ISO 8601
    command TEXT NOT NULL,         -- ask | chat
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    refused INTEGER NOT NULL,
    refusal_gate TEXT,
    refusal_reason TEXT,
    strategy TEXT,
    citations TEXT NOT NULL,       -- JSON list
    model TEXT,
    embedder TEXT,
    mode TEXT,
    k INTEGER,
    timings TEXT NOT NULL          -- JSON object, seconds
);
"""
TIMEOUT_S = 5.0  # another rag process writing its own answer holds the lock for milliseconds


class LogError(RagError):
    """The answer log cannot be written or read."""


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _citation(c: Any) -> dict[str, Any]:
    ch = c.hit.chunk
    return {"n": c.n, "source": ch.source, "start": ch.start, "end": ch.end,
            "title": getattr(ch, "title", None), "date": getattr(ch, "date", None),
            "page": getattr(ch, "page", None), "section": getattr(ch, "section", None), "text": ch.text}


# Columns a log written by an earlier rag may lack; they are nullable, so adding them keeps old rows.
_ADDED_COLUMNS = (("refusal_gate", "TEXT"), ("refusal_reason", "TEXT"), ("strategy", "TEXT"), ("model", "TEXT"),
                  ("embedder", "TEXT"), ("mode", "TEXT"), ("k", "INTEGER"))


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=TIMEOUT_S)
    conn.execute(_SCHEMA)
    have = {row[1] for row in conn.execute("PRAGMA table_info(answers)")}
    for name, kind in _ADDED_COLUMNS:
        if name not in have:
            conn.execute(f"ALTER TABLE answers ADD COLUMN {name} {kind}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return conn


def record(data_dir: Path, answer: Any, *, command: str, mode: str | None = None, k: int | None = None) -> None:
    """Append `answer` (a `rag.types.Answer`) to the log in `data_dir`, creating it if needed."""
    path = log_path(data_dir)
    row = (
        _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"), command, answer.question, answer.text,
        int(bool(answer.refused)), getattr(answer, "refusal_gate", None), getattr(answer, "refusal_reason", None),
        getattr(answer, "strategy", None),
        json.dumps([_citation(c) for c in answer.citations], ensure_ascii=False),
        answer.model or None, answer.embedder or None, mode, k,
        json.dumps(answer.timings_record()),
    )
    try:
        create_private(path)
        with closing(_connect(path)) as conn, conn:
            conn.execute(
                "INSERT INTO answers (time, command, question, answer, refused, refusal_gate, refusal_reason, "
                "strategy, citations, model, embedder, mode, k, timings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", row)
    except (sqlite3.Error, OSError) as e:
        raise LogError(f"Could not log the answer to {path} ({e}). Set log_answers = false to stop logging.") \
            from None


def create_private(path: Path) -> None:
    """`path` and its folder, made readable by their owner only (0600 / 0700) where they do not exist
    yet: the answer log and the chat history hold every question asked, as a shell's history does."""
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def latest(data_dir: Path, n: int = 10) -> list[dict[str, Any]]:
    """The last `n` logged answers, latest first, as JSON-ready dicts; [] when nothing is logged."""
    path = log_path(data_dir)
    if not path.exists():
        return []
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=TIMEOUT_S)) as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute("SELECT * FROM answers ORDER BY id DESC LIMIT ?", (n,)).fetchall()
    except sqlite3.Error as e:
        raise LogError(f"Could not read the answer log {path} ({e}). Move it aside to start a new one.") from None
    out = []
    for r in rows:
        entry = dict(r)
        entry["refused"] = bool(entry["refused"])
        entry["citations"] = json.loads(entry["citations"])
        entry["timings"] = json.loads(entry["timings"])
        out.append(entry)
    return out
