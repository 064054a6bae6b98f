"""answer_question: refusal gate → pack passages → answerability → prompt → stream → verify → Answer.

Refusal (`rag.answer.refusal`, `rag.answer.answerability`): retrieval too weak; no passage sentence
that holds what the question word asks for (a number for "hvor mange", a time for "hvornår"); or
the model declines. "The best sentence" below is the best-ranked sentence that holds that kind.

`settings.answer_style` picks how the answer is made:
- "generate": the model reads every packed passage; its citations are renumbered and checked,
  an answer without citations is attributed to the passage that supports it, unsupported
  sentences are flagged;
- "extractive": no generation; the passage sentence that best matches the question, cited;
- "hybrid" (default): like "generate", but the answer is replaced by the extractive sentence when
  it is empty, cites nothing, is not Danish or has an unsupported sentence. A base model (no
  chat template) reads only the best sentence (`FOCUS_SENTENCES`) and its short answer is kept
  only when copied verbatim from that sentence within `SPAN_WINDOW` words of the question's own
  words and, with `answer_type_check`, holding the asked-for kind itself; a 270M model mixes up
  who is who ("borgmester Ivan Hansen inviterede minister Karen Hækkerup"), and measured on seeds
  and SQuAD-da this gate keeps the quote's hit rate while making a tenth of the answers short.

Streaming: `on_token` receives the raw model text as it is generated (the model's own passage
numbers). The returned `Answer.text` is the final word: citations renumbered by first use and,
in hybrid mode, possibly the extractive fallback instead of what was streamed. A caller that
streamed should show `Answer.text` again when it differs from the streamed text.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rag.answer.answerability import choose_sentence, expected_type, has_expected
from rag.answer.citations import CITATION, Checked, check_citations, supported
from rag.answer.context import Packed, pack_passages
from rag.answer.extractive import best_sentence, distance_to_question, rank_sentences, sentence_with
from rag.answer.language import detect_language
from rag.answer.prompts import Template, load_template
from rag.answer.refusal import model_declined, refuse_on_retrieval
from rag.config import ANSWER_STYLES, Settings
from rag.errors import ConfigError
from rag.protocols import Generator, Prompt
from rag.types import Answer, Hit

STYLES = ANSWER_STYLES
# The completion prompt's few-shot answers are one line each: a base model that goes on past the
# line break is starting the next example.
COMPLETION_STOPS = ("\n",)
CHAT_STOPS: tuple[str, ...] = ()
FOCUS_SENTENCES = 1  # a base model in hybrid mode reads only the best sentence...
SPAN_WINDOW = 2  # ...and its answer is kept only within this many words of the question's words


@dataclass(frozen=True)
class _Templates:
    passage: Template
    completion: Template
    chat_system: Template
    chat_user: Template

    @classmethod
    def load(cls, folder: Path) -> _Templates:
        return cls(*(load_template(n, folder) for n in ("passage", "completion", "chat_system", "chat_user")))


def passage_title(hit: Hit) -> str:
    return hit.chunk.title or Path(hit.chunk.source).name


def build_prompt(question: str, packed: Packed, templates: _Templates, settings: Settings, chat: bool) -> Prompt:
    values = {"question": question, "passages": packed.text, "refusal": settings.refusal_text}
    if chat:
        return Prompt(messages=(
            {"role": "system", "content": templates.chat_system.render(**values)},
            {"role": "user", "content": templates.chat_user.render(**values)},
        ))
    # The file's final newline is dropped: the model must continue right after "Svar:".
    return Prompt(text=templates.completion.render(**values).rstrip("\n"))


def _prompt_tokens(prompt: Prompt, generator: Generator) -> int:
    if prompt.is_chat:  # role markers of the chat template are not counted here: leave them room
        return sum(generator.count_tokens(m["content"]) + 8 for m in prompt.messages)
    return generator.count_tokens(prompt.text)


def refused_answer(question: str, hits: Sequence[Hit], settings: Settings, *, model: str, template: str,
                   timings: dict[str, float] | None = None) -> Answer:
    """The honest "not in the documents" answer: fixed text, no citations."""
    return Answer(question=question, text=settings.refusal_text, refused=True, hits=tuple(hits),
                  model=model, language="da", is_danish=True, template=template,
                  timings=timings if timings is not None else {"ttft_s": 0.0, "generate_s": 0.0})


def _refused(question: str, hits: Sequence[Hit], settings: Settings, generator: Generator, template: str,
             timings: dict[str, float]) -> Answer:
    return refused_answer(question, hits, settings, model=generator.id, template=template, timings=timings)


def _extract(found: tuple[int, str] | None, packed: Packed, settings: Settings) -> Checked | None:
    if found is None:
        return None
    n, sentence = found
    return check_citations(f"{sentence} [{n}]", packed.hits, settings.support_min_overlap)


def _focus(question: str, packed: Packed, templates: _Templates, m: int, first: tuple[int, str]) -> Packed:
    """The packed passages cut down to `first` and the next best sentences, `m` in all, numbers kept."""
    chosen: dict[int, list[str]] = {first[0]: [first[1]]}
    others = [(n, s) for _, n, s in rank_sentences(question, packed.hits) if (n, s) != first]
    for n, sentence in others[:m - 1]:
        chosen.setdefault(n, []).append(sentence)
    blocks = []
    for n in sorted(chosen):
        hit = packed.hits[n - 1]
        text = " ".join(sorted(chosen[n], key=hit.chunk.text.find))  # reading order
        blocks.append(templates.passage.render(n=n, title=passage_title(hit), text=text))
    return Packed(hits=packed.hits, blocks=tuple(blocks), dropped=packed.dropped)


def _attribute(text: str, packed: Packed, settings: Settings) -> Checked:
    """Cite the best-ranked passage that supports an answer the model gave without citations."""
    needle = _normal(text.rstrip(" ."))
    supporting = [n for n, hit in enumerate(packed.hits, start=1)
                  if supported(text, [hit.chunk.text], settings.support_min_overlap)]
    verbatim = [n for n in supporting if needle and needle in _normal(packed.hits[n - 1].chunk.text)]
    if supporting:
        text = f"{text.rstrip(' .')} [{(verbatim or supporting)[0]}]."
    return check_citations(text, packed.hits, settings.support_min_overlap)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _next_to_question(question: str, checked: Checked) -> bool:
    """The answer is copied from a sentence of the passage it cites, right beside the question's words."""
    span = CITATION.sub(" ", checked.text).strip(" .")
    sentence = sentence_with(span, checked.citations[0].hit.chunk.text)
    distance = distance_to_question(question, span, sentence) if sentence else None
    return distance is not None and distance <= SPAN_WINDOW


