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


PAGE_ACTIONS = {"typed ahead": "z", "refused": "5", "why we ask": "?", "back": "b"}
# what each says (its first words, in either language)
PAGE_SAID = {"typed ahead": "typed_ahead", "refused": "page_refused_options",
             "why we ask": "why_we_ask", "back": "at_start"}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_call_911_stays_in_sight_at_every_page_break_of_question_1(
        action: str, lang: str, tmp_path: Path) -> None:
    """At 40x24 question 1 comes in pages: what a key at a page break says (not taken, why
    we ask, nothing before it) and keys typed before a page appeared were written below the
    page, and on a full page pushed its top off, "call 911" with it (the introduction's on
    the first page in French; the page's own on the later ones): it is said again below."""
    key = PAGE_ACTIONS[action]
    term = Terminal(40, 24, lang, cwd=tmp_path)
    try:
        if action == "typed ahead":  # before the first page is on the screen
            term.child.send(key)
        said = _unwrapped(t(PAGE_SAID[action], lang, keys=key))[:18]
        pages = 0
        while True:
            term.settle(lang)
            if not term.at_page_break(lang):
                break
            pages += 1
            if action != "typed ahead":
                term.send(key)
                term.settle(lang)
            assert term.at_page_break(lang), term.text()
            assert said in _unwrapped(" ".join(term.lines())), term.text()
            _911_in_sight(term, lang)
            # the next page, and (typed ahead) a key read with the Enter that turns it
            term.send("\r" + key if action == "typed ahead" else "\r")
        assert pages >= 2 and term.cursor_line() in PROMPTS, term.text()
        _911_in_sight(term, lang)
    finally:
        term.close()
