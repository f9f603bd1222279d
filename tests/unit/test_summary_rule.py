"""One colour rule for every summary (issue 25, point 4): the worst rated light, Grau only when none is rated."""

from __future__ import annotations

import pandas as pd

from controlling.goals.tree import rolled_up
from controlling.method.overview import light_matrix, summary_lights

FIELDS = pd.DataFrame({"code": ["BIL", "SPR"], "name": ["Bildung", "Sprache"], "rated": [True, True]})
AREAS = pd.DataFrame({"code": ["03157"], "name": ["Landkreis Peine"]})


def status(lights: dict[str, list[str]]) -> pd.DataFrame:
    rows = [(field, "03157", light) for field, found in lights.items() for light in found]
    return pd.DataFrame(rows, columns=["field", "area", "light"])


def test_a_cell_with_two_red_and_five_green_is_red_like_its_goal():
    # The case of the issue: Landkreis × Bildung "✖ 2 · ▲ 2 · ✔ 5" was green (most frequent) on the overview
    # while Leitbild und Ziele showed Rot for BIL-L1 (worst light).
    lights = {"BIL": ["rot"] * 2 + ["gelb"] * 2 + ["gruen"] * 5, "SPR": ["grau", "grau"]}
    summary = summary_lights(status(lights), FIELDS, AREAS)
    assert summary.loc["Bildung", "Landkreis Peine"] == "rot"
    assert summary.loc["Bildung", "Landkreis Peine"] == rolled_up(pd.Series(lights["BIL"]))
    assert summary.loc["Sprache", "Landkreis Peine"] == "grau"  # none rated
    assert light_matrix(status(lights), FIELDS, AREAS).loc["Bildung", "Landkreis Peine"] == "✖ 2 · ▲ 2 · ✔ 5"


def test_grey_lights_beside_rated_ones_do_not_colour_the_cell():
    summary = summary_lights(status({"BIL": ["grau", "grau", "gruen"], "SPR": ["gelb", "grau"]}), FIELDS, AREAS)
    assert summary.loc["Bildung", "Landkreis Peine"] == "gruen"
    assert summary.loc["Sprache", "Landkreis Peine"] == "gelb"


def test_a_gemeinde_row_on_too_few_cases_is_named_as_not_compared_in_the_table_too():
    """Issue 25, point 5: Edemissen's BIL-05 (15,0 % against 20,2 %, too few cases) read "besser" in the table
    while the statement said no Kennzahl stood out."""
    from controlling.method.overview import NOT_COMPARED, standing_out

    status = pd.DataFrame(
        {
            "indicator": ["BIL-05", "BIL-05", "ARB-01", "ARB-01"],
            "area": ["03157001", "03157", "03157001", "03157"],
            "value": [15.0, 20.2, 8.0, 10.0],
            "light": ["grau", "gelb", "gruen", "gelb"],
            "light_reason": ["kleine_fallzahl", "leicht_verfehlt", "auf_kurs", "leicht_verfehlt"],
            "unit": ["%"] * 4,
            "sign": [-1.0] * 4,
        }
    )
    rows = standing_out(status, area="03157001", kreis="03157").set_index("indicator")
    assert rows.loc["BIL-05", "direction"] == NOT_COMPARED and not rows.loc["BIL-05", "stands_out"]
    assert rows.loc["ARB-01", "direction"] == "besser" and rows.loc["ARB-01", "stands_out"]


def test_a_year_without_a_number_leaves_the_sparkline_a_line():
    """Issue 25 point 8: ARB-07's 2024 value is `...`; its Verlauf cell showed raw text "50,52.5,54…"."""
    import numpy as np

    from controlling.method.overview import field_table

    status = pd.DataFrame({"field": ["ARB"], "area": ["03157"], "indicator": ["ARB-07"]})
    values = pd.DataFrame(
        {"indicator": "ARB-07", "area": "03157", "year": [2022, 2023, 2024], "value": [50.0, 52.5, np.nan]}
    )
    assert field_table(status, values, field="ARB", area="03157")["series"].tolist() == [[50.0, 52.5]]
