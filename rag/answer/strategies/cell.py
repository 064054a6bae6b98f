"""The cell strategy: the table cell the question asks for, from the chosen row, copied. No model.

"hvad er selvrisikoen hvis min cykel bliver stjålet" over the row "Cykel | 15.000 kr. | 1.500 kr."
under "Dækning | Forsikringssum | Selvrisiko" answers "1.500 kr. [1]." instead of the bare row,
whose two amounts the reader cannot tell apart. Taken only when the chosen sentence is a table row
whose header is in the same passage and one column after the first names more of the question's
words than any other (`rag.answer.table.asked_column`), and, for a question whose kind is checked, the cell
holds that kind; otherwise None, and the next strategy answers. Not for a row of another weekday
than the one asked (the row quoted whole shows the day), nor for a question asking two things
that the cell answers half of (`answers_both`). Verbatim: the cell is a substring of the
cited passage.

Order (`rag.answer.answerer.strategies_for`): before the kind span for a base model (a row often
holds two amounts, which the kind span cannot choose between); after a chat model's answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.evidence import Evidence, same_document
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies import Draft, OnToken, short_draft
from rag.answer.table import asked_column, cells, header_in
from rag.danish import (
    OTHER,
    TIME,
    WEEKDAY_PATTERN,
    asked_week,
    asked_weekday,
    classify_question,
    holds_kind,
    names_other_weekday,
    question_parts,
    weeks_in,
)
from rag.ingest.loaders import EMPTY_CELL

_CLOCK = re.compile(r"\bkl\.?\s*\d|\b\d{1,2}[.:]\d{2}\b", re.I)  # "kl. 19", "17.00-18.00"
_DAY = re.compile(rf"\b{WEEKDAY_PATTERN}\b|\b\d{{1,2}}\.\s*[^\W\d_]+", re.I)  # "Tirsdag", "14. marts"


def answers_both(cell: str, question: str, heading: str) -> bool:
    """Whether `cell` answers each part of a question asking two things (`rag.danish.question_parts`;
    True for one question): each part's kind, and for a day and a time asked both, a day and a clock
    ("Tirsdag kl. 17.00-18.00" for "hvilken dag og hvornår"; not "Onsdag", not "49 kr." for "hvilken
    dag kommer kassen og hvad koster fragten")."""
    parts = question_parts(question)
    if parts is None:
        return True
    kinds = [classify_question(p) for p in parts]
    if not all(k.kind == OTHER or holds_kind(cell, k, p, heading=heading) for k, p in zip(kinds, parts, strict=True)):
        return False
    if all(k.kind == TIME for k in kinds):
        return bool(_CLOCK.search(cell)) and bool(_DAY.search(cell))
    return True


def column_of_week(evidence: Evidence, header: list[str]) -> int | None:
    """For a question naming one week ("vi skal på ferie i uge 29 og har 2 katte") over a row whose
    columns name no asked word ("Antal katte | Lavsæson | Højsæson"): the one column whose first word
    a sentence of the row's document defines by weeks holding it ("Højsæson er uge 7, uge 27-32, uge
    42 samt …"; eval/trial26 r28-32, written blind, was answered with the low season's price). None
    when no week is asked, or not exactly one column is so defined."""
    week = asked_week(evidence.question)
    chosen = evidence.chosen
    if week is None or chosen is None:
        return None
    own = {h.chunk.source for h in same_document(evidence.hits, chosen.n)}
    said = [s.text for s in evidence.sentences if evidence.hits[s.n - 1].chunk.source in own]
    found = []
    for k in range(1, len(header)):
        word = header[k].split()[0] if header[k].split() else ""
        defines = re.compile(rf"\b{re.escape(word)}\s*(?:er|:|\(|omfatter|gælder)", re.I) if len(word) >= 4 else None
        if defines is not None and any(defines.search(t) and week in weeks_in(t) for t in said):
            found.append(k)
    return found[0] if len(found) == 1 else None


@dataclass
class CellStrategy:
    policy: AnswerPolicy
    template: str = "extractive"  # "<model template>+extractive" when it stands in for a model's answer
    name: str = "cell"
    needs_generator: bool = False

    def draft(self, evidence: Evidence, *, on_token: OnToken | None = None) -> Draft | None:
        chosen = evidence.chosen
        if chosen is None or not 1 <= chosen.n <= len(evidence.hits):
            return None
        header = header_in(chosen.text, evidence.hits[chosen.n - 1].chunk)
        if header is None or len(header) != len(cells(chosen.text)):
            return None
        column = asked_column(evidence.question, header, evidence.kind)
        if column is None:
            column = column_of_week(evidence, header)
        if column is None:
            return None
        day = asked_weekday(evidence.question)
        if day is not None and names_other_weekday(chosen.text, day):
            return None  # another day's row ("Vandgymnastik | Torsdag | … | 720 kr." for "om mandagen"): quoted whole
        cell = cells(chosen.text)[column]
        if cell == EMPTY_CELL:
            return None  # the row leaves the asked column empty: the quote shows the row with its header
        if evidence.kind.checked and not holds_kind(cell, evidence.kind, evidence.question, heading=header[column]):
            return None
        if not answers_both(cell, evidence.question, header[column]):
            return None  # "fredag og lørdag" for "hvilke dage … og hvornår": the row, quoted whole
        return short_draft(cell, chosen.n, evidence, self.policy, strategy=self.name, template=self.template)
