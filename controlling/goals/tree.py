"""The goal tree with its lights: each Handlungsziel and Leitziel rolled up from its Kennzahlen' lights.

Roll-up rule (written on the page and in the report): the worst rated light counts, Rot before Gelb before
Grün; Grau (nicht bewertet) only when none of the Kennzahlen is rated. A Kennzahl without a value for the
area counts as "ohne Bewertung". A Leitziel is rolled up over the Kennzahlen of all its Handlungsziele, each
Kennzahl once. Pure functions over frames: the caller passes the status table of the chosen area.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from controlling.formatting import format_number_column
from controlling.method.presentation import LIGHT_LOOKS, target_column

RATED = ("rot", "gelb", "gruen")  # worst first
COUNTED = (*RATED, "grau")
ROLLUP_RULE = (
    "So wird zusammengefasst: Ein Handlungsziel zeigt die schlechteste Ampel seiner Kennzahlen (Rot vor Gelb vor "
    "Grün). Grau zeigt es nur, wenn keine seiner Kennzahlen bewertet ist. Ein Leitziel fasst ebenso alle "
    "Kennzahlen seiner Handlungsziele zusammen, jede einmal. Daneben steht, wie viele Kennzahlen welche Ampel "
    "haben; »ohne Bewertung« zählt graue Ampeln und Kennzahlen ohne Wert."
)
_COUNT_WORDS = {"rot": "Rot", "gelb": "Gelb", "gruen": "Grün", "grau": "ohne Bewertung"}


def rolled_up(lights: pd.Series) -> str:
    """The roll-up of some lights: the worst rated one, `grau` when none is rated (or there are none)."""
    for light in RATED:
        if (lights == light).any():
            return light
    return "grau"


def counts_text(counts: Mapping[Any, Any]) -> str:
    """'2 × Rot, 1 × Gelb, 3 × Grün, 1 × ohne Bewertung' (lights with none left out)."""
    parts = [f"{int(counts[light])} × {_COUNT_WORDS[light]}" for light in COUNTED if int(counts.get(light, 0))]
    return ", ".join(parts) if parts else "keine Kennzahl"


def _rollup(pairs: pd.DataFrame, key: str) -> pd.DataFrame:
    """Counts per light and the rolled-up light for each `key` over (key, indicator, light) rows."""
    counts = pd.crosstab(pairs[key], pairs["light"]).reindex(columns=list(COUNTED), fill_value=0)
    worst = pd.Series("grau", index=counts.index, dtype=object)
    for light in reversed(RATED):  # the worse light overwrites the better
        worst = worst.mask(counts[light] > 0, light)
    return counts.assign(light=worst)


def linked_indicators(links: pd.DataFrame, status: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per Handlungsziel × Kennzahl with the Kennzahl's value, target in force and light in the
    status rows given (one area); a Kennzahl without a value there is `grau` with reason 'kein Wert'."""
    names = indicators.set_index("code")
    rows = links.merge(status, on="indicator", how="left", suffixes=("", "_status"))
    rows["indicator_name"] = rows["indicator"].map(names["name"]).fillna(rows["indicator"])
    rows["has_value"] = rows["light"].notna()
    rows["light"] = rows["light"].fillna("grau")
    decimals = rows["indicator"].map(names["decimals"]).fillna(1).astype(int)
    unit = rows["indicator"].map(names["unit"]).fillna("")
    if rows["has_value"].any():
        shown = rows.loc[rows["has_value"]]
        rows.loc[rows["has_value"], "value_text"] = format_number_column(
            shown["value"], decimals[rows["has_value"]], unit[rows["has_value"]]
        )
        rows.loc[rows["has_value"], "target_text"] = target_column(
            shown, decimals[rows["has_value"]], unit[rows["has_value"]]
        )
    rows["value_text"] = rows.get("value_text", pd.Series("", index=rows.index)).fillna("kein Wert")
    rows["target_text"] = rows.get("target_text", pd.Series("", index=rows.index)).fillna("")
    year = pd.to_numeric(rows["target_year"], errors="coerce")
    rows["target_text"] = rows["target_text"].where(
        rows["target_text"].eq("") | year.isna(),
        "Ziel " + year.astype("Int64").astype(str) + ": " + rows["target_text"],
    )
    rows["target_text"] = rows["target_text"].where(rows["target_text"] != "", "kein Ziel in Kraft")
    return rows


def goal_lights(goals: pd.DataFrame, linked: pd.DataFrame) -> pd.DataFrame:
    """Per goal (index: code): counts of rot, gelb, gruen, grau, the rolled-up `light` and `counts` in words.

    A Handlungsziel over its Kennzahlen; a Leitziel over the Kennzahlen of its Handlungsziele, each once.
    """
    own = linked[["goal_code", "indicator", "light"]].rename(columns={"goal_code": "code"})
    parent = goals.set_index("code")["parent"]
    upward = own.assign(code=own["code"].map(parent)).dropna(subset=["code"])
    upward = upward.drop_duplicates(["code", "indicator"])
    pairs = pd.concat([own, upward], ignore_index=True)
    if pairs.empty:
        table = pd.DataFrame(0, index=goals["code"], columns=list(COUNTED)).assign(light="grau")
    else:
        table = _rollup(pairs, "code").reindex(goals["code"]).fillna({c: 0 for c in COUNTED})
        table[list(COUNTED)] = table[list(COUNTED)].astype(int)
        table["light"] = table["light"].fillna("grau")
    table["counts"] = [counts_text(row) for row in table[list(COUNTED)].to_dict("records")]  # one per goal
    table.index.name = "code"
    return table


def light_label(light: str) -> str:
    """'Rot' for a light key."""
    return LIGHT_LOOKS[light].label


# Words of a Handlungsziel that ask for change, not for keeping a level (method 3: a limit is decided).
CHANGE_WORDS = r"\b(?:mehr|weniger|steigen|steigern|steigt|erhöhen|senken|sinkt|verringern|verbessern|höher|niedriger)"


def limits_against_goals(targets: pd.DataFrame, goals: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Decided Halteziele (`target_type` halten) on a Kennzahl whose Handlungsziel's wording asks for change
    ("Weniger Geflüchtete …"): the committee would read a kept limit as the goal reached. One row per target ×
    Handlungsziel with indicator, area, goal code and the goal's words."""
    limits = targets.loc[targets["target_type"].eq("halten"), ["indicator", "area"]]
    wording = goals.loc[goals["kind"].eq("handlungsziel"), ["code", "title", "text"]]
    wording = wording.assign(words=wording["title"].fillna("") + " " + wording["text"].fillna(""))
    asking = wording.loc[wording["words"].str.lower().str.contains(CHANGE_WORDS, regex=True)]
    linked = links.merge(asking, left_on="goal_code", right_on="code")[["indicator", "goal_code", "words"]]
    return limits.merge(linked, on="indicator").reset_index(drop=True)
