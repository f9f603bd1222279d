"""One method on both engines (issue 18): the same demo data give the same lights, and the report, on PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest
from pypdf import PdfReader

from benchmarks import postgres
from controlling import service
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.report import pdf as report

COLUMNS = ["indicator", "area", "year", "value", "status", "weather", "trend", "explanation"]


@pytest.fixture(scope="module")
def both(postgres_server, tmp_path_factory):
    name = "controlling_report"
    stores = {"duckdb": Store(tmp_path_factory.mktemp("bericht") / "bericht.duckdb")}
    stores["postgresql"] = Store(postgres.create_database(postgres_server, name))
    for store in stores.values():
        initialize(store, demo=True)
    yield stores
    for store in stores.values():
        store.close()
    postgres.drop_database(postgres_server, name)


def _status(store: Store) -> pd.DataFrame:
    table = service.status_table(store)
    columns = [c for c in COLUMNS if c in table.columns]
    return table[columns].sort_values(["indicator", "area"]).reset_index(drop=True)


def test_the_same_data_give_the_same_lights_and_sentences_on_both_engines(both):
    on_file, on_server = _status(both["duckdb"]), _status(both["postgresql"])
    assert len(on_file) > 100
    pd.testing.assert_frame_equal(on_file, on_server)
    print(f"\n{len(on_server)} Ampeln mit Begründung, auf beiden Maschinen gleich")


@pytest.mark.skipif(not report.CHROMIUM.exists(), reason="PDF-Bericht braucht /usr/bin/chromium")
def test_the_report_is_made_on_postgresql(both, tmp_path):
    data = report.collect(both["postgresql"])
    report.write_pdf(data, tmp_path / "bericht.pdf")
    report.write_excel(data, tmp_path / "bericht.xlsx")
    reader = PdfReader(str(tmp_path / "bericht.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Controlling-Bericht" in text
    assert (tmp_path / "bericht.xlsx").stat().st_size > 10_000
    size = (tmp_path / "bericht.xlsx").stat().st_size
    print(f"\nBericht auf PostgreSQL: {len(reader.pages)} Seiten PDF, Excel {size} Bytes")
