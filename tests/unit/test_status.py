"""Truth table for every branch of DESIGN §4.1 (Ampel) and §4.2 (Prognose)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
import pytest

from controlling.service import status_table
from tests.helpers import add_target, add_values, make_indicators, make_store

AREA = "03157006"


@dataclass(frozen=True)
class Target:
    value: float
    year: int = 2030
    baseline: int = 2020
    area: str = "*"


def run(
    series: dict[int, float],
    *,
    polarity: str = "hoch",
    target: Target | None = None,
    year: int | None = None,
    green: float | None = None,
    yellow: float | None = None,
) -> pd.Series:
    """Status of one indicator × area (Stadt Peine) with the given yearly values."""
    store = make_store(
        make_indicators([{"code": "K", "polarity": polarity, "threshold_green": green, "threshold_yellow": yellow}])
    )
    add_values(store, [("K", AREA, y, v) for y, v in series.items()])
    if target is not None:
        add_target(store, "K", AREA if target.area != "*" else "*", target.value, target.year, target.baseline)
    status = status_table(store, year=year)
    store.close()
    assert len(status) == 1
    return status.iloc[0]


def linear(end: float, change: float, *, last: int = 2024, first: int = 2015) -> dict[int, float]:
    """A straight series ending at `end` in `last` with `change` per year."""
    return {y: end - change * (last - y) for y in range(first, last + 1)}


# -- §4.1 Ampel ------------------------------------------------------------------------------------

LIGHT_CASES = [
    # id, series, polarity, target, keyword arguments, expected light, expected reason
    ("neutral", linear(14, 1), "neutral", Target(20), {}, "grau", "neutral"),
    ("kein Ziel", linear(14, 1), "hoch", None, {}, "grau", "kein_ziel"),
    ("kein Wert im Basisjahr", {2019: 9, 2021: 11, 2024: 14}, "hoch", Target(20), {}, "grau", "kein_basiswert"),
    ("Ziel erreicht (hoch)", linear(21, 1), "hoch", Target(20), {}, "gruen", "ziel_erreicht"),
    ("Ziel genau erreicht", linear(20, 1), "hoch", Target(20), {}, "gruen", "ziel_erreicht"),
    ("Ziel erreicht (niedrig)", linear(9, -1), "niedrig", Target(10), {}, "gruen", "ziel_erreicht"),
    ("Basisjahr = neuestes Jahr", linear(14, 1, last=2020), "hoch", Target(20), {}, "grau", "keine_entwicklung"),
    ("Stand vor dem Basisjahr", linear(14, 1), "hoch", Target(20), {"year": 2019}, "grau", "keine_entwicklung"),
    # B = 10 (2020), Z = 20 (2030): S(2024) = 14.
    ("auf Kurs r = 1", {**linear(10, 0, last=2020), 2024: 14}, "hoch", Target(20), {}, "gruen", "auf_kurs"),
    ("r genau 0,95", {**linear(10, 0, last=2020), 2024: 13.8}, "hoch", Target(20), {}, "gruen", "auf_kurs"),
    (
        "r knapp unter 0,95",
        {**linear(10, 0, last=2020), 2024: 13.79},
        "hoch",
        Target(20),
        {},
        "gelb",
        "leicht_verfehlt",
    ),
    ("r genau 0,60", {**linear(10, 0, last=2020), 2024: 12.4}, "hoch", Target(20), {}, "gelb", "leicht_verfehlt"),
    (
        "r knapp unter 0,60",
        {**linear(10, 0, last=2020), 2024: 12.39},
        "hoch",
        Target(20),
        {},
        "rot",
        "deutlich_verfehlt",
    ),
    ("vom Ziel weg (r < 0)", {**linear(10, 0, last=2020), 2024: 9}, "hoch", Target(20), {}, "rot", "deutlich_verfehlt"),
    ("niedrig auf Kurs", {**linear(20, 0, last=2020), 2024: 16}, "niedrig", Target(10), {}, "gruen", "auf_kurs"),
    (
        "niedrig vom Ziel weg",
        {**linear(20, 0, last=2020), 2024: 21},
        "niedrig",
        Target(10),
        {},
        "rot",
        "deutlich_verfehlt",
    ),
    (
        "Zieljahr vorbei: Sollwert = Ziel",
        {**linear(10, 0, last=2020), 2024: 17},
        "hoch",
        Target(20, year=2022),
        {},
        "gelb",
        "leicht_verfehlt",
    ),
    (
        "eigene Schwellen: 0,92 ist grün ab 0,90",
        {**linear(10, 0, last=2020), 2024: 13.68},
        "hoch",
        Target(20),
        {"green": 0.9, "yellow": 0.5},
        "gruen",
        "auf_kurs",
    ),
    (
        "eigene Schwellen: 0,55 ist gelb ab 0,50",
        {**linear(10, 0, last=2020), 2024: 12.2},
        "hoch",
        Target(20),
        {"green": 0.9, "yellow": 0.5},
        "gelb",
        "leicht_verfehlt",
    ),
    (
        "Ziel = Basiswert, nicht erreicht",
        {**linear(10, 0, last=2020), 2024: 9},
        "hoch",
        Target(10),
        {},
        "rot",
        "deutlich_verfehlt",
    ),
]


@pytest.mark.parametrize(
    ("series", "polarity", "target", "thresholds", "light", "reason"),
    [case[1:] for case in LIGHT_CASES],
    ids=[case[0] for case in LIGHT_CASES],
)
def test_light(series, polarity, target, thresholds, light, reason):
    row = run(series, polarity=polarity, target=target, **thresholds)
    assert (row["light"], row["light_reason"]) == (light, reason)


def test_planned_value_and_ratio_are_reported():
    row = run({**linear(10, 0, last=2020), 2024: 13}, target=Target(20))
    assert row["planned_value"] == pytest.approx(14.0)
    assert row["ratio"] == pytest.approx(0.75)
    assert row["baseline_value"] == 10


def test_latest_value_is_taken_at_the_year_asked_for():
    row = run({**linear(10, 0, last=2020), 2022: 12, 2024: 30}, target=Target(20), year=2023)
    assert row["year"] == 2022
    assert row["planned_value"] == pytest.approx(12.0)
    assert row["light"] == "gruen"


def test_missing_latest_value_falls_back_to_the_previous_year():
    row = run({**linear(10, 0, last=2020), 2023: 13.2, 2024: math.nan}, target=Target(20))
    assert row["year"] == 2023


def test_own_target_overrides_star_target():
    store = make_store(make_indicators([{"code": "K"}]))
    add_values(
        store,
        [("K", area, year, value) for area in ("03157001", "03157002") for year, value in ((2020, 10.0), (2024, 14.0))],
    )
    add_target(store, "K", "*", 20.0)
    add_target(store, "K", "03157002", 30.0)
    status = status_table(store).set_index("area")
    assert status.loc["03157001", "target_value"] == 20 and status.loc["03157001", "target_area"] == "*"
    assert status.loc["03157002", "target_value"] == 30 and status.loc["03157002", "target_area"] == "03157002"
    assert status.loc["03157001", "light"] == "gruen"
    assert status.loc["03157002", "light"] == "rot"  # S = 18, r = 0.5


def test_target_in_force_is_used():
    store = make_store(make_indicators([{"code": "K"}]))
    add_values(store, [("K", AREA, 2020, 10.0), ("K", AREA, 2024, 14.0)])
    add_target(store, "K", "*", 20.0, valid_from=dt.date(2021, 1, 1))
    add_target(store, "K", "*", 30.0, valid_from=dt.date(2023, 1, 1))
    assert status_table(store, day=dt.date(2022, 6, 1)).iloc[0]["target_value"] == 20
    assert status_table(store, day=dt.date(2024, 6, 1)).iloc[0]["target_value"] == 30


# -- §4.2 Prognose ---------------------------------------------------------------------------------
# Target Z = 20 in 2030, latest value 15 in 2024; the window starts 2019, so D = (15 − x_2019) / 5
# and P = 15 + 6·D, g = (20 − P) / 5.


def towards(gap_share: float) -> dict[int, float]:
    """Series ending at 15 in 2024 whose projection leaves `gap_share` of the gap to 20 open."""
    projection = 20 - gap_share * 5
    return linear(15, (projection - 15) / 6)


OUTLOOK_CASES = [
    ("neutral", linear(15, 1), "neutral", Target(20), "keine", "neutral"),
    (
        "nur 3 Werte im Fenster",
        {2015: 1, 2016: 2, 2020: 3, 2022: 4, 2024: 5},
        "hoch",
        Target(20),
        "keine",
        "zu_wenige_werte",
    ),
    ("Lücken, aber 4 Werte", {2019: 10, 2021: 12, 2023: 14, 2024: 15.5}, "hoch", Target(20), "sonne", "projektion"),
    ("erreicht, Trend gut", linear(21, 1), "hoch", Target(20), "sonne", "erreicht_trend_gut"),
    ("erreicht, Trend schlecht", linear(21, -0.1), "hoch", Target(20), "leicht_bewoelkt", "erreicht_trend_schlecht"),
    ("erreicht, Trend null", linear(21, 0), "hoch", Target(20), "sonne", "erreicht_trend_gut"),
    ("Trend weg vom Ziel", linear(15, -0.5), "hoch", Target(20), "gewitter", "trend_weg_vom_ziel"),
    ("Trend null, Ziel offen", linear(15, 0), "hoch", Target(20), "gewitter", "trend_weg_vom_ziel"),
    ("g < 0: über das Ziel hinaus", towards(-0.3), "hoch", Target(20), "sonne", "projektion"),
    ("g genau 0,05", towards(0.05), "hoch", Target(20), "sonne", "projektion"),
    ("g knapp über 0,05", towards(0.0501), "hoch", Target(20), "leicht_bewoelkt", "projektion"),
    ("g genau 0,20", towards(0.20), "hoch", Target(20), "leicht_bewoelkt", "projektion"),
    ("g knapp über 0,20", towards(0.2001), "hoch", Target(20), "bewoelkt", "projektion"),
    ("g groß", towards(0.8), "hoch", Target(20), "bewoelkt", "projektion"),
    ("niedrig: Projektion erreicht Ziel", linear(15, -1), "niedrig", Target(10), "sonne", "projektion"),
    ("niedrig: Trend weg", linear(15, 0.5), "niedrig", Target(10), "gewitter", "trend_weg_vom_ziel"),
    (
        "Zieljahr vorbei, erreicht, Trend gut",
        linear(21, 1),
        "hoch",
        Target(20, year=2022, baseline=2018),
        "sonne",
        "zieljahr_vorbei",
    ),
    (
        "Zieljahr vorbei, erreicht, Trend schlecht",
        linear(21, -0.2),
        "hoch",
        Target(20, year=2022, baseline=2018),
        "leicht_bewoelkt",
        "zieljahr_vorbei",
    ),
    (
        "Zieljahr vorbei, verfehlt, Trend gut",
        linear(15, 1),
        "hoch",
        Target(20, year=2022, baseline=2018),
        "bewoelkt",
        "zieljahr_vorbei",
    ),
    (
        "Zieljahr vorbei, verfehlt, Trend null",
        linear(15, 0),
        "hoch",
        Target(20, year=2022, baseline=2018),
        "gewitter",
        "zieljahr_vorbei",
    ),
    (
        "Zieljahr = neuestes Jahr",
        linear(15, 1),
        "hoch",
        Target(20, year=2024, baseline=2018),
        "bewoelkt",
        "zieljahr_vorbei",
    ),
    ("ohne Ziel: Trend und letzte Änderung gut", linear(15, 1), "hoch", None, "sonne", "ohne_ziel"),
    (
        "ohne Ziel: Trend gut, letzte Änderung schlecht",
        {**linear(15, 1, last=2023), 2024: 14.5},
        "hoch",
        None,
        "leicht_bewoelkt",
        "ohne_ziel",
    ),
    (
        "ohne Ziel: Trend gut, letzte Änderung null",
        {**linear(15, 1, last=2023), 2024: 15},
        "hoch",
        None,
        "leicht_bewoelkt",
        "ohne_ziel",
    ),
    (
        "ohne Ziel: Trend schlecht, letzte Änderung gut",
        {**linear(15, -1, last=2023), 2024: 15.5},
        "hoch",
        None,
        "bewoelkt",
        "ohne_ziel",
    ),
    ("ohne Ziel: beides schlecht", linear(15, -1), "hoch", None, "gewitter", "ohne_ziel"),
    ("ohne Ziel, niedrig: beides gut", linear(15, -1), "niedrig", None, "sonne", "ohne_ziel"),
]


@pytest.mark.parametrize(
    ("series", "polarity", "target", "outlook", "reason"),
    [case[1:] for case in OUTLOOK_CASES],
    ids=[case[0] for case in OUTLOOK_CASES],
)
def test_outlook(series, polarity, target, outlook, reason):
    row = run(series, polarity=polarity, target=target)
    assert (row["outlook"], row["outlook_reason"]) == (outlook, reason)


def test_window_ignores_values_older_than_five_years():
    row = run(linear(15, 1, first=2005), target=Target(30))
    assert row["window_start"] == 2019
    assert row["window_values"] == 6
    assert row["mean_change"] == pytest.approx(1.0)


def test_window_with_gaps_uses_earliest_value_inside():
    row = run({2017: 0, 2020: 10, 2022: 12, 2023: 13, 2024: 15}, target=Target(30))
    assert row["window_start"] == 2020
    assert row["mean_change"] == pytest.approx(5 / 4)
    assert row["previous_year"] == 2023


# -- §4.3 explanations -----------------------------------------------------------------------------


def test_explanation_matches_the_design_example():
    # x_t = 6,6 (2024), D = 0,9667 per year -> P(2030) = 12,4; g = 2,6 / 8,4 = 31 %.
    row = run(linear(6.6, 5.8 / 6), target=Target(15, baseline=2019))
    assert row["outlook"] == "bewoelkt"
    assert (
        "Bei Fortsetzung des Trends der letzten 5 Jahre würde 2030 ein Wert von 12,4 % erreicht; "
        "das Ziel von 15,0 % würde um 31 % des heutigen Abstands verfehlt." in row["explanation"]
    )


@pytest.mark.parametrize(
    ("series", "target", "polarity", "phrase"),
    [
        (linear(14, 1), None, "hoch", "kein Ziel beschlossen"),
        ({2019: 9, 2021: 11, 2024: 14}, Target(20), "hoch", "Für das Basisjahr 2020 liegt kein Wert vor"),
        ({2022: 1, 2023: 2, 2024: 3}, Target(20), "hoch", "liegen nur 3 Werte vor, nötig sind mindestens 4"),
        (
            {**linear(10, 0, last=2020), 2024: 13},
            Target(20),
            "hoch",
            "Gelb: 2024 liegt der Wert bei 13,0 %. Auf dem Zielpfad von 10,0 % (2020) zu 20,0 % (2030) wären "
            "14,0 % zu erwarten; erreicht ist 75 % der geplanten Entwicklung",
        ),
        (linear(21, 1), Target(20), "hoch", "Grün, Ziel erreicht: 2024 liegt der Wert bei 21,0 % und damit über"),
        (linear(14, 1), Target(20), "neutral", "weder ein höherer noch ein niedrigerer Wert besser"),
        (linear(1234.5, 1), None, "hoch", "(+1,00 Prozentpunkte pro Jahr)"),
    ],
)
def test_explanation_phrases(series, target, polarity, phrase):
    row = run(series, target=target, polarity=polarity)
    assert phrase in row["explanation"]


def test_explanation_formats_large_numbers_the_german_way():
    row = run(linear(12345.6, 100), target=Target(20000))
    assert "12.345,6 %" in row["explanation"]


def test_no_rows_for_pairs_without_any_value():
    store = make_store(make_indicators([{"code": "K"}]))
    add_values(store, [("K", AREA, 2024, math.nan)])
    assert status_table(store).empty
