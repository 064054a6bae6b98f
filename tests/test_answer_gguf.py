"""`rag.answer.gguf.expected_size` on GGUF files written here byte by byte (and on the real models
in the slow suite): a complete file reaches its last tensor's end, a cut one does not."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.answer.gguf import expected_size


def _string(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def gguf_bytes(alignment: int | None = None, blocks: int = 1) -> bytes:
    """A GGUF v3 file: three metadata values (a string array among them) and two tensors, one F32
    (4 × 3 values) and one Q4_K (256 values a block of 144 bytes), the second at the data's end."""
    meta = [_string("general.name") + struct.pack("<I", 8) + _string("tiny"),
            _string("tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 3) + b"".join(map(_string, "abc"))]
    if alignment:
        meta.append(_string("general.alignment") + struct.pack("<II", 4, alignment))
    align = alignment or 32
    tensors = [(_string("a.weight") + struct.pack("<IQQ", 2, 4, 3) + struct.pack("<IQ", 0, 0)),
               (_string("b.weight") + struct.pack("<IQ", 1, 256 * blocks) + struct.pack("<IQ", 12, 64))]
    head = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(meta)) + b"".join(meta) + b"".join(tensors)
    head += b"\0" * (-len(head) % align)
    return head + b"\1" * (64 + 144 * blocks)


@pytest.mark.parametrize("alignment", [None, 64])
def test_a_complete_file_is_as_long_as_its_header_says(tmp_path: Path, alignment: int | None) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(data := gguf_bytes(alignment))
    assert expected_size(path) == len(data)


def test_a_file_cut_inside_its_tensors_is_short(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    data = gguf_bytes()
    path.write_bytes(data[:-1])
    assert expected_size(path) == len(data)


def test_not_a_gguf_file_or_a_cut_header_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"<html>404</html>")
    assert expected_size(path) is None
    path.write_bytes(gguf_bytes()[:40])
    assert expected_size(path) is None


def test_a_vocabulary_only_file_ends_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "vocab.gguf"
    path.write_bytes(data := b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + _string("general.name") + struct.pack("<I", 8)
                     + _string("tiny"))
    assert expected_size(path) == len(data)


@pytest.mark.parametrize("damage", ["offset", "dims"])
def test_a_damaged_tensor_table_gives_none(tmp_path: Path, damage: str) -> None:
    data = bytearray(gguf_bytes())
    at = data.index(b"b.weight") + len(b"b.weight")
    if damage == "offset":  # the second tensor's offset (after n_dims, one dim and its type) far past any file
        struct.pack_into("<Q", data, at + 4 + 8 + 4, 1 << 60)
    else:
        struct.pack_into("<I", data, at, 9)  # nine dimensions: ggml has four
    path = tmp_path / "m.gguf"
    path.write_bytes(bytes(data))
    assert expected_size(path) is None


def test_an_alignment_llama_cpp_refuses_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(gguf_bytes(alignment=24))  # not a power of two
    assert expected_size(path) is None


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(gguf_bytes()) - 1))
def test_no_cut_of_a_file_reads_as_complete(tmp_path_factory: pytest.TempPathFactory, cut: int) -> None:
    path = tmp_path_factory.mktemp("g") / "m.gguf"
    path.write_bytes(gguf_bytes()[:cut])
    need = expected_size(path)
    assert need is None or need > cut


@pytest.mark.slow
def test_the_real_models_are_complete() -> None:
    from rag.answer.generators import resolve_model

    real = resolve_model("gemma3-270m", Path("models"))
    assert expected_size(real) == real.stat().st_size
