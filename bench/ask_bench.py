"""Answering benchmark: `rag ask` cold and warm, time to first token, tokens/s, prefill tokens, and
the same prompt through raw llama-cpp-python (the ratio is rag's overhead around the model). Also
shows, with `python -X importtime`, that `rag --help` imports no torch.

Cold ratio: for each question that reaches the model, `rag ask` in a fresh process against a fresh
process that imports llama-cpp-python, loads the same GGUF with the same settings and runs the
identical prompt (recorded from rag) through `create_chat_completion` / `create_completion`. Both
are measured in the same run, alternating. rag's cold figure is shown with what it keeps on disk
(the prefix state and the sentence vectors beside the index: the normal case after the first
questions) and without either (`RAG_PREFIX_CACHE=0`, the sentence vector cache deleted).
`BENCH_MODEL=NAME` picks the model (default: the configured one); `BENCH_COLD=N` compares N questions
cold (default 3); `BENCH_QUICK=1` measures only that cold comparison (for a slow model on a busy machine).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from rag.answer.generators import GeneratorProxy, LlamaCppGenerator
from rag.answer.vector_cache import FILE_NAME as VECTOR_CACHE
from rag.config import Settings
from rag.pipeline import Rag
from rag.protocols import Generator, Prompt

from common import QUESTIONS, RAG, ROOT, run_child, table


class Recording(GeneratorProxy):
    """Passes calls through to a real generator and remembers the exact prompts it was given."""

    def __init__(self, inner: Generator) -> None:
        super().__init__(inner)
        self.calls: list[tuple[Prompt, dict[str, Any]]] = []
        self.pieces = 0  # streamed pieces: llama-cpp yields one per generated token

    def stream(self, prompt: Prompt, **kwargs: Any) -> Iterator[str]:
        self.calls.append((prompt, kwargs))
        for piece in self.inner.stream(prompt, **kwargs):
            self.pieces += 1
            yield piece


def time_stream(pieces: Callable[[], Iterator[str]], reset: Callable[[], None], repeat: int = 3) -> tuple[float, float]:
    """Median (time to first piece, total) with the KV cache emptied before each run."""
    ttfts, totals = [], []
    for _ in range(repeat):
        reset()  # no prefix reuse between repeats: both sides pay for the whole prompt
        t0 = time.perf_counter()
        first = None
        for _piece in pieces():
            first = first or time.perf_counter()
        totals.append(time.perf_counter() - t0)
        ttfts.append((first or time.perf_counter()) - t0)
    return statistics.median(ttfts), statistics.median(totals)


def raw_llama(settings: Settings, prompt: Prompt, kwargs: dict[str, Any]) -> tuple[float, float]:
    """The identical prompt through llama-cpp-python directly, loaded with the same settings."""
    from llama_cpp import Llama

    from rag.answer.generators import auto_threads, resolve_model
    from rag.models import model_home

    path = resolve_model(settings.model, settings.models_dir, model_home(settings))
    llm = Llama(str(path), n_ctx=settings.n_ctx, n_threads=settings.threads or auto_threads(),
                n_threads_batch=settings.threads or auto_threads(),
                seed=settings.seed, verbose=False)
    common = {"stream": True, "max_tokens": kwargs["max_tokens"], "stop": list(kwargs.get("stop", ())),
              "temperature": kwargs.get("temperature", 0.0)}

    def pieces() -> Iterator[str]:
        if prompt.is_chat:
            for part in llm.create_chat_completion(messages=list(prompt.messages), **common):
                yield part["choices"][0]["delta"].get("content") or ""
        else:
            for part in llm.create_completion(prompt.text, **common):
                yield part["choices"][0]["text"]

    return time_stream(pieces, llm.reset)


RAW_CHILD = """
import json, sys
from llama_cpp import Llama
spec = json.load(open(sys.argv[1]))
llm = Llama(spec["model"], n_ctx=spec["n_ctx"], n_threads=spec["threads"], n_threads_batch=spec["threads"],
            seed=spec["seed"], verbose=False)
kw = dict(stream=True, max_tokens=spec["max_tokens"], stop=spec["stop"], temperature=spec["temperature"])
if spec["messages"]:
    for part in llm.create_chat_completion(messages=spec["messages"], **kw):
        pass
else:
    for part in llm.create_completion(spec["text"], **kw):
        pass
