"""How many bytes a GGUF file should have, read from its header: a download cut short is told apart
from a complete file without loading it.

The header (magic, version, metadata, tensor table) says where every tensor starts in the data
section and its shape and type; the file is complete when it reaches past the end of the last
tensor. Tensor types whose block size is not in `_BLOCKS` (new quantisations) give a lower bound
only: the last tensor's first byte must be in the file. It reads the header only (a few MB: the
vocabulary is in it) and never the tensors; loading and checking the weights is llama.cpp's job.
"""

from __future__ import annotations

import struct
from pathlib import Path

_MAGIC = b"GGUF"
_DEFAULT_ALIGNMENT = 32
# GGUF metadata value types: the fixed sizes of the scalar ones (8 = string, 9 = array)
_SCALAR = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_STRING, _ARRAY = 8, 9
# ggml tensor type → (values per block, bytes per block), from ggml's type traits
_BLOCKS = {
    0: (1, 4), 1: (1, 2), 2: (32, 18), 3: (32, 20), 6: (32, 22), 7: (32, 24), 8: (32, 34), 9: (32, 36),
    10: (256, 84), 11: (256, 110), 12: (256, 144), 13: (256, 176), 14: (256, 210), 15: (256, 292),
    16: (256, 66), 17: (256, 74), 18: (256, 98), 19: (256, 50), 20: (32, 18), 21: (256, 110), 22: (256, 82),
    23: (256, 136), 24: (1, 1), 25: (1, 2), 26: (1, 4), 27: (1, 8), 28: (1, 8), 29: (256, 56), 30: (1, 2),
    34: (256, 54), 35: (256, 66), 39: (32, 17),
}
_MAX_DIMS = 4  # ggml's GGML_MAX_DIMS
_MAX_FILE = 1 << 44  # 16 TiB: an offset or shape past this is a damaged header, not a model
_HEADER_LIMIT = 256 * 1024 * 1024  # a header larger than this is no header


class _Reader:
    def __init__(self, f, size: int) -> None:  # type: ignore[no-untyped-def]
        self.f, self.size = f, size

    def take(self, n: int) -> bytes:
        if n < 0 or self.f.tell() + n > min(self.size, _HEADER_LIMIT):
            raise ValueError("header runs past the end of the file")
        return self.f.read(n)

    def u32(self) -> int:
        return int(struct.unpack("<I", self.take(4))[0])

    def u64(self) -> int:
        return int(struct.unpack("<Q", self.take(8))[0])

    def string(self) -> bytes:
        return self.take(self.u64())

    def skip(self, kind: int) -> None:
        if kind in _SCALAR:
            self.take(_SCALAR[kind])
        elif kind == _STRING:
            self.f.seek(self.u64(), 1)
        elif kind == _ARRAY:
            inner, count = self.u32(), self.u64()
            if inner in _SCALAR:
                self.take(_SCALAR[inner] * count)
            else:
                for _ in range(count):
                    self.skip(inner)
        else:
            raise ValueError(f"unknown metadata type {kind}")
        if self.f.tell() > self.size:
            raise ValueError("header runs past the end of the file")


def expected_size(path: Path) -> int | None:
    """The smallest size a complete copy of the GGUF file at `path` has (exact when every tensor
    type is known), or None when its header cannot be read (not GGUF, a version this reader does
    not know, a file cut inside its header, or shapes and offsets no model has: `check_gguf` and
    llama.cpp say which)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            r = _Reader(f, size)
            if r.take(4) != _MAGIC or r.u32() not in (2, 3):
                return None
            n_tensors, n_meta = r.u64(), r.u64()
            alignment = _DEFAULT_ALIGNMENT
            for _ in range(n_meta):
                key = r.string()
                kind = r.u32()
                if key == b"general.alignment":
                    alignment = r.u32() if kind == 4 else 0
                    if alignment <= 0 or alignment & (alignment - 1):  # llama.cpp refuses it too
                        return None
                else:
                    r.skip(kind)
            if n_tensors == 0:  # a vocabulary-only file ends with its header
                return f.tell()
            end = 0
            for _ in range(n_tensors):
                r.string()
                n_dims = r.u32()
                if n_dims > _MAX_DIMS:
                    return None
                dims = [r.u64() for _ in range(n_dims)]
                kind, offset = r.u32(), r.u64()
                count = 1
                for d in dims:
                    count *= d
                block = _BLOCKS.get(kind)
                end = max(end, offset + (count // block[0] * block[1] if block else 1))
                if end > _MAX_FILE:
                    return None
            data_start = -(-f.tell() // alignment) * alignment
    except (ValueError, struct.error, OSError):
        return None
    return data_start + end
