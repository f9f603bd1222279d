"""Data deliveries (Datenlieferungen): who delivers what for which areas, the state of each expected delivery
of a year, the reminder letter for overdue ones, and the rows a provider may upload. Pure, column-wise.

Providers (Lieferanten) come from the catalogue's `lieferant` column. `Gemeinden` there means each Gemeinde of
the reporting Landkreis delivers its own values (the provider is then the Gemeinde, by its name); a single
Gemeinde's name means that Gemeinde alone; any other provider (Jobcenter, Schulamt, LSN, …) delivers for the
Landkreis and its Gemeinden.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from controlling.deliveries.schedule import HALF_YEAR, delivery_periods

GEMEINDEN = "Gemeinden"
STATES = ("erwartet", "eingegangen", "überfällig")
STATE_LABELS = {"erwartet": "erwartet", "eingegangen": "eingegangen", "überfällig": "überfällig"}


def _home(areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The reporting Kreis (one row) and all its Gemeinden (also former ones: validity is checked elsewhere)."""
    kreis = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"].astype(bool)].sort_values("code").head(1)
    gemeinden = areas.loc[(areas["level"] == "gemeinde") & areas["parent"].isin(kreis["code"])]
    return kreis, gemeinden


def _valid_in(areas: pd.DataFrame, year: int | None) -> pd.Series:
    if year is None:
        return pd.Series(True, index=areas.index)
    first = pd.to_datetime(areas["valid_from"]).dt.year.fillna(0)
    last = pd.to_datetime(areas["valid_to"]).dt.year.fillna(9999)
    return (first <= year) & (last >= year)


def responsibilities(indicators: pd.DataFrame, areas: pd.DataFrame, *, year: int | None = None) -> pd.DataFrame:
    """Who delivers which indicator for which area: provider, indicator, area (areas valid in `year`; every
    area of the Landkreis when None). Indicators without a provider are left out."""
    kreis, gemeinden = _home(areas)
    gemeinden = gemeinden.loc[_valid_in(gemeinden, year)]
    named = indicators.loc[indicators["provider"].fillna("").str.strip() != "", ["code", "provider", "aggregation"]]
    named = named.assign(provider=named["provider"].str.strip())
    each = named.loc[named["provider"] == GEMEINDEN].merge(
        gemeinden[["code", "name"]], how="cross", suffixes=("", "_g")
    )
    each = pd.DataFrame({"provider": each["name"], "indicator": each["code"], "area": each["code_g"]})
    one = named.merge(gemeinden[["code", "name"]], left_on="provider", right_on="name", suffixes=("", "_g"))
    one = pd.DataFrame({"provider": one["provider"], "indicator": one["code"], "area": one["code_g"]})
    rest = named.loc[(named["provider"] != GEMEINDEN) & ~named["provider"].isin(gemeinden["name"])]
    county = pd.concat([kreis, gemeinden])[["code"]].rename(columns={"code": "area"})
    rest = rest.merge(county, how="cross").rename(columns={"code": "indicator"})[["provider", "indicator", "area"]]
    return pd.concat([each, one, rest], ignore_index=True)


def provider_names(indicators: pd.DataFrame, areas: pd.DataFrame) -> list[str]:
    """Every provider an account can be bound to, sorted (Gemeinden that no longer exist are left out)."""
    former = areas.loc[areas["valid_to"].notna(), "name"]
    names = responsibilities(indicators, areas)["provider"]
    return sorted(names.loc[~names.isin(former)].unique())


