"""The replica on PostgreSQL (issue 18): writes go to the server first, reads take only what changed.

Each Store here is what one process holds: its own replica (a DuckDB file of its own) of the same server
database.
"""

from __future__ import annotations

import contextlib

import duckdb
import pandas as pd
import pytest

from benchmarks import postgres
from controlling.db import Store
from controlling.db.migrations import ROW_KEYS
from controlling.db.replica_changes import TableKey, TrackedCursor, table_keys
from controlling.errors import StoreError


@pytest.fixture
def address(postgres_server, postgres_template, request):
    name = f"controlling_replica_{request.node.name[5:35].lower()}"
    yield postgres.create_database(postgres_server, name, postgres_template)
    postgres.drop_database(postgres_server, name)


ROW = {"indicator": "BIL-01", "area": "03157", "year": 2024, "breakdown": "", "value": 12.5}


def _comment(store: Store, text: str) -> None:
    frame = pd.DataFrame({"indicator": ["BIL-01"], "area": ["03157"], "year": [2024], "text": [text]})
    store.notes.add_comments(frame, user="referat.test")


def _count(store: Store, table: str) -> int:
    with store.transaction() as cur:  # a transaction reads the newest state, like a page does
        return int(cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def test_a_change_the_server_refuses_is_rolled_back_in_the_replica_too(address):
    store, other = Store(address), Store(address)
    before = _count(store, "indicator")
    # The replica has no foreign key; the server has, and refuses the unknown Handlungsfeld.
    with pytest.raises(StoreError, match="hat die Anfrage abgelehnt") as refused, store.transaction("indicator") as cur:
        cur.execute(
            "INSERT INTO indicator (code, name, field, unit, polarity, aggregation) "
            "VALUES ('NEU-01', 'Neu', 'GIBT-ES-NICHT', '%', 'hoch', 'quote')"
        )
    print(f"\nAbgelehnt vom Server: {refused.value}")
    assert _count(store, "indicator") == before
    assert _count(other, "indicator") == before
    store.close()
    other.close()


def test_a_restarted_process_takes_from_the_server_only_the_changes(address):
    first = Store(address)
    _comment(first, "vorher")
    first.close()
    again = Store(address)  # the same replica file, the same versions: nothing to take
    again.data_version()
    assert again.replica_update()[0] == ()
    other = Store(address)  # a second process: a replica of its own
    _comment(other, "Hinweis aus einem anderen Prozess")
    again.data_version()
    loaded, changed = again.replica_update()
    print(
        f"\nNach einem Kommentar im anderen Prozess: Änderungen übernommen für {sorted(changed)}, ganz geholt {loaded}"
    )
    assert {"comment", "audit_log"} <= set(changed)
    assert loaded == ()
    assert sorted(again.notes.comments("BIL-01")["text"]) == ["Hinweis aus einem anderen Prozess", "vorher"]
    again.close()
    other.close()


def test_numbers_drawn_in_two_processes_never_collide(address):
    first, second = Store(address), Store(address)
    for number in range(4):
        for store in (first, second):
            _comment(store, f"Kommentar {number}")
    with first.transaction() as cur:
        comment_ids = [row[0] for row in cur.execute("SELECT id FROM comment ORDER BY id").fetchall()]
        audit_ids = [row[0] for row in cur.execute("SELECT id FROM audit_log ORDER BY id").fetchall()]
    assert len(comment_ids) == 8 and len(set(comment_ids)) == 8
    assert len(audit_ids) == len(set(audit_ids))
    first.close()
    second.close()


def _tracked(con: duckdb.DuckDBPyConnection, writes: tuple[str, ...]) -> TrackedCursor:
    return TrackedCursor(con, table_keys(con, "memory", ROW_KEYS), writes)


def test_a_transaction_ships_the_tables_it_declares_with_their_keys_from_the_schema():
    con = duckdb.connect()
    con.execute("CREATE TABLE target (id INTEGER PRIMARY KEY, v INTEGER)")
    con.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, a VARCHAR)")
    con.execute(
        "CREATE TABLE observation (indicator VARCHAR, area VARCHAR, year INTEGER, breakdown VARCHAR, "
        "value DOUBLE, intake_id INTEGER)"
    )
    con.execute("INSERT INTO target VALUES (1, 1), (2, 2)")
    con.execute("INSERT INTO observation VALUES ('A', '03157', 2024, '', 1.0, 1)")
    tracked = _tracked(con, ("target", "audit_log", "observation"))
    tracked.execute("SELECT count(*) FROM target").fetchall()  # reading copies nothing yet
    assert tracked.changes() == {}
    con.begin()
    tracked.execute("UPDATE target SET v = 20 WHERE id = 2")
    tracked.execute("INSERT INTO audit_log VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET a = excluded.a")
    tracked.execute("DELETE FROM target WHERE id = 1")
    tracked.execute("UPDATE observation SET value = 2.0")
    changes = tracked.changes()
    assert sorted(changes) == ["audit_log", "observation", "target"]
    key, gone, new = changes["target"]
    assert key == TableKey(("id",), True)  # the primary key, as a tuple
    assert sorted(gone.column("id").to_pylist()) == [1, 2]
    assert new.to_pylist() == [{"id": 2, "v": 20}]
    assert changes["audit_log"].new.to_pylist() == [{"id": 1, "a": "x"}]
    # A table without a primary key: the columns the schema declares for it (migrations.ROW_KEYS).
    assert changes["observation"].key == TableKey(ROW_KEYS["observation"], True)
    assert changes["observation"].gone.column_names == list(ROW_KEYS["observation"])
    con.rollback()


