"""Presentation for the CLI: rich tables, a spinner, progress bars and JSON shapes.

Language: what rag says about itself (errors, warnings, progress, help) is English, always
prefixed `Error:`/`Warning:`/`Note:` on stderr; the answer and its `Kilder:` are Danish.

Part of the command-line layer: only `rag.cli` imports it. The JSON builders are pure functions
(tested directly); the printers write to the terminal through one rich Console per stream.
"""

from __future__ import annotations

import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from rag.config import Settings
from rag.types import Answer, Hit


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """`rag search … | head`: the reader left, which is not an error. rich's own handler exits 1;
        hand the BrokenPipeError to the CLI, which silences stdout and exits 0."""
        self.quiet = True
        raise BrokenPipeError


out = _Console(highlight=False)
err = _Console(stderr=True, highlight=False)
# Word-wrap for people; unwrapped lines when piped, so output stays greppable.
out.soft_wrap = not out.is_terminal
err.soft_wrap = not err.is_terminal

EXCERPT_CHARS = 220


def count(n: int, noun: str) -> str:
    """"1 file", "2,468 files": an English count with its noun (the nouns here take -s)."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _excerpt_words(text: str) -> set[str]:
    """Words that tell sentences apart: longer than two letters, or holding a digit ("8" in "hver 8. uge")."""
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) > 2 or any(c.isdigit() for c in w)}


def excerpt_parts(text: str, focus: str, limit: int = EXCERPT_CHARS) -> tuple[str, str, str]:
    """(before, evidence, after): the passage's sentence sharing most words with `focus` (the
    answer) with the sentences around it, within about `limit` characters. The answer is already
    on screen, so the excerpt shows where it stands in the source: what comes before and after (a
    sentence the answer repeats almost whole is cut to half the room). "…" marks text left out."""
    from rag.answer.verify import strip_citations
    from rag.ingest.sentences import split_sentences

    words = _excerpt_words(strip_citations(focus))
    spans = split_sentences(text)
    if not words or not spans:
        return "", excerpt(text, limit), ""
    best = max(range(len(spans)), key=lambda i: len(words & _excerpt_words(text[spans[i][0]:spans[i][1]])))
    s, e = spans[best]
    evidence_words = _excerpt_words(text[s:e])
    # A sentence the answer quotes almost whole is shortened, leaving room for its surroundings.
    repeated = len(evidence_words & words) >= 0.8 * max(len(evidence_words), 1)
    evidence = excerpt(text[s:e], limit // 2 if repeated else limit)
    half = max(0, limit - len(evidence)) // 2
    before, left_out = "", bool(text[:s].strip())
    if best > 0:
        before = " ".join(text[spans[best - 1][0]:s].split())
        left_out = bool(text[:spans[best - 1][0]].strip())
        if len(before) > half:  # keep the end of the sentence before, cut at a word
            cut = before[len(before) - half:]
            before, left_out = (cut.split(" ", 1)[1] if " " in cut else ""), True
    after = " ".join(text[e:].split())
    room = max(0, limit - len(evidence) - len(before))
    tail = ""
    if len(after) > room:
        after, tail = (after[:room].rsplit(" ", 1)[0] if " " in after[:room] else ""), "…"
    return ("…" if left_out else "") + (before + " " if before else ""), evidence, (" " + after if after else "") + tail


def excerpt_around(text: str, focus: str, limit: int = EXCERPT_CHARS) -> str:
    """`excerpt_parts` as one string."""
    return "".join(excerpt_parts(text, focus, limit))


def source_heading(chunk: Any) -> str:
    """What a person recognises a source by: title (or file name), page or section, date."""
    parts = [chunk.title or Path(chunk.source).name]
    if chunk.page is not None:
        parts.append(f"s. {chunk.pages}")
    if chunk.section:
        parts.append(chunk.section)
    if chunk.date:
        parts.append(chunk.date)
    return " · ".join(parts)


def source_fields(chunk: Any) -> dict[str, Any]:
    """The human-readable source fields of a chunk for JSON (null where unknown)."""
    return {"title": chunk.title, "date": chunk.date, "page": chunk.page, "page_end": chunk.page_end,
            "section": chunk.section}


# -- progress ----------------------------------------------------------------------------------
UNITS = {"Reading": "files", "Embedding": "chunks"}  # what a stage counts; other stages say "items"
PLAIN_PROGRESS_EVERY_S = 10.0  # a line this often when stderr is not a terminal (CI logs)


class _RateColumn(ProgressColumn):
    """"35 chunks/s": the stage's rate over rich's recent-speed window."""

    def render(self, task: Task) -> Text:
        unit = UNITS.get(str(task.description), "items")
        return Text(f"{task.speed:,.1f} {unit}/s" if task.speed else "", style="dim")


def plain_progress(write: Callable[[str], None], *, every_s: float = PLAIN_PROGRESS_EVERY_S,
                   clock: Callable[[], float] = time.monotonic) -> Callable[[str, int, int], None]:
    """A `progress(what, done, total)` callback for logs: a line at most every `every_s` seconds
    with count, percentage, rate and time left, and a last line when a stage that printed one
    finishes. A stage done within `every_s` prints nothing."""
    started: dict[str, float] = {}
    last: dict[str, float] = {}  # when each stage last printed
    ended: set[str] = set()

    def update(what: str, done: int, total: int) -> None:
        now = clock()
        t0 = started.setdefault(what, now)
        finished = total > 0 and done >= total
        if what in ended:
            return
        if finished:
            ended.add(what)
            if what not in last:
                return
        elif now - last.get(what, t0) < every_s:
            return
        last[what] = now
        unit = UNITS.get(what, "items")
        elapsed = max(now - t0, 1e-9)
        rate = done / elapsed
        line = f"{what}: {done:,}/{total:,} {unit} ({100 * done / max(total, 1):.0f}%), {rate:,.1f} {unit}/s"
        if not finished and rate > 0:
            line += f", about {_duration((total - done) / rate)} left"
        elif finished:
            line += f", {_duration(elapsed)}"
        write(line)

    return update


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min {seconds % 60:02d} s"


@contextmanager
def progress_bar(*, enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """Yields a `progress(what, done, total)` callback: on a terminal one rich bar per stage on
    stderr, with count, rate and time left; otherwise plain periodic lines (`plain_progress`)."""
    if not enabled:
        yield lambda what, done, total: None
        return
    if not err.is_terminal:
        yield plain_progress(lambda line: err.print(line, markup=False, highlight=False))
        return
    columns = (TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True, speed_estimate_period=10.0) as bar:
        tasks: dict[str, Any] = {}

        def update(what: str, done: int, total: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=total)
            bar.update(tasks[what], completed=done, total=total)

        yield update


# -- index -------------------------------------------------------------------------------------
def index_report_json(report: Any, settings: Settings) -> dict[str, Any]:
    return {
        "index": settings.index_uri or str(settings.index_dir),
        "paths": list(getattr(report, "paths", [])),
        "added": list(report.added),
        "updated": list(report.updated),
        "removed": list(report.removed),
        "unchanged": list(report.unchanged),
        "skipped": [{"source": s, "reason": r} for s, r in report.skipped],
        "chunks_embedded": report.chunks_embedded,
        "chunks_reused": getattr(report, "chunks_reused", 0),
        "tokens_embedded": report.tokens_embedded,
        "chunks_total": report.chunks_total,
        "files_total": report.files_total,
        "generation": report.generation,
        "interrupted": bool(getattr(report, "interrupted", False)),
        "reread": bool(getattr(report, "reread", False)),
        "seconds": round(report.seconds, 3),
        "throughput": index_throughput_json(report),
    }


def index_throughput_json(report: Any) -> dict[str, Any]:
    """Tokens/s of the whole update and of the embedder alone, measured in the same run, and their ratio."""
    def r(x: float | None, nd: int) -> float | None:
        return None if x is None else round(x, nd)

    return {
        "tokens_embedded": report.tokens_embedded,
        "embed_seconds": round(report.embed_seconds, 3),
        "tokens_per_s": r(report.tokens_per_s, 1),
        "embedder_tokens_per_s": r(report.embedder_tokens_per_s, 1),
        "ratio_to_embedder": r(report.throughput_ratio, 3),
        "embedder": report.embedder,
        "device": report.embed_device,
        "batch": report.embed_batch,
        "workers": report.workers,
    }


def index_throughput_text(report: Any) -> str:
    """The `--verbose` lines: where embedding ran and how close indexing came to the embedder's own speed."""
    workers = (f"{report.workers} worker process{'es' if report.workers > 1 else ''} loading and chunking"
               if report.workers else "loading and chunking in this process")
    lines = [f"Embedder {report.embedder} on {report.embed_device} (batch {report.embed_batch}); {workers}."]
    if report.tokens_per_s:
        lines.append(
            f"{report.tokens_embedded:,} tokens embedded: {report.tokens_per_s:,.0f} tokens/s overall, "
            f"{report.throughput_ratio:.2f}x the embedder alone ({report.embedder_tokens_per_s:,.0f} tokens/s "
            f"inside its calls, {report.embed_seconds:.1f} of {report.seconds:.1f} s)."
        )
    return "\n".join(lines)


def index_report_text(report: Any, settings: Settings, *, verbose: bool = False) -> str:
    """A short summary: counts, what was embedded, time and rate, and what the index holds now;
    with `verbose`, one line per added, updated and removed file as well."""
    parts = [f"{len(report.added)} added", f"{len(report.updated)} updated",
             f"{len(report.removed)} removed", f"{len(report.unchanged)} unchanged"]
    if report.skipped:
        parts.append(f"{len(report.skipped)} skipped")
    lines = [f"Index {settings.index_uri or settings.index_dir}: " + ", ".join(parts) + "."]
    if getattr(report, "reread", False):
        lines.append("Re-read the files an older version of rag read: this one reads documents differently "
                     "(chunks whose text is the same keep their vectors).")
    if verbose:
        for label, names in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
            lines += [f"  {label}: {name}" for name in names]
    rate = (f", {report.chunks_embedded / report.seconds:,.1f} chunks/s"
            if report.chunks_embedded and report.seconds else "")
    reused = getattr(report, "chunks_reused", 0)
    lines.append(
        f"Embedded {count(report.chunks_embedded, 'chunk')} ({count(report.tokens_embedded, 'token')}) in "
        f"{report.seconds:.1f} s{rate}" + (f", kept {count(reused, 'unchanged chunk')} of edited files" if reused
                                            else "")
        + f"; the index holds {count(report.chunks_total, 'chunk')} from {count(report.files_total, 'file')}."
    )
    if verbose and hasattr(report, "embed_device"):
        lines.append(index_throughput_text(report))
    return "\n".join(lines)


