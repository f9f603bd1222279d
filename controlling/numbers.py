"""Numeric conventions shared by the store's checks and the status rules."""

from __future__ import annotations

TOLERANCE = 1e-9  # two values closer than this are the same value (DESIGN §4: comparisons use 1e-9)
