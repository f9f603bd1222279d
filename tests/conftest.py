"""Shared fixtures: reference data, stores (in memory) with and without demo data, real-data paths."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from benchmarks import postgres
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.demo import load_demo
from controlling.reference.shipped import load_reference

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"


def pytest_configure(config: pytest.Config) -> None:
    """Each process of the run (each xdist worker) gets a temporary folder of its own, also for the programs it
    starts: the upload copies, spill files and replicas of one worker are never swept or locked by another."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    # Side by side in the system's temporary folder, with short names: Chromium's and PostgreSQL's sockets
    # inside must stay under the 107 characters a socket path may have.
    base = os.environ.setdefault("CONTROLLING_TESTS_TMP", tempfile.gettempdir())
    folder = tempfile.mkdtemp(prefix=f"ct-{worker}-", dir=base)
    os.chmod(folder, 0o755)  # the PostgreSQL server (user postgres) keeps its throwaway folder inside
    config.stash[_OWN_TEMP] = folder
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_OWN_TEMP, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


_OWN_TEMP = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def reference():
    return load_reference()


_DATABASE_NUMBERS = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory):
    """One throwaway PostgreSQL server for the session (skipped, with the reason, where none is installed)."""
    reason = postgres.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    # The processes' replicas go to the session's temporary folder (also for child processes).
    os.environ["CONTROLLING_REPLICA_DIR"] = str(tmp_path_factory.mktemp("replica"))
    with postgres.throwaway_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_template(postgres_server):
    """A migrated PostgreSQL database with the reference data: copied for each test that needs a store."""
    address = postgres.create_database(postgres_server, "controlling_template")
    store = Store(address)
    initialize(store, demo=False)
    store.close()
    return "controlling_template"


# The test folders whose tests run on both engines (the store fixtures on the DuckDB file's and on a
# PostgreSQL server's); everywhere else they run on DuckDB.
BOTH_ENGINES = ("store", "intake")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run each test under tests/store and tests/intake that uses a store fixture once per engine.

    One `engine` fixture for the whole suite: session fixtures built on it (demo_store) are then kept apart
    per engine, whichever folders a worker runs in whichever order.
    """
    if "engine" in metafunc.fixturenames and Path(metafunc.definition.path).parent.name in BOTH_ENGINES:
        metafunc.parametrize("engine", ["duckdb", "postgresql"], indirect=True, scope="session")


# The daily loop (`pytest -m "not slow"`) leaves out what needs a browser, a PostgreSQL server, the real
# published files, many generated cases, or a whole-tree check; the full run (README, CI) keeps them all.
SLOW_FILES = {
    "test_realdata.py",  # every published file
    "test_official.py",  # the whole LSN release, twice, and a local publisher
    "test_undo_model.py",  # a state machine over many undo orders
    "test_fuzz.py",
    "test_two_readings.py",
    "test_project.py",  # ruff and mypy over the whole tree: run them once, not in every daily loop
    "test_memory.py",
    "test_concurrency.py",
    "test_file_sharing.py",
    "test_kill.py",
    "test_hostile_pages.py",  # every page after each hostile file
    "test_plain_text_outputs.py",  # the report (PDF too) and every export of a store full of hostile texts
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the slow tiers: browser tests (e2e), PostgreSQL runs and the files in SLOW_FILES."""
    for item in items:
        path = Path(str(item.fspath))
        if path.parent.name == "e2e":
            item.add_marker(pytest.mark.e2e)
        # By parameter, by file, or by the server fixture (tests/store/test_replica.py and the like).
        uses_server = "postgres_server" in getattr(item, "fixturenames", ())
        postgres_run = "postgresql" in item.name or "postgres" in path.name or uses_server
        if postgres_run:
            item.add_marker(pytest.mark.postgres)
        if path.parent.name == "e2e" or postgres_run or path.name in SLOW_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def engine(request) -> str:
    """Where the store fixtures keep their data: 'duckdb' unless the test is parametrized (see above)."""
    return str(getattr(request, "param", "duckdb"))


def new_store(engine: str, request: pytest.FixtureRequest) -> tuple[Store, str | None]:
    """A store with the reference data on the engine: in memory, or a copy of the PostgreSQL template."""
    if engine == "duckdb":
        store = Store(":memory:")
        initialize(store, demo=False)
        return store, None
    server = request.getfixturevalue("postgres_server")
    template = request.getfixturevalue("postgres_template")
    name = f"controlling_test_{next(_DATABASE_NUMBERS)}"
    return Store(postgres.create_database(server, name, template)), name


@pytest.fixture
def empty_store(engine, request):
    store, name = new_store(engine, request)
    yield store
    store.close()
    if name is not None:
        postgres.drop_database(request.getfixturevalue("postgres_server"), name)


@pytest.fixture
def own_demo_store(engine, request):
    """A demo store of the test's own, for tests that write (the shared demo_store is read-only)."""
    store, name = new_store(engine, request)
    load_demo(store)
    yield store
    store.close()
    if name is not None:
        postgres.drop_database(request.getfixturevalue("postgres_server"), name)


@pytest.fixture(scope="session")
def reference_store(engine, request):
    """Read-only use: the reference data without values, shared by the session (checks that write nothing,
    such as a file's preview; a test that writes takes empty_store)."""
    store, _ = new_store(engine, request)
    version = store.data_version()
    yield store
    assert store.data_version() == version, "a test wrote into the shared reference_store"
    store.close()


@pytest.fixture(scope="session")
def demo_database_file(tmp_path_factory) -> Path:
    """A DuckDB file with the demo data, made once per process: copy it (copy_demo_database), never open it."""
    path = tmp_path_factory.mktemp("vorlage") / "demo.duckdb"
    store = Store(path)
    initialize(store, demo=True)
    store.close()
    return path


def copy_demo_database(template: Path, target: Path) -> Path:
    """A database of the test's own with the demo data: a copy of the session's demo file (seconds cheaper
    than loading the demo data again)."""
    shutil.copyfile(template, target)
    return target


@pytest.fixture(scope="session")
def demo_store(engine, request):
    """Read-only use: shared by every test of the session (a test that writes takes own_demo_store)."""
    store, _ = new_store(engine, request)
    load_demo(store)
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
