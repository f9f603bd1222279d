"""Unsere Ziele (issue 27): texts per language with their date, German where a translation is missing (marked),
Arabic right to left, every text escaped; the Referat's translations checked like the German texts."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from controlling.errors import ControllingError
from controlling.languages import model, service
from controlling.languages.page import MISSING, public_goals_html

TODAY = dt.date(2026, 12, 8)
NO_LIGHTS = pd.DataFrame(columns=["light"])


def test_the_demo_has_leichte_sprache_english_and_arabic_for_every_goal_and_the_leitbild(own_demo_store):
    for language in ("leicht", "en", "ar"):
        page = service.localized(own_demo_store, language)
        assert not page.leitbild_fallback and not page.goals[["title_fallback", "text_fallback"]].any().any()
        assert page.leitbild_date == pd.Timestamp("2025-12-01")
    assert "Gleiche Chancen" in service.localized(own_demo_store, "leicht").leitbild
    assert "التعليم" in service.localized(own_demo_store, "ar").leitbild


def test_a_missing_translation_shows_the_german_text_and_says_so(own_demo_store):
    page = service.localized(own_demo_store, "uk")
    assert page.leitbild_fallback and page.goals["title_fallback"].all()
    text = public_goals_html(page, NO_LIGHTS)
    assert '<div class="unsere-ziele" lang="uk" dir="ltr">' in text
    assert text.count(MISSING) == 1 + 2 * len(page.goals)  # the Leitbild, each title and description
    assert '<h3 lang="de" dir="ltr">' in text  # the German text is marked German for screen readers
    german = public_goals_html(service.localized(own_demo_store, "de"), NO_LIGHTS)
    assert MISSING not in german


def test_arabic_is_right_to_left_with_its_own_state_words(own_demo_store):
    page = service.localized(own_demo_store, "ar")
    lights = pd.DataFrame({"light": ["rot"]}, index=["SPR-L1-H1"])
    text = public_goals_html(page, lights)
    assert 'lang="ar" dir="rtl"' in text and "أهدافنا" in text
    assert "متأخر كثيرًا عن الخطة" in text and "لم يُقيَّم بعد" in text
    assert "Übersetzung vom 01.12.2025" in text


def test_one_translation_is_saved_with_its_date_and_audited_and_bad_ones_change_nothing(own_demo_store):
    service.save_translation(
        own_demo_store, "ziel:BIL-L1:titel", "tr", "Eşit eğitim fırsatları", TODAY, user="r", today=TODAY
    )
    page = service.localized(own_demo_store, "tr")
    row = page.goals.set_index("code").loc["BIL-L1"]
    assert row["title"] == "Eşit eğitim fırsatları" and not row["title_fallback"] and row["text_fallback"]
    assert own_demo_store.audit.entries().iloc[0]["entity_key"] == "ziel:BIL-L1:titel [tr]"
    before = own_demo_store.translations.all()
    bad = [
        (("ziel:BIL-L1:titel", "fr", "x", TODAY), "pflegt das Referat nicht"),
        (("ziel:XYZ:titel", "tr", "x", TODAY), "gibt es im Zielsystem nicht"),
        (("ziel:BIL-L1:titel", "tr", "x" * 1_048_576, TODAY), "ist zu lang: 1.048.576 Zeichen"),
        (("ziel:BIL-L1:titel", "tr", "[Link](https://x.example)", TODAY), "keine Links"),
        (("ziel:BIL-L1:text", "tr", "<a href='https://x.example'>x</a>", TODAY), "keine Links"),
        (("leitbild", "tr", "# Başlık\n\n<script>alert(1)</script>", TODAY), "HTML ebenso wenig"),
        (("ziel:BIL-L1:titel", "tr", "x", TODAY + dt.timedelta(days=1)), "in der Zukunft"),
    ]
    for (key, language, text, day), message in bad:
        with pytest.raises(ControllingError, match=re.escape(message)):
            service.save_translation(own_demo_store, key, language, text, day, user="r", today=TODAY)
    assert own_demo_store.translations.all().equals(before)
    service.save_translation(own_demo_store, "ziel:BIL-L1:titel", "tr", "", TODAY, user="r", today=TODAY)
    assert service.localized(own_demo_store, "tr").goals["title_fallback"].all()  # removed: German again


def test_html_in_a_translated_goal_is_shown_as_text(own_demo_store):
    service.save_translation(
        own_demo_store, "ziel:BIL-L1:text", "en", "<img src=x onerror=alert(1)> **bold**", TODAY, user="r", today=TODAY
    )
    text = public_goals_html(service.localized(own_demo_store, "en"), NO_LIGHTS)
    assert "&lt;img src=x onerror=alert(1)&gt; **bold**" in text and "<img" not in text


def test_every_language_has_state_words_and_headings():
    for language in model.LANGUAGES:
        assert set(model.STATE_WORDS[language.key]) == {"gruen", "gelb", "rot", "grau"}
        assert language.key in model.HEADINGS
    assert [language.key for language in model.LANGUAGES if language.rtl] == ["ar"]
