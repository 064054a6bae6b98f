"""The CLI's sources and documents: Kilder, citation and refusal JSON, `rag docs`, `rag docs remove`,
the index summary and progress lines, Ctrl-C's message, hints naming the user's index, `--watch`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli, render
from rag.config import Settings
from rag.pipeline import Rag
from rag.retrieve.indexer import IndexReport
from tests.fakes import FakeEmbedder, FakeGenerator

runner = CliRunner()
ANSWERABLE = {"RAG_REFUSAL_MIN_SCORE": "0", "RAG_REFUSAL_LEXICAL_SCORE": "0"}


@pytest.fixture
def fake_rag(monkeypatch: pytest.MonkeyPatch) -> list[Rag]:
    made: list[Rag] = []

    def build(settings: Settings) -> Rag:
        rag = Rag(settings, embedder=FakeEmbedder(), generator=FakeGenerator("Fristen er 1. marts [1]."))
        made.append(rag)
        return rag

    monkeypatch.setattr(cli, "_rag", build)
    return made


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    import docx

    root = tmp_path / "docs"
    root.mkdir()
    (root / "vejledning.md").write_text(
        "---\ntitle: Vejledning om tilskud\ndate: 2022-02-01\n---\n# Ansøgning\n\nSådan søger du om tilskud.\n\n"
        "## Frister\n\nDu skal søge i god tid. Fristen for ansøgning om tilskud er 1. marts. "
        "Sene ansøgninger behandles ikke.\n", encoding="utf-8")
    document = docx.Document()
    document.add_heading("Budget 2024", level=1)
    document.add_paragraph("Kommunen bruger 14 mia. kr. på skoler.")
    document.save(str(root / "budget.docx"))
    return root


def _index(tmp_path: Path, *args: str) -> object:
    return runner.invoke(cli.app, ["index", *args, "--index", str(tmp_path / "idx")])


def test_index_prints_a_summary_and_file_lines_only_when_verbose(tmp_path: Path, docs: Path,
                                                                 fake_rag: list[Rag]) -> None:
    result = _index(tmp_path, str(docs))
    assert result.exit_code == 0, result.output
    assert "added:" not in result.stdout
    assert "2 added" in result.stdout and "chunks" in result.stdout and "tokens" in result.stdout
    (docs / "vejledning.md").write_text("# Ny\n\nNy tekst om tilskud.", encoding="utf-8")
    verbose = _index(tmp_path, str(docs), "--verbose")
    assert verbose.exit_code == 0, verbose.output
    assert "  updated: " in verbose.stdout and "vejledning.md" in verbose.stdout


def test_ask_json_citations_carry_title_date_page_section(tmp_path: Path, docs: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(docs)).exit_code == 0
    result = runner.invoke(cli.app, ["ask", "Hvornår er fristen for ansøgning om tilskud?", "--json",
                                     "--index", str(tmp_path / "idx")], env=ANSWERABLE)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not data["refused"] and data["citations"] and "considered" not in data
    cited = data["citations"][0]
    assert {"title", "date", "page", "section"} <= set(cited)
    assert cited["title"] == "Vejledning om tilskud" and cited["date"] == "2022-02-01"
    assert cited["section"] == "Ansøgning › Frister" and cited["page"] is None


def test_refusal_json_lists_the_passages_considered(tmp_path: Path, docs: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(docs)).exit_code == 0
    result = runner.invoke(cli.app, ["ask", "Hvor mange elefanter bor i zoologisk have?", "--json",
                                     "--index", str(tmp_path / "idx")], env={"RAG_REFUSAL_MIN_SCORE": "0.999"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["refused"] and data["citations"] == []
    assert data["considered"], data
    for hit in data["considered"]:
        assert {"rank", "score", "scores", "source", "title", "page", "section", "text"} <= set(hit)
        assert "dense" in hit["scores"]


def test_kilder_shows_title_section_date_first_and_file_second(tmp_path: Path, docs: Path,
                                                               fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(docs)).exit_code == 0
    result = runner.invoke(cli.app, ["ask", "Hvornår er fristen for ansøgning om tilskud?", "--no-stream",
                                     "--index", str(tmp_path / "idx")], env=ANSWERABLE)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("Kilder:")
    assert lines[at + 1] == "  [1] Vejledning om tilskud · Ansøgning › Frister · 2022-02-01"
    assert lines[at + 2].strip().startswith(str(docs / "vejledning.md")) and ", tegn " in lines[at + 2]
    shown = lines[at + 3].strip()
    assert "Fristen for ansøgning om tilskud er 1. marts." in shown
    assert shown != "Fristen for ansøgning om tilskud er 1. marts."  # context, not the answer again
    assert "Du skal søge i god tid." in shown


def test_excerpt_gives_the_evidence_with_its_neighbours() -> None:
    passage = "Første sætning handler om noget andet. De bruger 14 mia. kr. årligt på området. Slut."
    before, evidence, after = render.excerpt_parts(passage, "14 mia. kr. årligt [1]")
    assert evidence == "De bruger 14 mia. kr. årligt på området."
    assert before == "Første sætning handler om noget andet. " and after == " Slut."
    long = "Indledning. " * 40 + "Tallet er 14 mia. kr. " + "Mere tekst her. " * 40
    shown = render.excerpt_around(long, "14 mia. kr.", limit=120)
    assert shown.startswith("…") and shown.endswith("…") and "Tallet er 14 mia. kr." in shown
    assert len(shown) <= 125


def test_excerpt_finds_a_short_answer_by_its_number_and_words_despite_punctuation() -> None:
    passage = ("Beholder 1: madaffald. Den tømmes hver 14. dag. Beholder 3: glas og metal. "
               "Den tømmes hver 8. uge. Madaffald skal pakkes i poser.")
    _, evidence, _ = render.excerpt_parts(passage, "hver 8. uge [1].")
    assert evidence == "Den tømmes hver 8. uge."


def test_docs_lists_and_removes(tmp_path: Path, docs: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(docs)).exit_code == 0
    idx = str(tmp_path / "idx")
    listed = runner.invoke(cli.app, ["docs", "--index", idx, "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert all({"path", "title", "date", "chunks", "size", "indexed_at"} <= set(d) for d in data)
    assert {d["title"] for d in data} == {"Vejledning om tilskud", "Budget 2024"}

    table = runner.invoke(cli.app, ["docs", "--index", idx])
    assert table.exit_code == 0 and "Budget 2024" in table.stdout and "2022-02-01" in table.stdout

    removed = runner.invoke(cli.app, ["docs", "remove", str(docs / "budget.docx"), "--index", idx])
    assert removed.exit_code == 0, removed.output
    assert "1 removed" in removed.stdout
    after = json.loads(runner.invoke(cli.app, ["docs", "--index", idx, "--json"]).stdout)
    assert [d["title"] for d in after] == ["Vejledning om tilskud"]

    missing = runner.invoke(cli.app, ["docs", "remove", "nope.txt", "--index", idx])
    assert missing.exit_code == 1 and missing.stderr.startswith("Error: Not in the index")


def test_docs_without_index_names_the_index(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["docs", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert f"--index {tmp_path / 'none'}" in result.stderr


def test_index_with_no_path_and_no_seeds_says_what_to_give(tmp_path: Path, fake_rag: list[Rag],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, ["index", "--index", "mit-indeks"])
    assert result.exit_code == 1
    assert "Nothing to index" in result.stderr and "--index mit-indeks" in result.stderr
    assert "seeds" not in result.stderr


def test_search_hint_names_the_users_index(tmp_path: Path, fake_rag: list[Rag]) -> None:
    result = runner.invoke(cli.app, ["search", "noget", "--index", str(tmp_path / "andet")])
    assert result.exit_code == 1
    assert f"--index {tmp_path / 'andet'}" in result.stderr and "rag index seeds" not in result.stderr


def test_ctrl_c_message_says_what_was_kept_and_how_to_go_on(tmp_path: Path) -> None:
    report = IndexReport(added=["a.txt", "b.txt"], chunks_embedded=4, chunks_pending=10, paths=["mine docs"],
                         interrupted=True)
    text = render.index_interrupted_text(report, Settings(index_dir=tmp_path / "ix"))
    assert "Kept 2 files" in text and "6 chunks not indexed" in text
    assert f"rag index 'mine docs' --index {tmp_path / 'ix'}" in text


def test_plain_progress_prints_periodic_lines_with_rate_and_eta() -> None:
    lines: list[str] = []
    now = [0.0]
    progress = render.plain_progress(lines.append, every_s=10, clock=lambda: now[0])
    progress("Reading", 0, 2)
    now[0] = 1
    progress("Reading", 2, 2)  # finished within 10 s: nothing printed for this stage
    progress("Embedding", 0, 100)
    for done, t in ((5, 5.0), (20, 11.0), (30, 15.0), (60, 22.0), (100, 30.0)):
        now[0] = t
        progress("Embedding", done, 100)
    assert len(lines) == 3, lines
    assert lines[0].startswith("Embedding: 20/100 chunks (20%), 2.0 chunks/s, about 40 s left")
    assert lines[-1].startswith("Embedding: 100/100 chunks (100%)")


def test_watch_reindexes_on_change_and_ctrl_c_ends_cleanly(tmp_path: Path, docs: Path, fake_rag: list[Rag],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from rag.retrieve import watcher

    def fake_changes(paths: list[Path], index_dir: Path, **kwargs: object):
        assert paths == [docs]
        (docs / "ny.txt").write_text("En ny fil om Ishøj.", encoding="utf-8")
        yield {str(docs / "ny.txt")}
        raise KeyboardInterrupt

    monkeypatch.setattr(watcher, "changes", fake_changes)
    result = _index(tmp_path, str(docs), "--watch")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Index ") == 2 and "1 added" in result.stdout.split("Index ")[2]
    assert "Stopped watching." in result.stderr


_WATCH = """
import sys
from rag import cli
from rag.pipeline import Rag
from tests.fakes import FakeEmbedder

