"""When to answer "Det kan jeg ikke finde i dokumenterne." instead.

Before generation, on retrieval (`refuse_on_retrieval`):
- no hits, or no passage whose query–passage cosine (`hit.scores["dense"]`, filled by the
  searcher in every mode) reaches `refusal_min_score` (`refuse_before_generation`, which the
  pipeline also uses to refuse without loading the model);
- a best cosine below `refusal_lexical_score` and no passage sentence holding at least
  `refusal_min_overlap` of the question's content words. Between the two cosines answerable and
  off-topic questions mix; the words tell them apart. On SQuAD-da v1 (200, seed 0) a single gate
  at 0.835 refused 7.5% of answerable questions, this pair 4% (held-out 400: 7.0% → 3.8%), while
  off-topic questions (SQuAD questions on the seeds index, seed questions on SQuAD's) were
  refused 247 of 266 times instead of 248.
Before generation, on the passages: the question asks for a number, a time or a year and no
top sentence holds one (`rag.answer.answerability`, setting `answer_type_check`).
After generation: the model itself says it cannot answer ("kan ikke finde", "I don't know",
an empty answer...).

Hits that carry no dense score at all (a retriever that is not ours) are not refused on score:
there is nothing comparable to hold against the threshold.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.answerability import question_overlap
from rag.config import Settings
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


def refuse_on_retrieval(question: str, hits: Sequence[Hit], settings: Settings) -> bool:
    """Retrieval found nothing relevant enough: too low a cosine, or a middling one without the words."""
    if refuse_before_generation(hits, settings.refusal_min_score):
        return True
    best = best_dense_score(hits)
    return (best is not None and best < settings.refusal_lexical_score
            and question_overlap(question, hits) < settings.refusal_min_overlap)


def model_declined(text: str) -> bool:
    """The generated answer says it cannot answer, or says nothing at all."""
    stripped = re.sub(r"\[[\d,\s]*\]", " ", text)
    return not _WORDISH.search(stripped) or _DECLINES.search(stripped) is not None
