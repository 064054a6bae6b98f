"""Strategies: ways to turn Evidence into a verified draft answer, tried in order.

One `Strategy` protocol (`draft(evidence) -> Draft | Refusal | None`): a Draft is a verified
answer; a Refusal means the strategy has positive evidence the documents cannot answer (the
model declined, or only echoed an instruction found in a passage); None means "nothing good
enough from me, try the next one".

- `quote` (`rag.answer.strategies.quote`): the chosen evidence sentence, cited (a table row with
  its header). No model.
- `cell` (`rag.answer.strategies.cell`): the table cell the question names, from the chosen row. No model.
- `kind_span` (`rag.answer.strategies.kind_span`): the one date, year or share the chosen sentence
  holds, when the question asks for one. No model.
- `span` (`rag.answer.strategies.span`): a base model reads the chosen sentence and copies a
  short answer from it; kept only when verbatim, of the asked-for kind and next to the question's words.
- `generative` (`rag.answer.strategies.generative`): a chat model reads the best sentences of each
  passage (evidence-focused context) and answers in its own words with citations. Its answer is
  recorded as `reread` when the model was asked again from the chosen sentence alone, because its
  first answer came from a sentence the ranker rated far below that one.

`strategies_for(style, chat)` gives the order for an answer style: "extractive" → quote;
"hybrid" → cell, kind_span then span (base model), or generative then cell and kind_span (chat
model), then quote; "generate" → generative alone, its answer kept whatever its verification says (unsupported
sentences are flagged).
For a chat model `kind_span` comes after the model, not before: on the 20 of the SQuAD-da v1
200-question sample where it applies, Qwen2.5-Coder-1.5B's answers scored token F1 .648 and the
span .650 (a tie; read on the evaluation sample itself), and the model's answer is the better
read where the chosen sentence is the wrong one. It would save the model call (~15 s on 2 cores)
on those questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rag.answer.verify import Checked

if TYPE_CHECKING:
    from rag.answer.evidence import Evidence
    from rag.answer.gates import Refusal
    from rag.answer.policy import AnswerPolicy

OnToken = Callable[[str], None]


@dataclass(frozen=True)
class Draft:
    checked: Checked  # renumbered, support-checked text and its citations
    strategy: str  # "quote", "cell", "kind_span", "span", "generative", "reread"
    template: str  # the prompt template used ("completion", "chat", "extractive")
    language: str | None = None
    short: bool = False  # a short span rather than a whole sentence


def verdict_of(evidence: Evidence) -> str | None:
    """"Ja" or "Nej" for a yes/no question, as the chosen sentence says it plainly
    (`rag.answer.verdict`), read with its document's title, file name and the heading above it."""
    from pathlib import Path

    from rag.answer.evidence import heading_above
    from rag.answer.verdict import verdict

    chosen = evidence.chosen
    if chosen is None or not 1 <= chosen.n <= len(evidence.hits):
        return None
    chunk = evidence.hits[chosen.n - 1].chunk
    about = f"{chunk.title or ''} {Path(chunk.source).stem} {heading_above(chosen, evidence.hits)}"
    return verdict(evidence.question, chosen.text, about)


def with_verdict(checked: Checked, told: str | None) -> Checked:
    """`checked` led by the verdict ("Nej: …"), which is read off its sentence, not claimed from a
    passage, so the support check has already run without it."""
    import dataclasses

    return dataclasses.replace(checked, text=f"{told}: {checked.text}") if told else checked


def short_draft(span: str, n: int, evidence: Evidence, policy: AnswerPolicy, *, strategy: str,
                template: str) -> Draft | None:
    """`span`, a few words copied from passage `n`, cited as the answer ("1.500 kr. [1]."): a short
    Draft when the citation checks hold it supported, else None (the next strategy answers). A yes/no
    question's verdict leads it when the chosen sentence, which the span is from, says it plainly
    ("Nej: kl. 10-13 [1]." for "har de åbent en lørdag kl 14")."""
    from rag.answer.verify import check_citations, language_of

    checked = check_citations(f"{span} [{n}].", evidence.hits, policy.support_min_overlap)
    if not checked.citations or checked.unsupported:
        return None
    told = verdict_of(evidence) if evidence.chosen is not None and evidence.chosen.n == n else None
    checked = with_verdict(checked, told)
    return Draft(checked=checked, strategy=strategy, template=template, language=language_of(checked.text),
                 short=True)


@runtime_checkable
class Strategy(Protocol):
    name: str
    needs_generator: bool

    def draft(self, evidence: Evidence, *, on_token: OnToken | None = None) -> Draft | Refusal | None: ...
