"""The goal system's file format (data/zielsystem.csv, data/leitbild.md): read, check, write, show.

zielsystem.csv: `ebene;code;handlungsfeld;uebergeordnet;titel;beschreibung;kennzahlen`, one line per goal,
Leitziele with their Handlungsfeld, Handlungsziele with their Leitziel and Kennzahl codes (comma-separated).
The same checks serve a file, the staff page's table and the first start. The Leitbild is Markdown of a small
plain subset (headings, paragraphs, lists, bold, italic, quotes): no HTML, links or images, so nothing on an
official page or in the report loads or points elsewhere.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from controlling.errors import InputRejectedError, Problem
from controlling.reference.shipped import CODE_PATTERN, MARKUP
from controlling.report.export import neutralize
from controlling.rules import Findings, problem_list, resolve
from controlling.tabular import decode, read_delimited

GOAL_COLUMNS = ("ebene", "code", "handlungsfeld", "uebergeordnet", "titel", "beschreibung", "kennzahlen")
LEVELS = {"leitziel": "leitziel", "handlungsziel": "handlungsziel"}
TITLE_LIMIT, TEXT_LIMIT, LEITBILD_LIMIT = 200, 2000, 20_000
GOAL_CODE_RULE = (
    "Ein Ziel-Code besteht aus Großbuchstaben und Teilen aus Großbuchstaben oder Ziffern, je mit Bindestrich, "
    "z. B. BIL-L1 (Leitziel) oder BIL-L1-H2 (Handlungsziel)."
)
PLAIN = "ist einfacher Text: Links oder Bilder in Markdown ([Text](Adresse), ![Bild](Adresse)) sind nicht erlaubt."
_HTML_TAG = re.compile(r"<\s*[A-Za-z/!?]")
_LINK = re.compile(MARKUP)
_BULLET, _NUMBER = re.compile(r"^\s*[-*]\s+"), re.compile(r"^\s*\d+[.)]\s+")


def read_goal_csv(data: bytes, file: str) -> pd.DataFrame:
    """The cells of a zielsystem.csv as text with their line numbers; a missing column is refused."""
    table = read_delimited(decode(data, file), file=file)
    missing = [name for name in GOAL_COLUMNS if name not in table.columns]
    if missing:
        raise InputRejectedError(
            [
                Problem(file, 1, name, None, f"Die Pflichtspalte »{name}« fehlt. Erwartet: {';'.join(GOAL_COLUMNS)}.")
                for name in missing
            ]
        )
    return table[list(GOAL_COLUMNS)].assign(line=table.index + 2)


def check_goal_tree(
    raw: pd.DataFrame, fields: pd.DataFrame, indicators: pd.DataFrame, *, file: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check a goal tree (German columns, text cells, `line`); returns (goals, links) or raises with every
    problem located: known level, field and Kennzahlen, unique codes, a Handlungsziel under a Leitziel of the
    same table and measured by at least one Kennzahl, plain-text titles and descriptions."""
    raw = raw.reindex(columns=["line", *GOAL_COLUMNS], fill_value="").reset_index(drop=True)
    raw[list(GOAL_COLUMNS)] = raw[list(GOAL_COLUMNS)].fillna("").astype(str).apply(lambda c: c.str.strip())
    check = Findings(raw)
    kind = raw["ebene"].str.lower().map(LEVELS)
    # A row without a level names itself by code and title (the cell itself is empty).
    named = (raw["code"].where(raw["code"] != "", "ohne Code") + " – " + raw["titel"]).str.rstrip(" –")
    check.reject(
        raw["ebene"] == "",
        "ebene",
        named,
        "In dieser Zeile fehlt die Ebene; sie wird nicht gespeichert, bis »leitziel« oder »handlungsziel« gewählt ist.",
    )
    check.reject(
        kind.isna() & (raw["ebene"] != ""), "ebene", raw["ebene"], "Erwartet wird »leitziel« oder »handlungsziel«."
    )
    code = raw["code"]
    check.reject(~code.str.fullmatch(CODE_PATTERN), "code", code, GOAL_CODE_RULE)
    check.reject(code.duplicated(keep="first") & (code != ""), "code", code, "Dieser Code steht schon weiter oben.")
    for column, limit, what in (("titel", TITLE_LIMIT, "Der Titel"), ("beschreibung", TEXT_LIMIT, "Die Beschreibung")):
        check.reject(
            raw[column].str.len() > limit, column, raw[column], f"Höchstens {limit:,} Zeichen.".replace(",", ".")
        )
        check.reject(raw[column].str.contains(MARKUP, regex=True), column, raw[column], f"{what} {PLAIN}")
    check.reject(raw["titel"] == "", "titel", raw["titel"], "Jedes Ziel braucht einen Titel.")
    leitziel, handlungsziel = kind == "leitziel", kind == "handlungsziel"
    field = resolve(raw["handlungsfeld"], fields)
    check.reject(
        leitziel & field.isna(), "handlungsfeld", raw["handlungsfeld"], "Unbekanntes Handlungsfeld (Code oder Name)."
    )
    check.reject(
        leitziel & (raw["uebergeordnet"] != ""),
        "uebergeordnet",
        raw["uebergeordnet"],
        "Ein Leitziel steht direkt unter seinem Handlungsfeld; lassen Sie »uebergeordnet« leer.",
    )
    parents = pd.Series(field[leitziel].to_numpy(), index=code[leitziel].to_numpy())
    parents = parents[~parents.index.duplicated()]
    parent_field = raw["uebergeordnet"].map(parents)
    check.reject(
        handlungsziel & parent_field.isna(),
        "uebergeordnet",
        raw["uebergeordnet"],
        "Ein Handlungsziel nennt den Code eines Leitziels dieser Tabelle.",
    )
    check.reject(
        handlungsziel & parent_field.notna() & field.notna() & (field != parent_field),
        "handlungsfeld",
        raw["handlungsfeld"],
        "Das Handlungsfeld weicht von dem des Leitziels ab; lassen Sie es leer oder nennen Sie dasselbe.",
    )
    links = raw[["line", "code", "kennzahlen"]].assign(indicator=raw["kennzahlen"].str.split(r"[,;\s]+", regex=True))
    links = links.explode("indicator").loc[lambda f: f["indicator"].fillna("") != ""]
    links["known"] = resolve(links["indicator"], indicators.assign(name=indicators["code"]))
    check.reject(
        pd.Series(raw.index.isin(links.index[links["known"].isna()]), index=raw.index),
        "kennzahlen",
        raw["kennzahlen"],
        "Unbekannte Kennzahl; erwartet werden Codes aus dem Katalog, mit Komma getrennt, z. B. BIL-01, BIL-02.",
    )
    check.reject(
        handlungsziel & (raw["kennzahlen"] == ""),
        "kennzahlen",
        raw["kennzahlen"],
        "Ein Handlungsziel wird an mindestens einer Kennzahl gemessen.",
    )
    check.reject(
        leitziel & (raw["kennzahlen"] != ""),
        "kennzahlen",
        raw["kennzahlen"],
        "Kennzahlen gehören zu den Handlungszielen; lassen Sie sie beim Leitziel leer.",
    )
    problems = check.problems()
    if len(problems):
        raise InputRejectedError(problem_list(problems, file))
    goals = pd.DataFrame(
        {
            "code": code,
            "kind": kind,
            "field": field.where(leitziel, parent_field),
            "parent": raw["uebergeordnet"].where(handlungsziel, None),
            "title": raw["titel"],
            "text": raw["beschreibung"],
            "sort_order": (raw.index + 1) * 10,
        }
    )
    links = links.assign(goal_code=links["code"], indicator=links["known"]).drop_duplicates(["goal_code", "indicator"])
    links["sort_order"] = links.groupby("goal_code").cumcount() + 1
    return goals, links[["goal_code", "indicator", "sort_order"]].reset_index(drop=True)


