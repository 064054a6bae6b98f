"""Import a SQuAD v1.1/v2.0 file as a corpus plus a gold set that `rag index` / `rag eval` can use.

`import_squad(src, out)` writes

- `out/docs/<article-slug>-<paragraph-no>.txt`: one UTF-8 file per paragraph (numbered from 001
  within its article). The first line is the article title (underscores as spaces), then a blank
  line, then the paragraph: real documents carry their titles, and many paragraphs never name
  their subject. Evidence is matched as text, so the title line shifts nothing.
- `out/gold.jsonl`: one item per question. Answers are the distinct non-empty answer texts
  (aliases). Evidence is the sentence, or run of sentences, of the paragraph that holds the first
  answer's span (split with `rag.ingest.sentences`). A v2.0 `is_impossible` question becomes
  `answerable: false` with no answers and no evidence (its "plausible answers" are dropped).

An answer whose `answer_start` does not point at its text (common in machine-translated sets) is
re-located at the nearest occurrence of its text in the paragraph; an answer whose text does not
occur at all is dropped, and a question left with no answer is skipped and counted in the report.
A structurally malformed file raises GoldFormatError naming the JSON path of the problem.

Writing is atomic: everything goes into a temporary sibling folder that replaces `out` only once
complete, so a failed import never leaves half a dataset. A non-empty `out` is replaced only with
`overwrite=True`, and only when it is an earlier import: a folder carrying the marker an import
writes (`.rag-import`) and nothing but what an import writes, plus the `index/` the command's "Next:"
line suggests (kept across the replace). A file, any other folder, and a folder holding the SQuAD
file itself are refused, so `--overwrite` can never delete what this command did not write.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.errors import GoldFormatError, InputError
from rag.evaluate.gold import GoldItem, dump_gold
from rag.ingest.sentences import split_sentences

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa", "ß": "ss"})


@dataclass
class ImportReport:
    out: Path
    version: str
    articles: int = 0
    paragraphs: int = 0
    answerable: int = 0
    unanswerable: int = 0
    skipped: list[str] = field(default_factory=list)  # ids of questions with no locatable answer

    @property
    def questions(self) -> int:
        return self.answerable + self.unanswerable

    def __str__(self) -> str:
        text = (
            f"Imported SQuAD {self.version}: {self.articles} articles, {self.paragraphs} passages → "
            f"{self.out / 'docs'}; {self.questions} questions ({self.answerable} answerable, "
            f"{self.unanswerable} unanswerable) → {self.out / 'gold.jsonl'}."
        )
        if self.skipped:
            text += f" Skipped {len(self.skipped)} questions whose answer is not in the passage."
        return text


def slugify(title: str) -> str:
    """A readable ASCII file-name stem: "Super_Bowl_50" → "super-bowl-50", "Ærø" → "aeroe"."""
    text = unicodedata.normalize("NFKD", title.translate(_DANISH))
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60].strip("-") or "article"


def _field(obj: Any, key: str, kind: type, where: str) -> Any:
    if not isinstance(obj, dict):
        raise GoldFormatError(f"{where}: expected a JSON object.")
    if key not in obj:
        raise GoldFormatError(f"{where}: missing '{key}'.")
    value = obj[key]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise GoldFormatError(f"{where}.{key}: expected {kind.__name__}, got {type(value).__name__}.")
    return value


def _locate(context: str, text: str, start: Any) -> int | None:
    """Where the answer text starts in the context: at `start` when it is right, else nearest to it."""
    if isinstance(start, int) and not isinstance(start, bool) and context[start:start + len(text)] == text:
        return start
    hits = [m.start() for m in re.finditer(re.escape(text), context)]
    if not hits:
        return None
    anchor = start if isinstance(start, int) else 0
    return min(hits, key=lambda h: abs(h - anchor))


def evidence_for(context: str, start: int, end: int) -> str:
    """The sentence, or run of sentences, of `context` that covers the span [start, end)."""
    spans = [(s, e) for s, e in split_sentences(context) if s < end and e > start]
    if not spans:
        return context[start:end]
    return context[spans[0][0]:spans[-1][1]]


def _question(qa: Any, context: str, where: str, report: ImportReport) -> GoldItem | None:
    qid = _field(qa, "id", str, where)
    question = _field(qa, "question", str, where).strip()
    if not question:
        raise GoldFormatError(f"{where}.question: empty question.")
    if qa.get("is_impossible") is True:
        return GoldItem(qid, question, (), (), False)
    answers = _field(qa, "answers", list, where)
    aliases: list[str] = []
    first_span: tuple[int, int] | None = None
    for j, ans in enumerate(answers):
        text = _field(ans, "text", str, f"{where}.answers[{j}]")
        if not text.strip():
            continue  # SQuAD-da pads missing annotations with {"text": "", "answer_start": -1}
        pos = _locate(context, text, ans.get("answer_start"))
        if pos is None:
            continue
        if first_span is None:
            first_span = (pos, pos + len(text))
        if text.strip() not in aliases:
            aliases.append(text.strip())
    if first_span is None:
        report.skipped.append(qid)
        return None
    return GoldItem(qid, question, tuple(aliases), (evidence_for(context, *first_span).strip(),), True)


def _read(src: Path) -> dict[str, Any]:
    try:
        data = json.loads(src.read_text(encoding="utf-8-sig"))
    except OSError as e:
        raise InputError(f"Cannot read {src}: {e.strerror}. Check the path.") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise GoldFormatError(f"{src}: not a SQuAD JSON file ({e}).") from None
    _field(data, "data", list, str(src))
    return data


def _build(data: dict[str, Any], src: Path, tmp: Path, report: ImportReport) -> None:
    docs = tmp / "docs"
    docs.mkdir()
    items: list[GoldItem] = []
    seen_ids: set[str] = set()
    used_slugs: set[str] = set()
    for a, article in enumerate(data["data"]):
        where_a = f"{src}: data[{a}]"
        title = _field(article, "title", str, where_a).replace("_", " ").strip()
        paragraphs = _field(article, "paragraphs", list, where_a)
        slug = base = slugify(title)
        n = 2
        while slug in used_slugs:
            slug, n = f"{base}-{n}", n + 1
        used_slugs.add(slug)
        report.articles += 1
        for p, para in enumerate(paragraphs):
            where_p = f"{where_a}.paragraphs[{p}]"
            context = _field(para, "context", str, where_p)
            (docs / f"{slug}-{p + 1:03d}.txt").write_text(f"{title}\n\n{context}\n", encoding="utf-8")
            report.paragraphs += 1
            for q, qa in enumerate(_field(para, "qas", list, where_p)):
                item = _question(qa, context, f"{where_p}.qas[{q}]", report)
                if item is None:
                    continue
                if item.id in seen_ids:
                    raise GoldFormatError(f"{where_p}.qas[{q}]: duplicate question id {item.id!r}.")
                seen_ids.add(item.id)
                items.append(item)
                if item.answerable:
                    report.answerable += 1
                else:
                    report.unanswerable += 1
    (tmp / "gold.jsonl").write_text(dump_gold(items), encoding="utf-8")


MARKER = ".rag-import"  # written by every import: only a folder holding it may be overwritten
_IMPORTED = ("docs", "gold.jsonl", MARKER)  # all that an import writes into --out
_KEPT = "index"  # the index the "Next:" hint builds inside --out: moved into the new import


def import_squad(src: str | Path, out: str | Path, *, overwrite: bool = False) -> ImportReport:
    """Convert SQuAD JSON at `src` into `out/docs/` and `out/gold.jsonl` (see the module docstring)."""
    src, out = Path(src), Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder. Choose a new or empty folder for --out.")
    if out.is_dir() and out.resolve() in (src.resolve(), *src.resolve().parents):
        raise InputError(f"--out {out} holds the SQuAD file {src}. Choose a new or empty folder for --out.")
    if out.is_dir() and any(out.iterdir()):
        if not overwrite:
            raise InputError(f"{out} is not empty. Choose another --out, or pass --overwrite to replace "
                             "an earlier import there.")
        others = sorted(p.name for p in out.iterdir() if p.name not in (*_IMPORTED, _KEPT))
        if others or not (out / MARKER).is_file():
            what = ", ".join(others[:3]) if others else f"no {MARKER} marker (it was not written by an import)"
            raise InputError(f"--overwrite replaces only an earlier import, but {out} holds {what}. Choose a new "
                             "or empty folder for --out.")
    data = _read(src)
    report = ImportReport(out=out, version=str(data.get("version", "unknown")))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        _build(data, src, tmp, report)
        (tmp / MARKER).write_text(json.dumps({"source": str(src.resolve()), "squad_version": report.version},
                                             ensure_ascii=False) + "\n", encoding="utf-8")
        moved = (out / _KEPT).is_dir()
        if moved:
            (out / _KEPT).rename(tmp / _KEPT)
        try:
            if out.exists():
                old = tmp.with_suffix(".old")
                out.rename(old)
                try:
                    tmp.rename(out)
                except BaseException:
                    old.rename(out)
                    raise
                shutil.rmtree(old)
            else:
                tmp.rename(out)
        except BaseException:  # the earlier import stands: its index goes back into it
            if moved and (tmp / _KEPT).is_dir() and out.is_dir() and not (out / _KEPT).exists():
                (tmp / _KEPT).rename(out / _KEPT)
            raise
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return report
