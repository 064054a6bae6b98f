"""Tables set in aligned columns, rewritten as the table rows the rest of rag reads.

A PDF's table comes out of pypdf's layout mode (`extraction_mode="layout"`) as text placed where the
page shows it, its cells apart by runs of spaces; its plain mode gives the cells one per line
("10-12 m", "220 kr.", "275 kr." on three lines), so no sentence held a row's label and its price.
A plain-text price list pads its columns with spaces the same way ("Rikke Dal         Optometrist").
`aligned_rows(text)` rewrites each block of such lines as one row per line, its cells joined by
`rag.ingest.loaders.table_row` (" | "), the form HTML, markdown and Word tables already take: "10-12 m
| 220 kr. | 275 kr.". A header cell set on two lines ("Abonnement pr." / "måned") joins its row,
and so does a header's second line of cells ("Pris pr. døgn" over "lavsæson") when one of the two
lines leaves the first column empty and neither holds a figure.
Every other line is left as it is, and so is a line holding a "|" (cells already delimited).

What is a table: two lines or more, each with two cells or more (a run of `gap` spaces or a tab
between them), whose cells start in the same columns (`_COLUMN_SLACK`) and are short: on average at
most `_MAX_WORDS` words. A page set in two columns of prose also has aligned runs of spaces but
long cells; `prose_in_columns` says so, and the PDF reader keeps pypdf's plain text for such a page.
Not handled: a cell that spans several columns (it is read as the column it starts in). A row whose
cells wrap onto a second line at once is one row where that line's cells all open in lower case.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

# Cells of a row: text whose words are apart by at most (gap - 1) spaces. pypdf's layout mode puts
# two spaces between the words of a justified line ("Vestkraft  Energi  A/S"), so a PDF's gap is 3;
# a typed text file pads a long label with two ("Søn- og helligdage  lukket").
PDF_GAP = 3
TEXT_GAP = 2
_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(r"\bkr\b|%|€|\$", re.I)
_COLUMN_SLACK = 3  # characters a cell's start may stray from its column's (right-aligned amounts)
# Mean words per cell above which aligned text is prose in columns, not a table: the trial sets'
# tables average 1.5-3 words a cell; a two-column page's half-lines 6-9.
_MAX_WORDS = 5.0


@dataclass(frozen=True)
class _Cell:
    start: int
    text: str


def _cells(line: str, gap: int) -> list[_Cell]:
    pattern = re.compile(rf"[^ \t](?:[^\t ]| {{1,{gap - 1}}}(?=[^ \t]))*")
    return [_Cell(m.start(), m.group(0)) for m in pattern.finditer(line.expandtabs(8))]


def _columns(rows: list[list[_Cell]]) -> list[int]:
    """The start of each column: cell starts of the rows, those within `_COLUMN_SLACK` merged."""
    starts = sorted(c.start for row in rows for c in row)
    columns: list[list[int]] = []
    for s in starts:
        if columns and s - columns[-1][-1] <= _COLUMN_SLACK:
            columns[-1].append(s)
        else:
            columns.append([s])
    return [min(group) for group in columns]


def _column_of(cell: _Cell, columns: list[int]) -> int:
    return min(range(len(columns)), key=lambda j: abs(columns[j] - cell.start))


def _aligned(rows: list[list[_Cell]], columns: list[int]) -> bool:
    """Every cell starts near a column that at least two rows use."""
    used: dict[int, int] = {}
    for row in rows:
        for j in {_column_of(c, columns) for c in row}:
            used[j] = used.get(j, 0) + 1
    return all(abs(columns[_column_of(c, columns)] - c.start) <= _COLUMN_SLACK
               and used[_column_of(c, columns)] >= 2 for row in rows for c in row)


def _short(rows: list[list[_Cell]]) -> bool:
    cells = [c for row in rows for c in row]
    return sum(len(c.text.split()) for c in cells) / len(cells) <= _MAX_WORDS


def _wraps(row: list[_Cell], line: list[_Cell], margin: int) -> bool:
    """Whether `line` is the wrapped end of one of `row`'s cells: one cell, set in past the prose's
    margin where a cell of the row starts, under `_MAX_WORDS` words, in lower case."""
    if len(line) != 1:
        return False
    cell = line[0]
    return (cell.start > margin and cell.text[:1].islower() and len(cell.text.split()) < _MAX_WORDS
            and any(abs(c.start - cell.start) <= _COLUMN_SLACK for c in row))


def _blocks(parsed: list[list[_Cell]]) -> list[tuple[int, int]]:
    """(first, last) line numbers of each run of lines with two cells or more, blank lines and
    lines of one indented cell (a wrapped cell, a header set on two lines) allowed between and
    around them."""
    blocks: list[tuple[int, int]] = []
    i, n = 0, len(parsed)
    # the prose's left edge (where most lines of one cell start): pypdf's layout mode may set every
    # line in by a space, so a line of prose starts there, not at 0 (eval/trial19's camper-van terms:
    # the prose between two tables was read as the first table's wrapped cells, the tables as one)
    starts = Counter(row[0].start for row in parsed if len(row) == 1)
    margin = min(starts.most_common(1)[0][0], 1) if starts else 0
    while i < n:
        if len(parsed[i]) < 2:
            i += 1
            continue
        first = last = i
        j = i + 1
        while j < n:
            if len(parsed[j]) >= 2:
                last = j
            elif parsed[j] and parsed[j][0].start <= margin and (
                    margin == 0 or not parsed[j - 1] or len(parsed[j][0].text.split()) >= 5):
                # a line of prose or a heading ends the table; where every line is set in, a short line
                # right under a row is that row's wrapped first cell (" før afhentning": a review)
                break
            elif not parsed[j] and j + 1 < n and not parsed[j + 1]:
                break  # two blank lines
            j += 1
        # a header cell's first line just above the first row: indented, one cell
        if first > 0 and len(parsed[first - 1]) == 1 and parsed[first - 1][0].start > margin:
            first -= 1
        # one-cell lines after the last row belong to the table only when a row follows them, or
        # when they are that row's cell wrapped: right under it, set in where one of its cells starts,
        # short and in lower case ("manøvrebane og" / "glatbane" closing eval/trial27's driving-school
        # table; its last row had lost the word to the prose after it)
        row = parsed[last]
        while last + 1 < n and _wraps(row, parsed[last + 1], margin):
            last += 1
        blocks.append((first, last))
        i = last + 1
    return blocks


def _rewrite(parsed: list[list[_Cell]], first: int, last: int) -> list[str] | None:
    """The block's rows, or None when it is no table."""
    from rag.ingest.loaders import table_row

    rows = [(k, parsed[k]) for k in range(first, last + 1) if len(parsed[k]) >= 2]
    if len(rows) < 2:
        return None
    columns = _columns([r for _, r in rows])
    if not (_aligned([r for _, r in rows], columns) and _short([r for _, r in rows])):
        return None
    width = len(columns)
    out: dict[int, list[str]] = {}
    for k, row in rows:
        cells = [""] * width
        for c in row:
            j = _column_of(c, columns)
            cells[j] = f"{cells[j]} {c.text}".strip()
        out[k] = cells
    # a line of several cells right under a row, each in lower case, fewer than the row's: the row's
    # cells wrapped at once ("Udeblivelse uden | … | Afbud senere end 24 timer før" over "afbud | … |
    # koster halv pris", a review's grooming price list: "koster halv pris" was read as a row of its own)
    for k in sorted(out):
        filled = [c for c in out[k] if c]
        if k - 1 in out and 2 <= len(filled) < width and all(c[:1].islower() for c in filled):
            out[k - 1] = [f"{a} {b}".strip() for a, b in zip(out[k - 1], out[k], strict=True)]
            del out[k]
    row_lines = sorted(out)
    for k in range(first, last + 1):
        if len(parsed[k]) != 1:
            continue
        cell = parsed[k][0]
        j = _column_of(cell, columns)
        above = [r for r in row_lines if r < k]
        below = [r for r in row_lines if r > k]
        # a line of its own next to a row (no blank line between) continues that row's cell: below
        # it ("måned" under "Abonnement pr."), or above the first row (a header's first line)
        if above and all(parsed[m] for m in range(above[-1] + 1, k)):
            target = above[-1]
        elif below:
            target = below[0]
        else:
            target = above[-1]
        cells = out[target]
        cells[j] = f"{cell.text} {cells[j]}".strip() if target > k else f"{cells[j]} {cell.text}".strip()
    # a header set on two lines of two cells or more ("Pris pr. døgn" / "lavsæson" under it, the
    # first column's cell empty on one of them): one header row, not a header and a row of labels
    # … also when the second line gives figures under a header of none, but no amount: "Lavsæson uge" over
    # "1-17 og 40-52" (eval/trial19's camper-van terms)
    merged: list[int] = []
    for k in row_lines:
        prev = merged[-1] if merged else None
        if prev is not None and k == prev + 1 and len(merged) == 1 and (not out[k][0] or not out[prev][0]) \
                and not _DIGIT.search(" ".join(out[prev])) and (
                    not _DIGIT.search(" ".join(out[k])) or (not out[k][0] and not _AMOUNT.search(" ".join(out[k])))):
            out[prev] = [f"{a} {b}".strip() for a, b in zip(out[prev], out[k], strict=True)]
            continue
        merged.append(k)
    return [table_row(out[k]) for k in merged]


