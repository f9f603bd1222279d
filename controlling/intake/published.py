"""Published rows that cannot be taken as they stand (issue 23): a statistical office's file is never corrected
here, but its rows that contradict themselves are set aside, each listed with its reason in the preview."""

from __future__ import annotations

import pandas as pd

from controlling.reference.areas import contradicting_names, germany_areas, map_codes
from controlling.rules import PROBLEM_COLUMNS


def set_aside(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Published rows that cannot be taken as they stand, each listed with its reason:
    - a row whose area name names another area than its code (a shifted code in the publisher's file);
    - the same cell twice with different values (both left out: which one is meant is not known);
    the same cell twice with the same value is taken once."""
    if raw.empty:
        return raw, pd.DataFrame(columns=PROBLEM_COLUMNS)
    reference = germany_areas()["name"].set_axis(germany_areas()["code"])
    contradiction = contradicting_names(raw["area"], raw["area_name"]).to_numpy()
    key = ["series", "area", "year", "breakdown"]
    exact = raw.duplicated([*key, "value"]).to_numpy()
    kept = raw.loc[~exact & ~contradiction]
    conflicting = kept.duplicated(key, keep=False).to_numpy()
    shown = map_codes(raw["area"], reference)
    reasons = [
        pd.DataFrame(
            {
                "line": raw.loc[contradiction, "line"].astype(int),
                "column": raw.loc[contradiction, "column"],
                "value": raw.loc[contradiction, "area_name"] + " / " + raw.loc[contradiction, "area"],
                "message": "Der Gebietsname »"
                + raw.loc[contradiction, "area_name"]
                + "« passt nicht zum Gebietscode "
                + raw.loc[contradiction, "area"]
                + " ("
                + shown[contradiction]
                + ") – in der Veröffentlichung verrutscht, ausgelassen.",
            }
        ),
        pd.DataFrame(
            {
                "line": kept.loc[conflicting, "line"].astype(int),
                "column": kept.loc[conflicting, "column"],
                "value": kept.loc[conflicting, "value"],
                "message": "Derselbe Wert (Gebiet "
                + kept.loc[conflicting, "area"]
                + ", Jahr "
                + kept.loc[conflicting, "year"]
                + ") steht mehrmals mit verschiedenen Zahlen in der Veröffentlichung – alle ausgelassen.",
            }
        ),
    ]
    if exact.any():
        reasons.append(
            pd.DataFrame(
                {
                    "line": raw.loc[exact, "line"].astype(int),
                    "column": raw.loc[exact, "column"],
                    "value": raw.loc[exact, "value"],
                    "message": "Doppelte Zeile mit gleichem Wert in der Veröffentlichung – einmal übernommen.",
                }
            )
        )
    return kept.loc[~conflicting].reset_index(drop=True), pd.concat(reasons, ignore_index=True)
