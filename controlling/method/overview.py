"""Summaries of a status table for the committee: light matrix, off-track list, changes (pure)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from controlling.formatting import format_number_column
from controlling.method.presentation import LIGHT_LOOKS, LIGHT_ORDER
from controlling.method.status import ON_PATH_REASONS
from controlling.numbers import TOLERANCE

OFF_TRACK_LIGHTS = ("rot",)
OFF_TRACK_OUTLOOKS = ("gewitter",)


def home_areas(areas: pd.DataFrame, *, year: int | None = None) -> pd.DataFrame:
    """The reporting Kreis (the first that is not a comparison area) and its Gemeinden valid in `year`."""
    kreis = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"]].sort_values("code").head(1)
    gemeinden = areas.loc[(areas["level"] == "gemeinde") & areas["parent"].isin(kreis["code"])]
    if year is None:
        valid = gemeinden["valid_to"].isna()
    else:
        first = pd.to_datetime(gemeinden["valid_from"]).dt.year.fillna(0)
        last = pd.to_datetime(gemeinden["valid_to"]).dt.year.fillna(9999)
        valid = (first <= year) & (last >= year)
    return pd.concat([kreis, gemeinden.loc[valid]], ignore_index=True)


def dashboard_areas(areas: pd.DataFrame) -> pd.Series:
    """Codes of the areas pages and the report show: the Land and every Kreis, and the reporting Kreis's Gemeinden.

    Gemeinden of other Kreise are there only so that their Kreis's values can be computed; with the whole
    country loaded (about 11,000 Gemeinden) they would make every table some 25 times larger.
    """
    kreis = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"]].sort_values("code").head(1)
    return areas.loc[(areas["level"] != "gemeinde") | areas["parent"].isin(kreis["code"]), "code"]


def light_matrix(status: pd.DataFrame, fields: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Rated fields × areas: a cell per area with counts like '✖ 1 · ▲ 2 · ✔ 5' (only lights present)."""
    rated_fields = fields.loc[fields["rated"]]
    rows = status.loc[status["field"].isin(rated_fields["code"]) & status["area"].isin(areas["code"])]
    counts = rows.groupby(["field", "area", "light"]).size().unstack("light", fill_value=0)
    counts = counts.reindex(columns=list(LIGHT_ORDER), fill_value=0)
    parts = [counts[light].map(lambda n, s=LIGHT_LOOKS[light].symbol: f"{s} {n}" if n else "") for light in LIGHT_ORDER]
    text = parts[0]
    for part in parts[1:]:
        text = text + " · " + part
    text = text.str.replace(r"( · )+", " · ", regex=True).str.strip(" ·")
    matrix = text.unstack("area").reindex(index=rated_fields["code"], columns=areas["code"]).fillna("–")
    matrix.index = rated_fields.set_index("code").loc[matrix.index, "name"].to_numpy()
    matrix.columns = areas.set_index("code").loc[matrix.columns, "name"].to_numpy()
    return matrix.replace("", "–")


