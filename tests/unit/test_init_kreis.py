"""`python -m controlling init --kreis AGS`: any Kreis of Germany set up in one command (issue 26)."""

from __future__ import annotations

import io
import time
from contextlib import redirect_stderr, redirect_stdout

import pandas as pd
import pytest

from controlling.cli import main
from controlling.db import Store
from controlling.reference.areas import kreise
from controlling.reference.shipped import DATA_DIR, read_areas


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("code", "name", "land"),
    [
        ("03157", "Landkreis Peine", "Niedersachsen"),
        ("03151", "Landkreis Gifhorn", "Niedersachsen"),
        ("05315", "Kreisfreie Stadt Köln", "Nordrhein-Westfalen"),
        ("08115", "Landkreis Böblingen", "Baden-Württemberg"),
        ("03241", "Region Hannover", "Niedersachsen"),
    ],
)
def test_init_sets_up_the_kreis_its_gemeinden_its_land_and_the_other_kreise(tmp_path, code, name, land):
    started = time.perf_counter()
    exit_code, out, err = run("--db", str(tmp_path / "k.duckdb"), "init", "--kreis", code, "--demo")
    seconds = time.perf_counter() - started
    assert exit_code == 0, err
    assert "Eingerichtet:" in out and "Demodaten geladen" in out
    assert seconds < 10, f"init --kreis {code} brauchte {seconds:.1f} s"
    shipped = kreise()
    store = Store(tmp_path / "k.duckdb")
    try:
        areas = store.catalogue.areas()
        values = store.values.current_observations()
        indicators = store.catalogue.indicators()
        targets = store.targets.in_force()
    finally:
        store.close()
    own = areas.loc[~areas["comparison"]]
    assert own.loc[own["level"] == "kreis", "name"].tolist() == [name]
    gemeinden = own.loc[(own["level"] == "gemeinde") & own["valid_to"].isna()]
    assert len(gemeinden) == shipped.set_index("code").at[code, "gemeinden"]
    assert areas.loc[areas["level"] == "land", "name"].tolist() == [land]
    land_kreise = set(shipped.loc[shipped["parent"] == code[:2], "code"]) - {code}
    assert land_kreise <= set(areas.loc[areas["comparison"] & (areas["level"] == "kreis"), "code"])
    # The demo plays on this Kreis: its Gemeinden have values, and nothing speaks of Peine elsewhere.
    assert set(gemeinden["code"]) <= set(values["area"])
    if code != "03157":
        assert not values["area"].str.fullmatch(r"03157\d{3}").any()  # no Gemeinde of Peine (the Kreis compares)
        texts = pd.concat([indicators[c].astype(str) for c in ("name", "definition", "source", "provider")])
        assert not texts.str.contains("Peine").any()
        assert not targets.astype(str).apply(lambda column: column.str.contains("Peine")).any().any()


def stored_areas(path) -> pd.DataFrame:
    store = Store(path)
    try:
        return store.catalogue.areas()
    finally:
        store.close()


def test_peine_by_its_code_is_todays_peine_with_the_other_kreise_of_niedersachsen(tmp_path):
    run("--db", str(tmp_path / "heute.duckdb"), "init")  # data/gebiete.csv, as before issue 26
    run("--db", str(tmp_path / "p.duckdb"), "init", "--kreis", "03157")
    today, chosen = stored_areas(tmp_path / "heute.duckdb"), stored_areas(tmp_path / "p.duckdb")
    assert len(today) == len(read_areas(DATA_DIR / "gebiete.csv"))
    same = chosen.loc[chosen["code"].isin(today["code"])].reset_index(drop=True)
    pd.testing.assert_frame_equal(same, today)
    others = chosen.loc[~chosen["code"].isin(today["code"])]
    assert (others["level"] == "kreis").all() and others["comparison"].all() and len(others) >= 44


def test_a_kreis_that_ended_is_refused_and_nothing_is_written(tmp_path):
    exit_code, _, err = run("--db", str(tmp_path / "g.duckdb"), "init", "--kreis", "03152")
    assert exit_code == 1
    assert "Landkreis Göttingen (bis 2016) (03152) besteht seit dem 01.11.2016 nicht mehr" in err
    store = Store(tmp_path / "g.duckdb")
    try:
        assert store.catalogue.is_empty()
    finally:
        store.close()


def test_a_second_init_with_another_kreis_changes_nothing_and_says_which_kreis_is_there(tmp_path):
    run("--db", str(tmp_path / "k.duckdb"), "init", "--kreis", "03151")
    exit_code, out, _ = run("--db", str(tmp_path / "k.duckdb"), "init", "--kreis", "05315")
    assert exit_code == 0
    assert "enthält bereits Stammdaten; es wurde nichts geändert. Berichtender Kreis: Landkreis Gifhorn." in out


def test_the_kreis_comes_from_controlling_kreis_when_not_given(tmp_path, monkeypatch):
    monkeypatch.setenv("CONTROLLING_KREIS", "05315")
    exit_code, out, _ = run("--db", str(tmp_path / "k.duckdb"), "init")
    assert exit_code == 0
    assert "Kreisfreie Stadt Köln: kreisfrei, ohne eigene Gemeinden" in out
