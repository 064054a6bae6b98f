"""SQuAD import: tiny v1.1 and v2.0 files written here, converted to docs/ and gold.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.errors import GoldFormatError, InputError
from rag.evaluate.gold import GoldItem, evidence_in_text, load_gold
from rag.evaluate.squad import import_squad, slugify

CONTEXT = ("Super Bowl 50 var en amerikansk fodboldkamp. Spillet blev spillet den 7. februar 2016 på "
           "Levi's Stadium i Santa Clara. Denver Broncos vandt kampen.")
V1 = {
    "version": "1.1",
    "data": [
        {"title": "Super_Bowl_50", "paragraphs": [
            {"context": CONTEXT, "qas": [
                {"id": "q1", "question": "Hvor blev Super Bowl 50 spillet?", "answers": [
                    {"text": "Levi's Stadium", "answer_start": CONTEXT.index("Levi's")},
                    {"text": "Levi's Stadium", "answer_start": CONTEXT.index("Levi's")},
                    {"text": "Levi's Stadium i Santa Clara", "answer_start": CONTEXT.index("Levi's")},
                    {"text": "", "answer_start": -1},
                ]},
                {"id": "q2", "question": "Hvem vandt?", "answers": [
                    {"text": "Denver Broncos", "answer_start": 3},  # wrong offset: re-located
                ]},
                {"id": "q3", "question": "Hvem tabte?", "answers": [
                    {"text": "Carolina Panthers", "answer_start": 0},  # not in the passage: skipped
                ]},
            ]},
            {"context": "Anden paragraf om Ærø.", "qas": []},
        ]},
        {"title": "Ærø og Æbelø", "paragraphs": [{"context": "Ærø er en ø.", "qas": [
            {"id": "q4", "question": "Hvad er Ærø?", "answers": [{"text": "en ø", "answer_start": 7}]},
        ]}]},
    ],
}
V2 = {
    "version": "v2.0",
    "data": [{"title": "Normanner", "paragraphs": [{"context": "Normannerne kom fra Normandiet. De talte fransk.",
                                                    "qas": [
        {"id": "p1", "question": "Hvilket sprog talte de?", "is_impossible": False,
         "answers": [{"text": "fransk", "answer_start": 41}]},
        {"id": "p2", "question": "Hvilket sprog talte vikingerne i 1100?", "is_impossible": True, "answers": [],
         "plausible_answers": [{"text": "fransk", "answer_start": 41}]},
    ]}]}],
}


def _src(tmp_path: Path, data: object, name: str = "squad.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return p


def test_import_v1(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    report = import_squad(_src(tmp_path, V1), out)
    assert (report.articles, report.paragraphs, report.answerable, report.unanswerable) == (2, 3, 3, 0)
    assert report.skipped == ["q3"]
    assert "3 questions" in str(report)

    docs = sorted(p.name for p in (out / "docs").iterdir())
    assert docs == ["aeroe-og-aebeloe-001.txt", "super-bowl-50-001.txt", "super-bowl-50-002.txt"]
    doc = (out / "docs" / "super-bowl-50-001.txt").read_text(encoding="utf-8")
    assert doc.startswith("Super Bowl 50\n\n" + CONTEXT)

    items = {it.id: it for it in load_gold(out / "gold.jsonl")}
    assert items["q1"] == GoldItem(
        "q1", "Hvor blev Super Bowl 50 spillet?", ("Levi's Stadium", "Levi's Stadium i Santa Clara"),
        ("Spillet blev spillet den 7. februar 2016 på Levi's Stadium i Santa Clara.",), True)
    assert items["q2"].evidence == ("Denver Broncos vandt kampen.",)
    for it in items.values():
        assert all(evidence_in_text(e, doc) or it.id == "q4" for e in it.evidence)


def test_import_v2_impossible_is_unanswerable(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    report = import_squad(_src(tmp_path, V2), out)
    assert (report.answerable, report.unanswerable) == (1, 1)
    items = {it.id: it for it in load_gold(out / "gold.jsonl")}
    assert items["p1"].evidence == ("De talte fransk.",) and items["p1"].answerable
    assert items["p2"] == GoldItem("p2", "Hvilket sprog talte vikingerne i 1100?", (), (), False)


def test_evidence_spans_sentences_when_the_answer_does(tmp_path: Path) -> None:
    ctx = "Første sætning. Svaret begynder her. Og slutter her. Sidste."
    ans = "her. Og slutter"
    data = {"data": [{"title": "T", "paragraphs": [{"context": ctx, "qas": [
        {"id": "x", "question": "?", "answers": [{"text": ans, "answer_start": ctx.index(ans)}]}]}]}]}
    import_squad(_src(tmp_path, data), tmp_path / "ds")
    assert load_gold(tmp_path / "ds" / "gold.jsonl")[0].evidence == ("Svaret begynder her. Og slutter her.",)


def test_overwrite_replaces_only_an_earlier_import(tmp_path: Path) -> None:
    out = tmp_path / "ds"
    src = _src(tmp_path, V1)
    import_squad(src, out)
    with pytest.raises(InputError, match="not empty"):
        import_squad(src, out)
    (out / "docs" / "stale.txt").write_text("x")
    import_squad(src, out, overwrite=True)
    assert not (out / "docs" / "stale.txt").exists() and (out / "gold.jsonl").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ds", "squad.json"]  # no temp folders left
    (tmp_path / "empty").mkdir()
    import_squad(src, tmp_path / "empty")  # an empty folder is fine


def test_overwrite_never_deletes_what_it_did_not_write(tmp_path: Path) -> None:
    src = _src(tmp_path, V1)
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "keep.txt").write_text("x")
    with pytest.raises(InputError, match="earlier import"):
        import_squad(src, mine, overwrite=True)
    assert (mine / "keep.txt").read_text() == "x"
    precious = tmp_path / "precious.txt"
    precious.write_text("important")
    with pytest.raises(InputError, match="is a file"):
        import_squad(src, precious, overwrite=True)
    assert precious.read_text() == "important"
    with pytest.raises(InputError, match="holds the SQuAD file"):
        import_squad(src, tmp_path, overwrite=True)
    assert src.exists()
    project = tmp_path / "proj"  # looks like an import (a docs/ folder only), but no import wrote it
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="marker"):
        import_squad(src, project, overwrite=True)
    assert (project / "docs" / "notes.txt").read_text() == "mine"


def test_overwrite_keeps_the_index_built_inside_the_import(tmp_path: Path) -> None:
    src, out = _src(tmp_path, V1), tmp_path / "ds"
    import_squad(src, out)
    (out / "index").mkdir()
    (out / "index" / "chunks.sqlite").write_text("x")
    import_squad(src, out, overwrite=True)
    assert (out / "index" / "chunks.sqlite").read_text() == "x" and (out / "gold.jsonl").exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"version": "1.1"}, "missing 'data'"),
    ({"data": [{"title": "T"}]}, r"data\[0\]: missing 'paragraphs'"),
    ({"data": [{"title": "T", "paragraphs": [{"context": 5, "qas": []}]}]}, r"paragraphs\[0\].context: expected str"),
    ({"data": [{"title": "T", "paragraphs": [{"context": "c", "qas": [{"id": "a"}]}]}]},
     r"qas\[0\]: missing 'question'"),
    ({"data": [{"title": "T", "paragraphs": [{"context": "ab", "qas": [
        {"id": "a", "question": "?", "answers": [{"text": "a", "answer_start": 0}]},
        {"id": "a", "question": "?", "answers": [{"text": "b", "answer_start": 1}]}]}]}]}, "duplicate question id 'a'"),
])
def test_malformed_squad_fails_cleanly(tmp_path: Path, data: object, message: str) -> None:
    out = tmp_path / "ds"
    with pytest.raises(GoldFormatError, match=message):
        import_squad(_src(tmp_path, data), out)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["squad.json"]  # nothing half-written


def test_not_json_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="not a SQuAD JSON file"):
        import_squad(bad, tmp_path / "ds")
    with pytest.raises(InputError, match="Cannot read"):
        import_squad(tmp_path / "missing.json", tmp_path / "ds")


def test_slugify() -> None:
    assert slugify("Super_Bowl_50") == "super-bowl-50"
    assert slugify("Ærø & Åbenrå") == "aeroe-aabenraa"
    assert slugify("Café Noir") == "cafe-noir"
    assert slugify("???") == "article"
