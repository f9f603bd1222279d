"""Current values with computed county values (DESIGN §3.3): summe, quote, keine, gaps, mergers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.helpers import add_values, make_indicators, make_store

AREAS = pd.DataFrame(
    [
        ("03157", "Kreis", "kreis", None, None, None, None, False),
        ("03157001", "A", "gemeinde", "03157", None, None, None, False),
        ("03157003", "Alt1", "gemeinde", "03157", None, dt.date(2014, 12, 31), "03157009", False),
        ("03157004", "Alt2", "gemeinde", "03157", None, dt.date(2014, 12, 31), "03157009", False),
        ("03157009", "Neu", "gemeinde", "03157", dt.date(2015, 1, 1), None, None, False),
    ],
    columns=["code", "name", "level", "parent", "valid_from", "valid_to", "successor", "comparison"],
)
INDICATORS = make_indicators(
    [
        {"code": "S", "unit": "Anzahl", "aggregation": "summe"},
        {"code": "Q", "unit": "%", "aggregation": "quote", "factor": 100.0},
        {"code": "N", "unit": "Tage", "aggregation": "keine"},
    ]
)


def values(rows):
    store = make_store(INDICATORS, AREAS)
    add_values(store, rows)
    result = store.values.current()
    store.close()
    return result


def value_of(result, indicator, area, year):
    hit = result.loc[(result["indicator"] == indicator) & (result["area"] == area) & (result["year"] == year)]
    return hit.iloc[0] if len(hit) else None


def test_summe_after_merger_uses_the_gemeinden_valid_that_year():
    row = value_of(values([("S", "03157001", 2016, 10), ("S", "03157009", 2016, 5)]), "S", "03157", 2016)
    assert row["value"] == 15 and row["computed"] and not row["converted"]


def test_summe_before_merger_uses_the_predecessors():
    result = values([("S", "03157001", 2014, 10), ("S", "03157003", 2014, 3), ("S", "03157004", 2014, 4)])
    assert value_of(result, "S", "03157", 2014)["value"] == 17


def test_quote_is_sum_of_numerators_over_sum_of_denominators():
    result = values([("Q", "03157001", 2020, 50.0, 1, 2), ("Q", "03157009", 2020, 10.0, 1, 10)])
    row = value_of(result, "Q", "03157", 2020)
    assert row["value"] == pytest.approx(2 / 12 * 100)
    assert (row["numerator"], row["denominator"]) == (2, 12)


def test_quote_needs_numerator_and_denominator_of_every_gemeinde():
    result = values([("Q", "03157001", 2020, 50.0, 1, 2), ("Q", "03157009", 2020, 10.0)])
    assert value_of(result, "Q", "03157", 2020) is None


def test_nothing_is_computed_when_a_gemeinde_is_missing():
    assert value_of(values([("S", "03157001", 2020, 10)]), "S", "03157", 2020) is None


def test_flagged_gemeinde_value_blocks_the_county_value():
    result = values([("S", "03157001", 2020, 10), ("S", "03157009", 2020, None)])
    assert value_of(result, "S", "03157", 2020) is None


def test_keine_is_never_computed():
    result = values([("N", "03157001", 2020, 10), ("N", "03157009", 2020, 5)])
    assert value_of(result, "N", "03157", 2020) is None


def test_a_stored_county_value_is_kept():
    result = values([("S", "03157", 2020, 99), ("S", "03157001", 2020, 10), ("S", "03157009", 2020, 5)])
    row = value_of(result, "S", "03157", 2020)
    assert row["value"] == 99 and not row["computed"]
    assert len(result.loc[(result["area"] == "03157") & (result["year"] == 2020)]) == 1


def test_merged_gemeinde_gets_the_sum_of_its_predecessors_before_the_merger():
    result = values(
        [
            ("S", "03157003", 2013, 3),
            ("S", "03157004", 2013, 4),
            ("Q", "03157003", 2013, 50.0, 1, 2),
            ("Q", "03157004", 2013, 25.0, 1, 4),
        ]
    )
    summed = value_of(result, "S", "03157009", 2013)
    assert summed["value"] == 7 and summed["converted"] and summed["computed"]
    assert value_of(result, "Q", "03157009", 2013)["value"] == pytest.approx(2 / 6 * 100)


def test_merged_gemeinde_needs_every_predecessor():
    assert value_of(values([("S", "03157003", 2013, 3)]), "S", "03157009", 2013) is None


def test_no_conversion_after_the_merger():
    result = values([("S", "03157009", 2016, 5), ("S", "03157001", 2016, 1)])
    assert not result["converted"].any()


def test_converted_series_feeds_no_county_value_twice():
    result = values([("S", "03157001", 2013, 10), ("S", "03157003", 2013, 3), ("S", "03157004", 2013, 4)])
    assert value_of(result, "S", "03157", 2013)["value"] == 17
