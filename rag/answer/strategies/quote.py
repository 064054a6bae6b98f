"""The quote strategy: the evidence's chosen sentence (with its continuation, `rag.answer.evidence.continuation`),
cited. Always grounded; never a model. A table row is read with its header when the passage holds
it ("Cykel – Forsikringssum: 15.000 kr., Selvrisiko: 1.500 kr.", `rag.answer.table.with_header`):
a bare row does not say what its figures are. A yes/no question's answer leads with "Ja"/"Nej" where
the sentence says it plainly (`rag.answer.verdict`): "Nej: Hunde er ikke tilladt på staldområdet. [1]"."""

from __future__ import annotations

from dataclasses import dataclass

from rag.answer.evidence import Evidence, continuation
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies import Draft, OnToken, verdict_of, with_verdict
from rag.answer.table import header_in, with_header
from rag.answer.verify import check_citations, language_of


@dataclass
class QuoteStrategy:
    policy: AnswerPolicy
    template: str = "extractive"  # "<model template>+extractive" when it stands in for a model's answer
    name: str = "quote"
    needs_generator: bool = False

    def draft(self, evidence: Evidence, *, on_token: OnToken | None = None) -> Draft | None:
        chosen = evidence.chosen or (evidence.best if not evidence.kind.checked or not self.policy.kind_check
                                     else None)
        if chosen is None:
            return None
        more = continuation(chosen, evidence.hits, self.policy, evidence.question)
        said = chosen.text
        if 1 <= chosen.n <= len(evidence.hits):
            header = header_in(said, evidence.hits[chosen.n - 1].chunk)
            said = with_header(said, header) if header is not None else said
        # each sentence cites: one citation grammar
        text = f"{said} [{chosen.n}]" + (f" {more} [{chosen.n}]" if more else "")
        checked = check_citations(text, evidence.hits, self.policy.support_min_overlap)
        if chosen is evidence.chosen:  # a yes/no question's plain answer leads
            checked = with_verdict(checked, verdict_of(evidence))
        return Draft(checked=checked, strategy=self.name, template=self.template,
                     language=language_of(checked.text), short=False)
