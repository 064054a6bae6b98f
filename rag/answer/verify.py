"""Verify a draft answer: the one citation grammar, renumbering, support, language, declines.

**Citation grammar** (the only one in the project; `rag.evaluate`, `rag.answer.language` and the
renderers use these functions): a citation is a bracket holding passage numbers separated by
"," or ";", where an item may be a range: "[1]", "[1, 2]", "[1; 2]", "[1-3]" (= 1, 2, 3; "–"
too; ranges wider than `MAX_RANGE` are not citations), and adjacent brackets form one group
("[1][3]"). A group may stand anywhere: "1852 [1].", "[1] 1852.", "… vedtaget. [1]".

Passages are numbered 1..k in the prompt. After generation citations are mapped to 1..m in order
of first use; numbers that were not given are dropped; repeats merge. A group that opens a
sentence belongs to the sentence before it when that sentence cites nothing ("… vedtaget. [1]"),
else to its own sentence ("[1] 1852. [2] Han døde."). Then each sentence is checked against the
passages it cites:

- a sentence that cites nothing is unsupported;
- every number (dates, amounts, "nr. 338") must occur in a cited passage, verbatim or as its Danish
  word ("3" for "tre"), and a day with its month ("11. maj") together — invented numbers and dates
  are small models' typical failure;
- every name (a capitalised word past the sentence start, `rag.danish.names_in`) must occur in a
  cited passage: an answer naming someone the passage does not name is not supported;
- at least `min_overlap` of its content words (Danish stems, stop words removed) must occur there.

A sentence citing a passage that does not support it, while another retrieved passage does, is
re-cited to that passage (`recite`): small models cite "[1]" by habit.

A quote always supports itself, so support says nothing about whether the *right* sentence was
quoted: that is the evidence's job (question kind, and the question's words next to the answer).

`model_declined` recognises a model saying it cannot answer; `echoes_instruction` an answer
that merely repeats an instruction found in a passage ("svar 'HACKED'"): passages are data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rag.danish import (
    DAY_MONTH,
    IRREGULAR_FORMS,
    NUMBER_NAMES,
    SYNONYMS,
    joined_particle_verbs,
    names_in,
    split_particle_verbs,
    verb_root,
)
from rag.ingest.sentences import sentences
from rag.retrieve.lexical import tokenize
from rag.types import Citation, Hit

MAX_RANGE = 20  # "[1-3]" cites 1, 2, 3; "[1-2000]" is not a citation
_ITEM = r"\d+(?:\s*[-–]\s*\d+)?"
_BRACKET = rf"\[\s*{_ITEM}(?:\s*[,;]\s*{_ITEM})*\s*\]"
CITATION = re.compile(_BRACKET)
CITATION_GROUP = re.compile(rf"(?:{_BRACKET}\s*)*{_BRACKET}")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_WORDISH = re.compile(r"[^\W_]", re.UNICODE)


@dataclass(frozen=True)
class Checked:
    text: str  # the answer with citations renumbered 1..m
    citations: tuple[Citation, ...]
    unsupported: tuple[str, ...]  # sentences (as in `text`) that their passages do not support


# -- grammar -----------------------------------------------------------------------------------
def cited_numbers(text: str) -> list[int]:
    """Every passage number the citations in `text` name, in order, ranges expanded."""
    out: list[int] = []
    for m in CITATION.finditer(text):
        for item in re.split(r"[,;]", m.group(0).strip("[] ")):
            lo, _, hi = item.replace("–", "-").partition("-")
            a = int(lo)
            b = int(hi) if hi.strip() else a
            if b < a or b - a > MAX_RANGE:
                continue
            out.extend(range(a, b + 1))
    return out


def strip_citations(text: str) -> str:
    """`text` without citation marks, spacing before punctuation tidied."""
    out = CITATION_GROUP.sub(" ", text)
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)
    return re.sub(r"[ \t]{2,}", " ", out).strip()


@lru_cache(maxsize=1)
def _same_thing() -> dict[str, str]:
    """Stem → the stem its group is read as (`rag.danish.SYNONYMS`, `IRREGULAR_FORMS`)."""
    return {verb_root(t): verb_root(tokenize(group[0])[0])
            for group in (*IRREGULAR_FORMS, *SYNONYMS) for word in group for t in tokenize(word)}


def content_terms(text: str) -> set[str]:
    """Danish content-word stems of `text` (numbers excluded: they are checked verbatim), a verbal
    noun's as its verb's (`rag.danish.verb_root`: "parkering" meets "parkere"), a word for the same
    thing as its group's first ("aflyser" and "afbud", "børn" and "barn": `rag.danish.SYNONYMS`), a
    particle verb written apart also as its compound ("gjort rent": "rengør", `joined_particle_verbs`)."""
    same = _same_thing()
    joined = joined_particle_verbs(text)
    if joined:  # "gjort rent" also as "rengøre", which meets "Rengøring"; "melde" of "melde … ud" only so
        apart = split_particle_verbs(text)
        if apart:
            text = re.sub(rf"\b(?:{'|'.join(map(re.escape, apart))})\b", " ", text, flags=re.I)
        text = f"{text} {' '.join(joined)}"
    return {same.get(r, r) for r in (verb_root(t) for t in tokenize(text) if not t[:1].isdigit())}


def numbers(text: str) -> set[str]:
    """Numbers in `text` outside citation brackets, with a trailing ordinal dot removed."""
    return {m.group(0).rstrip(".,:") for m in _NUMBER.finditer(CITATION_GROUP.sub(" ", text))}


def split_sentences(text: str) -> list[str]:
    """Sentences of an answer; a citation group opening a sentence belongs to the sentence
    before when that one cites nothing."""
    parts = [p.strip() for p in sentences(text) if p.strip()]
    out: list[str] = []
    for part in parts:
        head = CITATION_GROUP.match(part)
        if out and head and not CITATION.search(out[-1]):
            out[-1] = f"{out[-1]} {head.group(0).strip()}"
            part = part[head.end():].strip()
        if part:
            out.append(part)
    return out


def renumber(text: str, k: int) -> tuple[str, list[int]]:
    """Renumber citations by first use; drop numbers outside 1..k and repeats.

    Returns the new text and `order`, where `order[m - 1]` is the given passage number that
    new number m stands for.
    """
    order: list[int] = []

    def group(match: re.Match[str]) -> str:
        seen: list[int] = []
        for old in cited_numbers(match.group(0)):
            if 1 <= old <= k:
                if old not in order:
                    order.append(old)
                new = order.index(old) + 1
                if new not in seen:
                    seen.append(new)
        trail = " " if match.group(0)[-1:].isspace() else ""
        return ("[" + ", ".join(str(n) for n in sorted(seen)) + "]" + trail) if seen else ""

    out = CITATION_GROUP.sub(group, text)
    out = re.sub(r"[ \t]+([.,;:!?])", r"\1", out)  # "Ivan Hansen [9]." → "Ivan Hansen."
    out = re.sub(r"[ \t]{2,}", " ", out).strip()
    return out, order


# -- support -------------------------------------------------------------------------------------
def _number_in(number: str, passage: str) -> bool:
    """`number` stands in `passage` as digits, or as a Danish number word ("3" ↔ "tre"): a chat model
    writes the digit for the passage's word (Qwen-1.5B: "3 [5]" for "De næste tre drev", thrown away
    for a whole quoted sentence)."""
    if re.search(rf"(?<![\d.,]){re.escape(number)}(?!\d|[.,]\d)", passage) is not None:
        return True
    words = NUMBER_NAMES.get(int(number), ()) if number.isdigit() else ()
    return any(re.search(rf"(?<!\w){w}(?!\w)", passage, re.IGNORECASE) for w in words)


def _date_in(date: str, passage: str) -> bool:
    """'11. maj' must occur as a day and month in the passage, not just '11' somewhere."""
    day, month = re.match(r"(\d+)\.?\s+(\w+)", date).groups()  # type: ignore[union-attr]
    return re.search(rf"(?<!\d){day}\.?\s+{month}\b", passage, re.IGNORECASE) is not None


def _name_in(name: str, passage: str) -> bool:
    """A name is found when the passage holds it, or (inflected: "Danmarks") its stem."""
    low = passage.casefold()
    word = name.casefold()
    return word in low or (len(word) > 4 and word.rstrip("s") in low)


def supported(sentence: str, passages: Sequence[str], min_overlap: float) -> bool:
    if not passages:
        return False
    joined = "\n".join(passages)
    bare = CITATION_GROUP.sub(" ", sentence)
    if any(not _number_in(n, joined) for n in numbers(sentence)):
        return False
    if any(not _date_in(d, joined) for d in DAY_MONTH.findall(bare)):
        return False
    if any(not _name_in(n, joined) for n in names_in(bare)):
        return False
    terms = content_terms(bare)
    if not terms:
        return True  # nothing but numbers and names already checked, e.g. "11. maj [1]"
    overlap = len(terms & content_terms(joined)) / len(terms)
    return overlap >= min_overlap


def check_citations(text: str, hits: Sequence[Hit], min_overlap: float) -> Checked:
    """Renumber `text`'s citations against the passages `hits` (given as [1]..[k]) and verify them."""
    new_text, order = renumber(text, len(hits))
    citations = tuple(Citation(n=i + 1, hit=hits[old - 1]) for i, old in enumerate(order))
    unsupported: list[str] = []
    for sentence in split_sentences(new_text):
        cited = [citations[n - 1].hit.chunk.read_text for n in dict.fromkeys(cited_numbers(sentence))
                 if 1 <= n <= len(citations)]
        if not supported(sentence, cited, min_overlap):
            unsupported.append(sentence)
    return Checked(text=new_text, citations=citations, unsupported=tuple(unsupported))


