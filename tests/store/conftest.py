"""The tests here run on both engines: the DuckDB file's and a PostgreSQL server's."""

from __future__ import annotations

import pytest


@pytest.fixture
def blank_address(engine, request, tmp_path):
    """The address of an empty database on the engine (no schema yet): a DuckDB file, or a PostgreSQL database."""
    if engine == "duckdb":
        yield str(tmp_path / "alt.duckdb")
        return
    from benchmarks import postgres

    server = request.getfixturevalue("postgres_server")
    name = f"controlling_blank_{request.node.name.rsplit('[', 1)[0][-30:].lower()}"
    yield postgres.create_database(server, name)
    postgres.drop_database(server, name)


@pytest.fixture
def quick_hashes(monkeypatch):
    """bcrypt at its lowest cost (4 rounds instead of 12) for tests that sign in many times: they count
    attempts and compare outcomes, and every path (known name, unknown name, locked) still pays one check of
    the same cost, so nothing they assert depends on the cost."""
    import bcrypt

    real = bcrypt.gensalt
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": real(4, prefix))
