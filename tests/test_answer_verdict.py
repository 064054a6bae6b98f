"""The verdict a yes/no answer leads with: said plainly by the quoted sentence, for the asker's case,
or not at all; and the quote strategy leading with it."""

from __future__ import annotations

import pytest

from rag.answer.evidence import build_evidence
from rag.answer.policy import AnswerPolicy
from rag.answer.strategies.quote import QuoteStrategy
from rag.answer.verdict import NO, YES, verdict
from rag.danish import bound_fits
from tests.answer_support import make_hit

POLICY = AnswerPolicy()
CRANE = "Både over 8 tons kan ikke løftes med havnens kran."
TATTOO = "Vi tatoverer ikke personer under 18 år – heller ikke med forældres samtykke."
CLUB = "Der er ingen klubaftener eller juniortræning i vinterferien (uge 7) og i sommerferien (uge 28-31)."
BRANCH = "Filialen kan udlevere receptmedicin, men den tilbyder ikke vaccination."


@pytest.mark.parametrize(("question", "sentence", "expected"), [
    ("må man have en kat på kollegiet", "Det er ikke tilladt at holde hunde, katte eller andre husdyr på kollegiet.",
     NO),
    ("min båd vejer 9 tons, kan den løftes med kranen", CRANE, NO),
    ("skal vi betale for dagplejen i juli", "Der betales for 11 måneder om året, da juli er betalingsfri.", NO),
    ("er parkering gratis", "Parkering er gratis for gæster.", YES),
    ("må vi tage vores hund med når vi besøger mormor",
     "Hunde og katte må gerne komme på besøg efter aftale med afdelingssygeplejersken.", YES),
    ("min søn er 23, må han køre autocamperen", "Føreren skal være fyldt 25 år og have kørekort i mindst 3 år.", NO),
    ("kan man blive vaccineret i filialen", BRANCH, NO),
    ("er der klubaften i uge 29", CLUB, NO),
    ("min datter er 17, må hun blive tatoveret", TATTOO, NO),
    ("min tæve er løbsk, kan hun komme til klipning", "Løbske tæver kan ikke modtages de første 14 dage.", NO),
])
def test_a_plain_yes_or_no(question: str, sentence: str, expected: str) -> None:
    assert verdict(question, sentence) == expected


@pytest.mark.parametrize(("question", "sentence"), [
    ("min båd vejer 7 tons, kan den løftes med kranen", CRANE),  # the ban is for heavier boats
    ("min datter er 19, må hun blive tatoveret", TATTOO),  # … for younger people
    ("er der klubaften i uge 33", CLUB),  # … for other weeks
    ("kan filialen udlevere receptmedicin", BRANCH),  # the negation is of another thing
    ("må børn komme med på turen", "Børn under 3 år betaler ikke."),  # … far from what is asked
    ("kan jeg flytte min tid", "Hvis du ikke kan komme, skal du melde afbud senest dagen før."),  # a condition's
    ("min datter er 3, må hun komme med i kanoen",  # the age is for another thing
     "Børn under 12 år skal sidde med en voksen, og man skal være fyldt 14 år for at leje en enkeltkajak."),
    ("kan jeg bytte mine glas hvis jeg ikke kan vænne mig til dem",  # a condition, told verb first
     "Kan du ikke vænne dig til dine progressive glas, bytter vi dem gratis inden for 3 måneder."),
    ("er der forsikring med i lejen", "Er lejen ikke betalt 30 dage efter forfald, kan vi spærre adgangen."),
    ("skal jeg betale noget hvis jeg aflyser", "Du kan betale på faktura med 8 dages betalingsfrist."),
    ("kan jeg bruge den gratis prøvetime på et reformerhold", "Nye kunder kan prøve et måttehold gratis én gang."),
    ("må man gå nøgen i saunaen", "Der må højst være 12 personer i saunaen ad gangen."),  # says neither
    ("kan man ikke komme om søndagen", "Der er ikke åbent om søndagen."),  # the question negates
    ("hvad koster en kat", "Det er ikke tilladt at holde katte."),  # no yes/no question
    ("må man have en kat", "Nej, katte er ikke tilladt."),  # the sentence says it already
    ("må man have en kat", "Må man have en kat?"),  # a question (an FAQ heading)
    ("er ikke-medlemmer velkomne", "Ikke-medlemmer betaler 50 kr. pr. gang."),  # a group, no negation
])
def test_no_verdict(question: str, sentence: str) -> None:
    assert verdict(question, sentence) is None


def test_an_askers_measure_inside_a_bound() -> None:
    assert bound_fits("min båd vejer 9 tons", CRANE) is True
    assert bound_fits("min båd vejer 7 tons", CRANE) is False
    assert bound_fits("min bil er 2,30 m høj", "Biler på højst 2,40 m kan vaskes.") is True
    assert bound_fits("min bil er 2,30 m høj", CRANE) is None  # no bound in that unit


def test_the_quote_leads_with_the_verdict() -> None:
    hits = [make_hit("Husorden for kollegiet. Det er ikke tilladt at holde hunde, katte eller andre husdyr på "
                     "kollegiet. Fester skal slutte kl. 24.")]
    evidence = build_evidence("Må man have en kat på kollegiet?", hits, POLICY)
    draft = QuoteStrategy(POLICY).draft(evidence)
    assert draft is not None
    assert draft.checked.text.startswith("Nej: Det er ikke tilladt at holde hunde, katte")
    assert not draft.checked.unsupported  # the verdict stands in the cited sentence
