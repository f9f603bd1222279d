"""Deterministic demo data for the reporting Kreis (made for Landkreis Peine): values 2015-2024, targets, comments
and measures. Another Kreis gets the same story on its own Gemeinden, sized by their inhabitants."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.db import OBSERVATION_COLUMNS, Store
from controlling.demo_story import (
    GEMEINDEN,
    HOUSING,
    KREIS,
    LAND,
    PEINE,
    DemoHome,
    comments,
    demo_home,
    measures,
    special_values,
)
from controlling.languages.service import load_demo_translations
from controlling.network.demo import load_demo_network
from controlling.participation.demo import load_demo_consultation

# Peine's figures stay importable from here (tests and benchmarks know them as the demo's).
__all__ = ["GEMEINDEN", "KREIS", "LAND", "SPECS", "DemoData", "demo_fingerprint", "generate_demo", "load_demo"]

DEMO_SEED = 42
DEMO_USER = "Demodaten"
DEMO_FILE_NAME = "Demodaten (erzeugt)"
YEARS = np.arange(2015, 2025)
BASELINE_YEAR = 2020
TARGET_YEAR = 2030
DECISION = "Kreisausschuss-Beschluss KA/2021/017 vom 15.06.2021 (Demodaten)"
DECISION_DAY = dt.date(2021, 6, 15)
# Proposals not yet decided (issue 14): shown to staff and in the report's Zielvorschläge, never in a light.
DRAFTS = pd.DataFrame(
    {
        "indicator": ["SPR-01", "GES-02"],
        "area": ["*", "*"],
        "target_year": [2032, 2030],
        "target_value": [70.0, 25.0],
        "baseline_year": [2022, 2020],
        "decision": ["", ""],
        "valid_from": [dt.date(2025, 11, 20), dt.date(2025, 11, 20)],
        "state": "entwurf",
        "source": ["Workshop Integrationsleitbild 2025 (Demodaten)", "Koordinierungsstab (Demodaten)"],
    }
)

# Foreign share of Landkreis Peine, LSN Integrationsmonitoring 1.2.2 (rounded).
KREIS_FOREIGN_SHARE = np.array([6.85, 7.45, 7.81, 8.24, 8.41, 8.80, 9.40, 10.87, 11.43, 11.91])
# Arrival waves 2015/16 and 2022 (weights of the wave effect per year).
WAVE = np.array([0.7, 1.0, 0.4, 0.1, 0.0, 0.0, 0.0, 1.0, 0.6, 0.3])


@dataclass(frozen=True)
class Spec:
    """How one indicator's demo series looks at the Kreis and how it spreads over the Gemeinden."""

    code: str
    gemeinden: bool  # values per Gemeinde (the Kreis value is then computed), else Kreis only
    start: float  # Kreis level 2015 (rate in the indicator's unit, or a count)
    end: float  # Kreis level 2024 without the wave
    wave: float = 0.0  # extra at the height of an arrival wave
    urban: float = 0.0  # exponent on the Gemeinde's migration factor: >0 highest in Stadt Peine
    denominator: float = 0.0  # Kreis denominator in 2015, for quotas
    base: str = "foreign"  # what denominators and counts grow with: "foreign" or "population"
    # target designed so the Kreis light is: erreicht/auf_kurs/knapp/entfernt
    outcome: str | None = None
    first_year: int = 2015
    last_year: int = 2024
    every: int = 1  # 2 = a survey every second year (even years)
    noise: float = 0.02


