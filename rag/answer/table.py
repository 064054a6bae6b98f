"""Table rows in passages: the header above a row, the column a question asks for, a row read with its header.

Loaders write a table row as one line of cells joined by `CELL_SEPARATOR` ("Cykel | 15.000 kr. |
1.500 kr."), a Markdown table's delimiter row as a blank line under its header. A row alone does not
say what its figures are; its header does ("Dækning | Forsikringssum | Selvrisiko"). Across the
blind trial sets 26 answers were such bare rows, a third of them with two figures side by side
("Torsdag | 12.00–19.00 | 7.00–22.00" for when the library is staffed).

A chunk that opens mid-table has its header in an earlier chunk of its document: the searcher carries
it over (`carried_header`, `Chunk.table_header`), so "Søndag 6. juni | Skagen og Grenen | … | 545 kr."
is read under "Dato | Tur | … | Voksen | Barn 4-11 år | Pensionist" two chunks on.

Left out: a header
holding an amount or opening a cell with a figure (it cannot be told from a data row), and reading a
cell's list ("the last ferry": the list is answered whole). A PDF's table is read as rows where
pypdf's layout text sets it in columns (`rag.ingest.columns`); a table of aligned text whose first
row is data, not a header, is read as if it were one.
An empty cell is `EMPTY_CELL` (the loaders keep the columns): never an answer, left out of a row read
with its header.
"""

from __future__ import annotations

import re

from rag.danish import (
    MONEY,
    STOPWORDS,
    WEEKDAY_PATTERN,
    WHOLE_NUMBER,
    QuestionKind,
    age_bounds,
    asked_age,
    asked_minutes,
    asked_weekday,
    asks_price,
    covers_weekday,
    frequency,
    head_count,
    inflected,
    minutes_in,
    names_weekday,
    quantity_ranges,
    square_metres,
    whole_number,
)
from rag.ingest.loaders import CELL_SEPARATOR, EMPTY_CELL
from rag.types import Chunk

_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d+")
PRICE_HEAD = re.compile(r"pris|beløb|takst|kr\b", re.I)  # a column of prices: "Pris retur", "Månedspris"


def cells(row: str) -> list[str]:
    """A row's cells, stripped."""
    return [c.strip() for c in row.split(CELL_SEPARATOR)]


def header_of(row: str, passage: str, *, continued: bool = False) -> list[str] | None:
    """The cells of the header of the table in `passage` holding the line `row`: the row above a
    blank line over the rows (Markdown), else the table's first row; None when `row` is no row of
    `passage`, it is the table's first row, the header holds an amount or a cell opening with a figure
    (a data row; "Børn under 14 år" is a header), or a row stands right above
    it (then it is another table's last row, or the loader dropped empty cells and the widths lie:
    "Lørdag – Ingen afgange: 5.30" and "Vaccination – Gratis: 150 kr." were read so).
    `continued`: `passage` is a chunk after its document's first (`Chunk.ordinal > 0`); a row on its
    first line is then the chunk before's last row, which the overlap repeats, not a header ("Zone 3
    | Ellinge og Ravnsby | Onsdag | Lige uger" opening a chunk of a collection calendar)."""
    if CELL_SEPARATOR not in row:
        return None
    lines = [line.strip() for line in passage.split("\n")]
    if row.strip() not in lines:
        return None
    i = lines.index(row.strip())
    width = row.count(CELL_SEPARATOR)
    top = i
    while top > 0:
        above = lines[top - 1]
        if above and above.count(CELL_SEPARATOR) == width:
            top -= 1
            continue
        if not above and top >= 2 and lines[top - 2].count(CELL_SEPARATOR) == width \
                and not MONEY.search(lines[top - 2]):
            # a Markdown header over its blanked delimiter row; not a row of amounts over a blank line,
            # which ends another table (a PDF's page 1 above the header its page 2 repeats: a review's
            # grooming price list lost its header once page 1's last row was read whole)
            top -= 2
        break
    first = cells(lines[top])
    if top == i or any(MONEY.search(c) for c in first) or (
            any(c[:1].isdigit() for c in first) and not _years_header(first)
            and not _over_amounts(lines, top)):
        return None  # a data row: an amount, or a cell opening with a figure ("1–7 dage")
    if top != i and _DAY_LABEL.match(first[0]) and _DAY_LABEL.match(cells(row)[0]):
        return None  # "Mandag | lukket" over "Fredag | kl. 10-15": the first day's row (eval/trial22 r24-02)
    if top > 0 and CELL_SEPARATOR in lines[top - 1]:
        return None  # it does not open its table: another table's last row, or a row with empty cells dropped
    if continued and not any(lines[:top]):
        return None  # the passage starts mid-table: its first row is the last of the chunk before (overlap)
    return cells(lines[top])