def summary_lights(status: pd.DataFrame, fields: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Per rated field × area the worst rated light (Rot before Gelb before Grün; Grau only when none is rated),
    shaped like light_matrix: the one rule of every summary (presentation.SUMMARY_RULE)."""
    rated_fields = fields.loc[fields["rated"]]
    rows = status.loc[status["field"].isin(rated_fields["code"]) & status["area"].isin(areas["code"])]
    rank = (
        rows["light"].astype(str).map({light: i for i, light in enumerate(LIGHT_ORDER)}).astype(int)
    )  # rot 0 … grau 3
    worst = rank.groupby([rows["field"], rows["area"]]).min().map(dict(enumerate(LIGHT_ORDER)))
    summary = worst.unstack("area").reindex(index=rated_fields["code"], columns=areas["code"])
    summary.index = rated_fields.set_index("code").loc[summary.index, "name"].to_numpy()
    summary.columns = areas.set_index("code").loc[summary.columns, "name"].to_numpy()
    return summary.fillna("grau")


SHORT_REASONS = {
    "neutral": "nicht bewertet (keine Richtung)",
    "kein_ziel": "kein Ziel beschlossen",
    "vergleichsgebiet": "Vergleichsgebiet",
    "nicht_uebertragbar": "Kreisziel nicht übertragbar",
    "kein_basiswert": "kein Wert im Basisjahr",
    "kleine_fallzahl": "zu kleine Fallzahl",
    "grenze_eingehalten": "Grenze eingehalten",
    "grenze_verfehlt": "Grenze verfehlt",
    "ziel_erreicht": "Ziel erreicht",
    "keine_entwicklung": "noch keine Entwicklung seit dem Basisjahr",
    "vor_basisjahr": "Ziel gilt erst ab dem Basisjahr",
    "ziel_nicht_guenstiger": "Ziel nicht günstiger als der Ausgangswert",
}


def light_counts(status: pd.DataFrame, area: str) -> dict[str, int]:
    """How many indicators of one area have each light."""
    counts = status.loc[status["area"] == area, "light"].value_counts()
    return {light: int(counts.get(light, 0)) for light in LIGHT_ORDER}


def off_track(status: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Rows that are rot or gewitter in the given areas, Kreis first, worst first."""
    rows = status.loc[
        status["area"].isin(areas["code"])
        & (status["light"].isin(OFF_TRACK_LIGHTS) | status["outlook"].isin(OFF_TRACK_OUTLOOKS))
        & (status["light"] != "grau")
    ].copy()
    rows["severity"] = rows["light"].eq("rot").astype(int) + rows["outlook"].eq("gewitter").astype(int)
    rows["area_rank"] = rows["area"].map(pd.Series(range(len(areas)), index=areas["code"]))
    rows["short_reason"] = short_reasons(rows)
    return rows.sort_values(["area_rank", "severity", "indicator"], ascending=[True, False, True]).drop(
        columns=["severity", "area_rank"]
    )


def short_reasons(status: pd.DataFrame) -> pd.Series:
    """One short German phrase per row for tables: why the light is what it is."""
    share = format_number_column(status["ratio"] * 100, 0, "%")
    moved_away = status["ratio"] < 0
    on_path = status["light_reason"].isin(ON_PATH_REASONS)
    fixed = status["light_reason"].astype(str).map(SHORT_REASONS).fillna("")
    text = fixed.where(~on_path, share + " der bis heute geplanten Veränderung")
    text = text.where(~(on_path & moved_away), "seit dem Basisjahr vom Ziel entfernt")
    chance = status["light_reason"].eq("im_zufallsbereich")
    return text.where(~chance, text + ", im Rahmen der Zufallsschwankung")


def light_changes(current: pd.DataFrame, previous: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Indicators × areas whose light differs from the previous year's status (DESIGN §4.3, method 3).

    `better` says whether the *value* moved the favourable way (by the indicator's direction), never whether
    the colour did: a Halteziel newly kept while the value rose is no improvement. `value_before` is the
    previous status's value; `moved` is `günstig`, `ungünstig` or `gleich`.
    """
    keys = ["indicator", "area"]
    before = previous[[*keys, "light", "value", "year"]].rename(
        columns={"light": "light_before", "value": "value_before", "year": "year_before"}
    )
    merged = current.loc[current["area"].isin(areas["code"])].merge(before, on=keys, how="left")
    merged["light_before"] = merged["light_before"].fillna("grau")
    changed = merged.loc[merged["light"] != merged["light_before"]].copy()
    change = changed["sign"] * (changed["value"] - changed["value_before"])
    changed["moved"] = np.select([change > TOLERANCE, change < -TOLERANCE], ["günstig", "ungünstig"], "gleich")
    changed["better"] = changed["moved"].eq("günstig")
    return changed.sort_values(["better", "indicator"], ignore_index=True)


def field_table(status: pd.DataFrame, values: pd.DataFrame, *, field: str, area: str) -> pd.DataFrame:
    """Status rows of one field and area, with the value series (for a sparkline) per indicator.

    Years without a number (a flag such as `...`) are left out of the series: one missing value made the
    sparkline a line of raw text ("50,52.5,54…")."""
    rows = status.loc[(status["field"] == field) & (status["area"] == area)]
    wanted = values["area"].eq(area) & values["indicator"].isin(rows["indicator"]) & values["value"].notna()
    history = values.loc[wanted].sort_values("year")
    series = history.groupby("indicator")["value"].agg(list)
    return rows.assign(series=rows["indicator"].map(series)).reset_index(drop=True)


NOT_COMPARED = "nicht verglichen (zu kleine Fallzahl)"


def standing_out(status: pd.DataFrame, *, area: str, kreis: str) -> pd.DataFrame:
    """A Gemeinde's rated indicators against the Kreis: difference, and whether it is better or worse.

    'Better' follows the polarity; an indicator stands out when the gap is at least 10 % of the Kreis value.
    Counts are not compared: a Gemeinde's count is part of the Kreis total, not a level to measure against.
    """
    own = status.loc[status["area"] == area]
    county = status.loc[status["area"] == kreis, ["indicator", "value", "light"]].rename(
        columns={"value": "kreis_value", "light": "kreis_light"}
    )
    rows = own.merge(county, on="indicator", how="left")
    rows["difference"] = rows["value"] - rows["kreis_value"]
    relative = rows["difference"] / rows["kreis_value"].abs()
    count = rows["unit"] == "Anzahl"
    # A value on too few cases is not rated, and not held up as better or worse either: the table says so too.
    small = rows["light_reason"].astype(object).eq("kleine_fallzahl")
    rows["direction"] = np.select(
        [count, small, rows["sign"] * rows["difference"] > 0, rows["sign"] * rows["difference"] < 0],
        ["Anzahl (Teil des Kreises)", NOT_COMPARED, "besser", "schlechter"],
        "gleich/neutral",
    )
    rows["stands_out"] = (relative.abs() >= 0.10) & (rows["sign"] != 0) & ~count & ~small
    return rows


def comparable_indicators(status: pd.DataFrame, areas: pd.DataFrame, *, kreis: str) -> list[str]:
    """Indicators with a value for the Kreis and for the Land or another Kreis (from a status table)."""
    others = areas.loc[(areas["level"].isin(["land", "kreis"])) & (areas["code"] != kreis), "code"]
    has_kreis = set(status.loc[status["area"] == kreis, "indicator"])
    has_other = set(status.loc[status["area"].isin(others), "indicator"])
    return sorted(has_kreis & has_other)


def map_rows(status: pd.DataFrame, *, code: str, year: int, home: pd.DataFrame) -> pd.DataFrame:
    """Value and light of each Gemeinde of the reporting Kreis for one indicator and year ('grau' without)."""
    rows = status.loc[(status["indicator"] == code) & (status["area_level"] == "gemeinde") & (status["year"] == year)]
    gemeinden = home.loc[home["level"] == "gemeinde", ["code", "name"]].rename(
        columns={"code": "area", "name": "area_name"}
    )
    frame = gemeinden.merge(rows[["area", "value", "light"]], on="area", how="left")
    frame["light"] = frame["light"].astype(object).where(frame["light"].notna(), "grau")
    return frame


def targets_to_decide(status: pd.DataFrame) -> pd.DataFrame:
    """Decided improvement targets that ask for nothing better than their baseline (method 3: not rated). Under
    method 2 they were read as limits; the Referat decides them as Halteziel or changes the value. One row per
    indicator and the area the target was decided for (`*`: the Landkreis's row stands for it)."""
    rows = status.loc[status["light_reason"].eq("ziel_nicht_guenstiger") & status["target_kind"].eq("eigenes")]
    columns = ["indicator", "indicator_name", "target_area", "area_name", "baseline_year", "baseline_value"]
    return rows[[*columns, "target_value", "decimals", "unit"]].reset_index(drop=True)
