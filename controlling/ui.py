"""Streamlit glue shared by the pages: the store, cached queries, status rendering helpers.

The only module of the package that imports streamlit (DESIGN §2).
"""

from __future__ import annotations

import hashlib
import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.pages_manager import PagesManager

from controlling import auth, charts, intake, service
from controlling.bootstrap import OpenedStore, open_store
from controlling.db import Store, default_db_path
from controlling.errors import ControllingError
from controlling.formatting import format_exact_column, format_number
from controlling.intake.excel import is_workbook, sheet_names
from controlling.intake.frames import Reading
from controlling.intake.readers import read_any
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
from controlling.intake.values import FLAG_LABELS
from controlling.presentation import (
    LEGEND,
    LIGHT_LOOKS,
    OUTLOOK_LOOKS,
    OUTLOOK_TITLE,
    TREND_LOOKS,
    light_text,
    outlook_text,
    trend_text,
)
from controlling.privacy import SMALL_FLAG, UNRELIABLE_FLAG, minimum_count, protect_status, protect_values
from controlling.reference import DATA_DIR

APP_TITLE = "Integrationscontrolling"
FLAG_TEXTS = {
    **FLAG_LABELS,
    SMALL_FLAG: "kleine Fallzahl, aus Datenschutzgründen nicht gezeigt",
    UNRELIABLE_FLAG: "auf kleiner Fallzahl, unsicher",
}


@st.cache_resource(show_spinner="Datenbank wird geöffnet …")
def _opened_store(path: str) -> OpenedStore:
    return open_store(path, demo_on_create=True)


def opened_store() -> OpenedStore:
    """The process's store (created with demo data on first start); stops the page on a German error."""
    try:
        return _opened_store(str(default_db_path()))
    except ControllingError as error:
        st.error(str(error))
        st.stop()
        raise  # st.stop() never returns; this keeps type checkers content


def store() -> Store:
    """The process's store."""
    return opened_store().store


@st.cache_resource
def _first_start_notice() -> dict[str, bool]:
    return {"shown": False}


def show_start_notices() -> None:
    """The first-start notice (for the first visit after the database was created) and the Demodaten marker."""
    opened = opened_store()
    notice = _first_start_notice()
    if opened.demo_loaded and (not notice["shown"] or st.session_state.get("start_notice_shown")):
        notice["shown"] = True
        st.session_state["start_notice_shown"] = True
        st.toast("Die Datenbank wurde beim ersten Start neu angelegt und mit Demodaten gefüllt.", icon="ℹ️")
        st.info(
            f"Die Datenbank `{opened.store.path}` wurde beim ersten Start neu angelegt: Stammdaten aus "
            "`data/` und **Demodaten** für den Landkreis Peine (2015–2024) sind geladen."
        )
    if opened.store.values.has_demo_data():
        st.sidebar.warning("**Demodaten**: Die angezeigten Werte sind erfunden und nur zur Vorführung.")


@st.cache_data(show_spinner="Ampeln werden berechnet …", max_entries=32)
def _status_table(path: str, version: int, year: int | None) -> pd.DataFrame:
    return service.status_table(store(), year=year)


def _year_key(year: int | None) -> int | None:
    """'Each pair's latest value' equals 'latest value up to the newest year': one cache entry for both."""
    if year is not None:
        return year
    years = available_years()
    return years[0] if years else None


def status_table(year: int | None = None) -> pd.DataFrame:
    """Cached status table; recomputed after every change to the data (data_version)."""
    current = store()
    return _status_table(current.path, current.data_version(), _year_key(year))


@st.cache_data(max_entries=8)
def _reference(path: str, version: int) -> dict[str, pd.DataFrame]:
    current = store()
    return {
        "fields": current.catalogue.fields(),
        "areas": current.catalogue.areas(),
        "indicators": current.catalogue.indicators(),
    }


def reference() -> dict[str, pd.DataFrame]:
    """Fields, areas and indicators, cached until the next change."""
    current = store()
    return _reference(current.path, current.data_version())


@st.cache_data(max_entries=8)
def _years(path: str, version: int) -> list[int]:
    return store().values.years()


def available_years() -> list[int]:
    """Years with values, newest first (cached until the next change)."""
    current = store()
    return _years(current.path, current.data_version())


def light_badge(light: str) -> str:
    """Markdown badge: symbol, word and colour (never colour alone)."""
    return f":{_badge_colour(light)}-badge[{light_text(light)}]"


def outlook_badge(outlook: str) -> str:
    """Markdown badge for the weather (Entwicklung gegenüber dem Ziel)."""
    colour = {"sonne": "green", "leicht_bewoelkt": "blue", "bewoelkt": "orange", "gewitter": "red"}.get(outlook, "gray")
    return f":{colour}-badge[Wetter: {outlook_text(outlook)}]"


