"""Choosing series of a published table: value, numerator and denominator, kept for the next file."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from controlling.cli import main
from controlling.errors import InputRejectedError
from controlling.intake import SeriesChoice, commit, prepare, preview_rows

TABLE = (Path(__file__).parent / "genesis_21121_klein.csv").read_bytes()  # also the upload page test's
SOURCE = "GENESIS-21121-01-05-4"
PUPILS = "Merkmal=Schüler(innen)"


def values(store, preview):
    return preview_rows(store, preview).set_index(["indicator", "area", "year", "breakdown"])


def test_one_series_as_the_value_other_dimensions_stay_breakdowns(empty_store):
    choice = SeriesChoice(SOURCE, f"{PUPILS}|Nationalität=Ausländer(innen)", "KTX-03")
    preview = prepare(empty_store, "21121.csv", TABLE, choices=[choice])
    assert preview.problems.empty, preview.problems
    rows = values(empty_store, preview)
    assert rows.loc[("KTX-03", "03157", 2015, ""), "value"] == 245
    assert rows.loc[("KTX-03", "03157", 2015, "Schulart=Berufsschulen"), "value"] == 142
    assert len(rows) == 2


def test_a_quota_from_numerator_and_denominator_of_one_table_is_kept_for_the_next_file(empty_store):
    choices = [
        SeriesChoice(SOURCE, f"{PUPILS}|Nationalität=Ausländer(innen)", "BIL-01", "zaehler"),
        SeriesChoice(SOURCE, f"{PUPILS}|Nationalität=Insgesamt|Geschlecht=Insgesamt", "BIL-01", "nenner"),
    ]
    preview = prepare(empty_store, "21121.csv", TABLE, choices=choices)
    assert preview.problems.empty, preview.problems
    total = values(empty_store, preview).loc[("BIL-01", "03157", 2015, "")]
    assert (total["numerator"], total["denominator"]) == (245, 2209)
    assert total["value"] == pytest.approx(245 / 2209 * 100)
    commit(empty_store, preview, user="test")
    again = prepare(empty_store, "21121_neu.csv", TABLE.replace(b"245", b"250"))
    assert [c.role for c in again.choices] == ["nenner", "zaehler"]
    assert values(empty_store, again).loc[("BIL-01", "03157", 2015, ""), "value"] == pytest.approx(250 / 2209 * 100)


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        ("Nationalitat=Ausländer(innen)", "Das Merkmal »Nationalitat« gibt es in dieser Tabelle nicht"),
        ("Nationalität=Deutsche", "Die Ausprägung »Deutsche« gibt es beim Merkmal »Nationalität« nicht"),
        ("Nationalität", "Merkmal=Ausprägung"),
    ],
)
def test_a_series_that_is_not_in_the_table_is_a_german_problem(empty_store, selection, message):
    with pytest.raises(InputRejectedError, match=message):
        prepare(empty_store, "21121.csv", TABLE, choices=[SeriesChoice(SOURCE, selection, "KTX-03")])


def test_a_numerator_without_denominator_is_refused(empty_store):
    choice = SeriesChoice(SOURCE, "Nationalität=Ausländer(innen)", "BIL-01", "zaehler")
    with pytest.raises(InputRejectedError, match="fehlt die Reihe für den Nenner"):
        prepare(empty_store, "21121.csv", TABLE, choices=[choice])


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_cli_series_option_fills_one_indicator(tmp_path):
    path = tmp_path / "21121-01-05-4_00.csv"
    path.write_bytes(TABLE)
    db = str(tmp_path / "c.duckdb")
    run("--db", db, "init")
    code, out, err = run(
        "--db", db, "import", str(path), "--indicator", "KTX-03", "--series", f"{PUPILS}|Geschlecht=weiblich"
    )
    assert code == 0, err
    assert f"Reihe {SOURCE}: {PUPILS}|Geschlecht=weiblich → Kennzahl KTX-03 (Wert)" in out
    code, _, err = run("--db", db, "import", str(path), "--series", "Geschlecht=weiblich")
    assert code == 1 and "gehört --indicator KENNZAHL" in err


def test_the_series_list_fills_in_kept_choices_and_gives_exact_choices_back():
    from controlling.intake.frames import raw_frame
    from controlling.intake.series import choices_from_editor, series_editor, series_table

    breakdowns = raw_frame(breakdown=["", "Geschlecht=weiblich", "Nationalität=Ausländer(innen)"])["breakdown"]
    table = series_table(breakdowns)
    kept = [SeriesChoice(SOURCE, "Geschlecht=weiblich|Nationalität=Insgesamt", "KTX-03", "zaehler")]
    editor = series_editor(table, kept)
    assert editor[["Geschlecht", "Nationalität"]].values.tolist() == [
        ["Insgesamt", "Insgesamt"],
        ["weiblich", "Insgesamt"],
        ["Insgesamt", "Ausländer(innen)"],
    ]
    assert editor["Kennzahl"].tolist() == ["", "KTX-03", ""]
    editor.loc[0, ["Kennzahl", "Rolle"]] = ["KTX-03", "Nenner"]
    assert choices_from_editor(SOURCE, editor) == [
        SeriesChoice(SOURCE, "Geschlecht=Insgesamt|Nationalität=Insgesamt", "KTX-03", "nenner"),
        kept[0],
    ]
