"""Ingest: load files (formats, encodings), clean scraped boilerplate, chunk by tokens."""