def trend_badge(trend: str) -> str:
    """Markdown badge for the Trend (direction only, one neutral colour)."""
    return f":gray-badge[Trend: {trend_text(trend)}]"


def _badge_colour(light: str) -> str:
    return {"gruen": "green", "gelb": "orange", "rot": "red", "grau": "gray"}[light]


def legend() -> None:
    """The plain-words legend of Ampel, Wetter and Trend (DESIGN §4.3)."""
    with st.expander("Was bedeuten Ampel, Wetter und Trend?"):
        st.markdown(
            LEGEND
            + "\n\n**Ampel** – wo steht der neueste Wert, gemessen am Zielpfad vom Basisjahr zum Zieljahr?\n\n"
            + "\n".join(f"- {light_badge(k)} {look.meaning}" for k, look in LIGHT_LOOKS.items())
            + f"\n\n**{OUTLOOK_TITLE}** – reicht die Entwicklung der letzten fünf Jahre bis zum Ziel? "
            + "Keine Vorhersage.\n\n"
            + "\n".join(f"- {outlook_badge(k)} {look.meaning}" for k, look in OUTLOOK_LOOKS.items())
            + "\n\n**Trend** – nur die Richtung der letzten fünf Jahre, ohne Bewertung:\n\n"
            + "\n".join(f"- {trend_badge(k)} {look.meaning}" for k, look in TREND_LOOKS.items())
        )


def show_problem(error: ControllingError) -> None:
    """A typed domain error as a German message (with every listed problem)."""
    st.error(str(error))


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
    """Of an Excel workbook with several sheets: which one to read (None: the first, or not a workbook)."""
    if not is_workbook(file_name, data):
        return None
    try:
        names = sheet_names(file_name, data)
    except ControllingError:
        return None  # prepare() raises the error the page shows
    return str(st.selectbox("Tabellenblatt", names, key="upload_sheet")) if len(names) > 1 else None


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
) -> intake.Preview:
    """The preview of an upload, kept for the session until the data or the choices change."""
    sha, reading = _upload_reading(file_name, data, sheet)
    key = (sha, sheet, repr(sorted(choices.items())), current.data_version())
    cached = st.session_state.get("upload_preview")
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
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
    )
    st.session_state["upload_preview"] = (key, preview)
    return preview


def upload_key() -> str:
    """The file uploader's key: a new one empties the uploader after a commit."""
    return f"upload_{st.session_state.get('upload_round', 0)}"


def forget_upload(message: str, *, saved: bool = True) -> None:
    """After a commit: drop the kept preview, empty the uploader and show `message` once."""
    st.session_state.pop("upload_preview", None)
    st.session_state.pop("upload_reading", None)
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    flash(message, saved=saved)


