"""The Danish analyzer and the BM25 index built on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.errors import IndexCorruptError
from rag.retrieve.lexical import COMPOUND_MIN_PART, STOPWORDS, LexicalIndex, compound_parts, tokenize


def test_inflections_share_a_stem_and_find_each_other() -> None:
    assert tokenize("børnesager") == tokenize("børnesagerne")
    ix = LexicalIndex.build([1, 2], ["Ishøj Kommune har mange børnesagerne.", "Budgettet for vejene."])
    assert [i for i, _ in ix.search("børnesager", 5)] == [1]


def test_an_unknown_compound_finds_the_passage_holding_its_parts() -> None:
    ix = LexicalIndex.build([1, 2], ["Junior (under 18 år) | 750 kr.", "Senior | 1.200 kr. Alle medlemmer"])
    assert 1 in [i for i, _ in ix.search("juniormedlem", 5)]  # no document holds the word itself
    # a compound some document holds is searched as it is: the documents holding only its parts stay out
    jx = LexicalIndex.build([1, 2], ["Juniormedlem koster 750 kr.", "Junior og medlem, medlem og junior."])
    assert [i for i, _ in jx.search("juniormedlem", 5)] == [1]


def test_a_word_finds_the_other_words_for_the_same_thing_below_the_word_itself() -> None:
    texts = ["Afbud senere end 24 timer før din tid koster 50 % af prisen.", "Vi aflyser ved regnvejr.",
             "Lever cyklen før kl. 10.00.", "Pris for børn under 12 år: 40 kr."]
    ix = LexicalIndex.build([1, 2, 3, 4], texts)
    assert [i for i, _ in ix.search("aflyser", 5)] == [2, 1]  # the word itself first, its synonym below
    assert sorted(i for i, _ in ix.search("afbestille", 5)) == [1, 2]  # no document says it: both synonyms
    assert [i for i, _ in ix.search("barn", 5)] == [4]  # an irregular plural is the word itself
    (_, own), = ix.search("børn", 5)
    (_, plural), = ix.search("barn", 5)
    assert plural == pytest.approx(own)  # at full score
    assert [i for i, _ in ix.search("cyklen", 5)] == [3]  # a word of no group finds only itself


def test_a_word_finds_the_compounds_it_is_the_head_of_below_the_word_itself() -> None:
    texts = ["Salen har 4 kørestolspladser.", "Kørestole kan lånes i garderoben.", "Der er 180 pladser i salen.",
             "Billetkontoret har åbent kl. 12-18.", "Billetter købes online."]
    ix = LexicalIndex.build([1, 2, 3, 4, 5], texts)
    plads, korestol, billet = (tokenize(w)[0] for w in ("pladser", "kørestole", "billet"))
    assert ix.compounds_of(plads) == ["kørestolsplads"]  # the head: the other part is a word of the index
    assert ix.compounds_of(korestol) == []  # a first part alone: "kørestolsplads" is no kind of wheelchair
    assert ix.compounds_of(korestol, {plads, korestol}) == ["kørestolsplads"]  # unless the head is asked too
    assert ix.compounds_of(billet) == []  # "billetkontor" is an office, not a ticket
    assert ix.compounds_of("bil") == []  # shorter than COMPOUND_MIN_PART letters: no compounds searched
    assert [i for i, _ in ix.search("pladser", 5)] == [3, 1]  # the word itself first, the compound below
    assert [i for i, _ in ix.search("kørestole", 5)] == [2]
    assert 1 in [i for i, _ in ix.search("pladser til kørestole", 5)]


def test_nouns_in_et_are_not_cut_into_other_words() -> None:
    # Snowball cuts "billet" to "bil" (a car) and parts it from "billetter"; "planet" to "plan"
    assert tokenize("billet billetter billetten togbillet") == ["billet"] * 3 + ["togbillet"]
    assert tokenize("bil bilen") == ["bil", "bil"] and tokenize("planet") != tokenize("plan")
    assert tokenize("profilet") == tokenize("profil")  # "-et" as an ending still goes
    ix = LexicalIndex.build([1, 2], ["Personbil inkl. fører | 320 kr. En bil koster mere.", "Billetter købes online."])
    assert [i for i, _ in ix.search("billet", 5)] == [2]


def test_an_index_of_another_analyzer_version_is_not_read(tmp_path: Path) -> None:
    import json

    ix = LexicalIndex.build([1], ["Billetter købes online."])
    ix.save(tmp_path)
    params = json.loads((tmp_path / "params.index.json").read_text(encoding="utf-8"))
    params.pop("analyzer")  # written before the analyzer was versioned
    (tmp_path / "params.index.json").write_text(json.dumps(params), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="analyzer"):
        LexicalIndex.load(tmp_path)


def test_compound_parts() -> None:
    vocab = {"junior", "medlem", "børn", "have", "arbejd", "plads", "pluk", "ked", "kede"}
    known = vocab.__contains__
    assert compound_parts("juniormedlem", known) == ("junior", "medlem")
    assert compound_parts("børnehav", lambda t: t in {"børn", "hav"} or known(t)) is None  # "hav": 3 letters
    assert compound_parts("arbejdsplads", known) == ("arbejd", "plads")  # the linking "s" dropped
    assert compound_parts(tokenize("plukkede")[0], known) is None  # the stem "plukked" is too short for two parts
    assert compound_parts("junior" * 7 + "medlem", known) is None  # past COMPOUND_MAX letters: not searched
    assert len(min(compound_parts("juniormedlem", known) or ("",), key=len)) >= COMPOUND_MIN_PART
    assert compound_parts("medlem", known) is None  # too short to hold two parts
    assert compound_parts("2022medlem", known) is None  # numbers and codes are never split
    assert compound_parts("xyzzyqwerty", known) is None
    # a head derived from a known word: "juniormedlemskab" finds "Junior | 750 kr." (found by a review as a user)
    assert compound_parts("juniormedlemskab", known) == ("junior", "medlem")
    assert compound_parts("juniormedlemskab", (vocab | {"medlemskab"}).__contains__) == ("junior", "medlemskab")
    assert compound_parts("juniorskab", known) is None  # what is left of the head must be a word itself


@pytest.mark.parametrize("word", ["Ærø", "Sorø", "Ishøj", "Åbenrå"])
def test_danish_letters_are_kept(word: str) -> None:
    (tok,) = tokenize(word, stem=False)
    assert tok == word.casefold()
    assert any(c in tokenize(word)[0] for c in "æøå")


def test_numbers_are_kept_and_never_stemmed() -> None:
    assert "14" in tokenize("14 mia. kr.")
    assert tokenize("nr. 338") == ["nr", "338"]
    assert tokenize("i 2022") == ["2022"]  # "i" is a stop word, the year is not
    assert tokenize("2,5 procent")[0] == tokenize("2.5 procent")[0] == "2.5"
    assert "14000" in tokenize("14.000 kr.")  # Danish thousands grouping also matches plain digits
    assert tokenize("sætning 2022.") == [tokenize("sætning")[0], "2022"]


def test_stop_words_are_dropped() -> None:
    assert {"og", "i", "det", "at", "på", "være"} <= STOPWORDS
    assert tokenize("og i det at på") == []
    assert tokenize("Det er en hest", stem=False) == ["hest"]
    assert tokenize("og i", stopwords=None, stem=False) == ["og", "i"]
    # question words are stop words too: queries are full of them, passages are not
    assert tokenize("Hvornår og hvorfor blev reformen vedtaget?", stem=False) == ["reformen", "vedtaget"]


def test_hyphenated_words_kept_whole_and_as_parts() -> None:
    assert tokenize("TV2-Øst") == ["tv2-øst", "tv2", "øst"]
    toks = tokenize("børne-ungeområdet", stem=False)
    assert toks == ["børne-ungeområdet", "børne", "ungeområdet"]
    # a hyphen before a space is a shared-ending ellipsis, not a compound: no "social-og"
    assert tokenize("Social- og Ældreudvalg", stem=False) == ["social", "ældreudvalg"]
    assert tokenize("Social‑ og Sundhedsudvalget", stem=False)[0] == "social"  # non-breaking hyphen


def test_apostrophe_endings_and_compatibility_forms() -> None:
    assert tokenize("pc'en og Levi's", stem=False) == ["pc", "levi"]
    assert tokenize("ＡＢＣ ﬁnans", stem=False) == ["abc", "finans"]  # NFKC


def test_number_query_finds_its_passage() -> None:
    ix = LexicalIndex.build(
        [7, 8, 9],
        [
            "Spørgsmål nr. 338 om forebyggelse stillet af ministeren.",
            "Spørgsmål nr. 12 om trafik.",
            "Udgifterne er 14 mia. kr. i 2022.",
        ],
    )
    assert ix.search("nr. 338", 3)[0][0] == 7
    assert ix.search("14 mia. kr.", 3)[0][0] == 9


def test_search_ranks_best_first_and_caps_k() -> None:
    ix = LexicalIndex.build(
        [10, 20, 30], ["hest hest hest ko", "hest og gris", "bil og vej"]
    )
    hits = ix.search("hest", 10)
    assert [i for i, _ in hits] == [10, 20]  # only positive scores; no id 30
    assert hits[0][1] > hits[1][1] > 0
    assert len(ix.search("hest", 1)) == 1
    assert ix.search("hest", 0) == []
    assert len(ix) == 3


def test_empty_query_empty_index_and_unknown_words() -> None:
    ix = LexicalIndex.build([1], ["en hest"])
    assert ix.search("", 5) == []
    assert ix.search("og i det", 5) == []  # only stop words
    assert ix.search("zebra", 5) == []
    empty = LexicalIndex.build([], [])
    assert len(empty) == 0
    assert empty.search("hest", 5) == []


def test_documents_with_no_terms_are_indexed_but_never_match() -> None:
    ix = LexicalIndex.build([1, 2], ["og i det", "hest"])
    assert ix.search("hest", 5) == [(2, pytest.approx(ix.search("hest", 5)[0][1]))]


def test_build_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError):
        LexicalIndex.build([1, 2], ["kun en"])


def test_save_load_round_trip_keeps_ids_and_scores(tmp_path: Path) -> None:
    ids = [105, 3, 42]
    texts = ["Sorø Akademi og søen", "Ishøj Strand", "Akademiet i Sorø har elever"]
    ix = LexicalIndex.build(ids, texts)
    d = tmp_path / "lexical"
    d.mkdir()
    ix.save(d)
    back = LexicalIndex.load(d)
    assert len(back) == 3
    for q in ["Sorø", "Ishøj strand", "akademiet"]:
        assert back.search(q, 3) == ix.search(q, 3)
    assert back.search("Ishøj", 3)[0][0] == 3


def test_empty_index_round_trip(tmp_path: Path) -> None:
    LexicalIndex.build([], []).save(tmp_path)
    assert len(LexicalIndex.load(tmp_path)) == 0


def test_load_missing_or_broken_index_is_corrupt(tmp_path: Path) -> None:
    with pytest.raises(IndexCorruptError, match="rag index --rebuild"):
        LexicalIndex.load(tmp_path / "nowhere")
    LexicalIndex.build([1, 2], ["hest", "ko"]).save(tmp_path)
    (tmp_path / "ids.json").write_text("[1, 2, 3]")
    with pytest.raises(IndexCorruptError):
        LexicalIndex.load(tmp_path)


def test_rebuild_forgets_removed_terms() -> None:
    """A changed file's old terms no longer match once the index is rebuilt from the new texts."""
    old = LexicalIndex.build([1, 2], ["Karen Hækkerup besøgte Sorø", "Ishøj Kommune"])
    assert [i for i, _ in old.search("Hækkerup", 5)] == [1]
    new = LexicalIndex.build([3, 2], ["Borgmesteren besøgte Sorø", "Ishøj Kommune"])
    assert new.search("Hækkerup", 5) == []
    assert [i for i, _ in new.search("Sorø", 5)] == [3]


