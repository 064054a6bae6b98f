"""Prompt templates: plain text files in `prompts/` with `{name}` placeholders.

Syntax is Python's `str.format` fields, restricted to bare names: `{question}`, `{passages}`.
Write a literal brace as `{{` or `}}`. Checks are strict, because a silently empty slot in a
prompt is a bug nobody sees: rendering without a value for a placeholder raises `PromptError`
naming the placeholder and the file, and so does a field that is not a bare name (`{0}`,
`{a.b}`, `{x!r}`, `{x:>5}`) or a malformed brace. Extra values are ignored, so callers can
offer every variable they have and each template picks what it needs.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.config import PROJECT_ROOT
from rag.errors import PromptError

DEFAULT_DIR = PROJECT_ROOT / "prompts"
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


def load_template(name: str, prompts_dir: Path | None = None) -> Template:
    """Read `<prompts_dir>/<name>.txt` (or `name` itself when it is a path to a file)."""
    folder = prompts_dir or DEFAULT_DIR
    path = Path(name) if Path(name).suffix else folder / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"Prompt template {path} does not exist. Restore it from the repository.") from None
    except OSError as e:
        raise PromptError(f"Cannot read prompt template {path}: {e.strerror}.") from None
    return Template(name=path.stem, path=path, text=text, fields=_fields(text, path))
