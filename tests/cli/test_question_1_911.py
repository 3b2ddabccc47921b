"""Question 1's "call 911" stays on the screen whenever question 1 is (ux walk-through, item
1). At 80x24 question 1 fits one screen only by letting the introduction scroll away, so its
progress line says "In an emergency, call 911 now."; a refused answer, why we ask (``?``) or
keys typed before question 1 appeared drew it again without that line (it scrolled off the
top). At 40x24 question 1 comes in pages and the introduction scrolls away after the first:
every later page, and every page drawn again, says it above the question."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_intro_911 import INTRO_911
from tests.cli.test_narrow_screen import PACK, PROMPTS, Terminal, _unwrapped
from triage.i18n import t

ACTIONS = ["typed ahead", "refused", "why we ask"]


def _911_in_sight(term: Terminal, lang: str) -> None:
    screen = _unwrapped(" ".join(term.lines()))
    assert t("intro_911", lang) in screen or INTRO_911[lang] in screen, term.text()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("columns", [80, 40])
@pytest.mark.parametrize("action", ACTIONS)
def test_call_911_stays_in_sight_at_question_1(action: str, columns: int, lang: str,
                                               tmp_path: Path) -> None:
    asked = _unwrapped(PACK.text(PACK.questions[0].text, lang))
    term = Terminal(columns, 24, lang, cwd=tmp_path)
    try:
        if action == "typed ahead":  # before question 1 is on the screen
            term.child.send("zz")
        for _page in range(6):  # every page of question 1, then its prompt
            term.settle(lang)
            _911_in_sight(term, lang)
            if not term.at_page_break(lang):
                break
            term.send("\r")
        assert term.cursor_line() in PROMPTS, term.text()
        typed = {"typed ahead": [], "refused": ["x\r"], "why we ask": ["?\r"]}[action]
        for keys in [*typed, "99\r"]:  # and a refusal after it
            term.send(keys)
            term.settle(lang)
            _911_in_sight(term, lang)
            assert asked in _unwrapped(" ".join(term.lines())), term.text()
            assert term.cursor_line() in PROMPTS, term.text()
    finally:
        term.close()
