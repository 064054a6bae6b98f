"""Cleaning scraped pages: boilerplate goes, every real sentence stays, titles and dates are found."""

from __future__ import annotations

import pytest

from rag.config import PROJECT_ROOT
from rag.ingest.clean import clean_text

SEEDS = PROJECT_ROOT / "seeds"

# Per seed: the lines that must go (whitespace-normalised), the lines that must change (raw →
# cleaned), and the expected title and date. Every other non-empty line must survive unchanged.
CASES = {
    "socialstyrelsen-boernene-foerst.txt": dict(
        removed={
            "Læs mere om aftalen Børnene Først her", "Senest opdateret 10-06-2021", "Kontakt",
            "Thomas Danielsen", "Kommunikationskonsulent", "Nyhedsbrev",
            "Vores nyhedsbreve holder dig opdateret med faglig viden, information om ansøgningspuljer, "
            "nye udgivelser, konferencer og temadage på socialområdet.",
            "Tilmeld dig her",
        },
        changed={},
        title="Socialstyrelsen ser frem til arbejdet med Børnene Først",
        date="2021-06-10",
    ),
    "folketinget-spoergsmaal-338-forebyggelse.txt": dict(
        removed=set(),
        changed={},
        title="Folketingets Social- og Ældreudvalg",
        date="2022-04-22",
    ),
    "ishoj-astrid-krag-boernesager.txt": dict(
        removed={
            "Send til din ven. X Artiklen: Astrid Krag i Ishøj for at høre om børnesager Modtagerens "
            "email * : Din e-mail * : Dit navn * : Evt. kommentar: *) skal udfyldes.",
        },
        changed={
            "date 2020-10 Ishøjs borgmester, Ole Bjørstorp (S), og socialfaglig konsulent, Dina Jørgensen, "
            "tog mod social- og indenrigsminister Astrid Krag (S) på borgmesterens kontor. "
            "Foto: Søren Schaadt Larsen":
            "Ishøjs borgmester, Ole Bjørstorp (S), og socialfaglig konsulent, Dina Jørgensen, "
            "tog mod social- og indenrigsminister Astrid Krag (S) på borgmesterens kontor.",
            "Sydkysten - 05. oktober 2020 kl. 11:55 Af Søren Schaadt LArsen Kontakt redaktionen":
            "Sydkysten - 05. oktober 2020 kl. 11:55 Af Søren Schaadt LArsen",
        },
        title="Astrid Krag i Ishøj for at høre om børnesager",
        date="2020-10-05",
    ),
    "kl-udspil-udsatte-boern.txt": dict(
        removed={"¨", "Foto: TV ØST", "Hent vores nye TV2 ØST Play App"},
        changed={},
        title="KL vil hæve ambitionerne for udsatte børn og unge",
        date=None,
    ),
    "soroe-karen-haekkerup-besoeg.txt": dict(
        removed={"Karen Hækkerup"},
        changed={},
        title=None,
        date=None,
    ),
}


