"""Finding and reading documents: .txt/.md, .html, .pdf and .docx, in any Danish-era encoding.

`discover` expands the user's paths into files; `load_document` reads one file into a cleaned
`Document`, keeping where each PDF page and each heading's section (docx, Markdown, HTML h1–h6)
starts as spans of the cleaned text, plus the title and date the file states (or its metadata
gives). A file that cannot be read as text (binary, corrupt, encrypted, empty after cleaning)
raises `UnreadableFileError`, whose message is a one-line warning for the caller to print before
moving on; no library exception escapes.

Hostile folders are expected: a symlink loop or a broken link is skipped with a reason; a FIFO,
socket or device is never opened for reading (`read_bytes` opens non-blocking and checks the file
type before reading, so a FIFO named `x.txt` cannot hang `rag index` while it holds the lock);
a folder that cannot be listed is reported, so the indexer keeps what it had indexed there.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import io
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.danish import MONTH_PATTERN
from rag.errors import InputError, UnreadableFileError
from rag.ingest.clean import INVISIBLE, Mark, clean_text
from rag.ingest.sentences import ends_on_abbreviation
from rag.types import Document, Span

# The version of what reading a file yields (loading, cleaning). An index records the version that
# read its files (`rag.retrieve.manifest`), and `rag index` re-reads every file an older one read, so
# a reading fix reaches indexes built before it without `--rebuild` (the vector of every chunk whose
# text is unchanged is kept). 1: up to the tenth round. 2: a fact line ("Pris: 245 kr.") or a
# table's header row repeated on several pages is kept every time, not dropped as page furniture.
# 3: a docx table row keeps two cells that say the same ("Antenne og bredbånd | 179 kr. | 179 kr."),
# dropping only a merged cell's repeats (a row one cell short lost its header and its column).
# 4: a row's empty cell is kept as `EMPTY_CELL` ("Kloklip | – | Gratis"), so every row keeps its
# header's columns and a header with an empty corner ("– | Hidtil | Fra marts") its width; an escaped
# pipe in a markdown cell reads "/" ("Senior / voksen"), not a cell separator.
# 5: a PDF or fixed-width line wrapped after an abbreviation's period goes on ("49 kr. pr." / "måned"),
# and a PDF table's row keeps its wrapped cells (the last row's too; a line of lower-case cells under it).
READER = 5

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"})
_SKIP_DIRS = frozenset({"__pycache__", "node_modules"})
UNSUPPORTED = "unsupported file type "  # opens the reason a file of a type rag does not read is skipped
# Says why a folder met in a walk is no documents (a rag index inside the indexed folder: the caller
# knows what an index looks like), or "" to pass it over silently, or None to walk it.
SkipDir = Callable[[Path], "str | None"]

logging.getLogger("pypdf").setLevel(logging.ERROR)  # malformed-PDF chatter would drown the CLI
SECTION_SEP = " › "  # between the headings of a section path: "Indledning › Baggrund"


@dataclass(frozen=True)
class _Extracted:
    """A file's raw text, with what its format says about title, date and structure."""

    text: str
    title: str | None = None
    date: str | None = None  # ISO date from metadata, used when the text states none
    marks: tuple[Mark, ...] = field(default=())


class _Headings:
    """A stack of open headings by level; `path` is the current section path."""

    def __init__(self) -> None:
        self._open: list[tuple[int, str]] = []

    def push(self, level: int, text: str) -> str:
        while self._open and self._open[-1][0] >= level:
            self._open.pop()
        self._open.append((level, " ".join(text.split())))
        return SECTION_SEP.join(t for _, t in self._open)


# -- discovery ----------------------------------------------------------------------------------
@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)  # to load, in a stable order
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (path, one-line reason)
    unreadable_dirs: list[Path] = field(default_factory=list)  # folders that could not be listed


