"""Checking every row of a values file before anything is written (DESIGN §5.1, §5.4), column-wise."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.intake.values import FLAG_LABELS, parse_cells
from controlling.tabular import lookup

PROBLEM_COLUMNS = ["line", "column", "value", "message"]
KEY = ["indicator", "area", "year", "breakdown"]
FIRST_YEAR = 1950


@dataclass(frozen=True)
class Checked:
    """Valid rows (typed, ready for the store), rejected rows with reasons, rows skipped on purpose."""

    valid: pd.DataFrame
    problems: pd.DataFrame
    skipped: pd.DataFrame


class _Findings:
    """Collects problems per cell, and which rows they reject or skip, as whole columns."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.rejected = pd.Series(False, index=frame.index)
        self.skipped = pd.Series(False, index=frame.index)
        self.problems: list[pd.DataFrame] = []
        self.skips: list[pd.DataFrame] = []

    def _rows(self, mask: pd.Series, column: str | None, cells: pd.Series, message: str | pd.Series) -> pd.DataFrame:
        hit = mask.fillna(False).astype(bool)
        rows = self.frame.loc[hit]
        return pd.DataFrame(
            {
                "line": rows["line"],
                "column": rows["column"] if column is None else column,
                "value": cells[hit].astype(str),
                "message": message[hit] if isinstance(message, pd.Series) else message,
            }
        )

    def reject(self, mask: pd.Series, column: str | None, cells: pd.Series, message: str | pd.Series) -> None:
        """column None: the value's own column (wide and classic tables have one per year or series)."""
        mask = mask.fillna(False).astype(bool)
        self.rejected |= mask
        self.problems.append(self._rows(mask, column, cells, message))

    def skip(self, mask: pd.Series, column: str, cells: pd.Series, message: str | pd.Series) -> None:
        mask = mask.fillna(False).astype(bool) & ~self.skipped
        self.skipped |= mask
        self.skips.append(self._rows(mask, column, cells, message))


def _suggest(unknown: pd.Series, choices: list[str], what: str, example: str) -> pd.Series:
    """'Unbekannte Kennzahl … Meinten Sie …?' once per distinct unknown value (a bounded set)."""
    messages = {}
    for value in unknown.dropna().unique():
        close = difflib.get_close_matches(str(value), choices, n=3, cutoff=0.6)
        hint = f" Meinten Sie {' oder '.join(f'»{c}«' for c in close)}?" if close else f" Erwartet wird {example}."
        messages[value] = f"Unbekannte{what}.{hint}"
    return unknown.map(messages)


def resolve(text: pd.Series, table: pd.DataFrame) -> pd.Series:
    """Codes for cells holding a code or an exact name (case-insensitive); NaN where unknown."""
    codes = table["code"].to_numpy()
    by_name = pd.DataFrame({"code": codes}, index=table["name"].str.lower())
    by_code = pd.DataFrame({"code": codes}, index=table["code"].str.lower())
    known = pd.concat([by_name, by_code])
    known = known[~known.index.duplicated(keep="last")]  # a code wins over an equal name
    lowered = text.fillna("").astype(str).str.strip().str.lower()
    return lookup(lowered, known, ["code"])["code"]