def _norm(line: str) -> str:
    return " ".join(line.replace("\u00a0", " ").split())


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_keeps_every_real_line_and_drops_boilerplate(name: str) -> None:
    case = CASES[name]
    raw = (SEEDS / name).read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    lines = cleaned.text.split("\n")

    for raw_line in map(_norm, raw.splitlines()):
        if not raw_line:
            continue
        if raw_line in case["removed"]:
            assert raw_line not in lines, f"boilerplate kept: {raw_line!r}"
        elif raw_line in case["changed"]:
            assert case["changed"][raw_line] in lines
            assert raw_line not in lines
        else:
            assert raw_line in lines, f"real text lost: {raw_line!r}"
    assert cleaned.title == case["title"]
    assert cleaned.date == case["date"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_seed_layout_is_tidy_paragraphs(name: str) -> None:
    text = clean_text((SEEDS / name).read_text(encoding="utf-8")).text
    assert text == text.strip()
    assert "\n\n\n" not in text
    assert "\u00a0" not in text and "  " not in text
    assert all(line == line.strip() for line in text.split("\n"))
    assert clean_text(text).text == text  # cleaning is idempotent


def test_boilerplate_phrases_are_gone_from_the_seeds() -> None:
    texts = "\n".join(clean_text(p.read_text(encoding="utf-8")).text for p in sorted(SEEDS.glob("*.txt")))
    for phrase in ("Send til din ven", "Modtagerens email", "Hent vores nye", "Foto:", "Nyhedsbrev",
                   "Tilmeld dig", "Senest opdateret", "Kontakt redaktionen", "Læs mere om", "date 2020-10"):
        assert phrase not in texts


# -- generic rules on other pages ---------------------------------------------------------------
def test_generic_boilerplate_on_another_page() -> None:
    raw = "\n".join([
        "Menu",
        "Vi bruger cookies for at forbedre din oplevelse. Accepter alle cookies eller tilpas indstillinger.",
        "Kommunen åbner nyt familiehus",
        "Publiceret 3. marts 2021 kl. 10:15",
        "",
        "Byrådet har besluttet at åbne et familiehus i centrum (Foto: Ritzau Scanpix). Det sker til sommer.",
        "Familiehuset skal hjælpe gravide og nybagte forældre. Arkivfoto: Jens Hansen",
        "",
        "Del artiklen",
        "Følg os på Facebook",
        "Læs også: Ny leder af børneområdet",
        "Download vores app",
        "Tilmeld dig vores nyhedsbrev og modtag nyheder hver uge.",
        "Til toppen",
    ])
    cleaned = clean_text(raw)
    assert cleaned.text == (
        "Kommunen åbner nyt familiehus\n\n"
        "Byrådet har besluttet at åbne et familiehus i centrum. Det sker til sommer.\n"
        "Familiehuset skal hjælpe gravide og nybagte forældre."
    )
    assert cleaned.title == "Kommunen åbner nyt familiehus"
    assert cleaned.date == "2021-03-03"


def test_repeated_lines() -> None:
    long_para = "Det er et langt afsnit som en scraper har fået med to gange i samme side."
    raw = "\n\n".join(["Overskrift her", long_para, "- Ja.", "Del", long_para, "- Ja.", "Del", "Slut."])
    text = clean_text(raw).text
    assert text.count(long_para) == 1  # a duplicated paragraph keeps its first occurrence
    assert text.count("- Ja.") == 2  # short real sentences may repeat
    assert "Del" not in text.split("\n")


def test_a_repeated_fact_stays_under_each_heading() -> None:
    price = "Billetpris: 245 kr. (under 25 år: 125 kr.)"  # eight words, no sentence end
    row = "Pensionist | 50 kr."
    raw = "\n\n".join(["Et dukkehjem", price, row, "Hent vores app", "Sommerfesten", price, row, "Hent vores app"])
    text = clean_text(raw).text
    assert text.count(price) == 2 and text.count(row) == 2
    assert "Hent vores app" not in text  # residue without a figure still goes
    header = "Dag | Afgangstider"  # each timetable's header row, over rows of as many cells
    raw = "\n\n".join(["Forside | Om os", f"Fra Hjertebro\n{header}\n\nLørdag | 8.00, 10.00",
                         f"Fra Sundø\n{header}\n\nLørdag | 7.30, 9.00", "Forside | Om os"])
    text = clean_text(raw).text
    assert text.count(header) == 2 and "Forside | Om os" not in text  # a repeated menu row still goes


def test_contact_card_ends_at_real_text() -> None:
    raw = "Indhold her.\n\nKontakt\n\nJens Jensen\nPressechef\nTlf. 12 34 56 78\n\nMere indhold følger her."
    assert clean_text(raw).text == "Indhold her.\n\nMere indhold følger her."


def test_a_documents_own_contact_section_stays() -> None:
    raw = ("Velkommen i Børnehuset.\n\nKontakt\n\nAdresse: Kirsebærvej 12, 8260 Viby J\nTelefon: 87 13 45 20\n"
           "Leder: Hanne Kjærgaard\n\nÅbningstider\n\n- Mandag til torsdag: kl. 6.30–17.00\n- Fredag: kl. 6.30–16.00"
           "\n\nVi holder lukket i uge 29.")
    text = clean_text(raw).text
    assert "Leder: Hanne Kjærgaard" in text and "Telefon: 87 13 45 20" in text  # labelled facts, not a press card
    assert "Åbningstider" in text and "- Fredag: kl. 6.30–16.00" in text  # the card never ran on past its blank line
    press = clean_text("Indhold her.\n\nKontakt\n\nJens Jensen\nPressechef\n\nÅbningstider\n\nHverdage 8-16").text
    assert "Jens Jensen" not in press and "Åbningstider" in press


def test_normalisation() -> None:
    raw = "Titel\u00a0med\u00a0mellemrum\r\n\r\n\u00adBl\u00adød bin\u200bde\u00ad-streg\tog  tab\n* * *\n---\n"
    cleaned = clean_text(raw)
    assert cleaned.text == "Titel med mellemrum\n\nBlød binde-streg og tab"
    decomposed = "Ba\u030arnets lov"  # "å" as a + combining ring
    assert clean_text(decomposed).text == "Bårnets lov"


def test_title_hint_wins_and_drops_site_suffix() -> None:
    assert clean_text("Brødtekst her.", title_hint="Børnene Først | Socialstyrelsen").title == "Børnene Først"
    assert clean_text("Brødtekst her.").title is None


@pytest.mark.parametrize(
    ("raw", "date"),
    [
        ("Titel\n\n10-06-2021\n\nTekst.", "2021-06-10"),
        ("Dato\n22-04-2022\n\nTekst fra d. 29. marts 2022.", "2022-04-22"),
        ("Dato: 22.04.2022\nTekst.", "2022-04-22"),
        ("Sydkysten - 05. oktober 2020 kl. 11:55 Af Søren", "2020-10-05"),
        ("date 2020-10 Tekst der starter her.", "2020-10"),
        ("date 2020-10 Tekst.\nAvisen - 5. oktober 2020 kl. 9:00", "2020-10-05"),
        ("Opdateret: 2021-06-10\nTekst.", "2021-06-10"),
        ("Reformen blev vedtaget den 11. maj af Folketinget.", None),
        ("Mødet i Sorø mandag den 22. april.", None),
        ("Vedtaget 3. juni 2018 efter lang debat.", "2018-06-03"),
        ("Dato\n31-02-2021\nTekst.", None),
        ("Vi så en stigning over 10-15 år fra 2011-12.", None),
        # a sentence announcing the next meeting's time is no byline: the minutes' own date wins
        ("Byrådet – referat fra mødet den 26. marts 2025\n\nSagen blev vedtaget.\n\n"
         "Næste byrådsmøde holdes onsdag den 30. april 2025 kl. 18.00.", "2025-03-26"),
    ],
)
def test_dates(raw: str, date: str | None) -> None:
    assert clean_text(raw).date == date


def test_a_dated_heading_is_a_title_and_a_date_line_is_not() -> None:
    heading = "Hillerød Byråd – beslutningsreferat fra mødet onsdag den 26. marts 2025"
    assert clean_text(f"{heading}\n\nMødet begyndte kl. 18.00.").title == heading
    assert clean_text("Publiceret 12. maj 2021\n\nMødet begyndte kl. 18.00.").title is None
    for line in ("Sidst opdateret onsdag den 26. marts 2025", "Mødedato: onsdag den 26. marts 2025",
                 "Dato for mødet: 26. marts 2025"):
        assert clean_text(f"{line}\n\nMødet begyndte kl. 18.00.").title is None


def test_a_letterhead_in_capitals_is_a_title_and_a_greeting_is_not() -> None:
    letter = ("HADSTEN HÅNDBOLDKLUB\nUngdomsafdelingen – træningsplan for sæsonen 2025/26\n\n"
              "Kære spillere og forældre\n\nSå er vi klar til en ny sæson.")
    assert clean_text(letter).title == "HADSTEN HÅNDBOLDKLUB – Ungdomsafdelingen – træningsplan for sæsonen 2025/26"
    assert clean_text("HADSTEN HÅNDBOLDKLUB\nBavnehøjvej 6, 8370 Hadsten\n\nKære alle\n\nTekst.").title == \
        "HADSTEN HÅNDBOLDKLUB"
    # a hard-wrapped first paragraph is no title, nor a list's lead; "Til- og fraflytning" is no greeting
    assert clean_text("Mødet blev holdt i klubhuset, hvor formanden bød\nvelkommen til alle.\n\nTekst.").title is None
    assert clean_text("Til- og fraflytning af lejemål\n\nNøglerne afleveres til viceværten.").title == \
        "Til- og fraflytning af lejemål"
    assert clean_text("Kære forældre og spejdere i Troldeskov Gruppe\n\nSå er det tid til lejr.").title is None
    # two words in ordinary case are as often a heading of the text as its title: no title from them
    assert clean_text("Amazon rainforest\n\nRegnskoven dækker det meste af Amazonbassinet.").title is None


def test_a_date_deep_in_the_text_does_not_date_the_document() -> None:
    body = "\n\n".join(["Hinnerup IF Håndbold", "Velkommen til en ny sæson.", "Vi glæder os.", "Træningen er i hallen.",
                        "Sæsonstart: mandag den 11. august 2025"])
    assert clean_text(body).date is None
    assert clean_text("Nyhedsbrev\n\nHinnerup, 3. juni 2025\n\nVelkommen.").date == "2025-06-03"  # a dateline on top


def test_a_label_holds_a_comma_only_before_a_figure() -> None:
    from rag.ingest.clean import labelled

    assert labelled("Vaskemaskine, 12 kg (dyner): 20 kr. pr. vask")
    assert not labelled("Kære forældre, husk: madpakke og regntøj")  # prose (a review)