"""


def cold_pair(settings: Settings, index_dir: Path, question: str, prompt: Prompt, kwargs: dict[str, Any],
              folder: Path) -> tuple[float, float, float]:
    """(rag ask with its prefix state on disk, rag ask without, raw llama-cpp) wall seconds, fresh processes."""
    from rag.answer.generators import auto_threads, resolve_model
    from rag.models import model_home

    spec = {"model": str(resolve_model(settings.model, settings.models_dir, model_home(settings))),
            "n_ctx": settings.n_ctx, "threads": settings.threads or auto_threads(), "seed": settings.seed,
            "messages": list(prompt.messages), "text": prompt.text, "max_tokens": kwargs["max_tokens"],
            "stop": list(kwargs.get("stop", ())), "temperature": kwargs.get("temperature", 0.0)}
    spec_file = folder / "prompt.json"
    spec_file.write_text(json.dumps(spec, ensure_ascii=False))
    ask = [*RAG, "ask", question, "--index", str(index_dir), "--model", settings.model, "--json"]
    with_cache, _, _ = run_child(ask)
    for f in index_dir.glob(f"{VECTOR_CACHE}*"):  # as if no question had been asked of this index yet
        f.unlink()
    without_cache, _, _ = run_child(ask, env={"RAG_PREFIX_CACHE": "0"})
    raw, _, _ = run_child([sys.executable, "-c", RAW_CHILD, str(spec_file)])
    return with_cache, without_cache, raw


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        index_dir = Path(t) / "index"
        settings = Settings(index_dir=index_dir, model=os.environ.get("BENCH_MODEL", Settings().model))
        subprocess.run([*RAG, "index", "seeds", "--index", str(index_dir)], cwd=ROOT, check=True,
                       capture_output=True)

        quick = os.environ.get("BENCH_QUICK") == "1"
        cold = [run_child([*RAG, "ask", q, "--index", str(index_dir), "--model", settings.model, "--json"])
                for q in ([] if quick else QUESTIONS[:2])]

        rag = Rag(settings)
        recorder = Recording(rag.generator)
        rag = Rag(settings, embedder=rag.embedder, generator=recorder)
        rag.ask(QUESTIONS[0])  # warm-up: first call pays for lazy loading
        recorder.pieces = 0
        prompts: dict[str, tuple[Prompt, dict[str, Any]]] = {}
        answers = []
        for q in QUESTIONS[:int(os.environ.get("BENCH_COLD", "3"))] if quick else QUESTIONS:
            before = len(recorder.calls)
            answers.append(rag.ask(q))
            if len(recorder.calls) > before:
                prompts[q] = recorder.calls[-1]
        generated = [a for a in answers if a.timings.get("generate_s")]
        rows = [
            ("rag ask, cold process", f"{statistics.median(w for w, _, _ in cold):.2f} s "
                                      f"(peak RSS {max(r for _, r, _ in cold):.0f} MB)"),
        ] if cold else []
        rows += [
            ("rag ask, warm (in-process)", f"{statistics.median(a.timings['total_s'] for a in answers):.2f} s "
                                           f"median over {len(answers)} questions"),
            ("  retrieve", f"{statistics.median(a.timings['retrieve_s'] for a in answers) * 1000:.0f} ms"),
        ]
        if generated:
            decode_s = sum(a.timings["generate_s"] - a.timings["ttft_s"] for a in generated)
            rows += [
                ("  time to first token", f"{statistics.median(a.timings['ttft_s'] for a in generated):.3f} s"),
                ("  generated tokens/s (after the first)", f"{recorder.pieces / max(decode_s, 1e-9):.1f}"),
                ("  prefill tokens per answer (median)",
                 f"{statistics.median(a.timings.get('prefill_tokens', 0) for a in generated):.0f} "
                 f"of {statistics.median(a.timings.get('prompt_tokens', 0) for a in generated):.0f} prompt tokens"),
            ]
        if recorder.calls and not quick:
            prompt, kwargs = recorder.calls[0]
            inner = recorder.inner
            assert isinstance(inner, LlamaCppGenerator)  # what Rag loads (load_generator); its KV cache is reset below
            inner._prefix_cache = None  # empty means empty: no prefix state loaded from disk either
            ours_ttft, ours_total = time_stream(lambda: inner.stream(prompt, **kwargs), inner._llm.reset)
            raw_ttft, raw_total = raw_llama(settings, prompt, kwargs)
            rows += [
                ("identical prompt, empty KV cache:", ""),
                ("  rag generator", f"ttft {ours_ttft:.3f} s, total {ours_total:.3f} s"),
                ("  raw llama-cpp-python", f"ttft {raw_ttft:.3f} s, total {raw_total:.3f} s"),
                ("  ratio rag / raw (total)", f"{ours_total / raw_total:.2f}x"),
            ]
        if prompts:
            n_cold = int(os.environ.get("BENCH_COLD", "3"))
            trios = [cold_pair(settings, index_dir, q, p, kw, Path(t)) for q, (p, kw) in list(prompts.items())[:n_cold]]
            ours, nocache, raw = (statistics.median(x[i] for x in trios) for i in range(3))
            rows += [
                (f"cold process, same question and prompt (median of {len(trios)}):", ""),
                ("  rag ask (prefix state and sentence vectors on disk)", f"{ours:.2f} s"),
                ("  rag ask (neither: RAG_PREFIX_CACHE=0, no vector cache)", f"{nocache:.2f} s"),
                ("  raw llama-cpp-python, same prompt", f"{raw:.2f} s"),
                ("  ratio cold rag ask / raw", f"{ours / raw:.2f}x (with neither {nocache / raw:.2f}x)"),
            ]
        table(f"Answering ({settings.model}, seeds/; warm asks reuse the KV cache of the fixed prefix)", rows)

    if os.environ.get("BENCH_QUICK") == "1":
        return
    imports = subprocess.run([sys.executable, "-X", "importtime", "-c", "import rag.cli"],
                             capture_output=True, text=True, cwd=ROOT).stderr
    heavy = sorted({line.split("|")[-1].strip().split(".")[0] for line in imports.splitlines()
                    if line.split("|")[-1].strip().split(".")[0] in {"torch", "sentence_transformers",
                                                                      "llama_cpp", "faiss", "numpy"}})
    help_wall, _, _ = run_child([*RAG, "--help"])
    table("Start-up", [("rag --help", f"{help_wall:.2f} s"),
                       ("heavy modules imported by rag.cli", ", ".join(heavy) or "none (no torch)")])


if __name__ == "__main__":
    main()