def _over_amounts(lines: list[str], top: int) -> bool:
    """The row `lines[top]`, holding no amount, stands over a row of amounts: it names their columns,
    figures and all ("Billettype | 3 timer | Dagkort | Sæsonkort" over "Voksen | 140 kr. | 260 kr. | …":
    eval/trial19 r21-01, written blind), when its label cell is no figure ("1 nat | Kun efter aftale"
    over "2-3 nætter | 900 kr. | …" is the table's first step: a review)."""
    if cells(lines[top])[0][:1].isdigit():
        return False
    below = next((line for line in lines[top + 1:top + 3] if CELL_SEPARATOR in line), "")
    return len(MONEY.findall(below)) >= 2


_DAY_LABEL = re.compile(rf"\s*(?:{WEEKDAY_PATTERN})\b", re.I)  # a row labelled by a weekday ("Tirsdag-torsdag")
_YEAR_CELL = re.compile(r"(?:19|20)\d\d")


def _years_header(values: list[str]) -> bool:
    """A header of year columns: "Bidrag | 2025 | 2026" (a tariff's years side by side; eval/trial15
    r17-05 read it as a data row and answered 2025's price for 2026): a first cell of words, each
    other cell a year alone."""
    return len(values) >= 2 and not values[0][:1].isdigit() and all(_YEAR_CELL.fullmatch(v) for v in values[1:])


def header_in(row: str, chunk: Chunk) -> list[str] | None:
    """`header_of` the row in a retrieved chunk: one after its document's first is `continued`; a
    row of the table the chunk opens with, whose header stands in an earlier chunk, has the header
    the searcher carried over (`Chunk.table_header`)."""
    found = header_of(row, chunk.text, continued=chunk.ordinal > 0)
    if found is not None or chunk.table_header is None or CELL_SEPARATOR not in row:
        return found
    header = cells(chunk.table_header)
    return header if row.strip() in _opening_rows(chunk.text, len(header) - 1) else None


def _opening_rows(passage: str, width: int) -> list[str]:
    """The rows of `width` separators `passage` opens with (blank lines allowed between them)."""
    rows = []
    for line in (line.strip() for line in passage.split("\n")):
        if not line:
            continue
        if line.count(CELL_SEPARATOR) != width:
            break
        rows.append(line)
    return rows


def opens_with_row(passage: str) -> bool:
    """`passage`'s first line (past blank ones) is a table row: the chunk may open mid-table."""
    return CELL_SEPARATOR in _first_line(passage)


def _first_line(passage: str) -> str:
    return next((line.strip() for line in passage.split("\n") if line.strip()), "")


def carried_header(passage: str, earlier: Chunk) -> str | None:
    """The header line of the table `passage` opens in the middle of, read in `earlier` (the chunk
    before it in their document, with the header carried into it, if any: `header_in`); None when
    `passage` does not open with a table row, the table has a header in `passage` itself, or
    `earlier` does not end in that table or knows no header for it. The chunk overlap usually
    repeats `earlier`'s last row as `passage`'s first; without overlap `earlier`'s last row is read."""
    first = _first_line(passage)
    if CELL_SEPARATOR not in first:
        return None
    lines = [line.strip() for line in earlier.text.split("\n") if line.strip()]
    if is_header(first, passage):
        # the overlap repeated the header line itself ("Post | 2025 | 2026" ending one chunk and
        # opening the next, eval/trial15): it opens its table in `earlier` too, so it is the header
        # that `passage`'s rows are read with, the first line being read as an overlapped row
        i = lines.index(first) if first in lines else -1
        opens = i >= 0 and (i == 0 or lines[i - 1].count(CELL_SEPARATOR) != first.count(CELL_SEPARATOR))
        return first if opens else None
    row = first if first in lines else lines[-1] if lines else ""
    if row.count(CELL_SEPARATOR) != first.count(CELL_SEPARATOR):
        return None  # `earlier` ends in prose or another table
    header = header_in(row, earlier)
    return CELL_SEPARATOR.join(header) if header else None


def is_header(row: str, passage: str, *, continued: bool = False) -> bool:
    """Whether the line `row` is the header of a table of `passage`: the row under it (past a
    Markdown table's blanked delimiter row) reads it as its header (`header_of`). A header names the
    columns a question asks about ("Husets størrelse | Hver 4. uge | Hver 8. uge"), so it shares
    the question's words, but it answers nothing: its rows do. Not the first row of a two-column
    table whose second cell holds a figure or a name ("Formand | Hans Jensen", a review): a table of
    labels and values."""
    if CELL_SEPARATOR not in row:
        return False
    lines = [line.strip() for line in passage.split("\n")]
    if row.strip() not in lines:
        return False
    i = lines.index(row.strip())
    below = next((line for line in lines[i + 1:i + 3] if line), "")
    if not (CELL_SEPARATOR in below and header_of(below, passage, continued=continued) == cells(row)):
        return False
    # a two-column table of labels and values has no header: "Formand | Hans Jensen" is its first fact
    head = cells(row)
    return len(head) > 2 or not re.search(r"\d|\s[A-ZÆØÅ]", head[-1])


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text) if len(w) >= 3 and w.casefold() not in STOPWORDS]


