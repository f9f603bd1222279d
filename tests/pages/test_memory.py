"""AppTest: the cached tables are computed once per data version and shared by every session (issue 17)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from controlling import auth
from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.report import pdf as report
from controlling.ui import SignedIn, session

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
PASSWORD = "speicher-test-passwort-2026"


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """A demo database of its own with one staff account (the sign-in form shows only when there is one)."""
    path = tmp_path / "speicher.duckdb"
    store = Store(path)
    initialize(store, demo=True)
    auth.add_account(store, "referat.test", "referat", PASSWORD, by="Test")
    store.close()
    monkeypatch.setenv("CONTROLLING_DB", str(path))
    monkeypatch.chdir(ROOT)
    return path


def visit() -> AppTest:
    """A new anonymous session on the overview."""
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def fingerprint(value: object) -> object:
    if isinstance(value, pd.DataFrame):
        # as text: some cached tables hold lists (a measure's Kennzahlen), which pandas' row hash cannot take
        return (tuple(value.columns), tuple(map(str, value.dtypes)), value.to_csv())
    if isinstance(value, dict):
        return {key: fingerprint(item) for key, item in value.items()}
    return repr(value)


def signing_in_page() -> None:
    """The sign-in form beside a cached table, without the navigation (whose first run is repeated)."""
    from controlling import ui

    ui.sign_in_sidebar()
    ui.viewer_status(None)


def test_a_failed_anonymous_sign_in_changes_no_data_version_and_computes_nothing_again(database):
    visit()
    store, cache = session.store(), session.table_cache()
    version, misses = store.data_version(), cache.stats.misses
    assert any(key[0] == str(database) and key[2] == "viewer_status" for key in cache.held_keys())

    app = AppTest.from_function(signing_in_page, default_timeout=60).run()
    app.sidebar.text_input[0].input("referat.test")
    app.sidebar.text_input[1].input("falsches-passwort-1")
    next(button for button in app.sidebar.button if button.label == "Anmelden").click().run()

    assert any("Anmeldung fehlgeschlagen" in error.value for error in app.error)
    failures = store.signins.attempts().query("outcome == 'abgelehnt'")  # logged apart from the audit log
    assert len(failures) == 1
    assert store.data_version() == version
    visit()
    assert cache.stats.misses == misses  # every table came from the cache


def test_a_second_session_is_served_from_the_tables_the_first_one_made(database):
    visit()
    cache = session.table_cache()
    misses, hits = cache.stats.misses, cache.stats.hits
    visit()
    assert cache.stats.misses == misses
    assert cache.stats.hits > hits
    assert cache.used <= cache.budget


def test_a_change_of_the_data_is_what_makes_the_tables_be_computed_again(database):
    visit()
    store, cache = session.store(), session.table_cache()
    before = store.data_version()
    store.catalogue.set_retired("BIL-05", True, user="Test")
    assert store.data_version() > before
    misses = cache.stats.misses
    visit()
    assert cache.stats.misses > misses
    assert all(key[1] == store.data_version() for key in cache.held_keys() if key[0] == str(database))


def test_no_page_writes_into_a_cached_table(database):
    """Each page runs twice, signed in; every cached table must look as it did when it was computed."""
    app = visit()
    app.session_state["_signed_in"] = SignedIn(name="test", role="referat", via="konto")
    cache = session.table_cache()
    seen: dict[tuple[object, ...], object] = {}
    for page in PAGES:
        for _ in range(2):
            app.switch_page(page).run()
            assert not app.exception, (page, app.exception)
            for key in cache.held_keys():
                seen.setdefault(key, fingerprint(cache.peek(key)))
    checked = [key for key in cache.held_keys() if key in seen]
    assert len(checked) >= 5
    changed = [key for key in checked if fingerprint(cache.peek(key)) != seen[key]]
    assert changed == []


def test_reports_are_made_one_at_a_time_and_clicks_beyond_the_queue_are_refused(database, monkeypatch):
    running, most, built = [0], [0], []
    release = threading.Event()
    lock = threading.Lock()

    def build(year: int, version: int, day: object, progress: object) -> tuple[bytes, bytes, str]:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        release.wait(timeout=30)
        time.sleep(0.05)
        with lock:
            running[0] -= 1
            built.append(year)
        return b"%PDF", b"xlsx", f"Stand {year}"

    monkeypatch.setattr(session, "_build_report", build)
    version = int(session.store().intakes.history()["id"].max())
    answers: list[str] = []

    def click(year: int) -> None:
        try:
            answers.append(session.report_files(year, version, lambda share, text: None)[2])
        except report.ReportError as error:
            answers.append(str(error))

    threads = [threading.Thread(target=click, args=(year,)) for year in range(2018, 2024)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while sum("Gerade werden schon 3 Berichte" in answer for answer in answers) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for thread in threads:
        thread.join()

    assert most[0] == 1  # never two at once: never two Chromiums
    assert len(built) == 3
    assert sum(answer.startswith("Stand") for answer in answers) == 3
    again = session.report_files(built[0], version, lambda share, text: pytest.fail("kein Warten"))
    assert again == (b"%PDF", b"xlsx", f"Stand {built[0]}") and len(built) == 3  # from the cache
