"""plotly figure builders (pure: frames in, figures out; no streamlit). German number format throughout."""

from __future__ import annotations

import html
import math
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
    figure.update_yaxes(title=None, dtick=1)  # every area named, also with 45 Kreise
    return figure


# Fill patterns beside the colours: a light is told by its pattern and symbol too, never by colour alone.
LIGHT_PATTERNS = {"gruen": "", "gelb": "/", "rot": "x", "grau": "."}
NO_VALUE_COLOUR = "#ffffff"  # with a dotted pattern: "kein Wert"
NAMED_AREAS = 15  # up to this many areas carry their name on the map; more would cover each other


def _value_colours(values: pd.Series) -> pd.Series:
    """Blues by value, the same scale as the colour bar; pale grey where there is no value."""
    low, high = values.min(), values.max()
    share = ((values - low) / (high - low if high > low else 1)).fillna(0).clip(0, 1)
    colours = pd.Series(sample_colorscale("Blues", list(0.15 + 0.8 * share)), index=values.index)
    return colours.where(values.notna(), NO_VALUE_COLOUR)


def _legend_swatch(name: str, colour: str, pattern: str) -> go.Scatter:
    """A legend entry only: a filled, patterned swatch with no shape on the map."""
    return go.Scatter(
        x=[None],
        y=[None],
        fill="toself",
        mode="lines",
        fillcolor=colour,
        fillpattern={"shape": pattern, "bgcolor": colour, "fgcolor": "#222", "fgopacity": 0.45, "size": 9},
        line={"color": "#888", "width": 1},
        name=name,
        showlegend=True,
        hoverinfo="skip",
    )


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """The rings (outer and holes) of a Polygon or MultiPolygon as [lon, lat] lists."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates", [])
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    return [ring for polygon in polygons for ring in polygon]


def _path(rings: list[list[list[float]]], stretch: float) -> tuple[list[float | None], list[float | None]]:
    """x and y of all rings of one area, separated by gaps (one trace draws them all)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in rings:
        xs += [point[0] for point in ring] + [None]
        ys += [point[1] * stretch for point in ring] + [None]
    return xs, ys


def _extent(rings: list[list[list[float]]]) -> float:
    """Area of the bounding box: which outline to draw first."""
    xs = [point[0] for ring in rings for point in ring]
    ys = [point[1] for ring in rings for point in ring]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


