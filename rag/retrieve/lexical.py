"""Danish lexical retrieval: an analyzer (tokenise, stop words, Snowball stemming) and a BM25 index.

The analyzer is what no off-the-shelf BM25 gets right for Danish: it keeps æøå, keeps numbers
("14", "2022", "nr. 338") unstemmed, keeps hyphenated words whole *and* as their parts, drops
Danish stop words and stems with the Danish Snowball stemmer, so "børnesager" and "børnesagerne"
meet. `LexicalIndex` feeds those token lists to bm25s (never its English default tokenizer).

The index is rebuilt from the stored chunk texts whenever the index changes: building is cheap
(about a second for a thousand passages) and needs no model.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from rag.danish import EXTRA_QUESTION_STOPWORDS, SNOWBALL_STOPWORDS, STOPWORDS
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


def _term(tok: str, stemmer: Any | None, stopwords: frozenset[str] | None) -> str:
    """The index term for one surface token, or "" for a stop word."""
    if any(c.isdigit() for c in tok):  # numbers and codes ("338", "tv2", "2.5"): kept as they are
        return tok
    if stopwords is not None and tok in stopwords:
        return ""
    return stemmer.stemWord(tok) if stemmer is not None else tok


@lru_cache(maxsize=200_000)
def _default_term(tok: str) -> str:
    return _term(tok, _stemmer(), STOPWORDS)


class LexicalIndex:
    """BM25 (Lucene variant) over analysed chunk texts, addressed by the caller's chunk ids."""

    _IDS_FILE = "ids.json"

    def __init__(self, ids: Sequence[int], bm25: Any | None) -> None:
        self._ids = [int(i) for i in ids]
        self._bm25 = bm25  # None for an empty corpus: bm25s cannot index zero documents

    @classmethod
    def build(
        cls, ids: Sequence[int], texts: Sequence[str], *, k1: float = 1.2, b: float = 0.75
    ) -> LexicalIndex:
        if len(ids) != len(texts):
            raise ValueError(f"{len(ids)} ids for {len(texts)} texts")
        if not texts:
            return cls([], None)
        import bm25s

        bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
        bm25.index([tokenize(t) for t in texts], show_progress=False)
        return cls(ids, bm25)

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Best-first (chunk id, BM25 score) pairs with score > 0, at most `k` of them."""
        return self.search_terms(tokenize(query), k)

    def search_terms(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        """`search` over a query already analysed by `tokenize` (what every index backend is given)."""
        k = min(k, len(self._ids))
        if self._bm25 is None or k <= 0:
            return []
        token_ids = self._bm25.get_tokens_ids(list(terms))
        if not token_ids:
            return []
        import numpy as np

        scores = self._bm25.get_scores_from_ids(token_ids)
        hits = np.flatnonzero(scores > 0)
        if len(hits) > k:  # keep the k best before sorting: O(n), not O(n log n), at 10^6 passages
            kth = np.partition(scores[hits], len(hits) - k)[len(hits) - k]
            above, tied = hits[scores[hits] > kth], hits[scores[hits] == kth]
            hits = np.concatenate([above, tied[: k - len(above)]])
        # best score first; equal scores in corpus order, so results are deterministic
        top = hits[np.lexsort((hits, -scores[hits]))][:k]
        return [(self._ids[i], float(scores[i])) for i in top]

    def save(self, dir: Path) -> None:
        """Write the index into `dir` (which the caller has created, fresh)."""
        dir = Path(dir)
        if self._bm25 is not None:
            self._bm25.save(dir, show_progress=False)
        (dir / self._IDS_FILE).write_text(json.dumps(self._ids), encoding="utf-8")

    @classmethod
    def load(cls, dir: Path) -> LexicalIndex:
        """Read an index written by `save`; IndexCorruptError if it is missing or unreadable."""
        from rag.retrieve.store import rebuild_hint

        dir = Path(dir)
        try:
            ids = json.loads((dir / cls._IDS_FILE).read_text(encoding="utf-8"))
            if not ids:
                return cls([], None)
            import bm25s

            bm25 = bm25s.BM25.load(dir, show_progress=False)
            n_docs = int(bm25.scores["num_docs"])
        except (OSError, ValueError, KeyError) as e:
            raise IndexCorruptError(
                f"The lexical index in {dir} cannot be read ({e}). Rebuild it: {rebuild_hint(dir.parent)}"
            ) from e
        if n_docs != len(ids):
            raise IndexCorruptError(
                f"The lexical index in {dir} has {n_docs} passages for {len(ids)} ids. "
                f"Rebuild it: {rebuild_hint(dir.parent)}"
            )
        return cls(ids, bm25)
