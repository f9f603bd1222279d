"""The shipped areas of Germany: setting up any Kreis as the reporting Landkreis, and the outlines for maps.

data/gebiete_deutschland.parquet and data/umrisse.parquet are made by `python -m controlling.reference.build_areas`
from the BKG VG5000 layers (Gebietsstand 01.01.2021) and the GENESIS table 12411-01-01-5.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from controlling.errors import ControllingError
from controlling.reference.shipped import DATA_DIR, parse_areas

AREAS_FILE = "gebiete_deutschland.parquet"
OUTLINES_FILE = "umrisse.parquet"
DEFAULT_KREIS = "03157"  # Landkreis Peine, the first customer
VINTAGE = "01.01.2021"
# The source note the Datenlizenz Deutschland asks for, beside every map and in the report.
SOURCE_NOTE = "Gebietsgrenzen: © GeoBasis-DE / BKG 2021 (Daten verändert), Datenlizenz Deutschland – Namensnennung 2.0"
SOURCE_URL = "https://www.bkg.bund.de"
# What the report says of its areas: where names, Gebietsstand, outlines and the changes since 2008 come from.
AREAS_SOURCE = (
    f"Gebietsstand {VINTAGE} und Gebietsgrenzen: © GeoBasis-DE / BKG 2021 (Daten verändert), Datenlizenz "
    "Deutschland – Namensnennung 2.0 (dl-de/by-2-0), www.bkg.bund.de; Gebietsänderungen seit 2008: Statistische "
    "Ämter des Bundes und der Länder, GENESIS-Tabelle 12411-01-01-5 (dl-de/by-2-0)."
)


class KreisNotAvailableError(ControllingError):
    """The Kreis asked for cannot be set up (unknown, ended, or no AGS of a Kreis)."""


@dataclass(frozen=True)
class KreisChoice:
    """What setting up one Kreis brings: its name and kind, its Land, how many Gemeinden and comparison Kreise."""

    code: str
    name: str
    kind: str  # Landkreis, Kreis, Kreisfreie Stadt, Stadtkreis
    land: str
    gemeinden: int
    comparison_kreise: int

    @property
    def single_town(self) -> bool:
        """A kreisfreie Stadt (or a city state): one Gemeinde, the town itself."""
        return self.gemeinden == 1

    def note(self) -> str:
        """One German sentence on what was set up (the CLI prints it)."""
        others = f" und {self.comparison_kreise} weiteren Kreisen und kreisfreien Städten" * bool(
            self.comparison_kreise
        )
        if self.single_town:
            return (
                f"{self.name}: kreisfrei, ohne eigene Gemeinden. Die Stadt ist zugleich ihre einzige Gemeinde; "
                f"Gemeindewerte und Karte zeigen die ganze Stadt. Vergleich mit {self.land}{others}."
            )
        return f"{self.name} mit {self.gemeinden} Gemeinden. Vergleich mit {self.land}{others}."


@functools.cache
def _germany(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path)


@functools.cache
def _by_code(path: Path) -> pd.DataFrame:
    return _germany(path).set_index("code")


def germany_areas(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Every Land, Kreis and Gemeinde of Germany with validity and successor (read once per process)."""
    path = data_dir / AREAS_FILE
    if not path.is_file():
        raise KreisNotAvailableError(
            f"Die Gebietsdatei »{path}« fehlt. Sie gehört zum Programm; bauen Sie sie mit "
            "»python -m controlling.reference.build_areas« neu (siehe README)."
        )
    return _germany(path)


