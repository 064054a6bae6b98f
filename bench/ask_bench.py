"""Answering benchmark: `rag ask` cold and warm, time to first token, tokens/s, and the same prompt
through raw llama-cpp-python (the ratio is rag's overhead around the model). Also shows, with
`python -X importtime`, that `rag --help` imports no torch.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rag.config import Settings
from rag.pipeline import Rag
from rag.protocols import Generator, Prompt

from common import QUESTIONS, RAG, ROOT, run_child, table


class Recording:
    """Passes calls through to a real generator and remembers the exact prompts it was given."""

    def __init__(self, inner: Generator) -> None:
        self.inner = inner
        self.id = inner.id
        self.context_tokens = inner.context_tokens
        self.has_chat_template = inner.has_chat_template
        self.calls: list[tuple[Prompt, dict[str, Any]]] = []

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def stream(self, prompt: Prompt, **kwargs: Any) -> Iterator[str]:
        self.calls.append((prompt, kwargs))
        yield from self.inner.stream(prompt, **kwargs)


def raw_llama(settings: Settings, prompt: Prompt, kwargs: dict[str, Any]) -> tuple[float, float, int]:
    """(ttft, total, completion tokens) for the identical prompt through llama-cpp-python directly."""
    import os

    from llama_cpp import Llama

    from rag.answer.generators import resolve_model

    path = resolve_model(settings.model, settings.models_dir)
    llm = Llama(str(path), n_ctx=settings.n_ctx, n_threads=settings.threads or os.cpu_count(),
                seed=settings.seed, verbose=False)
    ttfts, totals, n_tokens = [], [], 0
    for _ in range(3):
        t0 = time.perf_counter()
        first = None
        pieces = []
        if prompt.is_chat:
            stream = llm.create_chat_completion(messages=list(prompt.messages), stream=True,
                                                max_tokens=kwargs["max_tokens"], stop=list(kwargs.get("stop", ())),
                                                temperature=kwargs.get("temperature", 0.0))
            for part in stream:
                piece = part["choices"][0]["delta"].get("content") or ""
                first = first or time.perf_counter()
                pieces.append(piece)
        else:
            stream = llm.create_completion(prompt.text, stream=True, max_tokens=kwargs["max_tokens"],
                                           stop=list(kwargs.get("stop", ())),
                                           temperature=kwargs.get("temperature", 0.0))
            for part in stream:
                first = first or time.perf_counter()
                pieces.append(part["choices"][0]["text"])
        totals.append(time.perf_counter() - t0)
        ttfts.append((first or time.perf_counter()) - t0)
        n_tokens = len(llm.tokenize("".join(pieces).encode(), add_bos=False))
    return statistics.median(ttfts), statistics.median(totals), n_tokens


def main() -> None:
    with tempfile.TemporaryDirectory() as t:
        index_dir = Path(t) / "index"
        settings = Settings(index_dir=index_dir)
        subprocess.run([*RAG, "index", "seeds", "--index", str(index_dir)], cwd=ROOT, check=True,
                       capture_output=True)

        cold = [run_child([*RAG, "ask", q, "--index", str(index_dir), "--json"]) for q in QUESTIONS[:2]]

        rag = Rag(settings)
        recorder = Recording(rag.generator)
        rag = Rag(settings, embedder=rag.embedder, generator=recorder)
        rag.ask(QUESTIONS[0])  # warm-up: first call pays for lazy loading
        answers = [rag.ask(q) for q in QUESTIONS]
        generated = [a for a in answers if "ttft_s" in a.timings and not a.refused]
        rows = [
            ("rag ask, cold process", f"{statistics.median(w for w, _, _ in cold):.2f} s "
                                      f"(peak RSS {max(r for _, r, _ in cold):.0f} MB)"),
            ("rag ask, warm (in-process)", f"{statistics.median(a.timings['total_s'] for a in answers):.2f} s "
                                           f"median over {len(answers)} questions"),
            ("  retrieve", f"{statistics.median(a.timings['retrieve_s'] for a in answers) * 1000:.0f} ms"),
        ]
        if generated:
            tokens = [rag.generator.count_tokens(a.text) for a in generated]
            gen_s = [a.timings["generate_s"] for a in generated]
            rows += [
                ("  time to first token", f"{statistics.median(a.timings['ttft_s'] for a in generated):.3f} s"),
                ("  tokens/s (answer tokens / generate_s)", f"{sum(tokens) / sum(gen_s):.1f}"),
            ]
        if recorder.calls:
            prompt, kwargs = recorder.calls[1] if len(recorder.calls) > 1 else recorder.calls[0]
            ttft, total, n = raw_llama(settings, prompt, kwargs)
            ours = next(a for a in answers if a.question == QUESTIONS[0])
            rows += [
                ("raw llama-cpp, identical prompt", f"ttft {ttft:.3f} s, total {total:.2f} s, {n} tokens, "
                                                    f"{n / max(total - ttft, 1e-9):.1f} tok/s"),
                ("ratio rag generate / raw total", f"{ours.timings.get('generate_s', 0) / total:.2f}x"),
            ]
        table("Answering (bundled gemma-3-270m, seeds/)", rows)

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
