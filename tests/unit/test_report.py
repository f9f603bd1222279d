"""The Controlling-Bericht: PDF text, page count, data version, reproducibility, Excel, page images."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.intake import commit, prepare
from controlling.report import pdf as report

pytestmark = pytest.mark.skipif(not report.CHROMIUM.exists(), reason="PDF-Bericht braucht /usr/bin/chromium")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bericht")
    store = Store(folder / "bericht.duckdb")
    initialize(store, demo=True)
    data = report.collect(store)
    report.write_excel(data, folder / "bericht.xlsx")
    yield store, data, folder
    store.close()


@pytest.fixture(scope="module")
def printed(made):
    """The report printed as PDF in Chromium (only the slow tests need it)."""
    _, data, folder = made
    report.write_pdf(data, folder / "bericht.pdf")
    return folder / "bericht.pdf"


def text_of(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.slow  # prints the PDF in Chromium
def test_pdf_holds_title_version_lights_indicators_and_page_numbers(made, printed):
    _, _, folder = made
    pages, text = text_of(folder / "bericht.pdf")
    # with Leitbild und Ziele (about 3 pages) and Zielvorschläge since issue 14, eleven LSN Kennzahlen since issue 23
    assert 20 <= pages <= 56
    assert "Controlling-Bericht Integration\nLandkreis Peine" in text
    assert "Datenstand: Import Nr. 1 vom " in text and "DEMODATEN" in text
    assert "Demodaten (erzeugt)" not in text  # an import's file name is for staff, not in the public report
    assert "Bewertet nach Methode 3" in text and "Wetter: " in text and "Trend: " in text
    assert "überfällig" in text  # the demo's course measure was due on 31.12.2025
    assert "Auf einen Blick" in text and "Anhang: Definitionen und Quellen" in text
    assert "GeoBasis-DE / BKG 2021 (Daten verändert)" in " ".join(text.split())  # the licence asks for it
    for code in ("BIL-01", "SPR-03", "ARB-01", "GES-06", "KOM-04"):
        assert code in text
    assert "✖ Rot" in text and "✔ Grün" in text and "▲ Gelb" in text  # symbol and word: readable in black and white
    assert f"Seite 1 von {pages}" in text and f"Seite {pages} von {pages}" in text
    assert "Einordnung des Referats" in text and "Maßnahmen:" in text
    assert "Leitbild und Ziele" in text and "Leitziel BIL-L1" in text and "Zusammengefasst:" in text
    assert "Zielvorschläge (Entwürfe)" in text and "Entwurf – nicht beschlossen." in text
    assert text.index("Auf einen Blick") < text.index("Leitziel BIL-L1") < text.index("Zielvorschläge (Entwürfe)")
    reader = PdfReader(str(folder / "bericht.pdf"))
    assert reader.metadata.title == "Controlling-Bericht Integration Landkreis Peine 2024"  # not about:blank
    assert reader.pages[-1].extract_text().strip().count("\n") > 3  # the last page is not blank


def test_the_same_version_gives_the_same_numbers_after_a_later_upload(made):
    store, data, _ = made
    before = data.status.set_index(["indicator", "area"])["value"]
    upload = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;99999\n"
    commit(store, prepare(store, "neu.csv", upload), user="test")
    again = report.collect(store, version=data.version)
    assert again.status.set_index(["indicator", "area"])["value"].equals(before)
    newer = report.collect(store)
    assert newer.version > data.version
    assert "Stand" in again.context_stand and again.data_stand.startswith("Import Nr. 1 vom ")
    assert newer.status.set_index(["indicator", "area"]).loc[("KTX-03", "03157006"), "value"] == 99999


def test_an_earlier_data_version_uses_the_targets_in_force_then(made):
    store, data, _ = made
    upload = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2023;99999\n"
    commit(store, prepare(store, "neu2.csv", upload), user="test")
    later = pd.DataFrame(
        [
            {
                "indicator": "BIL-01",
                "area": "*",
                "target_year": 2030,
                "target_value": 40.0,
                "baseline_year": 2020,
                "decision": "später",
                "valid_from": dt.date.today() + dt.timedelta(days=1),
            }
        ]
    )
    store.targets.add(later, user="test")
    old = report.collect(store, version=data.version).status.set_index(["indicator", "area"])
    new = report.collect(store, day=dt.date.today() + dt.timedelta(days=1)).status.set_index(["indicator", "area"])
    assert old.loc[("BIL-01", "03157"), "target_value"] != 40.0
    assert new.loc[("BIL-01", "03157"), "target_value"] == 40.0


def test_excel_has_a_sheet_per_field_status_and_metadata_with_numbers(made):
    _, _, folder = made
    book = openpyxl.load_workbook(folder / "bericht.xlsx")
    assert {"Status", "Bildung", "Sprache", "Arbeit", "Gesellschaft", "Kommunikation", "Metadaten"} <= set(
        book.sheetnames
    )
    sheet = book["Bildung"]
    header = [cell.value for cell in sheet[1]]
    value = sheet.cell(row=2, column=header.index("Wert") + 1)
    assert isinstance(value.value, float) and value.number_format == "#,##0.0##"


@pytest.mark.slow  # the PDF printed in Chromium
@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm fehlt (apt-get install poppler-utils)")
def test_pages_render_to_png(made, printed):
    _, _, folder = made
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "3", str(folder / "bericht.pdf"), str(folder / "seite")],
        check=True,
    )
    images = sorted(folder.glob("seite-*.png"))
    assert len(images) == 3 and all(image.stat().st_size > 5_000 for image in images)
    target = Path(__file__).resolve().parents[1] / "e2e" / "screenshots"
    target.mkdir(parents=True, exist_ok=True)
    for image in images:
        shutil.copy(image, target / f"bericht_{image.name}")


def test_a_report_of_a_data_version_made_under_an_earlier_method_says_which():
    from controlling.report.pdf import method_note

    assert method_note(3).startswith("Bewertet nach Methode 3 (")
    assert "Als dieser Datenstand entstand, galt Methode 2" not in method_note(3)
    assert "Als dieser Datenstand entstand, galt Methode 2; die Ampeln können" in method_note(2)


def test_intakes_remember_the_method_in_force_when_they_were_made(tmp_path):
    from controlling.bootstrap import initialize
    from controlling.db import Store
    from controlling.method.status import METHOD_VERSION

    store = Store(":memory:")
    initialize(store, demo=True)
    assert set(store.intakes.history()["method_version"]) == {METHOD_VERSION}
    store.close()


def test_zielvorschlaege_name_the_area_and_show_the_unit():
    """Issue 25, point 8: the PDF's Zielvorschläge showed Gebiet »*« and »70« without its unit."""
    import pandas as pd

    from controlling.report.goals import drafts_html

    drafts = pd.DataFrame(
        {
            "indicator": ["SPR-01", "KTX-02"],
            "area": ["*", "03157001"],
            "target_value": [70.0, 4816.0],
            "target_year": [2032, 2030],
            "baseline_year": [2022, 2020],
            "source": ["Workshop", "Koordinierungsstab"],
        }
    )
    indicators = pd.DataFrame(
        {
            "code": ["SPR-01", "KTX-02"],
            "name": ["DTZ-Erfolgsquote", "Einwohner"],
            "unit": ["%", "Anzahl"],
            "decimals": [1, 0],
        }
    )
    shown = drafts_html(drafts, indicators, {"03157001": "Edemissen"}, "Landkreis Peine")
    assert "<td>Landkreis Peine (für die Gemeinden anteilig)</td><td>70,0 %</td>" in shown
    assert "<td>Edemissen</td><td>4.816</td>" in shown  # a count: no decimals, no unit word
    assert "<td>*</td>" not in shown
