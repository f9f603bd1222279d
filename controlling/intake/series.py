"""Choosing series of a published table: which cells feed which indicator, as value, numerator or denominator.

A table (one source, e.g. GENESIS-13111-08-02-4) holds many series, each named by its dimension labels
(`Nationalität=Ausländer(innen)|Geschlecht=weiblich`). A choice selects the cells whose breakdown has
every named label ("Insgesamt" = the dimension is not broken down); the named dimensions leave the
breakdown, the others stay. Two choices of one indicator, numerator and denominator, make a quota.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.intake.frames import TOTAL_LABELS
from controlling.tabular import parse_german_number

ROLES = {
    "wert": "Wert",
    "zaehler": "Zähler",
    "nenner": "Nenner",
    "gruppe": "Gruppe (Abstand)",
    "vergleich": "Vergleichsgruppe (Abstand)",
    "gruppe_zaehler": "Zähler der Gruppe (Quotenabstand)",
    "gruppe_nenner": "Nenner der Gruppe (Quotenabstand)",
    "vergleich_zaehler": "Zähler der Vergleichsgruppe (Quotenabstand)",
    "vergleich_nenner": "Nenner der Vergleichsgruppe (Quotenabstand)",
}
# Series that make one value together: a quota, a gap, the gap between two quotas.
PAIRS = {
    "quote": ("zaehler", "nenner"),
    "abstand": ("gruppe", "vergleich"),
    "quotenabstand": ("gruppe_zaehler", "gruppe_nenner", "vergleich_zaehler", "vergleich_nenner"),
}
KEY_SEPARATOR = " » "  # source key of a kept choice: "<source> » <role> » <selection>"
DEFAULT_QUOTA_FACTOR = 100.0


@dataclass(frozen=True)
class SeriesChoice:
    """One series of a source (its selection of dimension labels) feeding an indicator in one role."""

    source: str
    selection: str  # "Merkmal=Ausprägung|…"; "Insgesamt" means not broken down by that Merkmal
    indicator: str
    role: str = "wert"  # wert | zaehler | nenner

    @property
    def key(self) -> str:
        """The key under which the choice is kept for the next file of the same table."""
        return KEY_SEPARATOR.join((self.source, self.role, self.selection))

    @staticmethod
    def from_key(key: str, indicator: str) -> SeriesChoice | None:
        """A kept choice from its key; None for a plain source mapping."""
        parts = key.split(KEY_SEPARATOR)
        if len(parts) != 3 or parts[1] not in ROLES:
            return None
        return SeriesChoice(parts[0], parts[2], indicator, parts[1])

    def describe(self) -> str:
        """German: `Geschlecht=weiblich → Kennzahl BIL-01 (Zähler)`."""
        return f"{self.selection or 'Insgesamt'} → Kennzahl {self.indicator} ({ROLES[self.role]})"


def kept_choices(mappings: pd.DataFrame, source: str | None = None) -> list[SeriesChoice]:
    """The kept choices among the store's source mappings (source, indicator), of one source or all."""
    found = (
        SeriesChoice.from_key(str(k), str(i)) for k, i in zip(mappings["source"], mappings["indicator"], strict=True)
    )
    return [c for c in found if c is not None and (source is None or c.source == source)]


def parse_selection(selection: str, source: str) -> dict[str, str]:
    """`Merkmal=Ausprägung|…` -> {Merkmal: Ausprägung}; a German problem when it is not written like that."""
    pairs: dict[str, str] = {}
    for part in (p.strip() for p in selection.split("|")):
        name, equals, label = part.partition("=")
        if not part:
            continue
        if not equals or not name.strip() or not label.strip():
            raise InputRejectedError.about_file(
                source,
                "Eine Reihe wird als Merkmal=Ausprägung angegeben, mehrere durch | getrennt, z. B. "
                "»Nationalität=Ausländer(innen)|Geschlecht=Insgesamt«.",
                value=selection,
            )
        pairs[name.strip()] = label.strip()
    return pairs


