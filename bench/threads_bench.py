"""Which `threads` setting is fastest here: prefill and decode speed of the generator at 1, 2, … threads.

Each setting loads the model once and runs the same chat prompt (a system message, five short
excerpts, a question) `REPEAT` times with an empty KV cache, interleaved across settings so a
burst of load from other processes hits every setting alike. Prints tokens/s and each setting's
speed relative to all cores. `BENCH_MODEL=NAME` picks the model.
"""

from __future__ import annotations

import os
import statistics
import time

from rag.answer.generators import LlamaCppGenerator, resolve_model
from rag.config import Settings
from rag.models import model_home
from rag.protocols import Prompt

from common import table

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
EXCERPT = ("Sorø Kommune har omkring 30.000 indbyggere, og borgmester er Gert Jørgensen. "
           "Kommunen blev dannet ved kommunalreformen i 2007.")
PROMPT = Prompt(messages=(
    {"role": "system", "content": "Du besvarer spørgsmål på dansk ud fra nummererede uddrag. Svar med få ord og "
                                  "skriv uddragets nummer i firkantede parenteser, fx [1]."},
    {"role": "user", "content": "Uddrag:\n" + "\n".join(f"[{n}] {EXCERPT}" for n in range(1, 6))
                                + "\n\nSpørgsmål: Hvem er borgmester i Sorø Kommune?"},
))


def main() -> None:
    settings = Settings(model=os.environ.get("BENCH_MODEL", "gemma3-270m"))
    path = resolve_model(settings.model, settings.models_dir, model_home(settings))
    counts = list(range(1, (os.cpu_count() or 1) + 1))
    gens = {t: LlamaCppGenerator(path, threads=t, prefix_cache=None) for t in counts}
    prompt = PROMPT if next(iter(gens.values())).has_chat_template else Prompt(
        text=PROMPT.messages[1]["content"] + "\nSvar:")
    prefill: dict[int, list[float]] = {t: [] for t in counts}
    decode: dict[int, list[float]] = {t: [] for t in counts}
    for _ in range(REPEAT):
        for t, gen in gens.items():
            gen._llm.reset()
            start = time.perf_counter()
            first = None
            pieces = 0
            for _piece in gen.stream(prompt, max_tokens=32, stop=["\n\n"]):
                first = first or time.perf_counter()
                pieces += 1
            end = time.perf_counter()
            prefill[t].append(gen.last_prefill_tokens / ((first or end) - start))
            if pieces > 1 and first:
                decode[t].append((pieces - 1) / (end - first))
    base = statistics.median(prefill[counts[-1]])
    rows = []
    for t in counts:
        p = statistics.median(prefill[t])
        d = statistics.median(decode[t]) if decode[t] else float("nan")
        rows.append((f"threads={t}" + (" (all cores)" if t == counts[-1] else ""),
                     f"prefill {p:6.1f} tok/s ({p / base:.2f}x of all cores), decode {d:5.1f} tok/s"))
    table(f"Generator threads ({path.name}, {os.cpu_count()} cores, median of {REPEAT})", rows)


if __name__ == "__main__":
    main()