def template_areas(responsible: pd.DataFrame, indicators: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The rows of a provider's template: the Kreis is left out where its value is computed from the Gemeinden
    (aggregation summe or quote, DESIGN §3.3)."""
    kreis, _ = _home(areas)
    computed = indicators.loc[indicators["aggregation"].isin(["summe", "quote"]), "code"]
    county_row = responsible["area"].isin(kreis["code"])
    return responsible.loc[~(county_row & responsible["indicator"].isin(computed))]


def calendar(
    indicators: pd.DataFrame, areas: pd.DataFrame, arrivals: pd.DataFrame, *, year: int, today: dt.date
) -> pd.DataFrame:
    """Every expected delivery of a year (indicator × provider × period) and its state.

    A delivery has arrived (`eingegangen`) when a committed intake created on or after the period's Stichtag
    brought a value of the year for one of the provider's areas, of the period's own half-year: the year's value
    (breakdown '') for the catalogue's Stichtag, `Halbjahr=1`/`Halbjahr=2` for the other half, so that one yearly
    row never counts for both halves. The first such intake is named, with how many of the areas it covers by
    now. Otherwise it is `überfällig` once the deadline has passed, else `erwartet`. A two-yearly indicator is
    not due in a year after one it was delivered for (unless it came again).
    `arrivals`: indicator, area, year, breakdown, intake_id, created_at, file_name (store.deliveries.arrivals,
    with the year before for two-yearly indicators); a frame without `breakdown` holds year values only.
    """
    periods = _due(delivery_periods(indicators, year), arrivals, year)
    responsible = responsibilities(indicators, areas, year=year)
    expected = periods.merge(responsible, on="indicator")
    breakdown = arrivals["breakdown"] if "breakdown" in arrivals else pd.Series("", index=arrivals.index)
    half = pd.to_numeric(breakdown.str.extract(rf"^{HALF_YEAR}=([12])$")[0], errors="coerce")
    known = (breakdown == "") | half.notna()
    came = arrivals.assign(half=half.fillna(0).astype(int)).loc[known & (arrivals["year"] == year)]
    came = expected.merge(came.drop(columns=["year", "breakdown"], errors="ignore"), on=["indicator", "area", "half"])
    came = came.loc[pd.to_datetime(came["created_at"]) >= came["reference_date"]]
    key = ["indicator", "provider", "period"]
    first = came.sort_values("created_at").drop_duplicates(key)[[*key, "intake_id", "created_at", "file_name"]]
    covered = came.groupby(key)["area"].nunique().rename("areas_delivered")
    rows = (
        expected.groupby([*key, "rhythm", "year", "reference_date", "deadline"])["area"]
        .nunique()
        .rename("areas_expected")
        .reset_index()
    )
    rows = rows.merge(first, on=key, how="left").merge(covered.reset_index(), on=key, how="left")
    rows["areas_delivered"] = rows["areas_delivered"].fillna(0).astype(int)
    late = rows["deadline"] < pd.Timestamp(today)
    rows["state"] = np.select([rows["intake_id"].notna(), late], ["eingegangen", "überfällig"], "erwartet")
    names = indicators.set_index("code")["name"]
    rows["indicator_name"] = rows["indicator"].map(names)
    return rows.sort_values(["provider", "indicator", "reference_date"], ignore_index=True)


def _due(periods: pd.DataFrame, arrivals: pd.DataFrame, year: int) -> pd.DataFrame:
    """The periods without the two-yearly ones that are not due: delivered the year before, not this year."""
    delivered = arrivals.loc[arrivals.get("breakdown", pd.Series("", index=arrivals.index)).fillna("") == ""]
    before = set(delivered.loc[delivered["year"] == year - 1, "indicator"])
    now = set(delivered.loc[delivered["year"] == year, "indicator"])
    resting = (periods["rhythm"] == "zweijährlich") & periods["indicator"].isin(before - now)
    return periods.loc[~resting]


def calendar_table(rows: pd.DataFrame) -> pd.DataFrame:
    """A calendar as a person reads it: German headers, dates, the import that brought a delivery."""
    arrived = rows["intake_id"].notna()
    when = pd.to_datetime(rows["created_at"]).dt.strftime("%d.%m.%Y")
    intake_ids = rows["intake_id"].astype("Int64").astype(str)
    brought = ("Import " + intake_ids + " – " + rows["file_name"].astype(str) + " (" + when + ")").where(arrived, "")
    return pd.DataFrame(
        {
            "Lieferant": rows["provider"],
            "Kennzahl": rows["indicator"] + " " + rows["indicator_name"].fillna(""),
            "Zeitraum": rows["period"],
            "Stand": rows["state"].map(STATE_LABELS),
            "Gebiete": rows["areas_delivered"].astype(str) + " von " + rows["areas_expected"].astype(str),
            "Lieferfrist": rows["deadline"].dt.strftime("%d.%m.%Y"),
            "Stichtag": rows["reference_date"].dt.strftime("%d.%m.%Y"),
            "Import": brought,
        }
    )


def state_counts(rows: pd.DataFrame) -> dict[str, int]:
    """How many deliveries are in each state."""
    counts = rows["state"].value_counts()
    return {state: int(counts.get(state, 0)) for state in STATES}


def reminder_text(rows: pd.DataFrame, *, provider: str, region: str, today: dt.date) -> str:
    """The German reminder letter for a provider's overdue deliveries (to copy; nothing is sent)."""
    late = rows.loc[(rows["provider"] == provider) & (rows["state"] == "überfällig")]
    if late.empty:
        return ""
    items = (
        "- "
        + late["indicator"]
        + " "
        + late["indicator_name"].fillna("")
        + " ("
        + late["period"].astype(str)
        + ", Stichtag "
        + late["reference_date"].dt.strftime("%d.%m.%Y")
        + ", Lieferfrist "
        + late["deadline"].dt.strftime("%d.%m.%Y")
        + ")"
    )
    return "\n".join(
        [
            f"Erinnerung: Datenlieferung für das Integrationscontrolling – {provider}",
            "",
            "Sehr geehrte Damen und Herren,",
            "",
            f"für das Integrationscontrolling des {region} sind die folgenden Daten von Ihnen noch nicht "
            f"eingegangen; die Lieferfrist ist verstrichen (Stand {today:%d.%m.%Y}):",
            "",
            *items,
            "",
            "Bitte tragen Sie die Werte in die vorausgefüllte Vorlage ein (im Integrationscontrolling unter "
            "»Datenlieferungen«; der Vorjahreswert steht als Hinweis daneben) und laden Sie die Datei dort hoch "
            "oder senden Sie sie uns zu. Ist ein Wert nicht bekannt, tragen Sie bitte ».« ein.",
            "",
            "Vielen Dank für Ihre Unterstützung.",
            "",
            "Mit freundlichen Grüßen",
            "Referat Migration und Teilhabe",
        ]
    )


def upload_scope(indicators: pd.DataFrame, areas: pd.DataFrame, provider: str) -> pd.DataFrame:
    """The indicator × area pairs a provider may upload (every area of the Landkreis; validity by year is
    checked by the values check)."""
    responsible = responsibilities(indicators, areas)
    return responsible.loc[responsible["provider"] == provider, ["indicator", "area"]].drop_duplicates()


def who_delivers(indicators: pd.DataFrame, areas: pd.DataFrame, rows: pd.DataFrame) -> pd.Series:
    """Per row (indicator, area) the providers who may deliver it, joined by ' oder ' ('' when nobody)."""
    responsible = responsibilities(indicators, areas)
    names = responsible.groupby(["indicator", "area"])["provider"].agg(lambda p: " oder ".join(sorted(set(p))))
    found = rows[["indicator", "area"]].merge(names.reset_index(), on=["indicator", "area"], how="left")
    return pd.Series(found["provider"].fillna("").to_numpy(), index=rows.index)
