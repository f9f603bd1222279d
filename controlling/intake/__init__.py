"""Data intake: read any accepted file, validate it completely, preview the changes, commit atomically.

preview = prepare(store, "werte.csv", data)        # never writes
intake_id = commit(store, preview, user="…")     # one transaction, or InputRejectedError
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from controlling.db import IntakeFile, StagedCheck, StagedSource, StagingReadError, Store
from controlling.errors import InputRejectedError, Problem
from controlling.formatting import format_number
from controlling.intake.excel import is_workbook
from controlling.intake.frames import DelimitedFile, Reading
from controlling.intake.limits import (
    DEFAULT_MAX_MB,
    check_size,
    max_upload_bytes,
    shown_values,
    sweep_upload_folder,
    upload_folder,
)
from controlling.intake.meaning import refuse_meaning_changes
from controlling.intake.opensdg import area_codes_from_names
from controlling.intake.published import set_aside
from controlling.intake.readers import read_werte_text
from controlling.intake.registry import FORMATS, read_any
from controlling.intake.scope import refuse_other_kinds, restrict_to_provider
from controlling.intake.series import SeriesChoice, apply_choices, kept_choices
from controlling.intake.validate import MESSAGES, check_values, refuse_repeated_targets
from controlling.reference.shipped import validate_indicators
from controlling.report.export import to_csv_bytes
from controlling.rules import PROBLEM_COLUMNS, TargetContext, check_targets, resolve
from controlling.tabular import map_text

__all__ = [
    "DEFAULT_MAX_MB",
    "FORMATS",
    "Preview",
    "SeriesChoice",
    "commit",
    "describe_preview",
    "discard",
    "max_upload_bytes",
    "prepare",
    "preview_rows",
    "problems_csv",
]

PUBLISHED_FORMATS = ("opensdg", "genesis", "genesis_flat", "amtlich")
sweep_upload_folder()  # at start: copies a killed import left behind


@dataclass
class Preview:
    """Everything a person needs to decide before a file is committed; nothing has been written.

    Plain data: the valid rows of a values file stay in the store's staging area under the name `staged`
    (a million rows need not pass through pandas) and are read with preview_rows(); Ziele and Kennzahlen
    are listed. The store drops the staged table on commit or discard() and sweeps forgotten ones.
    """

    file_name: str
    sha256: str
    kind: str  # werte | ziele | kennzahlen
    format: str
    listed: pd.DataFrame  # ziele, kennzahlen: the valid rows
    problems: pd.DataFrame  # line, column, value, message (rejected rows)
    skipped: pd.DataFrame  # rows left out on purpose (published files), with the reason
    series: dict[str, str] = field(default_factory=dict)  # foreign series -> title
    notes: list[str] = field(default_factory=list)  # what the reader recognised (dimensions, time, codes)
    mapping: dict[str, str] = field(default_factory=dict)  # foreign series -> indicator used
    choices: list[SeriesChoice] = field(default_factory=list)  # chosen series of foreign tables
    unmapped: list[str] = field(default_factory=list)  # series still needing an indicator
    new_indicators: pd.DataFrame | None = None  # created on commit (CLI without a kept mapping)
    new_areas: pd.DataFrame | None = None  # comparison areas added on commit
    earlier_intakes: pd.DataFrame | None = None  # committed intakes of the identical file
    counts: dict[str, int] = field(default_factory=dict)  # werte: new, changed, unchanged
    staged: str | None = None  # werte: the name of the staged table of valid rows
    provider: str | None = None  # a provider's upload (role lieferant): any rejected row stops the whole file

    def __post_init__(self) -> None:
        for frame in (self.problems, self.skipped):  # a bad cell is shown cut short, without control characters
            if len(frame):
                frame["value"] = shown_values(frame["value"])

    def count(self, status: str) -> int:
        """How many valid rows have this status (new, changed, unchanged)."""
        return self.counts.get(status, 0) if self.kind == "werte" else len(self.listed)

    @property
    def rejected(self) -> int:
        """Rejected rows (a line with several problems counts once)."""
        return int(self.problems["line"].nunique()) if len(self.problems) else 0

    def problem_list(self) -> list[Problem]:
        """The problems as typed records, in file order."""
        return [
            Problem(self.file_name, int(line), str(column), str(value), str(message))
            for line, column, value, message in self.problems[PROBLEM_COLUMNS].itertuples(index=False)
        ]


def preview_rows(store: Store, preview: Preview, status: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The valid rows of a preview (of one status, at most `limit`, in file order); for values with their
    `status` (new, changed, unchanged) and the current values beside them."""
    if preview.staged is None:
        return preview.listed
    return store.staging.rows(preview.staged, status=status, limit=limit)