def discover(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand files and folders (recursively) into the files to load, in a stable order.

    Hidden files and folders (.git, .rag, .venv, …) inside folders are ignored. Returns
    `(files, skipped)`, where `skipped` pairs each unsupported file with a one-line reason.
    A path that does not exist raises `InputError`.
    """
    found = discover_all(paths)
    return found.files, found.skipped


def discover_all(paths: Sequence[Path], *, skip_dir: SkipDir | None = None) -> Discovery:
    """`discover`, also naming the folders that could not be listed (permission denied, I/O error):
    what was indexed under them is unknown, not gone. A folder below a given path that `skip_dir`
    gives a reason for is not walked (the reason, when not "", is reported as skipped)."""
    out = Discovery()
    seen: set[str] = set()

    def take(path: Path) -> None:
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:  # e.g. a latin-1 name from an old zip: SQLite and terminals can't take it
            shown = Path(os.fsencode(path).decode("utf-8", "replace"))
            out.skipped.append((shown, "file name is not valid UTF-8; rename it"))
            return
        try:
            st = path.stat()  # follows symlinks: a loop or a dangling link raises here
            key = os.path.realpath(path)
        except (OSError, RuntimeError) as e:  # RuntimeError: Python < 3.13's "Symlink loop"
            if path.is_symlink():
                out.skipped.append((path, "broken symbolic link or symlink loop"))
            else:
                out.skipped.append((path, f"cannot read ({getattr(e, 'strerror', None) or e})"))
            return
        if key in seen:
            return
        seen.add(key)
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            out.skipped.append((path, f"{UNSUPPORTED}{path.suffix.lower() or '(no suffix)'}"))
        elif not stat.S_ISREG(st.st_mode):
            out.skipped.append((path, "not a regular file (a FIFO, socket or device)"))
        else:
            out.files.append(path)

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            if path.is_symlink():
                out.skipped.append((path, "broken symbolic link or symlink loop"))
                continue
            raise InputError(
                f"Path not found: {path}. Give an existing file or folder "
                f"(supported: {', '.join(sorted(SUPPORTED_SUFFIXES))})."
            )
        if path.is_dir():
            for found in _walk(path, out, skip_dir):
                take(found)
        else:
            take(path)
    return out


def _walk(root: Path, out: Discovery, skip_dir: SkipDir | None = None) -> list[Path]:
    def unreadable(e: OSError) -> None:
        where = Path(e.filename) if e.filename else root
        out.unreadable_dirs.append(where)
        out.skipped.append((where, f"cannot read folder ({e.strerror or e}); keeping what was indexed there"))

    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        why = skip_dir(Path(dirpath)) if skip_dir is not None and dirpath != str(root) else None
        if why is not None:
            dirnames[:] = []
            if why:
                out.skipped.append((Path(dirpath), why))
            continue
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS)
        files.extend(Path(dirpath) / f for f in filenames if not f.startswith("."))
    return sorted(files, key=lambda p: p.as_posix())


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes. Opened non-blocking and checked with fstat *before* reading, so a
    FIFO (or a file swapped for one since `discover`) is refused instead of blocking forever.
    Raises UnreadableFileError for a non-regular file, OSError when the file cannot be read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFileError("not a regular file (a FIFO, socket or device)")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # a regular file: ordinary reads from here on
        with os.fdopen(fd, "rb") as f:
            fd = -1  # the file object owns it now
            return f.read()
    finally:
        if fd >= 0:
            os.close(fd)


# -- text files ---------------------------------------------------------------------------------
_BINARY_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_WINDOW = 4096


def looks_binary(data: bytes) -> bool:
    """NUL bytes or more than 5% control characters in the first 8 KB, or more than 5% control
    characters in any later 4 KB window: text with a binary tail or a binary run in the middle
    (random bytes are ~10% control characters) is binary too. One C-speed pass over the file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    if len(_BINARY_CONTROL.findall(sample)) > 0.05 * max(len(sample), 1):
        return True
    limit = 0.05 * _WINDOW  # against the full window size, so a short last window is not over-judged
    for start in range(8192, len(data), _WINDOW):
        window = data[start : start + _WINDOW]
        if len(window) - len(window.translate(None, _CONTROL_BYTES)) > limit:
            return True
    return False


@dataclass(frozen=True)
class Decoded:
    text: str
    note: str | None = None  # a warning for the user, e.g. that the file mixes encodings


def decode_text(data: bytes) -> str:
    """Bytes → str: a BOM's encoding, else UTF-8, else line by line (see `decode`); never fails."""
    return decode(data).text


def decode(data: bytes) -> Decoded:
    """Bytes → str: a BOM's encoding, else UTF-16 recognised without one, else UTF-8, else each line
    as UTF-8 or cp1252 (or latin-1).

    cp1252 is the Danish-safe fallback: it agrees with latin-1 on æøå/ÆØÅ and also has the
    typographic dashes and quotes ("– “ ” …") that Windows-era files use; latin-1 only catches the
    five bytes cp1252 leaves undefined. Line by line, because a UTF-8 file with one pasted cp1252
    line must keep its other æøå ("Børnene", not "BÃ¸rnene"); when a file mixes the two, the
    `note` says so.
    """
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(codec, errors="replace"))
    bare = utf16_without_bom(data) if b"\x00" in data[:8192] else None
    if bare is not None:
        return Decoded(data.decode(bare, errors="replace"))
    try:
        return Decoded(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    parts: list[str] = []
    legacy = utf8 = 0  # lines that needed cp1252/latin-1, lines that were non-ASCII UTF-8
    for line in data.splitlines(keepends=True):  # splits at \n / \r only: never inside a UTF-8 sequence
        try:
            parts.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            legacy += 1
            try:
                parts.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                parts.append(line.decode("latin-1"))
    note = None
    if utf8:
        note = (f"mixes encodings: {legacy} line(s) read as Windows-1252, the rest as UTF-8; "
                "check its æøå and save it as UTF-8")
    return Decoded("".join(parts), note)


def _has_utf16_bom(data: bytes) -> bool:
    return data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def utf16_without_bom(data: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text saved without a BOM, else None.

    Latin-script text in UTF-16 (Danish included: æøå are U+00E6…) has a NUL as the high byte of
    nearly every character, on one side of each byte pair only; a binary file has NULs on both sides.
    Taken only when most of one side and almost none of the other is NUL and the sample decodes
    strictly to text without control characters."""
    sample = data[:8192]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 16:  # too few pairs to tell: "000\x00" is no "〰0"
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0) / pairs, sample[1::2].count(0) / pairs
    codec = "utf-16-le" if odd > 0.4 and even < 0.02 else "utf-16-be" if even > 0.4 and odd < 0.02 else None
    if codec is None:
        return None
    try:
        text = sample.decode(codec)
    except UnicodeDecodeError:  # the sample may end inside a surrogate pair (an emoji)
        try:
            text = sample[:-2].decode(codec)
        except UnicodeDecodeError:
            return None
    return None if _BINARY_CONTROL.search(text.encode("utf-8")) else codec


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)\n]*\)")
_MD_HEADING = re.compile(r"^#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _md_tables(lines: list[str], tokens: Sequence[Any]) -> list[str]:
    """The GFM pipe tables markdown-it found (`tokens` of a parse with tables enabled) as
    `table_row` lines, the delimiter row blank: the same number of lines, so heading line numbers
    still hold. Rewritten after the parse, so a cell is never read as markdown ("| # | Navn |"),
    and a table inside a code fence stays as it is."""
    out = list(lines)
    for tok in tokens:
        if tok.type == "table_open" and tok.map:
            start, end = tok.map
            for i in range(start, min(end, len(out))):
                if i == start + 1:  # the delimiter row: "|---|:--:|"
                    out[i] = ""
                elif out[i].strip():
                    row = out[i].strip()
                    row = row[1:] if row.startswith("|") else row
                    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
                    # an escaped pipe inside a cell is text: "/" keeps it apart from CELL_SEPARATOR,
                    # else "Senior \| voksen" read as two cells and the row as wider than its header
                    out[i] = table_row(c.replace("\\|", "/") for c in _MD_CELL_SPLIT.split(row))
    return out


def _md_inline(text: str) -> str:
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def _markdown(text: str) -> _Extracted:
    """Light markdown → text: front matter (title/date kept), headings, links, emphasis.

    Headings come from markdown-it-py's parse (ATX and setext; not `#` lines in code blocks); the
    first h1 is the title unless front matter has one. Every step keeps the number of lines, so a
    heading's line number is its line in the text returned."""
    from markdown_it import MarkdownIt

    text = re.sub(r"\r\n?", "\n", text)
    title = None
    fm = _FRONT_MATTER.match(text)
    if fm:
        meta = dict(re.findall(r"^(\w+)\s*:\s*[\"']?(.*?)[\"']?\s*$", fm.group(1), re.M))
        title = meta.get("title") or None
        date = f"date {meta['date']}" if re.match(r"\d{4}-\d{2}", meta.get("date", "")) else ""
        text = date + "\n" * fm.group(0).count("\n") + text[fm.end():]
    text = _HTML_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    lines = _md_tables(text.split("\n"), tokens)
    headings = _Headings()
    found: list[tuple[int, str]] = []  # (line, section path)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.map and i + 1 < len(tokens):
            line = tok.map[0]
            if tok.markup.startswith("#"):  # an ATX heading: "## Frister" -> "Frister"
                lines[line] = _MD_HEADING.sub(r"\1", lines[line].strip())
            heading = _md_inline(tokens[i + 1].content).strip()
            if heading:
                found.append((line, headings.push(int(tok.tag[1]), heading)))
                if title is None and tok.tag == "h1":  # as for HTML and docx: the first h1 names it
                    title = heading
    text = _md_inline("\n".join(lines))
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    marks = tuple(Mark(starts[line], "section", path) for line, path in found if line < len(starts))
    return _Extracted(text, title, marks=marks)


# -- html ---------------------------------------------------------------------------------------
_HTML_DROP = ("script", "style", "noscript", "template", "nav", "form", "aside", "iframe", "svg",
              "button", "select", "input", "textarea", "dialog")
_HTML_DROP_ROLES = ["navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"]
_HTML_BLOCKS = frozenset({
    "address", "article", "blockquote", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
_PARA, _BREAK, _HEAD = "\ue000", "\ue001", "\ue002"  # private-use markers: paragraph, line break, heading
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)


def _decode_html(data: bytes) -> str:
    """The page's text: a BOM's encoding; UTF-8 when the bytes are valid UTF-8 beyond ASCII, whatever
    the page declares (a CMS page saved as UTF-8 under an old "iso-8859-1" meta would read
    "HÃ¸ringssvar"; Latin-1 text is practically never valid UTF-8); else the declared charset;
    else as a text file (`decode_text`)."""
    if not data.isascii() and not _has_utf16_bom(data):
        try:
            return data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        except UnicodeDecodeError:
            pass
    m = _META_CHARSET.search(data[:4096])
    if m and not data.startswith(codecs.BOM_UTF8) and not _has_utf16_bom(data):
        try:
            return data.decode(m.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)


_HTML_DATE_META = ("article:published_time", "og:published_time", "datepublished", "date", "dc.date",
                   "dcterms.date", "pubdate", "publish-date")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _html_date(soup: object) -> str | None:
    """A publication date from <meta> or the first <time datetime>; the text's own date wins later."""
    for meta in soup.find_all("meta"):  # type: ignore[attr-defined]
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        m = _ISO_DATE.match(meta.get("content") or "") if key in _HTML_DATE_META else None
        if m:
            return m.group(0)
    time = soup.find("time", attrs={"datetime": True})  # type: ignore[attr-defined]
    m = _ISO_DATE.match(time["datetime"]) if time else None
    return m.group(0) if m else None


CELL_SEPARATOR = " | "  # between a table row's cells; `rag.answer.evidence` reads a line holding it as a row
EMPTY_CELL = "–"  # an empty cell of a row that has text in two cells or more


def table_row(cells: Iterable[str]) -> str:
    """One table row as one line: its cells joined by `CELL_SEPARATOR`. HTML, markdown and docx
    tables all read this way, so a row ("Junior (under 18 år) | 750 kr.") is one sentence that holds
    its label and its value: read cell by cell, a price sat in a paragraph of its own, away from what
    it is the price of. In a row with text in two cells or more an empty cell is `EMPTY_CELL`, so
    every row keeps its header's columns: "Kloklip | – | Gratis" under "Ydelse | Hund | Kat" was
    "Kloklip | Gratis", and the reader took the free clipping for the dog's; "– | Hidtil | Fra
    marts", a header with an empty corner, and "14. januar | Nielsen, Heise | –" under "Dato |
    Program | Bemærkning" were a cell narrower than the table's other rows, so no row was read
    with its header. A row with text in one cell is that text (a layout table's empty columns add
    nothing); one with none is ""."""
    # a cell holding only invisible characters ("\u200b") is empty: cleaning deletes them later
    texts = [" ".join(INVISIBLE.sub("", cell).split()) for cell in cells]
    if sum(1 for t in texts if t) < 2:
        return "".join(texts)
    return CELL_SEPARATOR.join(t or EMPTY_CELL for t in texts)


_HTML_LAYOUT = ["h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre"]


def _html_rows(table: Any) -> list[str]:
    rows = (table_row(cell.get_text(" ", strip=True) for cell in tr.find_all(["td", "th"], recursive=False))
            for tr in table.find_all("tr") if tr.find_parent("table") is table)
    return [row for row in rows if row]


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


def _hidden(tag: Any) -> bool:
    """An element the page hides: `hidden` or an inline display:none / visibility:hidden. Not the
    page itself (`<body style="display:none">` until a script shows it), and not `aria-hidden`,
    which hides from screen readers what is often on screen."""
    if getattr(tag, "name", None) in ("html", "body"):
        return False
    attrs = getattr(tag, "attrs", None) or {}
    return "hidden" in attrs or bool(_HIDDEN_STYLE.search(str(attrs.get("style", ""))))


def _html(data: bytes) -> _Extracted:
    from bs4 import BeautifulSoup, FeatureNotFound, NavigableString

    markup = _decode_html(data)
    try:
        soup = BeautifulSoup(markup, "lxml")
    except FeatureNotFound:  # no lxml: the stdlib parser is slower but always there
        soup = BeautifulSoup(markup, "html.parser")

    title = soup.title.get_text(" ", strip=True) if soup.title else None
    date = _html_date(soup)
    for tag in soup.find_all(_HTML_DROP):
        tag.decompose()
    # Page headers and footers go, but an article's own <header> holds its headline, and so does a
    # page header holding the page's one <h1>: a clinic's name, address and phone above its page (a
    # review's "Hvornår har dyrlægen på Vestergade åbent?" was refused: the street was only there).
    # Its menus go either way.
    h1s = soup.find_all("h1")
    for tag in soup.find_all(["header", "footer"]):
        if tag.find_parent(["article", "main"]):
            continue
        if tag.name == "header" and len(h1s) == 1 and tag.find("h1") is not None:
            for menu in tag.find_all(["nav", "menu", "form", "button"]):
                menu.decompose()
            continue
        tag.decompose()
    for tag in soup.find_all(attrs={"role": list(_HTML_DROP_ROLES)}):  # type: ignore[call-overload, unused-ignore]
        tag.decompose()
    for tag in soup.find_all(_hidden):  # what a browser does not show is not the page's text
        tag.decompose()
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        title = h1.get_text(" ", strip=True)

    body = soup.body or soup
    headings = _Headings()
    paths: list[str] = []  # one per heading marker, in document order
    for tag in body.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]):
        heading = tag.get_text(" ", strip=True)
        if heading:
            paths.append(headings.push(int(tag.name[1]), heading))
            tag.insert(0, NavigableString(_HEAD))
    for table in body.find_all("table"):
        # a nested table is read as part of its cell; a layout table (headings or lists in its
        # cells) is read as blocks, as it always was, so no heading is lost from the section marks
        if table.find_parent("table") is None and table.find(_HTML_LAYOUT) is None:
            caption = table.find("caption")
            lines = ([caption.get_text(" ", strip=True)] if caption else []) + _html_rows(table)
            table.replace_with(NavigableString(_PARA + _BREAK.join(line for line in lines if line) + _PARA))
    for tag in soup.find_all(True):
        if tag.name == "br":
            tag.replace_with(NavigableString(_BREAK))
        elif tag.name in _HTML_BLOCKS:
            tag.insert_before(NavigableString(_PARA))
            tag.append(NavigableString(_PARA))
    text = re.sub(r"\s+", " ", "".join(body.strings))
    text = re.sub(rf" *{_BREAK} *", "\n", text)
    text = re.sub(rf"[ \n]*{_PARA}[{_PARA} \n]*", "\n\n", text)
    pieces = text.split(_HEAD)
    marks, offset = [], len(pieces[0])
    for path, piece in zip(paths, pieces[1:], strict=False):
        marks.append(Mark(offset, "section", path))
        offset += len(piece)
    return _Extracted("".join(pieces), title, date, tuple(marks))


# -- pdf and docx -------------------------------------------------------------------------------
_FILE_TITLE = re.compile(r"^microsoft (?:word|powerpoint) - |\.(?:docx?|pdf|odt|rtf|txt)$", re.I)


def _useful_title(title: str | None) -> str | None:
    """A document property title, unless it is empty or just a file name ("Microsoft Word - x.docx")."""
    title = (title or "").strip()
    return title if title and not _FILE_TITLE.search(title) else None


_PDF_WRAP = re.compile(r"(?<![.!?:;])\n(?=[a-zæøåäöüé])")


def _rejoined(text: str) -> str:
    """`text` with the lines that continue a sentence rejoined, one space for each line break (so
    offsets hold): pypdf breaks them where the page did, and a text or Markdown file written at a
    fixed width breaks its paragraphs so ("… bytter vi dem gratis til" / "en anden type inden for 3
    måneder": a line break ends a sentence, `rag.ingest.sentences`, and half a sentence was quoted;
    eval/trial16 r18-34). Not a table's rows: "under 8 m | 150 kr. | 190 kr." ends no sentence."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines:
        if out and CELL_SEPARATOR not in out[-1] and CELL_SEPARATOR not in line and (
                (_PDF_WRAP.match("\n" + line) and (not re.search(r"[.!?:;]$", out[-1])
                                                    # "En pause koster 49 kr. pr." / "måned og skal …"
                                                    # (eval/trial27's gym: "49 kr. pr." was quoted)
                                                    or ends_on_abbreviation(out[-1])))
                # a line ending on a word that leads on goes on, also into a figure: "Højsæson er
                # 20. juni til" / "15. august, …" (a review's kennel PDF: half a period quoted), and a
                # paragraph's line into a name: "… Ved regn flyttes vielsen til" / "Orangeriet uden
                # beregning." (a review's PDF: "Ved regn flyttes vielsen til" was quoted)
                or (_LEADS_ON.search(out[-1]) and (re.match(r"\d", line) or (
                    len(out[-1]) >= _PARAGRAPH_LINE and re.match(r"[A-ZÆØÅ]", line))))
                # a long line ending mid-sentence on any word goes on into a figure: "… Ved afhentning
                # får du" / "100 kr. i rabat pr. rummeter." (a review's price list wrapped at 72)
                or (_MONTH_AT_END.search(out[-1]) and re.match(r"(?:19|20)\d\d\b", line))
                or (len(out[-1]) >= _WRAPPED_LINE and re.search(r"[^\W\d_]$", out[-1])
                    and re.match(r"\d+(?:[.,]\d+)*\s+[^\W\d_]", line))):  # not "24. december", "1. Udfyld"
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return "\n".join(out)


_PARAGRAPH_LINE = 40  # characters: a line this long ending on "til" is a wrapped paragraph's, no heading
_WRAPPED_LINE = 60  # characters: a line this long ending on a word is a paragraph wrapped at a fixed width
_LEADS_ON = re.compile(r"\s(?:i|på|fra|til|af|med|for|om|efter|ved|hos|mod|og|eller|samt|end|kl\.|nr\.|senest|den)$")
# a date's month at a line's end, its year opening the next: "… til søndag den 15. marts" / "2026. I denne …"
_MONTH_AT_END = re.compile(rf"\d\.\s*(?:{MONTH_PATTERN})$", re.I)


def _meta_date(value: object) -> str | None:
    """An ISO date from a metadata datetime, or None."""
    try:
        return value.date().isoformat() if value is not None else None  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return None


def _page_text(page: Any) -> str:
    """A PDF page's text: pypdf's plain text, or, where the page sets a table in columns, its
    layout text with the table's rows as " | " rows (`rag.ingest.columns`). Plain text gives a
    table's cells a line each ("10-12 m", "220 kr.", "275 kr."), so no sentence held a row's label
    and its price (eval/trial16's harbour tariffs)."""
    from rag.ingest.columns import PDF_GAP, aligned_rows, prose_in_columns

    plain = page.extract_text() or ""
    try:
        layout = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # pypdf's layout mode fails on some fonts where its plain mode reads them
        return plain
    rows = aligned_rows(layout, PDF_GAP)
    if rows == layout or prose_in_columns(layout):
        return plain
    lines = [line.strip() for line in rows.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _pdf(data: bytes) -> _Extracted:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise UnreadableFileError("encrypted PDF (remove the password and index it again)")
    parts: list[str] = []
    marks: list[Mark] = []
    offset = 0
    for number, page in enumerate(reader.pages, start=1):
        # pypdf breaks lines where the page did; rejoin lines that continue a sentence.
        content = _rejoined(_page_text(page).strip())
        if content:
            offset += 2 if parts else 0  # the "\n\n" joining pages
            marks.append(Mark(offset, "page", number))
            parts.append(content)
            offset += len(content)
    meta = reader.metadata
    try:
        date = _meta_date(meta.creation_date) if meta else None
    except Exception:  # a malformed date string in the metadata
        date = None
    return _Extracted("\n\n".join(parts), _useful_title(meta.title if meta else None), date, tuple(marks))


_DOCX_HEADING = re.compile(r"(?:heading|overskrift) (\d)$", re.I)  # Danish-named copies too


_PYTHON_DOCX_TEMPLATE_CREATED = _dt.datetime(2013, 12, 23, 23, 15, tzinfo=_dt.timezone.utc)


def _docx_cells(row: Any) -> list[Any]:
    """A docx row's cells, a merged cell once: python-docx gives a cell spanning several grid columns
    once per column (the same `<w:tc>`). Two cells that only say the same ("179 kr." under "Hidtil"
    and under "Fra 1. marts") both stay: dropping repeated texts made such a row one cell short of
    its header."""
    kept: list[Any] = []
    for cell in row.cells:
        if not any(cell._tc is k._tc for k in kept):
            kept.append(cell)
    return kept


def _cell_text(cell: Any) -> str:
    """A docx table cell's paragraphs and, inline, the rows of any table inside it (python-docx's
    `cell.text` leaves nested tables out: a price list set in a cell vanished)."""
    from docx.table import Table

    parts = []
    for item in cell.iter_inner_content():
        if isinstance(item, Table):
            parts += [table_row(_cell_text(c) for c in _docx_cells(r)) for r in item.rows]
        else:
            parts.append(item.text)
    return " ".join(p for p in parts if p.strip())


def _docx(data: bytes) -> _Extracted:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(data))
    blocks: list[str] = []
    marks: list[Mark] = []
    headings = _Headings()
    offset = 0
    title = _useful_title(document.core_properties.title)
    for item in document.iter_inner_content():
        if isinstance(item, Table):  # one paragraph per table, one line per row
            block = "\n".join(row for row in (table_row(_cell_text(c) for c in _docx_cells(r)) for r in item.rows)
                               if row)
        elif item.text.strip():
            block = item.text
            style = item.style.name if item.style is not None else ""
            if title is None and style in ("Title", "Heading 1"):
                title = item.text.strip()
            level = _DOCX_HEADING.match(style or "")
            if level:
                marks.append(Mark(offset + (2 if blocks else 0), "section",
                                  headings.push(int(level.group(1)), item.text)))
        else:
            continue
        offset += (2 if blocks else 0) + len(block)
        blocks.append(block)
    try:
        created = document.core_properties.created
        # python-docx's own template carries this creation time: a file it wrote says nothing of its date
        date = None if created == _PYTHON_DOCX_TEMPLATE_CREATED else _meta_date(created)
    except Exception:  # a malformed date in docProps/core.xml
        date = None
    return _Extracted("\n\n".join(blocks), title, date, tuple(marks))


# -- reading ------------------------------------------------------------------------------------
def _extract(data: bytes, suffix: str, warn: Callable[[str], None] | None = None) -> _Extracted:
    """The raw text and hints of a file's bytes; raises UnreadableFileError(reason). `warn` gets
    one-line notes about text that was read but may be damaged (mixed encodings)."""
    suffix = suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableFileError(f"{UNSUPPORTED}{suffix or '(no suffix)'}")
    if suffix in (".txt", ".md", ".markdown", ".html", ".htm"):
        if looks_binary(data) and not _has_utf16_bom(data) and utf16_without_bom(data) is None:
            raise UnreadableFileError("looks binary")
        if suffix in (".html", ".htm"):
            return _html(data)
        decoded = decode(data)
        if decoded.note and warn is not None:
            warn(decoded.note)
        text = decoded.text
        if suffix in (".md", ".markdown"):
            md = _markdown(text)
            return _Extracted(_rejoined(md.text), md.title, md.date, md.marks)  # same length: marks hold
        from rag.ingest.columns import aligned_rows

        return _Extracted(_rejoined(aligned_rows(text)))  # a price list padded into columns: its rows
    reader = _pdf if suffix == ".pdf" else _docx
    try:
        return reader(data)
    except UnreadableFileError:
        raise
    except Exception as e:  # corrupt or unexpected files: whatever the library raises
        kind = "PDF" if suffix == ".pdf" else "Word document"
        raise UnreadableFileError(f"not a readable {kind} ({type(e).__name__})") from None


def _read(path: Path, data: bytes | None = None,
          warn: Callable[[str], None] | None = None) -> tuple[bytes, _Extracted]:
    """(raw bytes, extracted); errors become "<path>: skipped: <reason>"."""
    try:
        data = read_bytes(path) if data is None else data
    except OSError as e:
        raise UnreadableFileError(f"{path}: skipped: cannot read ({e.strerror or e})") from None
    except UnreadableFileError as e:
        raise UnreadableFileError(f"{path}: skipped: {e}") from None
    try:
        extracted = _extract(data, path.suffix, warn)
    except UnreadableFileError as e:
        raise UnreadableFileError(f"{path}: skipped: {e}") from None
    return data, extracted


def read_text(path: Path) -> str:
    """The raw (uncleaned) text of a supported file."""
    return _read(Path(path))[1].text


def load_document(path: Path, source: str | None = None, *, data: bytes | None = None,
                  warn: Callable[[str], None] | None = None) -> Document:
    """Read, clean and hash one file. Raises UnreadableFileError("<path>: skipped: <reason>").

    `data`, when given, is the file's bytes already read by the caller (the indexer hashes them
    first), so the file is read once and the hash matches what was extracted. `warn`, when given,
    receives one-line notes about a file that was loaded but may read wrongly (mixed encodings)."""
    path = Path(path)
    data, raw = _read(path, data, warn)
    cleaned = clean_text(raw.text, title_hint=raw.title, date_hint=raw.date, marks=raw.marks)
    if not cleaned.text.strip():
        if path.suffix.lower() == ".pdf" and not raw.text.strip():  # pages, but no text layer
            raise UnreadableFileError(f"{path}: skipped: no text layer (a scan? run OCR on it first, "
                                      "e.g. ocrmypdf, then index it again)")
        raise UnreadableFileError(f"{path}: skipped: no text after cleaning")
    return Document(
        source=source or path.as_posix(),
        text=cleaned.text,
        sha256=hashlib.sha256(data).hexdigest(),
        title=cleaned.title,
        date=cleaned.date,
        pages=tuple(Span(s.start, s.end, int(s.value)) for s in cleaned.spans.get("page", ())),
        sections=_without_title(cleaned.spans.get("section", ()), cleaned.title),
    )


def _without_title(sections: tuple[Span, ...], title: str | None) -> tuple[Span, ...]:
    """Section paths without a leading heading that is the document's title (shown already)."""
    out: list[Span] = []
    for span in sections:
        parts = str(span.value).split(SECTION_SEP)
        if title and parts[0].casefold() == title.casefold():
            parts = parts[1:]
        if parts:
            out.append(Span(span.start, span.end, SECTION_SEP.join(parts)))
    return tuple(out)
