"""Finding and loading GGUF models: every bad file is a one-line ModelError; the real model works."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer.generators import LlamaCppGenerator, list_local_models, load_generator, resolve_model
from rag.config import Settings
from rag.errors import ModelError
from rag.protocols import Generator, Prompt


def test_missing_file_path(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nope.gguf"), tmp_path)


def test_unknown_name_lists_what_is_available(tmp_path):
    (tmp_path / "tiny.gguf").write_bytes(b"GGUF")
    with pytest.raises(ModelError) as err:
        resolve_model("huge", tmp_path)
    have = str(err.value).split("Models you have: ", 1)[1].split(" (", 1)[0].split(", ")
    assert have[0] == "gemma3-270m" and have[-1] == "tiny"
    assert "rag models" in str(err.value)
    for name in have:  # nothing it says you have is offered for pulling too
        assert f"fetches {name}" not in str(err.value) and f", {name}." not in str(err.value).split("fetches")[-1]


def test_names_are_read_whatever_their_case(tmp_path):
    (tmp_path / "Mistral-7B.gguf").write_bytes(b"GGUF")
    assert resolve_model("mistral-7b", tmp_path) == tmp_path / "Mistral-7B.gguf"
    assert resolve_model(" GEMMA3-270M ", tmp_path) == resolve_model("gemma3-270m", tmp_path)


def test_names_resolve_in_models_dir(tmp_path):
    model = tmp_path / "mini.gguf"
    model.write_bytes(b"GGUF")
    assert resolve_model("mini", tmp_path) == model
    assert resolve_model("mini.gguf", tmp_path) == model
    assert resolve_model(str(model), Path("elsewhere")) == model
    assert list_local_models(tmp_path) == [model]
    assert list_local_models(tmp_path / "absent") == []


def test_not_a_gguf_file(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_text("<html>404 Not Found</html>")
    with pytest.raises(ModelError, match="not a GGUF"):
        LlamaCppGenerator(bad)


def test_tiny_truncated_gguf(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(ModelError, match="truncated"):
        LlamaCppGenerator(bad)


def test_large_corrupt_gguf_fails_to_load_without_a_traceback(tmp_path):
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"GGUF\x03\0\0\0" + b"\xff" * (2 << 20))
    with pytest.raises(ModelError, match="Cannot load model") as err:
        LlamaCppGenerator(bad)
    assert "\n" not in str(err.value)
    assert err.value.__cause__ is None


def test_models_load_without_extra_buffers_only_inside_the_guard():
    # an AMX build of llama.cpp is loaded this way (SIGILL otherwise); every other load is untouched
    import llama_cpp.llama_cpp as lib

    from rag.answer import generators

    before = lib.llama_model_default_params
    assert lib.llama_model_default_params().use_extra_bufts is True
    with generators._without_extra_buffers():
        assert lib.llama_model_default_params().use_extra_bufts is False
    assert lib.llama_model_default_params is before
    with pytest.raises(RuntimeError), generators._without_extra_buffers():
        raise RuntimeError("a failed load")
    assert lib.llama_model_default_params is before
    assert isinstance(generators.amx_in_build(), bool)


def test_bundled_default_resolves_to_a_cached_file():
    first = resolve_model("gemma3-270m", Path("models"))
    assert first.is_file()
    assert first.read_bytes()[:4] == b"GGUF"
    assert resolve_model("", Path("models")) == first  # cached: same file, no re-assembly


@pytest.mark.slow
def test_truncated_copy_of_the_real_model(tmp_path):
    real = resolve_model("gemma3-270m", Path("models"))
    cut = tmp_path / "cut.gguf"
    with real.open("rb") as src:
        cut.write_bytes(src.read(real.stat().st_size // 2))
    with pytest.raises(ModelError, match=r"truncated|not within the file bounds"):
        load_generator(Settings(model=str(cut)))


@pytest.mark.slow
def test_real_generator(gemma):
    assert isinstance(gemma, Generator)
    assert gemma.id.startswith("gemma-3-270m")
    assert gemma.context_tokens == Settings().n_ctx
    assert gemma.has_chat_template is False  # the bundled base model has none
    assert 3 <= gemma.count_tokens("Hvem er borgmester i Sorø Kommune?") <= 20
    text = "".join(gemma.stream(Prompt(text="Danmarks hovedstad hedder"), max_tokens=8, stop=["\n"]))
    assert text.strip()


@pytest.mark.slow
def test_a_prompts_answer_does_not_depend_on_the_prompt_before_it(gemma):
    """A completion prompt reuses none of the last prompt's KV cache: evaluated in other batches, its
    logits would differ in the last bits and a greedy span flip on a near tie (eval/trial16 r18-24)."""
    shared = "Spørgsmål: Hvem er borgmester i Sorø Kommune?\nUddrag: Sorø Kommune har 30.000 indbyggere. "
    first = Prompt(text=shared + "Borgmester er Gert Jørgensen.\nSvar:")
    other = Prompt(text=shared + "Kommunen ligger på Sjælland.\nSvar:")
    alone = "".join(gemma.stream(first, max_tokens=8, stop=["\n"]))
    "".join(gemma.stream(other, max_tokens=8, stop=["\n"]))
    after = "".join(gemma.stream(first, max_tokens=8, stop=["\n"]))
    assert gemma.last_prefill_tokens == gemma.last_prompt_tokens  # nothing of `other` reused
    assert after == alone


@pytest.mark.slow
def test_a_completion_prompts_fixed_start_is_reused_and_answers_do_not_change(gemma, tmp_path):
    """`Prompt.fixed` is evaluated on its own once and kept; what follows it is evaluated for each
    prompt, and the answer equals a cold generator's (one with no disk cache, one loading it)."""
    from rag.answer.generators import LlamaCppGenerator

    fixed = "Besvar spørgsmålet med få ord fra teksten.\n\n" * 4 + "Tekst:\n"
    first = Prompt(text=fixed + "Sorø Kommune har 30.000 indbyggere. Borgmester er Gert Jørgensen.\n"
                               "Spørgsmål: Hvem er borgmester?\nSvar:", fixed=fixed)
    other = Prompt(text=fixed + "Kommunen ligger på Sjælland.\nSpørgsmål: Hvor ligger den?\nSvar:", fixed=fixed)
    alone = "".join(gemma.stream(first, max_tokens=8, stop=["\n"]))
    "".join(gemma.stream(other, max_tokens=8, stop=["\n"]))
    after = "".join(gemma.stream(first, max_tokens=8, stop=["\n"]))
    fixed_tokens = gemma.count_tokens(fixed)
    assert gemma.last_prefill_tokens <= gemma.last_prompt_tokens - fixed_tokens  # the fixed start was kept
    assert after == alone
    for _ in range(2):  # the first saves the prefix's state, the second loads it
        cold = LlamaCppGenerator(gemma.path, prefix_cache=tmp_path)
        assert "".join(cold.stream(first, max_tokens=8, stop=["\n"])) == alone
    assert len(list(tmp_path.glob("*.state"))) == 1
    assert cold.last_prefill_tokens <= cold.last_prompt_tokens - fixed_tokens
    no_cache = LlamaCppGenerator(gemma.path)
    assert "".join(no_cache.stream(first, max_tokens=8, stop=["\n"])) == alone


