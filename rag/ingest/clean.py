"""Cleaning scraped text: normalise it, strip page boilerplate, find a title and a date.

The rules are generic, line-based and Danish-aware; none is keyed to a particular site:

- Unicode NFC; odd spaces become plain spaces; zero-width characters and soft hyphens go; lines
  with no letter or digit go ("¨", "* * *").
- Short lines without sentence punctuation that occur twice or more (app promos, repeated
  bylines, menu items) go entirely; longer repeated lines keep their first occurrence. A fact
  (a "Label: value" line or a table row with a figure) and a table's header row stay every time:
  under another heading they are another item's.
- Call-to-action and navigation lines ("Tilmeld dig her", "Læs mere om … her", "Del artiklen",
  "Senest opdateret 10-06-2021", "Hent vores app"), newsletter and cookie blurbs, share forms
  (several "* :" form fields) and contact cards after a "Kontakt" heading go.
- Photo credits go, whether a line of their own or trailing a caption ("… kontor. Foto: X").

Text is returned as paragraphs separated by one blank line; lines inside a paragraph keep their
line breaks. Structure survives cleaning: the caller may mark places in the raw text (a PDF page
starts here, a heading path starts here) and gets back `spans` of the cleaned text, each carrying
the value of the last mark at or before its lines, so offsets into the cleaned text stay exact.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from rag.danish import MONTH_NUMBERS, WEEKDAYS
from rag.types import Span

Line = tuple[int, str]  # (line number in the raw text, text): the number survives every step


@dataclass(frozen=True)
class Mark:
    """From raw-text offset `offset` on, structure `kind` ("page", "section") has `value`."""

    offset: int
    kind: str
    value: int | str | None


@dataclass(frozen=True)
class Cleaned:
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601: "2021-06-10", or "2020-10" when only the month is known
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)  # kind -> spans of `text`


# -- normalisation ------------------------------------------------------------------------------
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")  # characters that show nothing
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_MULTI_SPACE = re.compile(r" {2,}")
_LINE_SPLIT = re.compile(rf"\n|{_LINE_BREAKS.pattern}")


def _normalise(raw: str) -> list[str]:
    """One normalised string per raw line (split as `_line_starts` splits)."""
    out = []
    for line in _LINE_SPLIT.split(raw):
        line = INVISIBLE.sub("", unicodedata.normalize("NFC", line))
        line = _CONTROL.sub("", _SPACES.sub(" ", line))
        out.append(_MULTI_SPACE.sub(" ", line).strip())
    return out


def _line_starts(raw: str) -> list[int]:
    return [0] + [m.end() for m in _LINE_SPLIT.finditer(raw)]


# -- dates --------------------------------------------------------------------------------------
_MONTHS = MONTH_NUMBERS  # name or abbreviation → 1..12, from the one Danish lexicon
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    # (regex, order of the year/month/day groups)
    (re.compile(r"(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d-])"), "ymd"),
    (re.compile(r"(?<![\d./-])(\d{1,2})[-./](\d{1,2})[-./](\d{4})(?![\d./-])"), "dmy"),
    (re.compile(rf"(?<!\d)(\d{{1,2}})\.?\s+({_MONTH_RE})\.?\s+(\d{{4}})(?!\d)", re.I), "dmy"),
)
# Month-only dates count only right after a label ("date 2020-10", "Dato: oktober 2020").
_MONTH_ONLY = (
    (re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?![\d-])"), "ym"),
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})(?!\d)", re.I), "my"),
)
_DATE_LABEL = re.compile(
    r"^(?:date|dato|publiceret|offentliggjort|udgivet|opdateret|senest opdateret|sidst opdateret"
    r"|skrevet)\b[\s:.-]*",
    re.I,
)
_BYLINE_TIME = re.compile(r"^\s*(?:kl\.?|klokken)?\s*\d{1,2}[:.]\d{2}\b", re.I)
# A "date 2020-10" / "Dato: 22-04-2022" prefix glued to the start of a line of text.
_DATE_PREFIX = re.compile(r"^(?:date|dato)\s*:?\s*\d{4}-\d{2}(?:-\d{2})?\s+(?=\S)", re.I)


def _to_iso(groups: tuple[str, ...], order: str) -> str | None:
    parts = dict(zip(order, groups, strict=True))
    month_raw = parts["m"]
    month = _MONTHS.get(month_raw.lower()) if not month_raw.isdigit() else int(month_raw)
    try:
        year = int(parts["y"])
        if "d" in parts:
            return _dt.date(year, month or 0, int(parts["d"])).isoformat()
        _dt.date(year, month or 0, 1)
        return f"{year:04d}-{month:02d}"
    except ValueError:
        return None


def _dates_in(line: str, *, month_only: bool) -> list[tuple[int, int, str]]:
    """(start, end, iso) of every date in `line`, in order of position."""
    found: list[tuple[int, int, str]] = []
    patterns = _DATE_PATTERNS + (_MONTH_ONLY if month_only else ())
    for pattern, order in patterns:
        for m in pattern.finditer(line):
            iso = _to_iso(m.groups(), order)
            if iso and not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), iso))
    return sorted(found)


_DATED_LINES = 5  # lines from the top where an unlabelled date in a sentence still dates the document


def find_date(lines: list[str]) -> str | None:
    """The document's date: the first labelled, stand-alone or byline date, else the first date of
    its first lines (`_DATED_LINES`: a dateline under the heading). A date further down is what the
    text is about, not when it was written: "Sæsonstart: mandag den 11. august 2025" dated a club's
    training plan, a Christmas-tree pickup a waste calendar (a review's "Kilder" showed them).

    A month-only date ("date 2020-10") is refined by a full date of the same month that follows.
    """
    strong: list[str] = []
    first_any: str | None = None
    for n, line in enumerate(lines):
        label = _DATE_LABEL.match(line)
        rest = line[label.end():] if label else line
        for start, end, iso in _dates_in(rest, month_only=bool(label)):
            if n < _DATED_LINES:
                first_any = first_any or (iso if len(iso) == 10 else None)
            labelled = label is not None and start == 0
            alone = not rest[:start].strip(" -–,:") and not rest[end:].strip(" .")
            # a byline ("12. maj 2021 kl. 10.30"), not a sentence announcing a time ("Næste
            # byrådsmøde holdes onsdag den 30. april 2025 kl. 18.00." dated a meeting's minutes)
            byline = _BYLINE_TIME.match(rest[end:]) is not None and len(rest[:start].split()) <= 3
            if labelled or alone or byline:
                strong.append(iso)
    if not strong:
        return first_any
    best = strong[0]
    if len(best) == 7:
        best = next((iso for iso in strong[1:] if iso.startswith(best + "-")), best)
    return best


# -- boilerplate --------------------------------------------------------------------------------
_CREDIT = r"(?:\b\w\.|[^.!?]){0,80}"  # a photographer's name; initials allowed
_DATE_ANY = r"(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}\.?\s+\w+\.?\s+\d{4})"
_BOILERPLATE_LINE = re.compile(
    "|".join(
        (
            rf"(?:senest |sidst )?(?:opdateret|publiceret|offentliggjort)\s*:?\s*(?:d\.|den)?\s*{_DATE_ANY}"
            r"(?:,?\s*(?:kl\.?)?\s*\d{1,2}[:.]\d{2})?",
            r"nyhedsbreve?|tilmeld(?: dig)?(?: (?:her|nu|vores nyhedsbrev|nyhedsbrevet))?",
            r"kontakt(?: os| redaktionen)?|del(?: artiklen| siden| på \w+)?|print|udskriv(?: siden)?",
            r"(?:læs|se) (?:mere|også|hele)\b[^.!?]{0,80}[.!]?",
            r"relaterede (?:artikler|nyheder|sider|emner)|annonce|reklame|til toppen|menu|søg",
            r"gå til (?:indhold(?:et)?|hovedindhold|forsiden)|spring (?:til|over) [^.!?]{0,40}",
            r"(?:hent|download)\b[^.!?]{0,60}\bapp(?:en)?\b[^.!?]{0,30}",
            r"følg (?:os|med)\b[^.!?]{0,40}|log ind|opret (?:en )?(?:bruger|profil)",
            rf"(?:foto|fotos|arkivfoto|billede|illustration|grafik|photo)\s*:{_CREDIT}",
            r"date\s*:?\s*\d{4}-\d{2}(?:-\d{2})?",
        )
    ),
    re.I,
)
_FORM_FIELD = re.compile(r"\*\s*:")
_FORM_LINE = re.compile(r"^send (?:til|artiklen til) (?:en |din )?ven\b|\*\)\s*skal udfyldes", re.I)
_COOKIE = re.compile(r"cookie", re.I)
_COOKIE_CONTEXT = re.compile(r"accept|samtykke|indstillinger|privatliv|bruger cookies|anvender cookies", re.I)
_NEWSLETTER = re.compile(r"nyhedsbrev", re.I)
_NEWSLETTER_CONTEXT = re.compile(r"tilmeld|abonn|holder dig opdateret|modtag|skriv dig op", re.I)
_TRAILING_CREDIT = re.compile(
    rf"(?:(?<=[.!?”\"])|^)\s*(?:foto|fotos|arkivfoto|photo)\s*:\s*{_CREDIT}$", re.I
)
_PAREN_CREDIT = re.compile(r"\s*\((?:foto|fotos|arkivfoto|photo)\s*:[^)]{0,80}\)", re.I)
_TRAILING_CONTACT = re.compile(r"\s+kontakt (?:redaktionen|journalisten|os)$", re.I)
_CONTACT_HEADING = re.compile(r"(?:presse)?kontakt(?:person(?:er)?| os)?:?", re.I)
_SENTENCE_END = re.compile(r"[.!?:\"”]$")


def _words(line: str) -> int:
    return len(line.split())


def _strip_line(line: str) -> str:
    """Remove boilerplate inside a line; return "" when the whole line is boilerplate."""
    line = _DATE_PREFIX.sub("", line)
    line = _PAREN_CREDIT.sub("", line)
    line = _TRAILING_CREDIT.sub("", line).strip()
    line = _TRAILING_CONTACT.sub("", line)
    if not any(c.isalnum() for c in line):
        return ""
    if _BOILERPLATE_LINE.fullmatch(line):
        return ""
    if len(_FORM_FIELD.findall(line)) >= 2 or _FORM_LINE.search(line):
        return ""
    if _words(line) <= 80 and _COOKIE.search(line) and _COOKIE_CONTEXT.search(line):
        return ""
    if _words(line) <= 60 and _NEWSLETTER.search(line) and _NEWSLETTER_CONTEXT.search(line):
        return ""
    return line


def _fact(line: str) -> bool:
    """A "Label: value" line or a table row holding a figure: content however often it recurs. Two
    plays of a season page priced alike ("Billetpris: 245 kr. (under 25 år: 125 kr.)") lost both
    lines as repeated residue (the second, being eight words, as a paragraph scraped twice), and the
    question for the under-25 price was refused."""
    return any(c.isdigit() for c in line) and (labelled(line) or " | " in line)


def _heads_table(lines: Sequence[Line], i: int) -> bool:
    """Line `i` is a table row and the next line with text is a row with as many cells: a table's
    header ("Dag | Afgangstider" over each of a ferry's two timetables), not a menu repeated."""
    if " | " not in lines[i][1]:
        return False
    nxt = next((lines[j][1] for j in range(i + 1, len(lines)) if lines[j][1]), "")  # no slice: tables run long
    return nxt.count(" | ") == lines[i][1].count(" | ")


def _drop_repeats(lines: list[Line]) -> list[Line]:
    counts: dict[str, int] = {}
    for _, line in lines:
        if line:
            counts[line.casefold()] = counts.get(line.casefold(), 0) + 1
    seen: set[str] = set()
    out: list[Line] = []
    for i, (n, line) in enumerate(lines):
        key = line.casefold()
        if line and counts[key] > 1 and not _fact(line) and not _heads_table(lines, i):  # each under its own heading
            if not _SENTENCE_END.search(line) and _words(line) <= 12:
                continue  # short repeated residue: "Hent vores app", a name repeated at the end
            if key in seen and _words(line) >= 8:
                continue  # a paragraph scraped twice: keep its first occurrence
            seen.add(key)
        out.append((n, line))
    return out


# "Telefon: 87 13 45 20", "- Formand: Henrik Dalgaard, tlf. …", "Lejer: Camilla Sand.": a label of
# one to three words, a colon, a value. A fact, however short: contact lists, a board, a lease's
# parties and forms are written so. (`rag.answer.evidence` quotes such lines.) The label may end in
# a short parenthesis: "Senior (over 25 år): 1.650 kr. om året" is a price list's line (left out
# before, the senior fee was refused; SQuAD-da's chosen sentences and gates did not move). Its words
# may end in a comma before a figure: "Vaskemaskine, 12 kg (dyner): 20 kr. pr. vask" (eval/trial9 r11-04: a line
# without a full stop that is no fact was read as a heading and never quoted, so the duvet price
# was refused; with the comma, the nine earlier user sets, gold and both SQuAD-da 200 samples
# answered the same; not any comma: "Kære forældre, husk: …" is prose, a review).
LIST_MARK = r"[-*•–]\s+"  # a list item's mark ("- ", "• "): no part of the item's text
_LABELLED = re.compile(rf"^(?:{LIST_MARK})?[^\W\d_][\w/.-]*(?:,(?=\s+\d))?(?:\s+[\w/.-]+(?:,(?=\s+\d))?){{0,2}}"
                       r"(?:\s+\([^()]{1,30}\))?:\s+\S")


def labelled(line: str) -> bool:
    """Whether `line` has the "Label: value" form (`_LABELLED`)."""
    return bool(_LABELLED.match(line.strip()))


def label_and_value(line: str) -> tuple[str, str] | None:
    """A "Label: value" line's label, without its list mark and parenthesis, and its value:
    "Telefontid (kl. 8:00-9:00): 12 34 56 78" → ("Telefontid", "12 34 56 78"); None for other lines."""
    m = _LABELLED.match(line.strip())
    if m is None:
        return None
    head, value = line.strip()[:m.end() - 1], line.strip()[m.end() - 1:]
    label = re.sub(rf"^(?:{LIST_MARK})|\s*\([^()]*\)", "", head.rsplit(":", 1)[0]).strip()
    return label, value.strip()


def _drop_contact_cards(lines: list[Line]) -> list[Line]:
    """Drop a "Kontakt" heading and the card right after it: the name, title and phone lines of a
    web page's press contact ("Kontakt / Thomas Danielsen / Kommunikationskonsulent"), up to the
    first blank line after them or the first line of real text. A card holding a "Label: value"
    line is the document's own contact section ("Kontakt / Adresse: Kirsebærvej 12 / Leder: Hanne
    Kjærgaard"): it stays, heading and all; a user's kindergarten lost its leader's name, and the
    opening hours under the next heading, to the old rule, which ran on across blank lines."""
    out: list[Line] = []
    card: list[Line] | None = None  # the heading and the lines held back since it

    def close() -> None:  # a card holding a "Label: value" line is the document's own: it stays
        nonlocal card
        if card is not None and any(labelled(t) for _, t in card):
            out.extend(card)
        card = None

    for n, line in lines:
        if _CONTACT_HEADING.fullmatch(line):
            close()
            card = [(n, line)]
            continue
        if card is not None:
            if not line:
                if len(card) > 1:  # the card ends at the blank line after it
                    close()
                    out.append((n, line))
                continue
            if (_words(line) <= 6 and not _SENTENCE_END.search(line)) or labelled(line):
                card.append((n, line))
                continue
            close()
        out.append((n, line))
    close()
    return out


def _paragraphs(lines: list[Line]) -> list[list[Line]]:
    paras: list[list[Line]] = []
    current: list[Line] = []
    for n, line in [*lines, (-1, "")]:
        if line:
            current.append((n, line))
        elif current:
            paras.append(current)
            current = []
    return paras


def _spans(placed: list[tuple[int, int]], length: int, marks: Sequence[Mark], starts: list[int]) -> dict[
        str, tuple[Span, ...]]:
    """Spans of the cleaned text per mark kind. `placed` holds (cleaned offset, raw line) per output
    line; a span runs from its first line to the next line with another value (or the end)."""
    out: dict[str, tuple[Span, ...]] = {}
    for kind in dict.fromkeys(m.kind for m in marks):
        ordered = sorted((bisect.bisect_right(starts, m.offset) - 1, i, m.value)
                         for i, m in enumerate(marks) if m.kind == kind)
        lines_of = [line for line, _, _ in ordered]
        spans: list[Span] = []
        current: tuple[int, int | str | None] | None = None  # (start, value)
        for offset, raw_line in placed:
            k = bisect.bisect_right(lines_of, raw_line) - 1
            value = ordered[k][2] if k >= 0 else None
            if current is None or value != current[1]:
                if current is not None and current[1] is not None:
                    spans.append(Span(current[0], offset, current[1]))
                current = (offset, value)
        if current is not None and current[1] is not None:
            spans.append(Span(current[0], length, current[1]))
        out[kind] = tuple(spans)
    return out


# -- title --------------------------------------------------------------------------------------
_WEEKDAY_WORDS = frozenset(WEEKDAYS)


def _beside_dates(text: str) -> int:
    """How many words stand beside the dates of `text`, weekdays and "den" not counted."""
    for start, end, _ in sorted(_dates_in(text, month_only=True), reverse=True):
        text = text[:start] + " " + text[end:]
    return sum(1 for w in re.findall(r"[^\W\d_]+", text)
               if w.casefold() not in _WEEKDAY_WORDS and w.casefold() not in ("den", "d"))


_SALUTATION = re.compile(r"(?:kære|hej|hejsa|goddag)\b", re.I)  # "Kære spillere og forældre" greets


def _heading_like(line: str) -> bool:
    """A short line that reads as a heading: 2–20 words (three when not in capitals, none of them
    a date's: "Publiceret 12. maj 2021" is a date line), capital or digit first, mostly letters, no
    closing punctuation, no greeting."""
    n = _words(line)
    return (2 <= n <= 20 and len(line) <= 150 and not re.search(r"[.,;:]$", line)
            and (line[0].isupper() or line[0].isdigit())
            and sum(c.isalpha() for c in line) >= len(line) / 2
            and _beside_dates(line) >= (2 if line.isupper() else 3)
            and not _DATE_LABEL.match(line) and not re.search(r"\b(?:opdateret|publiceret|mødedato)\b", line, re.I)
            and not _SALUTATION.match(line))


def _title_from(paras: Sequence[str]) -> str | None:
    """The first short, heading-like paragraph among the first five ("Hillerød Byråd –
    beslutningsreferat fra mødet onsdag den 26. marts 2025"), or the first line of one of two or
    three lines: over a subtitle ("Salon Saxe – Frisør i Taastrup" over "Prisliste gældende fra …",
    not a hard-wrapped sentence), or a letterhead in capitals, with the line below when that is a
    heading too ("HADSTEN HÅNDBOLDKLUB – Ungdomsafdelingen – træningsplan for sæsonen 2025/26": a
    club's letters share the letterhead). Never a date line, nor a greeting ("Kære spillere og forældre", which titled a
    club's letter in a review). Measured and dropped: two words enough for any title (not only
    capitals): it re-titles 535 of SQuAD-da's 1,010 passages ("Amazon rainforest"), unmeasured in
    retrieval."""
    for para in paras[:5]:
        lines = [line.strip() for line in para.split("\n")]
        if len(lines) == 1 and _heading_like(lines[0]):
            return lines[0]
        if 2 <= len(lines) <= 3 and _heading_like(lines[0]):
            below = lines[1]
            if lines[0].isupper():  # a letterhead; the line below says which letter
                return f"{lines[0]} – {below}" if _heading_like(below) and not below.isupper() else lines[0]
            if all(_heading_like(line) for line in lines[1:]):  # a title over its subtitle, not a wrapped sentence
                return lines[0]
    return None


def clean_text(raw: str, *, title_hint: str | None = None, date_hint: str | None = None,
               marks: Sequence[Mark] = ()) -> Cleaned:
    """Normalise `raw`, strip boilerplate, and find the title and date it states.

    `date_hint` (e.g. from file metadata) is used only when the text states no date. `marks` are
    places in `raw` where a structure value starts; the result's `spans` map them onto the text."""
    normalised = _normalise(raw)
    date = find_date(normalised) or date_hint
    lines = list(enumerate(normalised))
    lines = [(n, _strip_line(line)) for n, line in _drop_contact_cards(lines)]
    paras = _paragraphs(_drop_repeats(lines))
    texts = ["\n".join(line for _, line in para) for para in paras]
    hint = " ".join(title_hint.split()) if title_hint else ""
    title = hint.split(" | ")[0].strip() or _title_from(texts)
    text = "\n\n".join(texts)
    spans: dict[str, tuple[Span, ...]] = {}
    if marks:
        placed: list[tuple[int, int]] = []
        offset = 0
        for para in paras:
            for n, line in para:
                placed.append((offset, n))
                offset += len(line) + 1
            offset += 1  # "\n\n" between paragraphs: one more than the line break counted above
        spans = _spans(placed, len(text), marks, _line_starts(raw))
    return Cleaned(text=text, title=title or None, date=date, spans=spans)
