"""Official data in one command (issue 23): every Kennzahl the catalogue binds to a publication, filled from the
publisher's files in one import, for the Land, every Kreis of the files and the Gemeinden where published.

    fetched = fetch("../shared/published/lsn-integrationsmonitoring-2025-12")   # a folder, or https://…
    official = prepare_official(store, fetched)                                   # never writes
    intake_id = commit(store, official.preview, user="…")                         # one import, undoable

The folder is laid out as published: the LSN repository (`data/indicator_4-1-4.csv`), GENESIS tables named by
their code (`12411-01-01-4….csv`). Over HTTPS the LSN files come from the same layout below the address, and
GENESIS tables from its web service with the Landkreis's own account (see `genesis_credentials`).
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
import pandas as pd
import pyarrow as pa

from controlling.db import Store
from controlling.errors import ControllingError, InputRejectedError
from controlling.intake import Preview, commit, prepare
from controlling.intake import discard as discard_preview
from controlling.intake.frames import RAW_COLUMNS, Reading, series_code
from controlling.intake.readers import DECIMAL_DEFAULTS
from controlling.intake.registry import read_any
from controlling.intake.series import SeriesChoice, select
from controlling.reference.areas import germany_areas, map_codes
from controlling.reference.bindings import Binding, Part, catalogue_bindings
from controlling.rules import PROBLEM_COLUMNS
from controlling.tabular import DECIMAL_UNDECIDED, decimal_mark, map_text, parse_german_number

FORMAT = "amtlich"
GENESIS_DEFAULT_URL = "https://www.regionalstatistik.de/genesisws/rest/2020"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"
TIMEOUT_SECONDS = 60.0


class OfficialSourceError(ControllingError):
    """The source cannot be read (a missing folder, an unreachable address, refused credentials); German."""


def source_key(part: Part) -> str:
    """The series key the readers give a publication: `LSN-4-1-4`, `GENESIS-12411-01-01-4`."""
    return series_code(part.publisher, part.number.replace(".", "-"))


def choices(binding: Binding) -> list[SeriesChoice]:
    """The series choices that feed a bound Kennzahl (value; numerator and denominator; group and comparison)."""
    return [SeriesChoice(source_key(part), part.selection, binding.indicator, role) for part, role in binding.roles()]


@dataclass
class Fetched:
    """The publisher's files one run needs: file stem -> (file name, bytes), and what could not be had."""

    where: str
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    parts: dict[str, Part] = field(default_factory=dict)  # file stem -> the publication it holds
    missing: dict[str, str] = field(default_factory=dict)  # file stem -> German reason

    def manifest(self) -> bytes:
        """What identifies this run's content: each file's name and SHA-256, sorted (the intake's checksum)."""
        lines = sorted(f"{name} {hashlib.sha256(data).hexdigest()}" for name, data in self.files.values())
        return "\n".join(lines).encode()


def needed_parts(indicators: pd.DataFrame) -> list[Part]:
    """Every publication the catalogue's bindings name, once."""
    parts = {(p.publisher, p.number): p for b in catalogue_bindings(indicators) for p in b.parts}
    return list(parts.values())


def fetch(
    source: str,
    parts: list[Part],
    *,
    progress: Callable[[str], object] | None = None,
    environ: dict[str, str] | None = None,
    client: httpx.Client | None = None,
) -> Fetched:
    """The files of the needed publications from a folder laid out as published or from an HTTPS address."""
    report = progress or (lambda text: None)
    stems = {p.file_stem: p for p in parts}
    if source.startswith(("http://", "https://")):
        return _fetch_http(
            source.rstrip("/"), stems, report, environ if environ is not None else dict(os.environ), client
        )
    return _fetch_folder(Path(source), stems, report)


def _fetch_folder(folder: Path, stems: dict[str, Part], report: Callable[[str], object]) -> Fetched:
    if not folder.is_dir():
        raise OfficialSourceError(
            f"Den Ordner »{folder}« gibt es nicht. Erwartet wird ein Ordner wie veröffentlicht: »data/indicator_*.csv« "
            "des Integrationsmonitorings und GENESIS-Tabellen, deren Dateiname mit dem Tabellencode beginnt."
        )
    fetched = Fetched(str(folder))
    candidates = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))
    for stem, part in stems.items():
        if part.publisher == "LSN":
            found = [p for p in candidates if p.stem == stem]
        else:
            found = [p for p in candidates if p.name.startswith(stem)]
        if not found:
            where = "data/" + stem + ".csv" if part.publisher == "LSN" else stem + "….csv"
            fetched.missing[stem] = f"{part.publisher} {part.number}: keine Datei »{where}« in »{folder}«."
            continue
        report(f"Lese {found[0].relative_to(folder)} …")
        fetched.files[stem] = (found[0].name, found[0].read_bytes())
        fetched.parts[stem] = part
    return fetched