def aligned_rows(text: str, gap: int = TEXT_GAP) -> str:
    """`text` with each table set in aligned columns written one " | " row per line (see module
    docstring); the table's lines, blank ones between its rows included, become its rows."""
    lines = text.split("\n")
    # a line holding a "|" is a delimited row (or prose quoting one), however its writer padded it:
    # "Jordbær                | bakke 500 g   | 35 kr." had become "Jordbær | | bakke 500 g | | 35 kr.".
    # It is read as one cell at the margin, which ends an aligned table (a blank line would not).
    parsed = [[_Cell(0, line)] if "|" in line else _cells(line, gap) for line in lines]
    out: list[str] = []
    i = 0
    for first, last in _blocks(parsed):
        rows = _rewrite(parsed, first, last)
        if rows is None:
            continue
        out += lines[i:first]
        out += rows
        i = last + 1
    out += lines[i:]
    return "\n".join(out)


def prose_in_columns(text: str, gap: int = PDF_GAP) -> bool:
    """Whether `text` holds three lines or more of aligned cells too long for a table: a page set
    in columns of prose, which reads better as pypdf's plain text."""
    parsed = [_cells(line, gap) for line in text.split("\n")]
    for first, last in _blocks(parsed):
        rows = [parsed[k] for k in range(first, last + 1) if len(parsed[k]) >= 2]
        if len(rows) >= 3 and not _short(rows):
            return True
    return False