SPECS: tuple[Spec, ...] = (
    Spec("BIL-01", True, 12.0, 22.0, wave=-2.0, urban=0.2, denominator=820, outcome="knapp"),
    Spec("BIL-02", True, 78.0, 88.0, wave=-4.0, urban=0.05, denominator=1150, outcome="auf_kurs"),
    Spec("BIL-03", False, 16.0, 12.5, wave=3.0, denominator=190, outcome="knapp"),
    Spec("BIL-04", False, 20.0, 16.5, wave=-1.0, denominator=260, outcome="entfernt"),
    Spec("BIL-05", True, 14.0, 19.0, wave=2.5, urban=0.5, denominator=1130, base="population", outcome="entfernt"),
    Spec("BIL-06", False, 5.0, 9.5, denominator=2000, base="population", outcome="erreicht"),
    Spec("BIL-07", False, 12.0, 16.0, denominator=190, outcome="auf_kurs"),
    Spec("BIL-08", True, 20.0, 55.0, denominator=92, base="population", outcome="auf_kurs", noise=0.05),
    Spec("BIL-09", False, 12.0, 8.5, wave=2.0, outcome="auf_kurs", noise=0.04),
    Spec("SPR-01", False, 58.0, 63.0, wave=-6.0, denominator=530, outcome="knapp"),
    Spec("SPR-02", False, 70.0, 84.0, denominator=640, outcome="erreicht"),
    Spec("SPR-03", False, 95.0, 55.0, wave=30.0, outcome="knapp", noise=0.04),
    Spec("SPR-05", False, 45.0, 53.0, denominator=160, outcome="knapp", first_year=2017),
    Spec("SPR-06", True, 80.0, 92.0, urban=-0.1, denominator=260, base="population", outcome="erreicht"),
    Spec("ARB-01", False, 18.0, 13.5, wave=3.0, denominator=5800, outcome="auf_kurs"),
    Spec("ARB-03", False, 28.0, 22.0, wave=5.0, denominator=7400, outcome="knapp"),
    Spec("ARB-04", True, 38.0, 47.0, wave=-3.0, urban=-0.1, denominator=6300, outcome="auf_kurs"),
    Spec("ARB-05", False, 29.0, 36.0, wave=-2.0, denominator=2900, outcome="knapp"),
    Spec("ARB-06", False, 18.0, 27.0, denominator=1500, outcome="auf_kurs", first_year=2016),
    Spec("ARB-07", False, 52.0, 61.0, denominator=110, outcome="knapp", noise=0.04),
    Spec("ARB-08", False, 38.0, 33.0, wave=-4.0, denominator=1100, outcome="erreicht"),
    Spec("ARB-10", False, 12.6, 9.8, wave=1.5, outcome="knapp", noise=0.03),
    Spec("GES-01", False, 1.0, 1.8, denominator=9000, outcome="auf_kurs", noise=0.04),
    Spec("GES-02", True, 9.0, 12.0, urban=0.4, denominator=38000, base="population", outcome="knapp"),
    Spec("GES-04", False, 4.0, 9.0, denominator=420, base="population", outcome="auf_kurs", noise=0.05),
    # Its Handlungsziel asks for fewer people in shared housing: an improvement target, not a limit (method 3).
    Spec("GES-06", True, 25.0, 35.0, wave=6.0, urban=0.3, denominator=1100, outcome="entfernt"),
    Spec("GES-07", False, 55.0, 63.0, denominator=480, outcome="knapp", first_year=2016, every=2),
    Spec("GES-09", True, 6.5, 9.0, urban=0.2, denominator=9050, outcome="auf_kurs", noise=0.08),
    Spec("KOM-01", False, 70.0, 88.0, wave=-10.0, denominator=1300, outcome="auf_kurs"),
    Spec("KOM-02", False, 10.0, 36.0, denominator=200, base="population", outcome="erreicht"),
    Spec("KOM-03", True, 15.0, 30.0, denominator=465, base="population", outcome="knapp", noise=0.05),
    Spec("KOM-04", False, 7.5, 9.6, denominator=900, base="population", outcome="knapp"),
    Spec("KOM-07", False, 25.0, 46.0, denominator=24, base="population", outcome="auf_kurs", noise=0.03),
    Spec("KOM-08", False, 12.0, 7.0, wave=4.0, outcome="erreicht", noise=0.05),
    Spec("KOM-09", False, 6.0, 11.0, wave=-2.0, denominator=1400, outcome="entfernt", first_year=2018),
    Spec("KTX-04", False, 2200.0, 5200.0, wave=900.0),
    Spec("KTX-05", True, 2000.0, 1500.0, wave=1800.0, urban=0.5, noise=0.05),
    Spec("KTX-06", True, 900.0, 250.0, wave=700.0, noise=0.08),
    Spec("KTX-07", False, 20.4, 20.4, first_year=2022, last_year=2022, noise=0.0),
    Spec("KTX-08", True, 300.0, 430.0, wave=80.0, urban=0.3),
    Spec("KTX-09", True, 1800.0, 1200.0, wave=600.0, urban=0.2, noise=0.05),
    Spec("KTX-10", True, 1100.0, 1250.0, wave=300.0, urban=0.6),
    Spec("KTX-11", True, 60.0, 85.0, urban=0.8, noise=0.15),
    Spec("KTX-12", False, 40.0, 95.0, noise=0.1),
    Spec("KTX-13", True, 400.0, 650.0, wave=300.0, urban=0.3, noise=0.08),
)


