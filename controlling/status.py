"""Ampel (Soll-Ist on the target path) and Prognose (trend projection), DESIGN §4, over whole frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

TOLERANCE = 1e-9
DEFAULT_GREEN = 0.95
DEFAULT_YELLOW = 0.60
WINDOW_YEARS = 5
MIN_WINDOW_VALUES = 4
SUN_GAP = 0.05
LIGHT_CLOUD_GAP = 0.20

LIGHTS = ("gruen", "gelb", "rot", "grau")
OUTLOOKS = ("sonne", "leicht_bewoelkt", "bewoelkt", "gewitter", "keine")
LIGHT_LABELS = {"gruen": "Grün", "gelb": "Gelb", "rot": "Rot", "grau": "Grau"}
OUTLOOK_LABELS = {
    "sonne": "Sonne",
    "leicht_bewoelkt": "Leicht bewölkt",
    "bewoelkt": "Bewölkt",
    "gewitter": "Gewitter",
    "keine": "Keine Prognose",
}

# Stable keys for why a light or outlook is what it is; explain.py turns them into sentences.
LIGHT_REASONS = (
    "neutral",
    "kein_ziel",
    "kein_basiswert",
    "ziel_erreicht",
    "keine_entwicklung",
    "auf_kurs",
    "leicht_verfehlt",
    "deutlich_verfehlt",
)
OUTLOOK_REASONS = (
    "neutral",
    "zu_wenige_werte",
    "erreicht_trend_gut",
    "erreicht_trend_schlecht",
    "trend_weg_vom_ziel",
    "projektion",
    "zieljahr_vorbei",
    "ohne_ziel",
)

STATUS_COLUMNS = (
    "indicator",
    "area",
    "year",
    "value",
    "target_area",
    "target_value",
    "target_year",
    "baseline_year",
    "baseline_value",
    "planned_value",
    "ratio",
    "threshold_green",
    "threshold_yellow",
    "light",
    "light_reason",
    "window_start",
    "window_start_value",
    "window_values",
    "mean_change",
    "previous_year",
    "previous_value",
    "last_change",
    "projection",
    "gap_share",
    "outlook",
    "outlook_reason",
)


def _ge(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray | float) -> np.ndarray:
    return np.asarray(a >= b - TOLERANCE)


def _le(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray | float) -> np.ndarray:
    return np.asarray(a <= b + TOLERANCE)


def _gt(a: pd.Series | np.ndarray, b: pd.Series | np.ndarray | float) -> np.ndarray:
    return np.asarray(a > b + TOLERANCE)


def _choose(conditions: list[np.ndarray], choices: list[str], default: str) -> pd.Categorical[str]:
    """np.select over integer codes, returned as categories (string arrays of 440,000 rows are slow)."""
    codes: np.ndarray = np.select(conditions, list(range(len(choices))), default=len(choices))
    categories = pd.Index(list(dict.fromkeys([*choices, default])))
    positions = np.array([categories.get_loc(label) for label in [*choices, default]], dtype=np.int64)
    chosen: pd.Categorical[str] = pd.Categorical.from_codes(positions[codes], categories=categories)
    return chosen


def compute_status(inputs: pd.DataFrame) -> pd.DataFrame:
    """Ampel and Prognose for every row of `inputs` (one per indicator × area, see Store.status_inputs).

    `inputs`: indicator, area, year (t), value (x_t), target_area, target_value, target_year,
    baseline_year, baseline_value, window_values, window_start, window_start_value, previous_year,
    previous_value, and the indicator's polarity, threshold_green, threshold_yellow.
    Returns the input columns plus the results (STATUS_COLUMNS).
    """
    frame = inputs.copy()
    if frame.empty:
        return frame.reindex(columns=[*frame.columns, *(c for c in STATUS_COLUMNS if c not in frame), "sign"])
    polarity = frame["polarity"].to_numpy(dtype=object)
    sign = np.select([polarity == "hoch", polarity == "niedrig"], [1.0, -1.0], 0.0)
    frame["threshold_green"] = frame["threshold_green"].fillna(DEFAULT_GREEN)
    frame["threshold_yellow"] = frame["threshold_yellow"].fillna(DEFAULT_YELLOW)

    x = frame["value"].to_numpy(float)
    t = frame["year"].to_numpy(float)
    z = frame["target_value"].to_numpy(float)
    target_year = frame["target_year"].to_numpy(float)
    t0 = frame["baseline_year"].to_numpy(float)
    b = frame["baseline_value"].to_numpy(float)
    has_target = ~np.isnan(z)
    neutral = sign == 0
    met = has_target & _ge(sign * (x - z), 0.0)

    # §4.1 Ampel
    with np.errstate(divide="ignore", invalid="ignore"):
        progress = np.minimum(1.0, (t - t0) / (target_year - t0))
        planned = b + (z - b) * progress
        ratio = (x - b) / (planned - b)
    # Planned equals baseline only when the target equals the baseline and is not met: moving away.
    ratio = np.where(np.isclose(planned, b, rtol=0, atol=TOLERANCE), -np.inf, ratio)
    green = frame["threshold_green"].to_numpy(float)
    yellow = frame["threshold_yellow"].to_numpy(float)
    light_conditions = [
        neutral,
        ~has_target,
        np.isnan(b),
        met,
        _le(t, t0),
        _ge(ratio, green),
        _ge(ratio, yellow),
    ]
    frame["light_reason"] = _choose(
        light_conditions,
        ["neutral", "kein_ziel", "kein_basiswert", "ziel_erreicht", "keine_entwicklung", "auf_kurs", "leicht_verfehlt"],
        "deutlich_verfehlt",
    )
    frame["light"] = frame["light_reason"].map(
        {
            "neutral": "grau",
            "kein_ziel": "grau",
            "kein_basiswert": "grau",
            "ziel_erreicht": "gruen",
            "keine_entwicklung": "grau",
            "auf_kurs": "gruen",
            "leicht_verfehlt": "gelb",
            "deutlich_verfehlt": "rot",
        }
    )
    on_path = frame["light_reason"].isin(["auf_kurs", "leicht_verfehlt", "deutlich_verfehlt"]).to_numpy()
    frame["planned_value"] = np.where(on_path, planned, np.nan)
    frame["ratio"] = np.where(on_path, ratio, np.nan)

    # §4.2 Prognose
    s = frame["window_start"].to_numpy(float)
    xs = frame["window_start_value"].to_numpy(float)
    n = frame["window_values"].fillna(0).to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_change = (x - xs) / (t - s)
        projection = x + mean_change * (target_year - t)
        gap_share = (z - projection) / (z - x)
    last_change = x - frame["previous_value"].to_numpy(float)
    trend = sign * mean_change
    recent = sign * last_change
    enough = n >= MIN_WINDOW_VALUES
    future = has_target & (target_year > t)
    past = has_target & ~future
    outlook_conditions = [
        neutral,
        ~enough,
        future & met & _ge(trend, 0.0),
        future & met,
        future & _le(trend, 0.0),
        future & _le(gap_share, SUN_GAP),
        future & _le(gap_share, LIGHT_CLOUD_GAP),
        future,
        past & met & _ge(trend, 0.0),
        past & met,
        past & _gt(trend, 0.0),
        past,
        _gt(trend, 0.0) & _gt(recent, 0.0),
        _gt(trend, 0.0),
        _gt(recent, 0.0),
    ]
    outlooks = [
        "keine",
        "keine",
        "sonne",
        "leicht_bewoelkt",
        "gewitter",
        "sonne",
        "leicht_bewoelkt",
        "bewoelkt",
        "sonne",
        "leicht_bewoelkt",
        "bewoelkt",
        "gewitter",
        "sonne",
        "leicht_bewoelkt",
        "bewoelkt",
    ]
    reasons = [
        "neutral",
        "zu_wenige_werte",
        "erreicht_trend_gut",
        "erreicht_trend_schlecht",
        "trend_weg_vom_ziel",
        "projektion",
        "projektion",
        "projektion",
        "zieljahr_vorbei",
        "zieljahr_vorbei",
        "zieljahr_vorbei",
        "zieljahr_vorbei",
        "ohne_ziel",
        "ohne_ziel",
        "ohne_ziel",
    ]
    frame["outlook"] = _choose(outlook_conditions, outlooks, "gewitter")
    frame["outlook_reason"] = _choose(outlook_conditions, reasons, "ohne_ziel")
    has_trend = enough & ~neutral
    frame["mean_change"] = np.where(has_trend, mean_change, np.nan)
    frame["last_change"] = np.where(has_trend, last_change, np.nan)
    projected = has_trend & future & ~met & _gt(trend, 0.0)
    frame["projection"] = np.where(projected, projection, np.nan)
    frame["gap_share"] = np.where(projected, gap_share, np.nan)
    frame["window_values"] = n.astype(int)
    frame["sign"] = sign
    return frame
