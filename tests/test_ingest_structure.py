"""Structure through loading and chunking: PDF pages, heading paths (docx, Markdown, HTML), title and
date, as spans of the cleaned text whose offsets stay exact. Tiny real files built in the test."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from rag.ingest.chunker import Chunker
from rag.ingest.clean import Mark, clean_text
from rag.ingest.loaders import load_document
from rag.types import Document, Span
from tests.pdf_support import lines_stream, pdf_bytes


def make_pdf(pages: list[list[str]], title: str | None = None) -> bytes:
    """A minimal PDF, one page per list of lines (Helvetica, WinAnsi), written by hand."""
    return pdf_bytes([lines_stream(lines) for lines in pages], title, created="D:20230314120000Z")


def _span_text(doc: Document, spans: tuple[Span, ...], value: object) -> str:
    return "".join(doc.text[s.start:s.end] for s in spans if s.value == value)


# -- the cleaning step keeps marks aligned ---------------------------------------------------------
def test_marks_survive_dropped_boilerplate_and_repeats() -> None:
    raw = ("Hent vores app\nDel artiklen\nFørste side handler om Sorø.\n\nHent vores app\n"
           "Anden side handler om Ishøj.\nFoto: Jens Hansen\n")
    second = raw.index("Hent vores app", 10)
    cleaned = clean_text(raw, marks=[Mark(0, "page", 1), Mark(second, "page", 2)])
    assert cleaned.text == "Første side handler om Sorø.\n\nAnden side handler om Ishøj."
    pages = cleaned.spans["page"]
    assert [s.value for s in pages] == [1, 2]
    assert cleaned.text[pages[0].start:pages[0].end].strip() == "Første side handler om Sorø."
    assert cleaned.text[pages[1].start:pages[1].end] == "Anden side handler om Ishøj."
    assert pages[0].end == pages[1].start and pages[1].end == len(cleaned.text)


def test_no_marks_no_spans_and_text_unchanged() -> None:
    raw = "Titel her\n\nEn sætning.\r\nEn til.\x0cNy side."
    assert clean_text(raw).text == clean_text(raw, marks=[Mark(0, "section", "A")]).text
    assert clean_text(raw).spans == {}


# -- formats ----------------------------------------------------------------------------------------
def test_pdf_pages_become_spans_and_chunk_pages(tmp_path: Path) -> None:
    pages = [[f"Side {p} handler om emne nummer {p} i kommunen." for _ in range(6)] for p in (1, 2, 3)]
    path = tmp_path / "rapport.pdf"
    path.write_bytes(make_pdf(pages, title="Årsrapport 2023"))
    doc = load_document(path)
    assert doc.title == "Årsrapport 2023"
    assert doc.date == "2023-03-14"  # from the metadata: the text states no date
    assert [s.value for s in doc.pages] == [1, 2, 3]
    for p in (1, 2, 3):
        shown = _span_text(doc, doc.pages, p)
        assert f"Side {p} handler" in shown and f"Side {p % 3 + 1} handler" not in shown

    chunks = Chunker(chunk_tokens=30, overlap=0).chunk(doc)
    assert {c.page for c in chunks} == {1, 2, 3}
    for c in chunks:
        assert c.title == "Årsrapport 2023" and c.section is None
        assert f"Side {c.page} handler" in c.text.split(".")[0]
        assert c.page_end is not None and c.page_end >= c.page
    crossing = Chunker(chunk_tokens=400, overlap=0).chunk(doc)
    assert (crossing[0].page, crossing[0].page_end, crossing[0].pages) == (1, 3, "1–3")


def test_docx_heading_paths(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Børnene Først", level=0)  # the Title style: the document's title
    document.add_paragraph("Indledende tekst om reformen.")
    document.add_heading("Baggrund", level=1)
    document.add_paragraph("Reformen blev forhandlet i 2023.")
    document.add_heading("Økonomi", level=2)
    document.add_paragraph("Den koster 14 mia. kr.")
    document.add_heading("Tidsplan", level=1)
    document.add_paragraph("Den træder i kraft i 2025.")
    from docx.enum.style import WD_STYLE_TYPE

    document.styles.add_style("Overskrift 2", WD_STYLE_TYPE.PARAGRAPH)  # a Danish-named heading style
    document.add_paragraph("Første fase", style="Overskrift 2")
    document.add_paragraph("Kommunerne begynder i januar.")
    buf = io.BytesIO()
    document.save(buf)
    path = tmp_path / "notat.docx"
    path.write_bytes(buf.getvalue())

    doc = load_document(path)
    assert doc.title == "Børnene Først"
    assert [s.value for s in doc.sections] == ["Baggrund", "Baggrund › Økonomi", "Tidsplan",
                                               "Tidsplan › Første fase"]
    assert _span_text(doc, doc.sections, "Baggrund › Økonomi").startswith("Økonomi\n\nDen koster 14 mia. kr.")
    assert "forhandlet" in _span_text(doc, doc.sections, "Baggrund")
    chunks = Chunker(chunk_tokens=12, overlap=0).chunk(doc)
    by_text = {c.text: c for c in chunks}
    assert any(c.section == "Tidsplan" and "2025" in t for t, c in by_text.items())
    assert all(c.page is None for c in chunks)


def test_markdown_headings_with_markdown_it(tmp_path: Path) -> None:
    md = ("---\ntitle: Vejledning\ndate: 2022-02-01\n---\n"
          "Intro uden overskrift.\n\n"
          "# Ansøgning\n\nSådan søger du.\n\n"
          "## Frister <!-- intern\nnote -->\n\nFristen er 1. marts.\n\n"
          "```\n# ikke en overskrift\n```\n\n"
          "Klager\n------\n\nSkriv til **kommunen**.\n")
    path = tmp_path / "vejledning.md"
    path.write_text(md, encoding="utf-8")
    doc = load_document(path)
    assert doc.title == "Vejledning" and doc.date == "2022-02-01"
    assert [s.value for s in doc.sections] == ["Ansøgning", "Ansøgning › Frister", "Ansøgning › Klager"]
    assert _span_text(doc, doc.sections, "Ansøgning › Frister").startswith("Frister")
    assert "# ikke en overskrift" in _span_text(doc, doc.sections, "Ansøgning › Frister")
    assert _span_text(doc, doc.sections, "Ansøgning › Klager").startswith("Klager\n\nSkriv til kommunen.")
    assert "Intro uden overskrift." not in _span_text(doc, doc.sections, "Ansøgning")


def test_html_heading_paths_and_meta_date(tmp_path: Path) -> None:
    html = ("<html><head><title>Side | Kommunen</title>"
            "<meta property='article:published_time' content='2021-06-10T08:00:00Z'></head><body>"
            "<nav><h2>Menu</h2></nav>"
            "<article><h1>Nyt bibliotek</h1><p>Kommunen åbner et bibliotek.</p>"
            "<h2>Åbningstider</h2><p>Hver dag fra 8 til 20.</p>"
            "<h3>Helligdage</h3><p>Lukket juledag.</p>"
            "<h2>Adresse</h2><p>Torvet 1.</p></article></body></html>")
    path = tmp_path / "nyhed.html"
    path.write_text(html, encoding="utf-8")
    doc = load_document(path)
    assert doc.title == "Nyt bibliotek" and doc.date == "2021-06-10"
    assert "\ue002" not in doc.text
    assert [s.value for s in doc.sections] == ["Åbningstider", "Åbningstider › Helligdage", "Adresse"]
    assert _span_text(doc, doc.sections, "Åbningstider › Helligdage") == "Helligdage\n\nLukket juledag.\n\n"
    assert _span_text(doc, doc.sections, "Adresse") == "Adresse\n\nTorvet 1."


def test_date_in_the_text_wins_over_metadata(tmp_path: Path) -> None:
    html = ("<html><head><meta name='date' content='2019-01-01'></head><body>"
            "<h1>Nyhed om reformen</h1><p>Publiceret 3. maj 2024</p><p>Reformen er vedtaget.</p></body></html>")
    path = tmp_path / "n.html"
    path.write_text(html, encoding="utf-8")
    assert load_document(path).date == "2024-05-03"


def test_plain_text_has_no_structure(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("# Ikke markdown\n\nBare tekst.", encoding="utf-8")
    doc = load_document(path)
    assert doc.pages == () and doc.sections == ()
    chunk = Chunker().chunk(doc)[0]
    assert (chunk.page, chunk.page_end, chunk.section, chunk.pages) == (None, None, None, None)


# -- wild input ---------------------------------------------------------------------------------------
_LINES = st.lists(st.sampled_from(["Sorø Kommune fik en ny borgmester.", "", "Hent vores app", "Foto: X",
                                   "Del artiklen", "Kapitel 2", "* * *", "Reformen koster 14 mia. kr.",
                                   "Tilmeld dig her", "\x0c", "Kontakt", "Anne Hansen"]), max_size=30)


@given(_LINES, st.lists(st.tuples(st.integers(0, 2000), st.integers(1, 5)), max_size=8))
def test_spans_are_ordered_disjoint_and_inside_the_text(lines: list[str], marks: list[tuple[int, int]]) -> None:
    raw = "\n".join(lines)
    plain = clean_text(raw)
    cleaned = clean_text(raw, marks=[Mark(min(o, len(raw)), "page", v) for o, v in marks])
    assert cleaned.text == plain.text and cleaned.title == plain.title
    spans = cleaned.spans.get("page", ())
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
        assert a.end < b.start or a.value != b.value  # touching spans differ
    for sp in spans:
        assert 0 <= sp.start < sp.end <= len(cleaned.text)
    if marks and cleaned.text and min(o for o, _ in marks) == 0:
        assert spans and spans[0].start == 0 and spans[-1].end == len(cleaned.text)
