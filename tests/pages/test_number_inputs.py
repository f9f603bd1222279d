"""Numbers typed into forms and tables: German (12,5; 1.234,5) and plain (12.5) input, shown in German, held
to what the indicator's unit can hold (issue 16), by the same rules as a file."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import copy_demo_database
from tests.pages.staff import ROOT, staff_session


@pytest.fixture
def staff(tmp_path, monkeypatch, demo_database_file):
    monkeypatch.setenv("CONTROLLING_DB", str(copy_demo_database(demo_database_file, tmp_path / "zahlen.duckdb")))
    monkeypatch.chdir(ROOT)
    return staff_session()


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _target_form(at: AppTest, indicator: str, area: str, value: str) -> AppTest:
    """Fill the form 'Neues Ziel' and save it."""
    # the last ones: a target's history above the form has a Kennzahl and a Gebiet of its own
    [s for s in at.selectbox if s.label == "Kennzahl"][-1].set_value(indicator)
    [s for s in at.selectbox if s.label == "Gebiet"][-1].set_value(area)
    next(t for t in at.text_input if t.label == "Zielwert").input(value)
    next(r for r in at.radio if r.label == "Stand").set_value("beschlossen")
    next(t for t in at.text_input if t.label == "Gremium (wenn beschlossen)").input("Kreisausschuss")
    [d for d in at.date_input if d.label == "Beschlussdatum"][-1].set_value(dt.date.today() - dt.timedelta(days=1))
    next(t for t in at.text_input if t.label == "Vorlage").input("KA/2026/001")
    next(b for b in at.button if b.label == "Ziel speichern").click().run()
    assert not at.exception, at.exception
    return at


def _targets_shown(at: AppTest) -> dict[tuple[str, str], str]:
    table = at.dataframe[0].value  # the table of targets in force, as the editor shows it
    return dict(zip(zip(table["indicator"], table["area"], strict=True), table["target_value"], strict=True))


@pytest.mark.parametrize(
    ("indicator", "typed", "shown"),
    [("BIL-01", "12,5", "12,5"), ("BIL-01", "12.5", "12,5"), ("KTX-03", "1.234,5", "1234,5")],
    ids=["german-decimal-comma", "plain-decimal-point", "german-thousands"],
)
def test_a_target_typed_in_german_or_plain_is_stored_as_that_number(staff, indicator, typed, shown):
    _open(staff, "pages/ziele.py")
    _target_form(staff, indicator, "03157006", typed)
    # saved; where the target is not better than its baseline value the message says so too (as a hint)
    assert any(f"Ziel für {indicator} gespeichert" in s.value for s in [*staff.success, *staff.info])
    assert _targets_shown(staff)[(indicator, "03157006")] == shown  # 12,5 stays 12,5 (it was stored as 125)


@pytest.mark.parametrize(
    ("indicator", "typed", "message"),
    [
        ("BIL-01", "150", "Ein Ziel in »%« liegt zwischen 0 und 100."),
        ("BIL-01", "-0,5", "Ein Ziel in »%« liegt zwischen 0 und 100."),
        ("KTX-03", "-3", "Ein Ziel in »Anzahl« liegt zwischen 0 und 1 Billion (10^12)."),
        ("BIL-01", "zwölf", "Erwartet wird eine Zahl wie 25,0 oder 25.0."),
    ],
    ids=["percent-above-100", "percent-below-0", "negative-count", "not-a-number"],
)
def test_a_target_the_indicator_cannot_hold_is_refused_in_german(staff, indicator, typed, message):
    _open(staff, "pages/ziele.py")
    before = _targets_shown(staff)
    _target_form(staff, indicator, "03157006", typed)
    shown = [e.value.replace("\\", "") for e in staff.error]  # shown as text: Markdown signs escaped
    assert any(message in text for text in shown), shown
    assert not staff.success
    assert _targets_shown(staff) == before  # nothing written


def test_the_target_table_shows_german_figures(staff):
    """Edits of the table are read like a file: tests/store/test_target_table_numbers.py."""
    _open(staff, "pages/ziele.py")
    shown = _targets_shown(staff)
    assert all("." not in text and text for text in shown.values())  # 31,6, never 31.6 or None
    assert any("," in text for text in shown.values())


def test_the_indicator_form_reads_german_thresholds_and_refuses_a_negative_minimum(staff):
    _open(staff, "pages/kennzahlen.py")
    next(s for s in staff.selectbox if s.label == "Bearbeiten").set_value("BIL-01").run()
    fields = {t.label: t for t in staff.text_input}
    assert fields["Mindestfallzahl"].value == "20"
    fields["Schwelle Grün"].input("0,9")
    fields["Schwelle Gelb"].input("0.5")
    next(b for b in staff.button if b.label == "Speichern").click().run()
    assert any("gespeichert" in s.value for s in staff.success), [e.value for e in staff.error]
    fields = {t.label: t for t in staff.text_input}
    assert (fields["Schwelle Grün"].value, fields["Schwelle Gelb"].value) == ("0,90", "0,50")  # shown in German

    fields["Mindestfallzahl"].input("-3")
    next(b for b in staff.button if b.label == "Speichern").click().run()
    assert any("Erwartet wird eine ganze Zahl ab 0" in e.value for e in staff.error)
    fields = {t.label: t for t in staff.text_input}
    fields["Mindestfallzahl"].input("20")
    fields["Schwelle Grün"].input("2,5")
    next(b for b in staff.button if b.label == "Speichern").click().run()
    assert any("Erwartet wird ein Anteil zwischen 0 und 2" in e.value for e in staff.error), [
        e.value for e in staff.error
    ]
