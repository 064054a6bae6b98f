"""Compare an evaluation summary with a baseline: the regression gate behind `rag eval --baseline`.

Every numeric metric in the retrieval, answer, citation and refusal groups is higher-is-better
and regresses when `current < baseline - tolerance` (an absolute tolerance, default 0.02).
Latency is compared and shown but never gates: timings depend on the machine and its load, so a
CI gate on them would fail for reasons that are not regressions. Counts are shown for context.
A metric missing on either side, or None (undefined for that run), is shown and does not gate.
When the two runs differ in what they measured (number of items, k, retrieval depth), `notes`
says so: the deltas are then not like for like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

GATED = ("retrieval", "answer", "citation", "refusal")
INFORMATIONAL = ("latency", "counts")


@dataclass(frozen=True)
class Row:
    group: str
    metric: str
    current: float | None
    baseline: float | None
    delta: float | None
    regressed: bool
    gated: bool


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Row, ...]
    tolerance: float
    notes: tuple[str, ...] = ()

    @property
    def regressed(self) -> bool:
        return any(r.regressed for r in self.rows)

    @property
    def regressions(self) -> list[Row]:
        return [r for r in self.rows if r.regressed]


def _number(value: Any) -> float | None:
    return None if isinstance(value, bool) or not isinstance(value, (int, float)) else value


def _notes(current: dict[str, Any], baseline: dict[str, Any]) -> tuple[str, ...]:
    cur, base = current.get("counts") or {}, baseline.get("counts") or {}
    return tuple(
        f"the runs differ in {key} (current {cur[key]}, baseline {base[key]}): the comparison is not like for like."
        for key in ("items", "answerable", "unanswerable", "k", "depth")
        if key in cur and key in base and cur[key] != base[key]
    )


def compare(current: dict[str, Any], baseline: dict[str, Any], tolerance: float = 0.02) -> Comparison:
    """Rows for every metric in either summary, in the current summary's order, baseline-only last."""
    rows: list[Row] = []
    for group in (*GATED, *INFORMATIONAL):
        cur_g, base_g = current.get(group) or {}, baseline.get(group) or {}
        names = list(cur_g) + [n for n in base_g if n not in cur_g]
        for name in names:
            if isinstance(cur_g.get(name), list) or isinstance(base_g.get(name), list):
                continue  # id lists such as false_refusals are not metrics
            cur, base = _number(cur_g.get(name)), _number(base_g.get(name))
            delta = cur - base if cur is not None and base is not None else None
            gated = group in GATED
            regressed = gated and delta is not None and cur < base - tolerance - 1e-12
            rows.append(Row(group, name, cur, base, delta, regressed, gated))
    return Comparison(tuple(rows), tolerance, _notes(current, baseline))
