"""County values (DESIGN §3.3): summe, quote, keine, missing Gemeinden, merged Gemeinden."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from controlling.aggregate import county_values

AREAS = pd.DataFrame(
    [
        ("03157", "Kreis", "kreis", None, None, None, None),
        ("03157001", "A", "gemeinde", "03157", None, None, None),
        ("03157003", "Alt1", "gemeinde", "03157", None, dt.date(2014, 12, 31), "03157009"),
        ("03157004", "Alt2", "gemeinde", "03157", None, dt.date(2014, 12, 31), "03157009"),
        ("03157009", "Neu", "gemeinde", "03157", dt.date(2015, 1, 1), None, None),
    ],
    columns=["code", "name", "level", "parent", "valid_from", "valid_to", "successor"],
)
INDICATORS = pd.DataFrame(
    {"code": ["S", "Q", "N"], "aggregation": ["summe", "quote", "keine"], "factor": [np.nan, 100.0, np.nan]}
)


def obs(rows):
    frame = pd.DataFrame(rows, columns=["indicator", "area", "year", "value", "numerator", "denominator"])
    frame["breakdown"] = ""
    frame["flag"] = None
    return frame


def value_of(result, indicator, area, year):
    hit = result.loc[(result["indicator"] == indicator) & (result["area"] == area) & (result["year"] == year)]
    return hit.iloc[0] if len(hit) else None


def test_summe_after_merger_uses_the_gemeinden_valid_that_year():
    result = county_values(
        obs([("S", "03157001", 2016, 10, None, None), ("S", "03157009", 2016, 5, None, None)]),
        INDICATORS, AREAS,
    )
    row = value_of(result, "S", "03157", 2016)
    assert row["value"] == 15 and row["computed"] and not row["converted"]


def test_summe_before_merger_uses_the_predecessors():
    result = county_values(
        obs([("S", "03157001", 2014, 10, None, None), ("S", "03157003", 2014, 3, None, None),
             ("S", "03157004", 2014, 4, None, None)]),
        INDICATORS, AREAS,
    )
    assert value_of(result, "S", "03157", 2014)["value"] == 17


def test_quote_is_sum_of_numerators_over_sum_of_denominators():
    result = county_values(
        obs([("Q", "03157001", 2020, 50.0, 1, 2), ("Q", "03157009", 2020, 10.0, 1, 10)]),
        INDICATORS, AREAS,
    )
    assert value_of(result, "Q", "03157", 2020)["value"] == pytest.approx(2 / 12 * 100)


def test_quote_needs_numerator_and_denominator_of_every_gemeinde():
    result = county_values(
        obs([("Q", "03157001", 2020, 50.0, 1, 2), ("Q", "03157009", 2020, 10.0, None, None)]),
        INDICATORS, AREAS,
    )
    assert value_of(result, "Q", "03157", 2020) is None


def test_nothing_is_computed_when_a_gemeinde_is_missing():
    result = county_values(obs([("S", "03157001", 2020, 10, None, None)]), INDICATORS, AREAS)
    assert value_of(result, "S", "03157", 2020) is None


def test_flagged_gemeinde_value_blocks_the_county_value():
    result = county_values(
        obs([("S", "03157001", 2020, 10, None, None), ("S", "03157009", 2020, np.nan, None, None)]),
        INDICATORS, AREAS,
    )
    assert value_of(result, "S", "03157", 2020) is None


def test_keine_is_never_computed():
    result = county_values(
        obs([("N", "03157001", 2020, 10, None, None), ("N", "03157009", 2020, 5, None, None)]),
        INDICATORS, AREAS,
    )
    assert value_of(result, "N", "03157", 2020) is None


def test_a_stored_county_value_is_kept():
    result = county_values(
        obs([("S", "03157", 2020, 99, None, None), ("S", "03157001", 2020, 10, None, None),
             ("S", "03157009", 2020, 5, None, None)]),
        INDICATORS, AREAS,
    )
    row = value_of(result, "S", "03157", 2020)
    assert row["value"] == 99 and not row["computed"]


def test_merged_gemeinde_gets_the_sum_of_its_predecessors_before_the_merger():
    result = county_values(
        obs([("S", "03157003", 2013, 3, None, None), ("S", "03157004", 2013, 4, None, None),
             ("Q", "03157003", 2013, 50.0, 1, 2), ("Q", "03157004", 2013, 25.0, 1, 4)]),
        INDICATORS, AREAS,
    )
    summed = value_of(result, "S", "03157009", 2013)
    assert summed["value"] == 7 and summed["converted"] and summed["computed"]
    assert value_of(result, "Q", "03157009", 2013)["value"] == pytest.approx(2 / 6 * 100)


def test_merged_gemeinde_needs_every_predecessor():
    result = county_values(obs([("S", "03157003", 2013, 3, None, None)]), INDICATORS, AREAS)
    assert value_of(result, "S", "03157009", 2013) is None


def test_no_conversion_after_the_merger():
    result = county_values(
        obs([("S", "03157009", 2016, 5, None, None), ("S", "03157001", 2016, 1, None, None)]), INDICATORS, AREAS
    )
    assert len(result.loc[result["converted"]]) == 0
