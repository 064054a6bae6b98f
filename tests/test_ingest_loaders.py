"""Loading: discovery, encodings, binary files, HTML/PDF/DOCX extraction, and the skip-don't-crash rule."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from rag.config import PROJECT_ROOT
from rag.errors import InputError, UnreadableFileError
from rag.ingest.loaders import SUPPORTED_SUFFIXES, discover, load_document, read_text
from tests.pdf_support import lines_stream, pdf_bytes

DANISH = "Børnene Først: æøå ÆØÅ"


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def make_pdf(lines: list[str], title: str | None = None) -> bytes:
    """A minimal one-page PDF with real text (Helvetica, WinAnsi), written by hand."""
    return pdf_bytes([lines_stream(lines)], title)


# -- discovery ----------------------------------------------------------------------------------
def test_discover_walks_folders_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "docs"
    for rel in ["b.txt", "a.md", "sub/c.html", "sub/deeper/d.docx", "Z.PDF", "notes.xyz", "noext",
                ".hidden.txt", ".git/config.txt", ".rag/chunks.txt", "sub/.venv/x.txt", "__pycache__/m.txt"]:
        _write(root / rel, "tekst")
    files, skipped = discover([root])
    assert [p.relative_to(root).as_posix() for p in files] == [
        "Z.PDF", "a.md", "b.txt", "sub/c.html", "sub/deeper/d.docx",
    ]
    assert [(p.name, why) for p, why in skipped] == [
        ("noext", "unsupported file type (no suffix)"), ("notes.xyz", "unsupported file type .xyz"),
    ]
    assert discover([root]) == (files, skipped)  # deterministic


def test_discover_explicit_files_and_duplicates(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", "tekst")
    odd = _write(tmp_path / "data.csv", "a,b")
    hidden = _write(tmp_path / ".skjult.md", "tekst")
    files, skipped = discover([a, tmp_path / "a.txt", odd, hidden, tmp_path])
    assert files == [a, hidden]  # an explicitly named hidden file is taken; repeats are not
    assert skipped == [(odd, "unsupported file type .csv")]


def test_discover_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"Path not found: .*nope"):
        discover([tmp_path / "nope"])


def test_supported_suffixes() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"} == set(SUPPORTED_SUFFIXES)


# -- text encodings -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", f"{DANISH} – “citat” …"),
        ("utf-8-sig", f"{DANISH} – “citat”"),
        ("utf-16", f"{DANISH} – “citat”"),  # with its BOM, as Windows Notepad saves "Unicode"
        ("utf-16-le", f"{DANISH} – “citat”"),  # without a BOM, as some exporters write it
        ("utf-16-be", f"{DANISH} – “citat”"),
        ("latin-1", f"{DANISH} § ½ é"),
        ("cp1252", f"{DANISH} – “citat” … €"),
    ],
)
def test_text_encodings_keep_danish_letters(tmp_path: Path, encoding: str, text: str) -> None:
    path = _write(tmp_path / "doc.txt", f"{text}\n\nAnden linje med æøå.".encode(encoding))
    assert read_text(path).startswith(text)
    doc = load_document(path)
    assert doc.text.startswith(text)
    assert "\ufeff" not in doc.text


def test_binary_with_nul_bytes_is_not_taken_for_bomless_utf16() -> None:
    from rag.ingest.loaders import utf16_without_bom

    assert utf16_without_bom(bytes(range(256)) * 8) is None
    assert utf16_without_bom(b"\x00\x00\x00\x00" * 100) is None
    assert utf16_without_bom("æble\x01\x02".encode("utf-16-le") * 50) is None  # control characters
    assert utf16_without_bom("Et æble.".encode("utf-16-le")) == "utf-16-le"


def test_load_document_fields(tmp_path: Path) -> None:
    data = "Overskrift om børn\n\nDato\n10-06-2021\n\nBrødtekst om børn og unge.\n".encode()
    path = _write(tmp_path / "a.txt", data)
    doc = load_document(path)
    assert doc.source == path.as_posix()
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.title == "Overskrift om børn"
    assert doc.date == "2021-06-10"
    assert load_document(path, source="seeds/a.txt").source == "seeds/a.txt"


def test_markdown_front_matter_and_markup(tmp_path: Path) -> None:
    md = ("---\ntitle: \"Notat om reformen\"\ndate: 2021-06-10\n---\n# Børnene Først\n\n"
          "Se [aftalen](https://example.dk) og **fed** tekst. ![figur](fig.png)\n")
    doc = load_document(_write(tmp_path / "notat.md", md))
    assert doc.text == "Børnene Først\n\nSe aftalen og fed tekst. figur"
    assert doc.title == "Notat om reformen"
    assert doc.date == "2021-06-10"


# -- unreadable files ---------------------------------------------------------------------------
def test_binary_file_is_unreadable(tmp_path: Path) -> None:
    path = _write(tmp_path / "billede.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(UnreadableFileError, match=r"billede\.txt: skipped: looks binary"):
        load_document(path)
    with pytest.raises(UnreadableFileError):
        read_text(path)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("tom.txt", b"", "no text after cleaning"),
        ("kun-boilerplate.txt", "Tilmeld dig her\n¨\n".encode(), "no text after cleaning"),
        ("ødelagt.pdf", b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
        ("ødelagt.docx", b"PK\x03\x04 not a zip at all", "not a readable Word document"),
        ("ikke-html.html", b"\x00\x01\x02\x03" * 100, "looks binary"),
        ("data.csv", b"a,b\n1,2\n", "unsupported file type .csv"),
    ],
)
def test_unreadable_files_raise_one_line_reasons(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableFileError) as info:
        load_document(_write(tmp_path / name, data))
    message = str(info.value)
    assert message.startswith(f"{tmp_path / name}: skipped: ")
    assert reason in message
    assert "\n" not in message


def test_missing_file_is_unreadable_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match="cannot read"):
        load_document(tmp_path / "væk.txt")


def test_index_loop_skips_bad_files_and_keeps_good_ones(tmp_path: Path) -> None:
    """What the indexer does: discover, then load each file, warning about the ones that fail."""
    _write(tmp_path / "god.txt", "Børnene Først blev vedtaget den 11. maj.")
    _write(tmp_path / "latin1.txt", "Sorø Kommune hjælper børn og unge.".encode("latin-1"))
    _write(tmp_path / "binær.txt", bytes(range(256)) * 4)
    _write(tmp_path / "ødelagt.pdf", b"%PDF-1.7\n%%EOF")
    _write(tmp_path / "billede.png", b"\x89PNG")
    files, skipped = discover([tmp_path])
    docs, warnings = [], [f"{p}: skipped: {why}" for p, why in skipped]
    for path in files:
        try:
            docs.append(load_document(path))
        except UnreadableFileError as e:
            warnings.append(str(e))
    assert sorted(Path(d.source).name for d in docs) == ["god.txt", "latin1.txt"]
    assert "Sorø Kommune hjælper børn og unge." in [d.text for d in docs]
    assert len(warnings) == 3
    assert any("binær.txt" in w and "looks binary" in w for w in warnings)


# -- html, pdf, docx ----------------------------------------------------------------------------
HTML = """<!doctype html><html><head><meta charset="iso-8859-1">
<title>Børnene Først | Socialstyrelsen</title>
<style>body { color: red }</style><script>var x = "Send til din ven";</script></head>
<body><header><nav><a href="/">Forside</a> <a href="/om">Om os</a></nav></header>
<div role="dialog">Vi bruger cookies. <button>Accepter</button></div>
<main><article><header><h1>Socialstyrelsen ser frem til Børnene Først</h1><p>10-06-2021</p></header>
<p>Med reformen skal udsatte børn
   hjælpes tidligere.<br>Det er en opgave for kommunerne.</p>
