"""The kind-span strategy: the one date, year or share the chosen sentence holds, copied. No model.

"Hvornår blev reformen vedtaget?" over "… derfor blev reformen Børnene Først vedtaget den 11. maj."
answers "11. maj [1]." instead of the whole sentence. Taken only when the question asks for a date,
a year or a share and the evidence's chosen sentence holds exactly one such expression that the
question does not already give (`rag.danish.sole_expression_of_kind`, with the measurements that
chose those kinds); any other case is None, and the next strategy answers. Deterministic and
verbatim: the span is a substring of the cited sentence, so it is grounded by construction.

Order (`rag.answer.answerer.strategies_for`): first for a base model (before the model's own span,
which costs a generation and is right less often for these kinds); after a chat model's answer,
which reads more sentences, and before the whole-sentence quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.evidence import Evidence
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies import Draft, OnToken, short_draft
from rag.danish import MONTH_PATTERN, TIME, sole_expression_of_kind, widen_time, with_recurrence

# An example: "Opsiger du for eksempel i løbet af marts, kører medlemskabet til og med den 30. april."
_EXAMPLE = re.compile(r"\b(?:for\s+eksempel|f\.\s*eks\.|fx|eksempelvis)\b", re.I)
_MONTH = re.compile(rf"\b(?:{MONTH_PATTERN})\b", re.I)


def _example_of_another_month(sentence: str, question: str) -> bool:
    """`sentence` gives an example and the question names a month it does not: the example's date is
    no answer for the asker's ("hvis jeg opsiger … d. 20 juni hvornaar er min sidste dag" was
    answered "30. april", eval/trial27 r29-04, written blind); the sentence is quoted whole."""
    if _EXAMPLE.search(sentence) is None:
        return False
    asked = {m.group(0).casefold() for m in _MONTH.finditer(question)}
    return bool(asked) and not asked & {m.group(0).casefold() for m in _MONTH.finditer(sentence)}


@dataclass
class KindSpanStrategy:
    policy: AnswerPolicy
    template: str = "extractive"  # "<model template>+extractive" when it stands in for a model's answer
    name: str = "kind_span"
    needs_generator: bool = False

    def draft(self, evidence: Evidence, *, on_token: OnToken | None = None) -> Draft | None:
        chosen = evidence.chosen
        if chosen is None:
            return None
        if _example_of_another_month(chosen.text, evidence.question):
            return None
        span = sole_expression_of_kind(chosen.text, evidence.kind, evidence.question)
        if span is None:
            return None
        span = with_recurrence(span, chosen.text)  # "hvert 4. år", not "4. år"
        if evidence.kind.kind == TIME:  # "Mandag 23. juni kl. 19.30", not "23. juni"; "7.–8. marts", not "8. marts"
            span = widen_time(span, [chosen.text], evidence.kind, evidence.question)
        return short_draft(span, chosen.n, evidence, self.policy, strategy=self.name, template=self.template)
