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