def canonical_template_breakdown(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`b=2|a=1` -> `a=1|b=2` for distinct texts; second result marks malformed ones."""
    distinct = pd.Series(text.fillna("").astype(str).str.strip().unique())
    pieces = distinct.str.split("|")
    well_formed = pieces.map(lambda parts: all(p.count("=") == 1 and p.split("=")[0].strip() for p in parts))
    canonical = pieces.map(lambda parts: "|".join(sorted(p.strip() for p in parts)))
    canonical = canonical.where(distinct != "", "")
    well_formed = well_formed | (distinct == "")
    lookup = pd.DataFrame({"canonical": canonical.to_numpy(), "ok": well_formed.to_numpy()}, index=distinct)
    key = text.fillna("").astype(str).str.strip()
    return key.map(lookup["canonical"]), key.map(lookup["ok"]).astype(bool)


def check_values(
    raw: pd.DataFrame,
    indicators: pd.DataFrame,
    areas: pd.DataFrame,
    *,
    published: bool,
    today: dt.date | None = None,
) -> Checked:
    """Validate a raw values frame (readers.RAW_COLUMNS) completely; nothing is dropped silently.

    `published`: a file as a statistical office publishes it. There, areas outside their validity that
    carry '-' and areas not in the area list are skipped and listed instead of rejecting the file.
    """
    today = today or dt.date.today()
    frame = raw.reset_index(drop=True)
    check = _Findings(frame)

    indicator = resolve(frame["indicator"], indicators)
    check.reject(
        indicator.isna(),
        "kennzahl",
        frame["indicator"],
        _suggest(
            frame["indicator"].where(indicator.isna()),
            [*indicators["code"], *indicators["name"]],
            " Kennzahl",
            "ein Kennzahl-Code wie BIL-01 oder die genaue Bezeichnung",
        ),
    )
    area = resolve(frame["area"], areas)
    if published:
        check.skip(area.isna(), "gebiet", frame["area"], "Gebiet steht nicht in der Gebietsliste – übersprungen.")
    else:
        check.reject(
            area.isna(),
            "gebiet",
            frame["area"],
            _suggest(
                frame["area"].where(area.isna()),
                [*areas["code"], *areas["name"]],
                "s Gebiet",
                "ein AGS wie 03157001 oder ein Gebietsname",
            ),
        )
    year = pd.to_numeric(frame["year"], errors="coerce")
    check.reject(
        year.isna() | (year % 1 != 0) | (year < FIRST_YEAR) | (year > today.year),
        "jahr",
        frame["year"],
        f"Erwartet wird ein Jahr von {FIRST_YEAR} bis {today.year}, z. B. 2023.",
    )

    cells = parse_cells(frame["value"])
    # "51.234" is 51234 in a German file: when the file writes decimal commas elsewhere, or when the
    # indicator counts whole things (no decimals). Otherwise a point is the decimal mark.
    text = frame["value"].fillna("").astype(str).str.strip()
    grouped = text.str.fullmatch(r"-?\d{1,3}(\.\d{3})+")
    meta = lookup(indicator, indicators.set_index("code"), ["decimals", "unit", "aggregation", "polarity"])
    decimals = meta["decimals"]
    comma_file = bool(text.str.contains(r"\d,\d").any())
    thousands = grouped & ((decimals == 0) | comma_file)
    cells.number[thousands] = pd.to_numeric(text[thousands].str.replace(".", "", regex=False))
    given_flag = frame["flag"].fillna("").astype(str).str.strip()
    check.reject(
        (given_flag != "") & ~given_flag.isin(list(FLAG_LABELS)),
        "kennzeichen",
        given_flag,
        "Unbekanntes Kennzeichen; erlaubt sind " + " ".join(FLAG_LABELS) + ".",
    )
    flag = cells.flag.where(cells.flag.notna(), given_flag.replace("", None))
    check.reject(
        cells.bad,
        None,
        frame["value"],
        "Hier steht Text statt einer Zahl. Erwartet wird eine Zahl wie 12,5 oder ein Sonderzeichen "
        "(- . ... / x) für einen fehlenden Wert.",
    )
    no_value = cells.empty & flag.isna()
    wide = frame["column"].astype(str).str.fullmatch(r"\d{4}").all()
    if published or wide:
        check.skipped |= no_value  # an empty cell of a wide or published table is simply no value
    else:
        check.reject(
            no_value,
            "wert",
            frame["value"],
            "Der Wert fehlt. Tragen Sie eine Zahl ein oder ein Sonderzeichen wie ».« (unbekannt).",
        )

    numerator = parse_cells(frame["numerator"])
    denominator = parse_cells(frame["denominator"])
    for parsed, source, column in ((numerator, "numerator", "zaehler"), (denominator, "denominator", "nenner")):
        check.reject(
            parsed.bad | (parsed.number < 0),
            column,
            frame[source],
            "Erwartet wird eine nicht negative Zahl oder ein leeres Feld.",
        )
    check.reject(
        numerator.number > denominator.number,
        "zaehler",
        frame["numerator"],
        "Der Zähler ist größer als der Nenner; erwartet wird Zähler ≤ Nenner.",
    )

    # Ranges hold for rated or aggregated indicators; an unrated context series (e.g. a percent change
    # created automatically from a GENESIS file) is stored as published.
    ranged = (meta["aggregation"].to_numpy() != "keine") | (meta["polarity"].to_numpy() != "neutral")
    unit = pd.Series(np.where(ranged, meta["unit"].to_numpy(), ""), index=frame.index)
    value = cells.number
    check.reject((unit == "Anzahl") & (value < 0), None, frame["value"], "Eine Anzahl kann nicht negativ sein.")
    check.reject(
        (unit == "%") & ((value < 0) | (value > 100)),
        None,
        frame["value"],
        "Ein Prozentwert muss zwischen 0 und 100 liegen.",
    )
    check.reject(
        (unit == "‰") & ((value < 0) | (value > 1000)),
        None,
        frame["value"],
        "Ein Promillewert muss zwischen 0 und 1000 liegen.",
    )

    breakdown, breakdown_ok = canonical_template_breakdown(frame["breakdown"])
    check.reject(
        ~breakdown_ok,
        "aufschluesselung",
        frame["breakdown"],
        "Erwartet wird eine Aufschlüsselung wie »Geschlecht=weiblich|Nationalität=ausländisch« "
        "(Merkmal=Ausprägung, mehrere durch | getrennt) oder ein leeres Feld.",
    )

    # Areas outside their validity (e.g. Lahstedt after 2014).
    span = lookup(area, areas.set_index("code"), ["valid_from", "valid_to"])
    first = pd.Series(pd.to_datetime(span["valid_from"]).dt.year.to_numpy(), index=frame.index)
    last = pd.Series(pd.to_datetime(span["valid_to"]).dt.year.to_numpy(), index=frame.index)
    outside = area.notna() & year.notna() & ((year < first.fillna(0)) | (year > last.fillna(9999)))
    validity = (
        "Das Gebiet bestand in diesem Jahr nicht (gültig von "
        + first.fillna(0).astype(int).astype(str).replace("0", "Anfang")
        + " bis "
        + last.fillna(0).astype(int).astype(str).replace("0", "heute")
        + ")."
    )
    if published:
        dash = outside & (flag == "-")
        check.skip(dash, "gebiet", frame["area"], validity + " Zeile mit »-« übersprungen.")
        outside = outside & ~dash
    check.reject(outside, "gebiet", frame["area"], validity)

    typed = pd.DataFrame(
        {
            "line": frame["line"],
            "indicator": indicator,
            "area": area,
            "year": year,
            "breakdown": breakdown,
            "value": value,
            "numerator": numerator.number,
            "denominator": denominator.number,
            "flag": flag,
            "note": frame["note"].replace("", None),
        }
    )
    usable = ~check.rejected & ~check.skipped
    duplicated = typed[KEY].duplicated(keep=False) & usable
    duplicated &= typed.loc[duplicated, KEY].duplicated(keep=False).reindex(typed.index, fill_value=False)
    if duplicated.any():
        lines = typed.loc[duplicated].groupby(KEY)["line"].transform(lambda s: ", ".join(map(str, s)))
        message = pd.Series("", index=typed.index)
        message[lines.index] = (
            "Derselbe Wert (Kennzahl, Gebiet, Jahr, Aufschlüsselung) steht mehrfach in der Datei, "
            "in den Zeilen " + lines + ". Bitte nur einmal angeben."
        )
        check.reject(duplicated, "kennzahl", frame["indicator"] + " " + frame["area"] + " " + frame["year"], message)
    valid = typed.loc[~check.rejected & ~check.skipped]
    problems = pd.concat(check.problems, ignore_index=True) if check.problems else pd.DataFrame(columns=PROBLEM_COLUMNS)
    skipped = pd.concat(check.skips, ignore_index=True) if check.skips else pd.DataFrame(columns=PROBLEM_COLUMNS)
    return Checked(
        valid=valid.assign(year=valid["year"].astype(int)).reset_index(drop=True),
        problems=problems.sort_values(["line", "column"], kind="stable", ignore_index=True),
        skipped=skipped.sort_values("line", kind="stable", ignore_index=True),
    )
