"""CLI per DESIGN §6: init, status, exit codes, German output."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from controlling.cli import main


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_init_reports_what_it_loaded(demo_db):
    code, out, _ = run("--db", str(demo_db), "init")
    assert code == 0
    assert "enthält bereits Stammdaten; es wurde nichts geändert" in out


def test_init_without_demo(tmp_path):
    code, out, _ = run("--db", str(tmp_path / "leer.duckdb"), "init")
    assert code == 0
    assert "Geladen: 6 Handlungsfelder, 11 Gebiete" in out
    assert "Demodaten" not in out


def test_status_csv_has_the_documented_columns(demo_db):
    code, out, _ = run("--db", str(demo_db), "status", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), sep=";", dtype={"gebiet": str})
    assert list(frame.columns) == [
        "kennzahl",
        "gebiet",
        "jahr",
        "wert",
        "zielwert",
        "zieljahr",
        "basisjahr",
        "sollwert",
        "ampel",
        "prognose",
        "begruendung",
        "zielart",
        "trend",
        "zieltyp",
    ]
    assert set(frame["ampel"]) <= {"gruen", "gelb", "rot", "grau"}
    assert set(frame["zieltyp"].dropna()) <= {"verbessern", "halten"}
    assert frame.loc[frame["zielart"].isna(), "zieltyp"].isna().all()  # no target in force, no kind
    assert set(frame["zielart"].dropna()) == {"eigenes", "kreisziel_anteilig"}
    assert set(frame["trend"]) <= {"steigend", "fallend", "gleichbleibend", "keine"}
    assert frame["wert"].dtype == float  # decimal point, machine-readable
    kreis = frame.loc[(frame["kennzahl"] == "KTX-08") & (frame["gebiet"] == "03157")]
    assert len(kreis) == 1  # a computed county value is included


def test_status_for_an_earlier_year(demo_db):
    code, out, _ = run("--db", str(demo_db), "status", "--format", "csv", "--year", "2021")
    frame = pd.read_csv(io.StringIO(out), sep=";")
    assert code == 0 and frame["jahr"].max() == 2021


def test_status_table_is_german(demo_db):
    code, out, _ = run("--db", str(demo_db), "status")
    assert code == 0
    assert "Kennzahl" in out and "Landkreis Peine" in out and "%" in out


def test_usage_error_exits_with_2():
    code, _, err = run("gibtsnicht")
    assert code == 2
    assert "Fehler im Aufruf" in err


@pytest.mark.parametrize(
    ("args", "german"),
    [
        (["import"], "Es fehlt die Angabe DATEI."),
        (["import", "x.csv", "--format", "foo"], "--format: »foo« gibt es nicht; möglich sind auto, werte,"),
        (["status", "--year", "zwanzig"], "--year: zwanzig ist keine ganze Zahl."),
        (["status", "--year"], "--year: Hier fehlt der Wert."),
        (["gibtsnicht"], "»gibtsnicht« gibt es nicht; möglich sind init, status, import"),
    ],
)
def test_usage_errors_and_help_are_german(args, german):
    code, _, err = run(*args)
    assert code == 2
    assert german in err and err.startswith("Aufruf: python -m controlling"), err
    assert "usage" not in err and "argument" not in err


def test_help_is_german():
    code, out, _ = run("import", "--help")
    assert code == 0
    assert out.startswith("Aufruf: python -m controlling import")
    assert "Angaben:" in out and "Optionen:" in out and "diese Hilfe zeigen" in out
    assert "usage" not in out and "options:" not in out and "show this help" not in out


def test_a_password_typed_without_a_terminal_is_warned_about_in_german(tmp_path, monkeypatch):
    """Issue 25, point 9: getpass said "Warning: Password input may be echoed." when it could not hide the input."""
    database = str(tmp_path / "leer.duckdb")
    assert run("--db", database, "init")[0] == 0  # commands other than init refuse a database that does not exist
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\nein-langes-passwort\n"))
    code, out, err = run("--db", database, "user", "add", "neu", "--role", "referat")
    assert code == 0, err
    assert "Achtung: Ohne Terminal kann das Passwort bei der Eingabe sichtbar sein." in err
    assert "Warning" not in err and "Konto neu mit der Rolle referat" in out


def test_a_ziele_file_says_at_once_when_a_target_is_not_better_than_its_baseline(demo_db, tmp_path):
    """Method 3 (DESIGN §4.0 step 3): the file check names an improvement target that asks for nothing better."""
    ziele = tmp_path / "ziele.csv"
    ziele.write_text(
        "kennzahl;gebiet;zieljahr;zielwert;basisjahr;gremium;beschlussdatum\n"
        "GES-06;*;2030;45,0;2020;Kreisausschuss;15.06.2021\n"
        "BIL-01;*;2030;99,0;2020;Kreisausschuss;15.06.2021\n",
        encoding="utf-8",
    )
    code, out, _ = run("--db", str(demo_db), "import", str(ziele), "--dry-run")
    assert code == 0
    assert "Hinweis: GES-06: Das Ziel (45,0 %) liegt nicht günstiger als der Ausgangswert 2020 (32,1 %)" in out
    assert "Hinweis: BIL-01" not in out
