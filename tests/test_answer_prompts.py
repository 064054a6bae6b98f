"""Prompt templates: strict rendering, and the project's own template files."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.prompts import load_template
from rag.errors import PromptError


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_renders_named_placeholders_and_literal_braces(tmp_path):
    _write(tmp_path, "t", "Spørgsmål: {question} {{ikke en plads}}\n")
    assert load_template("t", tmp_path).render(question="Hvem?", unused="x") == "Spørgsmål: Hvem? {ikke en plads}\n"


@pytest.mark.parametrize(("text", "head"), [
    ("Besvar kort.\n{{ja}}\nTekst: {passages}\nSvar:", "Besvar kort.\n{ja}\n"),  # up to the line break
    ("{passages}\nSvar:", ""),
    ("Ingen pladser her\n", "Ingen pladser her\n"),
])
def test_head_is_what_every_rendering_shares(tmp_path, text, head):
    _write(tmp_path, "t", text)
    template = load_template("t", tmp_path)
    assert template.head == head
    assert template.render(passages="P", question="Q").startswith(template.head)


def test_missing_variable_names_it_and_the_file(tmp_path):
    path = _write(tmp_path, "t", "{passages}\n{question}")
    with pytest.raises(PromptError) as err:
        load_template("t", tmp_path).render(passages="...")
    assert "{question}" in str(err.value)
    assert str(path) in str(err.value)


@pytest.mark.parametrize("field", ["{0}", "{}", "{a.b}", "{q!r}", "{q:>5}", "{x[0]}"])
def test_unknown_placeholder_forms_are_rejected(tmp_path, field):
    path = _write(tmp_path, "t", f"Hej {field}")
    with pytest.raises(PromptError, match="unknown placeholder") as err:
        load_template("t", tmp_path)
    assert str(path) in str(err.value)


def test_malformed_brace_and_missing_file(tmp_path):
    _write(tmp_path, "t", "Hej {question")
    with pytest.raises(PromptError, match="malformed brace"):
        load_template("t", tmp_path)
    with pytest.raises(PromptError, match=r"nope\.txt is neither in .* nor among rag's own prompts"):
        load_template("nope", tmp_path)


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("passage", {"n", "title", "text"}),
        ("completion", {"passages", "question"}),
        ("chat_system", set()),  # the gates decide refusals, not the model (README: measured)
        ("chat_user", {"passages", "question"}),
    ],
)
def test_project_templates_use_the_expected_variables(name, fields):
    assert load_template(name).fields == fields


def test_a_users_file_overrides_one_packaged_template_and_the_rest_fall_back(tmp_path):
    from rag.answer.prompts import PACKAGED_DIR

    _write(tmp_path, "passage", "[{n}] {text}\n")
    assert load_template("passage", tmp_path).path == tmp_path / "passage.txt"
    assert load_template("completion", tmp_path).path == PACKAGED_DIR / "completion.txt"
    assert load_template("completion", tmp_path / "no-such-folder").path == PACKAGED_DIR / "completion.txt"


def test_prompts_have_one_source_of_truth():
    """The shipped defaults live in rag/prompts (package data); the top-level prompts/ folder is only
    where users put overrides, so a template added there would be missing from the wheel."""
    from rag.answer.prompts import PACKAGED_DIR
    from rag.config import PROJECT_ROOT

    assert {p.name for p in PACKAGED_DIR.glob("*.txt")} >= {"passage.txt", "completion.txt", "chat_system.txt",
                                                           "chat_user.txt"}
    assert not list((PROJECT_ROOT / "prompts").glob("*.txt")), "put default prompts in rag/prompts/"


def test_shipped_examples_parse_and_cite_an_excerpt_they_show():
    from rag.answer.prompts import load_examples
    from rag.answer.verify import cited_numbers, strip_citations

    examples = load_examples("chat_examples")
    assert len(examples) >= 3
    for ex in examples:
        shown = {n: text for n, _, text in ex.excerpts}
        (n,) = cited_numbers(ex.answer)
        assert strip_citations(ex.answer) in shown[n]  # a few words copied from the excerpt it cites
    assert any(cited_numbers(ex.answer) != [1] for ex in examples)  # not always [1]


def test_examples_file_errors_name_the_example_and_an_empty_file_turns_them_off(tmp_path):
    from rag.answer.prompts import load_examples

    _write(tmp_path, "chat_examples", "# only comments\n")
    assert load_examples("chat_examples", tmp_path) == ()
    _write(tmp_path, "chat_examples", "[1] T: Tekst.\nSpørgsmål: Hvad?\nSvar: Tekst [1]\n---\n[1] T: X.\nSvar: X\n")
    with pytest.raises(PromptError, match=r"Example 2 .* needs"):
        load_examples("chat_examples", tmp_path)
    _write(tmp_path, "chat_examples", "[1] T: Tekst.\nHvad?\n")
    with pytest.raises(PromptError, match=r"Example 1 .*neither an excerpt"):
        load_examples("chat_examples", tmp_path)


def test_templates_are_read_once_per_version_of_their_files(tmp_path):
    from rag.answer.strategies._generation import Templates

    first = Templates.load(tmp_path)
    assert Templates.load(tmp_path) is first  # nothing changed: not read again
    (tmp_path / "chat_user.txt").write_text("Spørgsmål: {question}\n{passages}\n", encoding="utf-8")
    edited = Templates.load(tmp_path)
    assert edited is not first and edited.chat_user.text.startswith("Spørgsmål: {question}")
    (tmp_path / "chat_user.txt").write_text("Spørgsmål: {0}\n", encoding="utf-8")
    with pytest.raises(PromptError):
        Templates.load(tmp_path)
    (tmp_path / "chat_user.txt").unlink()
    assert Templates.load(tmp_path).chat_user.text == first.chat_user.text  # back to rag's own
