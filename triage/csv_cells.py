"""Cells that stay text when a spreadsheet opens the file ("CSV injection")."""

from __future__ import annotations

# Spreadsheets run cells that start with these as formulas: a caller reference or a web-form id
# typed as "=HYPERLINK(...)" must stay text when staff open an export or a batch result.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text``, with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text
