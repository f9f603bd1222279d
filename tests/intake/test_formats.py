"""Formats as people save them: encodings, separators, decimal marks, wide form, ZIP, legacy flat files."""

from __future__ import annotations

import io
import math
import zipfile

import pytest

from controlling.errors import InputRejectedError
from controlling.intake import commit, discard, prepare, preview_rows


def rows(store, preview):
    return preview_rows(store, preview).set_index(["indicator", "area", "year", "breakdown"])


@pytest.mark.parametrize(
    "data",
    [
        "kennzahl;gebiet;jahr;wert\nKTX-03;Peine (Stadt);2024;51.234,0\n".encode("cp1252"),
        "\ufeffkennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234,0\n".encode(),
        b"kennzahl,gebiet,jahr,wert\nKTX-03,03157006,2024,51234\n",
        b"kennzahl ; gebiet ; jahr ; wert \r\n KTX-03 ; 03157006 ; 2024 ; 51.234 \r\nBIL-01;03157006;2024;7,5\r\n",
        b"kennzahl;gebiet;2023;2024\nKTX-03;03157006;;51234\n",
    ],
    ids=["windows-1252 und Name", "BOM und Dezimalkomma", "Komma getrennt", "Leerzeichen und CRLF", "breit"],
)
def test_the_same_value_in_every_accepted_shape(empty_store, data):
    preview = prepare(empty_store, "werte.csv", data)
    assert preview.problems.empty, preview.problems
    assert rows(empty_store, preview).loc[("KTX-03", "03157006", 2024, ""), "value"] == 51234


def test_special_values_are_stored_as_flagged_missing_values(empty_store):
    data = (
        "kennzahl;gebiet;jahr;wert\n"
        + "".join(
            f"KTX-03;03157006;{year};{cell}\n"
            for year, cell in zip(range(2010, 2018), ["-", ".", "...", "/", "x", "(12)", "*", "123 p"], strict=True)
        )
    ).encode()
    preview = prepare(empty_store, "sonder.csv", data)
    assert preview.problems.empty
    stored = preview_rows(empty_store, preview).set_index("year")
    assert list(stored["flag"]) == ["-", ".", "...", "/", "x", "()", "*", "p"]
    assert all(math.isnan(v) for v in stored["value"].iloc[:7])
    assert stored.loc[2017, "value"] == 123


