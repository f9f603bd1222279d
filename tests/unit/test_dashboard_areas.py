"""The areas pages and the report show: Land, Kreise and the reporting Kreis's Gemeinden (issue 17)."""

from __future__ import annotations

import pandas as pd

from controlling.method.overview import dashboard_areas


def test_gemeinden_of_other_kreise_are_left_out_and_former_own_gemeinden_kept():
    areas = pd.DataFrame(
        {
            "code": ["03", "03157", "03157001", "03157003", "03158", "03158001"],
            "level": ["land", "kreis", "gemeinde", "gemeinde", "kreis", "gemeinde"],
            "parent": [None, "03", "03157", "03157", "03", "03158"],
            "comparison": [True, False, False, False, True, True],
            "valid_to": [None, None, None, "2014-12-31", None, None],
        }
    )
    assert list(dashboard_areas(areas)) == ["03", "03157", "03157001", "03157003", "03158"]


def test_without_a_reporting_kreis_only_land_and_kreise_remain():
    areas = pd.DataFrame(
        {"code": ["03", "03158", "03158001"], "level": ["land", "kreis", "gemeinde"], "parent": [None, "03", "03158"]}
    ).assign(comparison=True)
    assert list(dashboard_areas(areas)) == ["03", "03158"]