<ul><li>Første punkt</li><li>Andet punkt om <b>æøå</b></li></ul>
<form>Modtagerens email * : <input></form>
<p>Læs mere om aftalen her</p></article>
<aside>Relaterede artikler: noget andet</aside></main>
<footer><p>Kontakt</p><p>Thomas Danielsen</p></footer></body></html>"""


def test_html_keeps_blocks_and_drops_page_chrome(tmp_path: Path) -> None:
    doc = load_document(_write(tmp_path / "side.html", HTML.encode("latin-1")))
    assert doc.text == (
        "Socialstyrelsen ser frem til Børnene Først\n\n10-06-2021\n\n"
        "Med reformen skal udsatte børn hjælpes tidligere.\nDet er en opgave for kommunerne.\n\n"
        "Første punkt\n\nAndet punkt om æøå"
    )
    assert doc.title == "Socialstyrelsen ser frem til Børnene Først"
    assert doc.date == "2021-06-10"


def test_a_page_header_holding_the_pages_h1_stays_without_its_menu(tmp_path: Path) -> None:
    html = ("<html><body><header><nav><a href='/'>Forside</a> | <a href='/priser'>Priser</a></nav>"
            "<h1>Dyreklinikken Vestbyen</h1><p>Vestergade 88, 5000 Odense C · Tlf. 66 12 40 80</p></header>"
            "<main><h2>Åbningstider</h2><p>Lørdag kl. 9.00–12.00.</p></main>"
            "<footer><p>Cookiepolitik</p></footer></body></html>")
    doc = load_document(_write(tmp_path / "klinik.html", html))
    assert doc.title == "Dyreklinikken Vestbyen"
    assert "Vestergade 88, 5000 Odense C" in doc.text  # the page's own name and address
    assert "Forside" not in doc.text and "Cookiepolitik" not in doc.text  # its menu and the footer go


def test_html_title_tag_when_no_h1(tmp_path: Path) -> None:
    html = "<html><head><title>Notat | Sitet</title></head><body><p>Tekst om børn.</p></body></html>"
    doc = load_document(_write(tmp_path / "n.htm", html))
    assert (doc.text, doc.title) == ("Tekst om børn.", "Notat")


def test_html_table_reads_one_line_per_row(tmp_path: Path) -> None:
    """A row holds its label and its value on one line, as docx tables do: cell by cell, "750 kr."
    sat in a paragraph of its own, away from what it is the price of."""
    html = ("<html><body><h1>Priser</h1><p>Kontingent:</p><table>"
            "<tr><th>Type</th><th>Pris</th></tr>"
            "<tr><td>Junior (under 18 år)</td><td>750 kr.</td></tr>"
            "<tr><td>Senior</td><td><table><tr><td>indre</td></tr></table></td></tr>"
            "<tr><td colspan=2> </td></tr></table><p>Efter.</p></body></html>")
    doc = load_document(_write(tmp_path / "priser.html", html))
    assert doc.text == "Priser\n\nKontingent:\n\nType | Pris\nJunior (under 18 år) | 750 kr.\nSenior | indre\n\nEfter."


def test_markdown_pipe_table_reads_one_line_per_row_and_keeps_heading_lines(tmp_path: Path) -> None:
    text = ("# Priser\n\n| Type | Pris |\n|:---|--:|\n| Junior (under 18 år) | 750 kr. |\n"
            "| Senior \\| voksen | 1.650 kr. |\n\nEfter | ikke en tabel\n\n## Næste\nMere.\n")
    doc = load_document(_write(tmp_path / "priser.md", text))
    assert doc.text == ("Priser\n\nType | Pris\n\nJunior (under 18 år) | 750 kr.\nSenior / voksen | 1.650 kr.\n\n"
                        "Efter | ikke en tabel\n\nNæste\nMere.")
    nxt = [s for s in doc.sections if s.value == "Næste"]
    assert nxt and doc.text[nxt[0].start:].startswith("Næste\nMere.")  # the rule line kept its line


def test_markdown_table_cells_are_never_read_as_markdown_and_fenced_tables_stay(tmp_path: Path) -> None:
    text = ("# Liste\n\n| # | Navn | Svar |\n|---|---|---|\n| 1 | Anna | Ja |\n| 2 | Bo | Ja |\n\n"
            "```\n| a | b |\n|---|---|\n```\n\n## Næste\nMere.\n")
    doc = load_document(_write(tmp_path / "liste.md", text))
    assert "# | Navn | Svar\n\n1 | Anna | Ja\n2 | Bo | Ja" in doc.text  # "Ja" twice: no merged cells here
    assert "| a | b |" in doc.text
    assert [s.value for s in doc.sections] == ["Næste"]  # "| Navn" is no heading


def test_html_table_caption_and_layout_tables(tmp_path: Path) -> None:
    html = ("<html><body><h1>P</h1><table><caption>Priser 2025</caption><tr><td>Basis</td><td>Ja</td>"
            "<td>Ja</td></tr></table><h2>Betaling</h2><p>Betal nu.</p><table><tr><td><h2>Åbningstider</h2>"
            "<p>Vi har åbent hver dag.</p></td></tr></table><h2>Adresse</h2><p>Vej 1.</p></body></html>")
    doc = load_document(_write(tmp_path / "side.html", html))
    assert doc.text.startswith("P\n\nPriser 2025\nBasis | Ja | Ja\n\nBetaling")
    assert "Åbningstider\n\nVi har åbent hver dag." in doc.text  # a layout table reads as blocks
    assert [(s.value, doc.text[s.start:].split("\n")[0]) for s in doc.sections] == [
        ("Betaling", "Betaling"), ("Åbningstider", "Åbningstider"), ("Adresse", "Adresse")]


def test_pdf_text_title_and_rejoined_lines(tmp_path: Path) -> None:
    data = make_pdf(["Børnene Først blev vedtaget den 11. maj.", "Reformen skal hjælpe udsatte", "børn og familier."],
                    title="Reformen")
    doc = load_document(_write(tmp_path / "reform.pdf", data))
    assert doc.text == "Børnene Først blev vedtaget den 11. maj.\nReformen skal hjælpe udsatte børn og familier."
    assert doc.title == "Reformen"


def test_a_pdf_line_wrapped_after_an_abbreviation_is_rejoined(tmp_path: Path) -> None:
    # eval/trial27's gym: "En pause koster 49 kr. pr." / "måned og …" was split, "49 kr. pr." quoted
    data = make_pdf(["En pause koster 49 kr. pr.", "måned og skal meddeles senest den 20.", "Vi ses.",
                     "ny linje med lille begyndelse"])
    doc = load_document(_write(tmp_path / "fit.pdf", data))
    assert "En pause koster 49 kr. pr. måned og skal meddeles senest den 20." in doc.text.split("\n")
    # a sentence's own full stop still ends its line
    assert "ny linje med lille begyndelse" in doc.text.split("\n")


def test_a_pdf_without_a_text_layer_says_to_run_ocr(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # what a scan is to a text extractor
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnreadableFileError, match=r"no text layer \(a scan\? run OCR"):
        load_document(_write(tmp_path / "scan.pdf", buf.getvalue()))


def test_encrypted_pdf_is_unreadable(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(make_pdf(["Hemmelig tekst."])))
    writer.encrypt(user_password="hemmelig", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(UnreadableFileError, match="encrypted PDF"):
        load_document(_write(tmp_path / "låst.pdf", buf.getvalue()))


def test_docx_paragraphs_tables_and_title(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Notat om Børnene Først"
    document.add_heading("Børnene Først", level=1)
    document.add_paragraph("Reformen blev vedtaget den 11. maj. Den gælder børn og unge – også på Ærø.")
    table = document.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "År", (0, 1): "Beløb", (1, 0): "2021", (1, 1): "14 mia. kr."}.items():
        table.cell(r, c).text = value
    document.add_paragraph("Sidste afsnit.")
    path = tmp_path / "notat.docx"
    document.save(str(path))

    doc = load_document(path)
    assert doc.text == (
        "Børnene Først\n\nReformen blev vedtaget den 11. maj. Den gælder børn og unge – også på Ærø.\n\n"
        "År | Beløb\n2021 | 14 mia. kr.\n\nSidste afsnit."
    )
    assert doc.title == "Notat om Børnene Først"


def test_docx_row_keeps_equal_cells_and_reads_a_merged_cell_once(tmp_path: Path) -> None:
    """Two cells that say the same are two columns (the row stays as wide as its header); a cell
    merged across columns is one."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    rows = [("Post", "Hidtil", "Fra marts"), ("Antenne", "179 kr.", "179 kr."), ("Note", "", "")]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 2)).text = "uændret"
    path = tmp_path / "leje.docx"
    document.save(str(path))
    assert load_document(path).text == "Post | Hidtil | Fra marts\nAntenne | 179 kr. | 179 kr.\nNote | uændret"