def tree_order(goals: pd.DataFrame, fields: pd.DataFrame) -> pd.DataFrame:
    """Goals as the page, the report and the file show them: by field, each Leitziel followed by its
    Handlungsziele, each in its own order."""
    field_rank = dict(zip(fields["code"], fields["sort_order"], strict=True))
    leitziel_rank = goals.loc[goals["kind"] == "leitziel"].set_index("code")["sort_order"]
    group = goals["parent"].where(goals["kind"] == "handlungsziel", goals["code"])
    ordered = goals.assign(
        _field=goals["field"].map(field_rank).fillna(9999),
        _group=group.map(leitziel_rank).fillna(0),
        _inner=(goals["kind"] == "handlungsziel").astype(int),
    ).sort_values(["_field", "_group", "_inner", "sort_order", "code"], kind="stable")
    return ordered.drop(columns=["_field", "_group", "_inner"]).reset_index(drop=True)


def goal_table(goals: pd.DataFrame, links: pd.DataFrame, fields: pd.DataFrame) -> pd.DataFrame:
    """The tree in the file's German columns (what is exported and what the staff table edits)."""
    ordered = tree_order(goals, fields)
    listed = links.sort_values(["goal_code", "sort_order"]).groupby("goal_code")["indicator"].agg(", ".join)
    return pd.DataFrame(
        {
            "ebene": ordered["kind"],
            "code": ordered["code"],
            "handlungsfeld": ordered["field"],
            "uebergeordnet": ordered["parent"].fillna(""),
            "titel": ordered["title"],
            "beschreibung": ordered["text"],
            "kennzahlen": ordered["code"].map(listed).fillna(""),
        }
    ).astype(object)  # text even when empty (an empty tree: the staff table's text columns stay text)


