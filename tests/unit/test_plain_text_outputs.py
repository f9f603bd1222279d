"""A plain-text audit of the report and the exports (issue 29, point 7): free text staff wrote never becomes a
link, an image, a script or a formula in the report's HTML and PDF, its workbook, the CSV exports, the status
CSV or the Zielsystem export. The texts are those of tests/hostile_texts.py, stored in a demo database."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from controlling.bootstrap import initialize
from controlling.cli import main
from controlling.db import Store
from controlling.report import pdf as report
from tests.hostile_texts import OUTSIDE, store_hostile_texts

FORMULA_SIGNS = ("=", "+", "@", "\t", "\r")


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("klartext") / "feindlich.duckdb"
    store = Store(path)
    initialize(store, demo=True)
    store_hostile_texts(store)
    store.close()
    return path


class _Elements(HTMLParser):
    """Every element of a document with an attribute naming the outside host, and every script."""

    def __init__(self) -> None:
        super().__init__()
        self.live: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" or any(OUTSIDE in (value or "") for _, value in attrs):
            self.live.append(f"<{tag} {attrs}>")


def _run(*args: str) -> str:
    out = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(out):
        assert main(list(args)) == 0
    return out.getvalue()


def _formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run: starting with = + @ (or - followed by a letter), not neutralized by '."""
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_SIGNS) or (cell.startswith("-") and len(cell) > 1 and not cell[1].isdigit())
    ]


def test_the_report_html_shows_the_texts_and_makes_no_element_of_them(database):
    store = Store(database)
    try:
        document = report.report_html(report.collect(store))
    finally:
        store.close()
    elements = _Elements()
    elements.feed(document)
    # The report's own scripts draw its charts; none comes from a text.
    assert not [e for e in elements.live if OUTSIDE in e], elements.live
    assert f"&lt;img src=&#x27;https://{OUTSIDE}/html.png&#x27;&gt;" in document  # shown, as text
    assert "=HYPERLINK(" in document


def test_the_report_pdf_has_no_link_to_anywhere_and_shows_the_texts(database, tmp_path):
    pdf = tmp_path / "bericht.pdf"
    _run("--db", str(database), "report", "--out", str(pdf))
    reader = PdfReader(pdf)
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI"))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if annotation.get_object().get("/A", {}).get("/URI") is not None
    ]
    assert not [uri for uri in uris if OUTSIDE in uri], uris
    text = "".join(page.extract_text() for page in reader.pages)
    assert OUTSIDE in text  # the texts are in the report, as text


def test_the_report_workbook_holds_text_not_formulas_or_links(database, tmp_path):
    workbook = tmp_path / "bericht.xlsx"
    _run("--db", str(database), "export", "--format", "xlsx", "--out", str(workbook))
    book = load_workbook(workbook)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.coordinate for c in cells if c.hyperlink is not None]
    texts = [str(c.value) for c in cells if isinstance(c.value, str)]
    assert any(text.startswith("'=HYPERLINK(") for text in texts)  # the formula text, neutralized
    assert any(OUTSIDE in text for text in texts)


@pytest.mark.parametrize(
    "command",
    [("export", "--format", "csv"), ("status", "--format", "csv")],
    ids=["export", "status"],
)
def test_the_csv_outputs_hold_no_formula(database, command):
    rows = list(csv.reader(io.StringIO(_run("--db", str(database), *command)), delimiter=";"))
    assert len(rows) > 100
    assert not _formula_cells(rows)


def test_the_zielsystem_export_holds_the_titles_as_text_and_no_formula(database, tmp_path):
    _run("--db", str(database), "zielsystem", "export", "--out", str(tmp_path))
    text = (tmp_path / "zielsystem.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert any(OUTSIDE in cell for row in rows for cell in row)
    assert not _formula_cells(rows)
