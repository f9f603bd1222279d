"""Charts: German ticks and readable comparisons of areas of very different size."""

from __future__ import annotations

import pandas as pd

from controlling.charts import comparison_table, series_table, time_series

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


def test_the_comparison_and_series_have_their_data_as_a_table():
    """Issue 25, point 10: every chart has a text alternative, its data as a table in German figures."""
    values = pd.DataFrame(
        {"area": ["03157", "03", "03157", "03"], "year": [2023, 2023, 2024, 2024], "value": [1.5, 2.0, 1.75, None]}
    )
    meta = pd.Series({"unit": "%", "decimals": 1})
    names = {"03157": "Peine", "03": "Niedersachsen"}
    bars = comparison_table(values, meta, names, year=2023)
    assert bars.to_dict("records") == [
        {"Gebiet": "Niedersachsen", "Wert": "2,0 %"},
        {"Gebiet": "Peine", "Wert": "1,5 %"},
    ]
    series = series_table(values, meta, names)
    assert series.to_dict("records") == [
        {"Jahr": "2023", "Niedersachsen": "2,0 %", "Peine": "1,5 %"},
        {"Jahr": "2024", "Niedersachsen": "–", "Peine": "1,8 %"},
    ]


def test_the_map_legend_explains_every_light_and_the_missing_value():
    """Issue 25, point 8: the map's legend named only the lights that occurred (and nothing for "kein Wert")."""
    import pandas as pd

    from controlling.charts import area_map

    square = {"type": "Polygon", "coordinates": [[[10.0, 52.0], [10.1, 52.0], [10.1, 52.1], [10.0, 52.0]]]}
    shapes = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"AGS": code}, "geometry": square} for code in ("03157001", "03157002")
        ],
    }
    frame = pd.DataFrame(
        {"area": ["03157001", "03157002"], "area_name": ["A", "B"], "value": [12.5, None], "light": ["gruen", "grau"]}
    )
    kwargs = {"title": "t", "unit": "%", "decimals": 1, "source_note": "Quelle"}
    by_light = area_map(frame, shapes, by="light", **kwargs)
    assert [t.name for t in by_light.data if t.showlegend] == ["✔ Grün", "▲ Gelb", "✖ Rot", "○ Grau"]
    by_value = area_map(frame, shapes, by="value", **kwargs)
    assert [t.name for t in by_value.data if t.showlegend] == ["kein Wert (weiß, gepunktet)"]
