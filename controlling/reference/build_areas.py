"""Derive the shipped area reference of every German Land, Kreis and Gemeinde (run when a new vintage comes out).

    python -m controlling.reference.build_areas [--geo ORDNER] [--genesis DATEI] [--out ORDNER]

Sources (both under the Datenlizenz Deutschland – Namensnennung 2.0):
- the BKG VG5000 layers of 01.01.2021 (Länder, Kreise, Gemeinden; Gauss-Krüger zone 3, EPSG:31467): names, the
  Kreis of each Gemeinde and the outlines, reprojected to WGS84 and simplified for the screen;
- the GENESIS table 12411-01-01-5 (inhabitants of every Gemeinde and Kreis on 31.12., 2008-2015): which areas
  ended or began in those years and so the predecessor/successor model (Ilsede and Lahstedt -> Ilsede 2015).

Writes data/gebiete_deutschland.parquet (one row per area) and data/umrisse.parquet (GeoJSON geometry and a label
point inside it per Kreis and Gemeinde). Only this script needs pyshp, pyproj and shapely (requirements-dev.txt);
the dashboard reads the two parquet files with pandas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from controlling.reference.shipped import DATA_DIR

REALDATA = Path(__file__).resolve().parents[3] / "shared" / "realdata"
GEO_DIR = REALDATA / "geo" / "vg5000_2021"
GENESIS_POPULATION = REALDATA / "genesis" / "12411-01-01-5_gemeinden_bevoelkerung.csv"
AREAS_FILE = "gebiete_deutschland.parquet"
OUTLINES_FILE = "umrisse.parquet"
VINTAGE = dt.date(2021, 1, 1)  # Gebietsstand of the VG5000 layers
SOURCE_CRS = "EPSG:31467"  # DHDN / 3-degree Gauss-Krüger zone 3, as VG5000_*.prj says
LAND_WITH_STRUCTURE = 9  # GF 9: land areas (8 are the coastal waters of a Land)
NO_MUNICIPALITY = "Gemeindefreies Gebiet"  # forests and lakes nobody lives in: no values, not an area of the product
# Simplification in metres (Gauss-Krüger): a pixel of a Kreis map is ~80 m, of a Land map ~500 m.
TOLERANCE = {"gemeinde": 60.0, "kreis": 250.0}
DECIMALS = 4  # of a degree: about 7-11 m, below what the simplification moves anyway
# Kreis designations that read before the name ("Landkreis Peine"); Region, Städteregion and Regionalverband
# already carry it in GEN, as do names with "Kreis" in them (Hochsauerlandkreis, Rhein-Kreis Neuss).
CARRIED_IN_NAME = re.compile(r"^(Region|Städteregion|Regionalverband)\b")


class BuildError(RuntimeError):
    """The sources are missing or do not look as expected."""


def read_layer(path: Path) -> tuple[pd.DataFrame, Any]:
    """Attributes (one row per record) and shapely geometries (GK3 metres) of one VG5000 shapefile."""
    import shapefile
    import shapely

    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        names = [field[0] for field in reader.fields[1:]]
        attributes = pd.DataFrame([list(record) for record in reader.iterRecords()], columns=names)
        collection = json.dumps(reader.__geo_interface__)
    geometries = shapely.get_parts(shapely.from_geojson(collection))
    if len(geometries) != len(attributes):
        raise BuildError(f"{path.name}: {len(attributes)} Datensätze, aber {len(geometries)} Geometrien.")
    return attributes, geometries


def read_population(path: Path) -> pd.DataFrame:
    """Inhabitants ('Insgesamt') per area code and year from the GENESIS classic table 12411-01-01-5."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    dates = lines[6].split(";")
    kinds = lines[7].split(";")
    columns = [i for i, kind in enumerate(kinds) if kind == "Insgesamt"]
    rows = [line.split(";") for line in lines[8:] if re.match(r"\d+;", line)]
    frame = pd.DataFrame(rows).rename(columns={0: "code", 1: "label"})
    frame["label"] = frame["label"].str.strip()
    # Keys are regional keys (ARS): a Gemeinde of a Samtgemeinde (Niedersachsen) has 11 digits, of a
    # Verbandsgemeinde (Rheinland-Pfalz) 10; its AGS is the Kreis (5) and its own last three digits. An 8-digit
    # key that starts such an 11-digit key is the Samtgemeinde itself, not a Gemeinde. Berlin's Bezirke
    # (11001-11012, listed until 2013) are no Kreise.
    length = frame["code"].str.len()
    long_keys = length.isin([10, 11])
    unions = frame["code"].isin(frame.loc[length == 11, "code"].str[:8])
    frame.loc[long_keys, "code"] = frame["code"].str[:5] + frame["code"].str[-3:]
    frame = frame.loc[(length.isin([2, 5, 8]) | long_keys) & ~unions & ~frame["label"].str.startswith("Berlin-")]
    years = {i: int(dates[i][-4:]) for i in columns}
    long = frame.melt(id_vars=["code", "label"], value_vars=columns, var_name="column", value_name="text")
    long["year"] = long["column"].map(years)
    long["inhabitants"] = pd.to_numeric(long["text"], errors="coerce")
    return long.loc[long["inhabitants"].notna(), ["code", "label", "year", "inhabitants"]]


