"""What a write on the replica changed (replica.py): the tracked cursor, the row difference, its transport.

A write transaction on the replica goes through `TrackedCursor`: before a statement first writes a table
of the store, the table is copied; at the end `changes()` gives per table the keys of rows gone and the rows
new. A statement whose table is not recognized makes every table compared; a way of writing that bypasses
SQL (`append`, relations' `insert_into`) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

# Tables without a primary key, and the columns that tell their rows apart.
ROW_KEYS: dict[str, tuple[str, ...]] = {
    "observation": ("indicator", "area", "year", "breakdown", "intake_id"),
    "indicator_version": ("intake_id", "image", "code"),
}
# A statement that writes a table, and the table's (possibly qualified) name.
_WRITES = re.compile(
    r"\b(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+((?:\"?\w+\"?\.){0,2}\"?\w+\"?)",
    re.IGNORECASE,
)
_WRITE_START = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(INSERT|UPDATE|DELETE|TRUNCATE)\b", re.IGNORECASE | re.DOTALL)
# Statements whose written table the pattern above cannot name for sure (compare every table then).
_OPAQUE_WRITE = re.compile(r"^\s*(?:WITH\b.*?\)\s*)?(?:MERGE|COPY|CREATE|DROP|ALTER)\b", re.IGNORECASE | re.DOTALL)
# Ways of writing that bypass SQL: refused on a tracked cursor (their writes would not reach the server).
_REFUSED = frozenset({"append", "insert_into", "from_df", "load_extension", "install_extension"})


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class TrackedCursor:
    """A DuckDB cursor that copies each store table before a statement first writes it, to ship the difference."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, tables: Sequence[str]) -> None:
        self._cursor = cursor
        self._tables = set(tables)
        self._copied: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        if name in _REFUSED:
            raise AttributeError(f"{name} schreibt an der Replik vorbei; bitte mit SQL schreiben.")
        return getattr(self._cursor, name)

    def execute(self, query: Any, parameters: Any = None) -> Any:
        self._before_write(query)
        return self._cursor.execute(query) if parameters is None else self._cursor.execute(query, parameters)

    def executemany(self, query: Any, parameters: Any = None) -> Any:
        self._before_write(query)
        return self._cursor.executemany(query) if parameters is None else self._cursor.executemany(query, parameters)

    def sql(self, query: Any, **kwargs: Any) -> Any:
        self._before_write(query)
        return self._cursor.sql(query, **kwargs)

    def _before_write(self, query: Any) -> None:
        text = str(query)
        written = set()
        for match in _WRITES.finditer(text):
            parts = [p.strip('"') for p in match.group(1).split(".")]
            if len(parts) > 1 and parts[0].lower() not in ("store", "main"):
                continue  # staging, temp: not the store
            if parts[-1] in self._tables:
                written.add(parts[-1])
        unnamed = _WRITE_START.match(text) is not None and not _WRITES.search(text)
        if _OPAQUE_WRITE.match(text) or (not written and unnamed):
            written = set(self._tables)  # a write whose table is not recognized for sure: compare every table
        for table in sorted(written - self._copied.keys()):
            copy = f"replica_before_{len(self._copied)}"
            self._cursor.execute(f"CREATE TEMP TABLE {copy} AS SELECT * FROM {quoted(table)}")
            self._copied[table] = copy

    def changes(self) -> dict[str, tuple[str, bool, pa.Table, pa.Table]]:
        """Per written table: its key columns (and whether they are never NULL), the keys of rows gone or
        changed, the rows new or changed."""
        result: dict[str, tuple[str, bool, pa.Table, pa.Table]] = {}
        for table, copy in self._copied.items():
            keys, exact = keys_of(self._cursor, table)
            gone = self._cursor.sql(
                f"SELECT DISTINCT {keys} FROM (SELECT * FROM temp.{copy} EXCEPT SELECT * FROM {quoted(table)})"
            ).to_arrow_table()
            new = self._cursor.sql(f"SELECT * FROM {quoted(table)} EXCEPT SELECT * FROM temp.{copy}").to_arrow_table()
            if gone.num_rows or new.num_rows:
                result[table] = (keys, exact, gone, new)
        return result

    def drop_copies(self) -> None:
        for copy in self._copied.values():
            self._cursor.execute(f"DROP TABLE IF EXISTS temp.{copy}")
        self._copied.clear()


def to_bytes(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema, options=pa.ipc.IpcWriteOptions(compression="zstd")) as writer:
        writer.write_table(table)
    return bytes(sink.getvalue().to_pybytes())


def from_bytes(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def keys_of(cursor: duckdb.DuckDBPyConnection, table: str) -> tuple[str, bool]:
    """The columns that tell a table's rows apart (its primary key, ROW_KEYS, else every column), and
    whether they are never NULL (then `=` finds them, through the server's index)."""
    if table in ROW_KEYS:
        return ", ".join(quoted(c) for c in ROW_KEYS[table]), True
    row = cursor.execute(
        "SELECT constraint_column_names FROM duckdb_constraints() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? AND constraint_type = 'PRIMARY KEY'",
        [table],
    ).fetchall()
    if row:
        return ", ".join(quoted(c) for c in row[0][0]), True
    columns = cursor.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return ", ".join(quoted(c[0]) for c in columns), False


def matching(keys: str, exact: bool) -> str:
    """The join of table t with the gone keys g: `=` on keys never NULL, else NULL equal to NULL."""
    operator = "=" if exact else "IS NOT DISTINCT FROM"
    return " AND ".join(f"t.{k} {operator} g.{k}" for k in keys.split(", "))
