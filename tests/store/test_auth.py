"""Accounts and roles: hashes, no short passwords, slowed and logged failures, versioned targets."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from controlling import auth, maintenance
from controlling.errors import ControllingError, InputRejectedError
from controlling.intake import prepare

pytestmark = pytest.mark.usefixtures("quick_hashes")  # many sign-ins: bcrypt at its lowest cost


def test_password_is_stored_as_a_salted_hash(empty_store):
    auth.add_account(empty_store, "anna", "referat", "ein-langes-Passwort", by="test")
    auth.add_account(empty_store, "ben", "referat", "ein-langes-Passwort", by="test")
    role, first = empty_store.accounts.password_hash("anna")
    _, second = empty_store.accounts.password_hash("ben")
    assert role == "referat" and first.startswith("$2") and first != second  # same password, other salt
    assert "ein-langes-Passwort" not in first


@pytest.mark.parametrize("password", ["", "   ", "kurz", "elf-Zeichen"])
def test_empty_or_short_passwords_are_refused(empty_store, password):
    with pytest.raises(auth.AuthError, match="mindestens 12 Zeichen"):
        auth.add_account(empty_store, "anna", "referat", password, by="test")
    assert empty_store.accounts.list().empty


def test_sign_in_gives_the_role_and_is_recorded_with_the_session(empty_store):
    auth.add_account(empty_store, "anna", "admin", "ein-langes-Passwort", by="test")
    assert auth.authenticate(empty_store, "anna", "ein-langes-Passwort", session_ref="abc123") == "admin"
    attempts = empty_store.signins.attempts()
    assert attempts[["name_key", "outcome", "session_ref"]].values.tolist() == [["anna", "angemeldet", "abc123"]]


def test_wrong_passwords_are_slowed_down_and_recorded(empty_store):
    auth.add_account(empty_store, "anna", "referat", "ein-langes-Passwort", by="test")
    timings = []
    for _ in range(2):
        started = time.monotonic()
        with pytest.raises(auth.AuthError, match="Name oder Passwort stimmen nicht"):
            auth.authenticate(empty_store, "anna", "falsch-falsch-falsch", session_ref="s1")
        timings.append(time.monotonic() - started)
    assert timings[0] >= 0.5 and timings[1] >= 1.0  # the second failure waits longer
    assert list(empty_store.signins.attempts()["outcome"]) == ["abgelehnt", "abgelehnt"]
    with pytest.raises(auth.AuthError):
        auth.authenticate(empty_store, "niemand", "ein-langes-Passwort")


def test_roles_and_permissions():
    assert auth.may(None, "lesen") and not auth.may(None, "daten_pflegen")
    assert not auth.may("betrachter", "daten_pflegen")
    assert auth.may("referat", "daten_pflegen") and not auth.may("referat", "konten_verwalten")
    assert auth.may("admin", "konten_verwalten")


def test_a_changed_target_is_versioned_and_the_light_uses_the_one_in_force(own_demo_store):
    before = own_demo_store.targets.in_force().set_index(["indicator", "area"]).loc[("BIL-03", "*"), "target_value"]
    maintenance.set_target(
        own_demo_store,
        indicator="BIL-03",
        area="*",
        target_year=2030,
        target_value=9.0,
        baseline_year=2020,
        body="Kreisausschuss",
        decision_date=dt.date(2025, 12, 1),
        vorlage="KA/2026/001",
        valid_from=dt.date(2026, 1, 1),
        user="t",
    )
    now = own_demo_store.targets.in_force(on=dt.date(2026, 6, 1)).set_index(["indicator", "area"])
    earlier = own_demo_store.targets.in_force(on=dt.date(2025, 6, 1)).set_index(["indicator", "area"])
    assert now.loc[("BIL-03", "*"), "target_value"] == 9.0
    assert earlier.loc[("BIL-03", "*"), "target_value"] == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_year": 2019}, "Zieljahr muss nach dem Basisjahr"),
        ({"target_value": "150"}, "Ein Ziel in »%« liegt zwischen 0 und 100."),
        ({"target_value": "zwölf"}, "Erwartet wird eine Zahl wie 25,0"),
        ({"baseline_year": 1949}, "Erwartet wird ein Jahr von 1950 bis 2100"),
        ({"indicator": "XYZ-99"}, "Unbekannte Kennzahl"),
    ],
)
def test_invalid_targets_are_refused(demo_store, changes, message):
    arguments = {
        "indicator": "BIL-03",
        "area": "*",
        "target_year": 2030,
        "target_value": 9.0,
        "baseline_year": 2020,
        "body": "Kreisausschuss",
        "decision_date": dt.date(2025, 12, 1),
        "vorlage": "KA",
        "valid_from": dt.date(2026, 1, 1),
        "user": "t",
    }
    with pytest.raises(ControllingError, match=message):
        maintenance.set_target(demo_store, **{**arguments, **changes})


def test_targets_edited_in_the_table_are_versioned_and_a_bad_row_changes_nothing(own_demo_store):
    before = own_demo_store.targets.in_force()[maintenance.TARGET_COLUMNS].reset_index(drop=True)
    after = before.copy()
    row = after.index[(after["indicator"] == "ARB-03") & (after["area"] == "*")][0]
    after.loc[row, "target_value"] = 19.5
    bad = after.copy()
    wrong = bad.index[(bad["indicator"] == "ARB-05") & (bad["area"] == "*")][0]
    bad.loc[wrong, "target_value"] = 120.0
    with pytest.raises(ControllingError) as caught:
        maintenance.save_edited_targets(own_demo_store, before, bad, valid_from=dt.date(2026, 3, 1), user="t")
    assert f"Zieltabelle, Zeile {wrong + 1}, Spalte »zielwert« (Wert »120.0«): Ein Ziel in »%« liegt" in str(
        caught.value
    )
    assert (
        own_demo_store.targets.in_force(on=dt.date(2026, 6, 1))
        .set_index(["indicator", "area"])
        .loc[("ARB-03", "*"), "target_value"]
        != 19.5
    )
    assert maintenance.save_edited_targets(own_demo_store, before, after, valid_from=dt.date(2026, 3, 1), user="t") == 1
    assert (
        own_demo_store.targets.in_force(on=dt.date(2026, 6, 1))
        .set_index(["indicator", "area"])
        .loc[("ARB-03", "*"), "target_value"]
        == 19.5
    )


@pytest.mark.parametrize("typed", ["12,5", "12.5", " 12,50 "])
def test_a_target_typed_the_german_or_the_plain_way_is_the_same_number(own_demo_store, typed):
    maintenance.set_target(
        own_demo_store,
        indicator="BIL-03",
        area="*",
        target_year="2030",
        target_value=typed,
        baseline_year="2020",
        body="Kreisausschuss",
        decision_date=dt.date(2025, 12, 1),
        vorlage="KA/2026/002",
        valid_from=dt.date(2026, 1, 1),
        user="t",
    )
    now = own_demo_store.targets.in_force(on=dt.date(2026, 6, 1)).set_index(["indicator", "area"])
    assert now.loc[("BIL-03", "*"), "target_value"] == 12.5


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        (("BIL-03", "*", "2030", "150", "2020"), "zielwert"),
        (("BIL-03", "*", "2019", "10", "2020"), "zieljahr"),
        (("BIL-03", "Atlantis", "2030", "10", "2020"), "gebiet"),
        (("BIL-03", "*", "99999", "10", "2020"), "zieljahr"),
    ],
)
def test_a_target_is_refused_the_same_way_from_the_form_and_from_a_file(demo_store, cells, column):
    indicator, area, target_year, value, baseline_year = cells
    with pytest.raises(InputRejectedError) as caught:
        maintenance.set_target(
            demo_store,
            indicator=indicator,
            area=area,
            target_year=target_year,
            target_value=value,
            baseline_year=baseline_year,
            body="Kreisausschuss",
            decision_date=dt.date(2025, 12, 1),
            vorlage="KA",
            valid_from=dt.date(2026, 1, 1),
            user="t",
        )
    from_form = {(p.column, p.message) for p in caught.value.problems}
    data = f"kennzahl;gebiet;zieljahr;zielwert;basisjahr\n{';'.join(cells)}\n".encode()
    preview = prepare(demo_store, "ziele.csv", data)
    from_file = set(zip(preview.problems["column"], preview.problems["message"], strict=True))
    assert from_form == from_file and column in {c for c, _ in from_form}


def test_failed_sign_ins_do_not_change_the_data_version_that_keys_the_caches(demo_store):
    before = demo_store.data_version()
    for _ in range(3):
        with pytest.raises(ControllingError):
            auth.authenticate(demo_store, "niemand", "falsch-falsch-falsch")
    assert demo_store.data_version() == before
    maintenance.add_comment(demo_store, indicator="BIL-01", area="03157", year=2024, text="Einordnung", user="t")
    assert demo_store.data_version() > before


def test_a_locked_name_answers_as_slowly_as_a_failure(empty_store, monkeypatch):
    """Issue 29: a locked reply (0,4 s) was faster than a failure (5,6 s), so the lock was visible."""
    monkeypatch.setenv("CONTROLLING_LOCKOUT_FAILURES", "3")
    waits: list[float] = []
    checks: list[bytes | None] = []
    monkeypatch.setattr(auth.time, "sleep", waits.append)
    real_check = auth._password_matches

    def counted(password: str, stored: bytes | None) -> bool:
        checks.append(stored)
        return real_check(password, stored)

    monkeypatch.setattr(auth, "_password_matches", counted)
    auth.add_account(empty_store, "anna", "referat", "ein-langes-Passwort", by="test")
    for _ in range(3):
        with pytest.raises(auth.AuthError, match="Name oder Passwort stimmen nicht"):
            auth.authenticate(empty_store, "anna", "falsch-falsch-falsch", session_ref="s1")
    with pytest.raises(auth.AuthError, match="Zu viele Fehlversuche"):
        auth.authenticate(empty_store, "anna", "falsch-falsch-falsch", session_ref="s1")
    assert waits == [0.5, 1.0, 1.5, 1.5]
    assert len(checks) == 4  # the locked attempt pays for a password check too


def test_a_lock_holds_for_the_guessing_client_not_for_the_persons_own(empty_store, monkeypatch):
    """Issue 29: anyone could lock a real user out for 15 minutes with 11 wrong passwords."""
    monkeypatch.setenv("CONTROLLING_LOCKOUT_FAILURES", "2")
    monkeypatch.setattr(auth.time, "sleep", lambda seconds: None)
    auth.add_account(empty_store, "anna", "referat", "ein-langes-Passwort", by="test")
    assert auth.authenticate(empty_store, "anna", "ein-langes-Passwort", client="10.0.0.7") == "referat"
    for _ in range(2):
        with pytest.raises(auth.AuthError, match="stimmen nicht"):
            auth.authenticate(empty_store, "anna", "falsch-falsch-falsch", client="203.0.113.9")
    with pytest.raises(auth.AuthError, match="Zu viele Fehlversuche"):
        auth.authenticate(empty_store, "anna", "ein-langes-Passwort", client="203.0.113.9")
    assert auth.authenticate(empty_store, "anna", "ein-langes-Passwort", client="10.0.0.7") == "referat"
    # Many guessers together (10 × the limit) lock every client that never signed in as anna, not hers.
    for number in range(20):
        with pytest.raises(auth.AuthError):
            auth.authenticate(empty_store, "anna", "falsch-falsch-falsch", client=f"198.51.100.{number}")
    with pytest.raises(auth.AuthError, match="Zu viele Fehlversuche"):
        auth.authenticate(empty_store, "anna", "ein-langes-Passwort", client="192.0.2.1")
    assert auth.authenticate(empty_store, "anna", "ein-langes-Passwort", client="10.0.0.7") == "referat"
    assert set(empty_store.signins.attempts()["outcome"]) == {"angemeldet", "abgelehnt", "gesperrt"}
