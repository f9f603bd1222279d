"""The languages of "Unsere Ziele" (issue 27): which the Referat maintains, their direction, the keys of the texts
they translate, the words for a goal's state, and the fallback to German that says so."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from controlling.freetext import FreeTextError, check_text
from controlling.goals.files import TEXT_LIMIT, TITLE_LIMIT, check_leitbild


@dataclass(frozen=True)
class Language:
    """A language of the public page: its key, its name in German and in itself, its HTML code, its direction."""

    key: str
    german_name: str
    own_name: str
    html: str
    rtl: bool = False


LANGUAGES = (
    Language("de", "Deutsch", "Deutsch", "de"),
    Language("leicht", "Leichte Sprache", "Leichte Sprache", "de"),
    Language("en", "Englisch", "English", "en"),
    Language("ar", "Arabisch", "العربية", "ar", rtl=True),
    Language("uk", "Ukrainisch", "Українська", "uk"),
    Language("tr", "Türkisch", "Türkçe", "tr"),
    Language("ru", "Russisch", "Русский", "ru"),
)
BY_KEY = {language.key: language for language in LANGUAGES}
TRANSLATED = tuple(language.key for language in LANGUAGES if language.key != "de")

# How a goal stands, in each language (fixed words of the page, written by people, like its headings).
STATE_WORDS: dict[str, dict[str, str]] = {
    "de": {
        "gruen": "auf gutem Weg",
        "gelb": "etwas hinter dem Plan",
        "rot": "deutlich hinter dem Plan",
        "grau": "noch ohne Bewertung",
    },
    "leicht": {
        "gruen": "Das klappt gut.",
        "gelb": "Das klappt noch nicht ganz.",
        "rot": "Das klappt noch nicht.",
        "grau": "Das wissen wir noch nicht.",
    },
    "en": {"gruen": "on track", "gelb": "somewhat behind plan", "rot": "clearly behind plan", "grau": "not yet rated"},
    "ar": {
        "gruen": "على المسار الصحيح",
        "gelb": "متأخر قليلًا عن الخطة",
        "rot": "متأخر كثيرًا عن الخطة",
        "grau": "لم يُقيَّم بعد",
    },
    "uk": {
        "gruen": "на правильному шляху",
        "gelb": "трохи відстає від плану",
        "rot": "значно відстає від плану",
        "grau": "ще не оцінено",
    },
    "tr": {
        "gruen": "yolunda",
        "gelb": "planın biraz gerisinde",
        "rot": "planın açıkça gerisinde",
        "grau": "henüz değerlendirilmedi",
    },
    "ru": {
        "gruen": "на верном пути",
        "gelb": "немного отстаёт от плана",
        "rot": "заметно отстаёт от плана",
        "grau": "ещё не оценено",
    },
}
HEADINGS: dict[str, tuple[str, str]] = {  # (Leitbild, Our goals) in each language
    "de": ("Unser Leitbild", "Unsere Ziele"),
    "leicht": ("Was wir wollen", "Unsere Ziele"),
    "en": ("Our mission statement", "Our goals"),
    "ar": ("رؤيتنا", "أهدافنا"),
    "uk": ("Наші засади", "Наші цілі"),
    "tr": ("İlkelerimiz", "Hedeflerimiz"),
    "ru": ("Наши принципы", "Наши цели"),
}
LEITBILD_KEY = "leitbild"


def title_key(code: str) -> str:
    """The key of a goal's title."""
    return f"ziel:{code}:titel"


def text_key(code: str) -> str:
    """The key of a goal's description."""
    return f"ziel:{code}:text"


@dataclass(frozen=True)
class LocalizedGoals:
    """The page in one language: the Leitbild and each goal's title and text, each marked when it is German
    because no translation exists (`*_fallback`), with the date of its translation."""

    language: Language
    leitbild: str
    leitbild_fallback: bool
    leitbild_date: object
    goals: pd.DataFrame  # code, kind, field, parent, title, text, title_fallback, text_fallback, translated_on


def localize(leitbild: str, goals: pd.DataFrame, translations: pd.DataFrame, language: str) -> LocalizedGoals:
    """The Leitbild and the goals in `language`; where a translation is missing, the German text, marked."""
    chosen = BY_KEY[language]
    texts = translations.loc[translations["language"] == language].set_index("text_key")
    if language == "de":
        texts = texts.iloc[0:0]
    found = goals.copy()
    for part, keyed in (("title", title_key), ("text", text_key)):
        keys = found["code"].map(keyed)
        translated = keys.map(texts["text"]) if len(texts) else pd.Series(pd.NA, index=found.index)
        # A goal without a German description needs no translation of it.
        found[f"{part}_fallback"] = translated.isna() & found[part].astype(str).ne("") & (language != "de")
        found[part] = translated.fillna(found[part])
    dates = found["code"].map(title_key).map(texts["translated_on"]) if len(texts) else pd.NaT
    found["translated_on"] = dates
    has_leitbild = LEITBILD_KEY in texts.index
    return LocalizedGoals(
        language=chosen,
        leitbild=str(texts.at[LEITBILD_KEY, "text"]) if has_leitbild else leitbild,
        leitbild_fallback=not has_leitbild and language != "de",
        leitbild_date=texts.at[LEITBILD_KEY, "translated_on"] if has_leitbild else None,
        goals=found,
    )


def check_translation(text_key_: str, language: str, text: str, known_keys: set[str]) -> str:
    """A translation as the Referat typed it: a known text, a maintained language, plain bounded text (the
    Leitbild in its Markdown subset, checked as the German one)."""
    if language not in TRANSLATED:
        raise FreeTextError(
            f"Die Sprache »{language[:20]}« pflegt das Referat nicht; erlaubt: {', '.join(TRANSLATED)}."
        )
    if text_key_ not in known_keys:
        raise FreeTextError(f"Einen Text »{text_key_[:40]}« gibt es im Zielsystem nicht (mehr).")
    if text_key_ == LEITBILD_KEY:
        return check_leitbild(text, file="Übersetzung des Leitbilds") if text.strip() else ""
    limit = TITLE_LIMIT if text_key_.endswith(":titel") else TEXT_LIMIT
    return check_text(
        text, "Übersetzung", limit=limit, required=False, single_line=text_key_.endswith(":titel"), links=False
    )