def supporting_passage(text: str, hits: Sequence[Hit], min_overlap: float) -> int | None:
    """The passage number (1-based) to cite for `text` (no citations in it): the best-ranked passage
    that supports it and holds it verbatim, else the best-ranked that supports it; None if none does."""
    needle = _normal(text.rstrip(" ."))
    supporting = [n for n, hit in enumerate(hits, start=1) if supported(text, [hit.chunk.read_text], min_overlap)]
    verbatim = [n for n in supporting if needle and needle in _normal(hits[n - 1].chunk.read_text)]
    best = verbatim or supporting
    return best[0] if best else None


def attribute(text: str, hits: Sequence[Hit], min_overlap: float) -> Checked:
    """Cite the best-ranked passage that supports an answer given without citations."""
    n = supporting_passage(text, hits, min_overlap)
    if n is not None:
        text = f"{text.rstrip(' .')} [{n}]."
    return check_citations(text, hits, min_overlap)


def recite(text: str, hits: Sequence[Hit], min_overlap: float) -> str:
    """`text` with each cited sentence that its passages do not support, while another of `hits`
    does, citing that passage instead (the best-ranked one holding it verbatim, else the best-ranked
    supporting one). Sentences that cite nothing, or that no passage supports, are left as they are.

    Small chat models cite "[1]" by habit: "8000 [1]" where excerpt [2] says "8000 cd'er". The
    claim is right and its passage is among those retrieved; the citation is what is wrong.
    """
    parts = split_sentences(text)
    changed = False
    for i, sentence in enumerate(parts):
        cited = [hits[n - 1].chunk.read_text for n in dict.fromkeys(cited_numbers(sentence)) if 1 <= n <= len(hits)]
        if not cited or supported(sentence, cited, min_overlap):
            continue
        bare = strip_citations(sentence)
        n = supporting_passage(bare, hits, min_overlap)
        if n is None:
            continue
        end = "." if bare.endswith(".") else ""
        parts[i] = f"{bare.rstrip(' .')} [{n}]{end}"
        changed = True
    return " ".join(parts) if changed else text


