""" "Unsere Ziele" as HTML (pure, no streamlit): the Leitbild and the Leitziele with their Handlungsziele and state,
in one language with its direction; a text shown in German for want of a translation is marked lang="de" and says
so in German. Every text is escaped (the Leitbild through its Markdown subset)."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from controlling.goals.files import leitbild_html
from controlling.languages.model import HEADINGS, STATE_WORDS, LocalizedGoals
from controlling.method.presentation import LIGHT_LOOKS

CSS = """<style>
.unsere-ziele { font-size: 1.1rem; line-height: 1.6; max-width: 60rem; }
.unsere-ziele .leitziel { border-inline-start: 4px solid #1f4e79; padding-inline-start: 12px; margin: 16px 0; }
.unsere-ziele .zustand { font-weight: 600; white-space: nowrap; }
.unsere-ziele .fehlt { display: block; font-size: 0.9rem; color: #5a3d00; background: #fff4d6; padding: 2px 6px; }
.unsere-ziele .datum { display: block; font-size: 0.85rem; color: #404040; }
.unsere-ziele[dir="rtl"] { text-align: right; }
</style>"""

MISSING = "Noch nicht übersetzt – hier steht der deutsche Text."


def _day(value: Any) -> str:
    return f"{pd.Timestamp(value):%d.%m.%Y}"


def _text(value: str, fallback: bool, tag: str = "span") -> str:
    """A text in the page's language, or the German one marked as German with the note."""
    escaped = html.escape(value)
    if not fallback:
        return f"<{tag}>{escaped}</{tag}>"
    return f'<{tag} lang="de" dir="ltr"><span class="fehlt">{MISSING}</span>{escaped}</{tag}>'


def public_goals_html(page: LocalizedGoals, lights: pd.DataFrame) -> str:
    """The whole page body in `page.language`: Leitbild, then each Leitziel with its Handlungsziele and the state of
    each (the rolled-up light of its Kennzahlen for the Landkreis, as a word and a symbol)."""
    language = page.language
    words = STATE_WORDS[language.key]
    leitbild_heading, goals_heading = HEADINGS[language.key]
    direction = "rtl" if language.rtl else "ltr"
    parts = [CSS, f'<div class="unsere-ziele" lang="{language.html}" dir="{direction}">']
    parts.append(f"<h2>{html.escape(leitbild_heading)}</h2>")
    if page.leitbild:
        body = leitbild_html(page.leitbild, heading=3)
        if page.leitbild_fallback:
            parts.append(f'<div lang="de" dir="ltr"><span class="fehlt">{MISSING}</span>{body}</div>')
        else:
            parts.append(body)
            if page.leitbild_date is not None:
                parts.append(f'<span class="datum" lang="de">Übersetzung vom {_day(page.leitbild_date)}</span>')
    parts.append(f"<h2>{html.escape(goals_heading)}</h2>")
    goals = page.goals
    for leitziel in goals.loc[goals["kind"] == "leitziel"].itertuples():  # five Leitziele
        parts.append('<section class="leitziel">')
        parts.append(_text(str(leitziel.title), bool(leitziel.title_fallback), "h3"))
        if leitziel.text:
            parts.append(_text(str(leitziel.text), bool(leitziel.text_fallback), "p"))
        parts.append("<ul>")
        for goal in goals.loc[goals["parent"] == leitziel.code].itertuples():  # its Handlungsziele
            light = str(lights.at[goal.code, "light"]) if goal.code in lights.index else "grau"
            look = LIGHT_LOOKS[light]
            state = (
                f'<span class="zustand" style="border-bottom: 3px solid {look.colour}">'
                f"{look.symbol} {html.escape(words[light])}</span>"
            )
            item = f"<li><strong>{_text(str(goal.title), bool(goal.title_fallback))}</strong> – {state}"
            if goal.text:
                item += "<br>" + _text(str(goal.text), bool(goal.text_fallback))
            if goal.translated_on is not None and not pd.isna(goal.translated_on):  # type: ignore[arg-type]
                item += f'<span class="datum" lang="de">Übersetzung vom {_day(goal.translated_on)}</span>'
            parts.append(item + "</li>")
        parts.append("</ul></section>")
    parts.append("</div>")
    return "".join(parts)
