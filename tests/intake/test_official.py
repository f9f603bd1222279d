"""Official data in one command (issue 23): bindings, the whole LSN release, a second run, a new release with
changed labels and restated years, and the HTTPS path against a local server in the publisher's layout."""

from __future__ import annotations

import csv
import http.server
import shutil
import threading
from pathlib import Path

import pandas as pd
import pytest

from controlling.bootstrap import initialize
from controlling.db import Store
from controlling.errors import ControllingError
from controlling.intake import official
from controlling.reference.bindings import catalogue_bindings, parse_binding

RELEASE = Path(__file__).resolve().parents[3] / "shared" / "published" / "lsn-integrationsmonitoring-2025-12"
GENESIS = Path(__file__).resolve().parents[3] / "shared" / "realdata" / "genesis"
FOREIGNERS = "Ausländerinnen und Ausländer"
needs_release = pytest.mark.skipif(not RELEASE.is_dir(), reason=f"Die LSN-Veröffentlichung fehlt: {RELEASE}")


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A store without demo data, filled once from the whole release."""
    if not RELEASE.is_dir():
        pytest.skip(f"Die LSN-Veröffentlichung fehlt: {RELEASE}")
    store = Store(tmp_path_factory.mktemp("amtlich") / "amtlich.duckdb")
    initialize(store, demo=False)
    run = official.prepare_official(store, official.fetch_bound(store, str(RELEASE)))
    intake_id = official.commit_official(store, run, user="test")
    yield store, run, intake_id
    store.close()


def _published(file: str, geocode: str, year: str, **labels: str) -> float:
    with (RELEASE / "data" / file).open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row.get("GeoCode") == geocode and row["Year"] == year and all(row[k] == v for k, v in labels.items()):
                return float(row["Value"])
    raise AssertionError(f"{file}: keine Zeile {geocode} {year} {labels}")


def _stored(store: Store, indicator: str, area: str, year: int) -> float:
    rows = store.values.current_observations(indicators=[indicator], totals_only=True)
    return float(rows.loc[(rows["area"] == area) & (rows["year"] == year), "value"].iloc[0])


@needs_release
def test_one_run_fills_every_bound_kennzahl_for_the_land_and_every_kreis(released):
    store, run, intake_id = released
    assert intake_id is not None and run.unbound.empty, run.unbound.to_dict("records")
    with (RELEASE / "data" / "indicator_1-2-1.csv").open(encoding="utf-8-sig") as handle:
        kreise_in_file = {row["GeoCode"][1:] for row in csv.DictReader(handle) if len(row["GeoCode"]) == 6}
    areas = store.catalogue.areas()
    assert kreise_in_file <= set(areas["code"])  # every Kreis of the file, none skipped
    others = areas.loc[areas["code"].isin(kreise_in_file - {"03157"})]
    assert others["comparison"].all()
    assert areas.set_index("code").at["03151", "name"] == "Landkreis Gifhorn"  # named from the reference
    coverage = store.values.coverage("03157").set_index("indicator")
    indicators = store.catalogue.indicators().set_index("code")
    for binding in catalogue_bindings(indicators.reset_index()):
        row = coverage.loc[binding.indicator]
        assert row["land_values"] > 0, binding.indicator
        if "kreis" in indicators.at[binding.indicator, "levels"]:
            assert row["kreise"] >= 39, binding.indicator
    rated = indicators.loc[indicators["polarity"] != "neutral"].index
    filled = [code for code in rated if code in coverage.index and coverage.at[code, "home_values"] > 0]
    assert len(filled) >= 12, filled


@needs_release
def test_stored_values_are_the_published_cells(released):
    store, _, _ = released
    assert _stored(store, "KTX-02", "03157", 2024) == _published("indicator_1-2-1.csv", "K03157", "2024")
    assert _stored(store, "KTX-01", "03157", 2024) == _published("indicator_1-2-2.csv", "K03157", "2024")
    assert _stored(store, "KTX-03", "03", 2024) == _published("indicator_1-1-1.csv", "K030", "2024")
    share = {"Nationalität": FOREIGNERS, "Units": "Prozent"}
    assert _stored(store, "BIL-03", "03157", 2024) == _published("indicator_4-1-4.csv", "K03157", "2024", **share)
    german = {"Nationalität": "Deutsche", "Units": "Prozent"}
    gap = _published("indicator_4-1-4.csv", "K03157", "2024", **share) - _published(
        "indicator_4-1-4.csv", "K03157", "2024", **german
    )
    assert _stored(store, "BIL-09", "03157", 2024) == pytest.approx(gap)
    quota = {"Befristung": "zeitlich unbefristet", "Geschlecht": "insgesamt", "Units": "Prozent"}
    assert _stored(store, "GES-10", "03157", 2024) == _published("indicator_2-1-3.csv", "RH03157", "2024", **quota)
    mz = {"Kategorie": "Personen mit Migrationshintergrund im weiteren Sinne", "Units": "%"}
    assert _stored(store, "KTX-07", "03157", 2024) == _published("indicator_1-3-1.csv", "MZ03157", "2024", **mz)
    # GES-01 is computed from counts of the same year and equals the share the LSN publishes (2.3.3)
    assert _stored(store, "GES-01", "03157", 2015) == pytest.approx(
        _published("indicator_2-3-3.csv", "K03157", "2015"), abs=1e-9
    )


@needs_release
def test_rows_the_publisher_shifted_are_set_aside_with_their_reason(released):
    _, run, _ = released
    skipped = run.preview.skipped
    shifted = skipped.loc[skipped["message"].str.contains("passt nicht zum Gebietscode")]
    assert shifted["column"].str.startswith("indicator_6-2-2.csv").any()
    assert "»Niedersachsen« passt nicht zum Gebietscode 03101" in " ".join(shifted["message"])


@needs_release
def test_a_second_run_on_the_same_release_brings_nothing_new(released):
    store, _, _ = released
    again = official.prepare_official(store, official.fetch_bound(store, str(RELEASE)))
    assert again.preview.count("new") == 0 and again.preview.count("changed") == 0
    assert official.commit_official(store, again, user="test") is None


@needs_release
def test_a_new_release_brings_what_changed_and_names_what_it_cannot_bind(tmp_path):
    store = Store(tmp_path / "neu.duckdb")
    initialize(store, demo=False)
    first = official.prepare_official(store, official.fetch_bound(store, str(RELEASE)))
    official.commit_official(store, first, user="test")
    release = tmp_path / "release"
    shutil.copytree(RELEASE / "data", release / "data")
    foreigners = release / "data" / "indicator_1-2-1.csv"
    text = foreigners.read_text(encoding="utf-8-sig")
    old = f'2020,"Peine",K03157,{int(_published("indicator_1-2-1.csv", "K03157", "2020"))}'
    assert old in text
    foreigners.write_text(text.replace(old, '2020,"Peine",K03157,15000'), encoding="utf-8-sig")
    relabelled = release / "data" / "indicator_6-2-1.csv"
    relabelled.write_text(relabelled.read_text(encoding="utf-8-sig").replace(FOREIGNERS, "Ausländer/-innen"))
    run = official.prepare_official(store, official.fetch_bound(store, str(release)))
    counts = run.by_indicator.set_index("indicator")
    assert counts.at["KTX-02", "restated"] == 1 and counts.at["KTX-02", "new"] == 0
    assert counts["changed"].sum() == 0
    assert counts.at["GES-01", "restated"] == 1 and counts.at["KTX-14", "restated"] == 1
    unbound = run.unbound.set_index("indicator")
    assert {"ARB-11", "ARB-12"} <= set(unbound.index)
    assert (
        "Die Ausprägung »Ausländerinnen und Ausländer« gibt es beim Merkmal »Nationalität« nicht"
        in (unbound.at["ARB-11", "message"])
    )
    assert "»Ausländer/-innen«" in unbound.at["ARB-11", "message"]
    assert "ARB-11: nicht gefüllt" in official.describe_official(run)
    intake_id = official.commit_official(store, run, user="test")
    assert _stored(store, "KTX-02", "03157", 2020) == 15000
    store.intakes.undo(intake_id, user="test")
    assert _stored(store, "KTX-02", "03157", 2020) == _published("indicator_1-2-1.csv", "K03157", "2020")
    store.close()


def test_a_missing_folder_is_a_german_message(tmp_path):
    with pytest.raises(ControllingError, match=r"Den Ordner .* gibt es nicht"):
        official.fetch(str(tmp_path / "fehlt"), [parse_binding("LSN 1.2.1", "X").parts[0]])


class _Publisher(http.server.SimpleHTTPRequestHandler):
    """The LSN layout under /lsn/, and a GENESIS web service at /genesis/data/tablefile that checks its account."""

    root: Path
    seen: list[str]

    def translate_path(self, path: str) -> str:
        return str(self.root / path.split("?", 1)[0].removeprefix("/lsn/"))

    def do_GET(self) -> None:
        self.seen.append(self.path)
        if self.path.startswith("/genesis/data/tablefile"):
            if self.headers.get("username") != "kreis" or self.headers.get("password") != "geheim-123":
                self.send_error(401)
                return
            body = (GENESIS / "13111-01-03-4_flat.csv").read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def publisher():
    if not RELEASE.is_dir():
        pytest.skip(f"Die LSN-Veröffentlichung fehlt: {RELEASE}")
    handler = type("Handler", (_Publisher,), {"root": RELEASE, "seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler.seen
    server.shutdown()
    server.server_close()


def test_the_https_path_reads_the_publisher_address_with_the_real_client(publisher, tmp_path):
    address, seen = publisher
    store = Store(tmp_path / "http.duckdb")
    initialize(store, demo=False)
    run = official.prepare_official(store, official.fetch_bound(store, f"{address}/lsn"))
    assert run.unbound.empty, run.unbound.to_dict("records")
    assert "/lsn/data/indicator_4-1-4.csv" in seen
    assert official.commit_official(store, run, user="test") is not None
    store.close()


def test_genesis_credentials_come_from_the_environment_and_never_reach_a_message_or_the_store(publisher, tmp_path):
    address, seen = publisher
    store = Store(tmp_path / "genesis.duckdb")
    initialize(store, demo=False)
    kennzahl = store.catalogue.indicators().query("code == 'KTX-10'").drop(columns=["field_name", "retired"])
    bound = kennzahl.assign(binding="GENESIS 13111-01-03-4 [Nationalität=ausländisch]", levels="land, kreis")
    store.catalogue.upsert_indicators(bound, user="test")
    wrong = {"GENESIS_URL": f"{address}/genesis", "GENESIS_USER": "kreis", "GENESIS_PASSWORD": "falsch-999"}
    parts = official.needed_parts(store.catalogue.indicators())
    with pytest.raises(ControllingError) as refused:
        official.fetch(f"{address}/lsn", parts, environ=wrong)
    assert "Zugang wurde abgelehnt (HTTP 401)" in str(refused.value) and "falsch-999" not in str(refused.value)
    right = {**wrong, "GENESIS_PASSWORD": "geheim-123"}
    run = official.prepare_official(store, official.fetch(f"{address}/lsn", parts, environ=right))
    assert "KTX-10" not in set(run.unbound["indicator"]), run.unbound.to_dict("records")
    assert any(path.startswith("/genesis/data/tablefile?name=13111-01-03-4") for path in seen)
    official.commit_official(store, run, user="test")
    everything = pd.concat([store.intakes.history().astype(str), store.audit.entries().astype(str)])
    assert not everything.apply(lambda column: column.str.contains("geheim-123")).any().any()
    assert _stored(store, "KTX-10", "03", 2025) == 422357  # the file's cell for Niedersachsen, 30.06.2025
    store.close()
