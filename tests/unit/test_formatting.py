"""German number formatting."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from controlling.formatting import format_number, format_number_column


@pytest.mark.parametrize(
    ("value", "decimals", "unit", "expected"),
    [
        (1234.5, 1, "", "1.234,5"),
        (1234567.891, 2, "", "1.234.567,89"),
        (12.4, 1, "%", "12,4 %"),
        (1324, 0, "Anzahl", "1.324"),
        (-0.04, 1, "", "0,0"),
        (-1234.5, 1, "", "-1.234,5"),
        (math.nan, 1, "%", "–"),
        (None, 1, "%", "–"),
        (999.95, 1, "", "1.000,0"),
    ],
)
def test_format_number(value, decimals, unit, expected):
    assert format_number(value, decimals, unit) == expected


def test_column_formatting_matches_the_scalar_one():
    values = pd.Series([1234.5, -1234.5, 0.04, math.nan, 999.95, 1234567.891, -0.04, 12.0])
    decimals = pd.Series([1, 1, 2, 1, 1, 2, 1, 0])
    expected = [format_number(v, d) for v, d in zip(values, decimals, strict=True)]
    assert list(format_number_column(values, decimals)) == expected


def test_signed_changes():
    assert list(format_number_column(pd.Series([0.5, -0.5, 0.0]), 1, "Prozentpunkte", signed=True)) == [
        "+0,5 Prozentpunkte",
        "-0,5 Prozentpunkte",
        "0,0 Prozentpunkte",
    ]
