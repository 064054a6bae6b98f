"""A self-contained HTML report of an evaluation run: one file, inline CSS, SVG and one small script.

It opens offline in any browser and can be attached to a CI run: metric bars per group, a
histogram of per-question latency, the run's reproducibility facts, and a per-question table with
failures first (the order `run_eval` already gives the items). The table sorts by any column
(click its header) and filters by text, failure kind and failed/passed; each failed question
unfolds to the passages retrieved for it, evidence quotes highlighted (`<mark>`). Without
JavaScript the table is still all there, unsorted and unfiltered. Nothing is loaded from outside
the file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rag.evaluate.baseline import Comparison
from rag.evaluate.runner import EvalResult, write_text_atomic

GROUPS = ("retrieval", "answer", "citation", "refusal")
CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2330;max-width:1400px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde;padding-bottom:4px}
.meta{color:#556;font-size:12.5px}.meta code{background:#f2f3f7;padding:1px 4px;border-radius:3px}
.grid{display:flex;flex-wrap:wrap;gap:18px}.card{border:1px solid #e1e3ea;border-radius:8px;padding:10px 14px}
.warn{background:#fff6e0;border:1px solid #f0c36d;padding:8px 12px;border-radius:6px;margin:10px 0}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border-bottom:1px solid #e6e8ee;padding:5px 6px;
text-align:left;vertical-align:top}th{background:#f5f6fa;position:sticky;top:0}
tr.fail td:first-child{border-left:4px solid #d9534f}
tr.ok td:first-child{border-left:4px solid #5cb85c}
.tag{display:inline-block;background:#fbe3e2;color:#8a1f1b;border-radius:3px;padding:0 4px;margin:1px;font-size:11px}
.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#889}
th.sortable{cursor:pointer;user-select:none}th.sortable:after{content:" ↕";color:#aab}
th[aria-sort=ascending]:after{content:" ↑";color:#334}th[aria-sort=descending]:after{content:" ↓";color:#334}
.filters{display:flex;gap:12px;align-items:center;margin:8px 0;flex-wrap:wrap}
.filters input[type=search]{padding:4px 8px;min-width:260px}
details.passages summary{cursor:pointer;color:#3a5fa0}
.passage{border-left:3px solid #dde;margin:6px 0;padding:2px 8px;white-space:pre-line;max-height:18em;overflow:auto}
.passage.rel{border-left-color:#5cb85c}.passage .pmeta{color:#667;font-size:11.5px}
mark{background:#ffe27a;padding:0 1px}
"""
SCRIPT = """
(function(){
const table=document.getElementById('questions');if(!table)return;
const heads=[...table.tHead.rows[0].cells];
function key(tb,i){const c=tb.rows[0].cells[i];const v=c.dataset.v!==undefined?c.dataset.v:c.textContent.trim();
 if(v===''||v==='n/a')return null;const n=parseFloat(v);return !isNaN(n)&&isFinite(v)?n:v.toLowerCase();}
heads.forEach((th,i)=>{th.classList.add('sortable');th.addEventListener('click',()=>{
 const asc=th.getAttribute('aria-sort')!=='ascending';heads.forEach(h=>h.removeAttribute('aria-sort'));
 th.setAttribute('aria-sort',asc?'ascending':'descending');
 const bodies=[...table.tBodies];bodies.sort((a,b)=>{const x=key(a,i),y=key(b,i);
  if(x===null||y===null)return (x===null)-(y===null);  // missing values last either way
  if(typeof x!==typeof y)return (typeof x==='number'?-1:1)*(asc?1:-1);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
 bodies.forEach(b=>table.appendChild(b));});});
const q=document.getElementById('q'),kind=document.getElementById('kind'),only=document.getElementById('only');
function apply(){const t=q.value.toLowerCase(),k=kind.value,o=only.value;let shown=0;
 for(const tb of table.tBodies){const ok=(!t||tb.textContent.toLowerCase().includes(t))
  &&(!k||(' '+tb.dataset.failures+' ').includes(' '+k+' '))&&(!o||tb.dataset.status===o);
  tb.hidden=!ok;if(ok)shown++;}
 document.getElementById('shown').textContent=shown+' of '+table.tBodies.length+' questions';}
[q,kind,only].forEach(e=>e.addEventListener('input',apply));apply();
})();
"""
PASSAGES_SHOWN = 5  # a failed question's top passages shown under it (the runner keeps the top k)
MIN_QUOTE_WORDS = 4  # the shortest piece of an evidence quote worth highlighting when a chunk cut it


