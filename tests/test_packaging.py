"""A wheel of rag installs into a fresh virtualenv and answers from a folder outside the repository.

No network: the wheel is built without build isolation (the test environment's setuptools), the
fresh venv sees the test environment's installed dependencies through a `.pth` line (not its
editable rag), and the wheel goes in with `--no-deps --no-index`.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT

QUESTION = "Hvem er borgmester i Sorø Kommune?"


def _run(*args: str | Path, cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_venv_and_answers_outside_the_repo(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "RAG_CONFIG", "VIRTUAL_ENV")
           and not k.startswith("RAG_")}
    env["RAG_DATA_DIR"] = str(tmp_path / "data")

    # Build from a copy of what the wheel is made of, so the checkout gets no build/ or egg-info.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, src / name)
    shutil.copytree(PROJECT_ROOT / "rag", src / "rag", ignore=shutil.ignore_patterns("__pycache__"))
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", tmp_path / "dist", src, cwd=tmp_path, env=env)
    wheel = next((tmp_path / "dist").glob("rag-*.whl"))
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert {"rag/prompts/passage.txt", "rag/prompts/completion.txt", "rag/prompts/chat_system.txt",
            "rag/prompts/chat_user.txt"} <= set(names)

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv, cwd=tmp_path, env=env)
    py = venv / "bin" / "python"
    venv_site = Path(_run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                          cwd=tmp_path, env=env).stdout.strip())
    (venv_site / "test-env-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    _run(py, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel, cwd=tmp_path, env=env)

    where = _run(py, "-c", "import rag; print(rag.__file__)", cwd=tmp_path, env=env).stdout.strip()
    assert where.startswith(str(venv)), where
    rag = venv / "bin" / "rag"
    version = _run(rag, "--version", cwd=tmp_path, env=env).stdout.strip()
    assert version.startswith("rag ") and version.split()[1][0].isdigit()

    work = tmp_path / "elsewhere"  # no seeds/, no prompts/, no rag.toml here
    docs = work / "docs"
    docs.mkdir(parents=True)
    for name in ("soroe-karen-haekkerup-besoeg.txt", "socialstyrelsen-boernene-foerst.txt"):
        shutil.copy(PROJECT_ROOT / "seeds" / name, docs / name)
    _run(rag, "index", "docs", "--index", "idx", cwd=work, env=env)
    answer = json.loads(_run(rag, "ask", QUESTION, "--index", "idx", "--json", cwd=work, env=env).stdout)
    assert not answer["refused"] and answer["citations"], answer
    assert "Ivan Hansen" in answer["answer"], answer["answer"]
    assert all(c["source"].startswith("docs") for c in answer["citations"])
    logged = json.loads(_run(rag, "log", "--json", "-n", "1", cwd=work, env=env).stdout)
    assert [e["question"] for e in logged] == [QUESTION]
