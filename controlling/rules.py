"""One rule set per kind of input: the same checks for a file, a form and the command line.

Each `check_*` takes the input as the template's German columns (text cells, a `line` column where the
input has lines) and returns the rows it accepts plus located problems; the caller decides whether the
problems reject the whole input (a form, a committed file) or are shown in a preview.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.tabular import lookup, parse_german_number

PROBLEM_COLUMNS = ["line", "column", "value", "message"]
FIRST_YEAR = 1950
LAST_YEAR = 2100  # a target year beyond this is a typing error, not a plan
TARGET_COLUMNS = (
    "kennzahl",
    "gebiet",
    "zieljahr",
    "zielwert",
    "basisjahr",
    "beschluss",
    "gueltig_ab",
    "quelle",
    "gremium",
    "beschlussdatum",
    "vorlage",
    "status",
    "zieltyp",
)
TARGET_TYPES = ("verbessern", "halten")  # method 3: a limit is decided as such
# A target is decided when it names its decision, else it is a proposal (Entwurf). The one rule for the form,
# the table and a Ziele file (issue 14): any of these cells filled claims a decision, which then needs at
# least the body and the date; a row with none of them is taken as an Entwurf with its source. An optional
# `status` cell (entwurf | beschlossen) says it outright.
DECISION_CELLS = ("beschluss", "gremium", "beschlussdatum", "vorlage")
DRAFT_RULE = "Eine Zeile ohne jede Beschlussangabe wird als Entwurf übernommen."
TEXT_LIMIT = 200
# What a target value may be, by the indicator's unit (DESIGN §3.1): a share within its whole, a count
# never negative; a gap (Prozentpunkte) may be negative.
UNIT_BOUNDS = {
    "%": (0.0, 100.0),
    "‰": (0.0, 1000.0),
    "Prozentpunkte": (-100.0, 100.0),
    "Promillepunkte": (-1000.0, 1000.0),
}
NON_NEGATIVE_UNITS = ("Anzahl", "Tage", "Wochen", "Jahre", "Euro")
# Beyond this no count or amount of a Landkreis is plausible (the intake of values holds counts to it too).
PLAUSIBLE_LIMIT = 1e12


class Findings:
    """Problems of a small file checked in pandas (Ziele), collected as whole columns."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self.rejected = pd.Series(False, index=frame.index)
        self.found: list[pd.DataFrame] = []

    def reject(self, mask: pd.Series, column: str, cells: pd.Series, message: str) -> None:
        """Reject the rows of `mask`, naming `column`, the cell and what would be right."""
        hit = mask.fillna(False).astype(bool)
        self.rejected |= hit
        self.found.append(
            pd.DataFrame(
                {"line": self.frame.loc[hit, "line"], "column": column, "value": cells[hit].astype(str)}
            ).assign(message=message)
        )

    def problems(self) -> pd.DataFrame:
        """Every problem in file order (line, column, value, message)."""
        if not self.found:
            return pd.DataFrame(columns=PROBLEM_COLUMNS)
        return pd.concat(self.found, ignore_index=True).sort_values("line", kind="stable", ignore_index=True)


def resolve(text: pd.Series, table: pd.DataFrame) -> pd.Series:
    """Codes for cells holding a code or an exact name (case-insensitive); NaN where unknown."""
    codes = table["code"].to_numpy()
    by_name = pd.DataFrame({"code": codes}, index=table["name"].str.lower())
    by_code = pd.DataFrame({"code": codes}, index=table["code"].str.lower())
    known = pd.concat([by_name, by_code])
    known = known[~known.index.duplicated(keep="last")]  # a code wins over an equal name
    lowered = text.fillna("").astype(str).str.strip().str.lower()
    return lookup(lowered, known, ["code"])["code"]


@dataclass(frozen=True)
class TargetContext:
    """What target rows are checked against: the catalogue, the areas and the day a target starts."""

    file: str
    indicators: pd.DataFrame
    areas: pd.DataFrame
    today: dt.date
    origin: str = ""  # the source a draft without `quelle` is given (default: `file`)