def kreise(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The Kreise that can be set up: valid on the Gebietsstand and with at least one Gemeinde, with counts."""
    germany_areas(data_dir)  # a German message when the file is missing
    return _kreise(data_dir / AREAS_FILE)


@functools.cache
def _kreise(path: Path) -> pd.DataFrame:
    areas = _germany(path)
    current = areas.loc[areas["valid_to"].isna()]
    counts = current.loc[current["level"] == "gemeinde"].groupby("parent").size().rename("gemeinden")
    found = current.loc[current["level"] == "kreis"].join(counts, on="code", how="inner")
    return found[["code", "name", "kind", "parent", "gemeinden"]].reset_index(drop=True)


def choose_kreis(code: str, data_dir: Path = DATA_DIR) -> KreisChoice:
    """The Kreis with this AGS, or a German refusal that says why it cannot be set up."""
    code = code.strip()
    if not re.fullmatch(r"\d{5}", code):
        raise KreisNotAvailableError(
            f"»{code}« ist kein Kreisschlüssel. Ein Kreis wird mit seinem fünfstelligen Amtlichen Gemeindeschlüssel "
            "gewählt, z. B. 03157 für den Landkreis Peine oder 05315 für die Stadt Köln."
        )
    germany_areas(data_dir)
    areas = _by_code(data_dir / AREAS_FILE)
    if code not in areas.index or areas.at[code, "level"] != "kreis":
        raise KreisNotAvailableError(
            f"Einen Kreis mit dem Schlüssel {code} gibt es im Gebietsstand {VINTAGE} nicht. Die Schlüssel stehen "
            "im Gemeindeverzeichnis des Statistischen Bundesamts (GV-ISys), z. B. 03151 für den Landkreis Gifhorn."
        )
    row = areas.loc[code]
    names = areas["name"].astype(str).to_dict()
    if pd.notna(row["valid_to"]):
        successor = str(row["successor"]) if pd.notna(row["successor"]) else None
        after = f"; an seine Stelle trat {names[successor]} ({successor})" if successor else ""
        raise KreisNotAvailableError(
            f"{row['name']} ({code}) besteht seit dem {row['valid_to'] + pd.Timedelta(days=1):%d.%m.%Y} nicht "
            f"mehr{after}. Wählen Sie einen Kreis des Gebietsstands {VINTAGE}."
        )
    choice = kreise(data_dir).set_index("code")
    others = choice.loc[(choice["parent"] == row["parent"]) & (choice.index != code)]
    return KreisChoice(
        code=code,
        name=str(row["name"]),
        kind=str(row["kind"]),
        land=names[str(row["parent"])],
        gemeinden=int(choice["gemeinden"].to_dict()[code]),
        comparison_kreise=len(others),
    )


def _text_date(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.strftime("%d.%m.%Y").fillna("")


def kreis_areas(code: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The Gebiete of a set-up Kreis, typed for the store: its Land, the Kreis, its Gemeinden (with those that
    ended since 2008 and their successors), and every other Kreis of its Land as a comparison area."""
    choice = choose_kreis(code, data_dir)
    areas = germany_areas(data_dir)
    land = code[:2]
    chosen = areas.loc[
        (areas["code"] == land)
        | ((areas["level"] == "kreis") & (areas["parent"] == land))
        | ((areas["level"] == "gemeinde") & (areas["parent"] == choice.code))
    ]
    home = chosen["code"].str.startswith(choice.code)
    text = pd.DataFrame(
        {
            "gebiet": chosen["code"],
            "name": chosen["name"],
            "ebene": chosen["level"],
            "uebergeordnet": chosen["parent"].fillna(""),
            "gueltig_ab": _text_date(chosen["valid_from"]),
            "gueltig_bis": _text_date(chosen["valid_to"]),
            "nachfolger": chosen["successor"].fillna(""),
            "vergleichsgebiet": home.map({True: "nein", False: "ja"}),
        }
    )
    # As gebiete.csv is laid out: the Land, the Kreis and its Gemeinden, then the comparison Kreise.
    order = text["ebene"].map({"land": 0, "kreis": 1, "gemeinde": 2}) + (~home & (text["ebene"] != "land")) * 3
    text = text.assign(order=order).sort_values(["order", "gebiet"]).drop(columns="order").reset_index(drop=True)
    return parse_areas(text, file=AREAS_FILE)


@functools.cache
def _outlines(path: Path) -> pd.DataFrame:
    return pd.read_parquet(path).set_index("code")


def outlines(codes: list[str], data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of these areas (those with an outline), WGS84 longitude/latitude; properties AGS
    and label (a point inside the outline for its name)."""
    path = data_dir / OUTLINES_FILE
    if not path.is_file():
        return {"type": "FeatureCollection", "features": []}
    shapes = _outlines(path)
    found = shapes.loc[shapes.index.isin(codes)]
    label = "[" + found["label_lon"].astype(str) + "," + found["label_lat"].astype(str) + "]"
    properties = '{"AGS":"' + found.index + '","label":' + label + "}"
    features = '{"type":"Feature","properties":' + properties + ',"geometry":' + found["geometry"] + "}"
    collection: dict[str, Any] = json.loads('{"type":"FeatureCollection","features":[' + ",".join(features) + "]}")
    return collection


def reporting_kreis(areas: pd.DataFrame) -> str:
    """Name of the reporting Kreis of a store's areas (the Kreis that is no comparison area), or a placeholder."""
    own = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"].astype(bool)].sort_values("code")
    return str(own["name"].iloc[0]) if len(own) else "ohne berichtenden Kreis"


PEINE_NAME = "Landkreis Peine"
NUMBER_WORDS = ("null", "eine", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf")


@dataclass(frozen=True)
class HomeKreis:
    """The reporting Kreis of a store as texts speak of it: code, names and grammatical forms."""

    code: str
    name: str  # Landkreis Gifhorn, Stadt Köln, Region Hannover
    plain: str  # Gifhorn, Köln, Hannover
    accusative: str  # den Landkreis Gifhorn, die Stadt Köln
    dative_in: str  # im Landkreis Gifhorn, in der Stadt Köln
    genitive: str  # des Landkreises Gifhorn, der Stadt Köln
    administration: str  # Kreisverwaltung, Stadtverwaltung
    gemeinden: pd.DataFrame  # code, name of the Gemeinden valid today, largest first where inhabitants are known

    def replacements(self) -> list[tuple[str, str]]:
        """Peine's phrases in the shipped drafts (Leitbild, catalogue, templates) -> this Kreis's, longest first."""
        count = len(self.gemeinden)
        words = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
        sports = "Kreissportbund" if self.administration == "Kreisverwaltung" else "Stadtsportbund"
        return [
            ("Im Landkreis Peine", self.dative_in[0].upper() + self.dative_in[1:]),
            ("im Landkreis Peine", self.dative_in),
            ("Für den Landkreis Peine", f"Für {self.accusative}"),
            ("für den Landkreis Peine", f"für {self.accusative}"),
            ("des Landkreises Peine", self.genitive),
            ("des Landkreises,", self.genitive.removesuffix(f" {self.plain}") + ","),
            ("Kreisverwaltung Peine", f"{self.administration} {self.plain}"),
            ("Kreissportbund Peine", f"{sports} {self.plain}"),
            ("der sieben Gemeinden", f"der {words} Gemeinden" if count > 1 else "der Stadtteile"),
            (PEINE_NAME, self.name),
        ]

    def adapt(self, text: str) -> str:
        """A shipped Peine text said of this Kreis (unchanged for Peine)."""
        if self.name == PEINE_NAME:
            return text
        for old, new in self.replacements():
            text = text.replace(old, new)
        return text

    def template(self, name: str, data_dir: Path = DATA_DIR) -> bytes:
        """A shipped example template (data/vorlagen/NAME.csv, rows of Peine) with rows of this Kreis."""
        text = (data_dir / "vorlagen" / f"{name}.csv").read_text(encoding="utf-8")
        if self.name != PEINE_NAME and len(self.gemeinden):
            town = str(self.gemeinden["code"].iloc[0])
            other = str(self.gemeinden["name"].iloc[min(1, len(self.gemeinden) - 1)])
            text = text.replace(";03157006;", f";{town};").replace(";Edemissen;", f";{other};")
            text = text.replace(";03157;", f";{self.code};")
        return self.adapt(text).encode("utf-8")

    def adapt_column(self, column: pd.Series) -> pd.Series:
        """adapt() over a text column, vectorised."""
        if self.name == PEINE_NAME:
            return column
        for old, new in self.replacements():
            column = column.str.replace(old, new, regex=False)
        return column


def home_kreis(areas: pd.DataFrame, data_dir: Path = DATA_DIR) -> HomeKreis:
    """The reporting Kreis of a store's areas with the forms German texts need."""
    own = areas.loc[(areas["level"] == "kreis") & ~areas["comparison"].astype(bool)].sort_values("code")
    if own.empty:
        raise KreisNotAvailableError(
            "In der Gebietsliste fehlt der berichtende Kreis (ein Kreis, der kein Vergleichsgebiet ist)."
        )
    code, stored_name = str(own["code"].iloc[0]), str(own["name"].iloc[0])
    gemeinden = areas.loc[(areas["level"] == "gemeinde") & (areas["parent"] == code) & areas["valid_to"].isna()]
    shipped = germany_areas(data_dir).set_index("code") if (data_dir / AREAS_FILE).is_file() else None
    inhabitants = (
        gemeinden["code"].map(shipped["inhabitants_2015"]).astype("Float64")
        if shipped is not None
        else pd.Series(pd.NA, index=gemeinden.index, dtype="Float64")
    )
    gemeinden = gemeinden.assign(inhabitants=inhabitants).sort_values(["inhabitants", "code"], ascending=[False, True])
    kind = str(shipped.at[code, "kind"]) if shipped is not None and code in shipped.index else "Landkreis"
    words = stored_name.split(" ")
    if kind == "Kreisfreie Stadt":
        plain = stored_name.removeprefix("Kreisfreie Stadt ")
        name, feminine = f"Stadt {plain}", True
    else:
        plain, name = " ".join(words[1:]) or stored_name, stored_name
        feminine = words[0] in ("Region", "Städteregion")
    if feminine:
        accusative, dative_in, genitive = f"die {name}", f"in der {name}", f"der {name}"
    else:
        head = words[0]
        suffix = "s" if head.endswith("verband") else "es"
        accusative, dative_in = f"den {name}", f"im {name}"
        genitive = f"des {head}{suffix} {plain}" if len(words) > 1 else f"des {name}es"  # des Hochsauerlandkreises
    return HomeKreis(
        code=code,
        name=name,
        plain=plain,
        accusative=accusative,
        dative_in=dative_in,
        genitive=genitive,
        administration="Stadtverwaltung" if kind == "Kreisfreie Stadt" else "Kreisverwaltung",
        gemeinden=gemeinden[["code", "name", "inhabitants"]].reset_index(drop=True),
    )


_NAME_NOISE = {
    "kreisfreie",
    "stadt",
    "landkreis",
    "kreis",
    "region",
    "regionalverband",
    "landeshauptstadt",
    "lhst",
    "dav",
    "samtgemeinde",
    "gemeinde",
    "flecken",
    "hansestadt",
    "kirchspiel",
    "bad",
    "land",
    "bis",
    "ab",
    "des",
    "der",
    "am",
    "an",
    "im",
    "in",
    "und",
}
_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _words(names: pd.Series) -> pd.DataFrame:
    """The proper words of each name (position, word): lower case, umlauts spelled out, kinds of area left out,
    so that `Alt Mölln` and `Alt-Mölln`, `Garding, Kirchspiel` and `Kirchspiel Garding` share their words."""
    text = names.fillna("").astype(str).str.lower().str.translate(_SPELLING)
    words = text.str.findall(r"[a-z]{3,}").explode().dropna()
    words = words.loc[~words.isin(_NAME_NOISE)]
    return pd.DataFrame({"position": words.index, "word": words.to_numpy()})


def contradicting_names(codes: pd.Series, names: pd.Series, data_dir: Path = DATA_DIR) -> pd.Series:
    """True where a published row's area name names another area than its code (a publisher's shifted code,
    e.g. `Niedersachsen` with GeoCode K03101): the two names share no proper word. Rows without a name, or
    with a code this reference does not know, are not judged. Each distinct (code, name) is judged once."""
    reference = _by_code(data_dir / AREAS_FILE)["name"]
    pairs = pd.DataFrame({"code": codes.astype(str).to_numpy(), "name": names.fillna("").astype(str).to_numpy()})
    distinct = pairs.drop_duplicates(ignore_index=True)
    known = map_codes(distinct["code"], reference)
    theirs, ours = _words(distinct["name"]), _words(known)
    judged = distinct.index.isin(theirs["position"]) & distinct.index.isin(ours["position"])
    shared = theirs.merge(ours, on=["position", "word"])["position"].unique()
    verdict = pd.Series(judged & ~distinct.index.isin(shared), index=distinct.index)
    lookup = pd.MultiIndex.from_frame(distinct[["code", "name"]])
    found = lookup.get_indexer(pd.MultiIndex.from_frame(pairs))
    return pd.Series(verdict.to_numpy()[found], index=codes.index)


def map_codes(codes: pd.Series, reference: pd.Series) -> pd.Series:
    """Reference names of area codes (empty where unknown), looked up once per distinct code."""
    distinct = pd.Series(codes.astype(str).unique())
    names = distinct.map(reference).fillna("")
    return codes.astype(str).map(dict(zip(distinct, names, strict=True))).fillna("")
