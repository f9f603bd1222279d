"""Ampel (Soll-Ist on the target path), Wetter and Trend, DESIGN §4 (method version 2), over whole frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from controlling.numbers import TOLERANCE

METHOD_VERSION = 2
METHOD_NAME = "Methode 2 (Kreisziel anteilig, Halteziele, Wetter nur gegenüber einem Ziel)"
DEFAULT_GREEN = 0.95
DEFAULT_YELLOW = 0.60
DEFAULT_MIN_COUNT = 20
MIN_WINDOW_VALUES = 4
SUN_GAP = 0.05
LIGHT_CLOUD_GAP = 0.20
FLAT_SHARE = 0.01  # a change of at most 1 % of the start value is "gleichbleibend"

OWN_TARGET = "eigenes"
TRANSFERRED_TARGET = "kreisziel_anteilig"

# Stable keys for why a light is what it is, with the light each gives; explain.py words them.
LIGHT_OF_REASON = {
    "neutral": "grau",
    "kein_ziel": "grau",
    "vergleichsgebiet": "grau",
    "nicht_uebertragbar": "grau",
    "kein_basiswert": "grau",
    "kleine_fallzahl": "grau",
    "grenze_eingehalten": "gruen",
    "grenze_verfehlt": "rot",
    "ziel_erreicht": "gruen",
    "keine_entwicklung": "grau",
    "auf_kurs": "gruen",
    "leicht_verfehlt": "gelb",
    "deutlich_verfehlt": "rot",
}
# Grey for a reason of §4.1 steps 1-2: then there is no weather either (§4.2 rule 3).
UNRATED_REASONS = (
    "neutral",
    "kein_ziel",
    "vergleichsgebiet",
    "nicht_uebertragbar",
    "kein_basiswert",
    "kleine_fallzahl",
)
ON_PATH_REASONS = ("auf_kurs", "leicht_verfehlt", "deutlich_verfehlt")

STATUS_COLUMNS = (
    "indicator",
    "area",
    "year",
    "value",
    "target_kind",
    "target_area",
    "declared_target_value",
    "kreis_baseline_value",
    "target_value",
    "target_clipped",
    "target_year",
    "baseline_year",
    "baseline_value",
    "holding_target",
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
    "trend",
    "projection",
    "gap_share",
    "outlook",
    "outlook_reason",
    "sign",
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


def _column(frame: pd.DataFrame, name: str, default: float = np.nan) -> np.ndarray:
    """A numeric input column as floats; absent columns (older callers, empty stores) are `default`."""
    if name not in frame:
        return np.full(len(frame), default)
    return frame[name].to_numpy(dtype=float, na_value=np.nan)


def _target_in_force(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """§4.0: the target value in force, whether it was clipped, and whether it cannot be transferred.

    For `kreisziel_anteilig` the Gemeinde changes by the Landkreis's share: Z = B · Z_K / B_K, clipped
    to [0, 100] for %. Returns (target value, clipped, not transferable, transferred).
    """
    kind = frame["target_kind"].to_numpy(dtype=object)
    transferred = kind == TRANSFERRED_TARGET
    declared = _column(frame, "target_value")
    kreis_base = _column(frame, "kreis_baseline_value")
    b = _column(frame, "baseline_value")
    not_transferable = transferred & (np.isnan(kreis_base) | (np.abs(kreis_base) <= TOLERANCE))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scaled = b * declared / kreis_base
    percent = frame["unit"].to_numpy(dtype=object) == "%"
    bounded = np.where(percent, np.clip(scaled, 0.0, 100.0), scaled)
    clipped = transferred & ~not_transferable & ~np.isnan(scaled) & np.asarray(np.abs(bounded - scaled) > TOLERANCE)
    target = np.where(transferred, np.where(not_transferable, np.nan, bounded), declared)
    return target, clipped, not_transferable, transferred


def compute_status(inputs: pd.DataFrame) -> pd.DataFrame:
    """Ampel, Wetter and Trend for every row of `inputs` (one per indicator × area, see Store.status_inputs).

    `inputs`: indicator, area, area_role (`kreis`, `gemeinde` of the reporting Kreis, `vergleich`),
    year (t), value (x_t), target_kind (`eigenes`, `kreisziel_anteilig` or empty), target_value as
    decided (Z, or Z_K for a transferred target), target_year, baseline_year, baseline_value (B),
    kreis_baseline_value (B_K), count_value and count_baseline (the case numbers in t and t0),
    window_values, window_start, window_start_value, and the indicator's unit, polarity, min_count,
    threshold_green, threshold_yellow. Returns the input columns plus the results (STATUS_COLUMNS).
    """
    frame = inputs.copy()
    if frame.empty:
        return frame.reindex(columns=[*frame.columns, *(c for c in STATUS_COLUMNS if c not in frame)])
    polarity = frame["polarity"].to_numpy(dtype=object)
    sign = np.select([polarity == "hoch", polarity == "niedrig"], [1.0, -1.0], 0.0)
    frame["threshold_green"] = frame["threshold_green"].fillna(DEFAULT_GREEN)
    frame["threshold_yellow"] = frame["threshold_yellow"].fillna(DEFAULT_YELLOW)
    frame["declared_target_value"] = _column(frame, "target_value")

    z, clipped, not_transferable, transferred = _target_in_force(frame)
    x = _column(frame, "value")
    t = _column(frame, "year")
    target_year = _column(frame, "target_year")
    t0 = _column(frame, "baseline_year")
    b = _column(frame, "baseline_value")
    has_target = ~np.isnan(z) | not_transferable
    neutral = sign == 0
    comparison = frame["area_role"].to_numpy(dtype=object) == "vergleich"
    min_count = np.nan_to_num(_column(frame, "min_count", DEFAULT_MIN_COUNT), nan=DEFAULT_MIN_COUNT)
    gemeinde = frame["area_role"].to_numpy(dtype=object) == "gemeinde"
    too_small = gemeinde & (
        np.asarray(_column(frame, "count_value") < min_count) | np.asarray(_column(frame, "count_baseline") < min_count)
    )
    holding = has_target & _le(sign * (z - b), 0.0)
    met = has_target & _ge(sign * (x - z), 0.0)

    # §4.1 Ampel
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        progress = np.minimum(1.0, (t - t0) / (target_year - t0))
        planned = b + (z - b) * progress
        ratio = (x - b) / (planned - b)
    green = frame["threshold_green"].to_numpy(float)
    yellow = frame["threshold_yellow"].to_numpy(float)
    light_conditions = [
        neutral,
        ~has_target & comparison,
        ~has_target,
        not_transferable,
        np.isnan(b),
        too_small,
        holding & met,
        holding,
        met,
        _le(t, t0),
        _ge(ratio, green),
        _ge(ratio, yellow),
    ]
    frame["light_reason"] = _choose(
        light_conditions,
        [
            "neutral",
            "vergleichsgebiet",
            "kein_ziel",
            "nicht_uebertragbar",
            "kein_basiswert",
            "kleine_fallzahl",
            "grenze_eingehalten",
            "grenze_verfehlt",
            "ziel_erreicht",
            "keine_entwicklung",
            "auf_kurs",
            "leicht_verfehlt",
        ],
        "deutlich_verfehlt",
    )
    frame["light"] = frame["light_reason"].map(LIGHT_OF_REASON)
    unrated = frame["light_reason"].isin(UNRATED_REASONS).to_numpy()
    on_path = frame["light_reason"].isin(ON_PATH_REASONS).to_numpy()
    frame["target_value"] = np.where(has_target, z, np.nan)
    frame["target_clipped"] = clipped
    frame["holding_target"] = holding
    frame["planned_value"] = np.where(on_path, planned, np.nan)
    frame["ratio"] = np.where(on_path, ratio, np.nan)
    frame.loc[~has_target, ["target_year", "baseline_year"]] = np.nan

    # §4.2 Trend (every series) and Wetter (only against a target)
    s = _column(frame, "window_start")
    xs = _column(frame, "window_start_value")
    n = np.nan_to_num(_column(frame, "window_values"), nan=0.0)
    enough = n >= MIN_WINDOW_VALUES
    # Values near the float limits may overflow to ±inf here; the rules then still pick the right branch.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mean_change = (x - xs) / (t - s)
        flat = _le(np.abs(x - xs), FLAT_SHARE * np.abs(xs))
        direction = sign * mean_change  # p·D
        horizon = np.maximum(target_year, t) - t
        projection = x + mean_change * horizon
        gap_share = np.where(_le(np.abs(mean_change), 0.0), 1.0, (z - projection) / (z - x))
    frame["trend"] = _choose([~enough, flat, mean_change > 0], ["keine", "gleichbleibend", "steigend"], "fallend")
    future = target_year > t
    rated = ~unrated & enough
    improving = rated & ~holding
    outlook_conditions = [
        unrated,
        ~enough,
        # Halteziel: kept now, then kept by the projection; not kept now
        holding & met & _ge(direction, 0.0),
        holding & met & _ge(sign * (projection - z), 0.0),
        holding & met,
        holding & _gt(direction, 0.0),
        holding,
        # improvement target, target year ahead
        future & met & _ge(direction, 0.0),
        future & met,
        future & (direction < -TOLERANCE),
        future & _le(gap_share, SUN_GAP),
        future & _le(gap_share, LIGHT_CLOUD_GAP),
        future,
        # improvement target, target year reached
        met & _ge(direction, 0.0),
        met,
        _gt(direction, 0.0),
    ]
    outlooks = [
        "keine",
        "keine",
        "sonne",
        "leicht_bewoelkt",
        "bewoelkt",
        "bewoelkt",
        "gewitter",
        "sonne",
        "leicht_bewoelkt",
        "gewitter",
        "sonne",
        "leicht_bewoelkt",
        "bewoelkt",
        "sonne",
        "leicht_bewoelkt",
        "bewoelkt",
    ]
    reasons = [
        "nicht_bewertet",
        "zu_wenige_werte",
        *["halteziel"] * 5,
        "erreicht_trend_gut",
        "erreicht_trend_schlecht",
        "trend_weg_vom_ziel",
        *["projektion"] * 3,
        *["zieljahr_vorbei"] * 3,
    ]
    frame["outlook"] = _choose(outlook_conditions, outlooks, "gewitter")
    frame["outlook_reason"] = _choose(outlook_conditions, reasons, "zieljahr_vorbei")
    frame["mean_change"] = np.where(enough, mean_change, np.nan)
    projected = (rated & holding & met & (direction < -TOLERANCE)) | (
        improving & future & ~met & ~(direction < -TOLERANCE)
    )
    # A share cannot leave 0-100 %: the continued development is shown within those bounds (the weather
    # is unchanged by this, since a target in force lies within them too).
    percent = frame["unit"].to_numpy(dtype=object) == "%"
    shown = np.where(percent, np.clip(projection, 0.0, 100.0), projection)
    frame["projection"] = np.where(projected, shown, np.nan)
    frame["gap_share"] = np.where(projected & ~holding, gap_share, np.nan)
    frame["window_values"] = n.astype(int)
    frame["sign"] = sign
    frame["transferred"] = transferred
    return frame
