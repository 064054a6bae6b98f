"""`rag index --workers ray`: Ray Data embedding gives the index one process would build (local Ray, 1 CPU)."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.config import Settings
from rag.errors import ConfigError, IndexMissingError, UnavailableError
from rag.retrieve.backends import open_backend
from rag.retrieve.indexer import Indexer
from rag.retrieve.searcher import Searcher
from tests.fakes import FakeEmbedder

TEXTS = [f"Dokument {i} handler om {by} Kommune og dens {emne}." for i, (by, emne) in enumerate(
    [("Sorø", "skoler"), ("Ishøj", "børnesager"), ("Aarhus", "havn"), ("Vejle", "idræt"),
     ("Odense", "zoo"), ("Aalborg", "budget"), ("Roskilde", "festival")])]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for i, text in enumerate(TEXTS):
        (root / f"d{i}.txt").write_text(f"Titel {i}\n\n{text}", encoding="utf-8")
    return root


def _contents(settings: Settings) -> list[tuple[str, list[float]]]:
    with open_backend(settings, write=False) as b:
        items = list(b.iter_chunks())
        vectors = b.vectors([i for i, _ in items])
        return sorted((c.text, np.round(vectors[i], 5).tolist()) for i, c in items)


def test_workers_setting_is_checked() -> None:
    assert Settings().workers == "local"
    with pytest.raises(ConfigError, match="workers must be one of local, ray"):
        Settings().replace(workers="spark")


def test_missing_ray_is_one_clear_line(settings: Settings, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(UnavailableError, match=r"--workers ray needs Ray: pip install 'rag\[ray\]'"):
        Indexer(settings.replace(workers="ray"), FakeEmbedder()).update([corpus])
    assert not (settings.index_dir / "chunks.sqlite").exists() or Indexer(settings, FakeEmbedder()).update(
        [corpus]).added  # nothing half-written: a local run indexes everything afterwards


@pytest.fixture(scope="module")
def local_ray():
    if importlib.util.find_spec("ray") is None:
        pytest.skip("pip install 'rag[ray]' to test --workers ray")
    import ray

    ray.init(num_cpus=1, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_workers_build_the_index_one_process_builds(tmp_path: Path, corpus: Path, local_ray: object) -> None:
    one = Settings(index_dir=tmp_path / "one", embed_batch=2)
    ray_settings = dataclasses.replace(one, index_dir=tmp_path / "ray", workers="ray")
    progress: list[tuple[str, int, int]] = []
    report = Indexer(ray_settings, FakeEmbedder(), embedder_factory=FakeEmbedder).update(
        [corpus], progress=lambda *a: progress.append(a))
    assert len(report.added) == len(TEXTS) and report.chunks_embedded == len(TEXTS)
    assert progress[-1] == ("Embedding", len(TEXTS), len(TEXTS))
    Indexer(one, FakeEmbedder()).update([corpus])
    assert _contents(ray_settings) == _contents(one)
    hits = Searcher(ray_settings, FakeEmbedder()).search("havn i Aarhus", k=1, mode="hybrid")
    assert hits[0].chunk.source.endswith("d2.txt")
    # incremental as ever: only the changed file goes to the workers
    (corpus / "d0.txt").write_text("Titel 0\n\nSorø fik et nyt bibliotek.", encoding="utf-8")
    again = Indexer(ray_settings, FakeEmbedder(), embedder_factory=FakeEmbedder).update([corpus])
    assert again.chunks_embedded == 1 and len(again.unchanged) == len(TEXTS) - 1


@pytest.mark.slow
def test_a_worker_with_another_embedder_fails_the_run(tmp_path: Path, corpus: Path, local_ray: object) -> None:
    s = Settings(index_dir=tmp_path / "idx", workers="ray")
    with pytest.raises(UnavailableError, match=r"Embedding with Ray failed: .*the index needs"):
        Indexer(s, FakeEmbedder(), embedder_factory=lambda: FakeEmbedder(id="other")).update([corpus])
    with pytest.raises(IndexMissingError):  # nothing was committed
        Searcher(s, FakeEmbedder())