def _genesis_name(label: pd.Series) -> pd.Series:
    """'Hennigsdorf, Stadt' -> 'Hennigsdorf' (GENESIS appends the designation after a comma)."""
    return label.str.split(",", n=1).str[0].str.strip()


def _kreis_names(kreise: pd.DataFrame) -> pd.Series:
    """'Landkreis Peine', 'Kreisfreie Stadt Köln', 'Region Hannover' from GEN and BEZ."""
    carried = kreise["GEN"].str.match(CARRIED_IN_NAME) | kreise["GEN"].str.lower().str.contains("kreis")
    return kreise["GEN"].where(carried, kreise["BEZ"] + " " + kreise["GEN"])


def _date_text(day: pd.Series) -> pd.Series:
    return pd.to_datetime(day).dt.strftime("%d.%m.%Y").fillna("")


def derive_changes(current: pd.DataFrame, population: pd.DataFrame, *, level_length: int) -> pd.DataFrame:
    """Areas of one level that ended 2008-2020, with valid_to and successor; and valid_from of those formed since.

    `current` holds code, parent and formed (the VG5000 WSK date) of the areas on 01.01.2021. An area with
    inhabitants in GENESIS but not in VG5000 ended: after its last year (31.12.) if that is before the table's
    last year, else on the eve of the day its successor was formed. Its successor is the area of the same parent
    that was formed then, if it is the only one; where none was formed, the one that grew most in the year after.
    """
    own = population.loc[population["code"].str.len() == level_length].copy()
    own["parent"] = own["code"].str[: 2 if level_length == 5 else 5]
    last_table_year = int(population["year"].max())
    first_table_year = int(population["year"].min())
    spans = own.groupby("code").agg(
        first=("year", "min"), last=("year", "max"), label=("label", "first"), parent=("parent", "first")
    )
    known = current.set_index("code")
    ended = spans.loc[~spans.index.isin(known.index)].copy()
    # Formed since the table's first year: first value later, or not in the table at all (then WSK).
    begun = spans.loc[spans.index.isin(known.index) & (spans["first"] > first_table_year)]
    formed = pd.Series(pd.NaT, index=known.index, dtype="datetime64[ns]")
    formed[begun.index] = pd.to_datetime(begun["first"].astype(str) + "-01-01")
    absent = ~known.index.isin(spans.index)
    # Not in the table at all: formed after it (VG5000's WSK is the day the change took effect), or a gap of the
    # table (the city states have no Gemeinde rows), which dates nothing.
    since = pd.to_datetime(known["formed"])
    formed[absent & (since.dt.year > last_table_year)] = since[absent & (since.dt.year > last_table_year)]
    # Successor: an area of the same parent formed in the year after the end (or, for areas still in the
    # table's last year, formed after it); else the one whose inhabitants grew most in the year after.
    candidates = pd.DataFrame({"successor": formed.index, "formed": formed.to_numpy()}).dropna()
    candidates["parent"] = candidates["successor"].str[: 2 if level_length == 5 else 5]
    candidates["year"] = candidates["formed"].dt.year
    ended = ended.reset_index()
    ended["end_year"] = ended["last"] + 1
    pairs = ended.merge(candidates, on="parent")
    pairs = pairs.loc[
        (pairs["year"] == pairs["end_year"]) | ((pairs["last"] == last_table_year) & (pairs["year"] > last_table_year))
    ]
    # Several formed at once (a Kreisreform splitting Kreise, many new Einheitsgemeinden in one Kreis): which
    # took over the ended area cannot be told from these tables, so it gets no successor rather than a guess.
    ambiguous = pairs.loc[pairs["code"].duplicated(), "code"]
    pairs = pairs.loc[~pairs["code"].isin(ambiguous)]
    ended = ended.merge(pairs[["code", "successor", "formed"]], on="code", how="left")
    wide = own.pivot_table(index="code", columns="year", values="inhabitants")
    growth = wide.diff(axis=1)
    growth_long = growth.stack().rename("growth").reset_index()  # type: ignore[call-overload]
    growth_long["parent"] = growth_long["code"].str[: 2 if level_length == 5 else 5]
    grown = growth_long.loc[growth_long["code"].isin(known.index)].sort_values("growth", ascending=False)
    grown = grown.drop_duplicates(["parent", "year"]).rename(columns={"code": "grown"})
    ended = ended.merge(
        grown[["parent", "year", "grown"]], left_on=["parent", "end_year"], right_on=["parent", "year"], how="left"
    )
    ended["successor"] = ended["successor"].fillna(ended["grown"].where(~ended["code"].isin(ambiguous)))
    late = ended["last"] == last_table_year
    valid_to = pd.to_datetime(ended["last"].astype(str) + "-12-31")
    valid_to[late] = ended.loc[late, "formed"] - pd.Timedelta(days=1)
    ended["valid_to"] = valid_to
    earlier = spans.loc[ended["code"], "first"].to_numpy() > first_table_year
    ended["valid_from"] = pd.to_datetime(pd.Series(spans.loc[ended["code"], "first"].astype(str).to_numpy()) + "-01-01")
    ended.loc[~earlier, "valid_from"] = pd.NaT
    ended["name"] = _genesis_name(ended["label"])
    if level_length == 5:  # 'Göttingen, Landkreis' -> 'Landkreis Göttingen', as the Kreise of VG5000 are named
        designation = ended["label"].str.split(", ").str[-1]
        designed = designation.isin(["Landkreis", "Kreis", "Kreisfreie Stadt", "Stadtkreis"])
        ended.loc[designed, "name"] = designation + " " + ended["name"]
    # An ended area whose successor is unknown and whose end falls after the table cannot be dated: left out.
    ended = ended.loc[ended["valid_to"].notna()]
    changes = ended[["code", "name", "parent", "valid_from", "valid_to", "successor"]].copy()
    formed_frame = formed.dropna().rename("valid_from").rename_axis("code").reset_index()
    return pd.concat([changes.assign(kind="ended"), formed_frame.assign(kind="formed")], ignore_index=True)