def index_interrupted_text(report: Any, settings: Settings) -> str:
    """What Ctrl-C kept, and the command that indexes the rest."""
    from rag.retrieve.store import index_command

    kept = len(report.added) + len(report.updated)
    left = max(0, report.chunks_pending - report.chunks_embedded)
    files_pending = getattr(report, "files_pending", 0)  # files stream into embedding: their chunks aren't all known
    not_done = count(max(0, files_pending - kept), "file") if files_pending else count(left, "chunk")
    return (f"Interrupted. Kept {count(kept, 'file')} committed before Ctrl-C ({count(report.chunks_embedded, 'chunk')}"
            + (f"; {len(report.removed):,} removed" if report.removed else "") + f"), {not_done} not indexed. "
            f"Run `{index_command(settings.index_dir, report.paths)}` to index the rest.")


# -- documents ----------------------------------------------------------------------------------
def docs_json(records: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"path": r.source, "abspath": r.path, "title": r.title, "date": r.date, "chunks": r.n_chunks,
             "size": r.size, "sha256": r.sha256, "indexed_at": r.indexed_at} for r in records]


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def _local_time(stamp: str) -> str:
    """"2026-11-28T07:55:01+00:00" in the local time zone, to the minute."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def print_docs(records: Sequence[Any], settings: Settings) -> None:
    if not records:
        out.print(f"The index at {escape(str(settings.index_dir))} holds no documents.")
        return
    table = Table(title=f"Documents in {escape(str(settings.index_dir))} ({len(records):,})", title_justify="left")
    for col in ("path", "title", "date", "chunks", "size", "indexed"):
        table.add_column(col, justify="right" if col in ("chunks", "size") else "left",
                         overflow="fold" if col == "path" else "ellipsis")
    for r in records:
        table.add_row(escape(r.source), escape(r.title or ""), r.date or "", f"{r.n_chunks:,}", _size(r.size),
                      _local_time(r.indexed_at))
    out.print(table)


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
        **source_fields(c),
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
        out.print(f"[bold][{h.rank}][/bold] {h.score:.3f}  {escape(source_heading(c))}"
                  + (f"  [dim]({legs})[/dim]" if legs else ""))
        out.print(Text(f"    {c.source}:{c.start}-{c.end}", style="dim"))
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
             **source_fields(c.hit.chunk), "text": c.hit.chunk.text}
            for c in answer.citations
        ],
        # A refusal shows what was looked at and how well it matched, so it can be checked.
        **({"considered": [hit_json(h) for h in answer.hits]} if answer.refused else {}),
        "model": answer.model,
        "embedder": answer.embedder,
        "language": answer.language,
        "is_danish": answer.is_danish,
        "template": answer.template,
        "strategy": answer.strategy,
        "refusal_gate": answer.refusal_gate,
        "refusal_reason": answer.refusal_reason,
        "timings": answer.timings_record(),
    }


STAGE_TEXT = {  # rag.pipeline.STAGES, as the spinner says them
    "load_index": "Loading the index and embedder",
    "search": "Searching the documents",
    "load_model": "Loading the model",
    "generate": "Writing the answer",
}


@dataclass
class Spinner:
    """The callbacks `Rag.ask` takes: `status(stage)` and `token(piece)`.

    It never shows the model's raw text: that is checked (citations, support, language) and may be
    replaced after generation, so the screen only counts tokens while the answer is written, and
    the verified answer is printed afterwards.
    """

    stage: str = ""
    tokens: int = 0
    _live: Any = None

    def status(self, stage: str) -> None:
        self.stage, self.tokens = stage, 0
        self._show()

    def token(self, piece: str) -> None:
        self.tokens += 1
        if self.tokens % 4 == 1:
            self._show()

    def text(self) -> str:
        words = STAGE_TEXT.get(self.stage, self.stage)
        if self.stage == "generate" and self.tokens:
            return f"{words}… ({self.tokens} token{'s' if self.tokens != 1 else ''})"
        return f"{words}…"

    def _show(self) -> None:
        if self._live is not None:
            self._live.update(self.text())


@contextmanager
def working(*, enabled: bool = True) -> Iterator[Spinner]:
    """A transient spinner on stderr saying what `Rag.ask` is doing (only on a terminal)."""
    spinner = Spinner()
    if not enabled or not err.is_terminal:
        yield spinner
        return
    with err.status("Working…", spinner="dots") as live:
        spinner._live = live
        yield spinner
        spinner._live = None


class LineReader:
    """`rag chat`'s prompt: `reader("› ")` returns a line; EOFError on Ctrl-D, KeyboardInterrupt on Ctrl-C.

    On a terminal it is a prompt_toolkit session (arrow keys, Emacs-style editing, Up/Down through
    earlier questions), its history kept in the file `history` (the user's data folder; in memory
    only when that cannot be written). When input is piped it reads plain lines and prints no prompt.
    """

    def __init__(self, history: Path, *, pt_input: Any = None, pt_output: Any = None) -> None:
        self.history_file: Path | None = None
        self._session: Any = None
        if pt_input is None and not (sys.stdin.isatty() and sys.stdout.isatty()):
            return
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory

        from rag.log import create_private

        try:
            create_private(history)  # 0600: it holds every question asked
            with history.open("a", encoding="utf-8"):
                pass
            store: Any = FileHistory(str(history))
            self.history_file = history
        except OSError:
            store = InMemoryHistory()
        self._session = PromptSession(history=store, input=pt_input, output=pt_output)

    def __call__(self, prompt: str) -> str:
        if self._session is None:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\n")
        return self._session.prompt(prompt)

    def close(self) -> None:
        self._session = None


def line_reader(history: Path) -> LineReader:
    return LineReader(history)


def print_answer(answer: Answer, settings: Settings) -> None:
    out.print(Text(answer.text.strip()))
    if answer.unsupported:
        err.print("[yellow]Warning: these sentences are not supported by the passages they cite:[/yellow]")
        for sentence in answer.unsupported:
            err.print(f"  [yellow]- {escape(sentence)}[/yellow]")
    if not answer.is_danish and not answer.refused:
        err.print(f"[yellow]Warning: the answer does not look Danish (detected: {answer.language}).[/yellow]")
    if answer.citations:
        out.print()
        print_sources(answer)
    elif answer.refused:
        print_refusal(answer)
    if settings.verbose:
        timing = ", ".join(f"{k} {v}" if isinstance(v, int) else f"{k} {v:.2f}"
                           for k, v in answer.timings_record().items())  # counts as stored, seconds shorter
        err.print(f"[dim]model {answer.model} ({answer.template} template); embedder {answer.embedder}; "
                  f"{timing}[/dim]")
        if answer.refused:
            err.print(f"[dim]refused by {answer.refusal_gate}: {escape(answer.refusal_reason or '')}[/dim]")
        else:
            err.print(f"[dim]answered by the {answer.strategy} strategy[/dim]")


NEAREST = 3  # passages shown under a refusal


def where(source: str, start: int, end: int) -> str:
    """A passage's place as every listing shows it: the file and its character span."""
    return f"{source}, tegn {start}–{end}"


