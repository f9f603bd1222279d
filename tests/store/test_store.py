"""Store: migrations, refusal of newer schemas, locking, versioned values, transactions."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controlling.db import MIGRATIONS, Store
from controlling.errors import SchemaTooNewError, StoreLockedError

ROW = {"indicator": "KTX-03", "area": "03157", "year": 2024, "breakdown": "", "value": 1.0}


def add(store: Store, value: float, name: str = "a.csv") -> int:
    frame = pd.DataFrame([{**ROW, "value": value}])
    return store.intakes.add(frame, user="test", file_name=name, sha256=name, format="werte")


def test_new_database_has_every_migration(tmp_path):
    store = Store(tmp_path / "db.duckdb")
    assert store.schema_version() == MIGRATIONS[-1].version
    assert list(store.applied_migrations()["version"]) == [m.version for m in MIGRATIONS]
    store.close()


def test_older_database_is_migrated(tmp_path):
    path = tmp_path / "db.duckdb"
    old = Store(path, migrations=MIGRATIONS[:1])
    assert old.schema_version() == 1
    old.close()
    store = Store(path)
    assert store.schema_version() == MIGRATIONS[-1].version
    assert store.audit.entries().empty  # a table of migration 2 exists now
    store.close()


def test_newer_database_is_refused_in_german(tmp_path):
    path = tmp_path / "db.duckdb"
    store = Store(path)
    with store.transaction("schema_migration") as cur:
        cur.execute("INSERT INTO schema_migration VALUES (99, 'Zukunft', now())")
    store.close()
    with pytest.raises(SchemaTooNewError, match="Schemastand 99, dieses Programm kennt nur bis"):
        Store(path)


HOLD_LOCK = textwrap.dedent(
    """
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])
    print("bereit", flush=True)
    time.sleep(30)
    """
)


@pytest.fixture
def locked_database(tmp_path):
    path = tmp_path / "locked.duckdb"
    Store(path).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "bereit"
    yield path
    holder.kill()
    holder.wait()
    holder.stdout.close()


def test_locked_file_gives_a_german_message(locked_database, monkeypatch):
    monkeypatch.setenv("CONTROLLING_DB_WAIT", "1")
    with pytest.raises(StoreLockedError, match="wird gerade von einem anderen Programm benutzt") as caught:
        Store(locked_database)
    assert "nach 1 Sekunde Warten wurde abgebrochen" in str(caught.value)
    assert "Bitte versuchen Sie es in einer Minute erneut" in str(caught.value)


def test_cli_on_a_locked_file_prints_no_traceback(locked_database):
    result = subprocess.run(
        [sys.executable, "-m", "controlling", "--db", str(locked_database), "status"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "CONTROLLING_DB_WAIT": "1"},
    )
    assert result.returncode == 1
    assert "wird gerade von einem anderen Programm benutzt" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_second_write_keeps_the_first_and_the_newer_is_current(empty_store):
    first = add(empty_store, 1.0, "erste.csv")
    time.sleep(0)  # intake ids, not clocks, order the versions
    second = add(empty_store, 2.0, "zweite.csv")
    history = empty_store.values.history("KTX-03", "03157", 2024)
    assert list(history["intake_id"]) == [second, first]
    assert list(history["value"]) == [2.0, 1.0]
    current = empty_store.values.current_observations()
    assert list(current["value"]) == [2.0]


def test_undo_restores_the_previous_value(empty_store):
    add(empty_store, 1.0)
    second = add(empty_store, 2.0)
    third = add(empty_store, 3.0)
    empty_store.intakes.undo(third, user="test")
    assert list(empty_store.values.current_observations()["value"]) == [2.0]
    empty_store.intakes.undo(second, user="test")
    assert list(empty_store.values.current_observations()["value"]) == [1.0]
    assert set(empty_store.intakes.history()["state"]) == {"committed", "undone"}


def test_failed_transaction_writes_nothing(empty_store):
    with pytest.raises(RuntimeError), empty_store.transaction("comment") as cur:
        cur.execute(
            "INSERT INTO comment (indicator, area, year, text, author, created_at) "
            "VALUES ('KTX-03', '03157', 2024, 'x', 'test', now())"
        )
        raise RuntimeError("Abbruch")
    assert empty_store.notes.comments().empty


def test_targets_are_versioned_not_overwritten(empty_store):
    import datetime as dt

    def target(value, day):
        return pd.DataFrame(
            [
                {
                    "indicator": "BIL-01",
                    "area": "*",
                    "target_year": 2030,
                    "target_value": value,
                    "baseline_year": 2020,
                    "decision": "KA",
                    "valid_from": day,
                }
            ]
        )

    empty_store.targets.add(target(30.0, dt.date(2021, 6, 1)), user="test")
    empty_store.targets.add(target(35.0, dt.date(2024, 1, 1)), user="test")
    assert list(empty_store.targets.in_force(on=dt.date(2022, 1, 1))["target_value"]) == [30.0]
    assert list(empty_store.targets.in_force(on=dt.date(2025, 1, 1))["target_value"]) == [35.0]


def test_every_change_moves_the_data_version(empty_store):
    before = empty_store.data_version()
    add(empty_store, 1.0)
    assert empty_store.data_version() > before


@pytest.mark.slow  # a model over 40 random orders of imports and undos
@settings(max_examples=40, deadline=None)
@given(steps=st.lists(st.tuples(st.booleans(), st.integers(0, 3), st.integers(2020, 2022)), min_size=1, max_size=12))
def test_current_flag_always_matches_its_definition(steps):
    """The current value is the one from the newest intake that was not undone, whatever happened before."""
    store = Store(":memory:")
    try:
        committed: list[int] = []
        for is_undo, pick, year in steps:
            if is_undo and committed:
                store.intakes.undo(committed.pop(pick % len(committed)), user="test")
            else:
                frame = pd.DataFrame([{**ROW, "year": year, "value": float(len(committed))}])
                committed.append(store.intakes.add(frame, user="t", file_name="f", sha256="s", format="werte"))
        with store.transaction() as cur:
            expected = cur.execute(
                """SELECT o.year, o.value FROM observation o JOIN intake i ON i.id = o.intake_id
                   WHERE i.state = 'committed'
                   QUALIFY row_number() OVER (PARTITION BY o.year ORDER BY o.intake_id DESC) = 1
                   ORDER BY o.year"""
            ).fetchall()
        actual = store.values.current_observations()[["year", "value"]]
        assert [tuple(row) for row in actual.itertuples(index=False)] == expected
    finally:
        store.close()
