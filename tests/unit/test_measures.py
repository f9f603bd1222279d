"""Measures (issue 14): the one overdue rule, amounts typed the German way, checks, filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from controlling.measures.model import (
    MeasureError,
    MeasureFilter,
    MeasureInput,
    checked_fields,
    filter_measures,
    measure_state,
    name_fields_in_german,
    overdue,
    parse_amount,
)
from controlling.reference.shipped import load_reference

DAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("status", "due", "late"),
    [
        ("geplant", dt.date(2026, 5, 31), True),
        ("laufend", dt.date(2026, 5, 31), True),
        ("ausgesetzt", dt.date(2026, 5, 31), True),  # suspended is not closed
        ("abgeschlossen", dt.date(2026, 5, 31), False),
        ("laufend", DAY, False),  # due today: not yet overdue
        ("laufend", dt.date(2026, 6, 2), False),
        ("laufend", None, False),  # no due date
    ],
)
def test_overdue_rule(status, due, late):
    rows = pd.DataFrame({"status": [status], "due_date": [due]})
    assert bool(overdue(rows, DAY).iloc[0]) is late
    assert measure_state(rows, DAY).iloc[0] == (f"{status} – überfällig" if late else status)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("12.500", 12500.0), ("12.500,50 €", 12500.5), ("1500.5", 1500.5), ("0", 0.0), ("", None), (None, None)],
)
def test_amounts_are_typed_the_german_way(text, amount):
    assert parse_amount(text) == amount


@pytest.mark.parametrize(("text", "message"), [("zwölf", "keine Zahl"), ("-5", "nicht zwischen 0")])
def test_a_bad_amount_is_named(text, message):
    with pytest.raises(MeasureError, match=message):
        parse_amount(text)


GOALS = pd.DataFrame({"code": ["BIL-L1-H1"], "title": ["Sprachförderung"], "field": ["BIL"]})


@pytest.fixture(scope="module")
def reference():
    return load_reference()


def test_every_problem_of_a_measure_is_named_together(reference):
    bad = MeasureInput(
        title=" ",
        responsible="",
        status="fertig",
        indicators=["XYZ-99"],
        areas=["99999999"],
        start_date=dt.date(2026, 5, 1),
        due_date=dt.date(2026, 4, 1),
        funding_amount="viel",
    )
    with pytest.raises(MeasureError) as error:
        checked_fields(bad, reference.indicators, reference.areas, GOALS)
    text = str(error.value)
    for part in (
        "Titel und Verantwortlich sind Pflichtangaben",
        "Unbekannter Stand »fertig«",
        "Unbekannte Kennzahl: XYZ-99",
        "Unbekannte Gemeinde: 99999999",
        "Fällig am 01.04.2026 liegt vor dem Beginn 01.05.2026",
        "»viel« ist keine Zahl",
    ):
        assert part in text


def test_a_measure_needs_a_kennzahl_or_a_handlungsziel(reference):
    bare = MeasureInput(title="Kurs", responsible="Referat", status="geplant")
    with pytest.raises(MeasureError, match="mindestens eine Kennzahl oder ein Handlungsziel"):
        checked_fields(bare, reference.indicators, reference.areas, GOALS)
    fields = checked_fields(
        MeasureInput(title="Kurs", responsible="Referat", status="geplant", goal_code="BIL-L1-H1"),
        reference.indicators,
        reference.areas,
        GOALS,
    )
    assert fields["goal_code"] == "BIL-L1-H1"


def test_a_measure_names_a_handlungsziel_of_the_goal_system(reference):
    stray = MeasureInput(title="Kurs", responsible="Referat", status="geplant", goal_code="BIL-L9-H9")
    with pytest.raises(MeasureError, match="Das Handlungsziel »BIL-L9-H9« gibt es im Zielsystem nicht"):
        checked_fields(stray, reference.indicators, reference.areas, GOALS)


def test_filters_combine(reference):
    rows = pd.DataFrame(
        {
            "id": [1, 2, 3],
            "status": ["laufend", "geplant", "laufend"],
            "indicator_list": [["BIL-01"], ["ARB-01", "BIL-02"], []],
            "area_list": [["03157001"], [], ["03157006"]],
            "overdue": [True, False, False],
        }
    )
    indicators = reference.indicators

    def ids(**chosen):
        return filter_measures(rows, MeasureFilter(**chosen), indicators)["id"].tolist()

    assert ids() == [1, 2, 3]
    assert ids(fields=["BIL"]) == [1, 2]
    assert ids(fields=["ARB"], states=["geplant"]) == [2]
    assert ids(indicators=["BIL-01"]) == [1]
    assert ids(areas=["03157006"]) == [3]
    assert ids(only_overdue=True) == [1]


def test_the_report_lists_the_overdue_measures():
    from controlling.report.measures import overdue_measures_html

    rows = pd.DataFrame(
        {
            "title": ["Kurs <A>", "Fertig", "Später"],
            "status": ["laufend", "abgeschlossen", "geplant"],
            "due_date": [dt.date(2026, 1, 31), dt.date(2026, 1, 31), dt.date(2027, 1, 1)],
            "responsible": ["Referat", "Referat", "Referat"],
            "area_list": [["03157001"], [], []],
            "indicators": ["SPR-01", "", ""],
        }
    )
    text = overdue_measures_html(rows, {"03157001": "Edemissen"}, DAY)
    assert text.startswith("<h2>Überfällige Maßnahmen (1)</h2>")
    assert "<b>Kurs &lt;A&gt;</b> – fällig am 31.01.2026" in text and "Edemissen" in text
    assert "Fertig" not in text and "Später" not in text
    assert overdue_measures_html(rows.iloc[1:], {}, DAY) == ""


def test_the_audit_names_a_measures_fields_in_german():
    """Issue 25, point 9: the Änderungsprotokoll said "title: …; description: …; goal_code"."""
    audit = pd.DataFrame(
        {
            "Bereich": ["Maßnahme", "Ziel"],
            "Alt": ["title: Kurs; description: Abends; goal_code: ", "title: bleibt"],
            "Neu": ["title: Kurs B; goal_code: BIL-L1-H1", ""],
        }
    )
    shown = name_fields_in_german(audit)
    assert shown["Alt"].tolist() == ["Titel: Kurs; Beschreibung: Abends; Handlungsziel: ", "title: bleibt"]
    assert shown["Neu"].tolist() == ["Titel: Kurs B; Handlungsziel: BIL-L1-H1", ""]
