"""Charts: German ticks and readable comparisons of areas of very different size."""

from __future__ import annotations

import pandas as pd

from controlling.charts import time_series

META = pd.Series({"name": "Bevölkerung insgesamt", "unit": "Anzahl", "decimals": 0})
NAMES = {"03": "Niedersachsen", "03157001": "Edemissen"}


def values(land: float, gemeinde: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area": ["03", "03", "03157001", "03157001"],
            "year": [2015, 2024, 2015, 2024],
            "value": [land, land * 1.02, gemeinde, gemeinde * 1.1],
        }
    )


def test_counts_of_very_different_areas_are_drawn_as_an_index_not_a_flat_line():
    figure = time_series(values(7_900_000, 12_349), pd.DataFrame(columns=["area"]), META, NAMES, focus="03157001")
    assert "Index" in figure.layout.yaxis.title.text
    ends = {trace.name: list(trace.y) for trace in figure.data}
    assert ends["Edemissen"][0] == 100.0 and abs(ends["Edemissen"][1] - 110.0) < 1e-9
    assert figure.layout.yaxis.tickformat == ",~f" and figure.layout.separators == ",."


def test_counts_of_similar_areas_keep_their_scale():
    figure = time_series(values(13_000, 12_349), pd.DataFrame(columns=["area"]), META, NAMES, focus="03157001")
    assert figure.layout.yaxis.title.text == "Anzahl"
