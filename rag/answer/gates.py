"""Gates: each looks at the Evidence and either passes (None) or refuses with a reason.

All gates read only the evidence, so every refusal happens before any model is loaded. The
numbers come from the `AnswerPolicy` (calibrated per embedder); a gate whose number is None in
the policy (the scale-free fallback) does not apply.

- `no_passages`: retrieval found nothing;
- `low_similarity`: the best passage's cosine is below `min_dense`;
- `few_question_words`: below `lexical_dense` (or always, in the scale-free fallback) no passage
  sentence holds `min_overlap` of the question's content words. Between the two cosines
  answerable and off-topic questions mix; the words tell them apart. On SQuAD-da v1 (200, seed 0)
  a single gate at 0.835 refused 7.5% of answerable questions, this pair 4% (held-out 400:
  7.0% → 3.8%), while off-topic questions were refused 247 of 266 times instead of 248;
- `no_matching_sentence`: no quotable sentence shares a word with the question (not used by the
  free "generate" style, whose model reads whole passages);
- `question_year_missing`: a year or decade the question names is in no passage that shares a word with it;
- `question_name_missing`: a name the question uses is in no passage, title or file name;
- `missing_answer_kind`: the question asks for a count, share, time or year and no sentence
  ranked within `kind_margin` of the best holds one. (Refusing whenever the single best sentence
  lacks it refused right answers a slightly lower-ranked sentence held: "Hvornår besøgte Astrid
  Krag Ishøj?");
- the learned answerability gate (`rag.answer.answerability_model`), where it is installed;
- `opposition_missing`: the question asks "ikke"/"imod"/"aldrig"… and the sentence the answer would
  come from says nothing of the kind; `narrower_role`: it asks who holds a role in an organisation
  and that sentence names the role only in a part of it ("formand for KL’s … udvalg"); `role_missing`:
  it asks who holds a role the answer's document never names; `other_document`: what the question
  asks about has a document titled for it (or, asked in lower case and the definite form, "i
  padelhuset", a file named for it) and the answer would come from another one;
  `price_not_stated`: the table row it would come from gives no price in the column asked ("efter aftale");
  `age_group_missing`, `bracket_missing`, `count_missing` and `measure_missing`: the question's age
  group, its asker's quantity ("vi er 14 personer"), or the count ("med fire flader") or measure ("60
  minutters") of what it prices, is not the one the answer's sentence (or any of its passage) gives;
  `holiday_missing`: it names a holiday and the answer's sentence only another; `week_missing`: it
  names a week ("uge 14") and the answer's sentence only others ("uge 9-12"); `season_missing`: it
  asks about a season ("efter sommerferien") and the answer's document is about another ("… forår 2026");
  `heading_year_missing`: it names a year and the answer's sentence stands under a heading for another.

Measured and dropped: a polarity gate (the question says "ikke"/"imod"/"aldrig"/"ingen"/"uden" and
no top sentence does; `opposition_missing` reads the chosen sentence instead). 79% of SQuAD-da v2
questions with such a word are unanswerable, but the stack above already refuses 41 of the 43
held-out ones (149 of 194 tuning ones); the gate added no held-out refusal and one false refusal.
A gate for a question whose words no sentence shares
beyond those naming its document (title, file name: "Hvem er formand for Solhøj Tennisklub?" over
the club's introduction): on SQuAD-da v2 (3,621, cached retrieval) it flagged 13 unanswerable
against 10 answerable questions, and on eval/gold.jsonl 2 answerable ones ("Hvilken ministertitel
havde Astrid Krag, da hun besøgte Ishøj?", whose file is named for the visit).
A "hvem" gate (no sentence within 0.1 of the best names someone the question does not, nor a role
noun or organisation; `rag.danish.new_names`): on SQuAD-da v2 (cached retrieval) it flagged 20
unanswerable against 16 answerable training-article questions and 4 against 2 held-out ones, and
one answerable eval/gold.jsonl question; with no role nouns, or wider margins, no better.

Measured and left as they are (twelfth round; every gate run on every cached question, off-topic
ones included: the seven blind users' 282 questions asked of the seeds, `eval/gold.jsonl` asked of
SQuAD-da v2 and of trial8's documents, 300 v1 questions of the seeds): the stack refuses 7.9% of all
3,924 answerable v1 questions and reaches precision .754 / recall .301 on v2. Without
`few_question_words`: v1 6.9%, v2 .778 / .287, but off-topic questions refused 62 → 51 of 66 (gold on
v2) and 65 → 60 (gold on trial8). Without both similarity gates: v1 5.6%, v2 .793 / .238, gold on v2
43 of 66. `low_similarity` passed where the best sentence holds half the question's words: v1 −1.1
points, v2 recall −3.4. Each is a move along one frontier, not past it.

After generation a strategy may refuse too (`model_declined`, `echoed_instruction`); those
Refusals are built by the strategies with the same record.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from rag.answer.evidence import (
    Evidence,
    answer_text,
    condition_before,
    document_about,
    documents_of_subject,
    heading_above,
    lead_in,
    measure_varies,
    name_texts,
    predicate_missing,
    predicate_unsaid,
    same_document,
    subject_words,
    titled_for,
    titles,
)
from rag.answer.policy import AnswerPolicy
from rag.answer.verify import content_terms
from rag.danish import (
    MONEY,
    OTHER,
    TIME,
    age_bounds,
    age_fits,
    asked_age,
    asked_week,
    asks_price,
    asks_yes_no_after_case,
    breaks_named,
    closed_in_week,
    count_fits,
    dimensions_differ,
    measure_fits,
    names_missing,
    names_other_holiday,
    narrower_role,
    numbered_names_missing,
    opposition_unanswered,
    question_years,
    roles_missing,
    seasons_in,
    seasons_missing,
    titled_for_name,
    weeks_in,
    whole_names_found,
    years_in,
    years_missing,
)
from rag.ingest.loaders import CELL_SEPARATOR
from rag.types import Hit


@dataclass(frozen=True)
class Refusal:
    gate: str  # machine-readable: "low_similarity", "missing_answer_kind", ...
    reason: str  # one sentence for people: what was missing, with the numbers that decided


@runtime_checkable
class Gate(Protocol):
    @property
    def name(self) -> str: ...  # read-only, so frozen dataclasses are gates

    def check(self, evidence: Evidence) -> Refusal | None: ...


def closed_as_asked(evidence: Evidence) -> bool:
    """The yes/no question asks of one week (`rag.danish.asked_week`, a date with its weekday too) and
    the chosen sentence says a closing or break for it: "Der er ingen fællesspisning i uge 28–31
    (sommerpause) …" for "er der fællesspisning i lindegården tirsdag d. 15 juli" (eval/trial27 r29-12,
    written blind, refused by the learned gate and by `predicate_missing`: the meal names the
    document). That answers, "Nej" (`rag.answer.verdict`), whatever the words shared."""
    return evidence.chosen is not None and asks_yes_no_after_case(evidence.question) \
        and closed_in_week(evidence.chosen.text, asked_week(evidence.question))


@dataclass(frozen=True)
class NoPassages:
    name: str = "no_passages"

    def check(self, evidence: Evidence) -> Refusal | None:
        if evidence.hits:
            return None
        return Refusal(self.name, "retrieval found no passages")


@dataclass(frozen=True)
class LowSimilarity:
    min_dense: float
    name: str = "low_similarity"

    def check(self, evidence: Evidence) -> Refusal | None:
        best = evidence.best_dense
        if best is None or best >= self.min_dense:  # no comparable score: nothing to hold against it
            return None
        return Refusal(self.name, f"the best passage's similarity {best:.3f} is below {self.min_dense:.3f}")


@dataclass(frozen=True)
class FewQuestionWords:
    min_overlap: float
    lexical_dense: float | None  # None: applies at any similarity (scale-free fallback)
    name: str = "few_question_words"

    def check(self, evidence: Evidence) -> Refusal | None:
        best = evidence.best_dense
        if self.lexical_dense is not None and (best is None or best >= self.lexical_dense):
            return None
        if evidence.overlap >= self.min_overlap:
            return None
        where = "" if self.lexical_dense is None else f" (similarity {best:.3f} < {self.lexical_dense:.3f})"
        return Refusal(self.name, f"no passage sentence holds {self.min_overlap:.0%} of the question's words: "
                                  f"at most {evidence.overlap:.0%}{where}")


@dataclass(frozen=True)
class NoMatchingSentence:
    name: str = "no_matching_sentence"

    def check(self, evidence: Evidence) -> Refusal | None:
        if evidence.best is not None or evidence.chosen is not None:  # a table's row for the asker's age
            return None
        return Refusal(self.name, "no passage sentence shares a word with the question")


@dataclass(frozen=True)
class MissingAnswerKind:
    name: str = "missing_answer_kind"

    def check(self, evidence: Evidence) -> Refusal | None:
        if evidence.chosen is not None or evidence.best is None or not evidence.kind.checked:
            return None
        return Refusal(self.name, f'the question asks for a {evidence.kind.kind} ("{evidence.kind.cue}") '
                                  "and no top passage sentence holds one")


@dataclass(frozen=True)
class OppositionMissing:
    """The question asks what was not done or who was against ("ikke", "imod", "aldrig", "ingen")
    and the sentence the answer would come from says nothing of the kind
    (`rag.danish.opposition_unanswered`): "Hvilke partier stemte imod reformen Børnene Først?" over
    the sentence listing the parties that passed it.
    Measured with the gate stack on cached retrieval (the rule read against the chosen sentence,
    written after reading the answerable questions it first refused: "mod", "kun", "nægtede" now
    count): SQuAD-da v2 14 more unanswerable questions refused against 4 answerable (held-out
    articles 0 / 2), all 3,924 v1 questions 4 more refused (0.1%); eval/gold.jsonl its one
    question of the kind (u-03); eval/trial unchanged. The dropped gate above read any top sentence,
    which some other sentence nearly always satisfies."""

    policy: AnswerPolicy
    name: str = "opposition_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        from rag.answer.table import header_in

        text = answer_text(evidence, self.policy)
        if text is None or evidence.chosen is None:
            return None
        # a table row says it under its header: "Første konsultation | 60 min. | 310 kr. | 650 kr."
        # under "… | Med henvisning | Uden henvisning" (eval/trial17 r19-09, refused for "uden henvisning")
        header = header_in(evidence.chosen.text, evidence.hits[evidence.chosen.n - 1].chunk) or []
        # … or the sentence it goes on from: "Gravsten … skal da fjernes …" after "Ønskes gravstedet ikke
        # fornyet, bliver det nedlagt." for "… vi vil ikke forny, hvor lang tid har vi til at fjerne stenen"
        # (eval/trial19 r21-26, written blind)
        before = condition_before(evidence.chosen, evidence.hits)
        word = opposition_unanswered(evidence.question, f"{before} {text} {' | '.join(header)}")
        if word is None:
            return None
        return Refusal(self.name, f'the question asks "{word}", and the sentence the answer would come from '
                                  "says nothing against or not done")


@dataclass(frozen=True)
class NarrowerRole:
    """The question asks who holds a role in an organisation ("Hvem er formand for KL?") and the
    sentence the answer would come from names the role only in a part of it ("formand for KL’s
    Social- og Sundhedsudvalg"; `rag.danish.narrower_role`). Measured with the gate stack on cached
    retrieval: no SQuAD-da v1 or v2 question has the form; eval/gold.jsonl its one (u-05). A wider
    rule (any question name the sentence holds only as a genitive) flagged 31 unanswerable against
    41 answerable SQuAD-da v2 questions: "Ishøjs borgmester" answers "borgmester i Ishøj"."""

    policy: AnswerPolicy
    name: str = "narrower_role"

    def check(self, evidence: Evidence) -> Refusal | None:
        text = answer_text(evidence, self.policy)
        if text is None:
            return None
        part = narrower_role(evidence.question, text)
        if part is None:
            return None
        return Refusal(self.name, f'the passages name the role only within a part of what the question '
                                  f'asks about ("{part} …")')


@dataclass(frozen=True)
class RoleMissing:
    """The question asks who holds a role ("Hvem er formand for Borup Tennisklub?") and the document
    the answer would come from never names that role (`rag.danish.roles_missing`): its introduction
    names the club, not its chair. Only "Hvem er/var/blev ROLE …" questions: a role word elsewhere is
    often a verb ("Hvem leder …?") or part of another ("cheftræneren", "kejserlige"), which flagged
    29 SQuAD-da questions. Measured so (cached retrieval, the gate stack): all 3,924 v1 questions 2
    more refused ("præsidenten for ABC News" over "leder"), SQuAD-da v2 none either way, eval/trial
    its one unanswerable question of the kind ("Hvem er formand for Solhøj Tennisklub?")."""

    name: str = "role_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        if chosen is None:
            return None
        missing = roles_missing(evidence.question, name_texts(same_document(evidence.hits, chosen.n)))
        if not missing:
            return None
        return Refusal(self.name, f"the question asks for the {', '.join(missing)}, which the document the "
                                  "answer would come from does not mention")


@dataclass(frozen=True)
class AgeGroupMissing:
    """The question asks about an age group ("… hvis man er under 65") and the chosen sentence is for
    another one ("Covid-19-vaccination: gratis for personer over 65 år."): the documents say nothing
    of the group asked about (`rag.danish.age_fits`). For the asker's own age ("hvis man er 22 år") a
    sentence for another group first gives way to one for theirs (`rag.answer.evidence`); where none
    holds it ("jeg er 30 år" over "Ung under 25 år | 149 kr." and "Senior 65+ | 159 kr.", a review),
    it refuses too. A price for everyone ("Voksne: 100 kr.") still answers.
    Measured (cached retrieval, the gate stack): SQuAD-da v2 one more unanswerable question refused
    (a sentence on members "over 18 år") and no answerable one; v1, gold and eval/trial unchanged."""

    name: str = "age_group_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        asked = asked_age(evidence.question)
        if chosen is None or asked is None:
            return None
        fits = age_fits(evidence.question, chosen.text)
        if fits is None and asks_price(evidence.kind) and _priced_groups_miss(evidence, asked):
            return Refusal(self.name, f"the question asks about ages {asked[0]}–{asked[1]}, and the answer's document "
                                      "prices other age groups only")
        if fits is not False:
            return None
        # whether the asker may, at their age: a rule for another age answers no ("min søn er 23 …, må han
        # køre autocamperen" by "Føreren skal være fyldt 25 år": eval/trial19 r21-14, written blind; "min
        # datter er 17 …, kan hun blive tatoveret" by "Du skal være fyldt 18 år": a review)
        if evidence.kind.kind == OTHER and asks_yes_no_after_case(evidence.question):
            return None
        return Refusal(self.name, f"the question asks about ages {asked[0]}–{asked[1]}, and the answer's sentence "
                                  "is for another age group")


def _priced_groups_miss(evidence: Evidence, asked: tuple[int, int]) -> bool:
    """The chosen sentence's document prices age groups in table rows, two or more, and the asked ages
    are younger than all of them: "mit barnebarn på 4 år" over a course's grandchildren "6-9 år |
    2.200 kr.", "10-13 år | …", "14-17 år | …" (eval/trial15 r17-16, written blind: the grandparents'
    row answered). Rows only: a discount in prose ("Er du under 30 år, … 1.000 kr. i rabat") is for
    everyone of that age."""
    from rag.answer.table import header_in

    chosen = evidence.chosen
    assert chosen is not None
    # or a price row under columns for ages: "Enkeltbillet | 130 kr. | 110 kr. | 85 kr." under "Billettype |
    # Voksen | Studerende | Barn (5-14 år)" for "min søn er 4 år" (eval/trial16 r18-21, answered so)
    header = header_in(chosen.text, evidence.hits[chosen.n - 1].chunk) if MONEY.search(chosen.text) else None
    columns = [lo for cell in header or [] for lo, _ in age_bounds(cell)]
    if columns and asked[1] < min(columns):
        return True
    groups = [bounds for hit in same_document(evidence.hits, chosen.n) for line in hit.chunk.text.split("\n")
              if CELL_SEPARATOR in line and MONEY.search(line) and (bounds := age_bounds(line))]
    # younger than every group only: an age between or above them is everyone else's ("Voksne | 229 kr."
    # beside "Børn 4-11 år" and "65+": "jeg er 30 år hvad koster en fadøl" was refused so, a review)
    youngest = min((lo for found in groups for lo, _ in found), default=0)
    return len(groups) >= 2 and asked[1] < youngest


@dataclass(frozen=True)
class BracketMissing:
    """The question gives a quantity of its asker's case ("vi er 14 personer", "jeg bor 70 km væk") and
    the table row the answer would come from is for a bracket of that unit not holding it ("Storfamilie,
    7-12 personer | … | 3.495 kr."), with no row of its document holding it for that thing
    (`rag.answer.evidence` takes one that does; `rag.answer.table.in_bracket`): the documents price
    other groups, not the asker's."""

    name: str = "bracket_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        from rag.answer.table import in_bracket

        chosen = evidence.chosen
        if chosen is None or in_bracket(evidence.question, chosen.text) is not False:
            return None
        return Refusal(self.name, "the question gives a quantity the answer's table row is not for, and no row of "
                                  "its document is")


_UNSTATED_PRICE = re.compile(r"\befter\s+aftale\b|\bkontakt\b|\bring\b|\bforespørgsel\b|\boplyses\b|\btilbud\b"
                             r"|\baftales\b|\bindividuel\w*", re.I)


def _prices_column(passage: str, header: list[str], column: int) -> bool:
    """Column `column` of the table with `header` in `passage` holds an amount in another row, or its
    header says it is prices (`rag.answer.table.PRICE_HEAD`)."""
    from rag.answer.table import PRICE_HEAD, cells

    if PRICE_HEAD.search(header[column]):
        return True
    rows = [cells(line) for line in passage.splitlines() if CELL_SEPARATOR in line]
    return any(len(r) == len(header) and MONEY.search(r[column]) for r in rows)


@dataclass(frozen=True)
class PriceNotStated:
    """The question asks a price, and the table row the answer would come from leaves the column it
    asks about without one ("Kæmpe | over 35 kg | 700 kr. | efter aftale | efter aftale" under "Størrelse
    | Vægt | Bad og føn | Fuld klipning | …" for "hvad koster fuld klipning af min grand danois"): the
    document says the price is given otherwise ("efter aftale", "kontakt os"), not what it is. Quoted,
    the row's other prices passed for the answer (eval/trial20 r22-22, written blind; unanswerable).
    An empty cell is no statement: the row is quoted with its header (`rag.answer.strategies.cell`)."""

    name: str = "price_not_stated"

    def check(self, evidence: Evidence) -> Refusal | None:
        from rag.answer.table import asked_column, cells, header_in

        chosen = evidence.chosen
        if chosen is None or not asks_price(evidence.kind) or CELL_SEPARATOR not in chosen.text:
            return None
        header = header_in(chosen.text, evidence.hits[chosen.n - 1].chunk)
        row = cells(chosen.text)
        if header is None or len(header) != len(row):
            return None
        column = asked_column(evidence.question, header, evidence.kind)
        # a price column ("Fuld klipning" over amounts in other rows), and a cell saying the price is
        # given otherwise: not a season, not "fri entré" or "halv pris" (a review)
        if column is None or not _UNSTATED_PRICE.search(row[column]) or not _prices_column(
                evidence.hits[chosen.n - 1].chunk.text, header, column):
            return None
        return Refusal(self.name, f"the answer's table row gives no price in the column asked about "
                                  f"({header[column]!r}: {row[column]!r})")


@dataclass(frozen=True)
class CountMissing:
    """The question counts a thing ("Hvad koster en plastfyldning med fire flader?") and the sentence
    the answer would come from counts it otherwise ("Plastfyldning, 3 flader | 1.150 kr."), with no
    sentence of its passage counting it so (`rag.answer.evidence` takes one that does): the documents
    price 1, 2 and 3 surfaces, not 4 (`rag.danish.count_fits`)."""

    name: str = "count_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        if chosen is None or not asks_price(evidence.kind) or count_fits(evidence.question, chosen.text) is not False:
            return None
        return Refusal(self.name, "the question counts something the answer's sentence counts otherwise, and no "
                                  "sentence of its passage counts it as asked")


@dataclass(frozen=True)
class MeasureMissing:
    """The question prices a measure ("Hvad koster 60 minutters soloundervisning?") and the sentence
    the answer would come from is a row of a table that varies that measure for the thing
    (`rag.answer.evidence.measure_varies`: "Soloundervisning | 20 min. | 1.650 kr.", "… | 30 min. |
    …"), with no row for the same thing giving it (`rag.answer.evidence` takes one that does;
    `rag.danish.measure_fits`): the documents price 20, 30 and 45 minutes, not 60. Not prose or a
    row alone: a unit price, a threshold or a capacity is no size to match (a review). A size in two
    dimensions is, in any sentence (`rag.danish.dimensions_differ`: a 20x20 cm photo book is not the
    30 x 30 cm one priced), and so is a rental of a week or a month where the row's header prices days,
    weekends or weekdays only (`_period_missing`)."""

    name: str = "measure_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        if chosen is None or not asks_price(evidence.kind):
            return None
        if dimensions_differ(evidence.question, chosen.text):  # a size is what the thing is, even in a row alone
            return Refusal(self.name, "the question prices a size the answer's sentence does not give")
        if _period_missing(evidence):
            return Refusal(self.name, "the question prices a week or a month, and the answer's table prices "
                                      "only days")
        if measure_fits(evidence.question, chosen.text) is not False \
                or not measure_varies(chosen, evidence.hits, evidence.question):
            return None
        return Refusal(self.name, "the question prices a measure the answer's sentence gives otherwise, and no "
                                  "sentence of its passage gives it as asked")


# A rental of a week or more ("telt 4x8 … en hel uge", "i 3 uger", "en måned"), and a table's columns of
# shorter periods ("Weekend (fre-man) | Hverdag (1 døgn)"): a review's tent was priced by the weekend's
# row, "Ønsker du teltet i længere tid, får du et tilbud." under it (rv-295, unanswerable)
_LONG_PERIOD = re.compile(r"\b(?:en|et|1|to|tre|fire|\d{1,2})\s+(?:hel\s+)?(?:uge|uger|måned|måneder)\b", re.I)
_DAY_PERIOD = re.compile(r"\bdøgn|\bweekend|\bhverdag|\bdag\b|\bdage\b|\bpr\.?\s*dag", re.I)
_WEEK_PERIOD = re.compile(r"\buge|\bmåned|\bmdr", re.I)


def _period_missing(evidence: Evidence) -> bool:
    """The question prices a rental of a week or longer, and the chosen row's header prices periods of
    days only, the row and its header naming no week or month."""
    from rag.answer.table import header_in

    chosen = evidence.chosen
    if chosen is None or not _LONG_PERIOD.search(evidence.question):
        return False
    header = header_in(chosen.text, evidence.hits[chosen.n - 1].chunk) or []
    columns = " ".join(header[1:])
    return bool(_DAY_PERIOD.search(columns)) and not _WEEK_PERIOD.search(f"{columns} {chosen.text}")


@dataclass(frozen=True)
class PredicateMissing:
    """A yes/no question asks about a thing no retrieved passage mentions
    (`rag.answer.evidence.predicate_missing`): "kan man leje et fadølsanlæg med …?" is not answered by
    "Alle … kan leje huset …"; the documents say nothing of it either way. Or the sentence the
    answer would come from says nothing of what it asks but its document's name
    (`rag.answer.evidence.predicate_unsaid`: "Velkommen i Yogahuset Lærkely.")."""

    policy: AnswerPolicy
    name: str = "predicate_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        missing = predicate_missing(evidence.question, evidence.hits)
        if missing:
            return Refusal(self.name, f"the yes/no question asks about {', '.join(missing)}, which no passage "
                                      "mentions")
        if predicate_unsaid(evidence, self.policy) and not closed_as_asked(evidence):
            return Refusal(self.name, "the sentence the answer would come from says nothing of what the yes/no "
                                      "question asks but its document's name")
        return None


@dataclass(frozen=True)
class HolidayMissing:
    """The question names a holiday ("Hvornår holder Cykelsmeden juleferie?") and the sentence the
    answer would come from names only another ("I juli måned holder vi sommerlukket …"), with no
    sentence of its document for the one asked (`rag.answer.evidence` takes one that is;
    `rag.danish.breaks_named`)."""

    name: str = "holiday_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        if chosen is None or not names_other_holiday(evidence.question, chosen.text):
            return None
        asked, named = breaks_named(evidence.question), breaks_named(chosen.text)
        return Refusal(self.name, f"the question asks about {', '.join(sorted(asked))}, and the answer's sentence "
                                  f"is about {', '.join(sorted(named))}")


_OTHER_WEEKS = re.compile(r"\b(?:øvrige|andre|resten|kun|ikke|ingen|undtagen)\b", re.I)


@dataclass(frozen=True)
class WeekMissing:
    """The question asks a price or a time for one week ("hvad koster en uge i Sölden i uge 14") and
    the sentence the answer would come from names only other weeks ("Sölden, Østrig | uge 9-12 |
    8.495 kr."): no sentence of its document names the week asked (`rag.answer.evidence` takes one
    that does; `rag.danish.weeks_in`). eval/trial22 r24-03 (written blind) answered so. A sentence
    for the other weeks too ("øvrige uger 3.500 kr."), one that only restricts ("kun i uge 26-32") or
    negates ("ingen træning i uge 7, 29 og 42") still answers (a review's examples)."""

    name: str = "week_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        week = asked_week(evidence.question)
        if chosen is None or week is None or not (asks_price(evidence.kind) or evidence.kind.kind == TIME):
            return None
        named = weeks_in(chosen.text)  # a heading's week ("Nyhedsbrev uge 12") dates the text, not its rule
        if not named or week in named or _OTHER_WEEKS.search(chosen.text):
            return None
        return Refusal(self.name, f"the question asks about uge {week}, and the answer's sentence is for "
                                  f"uge {', '.join(map(str, sorted(named)))}")


@dataclass(frozen=True)
class MissingQuestionYear:
    """The question names a year or a decade that no passage holds: the passages are about another
    time ("Hvornår er der arbejdsdag i 2025?" over the 2024 dates; `rag.danish.years_missing`).
    SQuAD-da v2, all 3,621 questions, top 5 passages (the rule was written after reading them, none
    trained): 36 unanswerable questions flagged and no answerable one. All numbers, not only years,
    flagged 25 more unanswerable and 4 answerable ones ("2. verdenskrig" against "Anden
    Verdenskrig", number lists); only the passages of the top sentences, 11 answerable: left out.
    Only passages sharing a word with the question count: in a small folder of unrelated documents
    another one names the year ("I 2023 stoppede vi …" for "Hvad var affaldsgebyret i 2023?"); on
    SQuAD-da v2 that flags 4 more unanswerable questions and 2 answerable ones, on eval/trial 2 of
    its 12 unanswerable ones and none of its answerable ones.
    Most of what it refuses the learned gate refuses too, but it says why and needs no calibration.
    A season asked ("sæson 2026/27") of passages naming only other seasons ("2025/26") is refused
    too (`rag.danish.seasons_missing`; eval/trial18 r20-21: "2026" itself is in last season's dates)."""

    name: str = "question_year_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        if not evidence.hits or not (question_years(evidence.question) or seasons_in(evidence.question)):
            return None  # most questions name no year nor season: no passage needs reading
        # a passage sharing no word with the question is not about it, whatever years it names
        about = [h.chunk.text for h in evidence.hits if content_terms(h.chunk.text) & evidence.question_terms]
        missing = years_missing(evidence.question, about)
        if missing:
            return Refusal(self.name, f"the question names {', '.join(missing)}, which no passage mentions")
        seasons = seasons_missing(evidence.question, self._season_texts(evidence))
        if seasons:
            return Refusal(self.name, f"the question names the season {', '.join(seasons)}, and the answer's "
                                      "document is for another season")
        return None

    @staticmethod
    def _season_texts(evidence: Evidence) -> list[str]:
        """Where a season is read: the answer's document (its passages, title and file name: "… for
        sæson 2025/26", danseskolen_trinlet_saeson_2025-26.md), not a sibling's for another season."""
        if evidence.chosen is None:
            return []
        source = evidence.hits[evidence.chosen.n - 1].chunk.source
        own = [h for h in evidence.hits if h.chunk.source == source]
        return [f"{h.chunk.text} {h.chunk.title or ''} {Path(h.chunk.source).stem.replace('_', ' ')}" for h in own]


# A sentence saying what a later year's prices or dates will be is not given yet: "Priser for 2027
# offentliggøres 1. oktober 2026.", "Taksterne for 2027 fastsættes i oktober."
_ANNOUNCED = re.compile(r"[^.!?\n]*\b(?:offentliggøres|fastsættes|fastlægges|udmeldes|meldes\s+ud|kommer\s+senere"
                        r"|er\s+endnu\s+ikke|bliver\s+først)\b[^.!?\n]*[.!?]?", re.I)


@dataclass(frozen=True)
class HeadingYearMissing:
    """The question names a year and the answer's sentence, naming none, stands under a heading for
    another year only, or in a document its title or file name dates to another year only: "Takster
    2026" over "Fuldtidsplads | op til 48 timer | 3.385 kr." for "hvad koster
    en fuldtidsplads i dagplejen i 2027" (eval/trial16 r18-11, answered so; the letter says the 2027
    rates are set in October, so `MissingQuestionYear` found 2027 in the passages). A heading naming
    the asked year too, or a row of year columns ("Bidrag | 2025 | 2026"), still answers."""

    name: str = "heading_year_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        asked = question_years(evidence.question)
        if chosen is None or not asked or years_in(chosen.text):
            return None
        above = years_in(heading_above(chosen, evidence.hits))
        if not above:
            # … or in a document dated by its title or file name, whose passages name the asked year
            # nowhere: "midtsjaellands_biavlerforening_2026.docx" for "hvornår starter begynderkurset i
            # biavl i 2027" (eval/trial22 r24-17, written blind; 2027 stood only in a ski trip's passage)
            own = same_document(evidence.hits, chosen.n)
            dated = years_in(" ".join(f"{h.chunk.title or ''} {Path(h.chunk.source).stem}" for h in own))
            # … a year said only as the one whose prices are to come ("Priser for 2027 offentliggøres 1.
            # oktober 2026.": eval/trial25 r27-12, written blind) dates nothing of the document
            said = " ".join(_ANNOUNCED.sub(" ", h.chunk.text) for h in own)
            if any(y.startswith(prefix) for _, prefix in asked for y in years_in(said)):
                return None
            above = dated
        if not above or any(y.startswith(prefix) for _, prefix in asked for y in above):
            return None
        return Refusal(self.name, f"the question asks about {', '.join(w for w, _ in asked)}, and the answer's "
                                  f"sentence stands under a heading or in a document for {', '.join(sorted(above))}")


@dataclass(frozen=True)
class MissingQuestionName:
    """The question uses a name (a capitalised word past its first: a place, a body, a person, a
    product) that none of the passages holds, nor their titles or file names: the documents are about
    something else ("Hvem er borgmester i Aarhus Kommune?" over Sorø's and Ishøj's mayors;
    "Søndervangskolen" over "Nørrevangskolen"). Inflections, hyphen parts and near spellings count
    as the name (`rag.danish.name_found`), so "Bismark" finds "Bismarck". Also refused: a question
    none of whose names the chosen sentence's document holds (see `check`).
    Measured for that second rule (cached retrieval, the gate stack): SQuAD-da v2 held-out articles
    5 more unanswerable questions refused and no answerable one (training articles 17 / 11); all
    3,924 v1 questions 17 more refused (0.4%; "Luther" answered from the Oxygen article among
    them); eval/gold.jsonl and eval/trial unchanged, the 200 v1 sample too.
    Found by a review as a user: the cosine gates let those questions through by 0.001–0.005, and
    every strategy then answered about the other place. Measured (cached retrieval, no generation,
    `eval/answerability/system.py`) with the rest of the stack: see the README's refusal table."""

    name: str = "question_name_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        if not evidence.hits:
            return None
        missing = names_missing(evidence.question, name_texts(evidence.hits))
        if missing:
            return Refusal(self.name, f"the question names {', '.join(missing)}, which no passage mentions")
        if evidence.chosen is not None:
            # the answer's sentence numbers the name asked for otherwise: "VestFast 12: Prisen 1,89 kr. …"
            # for "VestFast 24" (trial8). Measured on all cached SQuAD-da questions: v2 1 unanswerable
            # refused ("Scotland Act 2012" for 2002); v1 3 answerable ones, each answered before from
            # the sibling ("Apollo 17" for "Apollo 11", "Panthers 4-yard" for "14 yard"): wrong
            # answers become refusals; neither 200 sample moves. Over all the passages instead of
            # the answer's sentence, v1 also lost right answers ("Apollo 4" beside other flights).
            numbered = numbered_names_missing(evidence.question, [evidence.chosen.text])
            if numbered:
                return Refusal(self.name, f"the question names {', '.join(numbered)}, which the answer's sentence "
                                          "numbers otherwise")
        # The answer's document (the chosen sentence's passage, and those of the same source or
        # title) holding none of the question's names is about something else: "Hvem er leder af
        # Roskilde Svømmehal?" answered from Køge's pool, while Roskilde is only in another file.
        # One name is enough: a question about two places answers from one ("… Ishøj og Sorø?").
        chosen = evidence.chosen
        if chosen is None or not evidence.naming or chosen.n in evidence.naming:
            return None
        anchor = evidence.hits[chosen.n - 1].chunk
        absent = names_missing(evidence.question, name_texts(same_document(evidence.hits, chosen.n)))
        return Refusal(self.name, f"the question names {', '.join(absent)}, which the document the answer "
                                  f"would come from ({Path(anchor.source).name}) does not mention")


@dataclass(frozen=True)
class TitledElsewhere:
    """The question names something a document is titled or named for ("Hvornår holder Lægehuset
    Skovvej sommerferie?", laegehuset-skovvej.docx) and the answer would come from another document,
    titled for nothing the question names, whose sentence does not name it either: "Klinikken holder
    sommerlukket i uge 29 og 30." is the other clinic's page, which names Skovvej only as its
    stand-in. The thing asked about has its own document, and that document does not say.
    A sentence of the other document that names the thing itself ("… hos Lægehuset Skovvej koster
    450 kr."), or whose paragraph named it before it ("Derudover afsættes der med aftalen også
    varige midler …" after "… med aftalen om Børnene Først …", which has its own document too),
    still answers; a later mention (the stand-in) does not make the sentence about it. Nor is one
    refused whose paragraph may begin in the passage before (that one, in eval/gold.jsonl, opens its
    passage).
    Measured (cached retrieval, the gate stack; the cache keeps no passage offsets, so every passage
    counts as opening its document and the rule refuses at least as often as live): all SQuAD-da v1
    and v2 questions none refused either way (their documents are titled for articles, which
    questions seldom name while the answer is elsewhere); eval/gold.jsonl, eval/trial and
    eval/trial3 unchanged; eval/trial2 3 more of its 10 unanswerable questions refused (two clinics
    and two clubs side by side) and no answerable one.
    Measured and dropped: a document titled for another of the same kind (some words of the
    question's name in its title, the rest only in its text: "Børnehuset Regnbuen" over Børnehuset
    Solsikken's page, which names Regnbuen as its stand-in): on all SQuAD-da v1 questions 9 more
    answerable ones refused, v2 3 unanswerable against 2 answerable, and one of eval/gold.jsonl;
    neighbouring names read as one ("Luther Kristi", "Doctor Hvem") half-match an article's title."""

    name: str = "other_document"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        if chosen is None or not evidence.naming:
            return None
        named = titled_for(evidence.question, evidence.hits)
        if chosen.n in named:
            return None
        # a document titled for a question's name and little else (`rag.danish.titled_for_name`)
        titled = {n for n in named
                  if any(titled_for_name(evidence.question, t) for t in titles(same_document(evidence.hits, n)))}
        if not titled:
            return None
        before = lead_in(chosen, evidence.hits)
        if before is None or whole_names_found(evidence.question, [before, chosen.text]):
            return None
        own = Path(evidence.hits[min(titled) - 1].chunk.source).name
        other = Path(evidence.hits[chosen.n - 1].chunk.source).name
        return Refusal(self.name, f"what the question asks about has its own document ({own}), and the answer "
                                  f"would come from another one ({other}) that does not name it there")


_DEFINITE = re.compile(r"\w{4,}(?:en|et|ene|ne)$")


@dataclass(frozen=True)
class SubjectElsewhere:
    """The question asks about a business by its kind, in lower case, as one document's file is named
    ("kan man leje padelsko i padelhuset og hvad koster det", padelhuset_amager_priser.html;
    `rag.answer.evidence.documents_of_subject`), and the answer would come from another document whose
    sentence (and what its paragraph says before it) does not say that word: the ceramics workshop's
    "Leje af drejeskive … | 75 kr. pr. time" answered it (eval/trial20 r22-03, written blind,
    unanswerable). The evidence already prefers that document's best sentence within `name_margin`;
    past it, that document does not say. Same refusal as `other_document`. Measured on the users' sets
    and gold: besides trial20 r22-03, two wrong answers became refusals (eval/trial t-08 "stoppe i
    tennisklubben" answered from an IT handbook, trial10 r12-22 "cykelværkstedet sommerferie" from a
    school's holiday plan)."""

    name: str = "other_document"

    def check(self, evidence: Evidence) -> Refusal | None:
        from rag.danish import folded

        chosen = evidence.chosen
        if chosen is None or evidence.naming:
            return None
        subject = documents_of_subject(evidence.question, evidence.hits)
        if not subject or chosen.n in subject:
            return None
        said = folded(f"{lead_in(chosen, evidence.hits) or ''} {chosen.text}")
        words = subject_words(evidence.question, evidence.hits[min(subject) - 1].chunk.source)
        # the business asked about is one, so named in the definite form ("i padelhuset", "tennisklubben");
        # "fik besøg af en minister" is no document's subject (eval/gold.jsonl x-05, refused by a first version)
        if not any(_DEFINITE.search(w) for w in words) or any(w[:5] in said for w in words):
            return None
        own = Path(evidence.hits[min(subject) - 1].chunk.source).name
        other = Path(evidence.hits[chosen.n - 1].chunk.source).name
        return Refusal(self.name, f"what the question asks about has its own document ({own}), and the answer "
                                  f"would come from another one ({other}) that does not name it there")


class Scorer(Protocol):
    def probability(self, question: str, hits: Sequence[Hit]) -> float: ...


@dataclass(frozen=True)
class LearnedAnswerability:
    """The learned model (`rag.answer.answerability_model`) as a gate: refuse at P(unanswerable) ≥ threshold."""

    scorer: Scorer
    threshold: float
    confident: float | None = None  # the learned ranker's probability at which the chosen sentence stands
    name: str = "answerability_model"

    def check(self, evidence: Evidence) -> Refusal | None:
        chosen = evidence.chosen
        if self.confident is not None and chosen is not None and chosen.score >= self.confident:
            return None  # the sentence ranker is sure this sentence holds the answer (`AnswerPolicy.sure_sentence`)
        if closed_as_asked(evidence):
            return None
        p = self.scorer.probability(evidence.question, evidence.hits)
        if p < self.threshold:
            return None
        return Refusal(self.name, f"the answerability model finds the passages unlikely to hold the answer "
                                  f"(P(unanswerable) {p:.2f} ≥ {self.threshold:.2f})")


@dataclass(frozen=True)
class SeasonMissing:
    """The question asks about a season ("efter sommerferien", "om vinteren") and the chosen sentence's
    document is, by its title, file name, section or the heading above the sentence, about another
    season only, the sentence naming none ("iPad for begyndere | … | 2. februar 2026 | …" in
    "kursusprogram forår 2026" for the autumn's start: eval/trial26 r28-21, written blind;
    `rag.danish.other_season_only`). A sentence of a document naming no season passes."""

    name: str = "season_missing"

    def check(self, evidence: Evidence) -> Refusal | None:
        from rag.danish import other_season_only

        chosen = evidence.chosen
        if chosen is None or not 1 <= chosen.n <= len(evidence.hits):
            return None
        other = other_season_only(evidence.question, document_about(chosen, evidence.hits), chosen.text)
        if other is None:
            return None
        return Refusal(self.name, f"the question asks about another season than the {other} the answer's document "
                                  "is about")


# What each refusal means, in Danish, for the person who asked (`rag ask` shows it under the refusal;
# `Refusal.reason` keeps the exact figures, in English, for --verbose, --json and the eval).
EXPLANATIONS = {
    "no_passages": "Indekset gav ingen passager.",
    "low_similarity": "Ingen af dokumenterne ser ud til at handle om det, der spørges om.",
    "few_question_words": "Ingen af dokumenterne ser ud til at handle om det, der spørges om.",
    "no_matching_sentence": "Ingen sætning i de fundne passager deler ord med spørgsmålet.",
    "question_year_missing": "Årstallet i spørgsmålet står ikke i de fundne passager.",
    "question_name_missing": "Et navn i spørgsmålet står ikke i de fundne passager, eller ikke i dokumentet, "
                             "svaret skulle komme fra.",
    "missing_answer_kind": "Ingen af de fundne passager har et tal, et beløb, en dato eller et tidspunkt om netop "
                           "det, der spørges om.",
    "answerability_model": "De fundne passager ligner ikke passager, der besvarer spørgsmålet.",
    "opposition_missing": "Sætningen, svaret skulle komme fra, siger ikke noget om det, spørgsmålet benægter.",
    "narrower_role": "Sætningen, svaret skulle komme fra, nævner kun rollen i en del af organisationen.",
    "role_missing": "Dokumentet, svaret skulle komme fra, nævner ikke den rolle, der spørges om.",
    "age_group_missing": "Sætningen eller dokumentet, svaret skulle komme fra, gælder en anden aldersgruppe end den, "
                         "der spørges om.",
    "bracket_missing": "Tabellen, svaret skulle komme fra, har ingen række for det antal eller den afstand, der "
                       "spørges om.",
    "price_not_stated": "Tabellen nævner det, der spørges om, men oplyser ingen pris (fx \"efter aftale\").",
    "count_missing": "Dokumenterne nævner ikke det antal, der spørges om.",
    "measure_missing": "Sætningen, svaret skulle komme fra, gælder en anden varighed eller størrelse end den, "
                       "der spørges om.",
    "holiday_missing": "Sætningen, svaret skulle komme fra, handler om en anden ferie end den, der spørges om.",
    "week_missing": "Sætningen, svaret skulle komme fra, gælder andre uger end den, der spørges om.",
    "season_missing": "Dokumentet, svaret skulle komme fra, handler om en anden årstid end den, der spørges om.",
    "heading_year_missing": "Sætningen, svaret skulle komme fra, står under en overskrift for et andet år end det, "
                            "der spørges om.",
    "predicate_missing": "Ingen af de fundne passager nævner det, spørgsmålet spørger om.",
    "other_document": "Det, der spørges om, har sit eget dokument, og det siger ikke noget om sagen.",
    "model_declined": "Sprogmodellen fandt ikke svaret i passagerne.",
    "echoed_instruction": "En passage rummer en instruktion, ikke et svar.",
    "no_answer": "Intet svar kunne underbygges af passagerne.",
}


def explain(gate: str | None) -> str | None:
    """The Danish explanation of a refusal by `gate` (a gate's or a strategy's refusal name); None
    for a name without one (a user's own gate)."""
    return EXPLANATIONS.get(gate or "")


def default_gates(policy: AnswerPolicy, *, style: str = "hybrid", extra: Sequence[Gate] = ()) -> list[Gate]:
    """The gates, cheapest and surest first, as the policy sets them."""
    gates: list[Gate] = [NoPassages()]
    if policy.min_dense is not None:
        gates.append(LowSimilarity(policy.min_dense))
    gates.append(FewQuestionWords(policy.min_overlap, policy.lexical_dense))
    if policy.year_check:
        gates.append(MissingQuestionYear())
    if policy.name_check:
        gates.append(MissingQuestionName())
    gates.extend(extra)
    if style != "generate":
        gates.append(NoMatchingSentence())
    if policy.kind_check:
        gates.append(MissingAnswerKind())
    if style != "generate":
        gates += [OppositionMissing(policy), NarrowerRole(policy), RoleMissing(), AgeGroupMissing(), BracketMissing(),
                  PriceNotStated(), CountMissing(), MeasureMissing(), HolidayMissing(), WeekMissing(),
                  SeasonMissing(), PredicateMissing(policy)]
        if policy.year_check:
            gates.append(HeadingYearMissing())
        if policy.name_check:
            gates += [TitledElsewhere(), SubjectElsewhere()]
    return gates


def first_refusal(gates: Sequence[Gate], evidence: Evidence) -> Refusal | None:
    for gate in gates:
        refusal = gate.check(evidence)
        if refusal is not None:
            return refusal
    return None
