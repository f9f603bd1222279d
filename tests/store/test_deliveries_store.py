"""Data deliveries in the store (issue 14): a delivery turns eingegangen with the import that brought it; a
provider's upload holds only its own rows, or nothing is written; accounts of the role lieferant."""

from __future__ import annotations

import datetime as dt

import pytest

from controlling import auth, intake
from controlling.db import MIGRATIONS, Store
from controlling.deliveries import service as delivery_service
from controlling.errors import InputRejectedError

TODAY = dt.date(2026, 12, 1)
JOBCENTER = "Jobcenter Landkreis Peine"


def state(store: Store, indicator: str, provider: str, year: int = 2025) -> dict[str, object]:
    rows = delivery_service.delivery_calendar(store, year, today=TODAY)
    return rows.loc[(rows["indicator"] == indicator) & (rows["provider"] == provider)].iloc[-1].to_dict()


def test_a_delivery_turns_eingegangen_with_its_import_and_back_on_undo(empty_store):
    assert state(empty_store, "ARB-06", JOBCENTER)["state"] == "überfällig"
    data = b"kennzahl;gebiet;jahr;wert;zaehler;nenner\nARB-06;03157;2025;31,5;63;200\n"
    intake_id = intake.commit(empty_store, intake.prepare(empty_store, "jobcenter_2025.csv", data), user="jc")
    arrived = state(empty_store, "ARB-06", JOBCENTER)
    assert arrived["state"] == "eingegangen"
    assert (arrived["intake_id"], arrived["file_name"]) == (intake_id, "jobcenter_2025.csv")
    assert state(empty_store, "ARB-06", JOBCENTER, year=2024)["state"] == "überfällig"
    empty_store.intakes.undo(intake_id, user="referat")
    assert state(empty_store, "ARB-06", JOBCENTER)["state"] == "überfällig"


def test_a_provider_may_upload_only_its_own_rows_or_nothing_is_written(empty_store):
    data = (
        b"kennzahl;gebiet;jahr;wert\n"
        b"BIL-08;03157001;2025;55,0\n"  # Edemissen's own
        b"BIL-08;03157002;2025;41,0\n"  # Hohenhameln's area
        b"ARB-06;03157001;2025;12,0\n"  # the Jobcenter's indicator
    )
    before = len(empty_store.intakes.history())
    preview = intake.prepare(empty_store, "edemissen.csv", data, provider="Edemissen")
    problems = preview.problems.set_index("line")
    assert sorted(problems.index) == [3, 4]
    assert problems.loc[3, "column"] == "gebiet" and problems.loc[3, "value"] == "03157002"
    assert problems.loc[3, "message"] == (
        "»Edemissen« darf den Wert der Kennzahl BIL-08 für Hohenhameln nicht liefern. Liefern darf ihn: Hohenhameln."
    )
    assert problems.loc[4, "column"] == "kennzahl" and f"Liefern darf ihn: {JOBCENTER}." in problems.loc[4, "message"]
    assert preview.count("new") == 1
    for skip in (False, True):  # a provider cannot keep only the valid rows either
        with pytest.raises(InputRejectedError) as error:
            intake.commit(empty_store, preview, user="edemissen", skip_invalid=skip)
        assert "edemissen.csv, Zeile 3, Spalte »gebiet« (Wert »03157002«)" in str(error.value)
    assert len(empty_store.intakes.history()) == before
    assert empty_store.values.current(indicators=["BIL-08", "ARB-06"]).empty


def test_a_providers_own_template_goes_in(empty_store):
    template = delivery_service.provider_template(empty_store, "Edemissen", 2025).decode("utf-8-sig")
    filled = template.replace(";2025;;", ";2025;7;", 1)  # the first row gets a value; "." for the others
    filled = filled.replace(";2025;;", ";2025;.;")
    preview = intake.prepare(empty_store, "vorlage.csv", filled.encode("utf-8"), provider="Edemissen")
    assert preview.problems.empty, preview.problems
    assert intake.commit(empty_store, preview, user="edemissen") is not None


