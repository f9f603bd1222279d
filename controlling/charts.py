"""plotly figure builders (pure: frames in, figures out; no streamlit). German number format throughout."""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from controlling.formatting import display_unit, format_number_column
from controlling.method.presentation import LIGHT_LOOKS

KREIS_COLOUR = "#1f4e79"
LAND_COLOUR = "#7f7f7f"
GEMEINDE_COLOURS = ("#56B4E9", "#E69F00", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#999933", "#882255")
FONT = {"family": "Source Sans Pro, DejaVu Sans, sans-serif", "size": 14}


def _layout(figure: go.Figure, title: str, unit: str) -> go.Figure:
    figure.update_layout(
        # plotly reads <a href>, <b>, <span style> in a title: a Kennzahl name is shown as the characters it is.
        title={"text": html.escape(title, quote=False), "x": 0, "font": {"size": 17}},
        separators=",.",  # decimal comma, thousands point
        font=FONT,
        margin={"l": 60, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.1, "yanchor": "top", "x": 0},
        hovermode="x unified",
        plot_bgcolor="white",
        height=430,
    )
    # German ticks: "16.000", "2,5" (never "16k" or "8M"); enough of them that the lowest line has one.
    figure.update_yaxes(
        title=display_unit(unit) or "Anzahl", gridcolor="#e5e5e5", zeroline=False, tickformat=",~f", nticks=8
    )
    # The years speak for themselves; an axis title would sit on the legend below.
    figure.update_xaxes(title=None, tickformat="d", dtick=1, gridcolor="#f2f2f2")
    return figure


INDEX_RATIO = 20  # counts whose areas differ more than this are compared as an index


def _needs_index(values: pd.DataFrame, unit: str) -> bool:
    """Counts of areas whose sizes differ more than INDEX_RATIO-fold (Land, Kreis and Gemeinden together)."""
    if unit != "Anzahl" or values.empty:
        return False
    sizes = values.groupby("area")["value"].max().abs()
    sizes = sizes[sizes > 0]
    return len(sizes) > 1 and bool(sizes.max() / sizes.min() > INDEX_RATIO)


def time_series(
    values: pd.DataFrame, status: pd.DataFrame, meta: pd.Series, area_names: dict[str, str], *, focus: str
) -> go.Figure:
    """Values per area over the years; for the focus area also target path, target and projection.

    Counts of areas of very different size (the Land beside a Gemeinde) are drawn as an index, first year
    = 100, so that the small ones are not flat lines at zero; the hover still shows the counts.
    """
    figure = go.Figure()
    unit = str(meta["unit"])
    decimals = int(meta["decimals"])
    hover_unit = display_unit(unit)
    indexed = _needs_index(values, unit)
    if indexed:
        first = values.sort_values("year").groupby("area")["value"].transform("first")
        values = values.assign(shown=values["value"] / first.where(first != 0) * 100)
    else:
        values = values.assign(shown=values["value"])
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
                y=rows["shown"],
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
    if indexed:
        figure = _layout(figure, f"{meta['name']} (Index: erstes Jahr = 100)", "")
        figure.update_yaxes(title="Index (erstes Jahr = 100)")
        return figure
    if len(target) and pd.notna(target["target_value"].iloc[0]):
        row = target.iloc[0]
        holding = bool(row.get("holding_target", False))
        transferred = row.get("target_kind") == "kreisziel_anteilig"
        target_name = ("Grenze" if holding else "Ziel") + (" (Kreisziel anteilig)" if transferred else "")
        if pd.notna(row["baseline_value"]):
            figure.add_trace(
                go.Scatter(
                    x=[row["baseline_year"], row["target_year"]],
                    # A limit to keep is a level, not a path.
                    y=[row["target_value"] if holding else row["baseline_value"], row["target_value"]],
                    name="Grenze (Halteziel)" if holding else "Zielpfad (Basisjahr → Zieljahr)",
                    mode="lines",
                    line={"color": "#444", "dash": "dash", "width": 2},
                    hovertemplate=f"{target_name}: %{{y:,.{decimals}f}} {hover_unit}<extra></extra>",
                )
            )
        figure.add_trace(
            go.Scatter(
                x=[row["target_year"]],
                y=[row["target_value"]],
                name=target_name,
                showlegend=not holding,  # the limit's line is already in the legend
                mode="markers",
                marker={"symbol": "star", "size": 16, "color": "#444"},
                hovertemplate=f"{target_name} %{{x}}: %{{y:,.{decimals}f}} {hover_unit}<extra></extra>",
            )
        )
        if pd.notna(row["mean_change"]) and pd.notna(row["target_year"]) and row["target_year"] > row["year"]:
            projected = row["value"] + row["mean_change"] * (row["target_year"] - row["year"])
            if unit == "%":
                projected = min(100.0, max(0.0, projected))  # a share stays within 0-100 %
            figure.add_trace(
                go.Scatter(
                    x=[row["year"], row["target_year"]],
                    y=[row["value"], projected],
                    name="Entwicklung der letzten fünf Jahre fortgesetzt",
                    mode="lines",
                    line={"color": KREIS_COLOUR, "dash": "dot", "width": 2},
                    hovertemplate=f"fortgesetzt: %{{y:,.{decimals}f}} {hover_unit}<extra></extra>",
                )
            )
    figure = _layout(figure, f"{meta['name']} ({display_unit(unit) or 'Anzahl'})", unit)
    years = [year for trace in figure.data for year in trace.x if year is not None]
    if years and max(years) - min(years) > 10:
        figure.update_xaxes(dtick=2)  # every year would crowd the axis on a tablet
    return figure


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


def _value_colours(values: pd.Series) -> pd.Series:
    """Blues by value, the same scale as the colour bar."""
    low, high = values.min(), values.max()
    share = ((values - low) / (high - low if high > low else 1)).fillna(0).clip(0, 1)
    return pd.Series(sample_colorscale("Blues", list(0.15 + 0.8 * share)), index=values.index)


def choropleth(
    frame: pd.DataFrame, geojson: dict[str, Any], *, by: str, title: str, unit: str, decimals: int
) -> go.Figure:
    """Gemeinden drawn from their GeoJSON outlines, coloured by value or light, with no map service.

    plotly's geo maps fetch their base layers from the internet, so the outlines are drawn as shapes.
    """
    shapes = {
        feature.get("properties", {}).get("AGS"): _rings(feature.get("geometry", {}))
        for feature in geojson.get("features", [])
    }
    rows = frame.loc[frame["area"].isin(list(shapes))].reset_index(drop=True)
    values = format_number_column(rows["value"], decimals, unit)
    looks = rows["light"].map(lambda k: LIGHT_LOOKS[k])
    colours = looks.map(lambda look: look.colour) if by == "light" else _value_colours(rows["value"])
    points = [point for rings in shapes.values() for ring in rings for point in ring]
    mid_latitude = sum(point[1] for point in points) / max(1, len(points))
    stretch = 1 / math.cos(math.radians(mid_latitude))  # keeps the shapes true to form at this latitude
    figure = go.Figure()
    shown: set[str] = set()
    for area, name, text, look, colour in zip(rows["area"], rows["area_name"], values, looks, colours, strict=True):
        label = f"{look.symbol} {look.label}"
        for ring in shapes[area]:
            figure.add_trace(
                go.Scatter(
                    x=[p[0] for p in ring],
                    y=[p[1] * stretch for p in ring],
                    fill="toself",
                    mode="lines",
                    fillcolor=colour,
                    line={"color": "white", "width": 2},
                    name=label if by == "light" else name,
                    legendgroup=label,
                    showlegend=by == "light" and label not in shown,
                    hoverinfo="text",
                    text=f"{name}: {text} · {label}",
                )
            )
            shown.add(label)
        x, y = _centre(shapes[area])
        figure.add_annotation(
            x=x,
            y=y * stretch,
            text=f"<b>{name}</b><br>{text}",
            showarrow=False,
            font={"size": 12, "color": "#111"},
            bgcolor="rgba(255,255,255,0.75)",
        )
    if by == "value" and len(rows):
        ends = sample_colorscale("Blues", [0.15, 0.95])
        figure.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                showlegend=False,
                hoverinfo="skip",
                marker={
                    "colorscale": [[0, ends[0]], [1, ends[1]]],
                    "cmin": rows["value"].min(),
                    "cmax": rows["value"].max(),
                    "color": [rows["value"].min()],
                    "colorbar": {"title": display_unit(unit) or "Anzahl", "separatethousands": True},
                },
            )
        )
    figure.update_layout(
        title={"text": title, "x": 0},
        separators=",.",
        font=FONT,
        height=600,
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.02},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return figure


def _rings(geometry: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The outer rings of a Polygon or MultiPolygon as (lon, lat) lists."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates", [])
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [[(float(p[0]), float(p[1])) for p in polygon[0]] for polygon in polygons]


def _centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """Mean of the largest ring's points: a label position inside simple shapes."""
    ring = max(rings, key=len)
    return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)


def _text_colour(fill: str) -> str:
    """Dark text on a pale fill, white on a dark one (black on the darkest blue was hard to read)."""
    red, green, blue = (int(fill.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return "#111" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#fff"


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
            textfont={"size": 13, "color": colours.map(_text_colour).tolist()},
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
