"""One list of migrations for both engines (issue 18): an empty DuckDB and an empty PostgreSQL get the same tables."""

from __future__ import annotations

import pandas as pd

from benchmarks import postgres
from controlling.db import MIGRATIONS, Store


def _columns(store: Store) -> pd.DataFrame:
    return store.columns().reset_index(drop=True)


def test_the_migrations_give_the_same_tables_on_both_engines(postgres_server, tmp_path):
    address = postgres.create_database(postgres_server, "controlling_migrations")
    on_postgres, on_duckdb = Store(address), Store(tmp_path / "leer.duckdb")
    try:
        assert on_postgres.schema_version() == on_duckdb.schema_version() == MIGRATIONS[-1].version
        duck, pg = _columns(on_duckdb), _columns(on_postgres)
        print(f"\n{duck['table_name'].nunique()} Tabellen und Sichten, {len(duck)} Spalten auf beiden Maschinen gleich")
        pd.testing.assert_frame_equal(pg, duck)
        assert {"observation", "intake", "audit_log", "current_observation"} <= set(duck["table_name"])
    finally:
        on_postgres.close()
        on_duckdb.close()
        postgres.drop_database(postgres_server, "controlling_migrations")