# -- KV cache of the fixed prefix (SmolLM2: a real chat template) -----------------------------------
SYSTEM = ("Du besvarer spørgsmål på dansk ud fra nummererede uddrag af dokumenter. Brug kun oplysninger "
          "fra uddragene. Svar med få ord, og skriv nummeret på uddraget i firkantede parenteser, fx [1].")


def _ask(question: str) -> Prompt:
    return Prompt(messages=({"role": "system", "content": SYSTEM},
                            {"role": "user", "content": f"Uddrag:\n[1] Sorø Kommune har 30.000 indbyggere.\n\n"
                                                        f"Spørgsmål: {question}"}))


@pytest.mark.slow
def test_prefix_is_reused_within_a_process_and_answers_do_not_change(smollm2):
    first = "".join(smollm2.stream(_ask("Hvor mange bor i Sorø Kommune?"), max_tokens=12))
    cold_prefill = smollm2.last_prefill_tokens
    assert cold_prefill > 0
    second = "".join(smollm2.stream(_ask("Hvor mange indbyggere har Sorø Kommune?"), max_tokens=12))
    assert smollm2.last_prefill_tokens < smollm2.last_prompt_tokens - 30  # the system prompt was reused
    again = "".join(smollm2.stream(_ask("Hvor mange bor i Sorø Kommune?"), max_tokens=12))
    assert again == first and second.strip()


@pytest.mark.slow
def test_prefix_state_saved_on_disk_serves_a_cold_generator(tmp_path, smollm2):
    from rag.answer.generators import LlamaCppGenerator

    reference = "".join(smollm2.stream(_ask("Hvor mange bor i Sorø Kommune?"), max_tokens=12))
    writer = LlamaCppGenerator(smollm2.path, prefix_cache=tmp_path)
    assert "".join(writer.stream(_ask("Hvor mange bor i Sorø Kommune?"), max_tokens=12)) == reference
    saved = list(tmp_path.glob("*.state"))
    assert len(saved) == 1
    reader = LlamaCppGenerator(smollm2.path, prefix_cache=tmp_path)  # a cold process, as far as llama.cpp knows
    assert "".join(reader.stream(_ask("Hvor mange bor i Sorø Kommune?"), max_tokens=12)) == reference
    assert reader.last_prefill_tokens < reader.last_prompt_tokens - 30
    saved[0].write_bytes(b"garbage")  # a damaged state is dropped and rebuilt, never trusted
    damaged = LlamaCppGenerator(smollm2.path, prefix_cache=tmp_path)
    assert "".join(damaged.stream(_ask("Hvor mange bor i Sorø Kommune?"), max_tokens=12)) == reference
    assert saved[0].read_bytes() != b"garbage"


@pytest.mark.slow
def test_cli_ask_with_a_real_chat_template(tmp_path, smollm2):
    """`rag ask --model smollm2-135m` end to end: the chat path through the CLI, JSON shape and prefill."""
    import json

    from typer.testing import CliRunner

    from rag import cli
    from rag.config import PROJECT_ROOT

    runner = CliRunner()
    index = tmp_path / "index"
    assert runner.invoke(cli.app, ["index", str(PROJECT_ROOT / "seeds"), "--index", str(index)]).exit_code == 0
    result = runner.invoke(cli.app, ["ask", "Hvem er borgmester i Sorø Kommune?", "--index", str(index),
                                     "--model", "smollm2-135m", "--json"],
                           env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["model"].startswith("SmolLM2") and answer["answer"]
    if answer["timings"].get("prefill_tokens") is not None:
        assert 0 < answer["timings"]["prefill_tokens"] <= answer["timings"]["prompt_tokens"]
