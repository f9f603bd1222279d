"""Open SDG files as the LSN publishes them: GeoCode prefixes, no area column, periods, months, signs."""

from __future__ import annotations

import pytest

from controlling.intake import commit, describe_preview, prepare, preview_rows


def stored(store, preview):
    return preview_rows(store, preview).set_index(["area", "year", "breakdown"])["value"]


def test_any_geocode_prefix_maps_to_the_ags_and_is_named(empty_store):
    data = (
        b"Year,Gebietseinheit,Units,GeoCode,Value\n"
        b'2024,"Peine",Anzahl,RH03157,2930\n'
        b'2024,"Emden, Stadt / Leer",Anzahl,MZ03402457,12\n'
        b'2023,"Peine",Anzahl,MZ03157,101.2\n'
    )
    preview = prepare(empty_store, "indicator_2-1-3.csv", data, create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    summary = describe_preview(preview)
    assert "GeoCode-Präfix »RH« (Gebiet der Ausländerbehörde) entfernt, z. B. RH03157 → 03157" in summary
    assert "»MZ« (Mikrozensus-Region)" in summary
    skipped = preview.skipped.set_index("line")
    assert "»Emden, Stadt / Leer« ist nicht genau ein Kreis" in skipped.loc[3, "message"]
    assert preview.count("new") == 2


def test_periods_months_signs_and_the_land_without_area_column(empty_store):
    data = (
        "Year,Kategorie,Value\n"
        "2024 / 2005,Veränderung,+12.6\n"
        "2024 / 2019,Veränderung,-1.5\n"
        "Juni 2007,Abstand,+3.0\n"
        "Dezember 2007,Abstand,2.5\n"
    ).encode()
    preview = prepare(empty_store, "indicator_5-3-3.csv", data, create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    values = stored(empty_store, preview)
    assert values[("03", 2024, "Kategorie=Veränderung|Zeitraum=2024 / 2005")] == pytest.approx(12.6)
    assert values[("03", 2024, "Kategorie=Veränderung|Zeitraum=2024 / 2019")] == pytest.approx(-1.5)
    assert values[("03", 2007, "Kategorie=Abstand|Monat=Juni")] == pytest.approx(3.0)
    assert values[("03", 2007, "Kategorie=Abstand|Monat=Dezember")] == pytest.approx(2.5)
    assert "Keine Gebietsspalte" in describe_preview(preview)


def test_area_names_without_geocode(empty_store):
    data = b"Year,Gebietseinheit,Value\n2023,Niedersachsen,11.9\n2023,Peine,10.5\n2023,Deutschland,20.2\n"
    preview = prepare(empty_store, "indicator_3-1-1.csv", data, create_missing_indicators=True)
    assert preview.problems.empty, preview.problems
    values = stored(empty_store, preview)
    assert values[("03", 2023, "")] == pytest.approx(11.9)
    assert values[("03157", 2023, "")] == pytest.approx(10.5)
    assert len(preview.skipped) == 1  # Deutschland is not in the area list
    commit(empty_store, preview, user="test")


def test_a_year_that_is_neither_year_period_nor_month_is_a_located_problem(empty_store):
    data = b"Year,GeoCode,Value\nirgendwann,K03157,1\n"
    preview = prepare(empty_store, "indicator_9-9-9.csv", data, create_missing_indicators=True)
    problem = preview.problems.iloc[0]
    assert (problem["line"], problem["value"]) == (2, "irgendwann")
