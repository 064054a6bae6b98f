"""Text normalisation for evaluation: one light form for evidence matching, one Danish form for answers.

`normalize_text` (evidence matching) only evens out what re-cleaning, re-chunking or a copy-paste
can change without changing the words: Unicode compatibility forms (NFKC), invisible format
characters (soft hyphens, zero-width spaces), typographic quotes and dashes, case and whitespace.

`normalize_answer` (answer scoring) goes further, so that answers which say the same thing in
different surface forms compare equal:

- NFKC, casefold, typographic quotes/dashes as above;
- dates: "2021-05-11", "11.05.2021", "11-05-2021" and "11/05/2021" become "11 maj 2021", which is
  also what "11. maj 2021" and "den 11. maj 2021" become; month abbreviations ("jan.", "sept.")
  are spelled out;
- numbers: thousands separators go ("1.000.000" → "1000000"), a decimal point becomes a decimal
  comma ("2.5" → "2,5", kept as one token), leading zeros go ("05" → "5"), ordinals lose their
  dot ("11." → "11"), number words 0–12 and ordinal words 1st–12th become digits
  ("tre" → "3", "tredje" → "3");
- units: "mia." → "milliarder", "mio." → "millioner", "kr."/"dkk" → "kroner", "pct."/"%" →
  "procent", singular forms ("milliard", "krone") → plural; "$", "€", "£" → "dollars", "euro",
  "pund";
- magnitudes: a number followed by "tusind", "millioner" or "milliarder" becomes the whole number
  when that is exact ("14 mia." → "14000000000", "2,5 mio." → "2500000"), so it equals the
  number written out ("14.000.000.000");
- every Unicode punctuation character (category P*) becomes a space, except apostrophes, which are
  deleted ("KL's" → "kls"), and a comma between two digits (a decimal comma);
- the Danish articles en, et, den, det, de are dropped as whole words. English articles are kept:
  the gold sets are Danish, and dropping "a" would erase letter names such as "vitamin A".

Both functions are pure and idempotent.
"""

from __future__ import annotations

import re
import unicodedata

import rag.danish as _danish

_QUOTES = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"', "‹": "'", "›": "'",
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "⁃": "-",
})
_SPACE = re.compile(r"\s+")


def _even_out(text: str) -> str:
    """NFKC, drop format characters (Cf), unify quotes and dashes, casefold."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return text.translate(_QUOTES).casefold()


def normalize_text(text: str) -> str:
    """Light normalisation for evidence matching: NFKC, quotes/dashes, casefold, whitespace."""
    return _SPACE.sub(" ", _even_out(text)).strip()


# -- answers ---------------------------------------------------------------------------------
MONTHS = _danish.MONTHS
ARTICLES = frozenset({"en", "et", "den", "det", "de"})

_WORDS: dict[str, str] = {
    # units and their abbreviations (after punctuation has become space: "mia." → "mia")
    "mia": "milliarder", "milliard": "milliarder",
    "mio": "millioner", "million": "millioner",
    "kr": "kroner", "krone": "kroner", "dkk": "kroner",
    "pct": "procent", "procents": "procent", "dollar": "dollars", "usd": "dollars", "eur": "euro",
    "tusinde": "tusind",
    # month abbreviations
    **_danish.MONTH_ABBREVIATIONS,
    # cardinal and ordinal number words ("en"/"et" are articles and are dropped instead)
    **{word: str(value) for word, value in _danish.NUMBER_WORDS.items() if value <= 12},
    **{word: str(value) for word, value in _danish.ORDINAL_WORDS.items()},
}

_MAGNITUDES = {"tusind": 10**3, "millioner": 10**6, "milliarder": 10**9}
_NUMBER = re.compile(r"\d+(?:,\d+)?")
_CURRENCY = {"$": " dollars ", "€": " euro ", "£": " pund "}
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DMY_DATE = re.compile(r"(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?!\d)")
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![.,]?\d)")
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")
_APOSTROPHE = re.compile(r"'")
_DIGITS = re.compile(r"\d+")


def _date(day: str, month: str, year: str, original: str) -> str:
    d, m = int(day), int(month)
    if 1 <= d <= 31 and 1 <= m <= 12:
        return f" {d} {MONTHS[m - 1]} {year} "
    return original


def _strip_punctuation(text: str) -> str:
    out = []
    n = len(text)
    for i, ch in enumerate(text):
        if unicodedata.category(ch).startswith("P"):
            decimal_comma = (ch == "," and 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit())
            out.append(ch if decimal_comma else " ")
        else:
            out.append(ch)
    return "".join(out)


def _token(tok: str) -> str:
    tok = _WORDS.get(tok, tok)
    if _DIGITS.fullmatch(tok):
        tok = tok.lstrip("0") or "0"
    return tok


def _fold_magnitudes(tokens: list[str]) -> list[str]:
    """["14", "milliarder"] → ["14000000000"] when the product is a whole number."""
    out: list[str] = []
    for tok in tokens:
        if tok in _MAGNITUDES and out and _NUMBER.fullmatch(out[-1]):
            whole, _, frac = out[-1].partition(",")
            scale = _MAGNITUDES[tok]
            if len(frac) <= len(str(scale)) - 1:
                out[-1] = str((int(whole) * 10 ** len(frac) + int(frac or 0)) * scale // 10 ** len(frac))
                continue
        out.append(tok)
    return out


def normalize_answer(text: str) -> str:
    """Danish answer normalisation (see the module docstring for every rule)."""
    s = _even_out(text)
    s = _ISO_DATE.sub(lambda m: _date(m[3], m[2], m[1], m[0]), s)
    s = _DMY_DATE.sub(lambda m: _date(m[1], m[2], m[3], m[0]), s)
    s = _THOUSANDS.sub(lambda m: m[0].replace(".", ""), s)
    s = _DECIMAL_POINT.sub(",", s)
    s = s.replace("%", " procent ").replace("‰", " promille ")
    for symbol, word in _CURRENCY.items():
        s = s.replace(symbol, word)
    s = _APOSTROPHE.sub("", s)
    s = _strip_punctuation(s)
    tokens = _fold_magnitudes([_token(t) for t in s.split()])
    return " ".join(t for t in tokens if t not in ARTICLES)


def answer_tokens(text: str) -> list[str]:
    return normalize_answer(text).split()


def strip_citation_marks(text: str) -> str:
    """Remove citation markers such as "[1]", "[1, 3]" or "[1-2]" (the grammar of
    `rag.answer.verify`) before scoring an answer's words."""
    from rag.answer.verify import strip_citations

    return strip_citations(text)
