"""The upload wizard: read once per upload, choose sheet and series, preview with tabs, forget after commit."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from controlling import intake
from controlling.db import ChangedSinceCheckError, Store
from controlling.errors import ControllingError
from controlling.formatting import format_exact_column, format_number, format_number_column
from controlling.intake.excel import is_workbook, sheets
from controlling.intake.frames import Reading
from controlling.intake.registry import read_any
from controlling.intake.series import (
    EDITOR_INDICATOR,
    EDITOR_ROLE,
    ROLES,
    SeriesChoice,
    choices_from_editor,
    kept_choices,
    series_editor,
    series_table,
)
from controlling.method.presentation import INTAKE_STATES
from controlling.ui.badges import as_text
from controlling.ui.session import reference, store
from controlling.ui.signin import flash

NEW_INDICATOR = "__neu__"


def _upload_reading(file_name: str, data: bytes, sheet: str | None) -> tuple[str, Reading | None]:
    """The upload's sha256 and the file as read (None when it cannot be read), kept for the session: every
    rerun of the page and every change of the choices would otherwise read the whole file again."""
    sha = hashlib.sha256(data).hexdigest()
    kept = st.session_state.get("upload_reading")
    if kept is not None and kept[0] == (sha, file_name, sheet):
        return sha, kept[1]
    try:
        reading: Reading | None = read_any(file_name, data, sheet=sheet)
    except ControllingError:
        reading = None  # prepare() reads it again and raises the error the page shows
    st.session_state["upload_reading"] = ((sha, file_name, sheet), reading)
    return sha, reading


def choose_sheet(file_name: str, data: bytes) -> str | None:
    """Of an Excel workbook with several sheets: which one to read. Hidden sheets come last, marked, and are
    never preselected; with several visible sheets nothing is preselected (None: not chosen, or no workbook)."""
    if not is_workbook(file_name, data):
        return None
    try:
        found = sheets(file_name, data)
    except ControllingError:
        return None  # prepare() raises the error the page shows
    if len(found) < 2:
        return None
    ordered = [sheet for sheet in found if sheet.visible] + [sheet for sheet in found if not sheet.visible]
    default = next((index for index, sheet in enumerate(ordered) if sheet.default), None)
    hidden = {sheet.name for sheet in found if not sheet.visible}
    chosen = st.selectbox(
        "Tabellenblatt",
        [sheet.name for sheet in ordered],
        index=default,
        format_func=lambda name: f"{name} (ausgeblendet)" if name in hidden else name,
        placeholder="Bitte das Blatt mit den Daten wählen",
        key="upload_sheet",
    )
    return None if chosen is None else str(chosen)


def upload_choices(current: Store, file_name: str, data: bytes, sheet: str | None = None) -> dict[str, object]:
    """For foreign files: ask which indicator each series feeds (kept mappings preselected)."""
    _, reading = _upload_reading(file_name, data, sheet)
    if reading is None or not reading.series:
        return {}
    kept = current.intakes.source_mappings().set_index("source")
    catalogue = current.catalogue.indicators()
    options = [NEW_INDICATOR, *catalogue["code"]]
    names = dict(zip(catalogue["code"], catalogue["name"], strict=True))
    mapping: dict[str, str] = {}
    totals: dict[str, str] = {}
    picked: list[SeriesChoice] = []
    st.markdown("**Zuordnung der Reihen** – welche Kennzahl speist diese Datei? Die Wahl wird gemerkt.")
    for series, title in reading.series.items():
        default = kept.loc[series, "indicator"] if series in kept.index else NEW_INDICATOR
        chosen = st.selectbox(
            f"{title} ({series})",
            options,
            index=options.index(default) if default in options else 0,
            format_func=lambda c: (
                "Neue Kennzahl im Feld Kontext anlegen" if c == NEW_INDICATOR else f"{c} – {names[c]}"
            ),
            key=f"map_{series}",
        )
        mapping[series] = series if chosen == NEW_INDICATOR else str(chosen)
        picked += _series_picked(current, reading, series, list(catalogue["code"]))
        breakdowns = sorted(reading.frame.loc[reading.frame["series"] == series, "breakdown"].unique())
        if "" not in breakdowns and breakdowns:
            totals[series] = st.selectbox(
                f"Welche Aufschlüsselung ist die Gesamtzahl? ({series})",
                ["(keine)", *breakdowns],
                key=f"total_{series}",
            )
            totals[series] = "" if totals[series] == "(keine)" else totals[series]
    comparison = st.checkbox("Unbekannte Kreise und Länder als Vergleichsgebiete übernehmen", key="comparison")
    return {"mapping": mapping, "choices": picked, "total_breakdown": totals, "add_comparison_areas": comparison}


def _series_picked(current: Store, reading: Reading, source: str, codes: list[str]) -> list[SeriesChoice]:
    """A table of many series: let staff give single series an indicator, as value, numerator or denominator."""
    table = series_table(reading.frame.loc[reading.frame["series"] == source, "breakdown"])
    if len(table.columns) == 0:
        return []
    mine = kept_choices(current.intakes.source_mappings(), source)
    if not st.toggle(f"Einzelne Reihen von {source} Kennzahlen zuordnen", value=bool(mine), key=f"pick_{source}"):
        return []
    st.caption(
        "Jede Zeile ist eine Reihe der Tabelle. Tragen Sie bei den gewünschten Reihen die Kennzahl ein; "
        "eine Quote bekommt zwei Reihen derselben Kennzahl (Zähler und Nenner). Die Wahl wird gemerkt."
    )
    edited = st.data_editor(
        series_editor(table, mine),
        column_config={
            EDITOR_INDICATOR: st.column_config.SelectboxColumn(EDITOR_INDICATOR, options=codes),
            EDITOR_ROLE: st.column_config.SelectboxColumn(EDITOR_ROLE, options=list(ROLES.values()), required=True),
        },
        disabled=list(table.columns),
        hide_index=True,
        key=f"series_{source}",
    )
    return choices_from_editor(source, edited)


def upload_preview(
    current: Store,
    file_name: str,
    data: bytes,
    choices: dict[str, object],
    progress: Callable[[str], object] | None = None,
    sheet: str | None = None,
    provider: str | None = None,
) -> intake.Preview:
    """The preview of an upload, kept for the session until the file or the choices change (`provider`: a
    provider's upload, checked against its own indicators and areas).

    Not renewed when the store changes: the click on "Import bestätigen" must commit the preview the person
    saw. If its values changed meanwhile, the commit is refused and the file checked again (commit_upload).
    """
    sha, reading = _upload_reading(file_name, data, sheet)
    key = (sha, sheet, repr(sorted(choices.items())), provider)
    cached = st.session_state.get("upload_preview")
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    if cached is not None:
        intake.discard(current, cached[1])  # its choices or the data changed: the old staged rows go
    mapping = choices.get("mapping") or {}
    picked = list(choices.get("choices") or [])  # type: ignore[call-overload]
    preview = intake.prepare(
        current,
        file_name,
        data,
        sheet=sheet,
        mapping=mapping,  # type: ignore[arg-type]
        choices=picked,
        total_breakdown=dict(choices.get("total_breakdown") or {}),  # type: ignore[call-overload]
        add_comparison_areas=bool(choices.get("add_comparison_areas")),
        create_missing_indicators=True,
        progress=progress,
        reading=reading,
        provider=provider,
    )
    st.session_state["upload_preview"] = (key, preview)
    return preview


def commit_upload(current: Store, preview: intake.Preview, *, user: str, skip_invalid: bool) -> int | None:
    """Commit the preview; None when nothing would change.

    Refused because values it compared changed since the check (another session's import or undo): the old
    preview goes, and the page checks the same file again and shows the refusal above the new preview.
    """
    try:
        return intake.commit(current, preview, user=user, skip_invalid=skip_invalid)
    except ChangedSinceCheckError as error:
        kept = st.session_state.pop("upload_preview", None)
        if kept is not None:
            intake.discard(current, kept[1])
        st.session_state["upload_refused"] = str(error)
        st.rerun()
        raise  # st.rerun() never returns


def show_refusal() -> None:
    """After a refused commit: why, above the preview of the same file checked again."""
    refused = st.session_state.pop("upload_refused", None)
    if refused:
        st.error(as_text(f"{refused} Die Datei wurde soeben erneut geprüft; unten steht die neue Vorschau."))


def upload_key() -> str:
    """The file uploader's key: a new one empties the uploader after a commit."""
    return f"upload_{st.session_state.get('upload_round', 0)}"


def forget_upload(message: str, *, saved: bool = True) -> None:
    """After a commit: drop the kept preview, empty the uploader and show `message` once."""
    kept = st.session_state.pop("upload_preview", None)
    if kept is not None:
        intake.discard(store(), kept[1])
    st.session_state.pop("upload_reading", None)
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    flash(message, saved=saved)


def show_preview(preview: intake.Preview) -> None:
    """Counts, and the rows of each kind in tabs; rejected rows downloadable as CSV."""
    if preview.kind != "werte":
        st.dataframe(preview.listed, hide_index=True, width="stretch")
    else:
        counts = st.columns(5)
        for column, (label, number) in zip(
            counts,
            (
                ("Neu", preview.count("new")),
                ("Geändert", preview.count("changed")),
                ("Unverändert", preview.count("unchanged")),
                ("Abgelehnt", preview.rejected),
                ("Übersprungen", len(preview.skipped)),
            ),
            strict=True,
        ):
            column.metric(label, format_number(number, 0))
    labels = ["Abgelehnt", "Geändert (alt → neu)", "Neu", "Unverändert", "Übersprungen"]
    sizes = [preview.rejected, *(preview.count(s) for s in ("changed", "new", "unchanged")), len(preview.skipped)]
    first = next((label for label, size in zip(labels, sizes, strict=True) if size), labels[0])
    tabs = st.tabs(labels, default=first)  # the first tab with rows: problems before anything else
    problems = preview.problems.rename(
        columns={"line": "Zeile", "column": "Spalte", "value": "Wert", "message": "Was richtig wäre"}
    )
    with tabs[0]:
        if problems.empty:
            st.success("Keine Fehler gefunden.")
        else:
            st.dataframe(problems, hide_index=True, width="stretch")
            st.download_button(
                "Abgelehnte Zeilen als CSV",
                intake.problems_csv(problems),
                file_name=f"abgelehnt_{preview.file_name}",
                mime="text/csv",
            )
    if preview.kind == "werte":
        columns = {
            "line": "Zeile",
            "indicator": "Kennzahl",
            "area": "Gebiet",
            "year": "Jahr",
            "breakdown": "Aufschlüsselung",
            "old_value": "Bisher",
            "value": "Neu",
            "flag": "Kennzeichen",
        }
        areas = reference()["areas"]
        area_names = dict(zip(areas["code"], areas["name"], strict=True))
        for tab, status in ((tabs[1], "changed"), (tabs[2], "new"), (tabs[3], "unchanged")):
            with tab:
                rows = intake.preview_rows(store(), preview, status, limit=1000)
                shown = rows.assign(
                    # "Edemissen (03157001)": the name a person knows, the code the file has
                    area=[f"{area_names[code]} ({code})" if code in area_names else code for code in rows["area"]],
                    old_value=format_exact_column(rows["old_value"]),
                    value=format_exact_column(rows["value"]),
                    flag=rows["flag"].fillna(""),
                )[list(columns)].rename(columns=columns)
                numbers = {name: st.column_config.TextColumn(alignment="right") for name in ("Bisher", "Neu")}
                st.dataframe(shown, hide_index=True, width="stretch", column_config=numbers)
                if preview.count(status) > len(shown):
                    st.caption(
                        f"Die ersten {format_number(len(shown), 0)} von {format_number(preview.count(status), 0)} "
                        "Zeilen."
                    )
    with tabs[4]:
        skipped = preview.skipped.rename(
            columns={"line": "Zeile", "column": "Spalte", "value": "Wert", "message": "Grund"}
        )
        st.dataframe(skipped.head(1000), hide_index=True, width="stretch")
        if len(skipped) > 1000:
            st.caption(f"Die ersten 1.000 von {format_number(len(skipped), 0)} übersprungenen Zeilen.")


def intake_label(history: pd.DataFrame, intake_id: int, *, with_file: bool = True) -> str:
    """'Import 3 – werte.csv (22.11.2026 07:30)'; without the file name for viewers."""
    row = history.set_index("id").loc[intake_id]
    if not with_file:
        return f"Stand {row['created_at']:%d.%m.%Y %H:%M} (Import {intake_id})"
    return f"Import {intake_id} – {row['file_name']} ({row['created_at']:%d.%m.%Y %H:%M})"


def intake_history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The intake history with German headers."""
    return pd.DataFrame(
        {
            "Nr.": history["id"],
            "Zeit": history["created_at"].dt.strftime("%d.%m.%Y %H:%M"),
            "Von": history["user_name"],
            "Datei": history["file_name"],
            "Format": history["format"].map({**intake.FORMAT_NAMES, "demo": "Demodaten"}).fillna(history["format"]),
            "Neu": format_number_column(history["rows_new"], 0),
            "Geändert": format_number_column(history["rows_changed"], 0),
            "Unverändert": format_number_column(history["rows_unchanged"], 0),
            "Abgelehnt": format_number_column(history["rows_rejected"], 0),
            "Stand": history["state"].map(INTAKE_STATES),
        }
    )