def genesis_credentials(environ: dict[str, str], secrets_file: Path = SECRETS_FILE) -> tuple[str, str, str] | None:
    """Address, user and password of the GENESIS web service: from the environment (`GENESIS_URL`,
    `GENESIS_USER`, `GENESIS_PASSWORD`) or from `.streamlit/secrets.toml` ([genesis] url, user, password).
    They are used for the request only: never stored, logged or shown."""
    user, password = environ.get("GENESIS_USER", ""), environ.get("GENESIS_PASSWORD", "")
    url = environ.get("GENESIS_URL", "")
    if not (user and password) and secrets_file.is_file():
        try:
            section = tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("genesis", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            section = {}
        user, password = str(section.get("user", "")), str(section.get("password", ""))
        url = url or str(section.get("url", ""))
    if not (user and password):
        return None
    return url or GENESIS_DEFAULT_URL, user, password


def _fetch_http(
    base: str,
    stems: dict[str, Part],
    report: Callable[[str], object],
    environ: dict[str, str],
    client: httpx.Client | None,
) -> Fetched:
    fetched = Fetched(base)
    credentials = genesis_credentials(environ)
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True)
    try:
        for stem, part in stems.items():
            if part.publisher == "LSN":
                url, params, headers = f"{base}/data/{stem}.csv", None, None
            elif credentials is None:
                fetched.missing[stem] = (
                    f"GENESIS {part.number}: kein Zugang zum GENESIS-Webservice eingerichtet (GENESIS_USER und "
                    "GENESIS_PASSWORD in der Umgebung oder [genesis] in .streamlit/secrets.toml)."
                )
                continue
            else:
                url = f"{credentials[0].rstrip('/')}/data/tablefile"
                params = {"name": part.number, "area": "all", "compress": "false", "format": "ffcsv", "language": "de"}
                headers = {"username": credentials[1], "password": credentials[2]}
            report(f"Rufe {part.publisher} {part.number} ab …")
            try:
                response = http.get(url, params=params, headers=headers)
            except httpx.HTTPError as error:  # the message names the address, never the credentials
                raise OfficialSourceError(
                    f"{part.publisher} {part.number}: die Adresse »{url}« ist nicht erreichbar "
                    f"({type(error).__name__})."
                ) from None
            if response.status_code in (401, 403):
                raise OfficialSourceError(
                    f"{part.publisher} {part.number}: der Zugang wurde abgelehnt (HTTP {response.status_code}). "
                    "Bitte Benutzerkennung und Passwort des GENESIS-Webservice prüfen."
                )
            if response.status_code == 404:
                fetched.missing[stem] = (
                    f"{part.publisher} {part.number}: unter »{url}« nicht veröffentlicht (HTTP 404)."
                )
                continue
            if response.status_code != 200:
                raise OfficialSourceError(
                    f"{part.publisher} {part.number}: »{url}« antwortet mit HTTP {response.status_code}."
                )
            name = f"{stem}.csv" if part.publisher == "LSN" else f"{part.number}_flat.csv"
            fetched.files[stem] = (name, response.content)
            fetched.parts[stem] = part
    finally:
        if own:
            http.close()
    return fetched


@dataclass
class OfficialPreview:
    """One run of the official data, checked and compared with the store; nothing written yet."""

    where: str
    preview: Preview | None  # None: no bound Kennzahl could be read
    bound: pd.DataFrame  # indicator, name, binding, levels, publications, state (German), message
    by_indicator: pd.DataFrame  # indicator, new, changed, restated, unchanged, first_year, last_year, areas
    notes: list[str] = field(default_factory=list)

    @property
    def unbound(self) -> pd.DataFrame:
        """Bound Kennzahlen this run could not fill, each with its reason (a missing file, a changed label)."""
        return self.bound.loc[self.bound["message"] != ""]


def _canonical_values(reading: Reading) -> pd.Series:
    """The reading's values as text with a decimal point (each file read with its own decimal rule), so that
    files of several publishers can be checked as one; special characters (`.`, `x`, `-`) are kept."""
    text = reading.frame["value"].fillna("").astype(str)
    mark = decimal_mark(pa.array(text.to_numpy(dtype=object), type=pa.string()))
    if mark == DECIMAL_UNDECIDED:
        mark = DECIMAL_DEFAULTS.get(reading.format, DECIMAL_UNDECIDED)
    numbers = parse_german_number(text, mark)
    return text.where(numbers.isna(), numbers.map(repr))