def _year(cells: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(cells.astype(str).str.strip(), errors="coerce")
    return numbers.where(numbers == numbers.round())


def _bounds_message(unit: str) -> str:
    low, high = UNIT_BOUNDS.get(unit, (0.0, None))
    if high is None:
        return f"Ein Ziel in »{unit}« liegt zwischen 0 und 1 Billion (10^12)."
    shown = {0.0: "0", 100.0: "100", 1000.0: "1.000", -100.0: "-100"}
    return f"Ein Ziel in »{unit}« liegt zwischen {shown[low]} und {shown[high]}."


def check_targets(raw: pd.DataFrame, context: TargetContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ziele: known indicator, known area or '*', years 1950-2100 with the target year after the baseline
    year, a number the indicator's unit can hold, a start date or none. Returns (accepted rows, problems)."""
    raw = raw.reindex(columns=["line", *TARGET_COLUMNS], fill_value="")
    raw[list(TARGET_COLUMNS)] = raw[list(TARGET_COLUMNS)].fillna("").astype(str)
    check = Findings(raw)
    indicator = resolve(raw["kennzahl"], context.indicators)
    check.reject(indicator.isna(), "kennzahl", raw["kennzahl"], "Unbekannte Kennzahl.")
    area = resolve(raw["gebiet"], context.areas).where(raw["gebiet"].str.strip() != "*", "*")
    check.reject(area.isna(), "gebiet", raw["gebiet"], "Unbekanntes Gebiet; erlaubt sind AGS, Gebietsname oder *.")
    target_year, baseline_year = _year(raw["zieljahr"]), _year(raw["basisjahr"])
    for column, years, example in (("zieljahr", target_year, 2030), ("basisjahr", baseline_year, 2020)):
        check.reject(
            ~years.between(FIRST_YEAR, LAST_YEAR),
            column,
            raw[column],
            f"Erwartet wird ein Jahr von {FIRST_YEAR} bis {LAST_YEAR} wie {example}.",
        )
    check.reject(
        target_year <= baseline_year, "zieljahr", raw["zieljahr"], "Das Zieljahr muss nach dem Basisjahr liegen."
    )
    value = parse_german_number(raw["zielwert"])
    check.reject(value.isna(), "zielwert", raw["zielwert"], "Erwartet wird eine Zahl wie 25,0 oder 25.0.")
    check.reject(
        value.notna() & (value.abs() == float("inf")),
        "zielwert",
        raw["zielwert"],
        "Diese Zahl ist zu groß, um sie zu speichern. Prüfen Sie Exponent (z. B. 1e309) und Tausenderpunkte.",
    )
    unit = indicator.map(context.indicators.set_index("code")["unit"]).fillna("")
    bounds = {u: UNIT_BOUNDS.get(u, (0.0, PLAUSIBLE_LIMIT)) for u in (*UNIT_BOUNDS, *NON_NEGATIVE_UNITS)}
    low = unit.map({u: b[0] for u, b in bounds.items()}).fillna(float("-inf")).astype(float)
    high = unit.map({u: b[1] for u, b in bounds.items()}).fillna(float("inf")).astype(float)
    outside = value.notna() & ((value < low) | (value > high))
    for shown_unit in unit[outside].unique():  # one message per unit: a handful
        check.reject(outside & (unit == shown_unit), "zielwert", raw["zielwert"], _bounds_message(str(shown_unit)))
    valid_from = pd.to_datetime(raw["gueltig_ab"].replace("", None), format="%d.%m.%Y", errors="coerce")
    check.reject(
        raw["gueltig_ab"].ne("") & valid_from.isna(),
        "gueltig_ab",
        raw["gueltig_ab"],
        "Erwartet wird ein Datum wie 15.06.2021 oder ein leeres Feld (dann gilt heute).",
    )
    target_type = raw["zieltyp"].str.strip().str.lower().replace("", TARGET_TYPES[0])
    check.reject(
        ~target_type.isin(TARGET_TYPES),
        "zieltyp",
        raw["zieltyp"],
        "Erwartet wird »verbessern« (ein Ziel, das eine Verbesserung verlangt) oder »halten« (eine Grenze, die "
        "eingehalten werden soll); leer heißt verbessern.",
    )
    state, decision = _check_decision(raw, check, context.today)
    rows = pd.DataFrame(
        {
            "line": raw["line"],
            "indicator": indicator,
            "area": area,
            "target_year": target_year,
            "target_value": value,
            "baseline_year": baseline_year,
            "decision": decision,
            "valid_from": valid_from.dt.date.where(valid_from.notna(), context.today),
            "state": state,
            "source": raw["quelle"].str.strip().where(raw["quelle"].str.strip() != "", context.origin or context.file),
            "body": raw["gremium"].str.strip(),
            "decision_date": _date(raw["beschlussdatum"]).dt.date,
            "vorlage": raw["vorlage"].str.strip(),
            "target_type": target_type,
        }
    ).loc[~check.rejected]
    return rows.reset_index(drop=True), check.problems()


def _date(cells: pd.Series) -> pd.Series:
    return pd.to_datetime(cells.str.strip().replace("", None), format="%d.%m.%Y", errors="coerce")


def _check_decision(raw: pd.DataFrame, check: Findings, today: dt.date) -> tuple[pd.Series, pd.Series]:
    """The state each row claims (beschlossen when it names any part of a decision, else entwurf) and its
    decision text; a decided row without body or date, or with a date to come, is rejected."""
    cells = {column: raw[column].str.strip() for column in (*DECISION_CELLS, "quelle")}
    status = raw["status"].str.strip().str.lower()
    named = pd.concat([cells[c] != "" for c in DECISION_CELLS], axis=1).any(axis=1)
    check.reject(
        ~status.isin(["", "entwurf", "beschlossen"]), "status", raw["status"], "Erwartet wird entwurf oder beschlossen."
    )
    check.reject(
        (status == "entwurf") & named,
        "status",
        raw["status"],
        "Ein Entwurf hat noch keinen Beschluss: lassen Sie Gremium, Beschlussdatum, Vorlage und Beschluss leer.",
    )
    claims = named | (status == "beschlossen")
    check.reject(
        claims & (cells["gremium"] == ""),
        "gremium",
        raw["gremium"],
        f"Ein beschlossenes Ziel nennt das Gremium, z. B. Kreisausschuss. {DRAFT_RULE}",
    )
    day = _date(raw["beschlussdatum"])
    check.reject(
        claims & (cells["beschlussdatum"] == ""),
        "beschlussdatum",
        raw["beschlussdatum"],
        f"Ein beschlossenes Ziel nennt das Beschlussdatum wie 12.05.2025. {DRAFT_RULE}",
    )
    check.reject(
        (cells["beschlussdatum"] != "") & day.isna(),
        "beschlussdatum",
        raw["beschlussdatum"],
        "Erwartet wird ein Datum wie 12.05.2025.",
    )
    check.reject(
        day > pd.Timestamp(today),
        "beschlussdatum",
        raw["beschlussdatum"],
        "Das Beschlussdatum liegt in der Zukunft; bis zum Beschluss ist das Ziel ein Entwurf (Spalten leer lassen).",
    )
    for column in ("quelle", "gremium", "vorlage", "beschluss"):
        check.reject(
            cells[column].str.len() > TEXT_LIMIT,
            column,
            raw[column],
            f"Höchstens {TEXT_LIMIT} Zeichen.",
        )
    composed = (
        cells["gremium"]
        + ", Beschluss vom "
        + day.dt.strftime("%d.%m.%Y").fillna("")
        + (", " + cells["vorlage"]).where(cells["vorlage"] != "", "")
    )
    decision = cells["beschluss"].where(cells["beschluss"] != "", composed).where(claims, "")
    return claims.map({True: "beschlossen", False: "entwurf"}), decision


def problem_list(problems: pd.DataFrame, file: str) -> list[Problem]:
    """A problems frame (line, column, value, message) as located Problems of `file`."""
    records = problems[PROBLEM_COLUMNS].astype(object).where(problems[PROBLEM_COLUMNS].notna(), None)
    return [  # the problems of one input: bounded
        Problem(
            file,
            None if record["line"] is None else int(record["line"]),
            str(record["column"]),
            None if record["value"] is None else str(record["value"]),
            str(record["message"]),
        )
        for record in records.to_dict("records")
    ]


def accepted_targets(raw: pd.DataFrame, context: TargetContext) -> pd.DataFrame:
    """check_targets for an input that is taken whole or not at all (a form, a table of edits)."""
    rows, problems = check_targets(raw, context)
    if len(problems):
        raise InputRejectedError(problem_list(problems, context.file))
    return rows.drop(columns=["line"])
