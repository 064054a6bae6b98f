"""Settings precedence (defaults < rag.toml < RAG_* < flags), coercion and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import Settings, load_settings
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
        ({"RAG_MODE": "fuzzy"}, "mode must be one of"),
        ({"RAG_CHUNK_OVERLAP": "500"}, "chunk_overlap"),
        ({"RAG_K": "0"}, "k must be at least 1"),
        ({"RAG_ANN": "annoy"}, "ann must be one of auto, flat, hnsw, ivfpq"),
        ({"RAG_EMBED_DEVICE": "tpu"}, "embed_device must be one of"),
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
