"""GENESIS classic tables ("Werteabruf") in their layouts: time column or time line, row dimensions, headers."""

from __future__ import annotations

import math

import pytest

from controlling.errors import InputRejectedError
from controlling.intake import describe_preview, prepare, preview_rows

DATE_COLUMN_WITH_ROW_DIMENSION = """GENESIS-Tabelle: 22543-01-01-4
Kindertagesbetreuung nach Art der Kindertagesbetreuung - Stichtage -;;;;;;;
regionale Tiefe: Kreise und krfr. Städte;;;;;;;
;;;;Betreute Kinder;Betreute Kinder;Betreute Kinder;Kinder mit Mittagsverpflegung
;;;;;Altersgruppe;Altersgruppe;
;;;;;unter 3 Jahre;3 bis unter 6 Jahre;
;;;;Anzahl;Anzahl;Anzahl;Anzahl
01.03.2010;03157;      Peine, Landkreis;Tageseinrichtung;4737;600;3000;x
01.03.2010;03157;      Peine, Landkreis;Tagespflege;158;120;38;.
01.03.2010;03157;      Peine, Landkreis;Insgesamt;4895;720;3038;-
__________
"© Statistische Ämter des Bundes und der Länder, Deutschland, 2017."
Stand: 10.10.2017 / 18:21:55
"""

YEAR_LINE_ABOVE_BLOCKS = """GENESIS-Tabelle: 12711-04-02-4
Zu- und Fortzüge nach Altersgruppen;;;;;
2015;;;;;
;;;Zuzüge über die Kreisgrenzen;Zuzüge über die Kreisgrenzen;Fortzüge über die Kreisgrenzen
;;;Geschlecht;Geschlecht;Geschlecht
;;;Insgesamt;weiblich;Insgesamt
;;;Anzahl;Anzahl;Anzahl
03157;      Peine, Landkreis;unter 18 Jahre;1447;666;587
03157;      Peine, Landkreis;Insgesamt;6725;3028;4491
2014;;;;;
;;;Zuzüge über die Kreisgrenzen;Zuzüge über die Kreisgrenzen;Fortzüge über die Kreisgrenzen
;;;Geschlecht;Geschlecht;Geschlecht
;;;Insgesamt;weiblich;Insgesamt
;;;Anzahl;Anzahl;Anzahl
03157;      Peine, Landkreis;unter 18 Jahre;1400;650;580
03157;      Peine, Landkreis;Insgesamt;6600;3000;4400
__________
Stand: 10.10.2017
"""


def stored(store, preview):
    return preview_rows(store, preview).set_index(["area", "year", "breakdown"])


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_date_column_row_dimension_and_nested_column_dimensions(empty_store, encoding):
    preview = prepare(
        empty_store, "22543.csv", DATE_COLUMN_WITH_ROW_DIMENSION.encode(encoding), create_missing_indicators=True
    )
    assert preview.problems.empty, preview.problems
    rows = stored(empty_store, preview)
    assert rows.loc[("03157", 2010, "Merkmal=Betreute Kinder"), "value"] == 4895
    kind = "Art der Kindertagesbetreuung=Tagespflege"
    assert rows.loc[("03157", 2010, f"Altersgruppe=unter 3 Jahre|{kind}|Merkmal=Betreute Kinder"), "value"] == 120
    special = rows.loc[
        ("03157", 2010, "Art der Kindertagesbetreuung=Tageseinrichtung|Merkmal=Kinder mit Mittagsverpflegung")
    ]
    assert math.isnan(special["value"]) and special["flag"] == "x"
    summary = describe_preview(preview)
    assert "Zeit: eigene Spalte (z. B. 01.03.2010)" in summary
    assert "Merkmal »Art der Kindertagesbetreuung«: Insgesamt, Tageseinrichtung, Tagespflege" in summary
    assert "Merkmal »Altersgruppe«: Insgesamt, unter 3 Jahre, 3 bis unter 6 Jahre" in summary


def test_a_year_line_above_each_block(empty_store):
    preview = prepare(empty_store, "12711.csv", YEAR_LINE_ABOVE_BLOCKS.encode(), create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    rows = stored(empty_store, preview)
    assert rows.loc[("03157", 2015, "Merkmal=Zuzüge über die Kreisgrenzen"), "value"] == 6725
    assert (
        rows.loc[("03157", 2014, "Altersgruppe=unter 18 Jahre|Merkmal=Fortzüge über die Kreisgrenzen"), "value"] == 580
    )
    assert rows.loc[("03157", 2014, "Geschlecht=weiblich|Merkmal=Zuzüge über die Kreisgrenzen"), "value"] == 3000
    assert preview.count("new") == 12


def test_text_in_a_value_cell_is_a_located_problem(empty_store):
    data = YEAR_LINE_ABOVE_BLOCKS.replace("1447;666", "1447;sechs").encode()
    preview = prepare(empty_store, "12711.csv", data, create_missing_indicators=True)
    problem = preview.problems.iloc[0]
    assert (problem["line"], problem["column"], problem["value"]) == (8, "Spalte 5", "sechs")
    assert "Text statt einer Zahl" in problem["message"]


def test_a_table_without_data_rows_names_what_is_expected(empty_store):
    with pytest.raises(InputRejectedError, match="keine Datenzeilen gefunden"):
        prepare(empty_store, "leer.csv", b"GENESIS-Tabelle: 12411-01-01-4\nTitel;;\n;;Insgesamt\n")


# Issue 23: the population by nationality as a Kreis downloads it. The first header row holds the labels of
# Nationalität without its name, over Geschlecht; the unit row says "1000" (thousands), which is not a year.
NATIONALITY_OVER_SEX = """GENESIS-Tabelle: 12411-03-02-4
Bevölkerung nach Geschlecht und Nationalität;;;;;;;;;;;
- Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte;;;;;;;;;;;
;;;Insgesamt;Insgesamt;Insgesamt;Deutsche;Deutsche;Deutsche;Ausländer(innen);Ausländer(innen);Ausländer(innen)
;;;Insgesamt;männlich;weiblich;Insgesamt;männlich;weiblich;Insgesamt;männlich;weiblich
;;;1000;1000;1000;1000;1000;1000;1000;1000;1000
31.12.2023;03;Niedersachsen;8140,2;4003,4;4136,8;7191,2;3496,8;3694,4;949,0;506,6;442,4
31.12.2023;03157;Peine, Landkreis;136,9;67,6;69,3;121,0;59,3;61,6;15,9;8,3;7,6
__________
(C)opyright Statistische Ämter des Bundes und der Länder, 2025
"""


def test_labels_of_an_unnamed_outer_dimension_are_labels_and_a_unit_of_1000_is_no_year(empty_store):
    preview = prepare(empty_store, "12411-03-02-4.csv", NATIONALITY_OVER_SEX.encode(), create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    rows = stored(empty_store, preview)
    assert rows.loc[("03157", 2023, "Nationalität=Ausländer(innen)"), "value"] == pytest.approx(15.9)
    assert rows.loc[("03157", 2023, "Geschlecht=weiblich|Nationalität=Deutsche"), "value"] == pytest.approx(61.6)
    assert rows.loc[("03", 2023, ""), "value"] == pytest.approx(8140.2)
    assert preview.count("new") == 18
    summary = describe_preview(preview)
    assert "Merkmal »Nationalität«: Insgesamt, Deutsche, Ausländer(innen)" in summary
    assert "Einheiten: 1000" in summary