# Kennzahlen the catalogue grounded in the LSN release (issue 23): Kreis values only (as published), no target yet
# (the Kreisausschuss has not decided one); drawn from their own generator so that every earlier value stays.
PUBLISHED_SPECS: tuple[Spec, ...] = (
    Spec("BIL-10", False, 28.0, 24.0, wave=2.0, noise=0.04),
    Spec("BIL-11", False, 6.0, 4.5, wave=1.0, denominator=240),
    Spec("ARB-11", False, 330.0, 380.0, wave=60.0, denominator=9000),
    Spec("ARB-12", False, 280.0, 330.0, wave=50.0, noise=0.03),
    Spec("ARB-13", False, 430.0, 470.0, wave=60.0, denominator=2000),
    Spec("ARB-14", False, 370.0, 400.0, wave=50.0, noise=0.03),
    Spec("GES-10", False, 45.0, 33.0, wave=-6.0, denominator=8000),
    Spec("GES-11", False, 4.0, 3.0, wave=1.5, denominator=9000),
    Spec("KTX-14", False, 38.0, 30.0, wave=-5.0, denominator=9000),
    Spec("KTX-15", False, 22.0, 27.0, noise=0.03),
    Spec("KTX-16", False, 2600.0, 4800.0, wave=300.0),
)
PUBLISHED_SEED = 23


# Land Niedersachsen for comparison: (indicator, value 2015, value 2024).
LAND_SERIES = (("KTX-01", 8.0, 13.7), ("ARB-01", 15.5, 12.8), ("GES-01", 1.3, 2.1), ("BIL-01", 14.0, 21.0))


@dataclass(frozen=True)
class DemoData:
    """Everything the demo puts into a store."""

    observations: pd.DataFrame
    targets: pd.DataFrame
    comments: pd.DataFrame
    measures: tuple[tuple[str, str, str, dt.date, tuple[str, ...]], ...]
    town: str = PEINE.town  # the Gemeinde the housing measure is about


def _bases(rng: np.random.Generator, home: DemoHome) -> tuple[np.ndarray, np.ndarray]:
    """Population and foreign population per Gemeinde (rows) and year (columns)."""
    growth = np.cumprod(np.r_[1.0, 1.0 + rng.normal(0.002, 0.002, len(YEARS) - 1)])
    population = np.outer(home.gemeinden["population_2015"].to_numpy(float), growth)
    factor = home.gemeinden["migration_factor"].to_numpy(float)
    factor = factor * population[:, 0].sum() / (population[:, 0] * factor).sum()
    foreign = np.rint(population * factor[:, None] * KREIS_FOREIGN_SHARE[None, :] / 100)
    return np.rint(population), foreign


def _path(spec: Spec) -> np.ndarray:
    """The Kreis series before noise: a straight line plus the arrival waves."""
    share = (YEARS - YEARS[0]) / (YEARS[-1] - YEARS[0])
    path: np.ndarray = spec.start + (spec.end - spec.start) * share + spec.wave * WAVE
    return path


