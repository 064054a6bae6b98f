"""The gold format: loading with line-exact errors, evidence matching, and the bundled eval/gold.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT
from rag.errors import GoldFormatError, InputError
from rag.evaluate.gold import (
    MIN_PART_CHARS,
    GoldItem,
    dump_gold,
    evidence_in_text,
    load_gold,
    matched_evidence,
    missing_evidence,
    sample_items,
)

GOLD = PROJECT_ROOT / "eval" / "gold.jsonl"
SEEDS = PROJECT_ROOT / "seeds"
GOOD = {"id": "a", "question": "Hvornår?", "answers": ["11. maj"], "evidence": ["vedtaget den 11. maj"],
        "answerable": True}


def _write(tmp_path: Path, *lines: str) -> Path:
    p = tmp_path / "gold.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


# -- loading ---------------------------------------------------------------------------------
def test_load_skips_blank_and_comment_lines(tmp_path: Path) -> None:
    unanswerable = {"id": "b", "question": "Hvem?", "answerable": False}
    p = _write(tmp_path, "# a comment", "", json.dumps(GOOD), "   ", json.dumps(unanswerable))
    items = load_gold(p)
    assert items == [
        GoldItem("a", "Hvornår?", ("11. maj",), ("vedtaget den 11. maj",), True),
        GoldItem("b", "Hvem?", (), (), False),
    ]
    assert load_gold(_write(tmp_path, dump_gold(items))) == items  # round trip


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "invalid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (json.dumps({k: v for k, v in GOOD.items() if k != "question"}), "missing field 'question'"),
    (json.dumps({**GOOD, "id": 7}), "'id' must be a non-empty string"),
    (json.dumps({**GOOD, "answerable": "yes"}), "'answerable' must be true or false"),
    (json.dumps({**GOOD, "answers": "11. maj"}), "'answers' must be a list of strings"),
    (json.dumps({**GOOD, "evidence": [1]}), "'evidence' must be a list of strings"),
    (json.dumps({**GOOD, "answers": []}), "has no answers"),
    (json.dumps({**GOOD, "evidence": [" "]}), "has no evidence"),
    (json.dumps({**GOOD, "answerable": False}), "unanswerable but has answers or evidence"),
])
def test_malformed_line_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    p = _write(tmp_path, "# header", json.dumps({**GOOD, "id": "ok"}), line)
    with pytest.raises(GoldFormatError) as e:
        load_gold(p)
    assert f"{p}:3:" in str(e.value)
    assert message in str(e.value)


def test_duplicate_id_names_both_lines(tmp_path: Path) -> None:
    p = _write(tmp_path, json.dumps(GOOD), json.dumps(GOOD))
    with pytest.raises(GoldFormatError, match=r":2: duplicate id 'a' \(first used on line 1\)"):
        load_gold(p)


def test_every_bad_line_is_named_in_one_run(tmp_path: Path) -> None:
    lines = [json.dumps({**GOOD, "id": f"x{i}", "answers": []}) for i in range(25)]
    p = _write(tmp_path, json.dumps(GOOD), "{not json", *lines)
    with pytest.raises(GoldFormatError) as e:
        load_gold(p)
    text = str(e.value)
    assert text.startswith(f"26 problems in {p}: {p}:2: invalid JSON") and f"{p}:3:" in text
    assert text.endswith("; and 6 more") and "\n" not in text


@pytest.mark.parametrize(("key", "field"), [("Answerable", "answerable"), ("evidense", "evidence"),
                                            ("answer", "answers")])
def test_a_misspelt_field_is_named(tmp_path: Path, key: str, field: str) -> None:
    p = _write(tmp_path, json.dumps({**{k: v for k, v in GOOD.items() if k != field}, key: GOOD[field]}))
    with pytest.raises(GoldFormatError, match=rf"unknown field '{key}'; did you mean"):
        load_gold(p)
    assert load_gold(_write(tmp_path, json.dumps({**GOOD, "note": "mine"})))[0].id == "a"  # own keys pass
    beside = {**GOOD, "question_id": "q7", "answers_en": ["May 11"], "is_answerable": True}  # the fields are there
    assert load_gold(_write(tmp_path, json.dumps(beside)))[0].id == "a"


def test_a_json_array_file_says_how_to_make_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "gold.json"
    p.write_text(json.dumps([GOOD], indent=2), encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"is a JSON array; rag reads JSONL.*jq -c"):
        load_gold(p)


def test_empty_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(GoldFormatError, match="no gold items"):
        load_gold(_write(tmp_path, "# only a comment"))
    with pytest.raises(InputError, match="Cannot read gold file"):
        load_gold(tmp_path / "nope.jsonl")
    p = tmp_path / "latin1.jsonl"
    p.write_bytes(json.dumps(GOOD).encode() + b"\n" + '{"id": "ø"}'.encode("latin-1") + b"\n")
    with pytest.raises(GoldFormatError, match=r":2: not valid UTF-8"):
        load_gold(p)


def test_sample_items_is_reproducible_and_ordered() -> None:
    items = [GoldItem(str(i), "q", ("a",), ("e",), True) for i in range(100)]
    a, b = sample_items(items, 10, seed=0), sample_items(items, 10, seed=0)
    assert a == b and len(a) == 10
    assert [int(x.id) for x in a] == sorted(int(x.id) for x in a)
    assert sample_items(items, 10, seed=1) != a
    assert sample_items(items, 500) == items


# -- evidence matching -----------------------------------------------------------------------
def test_evidence_matching_is_whitespace_case_and_quote_insensitive() -> None:
    text = "Derfor blev reformen\n  BØRNENE Først vedtaget den 11.\u00a0maj – af mange."
    assert evidence_in_text("reformen Børnene Først vedtaget den 11. maj", text)
    assert evidence_in_text("vedtaget den 11. maj - af", text)
    assert evidence_in_text("vil vi gøre op med ’synsningerne’", "Vil vi gøre op med 'synsningerne'.")
    assert not evidence_in_text("vedtaget den 12. maj", text)


LONG = ("Reformen Børnene Først blev vedtaget den 11. maj af regeringen, Radikale venstre, SF, Enhedslisten, "
        "Alternativet, Venstre, Konservative, Liberal Alliance, Dansk Folkeparti og Kristendemokraterne.")


def test_a_quote_cut_by_a_chunk_boundary_still_matches() -> None:
    half = len(LONG) // 2
    first_chunk = "Noget tekst før. " + LONG[: half + 5]  # ends with a prefix of the quote (> half)
    second_chunk = LONG[half - 5:] + " Og noget efter."  # starts with a suffix of the quote (> half)
    assert evidence_in_text(LONG, first_chunk)
    assert evidence_in_text(LONG, second_chunk)
    # a short piece at the edge (below the threshold) does not make a passage relevant
    assert not evidence_in_text(LONG, "Noget tekst før. " + LONG[:30])
    assert not evidence_in_text(LONG, LONG[-30:] + " Og noget efter.")
    # nor does a long piece in the middle of an unrelated passage (it must touch the passage edge)
    assert not evidence_in_text(LONG, "Start. " + LONG[: half + 5] + " Noget helt andet bagefter.")
    # a passage lying wholly inside a very long quote counts when it is long enough
    assert evidence_in_text(LONG * 2, LONG)


def test_short_quotes_must_match_whole() -> None:
    quote = "vedtaget den 11. maj"
    assert len(quote) < MIN_PART_CHARS
    assert not evidence_in_text(quote, "blev vedtaget den 11.")
    assert evidence_in_text(quote, "blev vedtaget den 11. maj")


def test_matched_evidence_and_missing() -> None:
    ev = ("vedtaget den 11. maj", "Ellen Klarskov Lauritzen", "findes ikke")
    assert matched_evidence(ev, "Reformen blev vedtaget den 11. maj. Direktør Ellen Klarskov Lauritzen.") == {0, 1}
    items = [GoldItem("a", "q", ("x",), ev[:2], True), GoldItem("b", "q", ("x",), ev, True),
             GoldItem("c", "q", (), (), False)]
    texts = ["Reformen blev vedtaget den 11. maj.", "Direktør Ellen Klarskov Lauritzen siger"]
    assert missing_evidence(items, texts) == ["b"]


# -- the bundled gold set --------------------------------------------------------------------
def _seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def test_bundled_gold_set_shape() -> None:
    items = load_gold(GOLD)  # also checks ids are unique and every line is well-formed
    assert len(items) >= 40
    assert sum(not it.answerable for it in items) >= 6
    assert len({it.id for it in items}) == len(items)


def test_every_evidence_quote_occurs_in_seeds_and_every_seed_is_covered() -> None:
    seeds = _seed_texts()
    covered: set[str] = set()
    multi_doc = 0
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        obj = json.loads(line)
        docs_of_item = set()
        for quote in obj["evidence"]:
            docs = {name for name, text in seeds.items() if evidence_in_text(quote, text)}
            assert docs, f"{obj['id']}: evidence not found in seeds/: {quote!r}"
            docs_of_item |= docs
        if obj.get("sources"):
            assert docs_of_item >= set(obj["sources"]), obj["id"]
        covered |= docs_of_item
        multi_doc += len(docs_of_item) >= 2
    assert covered == set(seeds), f"seed documents without questions: {set(seeds) - covered}"
    assert multi_doc >= 3


def test_evidence_survives_loading_and_cleaning() -> None:
    """Evidence must also occur in the cleaned document text that gets indexed (boilerplate removed)."""
    loaders = pytest.importorskip("rag.ingest.loaders")
    cleaned = [loaders.load_document(p).text for p in sorted(SEEDS.glob("*.txt"))]
    missing = missing_evidence(load_gold(GOLD), cleaned)
    assert missing == [], f"evidence removed by the cleaner: {missing}"


@pytest.mark.parametrize(("name", "answerable", "unanswerable", "formats"), [
    ("trial", 30, 12, {".md", ".html", ".txt", ".docx", ".pdf"}),
    ("trial2", 27, 15, {".md", ".html", ".txt", ".docx", ".pdf"}),
    ("trial3", 28, 12, {".md", ".html", ".txt", ".docx"}),
    ("trial4", 28, 12, {".md", ".html", ".txt", ".docx", ".pdf"}),
    ("trial5", 28, 12, {".md", ".html", ".txt", ".docx", ".pdf"}),
    ("trial6", 28, 12, {".md", ".html", ".txt", ".docx", ".pdf"}),
    ("trial7", 28, 12, {".md", ".html", ".txt", ".docx", ".pdf"}),
    ("trial8", 28, 12, {".md", ".html", ".txt", ".docx", ".pdf"}),
    *[(f"trial{n}", 28, 12, {".md", ".html", ".txt", ".docx", ".pdf"}) for n in range(9, 28)],
])
def test_the_trial_set_evidence_survives_loading_every_format(name: str, answerable: int, unanswerable: int,
                                                              formats: set[str]) -> None:
    """eval/trial, trial2 … trial27: several formats; every quote must be in the text rag indexes."""
    loaders = pytest.importorskip("rag.ingest.loaders")
    docs = sorted((PROJECT_ROOT / "eval" / name / "docs").iterdir())
    assert {p.suffix for p in docs} >= formats
    items = load_gold(PROJECT_ROOT / "eval" / name / "gold.jsonl")
    assert sum(it.answerable for it in items) == answerable and sum(not it.answerable for it in items) == unanswerable
    missing = missing_evidence(items, [loaders.load_document(p).text for p in docs])
    assert missing == [], f"evidence not in the loaded documents: {missing}"
