"""What "Unsere Ziele" and its maintenance page ask: the goal system in a language (German where a translation is
missing, marked), the texts to translate with their state, saving a translation, the demo translations."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from controlling.db import Store
from controlling.freetext import FreeTextError
from controlling.goals.service import goal_system
from controlling.languages import model
from controlling.languages.model import LEITBILD_KEY, LocalizedGoals, text_key, title_key
from controlling.reference.shipped import DATA_DIR
from controlling.tabular import decode, read_delimited

DEMO_FOLDER = DATA_DIR / "uebersetzungen"


def localized(store: Store, language: str) -> LocalizedGoals:
    """The Leitbild and the goal tree in `language`, German where no translation exists (marked)."""
    system = goal_system(store)
    return model.localize(system.leitbild, system.goals, store.translations.all(language), language)


def source_texts(store: Store) -> pd.DataFrame:
    """Every German text that can be translated: text_key, what (shown), German text; in page order."""
    system = goal_system(store)
    goals = system.goals
    rows = [pd.DataFrame({"text_key": [LEITBILD_KEY], "what": ["Leitbild"], "german": [system.leitbild]})]
    for part, keyed, word in (("title", title_key, "Titel"), ("text", text_key, "Beschreibung")):
        rows.append(
            pd.DataFrame(
                {
                    "text_key": goals["code"].map(keyed),
                    "what": goals["code"] + " " + word,
                    "german": goals[part].astype(str),
                    "order": goals["sort_order"],
                }
            )
        )
    found = pd.concat(rows, ignore_index=True)
    return found.loc[found["german"].ne("")].drop(columns="order")


def translation_state(store: Store, language: str) -> pd.DataFrame:
    """Per German text its translation into `language` and the translation's date (empty where missing)."""
    texts = source_texts(store)
    done = store.translations.all(language)[["text_key", "text", "translated_on"]]
    return texts.merge(done, on="text_key", how="left").rename(columns={"text": "translation"})


def save_translation(
    store: Store, key: str, language: str, text: str, translated_on: dt.date | None, *, user: str, today: dt.date
) -> None:
    """Save one translation (empty: remove it), checked: a known text, a maintained language, plain text, a date."""
    checked = model.check_translation(key, language, text, set(source_texts(store)["text_key"]))
    day = translated_on or today
    if day > today:
        raise FreeTextError("Das Datum der Übersetzung liegt in der Zukunft.")
    store.translations.save(key, language, checked, day, user=user)


def load_demo_translations(store: Store, *, user: str, day: dt.date) -> int:
    """The hand-written demo translations (Leichte Sprache, English, Arabic) of the shipped Leitbild and goals."""
    goals = read_delimited(decode((DEMO_FOLDER / "ziele.csv").read_bytes()), file="ziele.csv", sep=";")
    known = set(store.goals.tree()["code"])
    goals = goals.loc[goals["code"].isin(known)]
    rows = pd.concat(
        [
            pd.DataFrame(
                {"text_key": goals["code"].map(title_key), "language": goals["sprache"], "text": goals["titel"]}
            ),
            pd.DataFrame(
                {"text_key": goals["code"].map(text_key), "language": goals["sprache"], "text": goals["beschreibung"]}
            ),
            pd.DataFrame(
                {
                    "text_key": LEITBILD_KEY,
                    "language": [p.suffixes[0][1:] for p in sorted(DEMO_FOLDER.glob("leitbild.*.md"))],
                    "text": [p.read_text(encoding="utf-8").strip() for p in sorted(DEMO_FOLDER.glob("leitbild.*.md"))],
                }
            ),
        ],
        ignore_index=True,
    )
    return store.translations.save_many(rows.assign(translated_on=day), user=user)
