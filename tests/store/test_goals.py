"""The goal system (issue 14): shipped draft loaded once, every change versioned and audited, one check for the
file and the staff table, nothing written on a bad input."""

from __future__ import annotations

import pytest

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.errors import InputRejectedError
from controlling.goals import service as goal_service
from controlling.reference.shipped import load_reference


def test_the_shipped_draft_leitbild_and_tree_are_loaded_on_first_start(empty_store):
    system = goal_service.goal_system(empty_store)
    assert "Entwurf – vom Referat zu ersetzen" in system.leitbild
    leitziele = system.goals.loc[system.goals["kind"] == "leitziel"]
    assert list(leitziele["field"]) == ["BIL", "SPR", "ARB", "GES", "KOM"]  # one per Handlungsfeld, in order
    handlungsziele = empty_store.goals.handlungsziele()
    assert {"code", "title", "field"} <= set(handlungsziele.columns) and len(handlungsziele) == 15
    assert set(system.links["goal_code"]) == set(handlungsziele["code"])  # each measured by a Kennzahl
    assert (empty_store.goals.versions()["version"] == 1).all()


def test_a_store_made_before_the_goal_system_gets_it_once(tmp_path):
    store = Store(tmp_path / "alt.duckdb")
    reference = load_reference()
    store.catalogue.insert_reference(reference.fields, reference.areas, reference.indicators, user="t")
    assert store.goals.is_empty()
    initialize(store, demo=False)
    assert len(store.goals.tree()) == 20
    store.goals.replace(store.goals.tree().head(0), store.goals.links().head(0), user="t")  # staff emptied it
    initialize(store, demo=False)
    assert store.goals.tree().empty  # never loaded again over the staff's work
    store.close()


def _edited(store: Store, goal: str, **cells: str):
    table = goal_service.editable_table(store)
    for column, value in cells.items():
        table.loc[table["code"] == goal, column] = value
    return table


def test_editing_a_goal_keeps_the_old_version_and_audits_old_and_new(empty_store):
    table = _edited(empty_store, "BIL-L1-H2", titel="Kein Abgang ohne Abschluss", kennzahlen="BIL-03")
    assert goal_service.save_goal_table(empty_store, table, user="anna") == 1
    versions = empty_store.goals.versions("BIL-L1-H2")
    assert list(versions["version"]) == [2, 1]
    assert list(versions["title"]) == ["Kein Abgang ohne Abschluss", "Weniger Schulabgänge ohne Abschluss"]
    assert list(versions["indicators"]) == ["BIL-03", "BIL-03, BIL-09"]
    entry = empty_store.audit.entries().iloc[0]
    assert (entry["entity"], entry["entity_key"], entry["action"], entry["user_name"]) == (
        "goal",
        "BIL-L1-H2",
        "ändern",
        "anna",
    )
    assert "Titel: Weniger Schulabgänge" in entry["old_value"] and "Kennzahlen: BIL-03, BIL-09" in entry["old_value"]
    assert "Titel: Kein Abgang" in entry["new_value"] and "Kennzahlen: BIL-03;" in entry["new_value"]
    links = empty_store.goals.links()
    assert list(links.loc[links["goal_code"] == "BIL-L1-H2", "indicator"]) == ["BIL-03"]  # BIL-09 unlinked


def test_saving_the_same_tree_changes_nothing_and_writes_no_audit(empty_store):
    before = empty_store.data_version()
    assert goal_service.save_goal_table(empty_store, goal_service.editable_table(empty_store), user="t") == 0
    assert empty_store.data_version() == before


def test_adding_and_removing_goals_are_versions_too(empty_store):
    table = goal_service.editable_table(empty_store)
    new = {
        "ebene": "handlungsziel",
        "code": "BIL-L1-H4",
        "handlungsfeld": "",
        "uebergeordnet": "BIL-L1",
        "titel": "Kita-Konzepte",
        "beschreibung": "",
        "kennzahlen": "BIL-08",
    }
    table = table.loc[table["code"] != "KOM-L1-H3"]
    table.loc[len(table) + 100] = new
    assert goal_service.save_goal_table(empty_store, table, user="t") == 2
    removed = empty_store.goals.versions("KOM-L1-H3")
    assert list(removed["removed"]) == [True, False]
    actions = set(empty_store.audit.entries().head(2)["action"])
    assert actions == {"anlegen", "entfernen"}
    tree = goal_service.goal_system(empty_store).goals
    children = list(tree.loc[tree["parent"] == "BIL-L1", "code"])
    assert children[-1] == "BIL-L1-H4" and "KOM-L1-H3" not in set(tree["code"])


