"""The Milvus index backend (pymilvus): a Milvus server (`milvus://host:19530[/name]`) or Milvus Lite (`*.db`).

Two collections, `<name>_chunks` and `<name>_meta` (name: the URI's path, default "rag"):
- `_chunks`: an auto-assigned INT64 id per chunk; `vector` (FLOAT_VECTOR, an HNSW index, inner
  product: vectors are L2-normalised, so the score is the cosine); `terms`, the chunk (with its title
  and headings: `rag.retrieve.lexical.document_text`) as rag's Danish
  analyzer tokenised, stop-worded and stemmed it (`rag.retrieve.lexical.tokenize`), which Milvus's own
  BM25 function turns into `sparse` (a BM25 index with bm25s's k1 and b); `doc`, the Chunk and its
  file path as JSON; `path_key`, a 64-bit hash of the file path, to delete a file's chunks.
- `_meta`: the manifest (key 0) and one record per indexed file (its sha256, for incremental
  updates), keyed by the same path hash. Milvus wants a vector in every collection: a 2-d zero one.

Why pre-analysed text: Milvus's `danish` stemmer filter is ignored by Milvus Lite, and no built-in
analyzer keeps numbers, hyphenated compounds and Danish stop words as rag does. So Milvus is given
rag's terms, joined by spaces, each rewritten to word characters only ("tv2-øst" → "tv2_høst",
"2.5" → "2_p5": "_" never occurs inside a rag term, so the rewriting is one-to-one); Milvus Lite's
`standard` tokenizer (\\w+) and the server's `whitespace` tokenizer then both give back exactly rag's
terms, and local and Milvus BM25 rank the same passages (measured on the seeds gold set: README).

Guarantees and limits, next to the local folder's:
- Not transactional: Milvus has no multi-row transactions. Writes are ordered so a crash or Ctrl-C
  is repaired by the next `rag index`: a file's record is first marked incomplete (empty sha256),
  then its old chunks are deleted, its new ones inserted, and the record completed last; an
  incomplete record never matches a file's hash, so the file is redone (or removed, if gone).
  A reader may see an update half-done while it runs.
- Milvus Lite keeps BM25 statistics per segment (each `rag index` run flushes one segment; Lite
  merges them 4 at a time), so after incremental updates its lexical scores can drift slightly
  from the local index's until segments merge; a Milvus server keeps collection-wide statistics.
- The terms are analysed when a chunk is written, so a new version of the analyzer
  (`rag.retrieve.lexical.ANALYZER`: version 2 keeps "billet" whole, version 3 indexes a chunk
  with its title and headings) reaches only files indexed after it; `rag index --rebuild`
  re-analyses the rest (the local folder rebuilds its BM25 index by itself).
- One writer at a time: for Milvus Lite a lock file beside the .db (and Lite itself admits one
  process per file); for a server, coordinating writers of one collection is the operator's job.
- Path hashes are 64-bit: a collision between two indexed paths (odds ~n²/2⁶⁵) is detected on
  write and refused, never silently merged.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from rag.errors import IndexCorruptError, IndexLockedError, IndexMissingError, UnavailableError
from rag.retrieve.store import FileRecord, now_iso
from rag.types import Chunk

if TYPE_CHECKING:
    import numpy as np

    from rag.config import Settings

DEFAULT_NAME = "rag"
MANIFEST_KEY = 0
KIND_MANIFEST, KIND_FILE = 0, 1
# HNSW as Milvus's docs recommend for ~10^5–10^7 vectors of a few hundred dimensions; search `ef`
# is at least EF_SEARCH (and never below k), which keeps recall@50 near 1 at these sizes.
HNSW_PARAMS = {"M": 16, "efConstruction": 200}
EF_SEARCH = 128
BM25_K1, BM25_B = 1.2, 0.75  # the local index's (rag.retrieve.lexical.LexicalIndex.build)
MAX_VARCHAR = 65_535
BATCH = 1000  # ids per query: well under Milvus's expression and message limits
CONNECT_TIMEOUT_S = 10.0
_ESCAPES = {"-": "_h", ".": "_p", ",": "_c"}  # the only non-word characters a rag term can hold


def encode_terms(terms: Iterable[str]) -> str:
    """rag's analysed terms as one string of word-character tokens (see the module docstring)."""
    out = []
    for term in terms:
        for ch, esc in _ESCAPES.items():
            term = term.replace(ch, esc)
        out.append(term)
    return " ".join(out)


