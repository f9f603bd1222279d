"""Targets from proposal to decision (issue 14): entwurf → beschlossen → abgelöst; lights use decided targets
only; one rule for the form and the file."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from controlling import maintenance, service
from controlling.db import MIGRATIONS, Store
from controlling.errors import InputRejectedError, NotFoundError
from controlling.goals import service as goal_service
from controlling.intake import commit, prepare
from tests.helpers import add_values, make_indicators, make_store

HEAD = "kennzahl;gebiet;zieljahr;zielwert;basisjahr;gremium;beschlussdatum;vorlage;quelle\n"


@pytest.fixture
def store(blank_address):
    """One indicator with values 2020-2024 for the Kreis and a decided target in force (on either engine)."""
    made = make_store(make_indicators([{"code": "BIL-01", "aggregation": "keine"}]), address=blank_address)
    add_values(made, [("BIL-01", "03157", year, 10.0 + year - 2020) for year in range(2020, 2025)])
    maintenance.set_target(
        made,
        indicator="BIL-01",
        area="03157",
        target_year=2030,
        target_value="15",
        baseline_year=2020,
        valid_from=dt.date(2021, 1, 1),
        user="t",
        body="Kreisausschuss",
        decision_date=dt.date(2020, 12, 1),
        vorlage="KA/2020/1",
    )
    yield made
    made.close()


def _light(store: Store) -> tuple[str, float]:
    row = service.status_table(store).set_index("area").loc["03157"]
    return str(row["light"]), float(row["target_value"])


def test_a_draft_is_in_no_light_and_deciding_it_replaces_the_target_in_force(store):
    assert _light(store) == ("gruen", 15.0)
    maintenance.set_target(
        store,
        indicator="BIL-01",
        area="03157",
        target_year=2030,
        target_value="30",
        baseline_year=2020,
        valid_from=dt.date(2025, 1, 1),
        user="t",
        source="Workshop Leitbild",
    )
    assert _light(store) == ("gruen", 15.0)  # the draft changes no light
    drafts = goal_service.target_drafts(store)
    assert list(drafts["source"]) == ["Workshop Leitbild"] and list(drafts["state"]) == ["entwurf"]
    assert store.targets.in_force()["target_value"].tolist() == [15.0]
    goal_service.decide_target(
        store,
        int(drafts["id"].iloc[0]),
        body="Kreisausschuss",
        decision_date=dt.date(2025, 3, 1),
        vorlage="KA/2025/7",
        valid_from=dt.date(2025, 4, 1),
        user="anna",
    )
    assert _light(store) == ("rot", 30.0)
    history = store.targets.history("BIL-01", "03157")
    assert list(history["state"]) == ["beschlossen", "abgeloest"]
    assert pd.Timestamp(history.iloc[1]["valid_to"]) == pd.Timestamp(2025, 3, 31)
    assert history.iloc[0]["decision"] == "Kreisausschuss, Beschluss vom 01.03.2025, KA/2025/7"
    assert goal_service.target_drafts(store).empty
    entry = store.audit.entries().iloc[0]
    assert (entry["action"], entry["user_name"]) == ("beschliessen", "anna")
    assert entry["old_value"].startswith("Entwurf (Workshop Leitbild): BIL-01 03157: 30 bis 2030")
    with pytest.raises(NotFoundError, match="schon beschlossen oder verworfen"):
        goal_service.discard_target(store, int(drafts["id"].iloc[0]), user="anna")


def test_a_decision_needs_body_and_date_and_a_draft_can_be_discarded(store):
    maintenance.set_target(
        store,
        indicator="BIL-01",
        area="*",
        target_year=2030,
        target_value="20",
        baseline_year=2020,
        valid_from=dt.date(2025, 1, 1),
        user="t",
        state="entwurf",
    )
    draft = int(goal_service.target_drafts(store)["id"].iloc[0])
    assert goal_service.target_drafts(store)["source"].iloc[0] == "Formular"
    with pytest.raises(InputRejectedError, match="nennt das Beschlussdatum"):
        goal_service.decide_target(
            store, draft, body="Kreisausschuss", decision_date=None, vorlage="", valid_from=dt.date.today(), user="t"
        )
    with pytest.raises(InputRejectedError, match="liegt in der Zukunft"):
        goal_service.decide_target(
            store,
            draft,
            body="Kreisausschuss",
            decision_date=dt.date.today() + dt.timedelta(days=3),
            vorlage="",
            valid_from=dt.date.today(),
            user="t",
        )
    goal_service.discard_target(store, draft, user="t")
    assert goal_service.target_drafts(store).empty
    assert store.audit.entries().iloc[0]["action"] == "verwerfen"


@pytest.mark.parametrize(
    ("form", "cells", "column"),
    [
        ({"body": "Kreisausschuss"}, ";;Kreisausschuss;;;", "beschlussdatum"),
        ({"decision_date": dt.date(2025, 1, 5)}, ";;;05.01.2025;;", "gremium"),
        ({"vorlage": "KA/1"}, ";;;;KA/1;", "gremium"),
        ({"state": "beschlossen"}, ";beschlossen", "gremium"),
    ],
)
def test_an_incomplete_decision_is_refused_alike_from_the_form_and_from_a_file(store, form, cells, column):
    with pytest.raises(InputRejectedError) as caught:
        maintenance.set_target(
            store,
            indicator="BIL-01",
            area="03157",
            target_year=2030,
            target_value="20",
            baseline_year=2020,
            valid_from=dt.date(2025, 1, 1),
            user="t",
            **form,
        )
    from_form = {(p.column, p.message) for p in caught.value.problems}
    head = HEAD.strip() + (";status\n" if "state" in form else "\n")
    row = "BIL-01;03157;2030;20;2020" + (";;;;" + cells if "state" in form else cells.removeprefix(";"))
    preview = prepare(store, "ziele.csv", (head + row + "\n").encode())
    from_file = set(zip(preview.problems["column"], preview.problems["message"], strict=True))
    assert from_form == from_file and column in {c for c, _ in from_form}
    assert all(
        "Eine Zeile ohne jede Beschlussangabe wird als Entwurf übernommen" in m
        for c, m in from_form
        if c in ("gremium", "beschlussdatum") and "nennt" in m
    )


def test_a_file_row_without_a_decision_becomes_a_draft_with_the_file_as_source_and_undo_removes_it(store):
    data = HEAD + "BIL-01;03157;2030;40;2020;;;;\nBIL-01;*;2030;18;2020;Kreisausschuss;02.02.2025;KA/2025/2;\n"
    intake = commit(store, prepare(store, "vorschlaege.csv", data.encode()), user="t")
    drafts = goal_service.target_drafts(store)
    assert list(drafts["source"]) == ["Datei vorschlaege.csv"] and list(drafts["target_value"]) == [40.0]
    decided = store.targets.in_force().set_index("area")
    assert decided.loc["*", "state"] == "beschlossen" and decided.loc["*", "body"] == "Kreisausschuss"
    assert decided.loc["03157", "target_value"] == 15.0  # the draft for 03157 replaced nothing
    assert intake is not None
    store.intakes.undo(intake, user="t")
    assert goal_service.target_drafts(store).empty and "*" not in set(store.targets.in_force()["area"])


def test_existing_targets_become_decided_or_replaced_when_migrating(blank_address):
    path = blank_address  # on both engines: migration 9 updates the existing rows
    old = Store(path, migrations=[m for m in MIGRATIONS if m.version < 9])
    with old.transaction("target") as cur:
        for value, valid_to in ((10.0, dt.date(2022, 12, 31)), (12.0, None)):
            cur.execute(
                """INSERT INTO target (indicator, area, target_year, target_value, baseline_year, decision,
                       valid_from, valid_to, created_by, created_at)
                   VALUES ('BIL-01', '*', 2030, ?, 2020, 'KA/2021/017', DATE '2021-06-15', ?, 't', now())""",
                [value, valid_to],
            )
    old.close()
    migrated = Store(path)
    history = migrated.targets.history("BIL-01", "*").sort_values("target_value")
    assert list(history["state"]) == ["abgeloest", "beschlossen"]
    assert list(history["decision"]) == ["KA/2021/017", "KA/2021/017"]  # the decision text is kept
    migrated.close()


def test_the_log_of_a_draft_names_its_kennzahl(store):
    """Issue 25, point 8: the log entry of a draft said »Schlüssel *« and never named the Kennzahl."""
    maintenance.set_target(
        store,
        indicator="BIL-01",
        area="*",
        target_year=2032,
        target_value="70",
        baseline_year=2022,
        valid_from=dt.date(2025, 1, 1),
        user="t",
        state="entwurf",
    )
    entry = store.audit.entries().iloc[0]
    assert (entry["entity"], entry["entity_key"]) == ("target", "BIL-01")
    assert entry["new_value"] == "Entwurf: BIL-01 Landkreis (Kreisziel): 70 bis 2032 (Basis 2022)"