def test_genesis_zip_and_legacy_flat_layout(empty_store):
    legacy = (
        b"Statistik_Code;Statistik_Label;Zeit_Code;Zeit_Label;Zeit;1_Merkmal_Code;1_Merkmal_Label;"
        b"1_Auspraegung_Code;1_Auspraegung_Label;BEVSTD__Bevoelkerungsstand__Anzahl\n"
        b"12411;Fortschreibung;STAG;Stichtag;31.12.2023;GEMEIN;Gemeinden;03157006;Peine, Stadt;50123\n"
        b"12411;Fortschreibung;STAG;Stichtag;31.12.2023;GEMEIN;Gemeinden;03157001;Edemissen;12400\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("12411-0015_flat.csv", legacy)
    preview = prepare(empty_store, "12411-0015.zip", buffer.getvalue(), create_missing_indicators=True)
    assert list(preview.series) == ["GENESIS-12411-BEVSTD"]
    assert rows(empty_store, preview).loc[("GENESIS-12411-BEVSTD", "03157006", 2023, ""), "value"] == 50123


def test_a_broken_zip_is_a_german_error(empty_store):
    with pytest.raises(InputRejectedError, match="ZIP-Archiv ist beschädigt"):
        prepare(empty_store, "kaputt.zip", b"PK\x03\x04kaputt")


def test_a_file_over_the_size_limit_is_refused(empty_store, monkeypatch):
    monkeypatch.setenv("CONTROLLING_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(InputRejectedError, match="größer als die erlaubten"):
        prepare(empty_store, "gross.csv", b"kennzahl;gebiet;jahr;wert\n" + b"x" * 2000)


def test_identical_file_twice_changes_nothing_the_second_time(empty_store):
    data = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\n"
    first = commit(empty_store, prepare(empty_store, "a.csv", data), user="test")
    version = empty_store.data_version()
    again = prepare(empty_store, "a.csv", data)
    assert again.count("unchanged") == 1 and again.earlier_intakes is not None and len(again.earlier_intakes) == 1
    assert commit(empty_store, again, user="test") is None
    assert first is not None and empty_store.data_version() == version


def test_undo_restores_exactly_also_after_two_changes(empty_store):
    def put(value):
        data = f"kennzahl;gebiet;jahr;wert;zaehler;nenner\nKTX-01;03157006;2024;{value};{value};100\n".encode()
        return commit(empty_store, prepare(empty_store, f"{value}.csv", data), user="test")

    put(10)
    second = put(20)
    third = put(30)
    current = empty_store.values.current_observations
    empty_store.intakes.undo(third, user="test")
    assert tuple(current()[["value", "numerator"]].iloc[0]) == (20, 20)
    empty_store.intakes.undo(second, user="test")
    assert tuple(current()[["value", "numerator"]].iloc[0]) == (10, 10)


def test_skip_invalid_commits_the_valid_rows_and_counts_the_rest(empty_store):
    data = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\nKTX-03;03157006;2023;abc\n"
    preview = prepare(empty_store, "teils.csv", data)
    with pytest.raises(InputRejectedError):
        commit(empty_store, preview, user="test")
    intake_id = commit(empty_store, preview, user="test", skip_invalid=True)
    assert empty_store.intakes.history().set_index("id").loc[intake_id, "rows_rejected"] == 1
    assert list(empty_store.values.current_observations()["year"]) == [2024]


def test_a_mapping_is_remembered_for_the_next_file_of_the_source(empty_store):
    data = b"Year,Units,GeoCode,Value\n2023,%,K03157,11.4\n"
    preview = prepare(empty_store, "indicator_1-2-2.csv", data)
    assert preview.unmapped == ["LSN-1-2-2"]
    preview = prepare(empty_store, "indicator_1-2-2.csv", data, mapping={"LSN-1-2-2": "KTX-01"})
    commit(empty_store, preview, user="test")
    later = prepare(empty_store, "indicator_1-2-2.csv", b"Year,Units,GeoCode,Value\n2024,%,K03157,11.9\n")
    assert later.unmapped == [] and later.mapping == {"LSN-1-2-2": "KTX-01"}


def test_unknown_kreise_can_become_comparison_areas(empty_store):
    data = b'Year,Gebietseinheit,Units,GeoCode,Value\n2024,"Gifhorn",%,K03151,9.1\n2024,"Peine",%,K03157,11.9\n'
    skipped = prepare(empty_store, "indicator_1-2-2.csv", data, mapping={"LSN-1-2-2": "KTX-01"})
    assert len(skipped.skipped) == 1 and skipped.count("new") == 1
    added = prepare(
        empty_store, "indicator_1-2-2.csv", data, mapping={"LSN-1-2-2": "KTX-01"}, add_comparison_areas=True
    )
    commit(empty_store, added, user="test")
    gifhorn = empty_store.catalogue.areas().set_index("code").loc["03151"]
    assert gifhorn["name"] == "Gifhorn" and gifhorn["comparison"] and gifhorn["level"] == "kreis"


@pytest.mark.slow  # a file of hundreds of thousands of lines
def test_line_numbers_hold_in_a_large_file_read_in_parallel(empty_store):
    """DuckDB reads big files in parallel chunks; a problem far down must still name its own line."""
    rows = [f"KTX-03;03157006;{2000 + i % 25};{i % 1000},5;;;Gruppe=G{i}" for i in range(150_000)]
    rows[123_456] = "KTX-03;03157006;2010;zwölf;;;Gruppe=kaputt"
    rows[140_000] = "KTX-03;Nirgendwo;2010;1;;;Gruppe=weit"
    text = "kennzahl;gebiet;jahr;wert;zaehler;nenner;aufschluesselung\n" + "\n".join(rows) + "\n"
    preview = prepare(empty_store, "gross.csv", text.encode())
    found = preview.problems.set_index("line")
    assert found.loc[123_458, "value"] == "zwölf"
    assert found.loc[140_002, "value"] == "Nirgendwo"
    assert preview.count("new") == 150_000 - 2
    sample = preview_rows(empty_store, preview, "new", limit=3)
    assert list(sample["line"]) == [2, 3, 4]


def test_an_unknown_format_is_named(empty_store):
    with pytest.raises(InputRejectedError, match="Unbekanntes Format"):
        prepare(empty_store, "werte.csv", b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;1\n", format="xml")


def test_two_bad_cells_of_one_wide_line_are_two_problems(empty_store):
    data = b"kennzahl;gebiet;2023;2024\nBIL-01;03157006;abc;150\nBIL-01;Atlantis;12;13\n"
    preview = prepare(empty_store, "breit.csv", data)
    found = preview.problems[["line", "column", "value"]].values.tolist()
    assert found == [[2, "2023", "abc"], [2, "2024", "150"], [3, "gebiet", "Atlantis"]]  # Atlantis once


def test_the_store_owns_staged_rows_commit_discard_and_sweep_drop_them(empty_store):
    def staged_tables():
        return set(empty_store.staging._checked)

    data = b"kennzahl;gebiet;jahr;wert\nKTX-03;03157006;2024;51234\n"
    committed = prepare(empty_store, "a.csv", data)
    assert committed.staged in staged_tables() and "store" not in vars(committed)  # a preview is plain data
    commit(empty_store, committed, user="test")
    assert committed.staged not in staged_tables()
    discarded = prepare(empty_store, "b.csv", data.replace(b"51234", b"51235"))
    discard(empty_store, discarded)
    assert discarded.staged not in staged_tables()
    forgotten = prepare(empty_store, "c.csv", data.replace(b"51234", b"51236"))
    assert empty_store.staging.sweep(older_than=0) == [forgotten.staged]
    assert staged_tables() == set()
