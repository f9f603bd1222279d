"""Source bindings of the catalogue (`bezug`, issue 23): where an official Kennzahl is published and how.

A binding names the publication and the series as labelled there, in one of three forms:

    LSN 4.1.4 [Nationalität=Ausländerinnen und Ausländer | Einheit=Prozent]          the published value
    LSN 2.3.1 / LSN 1.2.1                                                            a quota: numerator / denominator
    LSN 4.1.4 [Nationalität=Ausländerinnen und Ausländer | Einheit=Prozent]
        - LSN 4.1.4 [Nationalität=Deutsche | Einheit=Prozent]                        a gap: group − comparison group
    (LSN 4.1.1 [Schulgliederung=Gymnasium | …] / LSN 4.1.1 [Schulgliederung=Insgesamt | …])
        - (LSN 4.1.1 [… Deutsche …] / LSN 4.1.1 [… Deutsche …])                     the gap between two quotas

A publication is `LSN <indicator number>` (Integrationsmonitoring Niedersachsen, `data/indicator_4-1-4.csv`) or
`GENESIS <table code>` (Regionalstatistik/GENESIS, a file named by the code). Between brackets stand the labels
of the series, `Merkmal=Ausprägung` joined by `|`, exactly as the publisher writes them; a Merkmal not named is
the publisher's total. Operators stand between spaces (` / `, ` - ` or ` − `), so labels may hold `/` and `-`.

`ebenen` says on which levels the publication has the Kennzahl (`land, kreis, gemeinde`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from controlling.errors import Problem

PUBLISHERS = {"LSN": "Integrationsmonitoring Niedersachsen (LSN)", "GENESIS": "Regionalstatistik/GENESIS"}
LEVELS = ("land", "kreis", "gemeinde")
KINDS = {
    "wert": "Wert",
    "quote": "Quote (Zähler ÷ Nenner)",
    "abstand": "Abstand (Gruppe − Vergleichsgruppe)",
    "quotenabstand": "Abstand zweier Quoten ((Zähler ÷ Nenner) − (Zähler ÷ Nenner))",
}
ROLES_BY_KIND = {
    "wert": ("wert",),
    "quote": ("zaehler", "nenner"),
    "abstand": ("gruppe", "vergleich"),
    "quotenabstand": ("gruppe_zaehler", "gruppe_nenner", "vergleich_zaehler", "vergleich_nenner"),
}
_QUOTA_GAP = re.compile(r"^\((?P<group>.+?)\)\s+[-−]\s+\((?P<comparison>.+)\)$")
_PART = re.compile(r"\s*(LSN|GENESIS)\s+([0-9A-Za-z][0-9A-Za-z.\-]*)\s*(?:\[([^\]]*)\])?\s*", re.IGNORECASE)
_OPERATORS = {"/": "quote", "-": "abstand", "−": "abstand"}
RULE = (
    "Erwartet wird z. B. »LSN 2.3.3«, »LSN 4.1.4 [Nationalität=Deutsche | Einheit=Prozent]«, "
    "»LSN 2.3.1 / LSN 1.2.1« (Quote) oder »LSN 4.1.4 [Nationalität=Ausländerinnen und Ausländer] - "
    "LSN 4.1.4 [Nationalität=Deutsche]« (Abstand); Quelle ist LSN mit Indikatornummer oder GENESIS mit Tabellencode."
)


class BindingError(ValueError):
    """A `bezug` that is not written as RULE says; the message is German."""


@dataclass(frozen=True)
class Part:
    """One series of a publication: `LSN 4.1.4 [Nationalität=Deutsche]`."""

    publisher: str  # LSN | GENESIS
    number: str  # 4.1.4 | 12411-01-01-4
    selection: str  # "Merkmal=Ausprägung|…" ("" = the publication's total)

    @property
    def file_stem(self) -> str:
        """How the publisher names the file: `indicator_4-1-4` (LSN) or the table code (GENESIS)."""
        return f"indicator_{self.number.replace('.', '-')}" if self.publisher == "LSN" else self.number

    def label(self) -> str:
        """As written in the catalogue."""
        labels = f" [{self.selection.replace('|', ' | ')}]" if self.selection else ""
        return f"{self.publisher} {self.number}{labels}"


@dataclass(frozen=True)
class Binding:
    """A Kennzahl's source binding: its kind and its parts (one, or two in the order of ROLES_BY_KIND)."""

    indicator: str
    kind: str  # wert | quote | abstand
    parts: tuple[Part, ...]

    def roles(self) -> list[tuple[Part, str]]:
        """Each part with its role in the intake (wert; zaehler, nenner; gruppe, vergleich)."""
        return list(zip(self.parts, ROLES_BY_KIND[self.kind], strict=True))

    def publications(self) -> list[str]:
        """`LSN 2.3.1`, … once each."""
        return list(dict.fromkeys(f"{p.publisher} {p.number}" for p in self.parts))

    def describe(self) -> str:
        """German, for the page: `Quote (Zähler ÷ Nenner): LSN 2.3.1 / LSN 1.2.1`."""
        labels = [p.label() for p in self.parts]
        if self.kind == "quotenabstand":
            return f"{KINDS['abstand']}: ({labels[0]} / {labels[1]}) − ({labels[2]} / {labels[3]})"
        operator = {"wert": "", "quote": " / ", "abstand": " − "}[self.kind]
        return f"{KINDS[self.kind]}: " + operator.join(labels)


