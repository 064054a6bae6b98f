"""When to answer "Det kan jeg ikke finde i dokumenterne." instead.

Two gates. Before generation: no hits, or no passage whose query–passage cosine
(`hit.scores["dense"]`, filled by the searcher in every mode) reaches `refusal_min_score`.
After generation: the model itself says it cannot answer ("kan ikke finde", "I don't know",
an empty answer...).

Hits that carry no dense score at all (a retriever that is not ours) are not refused on score:
there is nothing comparable to hold against the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.types import Hit

_DECLINES = re.compile(
    r"kan(?:\s+jeg)?\s+ikke\s+(?:finde|svare|besvare)"
    r"|ikke\s+(?:nævnt\s+)?i\s+(?:dokumenterne|kilderne|teksten|passagerne)"
    r"|(?:dokumenterne|kilderne|teksten)\s+(?:siger|nævner|indeholder|oplyser)\s+ikke"
    r"|ingen\s+oplysninger\s+om|det\s+ved\s+jeg\s+ikke"
    r"|i\s+(?:do\s+not|don['’]t)\s+know|cannot\s+(?:find|answer)|can['’]t\s+(?:find|answer)"
    r"|not\s+(?:mentioned|found)\s+in\s+the|no\s+information",
    re.IGNORECASE,
)
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


def best_dense_score(hits: Sequence[Hit]) -> float | None:
    scores = [h.scores["dense"] for h in hits if "dense" in h.scores]
    return max(scores) if scores else None


def refuse_before_generation(hits: Sequence[Hit], min_score: float) -> bool:
    if not hits:
        return True
    best = best_dense_score(hits)
    return best is not None and best < min_score


def model_declined(text: str) -> bool:
    """The generated answer says it cannot answer, or says nothing at all."""
    stripped = re.sub(r"\[[\d,\s]*\]", " ", text)
    return not _WORDISH.search(stripped) or _DECLINES.search(stripped) is not None
