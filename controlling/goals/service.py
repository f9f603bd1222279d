"""What the Leitbild pages, the report and the CLI ask of the goal system and of target drafts: reads, and
writes checked first (a form, the staff table and a file take the same checks and the same store path)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from controlling.db import Store
from controlling.errors import InputRejectedError, Problem
from controlling.goals.files import (
    check_goal_tree,
    check_leitbild,
    goal_csv,
    goal_table,
    read_goal_csv,
    read_leitbild,
    tree_order,
)
from controlling.goals.tree import goal_lights, linked_indicators
from controlling.reference.shipped import DATA_DIR
from controlling.rules import TargetContext, accepted_targets

LEITBILD_FILE, GOALS_FILE = "leitbild.md", "zielsystem.csv"


@dataclass(frozen=True)
class GoalSystem:
    """The Leitbild text and the goal tree in display order, with each Handlungsziel's Kennzahlen."""

    leitbild: str
    goals: pd.DataFrame  # code, kind, field, parent, title, text, sort_order, version (tree order)
    links: pd.DataFrame  # goal_code, indicator, sort_order


def goal_system(store: Store) -> GoalSystem:
    """The goal system as it stands."""
    goals = tree_order(store.goals.tree(), store.catalogue.fields())
    return GoalSystem(store.goals.leitbild(), goals, store.goals.links())


def handlungsziele(store: Store) -> pd.DataFrame:
    """One row per Handlungsziel: code, title, field, parent (to choose one in a form)."""
    return store.goals.handlungsziele()


STATUS_COLUMNS = [
    "indicator",
    "light",
    "value",
    "year",
    "target_value",
    "target_year",
    "target_kind",
    "holding_target",
    "sign",
]


