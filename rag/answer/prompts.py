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
"""

from __future__ import annotations

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
