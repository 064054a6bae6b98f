"""The generative strategy: a model reads the passages and answers in its own words, with citations.

Used for chat models in the "hybrid" style (strict: an answer that cites nothing, is not fully
supported, is not Danish or lacks the asked-for kind gives way to the quote) and for any model in
the "generate" style (lenient: the answer stands, unsupported sentences flagged). Passages are
packed whole, in rank order, into the model's context window (`rag.answer.context`).
A model that says it cannot answer refuses (`model_declined`); an answer that merely repeats
a phrase an instruction inside a passage asks for is not an answer (`echoed_instruction`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.answer.context import Packed, pack_passages
from rag.answer.evidence import Evidence
from rag.answer.gates import Refusal
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies import Draft, OnToken
from rag.answer.strategies._generation import Templates, build_prompt, generate, passage_title, prompt_tokens
from rag.answer.verify import echoes_instruction, language_of, model_declined, strip_citations, usable, verify
from rag.config import Settings
from rag.danish import holds_kind
from rag.protocols import Generator


@dataclass
class GenerativeStrategy:
    generator: Generator
    settings: Settings
    policy: AnswerPolicy
    templates: Templates
    strict: bool = True  # hybrid: give way to the quote unless the answer is verified
    name: str = "generative"
    needs_generator: bool = True

    def pack(self, evidence: Evidence) -> Packed:
        chat = self.generator.has_chat_template
        scaffold = build_prompt(evidence.question, "", self.templates, self.settings.refusal_text, chat)
        return pack_passages(
            evidence.hits,
            render=lambda n, h: self.templates.passage.render(n=n, title=passage_title(h), text=h.chunk.text),
            count_tokens=self.generator.count_tokens,
            context_tokens=self.generator.context_tokens,
            reserved_tokens=prompt_tokens(scaffold, self.generator) + self.settings.max_answer_tokens,
        )

    def draft(self, evidence: Evidence, *, on_token: OnToken | None = None) -> Draft | Refusal | None:
        chat = self.generator.has_chat_template
        template = "chat" if chat else "completion"
        packed = self.pack(evidence)
        prompt = build_prompt(evidence.question, packed.text, self.templates, self.settings.refusal_text, chat)
        timings: dict[str, float] = {}
        raw = generate(self.generator, prompt, max_tokens=self.settings.max_answer_tokens,
                       temperature=self.settings.temperature, on_token=on_token, timings=timings)
        if self.strict and not raw:
            return None
        if model_declined(raw):
            return Refusal("model_declined", f"the model said it cannot answer: {raw[:80]!r}")
        if echoes_instruction(raw, [h.chunk.text for h in packed.hits]):
            if self.strict:
                return None
            return Refusal("echoed_instruction", "the answer only repeats an instruction found in a passage")
        checked = verify(raw, packed.hits, self.policy.support_min_overlap)
        language = language_of(checked.text)
        if self.strict and not (
            usable(checked, language)
            and (not self.policy.kind_check or holds_kind(strip_citations(checked.text), evidence.kind,
                                                           evidence.question))
        ):
            return None
        words = len(strip_citations(checked.text).split())
        return Draft(checked=checked, strategy=self.name, template=template, language=language,
                     short=words <= 8, timings=timings)
