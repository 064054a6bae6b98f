"""Danish-aware sentence splitting: pure regex and sets, no models, fast enough for every chunk.

A line break always ends a sentence. Inside a line, a sentence ends after `.`, `!`, `?` or `…`
(plus any closing quotes or brackets) when whitespace and a plausible sentence start follow: an
upper-case letter, a digit, an opening quote or bracket, or a dialogue dash. A following
lower-case word never starts a sentence, which already keeps "14 mia. kr." and "den 11. maj"
together. Beyond that:

- abbreviations that precede what they qualify ("bl.a.", "f.eks.", "d.", "nr.", "jf.", initials
  such as "H.C.") never end a sentence;
- abbreviations that may end one ("kr.", "osv.", "mia.", "pct.") do only before a capitalised word;
- a day number before a month ("29. Marts") and a bare list number ("1. Første punkt") don't.
"""

from __future__ import annotations

import re

from rag.danish import MONTH_NUMBERS

# Abbreviations that stand before the word they qualify: a full stop after them never ends a
# sentence. Lower-case, without the final dot; internal dots kept ("bl.a").
_NON_FINAL = frozenset({
    "a", "adm", "afd", "alm", "ang", "ank", "anm", "att", "bl", "bl.a", "ca", "cand", "d", "dir",
    "dr", "dvs", "eks", "ekskl", "evt", "f", "f.eks", "fhv", "fr", "frk", "fm", "gl", "hhv",
    "hr", "ibid", "iflg", "ift", "ifm", "inkl", "jf", "jvf", "kap", "kgl", "kl", "lign", "lb",
    "mag", "mht", "mr", "nr", "obs", "o.a", "p.t", "pga", "pgf", "pkt", "pr", "prof",
    "red", "ref", "resp", "s", "sdr", "sml", "st", "tidl", "tlf", "th", "ugtl", "udg", "vedr",
    "vha", "vol", "årg"
})

# Abbreviations that often end a sentence: they do when a capitalised word follows.
_FINAL_OK = frozenset({
    "kr", "mio", "mia", "mrd", "pct", "stk", "osv", "mv", "m.v", "m.fl", "m.m", "o.l", "o.lign",
    "etc", "mm", "cm", "km", "kg", "md", "mdr", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "okt", "nov", "dec"
})

_MONTHS = frozenset(MONTH_NUMBERS)  # names and abbreviations, from the one Danish lexicon

# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_CANDIDATE = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+\S)")
_LINE = re.compile(r"[^\n\r\u2028\u2029]+")
_SPACE = re.compile(r"\s*")
_LAST_WORD = re.compile(r"\S*$")
_LEADING_PUNCT = re.compile(r"^[\"“”„«»'’‘(\[{]+")
_INITIALS = re.compile(r"^(?:\w{1,3}\.)+\w{1,3}$")  # "H.C", "m.fl", "f.eks", "o.l"
_LIST_NUMBER = re.compile(r"^(?:\d{1,3}\.)+$|^[ivxIVX]{1,4}\.$|^[a-zA-Z][.)]$")
_OPENERS = "\"“”„«»'’‘([{-–—"


def _is_boundary(line: str, sent_start: int, m: re.Match[str], nxt_start: int) -> bool:
    """Whether the punctuation in `m` ends the sentence that began at `sent_start`."""
    rest = line[nxt_start:]
    first = rest.lstrip(_OPENERS + " \t\u00a0")[:1]  # "- Vi": look past the dash
    if not (first.isupper() or first.isdigit()):
        return False
    if m.group(0) != ".":
        # "?", "!", "…", "..." or a full stop followed by a closing quote: a real end.
        return True

    so_far = line[sent_start : m.end()].strip()
    if _LIST_NUMBER.match(so_far):  # "1." / "iv." / "a)" opening a list item
        return False

    # The word the full stop is attached to.
    last_word = _LAST_WORD.search(line, 0, m.start())  # `\S*$` always matches
    word = _LEADING_PUNCT.sub("", last_word.group(0) if last_word else "")
    low = word.lower()
    if not word:
        return True
    if word.isdigit():
        # An ordinal before a month ("29. Marts"): part of a date, not an end.
        nxt = rest.split(maxsplit=1)[0]
        next_word = _LEADING_PUNCT.sub("", nxt).rstrip(".,;:").lower()
        return not (len(word) <= 2 and next_word in _MONTHS)
    if low in _NON_FINAL or (low.endswith("nr") and len(low) <= 10 and "." not in low):
        return False
    if low in _FINAL_OK:
        return first.isupper()
    if len(word) == 1 and word.isalpha():  # an initial: "Ole B. Hansen"
        return False
    return not _INITIALS.match(word)  # "H.C.", "f.eks.", "m.fl." not listed above


def _split_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    line = text[start:end]
    sent_start = 0
    for m in _CANDIDATE.finditer(line):
        space = _SPACE.match(line, m.end())  # `\s*` always matches
        nxt_start = space.end() if space else m.end()
        if _is_boundary(line, sent_start, m, nxt_start):
            _append(text, start + sent_start, start + m.end(), out)
            sent_start = nxt_start
    _append(text, start + sent_start, end, out)


def _append(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        out.append((s, e))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans `(start, end)` of the sentences of `text`, in order.

    Spans never include leading or trailing whitespace, and together they cover every
    non-whitespace character of `text`.
    """
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        _split_line(text, line.start(), line.end(), out)
    return out


def sentences(text: str) -> list[str]:
    """The sentences of `text` as strings (see `split_sentences`)."""
    return [text[s:e] for s, e in split_sentences(text)]


def ends_on_abbreviation(line: str) -> bool:
    """Whether `line` ends on an abbreviation's period ("… 49 kr. pr.", "… inkl."): a line break after
    it, before a lower-case word, is a PDF's wrapped line, not a sentence's end."""
    words = line.split()
    word = _LEADING_PUNCT.sub("", words[-1]) if words and line.endswith(".") else ""
    low = word[:-1].lower()
    return bool(low) and (low in _NON_FINAL or low in _FINAL_OK)


def keep_abbreviation_period(span: str, text: str) -> str:
    """`span` with the period of an abbreviation it ends on, where `text` writes it so: "25 kr" → "25 kr."
    when the sentence says "25 kr." (a span cut at the period reads as a typo)."""
    words = span.split()
    if not words or words[-1].casefold().rstrip(".") not in _FINAL_OK or span.endswith("."):
        return span
    return f"{span}." if f"{span}." in text else span