def test_docx_table_inside_a_cell_is_read(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Priser"
    inner = table.cell(0, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "Junior", "42 kr."
    path = tmp_path / "priser.docx"
    document.save(str(path))
    doc = load_document(path)
    assert "Junior | 42 kr." in doc.text
    assert doc.date is None  # python-docx's template date (2013-12-23) is not the document's


def test_html_hidden_elements_are_not_text(tmp_path: Path) -> None:
    html = ('<html><body><p>Synlig tekst om børn.</p><p hidden>SKJULT1</p>'
            '<p style="color: red; display : none">SKJULT3</p><span style="visibility:hidden">SKJULT4</span>'
            '</body></html>')
    text = load_document(_write(tmp_path / "h.html", html)).text
    assert text == "Synlig tekst om børn."
    # a page hidden until its script runs is still its text; aria-hidden hides from screen readers only
    shown = ('<html><body style="display:none"><p>Tekst om børn.</p><p aria-hidden="true">Også set.</p>'
             '</body></html>')
    assert load_document(_write(tmp_path / "s.html", shown)).text == "Tekst om børn.\n\nOgså set."


def test_html_in_utf8_under_a_wrong_charset_reads_as_utf8(tmp_path: Path) -> None:
    html = '<html><head><meta charset="iso-8859-1"></head><body><p>Høringssvar fra Søndervangskolen</p></body></html>'
    doc = load_document(_write(tmp_path / "m.html", html.encode("utf-8")))
    assert doc.text == "Høringssvar fra Søndervangskolen"
    latin = load_document(_write(tmp_path / "l.html", html.encode("latin-1")))  # what it declares: as declared
    assert latin.text == "Høringssvar fra Søndervangskolen"


def test_seeds_all_load() -> None:
    files, skipped = discover([PROJECT_ROOT / "seeds"])
    assert len(files) == 5 and skipped == []
    for path in files:
        doc = load_document(path)
        assert doc.text and len(doc.sha256) == 64


def test_a_file_name_that_is_not_utf8_is_skipped_not_fatal(tmp_path: Path) -> None:
    import os

    from rag.ingest.loaders import discover

    (tmp_path / "god.txt").write_text("Sorø Kommune.", encoding="utf-8")
    with open(os.path.join(os.fsencode(tmp_path), b"b\xf8rn.txt"), "wb") as f:
        f.write(b"Sor\xf8 Kommune.")
    files, skipped = discover([tmp_path])
    assert [p.name for p in files] == ["god.txt"]
    assert len(skipped) == 1 and "not valid UTF-8" in skipped[0][1]
    str(skipped[0][0]).encode("utf-8")  # printable: the shown name has no surrogates


def test_load_document_uses_bytes_the_caller_already_read(tmp_path: Path) -> None:
    from rag.ingest.loaders import load_document

    path = tmp_path / "doc.txt"
    path.write_text("Ændret siden.", encoding="utf-8")
    data = "Sorø Kommune har en borgmester.".encode()
    doc = load_document(path, data=data)
    assert doc.text == "Sorø Kommune har en borgmester."
    assert doc.sha256 == hashlib.sha256(data).hexdigest()


def test_a_rows_empty_cells_keep_its_columns_in_every_format(tmp_path: Path) -> None:
    """An empty cell is EMPTY_CELL in a row with text in two cells, so rows stay as wide as their
    header (a header's empty corner too); a row with text in one cell is that text, as before."""
    import docx

    from rag.ingest.loaders import EMPTY_CELL

    assert EMPTY_CELL == "–"
    from rag.ingest.loaders import table_row

    assert table_row(["Note", "\u200b", "x"]) == "Note | – | x"  # an invisible character is no text
    expected = "– | Hund | Kat\nKloklip | – | Gratis\nVaccination | 150 kr. | –\nNote"
    html = ("<html><body><table><tr><th></th><th>Hund</th><th>Kat</th></tr>"
            "<tr><td>Kloklip</td><td> </td><td>Gratis</td></tr>"
            "<tr><td>Vaccination</td><td>150 kr.</td><td></td></tr>"
            "<tr><td></td><td>Note</td><td></td></tr></table></body></html>")
    assert load_document(_write(tmp_path / "klinik.html", html)).text == expected
    md = "| | Hund | Kat |\n|---|---|---|\n| Kloklip | | Gratis |\n| Vaccination | 150 kr. | |\n| | Note | |\n"
    assert load_document(_write(tmp_path / "klinik.md", md)).text == expected.replace("Kat\n", "Kat\n\n", 1)
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for r, row in enumerate([("", "Hund", "Kat"), ("Kloklip", "", "Gratis"), ("Vaccination", "150 kr.", ""),
                             ("", "Note", "")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "klinik.docx"
    document.save(str(path))
    assert load_document(path).text == expected


def test_a_hard_wrapped_line_ending_on_a_preposition_goes_on_into_a_name(tmp_path: Path) -> None:
    # a review's PDF quoted "Ved regn flyttes vielsen til" alone; a short heading ending so stays a line
    path = _write(tmp_path / "bryllup.txt", ("Vielse i slotsparken kan tilkøbes for 3.500 kr. Ved regn flyttes vielsen"
                                             " til\nOrangeriet uden beregning.\n\nPriser for\nRiddersalen\n\n"
                                             "Du kan hente brændet selv fredag kl. 14-18. Ved afhentning får du\n"
                                             "100 kr. i rabat pr. rummeter.\n\n"
                                             "Vi holder lukket på følgende dage i julen og nytåret hvert eneste år\n"
                                             "24. december\n31. december\n").encode())
    text = load_document(path).text
    assert "vielsen til Orangeriet uden beregning." in text
    assert "Priser for\nRiddersalen" in text
    assert "får du 100 kr. i rabat" in text
    assert "\n24. december\n31. december" in text  # a list of dates stays a list