def problems_csv(problems: pd.DataFrame) -> bytes:
    """Rejected rows as a German CSV to download, formulas neutralized (export.to_csv_bytes)."""
    return to_csv_bytes(problems)


def discard(store: Store, preview: Preview) -> None:
    """A preview nobody will commit: its staged rows are dropped."""
    if preview.staged is not None:
        store.staging.drop(preview.staged)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def prepare(
    store: Store,
    file_name: str,
    data: bytes,
    *,
    format: str = "auto",
    sheet: str | None = None,
    mapping: dict[str, str] | None = None,
    choices: list[SeriesChoice] | None = None,
    total_breakdown: dict[str, str] | None = None,
    add_comparison_areas: bool = False,
    create_missing_indicators: bool = False,
    today: dt.date | None = None,
    progress: Callable[[str], object] | None = None,
    reading: Reading | None = None,
    provider: str | None = None,
) -> Preview:
    """Read and validate a file completely and compare it with the stored values; writes nothing.

    `progress` is told in German what is being done, step by step (the page shows it while it works).
    `sheet`: the sheet of an Excel workbook (default: the first).
    `reading`: the file as read_any already read it (in the given format), so it is not read again.
    `choices`: series of a table feeding indicators (value, numerator, denominator); they replace the
    mapping of their source, and are kept for the next file of the same table.
    `provider`: the upload of a provider (role lieferant): only its own indicators and areas pass.
    """
    report = progress or (lambda text: None)
    check_size(file_name, data)
    reading = reading or read_any(file_name, data, format, sheet)
    if is_workbook(file_name, data) and not file_name.lower().endswith((".xlsx", ".xlsm")):
        reading.notes.append("Die Datei ist eine Excel-Arbeitsmappe (.xlsx), obwohl ihr Name anders endet.")
    report(f"{FORMAT_NAMES.get(reading.format, reading.format)} erkannt – jede Zeile wird geprüft …")
    sha = _sha256(data)
    earlier = store.intakes.find_by_sha256(sha)
    refuse_other_kinds(file_name, reading.kind, provider)
    if reading.kind == "ziele":
        return _prepare_targets(store, reading, file_name, sha, today)
    if reading.kind == "kennzahlen":
        indicators = validate_indicators(reading.frame, store.catalogue.fields(), file=file_name)
        refuse_meaning_changes(store, indicators, file=file_name)
        known = set(store.catalogue.indicators(include_retired=True)["code"])
        rows = indicators.assign(status=np.where(indicators["code"].isin(known), "changed", "new"))
        return Preview(
            file_name, sha, "kennzahlen", "kennzahlen", rows, _no_problems(), _no_problems(), earlier_intakes=earlier
        )
    options = IntakeOptions(
        mapping=dict(mapping or {}),
        choices=tuple(choices or ()),
        total_breakdown=dict(total_breakdown or {}),
        add_comparison_areas=add_comparison_areas,
        create_missing_indicators=create_missing_indicators,
        today=today,
    )
    plan = plan_series(store, reading, options)  # read -> plan series -> stage -> check -> preview
    source = stage(store, reading, plan, report)
    checked = check(store, source, reading, plan, today)
    if provider is not None:
        checked = restrict_to_provider(store, checked, plan.indicators, plan.areas, provider)
    report("Geprüft und mit den gespeicherten Werten verglichen.")
    return Preview(
        file_name=file_name,
        sha256=sha,
        kind="werte",
        format=reading.format,
        listed=_no_rows(),
        problems=checked.problems,
        skipped=_with_read_skips(checked.skipped, reading.skipped, plan.unlisted),
        series=reading.series,
        notes=reading.notes,
        mapping=plan.used,
        choices=plan.chosen,
        unmapped=plan.unmapped,
        new_indicators=plan.new_indicators,
        new_areas=plan.new_areas,
        earlier_intakes=earlier,
        counts=checked.counts,
        staged=checked.table,
        provider=provider,
    )


