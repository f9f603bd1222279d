"""The shipped areas of Germany: rebuilt from the real BKG and GENESIS files, and checked as shipped."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from controlling.reference import areas as shipped_areas
from controlling.reference.build_areas import GENESIS_POPULATION, GEO_DIR, build_areas, write
from controlling.reference.shipped import DATA_DIR, read_areas

SOURCES = pytest.mark.skipif(
    not (GEO_DIR / "VG5000_KRS.shp").is_file() or not GENESIS_POPULATION.is_file(),
    reason="../shared/realdata (BKG VG5000 2021, GENESIS 12411-01-01-5) fehlt: der Neubau wird nicht geprüft",
)


def shapefile_keys(layer: str) -> pd.DataFrame:
    """AGS, BEZ and GF of every record of one VG5000 layer, read here with pyshp (not through the build script)."""
    shapefile = pytest.importorskip("shapefile")
    with shapefile.Reader(str(GEO_DIR / layer), encoding="utf-8") as reader:
        names = [field[0] for field in reader.fields[1:]]
        return pd.DataFrame([list(record) for record in reader.iterRecords()], columns=names)[["AGS", "BEZ", "GF"]]


@pytest.fixture(scope="module")
def built() -> tuple[pd.DataFrame, pd.DataFrame]:
    pytest.importorskip("pyproj")
    return build_areas(GEO_DIR, GENESIS_POPULATION)


@SOURCES
@pytest.mark.slow  # builds from the real BKG and GENESIS files (shared/realdata)
def test_the_shipped_files_are_what_the_script_builds_today(built, tmp_path):
    for path in write(*built, tmp_path):
        pd.testing.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(DATA_DIR / path.name))


@SOURCES
@pytest.mark.slow  # builds from the real BKG and GENESIS files (shared/realdata)
def test_every_kreis_and_gemeinde_of_the_shapefile_is_shipped_and_can_be_set_up(built):
    kreise = shapefile_keys("VG5000_KRS")
    gemeinden = shapefile_keys("VG5000_GEM")
    gemeinden = gemeinden.loc[(gemeinden["GF"] == 9) & (gemeinden["BEZ"] != "Gemeindefreies Gebiet")]
    areas, outlines = built
    current = areas.loc[areas["valid_to"].isna()]
    assert set(current.loc[current["level"] == "kreis", "code"]) == set(kreise["AGS"])
    assert set(current.loc[current["level"] == "gemeinde", "code"]) == set(gemeinden["AGS"])
    assert set(shipped_areas.kreise()["code"]) == set(kreise["AGS"])  # every Kreis has Gemeinden: all can be set up
    assert set(outlines["code"]) == set(kreise["AGS"]) | set(gemeinden["AGS"])


@SOURCES
@pytest.mark.slow  # builds from the real BKG and GENESIS files (shared/realdata)
def test_the_mergers_come_from_genesis(built):
    areas = built[0].set_index("code")
    ilsede, lahstedt = areas.loc["03157003"], areas.loc["03157004"]
    assert (ilsede["name"], ilsede["successor"]) == ("Ilsede (bis 2014)", "03157009")
    assert lahstedt["valid_to"] == pd.Timestamp("2014-12-31") and lahstedt["successor"] == "03157009"
    assert areas.at["03157009", "valid_from"] == pd.Timestamp("2015-01-01")
    # Kreis level: Göttingen and Osterode am Harz became the new Landkreis Göttingen on 1 November 2016.
    assert areas.loc[["03152", "03156"], "successor"].tolist() == ["03159", "03159"]
    assert areas.at["03156", "valid_to"] == pd.Timestamp("2016-10-31")


def test_the_shipped_files_are_small():
    sizes = [(DATA_DIR / name).stat().st_size for name in (shipped_areas.AREAS_FILE, shipped_areas.OUTLINES_FILE)]
    assert sum(sizes) < 3 * 1024 * 1024


def test_peine_set_up_from_the_shipped_areas_is_gebiete_csv_row_for_row():
    peine = read_areas(DATA_DIR / "gebiete.csv")
    areas = shipped_areas.kreis_areas("03157")
    pd.testing.assert_frame_equal(areas.head(len(peine)), peine)
    others = areas.iloc[len(peine) :]
    assert (others["level"] == "kreis").all() and others["comparison"].all()
    niedersachsen = shipped_areas.kreise().query("parent == '03'")
    assert set(niedersachsen["code"]) - {"03157"} <= set(others["code"])


def test_outlines_are_geojson_in_longitude_and_latitude():
    collection = shipped_areas.outlines(["03157001", "03157"])
    assert [f["properties"]["AGS"] for f in collection["features"]] == ["03157", "03157001"]
    lon, lat = collection["features"][1]["geometry"]["coordinates"][0][0]
    assert 9.9 < lon < 10.5 and 52.2 < lat < 52.6  # Edemissen, east of Hannover


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("0315", "ist kein Kreisschlüssel"),
        ("99999", "gibt es im Gebietsstand 01.01.2021 nicht"),
        ("03152", "besteht seit dem 01.11.2016 nicht mehr; an seine Stelle trat Landkreis Göttingen (03159)"),
    ],
)
def test_a_kreis_that_cannot_be_set_up_is_refused_in_german(code, message):
    with pytest.raises(shipped_areas.KreisNotAvailableError, match=message.replace("(", r"\(").replace(")", r"\)")):
        shipped_areas.choose_kreis(code)


def test_a_missing_area_file_says_how_to_rebuild_it(tmp_path: Path):
    with pytest.raises(shipped_areas.KreisNotAvailableError, match="build_areas"):
        shipped_areas.germany_areas(tmp_path)
