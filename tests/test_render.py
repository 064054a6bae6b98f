"""Terminal text the CLI prints: warnings grouped, counts with their nouns."""

from __future__ import annotations

from rag.render import count, skipped_lines


def test_files_of_unread_types_are_counted_in_one_line_unless_verbose() -> None:
    skipped = [("a/x.json", "unsupported file type .json"), ("a/y.json", "unsupported file type .json"),
               ("a/z.csv", "unsupported file type .csv"), ("a/b.txt", "looks binary")]
    assert skipped_lines(skipped) == [
        "skipped a/b.txt: looks binary",
        "skipped 3 files of types rag does not read (.json ×2, .csv); --verbose lists them",
    ]
    assert len(skipped_lines(skipped, verbose=True)) == 4
    assert skipped_lines([]) == []


def test_counts_agree_with_their_noun() -> None:
    assert [count(1, "file"), count(0, "chunk"), count(2468, "chunk")] == ["1 file", "0 chunks", "2,468 chunks"]


def test_a_refusal_says_why_in_danish_and_shows_the_nearest_passages(capsys) -> None:  # type: ignore[no-untyped-def]
    from rag.answer.gates import EXPLANATIONS, default_gates
    from rag.answer.policy import AnswerPolicy
    from rag.config import Settings
    from rag.render import NEAREST, print_answer
    from rag.types import Answer
    from tests.answer_support import make_hit

    hits = tuple(make_hit(f"Passage {i}.", source=f"doc{i}.txt", rank=i) for i in range(1, 6))
    refused = Answer(question="Hvad koster en forlygte?", text="Det kan jeg ikke finde i dokumenterne.", refused=True,
                     hits=hits, refusal_gate="missing_answer_kind", refusal_reason="the question asks for a number")
    print_answer(refused, Settings())
    shown = capsys.readouterr().out
    assert EXPLANATIONS["missing_answer_kind"][:40] in " ".join(shown.split())
    assert [f"doc{i}.txt" in shown for i in range(1, 6)] == [True] * NEAREST + [False] * (5 - NEAREST)
    # every gate of the default stack has its explanation, and so has every refusal a strategy makes
    assert {g.name for g in default_gates(AnswerPolicy())} <= set(EXPLANATIONS)
    assert {"model_declined", "echoed_instruction", "no_answer", "answerability_model"} <= set(EXPLANATIONS)


def test_an_index_report_says_when_every_file_was_read_again() -> None:
    from rag.config import Settings
    from rag.render import index_report_json, index_report_text
    from rag.retrieve.indexer import IndexReport

    settings = Settings()
    plain = IndexReport(updated=["a.txt"], chunks_reused=3)
    reread = IndexReport(updated=["a.txt"], chunks_reused=3, reread=True)
    assert "Re-read" not in index_report_text(plain, settings)
    assert "Re-read the files" in index_report_text(reread, settings)
    assert index_report_json(reread, settings)["reread"] is True
    assert index_report_json(plain, settings)["reread"] is False
