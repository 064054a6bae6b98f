"""Tables set in aligned columns (a PDF page's layout text, a padded text file) read as " | " rows."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rag.ingest.columns import PDF_GAP, aligned_rows, prose_in_columns
from rag.ingest.loaders import load_document
from tests.pdf_support import pdf_bytes


def test_a_padded_staff_list_becomes_rows() -> None:
    text = ("PERSONALE\n\n"
            "Søren Bach        Indehaver og optiker\n"
            "Rikke Dal         Optometrist - kontaktlinser og øjenundersøgelser\n"
            "Maja Ebbesen      Optikerelev\n\n"
            "Vi glæder os til at se dig.")
    assert aligned_rows(text).split("\n") == [
        "PERSONALE", "", "Søren Bach | Indehaver og optiker",
        "Rikke Dal | Optometrist - kontaktlinser og øjenundersøgelser", "Maja Ebbesen | Optikerelev", "",
        "Vi glæder os til at se dig."]


def test_a_label_longer_than_its_padding_keeps_its_row() -> None:
    text = "Mandag-torsdag   kl. 9.30-17.30\nFredag           kl. 9.30-18\nSøn- og helligdage  lukket"
    assert aligned_rows(text).split("\n")[-1] == "Søn- og helligdage | lukket"


def test_a_row_already_delimited_by_pipes_keeps_its_cells_however_padded() -> None:
    # a review's farm shop: "Jordbær | | bakke 500 g | | 35 kr." had come of the padding
    text = "Vare                   | Enhed         | Pris\nJordbær                | bakke 500 g   | 35 kr."
    assert aligned_rows(text) == text
    # and one inside a table set in columns is kept, not dropped as if blank (a review's example)
    mixed = ("Ydelse              Pris\nKlip                350 kr.\nKlip | vask         400 kr.\n"
             "Farve               600 kr.")
    assert "Klip | vask         400 kr." in aligned_rows(mixed).split("\n")


def test_prose_with_two_spaces_after_a_full_stop_is_left_alone() -> None:
    text = ("Vi har åbent hver dag.  Ring gerne i forvejen, hvis du vil være sikker på en tid.\n"
            "Vaskeriet lukker kl. 22.  Husk at tømme maskinen, når du er færdig med at vaske.")
    assert aligned_rows(text) == text


def test_a_header_set_on_two_lines_joins_its_row() -> None:
    layout = ("Vores elprodukter\n\n"
              "                                        Abonnement pr.\n"
              "Produkt                                                               Tillæg pr. kWh           Binding\n"
              "                                        måned\n\n"
              "VestFlex (variabel timepris)            29 kr.                        4,5 øre                  Ingen\n\n"
              "VestGrøn (100 % vindstrøm)              49 kr.                        7,9 øre                  Ingen\n")
    rows = aligned_rows(layout, PDF_GAP).split("\n")
    assert "Produkt | Abonnement pr. måned | Tillæg pr. kWh | Binding" in rows
    assert "VestFlex (variabel timepris) | 29 kr. | 4,5 øre | Ingen" in rows
    assert not prose_in_columns(layout)


def test_two_columns_of_prose_are_no_table() -> None:
    left = ["Foreningen blev stiftet i 1987 af en", "gruppe beboere, der ønskede et sted at",
            "mødes om fælles interesser og hjælpe", "hinanden med praktiske opgaver i hverdagen."]
    right = ["I dag har vi over tre hundrede medlemmer", "fra hele kommunen, og vi holder møder",
             "den første tirsdag i hver måned med kaffe", "og kage i det store fælleshus ved søen."]
    layout = "\n".join(f"{a:<48}{b}" for a, b in zip(left, right, strict=True))
    assert aligned_rows(layout, PDF_GAP) == layout
    assert prose_in_columns(layout)


@given(st.text(alphabet=st.characters(blacklist_characters="\t\r", blacklist_categories=("Cs",)), max_size=300))
def test_text_without_a_run_of_spaces_is_unchanged(text: str) -> None:
    while "  " in text:
        text = text.replace("  ", " ")
    assert aligned_rows(text) == text


def _table_pdf(rows: list[list[tuple[int, str]]], above: str) -> bytes:
    """A one-page PDF with a line of prose and cells placed at x positions."""
    parts = [f"BT /F1 11 Tf 72 740 Td ({above}) Tj ET"]
    for n, row in enumerate(rows):
        parts += [f"BT /F1 11 Tf {x} {710 - 18 * n} Td ({text}) Tj ET" for x, text in row]
    return pdf_bytes([" ".join(parts)])


def test_a_pdf_table_reads_one_row_a_line(tmp_path: Path) -> None:
    # pypdf's plain text gives these cells a line each: "8-10 m", "180 kr.", "230 kr."
    rows = [[(72, "Bådens længde"), (260, "Lavsæson"), (400, "Højsæson")],
            [(72, "under 8 m"), (260, "150 kr."), (400, "190 kr.")],
            [(72, "8-10 m"), (260, "180 kr."), (400, "230 kr.")],
            [(72, "over 15 m"), (260, "efter aftale"), (400, "efter aftale")]]
    path = tmp_path / "takster.pdf"
    path.write_bytes(_table_pdf(rows, "Gæsteleje pr. døgn"))
    lines = load_document(path).text.split("\n")
    assert "Bådens længde | Lavsæson | Højsæson" in lines
    # a row opening in lower case is no sentence's continuation: it stays its own line
    assert "under 8 m | 150 kr. | 190 kr." in lines
    assert "8-10 m | 180 kr. | 230 kr." in lines
    assert "over 15 m | efter aftale | efter aftale" in lines


def test_a_header_of_two_lines_of_cells_is_one_header_row() -> None:
    layout = ("Priser pr. døgn\n\n"
              "          Hundens størrelse                Pris pr. døgn          Pris pr. døgn\n"
              "                                           lavsæson               højsæson\n"
              "          Lille (under 10 kg)              185 kr.                225 kr.\n"
              "          Stor (25-45 kg)                  245 kr.                295 kr.\n")
    rows = aligned_rows(layout, PDF_GAP).split("\n")
    assert "Hundens størrelse | Pris pr. døgn lavsæson | Pris pr. døgn højsæson" in rows
    assert "Lille (under 10 kg) | 185 kr. | 225 kr." in rows


def test_a_line_ending_on_a_word_that_leads_on_goes_on_into_a_figure(tmp_path: Path) -> None:
    path = tmp_path / "pension.txt"
    path.write_text("Højsæson er 20. juni til\n15. august og jul.\nPriser\n12 kr. pr. dag\n", encoding="utf-8")
    lines = load_document(path).text.split("\n")
    assert "Højsæson er 20. juni til 15. august og jul." in lines
    assert "12 kr. pr. dag" in lines  # a heading ends on no such word: the figure stays its own line


def test_prose_set_in_by_a_space_ends_a_table() -> None:
    # pypdf's layout mode sets every line in by a space (eval/trial19's camper-van terms): the prose
    # between two tables had been read as the first one's wrapped cells, and the two tables as one
    layout = (" Model                    Sovepladser         Lavsæson uge\n"
              "                                              1-17 og 40-52\n"
              " Kompakt (Model A)        2                   5.900 kr.\n"
              " Stor (Model C)           6                   8.600 kr.\n\n"
              " I højsæsonen udlejes der kun hele uger.\n"
              " Kørsel ud over det inkluderede afregnes med 2,50 kr. pr. km.\n\n"
              "        Tilkøb                          Pris\n"
              "        Slutrengøring                   1.200 kr.\n"
              "Vestkystens Autocamperudlejning ApS · Side 1 af 2\n")
    rows = aligned_rows(layout, PDF_GAP)
    assert "Model | Sovepladser | Lavsæson uge 1-17 og 40-52" in rows
    assert " Kørsel ud over det inkluderede afregnes med 2,50 kr. pr. km." in rows.split("\n")
    assert "Tilkøb | Pris" in rows and "Slutrengøring | 1.200 kr." in rows


def test_a_wrapped_first_cell_stays_in_its_row_where_every_line_is_set_in() -> None:
    layout = (" Afbestilling         Gebyr\n Mere end 60 dage     2.500 kr.\n før afhentning\n"
              " 60-30 dage           50 %\n\n"
              " Prosa her der er lang og fylder en hel linje ud.\n")
    rows = aligned_rows(layout, PDF_GAP).split("\n")
    assert "Mere end 60 dage før afhentning | 2.500 kr." in rows and "60-30 dage | 50 %" in rows


def test_the_last_rows_wrapped_cells_stay_in_their_row() -> None:
    # eval/trial27's driving school: the last row's "glatbane" (and a label's "køreprøve") had been
    # left as lines of their own after the table, so the row read "… manøvrebane og | 16.750 kr."
    layout = ("   Pakke            Indhold                                   Pris\n"
              "   Basispakke       29 teorilektioner, manøvrebane og          13.950 kr.\n"
              "                    glatbane\n"
              "   Komfortpakke     29 teorilektioner, manøvrebane og          16.750 kr.\n"
              "                    glatbane\n"
              "Glatbanen køres på Vestjysk Køreteknisk Center i Varde.\n\n"
              "   Ydelse                 Pris\n"
              "   Lån af vogntog til     1.100 kr.\n"
              "   køreprøve\n"
              "   Førstehjælp er ikke med i prisen, se nedenfor for detaljer\n")
    rows = aligned_rows(layout, PDF_GAP).split("\n")
    assert "Komfortpakke | 29 teorilektioner, manøvrebane og glatbane | 16.750 kr." in rows
    assert "Glatbanen køres på Vestjysk Køreteknisk Center i Varde." in rows
    assert "Lån af vogntog til køreprøve | 1.100 kr." in rows
    # a longer line set in under the last row is no wrapped cell
    assert "   Førstehjælp er ikke med i prisen, se nedenfor for detaljer" in rows


def test_a_rows_cells_wrapped_at_once_stay_in_their_row() -> None:
    # a review's grooming price list: "koster halv pris" was read as a row of its own, and the
    # header's "kg)" as a row under it
    layout = ("   Behandling          Lille hund (op til 10    Stor hund         Bemærkninger\n"
              "                       kg)\n"
              "   Bad og føn          295 kr.                  495 kr.           Inklusive shampoo\n"
              "   Udeblivelse uden    Fuld pris                Fuld pris         Afbud senere end 24 timer før\n"
              "   afbud                                                          koster halv pris\n\n"
              "Åbningstider: Mandag lukket.\n")
    rows = aligned_rows(layout, PDF_GAP).split("\n")
    assert "Behandling | Lille hund (op til 10 kg) | Stor hund | Bemærkninger" in rows
    assert "Udeblivelse uden afbud | Fuld pris | Fuld pris | Afbud senere end 24 timer før koster halv pris" in rows