def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def metric_bars(group: str, metrics: dict[str, Any]) -> str:
    """Horizontal bars for the 0–1 metrics of one summary group, as an inline SVG."""
    rows = [(name, v) for name, v in metrics.items() if not isinstance(v, list)]
    width, label_w, bar_w, row_h = 420, 150, 200, 22
    height = row_h * len(rows) + 10
    parts = [f'<svg role="img" aria-label="{_e(group)} metrics" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for i, (name, v) in enumerate(rows):
        y = 5 + i * row_h
        parts.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" font-size="12">{_e(name)}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="15" fill="#eef0f5"/>')
        if isinstance(v, (int, float)):
            w = max(0.0, min(1.0, float(v))) * bar_w
            color = "#4a7bd0" if v >= 0.5 else "#e0894a"
            parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="15" fill="{color}"/>')
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + 15}" font-size="12">{_e(_fmt(v))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(values: Sequence[float], *, label: str, bins: int = 20) -> str:
    """A histogram of `values` (seconds) as an inline SVG; a note when there is nothing to plot."""
    if not values:
        return '<p class="muted">No latency recorded.</p>'
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, int((v - lo) / span * bins))] += 1
    width, height, pad_l, pad_b, pad_t, pad_r = 560, 220, 40, 34, 10, 14
    plot_w, plot_h = width - pad_l - pad_r, height - pad_b - pad_t
    top = max(counts)
    bar_w = plot_w / bins
    parts = [f'<svg role="img" aria-label="{_e(label)} histogram" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">',
             f'<line x1="{pad_l}" y1="{pad_t + plot_h}" x2="{pad_l + plot_w}" y2="{pad_t + plot_h}" stroke="#889"/>',
             f'<text x="{pad_l - 6}" y="{pad_t + 10}" text-anchor="end" font-size="11">{top}</text>',
             f'<text x="{pad_l - 6}" y="{pad_t + plot_h}" text-anchor="end" font-size="11">0</text>']
    for i, c in enumerate(counts):
        h = plot_h * c / top
        parts.append(f'<rect x="{pad_l + i * bar_w + 1:.1f}" y="{pad_t + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                     f'height="{h:.1f}" fill="#4a7bd0"><title>{c}</title></rect>')
    # The end labels are anchored inwards, so the last one is not cut off by the picture's edge.
    for frac, anchor in ((0.0, "start"), (0.5, "middle"), (1.0, "end")):
        x = pad_l + frac * plot_w
        parts.append(f'<text x="{x:.1f}" y="{pad_t + plot_h + 14}" text-anchor="{anchor}" font-size="11">'
                     f'{lo + frac * span:.2f}</text>')
    parts.append(f'<text x="{pad_l + plot_w / 2:.1f}" y="{height - 4}" text-anchor="middle" font-size="12">'
                 f'{_e(label)} (seconds, {len(values)} questions)</text></svg>')
    return "".join(parts)


def highlight(text: str, quotes: Sequence[str]) -> str:
    """`text` escaped for HTML, with each evidence quote found in it wrapped in `<mark>`.

    A quote matches across any run of spaces and punctuation, ignoring case (as the evidence match
    does); a quote that a chunk boundary cut is marked where its longest leading or trailing piece
    of at least `MIN_QUOTE_WORDS` words occurs."""
    spans: list[tuple[int, int]] = []
    for quote in quotes:
        words = re.findall(r"\w+", quote)
        for size in range(len(words), min(MIN_QUOTE_WORDS, len(words)) - 1, -1):
            pieces = [words] if size == len(words) else [words[:size], words[-size:]]
            found = next((m for piece in pieces if (m := re.search(
                r"\b" + r"\W+".join(re.escape(w) for w in piece) + r"\b", text, re.IGNORECASE))), None)
            if found:
                spans.append(found.span())
                break
    spans.sort()
    out, pos = [], 0
    for start, end in spans:
        start = max(start, pos)
        if start >= end:
            continue
        out.append(html.escape(text[pos:start]) + "<mark>" + html.escape(text[start:end]) + "</mark>")
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def _passages(rec: dict[str, Any]) -> str:
    shown = [p for p in rec.get("retrieved", []) if "text" in p][:PASSAGES_SHOWN]
    if not shown:
        return ""
    evidence = rec.get("evidence", [])
    cited = {c.get("chunk_id"): c.get("n") for c in rec.get("citations") or []}
    blocks = []
    for p in shown:
        relevant = bool(p.get("evidence"))
        cite = f" · cited [{cited[p.get('chunk_id')]}]" if p.get("chunk_id") in cited else ""
        blocks.append(
            f'<div class="passage{" rel" if relevant else ""}"><span class="pmeta">#{_e(p.get("rank"))} · '
            f'{_e(p.get("source"))}:{_e(p.get("start"))}–{_e(p.get("end"))} · score {_e(_fmt(p.get("score")))}'
            f'{" · holds the evidence" if relevant else ""}{_e(cite)}</span>\n{highlight(p["text"], evidence)}</div>')
    return (f'<details class="passages"><summary>Retrieved passages ({len(shown)}), evidence marked</summary>'
            + "".join(blocks) + "</details>")


def _row(rec: dict[str, Any], columns: int) -> str:
    """One question as its own <tbody> (its row, and for a failure the passages under it), so the
    script can sort and hide whole questions."""
    scores = rec.get("scores", {})
    cites = rec.get("citations")
    cite_txt = "" if cites is None else f"{sum(c['correct'] for c in cites)}/{len(cites)}"
    answer = rec.get("error") or rec.get("answer", "")
    tags = "".join(f'<span class="tag">{_e(f)}</span>' for f in rec["failures"])
    timings = rec.get("timings", {})
    hit_rank = rec.get("retrieval", {}).get("hit_rank")
    cells = [
        f"{_e(rec['id'])}<br>{tags}",
        _e(rec["question"]),
        _e(" | ".join(rec["gold_answers"])) if rec["answerable"] else '<span class="muted">(unanswerable)</span>',
        _e(answer),
        _fmt(rec.get("refused")) + (f" ({_e(rec['refusal_gate'])})" if rec.get("refused") and rec.get("refusal_gate")
                                    else ""),
        _fmt(hit_rank),
        cite_txt,
        _fmt(scores.get("f1"), 2),
        _fmt(timings.get("total_s"), 2),
    ]
    # Sort keys: a missing hit rank sorts after every real rank.
    sort_values = {5: "" if rec.get("refused") is None else str(int(bool(rec.get("refused")))),
                   6: "999" if hit_rank is None else str(hit_rank)}
    tds = "".join(
        (f'<td class="num" data-v="{_e(sort_values[i])}">{c}</td>' if i in sort_values else
         f'<td class="num">{c}</td>' if i >= 5 else f"<td>{c}</td>")
        for i, c in enumerate(cells, start=1))
    klass = "fail" if rec["failures"] else "ok"
    detail = _passages(rec) if rec["failures"] else ""
    detail_row = f'<tr class="detail"><td colspan="{columns}">{detail}</td></tr>' if detail else ""
    return (f'<tbody data-status="{klass}" data-failures="{_e(" ".join(rec["failures"]))}">'
            f'<tr class="{klass}">{tds}</tr>{detail_row}</tbody>')


def _filters(items: Sequence[dict[str, Any]]) -> str:
    kinds = sorted({f for r in items for f in r["failures"]})
    options = "".join(f'<option value="{_e(k)}">{_e(k)}</option>' for k in kinds)
    return ('<div class="filters"><input type="search" id="q" placeholder="Filter: id, question, answer, passage…">'
            f'<select id="kind"><option value="">any failure kind</option>{options}</select>'
            '<select id="only"><option value="">failed and passed</option><option value="fail">failed only</option>'
            '<option value="ok">passed only</option></select><span id="shown" class="muted"></span></div>')


def comparison_html(comparison: Comparison | None, baseline_name: str = "") -> str:
    """The --baseline comparison as a table (gated metrics first, as the terminal prints it), or ""."""
    if comparison is None:
        return ""
    rows = []
    for r in comparison.rows:
        if r.current is None and r.baseline is None:
            continue
        status = "regressed" if r.regressed else ("" if r.gated else "info")
        ci = "" if r.ci is None else f"[{r.ci[0]:+.3f}, {r.ci[1]:+.3f}]"
        delta = "" if r.delta is None else f"{r.delta:+.3f}"
        cls = ' class="fail"' if r.regressed else ""
        rows.append(f"<tr{cls}><td>{_e(r.group)}</td><td>{_e(r.metric)}</td><td class='num'>{_e(_fmt(r.current))}</td>"
                    f"<td class='num'>{_e(_fmt(r.baseline))}</td><td class='num'>{_e(delta)}</td>"
                    f"<td class='num'>{_e(ci)}</td><td>{_e(r.verdict)}</td><td>{_e(status)}</td></tr>")
    notes = "".join(f"<li>{_e(n)}</li>" for n in comparison.notes)
    verdict = (f"<p class='warn'>Regressed beyond the tolerance {comparison.tolerance}: "
               f"{_e(', '.join(f'{r.group}.{r.metric}' for r in comparison.regressions))}</p>"
               if comparison.regressed else f"<p>No metric dropped more than {comparison.tolerance}.</p>")
    return (f"<h2>Compared with the baseline {_e(baseline_name)}</h2>{verdict}"
            f"{'<ul>' + notes + '</ul>' if notes else ''}"
            "<table id='baseline'><thead><tr><th>group</th><th>metric</th><th>now</th><th>baseline</th>"
            "<th>change</th><th>95% CI (paired)</th><th>reading</th><th>status</th></tr></thead>"
            f"{''.join(rows)}</table>")


def render_html(result: EvalResult, comparison: Comparison | None = None, baseline_name: str = "") -> str:
    """The whole report as one HTML string (with the --baseline comparison when given)."""
    s, run = result.summary, result.run
    counts = s.get("counts", {})
    meta = [("items", counts.get("items")), ("failed", counts.get("failed")), ("k", run.get("k")),
            ("mode", run.get("mode")), ("model", run.get("model")), ("embedder", run.get("embedder")),
            ("corpus", (run.get("corpus_hash") or "")[:12] or None),
            ("git", (run.get("git_revision") or "")[:10] + (" (dirty)" if run.get("git_dirty") else "") or None),
            ("rag", run.get("rag_version")), ("started", run.get("started"))]
    meta_html = " · ".join(f"{_e(k)} <code>{_e(_fmt(v))}</code>" for k, v in meta)
    warnings = "".join(f'<div class="warn">{_e(w)}</div>' for w in result.warnings)
    bars = "".join(f'<div class="card"><b>{_e(g)}</b><br>{metric_bars(g, s.get(g, {}))}</div>'
                   for g in GROUPS if any(v is not None and not isinstance(v, list) for v in s.get(g, {}).values()))
    false_refusals = s.get("refusal", {}).get("false_refusals") or []
    fr_html = (f"<p>False refusals ({len(false_refusals)}): {_e(', '.join(false_refusals))}</p>"
               if false_refusals else "")
    answering = s.get("answering") or {}
    reason_rows = "".join(
        f"<tr><td>{_e(g)}</td><td class='num'>{_e(row.get('answerable', 0))}</td>"
        f"<td class='num'>{_e(row.get('unanswerable', 0))}</td></tr>"
        for g, row in (answering.get("refusals_by_reason") or {}).items())
    strategies = ", ".join(f"{_e(k)} {_e(v)}" for k, v in (answering.get("strategies") or {}).items())
    answering_html = (
        "<h2>Refusals by reason</h2><table id='refusals'><thead><tr><th>gate</th><th>answerable</th>"
        f"<th>unanswerable</th></tr></thead>{reason_rows}</table>"
        f"<p>Answers by strategy: {strategies or 'none'}; short spans: "
        f"{_e(_fmt(answering.get('short_span_share')))} of answers.</p>"
    ) if answering else ""
    key = "retrieve_s" if run.get("retrieval_only") else "total_s"
    lat_vals = [r["timings"][key] for r in result.items if isinstance(r.get("timings", {}).get(key), (int, float))]
    lat_rows = "".join(f"<tr><td>{_e(k)}</td><td class='num'>{_e(_fmt(v))}</td></tr>"
                       for k, v in s.get("latency", {}).items() if isinstance(v, (int, float)) or v is None)
    columns = ("id", "question", "gold", "answer", "refused", "hit rank", "citations ok", "F1", "total s")
    head = "".join(f"<th>{h}</th>" for h in columns)
    rows = "\n".join(_row(r, len(columns)) for r in result.items)
    return f"""<!DOCTYPE html>
<html lang="da"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>rag eval report</title><style>{CSS}</style></head>
<body>
<h1>rag eval report</h1>
<p class="meta">{meta_html}</p>
{warnings}
<h2>Metrics</h2>
<div class="grid">{bars or '<p class="muted">No metrics.</p>'}</div>
{fr_html}
{comparison_html(comparison, baseline_name)}
{answering_html}
<h2>Latency</h2>
<div class="grid"><div class="card">{histogram(lat_vals, label=key)}</div>
<div class="card"><table>{lat_rows}</table></div></div>
<h2>Questions (failures first; click a column to sort)</h2>
{_filters(result.items)}
<table id="questions"><thead><tr>{head}</tr></thead>
{rows}
</table>
<script>{SCRIPT}</script>
</body></html>
"""


def write_html_report(result: EvalResult, path: str | Path, comparison: Comparison | None = None,
                      baseline_name: str = "") -> None:
    """Write the report atomically to `path`."""
    write_text_atomic(Path(path), render_html(result, comparison, baseline_name))

