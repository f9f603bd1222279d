"""The readers as a registry (issue 28, point 2): each recognises its kind of file, read_any asks them in order."""

from __future__ import annotations

import pytest

from controlling.errors import InputRejectedError
from controlling.intake.registry import FORMATS, TABLE_READERS, TEXT_READERS, UNRECOGNISED, Format, read_any

SAMPLES = [
    ("indicator_1-2-2.csv", "Year,GeoCode,Value\n2024,K03157,12.5\n", "opensdg"),
    ("werte.csv", "kennzahl;gebiet;jahr;wert\nBIL-01;03157;2024;12,5\n", "werte"),
    ("breit.csv", "kennzahl;gebiet;2023;2024\nBIL-01;03157;12,5;13,0\n", "werte_breit"),
    ("ziele.csv", "kennzahl;gebiet;zieljahr;zielwert;basisjahr\nBIL-01;*;2030;30,0;2020\n", "ziele"),
    ("kennzahlen.csv", "kennzahl;bezeichnung;handlungsfeld;einheit;richtung\nX-1;Test;Bildung;%;hoch\n", "kennzahlen"),
]


@pytest.mark.parametrize(("name", "text", "kind"), SAMPLES, ids=[s[2] for s in SAMPLES])
def test_each_kind_of_file_is_read_by_the_reader_that_recognises_it(name, text, kind):
    assert read_any(name, text.encode()).format == kind


def test_a_named_format_takes_its_reader_even_where_the_header_would_say_otherwise():
    werte = b"kennzahl;gebiet;jahr;wert\nBIL-01;03157;2024;12,5\n"
    with pytest.raises(InputRejectedError):
        read_any("werte.csv", werte, "ziele")  # read as a Ziele file: its columns are missing


def test_an_unrecognised_header_names_what_would_be_right():
    with pytest.raises(InputRejectedError, match="Das Dateiformat wurde nicht erkannt"):
        read_any("x.csv", b"spalte;andere\n1;2\n")
    assert "Open-SDG-Datei (Year,…,Value)" in UNRECOGNISED


def test_every_reader_belongs_to_a_format_a_user_can_name():
    assert FORMATS == ("auto", "werte", "ziele", "kennzahlen", "opensdg", "genesis")
    assert {reader.format for reader in (*TEXT_READERS, *TABLE_READERS)} == set(Format) - {Format.AUTO}
