"""The tests here run on both engines: the DuckDB file's and a PostgreSQL server's."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", params=["duckdb", "postgresql"])
def engine(request) -> str:
    """Each store test once on DuckDB, once on PostgreSQL (skipped where no server can be started)."""
    return str(request.param)