def _as_publication(reading: Reading, part: Part | None) -> Reading:
    """A GENESIS flat file names its series by statistic and value (`GENESIS-13111-ERW032`), not by the table it
    was fetched as: its cells become the table's series; several values of one table are told apart by a
    Merkmal »Wert« (the value's label)."""
    if part is None or part.publisher != "GENESIS":
        return reading
    key = source_key(part)
    frame = reading.frame
    if len(reading.series) > 1:
        label = map_text(frame["series"], reading.series)
        pair = "Wert=" + label
        frame = frame.assign(breakdown=pair.where(frame["breakdown"] == "", frame["breakdown"] + "|" + pair))
    title = " / ".join(dict.fromkeys(reading.series.values()))
    return Reading(
        reading.kind, reading.format, frame.assign(series=key), {key: title}, None, reading.notes, reading.skipped
    )


def read_publications(fetched: Fetched) -> tuple[Reading, pd.DataFrame, list[str]]:
    """Every fetched file read by the reader that recognises it, as one reading of published cells, with the
    rows set aside (duplicates, contradicting area names) and notes naming each file."""
    frames, series, notes, skipped = [], {}, [], []
    for stem, (name, data) in fetched.files.items():  # one per publication: a few dozen
        reading = _as_publication(read_any(name, data, "auto", None), fetched.parts.get(stem))
        frame = reading.frame.assign(value=_canonical_values(reading), column=name + " › " + reading.frame["column"])
        frames.append(frame)
        series.update(reading.series)
        notes += [f"{name}: {note}" for note in reading.notes]
        if reading.skipped is not None and len(reading.skipped):
            skipped.append(reading.skipped.assign(column=name + " › " + reading.skipped["column"].astype(str)))
    raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(RAW_COLUMNS))
    reading = Reading(kind="werte", format=FORMAT, frame=raw, series=series, notes=notes)
    found = [s[PROBLEM_COLUMNS] for s in skipped if len(s)]
    return reading, pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=PROBLEM_COLUMNS), notes


def _bound_table(
    fetched: Fetched, raw: pd.DataFrame, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, list[SeriesChoice]]:
    """Per bound Kennzahl: its binding and whether this run can fill it (else why, by name), and the choices."""
    rows, usable = [], []
    for binding in catalogue_bindings(indicators):  # the catalogue's bound Kennzahlen: a few dozen
        message = ""
        missing = [fetched.missing[p.file_stem] for p in binding.parts if p.file_stem in fetched.missing]
        if missing:
            message = " ".join(dict.fromkeys(missing))
        else:
            try:
                for choice in choices(binding):
                    if select(raw, choice).empty:
                        raise InputRejectedError.about_file(
                            choice.source, f"Die Reihe »{choice.selection or 'Insgesamt'}« hat keine Werte."
                        )
            except InputRejectedError as error:
                message = " ".join(f"{p.file}: {p.message}" for p in error.problems)
            else:
                usable += choices(binding)
        rows.append(
            {
                "indicator": binding.indicator,
                "binding": binding.describe(),
                "publications": ", ".join(binding.publications()),
                "message": message,
            }
        )
    bound = pd.DataFrame(rows, columns=["indicator", "binding", "publications", "message"])
    meta = indicators.set_index("code")
    bound = bound.assign(
        name=bound["indicator"].map(meta["name"]),
        levels=bound["indicator"].map(meta["levels"]).fillna(""),
        state=np.where(bound["message"] == "", "gebunden", "nicht gefüllt"),
    )
    return bound, usable


def prepare_official(
    store: Store, fetched: Fetched, *, progress: Callable[[str], object] | None = None
) -> OfficialPreview:
    """Read every fetched publication, choose the bound series and check them as one import; writes nothing."""
    report = progress or (lambda text: None)
    indicators = store.catalogue.indicators()
    reading, set_aside, notes = read_publications(fetched)
    bound, usable = _bound_table(fetched, reading.frame, indicators)
    if not usable:
        return OfficialPreview(fetched.where, None, bound, _no_counts(), notes)
    wanted = {c.source for c in usable}
    reading.series = {key: title for key, title in reading.series.items() if key in wanted}
    reading.frame = reading.frame.loc[reading.frame["series"].isin(list(wanted))].reset_index(drop=True)
    name = f"Amtliche Daten: {fetched.where} ({len(fetched.files)} Veröffentlichungen)"
    preview = prepare(
        store, name, fetched.manifest(), reading=reading, choices=usable, add_comparison_areas=True, progress=report
    )
    preview.format = FORMAT
    preview.skipped = pd.concat([set_aside, preview.skipped], ignore_index=True) if len(set_aside) else preview.skipped
    if preview.new_areas is not None and len(preview.new_areas):
        names = map_codes(preview.new_areas["code"], germany_areas().set_index("code")["name"])
        preview.new_areas = preview.new_areas.assign(name=names.where(names != "", preview.new_areas["name"]))
    counts = store.staging.counts_by_indicator(preview.staged) if preview.staged else _no_counts()
    return OfficialPreview(fetched.where, preview, bound, counts, notes)


