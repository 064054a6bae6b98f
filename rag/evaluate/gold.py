"""Gold Q&A sets: the JSONL format, loading with line-exact errors, and evidence matching.

One JSON object per line:

    {"id": "soc-01", "question": "...", "answers": ["11. maj", "den 11. maj"],
     "evidence": ["blev reformen Børnene Først vedtaget den 11. maj"], "answerable": true}

- `id` (string, unique), `question` (non-empty string) and `answerable` (true/false) are required.
- An answerable item needs at least one non-empty answer alias and one non-empty evidence quote.
- An unanswerable item has no answers and no evidence (the keys may be left out or be empty lists).
- Other keys (a note, tags, a source) are allowed and ignored.
- Blank lines and lines whose first non-blank character is `#` are skipped, so a gold file can
  carry comments; a `#` inside a JSON line is just text.

Relevance is decided by evidence text, not chunk ids, so a gold set survives re-chunking and
embedder swaps. A passage *matches* an evidence quote (both normalised by `normalize_text`) when

1. it contains the whole quote, or
2. a chunk boundary cut the quote, and the passage holds a piece of it of at least
   `max(MIN_PART_CHARS, PART_SHARE × len(quote))` characters: a prefix of the quote ending the
   passage, a suffix of the quote starting it, or the whole passage lying inside the quote.

Rule 2 keeps a long quote relevant when the chunker splits it across two chunks, while a passage
that merely shares a few words with the quote somewhere in its middle never counts.
"""

from __future__ import annotations

import difflib
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import GoldFormatError, InputError
from rag.evaluate.normalize import normalize_text

MIN_PART_CHARS = 40
PART_SHARE = 0.5


@dataclass(frozen=True)
class GoldItem:
    id: str
    question: str
    answers: tuple[str, ...]
    evidence: tuple[str, ...]
    answerable: bool

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "question": self.question, "answers": list(self.answers),
                "evidence": list(self.evidence), "answerable": self.answerable}


