"""The one DuckDB connection of a process: cursors per request, write transactions under a lock."""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import os
import tempfile
import threading
import time
import weakref
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from controlling.db.engines import SchemaSession, WriteLock, is_postgres, postgres_schema_session, shown_address
from controlling.db.replica import Replica
from controlling.errors import StoreError, StoreLockedError

DEFAULT_DB_PATH = Path("data") / "controlling.duckdb"
# DuckDB's own memory (buffers, hash tables); beyond it DuckDB spills to disk. Keeps the largest
# status table (6.6 million values) under 2 GiB for the whole process.
DEFAULT_MEMORY_LIMIT = "1GB"
# A file being imported is checked where its rows are: in an in-memory database attached to the
# process's connection (`staging`), shared by every cursor. Nothing there is part of the data.
STAGING_DB = "staging"
# The store itself (a DuckDB file, :memory: or a PostgreSQL database), attached under this name.
STORE_DB = "store"
# A DuckDB file stays attached this long after the last request (seconds): a page's many queries share it.
DEFAULT_HOLD_SECONDS = 1.0
# How long opening a DuckDB file that another process holds is retried (seconds).
DEFAULT_WAIT_SECONDS = 10.0
_NULLABLE_INTEGERS = {pa.int32(): pd.Int32Dtype()}


def default_db_path() -> str | Path:
    """Database from the environment variable CONTROLLING_DB (a path or postgresql://…), else the default file."""
    configured = os.environ.get("CONTROLLING_DB")
    if configured and is_postgres(configured):
        return configured
    return Path(configured or DEFAULT_DB_PATH)


def now() -> dt.datetime:
    """The current time to the second (what audit entries and intakes record)."""
    return dt.datetime.now().replace(microsecond=0)


def audit(
    cursor: duckdb.DuckDBPyConnection,
    user: str,
    action: str,
    entity: str,
    key: str,
    *,
    old: str | None = None,
    new: str | None = None,
) -> None:
    """One entry of the audit trail, written in the caller's transaction."""
    cursor.execute(
        "INSERT INTO audit_log (changed_at, user_name, action, entity, entity_key, old_value, new_value) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [now(), user, action, entity, key, old, new],
    )


def next_id(cursor: duckdb.DuckDBPyConnection, sequence: str) -> int:
    """The next number of a sequence of the store, for an INSERT that names its id."""
    if not sequence.isidentifier():
        raise StoreError(f"»{sequence}« ist kein Name einer Zahlenfolge.")
    row = cursor.execute(f"SELECT nextval('{sequence}')").fetchone()
    assert row is not None
    return int(row[0])


# Every open Database of the process: at exit each gives its file free before the interpreter ends. A release
# timer firing during the interpreter's finalization would call into DuckDB and abort the process.
_OPEN: weakref.WeakSet[Database] = weakref.WeakSet()


@atexit.register
def _release_at_exit() -> None:
    for database in list(_OPEN):
        with contextlib.suppress(Exception):
            database.release_now()


