"""Ziele and Kennzahlen files are intakes that can be undone; catalogue changes are audited old → new."""

from __future__ import annotations

from controlling.intake import commit, prepare

ZIELE = b"kennzahl;gebiet;zieljahr;zielwert;basisjahr;gremium;beschlussdatum\n"
KENNZAHLEN = "kennzahl;bezeichnung;handlungsfeld;einheit;richtung;aggregation;nachkommastellen\n"


def test_a_target_file_is_an_intake_and_its_undo_brings_back_the_target_before(empty_store):
    first = commit(
        empty_store,
        prepare(empty_store, "a.csv", ZIELE + b"ARB-01;03157;2030;10;2020;Kreisausschuss;01.03.2024\n"),
        user="t",
    )
    second = commit(
        empty_store,
        prepare(empty_store, "b.csv", ZIELE + b"ARB-01;03157;2030;20;2020;Kreisausschuss;01.03.2025\n"),
        user="t",
    )
    assert first is not None and second is not None
    assert empty_store.targets.in_force()["target_value"].tolist() == [20.0]
    assert set(empty_store.intakes.history()["format"]) == {"ziele"}
    empty_store.intakes.undo(second, user="t")
    assert empty_store.targets.in_force()["target_value"].tolist() == [10.0]
    empty_store.intakes.undo(first, user="t")
    assert empty_store.targets.in_force().empty


def test_a_flipped_direction_is_audited_with_old_and_new_and_undone(empty_store):
    data = (KENNZAHLEN + "KTX-02;Ausländische Bevölkerung;Kontext;Anzahl;hoch;summe;0\n").encode()
    intake_id = commit(empty_store, prepare(empty_store, "k.csv", data), user="t")
    assert intake_id is not None
    entry = empty_store.audit.entries().iloc[0]
    assert entry["entity_key"] == "KTX-02"
    assert entry["old_value"].startswith("polarity: neutral")
    assert entry["new_value"].startswith("polarity: hoch")
    empty_store.intakes.undo(intake_id, user="t")
    catalogue = empty_store.catalogue.indicators().set_index("code")
    assert catalogue.at["KTX-02", "polarity"] == "neutral"


def test_undo_of_a_catalogue_file_removes_the_indicator_it_created(empty_store):
    data = (KENNZAHLEN + "KTX-99;Neu;Kontext;Anzahl;neutral;summe;0\n").encode()
    intake_id = commit(empty_store, prepare(empty_store, "k.csv", data), user="t")
    assert intake_id is not None and "KTX-99" in set(empty_store.catalogue.indicators()["code"])
    empty_store.intakes.undo(intake_id, user="t")
    assert "KTX-99" not in set(empty_store.catalogue.indicators(include_retired=True)["code"])


def test_a_change_only_to_anmerkung_is_stored(empty_store):
    head = "kennzahl;gebiet;jahr;wert;anmerkung\n"
    commit(empty_store, prepare(empty_store, "a.csv", (head + "KTX-02;03157;2020;5;\n").encode()), user="t")
    preview = prepare(empty_store, "b.csv", (head + "KTX-02;03157;2020;5;vorläufig\n").encode())
    assert preview.count("changed") == 1
    assert commit(empty_store, preview, user="t") is not None
    assert empty_store.values.current_observations()["note"].tolist() == ["vorläufig"]