def asked_column(question: str, header: list[str], kind: QuestionKind | None = None) -> int | None:
    """The column after the first whose header names the most words of `question`, inflected or
    not ("selvrisikoen" → "Selvrisiko", "betjent" → "Betjent", not "Selvbetjent"; "i husleje fra
    marts 2026 om måneden" → "Fra 1. marts 2026 pr. måned", not "Hidtil pr. måned"; "en lørdag" →
    "Fredag–søndag og helligdage", `rag.danish.covers_weekday`; an asker's age → the column of the
    ages holding it, "Barn (5-14 år)"), or, for a price
    question naming none, the one column of prices ("Pris retur"); None when no column is named,
    several name the most, or the first column names as many (the row's label is asked)."""
    asked = set(_words(question)) | set(_NUMBER.findall(question))

    def named(head: str) -> int:  # how many of the question's words (and numbers) the header says
        said, numbers = _words(head), set(_NUMBER.findall(head))
        return sum(w in numbers or any(w == h or (min(len(w), len(h)) >= 4 and inflected(w, h)) for h in said)
                   for w in asked)

    day = asked_weekday(question)  # "en lørdag" asks the "Fredag–søndag og helligdage" column, and
    # "Lør-, søn- og helligdage (1 dag)", naming the day, over "Weekend (fre-søn)" (eval/trial15 r17-07)

    def of_day(head: str) -> int:
        return 0 if day is None else 2 if names_weekday(head, day) else int(covers_weekday(head, day))

    age = asked_age(question)  # "min søn er 9 år" asks the "Barn (5-14 år)" column, not "Voksen" (eval/trial16)

    def of_age(head: str) -> int:
        return 0 if age is None else 2 * any(lo <= age[0] and age[1] <= hi for lo, hi in age_bounds(head))

    often = frequency(question)  # "hver anden uge" asks the "Hver 14. dag" column, not "Hver uge" (trial23 r25-04)

    def of_frequency(head: str) -> int:
        return 0 if often is None else 2 * (frequency(head) == often)

    minutes = asked_minutes(question)  # "halvanden time" asks the "90 min." column (eval/trial27 r29-03)

    def of_length(head: str) -> int:
        return 0 if minutes is None else 2 * (minutes in minutes_in(head))

    counts = {k: named(header[k]) + of_day(header[k]) + of_age(header[k]) + of_frequency(header[k])
              + of_length(header[k]) for k in range(1, len(header))}
    most = max(counts.values(), default=0)
    if most > 0 and day is None and age is None and named(header[0]) >= most:
        # the first column names it as well: "Underviser | Underviser i" for "hvem er underviser på raku
        # kurset" asks the row's label, "Ole Thygesen" (eval/trial20 r22-28, written blind): the row whole
        return None
    found = [k for k, c in counts.items() if c == most and c > 0]
    if not found and kind is not None and asks_price(kind):
        found = [k for k in range(1, len(header)) if PRICE_HEAD.search(header[k])]
    return found[0] if len(found) == 1 else None


def bracket(row: str) -> tuple[int, int, str] | None:
    """The range a row gives of what it is for, with its unit: its first cell opening with one ("8–30
    dage" → (8, 30, "dage"), "Over 30 dage" → (31, 10**9, "dage"), "Under 5 kg" → (0, 4, "kg")), else
    the one range a cell holds ("Storfamilie, 7-12 personer", "25-50 km fra værkstedet", "4.-6.
    klasse", `rag.danish.quantity_ranges`), or a first cell of a name and a range ("Lindegårdsvej
    32-40" → (32, 40, "Lindegårdsvej"): house numbers); None for a row without one, or with several (a row of two
    bands names no one group). Not one value alone ("Soloundervisning | 20 min. | …" is a lesson of
    that length: `rag.danish.measure_fits` reads it, and the band's "60 min." prices another thing).
    Found by eval/trial15 (written blind): a family of 8 was priced by the "op til 6 personer" row,
    a 5th-grader by the 7th grade's, a call-out 40 km away by the zone "Op til 25 km"."""
    if CELL_SEPARATOR not in row:
        return None
    values = cells(square_metres(row))
    found = quantity_ranges(values[0], at_start=True)
    street = _NAMED_RANGE.match(values[0])
    if street is not None:  # "Lindegårdsvej 32-40": house numbers of a street, the street its unit
        return int(street.group(2)), int(street.group(3)), street.group(1)
    if not found:
        # not an age band ("Senior (17 år og derover)"): an asker's age is `rag.answer.evidence._of_age`'s,
        # which asks the row to price what is asked (a review: "jeg er 30 år hvad koster passivt
        # medlemskab" had moved from "Passive medlemmer betaler 200 kr." to the seniors' row)
        found = [r for cell in values for r in quantity_ranges(cell) if not AGE_UNIT.match(r[2])]
        # the label's own band names the row among its cells' ranges: "Stor kasse (5-6 personer) | ca.
        # 10 kg, 10-12 slags | 375 kr." (eval/trial17b r20-04)
        label = [r for r in quantity_ranges(values[0]) if not AGE_UNIT.match(r[2])]
        if len(found) != 1 and len(label) == 1:
            found = label
        if len(found) != 1:
            return None
    lo, hi, unit = found[0]
    return lo, 10**9 if hi is None else hi, unit


