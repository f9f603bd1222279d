"""The kept status table (issue 30): after each change, computing only the touched pairs gives what a computation
from scratch gives, row for row."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from controlling import service, status_cache
from controlling.method.explain import explain_status
from controlling.method.overview import dashboard_areas
from controlling.method.status import compute_status
from controlling.status_cache import STATUS_CACHE, Change, compare
from tests.helpers import add_target, add_values


def from_scratch(store, areas=None, year=None) -> pd.DataFrame:
    inputs = store.values.status_inputs(year=year, day=dt.date.today(), areas=areas)
    return explain_status(compute_status(inputs))


def assert_as_from_scratch(store, areas=None, year=None, *, partial: bool = True) -> None:
    kept = service.status_table(store, areas=areas, year=year)
    if partial:
        assert STATUS_CACHE.last[0] == "teilweise" and STATUS_CACHE.last[1] < len(kept)
    pd.testing.assert_frame_equal(kept, from_scratch(store, areas, year))


@pytest.fixture
def store(own_demo_store, monkeypatch):
    # The demo store is small: any change touches more than a quarter of its rows. Here the part is always
    # computed alone, so that it is the partial path that is compared with a computation from scratch.
    monkeypatch.setattr(status_cache, "WHOLE_SHARE", 1.0)
    STATUS_CACHE.clear()
    for areas in (None, list(dashboard_areas(own_demo_store.catalogue.areas()))):
        service.status_table(own_demo_store, areas=areas)
    return own_demo_store


def home_gemeinden(store) -> list[str]:
    areas = store.catalogue.areas()
    kreis = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"].astype(bool), "code"].min()
    return sorted(areas.loc[areas["parent"] == kreis, "code"])


def changed_values(store, areas: list[str], factor: float) -> list[tuple[object, ...]]:
    """The newest total of each pair of these areas, changed by `factor` (counts kept consistent)."""
    current = store.values.current()
    current = current.loc[current["area"].isin(areas) & ~current["computed"].astype(bool)]
    newest = current.sort_values("year").groupby(["indicator", "area"]).tail(1)
    return [
        (row.indicator, row.area, int(row.year), row.value * factor, row.numerator, row.denominator)
        if pd.isna(row.numerator)
        else (row.indicator, row.area, int(row.year), row.value, row.numerator * factor, row.denominator)
        for row in newest.itertuples()
    ]


@pytest.mark.parametrize("dashboard", [False, True], ids=["alle Gebiete", "Dashboard"])
def test_import_and_undo_of_some_gemeinden(store, dashboard):
    areas = list(dashboard_areas(store.catalogue.areas())) if dashboard else None
    intake = add_values(store, changed_values(store, home_gemeinden(store)[:2], 0.5))
    assert_as_from_scratch(store, areas)
    store.intakes.undo(intake, user="Test")
    assert_as_from_scratch(store, areas)


def test_import_of_a_new_year_and_of_comparison_areas(store):
    areas = store.catalogue.areas()
    others = areas.loc[areas["comparison"].astype(bool) & (areas["level"] == "gemeinde"), "code"].head(3).tolist()
    rows = [
        (indicator, area, year + 1, value, numerator, denominator)
        for indicator, area, year, value, numerator, denominator in changed_values(
            store, home_gemeinden(store)[:1] + others, 1.1
        )
    ]
    add_values(store, rows)
    assert_as_from_scratch(store)
    assert_as_from_scratch(store, year=max(store.values.years()) - 1, partial=False)  # not asked for before


def test_target_and_catalogue_changes(store):
    rated = store.catalogue.indicators()
    code = rated.loc[rated["polarity"] == "hoch", "code"].iloc[0]
    add_target(store, code, "*", 99.0, baseline=2019)
    assert_as_from_scratch(store)
    store.catalogue.set_retired(code, True, user="Test")
    assert_as_from_scratch(store)
    store.catalogue.set_retired(code, False, user="Test")
    assert_as_from_scratch(store, list(dashboard_areas(store.catalogue.areas())))


def test_nothing_changed_hands_out_the_kept_table(store):
    assert_as_from_scratch(store, partial=False)
    assert STATUS_CACHE.last == ("behalten", 0)


def test_a_change_names_what_differs():
    old = {("intake", "1"): "committed", ("target", "A"): "x", ("indicator", "A"): "y", ("area", "*"): "z"}
    assert compare(old, dict(old)).nothing
    assert compare(old, {**old, ("intake", "1"): "undone", ("intake", "2"): "committed"}) == Change(
        False, frozenset(), (1, 2)
    )
    assert compare(old, {**old, ("target", "B"): "neu"}).indicators == {"B"}
    assert compare(old, {**old, ("area", "*"): "anders"}).everything