def print_refusal(answer: Answer) -> None:
    """Under a refusal: why, in Danish, and the passages that came nearest, so the person can look
    for themselves (`rag search` shows more)."""
    from rag.answer.gates import explain

    why = explain(answer.refusal_gate)
    if why:
        out.print(Text(f"({why})", style="dim"))
    if not answer.hits:
        return
    out.print()
    out.print("Nærmeste passager:")
    seen: set[tuple[str, int]] = set()
    for hit in answer.hits:
        ch = hit.chunk
        if (ch.source, ch.start) in seen:
            continue
        seen.add((ch.source, ch.start))
        out.print(Text.assemble("  - ", (source_heading(ch), "bold")))
        out.print(Text(f"    {where(ch.source, ch.start, ch.end)}", style="dim"))
        if len(seen) == NEAREST:
            break


def print_sources(answer: Answer) -> None:
    """The `Kilder:` block: per citation the title, page or section and date; then the file and
    character span; then the supporting sentence (plain) among its neighbours (dim)."""
    out.print("Kilder:")
    for c in answer.citations:
        ch = c.hit.chunk
        out.print(Text.assemble(f"  [{c.n}] ", (source_heading(ch), "bold")))
        out.print(Text(f"      {where(ch.source, ch.start, ch.end)}", style="dim"))
        before, evidence, after = excerpt_parts(ch.text, answer.text)
        out.print(Text.assemble("      ", (before, "dim"), evidence, (after, "dim")))