def test_top_k_with_many_ties_is_the_full_sort_cut_at_k() -> None:
    """The partial selection returns exactly what sorting every hit would: ties in corpus order."""
    texts = ["kommune skole"] * 7 + ["kommune"] * 9 + ["skole skole kommune"] * 3 + ["havn"] * 4
    index = LexicalIndex.build(list(range(100, 100 + len(texts))), texts)
    full = index.search("kommune skole", k=len(texts))
    for k in (1, 3, 5, 8, 12, 19):
        assert index.search("kommune skole", k=k) == full[:k]
    assert [i for i, _ in full][:3] == [116, 117, 118] and len(full) == 19


def test_updated_equals_a_fresh_build_of_the_same_documents(tmp_path: Path) -> None:
    """Removing and adding documents gives, score for score, what building over them does."""
    import random

    rng = random.Random(0)
    words = ["kommune", "skole", "børn", "sorø", "ishøj", "havn", "budget", "reform", "2024", "minister",
             "borgmester", "sag"]

    def text() -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(0, 12)))

    docs = {i: text() for i in range(1, 40)}
    index = LexicalIndex.build(list(docs), list(docs.values()))
    next_id = 100
    for _ in range(4):
        removed = rng.sample(sorted(docs), 5)
        for i in removed:
            del docs[i]
        added = {next_id + j: text() for j in range(6)}
        next_id += 10
        d = tmp_path / f"g{next_id}"
        d.mkdir()
        index.save(d)
        index = LexicalIndex.load(d).updated(removed, list(added), list(added.values()))
        assert index is not None
        docs.update(added)
        fresh = LexicalIndex.build(list(docs), list(docs.values()))
        assert index.ids == fresh.ids
        for q in ["kommune", "skole børn", "sorø havn budget", "2024 reform minister", "ukendt"]:
            assert index.search(q, 50) == fresh.search(q, 50)