def goal_csv(goals: pd.DataFrame, links: pd.DataFrame, fields: pd.DataFrame) -> bytes:
    """zielsystem.csv: semicolon, UTF-8 with BOM (Excel opens it right), formulas neutralized."""
    return neutralize(goal_table(goals, links, fields)).to_csv(sep=";", index=False).encode("utf-8-sig")


def check_leitbild(text: str, *, file: str) -> str:
    """The Leitbild text, refused with located problems when it holds HTML, links or images or is empty."""
    text = text.replace("\r\n", "\n").strip()
    problems = [
        Problem(file, number, None, line.strip()[:80], f"Der Leitbildtext {PLAIN} HTML ebenso wenig.")
        for number, line in enumerate(text.split("\n"), start=1)
        if _LINK.search(line) or _HTML_TAG.search(line)
    ]
    if not text:
        problems.append(Problem(file, None, None, None, "Der Leitbildtext ist leer."))
    if len(text) > LEITBILD_LIMIT:
        problems.append(Problem(file, None, None, None, f"Höchstens {LEITBILD_LIMIT:,} Zeichen.".replace(",", ".")))
    if problems:
        raise InputRejectedError(problems)
    return text


def read_leitbild(data: bytes, file: str) -> str:
    """A leitbild.md file's text, checked."""
    return check_leitbild(decode(data, file), file=file)


def _inline(text: str) -> str:
    escaped = html.escape(text)
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escaped)
    return re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"<em>\1</em>", escaped)


def leitbild_html(text: str, *, heading: int = 3) -> str:
    """The Leitbild subset as HTML (every character escaped first): `#` headings from level `heading` on,
    paragraphs, `-`/`*` and `1.` lists, `>` quotes, **bold** and *italic*."""
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        first = lines[0].lstrip()
        title = re.match(r"(#{1,4})\s+(.*)", first)
        if title and len(lines) == 1:
            level = min(6, heading + len(title.group(1)) - 1)
            parts.append(f"<h{level}>{_inline(title.group(2))}</h{level}>")
        elif all(_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_BULLET.sub('', line))}</li>" for line in lines)
            parts.append(f"<ul>{items}</ul>")
        elif all(_NUMBER.match(line) for line in lines):
            items = "".join(f"<li>{_inline(_NUMBER.sub('', line))}</li>" for line in lines)
            parts.append(f"<ol>{items}</ol>")
        elif all(line.lstrip().startswith(">") for line in lines):
            quoted = " ".join(line.lstrip()[1:].strip() for line in lines)
            parts.append(f"<blockquote>{_inline(quoted)}</blockquote>")
        else:
            if title:  # a heading followed by text without a blank line between
                level = min(6, heading + len(title.group(1)) - 1)
                parts.append(f"<h{level}>{_inline(title.group(2))}</h{level}>")
                lines = lines[1:]
            parts.append(f"<p>{_inline(' '.join(line.strip() for line in lines))}</p>")
    return "\n".join(parts)
