"""Lasting sign-in (issue 16) and sign-in throttling (issue 17): sessions, tickets, lockout, the record."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from controlling import auth, websession
from controlling.db import Store

pytestmark = pytest.mark.usefixtures("quick_hashes")  # many sign-ins: bcrypt at its lowest cost

PASSWORD = "ein-langes-Passwort"
START = dt.datetime(2026, 3, 2, 9, 0, 0)


@pytest.fixture
def store(empty_store):
    auth.add_account(empty_store, "anna", "referat", PASSWORD, by="test")
    return empty_store


@pytest.fixture
def no_delay(monkeypatch):
    """Wrong passwords wait up to 5 s each; the tests count the waits instead of sitting them out."""
    waits: list[float] = []
    monkeypatch.setattr(auth.time, "sleep", waits.append)
    return waits


def later(**delta: float) -> dt.datetime:
    return START + dt.timedelta(**delta)


def test_a_session_is_found_by_its_token_with_the_accounts_role(store):
    token = websession.open_session(store, "anna", at=START)
    found = websession.find(store, token, at=later(minutes=5))
    assert found is not None and (found.name, found.role) == ("anna", "referat")
    assert websession.find(store, token + "x", at=later(minutes=5)) is None
    assert websession.find(store, "", at=later(minutes=5)) is None


def test_only_the_tokens_hash_is_stored(tmp_path):
    store = Store(tmp_path / "sitzung.duckdb")
    auth.add_account(store, "anna", "referat", PASSWORD, by="test")
    token = websession.open_session(store, "anna")
    ticket = websession.issue_ticket(store, "anna")
    sessions = store.signins.sessions()
    assert list(sessions["token_hash"]) == [websession.hashed(token)]
    assert token not in sessions.to_csv() and len(token) >= 40  # 32 random bytes, URL-safe
    store.close()
    raw = (tmp_path / "sitzung.duckdb").read_bytes()
    assert token.encode() not in raw and ticket.encode() not in raw


def test_a_session_ends_after_its_lifetime(store):
    token = websession.open_session(store, "anna", at=START)
    for minutes in range(50, 8 * 60, 50):  # in use all day, never idle for long
        assert websession.find(store, token, at=later(minutes=minutes)) is not None
    assert websession.find(store, token, at=later(hours=8, seconds=1)) is None
    assert store.signins.sessions().empty  # an ended session is removed


def test_the_lifetime_is_configurable(store, monkeypatch):
    monkeypatch.setenv("CONTROLLING_SESSION_HOURS", "0,5")
    token = websession.open_session(store, "anna", at=START)
    assert websession.find(store, token, at=later(minutes=29)) is not None
    assert websession.find(store, token, at=later(minutes=31)) is None


@pytest.mark.parametrize("value", ["acht", "0", "-1"])
def test_a_bad_lifetime_setting_is_named(store, monkeypatch, value):
    monkeypatch.setenv("CONTROLLING_SESSION_HOURS", value)
    with pytest.raises(auth.AuthError, match="CONTROLLING_SESSION_HOURS muss eine Zahl größer als 0 sein"):
        websession.open_session(store, "anna")


def test_a_session_ends_after_an_hour_without_activity(store):
    token = websession.open_session(store, "anna", at=START)
    assert websession.find(store, token, at=later(minutes=59)) is not None  # activity: seen again
    assert websession.find(store, token, at=later(minutes=59 + 59)) is not None
    assert websession.find(store, token, at=later(minutes=59 + 59 + 61)) is None
    assert websession.find(store, token, at=later(minutes=59 + 59 + 62)) is None  # gone, not just hidden


def test_the_idle_limit_is_configurable(store, monkeypatch):
    monkeypatch.setenv("CONTROLLING_SESSION_IDLE_MINUTES", "10")
    token = websession.open_session(store, "anna", at=START)
    assert websession.find(store, token, at=later(minutes=11)) is None


def test_sign_out_ends_only_that_session(store):
    first = websession.open_session(store, "anna", at=START)
    second = websession.open_session(store, "anna", at=START)
    assert websession.sign_out(store, first) is not None
    assert websession.find(store, first, at=later(minutes=1)) is None
    assert websession.find(store, second, at=later(minutes=1)) is not None
    assert websession.sign_out(store, first) is None  # twice is harmless


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda s: auth.add_account(s, "anna", "referat", "ein-neues-Passwort", by="admin"), id="passwort"),
        pytest.param(lambda s: auth.add_account(s, "anna", "admin", PASSWORD, by="admin"), id="rolle"),
        pytest.param(lambda s: auth.disable_account(s, "anna", by="admin"), id="gesperrt"),
    ],
)
def test_an_account_change_ends_every_session_of_the_account(store, change):
    auth.add_account(store, "ben", "referat", PASSWORD, by="test")
    tokens = [websession.open_session(store, "anna") for _ in range(2)]
    ticket = websession.issue_ticket(store, "anna")
    other = websession.open_session(store, "ben")
    change(store)
    assert all(websession.find(store, token) is None for token in tokens)
    assert websession.redeem_ticket(store, ticket) is None
    assert websession.find(store, other) is not None
    assert "account" in set(store.audit.entries()["entity"])  # the change itself is audited


def test_a_disabled_account_cannot_sign_in_and_enabling_it_revives_no_session(store):
    token = websession.open_session(store, "anna")
    auth.disable_account(store, "anna", by="admin")
    with pytest.raises(auth.AuthError, match="Name oder Passwort stimmen nicht"):
        auth.authenticate(store, "anna", PASSWORD)
    auth.disable_account(store, "anna", disabled=False, by="admin")
    assert websession.find(store, token) is None
    assert auth.authenticate(store, "anna", PASSWORD) == "referat"
    with pytest.raises(auth.AuthError, match="kein Konto »niemand«"):
        auth.disable_account(store, "niemand", by="admin")


def test_a_ticket_turns_into_a_session_once_and_only_within_a_minute(store):
    ticket = websession.issue_ticket(store, "anna", at=START)
    token = websession.redeem_ticket(store, ticket, at=later(seconds=5))
    assert token is not None and websession.find(store, token, at=later(seconds=6)) is not None
    assert websession.redeem_ticket(store, ticket, at=later(seconds=6)) is None  # used up
    late = websession.issue_ticket(store, "anna", at=START)
    assert websession.redeem_ticket(store, late, at=later(seconds=61)) is None
    assert websession.redeem_ticket(store, "", at=START) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Anna", "anna"), ("  anna ", "anna"), ("ANNA\t", "anna"), ("Anna  Maria", "anna maria"), ("Straße", "strasse")],
)
def test_names_are_normalized_for_throttling(given, expected):
    assert auth.normalized_name(given) == expected


def test_ten_failures_lock_the_name_whatever_its_spelling(store, no_delay):
    spellings = ["anna", " Anna", "ANNA ", "anna\t", "AnNa"]
    for attempt in range(10):
        with pytest.raises(auth.AuthError, match="Name oder Passwort stimmen nicht"):
            auth.authenticate(store, spellings[attempt % 5], "falsch-falsch-falsch")
    with pytest.raises(auth.AuthError, match="für bis zu 15 Minuten gesperrt"):
        auth.authenticate(store, "anna", PASSWORD)  # even the right password, while locked
    # each failure waits longer, at most 5 s; the locked attempt waits as long as a failure would (issue 29)
    assert no_delay == [min(5.0, 0.5 * n) for n in range(1, 11)] + [5.0]
    outcomes = list(store.signins.attempts()["outcome"])
    assert outcomes == ["gesperrt"] + ["abgelehnt"] * 10


def test_the_lock_ends_when_the_failures_leave_the_window(store, no_delay, monkeypatch):
    clock = [START]
    monkeypatch.setattr(auth, "now", lambda: clock[0])
    for _ in range(10):
        with pytest.raises(auth.AuthError):
            auth.authenticate(store, "anna", "falsch-falsch-falsch")
    clock[0] = later(minutes=14)
    with pytest.raises(auth.AuthError, match="gesperrt"):
        auth.authenticate(store, "anna", PASSWORD)
    clock[0] = later(minutes=15, seconds=1)
    assert auth.authenticate(store, "anna", PASSWORD) == "referat"


def test_a_success_starts_the_count_again(store, no_delay):
    for _ in range(9):
        with pytest.raises(auth.AuthError):
            auth.authenticate(store, "anna", "falsch-falsch-falsch")
    assert auth.authenticate(store, "anna", PASSWORD) == "referat"
    with pytest.raises(auth.AuthError, match="stimmen nicht"):
        auth.authenticate(store, "anna", "falsch-falsch-falsch")  # one failure, not the eleventh


def test_limit_and_window_are_configurable(store, no_delay, monkeypatch):
    monkeypatch.setenv("CONTROLLING_LOCKOUT_FAILURES", "3")
    monkeypatch.setenv("CONTROLLING_LOCKOUT_MINUTES", "60")
    for _ in range(3):
        with pytest.raises(auth.AuthError, match="stimmen nicht"):
            auth.authenticate(store, "anna", "falsch-falsch-falsch")
    with pytest.raises(auth.AuthError, match="für bis zu 60 Minuten gesperrt"):
        auth.authenticate(store, "anna", PASSWORD)


def test_parallel_sessions_share_one_count(store, no_delay, monkeypatch):
    """Eight browser sessions guessing at once get exactly the allowed number of guesses, not eight times it."""
    monkeypatch.setenv("CONTROLLING_LOCKOUT_FAILURES", "3")
    answers: list[str] = []
    start = threading.Barrier(8)

    def guess(session: int) -> None:
        start.wait()
        try:
            auth.authenticate(store, "anna", "falsch-falsch-falsch", session_ref=f"sitzung-{session}")
        except auth.AuthError as error:
            answers.append("gesperrt" if "gesperrt" in str(error) else "abgelehnt")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == ["abgelehnt"] * 3 + ["gesperrt"] * 5
    attempts = store.signins.attempts()
    assert sorted(attempts["session_ref"]) == [f"sitzung-{n}" for n in range(8)]  # each attempt names its session
    assert sorted(attempts["outcome"]) == ["abgelehnt"] * 3 + ["gesperrt"] * 5


def test_an_unknown_name_is_checked_against_a_dummy_hash(store, no_delay, monkeypatch):
    """The same work for an unknown name as for a known one: no answer time tells which names exist."""
    checked: list[bytes] = []
    real_check = auth.bcrypt.checkpw

    def spy(password: bytes, hashed: bytes) -> bool:
        checked.append(hashed)
        return real_check(password, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", spy)
    with pytest.raises(auth.AuthError, match="Name oder Passwort stimmen nicht"):
        auth.authenticate(store, "niemand", PASSWORD)
    with pytest.raises(auth.AuthError, match="Name oder Passwort stimmen nicht"):
        auth.authenticate(store, "anna", "falsch-falsch-falsch")
    dummy = auth._dummy_hash()
    assert checked[0] == dummy
    assert checked[1] != dummy and checked[1][:7] == dummy[:7]  # a real hash of the same algorithm and cost
    assert no_delay == [0.5, 0.5]  # and the same wait


def test_sign_in_attempts_leave_the_page_caches_alone(store, no_delay):
    before = store.data_version()
    for name in ("anna", "niemand"):
        with pytest.raises(auth.AuthError):
            auth.authenticate(store, name, "falsch-falsch-falsch")
    auth.authenticate(store, "anna", PASSWORD)
    token = websession.open_session(store, "anna")
    websession.find(store, token)
    websession.sign_out(store, token)
    assert store.data_version() == before
    assert store.audit.entries().query("entity == 'account'")["action"].tolist() == ["anlegen"]


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/daten_hochladen", "/daten_hochladen"),
        ("/kennzahl?kennzahl=BIL-05&jahr=2023", "/kennzahl?kennzahl=BIL-05&jahr=2023"),
        ("//example.org/x", "/"),
        ("https://example.org/", "/"),
        ("/\\example.org", "/"),
        ("javascript:alert(1)", "/"),
        ("daten_hochladen", "/"),
        ("/a\nSet-Cookie: x=1", "/"),
        (None, "/"),
    ],
)
def test_only_paths_on_this_server_are_targets(target, expected):
    assert websession.local_target(target) == expected


@pytest.mark.parametrize(
    ("setting", "scheme", "forwarded", "secure"),
    [
        ("", "http", None, False),
        ("", "https", None, True),
        ("", "http", "https", True),
        ("", "http", "https, http", True),
        ("ja", "http", None, True),
        ("nein", "https", "https", False),
    ],
)
def test_the_cookie_is_secure_behind_tls(monkeypatch, setting, scheme, forwarded, secure):
    monkeypatch.setenv("CONTROLLING_COOKIE_SECURE", setting)
    assert websession.cookie_secure(scheme, forwarded) is secure


def test_the_command_line_disables_an_account_and_ends_its_sessions(tmp_path):
    from tests.unit.test_cli import run

    path = tmp_path / "konten.duckdb"
    store = Store(path)
    auth.add_account(store, "anna", "referat", PASSWORD, by="test")
    token = websession.open_session(store, "anna")
    store.close()
    assert run("--db", str(path), "user", "disable", "anna")[:2] == (0, "Konto anna gesperrt.\n")
    code, _, err = run("--db", str(path), "user", "disable", "niemand")
    assert code == 1 and "Es gibt kein Konto »niemand«" in err
    assert run("--db", str(path), "user", "enable", "anna")[:2] == (0, "Konto anna entsperrt.\n")
    store = Store(path)
    assert websession.find(store, token) is None and auth.authenticate(store, "anna", PASSWORD) == "referat"
    store.close()
