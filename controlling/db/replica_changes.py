"""What a write on the replica changed (replica.py): the tracked cursor, the row difference, its transport.

A write transaction names the tables it writes (each repository's `transaction(writes=...)`); before its
first writing statement (by DuckDB's own parse of the statement, never by a pattern over its text) the
tracked cursor copies those tables, and at the end `changes()` gives per table the keys of rows gone and
the rows new. A writing statement in a transaction that named no table, and a way of writing that bypasses
SQL (`append`, relations' `insert_into`), are refused: their writes would not reach the server.

The keys of each table come from the schema (migrations.py): its primary key, or for a table without one
the columns `ROW_KEYS` there names.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, NamedTuple

import duckdb
import pyarrow as pa

from controlling.errors import StoreError

# Ways of writing that bypass SQL: refused on a tracked cursor (their writes would not reach the server).
_REFUSED = frozenset({"append", "insert_into", "from_df", "load_extension", "install_extension"})
# Statements that change nothing of the store's tables (everything else is taken as writing).
_READING = frozenset(
    {
        duckdb.StatementType.SELECT,
        duckdb.StatementType.EXPLAIN,
        duckdb.StatementType.PRAGMA,
        duckdb.StatementType.SET,
        duckdb.StatementType.VARIABLE_SET,
        duckdb.StatementType.TRANSACTION,
        duckdb.StatementType.PREPARE,
    }
)


class OtherDatabase(StoreError):
    """The server at the address holds another database than the one the replica was made from."""

    def __init__(self, identity: str) -> None:
        super().__init__(f"An der Adresse liegt eine andere Datenbank als die, aus der die Replik stammt ({identity}).")
        self.identity = identity


class TableKey(NamedTuple):
    """The columns that tell a table's rows apart, and whether they are never NULL (then `=` finds them)."""

    columns: tuple[str, ...]
    exact: bool


class TableChange(NamedTuple):
    """What one transaction changed in one table: the keys of rows gone or changed, the rows new or changed."""

    key: TableKey
    gone: pa.Table
    new: pa.Table


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def is_writing(query: Any) -> bool:
    """True when a statement (or any of several) may change a table, by DuckDB's parse of it."""
    return any(statement.type not in _READING for statement in duckdb.extract_statements(str(query)))


class TrackedCursor:
    """A DuckDB cursor that copies the tables its transaction declared before the first writing statement."""

    def __init__(
        self, cursor: duckdb.DuckDBPyConnection, keys: Mapping[str, TableKey], writes: Collection[str]
    ) -> None:
        unknown = sorted(set(writes) - keys.keys())
        if unknown:
            raise StoreError(f"Unbekannte Tabellen für einen Schreibvorgang: {', '.join(unknown)}")
        self._cursor = cursor
        self._keys = keys
        self._writes = tuple(sorted(set(writes)))
        self._copied: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        if name in _REFUSED:
            raise AttributeError(f"{name} schreibt an der Replik vorbei; bitte mit SQL schreiben.")
        return getattr(self._cursor, name)

    def execute(self, query: Any, parameters: Any = None) -> Any:
        self._before(query)
        return self._cursor.execute(query) if parameters is None else self._cursor.execute(query, parameters)

    def executemany(self, query: Any, parameters: Any = None) -> Any:
        self._before(query)
        return self._cursor.executemany(query) if parameters is None else self._cursor.executemany(query, parameters)

    def sql(self, query: Any, **kwargs: Any) -> Any:
        self._before(query)
        return self._cursor.sql(query, **kwargs)

    def _before(self, query: Any) -> None:
        if len(self._copied) == len(self._writes) and self._writes:
            return  # every declared table copied already
        if not is_writing(query):
            return
        if not self._writes:
            raise StoreError(
                "Eine Änderung ohne Angabe der Tabellen, die sie schreibt, wurde abgelehnt "
                "(sie käme nicht beim Server an)."
            )
        for table in self._writes:
            copy = f"replica_before_{len(self._copied)}"
            self._cursor.execute(f"CREATE TEMP TABLE {copy} AS SELECT * FROM {quoted(table)}")
            self._copied[table] = copy

    def changes(self) -> dict[str, TableChange]:
        """Per written table that changed: its key, the keys of rows gone or changed, the rows new or changed."""
        result: dict[str, TableChange] = {}
        for table, copy in self._copied.items():
            key = self._keys[table]
            gone = self._cursor.sql(
                f"SELECT DISTINCT {listed(key.columns)} "
                f"FROM (SELECT * FROM temp.{copy} EXCEPT SELECT * FROM {quoted(table)})"
            ).to_arrow_table()
            new = self._cursor.sql(f"SELECT * FROM {quoted(table)} EXCEPT SELECT * FROM temp.{copy}").to_arrow_table()
            if gone.num_rows or new.num_rows:
                result[table] = TableChange(key, gone, new)
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


def table_keys(
    cursor: duckdb.DuckDBPyConnection, catalog: str, row_keys: Mapping[str, tuple[str, ...]]
) -> dict[str, TableKey]:
    """The key of every table of the catalog's main schema, from the schema: its primary key, else the
    columns `row_keys` declares for it (never NULL), else every column (compared NULL-equal)."""
    primary = {
        str(table): tuple(str(c) for c in columns)
        for table, columns in cursor.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE database_name = ? "
            "AND schema_name = 'main' AND constraint_type = 'PRIMARY KEY'",
            [catalog],
        ).fetchall()
    }
    columns: dict[str, list[str]] = {}
    for table, column in cursor.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main') "
        "ORDER BY table_name, column_index",
        [catalog, catalog],
    ).fetchall():
        columns.setdefault(str(table), []).append(str(column))
    keys: dict[str, TableKey] = {}
    for table, names in columns.items():
        if table in primary:
            keys[table] = TableKey(primary[table], True)
        elif table in row_keys:
            keys[table] = TableKey(tuple(row_keys[table]), True)
        else:
            keys[table] = TableKey(tuple(names), False)
    return keys


def listed(columns: tuple[str, ...]) -> str:
    """The columns, quoted and separated by commas (for SELECT and ORDER BY)."""
    return ", ".join(quoted(c) for c in columns)


def matching(key: TableKey) -> str:
    """The join of table t with the gone keys g: `=` on keys never NULL, else NULL equal to NULL."""
    operator = "=" if key.exact else "IS NOT DISTINCT FROM"
    return " AND ".join(f"t.{quoted(c)} {operator} g.{quoted(c)}" for c in key.columns)
