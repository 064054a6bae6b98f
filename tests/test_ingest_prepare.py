"""Preparing files in worker processes: same chunks as in-process, order kept, failures reported, fits re-checked."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from rag.config import Settings
from rag.ingest.prepare import POOL_MIN_FILES, ChunkSpec, auto_workers, prepare_files
from rag.retrieve.indexer import Indexer
from rag.retrieve.store import STORE_FILE, Store
from tests.fakes import FakeEmbedder

SENTENCE = "Kommunen har vedtaget en ny plan for skolerne og de udsatte børn i {i}. "


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for i in range(POOL_MIN_FILES + 2):
        text = f"Dokument {i}\n\n" + "".join(SENTENCE.format(i=f"by {i}-{j}") for j in range(12 + i))
        (root / f"d{i:02d}.txt").write_text(text, encoding="utf-8")
    (root / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    return root


def _chunks(settings: Settings) -> list[tuple[str, int, str]]:
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        return [(c.source.rsplit("/", 1)[-1], c.ordinal, c.text) for _, c in store.iter_chunks()]


def test_auto_workers_leave_small_jobs_and_single_cores_in_process() -> None:
    assert auto_workers(POOL_MIN_FILES - 1, cpus=8) == 0
    assert auto_workers(1000, cpus=1) == 0
    assert auto_workers(1000, cpus=2) == 1
    assert auto_workers(1000, cpus=64) == 4
    assert auto_workers(POOL_MIN_FILES, cpus=64) == 4


def test_workers_give_the_same_results_in_the_same_order(corpus: Path) -> None:
    files = [(str(p), p.name) for p in sorted(corpus.iterdir())]
    spec = ChunkSpec("cl100k_base", 64, 10)
    here = list(prepare_files(files, spec, workers=0))
    pooled = list(prepare_files(files, spec, workers=2, window=3))
    assert [p.source for p in pooled] == [p.source for p in here] == [s for _, s in files]
    assert [(p.chunks, p.error, p.size) for p in pooled] == [(p.chunks, p.error, p.size) for p in here]
    assert [p.error is not None for p in here].count(True) == 1  # broken.pdf, with its reason


@pytest.mark.parametrize("max_tokens", [512, 40])
def test_indexing_with_worker_processes_stores_what_a_sequential_run_stores(
        settings: Settings, corpus: Path, tmp_path: Path, max_tokens: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """max_tokens 40: the embedder's own limit is tighter than chunk_tokens, so chunks are re-cut in-process."""
    small = dataclasses.replace(settings, chunk_tokens=64, chunk_overlap=10)
    seq = dataclasses.replace(small, index_dir=tmp_path / "seq")
    par = dataclasses.replace(small, index_dir=tmp_path / "par", index_workers=2)
    r_par = Indexer(par, FakeEmbedder(max_tokens=max_tokens)).update([corpus])
    monkeypatch.setattr("rag.ingest.prepare.POOL_MIN_FILES", 10_000)  # auto: in-process
    r_seq = Indexer(seq, FakeEmbedder(max_tokens=max_tokens)).update([corpus])
    assert r_par.workers == 2 and r_seq.workers == 0
    assert _chunks(par) == _chunks(seq) and len(_chunks(par)) > POOL_MIN_FILES
    assert r_par.skipped == r_seq.skipped and len(r_par.skipped) == 1
    assert (r_par.chunks_embedded, r_par.tokens_embedded) == (r_seq.chunks_embedded, r_seq.tokens_embedded)
    emb = FakeEmbedder(max_tokens=max_tokens)
    assert all(emb.count_tokens(text) <= max_tokens for _, _, text in _chunks(par))


def test_ctrl_c_with_worker_processes_leaves_the_previous_index(settings: Settings, corpus: Path) -> None:
    from tests.test_retrieve_indexer import InterruptingEmbedder

    first = corpus / "d00.txt"
    Indexer(settings, FakeEmbedder()).update([first])
    pooled = dataclasses.replace(settings, index_workers=2, embed_batch=2)
    with pytest.raises(KeyboardInterrupt):
        Indexer(pooled, InterruptingEmbedder(after_batches=3)).update([corpus])
    with Store(settings.index_dir / STORE_FILE, readonly=True) as store:
        assert list(store.files()) == [str(first)] and store.generation == 1
    assert len(Indexer(pooled, FakeEmbedder()).update([corpus]).added) == POOL_MIN_FILES + 1  # lock released