def _no_counts() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["indicator", "new", "changed", "restated", "unchanged", "first_year", "last_year", "areas"]
    )


def _areas(count: int) -> str:
    return "1 Gebiet" if count == 1 else f"{count} Gebiete"


def describe_official(official: OfficialPreview) -> str:
    """A German summary: per bound Kennzahl new, changed, restated older years, unchanged; what was not filled."""
    lines = [f"Amtliche Daten aus {official.where}"]
    counts = official.by_indicator.set_index("indicator").to_dict("index")
    for code, message in zip(official.bound["indicator"], official.bound["message"], strict=True):  # a few dozen
        if message:
            lines.append(f"  {code}: nicht gefüllt – {message}")
            continue
        if code not in counts:
            lines.append(f"  {code}: keine Werte für die Gebiete dieser Installation")
            continue
        c = counts[code]
        lines.append(
            f"  {code}: {int(c['new'])} neu, {int(c['changed'])} geändert, "
            f"{int(c['restated'])} frühere Jahre neu veröffentlicht, {int(c['unchanged'])} unverändert "
            f"({int(c['first_year'])}–{int(c['last_year'])}, {_areas(int(c['areas']))})"
        )
    if official.preview is not None:
        skipped = len(official.preview.skipped)
        new_areas = 0 if official.preview.new_areas is None else len(official.preview.new_areas)
        lines.append(f"Neue Vergleichsgebiete: {new_areas}; ausgelassene Zeilen (mit Grund): {skipped}")
        if len(official.preview.problems):
            lines.append(f"Abgelehnte Zeilen: {len(official.preview.problems)}")
    return "\n".join(lines)


SOURCE_SETTING = "CONTROLLING_AMTLICH_QUELLE"


def default_source(environ: dict[str, str] | None = None) -> str:
    """Where the page fetches by default: the setting CONTROLLING_AMTLICH_QUELLE (a folder or an address)."""
    return (environ if environ is not None else dict(os.environ)).get(SOURCE_SETTING, "")


def overview(store: Store, home: str) -> pd.DataFrame:
    """Per bound Kennzahl, in German: binding, levels, how many values the home Kreis and the Land hold, how many
    Kreise, the newest year and the import of the newest value."""
    indicators = store.catalogue.indicators()
    bindings = catalogue_bindings(indicators)
    coverage = store.values.coverage(home).set_index("indicator")
    codes = [b.indicator for b in bindings]
    table = pd.DataFrame(
        {
            "Kennzahl": codes,
            "Bezeichnung": indicators.set_index("code").loc[codes, "name"].to_numpy(),
            "Bezug": [b.describe() for b in bindings],
            "Ebenen": indicators.set_index("code").loc[codes, "levels"].to_numpy(),
        }
    )
    found = coverage.reindex(codes)
    for column, label in (
        ("home_values", "Werte Kreis"),
        ("land_values", "Werte Land"),
        ("kreise", "Kreise mit Werten"),
        ("last_year", "Neuestes Jahr"),
        ("last_intake", "Import"),
    ):
        table[label] = found[column].fillna(0).astype(int).to_numpy()
    return table


def last_fetches(store: Store) -> pd.DataFrame:
    """The committed official-data imports, newest first."""
    history = store.intakes.history()
    return history.loc[history["format"] == FORMAT].reset_index(drop=True)


COUNT_LABELS = {
    "indicator": "Kennzahl",
    "new": "neu",
    "changed": "geändert",
    "restated": "frühere Jahre neu veröffentlicht",
    "unchanged": "unverändert",
    "first_year": "von",
    "last_year": "bis",
    "areas": "Gebiete",
}


def counts_table(official: OfficialPreview) -> pd.DataFrame:
    """The preview per Kennzahl with German column names (restated older years apart from this year's changes)."""
    return official.by_indicator.rename(columns=COUNT_LABELS)[list(COUNT_LABELS.values())]


def commit_official(store: Store, official: OfficialPreview, *, user: str) -> int | None:
    """Commit the run as one import (rows set aside with their reason are listed, not stored); its id."""
    if official.preview is None:
        raise InputRejectedError.about_file(official.where, "Keine Kennzahl konnte gefüllt werden.")
    return commit(store, official.preview, user=user, skip_invalid=True)


def discard(store: Store, official: OfficialPreview) -> None:
    """Drop a run's staged rows without committing."""
    if official.preview is not None:
        discard_preview(store, official.preview)


def fetch_bound(store: Store, source: str, *, progress: Callable[[str], object] | None = None) -> Fetched:
    """The files of every publication the store's catalogue binds, from `source` (see fetch)."""
    parts = needed_parts(store.catalogue.indicators())
    if not parts:
        raise OfficialSourceError("Keine Kennzahl des Katalogs hat einen Bezug (Spalte »bezug«); nichts abzurufen.")
    return fetch(source, parts, progress=progress)