def show_preview(preview: intake.Preview) -> None:
    """Counts, and the rows of each kind in tabs; rejected rows downloadable as CSV."""
    if preview.kind != "werte":
        st.dataframe(preview.rows, hide_index=True, width="stretch")
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
                problems.to_csv(sep=";", index=False).encode("utf-8-sig"),
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
        for tab, status in ((tabs[1], "changed"), (tabs[2], "new"), (tabs[3], "unchanged")):
            with tab:
                rows = preview.rows_with(status, limit=1000)
                shown = rows.assign(
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


def intake_label(history: pd.DataFrame, intake_id: int) -> str:
    """'Import 3 – werte.csv (22.11.2026 07:30)'."""
    row = history.set_index("id").loc[intake_id]
    return f"Import {intake_id} – {row['file_name']} ({row['created_at']:%d.%m.%Y %H:%M})"


def intake_history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The intake history with German headers."""
    return pd.DataFrame(
        {
            "Nr.": history["id"],
            "Zeit": history["created_at"].dt.strftime("%d.%m.%Y %H:%M"),
            "Von": history["user_name"],
            "Datei": history["file_name"],
            "Format": history["format"],
            "Neu": history["rows_new"],
            "Geändert": history["rows_changed"],
            "Unverändert": history["rows_unchanged"],
            "Abgelehnt": history["rows_rejected"],
            "Stand": history["state"].map({"committed": "gültig", "undone": "rückgängig gemacht"}),
        }
    )


# -- shareable links: the view lives in the URL -----------------------------------------------------


def url_choice(
    label: str, options: list[Any], key: str, *, format_func: Any = str, default: Any = None, sidebar: bool = True
) -> Any:
    """A selectbox whose choice is read from and written to the URL (?key=value), so links restore views."""
    wanted = st.query_params.get(key)
    texts = [str(option) for option in options]
    index = texts.index(wanted) if wanted in texts else (options.index(default) if default in options else 0)
    place = st.sidebar if sidebar else st
    chosen = place.selectbox(label, options, index=index, format_func=format_func, key=f"url_{key}")
    st.query_params[key] = str(chosen)
    return chosen


def report_year() -> int:
    """The Berichtsjahr chosen in the sidebar (URL parameter jahr), newest by default."""
    years = available_years()
    return int(url_choice("Berichtsjahr", years, "jahr", default=years[0]))


@st.cache_data(max_entries=32)
def _viewer_status(path: str, version: int, year: int | None, minimum: int) -> pd.DataFrame:
    return protect_status(status_table(year), minimum=minimum)


def viewer_status(year: int | None) -> pd.DataFrame:
    """The status table as viewers may see it (small Gemeinde counts withheld), cached until the next change."""
    current = store()
    return _viewer_status(current.path, current.data_version(), _year_key(year), minimum_count())


@st.cache_data(max_entries=64)
def _viewer_values(path: str, version: int, indicators: tuple[str, ...], minimum: int) -> pd.DataFrame:
    units = reference()["indicators"].set_index("code")["unit"]
    return protect_values(store().values.current(indicators=list(indicators)), units, minimum=minimum)


def viewer_values(indicators: list[str]) -> pd.DataFrame:
    """Current values of these indicators (every year and area) as viewers may see them."""
    current = store()
    return _viewer_values(current.path, current.data_version(), tuple(sorted(indicators)), minimum_count())


def flag_text(values: pd.DataFrame) -> pd.Series:
    """What a value's marks mean, in words: berechnet, umgerechnet, vorläufig, geheim, …"""
    flags = values["flag"].astype(object).map(FLAG_TEXTS).astype(object)
    text = flags.where(flags.notna(), "").astype(str)
    converted = values["converted"].astype(bool)
    computed = values["computed"].astype(bool) & ~converted
    text = text.where(~computed, (text + " · berechnet aus den Gemeinden").str.strip(" ·"))
    return text.where(~converted, (text + " · auf Gebietsstand umgerechnet").str.strip(" ·"))


LIGHT_BACKGROUNDS = {"gruen": "#d4efe4", "gelb": "#fbe8c4", "rot": "#f7d3c0", "grau": "#efefef"}


def light_background(light: str) -> str:
    """A pale fill of the light's colour for table cells (the symbol carries the meaning too)."""
    return f"background-color: {LIGHT_BACKGROUNDS.get(light, '#ffffff')}"


def matrix_html(matrix: pd.DataFrame, dominant: pd.DataFrame) -> str:
    """The light matrix as a plain HTML table: cells tinted by their most frequent light, symbols and counts
    in the text (readable without colour, printable, scrolls sideways on narrow screens)."""
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in matrix.columns)
    rows = []
    for field in matrix.index:
        cells = "".join(
            f"<td style='{light_background(dominant.loc[field, area])}'>"
            f"{html.escape(str(matrix.loc[field, area]))}</td>"
            for area in matrix.columns
        )
        rows.append(f"<tr><th scope='row'>{html.escape(str(field))}</th>{cells}</tr>")
    return (
        "<div style='overflow-x:auto'><table style='border-collapse:collapse;width:100%;font-size:0.92rem'>"
        "<style>.lm th,.lm td{border:1px solid #ddd;padding:6px 8px;text-align:left;white-space:nowrap}"
        ".lm thead th{background:#f5f5f5}</style>"
        f"<thead class='lm'><tr><th scope='col'>Handlungsfeld</th>{head}</tr></thead>"
        f"<tbody class='lm'>{''.join(rows)}</tbody></table></div>"
    )


def configured_geojson() -> dict[str, Any] | None:
    """The Gemeinde outlines from CONTROLLING_GEOJSON (or data/gemeinden.geojson), if configured."""
    configured = os.environ.get("CONTROLLING_GEOJSON")
    path = Path(configured) if configured else DATA_DIR / "gemeinden.geojson"
    if not path.is_file():
        return None
    return _geojson(str(path))


@st.cache_data(max_entries=4)
def _geojson(path: str) -> dict[str, Any]:
    return charts.load_geojson(Path(path))


def map_grid() -> pd.DataFrame:
    """Tile positions of the Gemeinden for the schematic map (data/kartenraster.csv)."""
    grid = pd.read_csv(DATA_DIR / "kartenraster.csv", sep=";", dtype={"gebiet": str})
    return grid.rename(columns={"gebiet": "area", "zeile": "row", "spalte": "column"})


