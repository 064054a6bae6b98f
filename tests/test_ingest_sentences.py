"""Danish sentence splitting: abbreviations, dates, initials, quotes and dialogue."""

from __future__ import annotations

import pytest

from rag.ingest.sentences import sentences, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # amounts and abbreviations that never end a sentence
        ("Det koster 14 mia. kr. om året. Derfor skal vi handle.",
         ["Det koster 14 mia. kr. om året.", "Derfor skal vi handle."]),
        ("Der er 5 mio. borgere. De bor i Danmark.", ["Der er 5 mio. borgere.", "De bor i Danmark."]),
        ("Det skal bl.a. ske i kommunerne. Det forklarer hun.",
         ["Det skal bl.a. ske i kommunerne.", "Det forklarer hun."]),
        ("Det skal bl.a Ishøj gøre. Nu.", ["Det skal bl.a Ishøj gøre.", "Nu."]),
        ("Tag f.eks. Ishøj og Sorø. De er forskellige.", ["Tag f.eks. Ishøj og Sorø.", "De er forskellige."]),
        ("Det er ca. 10 sager. Jf. § 5 skal de behandles.", ["Det er ca. 10 sager.", "Jf. § 5 skal de behandles."]),
        ("Se evt. Socialstyrelsen. Tak.", ["Se evt. Socialstyrelsen.", "Tak."]),
        ("Spørgsmål nr. 338 (alm. del) er besvaret. Svaret følger.",
         ["Spørgsmål nr. 338 (alm. del) er besvaret.", "Svaret følger."]),
        ("Ring på tlf. 33 92 93 00 vedr. sagen. Vi svarer.", ["Ring på tlf. 33 92 93 00 vedr. sagen.", "Vi svarer."]),
        ("Læs s. 12 i rapporten. Den er god.", ["Læs s. 12 i rapporten.", "Den er god."]),
        ("Prisen er inkl. moms og ekskl. fragt. Betal nu.", ["Prisen er inkl. moms og ekskl. fragt.", "Betal nu."]),
        ("Det sker pga. Corona, dvs. Covid-19. Alle ved det.",
         ["Det sker pga. Corona, dvs. Covid-19.", "Alle ved det."]),
        ("Sagsnr. 2022 - 1959 er lukket.", ["Sagsnr. 2022 - 1959 er lukket."]),
        # dates and ordinals
        ("Reformen blev vedtaget den 11. maj. Aftalen styrker indsatsen.",
         ["Reformen blev vedtaget den 11. maj.", "Aftalen styrker indsatsen."]),
        ("Sydkysten - 05. oktober 2020 kl. 11:55 skrev avisen det.",
         ["Sydkysten - 05. oktober 2020 kl. 11:55 skrev avisen det."]),
        ("Udvalget har d. 29. marts 2022 stillet spørgsmålet. Det besvares her.",
         ["Udvalget har d. 29. marts 2022 stillet spørgsmålet.", "Det besvares her."]),
        ("Den 5. Juni 2020 skete det.", ["Den 5. Juni 2020 skete det."]),
        ("Mødet er 3. jan. 2022 kl. 10. Kom til tiden.", ["Mødet er 3. jan. 2022 kl. 10.", "Kom til tiden."]),
        ("Det skete i 2020. Det var et år.", ["Det skete i 2020.", "Det var et år."]),
        ("De kom på en 3. plads. Flot.", ["De kom på en 3. plads.", "Flot."]),
        ("1. Første punkt er vigtigt.", ["1. Første punkt er vigtigt."]),
        # initials and decimals
        ("H.C. Andersen skrev eventyr. Han boede i Odense.", ["H.C. Andersen skrev eventyr.", "Han boede i Odense."]),
        ("Ole B. Hansen er borgmester. Han er glad.", ["Ole B. Hansen er borgmester.", "Han er glad."]),
        ("Væksten var 2,5 procent. Det er meget.", ["Væksten var 2,5 procent.", "Det er meget."]),
        ("Væksten var 2,5 pct. Det er meget.", ["Væksten var 2,5 pct.", "Det er meget."]),
        ("Det koster 500 kr. Pengene kommer fra staten.", ["Det koster 500 kr.", "Pengene kommer fra staten."]),
        ("Nogle kommuner, fx Ishøj, Sorø osv. Andre er store.",
         ["Nogle kommuner, fx Ishøj, Sorø osv.", "Andre er store."]),
        # quotes, questions, ellipses and dialogue dashes
        ("Han sagde: ”Vi skal videre.” Derefter gik han.", ["Han sagde: ”Vi skal videre.”", "Derefter gik han."]),
        ("”Hvad nu?” spurgte han. Ingen svarede.", ["”Hvad nu?” spurgte han.", "Ingen svarede."]),
        ("Er det rigtigt? Ja! Det er det.", ["Er det rigtigt?", "Ja!", "Det er det."]),
        ("Det var mandag... Så kom tirsdag.", ["Det var mandag...", "Så kom tirsdag."]),
        ("Det sagde han. - Vi kommer igen, sagde hun.", ["Det sagde han.", "- Vi kommer igen, sagde hun."]),
        ("Han siger det. ”Vi skal give børn en indsats.”", ["Han siger det.", "”Vi skal give børn en indsats.”"]),
        ("Det er ’synsningerne’ vi vil gøre op med. Ja.", ["Det er ’synsningerne’ vi vil gøre op med.", "Ja."]),
    ],
)
def test_danish_sentences(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_line_breaks_always_end_a_sentence() -> None:
    text = "Spørgsmål nr. 338:\n\n- Vi arbejder på det. Det er vigtigt\nMed venlig hilsen\nAstrid Krag"
    assert sentences(text) == [
        "Spørgsmål nr. 338:", "- Vi arbejder på det.", "Det er vigtigt", "Med venlig hilsen", "Astrid Krag",
    ]


def test_spans_cover_every_character_but_the_whitespace_between() -> None:
    text = "  Første sætning.  Anden sætning!\n\n\tTredje uden punktum \n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Første sætning.", "Anden sætning!", "Tredje uden punktum"]
    covered = set()
    for s, e in spans:
        assert text[s:e] == text[s:e].strip()
        covered.update(range(s, e))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    assert spans == sorted(spans)


def test_empty_and_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []
