"""Catalogue changes that change what stored values mean are refused while values exist (issue 29, point 3)."""

from __future__ import annotations

import pytest

from controlling.errors import InputRejectedError
from controlling.intake import commit, prepare
from controlling.maintenance import save_indicator

HEADER = "kennzahl;bezeichnung;handlungsfeld;einheit;richtung;aggregation;faktor;nachkommastellen\n"
PERCENT = "BIL-01;Betreuungsquote U3;Bildung;%;hoch;quote;100;1\n"


@pytest.fixture
def with_values(empty_store):
    values = b"kennzahl;gebiet;jahr;wert;zaehler;nenner\nBIL-01;03157006;2024;22,3;223;1000\n"
    commit(empty_store, prepare(empty_store, "werte.csv", values), user="test")
    return empty_store


def refused(store, data: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputRejectedError) as caught:
        prepare(store, "kennzahlen.csv", (HEADER + data).encode())
    return [(p.line, p.column, p.message) for p in caught.value.problems]


def test_percent_to_a_sum_of_counts_is_refused_while_values_exist(with_values):
    """Issue 29: %/quote -> Anzahl/summe was accepted; the Kreis value became a sum of percentages (143)."""
    found = refused(with_values, "BIL-01;Betreuungsquote U3;Bildung;Anzahl;hoch;summe;;1\n")
    assert [(line, column) for line, column, _ in found] == [(2, "einheit"), (2, "aggregation"), (2, "faktor")]
    assert found[0][2] == (
        "Die Kennzahl BIL-01 hat 1 gespeicherte Werte; mit der Einheit »Anzahl« statt »%« würden sie etwas anderes "
        "bedeuten. Legen Sie dafür eine neue Kennzahl an und legen Sie BIL-01 still; ihre Werte bleiben dann, wie sie "
        "gemeint waren."
    )


def test_turning_the_direction_round_is_refused(with_values):
    [(line, column, message)] = refused(with_values, "BIL-01;Betreuungsquote U3;Bildung;%;niedrig;quote;100;1\n")
    assert (line, column) == (2, "richtung") and "mit der Richtung »niedrig« statt »hoch«" in message


def test_a_new_name_or_definition_is_fine(with_values):
    preview = prepare(with_values, "kennzahlen.csv", (HEADER + PERCENT).encode())
    assert preview.problems.empty and preview.listed["status"].tolist() == ["changed"]


def test_an_indicator_without_values_may_change_its_unit(empty_store):
    data = HEADER + "BIL-02;Betreuungsquote Ü3;Bildung;Anzahl;hoch;summe;;0\n"
    preview = prepare(empty_store, "kennzahlen.csv", data.encode())
    assert preview.problems.empty


def test_the_form_refuses_it_too(with_values):
    cells = ["BIL-01", "Betreuungsquote U3", "Bildung", "Anzahl", "hoch", "summe", "", "1"]
    row = dict(zip(HEADER.strip().split(";"), cells, strict=True))
    with pytest.raises(InputRejectedError) as caught:
        save_indicator(with_values, row, user="test")
    assert (
        caught.value.problems[0].line is None
        and "Legen Sie dafür eine neue Kennzahl an" in caught.value.problems[0].message
    )
