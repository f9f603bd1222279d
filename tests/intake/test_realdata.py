"""Every real published file in ../shared/realdata imports; spot checks of known values."""

from __future__ import annotations

from pathlib import Path

import pytest

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.intake import commit, prepare

REAL = Path(__file__).resolve().parents[3] / "shared" / "realdata"
FILES = sorted(REAL.rglob("*.csv"))


# New values and skipped lines of each file into an empty store: lines of areas outside Landkreis Peine
# and its comparison areas are skipped (and listed once each), as are areas outside their validity marked "-".
EXPECTED = {
    "indicator_1-2-1.csv": (40, 1000),
    "indicator_1-2-2.csv": (40, 1000),
    # 1-2-3 and 3-1-2: the Land's rows have no GeoCode, only the name "Niedersachsen"; they are the Land's values
    # (issue 23), so 378 and 34 more values land than before.
    "indicator_1-2-3.csv": (756, 18899),
    "indicator_2-3-3.csv": (40, 1000),
    "indicator_3-1-2.csv": (68, 1700),
    "indicator_5-2-1.csv": (168, 4200),
    "indicator_5-3-2.csv": (227, 0),
    "12211-Z-11_mikrozensus_flat.csv": (4, 1952),
    "12411-01-01-5_gemeinden_bevoelkerung.csv": (237, 14485),
    "12511-01-01-4_kreise_einbuergerungen_latin1.csv": (84, 3144),
    "13111-01-03-4_flat.csv": (12, 3288),
    "13111-01-03-5_gemeinden_svb_arbeitsort.csv": (54, 14484),
    "AI-N-01-2-5_regionalatlas_gemeinden_flat.csv": (14, 27118),
    # GENESIS classic tables in the layouts people download most (genesis/layouts)
    "12411-07-01-4_00.csv": (6, 524),
    "12411-08-01-4_00.csv": (12, 524),
    "12711-04-02-4_00.csv": (84, 3668),
    "13111-08-02-4_00.csv": (40, 2092),
    "13211-02-04-4_00.csv": (32, 524),
    "21121-01-05-4_00.csv": (80, 5240),
    "22411-02-03-4_00.csv": (54, 1572),
    "22541-01-01-4_00.csv": (66, 1572),
    "22543-01-01-4_00.csv": (144, 6288),
    # LSN files as published, the awkward ones (im-niedersachsen/awkward)
    "indicator_1-1-2.csv": (6, 150),
    "indicator_1-3-1.csv": (138, 3900),
    "indicator_2-1-3.csv": (354, 8496),
    "indicator_3-1-1.csv": (90, 90),
    "indicator_4-2-2.csv": (126, 0),
    "indicator_5-3-3.csv": (114, 0),
    "indicator_7-2-2.csv": (90, 90),
}


@pytest.fixture(scope="module")
def imported():
    if not FILES:
        pytest.skip(f"Echte Beispieldateien fehlen: {REAL} liegt nicht neben dem Projekt")
    store = Store(":memory:")
    initialize(store, demo=False)
    counts = {}
    for path in FILES:
        preview = prepare(store, path.name, path.read_bytes(), create_missing_indicators=True)
        assert preview.problems.empty, (path.name, preview.problems.head().to_dict("records"))
        intake_id = commit(store, preview, user="test")
        counts[path.name] = (intake_id, preview.count("new"), len(preview.skipped))
    yield store, counts
    store.close()


def value(store, indicator, area, year, breakdown=""):
    rows = store.values.current_observations(indicators=[indicator])
    hit = rows.loc[(rows["area"] == area) & (rows["year"] == year) & (rows["breakdown"] == breakdown)]
    return None if hit.empty else hit.iloc[0]


def test_every_real_file_imports(imported):
    _, counts = imported
    assert sorted(counts) == sorted(p.name for p in FILES)
    assert all(intake_id is not None for intake_id, _, _ in counts.values()), counts
    assert {name: (new, skipped) for name, (_, new, skipped) in counts.items()} == EXPECTED


def test_peine_foreign_share_2024_from_lsn_1_2_2(imported):
    store, _ = imported
    assert value(store, "LSN-1-2-2", "03157", 2024)["value"] == pytest.approx(11.9121456455909)


def test_edemissen_population_2015_from_the_classic_12411_table(imported):
    store, _ = imported
    assert value(store, "GENESIS-12411-01-01-5", "03157001", 2015)["value"] == 12349
    assert value(store, "GENESIS-12411-01-01-5", "03157001", 2015, "Geschlecht=weiblich")["value"] == 6309


