"""The shipped reference data in data/ and the validation of catalogue files."""

from __future__ import annotations

import pytest

from controlling.errors import ReferenceDataError
from controlling.reference.shipped import UNITS, read_indicators


def test_codes_are_unique(reference):
    for frame in (reference.fields, reference.areas, reference.indicators):
        assert frame["code"].is_unique


def test_five_rated_fields_and_kontext(reference):
    assert list(reference.fields["name"]) == [
        "Bildung",
        "Sprache",
        "Arbeit",
        "Gesellschaft",
        "Kommunikation",
        "Kontext",
    ]
    assert not reference.fields.set_index("name").loc["Kontext", "rated"]


def test_catalogue_is_complete(reference):
    indicators = reference.indicators
    assert len(indicators) >= 35
    assert set(indicators["field"]) == set(reference.fields["code"])
    assert indicators["unit"].isin(UNITS).all()
    assert (indicators["definition"].str.len() > 40).all()
    assert (indicators["source"].str.len() > 10).all()
    kontext = indicators.loc[indicators["field"] == "KTX"]
    assert (kontext["polarity"] == "neutral").all()


def test_every_quota_has_a_factor_and_a_definition_with_numerator_and_denominator(reference):
    quotas = reference.indicators.loc[reference.indicators["aggregation"] == "quote"]
    assert (quotas["factor"] > 0).all()
    assert quotas["definition"].str.contains("÷").all()
    percent = reference.indicators["unit"] == "%"
    assert (reference.indicators.loc[percent, "factor"] == 100).all()


def test_peine_has_seven_gemeinden_and_the_ilsede_merger(reference):
    areas = reference.areas.set_index("code")
    current = areas.loc[(areas["parent"] == "03157") & areas["valid_to"].isna()]
    assert len(current) == 7
    for dissolved in ("03157003", "03157004"):
        assert str(areas.loc[dissolved, "valid_to"]) == "2014-12-31"
        assert areas.loc[dissolved, "successor"] == "03157009"
    assert str(areas.loc["03157009", "valid_from"]) == "2015-01-01"
    assert areas.loc["03", "comparison"]


def test_a_bad_catalogue_reports_every_problem_with_line_and_column(tmp_path, reference):
    path = tmp_path / "kennzahlen.csv"
    path.write_text(
        "kennzahl;bezeichnung;handlungsfeld;einheit;richtung;aggregation;faktor\n"
        "X-1;Gut;Bildung;%;hoch;quote;100\n"
        "X-1;Doppelt;Bildung;%;hoch;quote;100\n"
        "X-2;Feld falsch;Sport;%;hoch;quote;100\n"
        "X-3;Richtung falsch;Sprache;Anzahl;besser;summe;\n"
        "X-4;Faktor fehlt;Arbeit;Tage;niedrig;quote;\n",
        encoding="utf-8",
    )
    with pytest.raises(ReferenceDataError) as caught:
        read_indicators(path, reference.fields)
    found = {(p.line, p.column) for p in caught.value.problems}
    assert {(2, "kennzahl"), (3, "kennzahl"), (4, "handlungsfeld"), (5, "richtung"), (6, "faktor")} <= found
    text = str(caught.value)
    assert "kennzahlen.csv, Zeile 4, Spalte »handlungsfeld« (Wert »Sport«): Unbekanntes Handlungsfeld" in text


def test_a_catalogue_without_required_columns_names_them(tmp_path, reference):
    path = tmp_path / "kennzahlen.csv"
    path.write_text("kennzahl;name\nX;Y\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError) as caught:
        read_indicators(path, reference.fields)
    assert "Die Spalte »bezeichnung« fehlt. Gefunden wurden: kennzahl, name" in str(caught.value)
