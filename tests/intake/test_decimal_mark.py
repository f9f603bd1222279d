"""One decimal rule per file (issue 29, point 1): the whole file decides between decimal comma and decimal
point, never the Kennzahl's decimals; a number the file leaves undecided is refused with both readings."""

from __future__ import annotations

import pyarrow as pa
import pytest

from controlling.intake import prepare, preview_rows
from controlling.tabular import DECIMAL_COMMA, DECIMAL_MIXED, DECIMAL_POINT, DECIMAL_UNDECIDED, decimal_mark

HEADER = "kennzahl;gebiet;jahr;wert;zaehler;nenner\n"


def values(store, body: str) -> dict[tuple[str, int], float]:
    preview = prepare(store, "werte.csv", (HEADER + body).encode())
    assert preview.problems.empty, preview.problems.to_dict("records")
    rows = preview_rows(store, preview)
    return {(row.indicator, int(row.line)): row.value for row in rows.itertuples()}


def problems(store, body: str, name: str = "werte.csv") -> list[tuple[int, str, str, str]]:
    preview = prepare(store, name, (HEADER + body).encode())
    return [tuple(row) for row in preview.problems[["line", "column", "value", "message"]].itertuples(index=False)]


def test_the_same_text_is_read_alike_for_every_kennzahl(reference_store):
    """Issue 29: 1.500 was 1500 for a Kennzahl without decimals and 12.500 was 12,5 for one with a decimal."""
    body = "KTX-03;03157006;2024;1.500;;\nKTX-02;03157001;2024;12.500;;\nBIL-01;03157002;2024;7,5;;\n"
    found = values(reference_store, body)
    assert found == {("KTX-03", 2): 1500.0, ("KTX-02", 3): 12500.0, ("BIL-01", 4): 7.5}


def test_a_decimal_point_elsewhere_makes_points_decimal(reference_store):
    found = values(reference_store, "KTX-03;03157006;2024;1.500;;\nBIL-01;03157001;2024;12.25;;\n")
    assert found == {("KTX-03", 2): 1.5, ("BIL-01", 3): 12.25}


def test_a_comma_grouped_count_decides_for_the_point(reference_store):
    found = values(reference_store, "KTX-03;03157006;2024;1,234,567;;\nKTX-02;03157001;2024;1,500;;\n")
    assert found == {("KTX-03", 2): 1234567.0, ("KTX-02", 3): 1500.0}


def test_a_number_no_rule_decides_is_refused_with_both_readings(reference_store):
    [(line, column, value, message)] = problems(reference_store, "KTX-03;03157006;2024;1.500;;\n")
    assert (line, column, value) == (2, "wert", "1.500")
    assert message == (
        "Diese Zahl lässt sich zweifach lesen: als 1.500 (mit Tausendertrennzeichen) oder als 1,5 (mit "
        "Dezimalzeichen), und keine andere Zahl der Datei entscheidet, ob sie Dezimalkomma oder Dezimalpunkt "
        "verwendet. Schreiben Sie 1500 oder 1,5."
    )


def test_an_undecided_denominator_is_named_in_its_column(reference_store):
    [(line, column, value, message)] = problems(reference_store, "BIL-01;03157001;2024;.;223;1,000\n")
    assert (line, column, value) == (2, "nenner", "1,000")
    assert "als 1.000 (mit Tausendertrennzeichen) oder als 1 (mit Dezimalzeichen)" in message


def test_a_file_writing_both_marks_is_refused_where_it_matters(reference_store):
    found = problems(
        reference_store, "BIL-01;03157001;2024;12,5;;\nBIL-01;03157002;2024;12.5;;\nBIL-01;03157005;2024;7;;\n"
    )
    mixed = (
        "Die Datei schreibt Dezimalzahlen mal mit Komma (Zeile 2: 12,5), mal mit Punkt (Zeile 3: 12.5); welche "
        "dieser Zahl gemeint ist, lässt sich nicht entscheiden. Schreiben Sie alle Zahlen der Datei mit "
        "Dezimalkomma (12,5) oder alle mit Dezimalpunkt (12.5)."
    )
    assert found == [(2, "wert", "12,5", mixed), (3, "wert", "12.5", mixed)]  # line 4 (7) is read


def test_open_sdg_writes_points(reference_store):
    data = b"Year,GeoCode,Value\n2023,K03157,1.500\n2024,K03157,2\n"
    preview = prepare(reference_store, "indicator_1-2-2.csv", data, create_missing_indicators=True)
    assert preview.problems.empty
    assert sorted(preview_rows(reference_store, preview)["value"]) == [1.5, 2.0]


@pytest.mark.parametrize(
    ("texts", "mark"),
    [
        (["1.500", "7"], DECIMAL_UNDECIDED),
        (["1.500", "7,5"], DECIMAL_COMMA),
        (["1.500", "1.234,5"], DECIMAL_COMMA),
        (["1.234.567"], DECIMAL_COMMA),
        (["1.500", "7.25"], DECIMAL_POINT),
        (["1,234.5"], DECIMAL_POINT),
        (["7,5", "7.25"], DECIMAL_MIXED),
        ([], DECIMAL_UNDECIDED),
    ],
)
def test_the_mark_a_column_decides(texts, mark):
    assert decimal_mark(pa.array(texts, type=pa.string())) == mark
