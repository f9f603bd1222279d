"""The Berichtsjahr shown by default (issue 25, point 3): a few early deliveries do not move everyone's year."""

from __future__ import annotations

from controlling.bootstrap import initialize
from controlling.db import Store
from tests.helpers import add_values


def test_a_small_delivery_for_a_new_year_does_not_move_the_default_year():
    store = Store(":memory:")
    initialize(store, demo=True)
    newest = store.values.years()[0]
    assert store.values.reporting_year() == newest  # the demo's Kreis has all of its years complete
    gemeinden = [f"0315700{n}" for n in (1, 2, 5, 6, 7, 8, 9)]
    add_values(store, [(code, area, newest + 1, 20.0) for code in ("BIL-05", "SPR-06") for area in gemeinden])
    assert store.values.years()[0] == newest + 1  # 14 Gemeinde values for the next year …
    assert store.values.reporting_year() == newest  # … leave the Berichtsjahr where the Kreis's values are
    store.close()


def test_without_values_there_is_no_default_year():
    store = Store(":memory:")
    initialize(store, demo=False)
    assert store.values.reporting_year() is None
    store.close()
