"""Ampel (Soll-Ist on the target path), Wetter and Trend, DESIGN §4 (method version 3), over whole frames.

The rules are tables of (reason, condition, outcome) rows in the order of §4.1 and §4.2: the first row
whose condition holds decides. Each table can be read against the specification line by line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from controlling.numbers import TOLERANCE

METHOD_VERSION = 3
METHOD_NAME = "Methode 3 (Ziel ab dem Basisjahr, beschlossene Halteziele, Zufallsschwankung, Brüche in der Reihe)"
DEFAULT_GREEN = 0.95
DEFAULT_YELLOW = 0.60
DEFAULT_MIN_COUNT = 20
MIN_WINDOW_VALUES = 4
SUN_GAP = 0.05
LIGHT_CLOUD_GAP = 0.20
FLAT_SHARE = 0.01  # a change of at most 1 % of the start value is "gleichbleibend"
WILSON_Z = 1.959963984540054  # the 97.5 % quantile of the standard normal: a 95 % interval

OWN_TARGET = "eigenes"
TRANSFERRED_TARGET = "kreisziel_anteilig"
IMPROVE = "verbessern"
HOLD = "halten"
UPPER_BOUNDS = {"%": 100.0, "‰": 1000.0}  # a share cannot exceed its whole (§4.0 step 4)

STATUS_COLUMNS = (
    "indicator",
    "area",
    "year",
    "value",
    "target_kind",
    "target_type",
    "target_area",
    "declared_target_value",
    "kreis_baseline_value",
    "target_value",
    "target_year",
    "baseline_year",
    "baseline_value",
    "holding_target",
    "planned_value",
    "ratio",
    "interval_low",
    "interval_high",
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
    "break_since_baseline",
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


class Rule(NamedTuple):
    """One line of a rule table: where `when` holds (and no earlier line did), the row gets `outcome`."""

    reason: str
    when: Callable[[Facts], np.ndarray]
    outcome: str


@dataclass(frozen=True)
class Facts:
    """The numbers of §4 for every row, as arrays; the rule tables read them."""

    sign: np.ndarray  # p
    x: np.ndarray  # x_t
    t: np.ndarray
    t0: np.ndarray
    b: np.ndarray  # B = x_t0
    z: np.ndarray  # the target value in force (transferred for a Gemeinde)
    target_year: np.ndarray  # T
    has_target: np.ndarray
    comparison: np.ndarray
    not_transferable: np.ndarray
    before_baseline: np.ndarray
    too_small: np.ndarray
    holding: np.ndarray  # a decided Halteziel
    not_better: np.ndarray  # an improvement target that asks for nothing better than its baseline
    met: np.ndarray
    ratio: np.ndarray
    green: np.ndarray
    yellow: np.ndarray
    chance: np.ndarray  # a shortfall the 95 % interval cannot tell from chance (§4.1 step 8)
    enough: np.ndarray  # enough values in the window for a trend (§4.2 step 1)
    unrated: np.ndarray  # grey for a reason of §4.0 or §4.1 steps 1-2: no weather (§4.2 step 3)
    future: np.ndarray  # T > t
    direction: np.ndarray  # p·D
    projection_keeps: np.ndarray  # the projection P still keeps the limit
    gap_share: np.ndarray  # g


# §4.1 Ampel, in the order of the specification. The first six and `vor_basisjahr`, `ziel_nicht_guenstiger`
# are grey "not rated" reasons (no weather either).
LIGHT_RULES: tuple[Rule, ...] = (
    Rule("neutral", lambda f: f.sign == 0, "grau"),  # step 1: p = 0
    Rule("vergleichsgebiet", lambda f: ~f.has_target & f.comparison, "grau"),  # §4.0 step 1
    Rule("kein_ziel", lambda f: ~f.has_target, "grau"),
    Rule("vor_basisjahr", lambda f: f.before_baseline, "grau"),  # §4.0 step 2 (v3)
    Rule("nicht_uebertragbar", lambda f: f.not_transferable, "grau"),  # §4.0 step 4
    Rule("kein_basiswert", lambda f: np.isnan(f.b), "grau"),  # step 1: no value in t0
    Rule("kleine_fallzahl", lambda f: f.too_small, "grau"),  # step 2
    Rule("ziel_nicht_guenstiger", lambda f: f.not_better, "grau"),  # §4.0 step 3 (v3)
    Rule("grenze_eingehalten", lambda f: f.holding & f.met, "gruen"),  # step 3
    Rule("grenze_verfehlt", lambda f: f.holding, "rot"),
    Rule("ziel_erreicht", lambda f: f.met, "gruen"),  # step 4
    Rule("keine_entwicklung", lambda f: _le(f.t, f.t0), "grau"),  # step 5
    Rule("auf_kurs", lambda f: _ge(f.ratio, f.green), "gruen"),  # steps 6-7
    Rule("leicht_verfehlt", lambda f: _ge(f.ratio, f.yellow), "gelb"),
    Rule("im_zufallsbereich", lambda f: f.chance, "gelb"),  # step 8 (v3): never green
    Rule("deutlich_verfehlt", lambda f: np.ones(len(f.x), dtype=bool), "rot"),
)
UNRATED_REASONS = tuple(rule.reason for rule in LIGHT_RULES[:8])
ON_PATH_REASONS = ("auf_kurs", "leicht_verfehlt", "im_zufallsbereich", "deutlich_verfehlt")
LIGHT_OF_REASON = {rule.reason: rule.outcome for rule in LIGHT_RULES}

# §4.2 Prognose, in the order of the specification: (reason, condition, weather).
OUTLOOK_RULES: tuple[Rule, ...] = (
    Rule("nicht_bewertet", lambda f: f.unrated, "keine"),  # step 3
    Rule("zu_wenige_werte", lambda f: ~f.enough, "keine"),  # step 1
    # step 4: Halteziel, kept now, then kept by the projection; not kept now
    Rule("halteziel", lambda f: f.holding & f.met & _ge(f.direction, 0.0), "sonne"),
    Rule("halteziel", lambda f: f.holding & f.met & f.projection_keeps, "leicht_bewoelkt"),
    Rule("halteziel", lambda f: f.holding & f.met, "bewoelkt"),
    Rule("halteziel", lambda f: f.holding & _gt(f.direction, 0.0), "bewoelkt"),
    Rule("halteziel", lambda f: f.holding, "gewitter"),
    # step 5: improvement target, target year ahead
    Rule("erreicht_trend_gut", lambda f: f.future & f.met & _ge(f.direction, 0.0), "sonne"),
    Rule("erreicht_trend_schlecht", lambda f: f.future & f.met, "leicht_bewoelkt"),
    Rule("trend_weg_vom_ziel", lambda f: f.future & (f.direction < -TOLERANCE), "gewitter"),
    Rule("projektion", lambda f: f.future & _le(f.gap_share, SUN_GAP), "sonne"),
    Rule("projektion", lambda f: f.future & _le(f.gap_share, LIGHT_CLOUD_GAP), "leicht_bewoelkt"),
    Rule("projektion", lambda f: f.future, "bewoelkt"),
    # step 6: improvement target, target year reached
    Rule("zieljahr_vorbei", lambda f: f.met & _ge(f.direction, 0.0), "sonne"),
    Rule("zieljahr_vorbei", lambda f: f.met, "leicht_bewoelkt"),
    Rule("zieljahr_vorbei", lambda f: _gt(f.direction, 0.0), "bewoelkt"),
    Rule("zieljahr_vorbei", lambda f: np.ones(len(f.x), dtype=bool), "gewitter"),
)


def apply_rules(rules: tuple[Rule, ...], facts: Facts) -> tuple[pd.Categorical[str], pd.Categorical[str]]:
    """The reason and the outcome of the first rule that holds, for every row."""
    conditions = [np.asarray(rule.when(facts), dtype=bool) for rule in rules]
    reasons = _choose(conditions, [rule.reason for rule in rules], rules[-1].reason)
    outcomes = _choose(conditions, [rule.outcome for rule in rules], rules[-1].outcome)
    return reasons, outcomes


def transfer_target(
    declared: np.ndarray, baseline: np.ndarray, kreis_baseline: np.ndarray, sign: np.ndarray, unit: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """§4.0 step 4: the Gemeinde's target as the same share of the way to the ideal as the Landkreis's.

    For a % or ‰ indicator with p = +1 the ideal is its whole M: Z = M − (M − B)·(M − Z_K)/(M − B_K);
    otherwise Z = B·Z_K/B_K. Returns (target, not transferable): B_K missing, 0 (ratio form) or M (bounded).
    """
    whole = pd.Series(unit).map(UPPER_BOUNDS).to_numpy(dtype=float)
    bounded = ~np.isnan(whole) & (sign > 0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        towards_whole = whole - (whole - baseline) * (whole - declared) / (whole - kreis_baseline)
        by_ratio = baseline * declared / kreis_baseline
    not_transferable = np.isnan(kreis_baseline) | np.where(
        bounded, np.abs(whole - kreis_baseline) <= TOLERANCE, np.abs(kreis_baseline) <= TOLERANCE
    )
    target = np.where(not_transferable, np.nan, np.where(bounded, towards_whole, by_ratio))
    return target, not_transferable


def wilson_interval(
    numerator: np.ndarray, denominator: np.ndarray, factor: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The 95 % Wilson score interval of numerator/denominator, scaled by the factor (NaN where not stored)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.where(denominator > 0, denominator, np.nan)
        share = numerator / n
        z2 = WILSON_Z**2
        centre = (share + z2 / (2 * n)) / (1 + z2 / n)
        half = WILSON_Z * np.sqrt(share * (1 - share) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return (centre - half) * factor, (centre + half) * factor


def compute_status(inputs: pd.DataFrame) -> pd.DataFrame:
    """Ampel, Wetter and Trend for every row of `inputs` (one per indicator × area, see Store.status_inputs).

    `inputs`: indicator, area, area_role (`kreis`, `gemeinde` of the reporting Kreis, `vergleich`),
    year (t), value (x_t), target_kind (`eigenes`, `kreisziel_anteilig` or empty), target_type (`verbessern`,
    `halten`), before_baseline (every decided target has a baseline after t), target_value as decided (Z, or
    Z_K for a transferred target), target_year, baseline_year, baseline_value (B), kreis_baseline_value (B_K),
    count_value and count_baseline (the case numbers in t and t0), numerator and denominator in t (for the
    interval), window_values, window_start, window_start_value, last_break, and the indicator's unit,
    factor, polarity, min_count, threshold_green, threshold_yellow. Returns the inputs plus STATUS_COLUMNS.
    """
    frame = inputs.copy()
    if frame.empty:
        return frame.reindex(columns=[*frame.columns, *(c for c in STATUS_COLUMNS if c not in frame)])
    polarity = frame["polarity"].to_numpy(dtype=object)
    sign = np.select([polarity == "hoch", polarity == "niedrig"], [1.0, -1.0], 0.0)
    frame["threshold_green"] = frame["threshold_green"].fillna(DEFAULT_GREEN)
    frame["threshold_yellow"] = frame["threshold_yellow"].fillna(DEFAULT_YELLOW)
    frame["declared_target_value"] = _column(frame, "target_value")
    unit = frame["unit"].to_numpy(dtype=object)
    kind = frame["target_kind"].to_numpy(dtype=object)
    transferred = kind == TRANSFERRED_TARGET
    declared = _column(frame, "target_value")
    b = _column(frame, "baseline_value")
    transferred_value, cannot_transfer = transfer_target(
        declared, b, _column(frame, "kreis_baseline_value"), sign, unit
    )
    not_transferable = transferred & cannot_transfer
    z = np.where(transferred, transferred_value, declared)
    x = _column(frame, "value")
    t = _column(frame, "year")
    target_year = _column(frame, "target_year")
    t0 = _column(frame, "baseline_year")
    has_target = pd.Series(kind).isin([OWN_TARGET, TRANSFERRED_TARGET]).to_numpy()
    target_type = frame["target_type"] if "target_type" in frame else pd.Series(IMPROVE, index=frame.index)
    holding = has_target & (target_type.fillna(IMPROVE).to_numpy(dtype=object) == HOLD)
    before_baseline = has_target & (
        frame["before_baseline"].fillna(False).to_numpy(dtype=bool) if "before_baseline" in frame else _gt(t0, t)
    )
    min_count = np.nan_to_num(_column(frame, "min_count", DEFAULT_MIN_COUNT), nan=DEFAULT_MIN_COUNT)
    role = frame["area_role"].to_numpy(dtype=object)
    too_small = (role == "gemeinde") & (
        np.asarray(_column(frame, "count_value") < min_count) | np.asarray(_column(frame, "count_baseline") < min_count)
    )
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        progress = np.minimum(1.0, (t - t0) / (target_year - t0))
        planned = b + (z - b) * progress
        ratio = (x - b) / (planned - b)
    low, high = wilson_interval(
        _column(frame, "numerator"), _column(frame, "denominator"), _column(frame, "factor", 100.0)
    )
    half_width = (high - low) / 2
    # §4.1 step 8: S inside the interval, and the value did not move away from the target by more than it.
    chance = _ge(planned, low) & _le(planned, high) & ~(sign * (x - b) < -half_width - TOLERANCE)

    # §4.2: trend window (breaks are applied by the store: window_values counts the years since the last break)
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
    facts = Facts(
        sign=sign,
        x=x,
        t=t,
        t0=t0,
        b=b,
        z=z,
        target_year=target_year,
        has_target=has_target,
        comparison=role == "vergleich",
        not_transferable=not_transferable,
        before_baseline=before_baseline,
        too_small=too_small,
        holding=holding,
        not_better=has_target & ~holding & _le(sign * (z - b), 0.0),
        met=has_target & _ge(sign * (x - z), 0.0),
        ratio=ratio,
        green=frame["threshold_green"].to_numpy(float),
        yellow=frame["threshold_yellow"].to_numpy(float),
        chance=chance,
        enough=enough,
        unrated=np.zeros(len(frame), dtype=bool),
        future=target_year > t,
        direction=direction,
        projection_keeps=_ge(sign * (projection - z), 0.0),
        gap_share=gap_share,
    )
    frame["light_reason"], lights = apply_rules(LIGHT_RULES, facts)
    frame["light"] = np.asarray(lights, dtype=object)  # plain words: pages and exports fill and map them freely
    unrated = frame["light_reason"].isin(UNRATED_REASONS).to_numpy()
    on_path = frame["light_reason"].isin(ON_PATH_REASONS).to_numpy()
    facts = Facts(**{**facts.__dict__, "unrated": unrated})
    frame["outlook_reason"], frame["outlook"] = apply_rules(OUTLOOK_RULES, facts)
    frame["target_type"] = np.where(has_target, np.where(holding, HOLD, IMPROVE), "")
    frame["target_value"] = np.where(has_target, z, np.nan)
    frame["holding_target"] = holding
    frame["planned_value"] = np.where(on_path, planned, np.nan)
    frame["ratio"] = np.where(on_path, ratio, np.nan)
    checked = on_path & ~np.isnan(low)
    frame["interval_low"] = np.where(checked, low, np.nan)
    frame["interval_high"] = np.where(checked, high, np.nan)
    frame.loc[~has_target, ["target_year", "baseline_year"]] = np.nan
    # Before its baseline year no target is in force (§4.0 step 2): only the baseline year stays, for the sentence.
    frame.loc[before_baseline, ["target_value", "declared_target_value", "target_year"]] = np.nan
    frame["target_kind"] = frame["target_kind"].where(~before_baseline, None)
    frame.loc[before_baseline, "target_type"] = ""
    last_break = _column(frame, "last_break")
    frame["break_since_baseline"] = has_target & ~unrated & _gt(last_break, t0) & _le(last_break, t)

    frame["trend"] = _choose([~enough, flat, mean_change > 0], ["keine", "gleichbleibend", "steigend"], "fallend")
    rated = ~unrated & enough
    improving = rated & ~holding
    met = facts.met
    future = facts.future
    frame["mean_change"] = np.where(enough, mean_change, np.nan)
    projected = (rated & holding & met & (direction < -TOLERANCE)) | (
        improving & future & ~met & ~(direction < -TOLERANCE)
    )
    # A share cannot leave its whole: the continued development is shown within those bounds (the weather
    # is unchanged by this, since a target in force lies within them too).
    whole = pd.Series(unit).map(UPPER_BOUNDS).to_numpy(dtype=float)
    shown = np.where(np.isnan(whole), projection, np.clip(projection, 0.0, whole))
    frame["projection"] = np.where(projected, shown, np.nan)
    frame["gap_share"] = np.where(projected & ~holding, gap_share, np.nan)
    frame["window_values"] = n.astype(int)
    frame["sign"] = sign
    frame["transferred"] = transferred & ~before_baseline
    return frame
