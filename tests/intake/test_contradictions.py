"""Contradictions inside a file are refused with the line (issue 29, point 2): a quota's value against its
counts, the same target twice, and breakdown labels that differ only in case, blanks or Unicode form."""

from __future__ import annotations

import unicodedata

from controlling.intake import commit, prepare, preview_rows

VALUES = "kennzahl;gebiet;jahr;wert;zaehler;nenner;aufschluesselung\n"


def test_a_value_contradicting_its_counts_is_refused(empty_store):
    """Issue 29: 50,0 with 1 of 1000 was stored, and the Kreis value from the counts fell from 22,3 % to 7,5 %."""
    data = VALUES + "BIL-01;03157006;2024;50,0;1;1000;\nBIL-01;03157001;2024;22,3;223;1000;\n"
    preview = prepare(empty_store, "werte.csv", data.encode())
    assert preview.problems.to_dict("records") == [
        {
            "line": 2,
            "column": "wert",
            "value": "50,0",
            "message": "Der Wert passt nicht zu Zähler und Nenner: 1 ÷ 1.000 × 100 ergibt 0,1 (auf 1 "
            "Nachkommastelle gerundet), hier steht 50,0. Prüfen Sie Wert, Zähler und Nenner.",
        }
    ]
    assert preview_rows(empty_store, preview)["line"].tolist() == [3]


def test_rounding_to_the_kennzahls_decimals_is_no_contradiction(empty_store):
    data = VALUES + "BIL-01;03157006;2024;22,3;2234;10000;\nBIL-01;03157001;2024;33,3;1;3;\n"
    preview = prepare(empty_store, "werte.csv", data.encode())
    assert preview.problems.empty, preview.problems.to_dict("records")


def test_breakdown_labels_are_one_series_whatever_case_blanks_and_unicode(empty_store):
    """Issue 29: `Geschlecht=weiblich` and `geschlecht = Weiblich` became two series."""
    decomposed = unicodedata.normalize("NFD", "Nationalität=Ausländer")
    data = (
        VALUES
        + "KTX-03;03157006;2023;5;;;Geschlecht=weiblich|Nationalität=Ausländer\n"
        + f"KTX-03;03157006;2024;6;;; geschlecht =  Weiblich | {decomposed}\n"
    )
    preview = prepare(empty_store, "werte.csv", data.encode())
    assert preview.problems.empty
    assert set(preview_rows(empty_store, preview)["breakdown"]) == {"Geschlecht=weiblich|Nationalität=Ausländer"}
    commit(empty_store, preview, user="test")
    again = prepare(
        empty_store,
        "werte2.csv",
        (VALUES + "KTX-03;03157006;2024;6;;;NATIONALITÄT=AUSLÄNDER|GESCHLECHT=WEIBLICH\n").encode(),
    )
    assert preview_rows(empty_store, again)[["breakdown", "status"]].values.tolist() == [
        ["Geschlecht=weiblich|Nationalität=Ausländer", "unchanged"]
    ]


def test_two_spellings_of_one_key_are_the_same_key_twice(empty_store):
    data = VALUES + "KTX-03;03157006;2024;5;;;Geschlecht=weiblich\nKTX-03;03157006;2024;6;;;GESCHLECHT=Weiblich\n"
    preview = prepare(empty_store, "werte.csv", data.encode())
    assert "steht 2-mal in der Datei, in den Zeilen 2, 3" in preview.problems["message"].iloc[0]


def test_the_same_target_twice_is_refused(empty_store):
    """Issue 29: one Ziele file with the same key twice (30,0 and 40,0) put both targets in force."""
    data = "kennzahl;gebiet;zieljahr;zielwert;basisjahr\nBIL-01;*;2030;30,0;2020\nBIL-01;*;2030;40,0;2020\n"
    preview = prepare(empty_store, "ziele.csv", data.encode())
    assert preview.listed.empty
    assert preview.problems[["line", "column", "value"]].values.tolist() == [
        [2, "kennzahl", "BIL-01"],
        [3, "kennzahl", "BIL-01"],
    ]
    assert set(preview.problems["message"]) == {
        "Für diese Kennzahl und dieses Gebiet stehen mehrere Ziele mit demselben Beginn (gueltig_ab) in der Datei, "
        "in den Zeilen 2, 3; sie würden zugleich gelten. Bitte nur ein Ziel angeben."
    }


def test_targets_of_different_starts_are_a_history(empty_store):
    data = (
        "kennzahl;gebiet;zieljahr;zielwert;basisjahr;gueltig_ab\n"
        "BIL-01;*;2030;30,0;2020;01.01.2021\nBIL-01;*;2030;40,0;2020;01.01.2023\n"
    )
    preview = prepare(empty_store, "ziele.csv", data.encode())
    assert preview.problems.empty and len(preview.listed) == 2
