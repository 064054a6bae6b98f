"""Measure the answer language check on Danish, Norwegian and Swedish sentences.

Compares three checks: fastText lite + Scandinavian marker words alone ("first"); lingua-language-
detector restricted to Danish, Bokmål, Nynorsk, Swedish and English, always ("lingua"); and
`rag.answer.language.detect_language` as shipped (the first check, lingua on its "not Danish"), on
`eval/language/nordic.tsv` (hand-written, parallel da/nb/nn/sv sentences) plus Danish sentences
sampled from SQuAD-da passages (articles outside the held-out split). The question the check
answers is "is this Danish?", so the figures are: Danish accepted (of Danish sentences) and
Norwegian/Swedish rejected (of theirs), plus seconds per call. Prints figures; asserts nothing.

    python bench/language_check.py [--squad ../shared/data/squad-da-dev.json] [--n 300]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rag.answer import language  # noqa: E402
from rag.answer.language import detect_language  # noqa: E402
from rag.ingest.sentences import split_sentences  # noqa: E402


def labelled() -> list[tuple[str, str]]:
    rows = []
    for line in (ROOT / "eval" / "language" / "nordic.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, text = line.split("\t", 1)
            rows.append((label, text))
    return rows


def squad_danish(path: Path, n: int, seed: int = 0) -> list[tuple[str, str]]:
    held = set()
    split = Path(__file__).resolve().parents[1] / "eval" / "split.json"
    if split.exists():
        held = set(json.loads(split.read_text())["test_articles"])
    sentences = []
    for article in json.loads(path.read_text(encoding="utf-8"))["data"]:
        if article["title"] in held:
            continue
        for p in article["paragraphs"]:
            ctx = p["context"]
            sentences += [ctx[a:b] for a, b in split_sentences(ctx) if 6 <= len(ctx[a:b].split()) <= 40]
    random.Random(seed).shuffle(sentences)
    return [("da", s) for s in sentences[:n]]


def lingua_detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [Language.DANISH, Language.BOKMAL, Language.NYNORSK, Language.SWEDISH, Language.ENGLISH]
    detector = LanguageDetectorBuilder.from_languages(*langs).build()
    codes = {Language.DANISH: "da", Language.BOKMAL: "nb", Language.NYNORSK: "nn", Language.SWEDISH: "sv",
             Language.ENGLISH: "en"}

    def detect(text: str) -> str | None:
        lang = detector.detect_language_of(text)
        return codes.get(lang) if lang is not None else None

    return detect


def shipped(text: str) -> str | None:
    lang, _ = detect_language(text)
    return lang


def first(text: str) -> str | None:
    language.SECOND_OPINION = False
    try:
        return detect_language(text)[0]
    finally:
        language.SECOND_OPINION = True


def score(name: str, detect, rows: list[tuple[str, str]]) -> None:
    by: dict[str, list[bool]] = {}
    wrong = []
    t0 = time.perf_counter()
    for label, text in rows:
        got = detect(text)
        danish = got in (None, "da")  # the check counts "too short to tell" as Danish
        ok = danish if label == "da" else not danish
        by.setdefault(label, []).append(ok)
        if not ok:
            wrong.append((label, got, text))
    per = (time.perf_counter() - t0) / len(rows)
    parts = [f"{lab} {sum(v)}/{len(v)}" for lab, v in sorted(by.items())]
    total = sum(sum(v) for v in by.values())
    print(f"{name:10s} correct {total}/{len(rows)} ({total / len(rows):.3f}): " + ", ".join(parts)
          + f"; {per * 1000:.2f} ms/call")
    for label, got, text in wrong[:12]:
        print(f"    {label} -> {got}: {text[:90]}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--squad", type=Path, default=ROOT.parent / "shared" / "data" / "squad-da-dev.json")
    ap.add_argument("--n", type=int, default=300)
    args = ap.parse_args()
    hand = labelled()
    squad = squad_danish(args.squad, args.n) if args.squad.exists() else []
    lingua = lingua_detector()
    t0 = time.perf_counter()
    lingua("Det er en opvarmning af modellen.")
    print(f"lingua (da/nb/nn/sv/en) loads in {time.perf_counter() - t0:.2f} s")
    shipped("Det er en opvarmning af modellen.")
    language._lingua()("Opvarmning af modellen.")  # load both outside the timing
    for title, rows in (("hand-written da/nb/nn/sv", hand), (f"SQuAD-da sentences (Danish, {len(squad)})", squad)):
        if not rows:
            continue
        print(f"== {title}")
        score("first", first, rows)
        score("lingua", lingua, rows)
        score("shipped", shipped, rows)


if __name__ == "__main__":
    main()
