"""The index manifest: how an index was built, and whether the current settings may use it.

Recorded in the store on every commit: the embedder (id, spec, dimension, prefixes, max tokens),
what text is embedded per chunk, the chunker settings and tiktoken encoding, the version of file
reading that read every file it holds (`rag.ingest.loaders.READER`; `rag index` re-reads the files
an older one read), and the rag version.
A different embedder (or dimension) than the manifest's is refused for searching and indexing; a
different chunker is refused for indexing only (searching is unaffected by how chunks were cut).
An index remembers its embedder: `recorded_embedder` reads it, so that commands which name none
use the one the index was built with (`rag.cli` applies it when no flag, file or variable set one).
"""

from __future__ import annotations

import shlex
import sqlite3
from pathlib import Path
from typing import Any

from rag import __version__
from rag.config import Settings
from rag.errors import IndexMismatchError
from rag.ingest.loaders import READER
from rag.protocols import Embedder
from rag.retrieve.store import rebuild_hint

# What is embedded per chunk: the chunk text alone. Prefixing the document title ("contextual chunk
# headers") was measured on squad-da-dev (1,010 passages, 400 questions, title line in every file):
# dense hit@1 0.625 → 0.647, but hybrid (the default) unchanged at hit@1 0.700 / hit@5 0.915, and it
# shifts the cosine scale that refusal is calibrated on; so it is off. Recorded in the manifest so
# that changing it asks for a rebuild.
EMBED_TEXT = "text"


def manifest_for(settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """What an index records about how it was built (the store adds generation and timestamps)."""
    return {
        "embedder": embedder.id,
        "embedder_spec": getattr(embedder, "spec", embedder.id),
        "dim": int(embedder.dim),
        "max_tokens": int(embedder.max_tokens),
        "query_prefix": getattr(embedder, "query_prefix", None),
        "passage_prefix": getattr(embedder, "passage_prefix", None),
        "embed_text": EMBED_TEXT,
        "encoding": settings.encoding,
        "chunker": {"encoding": settings.encoding, "chunk_tokens": settings.chunk_tokens,
                    "overlap": settings.chunk_overlap},
        "reader": READER,
        "rag_version": __version__,
    }


def read_by(manifest: dict[str, Any]) -> int:
    """The version of file reading that read every file of an index (1 for one that predates the record)."""
    return int(manifest.get("reader") or 1) if manifest else READER


def check_manifest(old: dict[str, Any], new: dict[str, Any], index_dir: Path | str, *, chunker: bool) -> None:
    """IndexMismatchError when the index was built with another embedder (or chunker, for writes)."""
    if not old:
        return
    if (old.get("embedder"), old.get("dim")) != (new["embedder"], new["dim"]):
        spec = old.get("embedder_spec") or old.get("embedder")
        wanted = new.get("embedder_spec") or new["embedder"]
        if spec == wanted:  # the same name, another version of its package: passing it again won't help
            raise IndexMismatchError(
                f"The index at {index_dir} was built with {old.get('embedder')}; the installed one is "
                f"{new['embedder']} (another version). Run `{rebuild_hint(index_dir)}` to re-embed with it, "
                "or install the version the index was built with."
            )
        raise IndexMismatchError(
            f"The index at {index_dir} was built with the embedder {old.get('embedder')} "
            f"({old.get('dim')}-d), not {new['embedder']}. Pass --embedder {shlex.quote(str(spec))} (or set "
            f"embedder = \"{spec}\") to use it as built, or run "
            f"`{rebuild_hint(index_dir)} --embedder {shlex.quote(str(wanted))}` to re-embed it with the new one."
        )
    if old.get("embed_text", EMBED_TEXT) != new["embed_text"]:
        raise IndexMismatchError(
            f"The index at {index_dir} embeds chunks as {old.get('embed_text')!r}; this version embeds "
            f"{new['embed_text']!r}. Run `{rebuild_hint(index_dir)}`."
        )
    if chunker and old.get("chunker") != new["chunker"]:
        was, now = old.get("chunker") or {}, new["chunker"]
        raise IndexMismatchError(
            f"The index at {index_dir} was built with chunk_tokens = {was.get('chunk_tokens')}, "
            f"chunk_overlap = {was.get('overlap')}, encoding = \"{was.get('encoding')}\" (now "
            f"{now['chunk_tokens']}, {now['overlap']}, \"{now['encoding']}\"). Run `{rebuild_hint(index_dir)}` "
            "to re-chunk with the new settings (or set those values back)."
        )


def recorded_embedder(settings: Settings) -> str | None:
    """The embedder spec (as `--embedder` takes it) recorded by the folder index `settings` name, or
    None: no such index yet, a Milvus index, or a store that cannot be read now (the command that
    opens it reports why)."""
    spec = _recorded(settings, "embedder_spec")
    return spec if isinstance(spec, str) and spec.strip() else None


def recorded_embedder_id(settings: Settings) -> str | None:
    """The id (with its version) of the embedder the folder index `settings` name was built with, or
    None (as `recorded_embedder`): what its calibration is looked up by."""
    found = _recorded(settings, "embedder")
    return found if isinstance(found, str) and found.strip() else None


def _recorded(settings: Settings, key: str) -> object:
    from rag.errors import RagError
    from rag.retrieve.store import STORE_FILE, Store

    path = Path(settings.index_dir) / STORE_FILE
    if settings.index_uri.strip() or not path.is_file():
        return None
    try:
        with Store(path, readonly=True) as store:
            return store.manifest().get(key)
    except (RagError, OSError, sqlite3.Error):
        return None
