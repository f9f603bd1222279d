"""The Integrationsnetzwerk's rules: kinds of actors and bodies, checks of what staff type, the CSV file, the public
matrix and map rows (who works on which Handlungsfeld in which Gemeinde, without personal data)."""

from __future__ import annotations

import io
from enum import StrEnum

import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.freetext import FreeTextError, check_text
from controlling.report.export import neutralize
from controlling.tabular import decode, read_delimited


class ActorKind(StrEnum):
    """Kinds of network actors (stored as written here)."""

    VERWALTUNG = "Verwaltung"
    GEMEINDE = "Gemeinde"
    JOBCENTER = "Jobcenter"
    TRAEGER = "Träger"
    VEREIN = "Verein"
    MIGRANTENORGANISATION = "Migrantenorganisation"
    SCHULE_KITA = "Schule/Kita"
    KREISSPORTBUND = "Kreissportbund"
    SONSTIGE = "Sonstige"


class BodyKind(StrEnum):
    """Kinds of bodies of the network."""

    KOORDINIERUNGSSTAB = "Koordinierungsstab"
    ARBEITSGRUPPE = "Arbeitsgruppe"
    SONSTIGES = "sonstiges Gremium"


SEATS = ("Vorsitz", "Mitglied", "Gast")
NAME_LIMIT, DESCRIPTION_LIMIT, CONTACT_LIMIT, DECISIONS_LIMIT = 120, 2000, 120, 5000
# The CSV file (one line per actor); lists are comma-separated codes or names.
CSV_COLUMNS = ("name", "art", "beschreibung", "handlungsfelder", "gemeinden", "ansprechperson", "email")
PUBLIC_CSV_COLUMNS = CSV_COLUMNS[:5]  # contact persons stay with the Referat


ACTOR_KINDS = tuple(kind.value for kind in ActorKind)


def check_actor(raw: dict[str, str], *, known_kinds: tuple[str, ...] = ACTOR_KINDS) -> dict[str, str]:
    """An actor's fields as typed, checked: name and kind required, every text plain and bounded."""
    fields = {
        "name": check_text(raw.get("name"), "Name", limit=NAME_LIMIT, single_line=True),
        "kind": str(raw.get("kind") or "").strip(),
        "description": check_text(raw.get("description"), "Beschreibung", limit=DESCRIPTION_LIMIT, required=False),
        "contact_name": check_text(
            raw.get("contact_name"),
            "Ansprechperson",
            limit=CONTACT_LIMIT,
            required=False,
            single_line=True,
            links=False,
        ),
        "contact_email": check_text(
            raw.get("contact_email"), "E-Mail", limit=CONTACT_LIMIT, required=False, single_line=True
        ),
    }
    if fields["kind"] not in known_kinds:
        raise FreeTextError(f"Unbekannte Art »{fields['kind'][:40]}«; erlaubt sind {', '.join(known_kinds)}.")
    email = fields["contact_email"]
    if email and ("@" not in email or " " in email or email.startswith("@") or email.endswith("@")):
        raise FreeTextError(f"»{email[:60]}« ist keine E-Mail-Adresse (name@beispiel.de).")
    return fields


def _resolve(values: pd.Series, names: dict[str, str]) -> pd.Series:
    """Codes or names (case-insensitive) to codes; unknown stay as None."""
    lookup = {k.casefold(): k for k in names} | {v.casefold(): k for k, v in names.items()}
    return values.str.strip().str.casefold().map(lookup)


def _line(index: object) -> int:
    """The file's line of a row: read_delimited keeps it in the index (line = index + 2)."""
    return int(str(index)) + 2


