"""Shared fixtures: reference data, stores (in memory) with and without demo data, real-data paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"


@pytest.fixture(scope="session")
def reference():
    return load_reference()


@pytest.fixture
def empty_store():
    store = Store(":memory:")
    initialize(store, demo=False)
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_store():
    """Read-only use: shared by every test of the session."""
    store = Store(":memory:")
    initialize(store, demo=True)
    yield store
    store.close()


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip(f"Echte Beispieldateien fehlen: {REALDATA} liegt nicht neben dem Projekt")
    return REALDATA


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """A demo database file made by the CLI (shared by CLI tests)."""
    from tests.unit.test_cli import run

    path = tmp_path_factory.mktemp("cli") / "demo.duckdb"
    code, out, _ = run("--db", str(path), "init", "--demo")
    assert code == 0, out
    return path