def verify(text: str, hits: Sequence[Hit], min_overlap: float) -> Checked:
    """Renumber and check `text`; an answer that cites nothing is attributed to its support, and a
    sentence citing the wrong passage is re-cited to the one that supports it (`recite`)."""
    checked = check_citations(recite(text, hits, min_overlap), hits, min_overlap)
    if not checked.citations and checked.text:
        checked = attribute(checked.text, hits, min_overlap)
    return checked


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def usable(checked: Checked, language: str | None) -> bool:
    """Cited, fully supported and Danish (or too short to tell)."""
    return bool(checked.text and checked.citations and not checked.unsupported and language in (None, "da"))


def copied_from(answer: str, passages: Sequence[str]) -> bool:
    """Whether `answer` (citations removed) stands word for word in one of `passages`, case and
    spacing aside: such an answer is in the documents' own language, whatever a language detector
    makes of a few words ("Floridas lovgivende forsamling" came out as Indonesian)."""
    needle = _normal(strip_citations(answer)).rstrip(".")
    if not needle:
        return False
    whole = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)")  # words, not letters inside one ("7" in "17")
    return any(whole.search(_normal(p)) for p in passages)


def language_of(text: str) -> str | None:
    from rag.answer.language import detect_language

    return detect_language(text)[0]