cli._rag = lambda s: Rag(s, embedder=FakeEmbedder())
sys.argv = ["rag", "index", sys.argv[1], "--index", sys.argv[2], "--watch"]
cli.main()
"""


@pytest.mark.heavy
def test_watch_in_a_real_process_reindexes_and_ends_cleanly_on_sigint(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Sorø Kommune har en ny borgmester.", encoding="utf-8")
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent.parent), *sys.path])}
    with out.open("w") as o, err.open("w") as e:
        proc = subprocess.Popen([sys.executable, "-c", _WATCH, str(docs), str(tmp_path / "ix")],
                                env=env, stdout=o, stderr=e)
        try:
            for _ in range(300):
                if "Watching" in err.read_text():
                    break
                time.sleep(0.1)
            for _ in range(300):  # write until the watcher (started just after its message) sees it
                (docs / "b.md").write_text("# Ishøj\n\nIshøj fik et nyt bibliotek.", encoding="utf-8")
                if out.read_text().count("Index ") >= 2:
                    break
                time.sleep(0.2)
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 0, err.read_text()
    rounds = out.read_text().split("Index ")[1:]  # the first index, then one per change seen
    assert len(rounds) >= 2 and "1 added" in rounds[1]
    stderr = err.read_text()
    assert stderr.rstrip().endswith("Stopped watching.") and "Traceback" not in stderr
