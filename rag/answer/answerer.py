"""The answering flow: evidence → gates → strategies → Answer.

`answer(question, hits, settings, policy=…, generator=…)` builds the Evidence once
(`rag.answer.evidence`), runs the gates (`rag.answer.gates`: each refuses with a reason or
passes), and only then — when some strategy needs one — loads the generator and tries the
strategies in order (`rag.answer.strategies`). The first Draft becomes the Answer; a strategy's
Refusal (the model declined) refuses. `Answer.strategy` names what answered and
`Answer.refusal_gate`/`refusal_reason` what refused and why.

`generator` is a zero-argument callable, so refusing on the evidence never loads a model;
`check_model` (called only then) still reports a missing or broken model file on the spot.

Streaming: `on_token` receives the raw model text as it is generated (the model's own passage
numbers). `Answer.text` is the final word: citations renumbered by first use and possibly the
quote instead of what was streamed. A caller that streamed shows `Answer.text` again when it differs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rag.answer.evidence import Evidence, build_evidence
from rag.answer.gates import Gate, Refusal, default_gates, first_refusal
from rag.answer.policy import AnswerPolicy, policy_from_settings
from rag.answer.similarity import Similarity
from rag.answer.strategies import Draft, OnToken, Strategy
from rag.answer.strategies._generation import Meter, Templates
from rag.answer.strategies.cell import CellStrategy
from rag.answer.strategies.generative import GenerativeStrategy
from rag.answer.strategies.kind_span import KindSpanStrategy
from rag.answer.strategies.quote import QuoteStrategy
from rag.answer.strategies.span import SpanStrategy
from rag.config import ANSWER_STYLES, Settings
from rag.errors import ConfigError
from rag.protocols import Generator
from rag.types import Answer, Hit

STYLES = ANSWER_STYLES


def strategies_for(style: str, generator: Generator, settings: Settings, policy: AnswerPolicy) -> list[Strategy]:
    """The strategies an answer style tries, in order (see `rag.answer.strategies`)."""
    if style == "extractive":
        return [QuoteStrategy(policy)]
    templates = Templates.load(settings.prompts_dir)
    chat = generator.has_chat_template
    if style == "generate":
        return [GenerativeStrategy(generator, settings, policy, templates, strict=False, focused=False)]
    stand_in = ("chat" if chat else "completion") + "+extractive"  # a strategy answering instead of the model
    if chat:
        return [GenerativeStrategy(generator, settings, policy, templates, strict=True, focused=True),
                CellStrategy(policy, template=stand_in), KindSpanStrategy(policy, template=stand_in),
                QuoteStrategy(policy, template=stand_in)]
    return [CellStrategy(policy, template=stand_in), KindSpanStrategy(policy, template=stand_in),
            SpanStrategy(generator, settings, policy, templates), QuoteStrategy(policy, template=stand_in)]


def refused_answer(question: str, hits: Sequence[Hit], settings: Settings, *, model: str, template: str,
                   refusal: Refusal | None = None, timings: dict[str, float] | None = None) -> Answer:
    """The honest "not in the documents" answer: fixed text, no citations."""
    return Answer(question=question, text=settings.refusal_text, refused=True, hits=tuple(hits),
                  model=model, language="da", is_danish=True, template=template,
                  timings=timings if timings is not None else {},
                  refusal_gate=refusal.gate if refusal else None,
                  refusal_reason=refusal.reason if refusal else None)


def _from_draft(question: str, evidence: Evidence, draft: Draft, model: str, timings: dict[str, float]) -> Answer:
    checked = draft.checked
    return Answer(
        question=question, text=checked.text, refused=False, citations=checked.citations,
        unsupported=checked.unsupported, hits=evidence.hits, model=model, language=draft.language,
        is_danish=draft.language in (None, "da"), template=draft.template, timings=timings,
        strategy=draft.strategy, short=draft.short,
    )


def check_model_file(settings: Settings) -> str:
    """The id of the model file `settings.model` names (as the loaded generator's `id` reads it, so a
    refusal and an answer name one model alike), or ModelError now when there is no usable file.
    Without loading it."""
    from rag.answer.generators import check_gguf, file_id, model_path

    path = model_path(settings)
    check_gguf(path)
    return file_id(path)


def answer(
    question: str,
    hits: Sequence[Hit],
    settings: Settings,
    *,
    generator: Callable[[], Generator],
    policy: AnswerPolicy | None = None,
    extra_gates: Sequence[Gate] = (),
    check_model: Callable[[], str | None] | None = None,
    model_name: str | None = None,
    on_token: OnToken | None = None,
    similarity: Similarity | None = None,
) -> Answer:
    style = settings.answer_style
    if style not in STYLES:
        raise ConfigError(f"answer_style must be one of {', '.join(STYLES)}, got {style!r}.")
    policy = policy or policy_from_settings(settings)
    evidence = build_evidence(question, hits, policy, similarity=similarity)
    timings: dict[str, float] = {}  # stages that ran: a refusal before any model reports none

    refusal = first_refusal(default_gates(policy, style=style, extra=extra_gates), evidence)
    if refusal is not None:
        # a missing --model is reported now, not on the user's next question; its id names the model
        checked = check_model() if check_model is not None else None
        return refused_answer(question, hits, settings, model=model_name or checked or settings.model,
                              template="none", refusal=refusal, timings=timings)

    loaded = Meter(generator()) if style != "extractive" else None
    model = loaded.id if loaded is not None else (model_name or settings.model)
    template = "none"
    if loaded is not None:
        template = "chat" if loaded.has_chat_template else "completion"
    result: Draft | Refusal | None = None
    for strategy in strategies_for(style, loaded, settings, policy):  # type: ignore[arg-type]
        result = strategy.draft(evidence, on_token=on_token)
        if result is not None:
            break
        template = getattr(strategy, "template", template)
    # every generation counts, also one whose answer gave way to the next strategy
    spent = {**timings, **loaded.timings} if loaded is not None else timings
    if isinstance(result, Draft):
        return _from_draft(question, evidence, result, model, spent)
    return refused_answer(question, hits, settings, model=model, template=template, timings=spent,
                          refusal=result or Refusal("no_answer", "no strategy produced a verified answer"))


def answer_question(
    question: str,
    hits: Sequence[Hit],
    generator: Generator,
    settings: Settings,
    *,
    policy: AnswerPolicy | None = None,
    on_token: OnToken | None = None,
) -> Answer:
    """`answer` with a generator already loaded (tests, and callers that hold one)."""
    return answer(question, hits, settings, generator=lambda: generator, policy=policy, on_token=on_token,
                  model_name=generator.id)