def series_table(breakdowns: pd.Series) -> pd.DataFrame:
    """The distinct series of a source: one row per breakdown, one column per Merkmal (Insgesamt where absent)."""
    distinct = pd.Series(breakdowns.unique(), dtype=object)
    pairs = [_pairs(str(b)) for b in distinct]  # distinct series: a bounded set
    table = pd.DataFrame(pairs, index=distinct.to_numpy()).fillna("Insgesamt")
    return table.sort_index()


def _pairs(breakdown: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in breakdown.split("|") if "=" in pair)


def select(raw: pd.DataFrame, choice: SeriesChoice) -> pd.DataFrame:
    """The cells of one choice, their breakdown without the chosen Merkmale; a German problem if none match."""
    wanted = parse_selection(choice.selection, choice.source)
    cells = raw.loc[raw["series"] == choice.source]
    table = series_table(cells["breakdown"])
    _check_known(wanted, table, choice)
    match = pd.Series(True, index=table.index)
    for name, label in wanted.items():
        total = label.lower() in TOTAL_LABELS
        have = table[name] if name in table.columns else pd.Series("Insgesamt", index=table.index)
        match &= have.eq("Insgesamt") if total else have.eq(label)
    rest = table.loc[match].drop(columns=[c for c in wanted if c in table.columns])
    remaining = {b: "|".join(f"{c}={v}" for c, v in row.items() if v != "Insgesamt") for b, row in rest.iterrows()}
    chosen = cells.loc[cells["breakdown"].isin(list(remaining))]
    return chosen.assign(breakdown=chosen["breakdown"].map(remaining), indicator=choice.indicator)


def _check_known(wanted: dict[str, str], table: pd.DataFrame, choice: SeriesChoice) -> None:
    problems = []
    for name, label in wanted.items():
        if name not in table.columns:
            problems.append(
                f"Das Merkmal »{name}« gibt es in dieser Tabelle nicht; vorhanden: "
                + (", ".join(f"»{c}«" for c in table.columns) or "keine (nur Gesamtwerte)")
                + "."
            )
        elif label.lower() not in TOTAL_LABELS and label not in set(table[name]):
            labels = ", ".join(f"»{v}«" for v in dict.fromkeys(table[name]))
            problems.append(f"Die Ausprägung »{label}« gibt es beim Merkmal »{name}« nicht; möglich sind {labels}.")
    if problems:
        raise InputRejectedError([Problem(choice.source, None, "Reihe", choice.selection, p) for p in problems])


def apply_choices(raw: pd.DataFrame, choices: list[SeriesChoice], indicators: pd.DataFrame) -> pd.DataFrame:
    """Raw cells of the chosen series with their indicator; numerator and denominator joined into a quota."""
    frames = [select(raw, c) for c in choices if c.role == "wert"]
    by_indicator: dict[str, dict[str, SeriesChoice]] = {}
    for choice in choices:
        if choice.role != "wert":
            by_indicator.setdefault(choice.indicator, {})[choice.role] = choice
    for indicator, parts in by_indicator.items():
        kind = next((k for k, pair in PAIRS.items() if set(parts) == set(pair)), None)
        if kind is None:
            within = next((pair for pair in PAIRS.values() if set(parts) < set(pair)), None)
            missing = ", ".join(ROLES[r] for r in within if r not in parts) if within else ""
            raise InputRejectedError.about_file(
                next(iter(parts.values())).source,
                f"Für die Kennzahl {indicator} fehlt die Reihe für den {missing}; sie gehören zusammen."
                if missing
                else f"Für die Kennzahl {indicator} passen die Rollen ({', '.join(ROLES[r] for r in parts)}) nicht "
                "zusammen: eine Quote braucht Zähler und Nenner, ein Abstand Gruppe und Vergleichsgruppe.",
            )
        factor = indicators.set_index("code")["factor"].get(indicator, np.nan)
        series = [select(raw, parts[role]) for role in PAIRS[kind]]
        if kind == "quote":
            frames.append(_quota(series[0], series[1], factor))
        elif kind == "abstand":
            frames.append(_gap(series[0], series[1]))
        else:  # the gap in percentage points between two quotas (each in per cent)
            group, comparison = _quota(series[0], series[1], np.nan), _quota(series[2], series[3], np.nan)
            frames.append(_gap(group, comparison))
    if not frames:
        return raw.iloc[0:0]
    return pd.concat(frames, ignore_index=True)


