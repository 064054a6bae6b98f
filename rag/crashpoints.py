"""Test-only crash points: `crash_point(name)` kills the process with SIGKILL when the
environment variable `RAG_TEST_CRASH_AT` names that point, and does nothing otherwise.

They mark the moments where a crash must leave a loadable index (tests/test_crash.py kills a
real `rag index` at each): the embedding transaction still open, just before its COMMIT, right
after it, and in the middle of writing each derived file. SIGKILL, not an exception: nothing
gets to clean up, as after a power cut or the OOM killer. Costs one dict lookup when unset.
"""

from __future__ import annotations

import os
import signal

ENV = "RAG_TEST_CRASH_AT"
POINTS = ("mid-transaction", "before-commit", "after-commit", "dense-tmp-written", "dense-written",
          "lexical-tmp-written")


def crash_point(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))