def _no_problems() -> pd.DataFrame:
    return pd.DataFrame(columns=PROBLEM_COLUMNS)


@dataclass(frozen=True)
class IntakeOptions:
    """What a person chose for a file (or the command line said): series mapping, series choices, totals."""

    mapping: dict[str, str] = field(default_factory=dict)  # foreign series -> indicator
    choices: tuple[SeriesChoice, ...] = ()  # single series of a table -> indicator as value/numerator/denominator
    total_breakdown: dict[str, str] = field(default_factory=dict)  # series -> the breakdown that is its total
    add_comparison_areas: bool = False
    create_missing_indicators: bool = False  # the CLI: a series without mapping becomes a Kontext indicator
    today: dt.date | None = None


@dataclass
class SeriesPlan:
    """Step 'plan series': the rows that feed indicators, against which catalogue and areas, and what the
    commit must create first (new Kontext indicators, comparison areas)."""

    raw: pd.DataFrame
    indicators: pd.DataFrame
    areas: pd.DataFrame
    published: bool
    used: dict[str, str] = field(default_factory=dict)
    chosen: list[SeriesChoice] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    new_indicators: pd.DataFrame | None = None
    new_areas: pd.DataFrame | None = None
    unlisted: pd.DataFrame | None = None  # cells of areas not in the list, skipped before the check


def plan_series(store: Store, reading: Reading, options: IntakeOptions) -> SeriesPlan:
    """Which indicator each series of the file feeds: chosen now, kept from an earlier file, or new."""
    plan = SeriesPlan(
        raw=reading.frame,
        indicators=store.catalogue.indicators(),
        areas=store.catalogue.areas(),
        published=reading.format in PUBLISHED_FORMATS,
    )
    if reading.format == "opensdg":
        plan.raw = plan.raw.assign(area=area_codes_from_names(plan.raw["area"], plan.areas))
    if not plan.published:
        return plan
    plan.raw, set_apart = set_aside(plan.raw)  # a publisher's shifted codes and contradicting duplicates, listed
    totals = dict(options.total_breakdown)
    comparison = options.add_comparison_areas
    kept = store.intakes.source_mappings().set_index("source")
    remembered_choices = kept_choices(kept.reset_index())
    for series in reading.series:  # the series of one file: a handful
        given = [c for c in options.choices if c.source == series]
        remembered = [c for c in remembered_choices if c.source == series]
        if given or (remembered and series not in options.mapping):
            plan.chosen += given or remembered
        elif series in options.mapping:
            plan.used[series] = options.mapping[series]
        elif series in kept.index:
            plan.used[series] = str(kept.loc[series, "indicator"])
            totals.setdefault(series, str(kept.loc[series, "total_breakdown"]))
            comparison = comparison or bool(kept.loc[series, "add_comparison_areas"])
        elif options.create_missing_indicators:
            plan.used[series] = series
        else:
            plan.unmapped.append(series)
    missing = [code for code in plan.used.values() if code not in set(plan.indicators["code"])]
    if options.create_missing_indicators and missing:
        plan.new_indicators = _context_indicators(missing, reading.series)
        plan.indicators = pd.concat([plan.indicators, plan.new_indicators.assign(field_name="Kontext", retired=False)])
    raw = plan.raw.assign(indicator=map_text(plan.raw["series"], plan.used))
    total = map_text(raw["series"], totals)
    raw = raw.assign(breakdown=raw["breakdown"].where(raw["breakdown"] != total, ""))
    selected = apply_choices(raw, plan.chosen, plan.indicators) if plan.chosen else None
    raw = raw.loc[raw["series"].isin(list(plan.used))]
    if selected is not None:
        raw = pd.concat([raw, selected], ignore_index=True)
    if comparison:
        plan.new_areas = _comparison_areas(raw, plan.areas)
        plan.areas = pd.concat([plan.areas, plan.new_areas], ignore_index=True)
    plan.raw, plan.unlisted = _unlisted_areas(raw, plan.areas)
    if len(set_apart):
        plan.unlisted = pd.concat([set_apart, plan.unlisted], ignore_index=True)
    return plan