def read_actor_csv(
    data: bytes, file: str, *, fields: dict[str, str], areas: dict[str, str]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The actors of a CSV file (CSV_COLUMNS), checked whole: (actors, name/field, name/area), or refused with
    every problem's line, column and value. `fields` and `areas` map codes to names."""
    frame = read_delimited(decode(data, file), file=file)
    missing = [c for c in CSV_COLUMNS[:2] if c not in frame.columns]
    if missing:
        raise InputRejectedError.about_file(
            file, f"Es fehlen die Spalten {', '.join(missing)}; erwartet: {';'.join(CSV_COLUMNS)}."
        )
    frame = frame.reindex(columns=list(CSV_COLUMNS), fill_value="").astype(str)
    problems: list[Problem] = []
    checked = []
    for index, row in frame.iterrows():  # bounded: a register of a few hundred actors, each checked like the form
        try:
            checked.append(
                check_actor(
                    {
                        "name": row["name"],
                        "kind": row["art"],
                        "description": row["beschreibung"],
                        "contact_name": row["ansprechperson"],
                        "contact_email": row["email"],
                    }
                )
            )
        except FreeTextError as error:
            problems.append(Problem(file, _line(index), None, None, str(error)))
    dupes = frame["name"].str.strip().str.casefold().duplicated(keep=False) & frame["name"].str.strip().ne("")
    problems += [
        Problem(file, _line(i), "name", str(frame.at[i, "name"])[:80], "Der Name steht mehrmals in der Datei.")
        for i in frame.index[dupes]
    ]
    pairs = []
    for column, names, what in (("handlungsfelder", fields, "field"), ("gemeinden", areas, "area")):
        items = frame[column].str.split(",").explode().str.strip()
        items = items.loc[items.ne("")]
        codes = _resolve(items, names)
        unknown = items.loc[codes.isna()]
        problems += [
            Problem(file, _line(i), column, str(value)[:80], f"unbekannt; erlaubt sind {', '.join(names.values())}")
            for i, value in unknown.items()
        ]
        pairs.append(
            pd.DataFrame({"name": frame.loc[codes.index, "name"].str.strip().values, what: codes.values}).dropna()
        )
    if problems:
        raise InputRejectedError(problems)
    actors = pd.DataFrame(checked, columns=["name", "kind", "description", "contact_name", "contact_email"])
    return actors, pairs[0], pairs[1]


def actor_csv(actors: pd.DataFrame, *, with_contacts: bool) -> bytes:
    """The register as CSV (semicolon, UTF-8 with BOM for Excel); contacts only for the Referat."""
    table = pd.DataFrame(
        {
            "name": actors["name"],
            "art": actors["kind"],
            "beschreibung": actors["description"],
            "handlungsfelder": actors["fields"],
            "gemeinden": actors["areas"],
            "ansprechperson": actors["contact_name"],
            "email": actors["contact_email"],
        }
    )
    columns = list(CSV_COLUMNS if with_contacts else PUBLIC_CSV_COLUMNS)
    buffer = io.StringIO()
    neutralize(table[columns]).to_csv(buffer, sep=";", index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def public_actors(actors: pd.DataFrame) -> pd.DataFrame:
    """The register without personal data (no contact person, no e-mail)."""
    return actors.drop(columns=["contact_name", "contact_email"])


def presence_matrix(presence: pd.DataFrame, fields: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Handlungsfeld × Gemeinde: the actors working there ("3: Caritas, Jobcenter, SV Peine"); '' for none."""
    names = (
        presence.groupby(["field", "area"])["name"]
        .agg(lambda group: f"{group.nunique()}: {', '.join(sorted(set(group)))}")
        .unstack("area")
    )
    field_names = dict(zip(fields["code"], fields["name"], strict=True))
    area_names = dict(zip(areas["code"], areas["name"], strict=True))
    table = names.reindex(index=[f for f in fields["code"] if f in field_names], columns=list(areas["code"])).fillna("")
    table = table.loc[table.index.isin(presence["field"].unique())] if len(presence) else table.iloc[0:0]
    table.index = [field_names[f] for f in table.index]
    table.columns = [area_names[a] for a in table.columns]
    table.index.name = "Handlungsfeld"
    return table


def presence_map_rows(presence: pd.DataFrame, areas: pd.DataFrame, field: str | None) -> pd.DataFrame:
    """For the map: each Gemeinde with the number of actors working there (in one Handlungsfeld, or any)."""
    rows = presence if field is None else presence.loc[presence["field"] == field]
    counts = rows.groupby("area")["actor_id"].nunique()
    frame = areas[["code", "name"]].rename(columns={"code": "area", "name": "area_name"})
    frame["value"] = frame["area"].map(counts).fillna(0).astype(float)
    return frame.assign(light="grau").reset_index(drop=True)
