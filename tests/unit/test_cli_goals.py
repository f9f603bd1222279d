"""CLI `zielsystem export|import`: the same checks and store path as the staff page (issue 14)."""

from __future__ import annotations

from tests.unit.test_cli import run


def test_goal_system_export_edit_import_and_a_refused_file(tmp_path):
    db = str(tmp_path / "z.duckdb")
    assert run("--db", db, "init")[0] == 0
    code, out, _ = run("--db", db, "zielsystem", "export", "--out", str(tmp_path / "aus"))
    assert code == 0 and "zielsystem.csv" in out
    csv = tmp_path / "aus" / "zielsystem.csv"
    text = csv.read_text(encoding="utf-8-sig")
    csv.write_text(text.replace("BIL-01, BIL-02", "BIL-01"), encoding="utf-8")
    code, out, _ = run("--db", db, "zielsystem", "import", "--ziele", str(csv), "--user", "anna")
    assert (code, out.strip()) == (0, "Zielsystem: 1 Ziele geändert; Leitbild unverändert.")
    csv.write_text(text.replace("BIL-01, BIL-02", "XYZ-01"), encoding="utf-8")
    code, _, err = run("--db", db, "zielsystem", "import", "--ziele", str(csv))
    assert code == 1 and "zielsystem.csv, Zeile 3, Spalte »kennzahlen« (Wert »XYZ-01«): Unbekannte Kennzahl" in err
    assert run("--db", db, "zielsystem", "import")[0] == 2
