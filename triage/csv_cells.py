"""Cells that stay text when a spreadsheet opens the file ("CSV injection"), and that carry
no terminal escapes when the file is shown with ``cat``."""

from __future__ import annotations

from triage.text import printable

# Spreadsheets run cells that start with these as formulas: a caller reference or a web-form id
# typed as "=HYPERLINK(...)" must stay text when staff open an export or a batch result.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` with control characters escaped, and a leading apostrophe when a spreadsheet
    would read it as a formula (also when it starts with a full-width equals or plus sign, which
    some spreadsheets fold to ``=`` and ``+``)."""
    if not text:
        return text
    first = text[0]
    formula = first.startswith(FORMULA_START)
    if not formula and not first.isascii():
        import unicodedata  # only for a cell starting with a non-ASCII character

        formula = unicodedata.normalize("NFKC", first).startswith(FORMULA_START)
    return ("'" if formula else "") + printable(text, multiline=True)
