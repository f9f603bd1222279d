"""The replica on PostgreSQL (issue 18): writes go to the server first, reads take only what changed.

Each Store here is what one process holds: its own replica (a DuckDB file of its own) of the same server
database.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from benchmarks import postgres
from controlling.db import Store
from controlling.db.replica_changes import TrackedCursor
from controlling.errors import StoreError


@pytest.fixture
def address(postgres_server, postgres_template, request):
    name = f"controlling_replica_{request.node.name[5:35].lower()}"
    yield postgres.create_database(postgres_server, name, postgres_template)
    postgres.drop_database(postgres_server, name)


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
    with pytest.raises(StoreError, match="hat die Anfrage abgelehnt") as refused, store.transaction() as cur:
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
    assert again._db.replica.last_loaded == ()
    other = Store(address)  # a second process: a replica of its own
    _comment(other, "Hinweis aus einem anderen Prozess")
    again.data_version()
    replica = again._db.replica
    print(
        f"\nNach einem Kommentar im anderen Prozess: Änderungen übernommen für {sorted(replica.last_changed)}, "
        f"ganz geholt {sorted(replica.last_loaded)}"
    )
    assert {"comment", "audit_log"} <= set(replica.last_changed)
    assert replica.last_loaded == ()
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


def test_every_write_statement_names_its_table():
    con = duckdb.connect()
    con.execute("CREATE TABLE target (id INTEGER PRIMARY KEY, v INTEGER)")
    con.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, a VARCHAR)")
    con.execute("INSERT INTO target VALUES (1, 1), (2, 2)")
    con.execute("ATTACH ':memory:' AS staging")
    con.execute("CREATE TABLE staging.target (x INTEGER)")
    tracked = TrackedCursor(con, ["target", "audit_log"])
    tracked.execute("INSERT INTO staging.target VALUES (1)")  # the staging database, not the store
    assert tracked.changes() == {}
    con.begin()
    tracked.execute("UPDATE target SET v = 20 WHERE id = 2")
    tracked.execute("INSERT INTO audit_log VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET a = excluded.a")
    tracked.execute("DELETE FROM target WHERE id = 1")
    changes = tracked.changes()
    assert sorted(changes) == ["audit_log", "target"]
    keys, exact, gone, new = changes["target"]
    assert keys == '"id"' and exact
    assert sorted(gone.column("id").to_pylist()) == [1, 2]
    assert new.to_pylist() == [{"id": 2, "v": 20}]
    assert changes["audit_log"][3].to_pylist() == [{"id": 1, "a": "x"}]
    con.rollback()


def test_a_write_whose_table_is_not_named_for_sure_compares_every_table_and_bypasses_are_refused():
    con = duckdb.connect()
    con.execute("CREATE TABLE target (id INTEGER PRIMARY KEY, v INTEGER)")
    con.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, a VARCHAR)")
    tracked = TrackedCursor(con, ["target", "audit_log"])
    con.begin()
    tracked.execute(
        "MERGE INTO target USING (SELECT 1 AS id, 5 AS v) s ON target.id = s.id "
        "WHEN MATCHED THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)"
    )
    assert sorted(tracked.changes()) == ["target"]  # both copied, only target changed
    with pytest.raises(AttributeError, match="an der Replik vorbei"):
        tracked.append("target", pd.DataFrame({"id": [2], "v": [1]}))
    con.rollback()
