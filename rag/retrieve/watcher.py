"""Watching document folders for changes, for `rag index --watch`.

`changes(paths, index_dir)` yields, each time a burst of file-system events has settled, the set
of changed paths under `paths` that could matter to the index: files with a supported suffix and
deletions (a deleted folder has no suffix), never hidden files or anything inside the index
folder itself (its own writes would trigger it again). It uses watchfiles (Rust `notify`, with
its debounce), and stops when `stop_event` is set or on Ctrl-C. It leaves re-indexing to the
caller: the incremental indexer decides by content hash what really changed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path


def watch_roots(paths: Sequence[str | Path]) -> list[Path]:
    """The folders to watch for `paths`: folders as they are, files by their folder, nested ones
    dropped (a file's folder is watched whole, so new files there are seen too)."""
    folders = sorted({os.path.abspath(p if Path(p).is_dir() else Path(p).parent) for p in paths})
    out: list[str] = []
    for folder in folders:
        if not any(folder == o or folder.startswith(o.rstrip(os.sep) + os.sep) for o in out):
            out.append(folder)
    return [Path(f) for f in out]


def changes(paths: Sequence[Path], index_dir: Path, *, stop_event: threading.Event | None = None,
            debounce_ms: int = 1600) -> Iterator[set[str]]:
    import logging

    from watchfiles import Change, watch

    from rag.ingest.loaders import SUPPORTED_SUFFIXES

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # its "KeyboardInterrupt caught" notice

    roots = [os.path.abspath(p) for p in paths]
    index_abs = os.path.abspath(index_dir)

    def relevant(change: Change, path: str) -> bool:
        path = os.path.abspath(path)
        if path == index_abs or path.startswith(index_abs + os.sep):
            return False
        root = next((r for r in roots if path == r or path.startswith(r.rstrip(os.sep) + os.sep)), None)
        below = Path(os.path.relpath(path, root)).parts if root else Path(path).parts[-1:]
        if any(part.startswith(".") for part in below):
            return False
        return Path(path).suffix.lower() in SUPPORTED_SUFFIXES or change == Change.deleted

    for batch in watch(*paths, watch_filter=relevant, stop_event=stop_event, debounce=debounce_ms,
                       raise_interrupt=False):
        yield {path for _, path in batch}