def test_a_provider_uploads_no_targets_or_catalogue(empty_store):
    data = b"kennzahl;gebiet;zieljahr;zielwert;basisjahr\nBIL-08;03157001;2030;60;2020\n"
    with pytest.raises(InputRejectedError, match="können Sie nur Werte hochladen"):
        intake.prepare(empty_store, "ziele.csv", data, provider="Edemissen")


def test_a_lieferant_account_is_bound_to_a_known_provider(empty_store):
    auth.add_account(empty_store, "jc", "lieferant", "x" * 12, by="admin", provider="Jobcenter Peine")
    assert empty_store.accounts.provider("jc") == JOBCENTER
    assert auth.authenticate(empty_store, "jc", "x" * 12) == "lieferant"
    with pytest.raises(auth.AuthError, match="Unbekannter Lieferant »Arbeitsamt«"):
        auth.add_account(empty_store, "aa", "lieferant", "x" * 12, by="admin", provider="Arbeitsamt")
    with pytest.raises(auth.AuthError, match="Unbekannter Lieferant"):
        auth.add_account(empty_store, "aa", "lieferant", "x" * 12, by="admin")
    with pytest.raises(auth.AuthError, match="Nur ein Konto mit der Rolle »lieferant«"):
        auth.add_account(empty_store, "ref", "referat", "x" * 12, by="admin", provider=JOBCENTER)
    assert set(empty_store.accounts.list()["name"]) == {"jc"}


def test_migration_10_keeps_the_accounts(blank_address):
    path = blank_address  # a DuckDB file, or PostgreSQL (the table is made anew with a CHECK and renamed)
    old = Store(path, migrations=[m for m in MIGRATIONS if m.version < 10])
    with old.transaction("user_account") as cur:  # the account table as it was before (no provider column)
        cur.execute("INSERT INTO user_account VALUES ('anna', 'referat', 'hash', now(), FALSE)")
    old.close()
    store = Store(path)
    try:
        accounts = store.accounts.list()
        assert accounts[["name", "role"]].values.tolist() == [["anna", "referat"]]
        assert store.accounts.provider("anna") is None
        assert store.schema_version() >= 10
    finally:
        store.close()


def test_half_year_values_go_in_with_their_half_and_mark_only_that_half(empty_store):
    """Issue 25 point 7: the template names the half-year; its values are stored with it (breakdown
    `Halbjahr=1`), the calendar marks each half by its own rows, and the year's value stays the Stichtag's.
    The shipped ARB-03 is yearly since issue 23 (defined for December only); here it is delivered half-yearly."""
    catalogue = empty_store.catalogue.indicators().drop(columns=["field_name", "retired"])
    half_yearly = catalogue.loc[catalogue["code"] == "ARB-03"].assign(rhythm="halbjährlich")
    empty_store.catalogue.upsert_indicators(half_yearly, user="test")
    template = delivery_service.provider_template(empty_store, JOBCENTER, 2025).decode("utf-8-sig")
    lines = template.splitlines()
    first_half = [line for line in lines if line.startswith("ARB-03;03157001;") and ";Halbjahr=1;" in line]
    assert len(first_half) == 1 and "1. Halbjahr 2025 (Stichtag 30.06.)" in first_half[0]
    filled = "\n".join([lines[0], first_half[0].replace(";2025;;", ";2025;11,5;", 1)]).encode()
    intake.commit(empty_store, intake.prepare(empty_store, "jc_h1.csv", filled, provider=JOBCENTER), user="jc")
    rows = delivery_service.delivery_calendar(empty_store, 2025, today=TODAY)
    arb = rows.loc[(rows["indicator"] == "ARB-03")].set_index("period")["state"]
    assert arb.to_dict() == {"1. Halbjahr 2025": "eingegangen", "2. Halbjahr 2025": "überfällig"}
    stored = empty_store.values.current_observations(indicators=["ARB-03"])
    stored = stored.loc[(stored["area"] == "03157001") & (stored["year"] == 2025)]
    assert stored[["breakdown", "value"]].values.tolist() == [["Halbjahr=1", 11.5]]
