"""Answerability: the kind of answer a Danish question word asks for, and refusing when no sentence has it."""

from __future__ import annotations

import pytest

from rag.answer.answerability import (
    NUMBER,
    PERCENT,
    TIME,
    YEAR,
    choose_sentence,
    expected_type,
    has_expected,
    question_overlap,
)
from rag.answer.answerer import answer_question
from rag.answer.refusal import refuse_on_retrieval
from tests.answer_support import make_hit
from tests.fakes import FakeGenerator


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Hvor mange Familiehuse skal der etableres?", NUMBER),
        ("hvor store er udgifterne?", NUMBER),
        ("Hvor gammel var han, da han døde?", NUMBER),
        ("I 2002, hvor mange soldater var der?", NUMBER),
        ("Hvilket antal sager blev afsluttet?", NUMBER),
        ("Hvor mange procent er sagerne steget med?", PERCENT),
        ("Hvilken procentdel af munkene døde?", PERCENT),
        ("Hvornår træder loven i kraft?", TIME),
        ("Hvilken dato blev nyheden offentliggjort?", TIME),
        ("I hvilket århundrede levede han?", TIME),
        ("Hvilket år blev Socialstyrelsen oprettet?", YEAR),
        ("I hvilket år fik Malaysia sin uafhængighed?", YEAR),
        # no kind: names, places, things, reasons, and "hvor meget" (a degree as often as an amount)
        ("Hvem er borgmester i Sorø Kommune?", None),
        ("Hvor ligger Science Village?", None),
        ("Hvad er en Hauptlied?", None),
        ("Hvorfor blev reformen vedtaget?", None),
        ("Hvor meget er terra preta fordelt over Amazonskoven?", None),
        ("Hvilken artikel bad ministeren om at kommentere?", None),
        # the last question word governs
        ("Da NASA ikke vidste, hvor mange forsøg der skulle til, hvad brugte de så?", None),
        ("Hvor mange bor i byen, hvor han blev født?", None),
        ("", None),
    ],
)
def test_expected_type_from_the_question_word(question, kind):
    assert expected_type(question) == kind


@pytest.mark.parametrize(
    ("kind", "sentence", "question", "ok"),
    [
        (NUMBER, "Der skal etableres 50 Familiehuse.", "", True),
        (NUMBER, "Kommunen ansætter tre nye medarbejdere.", "", True),
        (NUMBER, "Der skal etableres Familiehuse i hele landet.", "", False),
        (NUMBER, "Reformen blev vedtaget den 11. maj.", "", False),  # a date is not a quantity
        (NUMBER, "Planen fra marts 2022 er godkendt.", "", False),
        (NUMBER, "Artiklen fra TV2 Fyn den 29. marts 2022 nævner det.", "", False),
        (NUMBER, "Den 29. marts 2022 ansatte de 12 medarbejdere.", "", True),
        (NUMBER, "Spørgsmål nr. 338 blev besvaret.", "Hvor mange svar fik spørgsmål nr. 338?", False),
        (PERCENT, "Sagerne steg med 12 procent.", "", True),
        (PERCENT, "Sagerne steg med 12 %.", "", True),
        (PERCENT, "Sagerne steg med 12 sager.", "", False),
        (PERCENT, "Antallet af sager er steget.", "", False),
        (TIME, "Hun kommer mandag den 22. april.", "", True),
        (TIME, "Loven trådte i kraft i 2021.", "", True),
        (TIME, "Det skete i det 10. århundrede.", "", True),
        (TIME, "Det skal ske ved en ny Barnets Lov.", "", False),
        (YEAR, "I juli 1960, annoncerede NASA programmet.", "", True),
        (YEAR, "Malaysia blev uafhængigt i 1957.", "", True),
        (YEAR, "Det skete i 1970'erne.", "", True),
        (YEAR, "Reformen blev vedtaget den 11. maj.", "", False),  # a day is not a year
        (YEAR, "Loven fra 2021 blev ændret.", "Hvilket år blev loven fra 2021 ændret?", False),
        (None, "Hvad som helst.", "", True),
    ],
)
def test_has_expected(kind, sentence, question, ok):
    assert has_expected(sentence, kind, question) is ok


def test_has_expected_rejects_an_unknown_kind():
    with pytest.raises(ValueError, match="unknown answer type"):
        has_expected("x", "colour")


