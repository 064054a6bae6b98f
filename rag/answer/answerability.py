"""Answerability: does the sentence we would answer with hold the kind of thing the question asks for?

The cosine gate in `rag.answer.refusal` only asks whether retrieval found something on the topic.
An on-topic question the documents cannot answer ("Hvor mange Familiehuse skal der etableres?")
still finds a close passage, and the extractive answer then quotes a sentence about Familiehuse
that holds no number at all. The Danish question word says what an answer must contain:

- "hvor mange", "hvor stor", "hvor gammel", "hvor længe" ... → a quantity: a number (not one the
  question already gives, not part of a date) or a number word. ("hvor meget" is left out: it
  asks for a degree as often as an amount, "fordelt over store områder");
- "hvor mange procent", "hvilken procentdel" → "procent" or "%";
- "hvornår", "hvilken dato/måned/dag", "hvilket århundrede/årti" → a time expression: a number,
  a month, a weekday, a season, "århundrede", "årti", "1970'erne";
- "hvilket år", "i hvilket år" → a year-like number (three or four digits).

The answer sentence is the one the extractive answer quotes, which is also the one a base model
in hybrid mode reads. `choose_sentence` takes the best-ranked sentence that holds the expected
kind, as long as it ranks within `margin` of the best sentence overall; when none does, the
question is refused. (Refusing whenever the single best sentence lacks it refused right answers a
slightly lower-ranked sentence held: "Hvornår besøgte Astrid Krag Ishøj?") "Hvem" (a name) and plain "hvor" (a place)
were measured and dropped: Danish writes "studerende", "offentligheden", "briterne" in lower case,
so a capitalised-word test refused right answers as often as it caught unanswerable questions.
Question-term coverage (a question word found in no retrieved passage) was measured too and
dropped: answerable questions paraphrase the passage about as often as unanswerable ones do.

`tests/test_answer_answerability.py` holds the examples; measurements are in the commit message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.citations import content_terms
from rag.answer.extractive import candidate_sentences, rank_sentences
from rag.types import Hit

NUMBER = "number"
PERCENT = "percent"
TIME = "time"
YEAR = "year"

_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
_WEEKDAYS = "mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag"
_NUMBER_WORDS = (
    "to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten"
    "|tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems|hundrede|hundreder|tusind|tusinder"
    "|million|millioner|milliard|milliarder|dusin|halvdelen|halvdel|tredjedel|fjerdedel|dobbelt|dobbelte"
    "|halvanden|halvandet|et\\s+par|en\\s+halv|et\\s+halvt|én|ét"
)

# Order matters: the first pattern that matches the question decides.
_EXPECTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (PERCENT, re.compile(r"\bprocent|\bprocentdel|%", re.I)),
    (YEAR, re.compile(r"\bhvilket\s+(?:år|årstal)\b", re.I)),
    (TIME, re.compile(
        r"\bhvornår\b|\bhvilken\s+(?:dato|måned|dag|ugedag|årstid)\b|\bhvilket\s+(?:århundrede|årti)\b",
        re.I)),
    (NUMBER, re.compile(
        r"\bhvor\s+(?:mange|stor[te]?|gammel|gamle|lang[te]?|længe|høj[te]?|tung[te]?|dyb[te]?|bred[te]?)\b"
        r"|\bhvilket\s+antal\b",
        re.I)),
)

_DIGITS = re.compile(r"(?<![^\W\d_])\d+(?:[.,]\d+)*")  # not glued to letters: "TV2", "O2" are names
# Numbers that are parts of dates, not quantities: "11. maj", "29. marts 2022", "maj 2022", "29.03.2022"
_DATE_PARTS = re.compile(
    rf"\b\d{{1,2}}\.?\s*(?:{_MONTHS})(?:\s+\d{{4}})?\b|\b(?:{_MONTHS})\s+\d{{4}}\b|\b\d{{1,2}}[-./]\d{{1,2}}[-./]\d{{2,4}}\b",
    re.I,
)
_QUANTITY_WORD = re.compile(rf"\b(?:{_NUMBER_WORDS})\b", re.I)
_PERCENT = re.compile(r"procent|%", re.I)
_YEAR = re.compile(r"(?<![\d.,])\d{3,4}(?!\d|[.,]\d)|\b\d{2,4}'?erne\b|\bår\s+\d{1,4}\b", re.I)
_TIME_WORD = re.compile(
    rf"\b(?:{_MONTHS}|{_WEEKDAYS})\b|århundrede|\bårti|\b\d{{2,4}}'?erne\b"
    r"|\b(?:forår|sommer|efterår|vinter|middelalder|oldtid|renæssance)\w*",
    re.I,
)


_INTERROGATIVE = re.compile(r"\bhv(?:ad|em|is|or|ornår|ilke[nt]?|ordan|orfor|orledes)\b", re.I)


def expected_type(question: str) -> str | None:
    """What the question word asks for: NUMBER, PERCENT, TIME, YEAR, or None (anything goes).

    The last question word governs: in "Da NASA ikke vidste, hvor mange forsøg der skulle til,
    hvad brugte de?" the question is "hvad", not "hvor mange". A relative "hvor" at the end
    ("byen, hvor han bor") then asks for nothing in particular: no check, no refusal.
    """
    found = list(_INTERROGATIVE.finditer(question))
    if not found:
        return None
    tail = question[found[-1].start():]
    for kind, pattern in _EXPECTS:
        if pattern.search(tail):
            return kind
    return None


def _new_numbers(text: str, question: str) -> list[str]:
    """Numbers in `text` that the question does not already contain."""
    given = {m.group(0) for m in _DIGITS.finditer(question)}
    return [m.group(0) for m in _DIGITS.finditer(text) if m.group(0) not in given]


def has_expected(sentence: str, kind: str | None, question: str = "") -> bool:
    """Whether `sentence` holds something of `kind` that the question does not already give."""
    if kind is None:
        return True
    if kind == PERCENT:
        return _PERCENT.search(sentence) is not None and bool(_new_numbers(sentence, question)
                                                                or _QUANTITY_WORD.search(sentence))
    if kind == NUMBER:
        undated = _DATE_PARTS.sub(" ", sentence)
        return bool(_new_numbers(undated, question)) or _QUANTITY_WORD.search(undated) is not None
    if kind == YEAR:
        given = {m.group(0) for m in _DIGITS.finditer(question)}
        return any(m.group(0) not in given for m in _YEAR.finditer(sentence))
    if kind == TIME:
        return bool(_new_numbers(sentence, question)) or _TIME_WORD.search(sentence) is not None
    raise ValueError(f"unknown answer type {kind!r}")


def choose_sentence(
    question: str, hits: Sequence[Hit], margin: float, *, check_type: bool = True
) -> tuple[int, str] | None:
    """(1-based passage number, sentence) to answer from, or None when no sentence will do.

    None when no sentence shares a content word with the question, or (with `check_type`) when
    the question asks for a kind of answer that no sentence ranked within `margin` of the best
    one holds. Without `check_type` this is simply the best-ranked sentence.
    """
    ranked = rank_sentences(question, hits)
    if not ranked or ranked[0][0] <= 0:
        return None
    kind = expected_type(question) if check_type else None
    for score, n, sentence in ranked:
        if score < ranked[0][0] - margin:
            return None
        if has_expected(sentence, kind, question):
            return n, sentence
    return None


def question_overlap(question: str, hits: Sequence[Hit]) -> float:
    """The largest share of the question's content words that one passage sentence holds (0..1)."""
    wanted = content_terms(question)  # question words ("hvem", "mange") are stop words already
    if not wanted:
        return 1.0  # nothing to look for: no evidence against the passages
    best = 0
    for hit in hits:
        for sentence in candidate_sentences(hit.chunk.text):
            best = max(best, len(content_terms(sentence) & wanted))
    return best / len(wanted)
