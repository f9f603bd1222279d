"""The one DuckDB connection of a process: cursors per request, write transactions under a lock."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from controlling.errors import StoreError, StoreLockedError

DEFAULT_DB_PATH = Path("data") / "controlling.duckdb"
# DuckDB's own memory (buffers, hash tables); beyond it DuckDB spills to disk. Keeps the largest
# status table (6.6 million values) under 2 GiB for the whole process.
DEFAULT_MEMORY_LIMIT = "1GB"
# A file being imported is checked where its rows are: in an in-memory database attached to the
# process's connection (`staging`), shared by every cursor. Nothing there is part of the data.
STAGING_DB = "staging"
_NULLABLE_INTEGERS = {pa.int32(): pd.Int32Dtype()}


def default_db_path() -> Path:
    """Database path from the environment variable CONTROLLING_DB, else data/controlling.duckdb."""
    return Path(os.environ.get("CONTROLLING_DB") or DEFAULT_DB_PATH)


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


class Database:
    """One DuckDB connection per process; a cursor per request; writes serialized by a lock."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.connection = duckdb.connect(self.path)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise StoreLockedError(self.path) from exc
            raise StoreError(f"Die Datenbank »{self.path}« kann nicht geöffnet werden: {exc}") from exc
        self.connection.execute(f"ATTACH ':memory:' AS {STAGING_DB}")
        self.connection.execute("SET memory_limit = ?", [os.environ.get("CONTROLLING_DB_MEMORY", DEFAULT_MEMORY_LIMIT)])
        self.write_lock = threading.RLock()

    def close(self) -> None:
        """Close the process's connection."""
        self.connection.close()

    @contextlib.contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of its own for one request."""
        cursor = self.connection.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction: serialized within the process, committed whole or rolled back."""
        with self.write_lock, self.cursor() as cursor:
            cursor.begin()
            try:
                yield cursor
            except BaseException:
                cursor.rollback()
                raise
            cursor.commit()

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
