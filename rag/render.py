"""Presentation for the CLI: rich tables, live streaming, progress bars and JSON shapes.

Part of the command-line layer: only `rag.cli` imports it. The JSON builders are pure functions
(tested directly); the printers write to the terminal through one rich Console per stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from rag.config import Settings
from rag.types import Answer, Hit

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
# Word-wrap for people; unwrapped lines when piped, so output stays greppable.
out.soft_wrap = not out.is_terminal
err.soft_wrap = not err.is_terminal

EXCERPT_CHARS = 220


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def excerpt_around(text: str, focus: str, limit: int = EXCERPT_CHARS) -> str:
    """The passage's sentence sharing most words with `focus` (the answer), so the excerpt shows
    the evidence rather than the passage's first line."""
    from rag.ingest.sentences import split_sentences

    words = {w for w in focus.lower().split() if len(w) > 2}
    spans = split_sentences(text)
    if not words or not spans:
        return excerpt(text, limit)
    start, _ = max(spans, key=lambda sp: len(words & set(text[sp[0]:sp[1]].lower().split())))
    shown = excerpt(text[start:], limit)
    return ("…" + shown) if start > 0 else shown


# -- progress ----------------------------------------------------------------------------------
@contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """Yields a `progress(what, done, total)` callback drawing one bar per stage on stderr."""
    if not enabled or not err.is_terminal:
        yield lambda what, done, total: None
        return
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        yield update


# -- index -------------------------------------------------------------------------------------
def index_report_json(report: Any, settings: Settings) -> dict[str, Any]:
    return {
        "index": str(settings.index_dir),
        "added": list(report.added),
        "updated": list(report.updated),
        "removed": list(report.removed),
        "unchanged": list(report.unchanged),
        "skipped": [{"source": s, "reason": r} for s, r in report.skipped],
        "chunks_embedded": report.chunks_embedded,
        "chunks_total": report.chunks_total,
        "files_total": report.files_total,
        "seconds": round(report.seconds, 3),
    }


def index_report_text(report: Any, settings: Settings) -> str:
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
             f"{len(report.removed)} removed", f"{len(report.unchanged)} unchanged"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    lines = [f"Index {settings.index_dir}: " + ", ".join(parts) + "."]
    for label, names in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        lines += [f"  {label}: {name}" for name in names]
    lines.append(
        f"{report.chunks_embedded} chunks embedded; {report.chunks_total} chunks from "
        f"{report.files_total} files in the index ({report.seconds:.1f} s)."
    )
    return "\n".join(lines)


# -- search ------------------------------------------------------------------------------------
def hit_json(hit: Hit) -> dict[str, Any]:
    c = hit.chunk
    return {
        "rank": hit.rank,
        "score": round(float(hit.score), 6),
        "source": c.source,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "title": c.title,
        "legs": dict(hit.legs),
        "scores": {k: round(float(v), 6) for k, v in hit.scores.items()},
    }


def search_json(query: str, hits: Sequence[Hit], settings: Settings) -> dict[str, Any]:
    return {"query": query, "mode": settings.mode, "hits": [hit_json(h) for h in hits]}


def print_hits(query: str, hits: Sequence[Hit], settings: Settings) -> None:
    if not hits:
        out.print("Ingen passager fundet.")
        return
    for h in hits:
        c = h.chunk
        legs = ", ".join(f"{leg} #{rank}" for leg, rank in sorted(h.legs.items()))
        out.print(f"[bold][{h.rank}][/bold] {h.score:.3f}  {escape(c.source)}:{c.start}-{c.end}"
                  + (f"  [dim]({legs})[/dim]" if legs else ""))
        out.print(Text("    " + excerpt(c.text, 600)))
        out.print()


# -- answers -----------------------------------------------------------------------------------
def answer_json(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "answer": answer.text,
        "refused": answer.refused,
        "unsupported": list(answer.unsupported),
        "citations": [
            {"n": c.n, "source": c.hit.chunk.source, "start": c.hit.chunk.start, "end": c.hit.chunk.end,
             "text": c.hit.chunk.text}
            for c in answer.citations
        ],
        "model": answer.model,
        "embedder": answer.embedder,
        "language": answer.language,
        "is_danish": answer.is_danish,
        "template": answer.template,
        "timings": {k: round(float(v), 4) for k, v in answer.timings.items()},
    }


@contextmanager
def live_answer() -> Iterator[Callable[[str], None]]:
    """Streams tokens to the terminal; the region is cleared afterwards for the verified answer."""
    if not out.is_terminal:
        yield lambda piece: None
        return
    buffer = Text()
    with Live(buffer, console=out, transient=True, refresh_per_second=20) as live:

        def on_token(piece: str) -> None:
            buffer.append(piece)
            live.update(buffer)

        yield on_token


def print_answer(answer: Answer, settings: Settings) -> None:
    out.print(Text(answer.text.strip()))
    if answer.unsupported:
        err.print("[yellow]Advarsel: disse sætninger er ikke understøttet af de citerede kilder:[/yellow]")
        for sentence in answer.unsupported:
            err.print(f"  [yellow]- {escape(sentence)}[/yellow]")
    if not answer.is_danish and not answer.refused:
        err.print(f"[yellow]Advarsel: svaret ser ikke ud til at være på dansk ({answer.language}).[/yellow]")
    if answer.citations:
        out.print()
        out.print("Kilder:")
        for c in answer.citations:
            ch = c.hit.chunk
            out.print(f"  [{c.n}] {escape(ch.source)}, tegn {ch.start}–{ch.end}", markup=True)
            out.print(f"      [dim]{escape(excerpt_around(ch.text, answer.text))}[/dim]")
    if settings.verbose:
        t = answer.timings
        timing = ", ".join(f"{k} {v:.2f}" for k, v in t.items())
        err.print(f"[dim]model {answer.model} ({answer.template} template); embedder {answer.embedder}; "
                  f"{timing}[/dim]")


# -- eval --------------------------------------------------------------------------------------
def _fmt(value: Any) -> str:
    if value is None:
        return "n/a"  # nothing to average over, e.g. no unanswerable items
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return f"{len(value)}"
    return str(value)


def print_eval_summary(data: dict[str, Any]) -> None:
    summary = data.get("summary", {})
    table = Table(title="Evaluation", title_justify="left")
    table.add_column("group")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for group, metrics in summary.items():
        if isinstance(metrics, dict):
            for name, value in metrics.items():
                table.add_row(group, name, _fmt(value))
        else:
            table.add_row("", group, _fmt(metrics))
    out.print(table)


def print_comparison(comparison: Any) -> None:
    table = Table(title="Against baseline", title_justify="left")
    for col in ("group", "metric", "current", "baseline", "delta", ""):
        table.add_column(col, justify="right" if col in ("current", "baseline", "delta") else "left")
    for r in comparison.rows:
        mark = "[red]regressed[/red]" if r.regressed else ""
        delta = "" if r.delta is None else f"{r.delta:+.3f}"
        table.add_row(r.group, r.metric, _fmt(r.current), _fmt(r.baseline), delta, mark)
    out.print(table)
    for note in getattr(comparison, "notes", ()):
        err.print(f"[yellow]Note: {escape(note)}[/yellow]")


# -- models ------------------------------------------------------------------------------------
def print_models(entries: Sequence[Any]) -> None:
    table = Table(title="Models (* = configured default)", title_justify="left")
    for col in ("", "kind", "name", "origin", "detail"):
        table.add_column(col)
    for e in entries:
        status = "*" if e.default else ("" if e.available else "missing")
        table.add_row(status, e.kind, escape(e.name), e.origin, escape(e.detail))
    out.print(table)