@pytest.mark.parametrize(
    ("code", "cells", "column", "message"),
    [
        ("BIL-L1-H1", {"kennzahlen": "BIL-01, XYZ-99"}, "kennzahlen", "Unbekannte Kennzahl"),
        ("BIL-L1-H1", {"kennzahlen": ""}, "kennzahlen", "an mindestens einer Kennzahl gemessen"),
        ("BIL-L1-H1", {"uebergeordnet": "ARB-L9"}, "uebergeordnet", "nennt den Code eines Leitziels"),
        ("BIL-L1-H1", {"titel": "Siehe [hier](https://example.org)"}, "titel", "Links oder Bilder"),
        ("BIL-L1-H1", {"code": "BIL-L1-H2"}, "code", "steht schon weiter oben"),
        ("BIL-L1", {"handlungsfeld": "Wohnen"}, "handlungsfeld", "Unbekanntes Handlungsfeld"),
        ("BIL-L1", {"kennzahlen": "BIL-01"}, "kennzahlen", "gehören zu den Handlungszielen"),
        ("BIL-L1", {"ebene": "oberziel"}, "ebene", "leitziel"),
    ],
)
def test_a_bad_tree_is_refused_located_and_nothing_changes(empty_store, code, cells, column, message):
    before = empty_store.data_version()
    with pytest.raises(InputRejectedError) as caught:
        goal_service.save_goal_table(empty_store, _edited(empty_store, code, **cells), user="t")
    assert any(p.column == column and message in p.message and p.line is not None for p in caught.value.problems)
    assert empty_store.data_version() == before


def test_the_file_and_the_table_are_checked_alike_and_export_import_round_trips(empty_store):
    csv_data, leitbild = goal_service.export_goal_files(empty_store)
    assert (
        csv_data.decode("utf-8-sig").splitlines()[0]
        == "ebene;code;handlungsfeld;uebergeordnet;titel;beschreibung;kennzahlen"
    )
    assert goal_service.import_goal_files(
        empty_store, user="t", goals=("zielsystem.csv", csv_data), leitbild=("leitbild.md", leitbild)
    ) == (0, False)
    broken = csv_data.decode("utf-8-sig").replace("BIL-01, BIL-02", "BIL-01, XYZ-99").encode()
    with pytest.raises(InputRejectedError) as caught:
        goal_service.import_goal_files(empty_store, user="t", goals=("zielsystem.csv", broken))
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("zielsystem.csv", 3, "kennzahlen")
    from_table = _edited(empty_store, "BIL-L1-H1", kennzahlen="BIL-01, XYZ-99")
    with pytest.raises(InputRejectedError) as again:
        goal_service.save_goal_table(empty_store, from_table, user="t")
    assert {p.message for p in again.value.problems} == {p.message for p in caught.value.problems}


def test_the_leitbild_is_versioned_audited_and_plain(empty_store):
    old = empty_store.goals.leitbild()
    assert goal_service.save_leitbild(empty_store, "# Leitbild\n\nAlle gehören dazu.", user="anna")
    assert not goal_service.save_leitbild(empty_store, "# Leitbild\n\nAlle gehören dazu.", user="anna")
    versions = empty_store.goals.leitbild_versions()
    assert list(versions["version"]) == [2, 1] and versions.iloc[1]["text"] == old
    entry = empty_store.audit.entries().iloc[0]
    assert (entry["entity"], entry["old_value"], entry["new_value"]) == (
        "leitbild",
        old,
        "# Leitbild\n\nAlle gehören dazu.",
    )
    for bad in ("Mehr unter [Seite](https://example.org)", "![Logo](https://example.org/l.png)", "<script>x</script>"):
        with pytest.raises(InputRejectedError, match="Leitbildtext ist einfacher Text"):
            goal_service.save_leitbild(empty_store, "Gut.\n" + bad, user="anna")
    assert empty_store.goals.leitbild() == "# Leitbild\n\nAlle gehören dazu."


