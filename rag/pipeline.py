"""Rag: the one object that composes the stages — index(paths), search(query), ask(question).

It owns model loading (lazily, once per object, so `rag chat` and `rag eval` keep models warm)
and input validation shared by every command. It leaves the work itself to the stage modules:
`rag.retrieve.indexer`, `rag.retrieve.searcher` and `rag.answer.answerer` (which holds the
refusal policy and knows model files; this module knows neither).
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rag.config import Settings
from rag.errors import InputError
from rag.protocols import Embedder, Generator, Reranker
from rag.types import Answer, Hit

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")  # CSI sequences, then two-byte escapes
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]+")  # C0 and C1 controls, tab and newline kept

if TYPE_CHECKING:
    from rag.answer.answerability_model import AnswerabilityGate
    from rag.answer.gates import Gate
    from rag.answer.policy import AnswerPolicy
    from rag.answer.similarity import SentenceSimilarity
    from rag.retrieve.indexer import IndexReport
    from rag.retrieve.searcher import Searcher

Progress = Callable[[str, int, int], None]  # (what, done, total)
OnToken = Callable[[str], None]
OnStatus = Callable[[str], None]  # a stage of ask(): see STAGES
# What ask() is doing, in order, for a caller's spinner: loading the embedder and index (first
# question only), searching, loading the generator (first generating question only), generating.
STAGES = ("load_index", "search", "load_model", "generate")


class Rag:
    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        reranker: Reranker | None = None,
    ) -> None:
        self.settings = settings
        self._embedder = embedder
        self._generator = generator
        self._reranker = reranker
        self._searcher: Searcher | None = None
        self._policy: AnswerPolicy | None = None
        self._similarity: SentenceSimilarity | None = None

    # -- models, loaded on first use -------------------------------------------------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from rag.retrieve.embedders import load_embedder

            self._embedder = load_embedder(self.settings.embedder, batch_size=self.settings.embed_batch,
                                           device=self.settings.embed_device)
        return self._embedder

    @property
    def generator(self) -> Generator:
        if self._generator is None:
            from rag.answer.generators import load_generator

            self._generator = load_generator(self.settings)
        return self._generator

    @property
    def reranker(self) -> Reranker | None:
        if self._reranker is None and self.settings.reranker:
            from rag.retrieve.rerank import load_reranker

            self._reranker = load_reranker(self.settings.reranker)
        return self._reranker

    # -- the three verbs -------------------------------------------------------------------
    def index(
        self, paths: Sequence[Path] | None = None, *, rebuild: bool = False, progress: Progress | None = None
    ) -> IndexReport:
        """Index `paths`; given none, re-read the files the index holds (or the `corpus` folder,
        seeds/, for a new index). Ctrl-C raises IndexInterrupted with what was committed."""
        from rag.retrieve.indexer import Indexer, check_paths

        check_paths(list(paths or []))  # a typo'd path fails before the embedder loads
        report = Indexer(self.settings, self.embedder).update(
            list(paths) if paths else None, rebuild=rebuild, progress=progress, default=self.settings.corpus
        )
        self._searcher = None  # the index changed under it
        return report

    def searcher(self) -> Searcher:
        if self._searcher is None:
            from rag.retrieve.searcher import Searcher

            self._searcher = Searcher(self.settings, self.embedder, reranker=self.reranker)
        return self._searcher

    def search(self, query: str, *, k: int | None = None, mode: str | None = None) -> list[Hit]:
        """The passages for `query`; one typed without æ, ø and å ("hvor hoej maa haekken vaere") is
        searched again as the passages found spell it (`rag.danish.restore_case`): the lexical leg
        matches words as written."""
        from rag.answer.evidence import titles
        from rag.danish import restore_case

        query = self._check_text(query, what="query")
        k, mode = k or self.settings.k, mode or self.settings.mode
        hits = self.searcher().search(query, k=k, mode=mode)
        respelt = restore_case(query, titles(hits), [h.chunk.text for h in hits])
        if respelt.casefold() != query.casefold():
            hits = self.searcher().search(respelt, k=k, mode=mode)
        return hits

    @property
    def policy(self) -> AnswerPolicy:
        """The answer policy for this index's embedder (its calibration, else the scale-free fallback)."""
        if self._policy is None:
            from rag.answer.policy import load_policy

            self._policy = load_policy(self.settings, self.embedder.id)
        return self._policy

    def similarity(self) -> SentenceSimilarity:
        """Each sentence's closeness to the question in this index's embedder (the learned sentence
        ranker reads it), with the sentence vectors cached across questions."""
        if self._similarity is None:
            from rag.answer.similarity import SentenceSimilarity
            from rag.answer.vector_cache import VectorCache

            # kept on disk beside a folder index, so a later `rag ask` process reads them back
            store = None
            if not self.settings.index_uri.strip():
                store = VectorCache.beside(self.settings.index_dir, self.embedder.id, self.embedder.dim)
            self._similarity = SentenceSimilarity(self.embedder, store=store)
        return self._similarity

    def learned_gate(self) -> AnswerabilityGate | None:
        """The learned answerability gate (`rag.answer.answerability_model`) at the policy's threshold,
        or None where that model is not installed."""
        try:
            from rag.answer.answerability_model import AnswerabilityGate
        except ImportError:
            return None
        return AnswerabilityGate(threshold=self.policy.answerability_threshold)

    def _extra_gates(self) -> list[Gate]:
        threshold = self.policy.answerability_threshold
        scorer = self.learned_gate() if threshold is not None else None
        if scorer is None or threshold is None:
            return []
        from rag.answer.gates import LearnedAnswerability

        sure = self.policy.sure_sentence if self.policy.sentence_ranker == "learned" else None
        return [LearnedAnswerability(scorer, threshold, sure)]

    def ask(
        self,
        question: str,
        *,
        k: int | None = None,
        mode: str | None = None,
        on_token: OnToken | None = None,
        on_status: OnStatus | None = None,
    ) -> Answer:
        """Answer `question`. `on_token` sees the model's raw text as generated (not the answer: it
        is verified afterwards); `on_status` is told each stage in `STAGES` as it starts."""
        from rag.answer.answerer import answer, check_model_file

        status = on_status or (lambda stage: None)
        question = self._check_text(question, what="question")
        t0 = time.perf_counter()
        if self._searcher is None:
            status("load_index")
            self.searcher()
        status("search")
        hits = self.search(question, k=k, mode=mode)
        t1 = time.perf_counter()

        def load_generator() -> Generator:
            if self._generator is None:
                status("load_model")
            generator = self.generator
            status("generate")
            return generator

        result = answer(
            question, hits, self.settings, policy=self.policy, on_token=on_token, extra_gates=self._extra_gates(),
            generator=load_generator,
            check_model=None if self._generator is not None else lambda: check_model_file(self.settings),
            model_name=self._generator.id if self._generator is not None else None,
            similarity=self.similarity(),
        )
        t2 = time.perf_counter()
        timings = {**result.timings, "retrieve_s": t1 - t0, "total_s": t2 - t0}
        return replace(result, embedder=self.embedder.id, timings=timings)

    def _check_text(self, text: str, *, what: str) -> str:
        from rag.answer.verify import strip_citations
        from rag.ingest.loaders import decode_text

        # A latin-1 terminal hands Python undecodable bytes as surrogates ("B\udcf8rn"); decode
        # them the Danish-safe way instead of crashing inside the embedder.
        text = decode_text((text or "").encode("utf-8", "surrogateescape"))
        # A question pasted from a coloured terminal carries escape codes ("\x1b[31m"), and stray
        # control characters come along with piped input: neither is text the gates should read.
        text = _CONTROL.sub(" ", _ANSI_ESCAPE.sub("", text)).strip()
        # macOS and some web forms paste "å" as "a" + a combining ring (NFD); the documents are NFC
        # (rag.ingest.clean), and the question's words must meet theirs: "Hvornår" is a time question.
        text = unicodedata.normalize("NFC", text)
        # A question pasted from an earlier answer carries its citation marks ("… borgmester [1] …"):
        # they are no words of the question, and the gates would read them as some.
        text = strip_citations(text)
        if not text:
            example = 'rag search "borgmester Sorø"' if what == "query" else 'rag ask "Hvem er borgmester i Sorø?"'
            raise InputError(f"The {what} is empty. Write one, e.g. {example}")
        limit = self.settings.max_question_chars
        if len(text) > limit:
            raise InputError(
                f"The {what} is {len(text)} characters; the limit is {limit} (setting max_question_chars). "
                "Shorten it."
            )
        return text