def path_key(path: str) -> int:
    """A signed 64-bit key for a file path (Milvus INT64)."""
    digest = hashlib.sha256(path.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "little", signed=True) or 1  # 0 is the manifest's key


def parse_uri(index_uri: str) -> tuple[str, str, Path | None]:
    """(what pymilvus connects to, collection name prefix, the Milvus Lite file or None)."""
    uri = index_uri.strip()
    if uri.startswith("milvus://"):
        u = urlparse(uri)
        if not u.hostname:
            raise UnavailableError(f"index_uri {index_uri!r} names no host; write milvus://host:19530.")
        name = u.path.strip("/") or DEFAULT_NAME
        if not name.replace("_", "").isalnum():
            raise UnavailableError(
                f"The collection name {name!r} in index_uri may hold only letters, digits and _.")
        return f"http://{u.hostname}:{u.port or 19530}", name, None
    path = Path(uri).expanduser().absolute()
    return str(path), DEFAULT_NAME, path


def _quiet_logs() -> None:
    # pymilvus warns on stderr through its own handler (e.g. that Milvus Lite has no timestamp
    # service for query iterators), Milvus Lite and its in-process gRPC server log failures with
    # tracebacks; rag reports what matters as one line, so only their critical messages pass.
    for name in ("pymilvus", "milvus_lite", "grpc._server"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def _chunk_from(data: dict[str, Any]) -> Chunk:
    known = {f.name for f in fields(Chunk)}
    return Chunk(**{k: v for k, v in data.items() if k in known})


def _record_from(data: dict[str, Any]) -> FileRecord:
    known = {f.name for f in fields(FileRecord)}
    return FileRecord(**{k: v for k, v in data.items() if k in known})


def _dumps(data: Any) -> str:
    # ASCII JSON: file names that are not valid UTF-8 (surrogates) survive the trip through gRPC.
    return json.dumps(data, ensure_ascii=True, sort_keys=True)


class _MilvusUpdate:
    """Applies each write at once, in the crash-safe order the module docstring describes."""

    def __init__(self, backend: MilvusBackend) -> None:
        self._b = backend

    def clear(self) -> None:
        """Drop both collections, keeping the manifest (so `generation` keeps counting up)."""
        b = self._b
        manifest = b.manifest()
        for name in (b.chunks_name, b.meta_name):
            if b.client.has_collection(name):
                b.client.drop_collection(name)
            b._loaded.discard(name)
        b._ensure_meta()
        if manifest:
            b._put_meta(MANIFEST_KEY, KIND_MANIFEST, manifest)

    def remove_file(self, path: str) -> None:
        self._b._delete_chunks(path)
        self._b.client.delete(self._b.meta_name, ids=[path_key(path)])

    def put_file(self, record: FileRecord, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        import numpy as np

        from rag.retrieve.lexical import document_text, tokenize

        b = self._b
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(vectors) != len(chunks):
            raise ValueError(f"{len(vectors)} vectors for {len(chunks)} chunks")
        key = path_key(record.path)
        old = b._meta_rows([key])
        if old and json.loads(old[0]["value"]).get("path") != record.path:
            raise IndexCorruptError(
                f"Two indexed paths share a 64-bit key ({record.path} and another); rename one of them.")
        b._ensure_chunks(vectors.shape[1])
        b._put_meta(key, KIND_FILE, {**asdict(record), "sha256": ""})  # incomplete until the end
        b._delete_chunks(record.path)
        rows = []
        for chunk, vec in zip(chunks, vectors, strict=True):
            doc = _dumps({"path": record.path, **asdict(chunk)})
            if len(doc.encode()) > MAX_VARCHAR:
                raise IndexCorruptError(
                    f"A chunk of {record.source} is too long for Milvus ({len(doc)} bytes as JSON); "
                    "lower chunk_tokens.")
            terms = tokenize(document_text(chunk.text, chunk.title, chunk.section))
            rows.append({"path_key": key, "doc": doc, "terms": encode_terms(terms), "vector": vec.tolist()})
        for i in range(0, len(rows), BATCH):
            b.client.insert(b.chunks_name, rows[i : i + BATCH])
        b._put_meta(key, KIND_FILE, asdict(record))

    def set_manifest(self, manifest: dict[str, Any]) -> None:
        old = self._b.manifest()
        stamp = now_iso()
        new = {**manifest, "generation": int(old.get("generation", 0)) + 1,
               "created": old.get("created", stamp), "updated": stamp}
        self._b._put_meta(MANIFEST_KEY, KIND_MANIFEST, new)


class MilvusBackend:
    def __init__(self, client: Any, *, location: str, name: str, lite: Path | None, lock: Any = None) -> None:
        self.client = client
        self.location = location
        self.chunks_name = f"{name}_chunks"
        self.meta_name = f"{name}_meta"
        self.lite = lite
        self.repaired: list[str] = []
        self._lock = lock
        self._loaded: set[str] = set()

    @classmethod
    def open(cls, settings: Settings, *, write: bool) -> MilvusBackend:
        """Connect (UnavailableError, one line, when pymilvus is missing or the server unreachable)."""
        from rag.retrieve.backends import index_command_for

        uri, name, lite = parse_uri(settings.index_uri)
        location = settings.index_uri.strip()
        # gRPC's C core logs to stderr (e.g. when rag's loader processes fork beside Milvus Lite's
        # in-process server); only its errors should reach the user's terminal.
        os.environ.setdefault("GRPC_VERBOSITY", "ERROR")
        try:
            from pymilvus import MilvusClient
        except ImportError:
            raise UnavailableError(
                f"index_uri = {location} needs pymilvus: pip install 'rag[milvus]' "
                "(or leave index_uri unset to use the local index folder)."
            ) from None
        _quiet_logs()
        lock = None
        if lite is not None:
            try:
                import milvus_lite  # noqa: F401
            except ImportError:
                raise UnavailableError(
                    f"index_uri = {location} is a Milvus Lite file, which needs milvus-lite: "
                    "pip install 'rag[milvus]'."
                ) from None
            if not write and not lite.exists():
                raise IndexMissingError(
                    f"No index at {location}. Index your documents first: "
                    f"`{index_command_for(settings, ['PATH'])}` (PATH: your files or folders).")
            lite.parent.mkdir(parents=True, exist_ok=True)
            if write:
                lock = cls._lite_lock(lite, settings.lock_timeout)
        try:
            # Milvus Lite's in-process server sends GOAWAY ("too_many_pings") to a client that pings
            # every 10 s while rag embeds; in-process there is no connection to keep alive.
            options = {"grpc_options": {"grpc.keepalive_time_ms": 600_000}} if lite is not None else {}
            client = MilvusClient(uri=uri, timeout=CONNECT_TIMEOUT_S, **options)
        except Exception as e:  # pymilvus raises its own MilvusException, or gRPC's errors
            if lock is not None:
                lock.release()
            reason = getattr(e, "message", None) or str(e) or type(e).__name__
            if lite is not None:
                raise UnavailableError(
                    f"Cannot open the Milvus Lite file {location} ({reason.strip().splitlines()[0]}). "
                    "Milvus Lite admits one process at a time: is another rag using it?"
                ) from None
            raise UnavailableError(
                f"Cannot reach the Milvus server at {location} ({reason.strip().splitlines()[0]}). "
                "Start it (docs/scale.md), or leave index_uri unset to use the local index folder."
            ) from None
        backend = cls(client, location=location, name=name, lite=lite, lock=lock)
        try:
            if write:
                backend._ensure_meta()
            elif not client.has_collection(backend.meta_name):
                raise IndexMissingError(
                    f"No index at {location} (no collection {backend.meta_name}). Index your documents first: "
                    f"`{index_command_for(settings, ['PATH'])}` (PATH: your files or folders).")
        except BaseException:
            backend.close()
            raise
        return backend

    @staticmethod
    def _lite_lock(path: Path, timeout: float) -> Any:
        from filelock import FileLock, Timeout

        lock = FileLock(str(path) + ".lock", timeout=timeout)
        try:
            lock.acquire()
        except Timeout:
            raise IndexLockedError(
                f"Another `rag index` is writing {path}; wait for it to finish "
                f"(or raise lock_timeout, now {timeout:g} s)."
            ) from None
        return lock

    def close(self) -> None:
        try:
            self.client.close()
        finally:
            if self._lock is not None:
                self._lock.release()
                self._lock = None

    def __enter__(self) -> MilvusBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- collections ----------------------------------------------------------------------------
    def _analyzer(self) -> dict[str, Any]:
        # Both tokenizers give back rag's encoded terms unchanged (module docstring).
        return {"tokenizer": "standard"} if self.lite is not None else {"tokenizer": "whitespace"}

    def _ensure_meta(self) -> None:
        from pymilvus import DataType

        c = self.client
        if not c.has_collection(self.meta_name):
            schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
            schema.add_field("key", DataType.INT64, is_primary=True)
            schema.add_field("kind", DataType.INT64)
            schema.add_field("value", DataType.VARCHAR, max_length=MAX_VARCHAR)
            schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)
            index = c.prepare_index_params()
            index.add_index("v", index_type="FLAT", metric_type="L2")
            c.create_collection(self.meta_name, schema=schema, index_params=index, consistency_level="Strong")
        self._load(self.meta_name)

    def _ensure_chunks(self, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        c = self.client
        if not c.has_collection(self.chunks_name):
            schema = c.create_schema(auto_id=True, enable_dynamic_field=False)
            schema.add_field("id", DataType.INT64, is_primary=True)
            schema.add_field("path_key", DataType.INT64)
            schema.add_field("doc", DataType.VARCHAR, max_length=MAX_VARCHAR)
            schema.add_field("terms", DataType.VARCHAR, max_length=MAX_VARCHAR, enable_analyzer=True,
                             analyzer_params=self._analyzer())
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_field("vector", DataType.FLOAT_VECTOR, dim=int(dim))
            schema.add_function(Function(name="bm25", function_type=FunctionType.BM25,
                                         input_field_names=["terms"], output_field_names=["sparse"]))
            index = c.prepare_index_params()
            index.add_index("vector", index_type="HNSW", metric_type="IP", params=self._index_params(HNSW_PARAMS))
            index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25",
                            params=self._index_params({"bm25_k1": BM25_K1, "bm25_b": BM25_B}))
            c.create_collection(self.chunks_name, schema=schema, index_params=index, consistency_level="Strong")
        self._load(self.chunks_name)

    def _index_params(self, params: dict[str, Any]) -> dict[str, Any]:
        # pymilvus 3 sends index parameters as flat key-value pairs; Milvus Lite 3.2 reads only a
        # JSON "params" entry (without it, its BM25 used k1 = 1.5 and ranked unlike bm25s).
        return {**params, "params": dict(params)} if self.lite is not None else dict(params)

    def _load(self, name: str) -> None:
        if name not in self._loaded:
            self.client.load_collection(name)
            self._loaded.add(name)

    def _has_chunks(self) -> bool:
        if not self.client.has_collection(self.chunks_name):
            return False
        self._load(self.chunks_name)
        return True

    def _meta_rows(self, keys: list[int]) -> list[dict[str, Any]]:
        if not self.client.has_collection(self.meta_name):
            return []
        self._load(self.meta_name)
        return self.client.query(self.meta_name, filter=f"key in {keys}", output_fields=["key", "value"])

    def _put_meta(self, key: int, kind: int, value: dict[str, Any]) -> None:
        self.client.upsert(self.meta_name, [{"key": key, "kind": kind, "value": _dumps(value), "v": [0.0, 0.0]}])

    def _delete_chunks(self, path: str) -> None:
        if not self._has_chunks():
            return
        rows = self.client.query(self.chunks_name, filter=f"path_key == {path_key(path)}", output_fields=["id", "doc"])
        ids = [int(r["id"]) for r in rows if json.loads(r["doc"]).get("path") == path]
        for i in range(0, len(ids), BATCH):
            self.client.delete(self.chunks_name, ids=ids[i : i + BATCH])

    # -- what is indexed ------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        rows = self._meta_rows([MANIFEST_KEY])
        return json.loads(rows[0]["value"]) if rows else {}

    def generation(self) -> int:
        return int(self.manifest().get("generation", 0))

    def files(self) -> dict[str, FileRecord]:
        if not self.client.has_collection(self.meta_name):
            return {}
        self._load(self.meta_name)
        records = [_record_from(json.loads(r["value"]))
                   for r in self._iterate(self.meta_name, f"kind == {KIND_FILE}", ["key", "value"])]
        return {r.path: r for r in sorted(records, key=lambda r: r.source)}

    def count_chunks(self) -> int:
        if not self._has_chunks():
            return 0
        rows = self.client.query(self.chunks_name, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def _iterate(self, name: str, filter: str, output_fields: list[str]) -> Iterator[dict[str, Any]]:
        it = self.client.query_iterator(name, batch_size=BATCH, filter=filter, output_fields=output_fields)
        try:
            while True:
                batch = it.next()
                if not batch:
                    return
                yield from batch
        finally:
            it.close()

    # -- writing --------------------------------------------------------------------------------
    @contextmanager
    def update(self) -> Iterator[_MilvusUpdate]:
        yield _MilvusUpdate(self)

    def sync(self, *, force: bool) -> list[str]:
        """Flush: what this update wrote becomes a sealed, indexed segment (durable on the server)."""
        if force:
            for name in (self.meta_name, self.chunks_name):
                if self.client.has_collection(name):
                    self.client.flush(name)
        return []

    # -- reading --------------------------------------------------------------------------------
    def load(self) -> dict[str, Any]:
        manifest = self.manifest()
        if not manifest or self.count_chunks() == 0:
            return {}
        return manifest

    def dense_search(self, qvec: np.ndarray, k: int) -> list[tuple[int, float]]:
        if k <= 0 or not self._has_chunks():
            return []
        res = self.client.search(
            self.chunks_name, data=[[float(x) for x in qvec]], anns_field="vector", limit=k,
            search_params={"metric_type": "IP", "params": {"ef": max(k, EF_SEARCH)}}, output_fields=["id"])
        found = [(int(h["id"]), float(h["distance"])) for h in res[0]]
        return sorted(found, key=lambda x: (-x[1], x[0]))

    def lexical_search(self, terms: Sequence[str], k: int) -> list[tuple[int, float]]:
        text = encode_terms(terms)
        if k <= 0 or not text or not self._has_chunks():
            return []
        res = self.client.search(
            self.chunks_name, data=[text], anns_field="sparse", limit=k,
            search_params={"metric_type": "BM25"}, output_fields=["id"])
        # Milvus's BM25 multiplies each term by (k1 + 1), bm25s's Lucene variant does not: dividing
        # makes the scores themselves equal, not just the order. (Milvus Lite 3.2 also returns the
        # score negated; a BM25 score is never negative, so the magnitude is the score.)
        found = [(int(h["id"]), abs(float(h["distance"])) / (BM25_K1 + 1.0)) for h in res[0]]
        found = [(cid, score) for cid, score in found if score > 0]
        return sorted(found, key=lambda x: (-x[1], x[0]))  # equal scores in id order, like bm25s

    def _by_ids(self, ids: Iterable[int], field: str) -> dict[int, Any]:
        wanted = sorted({int(i) for i in ids})
        if not wanted or not self._has_chunks():
            return {}
        out: dict[int, Any] = {}
        for i in range(0, len(wanted), BATCH):
            part = wanted[i : i + BATCH]
            rows = self.client.query(self.chunks_name, filter=f"id in {part}", output_fields=["id", field])
            out.update({int(r["id"]): r[field] for r in rows})
        return out

    def chunks(self, ids: Iterable[int]) -> dict[int, Chunk]:
        return {cid: _chunk_from(json.loads(doc)) for cid, doc in self._by_ids(ids, "doc").items()}

    def vectors(self, ids: Sequence[int]) -> dict[int, np.ndarray]:
        import numpy as np

        return {cid: np.asarray(v, dtype=np.float32) for cid, v in self._by_ids(ids, "vector").items()}

    def file_vectors(self, path: str) -> dict[str, np.ndarray]:
        return {}  # not looked up: an edited file is embedded whole, as it always was here

    def iter_chunks(self) -> Iterator[tuple[int, Chunk]]:
        if not self._has_chunks():
            return iter(())
        rows = self._iterate(self.chunks_name, "", ["id", "doc"])
        return ((int(r["id"]), _chunk_from(json.loads(r["doc"]))) for r in rows)

    def size_bytes(self) -> int | None:
        if self.lite is None:
            return None
        if self.lite.is_file():
            return self.lite.stat().st_size
        return sum(p.stat().st_size for p in self.lite.rglob("*") if p.is_file()) if self.lite.exists() else 0