def test_the_report_workbook_has_the_goal_tree_in_page_order_and_the_drafts_marked(tmp_path):
    import pandas as pd

    from controlling.bootstrap import initialize
    from controlling.db import Store
    from controlling.report import pdf as report

    # A demo store in memory (the report on PostgreSQL has a test of its own: test_report_on_postgresql).
    own = Store(":memory:")
    initialize(own, demo=True)
    data = report.collect(own)
    report.write_excel(data, tmp_path / "bericht.xlsx")
    sheets = pd.read_excel(tmp_path / "bericht.xlsx", sheet_name=None)
    tree = sheets["Leitbild und Ziele"]
    assert list(tree["Code"].drop_duplicates())[:4] == ["BIL-L1", "BIL-L1-H1", "BIL-L1-H2", "BIL-L1-H3"]
    first = tree.iloc[0]
    # The roll-up is the worst light of BIL-L1's Kennzahlen for the Landkreis, counted from the status itself.
    from controlling.goals.tree import light_label
    from controlling.service import status_table

    goals, links = own.goals.tree(), own.goals.links()
    children = goals.loc[goals["parent"].eq("BIL-L1"), "code"]
    linked = links.loc[links["goal_code"].isin(children), "indicator"].unique()
    status = status_table(own).set_index(["indicator", "area"])["light"]
    lights = pd.Series([status.get((code, "03157"), "grau") for code in linked])
    counts = [int((lights == light).sum()) for light in ("rot", "gelb", "gruen", "grau")]
    worst = next(light for light in ("rot", "gelb", "gruen", "grau") if (lights == light).any())
    assert (first["Ebene"], first["Ampel (zusammengefasst)"]) == ("Leitziel", light_label(worst))
    assert first[["Anzahl Rot", "Anzahl Gelb", "Anzahl Grün", "Anzahl ohne Bewertung"]].tolist() == counts
    assert sum(counts) == len(linked) > 0
    drafts = sheets["Zielvorschläge"]
    assert set(drafts["Stand"]) == {"Entwurf – nicht beschlossen"} and set(drafts["Kennzahl"]) == {"SPR-01", "GES-02"}


def test_a_row_without_ebene_is_refused_with_a_message_naming_it(empty_store):
    """Issue 25 point 2: a new row without Ebene was dropped silently; now it is refused by code and title."""
    table = goal_service.editable_table(empty_store)
    table.loc[len(table)] = {
        "ebene": None,
        "code": "KOM-L1-H9",
        "handlungsfeld": None,
        "uebergeordnet": "KOM-L1",
        "titel": "Neues Ziel ohne Ebene",
        "beschreibung": None,
        "kennzahlen": "KOM-01",
    }
    before = empty_store.data_version()
    with pytest.raises(InputRejectedError) as caught:
        goal_service.save_goal_table_named(empty_store, table, user="t")
    problem = caught.value.problems[0]
    assert problem.column == "ebene" and problem.line == len(table)
    assert problem.value == "KOM-L1-H9 – Neues Ziel ohne Ebene"
    assert "fehlt die Ebene" in str(problem) and "None" not in str(caught.value)
    assert empty_store.data_version() == before


def test_a_save_names_every_goal_it_added_changed_and_removed(empty_store):
    table = goal_service.editable_table(empty_store)
    table.loc[table["code"] == "BIL-L1-H2", "titel"] = "Kein Abgang ohne Abschluss"
    table = table.loc[table["code"] != "KOM-L1-H3"]
    changes = goal_service.save_goal_table_named(empty_store, table, user="t")
    assert (changes.added, changes.changed, changes.removed) == ([], ["BIL-L1-H2"], ["KOM-L1-H3"])
    assert changes.sentence() == (
        "Gespeichert – geändert: BIL-L1-H2; entfernt: KOM-L1-H3. Die früheren Fassungen bleiben erhalten."
    )


def test_the_form_adds_a_handlungsziel_with_the_next_free_code(empty_store):
    code = goal_service.next_goal_code(empty_store, parent="BIL-L1")
    assert code == "BIL-L1-H4"
    assert goal_service.next_goal_code(empty_store, field="BIL") == "BIL-L2"
    changes = goal_service.add_goal(
        empty_store,
        kind="handlungsziel",
        code=code,
        field="",
        parent="BIL-L1",
        title="Sprachkitas ausbauen",
        text="",
        indicators=["BIL-01", "BIL-02"],
        user="t",
    )
    assert changes.added == ["BIL-L1-H4"] and not changes.changed and not changes.removed
    links = empty_store.goals.links()
    assert list(links.loc[links["goal_code"] == "BIL-L1-H4", "indicator"]) == ["BIL-01", "BIL-02"]
    with pytest.raises(InputRejectedError) as taken:
        goal_service.add_goal(
            empty_store,
            kind="leitziel",
            code="BIL-L1",
            field="BIL",
            parent="",
            title="x",
            text="",
            indicators=[],
            user="t",
        )
    assert "Diesen Code hat schon »Gleiche Bildungschancen" in str(taken.value)
