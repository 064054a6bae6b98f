"""Ingest: load files (formats, encodings), clean scraped boilerplate, chunk by tokens.

- `loaders`: `discover(paths)` → files to load; `load_document(path)` → a cleaned `Document`.
- `clean`: `clean_text(raw)` → text without page boilerplate, plus the title and date it states.
- `sentences`: Danish-aware `split_sentences(text)` (spans) and `sentences(text)` (strings).
- `tokens`: `get_encoding(name)`, offline-first tiktoken; `count_tokens(text)`.
- `chunker`: `Chunker(...).chunk(doc)` → sentence-aligned `Chunk`s with exact offsets.
"""