def _series(
    spec: Spec,
    indicators: pd.DataFrame,
    rng: np.random.Generator,
    population: np.ndarray,
    foreign: np.ndarray,
    home: DemoHome,
) -> pd.DataFrame:
    """Rows for one indicator: Gemeinden (with numerator/denominator for quotas) or the Kreis."""
    meta = indicators.loc[indicators["code"] == spec.code].iloc[0]
    is_quota = meta["aggregation"] == "quote"
    factor = float(meta["factor"]) if is_quota else 1.0
    base = foreign if spec.base == "foreign" else population
    path = _path(spec) * (home.scale if meta["unit"] == "Anzahl" else 1.0)
    if spec.gemeinden:
        areas = home.gemeinden["area"].to_numpy()
        weights = base * home.gemeinden["migration_factor"].to_numpy(float)[:, None] ** spec.urban
    else:
        areas = np.array([home.kreis])
        weights = base.sum(axis=0, keepdims=True)
    shape = weights.shape
    noise = rng.normal(1.0, spec.noise, shape)
    if is_quota:
        growth = base.sum(axis=0) / base[:, 0].sum()
        denominator = np.rint(spec.denominator * home.scale * growth[None, :] * weights / weights.sum(axis=0))
        denominator = np.maximum(denominator, 1)
        relative = (
            home.gemeinden["migration_factor"].to_numpy(float)[:, None] ** spec.urban
            if spec.gemeinden
            else np.ones(shape)
        )
        rate = np.clip(path[None, :] * relative * noise, 0.1, factor * 0.995)
        numerator = np.rint(denominator * rate / factor)
        value = numerator / denominator * factor
    else:
        share = weights / weights.sum(axis=0)
        value = (
            np.rint(path[None, :] * share * noise)
            if meta["unit"] == "Anzahl" or spec.gemeinden
            else np.round(path[None, :] * noise, int(meta["decimals"]))
        )
        numerator = denominator = np.full(shape, np.nan)
    frame = pd.DataFrame(
        {
            "indicator": spec.code,
            "area": np.repeat(areas, len(YEARS)),
            "year": np.tile(YEARS, len(areas)),
            "value": value.ravel(),
            "numerator": numerator.ravel(),
            "denominator": denominator.ravel(),
        }
    )
    keep = frame["year"].between(spec.first_year, spec.last_year) & ((frame["year"] - 2016) % spec.every == 0)
    return frame.loc[keep]


def _context_rows(population: np.ndarray, foreign: np.ndarray, home: DemoHome) -> pd.DataFrame:
    """KTX-01..03 for the Gemeinden and, as published by LSN, for the Kreis."""
    areas = np.append(home.gemeinden["area"].to_numpy(), home.kreis)
    pop = np.vstack([population, population.sum(axis=0)])
    fgn = np.vstack([foreign, foreign.sum(axis=0)])
    area_col = np.repeat(areas, len(YEARS))
    year_col = np.tile(YEARS, len(areas))
    nan = np.full(area_col.shape, np.nan)
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "indicator": "KTX-01",
                    "area": area_col,
                    "year": year_col,
                    "value": (fgn / pop * 100).ravel(),
                    "numerator": fgn.ravel(),
                    "denominator": pop.ravel(),
                }
            ),
            pd.DataFrame(
                {
                    "indicator": "KTX-02",
                    "area": area_col,
                    "year": year_col,
                    "value": fgn.ravel(),
                    "numerator": nan,
                    "denominator": nan,
                }
            ),
            pd.DataFrame(
                {
                    "indicator": "KTX-03",
                    "area": area_col,
                    "year": year_col,
                    "value": pop.ravel(),
                    "numerator": nan,
                    "denominator": nan,
                }
            ),
        ]
    )


def _land_rows(rng: np.random.Generator, home: DemoHome) -> pd.DataFrame:
    """A few series of the Land (made for Niedersachsen) for comparison."""
    share = (YEARS - YEARS[0]) / (YEARS[-1] - YEARS[0])
    frames = [
        pd.DataFrame(
            {
                "indicator": code,
                "area": home.land,
                "year": YEARS,
                "value": np.round((start + (end - start) * share) * rng.normal(1, 0.01, len(YEARS)), 2),
            }
        )
        for code, start, end in LAND_SERIES
    ]
    return pd.concat(frames)


