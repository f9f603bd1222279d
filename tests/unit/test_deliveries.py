"""Delivery calendar (issue 14): catalogue columns, periods and deadlines, who delivers what, the state of each
delivery, the reminder letter and the provider's template."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest

from controlling.deliveries.schedule import check_delivery_columns, delivery_periods
from controlling.deliveries.state import calendar, provider_names, reminder_text, responsibilities, upload_scope
from controlling.deliveries.templates import TEMPLATE_COLUMNS, template_csv, template_file_name, template_frame
from controlling.intake.registry import read_any
from controlling.reference.shipped import load_reference

TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def catalogue(*rows: tuple[str, str, str, str, str]) -> pd.DataFrame:
    """(code, provider, rhythm, reference_date, deadline) with the columns the calendar reads."""
    frame = pd.DataFrame(rows, columns=["code", "provider", "rhythm", "reference_date", "deadline"])
    return frame.assign(name="Name " + frame["code"], aggregation="keine", unit="%", decimals=1)


def test_the_shipped_catalogue_names_provider_stichtag_rhythm_and_deadline(reference):
    indicators = reference.indicators.set_index("code")
    assert indicators.loc["ARB-03", ["provider", "rhythm", "reference_date", "deadline"]].tolist() == [
        "Jobcenter Landkreis Peine",
        "jährlich",  # defined for December only (issue 23): a half-yearly delivery had no definition
        "31.12.",
        "31.03.",
    ]
    assert indicators.loc["BIL-01", ["reference_date", "deadline"]].tolist() == ["01.03.", "30.06."]
    assert set(indicators["rhythm"]) <= {"jährlich", "halbjährlich", "zweijährlich", ""}


def test_delivery_columns_are_checked_with_line_and_column():
    raw = pd.DataFrame(
        {
            "stichtag": ["31.12.", "32.12.", "", "1.3", "30.02."],
            "rhythmus": ["jährlich", "monatlich", "jährlich", "Halbjährlich", "Zweijaehrlich"],
            "lieferfrist": ["31.03.", "31.03.", "31.03.", "30.6.", "30.06."],
        }
    )
    problems, normalized = check_delivery_columns(raw, file="k.csv")
    found = {(p.line, p.column) for p in problems}
    assert found == {(3, "stichtag"), (3, "rhythmus"), (4, "rhythmus"), (6, "stichtag")}
    assert "Erwartet wird »jährlich«, »halbjährlich«, »zweijährlich« oder ein leeres Feld" in next(
        p.message for p in problems if p.line == 3 and p.column == "rhythmus"
    )
    assert normalized.loc[3].tolist() == ["01.03.", "halbjährlich", "30.06."]
    assert normalized.loc[4, "rhythm"] == "zweijährlich"


@pytest.mark.parametrize(
    ("rhythm", "stichtag", "deadline", "expected"),
    [
        ("jährlich", "31.12.", "31.03.", [("2025", "2025-12-31", "2026-03-31")]),
        ("jährlich", "01.03.", "30.06.", [("2025", "2025-03-01", "2025-06-30")]),
        ("jährlich", "31.12.", "31.12.", [("2025", "2025-12-31", "2026-12-31")]),
        (
            "halbjährlich",
            "31.12.",
            "31.03.",
            [("1. Halbjahr 2025", "2025-06-30", "2025-09-30"), ("2. Halbjahr 2025", "2025-12-31", "2026-03-31")],
        ),
        ("", "31.12.", "31.03.", []),
    ],
)
def test_periods_and_deadlines(rhythm, stichtag, deadline, expected):
    periods = delivery_periods(catalogue(("X-01", "P", rhythm, stichtag, deadline)), 2025)
    found = [
        (p, f"{r:%Y-%m-%d}", f"{d:%Y-%m-%d}")
        for p, r, d in zip(periods["period"], periods["reference_date"], periods["deadline"], strict=True)
    ]
    assert found == expected


def test_gemeinden_deliver_their_own_area_others_the_whole_landkreis(reference):
    indicators = catalogue(
        ("X-01", "Gemeinden", "jährlich", "31.12.", "31.03."), ("X-02", "Jobcenter", "jährlich", "31.12.", "31.03.")
    )
    rows = responsibilities(indicators, reference.areas, year=2025)
    edemissen = rows.loc[rows["provider"] == "Edemissen"]
    assert edemissen[["indicator", "area"]].values.tolist() == [["X-01", "03157001"]]
    assert sorted(rows.loc[rows["provider"] == "Jobcenter", "area"]) == [
        "03157",
        "03157001",
        "03157002",
        "03157005",
        "03157006",
        "03157007",
        "03157008",
        "03157009",
    ]
    assert "Lahstedt" not in set(rows["provider"])  # no longer exists in 2025
    assert "Lahstedt" not in provider_names(indicators, reference.areas)
    assert set(upload_scope(indicators, reference.areas, "Edemissen")["indicator"]) == {"X-01"}


def arrivals(*rows: tuple) -> pd.DataFrame:
    """(indicator, area, year, intake_id, created_at[, breakdown]) rows as store.deliveries.arrivals gives them."""
    rows = tuple((*row, "") if len(row) == 5 else row for row in rows)
    frame = pd.DataFrame(rows, columns=["indicator", "area", "year", "intake_id", "created_at", "breakdown"])
    return frame.assign(
        created_at=pd.to_datetime(frame["created_at"]), file_name="lieferung_" + frame["intake_id"].astype(str) + ".csv"
    )


def test_state_of_each_delivery(reference):
    indicators = catalogue(
        ("X-01", "Jobcenter", "jährlich", "31.12.", "31.03."),
        ("X-02", "Jobcenter", "jährlich", "31.12.", "31.03."),
        ("X-03", "Jobcenter", "jährlich", "31.12.", "31.12."),
        ("X-04", "Jobcenter", "halbjährlich", "31.12.", "31.03."),
    )
    came = arrivals(
        ("X-01", "03157001", 2025, 7, "2026-02-01"),
        ("X-01", "03157002", 2025, 8, "2026-02-03"),
        ("X-02", "03157001", 2025, 3, "2025-11-30"),  # before the Stichtag: not this delivery
        ("X-04", "03157", 2025, 5, "2025-08-01", "Halbjahr=1"),  # after 30.06., named: the first half
        ("X-01", "03157001", 2024, 2, "2025-02-01"),  # another year
    )
    rows = calendar(indicators, reference.areas, came, year=2025, today=TODAY).set_index(["indicator", "period"])
    assert rows.loc[("X-01", "2025"), "state"] == "eingegangen"
    assert rows.loc[("X-01", "2025"), "intake_id"] == 7  # the first import that brought it
    assert rows.loc[("X-01", "2025"), "file_name"] == "lieferung_7.csv"
    assert rows.loc[("X-01", "2025"), ["areas_delivered", "areas_expected"]].tolist() == [2, 8]
    assert rows.loc[("X-02", "2025"), "state"] == "überfällig"
    assert rows.loc[("X-03", "2025"), "state"] == "erwartet"  # deadline 31.12.2026 not passed
    assert rows.loc[("X-04", "1. Halbjahr 2025"), "state"] == "eingegangen"
    assert rows.loc[("X-04", "2. Halbjahr 2025"), "state"] == "überfällig"


def test_one_yearly_row_is_the_delivery_of_one_half_only(reference):
    """Issue 25 point 7: a yearly row (no half-year) marked both halves of ARB-03 as received."""
    indicators = catalogue(("X-04", "Jobcenter", "halbjährlich", "31.12.", "31.03."))
    yearly = arrivals(("X-04", "03157", 2025, 9, "2026-01-15"))
    rows = calendar(indicators, reference.areas, yearly, year=2025, today=TODAY).set_index("period")
    assert rows.loc["2. Halbjahr 2025", "state"] == "eingegangen"  # the Stichtag's value is the year's value
    assert rows.loc["1. Halbjahr 2025", "state"] == "überfällig"
    both = arrivals(("X-04", "03157", 2025, 9, "2026-01-15"), ("X-04", "03157", 2025, 9, "2026-01-15", "Halbjahr=1"))
    rows = calendar(indicators, reference.areas, both, year=2025, today=TODAY).set_index("period")
    assert set(rows["state"]) == {"eingegangen"}


def test_a_two_yearly_survey_is_due_every_second_year(reference):
    indicators = catalogue(("X-05", "Jobcenter", "zweijährlich", "31.12.", "31.03."))
    came = arrivals(("X-05", "03157", 2023, 4, "2024-02-01"))
    due = {
        year: calendar(indicators, reference.areas, came, year=year, today=TODAY)["state"].tolist()
        for year in (2023, 2024, 2025)
    }
    assert due == {2023: ["eingegangen"], 2024: [], 2025: ["überfällig"]}
    assert delivery_periods(indicators, 2024)["period"].tolist() == ["2024"]


def test_reminder_names_every_overdue_delivery_of_the_provider(reference):
    indicators = catalogue(
        ("X-01", "Jobcenter", "jährlich", "31.12.", "31.03."), ("X-02", "Schulamt", "jährlich", "31.12.", "31.03.")
    )
    rows = calendar(indicators, reference.areas, arrivals(), year=2025, today=TODAY)
    letter = reminder_text(rows, provider="Jobcenter", region="Landkreises Peine", today=TODAY)
    assert letter.startswith("Erinnerung: Datenlieferung für das Integrationscontrolling – Jobcenter")
    assert "- X-01 Name X-01 (2025, Stichtag 31.12.2025, Lieferfrist 31.03.2026)" in letter
    assert "X-02" not in letter
    assert "des Landkreises Peine" in letter and "Mit freundlichen Grüßen" in letter
    assert reminder_text(rows.iloc[0:0], provider="Jobcenter", region="x", today=TODAY) == ""


def test_template_holds_the_providers_rows_empty_values_and_last_years_value(reference):
    indicators = catalogue(
        ("X-01", "Gemeinden", "jährlich", "31.12.", "31.03."), ("X-02", "Jobcenter", "jährlich", "31.12.", "31.03.")
    ).assign(decimals=[1, 0])
    previous = pd.DataFrame({"indicator": ["X-01", "X-01"], "area": ["03157001", "03157002"], "value": [23.75, 5.0]})
    frame = template_frame(indicators, reference.areas, previous, provider="Edemissen", year=2025)
    assert list(frame.columns) == list(TEMPLATE_COLUMNS)
    assert frame[["kennzahl", "gebiet", "jahr", "wert"]].values.tolist() == [["X-01", "03157001", "2025", ""]]
    assert frame["erlaeuterung"].iloc[0] == "Name X-01 (%) – Edemissen"
    text = template_csv(frame, indicators.set_index("code")["decimals"]).decode("utf-8-sig")
    assert text.splitlines() == [
        "kennzahl;gebiet;jahr;wert;zaehler;nenner;kennzeichen;anmerkung;aufschluesselung;erlaeuterung;vorjahr",
        "X-01;03157001;2025;;;;;;;Name X-01 (%) – Edemissen;23,8",
    ]
    assert template_file_name("Peine (Stadt)", 2025, "csv") == "vorlage_peine_stadt_2025.csv"


def test_a_filled_template_reads_as_a_werte_file_with_the_hints_ignored(reference):
    indicators = catalogue(("X-02", "Jobcenter", "jährlich", "31.12.", "31.03."))
    frame = template_frame(
        indicators,
        reference.areas,
        pd.DataFrame(columns=["indicator", "area", "value"]),
        provider="Jobcenter",
        year=2025,
    )
    assert len(frame) == 8  # aggregation keine: the Kreis and its seven Gemeinden
    filled = template_csv(frame.assign(wert="12,5"), pd.Series({"X-02": 1}))
    reading = read_any("vorlage.csv", filled)
    assert reading.kind == "werte" and reading.delimited is not None
    # the hint columns feed nothing: value is the 4th column, and erlaeuterung/vorjahr map to no raw column
    assert reading.delimited.columns == {
        "indicator": 0,
        "area": 1,
        "year": 2,
        "value": 3,
        "numerator": 4,
        "denominator": 5,
        "flag": 6,
        "note": 7,
        "breakdown": 8,
    }


def test_the_xlsx_template_reads_back_as_a_werte_file(reference):
    from controlling.deliveries.templates import template_xlsx

    indicators = catalogue(("X-02", "Jobcenter", "jährlich", "31.12.", "31.03."))
    previous = pd.DataFrame({"indicator": ["X-02"], "area": ["03157"], "value": [4.5]})
    frame = template_frame(indicators, reference.areas, previous, provider="Jobcenter", year=2025)
    workbook = template_xlsx(frame.assign(wert="12,5"))
    reading = read_any("vorlage.xlsx", workbook)
    assert reading.kind == "werte" and reading.format == "werte"
    kreis = pd.read_excel(io.BytesIO(workbook), sheet_name="Vorlage", dtype={"gebiet": str})
    assert kreis.set_index("gebiet").loc["03157", "vorjahr"] == 4.5  # a number in Excel
    assert pd.read_excel(io.BytesIO(workbook), sheet_name="Hinweise")["Hinweise"].str.contains("».«").any()


def test_a_half_yearly_indicator_has_a_template_row_per_half_year(reference):
    indicators = catalogue(("X-04", "Jobcenter", "halbjährlich", "31.12.", "31.03."))
    previous = pd.DataFrame({"indicator": ["X-04"], "area": ["03157"], "value": [4.5]})
    frame = template_frame(indicators, reference.areas, previous, provider="Jobcenter", year=2025)
    kreis = frame.loc[frame["gebiet"] == "03157"]
    assert kreis["aufschluesselung"].tolist() == ["Halbjahr=1", ""]
    assert kreis["erlaeuterung"].tolist() == [
        "Name X-04 (%) – Landkreis Peine – 1. Halbjahr 2025 (Stichtag 30.06.)",
        "Name X-04 (%) – Landkreis Peine – 2. Halbjahr 2025 (Stichtag 31.12., Jahreswert)",
    ]
    assert kreis["vorjahr"].isna().tolist() == [True, False]  # last year's value is the year's value