def _joined(first: pd.DataFrame, second: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Two series' cells side by side, one row per area, year and breakdown (either may be missing), with both
    values as text and as numbers (the text keeps a special value such as "." or "x")."""
    key = ["area", "year", "breakdown"]
    joined = first.merge(second[[*key, "value", "line"]], on=key, how="outer", suffixes=("", "_2"), indicator=True)
    joined["line"] = joined["line"].fillna(joined["line_2"]).astype(int)
    for column in ("series", "indicator", "column", "area_name"):
        joined[column] = joined[column].fillna(second[column].iloc[0] if len(second) else "")
    return joined, joined["value"].fillna(""), joined["value_2"].fillna("")


def _combined(first: pd.Series, second: pd.Series, result: pd.Series, valid: pd.Series) -> pd.Series:
    """`result` where both parts are numbers (and `valid`); a special value in either part makes the result that
    special value; a missing part, nothing."""
    a, b = parse_german_number(first), parse_german_number(second)
    return result.astype(str).where(a.notna() & b.notna() & valid, first.where(a.isna(), second.where(b.isna(), "")))


def _quota(numerator: pd.DataFrame, denominator: pd.DataFrame, factor: float) -> pd.DataFrame:
    """One row per area, year and breakdown: value = numerator / denominator × factor (100 unless set)."""
    joined, top, bottom = _joined(numerator, denominator)
    n, d = parse_german_number(top), parse_german_number(bottom)
    multiplier = DEFAULT_QUOTA_FACTOR if pd.isna(factor) else float(factor)
    value = _combined(top, bottom, n / d.where(d != 0) * multiplier, d != 0)
    return joined.assign(value=value, numerator=top.where(n.notna(), ""), denominator=bottom.where(d.notna(), ""))[
        numerator.columns
    ]


def _gap(group: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """One row per area, year and breakdown: value = group − comparison group (e.g. in Prozentpunkten)."""
    joined, first, second = _joined(group, comparison)
    value = _combined(first, second, parse_german_number(first) - parse_german_number(second), first.notna())
    return joined.assign(value=value, numerator="", denominator="")[group.columns]


EDITOR_INDICATOR = "Kennzahl"
EDITOR_ROLE = "Rolle"


def selection_of(labels: pd.Series) -> str:
    """One series named by every Merkmal of its table (`Geschlecht=Insgesamt` included): an exact choice."""
    return "|".join(f"{name}={label}" for name, label in labels.items())


def series_editor(table: pd.DataFrame, kept: list[SeriesChoice]) -> pd.DataFrame:
    """The series of a table as rows to assign: Merkmale, then Kennzahl and Rolle (kept choices filled in)."""
    editor = table.reset_index(drop=True).assign(**{EDITOR_INDICATOR: "", EDITOR_ROLE: ROLES["wert"]})
    dimensions = list(table.columns)
    for choice in kept:
        wanted = parse_selection(choice.selection, choice.source)
        if set(wanted) != set(dimensions):
            continue  # a choice of fewer Merkmale (from the command line) is not one row of the list
        hit = (editor[dimensions] == pd.Series(wanted)[dimensions]).all(axis=1)
        editor.loc[hit, [EDITOR_INDICATOR, EDITOR_ROLE]] = [choice.indicator, ROLES[choice.role]]
    return editor


def choices_from_editor(source: str, editor: pd.DataFrame) -> list[SeriesChoice]:
    """The rows given a Kennzahl, as choices of `source`."""
    roles = {label: role for role, label in ROLES.items()}
    picked = editor.loc[editor[EDITOR_INDICATOR].fillna("").astype(str).str.strip() != ""]
    dimensions = [c for c in editor.columns if c not in (EDITOR_INDICATOR, EDITOR_ROLE)]
    return [
        SeriesChoice(
            source, selection_of(row[dimensions]), str(row[EDITOR_INDICATOR]).strip(), roles[str(row[EDITOR_ROLE])]
        )
        for _, row in picked.iterrows()  # the rows a person filled in: a handful
    ]