def _comparison_rows(land: pd.DataFrame, home: DemoHome) -> pd.DataFrame:
    """The Land's series for each other Kreis of the Land, each 0.6 to 1.4 times the Land (fixed by its AGS)."""
    if not home.comparison:
        return land.iloc[0:0]
    kreise = pd.DataFrame({"kreis": list(home.comparison)})
    kreise["factor"] = 0.6 + 0.8 * ((kreise["kreis"].astype(int) * 2654435761) % 1000) / 1000
    rows = land.merge(kreise, how="cross")
    rows["value"] = (rows["value"] * rows["factor"]).round(2)
    return rows.assign(area=rows["kreis"]).drop(columns=["kreis", "factor"])


def _kreis_values(observations: pd.DataFrame, indicators: pd.DataFrame, home: DemoHome) -> pd.DataFrame:
    """Kreis value per indicator and year: stored, or Σ numerator ÷ Σ denominator, or Σ value."""
    meta = indicators.set_index("code")
    rated = [spec.code for spec in SPECS if spec.outcome]
    own = observations["area"].str.startswith(home.kreis)
    rows = observations.loc[observations["indicator"].isin(rated) & own].copy()
    rows["factor"] = rows["indicator"].map(meta["factor"]).fillna(1.0)
    rows["quota"] = rows["indicator"].map(meta["aggregation"]) == "quote"
    grouped = rows.groupby(["indicator", "year"]).agg(
        value=("value", "sum"),
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        factor=("factor", "first"),
        quota=("quota", "first"),
        rows=("area", "size"),
    )
    grouped["value"] = grouped["value"].where(
        ~grouped["quota"], grouped["numerator"] / grouped["denominator"] * grouped["factor"]
    )
    return grouped["value"].reset_index()


def _targets(observations: pd.DataFrame, indicators: pd.DataFrame, home: DemoHome) -> pd.DataFrame:
    """Targets for 2030 chosen so that the Kreis lights show every outcome (see Spec.outcome)."""
    kreis = _kreis_values(observations, indicators, home).pivot(index="indicator", columns="year", values="value")
    meta = indicators.set_index("code")
    specs = pd.DataFrame(
        [(s.code, s.outcome, s.gemeinden) for s in SPECS if s.outcome], columns=["indicator", "outcome", "gemeinden"]
    ).set_index("indicator")
    baseline = kreis.loc[specs.index, BASELINE_YEAR]
    latest = kreis.loc[specs.index, YEARS[-1]].fillna(kreis.loc[specs.index, YEARS[-2]])
    sign = meta.loc[specs.index, "polarity"].map({"hoch": 1.0, "niedrig": -1.0})
    progress = (YEARS[-1] - BASELINE_YEAR) / (TARGET_YEAR - BASELINE_YEAR)
    moved = latest - baseline
    target = pd.Series(np.nan, index=specs.index)
    outcome = specs["outcome"]
    target[outcome == "erreicht"] = (baseline + moved * 0.7)[outcome == "erreicht"]
    target[outcome == "auf_kurs"] = (baseline + moved / (progress * 1.15))[outcome == "auf_kurs"]
    target[outcome == "knapp"] = (baseline + moved / (progress * 0.78))[outcome == "knapp"]
    target[outcome == "entfernt"] = (baseline + sign * baseline.abs() * 0.15)[outcome == "entfernt"]
    # An improvement target never asks for less than its baseline (method 3 would not rate it): where the
    # Kreis moved the wrong way since the baseline, the target asks for 10 % better than the baseline.
    backwards = sign * (target - baseline) <= 0
    target[backwards] = (baseline + sign * baseline.abs() * 0.10)[backwards]
    scale = 10.0 ** meta.loc[specs.index, "decimals"].astype(float)
    target = (target * scale).round() / scale
    frame = pd.DataFrame(
        {
            "indicator": specs.index,
            # Decided for the Landkreis; its Gemeinden take it over proportionally (DESIGN §4.0).
            "area": "*",
            "target_year": TARGET_YEAR,
            "target_value": target.to_numpy(),
            "baseline_year": BASELINE_YEAR,
            "decision": DECISION,
            "valid_from": DECISION_DAY,
            "body": "Kreisausschuss",
            "decision_date": DECISION_DAY,
            "vorlage": "KA/2021/017",
        }
    )
    own = pd.DataFrame(
        [
            {
                "indicator": "BIL-01",
                "area": home.town,
                "target_year": TARGET_YEAR,
                "target_value": 30.0,
                "baseline_year": BASELINE_YEAR,
                "decision": f"Ratsbeschluss {home.town_name} 2021/44 (Demodaten)",
                "valid_from": DECISION_DAY,
                "body": f"Rat der {home.town_name}",
                "decision_date": DECISION_DAY,
                "vorlage": "2021/44",
            }
        ]
    )
    return pd.concat([frame, own, DRAFTS], ignore_index=True)


