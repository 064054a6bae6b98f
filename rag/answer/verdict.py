"""The verdict: "Ja" or "Nej" for a yes/no question, read off the one sentence the answer quotes.

A person who asks "må man have en kat på kollegiet" wants "Nej" before the rule that says so
("Det er ikke tilladt at holde hunde, katte eller andre husdyr på kollegiet."). The quote strategy
answers with that rule; `verdict` says whether it reads as a plain yes or no to the question, so
the answer can lead with it. Precision first: a wrong "Ja" in front of a right quote is worse than
no verdict, so the sentence must say it outright of exactly what is asked: every word the question
asks about stands in it or in its document's name (`_covers`), no phrase limits the rule to what
the question does not say ("efter kl. 22", "om vinteren", "på de afmærkede pladser":
`_unasked_limit`), it sets no condition ("hvis …") and, for a "Nej", no exception beside it ("…, men
gerne på terrassen", "dog", "kun"); and the asker's own case (age, measure, count, week, weekday)
falls inside what it is said of.

What reads as a verdict (each for a question `rag.danish.asks_yes_no_after_case` accepts, whose
asked part negates nothing, restricts nothing with "kun" and asks nothing else with a question word):
- a negation ("ikke", "ingen", "aldrig") of the very word asked about (the word beside it: "tilbyder
  ikke vaccination", "ingen klubaftener"), or a ban ("ikke tilladt", "forbudt") of a clause naming
  it, outside a relative clause ("…, der ikke er medlemmer, …"): "Nej";
- "gratis", "betalingsfri", "inkluderet", "uden beregning" next to what a pay question asks about,
  for no group, qualifier or deadline: "Nej" ("skal vi betale for dagplejen i juli" / "juli er
  betalingsfri"), "Ja" where it asks whether it is free;
- a permission ("må gerne", "er tilladt", "er velkomne", "kan godt") near a word the question asks
  about, with no negation: "Ja";
- opening hours in a bare row for the weekday the asker comes ("kan jeg komme forbi en fredag kl 16"
  / "Fredag | kl. 10-15"): "Ja" inside them, "Nej" outside them or where the day says "lukket";
- a closing for weeks holding the week the asker comes ("kan jeg komme forbi … i uge 30" / "Butikken
  holder sommerlukket i uge 29 og 30."): "Nej";
- company required of an age group the asker is in, asked whether they may come alone ("min søn er
  10, må han skyde alene" / "Børn under 12 år skal altid være ledsaget af en voksen"): "Nej";
- a minimum age ("skal være fyldt 25 år", "mindst 18 år", "aldersgrænsen er 12 år") the asker's
  age is below: "Nej".

Two read-only reviews wrote made-up pairs against it: 146 found 60 wrong verdicts in a first version
that took any negation within three words of an asked word, then 183 new ones found 26 in the
second; each cause is fixed above and its cases are tests. On the second review's pairs the final
rules give 1 wrong verdict ("påskedag" read as "påsken"), 29 right, and none on 45 where one was due.
Left out: verdicts that take inference ("kun online" for "over telefonen"), sums, and what a model
answers (its own "Ja"/"Nej" stands as it wrote it).
"""

from __future__ import annotations

import re

