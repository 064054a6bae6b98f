"""The batch runner: ask every gold question, score each answer, and summarise.

`run_eval(rag, items, k=…)` works with anything that has `.search(q, k=, mode=)`, `.ask(q, k=,
mode=)` and `.embedder` (`rag.pipeline.Rag`, or a fake in tests). For each item it

- searches at depth max(10, k), independent of the answer's k, so hit@10 / mrr@10 / ndcg@10 are
  always measured the same way;
- unless `retrieval_only`, asks the question with the answer's k and scores the answer text
  (citation marks such as "[1]" removed; a refused answer counts as empty), its citations and
  whether it refused.

Averaging: retrieval, answer and citation metrics over answerable items; refusal over all items;
`danish_rate` over every answer that was not a refusal (the language of generated text does not
depend on whether the question was answerable). A metric with nothing to average over is None.
Latency is reported as mean / p50 / p95 of retrieve_s, ttft_s and total_s per question, plus the
wall time of the whole run, and the mean / p95 prefill tokens (prompt tokens the model evaluated,
not reused from its KV cache) over the answers that reached the model, each summed over every
generation the answer took (a re-read; a base model's span that gave way to the quote): results
written before that counted only the answers the model's own text made.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag import __version__
from rag.atomic import write_atomic
from rag.config import PROJECT_ROOT
from rag.errors import RagError
from rag.evaluate import metrics as M
from rag.evaluate.gold import GoldItem, matched_evidence, missing_evidence
from rag.evaluate.normalize import strip_citation_marks

if TYPE_CHECKING:
    from rag.answer.policy import AnswerPolicy
    from rag.protocols import AnswerPipeline, Embedder
    from rag.types import Answer, Hit

Progress = Callable[[str, int, int], None]  # (what, done, total), as in rag.pipeline
HIT_KS = (1, 3, 5, 10)
RECALL_KS = (5, 10)
DEPTH = 10
LATENCY_KEYS = ("retrieve_s", "ttft_s", "total_s")
ANSWER_OK_F1 = 0.5  # an answer counts as right when it contains a gold alias, matches it, or F1 ≥ this


@dataclass
class EvalResult:
    summary: dict[str, Any]
    items: list[dict[str, Any]]
    run: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    gold_order: list[str] = field(default_factory=list)  # item ids in gold-file order

    def to_json(self) -> dict[str, Any]:
        return {"summary": self.summary, "items": self.items, "run": {**self.run, "warnings": self.warnings}}

    def write_json(self, path: str | Path) -> None:
        """Write `to_json()` atomically (a temp file in the same folder, then rename)."""
        write_text_atomic(Path(path), json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n")

    def write_jsonl(self, path: str | Path) -> None:
        """One item record per line, in gold-file order (so two runs diff line by line), atomically."""
        position = {item_id: i for i, item_id in enumerate(self.gold_order)}
        ordered = sorted(self.items, key=lambda r: position.get(r["id"], len(position)))
        write_text_atomic(Path(path), "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ordered))


def write_text_atomic(path: Path, text: str) -> None:
    """UTF-8 `text` to `path`, creating its folder; readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))


# -- per item --------------------------------------------------------------------------------
def _hit_json(hit: Hit, matched: frozenset[int]) -> dict[str, Any]:
    c = hit.chunk
    return {"rank": hit.rank, "source": c.source, "chunk_id": hit.chunk_id, "start": c.start,
            "end": c.end, "score": round(float(hit.score), 6), "evidence": sorted(matched)}


