"""Choosing an index backend (index_uri) and the Milvus backend's own rules; the shared contract is in
test_contracts.py."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag.cli import app
from rag.config import Settings, load_settings
from rag.errors import ConfigError, IndexMissingError, UnavailableError
from rag.retrieve.backends import is_milvus, open_backend
from rag.retrieve.backends.milvus import encode_terms, parse_uri, path_key
from rag.retrieve.lexical import tokenize

needs_milvus = pytest.mark.skipif(
    not all(importlib.util.find_spec(m) for m in ("pymilvus", "milvus_lite")),
    reason="pip install 'rag[milvus]' to test the Milvus backend")


def test_index_uri_selects_the_backend(tmp_path: Path) -> None:
    from rag.retrieve.backends.local import LocalBackend

    assert not is_milvus("") and is_milvus("milvus://db:19530") and is_milvus("idx/rag.db")
    with open_backend(Settings(index_dir=tmp_path / "i"), write=True) as b:
        assert isinstance(b, LocalBackend)
    s = load_settings(environ={"RAG_INDEX_URI": "milvus://db.local:19530/sager"}, cwd=tmp_path)
    assert s.index_uri == "milvus://db.local:19530/sager"
    with pytest.raises(ConfigError, match="index_uri must be milvus://host:19530"):
        Settings().replace(index_uri="postgres://x")


def test_uris_parse_into_server_collection_or_lite_file(tmp_path: Path) -> None:
    assert parse_uri("milvus://db.local:19530") == ("http://db.local:19530", "rag", None)
    assert parse_uri("milvus://db.local/sager") == ("http://db.local:19530", "sager", None)
    uri, name, lite = parse_uri(str(tmp_path / "x.db"))
    assert lite == tmp_path / "x.db" and uri == str(lite) and name == "rag"
    with pytest.raises(UnavailableError, match="letters, digits"):
        parse_uri("milvus://db.local:19530/a-b")


@pytest.mark.parametrize("text", [
    "TV2-Øst bragte 14.000 seere og en rente på 2,5 procent.",
    "Social- og Ældreudvalget i Sorø-Ringsted; pc'en, Levi's, nr. 338, a1,5b",
    "Børnesagerne hos KL — 3.5 mio. kr. i 2021/22",
])
def test_encoded_terms_split_back_into_rags_terms(text: str) -> None:
    """Milvus Lite's tokenizer (\\w+) and a whitespace tokenizer both give back one token per rag term."""
    import re

    terms = tokenize(text)
    encoded = encode_terms(terms)
    assert encoded.split(" ") == re.findall(r"\w+", encoded.lower()) == [encode_terms([t]) for t in terms]
    assert len(set(encoded.split(" "))) == len(set(terms))  # one-to-one


def test_path_keys_are_stable_signed_64_bit() -> None:
    key = path_key("/data/sager/a.txt")
    assert key == path_key("/data/sager/a.txt") != path_key("/data/sager/b.txt")
    assert -(2**63) <= key < 2**63 and key != 0
    assert path_key("/data/B\udcf8rn.txt")  # a file name that is not UTF-8 still has a key


def test_missing_pymilvus_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pymilvus", None)  # import pymilvus → ImportError
    s = Settings(index_dir=tmp_path / "i", index_uri=str(tmp_path / "x.db"))
    with pytest.raises(UnavailableError, match=r"needs pymilvus: pip install 'rag\[milvus\]'"):
        open_backend(s, write=False)


@pytest.mark.heavy
@needs_milvus
def test_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    s = Settings(index_dir=tmp_path / "i", index_uri="milvus://127.0.0.1:9")  # nothing listens on port 9
    with pytest.raises(UnavailableError, match=r"Cannot reach the Milvus server at milvus://127.0.0.1:9 \("):
        open_backend(s, write=False)


@pytest.fixture
def fake_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    from rag import cli
    from rag.pipeline import Rag
    from tests.fakes import FakeEmbedder, FakeGenerator

    monkeypatch.setattr(cli, "_rag", lambda s: Rag(s, embedder=FakeEmbedder(), generator=FakeGenerator("Svar [1].")))


@pytest.mark.heavy
@needs_milvus
def test_cli_indexes_and_searches_milvus_lite(
    tmp_path: Path, seeds_copy: Path, fake_cli: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    db = str(tmp_path / "sager.db")
    missing = runner.invoke(app, ["search", "Sorø", "--index-uri", db])
    assert missing.exit_code == 1 and "Traceback" not in missing.output
    assert "No index at" in missing.output and "--index-uri" in missing.output
    made = runner.invoke(app, ["index", str(seeds_copy), "--index-uri", db, "--json"])
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["index"] == db and len(json.loads(made.stdout)["added"]) == 5
    found = runner.invoke(app, ["search", "borgmester Sorø Kommune", "-k", "1", "--json", "--index-uri", db])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["hits"][0]["source"].endswith("soroe-karen-haekkerup-besoeg.txt")
    assert not (tmp_path / ".rag").exists()  # the index folder is not used when index_uri is set
    bad = runner.invoke(app, ["search", "Sorø", "--index-uri", "mysql://x"])
    assert bad.exit_code == 1 and "index_uri must be milvus://" in bad.output


@pytest.mark.heavy
@needs_milvus
def test_a_lite_reader_of_a_missing_file_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError):
        open_backend(Settings(index_dir=tmp_path / "i", index_uri=str(tmp_path / "none.db")), write=False)
    assert not (tmp_path / "none.db").exists()
