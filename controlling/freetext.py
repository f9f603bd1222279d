"""Free text people type in (network, consultations, translations): one check with German refusals.

Text is always shown as text (escaped), so HTML and Markdown are harmless on screen; the checks refuse what
has no place in such a field: too much text, control characters, and where asked, links (the spam of public forms).
"""

from __future__ import annotations

import math
import re
import unicodedata

from controlling.errors import ControllingError
from controlling.reference.shipped import MARKUP

_LINK = re.compile(rf"https?://|www\.|{MARKUP}|\[[^\]]*\]\s*\[|<\s*a\s", re.IGNORECASE)
# Line breaks and tabs are text; every other control or format character (ANSI sequences, bidi overrides) is not.
_ALLOWED_CONTROLS = {"\n", "\t"}


class FreeTextError(ControllingError):
    """A typed text was refused; nothing was saved."""


def check_text(
    value: object,
    label: str,
    *,
    limit: int,
    required: bool = True,
    links: bool = True,
    single_line: bool = False,
) -> str:
    """The text, stripped; refused in German when empty (if required), too long, with control characters, with a
    line break in a one-line field, or with a link where links are not allowed."""
    text = "" if value is None else str(value).replace("\r\n", "\n").strip()
    if not text:
        if required:
            raise FreeTextError(f"Bitte füllen Sie »{label}« aus.")
        return ""
    if len(text) > limit:
        found, allowed = (f"{n:,}".replace(",", ".") for n in (len(text), limit))
        raise FreeTextError(f"»{label}« ist zu lang: {found} Zeichen, erlaubt sind höchstens {allowed}.")
    bad = next((c for c in text if c not in _ALLOWED_CONTROLS and unicodedata.category(c) in {"Cc", "Cs", "Co"}), None)
    if bad is not None:
        raise FreeTextError(f"»{label}« enthält ein Steuerzeichen (U+{ord(bad):04X}); bitte nur Text eingeben.")
    if single_line and "\n" in text:
        raise FreeTextError(f"»{label}« ist eine Zeile: bitte ohne Zeilenumbruch.")
    if not links and _LINK.search(text):
        raise FreeTextError(
            f"»{label}« darf keine Links oder Internetadressen enthalten (auch nicht als Markdown [Text](Adresse))."
        )
    return text


def parse_value(text: str, label: str) -> float | None:
    """A German or dotted number (12,5 · 1.234,5 · 12.5), None when empty; refused in German otherwise."""
    raw = (text or "").strip().replace(" ", "")
    if not raw:
        return None
    if len(raw) > 30:
        raise FreeTextError(f"»{label}« ist keine Zahl: zu lang.")
    normal = raw.replace(".", "").replace(",", ".") if "," in raw else raw
    if raw.count(".") > 1 and "," not in raw:
        normal = raw.replace(".", "")
    try:
        value = float(normal)
    except ValueError:
        raise FreeTextError(f"»{label}« ist keine Zahl: »{raw[:30]}« (z. B. 12,5).") from None
    if not math.isfinite(value) or abs(value) >= 1e12:
        raise FreeTextError(f"»{label}« ist keine brauchbare Zahl: »{raw[:30]}«.")
    return value
