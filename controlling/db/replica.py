"""On PostgreSQL: every process computes on a local DuckDB copy of the whole store, its replica.

PostgreSQL holds the data (the system of record); DuckDB runs every statement of the product on the
replica, so the method (status, county values, checks) and every repository exist once, in DuckDB's SQL,
on both engines. PostgreSQL is reached through ADBC: tables travel as Arrow in binary COPY, no row passes
through Python.

Reading: before each request the replica asks the server for the version of every table (one small
query on `store_table_version`). Each table whose version moved is brought up to date in one
repeatable-read snapshot: through the logged changes since its version (`store_change`, the newest 200),
else by taking the whole table. A version is a random token, set anew with every change, so a restored or
re-created database is never mistaken for the copy's.

Writing: a write transaction runs on the replica under the server's write lock, after the replica was
brought up to date (so it starts from the server's state) and its sequences were set to the server's.
Each table a statement writes is copied before its first change; at the end the difference (rows gone,
rows new) goes to the server in one transaction, with the tables' new versions and the sequences'
positions, and is logged for the other replicas. The replica commits only after the server did; if the
server refuses, both roll back.

The replica is a DuckDB file (CONTROLLING_REPLICA_DIR, else the temporary folder), so a restarted
dashboard whose database has not changed starts without copying. It has no foreign key: the server
enforces it, and DuckDB cannot reload a referenced table in one transaction.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, cast

import duckdb
import pyarrow as pa

from controlling.db.engines import first_line, unreachable
from controlling.db.replica_changes import (
    OtherDatabase,
    TableChange,
    TableKey,
    TrackedCursor,
    from_bytes,
    listed,
    matching,
    quoted,
    table_keys,
    to_bytes,
)
from controlling.errors import StoreError

# Each shipped change of a table, as Arrow (the keys of rows gone, the rows new): a replica one change behind
# takes these instead of the whole table. Only the newest CHANGES_KEPT are kept; an older replica takes the
# whole table.
CHANGES_TABLE = "store_change"
CREATE_CHANGES_SQL = f"""CREATE TABLE IF NOT EXISTS {CHANGES_TABLE} (
    id BIGSERIAL PRIMARY KEY, table_name VARCHAR NOT NULL, version_before VARCHAR, version_after VARCHAR NOT NULL,
    gone BYTEA NOT NULL, new BYTEA NOT NULL, changed_at TIMESTAMP NOT NULL DEFAULT now())"""
CHANGES_KEPT = 200
# A larger change is not logged (a replica behind it takes the whole table, which is then hardly more).
CHANGE_ROWS_LOGGED = 2_000_000
# One row per table of the store on the server: its name and the token of its current content.
VERSIONS_TABLE = "store_table_version"
CREATE_VERSIONS_SQL = (
    f"CREATE TABLE IF NOT EXISTS {VERSIONS_TABLE} (name VARCHAR PRIMARY KEY, version VARCHAR NOT NULL)"
)
# After a schema change every table gets a new token: each replica takes every table anew.
STAMP_ALL_SQL = f"""INSERT INTO {VERSIONS_TABLE}
    SELECT table_name, md5(random()::text || clock_timestamp()::text || table_name) FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('{VERSIONS_TABLE}', '{CHANGES_TABLE}')
    ON CONFLICT (name) DO UPDATE SET version = excluded.version"""
# The database's identity: a random token the server's store keeps in the versions table (set once, when the
# store is made), with the database's oid (a copy or a restored dump at the same address is another
# database). A replica made from another database is never reused: its sequences would carry that
# database's numbers (imports, comments) into this one.
IDENTITY_ROW = "*database"
CREATE_IDENTITY_SQL = f"""INSERT INTO {VERSIONS_TABLE}
    VALUES ('{IDENTITY_ROW}', md5(random()::text || clock_timestamp()::text)) ON CONFLICT (name) DO NOTHING"""
_SERVER_STATE_SQL = f"""SELECT name, version FROM {VERSIONS_TABLE}
    UNION ALL SELECT '*oid', oid::text FROM pg_database WHERE datname = current_database()"""
_STATE_SCHEMA = "replica"
Build = Callable[[duckdb.DuckDBPyConnection], None]  # makes the replica's schema (migrations.py)
# Several processes on one machine and one database each need a replica of their own (a DuckDB file has
# one writer): the first free of these slots.
_SLOTS = 16
_FOREIGN_KEY = re.compile(r"\s+REFERENCES\s+\w+\s*\(\s*\w+\s*\)", re.IGNORECASE)


def replica_statement(statement: str) -> str:
    """A migration statement as the replica runs it: without foreign keys."""
    return _FOREIGN_KEY.sub("", statement)


class Replica:
    """The process's copy of the server's store, attached to its DuckDB connection as `catalog`."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, address: str, shown: str, catalog: str) -> None:
        self._connection = connection
        self._address = address
        self._shown = shown
        self._catalog = catalog
        # Bringing the replica up to date, and a write's last step (server commit, local commit), one at a time.
        self._sync_lock = threading.RLock()
        # The connection to the server is used by one thread at a time.
        self._server_lock = threading.Lock()
        self._server: Any = None
        self._server_sequences: dict[str, int | None] = {}
        # The tables the last update from the server took (for the operator's log and the tests).
        self.last_loaded: tuple[str, ...] = ()
        # The tables the last update took as logged changes.
        self.last_changed: tuple[str, ...] = ()
        self._versions: dict[str, str] = {}
        self._tables: tuple[str, ...] = ()
        self._keys: dict[str, TableKey] = {}
        # The schema's fingerprint, how to build it, the keys the schema declares, the server's identity.
        self._schema: tuple[str, Build, Mapping[str, tuple[str, ...]]] | None = None
        self._identity = ""
        folder = Path(os.environ.get("CONTROLLING_REPLICA_DIR") or Path(tempfile.gettempdir()) / "controlling-replica")
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(address.encode()).hexdigest()[:16]
        self.path: Path | None = None
        for slot in range(1, _SLOTS + 1):
            candidate = folder / f"{name}-{slot}.duckdb"
            try:
                self._attach(str(candidate))
            except (duckdb.IOException, duckdb.ResourceInUseException):  # held by another process or Store: next slot
                continue
            self.path = candidate
            break
        else:
            self._attach(":memory:")

    # -- the local file -------------------------------------------------------------------------------

    def _attach(self, target: str) -> None:
        literal = target.replace("'", "''")
        self._connection.execute(f"ATTACH '{literal}' AS {self._catalog}")
        self._connection.execute(f"CREATE SCHEMA IF NOT EXISTS {self._catalog}.{_STATE_SCHEMA}")
        self._connection.execute(
            f"CREATE TABLE IF NOT EXISTS {self._catalog}.{_STATE_SCHEMA}.state "
            "(name VARCHAR PRIMARY KEY, value VARCHAR)"
        )

    def _state(self, name: str) -> str | None:
        rows = self._connection.execute(
            f"SELECT value FROM {self._catalog}.{_STATE_SCHEMA}.state WHERE name = ?", [name]
        ).fetchall()
        return cast(str, rows[0][0]) if rows else None

    def prepare(
        self,
        schema: str,
        build: Build,
        row_keys: Mapping[str, tuple[str, ...]],
    ) -> None:
        """Make the replica's schema the server's (`schema` names it): kept when it is and the replica was made
        from this very database, else built anew by `build`. `row_keys`: the keys of tables without a primary key."""
        with self._sync_lock:
            self._schema = (schema, build, row_keys)
            with self._on_server() as server:
                self._identity = self._server_state(server)[0]
            self._build(f"{schema}@{self._identity}")

    def _build(self, made_from: str) -> None:
        assert self._schema is not None
        _, build, row_keys = self._schema
        with self._sync_lock:
            if self._state("schema") != made_from:
                # Emptied in place, never detached or deleted: the file stays this process's slot.
                cursor = self._connection.cursor()
                try:
                    cursor.execute(f"USE {self._catalog}")
                    cursor.begin()
                    self._empty(cursor)
                    build(cursor)
                    cursor.execute(
                        f"INSERT INTO {_STATE_SCHEMA}.state VALUES ('schema', ?) "
                        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                        [made_from],
                    )
                    cursor.commit()
                finally:
                    cursor.close()
            rows = self._connection.execute(
                f"SELECT name[9:], value FROM {self._catalog}.{_STATE_SCHEMA}.state WHERE name LIKE 'version:%'"
            ).fetchall()
            self._versions = {str(name): str(value) for name, value in rows}
            tables = self._connection.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' "
                "ORDER BY table_name",
                [self._catalog],
            ).fetchall()
            self._tables = tuple(str(t[0]) for t in tables)
            self._keys = table_keys(self._connection, self._catalog, row_keys)

    def _empty(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Drop every view, table and sequence of the replica's schema and forget its versions."""
        for kind, listing in (
            ("VIEW", "duckdb_views()"),
            ("TABLE", "duckdb_tables()"),
            ("SEQUENCE", "duckdb_sequences()"),
        ):
            names = cursor.execute(
                f"SELECT {kind.lower()}_name FROM {listing} WHERE database_name = ? AND schema_name = 'main'"
                + (" AND NOT internal" if kind != "SEQUENCE" else ""),
                [self._catalog],
            ).fetchall()
            for (name,) in names:
                cursor.execute(f"DROP {kind} IF EXISTS main.{quoted(name)}")
        cursor.execute(f"DELETE FROM {_STATE_SCHEMA}.state")

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.close()

    def close(self) -> None:
        """Close the connection to the server."""
        with self._server_lock:
            if self._server is not None:
                with contextlib.suppress(Exception):
                    self._server.close()
                self._server = None

    # -- the server ------------------------------------------------------------------------------------

    def _connect(self) -> Any:
        import adbc_driver_postgresql.dbapi as adbc

        if self._server is None:
            try:
                self._server = adbc.connect(self._address, autocommit=True)
            except Exception as exc:
                raise unreachable(self._address, exc) from exc
        return self._server

    @contextlib.contextmanager
    def _on_server(self) -> Iterator[Any]:
        """A cursor on the server; a broken connection is opened once more on the next use."""
        with self._server_lock:
            server = self._connect()
            cursor = server.cursor()
            try:
                yield cursor
            except BaseException as exc:
                # Whatever stopped the request (also an interruption), no transaction stays open on a
                # connection the next request uses: it is rolled back and the connection opened anew.
                with contextlib.suppress(Exception):
                    cursor.execute("ROLLBACK")
                with contextlib.suppress(Exception):
                    server.close()
                self._server = None
                if isinstance(exc, StoreError) or not isinstance(exc, Exception):
                    raise
                raise StoreError(
                    f"Die PostgreSQL-Datenbank »{self._shown}« hat die Anfrage abgelehnt: {first_line(exc)}"
                ) from exc
            finally:
                with contextlib.suppress(Exception):
                    cursor.close()

    def _server_state(self, cursor: Any) -> tuple[str, dict[str, str]]:
        """The server database's identity, and its version of each table the replica has."""
        cursor.execute(_SERVER_STATE_SQL)
        found = {str(name): str(version) for name, version in cursor.fetchall()}
        identity = f"{found.get(IDENTITY_ROW, '')}:{found.get('*oid', '')}"
        return identity, {table: found.get(table, "") for table in self._tables}

    def _server_versions(self, cursor: Any) -> dict[str, str]:
        """The server's version of each table the replica has; another database at the address is refused."""
        identity, versions = self._server_state(cursor)
        if identity != self._identity:
            raise OtherDatabase(identity)
        return versions

    # -- reading: up to date before each request ---------------------------------------------------------

    def sync(self, local: duckdb.DuckDBPyConnection) -> None:
        """Bring every table whose version moved on the server up to date (nothing when none did).

        A table one or more logged changes behind takes those changes; any other the whole table.
        """
        if not self._tables:  # before the schema is prepared
            return
        with self._sync_lock:
            try:
                self._take_changes(local)
            except OtherDatabase as other:
                # The database at the address was made anew (or restored) while this process ran: the replica
                # is built anew from it, its numbers start from the new database's.
                assert self._schema is not None
                self._identity = other.identity
                self._build(f"{self._schema[0]}@{other.identity}")
                self._take_changes(local)

    def _take_changes(self, local: duckdb.DuckDBPyConnection) -> None:
        with self._sync_lock:
            with self._on_server() as server:
                if self._server_versions(server) == {t: self._versions.get(t) for t in self._tables}:
                    return
                server.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                remote = self._server_versions(server)
                steps: dict[str, list[tuple[pa.Table, pa.Table]] | pa.Table] = {}
                for table in self._tables:
                    if remote.get(table) != self._versions.get(table):
                        changes = self._changes_since(server, table, remote.get(table))
                        steps[table] = changes if changes is not None else self._whole(server, table)
                server.execute("COMMIT")
            self._apply(local, steps, remote)

    def _whole(self, server: Any, table: str) -> pa.Table:
        server.execute(f"SELECT * FROM {quoted(table)}")
        return server.fetch_arrow_table()

    def _changes_since(self, server: Any, table: str, wanted: str | None) -> list[tuple[pa.Table, pa.Table]] | None:
        """The logged changes from the replica's version of `table` to `wanted`, or None when they are not all kept."""
        known = self._versions.get(table)
        if known is None or wanted is None:
            return None
        server.execute(
            f"SELECT id, version_before, version_after FROM {CHANGES_TABLE} WHERE table_name = $1 ORDER BY id", [table]
        )
        chain: list[int] = []
        version = known
        for change_id, before, after in server.fetchall():
            if before == version:
                chain.append(int(change_id))
                version = after
        if version != wanted or not chain:
            return None
        changes = []
        for change_id in chain:
            server.execute(f"SELECT gone, new FROM {CHANGES_TABLE} WHERE id = $1", [change_id])
            gone, new = server.fetchall()[0]
            changes.append((from_bytes(gone), from_bytes(new)))
        return changes

    def _apply(
        self,
        local: duckdb.DuckDBPyConnection,
        steps: dict[str, list[tuple[pa.Table, pa.Table]] | pa.Table],
        remote: dict[str, str],
    ) -> None:
        """Make each table's local rows the server's: a whole table replaces the rows, changes are applied."""
        local.begin()
        try:
            for table, step in steps.items():
                key = self._keys[table]
                if isinstance(step, pa.Table):
                    # In key order: the server hands rows in its own order, and DuckDB reads (and compresses)
                    # a table stored in key order far better.
                    local.register("server_rows", step)
                    local.execute(f"DELETE FROM {quoted(table)}")
                    local.execute(
                        f"INSERT INTO {quoted(table)} BY NAME SELECT * FROM server_rows ORDER BY {listed(key.columns)}"
                    )
                    local.unregister("server_rows")
                    continue
                for gone, new in step:
                    if gone.num_rows:
                        local.register("gone_rows", gone)
                        local.execute(f"DELETE FROM {quoted(table)} t USING gone_rows g WHERE {matching(key)}")
                        local.unregister("gone_rows")
                    if new.num_rows:
                        local.register("new_rows", new)
                        local.execute(f"INSERT INTO {quoted(table)} BY NAME SELECT * FROM new_rows")
                        local.unregister("new_rows")
            for table in steps:
                local.execute(
                    f"INSERT INTO {_STATE_SCHEMA}.state VALUES (?, ?) "
                    "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    [f"version:{table}", remote.get(table, "")],
                )
            local.commit()
        except BaseException:
            local.rollback()
            for table in steps:  # the next request takes these tables whole
                self._versions.pop(table, None)
            raise
        for table in steps:
            self._versions[table] = remote.get(table, "")
        self.last_loaded = tuple(t for t, step in steps.items() if isinstance(step, pa.Table))
        self.last_changed = tuple(t for t, step in steps.items() if not isinstance(step, pa.Table))
        # A large change stays out of the write-ahead log: the next start opens the file without replaying it.
        with contextlib.suppress(duckdb.Error):
            local.execute(f"CHECKPOINT {self._catalog}")

    # -- writing: on the replica, then shipped -------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self, local: duckdb.DuckDBPyConnection, writes: Collection[str]) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction on the replica whose changes (in the tables `writes` names) the server commits first.

        Runs under the write lock (no other process changes the server meanwhile), after `sync`.
        """
        self._align_sequences(local)
        tracked = TrackedCursor(local, self._keys, writes)
        local.begin()
        try:
            yield cast(duckdb.DuckDBPyConnection, tracked)
            changes = tracked.changes()
            tracked.drop_copies()
        except BaseException:
            local.rollback()
            raise
        with self._sync_lock:  # no other thread takes the server's new versions before this commit
            try:
                remote = self._ship(local, changes) if changes or self._moved_sequences(local) else {}
                for table, version in remote.items():
                    local.execute(
                        f"INSERT INTO {_STATE_SCHEMA}.state VALUES (?, ?) "
                        "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                        [f"version:{table}", version],
                    )
            except BaseException:
                local.rollback()
                raise
            try:
                local.commit()
            except BaseException:
                self._versions.clear()  # the server committed: the next request takes every table anew
                raise
            self._versions.update(remote)

    def _sequences(self, local: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
        rows = local.execute(
            "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = ?", [self._catalog]
        ).fetchall()
        return {str(name): (None if value is None else int(value)) for name, value in rows}

    def _align_sequences(self, local: duckdb.DuckDBPyConnection) -> None:
        """Move each local sequence up to the server's position (numbers drawn anywhere are never drawn again)."""
        with self._on_server() as server:
            server.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
            remote = {str(name): (None if value is None else int(value)) for name, value in server.fetchall()}
        self._server_sequences = remote
        for name, position in self._sequences(local).items():
            wanted = remote.get(name)
            if wanted is None or (position is not None and position >= wanted):
                continue
            steps = wanted - (position or 0)
            local.execute(f"SELECT max(nextval('{name}')) FROM range({int(steps)})")

    def _moved_sequences(self, local: duckdb.DuckDBPyConnection) -> dict[str, int]:
        known = self._server_sequences
        return {
            name: position
            for name, position in self._sequences(local).items()
            if position is not None and (known.get(name) is None or position > cast(int, known.get(name)))
        }

    def _ship(self, local: duckdb.DuckDBPyConnection, changes: dict[str, TableChange]) -> dict[str, str]:
        """Commit the changes on the server in one transaction; returns the tables' new versions."""
        moved = self._moved_sequences(local)
        with self._on_server() as server:
            server.execute("BEGIN")
            server.execute(f"SELECT name, version FROM {VERSIONS_TABLE} FOR UPDATE")
            found = {str(name): str(version) for name, version in server.fetchall()}
            remote = {table: found.get(table, "") for table in self._tables}
            # Under the write lock no other process changes anything; a table moved all the same (the lock's
            # connection was lost) refuses the write, whichever table it touches.
            stale = sorted(t for t in self._tables if remote.get(t) != self._versions.get(t))
            if stale:
                server.execute("ROLLBACK")
                raise StoreError(
                    f"Die Tabellen {', '.join(stale)} wurden auf dem Server geändert, während diese Änderung "
                    "vorbereitet wurde. Es wurde nichts gespeichert; bitte versuchen Sie es noch einmal."
                )
            versions: dict[str, str] = {}
            for table, (key, gone, new) in changes.items():
                if gone.num_rows:
                    server.adbc_ingest("replica_gone", gone, mode="replace", temporary=True)
                    server.execute(f"DELETE FROM {quoted(table)} t USING pg_temp.replica_gone g WHERE {matching(key)}")
                if new.num_rows:
                    server.adbc_ingest(table, new, mode="append")
                versions[table] = uuid.uuid4().hex
                if gone.num_rows + new.num_rows <= CHANGE_ROWS_LOGGED:
                    server.execute(
                        f"INSERT INTO {CHANGES_TABLE} (table_name, version_before, version_after, gone, new) "
                        "VALUES ($1, $2, $3, $4, $5)",
                        [table, self._versions.get(table), versions[table], to_bytes(gone), to_bytes(new)],
                    )
                server.execute(
                    f"INSERT INTO {VERSIONS_TABLE} VALUES ($1, $2) "
                    "ON CONFLICT (name) DO UPDATE SET version = excluded.version",
                    [table, versions[table]],
                )
            for name, position in moved.items():
                server.execute("SELECT setval($1, $2)", [name, position])
                server.fetchall()
            server.execute(
                f"DELETE FROM {CHANGES_TABLE} WHERE id <= (SELECT max(id) FROM {CHANGES_TABLE}) - {CHANGES_KEPT}"
            )
            server.execute("COMMIT")
        return versions