AGE_UNIT = re.compile(r"års?$|årig", re.I)
# A name and a range of numbers after it: a street's house numbers ("Lindegårdsvej 32-40"), asked by
# the asker's address ("bor på lindegaardsvej 36": a review's housing-association letter)
_NAMED_RANGE = re.compile(r"^([^\W\d_]{4,})\s+(\d{1,4})\s*[-–]\s*(\d{1,4})$")
# Lengths in centimetres, and a length a question gives in any of them: "1,80 m", "180 cm", "2 meter".
_LENGTH_CM = {"mm": 0.1, "cm": 1.0, "centimeter": 1.0, "m": 100.0, "meter": 100.0}
_GIVEN_LENGTH = re.compile(r"(?<![\d,.])(\d+(?:,\d+)?)\s*(mm|cm|centimeter|m|meter)\b", re.I)
# A quantity a question gives: "10 dage for sent", "vi er 8 personer", "går i 5. klasse", "ca 40 km".
_GIVEN_QUANTITY = re.compile(rf"\b({WHOLE_NUMBER})\.?\s*([^\W\d_]+)")  # "2.500 m²" too


def opens_with_bracket(row: str) -> bool:
    """`row` is a table row whose first cell opens with its bracket ("8–30 dage | 80 kr."): the rows
    of its table are the bracket's steps, of one thing."""
    return CELL_SEPARATOR in row and bool(quantity_ranges(cells(row)[0], at_start=True))


def without_quantities(question: str) -> str:
    """`question` without the quantities it gives (`_GIVEN_QUANTITY`: "8 personer", "5. klasse",
    "40 km"): what is left says what is asked about."""
    return _GIVEN_QUANTITY.sub(" ", question)


def in_bracket(question: str, row: str) -> bool | None:
    """Whether the quantity the question gives in the unit of `row`'s bracket ("10 dage for sent")
    falls in it ("8–30 dage"); None when the row has no bracket or the question no such quantity."""
    found = bracket(row)
    if found is None:
        return None
    lo, hi, unit = found
    if unit[:1].isupper():  # a name's numbers: the question's number right after the name
        m = re.search(rf"\b{re.escape(unit)}\s+(\d{{1,4}})\b", question, re.I)
        return None if m is None else lo <= int(m.group(1)) <= hi
    scale = _LENGTH_CM.get(unit.casefold())
    length = _GIVEN_LENGTH.search(question) if scale is not None else None
    if scale is not None and length is not None:  # another unit's length: "1,80 m" in "175-200 cm" (trial20 r22-13)
        return lo <= float(length.group(1).replace(",", ".")) * _LENGTH_CM[length.group(2).casefold()] / scale <= hi
    for m in _GIVEN_QUANTITY.finditer(square_metres(question)):
        given, own = m.group(2).casefold(), unit.casefold()
        # the unit as the last part of a compound too: "18 solpaneler" for "11-20 paneler" (eval/trial26
        # r28-02, typed "solpaneller": its first five letters are enough)
        if given[:3] == own[:3] or (len(own) >= 5 and own[:5] in given[3:]):
            return lo <= whole_number(m.group(1)) <= hi
    if unit.casefold().startswith("pers"):  # "vi er 4 i familien" for "3-5 personer", "pers."
        party = head_count(question)
        return None if party is None else lo <= party <= hi
    return None


def with_header(row: str, header: list[str]) -> str:
    """`row` read with its header: "Cykel – Forsikringssum: 15.000 kr., Selvrisiko: 1.500 kr."; an
    empty cell (`EMPTY_CELL`) left out, a value under an empty header cell alone; the row unchanged
    when the cell counts differ."""
    values = cells(row)
    if len(values) != len(header) or len(values) < 2:
        return row
    said = [v if h == EMPTY_CELL else f"{h}: {v}" for h, v in zip(header[1:], values[1:], strict=True)
            if v != EMPTY_CELL]
    return f"{values[0]} – " + ", ".join(said) if said else row
