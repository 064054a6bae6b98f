"""Prompt templates: plain text files with `{name}` placeholders.

Where they come from: the defaults ship inside the package (`rag/prompts/*.txt`, package data, so
a wheel install can answer); that folder is their one source of truth. A user overrides any of
them by putting a file of the same name in `prompts_dir` (setting; default `prompts/` in the
working folder): each template is looked up there first, then in the package.

Syntax is Python's `str.format` fields, restricted to bare names: `{question}`, `{passages}`.
Write a literal brace as `{{` or `}}`. Checks are strict, because a silently empty slot in a
prompt is a bug nobody sees: rendering without a value for a placeholder raises `PromptError`
naming the placeholder and the file, and so does a field that is not a bare name (`{0}`,
`{a.b}`, `{x!r}`, `{x:>5}`) or a malformed brace. Extra values are ignored, so callers can
offer every variable they have and each template picks what it needs.

Worked examples (`chat_examples.txt`, `load_examples`) are not a template but data: a chat model
sees them as earlier turns of the conversation, rendered with the same templates as the real question.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import PromptError

PACKAGED_DIR = Path(__file__).resolve().parent.parent / "prompts"  # rag/prompts: the shipped defaults
DEFAULT_DIR = PACKAGED_DIR  # kept for callers that name the defaults
_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Template:
    name: str
    path: Path
    text: str
    fields: frozenset[str]

    def render(self, **values: Any) -> str:
        missing = sorted(self.fields - values.keys())
        if missing:
            raise PromptError(
                f"Prompt template {self.path} needs {{{missing[0]}}}, which was not supplied. "
                f"Supply it or remove the placeholder from the file."
            )
        return self.text.format(**values)

    @property
    def head(self) -> str:
        """The rendered text before the first placeholder, up to its last line break: the part every
        prompt made from this template shares ("" when a placeholder comes first)."""
        head = ""
        for literal, field, _, _ in _FORMATTER.parse(self.text):
            head += literal
            if field is not None:
                break
        return head[: head.rfind("\n") + 1]


def _fields(text: str, path: Path) -> frozenset[str]:
    names: set[str] = set()
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as e:
        raise PromptError(f"Prompt template {path} has a malformed brace ({e}). Write literal braces as {{{{ }}}}.") \
            from None
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            shown = field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
            raise PromptError(
                f"Prompt template {path} has an unknown placeholder {{{shown}}}: "
                "only plain names like {question} are allowed."
            )
        names.add(field)
    return frozenset(names)


def template_path(name: str, prompts_dir: Path | None = None) -> Path:
    """`name` itself when it is a path to a file; else `<prompts_dir>/<name>.txt` when that file
    exists (the user's override); else the packaged default `rag/prompts/<name>.txt`."""
    if Path(name).suffix:
        return Path(name)
    if prompts_dir is not None:
        override = Path(prompts_dir) / f"{name}.txt"
        if override.is_file():
            return override
    return PACKAGED_DIR / f"{name}.txt"


def load_template(name: str, prompts_dir: Path | None = None) -> Template:
    """Read the template `name` (see `template_path` for where it is looked up)."""
    path = template_path(name, prompts_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if Path(name).suffix:
            raise PromptError(f"Prompt template {path} does not exist. Check the path.") from None
        where = f"neither in {prompts_dir} nor" if prompts_dir is not None else "not"
        raise PromptError(
            f"Prompt template {name}.txt is {where} among rag's own prompts ({path.parent}). "
            "Check the name, or reinstall rag if its own prompts are missing."
        ) from None
    except OSError as e:
        raise PromptError(f"Cannot read prompt template {path}: {e.strerror}.") from None
    return Template(name=path.stem, path=path, text=text, fields=_fields(text, path))


@dataclass(frozen=True)
class Example:
    """One worked example: excerpts (passage number, title, text), a question and the answer to give."""

    excerpts: tuple[tuple[int, str, str], ...]
    question: str
    answer: str


_EXCERPT_LINE = re.compile(r"^\[(\d+)\]\s*([^:]+):\s*(.+)$")


def parse_examples(text: str, path: Path) -> tuple[Example, ...]:
    """The examples in `text` (format: see the comment at the top of `rag/prompts/chat_examples.txt`).

    A malformed example raises PromptError naming the file and the example's number; an empty file
    (or one of comments only) gives no examples, which is how a user turns them off.
    """
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        if line.strip() == "---":
            blocks.append([])
        elif line.strip():
            blocks[-1].append(line.strip())
    examples = []
    for i, block in enumerate((b for b in blocks if b), start=1):
        excerpts, question, answer = [], None, None
        for line in block:
            m = _EXCERPT_LINE.match(line)
            if line.startswith("Spørgsmål:"):
                question = line.partition(":")[2].strip()
            elif line.startswith("Svar:"):
                answer = line.partition(":")[2].strip()
            elif m:
                excerpts.append((int(m.group(1)), m.group(2).strip(), m.group(3).strip()))
            else:
                raise PromptError(f"Example {i} in {path} has a line that is neither an excerpt \"[n] Title: text\", "
                                  f"\"Spørgsmål: …\" nor \"Svar: …\": {line[:60]!r}. Fix or remove it.")
        if not (excerpts and question and answer):
            raise PromptError(f"Example {i} in {path} needs at least one excerpt, a \"Spørgsmål:\" "
                              "and a \"Svar:\" line.")
        examples.append(Example(tuple(excerpts), question, answer))
    return tuple(examples)


def load_examples(name: str, prompts_dir: Path | None = None) -> tuple[Example, ...]:
    """The worked examples in `name` (looked up like a template: the user's folder, then rag's own)."""
    path = template_path(name, prompts_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PromptError(f"Cannot read the examples file {path}: {e.strerror}. "
                          "Check the file, or reinstall rag if its own prompts are missing.") from None
    return parse_examples(text, path)
