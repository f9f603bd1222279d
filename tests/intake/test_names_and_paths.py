"""Codes made from file names follow the code pattern; commands other than `init` refuse a database that does not
exist (issue 29, point 8)."""

from __future__ import annotations

import re

import pytest

from controlling.cli import main
from controlling.intake import commit, prepare, preview_rows
from controlling.intake.frames import series_code
from controlling.reference.shipped import CODE_PATTERN


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("1-2-2", "LSN-1-2-2"),
        ("Meine Datei (neu)!", "LSN-MEINE-DATEI-NEU"),
        ("Résumé_Übersicht 2024", "LSN-RESUME-UEBERSICHT-2024"),
        ("../../etc/passwd", "LSN-ETC-PASSWD"),
        ("", "LSN-DATEI"),
        ("a" * 40, "LSN-AAAAAAAAAAAA"),
    ],
)
def test_a_code_from_a_name_follows_the_code_pattern(name, code):
    assert series_code("LSN", name) == code and re.fullmatch(CODE_PATTERN, code)


def test_an_open_sdg_file_with_an_odd_name_becomes_a_valid_kennzahl(empty_store):
    """Issue 29: an Open SDG file's name became a Kennzahl code with any characters."""
    data = b"Year,GeoCode,Value\n2023,K03157,12.5\n"
    preview = prepare(empty_store, "indicator_2.3 (neu)!.csv", data, create_missing_indicators=True)
    assert list(preview.series) == ["LSN-INDICATOR-2-3-NEU"]
    assert preview_rows(empty_store, preview)["indicator"].tolist() == ["LSN-INDICATOR-2-3-NEU"]
    commit(empty_store, preview, user="test")


def test_status_refuses_a_database_that_does_not_exist(tmp_path, capsys):
    """Issue 29: `--db` with a path that did not exist silently created an empty database for `status`."""
    missing = tmp_path / "tippfehler.duckdb"
    assert main(["--db", str(missing), "status"]) == 2
    assert not missing.exists()
    assert f"Die Datenbank »{missing}« gibt es nicht" in capsys.readouterr().err
    assert main(["--db", str(missing), "init"]) == 0 and missing.exists()