FAMILY = "Med aftalen skal der etableres Familiehuse i alle kommuner. Familiehusene skal hjælpe familierne tidligt."
FAMILY_NUMBER = "Der er afsat 200 mio. kr. til husene i kommunerne."
MONEY = "Hvor mange penge skal der bruges på at etablere Familiehuse i kommunerne?"


def test_choose_sentence_takes_a_lower_ranked_sentence_with_the_number():
    hits = [make_hit(FAMILY, rank=1), make_hit(FAMILY_NUMBER, rank=2)]
    question = MONEY  # the number sentence ranks 0.27 below the best one
    assert choose_sentence(question, hits, margin=0.5) == (2, FAMILY_NUMBER)
    assert choose_sentence(question, hits, margin=0.2) is None  # not within the margin: refuse
    n, sentence = choose_sentence(question, hits, margin=0.2, check_type=False)
    assert (n, sentence) == (1, "Med aftalen skal der etableres Familiehuse i alle kommuner.")


def test_choose_sentence_none_without_overlap():
    assert choose_sentence("Hvem vandt Tour de France?", [make_hit(FAMILY)], margin=1.0) is None


def test_question_overlap():
    hits = [make_hit(FAMILY)]
    assert question_overlap("Skal der etableres Familiehuse?", hits) == 1.0
    assert question_overlap("Skal der etableres Familiehuse på Mars?", hits) == pytest.approx(2 / 3)
    assert question_overlap("Hvem vandt Tour de France?", hits) == 0.0
    assert question_overlap("Hvem?", hits) == 1.0  # no content words: no evidence either way


@pytest.mark.parametrize(
    ("dense", "question", "refused"),
    [
        (0.90, "Hvem vandt Tour de France?", False),  # a high cosine is enough
        (0.83, "Skal der etableres Familiehuse?", False),  # middling cosine, the words are there
        (0.83, "Hvem vandt Tour de France?", True),  # middling cosine, the words are not
        (0.80, "Skal der etableres Familiehuse?", True),  # below the floor, words or not
    ],
)
def test_refuse_on_retrieval(settings, dense, question, refused):
    s = settings.replace(refusal_min_score=0.825, refusal_lexical_score=0.835, refusal_min_overlap=0.4)
    assert refuse_on_retrieval(question, [make_hit(FAMILY, dense=dense)], s) is refused


def test_refuse_on_retrieval_without_hits(settings):
    assert refuse_on_retrieval("Hvem?", [], settings)


@pytest.mark.parametrize("style", ["extractive", "hybrid", "generate"])
def test_number_question_without_a_number_in_the_passages_is_refused(settings, style):
    gen = FakeGenerator("Familiehuse [1].")
    answer = answer_question("Hvor mange Familiehuse skal der etableres?", [make_hit(FAMILY)], gen,
                             settings.replace(answer_style=style))
    assert answer.refused
    assert answer.text == settings.refusal_text
    assert answer.citations == ()
    assert gen.prompts == []  # refused before the model is asked


def test_type_check_can_be_turned_off(settings):
    answer = answer_question("Hvor mange Familiehuse skal der etableres?", [make_hit(FAMILY)], FakeGenerator(""),
                             settings.replace(answer_style="extractive", answer_type_check=False))
    assert not answer.refused
    assert "Familiehuse" in answer.text


def test_extractive_quotes_the_sentence_with_the_number(settings):
    hits = [make_hit(FAMILY, rank=1), make_hit(FAMILY_NUMBER, rank=2)]
    answer = answer_question(MONEY, hits,
                             FakeGenerator(""), settings.replace(answer_style="extractive", answer_type_margin=0.5))
    assert not answer.refused
    assert answer.text == f"{FAMILY_NUMBER} [1]"
    assert answer.citations[0].hit is hits[1]


def test_hybrid_base_model_reads_the_chosen_sentence_and_its_answer_must_hold_a_number(settings):
    hits = [make_hit(FAMILY, rank=1), make_hit(FAMILY_NUMBER, rank=2)]
    hybrid = settings.replace(answer_style="hybrid", answer_type_margin=0.5)
    question = MONEY
    gen = FakeGenerator("husene")  # copied from the sentence, but no amount: quote instead
    answer = answer_question(question, hits, gen, hybrid)
    (prompt,) = gen.prompts
    assert "200 mio. kr." in prompt.text
    assert "etableres Familiehuse" not in prompt.text
    assert answer.template == "completion+extractive"
    assert answer.text.startswith(FAMILY_NUMBER)
