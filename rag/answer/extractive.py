"""Extractive answering: find the passage sentence that best answers the question.

A 270M model often answers fluently and wrongly; a sentence copied from a passage is always
grounded. Sentences are scored by the share of the question's content words (Danish stems) they
contain, with a small bonus for what the question word asks for (a date for "hvornår", a number
for "hvor mange", a name for "hvem") and a small penalty for lower-ranked passages.

`distance_to_question` is the check the hybrid style puts on a model's short answer: it is kept
only when it stands right next to the question's own words in its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.citations import content_terms, split_sentences
from rag.types import Hit

_QUESTION_WORDS = {"hvem", "hvornår", "hvilken", "hvilket", "hvilke", "hvordan", "hvorfor", "mange", "hvad", "hvor"}
_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
_DATE = re.compile(rf"\b\d{{1,2}}\.\s*(?:{_MONTHS})\b|\b(?:1[5-9]|20)\d\d\b|\b\d{{1,2}}-\d{{1,2}}-\d{{4}}\b", re.I)
_NUMBER = re.compile(r"\d")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-ZÆØÅ][a-zæøå]+\s+[A-ZÆØÅ][a-zæøå]+")
_SURFACE = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_MIN_WORDS, _MAX_WORDS = 4, 60


def _expects(question: str) -> re.Pattern[str] | None:
    q = question.strip().lower()
    if q.startswith("hvornår") or "hvilket år" in q or "hvilken dato" in q:
        return _DATE
    if q.startswith("hvor mange") or q.startswith("hvor meget") or "hvor stor" in q:
        return _NUMBER
    if q.startswith("hvem"):
        return _NAME
    return None


def _question_terms(question: str) -> set[str]:
    return content_terms(question) - _QUESTION_WORDS


def candidate_sentences(text: str) -> list[str]:
    """Sentences of a passage that are long enough to answer and short enough to quote."""
    return [s for s in split_sentences(text) if _MIN_WORDS <= len(s.split()) <= _MAX_WORDS]


def rank_sentences(question: str, hits: Sequence[Hit]) -> list[tuple[float, int, str]]:
    """(score, 1-based passage number, sentence) for every candidate sentence, best first."""
    q_terms = _question_terms(question)
    wanted = _expects(question)
    ranked: list[tuple[float, int, str]] = []
    for n, hit in enumerate(hits, start=1):
        for sentence in candidate_sentences(hit.chunk.text):
            score = len(content_terms(sentence) & q_terms) / max(1, len(q_terms))
            if wanted is not None and wanted.search(sentence):
                score += 0.15
            ranked.append((score - 0.02 * (n - 1), n, sentence))
    ranked.sort(key=lambda r: -r[0])  # stable: ties keep rank and reading order
    return ranked


def best_sentence(question: str, hits: Sequence[Hit]) -> tuple[int, str] | None:
    """(1-based passage number, sentence) of the best-matching sentence, or None if none overlaps."""
    ranked = rank_sentences(question, hits)
    if not ranked or ranked[0][0] <= 0:
        return None
    return ranked[0][1], ranked[0][2]


def sentence_with(span: str, text: str) -> str | None:
    """The sentence of `text` that contains `span` (case and spacing ignored), if any."""
    needle = " ".join(span.casefold().split())
    for sentence in candidate_sentences(text):
        if needle and needle in " ".join(sentence.casefold().split()):
            return sentence
    return None


def distance_to_question(question: str, span: str, sentence: str) -> int | None:
    """Words between `span` and the nearest question word in `sentence`; None if either is absent.

    A short answer right next to what the question asks about ("borgmester Ivan Hansen") is far
    more often right than a name at the other end of the sentence: small models mix up the roles.
    """
    words = [w.casefold() for w in _SURFACE.findall(sentence)]
    needle = [w.casefold() for w in _SURFACE.findall(span)]
    q_terms = _question_terms(question) - content_terms(span)
    if not needle or not q_terms:
        return None
    starts = [i for i in range(len(words) - len(needle) + 1) if words[i:i + len(needle)] == needle]
    if not starts:
        return None
    start, end = starts[0], starts[0] + len(needle) - 1
    near = [i for i, w in enumerate(words) if (i < start or i > end) and content_terms(w) & q_terms]
    if not near:
        return None
    return min(start - i if i < start else i - end for i in near)