def goal_status(
    system: GoalSystem, status: pd.DataFrame | None, indicators: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(linked Kennzahlen with value, target and light; lights and counts per goal) for the status rows of one
    area (e.g. the Landkreis's rows of the viewer status table); None: no values yet, nothing rated."""
    rows = pd.DataFrame(columns=STATUS_COLUMNS) if status is None else status
    linked = linked_indicators(system.links, rows, indicators)
    return linked, goal_lights(system.goals, linked)


def goal_versions(store: Store, code: str | None = None) -> pd.DataFrame:
    """Every version of one goal (or of all), newest first."""
    return store.goals.versions(code)


def leitbild_versions(store: Store) -> pd.DataFrame:
    """Every Leitbild text, newest first."""
    return store.goals.leitbild_versions()


def editable_table(store: Store) -> pd.DataFrame:
    """The tree in the file's German columns, for the staff table."""
    system = goal_system(store)
    return goal_table(system.goals, system.links, store.catalogue.fields())


def table_fingerprint(table: pd.DataFrame) -> str:
    """A short fingerprint of a staff table's content: the editor starts afresh when the stored tree changed."""
    return f"{int(pd.util.hash_pandas_object(table.fillna(''), index=False).sum()) & 0xFFFFFFFF:08x}"


def save_goal_table(
    store: Store, table: pd.DataFrame, *, user: str, file: str = "Zieltabelle", allow_empty: bool = False
) -> int:
    """Make the tree the one in `table` (the file's German columns); every change versioned and audited.

    Checked whole first (rows numbered as in the table); returns how many goals changed. An empty table
    would remove the whole tree: refused unless `allow_empty`.
    """
    raw = table.reset_index(drop=True).assign(line=lambda f: f.index + 1) if "line" not in table else table
    goals, links = check_goal_tree(
        raw, store.catalogue.fields(), store.catalogue.indicators(include_retired=True), file=file
    )
    _keep_goals_of_measures(store, goals, file)
    _refuse_emptying(store, goals, file, allow_empty, how="Entfernen Sie die Ziele einzeln")
    return store.goals.replace(goals, links, user=user)


@dataclass(frozen=True)
class GoalChanges:
    """Which goals a save added, changed and removed (codes), so that nothing goes without being named."""

    added: list[str]
    changed: list[str]
    removed: list[str]

    def sentence(self) -> str:
        """What the save did, in German, naming every goal."""
        parts = [
            f"{label}: {', '.join(codes)}"
            for label, codes in (("angelegt", self.added), ("geändert", self.changed), ("entfernt", self.removed))
            if codes
        ]
        if not parts:
            return "Nichts geändert: die Tabelle entspricht dem gespeicherten Zielsystem."
        return "Gespeichert – " + "; ".join(parts) + ". Die früheren Fassungen bleiben erhalten."


def goal_changes(before: pd.DataFrame, after: pd.DataFrame) -> GoalChanges:
    """Codes added, changed and removed between two staff tables (the file's German columns)."""
    old, new = before.set_index("code"), after.set_index("code")
    both = old.index.intersection(new.index)
    cells = [c for c in old.columns if c in new.columns]
    differs = (old.loc[both, cells].fillna("") != new.loc[both, cells].fillna("")).any(axis=1)
    return GoalChanges(
        added=[str(c) for c in new.index.difference(old.index, sort=False)],
        changed=[str(c) for c in differs.index[differs]],
        removed=[str(c) for c in old.index.difference(new.index, sort=False)],
    )


def save_goal_table_named(store: Store, table: pd.DataFrame, *, user: str) -> GoalChanges:
    """Save the staff table (as save_goal_table) and name every goal it added, changed or removed."""
    before = editable_table(store)
    save_goal_table(store, table, user=user)
    return goal_changes(before, editable_table(store))


def next_goal_code(store: Store, *, field: str | None = None, parent: str | None = None) -> str:
    """The next free code: `BIL-L3` for a new Leitziel of field BIL, `BIL-L1-H4` under Leitziel BIL-L1."""
    codes = editable_table(store)["code"].astype(str)
    stem = f"{parent}-H" if parent else f"{field}-L"
    taken = pd.to_numeric(codes.loc[codes.str.startswith(stem)].str.slice(len(stem)), errors="coerce")
    return f"{stem}{int(taken.max()) + 1 if taken.notna().any() else 1}"


def add_goal(
    store: Store,
    *,
    kind: str,
    code: str,
    field: str,
    parent: str,
    title: str,
    text: str,
    indicators: list[str],
    user: str,
) -> GoalChanges:
    """Add one Leitziel (with its Handlungsfeld) or Handlungsziel (with its Leitziel and Kennzahlen) from the
    form; checked with the whole tree, and a code already taken is refused naming the goal that has it."""
    table = editable_table(store)
    code = code.strip()
    holder = table.loc[table["code"] == code]
    if len(holder):
        raise InputRejectedError(
            [
                Problem(
                    "Neues Ziel",
                    None,
                    "Code",
                    code,
                    f"Diesen Code hat schon »{holder.iloc[0]['titel']}«; wählen Sie einen anderen "
                    "(bestehende Ziele ändern Sie in der Tabelle).",
                )
            ]
        )
    row = {
        "ebene": kind,
        "code": code,
        "handlungsfeld": field if kind == "leitziel" else "",
        "uebergeordnet": parent if kind == "handlungsziel" else "",
        "titel": title,
        "beschreibung": text,
        "kennzahlen": ", ".join(indicators),
    }
    grown = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    save_goal_table(store, grown, user=user, file="Neues Ziel")
    return goal_changes(table, editable_table(store))


def _refuse_emptying(store: Store, goals: pd.DataFrame, file: str, allow_empty: bool, *, how: str) -> None:
    """A replacement without any goal would remove the whole tree (a header-only zielsystem.csv did): only when
    asked for explicitly."""
    if len(goals) or allow_empty:
        return
    stored = len(goal_system(store).goals)
    if stored:
        raise InputRejectedError.about_file(
            file,
            f"Hier steht kein einziges Ziel; übernommen würde das ganze Zielsystem ({stored} Ziele) gelöscht. "
            f"Prüfen Sie, ob die richtige Datei gewählt ist. Soll das Zielsystem wirklich geleert werden: {how}.",
        )


def _keep_goals_of_measures(store: Store, goals: pd.DataFrame, file: str) -> None:
    """A Handlungsziel that measures serve cannot be removed: the measures would point at nothing."""
    measures = store.measures.list()
    kept = set(goals.loc[goals["kind"] == "handlungsziel", "code"])
    orphaned = measures.loc[measures["goal_code"].notna() & ~measures["goal_code"].isin(kept)]
    if orphaned.empty:
        return
    raise InputRejectedError(
        [
            Problem(
                file,
                None,
                "code",
                str(code),
                f"Das Handlungsziel wird von Maßnahmen verfolgt ({', '.join(group['title'])}); ordnen Sie diese "
                "zuerst auf der Seite »Maßnahmen« einem anderen Handlungsziel zu.",
            )
            for code, group in orphaned.groupby("goal_code", sort=True)
        ]
    )


def save_leitbild(store: Store, text: str, *, user: str) -> bool:
    """Keep a new Leitbild text (checked); False when nothing changed."""
    return store.goals.save_leitbild(check_leitbild(text, file="Leitbild"), user=user)


def import_goal_files(
    store: Store,
    *,
    user: str,
    goals: tuple[str, bytes] | None = None,
    leitbild: tuple[str, bytes] | None = None,
    allow_empty: bool = False,
) -> tuple[int, bool]:
    """Read a zielsystem.csv and/or a leitbild.md (name, bytes); both are checked before either is written.
    Returns (goals changed, Leitbild changed). A zielsystem.csv without goals is refused unless `allow_empty`."""
    table = None if goals is None else read_goal_csv(goals[1], goals[0])
    text = None if leitbild is None else read_leitbild(leitbild[1], leitbild[0])
    checked = None
    if table is not None:
        checked = check_goal_tree(
            table,
            store.catalogue.fields(),
            store.catalogue.indicators(include_retired=True),
            file=goals[0],  # type: ignore[index]
        )
        how = "Befehlszeile »zielsystem import --ziele DATEI --leeren«"
        _refuse_emptying(store, checked[0], goals[0], allow_empty, how=how)  # type: ignore[index]
    changed = 0 if checked is None else store.goals.replace(*checked, user=user)
    return changed, False if text is None else store.goals.save_leitbild(text, user=user)


def export_goal_files(store: Store) -> tuple[bytes, bytes]:
    """(zielsystem.csv, leitbild.md) of the goal system as it stands, in the documented format."""
    system = goal_system(store)
    return goal_csv(system.goals, system.links, store.catalogue.fields()), (system.leitbild + "\n").encode()


def load_shipped_goals(
    store: Store, *, user: str, data_dir: Path = DATA_DIR, adapt: Callable[[str], str] | None = None
) -> bool:
    """On first start: the Leitbild and goal tree from data/ (if there), once; True if loaded.

    `adapt` rewrites the shipped draft for the reporting Kreis (it was written for Peine).
    """
    if not store.goals.is_empty() or not (data_dir / GOALS_FILE).is_file():
        return False
    files = {
        name: (name, (data_dir / name).read_bytes())
        for name in (GOALS_FILE, LEITBILD_FILE)
        if (data_dir / name).is_file()
    }
    if adapt is not None:
        files = {name: (file, adapt(text.decode("utf-8")).encode("utf-8")) for name, (file, text) in files.items()}
    import_goal_files(store, user=user, goals=files.get(GOALS_FILE), leitbild=files.get(LEITBILD_FILE))
    return True


def target_drafts(store: Store) -> pd.DataFrame:
    """Targets proposed and not yet decided, with their source (staff and the report's Zielvorschläge)."""
    return store.targets.drafts()


def target_history(store: Store, indicator: str, area: str) -> pd.DataFrame:
    """Every target of one indicator × area (Entwurf, beschlossen, abgelöst), newest first."""
    return store.targets.history(indicator, area)


def decide_target(
    store: Store,
    target_id: int,
    *,
    body: str,
    decision_date: dt.date | None,
    vorlage: str,
    valid_from: dt.date,
    user: str,
) -> None:
    """A draft becomes decided: checked by the one rule for targets (body and date, the date not to come),
    then the decided target in force for its pair is replaced (abgelöst)."""
    drafts = store.targets.drafts()
    draft = drafts.loc[drafts["id"] == target_id]
    raw = pd.DataFrame(
        {
            "line": None,
            "kennzahl": draft["indicator"],
            "gebiet": draft["area"],
            "zieljahr": draft["target_year"].astype(str),
            "zielwert": draft["target_value"].astype(str),
            "basisjahr": draft["baseline_year"].astype(str),
            "gremium": body,
            "beschlussdatum": "" if decision_date is None else f"{decision_date:%d.%m.%Y}",
            "vorlage": vorlage,
        }
    )
    context = TargetContext("Beschluss", store.catalogue.indicators(), store.catalogue.areas(), dt.date.today())
    if len(raw):
        accepted_targets(raw, context)
    store.targets.decide(
        target_id,
        body=body.strip(),
        decision_date=decision_date or dt.date.today(),
        vorlage=vorlage.strip(),
        valid_from=valid_from,
        user=user,
    )


def discard_target(store: Store, target_id: int, *, user: str) -> None:
    """Remove a draft nobody will decide (the audit log keeps it)."""
    store.targets.discard(target_id, user=user)
