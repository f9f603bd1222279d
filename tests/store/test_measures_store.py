"""Measures in the store (issue 14): every change kept per field (who, when, old → new) and audited; a refused
measure writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from controlling.errors import InputRejectedError
from controlling.goals import service as goal_service
from controlling.measures import model as measures
from controlling.measures.model import MeasureError, MeasureInput


def course(**changes: object) -> MeasureInput:
    fields: dict[str, object] = {
        "title": "Integrationskurs mit Kinderbetreuung",
        "responsible": "Koordinierungsstelle",
        "status": "geplant",
        "indicators": ["SPR-01"],
        "areas": ["03157006"],
        "carrier": "VHS Peine",
        "funding": "Landesprogramm",
        "funding_amount": "12.500,00",
        "start_date": dt.date(2026, 1, 1),
        "due_date": dt.date(2026, 6, 30),
    }
    return MeasureInput(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_new_measure_keeps_what_was_entered(empty_store):
    measure_id = measures.save_measure(empty_store, course(), user="anna")
    row = measures.measures(empty_store, day=dt.date(2026, 7, 1)).set_index("id").loc[measure_id]
    assert row["funding_amount"] == 12500.0
    assert row["area_list"] == ["03157006"] and row["indicators"] == "SPR-01"
    assert row["overdue"] and row["shown_status"] == "geplant – überfällig"
    history = measures.history(empty_store, measure_id)
    assert set(history["field"]) >= {"title", "status", "indicators", "areas", "funding_amount"}
    assert history["old_value"].isna().all() and set(history["user_name"]) == {"anna"}


def test_every_change_is_kept_old_to_new_and_audited(empty_store):
    measure_id = measures.save_measure(empty_store, course(), user="anna")
    before = len(empty_store.audit.entries())
    changed = course(status="laufend", due_date=dt.date(2026, 12, 31), indicators=["SPR-01", "SPR-03"])
    measures.save_measure(empty_store, changed, user="ben", measure_id=measure_id)
    history = measures.history(empty_store, measure_id)
    latest = history.loc[history["user_name"] == "ben"].set_index("field")
    assert set(latest.index) == {"status", "due_date", "indicators"}
    assert latest.loc["status", ["old_value", "new_value"]].tolist() == ["geplant", "laufend"]
    assert latest.loc["due_date", ["old_value", "new_value"]].tolist() == ["30.06.2026", "31.12.2026"]
    assert latest.loc["indicators", "new_value"] == "SPR-01, SPR-03"
    audit = empty_store.audit.entries()
    assert len(audit) == before + 1
    entry = audit.iloc[0]
    assert (entry["user_name"], entry["action"], entry["entity"], entry["entity_key"]) == (
        "ben",
        "ändern",
        "measure",
        str(measure_id),
    )
    assert "status: geplant" in entry["old_value"] and "status: laufend" in entry["new_value"]


def test_saving_without_a_change_writes_nothing(empty_store):
    measure_id = measures.save_measure(empty_store, course(), user="anna")
    version = empty_store.data_version()
    measures.save_measure(empty_store, course(), user="anna", measure_id=measure_id)
    assert empty_store.data_version() == version


def test_a_refused_change_writes_nothing(empty_store):
    measure_id = measures.save_measure(empty_store, course(), user="anna")
    version = empty_store.data_version()
    with pytest.raises(MeasureError, match="Unbekannter Stand"):
        measures.save_measure(empty_store, course(status="erledigt"), user="ben", measure_id=measure_id)
    with pytest.raises(MeasureError, match="gibt es nicht"):
        measures.save_measure(empty_store, course(), user="ben", measure_id=999)
    assert empty_store.data_version() == version
    assert len(measures.history(empty_store, measure_id)["id"]) == len(
        measures.history(empty_store, measure_id).loc[lambda h: h["user_name"] == "anna"]
    )


def test_the_handlungsziel_code_is_written_and_read(empty_store):
    goal_service.load_shipped_goals(empty_store, user="anna")
    measure_id = measures.save_measure(empty_store, course(goal_code="BIL-L1-H1"), user="anna")
    assert measures.measures(empty_store).set_index("id").loc[measure_id, "goal_code"] == "BIL-L1-H1"


def test_a_handlungsziel_not_in_the_goal_system_is_refused_and_nothing_written(empty_store):
    goal_service.load_shipped_goals(empty_store, user="anna")
    with pytest.raises(MeasureError, match="Das Handlungsziel »BIL-L9-H9« gibt es im Zielsystem nicht"):
        measures.save_measure(empty_store, course(goal_code="BIL-L9-H9"), user="anna")
    assert measures.measures(empty_store).empty


def test_a_handlungsziel_that_measures_serve_cannot_be_removed(empty_store):
    goal_service.load_shipped_goals(empty_store, user="anna")
    measures.save_measure(empty_store, course(title="Sprachkurs Kita", goal_code="BIL-L1-H1"), user="anna")
    table = goal_service.editable_table(empty_store)
    without = table.loc[table["code"] != "BIL-L1-H1"]
    with pytest.raises(InputRejectedError, match=r"BIL-L1-H1.*von Maßnahmen verfolgt \(Sprachkurs Kita\)"):
        goal_service.save_goal_table(empty_store, without, user="anna")
    assert "BIL-L1-H1" in set(goal_service.handlungsziele(empty_store)["code"])