def _retrieval(item: GoldItem, hits: Sequence[Hit], k: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    matches = [matched_evidence(item.evidence, h.chunk.text) for h in hits]
    scores: dict[str, Any] = {}
    if item.answerable:
        n = len(item.evidence)
        for kk in sorted({*HIT_KS, k}):
            scores[f"hit@{kk}"] = M.hit_at_k(matches, kk)
        for kk in sorted({*RECALL_KS, k}):
            scores[f"recall@{kk}"] = M.recall_at_k(matches, n, kk)
        scores["mrr@10"] = M.mrr_at_k(matches, DEPTH)
        scores["ndcg@10"] = M.ndcg_at_k(matches, n, DEPTH)
        scores["hit_rank"] = M.first_relevant_rank(matches)
    return scores, [_hit_json(h, m) for h, m in zip(hits, matches, strict=True)]


def _answer(item: GoldItem, answer: Answer, embedder: Embedder) -> dict[str, Any]:
    text = strip_citation_marks(answer.text)
    cited = [(c.n, c.hit, bool(matched_evidence(item.evidence, c.hit.chunk.text))) for c in answer.citations]
    rec: dict[str, Any] = {
        "answer": answer.text, "refused": bool(answer.refused), "is_danish": bool(answer.is_danish),
        "language": answer.language, "model": answer.model,
        "strategy": getattr(answer, "strategy", None), "short": bool(getattr(answer, "short", False)),
        "refusal_gate": getattr(answer, "refusal_gate", None),
        "refusal_reason": getattr(answer, "refusal_reason", None),
        "unsupported": list(answer.unsupported),
        "citations": [{"n": n, "source": h.chunk.source, "chunk_id": h.chunk_id, "correct": ok}
                      for n, h, ok in cited],
        "timings": {key: round(float(v), 4) for key, v in answer.timings.items()},
    }
    if item.answerable:
        pred = "" if answer.refused else text
        rec["scores"] = {
            "em": M.exact_match(pred, item.answers),
            "f1": M.token_f1(pred, item.answers),
            "contains": M.contains(pred, item.answers),
            "semantic": M.semantic(pred, item.answers, embedder),
            "citation_precision": M.citation_precision([ok for *_, ok in cited]),
            "citation_ok": any(ok for *_, ok in cited),
        }
    return rec


def _failures(rec: dict[str, Any], k: int, retrieval_only: bool) -> list[str]:
    reasons = []
    if rec.get("error"):
        reasons.append("error")
    if rec["answerable"]:
        if not rec["retrieval"].get(f"hit@{k}"):
            reasons.append("retrieval_miss")
        if not retrieval_only and "scores" in rec:
            s = rec["scores"]
            if rec["refused"]:
                reasons.append("false_refusal")
            elif not (s["contains"] or s["em"] or s["f1"] >= ANSWER_OK_F1):
                reasons.append("wrong_answer")
            if not s["citation_ok"] and not rec["refused"]:
                reasons.append("no_correct_citation")
    elif not retrieval_only and "refused" in rec and not rec["refused"]:
        reasons.append("should_refuse")
    return reasons


def evaluate_item(rag: AnswerPipeline, item: GoldItem, *, k: int, mode: str | None,
                  retrieval_only: bool) -> dict[str, Any]:
    """Search (and unless retrieval_only, ask) one gold item; returns its JSON-ready record."""
    rec: dict[str, Any] = {"id": item.id, "question": item.question, "answerable": item.answerable,
                           "gold_answers": list(item.answers), "evidence": list(item.evidence)}
    try:
        t0 = time.perf_counter()
        hits = rag.search(item.question, k=max(DEPTH, k), mode=mode)
        search_s = time.perf_counter() - t0
        rec["retrieval"], rec["retrieved"] = _retrieval(item, hits, k)
        if retrieval_only:
            rec["timings"] = {"retrieve_s": round(search_s, 4), "total_s": round(search_s, 4)}
        else:
            rec.update(_answer(item, rag.ask(item.question, k=k, mode=mode), rag.embedder))
    except RagError as e:  # one bad question must not end a long run; it is listed as a failure
        rec["error"] = str(e)
        rec.setdefault("retrieval", {})
    rec["failures"] = _failures(rec, k, retrieval_only)
    if rec["failures"] and rec.get("retrieved"):
        # A failed question's top-k passages keep their text, so the report can show what the
        # retriever found and where the evidence is; passing questions stay small.
        for entry, h in zip(rec["retrieved"][:k], hits, strict=False):
            entry["text"] = h.chunk.text
    return rec


# -- summary ---------------------------------------------------------------------------------
def _col(records: Sequence[dict[str, Any]], group: str, key: str) -> list[Any]:
    return [r.get(group, {}).get(key) for r in records]


def summarize(records: Sequence[dict[str, Any]], *, k: int, retrieval_only: bool, wall_s: float) -> dict[str, Any]:
    """The summary block: metric names exactly as `rag eval` documents them."""
    ans = [r for r in records if r["answerable"]]
    retrieval = {f"hit@{kk}": M.mean(_col(ans, "retrieval", f"hit@{kk}")) for kk in sorted({*HIT_KS, k})}
    for kk in sorted({*RECALL_KS, k}):
        retrieval[f"recall@{kk}"] = M.mean(_col(ans, "retrieval", f"recall@{kk}"))
    retrieval["mrr@10"] = M.mean(_col(ans, "retrieval", "mrr@10"))
    retrieval["ndcg@10"] = M.mean(_col(ans, "retrieval", "ndcg@10"))

    answered = [r for r in records if "refused" in r]
    spoken = [r for r in answered if not r["refused"]]
    answer = {key: M.mean(_col(ans, "scores", key)) for key in ("em", "f1", "contains", "semantic")}
    answer["danish_rate"] = M.mean(float(r["is_danish"]) for r in spoken)
    scored = [r for r in ans if "scores" in r]
    citation = {
        "citation_precision": M.mean(_col(scored, "scores", "citation_precision")),
        "citation_recall": M.mean(float(r["scores"]["citation_ok"]) for r in scored),
    }
    refusal: dict[str, Any] = M.refusal_scores([r["refused"] for r in answered], [r["answerable"] for r in answered])
    refusal["false_refusals"] = [r["id"] for r in answered if r["answerable"] and r["refused"]]
    if retrieval_only:
        answer = dict.fromkeys(answer)
        citation = dict.fromkeys(citation)
        refusal = {**dict.fromkeys(refusal), "false_refusals": []}

    latency: dict[str, Any] = {}
    for key in LATENCY_KEYS:
        vals = [v for v in _col(records, "timings", key) if v is not None]
        name = key.removesuffix("_s")
        latency[f"{name}_mean_s"] = M.mean(vals)
        latency[f"{name}_p50_s"] = M.percentile(vals, 50)
        latency[f"{name}_p95_s"] = M.percentile(vals, 95)
    # Tokens the model evaluated per answer that reached it (the rest came from its KV cache).
    prefill = [v for v in _col(records, "timings", "prefill_tokens") if v is not None]
    latency["prefill_tokens_mean"] = M.mean(prefill)
    latency["prefill_tokens_p95"] = M.percentile(prefill, 95)
    latency["wall_s"] = round(wall_s, 3)
    latency["seconds_per_question"] = wall_s / len(records) if records else None

    counts = {
        "items": len(records), "answerable": len(ans), "unanswerable": len(records) - len(ans),
        "answered": len(spoken), "refused": len(answered) - len(spoken),
        "errors": sum(1 for r in records if r.get("error")),
        "failed": sum(1 for r in records if r["failures"]), "k": k, "depth": max(DEPTH, k),
    }
    return {"retrieval": retrieval, "answer": answer, "citation": citation, "refusal": refusal,
            "latency": latency, "counts": counts, "answering": answering_breakdown(answered)}


def answering_breakdown(answered: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """How the answers were made and why refusals happened: counts by refusal gate (answerable
    and unanswerable apart), by strategy, and the share of answers that are short spans."""
    by_reason: dict[str, dict[str, int]] = {}
    strategies: dict[str, int] = {}
    for r in answered:
        if r["refused"]:
            gate = r.get("refusal_gate") or "unknown"
            row = by_reason.setdefault(gate, {"answerable": 0, "unanswerable": 0})
            row["answerable" if r["answerable"] else "unanswerable"] += 1
        else:
            name = r.get("strategy") or "unknown"
            strategies[name] = strategies.get(name, 0) + 1
    spoken = [r for r in answered if not r["refused"]]
    return {
        "refusals_by_reason": dict(sorted(by_reason.items(), key=lambda kv: -sum(kv[1].values()))),
        "strategies": dict(sorted(strategies.items(), key=lambda kv: -kv[1])),
        "short_span_share": M.mean(float(bool(r.get("short"))) for r in spoken),
    }


# -- reproducibility -------------------------------------------------------------------------
def _git() -> dict[str, Any]:
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    rev = git("rev-parse", "HEAD")
    status = git("status", "--porcelain", "--untracked-files=no") if rev else None
    return {"git_revision": rev, "git_dirty": bool(status) if status is not None else None}


def corpus_info(rag: AnswerPipeline) -> tuple[str | None, list[str] | None]:
    """(corpus hash, every chunk text) of the index behind `rag`, or None for what it cannot tell.

    The hash is a SHA-256 over the sorted (source, file sha256) pairs of the indexed files when the
    searcher lists them (`files()`), so equal hashes mean the same files whatever the chunking;
    otherwise it is "chunks:" + a SHA-256 over the sorted (source, start, end, text) of every chunk.
    """
    open_searcher = getattr(rag, "searcher", None)  # optional: `rag.pipeline.Rag` has one, fakes may not
    if not callable(open_searcher):
        return None, None
    searcher = open_searcher()  # a missing index fails here, once, not once per question
    files = getattr(searcher, "files", None)
    all_chunks = getattr(searcher, "all_chunks", None)
    chunks = list(all_chunks()) if callable(all_chunks) else None
    digest = None
    if callable(files):
        pairs = sorted((rec.source, rec.sha256) for rec in files().values())
        digest = hashlib.sha256(json.dumps(pairs, ensure_ascii=False).encode()).hexdigest()
    elif chunks is not None:
        rows = sorted((c.source, c.start, c.end, c.text) for c in chunks)
        digest = "chunks:" + hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()
    return digest, [c.text for c in chunks] if chunks is not None else None


def run_info(rag: AnswerPipeline, *, k: int, mode: str | None, retrieval_only: bool, gold: Sequence[GoldItem],
             corpus_hash: str | None, started: str, finished: str,
             policy: AnswerPolicy | None = None) -> dict[str, Any]:
    """How the run was made. `policy`: the answer policy used (None when retrieval-only), recorded
    because settings alone do not say which calibration file applied."""
    settings = getattr(rag, "settings", None)
    gold_hash = hashlib.sha256("".join(json.dumps(it.to_dict(), ensure_ascii=False) for it in gold).encode())
    return {
        "rag_version": __version__, **_git(),
        "settings": settings.to_dict() if settings is not None else None,
        "k": k, "mode": mode or getattr(settings, "mode", None), "retrieval_only": retrieval_only,
        "embedder": getattr(rag.embedder, "id", None),
        "model": None if retrieval_only else getattr(settings, "model", None),
        "corpus_hash": corpus_hash, "gold_hash": gold_hash.hexdigest(), "gold_items": len(gold),
        "policy": {k: v for k, v in policy.to_dict().items() if k != "warning"} if policy is not None else None,
        "started": started, "finished": finished,
    }


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _order(rec: dict[str, Any]) -> tuple[int, int]:
    return (0 if rec["failures"] else 1, -len(rec["failures"]))


def run_eval(
    rag: AnswerPipeline,
    items: Sequence[GoldItem],
    *,
    k: int = 5,
    mode: str | None = None,
    retrieval_only: bool = False,
    limit: int | None = None,
    progress: Progress | None = None,
) -> EvalResult:
    """Evaluate `items` (the first `limit` of them) against `rag`; see the module docstring."""
    items = list(items)[:limit] if limit else list(items)
    started = _now()
    warnings: list[str] = []
    corpus_hash, texts = corpus_info(rag)
    if texts is not None:
        missing = missing_evidence(items, texts)
        if missing:
            shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
            warnings.append(f"{len(missing)} gold items have evidence that does not occur in the index: {shown}. "
                            "Index the right corpus or fix their evidence quotes.")
    policy: AnswerPolicy | None = getattr(rag, "policy", None) if not retrieval_only else None
    if policy is not None and policy.warning:
        warnings.append(policy.warning)
    t0 = time.perf_counter()
    records = []
    for i, item in enumerate(items):
        records.append(evaluate_item(rag, item, k=k, mode=mode, retrieval_only=retrieval_only))
        if progress:
            progress("eval", i + 1, len(items))
    wall_s = time.perf_counter() - t0
    summary = summarize(records, k=k, retrieval_only=retrieval_only, wall_s=wall_s)
    models = {r["model"] for r in records if r.get("model")}
    run = run_info(rag, k=k, mode=mode, retrieval_only=retrieval_only, gold=items,
                   corpus_hash=corpus_hash, started=started, finished=_now(), policy=policy)
    if models:
        run["model"] = sorted(models)[0] if len(models) == 1 else sorted(models)
    records.sort(key=_order)  # stable: failures first, most reasons first, otherwise gold order
    return EvalResult(summary=summary, items=records, run=run, warnings=warnings,
                      gold_order=[it.id for it in items])
