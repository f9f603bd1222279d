"""Intake cost is linear and capped (issue 17): duplicates once per key, ZIPs counted unpacked, values cut."""

from __future__ import annotations

import io
import os
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from controlling.cli import main
from controlling.errors import InputRejectedError, Problem
from controlling.intake import DEFAULT_MAX_MB, prepare
from controlling.intake.limits import sweep_upload_folder, upload_folder

HEADER = b"kennzahl;gebiet;jahr;wert\n"
ROOT = Path(__file__).parents[2]


def test_ten_thousand_equal_rows_are_one_problem_with_count_and_first_lines(empty_store):
    preview = prepare(empty_store, "gleich.csv", HEADER + b"BIL-01;03157;2020;12,5\n" * 10_000)
    assert len(preview.problems) == 1
    problem = preview.problem_list()[0]
    assert problem.line == 2
    assert "steht 10.000-mal in der Datei, in den Zeilen 2, 3, 4, 5, 6 und weiteren" in problem.message


def test_a_zip_counts_unpacked_against_the_limit(empty_store, monkeypatch):
    monkeypatch.setenv("CONTROLLING_MAX_UPLOAD_MB", "1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("werte.csv", HEADER + b"BIL-01;03157;2020;12,5\n" * 100_000)
    assert len(buffer.getvalue()) < 1024 * 1024
    with pytest.raises(InputRejectedError) as caught:
        prepare(empty_store, "werte.zip", buffer.getvalue())
    assert "Der entpackte Inhalt des ZIP-Archivs ist größer als die erlaubten 1 MB" in str(caught.value)


def test_a_long_value_is_cut_to_80_characters_and_control_characters_are_shown_harmless(empty_store):
    long = "x" * 5000
    preview = prepare(empty_store, "lang.csv", HEADER + f"BIL-01;03157;2020;{long}\n".encode())
    assert len(preview.problem_list()[0].value or "") == 80
    problem = Problem("a.csv", 2, "wert", "\x1b[31mrot\x1b[0m", "Meldung \x1b[2J")
    assert "\x1b" not in str(problem)


def test_streamlit_accepts_exactly_the_products_limit():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == DEFAULT_MAX_MB


def test_cli_shows_fifty_problems_and_writes_all_of_them(tmp_path, capsys):
    empty_db = tmp_path / "leer.duckdb"
    assert main(["--db", str(empty_db), "init"]) == 0
    rows = "".join(f"BIL-01;03157;2020;=HYPERLINK{i}\n" for i in range(120))
    path = tmp_path / "viele.csv"
    path.write_bytes(HEADER + rows.encode())
    out = tmp_path / "probleme.csv"
    code = main(["--db", str(empty_db), "import", str(path), "--problems-out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("Hier steht Text statt einer Zahl") == 50
    assert "… und 70 weitere Probleme" in err
    written = pd.read_csv(out, sep=";", encoding="utf-8-sig")
    assert list(written.columns) == ["datei", "zeile", "spalte", "wert", "meldung"]
    assert len(written) == 120
    assert written["wert"].str.startswith("'=").all()  # formulas neutralized


def test_left_upload_copies_are_swept():
    # Sweeping everything is safe here: each worker has an upload folder of its own (tests/conftest.py).
    assert f"/ct-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-" in str(upload_folder())
    left = upload_folder() / "werte_vergessen.csv"
    left.write_bytes(b"x")
    assert sweep_upload_folder(older_than=0) >= 1
    assert not left.exists()
