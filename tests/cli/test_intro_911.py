"""The introduction's "call 911" on a screen too short to keep it (sees audit 2, item 12):
question 1 fills 80x24 exactly, so the introduction scrolled away before anyone saw it. Its
911 sentence now stays on question 1's progress line, where it costs no row; where the
introduction stays in sight it is said once, there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_narrow_screen import Terminal, _unwrapped
from triage.i18n import t

INTRO_911 = {"en": "If you have a medical emergency, call 911 now.",
             "fr": "En cas d'urgence médicale, appelez le 911 maintenant."}


@pytest.mark.parametrize(("columns", "rows", "lang", "args"), [
    (80, 24, "en", ()), (80, 24, "fr", ()), (80, 24, "en", ("--plain",)),
    (80, 40, "en", ()), (40, 24, "en", ())])
def test_call_911_is_on_the_first_screen(columns: int, rows: int, lang: str,
                                         args: tuple[str, ...], tmp_path: Path) -> None:
    term = Terminal(columns, rows, lang, *args, cwd=tmp_path)
    try:
        term.settle(lang)
        screen = _unwrapped(" ".join(term.lines()))
        intro, short = INTRO_911[lang], t("intro_911", lang)
        assert (intro in screen) != (short in screen), term.text()  # in sight, once
        if (columns, rows) == (80, 24):
            assert short in term.lines()[0], term.text()  # on the progress line
            assert not term.at_page_break(lang), term.text()  # still one screen
    finally:
        term.close()