def area_map(
    frame: pd.DataFrame,
    geojson: dict[str, Any],
    *,
    by: str,
    title: str,
    unit: str,
    decimals: int,
    source_note: str,
    highlight: str | None = None,
    label: str = "auto",
) -> go.Figure:
    """Areas drawn from their outlines, coloured by value or light, with a label and a pattern; no map service.

    plotly's geo maps load their base layers from the internet (cdn.plot.ly), even with a GeoJSON of their own,
    so the outlines are drawn as filled shapes on plain axes: nothing is requested from any other host.
    `frame` has area, area_name, value, light; `label` "name" writes name and value on each area, "value" only the
    value (many small areas; the name is in the hover), "auto" names up to NAMED_AREAS areas. The `highlight` area
    gets a thick dark outline and its name.
    """
    shapes = {
        str(feature.get("properties", {}).get("AGS")): _rings(feature.get("geometry", {}))
        for feature in geojson.get("features", [])
    }
    anchors = {
        str(feature["properties"]["AGS"]): feature["properties"]["label"]
        for feature in geojson.get("features", [])
        if "label" in feature.get("properties", {})
    }
    rows = frame.loc[frame["area"].isin(list(shapes))].reset_index(drop=True)
    if label == "auto":
        label = "name" if len(rows) <= NAMED_AREAS else "value"
    values = format_number_column(rows["value"], decimals, unit).where(rows["value"].notna(), "kein Wert")
    codes, names = rows["area"].astype(str).tolist(), rows["area_name"].astype(str).tolist()
    texts, lights = values.astype(str).tolist(), rows["light"].astype(str).tolist()
    looks = [LIGHT_LOOKS[light] for light in lights]
    missing = rows["value"].isna().tolist()
    fills = [look.colour for look in looks] if by == "light" else _value_colours(rows["value"]).tolist()
    points = [point for area in codes for ring in shapes[area] for point in ring]
    lons = [point[0] for point in points] or [0.0]
    lats = [point[1] for point in points] or [0.0]
    stretch = 1 / math.cos(math.radians(sum(lats) / len(lats)))  # keeps the shapes true to form at this latitude
    figure = go.Figure()
    # Larger areas first, so that a town inside its Kreis (a hole there) is drawn on top of it; the highlighted
    # area last, so that no neighbour covers its outline.
    for index in sorted(range(len(codes)), key=lambda i: (codes[i] == highlight, -_extent(shapes[codes[i]]))):
        area, name, text, look, light = codes[index], names[index], texts[index], looks[index], lights[index]
        mark = f"{look.symbol} {look.label}"
        xs, ys = _path(shapes[area], stretch)
        own = area == highlight
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                fill="toself",
                mode="lines",
                fillcolor=fills[index],
                # Lights and "no value" are told by a pattern too, not by colour alone.
                fillpattern={
                    "shape": LIGHT_PATTERNS[light] if by == "light" else "." * missing[index],
                    "bgcolor": fills[index],
                    "fgcolor": "#222",
                    "fgopacity": 0.45,
                    "size": 9,
                    "solidity": 0.25,
                },
                line={"color": "#111" if own else "white", "width": 3.5 if own else 1.2},
                name=mark if by == "light" else name,
                legendgroup=mark,
                showlegend=False,  # the legend's swatches follow, one per light in a fixed order
                hoverinfo="text",
                hoveron="fills",
                text=f"{name}: {text}" + (f" · {mark}" if by == "light" else ""),
            )
        )
    for area, name, text, look, empty in zip(codes, names, texts, looks, missing, strict=True):
        if empty and by == "value" and area != highlight:
            continue  # "kein Wert" on every such area would bury the values; the pattern and the hover say it
        ring = max(shapes[area], key=len)
        x, y = anchors.get(area) or (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
        y *= stretch
        symbol = f"{look.symbol} " if by == "light" else ""
        own = area == highlight
        words = f"<b>{name}</b><br>{symbol}{text}" if label == "name" or own else f"{symbol}{text}"
        figure.add_annotation(
            x=x,
            y=y,
            text=words,
            showarrow=False,
            font={"size": 12 if label == "name" or own else 9, "color": "#111"},
            bgcolor="rgba(255,255,255,0.8)",
            borderpad=1,
        )
    # The legend explains every colour, also those no area has this year: all four lights, or "kein Wert".
    if by == "light":
        for light, look in LIGHT_LOOKS.items():
            figure.add_trace(_legend_swatch(f"{look.symbol} {look.label}", look.colour, LIGHT_PATTERNS[light]))
    elif any(missing):
        figure.add_trace(_legend_swatch("kein Wert (weiß, gepunktet)", NO_VALUE_COLOUR, "."))
    if by == "value" and rows["value"].notna().any():
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
    figure.add_annotation(
        text=source_note,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 11, "color": "#444"},
    )
    figure.update_layout(
        title={"text": title, "x": 0},
        separators=",.",
        font=FONT,
        height=620 if len(rows) <= NAMED_AREAS else 760,
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.06, "title": {"text": "Ampel:" if by == "light" else ""}},
        hoverlabel={"namelength": -1},
    )
    figure.update_xaxes(visible=False, range=[min(lons) - 0.02, max(lons) + 0.02])
    figure.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)
    return figure


def comparison_table(values: pd.DataFrame, meta: pd.Series, area_names: dict[str, str], *, year: int) -> pd.DataFrame:
    """The data of `comparison` as a table, its text alternative: every area with its value, largest first."""
    rows = values.loc[(values["year"] == year) & values["value"].notna()].sort_values("value", ascending=False)
    return pd.DataFrame(
        {
            "Gebiet": rows["area"].map(area_names).fillna(rows["area"]).to_numpy(),
            "Wert": format_number_column(rows["value"], int(meta["decimals"]), str(meta["unit"])).to_numpy(),
        }
    )


def series_table(values: pd.DataFrame, meta: pd.Series, area_names: dict[str, str]) -> pd.DataFrame:
    """The data of a time series chart as a table, its text alternative: a row per year, a column per area."""
    rows = values.loc[values["value"].notna()].assign(
        Gebiet=lambda frame: frame["area"].map(area_names).fillna(frame["area"]),
        shown=lambda frame: format_number_column(frame["value"], int(meta["decimals"]), str(meta["unit"])),
    )
    table = rows.pivot_table(index="year", columns="Gebiet", values="shown", aggfunc="first").fillna("–")
    table.index = table.index.astype(int).astype(str)
    return table.rename_axis(index="Jahr", columns=None).reset_index()
