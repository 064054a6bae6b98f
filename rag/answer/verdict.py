"""The verdict: "Ja" or "Nej" for a yes/no question, read off the one sentence the answer quotes.

A person who asks "må man have en kat på kollegiet" wants "Nej" before the rule that says so
("Det er ikke tilladt at holde hunde, katte eller andre husdyr på kollegiet."). The quote strategy
answers with that rule; `verdict` says whether it reads as a plain yes or no to the question, so
the answer can lead with it. Precision first: a wrong "Ja" in front of a right quote is worse than
no verdict, so every rule needs the sentence to say it outright, near a word the question asks
about, and the asker's own case (age, measure, count, week, weekday) to fall inside what the
sentence is said of.

What reads as a verdict (each for a question `rag.danish.asks_yes_no_after_case` accepts, whose
asked part negates nothing):
- a negation ("ikke", "ingen", "aldrig", "forbudt") within three words of a word the question asks
  about, outside a condition ("hvis du ikke kan komme, …") or a relative clause ("…, der ikke er
  medlemmer, …"): "Nej" ("Hunde er ikke tilladt på staldområdet");
- "gratis", "betalingsfri", "inkluderet", "uden beregning" where the question asks about paying:
  "Nej" ("skal vi betale for dagplejen i juli" / "juli er betalingsfri"), "Ja" where it asks whether
  it is free;
- a permission ("må gerne", "er tilladt", "er velkomne", "kan godt") near a word the question asks
  about, with no negation: "Ja";
- a minimum age ("skal være fyldt 25 år", "mindst 18 år", "aldersgrænsen er 12 år") the asker's
  age is below: "Nej".

Left out: verdicts that take inference ("kun sammen med en voksen" for "må han klatre alene"),
sums, and what a model answers (its own "Ja"/"Nej" stands as it wrote it).
"""

from __future__ import annotations

import re

from rag.danish import (
    OPPOSITION_WORDS,
    STOPWORDS,
    age_fits,
    asked_age,
    asked_part,
    asked_week,
    asked_weekday,
    asks_yes_no_after_case,
    bound_fits,
    count_fits,
    inflected,
    measure_fits,
    names_weekday,
    same_word,
    weeks_in,
    without_askers_case,
)

YES = "Ja"
NO = "Nej"

# A negation of what follows; not "ikke-medlemmer" (a group) nor "ikke kun/bare/altid/nødvendigvis"
# (which restricts, and answers neither way).
_NEGATION = re.compile(r"\b(?:ikke(?!-)(?!\s+(?:kun|bare|blot|altid|nødvendigvis|alene|mindst|før|længere\s+end))"
                       r"|ingen|intet|aldrig|hverken|forbudt|forbud)\b", re.I)
_PERMISSION = re.compile(r"\b(?:må|kan)\s+(?:\w+\s+)?(?:gerne|godt|sagtens|fint)\b"
                         r"|\ber\s+(?:\w+\s+)?(?:tilladt|velkomn?e|muligt)\b|\btilladt\b", re.I)
_FREE = re.compile(r"\b(?:gratis|betalingsfri[te]?|uden\s+(?:ekstra\s+)?(?:beregning|betaling|merpris)"
                   r"|inkluderet|indgår\s+i\s+prisen|er\s+med\s+i\s+prisen)\b", re.I)
_PAY = re.compile(r"\b(?:betale\w*|betaler|koster\s+(?:det|den|de)\s+(?:noget|ekstra)|gebyr\w*)\b", re.I)
# whether it is free ("er parkering gratis", "er der gratis omvisning"), not "den gratis prøvetime"
_ASKS_FREE = re.compile(r"\b(?:er|bliver)\s+(?:\w+\s+){0,3}gratis\b", re.I)
# "skal være fyldt 25 år", "mindst 18 år", "minimumsalderen er 12 år", "aldersgrænsen er 16 år", "fra 15 år"
_MINIMUM_AGE = re.compile(r"\b(?:(?:være\s+)?fyldt|mindst|minimum|minimumsalder\w*\s+(?:er|på)|aldersgrænse\w*"
                          r"\s+(?:er|på))\s+(\d{1,2})\s*år\b", re.I)
