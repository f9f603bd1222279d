"""Random bytes and random mutations of a valid file never raise anything but the typed intake error."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controlling.errors import InputRejectedError
from controlling.intake import prepare, preview_rows

VALID = (
    b"kennzahl;gebiet;jahr;wert;zaehler;nenner;aufschluesselung;kennzeichen\n"
    b"BIL-01;03157006;2024;23,7;187;789;;\n"
    b"KTX-02;Edemissen;2024;612;;;Geschlecht=weiblich;p\n"
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def attempt(store, data: bytes) -> None:
    try:
        preview = prepare(store, "zufall.csv", data)
    except InputRejectedError as error:
        assert error.problems and all(p.message for p in error.problems)
    else:
        assert set(preview_rows(store, preview).get("status", [])) <= {"new", "changed", "unchanged"}


@FUZZ
@given(data=st.binary(max_size=400))
def test_random_bytes(demo_store, data):
    attempt(demo_store, data)


@FUZZ
@given(position=st.integers(0, len(VALID) - 1), replacement=st.binary(min_size=0, max_size=6), cut=st.integers(0, 5))
def test_mutations_of_a_valid_file(demo_store, position, replacement, cut):
    attempt(demo_store, VALID[:position] + replacement + VALID[position + cut :])


@FUZZ
@given(text=st.text(alphabet=";,\n\"'-.0123456789abcBIL-ÄÖÜäöü=| ", max_size=200))
def test_random_csv_like_text(demo_store, text):
    attempt(demo_store, ("kennzahl;gebiet;jahr;wert\n" + text).encode())


CELLS = ["", "DG", "03157", "03157001", "2015", "31.12.2015", "Juni 2007", "2024 / 2005", "K03157", "MZ03354360"]
CELLS += ["Insgesamt", "männlich", "Geschlecht", "Anzahl", "x", "-", ".", "12", "1,5", "+12.6", "__________", " "]


@FUZZ
@given(rows=st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=7), max_size=12))
def test_random_genesis_tables(demo_store, rows):
    attempt(demo_store, ("GENESIS-Tabelle: 12411-01-01-4\n" + "\n".join(";".join(r) for r in rows)).encode())


@FUZZ
@given(
    columns=st.lists(st.sampled_from(["Year", "GeoCode", "Gebietseinheit", "Units", "Value", "Art"]), min_size=1),
    rows=st.lists(st.lists(st.sampled_from(CELLS), min_size=1, max_size=6), max_size=8),
)
def test_random_open_sdg_files(demo_store, columns, rows):
    attempt(demo_store, (",".join(columns) + "\n" + "\n".join(",".join(r) for r in rows)).encode())
