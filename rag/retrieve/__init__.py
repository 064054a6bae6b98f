"""Retrieve: embedders, the on-disk index (SQLite store, FAISS, BM25), fusion and reranking."""