def test_a_write_that_declared_no_table_or_an_unknown_one_and_bypasses_are_refused():
    con = duckdb.connect()
    con.execute("CREATE TABLE target (id INTEGER PRIMARY KEY, v INTEGER)")
    with pytest.raises(StoreError, match="Unbekannte Tabellen für einen Schreibvorgang: tagret"):
        _tracked(con, ("tagret",))
    undeclared = _tracked(con, ())
    assert undeclared.execute("SELECT 1").fetchall() == [(1,)]  # reading needs no declaration
    for statement in (
        "INSERT INTO target VALUES (1, 1)",
        "MERGE INTO target USING (SELECT 1 AS id, 5 AS v) s ON target.id = s.id WHEN MATCHED THEN UPDATE SET v = s.v",
        "COPY target FROM 'x.csv'",
    ):
        with pytest.raises(StoreError, match="ohne Angabe der Tabellen"):
            undeclared.execute(statement)
    tracked = _tracked(con, ("target",))
    with pytest.raises(AttributeError, match="an der Replik vorbei"):
        tracked.append("target", pd.DataFrame({"id": [2], "v": [1]}))


def _every_table(store: Store) -> dict[str, pd.DataFrame]:
    with store.transaction() as cur:
        tables = [
            row[0]
            for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
                "AND schema_name = 'main' ORDER BY 1"
            ).fetchall()
        ]
        return {t: cur.execute(f'SELECT * FROM "{t}" ORDER BY ALL').df() for t in tables}


def test_what_every_repository_writes_reaches_the_server(address):
    """The declarations are complete: a second process, whose replica takes every table from the server, sees
    exactly what the first process's replica holds after writes through every repository."""
    import datetime as dt

    from controlling.demo import load_demo

    store = Store(address)
    load_demo(store)  # catalogue, intakes, targets, notes, measures, goals
    history = store.intakes.history()
    store.intakes.undo(int(history["id"].iloc[0]), user="referat.test")
    store.catalogue.set_retired("BIL-01", True, user="referat.test")
    store.accounts.save("anna", "referat", "hash", user="admin")
    store.accounts.set_disabled("anna", True, user="admin")
    store.intakes.save_source_mapping("LSN-1", "BIL-01", user="referat.test")
    store.goals.save_leitbild("Ein Leitbild", user="referat.test")
    at = dt.datetime.now()
    attempt = store.signins.begin_attempt("anna", "ref", since=at - dt.timedelta(minutes=15), limit=10, at=at)
    store.signins.finish_attempt(attempt, success=False)
    other = Store(address)  # another process, its replica made from the server alone
    mine, theirs = _every_table(store), _every_table(other)
    assert sorted(mine) == sorted(theirs)
    for table in mine:
        pd.testing.assert_frame_equal(mine[table], theirs[table], obj=table)
    store.close()
    other.close()


def test_a_new_database_at_the_same_address_starts_its_numbers_anew(postgres_server, postgres_template):
    """Issue 29: the replica belongs to the database it was made from, not to the address."""
    name = "controlling_replica_same_address"
    address = postgres.create_database(postgres_server, name, postgres_template)
    first = Store(address)
    for number in range(3):
        _comment(first, f"alt {number}")
    assert int(first.intakes.add(pd.DataFrame([ROW]), user="t", file_name="f", sha256="s", format="werte")) == 1
    running = Store(address)  # a process that keeps running while the database is made anew
    running.data_version()
    first.close()
    postgres.drop_database(postgres_server, name)
    postgres.create_database(postgres_server, name, postgres_template)
    again = Store(address)  # the same replica file as `first`: made from the old database
    try:
        assert again.notes.comments("BIL-01").empty
        assert int(again.intakes.add(pd.DataFrame([ROW]), user="t", file_name="f", sha256="s", format="werte")) == 1
        with contextlib.suppress(StoreError):  # its connection to the dropped database fails one request
            running.data_version()
        assert running.notes.comments("BIL-01").empty  # the running process takes the new database too
        _comment(running, "neu")
        assert list(again.notes.comments("BIL-01")["text"]) == ["neu"]
    finally:
        again.close()
        running.close()
        postgres.drop_database(postgres_server, name)