def _context_indicators(codes: list[str], titles: dict[str, str]) -> pd.DataFrame:
    """New indicators in the field Kontext for series nobody mapped (DESIGN §5.3, command line)."""
    return pd.DataFrame(
        {
            "code": codes,
            "name": [titles.get(code, code) for code in codes],
            "field": "KTX",
            "unit": "Anzahl",
            "polarity": "neutral",
            "decimals": 1,
            "aggregation": "keine",
            "factor": np.nan,
            "definition": "Automatisch angelegt beim Import; bitte Definition ergänzen.",
            "source": [titles.get(code, code) for code in codes],
            "threshold_green": np.nan,
            "threshold_yellow": np.nan,
        }
    )


def stage(store: Store, reading: Reading, plan: SeriesPlan, report: Callable[[str], object]) -> StagedSource:
    """Step 'stage': a plain Werte file is read by the store itself; anything else is staged as read."""
    source = _stage_file(store, reading.delimited) if reading.delimited is not None else None
    if source is not None:
        return source
    raw = plan.raw
    if reading.delimited is not None:  # not strict CSV: read here, which names each bad line
        report("Die Datei ist kein strenges CSV – sie wird Zeile für Zeile gelesen (dauert länger) …")
        raw = read_werte_text(reading.delimited).frame
    return store.staging.stage_frame(raw)


def check(store: Store, source: StagedSource, reading: Reading, plan: SeriesPlan, today: dt.date | None) -> StagedCheck:
    """Step 'check': every staged cell against the rules and the stored values; the raw cells are dropped."""
    try:
        return check_values(
            store, source, plan.indicators, plan.areas, published=plan.published, format=reading.format, today=today
        )
    finally:
        store.staging.drop(source.table)


def _with_read_skips(skipped: pd.DataFrame, *early: pd.DataFrame | None) -> pd.DataFrame:
    """Rows left out before the check (a Mikrozensus region of several Kreise, an area not in the list) join
    those the check skipped, in file order."""
    found = [frame[PROBLEM_COLUMNS] for frame in (*early, skipped) if frame is not None and len(frame)]
    if not found:
        return skipped
    return pd.concat(found, ignore_index=True).sort_values("line", kind="stable", ignore_index=True)