def test_an_index_without_raw_counts_cannot_be_updated(tmp_path: Path) -> None:
    """A lexical folder written by bm25s itself (no tf/doclen arrays) loads and searches, but asks for a build."""
    ix = LexicalIndex.build([1, 2], ["Sorø Akademi", "Ishøj Strand"])
    ix.save(tmp_path)
    for name in (LexicalIndex._TF, LexicalIndex._DOCLEN):
        (tmp_path / name).unlink()
    old = LexicalIndex.load(tmp_path)
    assert old.search("Sorø", 2) == ix.search("Sorø", 2)
    assert old.updated([1], [3], ["Sorø Sø"]) is None


def test_scores_match_bm25s() -> None:
    """Same formulas and summation as bm25s's Lucene variant: the same scores, bit for bit."""
    import bm25s
    import numpy as np

    texts = ["Sorø Akademi og søen ved Sorø", "Ishøj Strand", "Akademiet i Sorø har elever og lærere",
             "Kommunen i Ishøj har en strand og en havn", "Budgettet for 2024 i Sorø Kommune"]
    ix = LexicalIndex.build(list(range(len(texts))), texts)
    ref = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
    ref.index([tokenize(t) for t in texts], show_progress=False)
    for q in ["Sorø", "Ishøj strand havn", "akademiet Sorø elever", "kommune 2024"]:
        expected = ref.get_scores_from_ids(ref.get_tokens_ids(tokenize(q)))
        got = np.zeros(len(texts), dtype=np.float32)
        for i, s in ix.search(q, len(texts)):
            got[i] = s
        assert np.array_equal(got, expected)
