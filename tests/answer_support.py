"""Hand-made hits from the seed documents, for the answering tests."""

from __future__ import annotations

from rag.config import PROJECT_ROOT
from rag.types import Chunk, Hit

SEEDS = PROJECT_ROOT / "seeds"


def make_hit(text: str, *, source: str = "doc.txt", rank: int = 1, dense: float | None = 0.9) -> Hit:
    chunk = Chunk(source=source, start=0, end=len(text), text=text, title=None)
    scores = {} if dense is None else {"dense": dense}
    return Hit(chunk=chunk, score=dense or 0.0, rank=rank, scores=scores)


def seed_hit(name: str, needle: str, *, rank: int = 1, dense: float = 0.88, width: int = 600) -> Hit:
    """The paragraph-sized span of seeds/<name> around `needle`, as a Hit with real offsets."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    at = text.index(needle)
    start = max(0, text.rfind("\n\n", 0, at) + 2)
    end = min(len(text), start + width)
    chunk = Chunk(source=f"seeds/{name}", start=start, end=end, text=text[start:end])
    return Hit(chunk=chunk, score=dense, rank=rank, scores={"dense": dense})