# -- loading ---------------------------------------------------------------------------------
def _strings(obj: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = obj.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GoldFormatError(f"{where}: '{key}' must be a list of strings, got {json.dumps(value)[:80]}.")
    return tuple(v.strip() for v in value if v.strip())


def parse_item(obj: Any, where: str) -> GoldItem:
    """Validate one decoded JSON object; `where` ("file:line") prefixes every error."""
    if not isinstance(obj, dict):
        raise GoldFormatError(f"{where}: expected a JSON object, got {type(obj).__name__}.")
    for key in ("id", "question", "answerable"):
        if key not in obj:
            raise GoldFormatError(f"{where}: missing field '{key}'.")
    item_id, question, answerable = obj["id"], obj["question"], obj["answerable"]
    if not isinstance(item_id, str) or not item_id.strip():
        raise GoldFormatError(f"{where}: 'id' must be a non-empty string, got {json.dumps(item_id)}.")
    if not isinstance(question, str) or not question.strip():
        raise GoldFormatError(f"{where}: 'question' must be a non-empty string.")
    if not isinstance(answerable, bool):
        raise GoldFormatError(f"{where}: 'answerable' must be true or false, got {json.dumps(answerable)}.")
    answers, evidence = _strings(obj, "answers", where), _strings(obj, "evidence", where)
    if answerable and not answers:
        raise GoldFormatError(f"{where}: answerable item {item_id!r} has no answers; add at least one alias.")
    if answerable and not evidence:
        raise GoldFormatError(f"{where}: answerable item {item_id!r} has no evidence; add a verbatim quote.")
    if not answerable and (answers or evidence):
        raise GoldFormatError(
            f"{where}: item {item_id!r} is unanswerable but has answers or evidence; "
            "empty them or set answerable to true."
        )
    return GoldItem(item_id.strip(), question.strip(), answers, evidence, answerable)


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read a gold JSONL file; any malformed line raises GoldFormatError naming file:line."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(f"Cannot read gold file {path}: {e.strerror}. Check the path.") from None
    if raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise GoldFormatError(f"{path} is a JSON array; rag reads JSONL, one object per line "
                              f"(convert it: jq -c '.[]' {path} > {path.with_suffix('.jsonl')}).")
    items: list[GoldItem] = []
    problems: list[str] = []  # every line's first problem, so one run shows what to fix
    first_line: dict[str, int] = {}
    for lineno, line_bytes in enumerate(raw.splitlines(), start=1):
        where = f"{path}:{lineno}"
        try:
            line = line_bytes.decode("utf-8-sig" if lineno == 1 else "utf-8").strip()
        except UnicodeDecodeError:
            problems.append(f"{where}: not valid UTF-8. Save the file as UTF-8.")
            continue
        if not line or line.startswith("#"):
            continue
        try:
            obj = json.loads(line)
            _check_keys(obj, where)
            item = parse_item(obj, where)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: invalid JSON ({e.msg} at column {e.colno}).")
            continue
        except GoldFormatError as e:
            problems.append(str(e))
            continue
        if item.id in first_line:
            problems.append(f"{where}: duplicate id {item.id!r} (first used on line {first_line[item.id]}).")
            continue
        first_line[item.id] = lineno
        items.append(item)
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = f"; and {len(problems) - MAX_PROBLEMS_SHOWN} more" if len(problems) > MAX_PROBLEMS_SHOWN else ""
        head = "" if len(problems) == 1 else f"{len(problems)} problems in {path}: "
        raise GoldFormatError(f"{head}{shown}{more}")
    if not items:
        raise GoldFormatError(f"{path}: contains no gold items. Add one JSON object per line.")
    return items


MAX_PROBLEMS_SHOWN = 20
_FIELDS = ("id", "question", "answers", "evidence", "answerable")


def _check_keys(obj: Any, where: str) -> None:
    """A key that is a misspelt field the line lacks ("Answerable", "evidense") is an error: left
    alone, the item would be read without it. Other extra keys ("note", "question_id") pass."""
    if not isinstance(obj, dict):
        return
    for key in obj:
        if key in _FIELDS:
            continue
        close = difflib.get_close_matches(key.lower(), _FIELDS, n=1, cutoff=0.75)
        if close and close[0] not in obj:  # "question_id" beside "id" is the user's own
            raise GoldFormatError(f"{where}: unknown field {key!r}; did you mean {close[0]!r}?")


def dump_gold(items: Iterable[GoldItem]) -> str:
    """The JSONL text for `items` (UTF-8, one object per line)."""
    return "".join(json.dumps(it.to_dict(), ensure_ascii=False) + "\n" for it in items)


def sample_items(items: Sequence[GoldItem], n: int, seed: int = 0) -> list[GoldItem]:
    """A reproducible random sample of n items, kept in file order (all items when n >= len)."""
    if n >= len(items):
        return list(items)
    keep = set(random.Random(seed).sample(range(len(items)), n))
    return [it for i, it in enumerate(items) if i in keep]


# -- evidence matching -----------------------------------------------------------------------
def _min_part(quote_len: int) -> int:
    return max(MIN_PART_CHARS, math.ceil(PART_SHARE * quote_len))


def _matches_normalized(quote: str, text: str) -> bool:
    if not quote:
        return False
    if quote in text:
        return True
    need = _min_part(len(quote))
    if len(quote) <= need or len(text) < need:
        return False
    if len(text) < len(quote) and text in quote:  # the passage lies wholly inside a long quote
        return True
    head, tail = quote[:need], quote[-need:]
    # a prefix of the quote ends the passage
    pos = text.find(head, max(0, len(text) - len(quote)))
    while pos != -1:
        if quote.startswith(text[pos:]):
            return True
        pos = text.find(head, pos + 1)
    # a suffix of the quote starts the passage
    end = text.rfind(tail, 0, len(quote))
    while end != -1:
        if quote.endswith(text[: end + need]):
            return True
        end = text.rfind(tail, 0, end + need - 1)
    return False


def evidence_in_text(evidence: str, text: str) -> bool:
    """True when `text` contains the evidence quote (normalised; see the module docstring)."""
    return _matches_normalized(normalize_text(evidence), normalize_text(text))


def matched_evidence(evidence: Sequence[str], text: str) -> frozenset[int]:
    """Indices of the evidence quotes that `text` matches: the input of the retrieval metrics."""
    t = normalize_text(text)
    return frozenset(i for i, q in enumerate(evidence) if _matches_normalized(normalize_text(q), t))


def missing_evidence(items: Iterable[GoldItem], texts: Iterable[str]) -> list[str]:
    """Ids of items with an evidence quote that no text matches (texts: chunk or document texts)."""
    normalized = [normalize_text(t) for t in texts]
    joined = "\n".join(normalized)
    missing = []
    for item in items:
        for quote in item.evidence:
            q = normalize_text(quote)
            if q in joined or any(_matches_normalized(q, t) for t in normalized):
                continue
            missing.append(item.id)
            break
    return missing
