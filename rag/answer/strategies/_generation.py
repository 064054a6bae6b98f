"""Shared by the model strategies: the prompt templates, building a prompt, streaming an answer,
and `Meter`, which adds up what every generation of one answer cost (time, prefill tokens),
whichever strategy's answer is kept: a base model's span that fails its checks before the quote
answers still took the model's time."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.answer.generators import GeneratorProxy
from rag.answer.prompts import Example, Template, load_examples, load_template, template_path
from rag.answer.strategies import OnToken
from rag.answer.verify import split_sentences
from rag.protocols import Generator, Prompt
from rag.types import Hit

# The completion prompt's few-shot answers are one line each: a base model that goes on past the
# line break is starting the next example.
COMPLETION_STOPS = ("\n",)
# A chat model is asked for a few words and a citation on one line: what follows a line break is
# commentary (and costs decode time on 2 cores).
CHAT_STOPS: tuple[str, ...] = ("\n",)
# Room for "a few words [n]" with slack; the whole-passage "generate" style keeps max_answer_tokens.
FOCUSED_MAX_TOKENS = 48
_LABEL = re.compile(r"^(?:svar|answer)\s*:\s*", re.IGNORECASE)
# ...and sometimes repeats the question instead of answering it: that is no answer.
_ECHOED_QUESTION = re.compile(r"^(?:spørgsmål|question)\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Templates:
    passage: Template
    completion: Template
    chat_system: Template
    chat_user: Template
    excerpt: Template  # a chat model's evidence-focused excerpt, fenced as quoted material
    examples: tuple[Example, ...] = ()  # worked examples a chat model sees as earlier turns

    @classmethod
    def load(cls, folder: Path) -> Templates:
        """The templates for `folder` (each the user's file there, else rag's own). Read again only
        when one of those files changes (path, size or modification time): `rag chat` and `rag eval`
        answer many questions, and an edited prompt still applies to the next one."""
        stamps = tuple((str(path), *_stamp(path)) for path in (template_path(n, folder) for n in _FILES))
        return _load(folder, stamps)


_FILES = ("passage", "completion", "chat_system", "chat_user", "excerpt", "chat_examples")


def _stamp(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (0, -1)  # missing: loading reports it
    return (st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _load(folder: Path, stamps: tuple[tuple[str, int, int], ...]) -> Templates:
    passage, completion, chat_system, chat_user, excerpt = (load_template(n, folder) for n in _FILES[:5])
    return Templates(passage, completion, chat_system, chat_user, excerpt, load_examples("chat_examples", folder))


def passage_title(hit: Hit) -> str:
    return hit.chunk.title or Path(hit.chunk.source).name


def build_prompt(question: str, passages: str, templates: Templates, refusal: str, chat: bool,
                 block: Template | None = None) -> Prompt:
    """The prompt for `question` over the rendered `passages`. A chat prompt is the system message,
    the worked examples as earlier turns (their excerpts rendered with `block`, the template the
    real passages were rendered with; no examples without it), then the question."""
    values = {"question": question, "passages": passages, "refusal": refusal}
    if chat:
        turns: list[dict[str, str]] = [{"role": "system", "content": templates.chat_system.render(**values)}]
        if block is not None:
            for ex in templates.examples:
                turns += _example_turns(ex, block, templates, values)
        turns.append({"role": "user", "content": templates.chat_user.render(**values)})
        return Prompt(messages=tuple(turns))
    # The file's final newline is dropped: the model must continue right after "Svar:".
    return Prompt(text=templates.completion.render(**values).rstrip("\n"), fixed=templates.completion.head)


def _example_turns(ex: Example, block: Template, templates: Templates, values: dict[str, str]) -> list[dict[str, str]]:
    shown = "\n\n".join(block.render(n=n, title=title, text=text) for n, title, text in ex.excerpts)
    asked = templates.chat_user.render(**{**values, "question": ex.question, "passages": shown})
    return [{"role": "user", "content": asked}, {"role": "assistant", "content": ex.answer}]


def prompt_tokens(prompt: Prompt, generator: Generator) -> int:
    if prompt.is_chat:  # role markers of the chat template are not counted here: leave them room
        return sum(generator.count_tokens(m["content"]) + 8 for m in prompt.messages)
    return generator.count_tokens(prompt.text)


class Meter(GeneratorProxy):
    """A Generator that passes everything to `inner` and adds up what its generations cost.

    `timings` after any number of `stream` calls: `ttft_s` of the first (what the user waited for
    first), `generate_s`, `prompt_tokens` and `prefill_tokens` summed over all of them (prefill:
    the tokens the model evaluated, the rest reused from its KV cache); empty before any."""

    def __init__(self, inner: Generator) -> None:
        super().__init__(inner)
        self.timings: dict[str, float] = {}

    def stream(self, prompt: Prompt, *, max_tokens: int, stop: Sequence[str] = (),
               temperature: float = 0.0) -> Iterator[str]:
        start = time.perf_counter()
        first: float | None = None
        done = False
        try:
            for piece in self.inner.stream(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature):
                if first is None:
                    first = time.perf_counter() - start
                yield piece
            done = True
        finally:
            spent = time.perf_counter() - start
            t = self.timings
            t.setdefault("ttft_s", spent if first is None else first)
            t["generate_s"] = t.get("generate_s", 0.0) + spent
            if done or first is not None:  # else the counts are still the previous generation's
                t["prompt_tokens"] = t.get("prompt_tokens", 0) + self.inner.last_prompt_tokens
                t["prefill_tokens"] = t.get("prefill_tokens", 0) + self.inner.last_prefill_tokens


_SENTENCE_END = re.compile(r"[.!?](?:\s*\[[^\]]*\])*\s*$|\[[^\]]*\]\s*[.!?]\s*$")


def cut_mid_sentence(text: str, cut_off: bool) -> bool:
    """The generator stopped at its token limit (`cut_off`) and `text` does not end a sentence: llama.cpp
    reports the limit even when the answer ended right on it ("Ivan Hansen er borgmester [1].")."""
    return cut_off and _SENTENCE_END.search(text) is None


def cut_back(text: str) -> str:
    """An answer cut off mid-sentence at its token limit, back to its last whole sentence ("Ivan
    Hansen er borgmester [1]. Han blev valgt i" → "Ivan Hansen er borgmester [1]."), or without its
    last, perhaps broken, word and marked as cut ("… tog mod ministeren på borgmest" → "… tog mod
    ministeren på …") when it has no sentence end; one word stays as it is."""
    whole = split_sentences(text)[:-1]
    if whole:
        return " ".join(whole)
    words = text.split()
    return " ".join(words[:-1]) + " …" if len(words) > 1 else text


def generate(generator: Generator, prompt: Prompt, *, max_tokens: int, temperature: float,
             on_token: OnToken | None) -> str:
    """The model's one-line answer to `prompt` (streamed to `on_token`), its label stripped."""
    pieces: list[str] = []
    for piece in generator.stream(prompt, max_tokens=max_tokens,
                                  stop=CHAT_STOPS if prompt.is_chat else COMPLETION_STOPS,
                                  temperature=temperature):
        pieces.append(piece)
        if on_token is not None:
            on_token(piece)
    # A chat model shown "Svar: …" examples sometimes echoes the label ("Svar: brækket arm [1]").
    said = "".join(pieces).strip()
    return "" if _ECHOED_QUESTION.match(said) else _LABEL.sub("", said)