def _unlisted_areas(raw: pd.DataFrame, areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A published file's cells of areas not in the area list, skipped before the check (once per line):
    a table of every Gemeinde in Germany holds a few values for the Landkreis among millions."""
    area = raw["area"].fillna("").astype(str)
    unlisted = resolve(area, areas).isna().to_numpy() & (area.str.strip() != "").to_numpy()
    if not unlisted.any():
        return raw, _no_problems()
    lines = raw.loc[unlisted, ["line", "area"]].drop_duplicates("line")
    skipped = pd.DataFrame(
        {
            "line": lines["line"].astype(int),
            "column": "gebiet",
            "value": lines["area"],
            "message": MESSAGES["gebiet_nicht_gelistet"],
        }
    )
    return raw.loc[~unlisted], skipped


def _stage_file(store: Store, delimited: DelimitedFile) -> StagedSource | None:
    """Let the store read a plain Werte file; None when it is not strict CSV."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="werte_", dir=upload_folder())
    path = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(delimited.data)
        return store.staging.stage_csv(
            path, separator=delimited.separator, width=delimited.width, columns=delimited.columns
        )
    except StagingReadError:
        return None
    finally:
        path.unlink(missing_ok=True)


def _no_rows() -> pd.DataFrame:
    return pd.DataFrame(columns=["line", "status"])


def _comparison_areas(raw: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Valid AGS codes of Kreise and Länder not yet known, as comparison areas named from the file."""
    candidates = raw.loc[
        raw["area"].str.fullmatch(r"\d{2}|\d{5}") & ~raw["area"].isin(areas["code"]), ["area", "area_name"]
    ].drop_duplicates("area")
    level = np.where(candidates["area"].str.len() == 2, "land", "kreis")
    return pd.DataFrame(
        {
            "code": candidates["area"].to_numpy(),
            "name": candidates["area_name"].str.strip().to_numpy(),
            "level": level,
            "parent": candidates["area"].str.slice(0, 2).where(level == "kreis").to_numpy(),
            "valid_from": None,
            "valid_to": None,
            "successor": None,
            "comparison": True,
        }
    )


def _prepare_targets(store: Store, reading: Reading, file_name: str, sha: str, today: dt.date | None) -> Preview:
    """Ziele: checked by the same rules as the target form (controlling.rules)."""
    context = TargetContext(
        file_name, store.catalogue.indicators(), store.catalogue.areas(), today or dt.date.today(), f"Datei {file_name}"
    )
    rows, problems = refuse_repeated_targets(*check_targets(reading.frame, context))
    return Preview(file_name, sha, "ziele", "ziele", rows.assign(status="new"), problems, _no_problems())


def commit(store: Store, preview: Preview, *, user: str, skip_invalid: bool = False) -> int | None:
    """Write a previewed file in one transaction; returns the intake id, or None when nothing changed.

    Rejected rows stop the whole file unless skip_invalid (then the valid rows are written). The diff is
    computed again under the write lock, so a commit never overwrites a change made since the preview.
    """
    if preview.unmapped:
        raise InputRejectedError(
            [
                Problem(preview.file_name, None, None, series, "Für diese Reihe ist noch keine Kennzahl zugeordnet.")
                for series in preview.unmapped
            ]
        )
    if len(preview.problems) and (not skip_invalid or preview.provider is not None):
        raise InputRejectedError(preview.problem_list())
    with store.exclusive():
        file = IntakeFile(preview.file_name, preview.sha256, preview.kind)
        if preview.kind == "ziele":
            return store.targets.add(preview.listed.drop(columns=["line", "status"]), user=user, intake=file)
        if preview.kind == "kennzahlen":
            return store.catalogue.upsert_indicators(preview.listed.drop(columns=["status"]), user=user, intake=file)
        if preview.new_indicators is not None and len(preview.new_indicators):
            store.catalogue.upsert_indicators(preview.new_indicators, user=user)
        if preview.new_areas is not None and len(preview.new_areas):
            store.catalogue.add_areas(preview.new_areas, user=user)
        for series, indicator in preview.mapping.items():
            store.intakes.save_source_mapping(series, indicator, user=user)
        for choice in preview.choices:
            store.intakes.save_source_mapping(choice.key, choice.indicator, user=user)
        assert preview.staged is not None
        return store.staging.commit(
            preview.staged,
            user=user,
            file_name=preview.file_name,
            sha256=preview.sha256,
            format=preview.format,
            rows_rejected=preview.rejected,
        )


FORMAT_NAMES = {
    "werte": "Werte-Vorlage",
    "werte_breit": "Werte-Vorlage (breit)",
    "ziele": "Ziele-Vorlage",
    "kennzahlen": "Kennzahlen-Vorlage",
    "opensdg": "Open SDG (Integrationsmonitoring)",
    "genesis": "GENESIS-Tabelle",
    "genesis_flat": "GENESIS-Flatfile",
    "amtlich": "Amtliche Daten (Veröffentlichungen der Statistikämter)",
}


def describe_preview(preview: Preview) -> str:
    """A German summary of a preview, as the CLI prints it and the page shows it."""
    lines = [f"Datei {preview.file_name}: {FORMAT_NAMES.get(preview.format, preview.format)}"]
    lines += [f"  {note}" for note in preview.notes]
    if preview.kind == "werte":
        counts = [
            ("Neu", preview.count("new")),
            ("geändert", preview.count("changed")),
            ("unverändert", preview.count("unchanged")),
            ("abgelehnt", preview.rejected),
            ("übersprungen", len(preview.skipped)),
        ]
        lines.append(", ".join(f"{label}: {format_number(n, 0)}" for label, n in counts))
        for series, indicator in preview.mapping.items():
            lines.append(f"Reihe {series} ({preview.series.get(series, '')}) → Kennzahl {indicator}")
        lines += [f"Reihe {choice.source}: {choice.describe()}" for choice in preview.choices]
        if preview.new_indicators is not None and len(preview.new_indicators):
            lines.append("Neue Kennzahlen im Feld Kontext: " + ", ".join(preview.new_indicators["code"]))
    else:
        what = "Ziele" if preview.kind == "ziele" else "Kennzahlen"
        lines.append(
            f"{what}: {format_number(len(preview.listed), 0)} gültig, abgelehnt: {format_number(preview.rejected, 0)}"
        )
    if preview.earlier_intakes is not None and len(preview.earlier_intakes):
        first = preview.earlier_intakes.iloc[0]
        lines.append(f"Hinweis: Diese Datei wurde bereits importiert (Import {first['id']}).")
    return "\n".join(lines)