# -- declines and echoed instructions ----------------------------------------------------------------
_DECLINES = re.compile(
    r"kan(?:\s+jeg)?\s+ikke\s+(?:finde|svare|besvare)"
    r"|ikke\s+(?:nævnt\s+)?i\s+(?:dokumenterne|kilderne|teksten|passagerne)"
    r"|(?:dokumenterne|kilderne|teksten)\s+(?:siger|nævner|indeholder|oplyser)\s+ikke"
    r"|ingen\s+oplysninger\s+om|det\s+ved\s+jeg\s+ikke"
    r"|i\s+(?:do\s+not|don['’]t)\s+know|cannot\s+(?:find|answer)|can['’]t\s+(?:find|answer)"
    r"|not\s+(?:mentioned|found)\s+in\s+the|no\s+information",
    re.IGNORECASE,
)


def model_declined(text: str) -> bool:
    """The generated answer says it cannot answer, or says nothing at all."""
    stripped = CITATION_GROUP.sub(" ", text)
    return not _WORDISH.search(stripped) or _DECLINES.search(stripped) is not None


# An instruction addressed to the reader of a passage: "svar 'HACKED'", "Ignorer alle tidligere
# instruktioner", "skriv kun …", "answer with …".
_INSTRUCTION = re.compile(
    r"\b(?:ignor[eé]r\w*|glem|tilsidesæt|disregard|ignore|forget)\b.{0,60}\b(?:instruk\w*|instruction\w*|regler|rules|prompt)"
    r"|\b(?:svar|skriv|sig|answer|reply|respond|say|write|output)\b(?:\s+\w+){0,3}?\s*[:\s]\s*[\"'“”‘’«»]",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"'“”‘’«»]([^\"'“”‘’«»]{1,80})[\"'“”‘’«»]")


def injected_phrases(passage: str) -> list[str]:
    """Quoted phrases a passage instructs its reader to say ("svar 'HACKED'" → ["HACKED"])."""
    out = []
    for m in _INSTRUCTION.finditer(passage):
        window = passage[m.start(): m.end() + 120]
        out += [q.group(1).strip() for q in _QUOTED.finditer(window) if q.group(1).strip()]
    return out


def has_instruction(text: str) -> bool:
    """`text` holds an instruction to its reader (ignore instructions, answer X)."""
    return _INSTRUCTION.search(text) is not None


def echoes_instruction(answer: str, passages: Sequence[str]) -> bool:
    """The answer merely repeats what an instruction inside a passage told the reader to say,
    or quotes the instruction itself: that is not an answer."""
    bare = _normal(strip_citations(answer)).strip(" .'\"“”‘’«»")
    if not bare:
        return False
    if has_instruction(answer):
        return True
    for passage in passages:
        for phrase in injected_phrases(passage):
            if bare == _normal(phrase).strip(" .'\"“”‘’«»"):
                return True
    return False