def map_frame(code: str, year: int, home: pd.DataFrame) -> pd.DataFrame:
    """Value and light of each Gemeinde for one indicator and year (as viewers may see them)."""
    status = viewer_status(year)
    rows = status.loc[(status["indicator"] == code) & (status["area"].str.len() == 8) & (status["year"] == year)]
    gemeinden = home.loc[home["level"] == "gemeinde", ["code", "name"]].rename(
        columns={"code": "area", "name": "area_name"}
    )
    frame = gemeinden.merge(rows[["area", "value", "light"]], on="area", how="left")
    frame["light"] = frame["light"].astype(object).where(frame["light"].notna(), "grau")
    return frame


# -- sign-in and roles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    """Who signed in. Kept as an object in the session: no widget can produce it, so a session-state
    value typed in by hand (a string "referat") never grants a role."""

    name: str
    role: str
    via: str  # "konto" | "oidc"


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, StreamlitSecretNotFoundError):
        return False


def signed_in() -> SignedIn | None:
    """The signed-in person, from the Landkreis's OpenID Connect provider or a built-in account."""
    if _oidc_configured() and getattr(st.user, "is_logged_in", False):
        claim = str(st.secrets.get("controlling", {}).get("role_claim", "roles"))
        claimed = st.user.get(claim)
        values = claimed if isinstance(claimed, list) else [claimed]
        role = next((r for r in ("admin", "referat", "betrachter") if r in values), "betrachter")
        return SignedIn(name=str(st.user.get("email") or st.user.get("name") or "OIDC"), role=role, via="oidc")
    entry = st.session_state.get("_signed_in")
    return entry if isinstance(entry, SignedIn) else None


def current_role() -> str:
    """The role in force: the signed-in person's, else read-only."""
    person = signed_in()
    return person.role if person else auth.ANONYMOUS


def current_user() -> str:
    """The name written into the audit trail."""
    person = signed_in()
    return person.name if person else "anonym"


def sign_in_sidebar() -> None:
    """Sign-in (OIDC button or built-in form), the signed-in name, sign-out."""
    person = signed_in()
    box = st.sidebar.container(border=True)
    if person is not None:
        box.markdown(f"Angemeldet: **{html.escape(person.name)}**  \n{auth.ROLE_LABELS[person.role]}")
        if box.button("Abmelden", key="logout"):
            if person.via == "oidc":
                st.logout()
            st.session_state.pop("_signed_in", None)
            st.rerun()
        return
    if _oidc_configured():
        box.button("Anmelden (Landkreis-Konto)", on_click=st.login, key="oidc_login")
        return
    if store().accounts.list().empty:
        box.caption(
            "Nur Lesen: Es gibt noch kein Konto. Ein Konto legt man auf dem Server an mit  \n"
            "`python -m controlling user add NAME --role referat`"
        )
        return
    with box.form("login", clear_on_submit=True):
        name = st.text_input("Name")
        password = st.text_input("Passwort", type="password")
        if st.form_submit_button("Anmelden"):
            try:
                role = auth.authenticate(store(), name, password)
            except ControllingError as error:
                st.error(str(error))
            else:
                st.session_state["_signed_in"] = SignedIn(name=name.strip(), role=role, via="konto")
                st.rerun()


_ENTRY_RAN = "_entry_point_ran"


def start_page(permission: str | None = None) -> None:
    """The first call of every page: run it inside dashboard.py, and stop it for a role without `permission`.

    For an app with a pages/ folder Streamlit starts in its old mode: until dashboard.py has called
    st.navigation once, a request for a page URL runs that page alone, under a list of file names, with no
    sign-in. The first run of such a session is repeated at once through dashboard.py, which keeps the
    page and its link. (A later run is not repeated: that would drop the click that caused it.)
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        if not st.session_state.get(_ENTRY_RAN):
            st.rerun()
    if permission is not None and not auth.may(current_role(), permission):
        st.error("Diese Seite ist dem Referat Migration und Teilhabe vorbehalten. Bitte melden Sie sich an.")
        st.stop()


def entry_point_ran() -> None:
    """dashboard.py has set up this session's navigation (see start_page)."""
    st.session_state[_ENTRY_RAN] = True


def flash(message: str, *, saved: bool = True) -> None:
    """Show a message after the rerun that brings the page's tables up to date (`saved`: as a success)."""
    st.session_state["_flash"] = (message, saved)
    st.rerun()


def show_flash() -> None:
    """The message of the last change, once."""
    message, saved = st.session_state.pop("_flash", (None, True))
    if message:
        (st.success if saved else st.info)(message)
