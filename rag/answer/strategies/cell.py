"""The cell strategy: the table cell the question asks for, from the chosen row, copied. No model.

"hvad er selvrisikoen hvis min cykel bliver stjålet" over the row "Cykel | 15.000 kr. | 1.500 kr."
under "Dækning | Forsikringssum | Selvrisiko" answers "1.500 kr. [1]." instead of the bare row,
whose two amounts the reader cannot tell apart. Taken only when the chosen sentence is a table row
whose header is in the same passage and one column after the first names more of the question's
words than any other (`rag.answer.table.asked_column`), and, for a question whose kind is checked, the cell
holds that kind; otherwise None, and the next strategy answers. Not for a row of another weekday
than the one asked (the row quoted whole shows the day), nor for a question asking two things
(`rag.danish.asks_two_things`). Verbatim: the cell is a substring of the
cited passage.

Order (`rag.answer.answerer.strategies_for`): before the kind span for a base model (a row often
holds two amounts, which the kind span cannot choose between); after a chat model's answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.answer.evidence import Evidence
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies import Draft, OnToken, short_draft
from rag.answer.table import asked_column, cells, header_in
from rag.danish import asked_weekday, asks_two_things, holds_kind, names_other_weekday
from rag.ingest.loaders import EMPTY_CELL


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
        if column is None or asks_two_things(evidence.question):
            return None  # a question asking two things ("hvilke dage … og hvornår"): the row, quoted whole
        day = asked_weekday(evidence.question)
        if day is not None and names_other_weekday(chosen.text, day):
            return None  # another day's row ("Vandgymnastik | Torsdag | … | 720 kr." for "om mandagen"): quoted whole
        cell = cells(chosen.text)[column]
        if cell == EMPTY_CELL:
            return None  # the row leaves the asked column empty: the quote shows the row with its header
        if evidence.kind.checked and not holds_kind(cell, evidence.kind, evidence.question, heading=header[column]):
            return None
        return short_draft(cell, chosen.n, evidence, self.policy, strategy=self.name, template=self.template)
