"""Runs every benchmark in turn: `make bench` (or `python bench/run.py index ask eval`)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ALL = ("index", "ask", "eval")


def main() -> None:
    sys.path.insert(0, str(HERE))
    for name in sys.argv[1:] or ALL:
        if name not in ALL:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(ALL)}")
        print(f"\n# bench/{name}_bench.py")
        runpy.run_path(str(HERE / f"{name}_bench.py"), run_name="__main__")


if __name__ == "__main__":
    main()