from rag.answer.verify import content_terms
from rag.danish import (
    CLOCK_SPAN,
    CLOSED,
    OPPOSITION_WORDS,
    PREPOSITIONS,
    STOPWORDS,
    WEEKDAY_PATTERN,
    YES_NO_VERBS,
    age_fits,
    asked_age,
    asked_part,
    asked_week,
    asked_weekday,
    asks_yes_no_after_case,
    bound_fits,
    bounds_in,
    closed_in_week,
    count_fits,
    covers_weekday,
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
_NEGATION = re.compile(r"\b(?:ikke(?!-)(?!\s+(?:kun|bare|blot|altid|nødvendigvis|alene|mindst|før|længere\s+end"
                       r"|inkluderet|inklusive|gratis|lukket|forbudt|noget\s+problem|et\s+problem|et\s+krav|påkrævet"
                       r"|nødvendigt|længere|endnu))|ingen|intet|aldrig|hverken|(?<!ikke\s)forbudt"
                       r"|(?<!ikke\s)forbud)\b", re.I)
# a ban: what it forbids is all that follows ("ikke tilladt at holde hunde, katte eller andre husdyr")
_BAN = re.compile(r"\bikke\s+(?:tilladt|muligt|lov)\b|\bforbudt\b|\bforbud\b", re.I)
# an exception or a contrast beside a negation: the sentence answers neither way by itself
_EXCEPTION = re.compile(r"\b(?:men|dog|kun|undtagen|bortset|derimod|gerne|ellers|uden)\b", re.I)
# the prepositions opening a phrase a rule may be limited by: the lexicon's, and those of time and way
_PHRASE_HEADS = PREPOSITIONS | {"før", "uden", "indtil", "inden", "mellem", "ad", "langs", "gennem"}
# … of which these limit nothing: a reason, an appointment, a bound on a number (read against the asker's)
_BENIGN = re.compile(r"\bpå\s+grund\s+af\s+\w+|\befter\s+aftale(?:\s+med\s+\w+)?|\b(?:over|under)\s+\d[\d,.]*\s*\w*",
                     re.I)
_FROM_WHEN = re.compile(r"\b(?:fra|til|indtil|efter|før|mellem|senere\s+end|tidligere\s+end)\s+(?:kl\.?\s*)?\d", re.I)
# a condition in the sentence: the rule holds only under it
_CONDITION = re.compile(r"\b(?:hvis|medmindre|såfremt|dersom)\b", re.I)
# groups a rule may be for: one the question does not name makes it another's rule
_GROUP = re.compile(r"\b(?:voksne|voksen|børn|barn|unge|medlemmer|medlem|ikke-medlemmer|pensionister|studerende|gæster"
                    r"|juniorer|seniorer|drenge|piger)\b", re.I)
# what makes "gratis" another's: a group, a condition, a deadline, a bound
_FREE_LIMIT = re.compile(r"\b(?:for|ved|indtil|inden|uden\s+for|over|under|hvis|når|i\s+følge|første|én|et\s+par)\b",
                         re.I)
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
# A clause saying when, or of whom: its negation is not the sentence's answer (also a condition told
# verb first: "Kan du ikke vænne dig til glassene, bytter vi dem gratis"; an "if" word, `_CONDITION`,
# leaves the sentence without a verdict before any clause is read)
_SUBCLAUSE = re.compile(r"\bnår\b[^,.;:–]*|^\s*(?:kan|er|har|skal|vil|må|bliver"
                        r"|får)\s+\w+\b[^,.;:–]*,(?=[^,.;:–]*\w)|,?\s*\b(?:der|som)\s+ikke\b[^,.;:–]*",
                        re.I)
_CLAUSES = re.compile(r"[;:]|\s[–-]\s|,?\s+men\s+|,?\s+mens\s+", re.I)
_WORD = re.compile(r"[^\W\d_]+")
# whether something takes place: "er der fællesspisning … tirsdag d. 15 juli" (eval/trial27 r29-12)
_HAPPENS = re.compile(r"\s*(?:er|bliver)\s+der\b", re.I)
# a visit at a weekday and a clock: "kan jeg komme forbi en fredag kl 16", "har I åbent lørdag kl. 14"
_VISIT = re.compile(r"\b(?:komme|kigge|smutte|køre)\s+(?:forbi|ind|over)\b|\bbesøge\b|\båbent?\b|\baaben", re.I)
_ASKED_CLOCK = re.compile(r"\bkl\.?\s*(\d{1,2})(?:[.:](\d\d))?\b(?!\s*[-–])", re.I)
# alone, and the company a group must have: "må han skyde alene", "kan hun komme uden en voksen"
_ALONE = re.compile(r"\balene\b|\buden\s+(?:en\s+|sin\s+|sine\s+)?(?:voksen|voksne|forældre|forælder|ledsager)\b", re.I)
_COMPANY = re.compile(r"\b(?:skal|må\s+kun|kun)\b[^.;]{0,40}?\b(?:ledsage[st]?|ledsaget|i\s+følge\s+med"
                      r"|sammen\s+med\s+(?:en\s+)?(?:voksen|voksne|forælder|forældre)"
                      r"|have\s+(?:en\s+)?(?:voksen|voksne|forælder|forældre|værge)\b[\w\s]{0,20}?\bmed)\b", re.I)
_HOURS_WORDS = frozenset({"kl", "klokken", "lukket", "åbent", "åben", "og", "til", "fra", "alle", "dage"})
_DAY_WORD = re.compile(rf"\b(?:{WEEKDAY_PATTERN}|hverdage|weekend\w*|helligdage)\b", re.I)
_DAY_SPAN = re.compile(rf"\b(?:{WEEKDAY_PATTERN})\s*(?:-|–|til)\s*(?:{WEEKDAY_PATTERN})\b", re.I)
_CLOCKS = re.compile(r"(?<![\d.,])\d{1,2}(?:[.:]\d\d)?(?![\d.,]?\d)(?!\s*(?:kr|år|uger?|dage?|personer|%))", re.I)
# a question that also asks what or when ("kan man leje sko og hvad koster det"): a verdict says half
_QUESTION_WORD = re.compile(r"\b(?:hvad|hvor|hvornår|hvem|hvilke[nt]?|hvordan|hvorfor)\b", re.I)
_POSSESSIVES = frozenset({"vores", "jeres", "deres", "min", "mit", "mine", "din", "dit", "dine", "hans", "hendes",
                          "sin", "sit", "sine"})
# light and motion verbs: "tage hunden med", "køre ind i vaskehallen" ask about the dog and the hall
_LIGHT_VERBS = frozenset({"tage", "tager", "have", "gøre", "gør", "bruge", "køre", "komme", "gå", "være"})
# an FAQ heading without its question mark: "Hvorfor må man ikke bade i søen"
_QUESTION_OPENING = re.compile(r"\s*" + _QUESTION_WORD.pattern, re.I)
# the ages a question gives: one asker's, or also another's ("min søn er 12 og jeg er 40")
_AGES = re.compile(r"\b\d{1,2}\b(?!\s*(?:kr|kl|%|m|cm|km|kg|tons?|personer|uger?|dage?|timer?)\b)", re.I)
# whether company is required: "skal der være en voksen med", "skal en voksen være med", "skal jeg følge med"
_COMPANY_ASKED = re.compile(r"\bskal\s+(?:der\s+(?:være|komme)\s+)?(?:en\s+)?"
                            r"(?:voksen|forælder|forældre|ledsager|jeg|vi)\s+(?:\w+\s+)?(?:med|følge\s+med)\b", re.I)
# a companion's age, not the asker's: "ledsages af en person på mindst 15 år"
_COMPANION = re.compile(r"\b(?:person|voksen|ledsager|værge)\s+(?:på|over)?\s*$", re.I)
_WINDOW = 3  # words between a permission or "gratis" and the word asked about ("Hunde og katte må gerne …")


def _asked_words(part: str) -> list[str]:
    """The content words of `part`, what the question asks (`asked_part` of it without the asker's
    case told first), casefolded: no stop words, no yes/no verbs ("kan", "tilbyder", "dækker")."""
    return [w for w in _WORD.findall(part) if len(w) >= 3 and w not in STOPWORDS and w not in OPPOSITION_WORDS
            and w not in YES_NO_VERBS and w not in _POSSESSIVES]


def _is_asked(word: str, asked: list[str]) -> bool:
    """`word` is one of `asked` inflected ("Biler" / "bilen": one stem), compounded or the same."""
    word = word.casefold()
    stems = content_terms(word)
    return any(same_word(word, a) or inflected(word, a) or bool(stems & content_terms(a)) for a in asked)


def _near(clause: str, at: int, asked: list[str], window: int = _WINDOW) -> bool:
    """Whether a word of `asked` stands within `window` words of the clause's position `at`."""
    words = [(m.start(), m.group(0)) for m in _WORD.finditer(clause)]
    i = next((k for k, (start, _) in enumerate(words) if start >= at), len(words))
    return any(_is_asked(w, asked) for _, w in words[max(0, i - window):i + window + 1])


def _negates_asked(clause: str, negation: re.Match[str], asked: list[str]) -> bool:
    """Whether `negation` negates a word the question asks about: a ban ("ikke tilladt", "forbudt") of
    a clause naming one; "ikke" beside one ("Vi tatoverer ikke personer …", "tilbyder ikke
    vaccination", "kan ikke løftes"); "ingen"/"intet"/"aldrig" before one ("ingen klubaftener")."""
    if _BAN.match(clause, negation.start()):
        return any(_is_asked(w, asked) for w in _WORD.findall(clause))
    before = _WORD.findall(clause[:negation.start()])[-1:]
    following = _WORD.findall(clause[negation.end():])[:2]
    # past a preposition: "men ikke på Piratbanen"
    after = following[1:] if following[:1] and following[0].casefold() in _PHRASE_HEADS else following[:1]
    beside = after if negation.group(0).casefold() in ("ingen", "intet", "aldrig") else before + after
    return any(_is_asked(w, asked) for w in beside)


def _case_outside(question: str, clause: str) -> bool:
    """Whether the asker's own case falls outside what `clause` is said of, or cannot be told to fall
    inside it: an age, a measure, a count, a week or a weekday the question gives that the clause's
    band or list does not hold; a bound of the clause ("over 8 tons", "mere end 14 dage") the asker's
    own measure is not read against in its unit ("190 cm" against "2,10 m")."""
    age = age_fits(question, clause)
    if age is False or measure_fits(question, clause) is False or count_fits(question, clause) is False:
        return True
    if bounds_in(clause) and bound_fits(question, clause) is not True and age is not True:
        return True
    week = asked_week(question)
    if week is not None and weeks_in(clause) and week not in weeks_in(clause):
        return True
    day = asked_weekday(question)
    return day is not None and _names_a_weekday(clause) and not names_weekday(clause, day)


def _names_a_weekday(text: str) -> bool:
    return any(names_weekday(text, d) for d in range(7))


def _other_group(question: str, clause: str) -> bool:
    """`clause` is a rule for a group ("Voksne må gerne bade …") the question does not name."""
    asked = {w.casefold() for w in _WORD.findall(question)}
    return any(not any(same_word(g.group(0).casefold(), a) or inflected(g.group(0).casefold(), a) for a in asked)
               for g in _GROUP.finditer(clause)) and age_fits(question, clause) is not True


def verdict(question: str, sentence: str, about: str = "") -> str | None:
    """`YES` or `NO` when `sentence` plainly answers the yes/no question `question` (see the module's
    rules); `about` is what names the sentence's document (its title, file name, the heading above),
    where a word the question asks about may stand instead of in the sentence. None when the
    question is no yes/no question, negates or restricts what it asks ("kun"), the sentence already
    opens with its own "Ja"/"Nej", is itself a question (also an FAQ heading without its mark), sets
    a condition, or says neither plainly."""
    if not asks_yes_no_after_case(question) or sentence.rstrip().endswith("?") or _QUESTION_OPENING.match(sentence):
        return None
    if re.match(r"\s*(?:ja|nej)\b", sentence, re.I) or re.search(r"\bkun\b", question, re.I) \
            or _QUESTION_WORD.search(question) or _CONDITION.search(sentence):
        return None  # a condition anywhere ("…, hvis man ikke har tilmeldt sig") makes the rule conditional
    if _ALONE.search(question) and _COMPANY.search(sentence) and age_fits(question, sentence) \
            and len(_AGES.findall(question)) == 1:
        return NO  # before the negation check: "uden en voksen" asks the same
    if _COMPANY_ASKED.search(question) and _COMPANY.search(sentence) and age_fits(question, sentence) \
            and len(_AGES.findall(question)) == 1:
        return YES  # "skal der være en voksen med hvis min 7-årige skal hoppe" (eval/trial27 r29-27)
    part = asked_part(without_askers_case(question))
    if any(w in OPPOSITION_WORDS for w in _WORD.findall(part)):
        return None
    asked = _asked_words(part)
    if not asked:
        return None
    hours = _opening_verdict(question, sentence)
    if hours is not None:
        return hours
    if (_VISIT.search(question) or _HAPPENS.match(question)) and closed_in_week(sentence, asked_week(question)) \
            and not _EXCEPTION.search(sentence):
        return NO  # "kan jeg komme forbi … i uge 30" / "Butikken holder sommerlukket i uge 29 og 30." (trial26 r28-26)
    age = asked_age(question)
    m = _MINIMUM_AGE.search(sentence)
    if m is not None and age is not None and age[1] < int(m.group(1)) and len(_AGES.findall(question)) == 1 \
            and not _COMPANION.search(sentence[max(0, m.start() - 25):m.start()]):
        # an age for something else: "… skal være fyldt 14 år for at leje en enkeltkajak" (eval/trial15
        # r17-10, asked of a 3-year-old in a canoe: its "Nej" was right by luck)
        purpose = _PURPOSE.match(sentence, m.end())
        if purpose is None or _near(purpose.group(1), 0, asked, window=len(purpose.group(1))):
            return NO
    if not _covers(f"{sentence} {about}", question, asked):
        return None  # "Der gives ikke rabat på tilbudsvarer." says nothing of "rabat for studerende"
    clauses = [c for c in _CLAUSES.split(sentence) if c.strip()]
    said = [(told, _names_asked(clause, asked)) for clause in clauses
            if (told := _clause_verdict(question, part, asked, clause)) is not None]
    if len({told for told, _ in said}) > 1:
        # "Hunde i snor er velkomne på Klitbanen, men ikke på Piratbanen" asked of Piratbanen (eval/trial22
        # r24-10): the clause naming what the question names says it; neither or both, no verdict
        naming = {told for told, names in said if names}
        return naming.pop() if len(naming) == 1 else None
    if not said:
        return None
    main = _SUBCLAUSE.sub(" ", sentence)
    if said[0][0] == YES and _NEGATION.search(main):
        return None  # a yes beside a "men ikke …" is half a yes
    if said[0][0] == NO and _EXCEPTION.search(main) and not said[0][1]:
        return None  # "…ikke i restauranten, men gerne på terrassen", "dog ikke hund", "kun med kort"
    return said[0][0]


def _opening_verdict(question: str, text: str) -> str | None:
    """Whether the asker's weekday and clock fall in the hours `text` gives for that day: one span
    "kl. 10-15" for a text naming that day (or days) alone, or "lukket"; None when the question gives
    no weekday and clock of a visit, the text names other days or several times, or the clock is 1-7
    ("kl 3" is most often the afternoon's)."""
    day, clock = asked_weekday(question), _ASKED_CLOCK.search(question)
    if day is None or clock is None or not _VISIT.search(question) or not covers_weekday(text, day):
        return None
    if len(_DAY_WORD.findall(text)) > (2 if _DAY_SPAN.search(text) else 1) or not 8 <= int(clock.group(1)) <= 23:
        return None
    rest = [w for w in _WORD.findall(_DAY_WORD.sub(" ", text)) if w.casefold() not in _HOURS_WORDS]
    if rest:
        return None  # "Torsdag kl. 10-12 er der kun telefontid": hours of something else
    spans = list(CLOCK_SPAN.finditer(text))
    if not spans:
        return NO if CLOSED.search(text) and len(_CLOCKS.findall(text)) == 0 else None
    if len(spans) != 1 or len(_CLOCKS.findall(text)) != 2 or CLOSED.search(text):
        return None
    at = int(clock.group(1)) + int(clock.group(2) or 0) / 60
    opens = int(spans[0].group(1)) + int(spans[0].group(2) or 0) / 60
    closes = int(spans[0].group(3)) + int(spans[0].group(4) or 0) / 60
    return YES if opens <= at < closes else NO


def _covers(text: str, question: str, asked: list[str]) -> bool:
    """`text` holds every word the question asks about (inflected, compounded, or as a compound's
    last part: "marken" for "jordbærmarken"), its names and light or motion verbs ("tage", "køre")
    aside: "Der gives ikke rabat på tilbudsvarer." says nothing of "rabat for studerende", "Banen kan
    ikke bookes online" nothing of booking "over telefonen" (two reviews' misfires)."""
    names = {w.casefold() for w in _WORD.findall(question)[1:] if w[:1].isupper()}
    wanted = [a for a in asked if a not in names and a not in _LIGHT_VERBS]
    words = _WORD.findall(text)
    return all(any(_is_asked(w, [a]) or _compound_end(a, w) for w in words) for a in wanted)


def _compound_end(asked: str, word: str) -> bool:
    """`word` is the last part of the asked compound ("jordbærmarken" / "marken"), 4 letters or more."""
    word = word.casefold()
    return len(word) >= 4 and len(asked) >= len(word) + 3 and asked.endswith(word)


def _unasked_limit(question: str, clause: str) -> bool:
    """`clause` holds a prepositional phrase none of whose words the question has: a time, a place,
    a manner or a group the rule is limited to ("i dagtimerne", "efter tilmeldingsfristen", "om
    vinteren", "på de afmærkede pladser", "uden for myldretiden"); not a reason ("på grund af …"),
    "efter aftale (med …)", nor a bound on a number, which the asker's case is read against."""
    question_words = _WORD.findall(question)
    if _FROM_WHEN.search(clause) and not re.search(r"\d", question):
        return True  # "… fra 1. april til 30. september", "… efter kl. 22": a time the question gives none of
    for phrase in _phrases(_BENIGN.sub(" ", clause)):
        content = [w for w in phrase if w.casefold() not in STOPWORDS and len(w) >= 3]
        if content and not any(_is_asked(w, [q.casefold()]) or _compound_end(q.casefold(), w)
                               for w in content for q in question_words):
            return True
    return False


def _phrases(text: str) -> list[list[str]]:
    """The words after each preposition of `text` up to the next one or a comma, at most three:
    "med kort i weekenden" → [["kort"], ["weekenden"]]."""
    out: list[list[str]] = []
    for piece in re.split(r"[,;:()]", text):
        words = _WORD.findall(piece)
        for i, w in enumerate(words):
            if w.casefold() in _PHRASE_HEADS:
                after = []
                for nxt in words[i + 1:i + 4]:
                    if nxt.casefold() in _PHRASE_HEADS:
                        break
                    after.append(nxt)
                out.append(after)
    return out


def _names_asked(clause: str, asked: list[str]) -> bool:
    """Whether `clause` holds a name (a capitalised word past its first) the question asks about."""
    words = _WORD.findall(clause)[1:]
    return any(w[:1].isupper() and _is_asked(w, asked) for w in words)


def _clause_verdict(question: str, part: str, asked: list[str], clause: str) -> str | None:
    """The verdict one clause of the sentence gives, if any (the module's rules)."""
    main = _SUBCLAUSE.sub(" ", clause)
    if _case_outside(question, clause) or _other_group(question, main):
        return None
    free = _FREE.search(main)
    # the stretch of the clause "gratis" stands in, between commas: "…, da juli er betalingsfri"
    stretch = main[main.rfind(",", 0, free.start()) + 1:] if free else ""
    stretch = stretch.split(",", 1)[0]
    if free and re.search(r"\bikke\s+$", main[:free.start()], re.I):
        free = None  # "Sengelinned er ikke inkluderet": no "free", and no negation to read either
    elif free and not _NEGATION.search(main) and not _FREE_LIMIT.search(stretch) \
            and _near(stretch, stretch.find(free.group(0)), [a for a in asked if not _FREE.fullmatch(a)]):
        if _ASKS_FREE.search(part):
            return YES
        if _PAY.search(part):
            return NO
    if free is None and re.search(r"\bikke\s+(?:inkluderet|inklusive|gratis)\b", main, re.I):
        return None
    week = asked_week(question)
    limited = _unasked_limit(question, main) and not (week is not None and week in weeks_in(main))
    if any(_negates_asked(main, n, asked) for n in _NEGATION.finditer(main)) and not limited:
        return NO
    permitted = _PERMISSION.search(main)
    if permitted and not _NEGATION.search(main) and not limited and _near(main, permitted.start(), asked):
        return YES
    return None