def build_areas(geo_dir: Path, population_file: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The area table (every Land, Kreis, Gemeinde, with predecessors) and the outlines of Kreise and Gemeinden."""
    import pyproj
    import shapely

    laender, _ = read_layer(geo_dir / "VG5000_LAN")
    kreise, kreis_shapes = read_layer(geo_dir / "VG5000_KRS")
    gemeinden, gemeinde_shapes = read_layer(geo_dir / "VG5000_GEM")
    laender = laender.loc[laender["GF"] == LAND_WITH_STRUCTURE].drop_duplicates("AGS")
    keep = (gemeinden["GF"] == LAND_WITH_STRUCTURE) & (gemeinden["BEZ"] != NO_MUNICIPALITY)
    gemeinden, gemeinde_shapes = gemeinden.loc[keep].reset_index(drop=True), gemeinde_shapes[keep.to_numpy()]
    population = read_population(population_file)

    land_rows = pd.DataFrame({"code": laender["AGS"], "name": laender["GEN"], "level": "land", "parent": None})
    kreis_rows = pd.DataFrame(
        {
            "code": kreise["AGS"],
            "name": _kreis_names(kreise),
            "level": "kreis",
            "parent": kreise["AGS"].str[:2],
            "kind": kreise["BEZ"],
            "formed": kreise["WSK"],
        }
    )
    kreis_gen = kreise.set_index("AGS")["GEN"]
    gemeinde_rows = pd.DataFrame(
        {
            "code": gemeinden["AGS"],
            "name": gemeinden["GEN"],
            "level": "gemeinde",
            "parent": gemeinden["AGS"].str[:5],
            "kind": gemeinden["BEZ"],
            "formed": gemeinden["WSK"],
        }
    )
    # The town that gives its Kreis the name is 'Peine (Stadt)', so that 'Peine' is never two areas.
    same = gemeinde_rows["name"] == gemeinde_rows["parent"].map(kreis_gen)
    gemeinde_rows.loc[same, "name"] = gemeinde_rows["name"] + " (" + gemeinde_rows["kind"] + ")"
    twice = gemeinde_rows.duplicated(["parent", "name"], keep=False)
    gemeinde_rows.loc[twice, "name"] = gemeinde_rows["name"] + " (" + gemeinde_rows["code"] + ")"

    parts = [land_rows]
    for rows, length in ((kreis_rows, 5), (gemeinde_rows, 8)):
        changes = derive_changes(rows, population, level_length=length)
        formed = changes.loc[changes["kind"] == "formed"].set_index("code")["valid_from"]
        rows = rows.assign(valid_from=rows["code"].map(formed), valid_to=pd.Series(pd.NaT, index=rows.index))
        rows["successor"] = None
        ended = changes.loc[changes["kind"] == "ended"].assign(level=rows["level"].iloc[0])
        ended = ended.loc[ended["parent"].isin(land_rows["code"] if length == 5 else kreis_rows["code"])]
        # An ended area named like one still valid in its parent is told apart by its last year.
        clash = ended.set_index(["parent", "name"]).index.isin(rows.set_index(["parent", "name"]).index)
        ended.loc[clash, "name"] = ended["name"] + " (bis " + ended["valid_to"].dt.year.astype(str) + ")"
        parts += [rows, ended.drop(columns="kind")]
    areas = pd.concat(parts, ignore_index=True)
    areas["valid_from"] = pd.to_datetime(areas["valid_from"])
    areas["valid_to"] = pd.to_datetime(areas["valid_to"])
    inhabitants = population.loc[population["year"] == population["year"].max()].set_index("code")["inhabitants"]
    areas["inhabitants_2015"] = areas["code"].map(inhabitants).astype("Int64")
    # A kreisfreie Stadt's one Gemeinde (05315000) has no row of its own: it has the Kreis's inhabitants.
    town = (areas["level"] == "gemeinde") & areas["code"].str.endswith("000") & areas["inhabitants_2015"].isna()
    areas.loc[town, "inhabitants_2015"] = areas.loc[town, "parent"].map(inhabitants).astype("Int64")
    areas["kind"] = areas["kind"].where(areas["level"] != "land", "Land").fillna("")
    areas = areas[
        ["code", "name", "level", "parent", "valid_from", "valid_to", "successor", "kind", "inhabitants_2015"]
    ].sort_values("code", ignore_index=True)

    transformer = pyproj.Transformer.from_crs(SOURCE_CRS, "EPSG:4326", always_xy=True)

    def to_wgs84(coordinates: np.ndarray) -> np.ndarray:
        lon, lat = transformer.transform(coordinates[:, 0], coordinates[:, 1])
        return np.round(np.column_stack([lon, lat]), DECIMALS)

    outlines = []
    for level, codes, shapes in (
        ("kreis", kreise["AGS"], kreis_shapes),
        ("gemeinde", gemeinden["AGS"], gemeinde_shapes),
    ):
        simple = shapely.simplify(shapes, TOLERANCE[level], preserve_topology=True)
        projected = shapely.make_valid(shapely.transform(simple, to_wgs84))
        # Where a name goes: a point inside the outline (a crescent's centre of mass lies outside it).
        inside = shapely.get_coordinates(shapely.point_on_surface(projected))
        outlines.append(
            pd.DataFrame(
                {
                    "code": codes.to_numpy(),
                    "geometry": shapely.to_geojson(projected),
                    "label_lon": np.round(inside[:, 0], DECIMALS),
                    "label_lat": np.round(inside[:, 1], DECIMALS),
                }
            )
        )
    return areas, pd.concat(outlines, ignore_index=True).sort_values("code", ignore_index=True)


def write(areas: pd.DataFrame, outlines: pd.DataFrame, out_dir: Path) -> list[Path]:
    """The two parquet files, zstd-compressed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / AREAS_FILE, out_dir / OUTLINES_FILE]
    areas.to_parquet(paths[0], index=False, compression="zstd")
    outlines.to_parquet(paths[1], index=False, compression="zstd", row_group_size=2048)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Build the shipped area files from the BKG and GENESIS sources; prints what it wrote."""
    parser = argparse.ArgumentParser(
        prog="python -m controlling.reference.build_areas",
        description="Gebiete und Umrisse aller Länder, Kreise und Gemeinden aus BKG VG5000 und GENESIS ableiten",
    )
    parser.add_argument("--geo", type=Path, default=GEO_DIR, help="Ordner mit VG5000_LAN/KRS/GEM (.shp, .dbf)")
    parser.add_argument("--genesis", type=Path, default=GENESIS_POPULATION, help="GENESIS-Tabelle 12411-01-01-5")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="Zielordner (Standard: data/)")
    args = parser.parse_args(argv)
    for needed in (args.geo / "VG5000_GEM.shp", args.genesis):
        if not needed.is_file():
            print(f"Fehler: Die Quelldatei »{needed}« fehlt.", file=sys.stderr)
            return 2
    started = time.perf_counter()
    areas, outlines = build_areas(args.geo, args.genesis)
    paths = write(areas, outlines, args.out)
    counts = areas.loc[areas["valid_to"].isna(), "level"].value_counts()
    print(
        f"{counts.get('land', 0)} Länder, {counts.get('kreis', 0)} Kreise, {counts.get('gemeinde', 0)} Gemeinden "
        f"(Stand {VINTAGE:%d.%m.%Y}), {int(areas['valid_to'].notna().sum())} beendete Gebiete, "
        f"{len(outlines)} Umrisse; {time.perf_counter() - started:.1f} s."
    )
    for path in paths:
        print(f"{path}: {path.stat().st_size / 1024:,.0f} KiB".replace(",", "."))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
