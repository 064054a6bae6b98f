"""Does a chat model know when the excerpts don't answer? Probe its own signals on real questions.

    python eval/answerability/reader_probe.py OUT.jsonl --index DIR --gold GOLD.jsonl
        [--sample 200 --seed 0] [--ids FILE] [--model qwen2.5-coder-1.5b]

Each question goes through the real `Rag.ask` (gates, evidence-focused prompt, the chat model's
answer). On each chat generation it records, by re-evaluating the answer token by token in the
model's KV cache: the probability of the answer's first token and the log-probability of every
answer token; then, with the answer as the assistant's turn, a follow-up user turn per `PROBES`
("does the excerpt answer exactly this question?") and the model's next-token probability of
yes vs no. Appends one JSON line per question (resumable). An experiment, not part of rag: it
reaches into llama-cpp-python's context (`_ctx`, `_n_vocab`) for the logits, which its completion
API keeps only with `logits_all`. Results: REPORT.md, "Negative results".
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from rag.answer.generators import GeneratorProxy, _common_prefix, load_generator
from rag.config import Settings
from rag.evaluate.gold import load_gold, sample_items
from rag.pipeline import Rag

PROBES = {
    "found": ("Står svaret på spørgsmålet i uddragene? Svar kun ja eller nej.", "da"),
    "detail": ("Passer alle detaljer i spørgsmålet (navne, tal, årstal, steder og om det er nægtet) med det, "
               "uddraget siger? Svar kun ja eller nej.", "da"),
    "en": ("Does the excerpt state the answer to exactly this question, with the same names, numbers and "
           "dates? Answer only yes or no.", "en"),
}


def logsumexp(row):
    m = float(row.max())
    return m + math.log(float(np.exp(row - m).sum()))


def last(llm):
    return np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm._n_vocab,)).astype(np.float64)


class Probe(GeneratorProxy):
    def __init__(self, inner):
        super().__init__(inner)
        self.records = []
        llm = inner._llm

        def tok(ws):
            return sorted({llm.tokenize(w.encode(), add_bos=False, special=False)[0] for w in ws})
        self.words = {"da": (tok(("Ja", "ja", "JA")), tok(("Nej", "nej", "NEJ"))),
                      "en": (tok(("Yes", "yes", "YES")), tok(("No", "no", "NO")))}

    def stream(self, prompt, *, max_tokens, stop=(), temperature=0.0):
        text = ""
        for piece in self.inner.stream(prompt, max_tokens=max_tokens, stop=stop, temperature=temperature):
            text += piece
            yield piece
        if not prompt.is_chat:
            return
        g = self.inner
        llm = g._llm
        tokens, _, _ = g._format(prompt.messages)
        n = llm.n_tokens
        ids = llm.input_ids[:n].tolist()
        P = len(tokens)
        rec = {"n_call": len(self.records), "answer": text, "user": prompt.messages[-1]["content"][-300:]}
        if ids[:P] == tokens:
            ans = ids[P:]
            llm.n_tokens = P - 1
            llm._ctx.kv_cache_seq_rm(-1, P - 1, -1)
            lps = []
            for i, t in enumerate([tokens[P - 1], *ans]):
                llm.eval([t])
                row = last(llm)
                lse = logsumexp(row)
                if i == 0:
                    p = np.exp(row - lse)
                    rec["first_p"] = float(p.max())
                    rec["first_ent"] = float(-(p[p > 0] * np.log(p[p > 0])).sum())
                if i < len(ans):
                    lps.append(float(row[ans[i]] - lse))
            rec["lps"] = lps
        for name, (q, lang) in PROBES.items():
            yes, no = self.words[lang]
            msgs = [*prompt.messages, {"role": "assistant", "content": text.strip()}, {"role": "user", "content": q}]
            t2, _, _ = g._format(msgs)
            cur = llm.input_ids[: llm.n_tokens].tolist()
            common = min(_common_prefix(cur, t2), len(t2) - 1)
            llm.n_tokens = common
            llm._ctx.kv_cache_seq_rm(-1, common, -1)
            llm.eval(t2[common:])
            row = last(llm)
            lse = logsumexp(row)
            py = float(np.exp(row[yes] - lse).sum())
            pn = float(np.exp(row[no] - lse).sum())
            rec[name] = [py, pn]
        self.records.append(rec)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--index", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ids", default="")
    ap.add_argument("--model", default="qwen2.5-coder-1.5b")
    args = ap.parse_args()
    items = load_gold(args.gold)
    if args.sample:
        items = sample_items(items, args.sample, args.seed)
    if args.ids:
        keep = set(Path(args.ids).read_text().split())
        items = [it for it in items if it.id in keep]
    out = Path(args.out)
    done = set()
    if out.exists():
        done = {json.loads(line)["id"] for line in out.read_text().splitlines() if line.strip()}
    settings = Settings(index_dir=Path(args.index), model=args.model)
    probe = Probe(load_generator(settings))
    rag = Rag(settings, generator=probe)
    with out.open("a") as fh:
        for it in items:
            if it.id in done:
                continue
            probe.records = []
            t = time.perf_counter()
            a = rag.ask(it.question)
            fh.write(json.dumps({"id": it.id, "question": it.question, "answerable": it.answerable,
                                 "answers": list(it.answers), "text": a.text, "refused": a.refused,
                                 "gate": a.refusal_gate, "strategy": a.strategy, "s": time.perf_counter() - t,
                                 "probes": probe.records}, ensure_ascii=False) + "\n")
            fh.flush()


if __name__ == "__main__":
    main()
