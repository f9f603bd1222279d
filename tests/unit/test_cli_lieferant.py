"""CLI: an account of the role lieferant is bound to one provider (issue 14)."""

from __future__ import annotations

import io

import pytest

from tests.unit.test_cli import run


def test_user_add_lieferant_binds_the_provider(tmp_path, monkeypatch):
    db = str(tmp_path / "konten.duckdb")
    assert run("--db", db, "init")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    code, out, _ = run(
        "--db",
        db,
        "user",
        "add",
        "jobcenter",
        "--role",
        "lieferant",
        "--lieferant",
        "Jobcenter Peine",
        "--password-stdin",
    )
    assert code == 0
    assert out.strip() == "Konto jobcenter mit der Rolle lieferant (Lieferant: Jobcenter Landkreis Peine) gespeichert."
    code, out, _ = run("--db", db, "user", "list")
    assert "jobcenter" in out and "Jobcenter Landkreis Peine" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "lieferant"], "Unbekannter Lieferant »«"),
        (["--role", "lieferant", "--lieferant", "Arbeitsamt"], "Unbekannter Lieferant »Arbeitsamt«"),
        (["--role", "referat", "--lieferant", "Edemissen"], "Nur ein Konto mit der Rolle »lieferant«"),
    ],
)
def test_user_add_refuses_a_wrong_binding(tmp_path, monkeypatch, args, message):
    db = str(tmp_path / "konten.duckdb")
    assert run("--db", db, "init")[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("ein-langes-passwort\n"))
    code, out, err = run("--db", db, "user", "add", "x", *args, "--password-stdin")
    assert code == 1, out + err
    assert message in err