_PURPOSE = re.compile(r"\s+for\s+at\s+([^,.;:]*)", re.I)
# A clause saying under what condition, or of whom: its negation is not the sentence's answer
# (also one of a verb first: "Kan du ikke vænne dig til glassene, bytter vi dem gratis")
_SUBCLAUSE = re.compile(r"\b(?:hvis|medmindre|såfremt|dersom|når)\b[^,.;:–]*|^\s*(?:kan|er|har|skal|vil|må|bliver"
                        r"|får)\s+\w+\b[^,.;:–]*,(?=[^,.;:–]*\w)|,?\s*\b(?:der|som)\s+ikke\b[^,.;:–]*",
                        re.I)
_CLAUSES = re.compile(r"[;:]|\s[–-]\s|,?\s+men\s+|,?\s+mens\s+", re.I)
# "ikke tilladt at holde hunde, katte eller andre husdyr": what is forbidden is all that follows
_PROHIBITS = re.compile(r"\s+(?:tilladt|muligt|lov)\b", re.I)
_WORD = re.compile(r"[^\W\d_]+")
_WINDOW = 3  # words between the negation and the word asked about ("Løbske tæver kan ikke modtages")


def _asked_words(question: str) -> list[str]:
    """The content words of what the question asks, casefolded: no stop words, no yes/no verbs, no
    words of the asker's own case told first."""
    part = asked_part(without_askers_case(question))
    return [w for w in _WORD.findall(part) if len(w) >= 3 and w not in STOPWORDS and w not in OPPOSITION_WORDS]


def _near(clause: str, at: int, asked: list[str], window: int = _WINDOW) -> bool:
    """Whether a word of `asked` stands within `window` words of the clause's position `at`."""
    words = [(m.start(), m.group(0).casefold()) for m in _WORD.finditer(clause)]
    i = next((k for k, (start, _) in enumerate(words) if start >= at), len(words))
    around = words[max(0, i - window):i + window + 1]
    return any(same_word(w, a) or inflected(w, a) for _, w in around for a in asked)


def _case_outside(question: str, clause: str) -> bool:
    """Whether the asker's own case falls outside what `clause` is said of: an age, a measure, a
    count, a week or a weekday the question gives that the clause's band or list does not hold."""
    if age_fits(question, clause) is False or measure_fits(question, clause) is False \
            or count_fits(question, clause) is False:
        return True
    if bound_fits(question, clause) is False:
        return True
    week = asked_week(question)
    if week is not None and weeks_in(clause) and week not in weeks_in(clause):
        return True
    day = asked_weekday(question)
    return day is not None and _names_a_weekday(clause) and not names_weekday(clause, day)


def _names_a_weekday(text: str) -> bool:
    return any(names_weekday(text, d) for d in range(7))


def verdict(question: str, sentence: str) -> str | None:
    """`YES` or `NO` when `sentence` plainly answers the yes/no question `question` (see the module's
    rules); None when the question is no yes/no question, negates what it asks, the sentence already
    opens with its own "Ja"/"Nej", is itself a question, or says neither plainly."""
    if not asks_yes_no_after_case(question) or sentence.rstrip().endswith("?"):
        return None
    if re.match(r"\s*(?:ja|nej)\b", sentence, re.I):
        return None
    part = asked_part(without_askers_case(question))
    if any(w in OPPOSITION_WORDS for w in _WORD.findall(part)):
        return None
    asked = _asked_words(question)
    if not asked:
        return None
    age = asked_age(question)
    m = _MINIMUM_AGE.search(sentence)
    if m is not None and age is not None and age[1] < int(m.group(1)):
        # an age for something else: "… skal være fyldt 14 år for at leje en enkeltkajak" (eval/trial15
        # r17-10, asked of a 3-year-old in a canoe: its "Nej" was right by luck)
        purpose = _PURPOSE.match(sentence, m.end())
        if purpose is None or _near(purpose.group(1), 0, asked, window=len(purpose.group(1))):
            return NO
    for clause in _CLAUSES.split(sentence):
        if not clause or not clause.strip():
            continue
        main = _SUBCLAUSE.sub(" ", clause)
        if _case_outside(question, clause):
            continue
        negated = [n for n in _NEGATION.finditer(main) if _near(main, n.start(), asked)
                   or (_PROHIBITS.match(main, n.end()) and _near(main[n.end():], 0, asked, window=len(main)))]
        if _FREE.search(main) and not _NEGATION.search(main):
            if _ASKS_FREE.search(part):
                return YES
            if _PAY.search(part):
                return NO
        if negated:
            return NO
        permitted = _PERMISSION.search(main)
        if permitted and not _NEGATION.search(main) and _near(main, permitted.start(), asked):
            return YES
    return None