def parse_binding(text: str, indicator: str = "") -> Binding | None:
    """The binding written in `bezug`; None when it is empty; BindingError when it is not written as RULE."""
    text = " ".join(str(text or "").split())
    if not text:
        return None
    quota_gap = _QUOTA_GAP.match(text)
    if quota_gap is not None:  # (A / B) − (C / D): the gap between two quotas, e.g. Gymnasium Jg. 8
        group, comparison = (parse_binding(quota_gap.group(name), indicator) for name in ("group", "comparison"))
        if group is None or comparison is None or group.kind != "quote" or comparison.kind != "quote":
            raise BindingError(f"Ein Abstand zweier Quoten wird »(A / B) - (C / D)« geschrieben. {RULE}")
        return Binding(indicator, "quotenabstand", group.parts + comparison.parts)
    parts: list[Part] = []
    kind = "wert"
    position = 0
    while True:
        match = _PART.match(text, position)
        if match is None:
            raise BindingError(f"»{text[position:] or text}« ist keine Quelle. {RULE}")
        publisher, number, labels = match.group(1).upper(), match.group(2).rstrip(".-"), match.group(3) or ""
        pairs = _pairs(labels, f"{publisher} {number}")
        parts.append(Part(publisher, number, "|".join(f"{name}={label}" for name, label in pairs.items())))
        position = match.end()
        if position >= len(text):
            break
        operator = text[position]
        if operator not in _OPERATORS or kind != "wert":
            raise BindingError(f"Nach »{text[:position].strip()}« steht »{text[position:]}«. {RULE}")
        kind = _OPERATORS[operator]
        position += 1
    if len(parts) != len(ROLES_BY_KIND[kind]):
        raise BindingError(f"Eine {KINDS[kind]} braucht {len(ROLES_BY_KIND[kind])} Reihen. {RULE}")
    return Binding(indicator, kind, tuple(parts))


def _pairs(labels: str, publication: str) -> dict[str, str]:
    """`Merkmal=Ausprägung | …` -> {Merkmal: Ausprägung}."""
    pairs: dict[str, str] = {}
    for piece in (p.strip() for p in labels.split("|")):
        name, equals, label = piece.partition("=")
        if not piece:
            continue
        if not equals or not name.strip() or not label.strip():
            raise BindingError(
                f"Bei »{publication}« steht »{piece}«: Reihen werden als Merkmal=Ausprägung angegeben, mehrere durch | "
                "getrennt, z. B. [Nationalität=Deutsche | Einheit=Prozent]."
            )
        pairs[name.strip()] = label.strip()
    return pairs


def parse_levels(text: str) -> list[str] | None:
    """`land, kreis` -> ["land", "kreis"]; None when a level is unknown."""
    levels = [level.strip().lower() for level in re.split(r"[,;]", str(text or "")) if level.strip()]
    return levels if all(level in LEVELS for level in levels) else None


def binding_problems(raw: pd.DataFrame, *, file: str) -> list[Problem]:
    """German problems of the `bezug` and `ebenen` columns of a Kennzahlen table (template columns)."""
    problems = []
    for position, (code, text, levels) in enumerate(  # the catalogue: a few dozen rows
        zip(raw["kennzahl"], raw["bezug"], raw["ebenen"], strict=True)
    ):
        line = int(raw.index[position]) + 2
        try:
            parse_binding(text, str(code))
        except BindingError as error:
            problems.append(Problem(file, line, "bezug", str(text), str(error)))
        if parse_levels(levels) is None:
            problems.append(
                Problem(
                    file,
                    line,
                    "ebenen",
                    str(levels),
                    "Erwartet werden Ebenen aus land, kreis, gemeinde, z. B. »land, kreis«.",
                )
            )
        elif str(text).strip() and not parse_levels(levels):
            problems.append(
                Problem(file, line, "ebenen", "", "Eine Kennzahl mit Bezug braucht ihre Ebenen, z. B. »land, kreis«.")
            )
    return problems


def catalogue_bindings(indicators: pd.DataFrame) -> list[Binding]:
    """The bindings of the catalogue's Kennzahlen that have one (stored, hence valid)."""
    found = (
        parse_binding(str(text), str(code))
        for code, text in zip(indicators["code"], indicators["binding"].fillna(""), strict=True)
    )
    return [binding for binding in found if binding is not None]
