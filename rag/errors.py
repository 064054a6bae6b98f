"""Errors a user can cause, each with a message that says what to do next.

The library raises these and never prints or exits; `rag.cli` turns them into a one-line
`Error: ...` on stderr and exit code 1. Programming errors are not wrapped here: they should
surface as tracebacks in tests, not be disguised as user errors.
"""


class RagError(Exception):
    """Base class: the message is shown to the user verbatim, so it must say what to do next."""


class ConfigError(RagError):
    """A setting (rag.toml, RAG_* variable or flag) has a bad value."""


class InputError(RagError):
    """A question, query or path given by the user is empty, too long or unreadable."""


class IndexMissingError(RagError):
    """No index exists where one was expected."""


class IndexMismatchError(RagError):
    """The index was built with another embedder or chunker than the one now configured."""


class IndexLockedError(RagError):
    """Another process is writing the index."""


class IndexCorruptError(RagError):
    """The index on disk cannot be read."""


class ModelError(RagError):
    """A model (embedder, generator, reranker) cannot be found or loaded."""


class PromptError(RagError):
    """A prompt template is missing or uses a variable that was not supplied."""


class ContextTooSmallError(RagError):
    """The generator's context window cannot hold even one passage and the answer."""


class GoldFormatError(RagError):
    """A gold Q&A file is malformed; the message names the line."""


class UnreadableFileError(InputError):
    """A file cannot be read as text (binary, corrupt, unsupported); indexing skips it with a warning."""


class UnavailableError(RagError):
    """A server (Milvus, a Ray cluster) or an optional package a setting asks for is unreachable or missing."""