# -- log ---------------------------------------------------------------------------------------
# (logged UTC timestamps are shown with `_local_time` above; the JSON keeps the UTC original)


def print_log(entries: Sequence[dict[str, Any]]) -> None:
    """Logged answers, latest first: when, command, model and time, then question, answer, sources."""
    for e in entries:
        total = e.get("timings", {}).get("total_s")
        took = f", {total:.2f} s" if isinstance(total, (int, float)) else ""
        why = f", refused: {e['refusal_reason']}" if e.get("refused") and e.get("refusal_reason") else ""
        out.print(f"[bold]#{e['id']}[/bold] [dim]{escape(_local_time(e['time']))} · rag {escape(e['command'])} · "
                  f"{escape(e.get('model') or '?')}{took}{escape(why)}[/dim]")
        out.print(Text(f"  ? {e['question']}"))
        out.print(Text(f"  {e['answer']}"))
        for c in e.get("citations", []):
            out.print(Text(f"    [{c['n']}] {where(c['source'], c['start'], c['end'])}", style="dim"))
        out.print()


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
    table.add_column("metric", no_wrap=True)  # whole names on an 80-column terminal; long values fold
    table.add_column("value", justify="right", overflow="fold")
    for group, metrics in summary.items():
        if group == "answering":
            continue  # printed below, as its own table
        if isinstance(metrics, dict):
            for name, value in metrics.items():
                table.add_row(group, name, _fmt(value))
        else:
            table.add_row("", group, _fmt(metrics))
    out.print(table)
    print_answering(summary.get("answering"))


def print_answering(answering: dict[str, Any] | None) -> None:
    """Refusals by reason (answerable / unanswerable questions), strategies, short-span share."""
    if not answering:
        return
    reasons = answering.get("refusals_by_reason") or {}
    if reasons:
        table = Table(title="Refusals by reason", title_justify="left")
        for col in ("gate", "answerable", "unanswerable"):
            table.add_column(col, justify="left" if col == "gate" else "right")
        for gate, row in reasons.items():
            table.add_row(gate, str(row.get("answerable", 0)), str(row.get("unanswerable", 0)))
        out.print(table)
    strategies = ", ".join(f"{name} {n}" for name, n in (answering.get("strategies") or {}).items())
    out.print(f"Answers by strategy: {strategies or 'none'}; short spans: "
              f"{_fmt(answering.get('short_span_share'))} of answers")