def generate_demo(indicators: pd.DataFrame, seed: int = DEMO_SEED, home: DemoHome = PEINE) -> DemoData:
    """Build the demo data set for a home (Peine unless given); the same seed always gives the same data."""
    rng = np.random.default_rng(seed)
    population, foreign = _bases(rng, home)
    frames = [_series(spec, indicators, rng, population, foreign, home) for spec in SPECS]
    land = _land_rows(rng, home)
    frames += [_context_rows(population, foreign, home), land, _comparison_rows(land, home)]
    more = np.random.default_rng([seed, PUBLISHED_SEED])
    codes = set(indicators["code"])  # a catalogue of another installation may lack them
    frames += [
        _series(spec, indicators, more, population, foreign, home) for spec in PUBLISHED_SPECS if spec.code in codes
    ]
    observations = pd.concat(frames, ignore_index=True)
    observations["breakdown"] = ""
    observations["flag"] = None
    observations["note"] = None
    special = pd.DataFrame(special_values(home), columns=["indicator", "area", "year", "flag"])
    keys = ["indicator", "area", "year"]
    hit = observations.set_index(keys).index.isin(special.set_index(keys).index)
    observations.loc[hit, ["value", "numerator", "denominator"]] = np.nan
    observations.loc[hit, "flag"] = observations.loc[hit, keys].merge(special, on=keys, how="left")["flag"].to_numpy()
    gaps = pd.DataFrame([("SPR-03", home.kreis, 2017)], columns=keys)  # Kursträgerabfrage 2017 nicht durchgeführt
    observations = observations.loc[~observations.set_index(keys).index.isin(gaps.set_index(keys).index)]
    observations = observations.reindex(columns=list(OBSERVATION_COLUMNS)).reset_index(drop=True)
    targets = _targets(observations, indicators, home)
    notes = pd.DataFrame(comments(home), columns=["indicator", "area", "year", "text"])
    return DemoData(observations=observations, targets=targets, comments=notes, measures=measures(home), town=home.town)


def demo_fingerprint(data: DemoData) -> str:
    """sha256 of the demo values, recorded as the intake's checksum."""
    return hashlib.sha256(data.observations.to_csv(index=False).encode()).hexdigest()


def load_demo(store: Store, seed: int = DEMO_SEED) -> int:
    """Write the demo data into the store as one intake marked 'demo'; returns the intake id."""
    data = generate_demo(store.catalogue.indicators(), seed, demo_home(store.catalogue.areas()))
    intake_id = store.intakes.add(
        data.observations,
        user=DEMO_USER,
        file_name=DEMO_FILE_NAME,
        sha256=demo_fingerprint(data),
        format="demo",
    )
    store.targets.add(data.targets, user=DEMO_USER)
    store.notes.add_comments(data.comments, user=DEMO_USER)
    for title, responsible, status, due, codes in data.measures:
        fields = {"title": title, "carrier": responsible, "responsible": responsible, "status": status}
        store.measures.add(
            {**fields, "due_date": due},
            indicators=codes,
            areas=(data.town,) if title == HOUSING else (),
            user=DEMO_USER,
        )
    load_demo_participation(store, demo_home(store.catalogue.areas()))  # issue 27
    return intake_id


def load_demo_participation(store: Store, home: DemoHome) -> None:
    """The demo's network, consultation and translations (issue 27)."""
    today = dt.date.today()
    load_demo_network(store, home, day=today)
    load_demo_consultation(store, day=today)
    if home.kreis == PEINE.kreis:  # the translations are of Peine's shipped texts
        load_demo_translations(store, user=DEMO_USER, day=dt.date(2025, 12, 1))
