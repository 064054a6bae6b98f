"""rag: Danish-first, fully local retrieval-augmented question answering.

The package is a library; `rag.cli` is the only module that prints or exits.
Heavy dependencies (faiss, llama_cpp, sentence_transformers, torch) are imported lazily inside
the adapters that need them, so `import rag` and `rag --help` stay fast.
"""

__version__ = "0.1.0"
