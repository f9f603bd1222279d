"""plotly figure builders (pure: frames in, figures out; no streamlit). German number format throughout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from controlling.formatting import display_unit, format_number_column
from controlling.presentation import LIGHT_LOOKS, LIGHT_ORDER

KREIS_COLOUR = "#1f4e79"
LAND_COLOUR = "#7f7f7f"
GEMEINDE_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#999933", "#882255")
FONT = {"family": "Source Sans Pro, DejaVu Sans, sans-serif", "size": 14}


def _layout(figure: go.Figure, title: str, unit: str) -> go.Figure:
    figure.update_layout(
        title={"text": title, "x": 0, "font": {"size": 17}},
        separators=",.",  # decimal comma, thousands point
        font=FONT,
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hovermode="x unified",
        plot_bgcolor="white",
        height=430,
    )
    figure.update_yaxes(title=display_unit(unit) or "Anzahl", gridcolor="#e5e5e5", zeroline=False)
    figure.update_xaxes(title="Jahr", tickformat="d", dtick=1, gridcolor="#f2f2f2")
    return figure


def time_series(
    values: pd.DataFrame, status: pd.DataFrame, meta: pd.Series, area_names: dict[str, str], *, focus: str
) -> go.Figure:
    """Values per area over the years; for the focus area also target path, target and projection."""
    figure = go.Figure()
    unit = str(meta["unit"])
    decimals = int(meta["decimals"])
    hover_unit = display_unit(unit)
    order = sorted(values["area"].unique(), key=lambda code: (code != focus, len(code), code))
    for position, area in enumerate(order):
        rows = values.loc[values["area"] == area].sort_values("year")
        is_focus = area == focus
        colour = (
            KREIS_COLOUR
            if len(area) == 5
            else LAND_COLOUR
            if len(area) == 2
            else (GEMEINDE_COLOURS[position % len(GEMEINDE_COLOURS)])
        )
        label = area_names.get(area, area)
        figure.add_trace(
            go.Scatter(
                x=rows["year"],
                y=rows["value"],
                name=label,
                mode="lines+markers",
                line={"color": colour, "width": 4 if is_focus else 1.8, "dash": "solid" if len(area) != 2 else "dot"},
                marker={"size": 8 if is_focus else 5, "symbol": "circle" if is_focus else "diamond"},
                customdata=format_number_column(rows["value"], decimals, unit),
                hovertemplate=f"{label}: %{{customdata}}<extra></extra>",
                opacity=1 if is_focus else 0.75,
            )
        )
    target = status.loc[status["area"] == focus]
    if len(target) and pd.notna(target["target_value"].iloc[0]):
        row = target.iloc[0]
        if pd.notna(row["baseline_value"]):
            figure.add_trace(
                go.Scatter(
                    x=[row["baseline_year"], row["target_year"]],
                    y=[row["baseline_value"], row["target_value"]],
                    name="Zielpfad (Basisjahr → Zieljahr)",
                    mode="lines",
                    line={"color": "#444", "dash": "dash", "width": 2},
                    hovertemplate=f"Zielpfad: %{{y:,.{decimals}f}} {hover_unit}<extra></extra>",
                )
            )
        figure.add_trace(
            go.Scatter(
                x=[row["target_year"]],
                y=[row["target_value"]],
                name="Ziel",
                mode="markers",
                marker={"symbol": "star", "size": 16, "color": "#444"},
                hovertemplate=f"Ziel %{{x}}: %{{y:,.{decimals}f}} {hover_unit}<extra></extra>",
            )
        )
        if pd.notna(row["mean_change"]) and pd.notna(row["target_year"]) and row["target_year"] > row["year"]:
            projected = row["value"] + row["mean_change"] * (row["target_year"] - row["year"])
            figure.add_trace(
                go.Scatter(
                    x=[row["year"], row["target_year"]],
                    y=[row["value"], projected],
                    name="Prognose (Trend fortgesetzt)",
                    mode="lines",
                    line={"color": KREIS_COLOUR, "dash": "dot", "width": 2},
                    hovertemplate=f"Prognose: %{{y:,.{decimals}f}} {hover_unit}<extra></extra>",
                )
            )
    return _layout(figure, f"{meta['name']} ({display_unit(unit) or 'Anzahl'})", unit)


def comparison(
    values: pd.DataFrame, meta: pd.Series, area_names: dict[str, str], *, year: int, highlight: str
) -> go.Figure:
    """Horizontal bars of one year across areas (Kreis highlighted), sorted by value."""
    rows = values.loc[(values["year"] == year) & values["value"].notna()].sort_values("value")
    unit, decimals = str(meta["unit"]), int(meta["decimals"])
    labels = rows["area"].map(area_names).fillna(rows["area"])
    colours = ["#1f4e79" if a == highlight else "#7f7f7f" if len(a) == 2 else "#9ecae1" for a in rows["area"]]
    figure = go.Figure(
        go.Bar(
            x=rows["value"],
            y=labels,
            orientation="h",
            marker_color=colours,
            text=format_number_column(rows["value"], decimals, unit),
            textposition="outside",
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    figure = _layout(figure, f"{meta['name']} {year} im Vergleich", unit)
    figure.update_traces(cliponaxis=False)
    figure.update_layout(
        height=max(320, 28 * len(rows) + 120),
        hovermode="closest",
        showlegend=False,
        margin={"l": 60, "r": 80, "t": 60, "b": 40},
    )
    figure.update_xaxes(title=display_unit(unit) or "Anzahl", tickformat=None, dtick=None)
    figure.update_yaxes(title=None)
    return figure


def load_geojson(path: Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection from disk."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _map_colours(frame: pd.DataFrame, by: str) -> tuple[pd.Series, dict[str, str]]:
    if by == "light":
        labels = frame["light"].map(lambda k: f"{LIGHT_LOOKS[k].symbol} {LIGHT_LOOKS[k].label}")
        return labels, {f"{LIGHT_LOOKS[k].symbol} {LIGHT_LOOKS[k].label}": LIGHT_LOOKS[k].colour for k in LIGHT_ORDER}
    return frame["value"], {}


def choropleth(
    frame: pd.DataFrame, geojson: dict[str, Any], *, by: str, title: str, unit: str, decimals: int
) -> go.Figure:
    """Gemeinden coloured by value (sequential scale) or by light (with symbols); no tile server."""
    text = frame["area_name"] + "<br>" + format_number_column(frame["value"], decimals, unit)
    if by == "light":
        text = text + "<br>" + frame["light"].map(lambda k: f"{LIGHT_LOOKS[k].symbol} {LIGHT_LOOKS[k].label}")
    figure = go.Figure()
    if by == "light":
        for light in LIGHT_ORDER:
            rows = frame.loc[frame["light"] == light]
            if rows.empty:
                continue
            look = LIGHT_LOOKS[light]
            figure.add_trace(
                go.Choropleth(
                    geojson=geojson,
                    locations=rows["area"],
                    z=[1] * len(rows),
                    featureidkey="properties.AGS",
                    colorscale=[[0, look.colour], [1, look.colour]],
                    showscale=False,
                    name=f"{look.symbol} {look.label}",
                    text=text[rows.index],
                    hovertemplate="%{text}<extra></extra>",
                    marker_line_color="white",
                    marker_line_width=1.5,
                    showlegend=True,
                )
            )
    else:
        figure.add_trace(
            go.Choropleth(
                geojson=geojson,
                locations=frame["area"],
                z=frame["value"],
                featureidkey="properties.AGS",
                colorscale="Blues",
                colorbar={"title": display_unit(unit) or "Anzahl", "separatethousands": True},
                text=text,
                hovertemplate="%{text}<extra></extra>",
                marker_line_color="white",
                marker_line_width=1.5,
            )
        )
    figure.update_geos(fitbounds="locations", visible=False)
    figure.update_layout(
        title={"text": title, "x": 0},
        separators=",.",
        font=FONT,
        height=560,
        margin={"l": 0, "r": 0, "t": 50, "b": 0},
        legend={"orientation": "h", "y": -0.02},
    )
    _label_areas(figure, frame, geojson)
    return figure


def _label_areas(figure: go.Figure, frame: pd.DataFrame, geojson: dict[str, Any]) -> None:
    """Gemeinde names on the map (at the mean of each outline's points)."""
    centres = {}
    for feature in geojson.get("features", []):
        code = feature.get("properties", {}).get("AGS")
        points = _points(feature.get("geometry", {}))
        if code and points:
            centres[code] = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    rows = frame.loc[frame["area"].isin(centres)]
    figure.add_trace(
        go.Scattergeo(
            lon=[centres[a][0] for a in rows["area"]],
            lat=[centres[a][1] for a in rows["area"]],
            text=rows["area_name"],
            mode="text",
            textfont={"size": 13, "color": "#111"},
            hoverinfo="skip",
            showlegend=False,
        )
    )


def _points(geometry: dict[str, Any]) -> list[tuple[float, float]]:
    """The outer rings' points of a Polygon or MultiPolygon."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates", [])
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [(float(point[0]), float(point[1])) for polygon in polygons for point in polygon[0]]


def tile_map(frame: pd.DataFrame, grid: pd.DataFrame, *, by: str, title: str, unit: str, decimals: int) -> go.Figure:
    """A schematic map: one square per Gemeinde at its grid position, coloured by value or light."""
    rows = frame.merge(grid, on="area")
    values = format_number_column(rows["value"], decimals, unit)
    figure = go.Figure()
    if by == "light":
        colours = rows["light"].map(lambda k: LIGHT_LOOKS[k].colour)
        marks = rows["light"].map(lambda k: f"{LIGHT_LOOKS[k].symbol} {LIGHT_LOOKS[k].label}")
    else:
        span = (rows["value"] - rows["value"].min()) / max(rows["value"].max() - rows["value"].min(), 1e-9)
        palette = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c"]
        colours = span.fillna(0).map(lambda s: palette[min(int(s * (len(palette) - 1) + 0.5), len(palette) - 1)])
        marks = pd.Series("", index=rows.index)
    figure.add_trace(
        go.Scatter(
            x=rows["column"],
            y=-rows["row"],
            mode="markers+text",
            marker={"symbol": "square", "size": 118, "color": colours, "line": {"color": "white", "width": 3}},
            text=rows["area_name"] + "<br>" + values + "<br>" + marks,
            textfont={"size": 13, "color": "#111"},
            hovertext=rows["area_name"] + ": " + values + " " + marks,
            hoverinfo="text",
            showlegend=False,
        )
    )
    figure.update_layout(
        title={"text": title, "x": 0},
        font=FONT,
        height=560,
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    figure.update_xaxes(visible=False, range=[grid["column"].min() - 0.7, grid["column"].max() + 0.7])
    figure.update_yaxes(visible=False, range=[-grid["row"].max() - 0.7, -grid["row"].min() + 0.7])
    return figure
