"""Undo is exact in any order (issue 17): a hypothesis state machine against a simple replay model.

The model keeps every committed import as what it says (values by key); the store's current values
must always equal replaying the imports not undone, in their order.
"""

from __future__ import annotations

import hypothesis.strategies as st
import pandas as pd
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from controlling.bootstrap import initialize as initialize_store
from controlling.db import Store
from controlling.intake import commit, prepare

YEARS = (2019, 2020, 2021, 2022)
AREAS = ("03157", "03157001")
VALUE_KEYS = [(area, year) for area in AREAS for year in YEARS]
EXAMPLES = {"count": 0, "steps": 0}


TARGET_AREAS = ("03157", "03157001")
CODES = ("KTX-02", "KTX-99")  # one from the shipped catalogue, one a Kennzahlen file creates
KENNZAHLEN_HEAD = "kennzahl;bezeichnung;handlungsfeld;einheit;richtung;aggregation;nachkommastellen;definition\n"


def _ziele(targets: dict[str, int], decided: bool) -> bytes:
    """Decided targets, or drafts (no decision given: issue 14's one rule for form and file)."""
    decision = "Kreisausschuss;01.03.2025" if decided else ";"
    rows = "".join(f"ARB-01;{area};2030;{value};2020;{decision}\n" for area, value in targets.items())
    return ("kennzahl;gebiet;zieljahr;zielwert;basisjahr;gremium;beschlussdatum\n" + rows).encode()


def _kennzahlen(names: dict[str, str]) -> bytes:
    rows = "".join(f"{code};{name};Kontext;Anzahl;neutral;summe;0;Definition {name}\n" for code, name in names.items())
    return (KENNZAHLEN_HEAD + rows).encode()


def _werte(values: dict[tuple[str, int], tuple[int, str]]) -> bytes:
    rows = "".join(f"KTX-02;{area};{year};{value};{note}\n" for (area, year), (value, note) in values.items())
    return ("kennzahl;gebiet;jahr;wert;anmerkung\n" + rows).encode()


class UndoMachine(RuleBasedStateMachine):
    """Random value, target and catalogue imports and undos against the replay model."""

    def __init__(self) -> None:
        super().__init__()
        self.store = Store(":memory:")
        initialize_store(self.store, demo=False)
        self.imports: list[tuple[int, dict[tuple[str, int], tuple[int, str]]]] = []  # id, what it says
        self.target_imports: list[tuple[int, dict[str, int]]] = []
        self.draft_imports: list[tuple[int, dict[str, int]]] = []
        self.catalogue_imports: list[tuple[int, dict[str, str]]] = []
        self.undone: set[int] = set()
        shipped = self.store.catalogue.indicators(include_retired=True).set_index("code")["name"]
        self.shipped_names = {code: str(shipped[code]) for code in CODES if code in shipped.index}
        self.shipped_targets = self._targets_in_store()
        EXAMPLES["count"] += 1

    @initialize()
    def nothing_yet(self) -> None:
        assert self.store.values.current_observations().empty

    def teardown(self) -> None:
        self.store.close()

    def _model(self) -> dict[tuple[str, int], tuple[float, str]]:
        state: dict[tuple[str, int], tuple[float, str]] = {}
        for intake_id, values in self.imports:
            if intake_id not in self.undone:
                state |= {key: (float(value), note) for key, (value, note) in values.items()}
        return state

    @rule(
        values=st.dictionaries(
            st.sampled_from(VALUE_KEYS),
            st.tuples(st.integers(0, 3), st.sampled_from(["", "vorläufig"])),
            min_size=1,
            max_size=len(VALUE_KEYS),
        )
    )
    def import_values(self, values: dict[tuple[str, int], tuple[int, str]]) -> None:
        EXAMPLES["steps"] += 1
        preview = prepare(self.store, "werte.csv", _werte(values))
        assert preview.problems.empty, preview.problems
        intake_id = commit(self.store, preview, user="Modell")
        if intake_id is None:  # nothing new: the model already holds exactly these values
            assert all(self._model().get(key) == (float(v), n) for key, (v, n) in values.items())
        else:
            self.imports.append((intake_id, values))

    @rule(given=st.dictionaries(st.sampled_from(TARGET_AREAS), st.integers(1, 3), min_size=1), decided=st.booleans())
    def import_targets(self, given: dict[str, int], decided: bool) -> None:
        EXAMPLES["steps"] += 1
        intake_id = commit(self.store, prepare(self.store, "ziele.csv", _ziele(given, decided)), user="Modell")
        assert intake_id is not None
        (self.target_imports if decided else self.draft_imports).append((intake_id, given))

    @rule(names=st.dictionaries(st.sampled_from(CODES), st.sampled_from(["Alpha", "Beta", "Gamma"]), min_size=1))
    def import_catalogue(self, names: dict[str, str]) -> None:
        EXAMPLES["steps"] += 1
        intake_id = commit(self.store, prepare(self.store, "kennzahlen.csv", _kennzahlen(names)), user="Modell")
        assert intake_id is not None
        self.catalogue_imports.append((intake_id, names))

    def _targets_in_store(self) -> dict[str, float]:
        in_force = self.store.targets.in_force()
        in_force = in_force.loc[in_force["indicator"] == "ARB-01"]
        assert not in_force.duplicated(["indicator", "area"]).any(), "zwei Ziele in Kraft"
        return dict(zip(in_force["area"].astype(str), in_force["target_value"].astype(float), strict=True))

    @rule(data=st.data())
    def undo(self, data: st.DataObject) -> None:
        every = [*self.imports, *self.target_imports, *self.draft_imports, *self.catalogue_imports]
        open_ids = [intake_id for intake_id, _ in every if intake_id not in self.undone]
        if not open_ids:
            return
        EXAMPLES["steps"] += 1
        intake_id = data.draw(st.sampled_from(open_ids))
        self.store.intakes.undo(intake_id, user="Modell")
        self.undone.add(intake_id)

    @invariant()
    def store_equals_replay(self) -> None:
        current = self.store.values.current_observations()
        found = {
            (str(area), int(year)): (float(value), "" if pd.isna(note) else str(note))
            for area, year, value, note in current[["area", "year", "value", "note"]].itertuples(index=False)
        }
        assert found == self._model()
        targets = dict(self.shipped_targets)
        names = dict(self.shipped_names)
        for intake_id, given in self.target_imports:
            if intake_id not in self.undone:
                targets |= {area: float(value) for area, value in given.items()}
        for intake_id, named in self.catalogue_imports:
            if intake_id not in self.undone:
                names |= named
        assert self._targets_in_store() == targets
        drafts = sorted(
            (area, float(value))
            for intake_id, given in self.draft_imports
            if intake_id not in self.undone
            for area, value in given.items()
        )
        found_drafts = self.store.targets.drafts()
        found_drafts = found_drafts.loc[found_drafts["indicator"] == "ARB-01"]
        assert sorted(zip(found_drafts["area"], found_drafts["target_value"].astype(float), strict=True)) == drafts
        catalogue = self.store.catalogue.indicators(include_retired=True).set_index("code")
        assert {code: str(catalogue.at[code, "name"]) for code in CODES if code in catalogue.index} == names


def test_undo_in_any_order_equals_replaying_the_other_imports():
    run_state_machine_as_test(
        UndoMachine,
        settings=settings(
            max_examples=40, stateful_step_count=10, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
    print(f"Zustandsmodell: {EXAMPLES['count']} Beispiele, {EXAMPLES['steps']} Importe und Rücknahmen")
    assert EXAMPLES["count"] >= 40
