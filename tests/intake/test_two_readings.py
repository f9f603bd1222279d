"""A plain Werte file is read by the store (DuckDB); a file it cannot read strictly is read line by line.
Both readings must come to the same preview: the same problems, skipped rows and values, line by line."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import controlling.intake as intake
from controlling.intake import prepare, preview_rows

BLANKS = st.sampled_from(["", "", "", " ", "  ", "\t", "\u00a0", " \u00a0"])
INDICATORS = st.sampled_from(["BIL-01", "bil-01", "KTX-03", "KTX-02", "Einbürgerungen", "XYZ-99", ""])
AREAS = st.sampled_from(["03157006", "Peine (Stadt)", "Edemissen", "03157", "Lahstedt", "03157005", "Atlantis", ""])
YEARS = st.sampled_from(["2024", "2015", "2014", "2020.0", "1800", "20x4", "2_024", "", "2023,5"])
NUMBERS = st.sampled_from(
    ["12", "12,5", "12.5", "51.234", "1.234,5", "1,234.5", "-3", "150", "1e400", "1_000", "nan", "-", ".",
     "x", "(7)", "12 p", "3e", "", "0", "187", "789", "12\u00a0345", "abc"]
)  # fmt: skip
BREAKDOWNS = st.sampled_from(["", "", "Geschlecht=weiblich", "Alter=u18 | Geschlecht=m", "kaputt", " "])
FLAGS = st.sampled_from(["", "", "p", "x", "q"])
NOTES = st.sampled_from(["", "", "Hinweis", "Schätzung des Amtes"])


def padded(cells: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(BLANKS, cells, BLANKS).map("".join)


LINE = st.tuples(
    padded(INDICATORS),
    padded(AREAS),
    padded(YEARS),
    padded(NUMBERS),
    padded(NUMBERS),
    padded(NUMBERS),
    padded(BREAKDOWNS),
    padded(FLAGS),
    padded(NOTES),
).map(";".join)
HEADER = "kennzahl;gebiet;jahr;wert;zaehler;nenner;aufschluesselung;kennzeichen;anmerkung"


def reading(store, data: bytes, monkeypatch, *, by_store: bool):
    with monkeypatch.context() as patch:
        if not by_store:
            patch.setattr(intake, "_stage_file", lambda store, delimited: None)
        preview = prepare(store, "werte.csv", data)
    rows = preview_rows(store, preview).drop(columns=["old_value", "old_numerator", "old_denominator", "old_flag"])
    return preview.problems, preview.skipped, rows.reset_index(drop=True)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINE, min_size=1, max_size=12))
def test_the_store_reads_a_plain_file_as_the_line_by_line_reader_does(demo_store, monkeypatch, lines):
    data = "\n".join([HEADER, *lines, ""]).encode()
    by_store = reading(demo_store, data, monkeypatch, by_store=True)
    by_line = reading(demo_store, data, monkeypatch, by_store=False)
    for left, right in zip(by_store, by_line, strict=True):
        pd.testing.assert_frame_equal(left, right, check_dtype=False)


def test_both_readings_are_really_taken(demo_store, monkeypatch):
    """The comparison above means something only when the store does read plain files itself."""
    calls = []
    original = intake._stage_file

    def counted(store, delimited):
        calls.append(delimited)
        return original(store, delimited)

    monkeypatch.setattr(intake, "_stage_file", counted)
    data = f"{HEADER}\n BIL-01 ; Edemissen ;2024; 12,5 ;;;;;\n".encode()
    preview = prepare(demo_store, "werte.csv", data)
    assert calls and preview.problems.empty
    assert preview_rows(demo_store, preview).loc[0, ["indicator", "area", "value"]].tolist() == [
        "BIL-01",
        "03157001",
        12.5,
    ]