def test_lahstedt_2015_is_not_stored_but_2014_is(imported):
    store, _ = imported
    assert value(store, "GENESIS-12411-01-01-5", "03157004", 2015) is None
    assert value(store, "GENESIS-12411-01-01-5", "03157004", 2014)["value"] == 9908


def test_population_table_mapped_to_the_catalogue_feeds_county_and_merger(imported):
    store = Store(":memory:")
    initialize(store, demo=False)
    path = REAL / "genesis" / "12411-01-01-5_gemeinden_bevoelkerung.csv"
    preview = prepare(store, path.name, path.read_bytes(), mapping={"GENESIS-12411-01-01-5": "KTX-03"})
    commit(store, preview, user="test")
    values = store.values.current(indicators=["KTX-03"]).set_index(["area", "year"])
    ilsede = values.loc[("03157009", 2014)]
    assert ilsede["value"] == 11400 + 9908 and ilsede["converted"]
    assert values.loc[("03157", 2015), "value"] == 132320 and not values.loc[("03157", 2015), "computed"]


def test_latin1_classic_table_and_quality_letters(imported):
    store, _ = imported
    assert value(store, "GENESIS-12511-01-01-4", "03157", 2016) is not None
    mikrozensus = store.values.current_observations(indicators=["GENESIS-12211-LBFMZ01"])
    assert set(mikrozensus["flag"].dropna()) <= {"e", "p", "r", "s", "-"}


@pytest.mark.parametrize(
    ("indicator", "year", "breakdown", "expected"),
    [
        ("GENESIS-12411-07-01-4", 2015, "Geschlecht=weiblich", 45.8),
        ("GENESIS-12411-08-01-4", 2015, "Geschlecht=männlich|Merkmal=Altenquotient", 31.2),
        ("GENESIS-12711-04-02-4", 2015, "Altersgruppe=unter 18 Jahre|Merkmal=Zuzüge über die Kreisgrenzen", 1447),
        ("GENESIS-12711-04-02-4", 2015, "Geschlecht=weiblich|Merkmal=Fortzüge über die Kreisgrenzen", 2165),
        ("GENESIS-13111-08-02-4", 2012, "Merkmal=Sozialversicherungspfl. Beschäftigte (Wohnort)", 47469),
        ("GENESIS-13211-02-04-4", 2008, "Merkmal 2=Ausländer|Merkmal=Arbeitslose", 608),
        (
            "GENESIS-21121-01-05-4",
            2015,
            "Merkmal=Schüler(innen) an beruflichen Schulen|Nationalität=Ausländer(innen)",
            245,
        ),
        ("GENESIS-22411-02-03-4", 2015, "Geschlecht=weiblich|Merkmal=Pflegebedürftige", 3547),
        ("GENESIS-22541-01-01-4", 1998, "Merkmal=Verfügbare Plätze", 3819),
        ("GENESIS-22543-01-01-4", 2010, "Art der Kindertagesbetreuung=Tagespflege|Merkmal=Betreute Kinder", 158),
        ("LSN-1-1-2", 2024, "Zeitraum=2024 / 2005", 1.79794957860557),
        ("LSN-1-3-1", 2024, "Einheit=Anzahl in 1000|Kategorie=Personen ohne Migrationshintergrund", 101.2),
        ("LSN-2-1-3", 2024, "Befristung=zeitlich unbefristet|Einheit=Anzahl|Geschlecht=weiblich", 1465),
    ],
)
def test_known_peine_values_of_the_new_layouts(imported, indicator, year, breakdown, expected):
    store, _ = imported
    assert value(store, indicator, "03157", year, breakdown)["value"] == pytest.approx(expected)


def test_land_values_without_geocode_or_area_column(imported):
    store, _ = imported
    assert value(store, "LSN-4-2-2", "03", 2024)["value"] == pytest.approx(23.6)
    assert value(
        store,
        "LSN-5-3-3",
        "03",
        2007,
        "Kategorie=Abstand der Arbeitslosenquote von Ausländerinnen und Ausländern zu Insgesamt|Monat=Juni",
    )["value"] == pytest.approx(12.6)
    assert value(store, "LSN-3-1-1", "03", 2009, "Kategorie=Insgesamt bis unter 3 Jahre")["value"] == pytest.approx(
        11.9
    )