class Database:
    """One DuckDB connection per process; a cursor per request; writes serialized by a lock.

    The connection itself is in memory and always open; it holds the in-memory `staging` database. The
    store is attached to it as the catalog `store`, and every cursor uses it by default: a PostgreSQL
    server or an in-memory database stays attached; a DuckDB file is attached only while a request needs
    it (and `CONTROLLING_DB_HOLD` seconds after), so the command line can use the file meanwhile.
    """

    def __init__(self, path: str | Path) -> None:
        self.address = str(path)
        self.postgres = is_postgres(self.address)
        self.path = shown_address(self.address)
        self._file = not self.postgres and self.address != ":memory:"
        if self._file:
            Path(self.address).parent.mkdir(parents=True, exist_ok=True)
        self.connection = duckdb.connect(":memory:")
        self.connection.execute(f"ATTACH ':memory:' AS {STAGING_DB}")
        self.connection.execute("SET memory_limit = ?", [os.environ.get("CONTROLLING_DB_MEMORY", DEFAULT_MEMORY_LIMIT)])
        # Beyond the memory limit DuckDB spills here: next to a database file, else in the temporary folder
        # (an in-memory connection would spill into `.tmp` of whatever folder the program was started in).
        spill = Path(f"{self.address}.tmp") if self._file else Path(tempfile.gettempdir()) / "controlling-spill"
        self.connection.execute("SET temp_directory = ?", [str(spill)])
        self.write_lock = WriteLock(self.address if self.postgres else None, hold=lambda: self._holding())
        self._guard = threading.Lock()
        self._users = 0
        self._attached = False
        self._release_timer: threading.Timer | None = None
        self._hold_seconds = float(os.environ.get("CONTROLLING_DB_HOLD", DEFAULT_HOLD_SECONDS))
        self._wait_seconds = float(os.environ.get("CONTROLLING_DB_WAIT", DEFAULT_WAIT_SECONDS))
        self.replica: Replica | None = None
        if self.postgres:
            self.replica = Replica(self.connection, self.address, self.path, STORE_DB)
            self._attached = True
        elif not self._file:
            self.connection.execute(f"ATTACH ':memory:' AS {STORE_DB}")
            self._attached = True
        else:
            with self._holding():  # a file that cannot be opened says so at once
                pass
        _OPEN.add(self)

    def close(self) -> None:
        """Close the process's connection (and give the file free)."""
        with self._guard:
            if self._release_timer is not None:
                self._release_timer.cancel()
        self.write_lock.close()
        if self.replica is not None:
            self.replica.close()
        self.connection.close()

    def release_now(self) -> None:
        """Stop the pending release and give a DuckDB file free at once (unless a request is using it)."""
        with self._guard:
            if self._release_timer is not None:
                self._release_timer.cancel()
                self._release_timer = None
            if self._file and self._users == 0:
                self._detach_file()

    @contextlib.contextmanager
    def _holding(self) -> Iterator[None]:
        """The store attached for the duration of one request."""
        with self._guard:
            if self._release_timer is not None:
                self._release_timer.cancel()
                self._release_timer = None
            if not self._attached:
                self._attach_file()
            self._users += 1
        try:
            yield
        finally:
            with self._guard:
                self._users -= 1
                if self._file and self._users == 0:
                    if self._hold_seconds <= 0:
                        self._detach_file()
                    else:
                        self._release_timer = threading.Timer(self._hold_seconds, self._release_if_idle)
                        self._release_timer.daemon = True
                        self._release_timer.start()

    def _attach_file(self) -> None:
        """Attach the DuckDB file; while another process holds it, retry for CONTROLLING_DB_WAIT seconds."""
        literal = self.address.replace("'", "''")
        deadline = time.monotonic() + self._wait_seconds
        while True:
            try:
                self.connection.execute(f"ATTACH '{literal}' AS {STORE_DB}")
            except duckdb.IOException as exc:
                if "lock" not in str(exc).lower():
                    raise StoreError(f"Die Datenbank »{self.path}« kann nicht geöffnet werden: {exc}") from exc
                if time.monotonic() >= deadline:
                    raise StoreLockedError(self.path, self._wait_seconds) from exc
                time.sleep(0.1)
                continue
            except duckdb.Error as exc:
                raise StoreError(f"Die Datenbank »{self.path}« kann nicht geöffnet werden: {exc}") from exc
            self._attached = True
            return

    def _release_if_idle(self) -> None:
        with self._guard:
            if self._users == 0:
                self._detach_file()

    def _detach_file(self) -> None:
        if self._attached:
            with contextlib.suppress(duckdb.Error):
                self.connection.execute(f"DETACH {STORE_DB}")
            self._attached = False

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request, with the store as its default catalog.

        On PostgreSQL the cursor works on the process's replica, brought up to date with the server first.
        """
        with self._holding():
            cursor = self.connection.cursor()
            try:
                cursor.execute(f"USE {STORE_DB}")
                if self.replica is not None:
                    self.replica.sync(cursor)
                yield cursor
            finally:
                cursor.close()

    @contextlib.contextmanager
    def transaction(self, writes: Collection[str] = ()) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction: serialized (on PostgreSQL across processes), committed whole or rolled back.

        `writes` names every table of the store the transaction may change. On PostgreSQL it runs on the
        replica, and the server commits the changes of those tables before the replica does.
        """
        with self.write_lock, self.cursor() as cursor:
            if self.replica is not None:
                with self.replica.writing(cursor, writes) as tracked:
                    yield tracked
                return
            cursor.begin()
            try:
                yield cursor
            except BaseException:
                cursor.rollback()
                raise
            cursor.commit()

    @contextlib.contextmanager
    def schema_session(self) -> Iterator[SchemaSession]:
        """One transaction for schema statements: DuckDB's own, or PostgreSQL's directly."""
        if not self.postgres:
            with self.transaction() as cursor:
                yield SchemaSession(cursor, postgres=False)
            return
        with self.write_lock, postgres_schema_session(self.address) as session:
            yield session

    def frame(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> pd.DataFrame:
        """A query's result as a frame."""
        with self.cursor() as cursor:
            return cursor.execute(sql, params if isinstance(params, Mapping) else list(params)).df()

    def large_frame(self, sql: str, params: Mapping[str, Any]) -> pd.DataFrame:
        """Like frame for results of hundreds of thousands of rows: through Arrow, several times faster.

        Integer columns come as nullable Int32, whether or not a value is missing.
        """
        with self.cursor() as cursor:
            table = cursor.sql(sql, params=dict(params)).to_arrow_table()
        frame: pd.DataFrame = table.to_pandas(types_mapper=_NULLABLE_INTEGERS.get)
        return frame

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row, or None."""
        with self.cursor() as cursor:
            row = cursor.execute(sql, list(params)).fetchone()
        return None if row is None else row[0]