def print_comparison(comparison: Any) -> None:
    table = Table(title="Against baseline", title_justify="left")
    for col in ("group", "metric", "current", "baseline", "delta", "95% CI (paired)", ""):
        table.add_column(col, justify="right" if col in ("current", "baseline", "delta") else "left")
    for r in comparison.rows:
        mark = "[red]regressed[/red]" if r.regressed else ""
        ci = getattr(r, "ci", None)
        verdict = getattr(r, "verdict", "")
        if r.regressed and verdict == "within noise":
            mark += " [dim](within noise)[/dim]"
        delta = "" if r.delta is None else f"{r.delta:+.3f}"
        shown_ci = "" if ci is None else f"{ci[0]:+.3f}…{ci[1]:+.3f} {verdict}"
        table.add_row(r.group, r.metric, _fmt(r.current), _fmt(r.baseline), delta, shown_ci, mark)
    out.print(table)
    for note in getattr(comparison, "notes", ()):
        err.print(f"[yellow]Note: {escape(note)}[/yellow]")


# -- calibrate -------------------------------------------------------------------------------
def print_calibration(entry: dict[str, Any]) -> None:
    m = entry.get("metrics", {})
    out.print(f"Calibrated {entry.get('key')} on {entry.get('gold')} ({entry.get('gold_items')} questions).")
    out.print(f"Objective: {entry.get('objective')}.")
    out.print("Policy: " + ", ".join(f"{k} = {_fmt(v)}" for k, v in entry.get("policy", {}).items()))
    out.print(f"Reached: refusal recall {_fmt(m.get('refusal_recall'))}, precision {_fmt(m.get('refusal_precision'))}, "
              f"false refusals {_fmt(m.get('false_refusal_rate'))} "
              f"({m.get('answerable')} answerable, {m.get('unanswerable')} unanswerable).")


# -- models ------------------------------------------------------------------------------------
def _model_size(n: int | None) -> str:
    if n is None:
        return ""
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def print_models(entries: Sequence[Any]) -> None:
    """One row per model; the path column is never truncated (folded in a terminal, whole when piped)."""
    def status(e: Any) -> str:
        if getattr(e, "problem", "") and not e.installed:
            return "broken"
        if not e.installed:
            return "pull"
        return "*" if e.default else ("" if e.available else "missing")

    def where(e: Any) -> str:
        problem = getattr(e, "problem", "")
        return f"{e.path or e.detail}  ({problem})" if problem else (e.path or e.detail)

    rows = [(status(e), e.kind, e.name, e.origin, _model_size(e.size), e.licence, where(e)) for e in entries]
    if not out.is_terminal:
        rows = [("", "kind", "name", "origin", "size", "licence", "path"), *rows]
        widths = [max(len(r[i]) for r in rows) for i in range(6)]
        for r in rows:
            out.print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[6], markup=False)
        return
    table = Table(title="Models (* = configured default; pull = `rag models pull NAME` installs it)",
                  title_justify="left")
    for col in ("", "kind", "name", "origin", "size", "licence"):
        table.add_column(col, no_wrap=True)
    table.add_column("path", overflow="fold")
    for r in rows:
        table.add_row(*(escape(c) for c in r))
    out.print(table)


def pulled_text(pulled: Any) -> str:
    if pulled.already:
        return f"{pulled.name} is already installed: {pulled.path}"
    sha = f", sha256 {pulled.sha256}" if pulled.sha256 else ""
    size = _model_size(pulled.size)
    return f"Installed {pulled.name}: {pulled.path} ({size}{sha}). Use it with --model {pulled.name}."


def skipped_lines(skipped: Sequence[tuple[str, str]], *, verbose: bool = False) -> list[str]:
    """One warning line per skipped file, except files of a type rag does not read: a folder of
    documents holds many (.json, .csv, images) and they are skipped again on every run, so they
    are counted in one line by type unless `verbose` lists them."""
    from rag.ingest.loaders import UNSUPPORTED

    lines: list[str] = []
    types: Counter[str] = Counter()
    for source, reason in skipped:
        if reason.startswith(UNSUPPORTED) and not verbose:
            types[reason.removeprefix(UNSUPPORTED)] += 1
        else:
            lines.append(f"skipped {source}: {reason}")
    if types:
        n = sum(types.values())
        kinds = ", ".join(f"{t} ×{c}" if c > 1 else t for t, c in sorted(types.items(), key=lambda x: (-x[1], x[0])))
        lines.append(f"skipped {count(n, 'file')} of types rag does not read ({kinds}); --verbose lists them")
    return lines