def _usable(checked: Checked, language: str | None) -> bool:
    return bool(checked.text and checked.citations and not checked.unsupported and language in (None, "da"))


def _right_kind(question: str, checked: Checked, settings: Settings) -> bool:
    """A short answer to "hvor mange"/"hvornår" holds a number or a time (else quote the sentence)."""
    if not settings.answer_type_check:
        return True
    return has_expected(CITATION.sub(" ", checked.text), expected_type(question), question)


def _generate(generator: Generator, prompt: Prompt, settings: Settings, chat: bool,
              on_token: Callable[[str], None] | None, timings: dict[str, float]) -> str:
    pieces: list[str] = []
    start = time.perf_counter()
    for piece in generator.stream(prompt, max_tokens=settings.max_answer_tokens,
                                  stop=CHAT_STOPS if chat else COMPLETION_STOPS,
                                  temperature=settings.temperature):
        if not pieces:
            timings["ttft_s"] = time.perf_counter() - start
        pieces.append(piece)
        if on_token is not None:
            on_token(piece)
    timings["generate_s"] = time.perf_counter() - start
    return "".join(pieces).strip()


def answer_question(
    question: str,
    hits: Sequence[Hit],
    generator: Generator,
    settings: Settings,
    *,
    on_token: Callable[[str], None] | None = None,
) -> Answer:
    style = settings.answer_style
    if style not in STYLES:
        raise ConfigError(f"answer_style must be one of {', '.join(STYLES)}, got {style!r}.")
    chat = generator.has_chat_template
    template = "chat" if chat else "completion"
    timings = {"ttft_s": 0.0, "generate_s": 0.0}
    if refuse_on_retrieval(question, hits, settings):
        return _refused(question, hits, settings, generator, template, timings)

    templates = _Templates.load(settings.prompts_dir)
    scaffold = build_prompt(question, Packed((), (), 0), templates, settings, chat)
    packed = pack_passages(
        hits,
        render=lambda n, h: templates.passage.render(n=n, title=passage_title(h), text=h.chunk.text),
        count_tokens=generator.count_tokens,
        context_tokens=generator.context_tokens,
        reserved_tokens=_prompt_tokens(scaffold, generator) + settings.max_answer_tokens,
    )

    # The sentence to quote (and to show a base model): the best one that holds what the question
    # word asks for. None: no sentence fits, the documents do not answer this. The free "generate"
    # style is refused only for the missing kind, not for a question worded unlike the passages.
    found = choose_sentence(question, packed.hits, settings.answer_type_margin,
                            check_type=settings.answer_type_check)
    if found is None and (style != "generate" or best_sentence(question, packed.hits) is not None):
        return _refused(question, hits, settings, generator, template, timings)

    def extractive(label: str) -> Answer:
        quoted = _extract(found, packed, settings)
        if quoted is None:
            return _refused(question, hits, settings, generator, label, timings)
        return _final(question, hits, generator, quoted, label, timings, detect_language(quoted.text)[0])

    if style == "extractive":
        return extractive("extractive")

    # A base model in hybrid mode reads only the best sentence and copies a short answer from it.
    focused = style == "hybrid" and not chat
    shown = _focus(question, packed, templates, FOCUS_SENTENCES, found) if focused and found else packed
    raw = _generate(generator, build_prompt(question, shown, templates, settings, chat), settings, chat,
                    on_token, timings)
    if style == "hybrid" and not raw:
        return extractive(f"{template}+extractive")
    if model_declined(raw):
        return _refused(question, hits, settings, generator, template, timings)
    checked = check_citations(raw, packed.hits, settings.support_min_overlap)
    if not checked.citations and checked.text:
        checked = _attribute(checked.text, packed, settings)
    language, _ = detect_language(checked.text)
    if style == "hybrid" and not (
        _usable(checked, language) and _right_kind(question, checked, settings)
        and (not focused or _next_to_question(question, checked))
    ):
        return extractive(f"{template}+extractive")
    return _final(question, hits, generator, checked, template, timings, language)


def _final(question: str, hits: Sequence[Hit], generator: Generator, checked: Checked, template: str,
           timings: dict[str, float], language: str | None) -> Answer:
    return Answer(
        question=question, text=checked.text, refused=False, citations=checked.citations,
        unsupported=checked.unsupported, hits=tuple(hits), model=generator.id, language=language,
        is_danish=language in (None, "da"), template=template, timings=timings,
    )
