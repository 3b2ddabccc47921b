"""Going back is offered only where there is an answer to take back (ux-new, item 1).

Keys typed before a prompt was on the screen are not taken, and said: "Not taken: “4”, typed
before this was on the screen. If the last answer is not what was meant, type b to go back."
That was said at question 1 too, where no answer had been given yet and b only says "This is
the first question", and at the check before a 911 stop, where b is no answer at all. The
class is every message that speaks of a previous answer: the keys' sentence under a question
("Type ? for why we ask, b to go back, q to stop.") offered b at question 1 as well. Each now
speaks of going back only where b takes back an answer.

pexpect drives the program at 80x24 (pyte keeps the screen), in English and French.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.cli.test_keys_typed_together import _said
from tests.cli.test_narrow_screen import PACK, PROMPTS, Terminal, _unwrapped
from triage.cli import screens
from triage.cli.terminal import LineTerminal
from triage.engine.flow import Flow
from triage.i18n import t
from triage.render import prompts

BACK_WORDS = {"en": "type b to go back", "fr": "tapez b pour revenir en arrière"}
KEYS_BACK = {"en": "b to go back", "fr": "b pour revenir en arrière"}


def _at_prompt(term: Terminal, lang: str) -> None:
    """Settled at the question's prompt, its pages turned; a "Not taken: ..." line just
    above the prompt is no page break (its words begin as a page's do)."""
    term.settle(lang)
    while term.cursor_line() not in PROMPTS and term.at_page_break(lang):
        term.send("\r")
        term.settle(lang)


def _screen(term: Terminal) -> str:
    return _unwrapped(" ".join(term.lines()))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_keys_typed_before_question_1_do_not_offer_going_back(lang: str,
                                                              tmp_path: Path) -> None:
    """"4" typed while the program starts: not taken, said without "type b to go back"
    (there is no answer yet); and question 1's keys do not offer b."""
    term = Terminal(80, 24, lang, cwd=tmp_path)
    try:
        term.child.send("4")  # before the first prompt: the program is still starting
        _at_prompt(term, lang)
        assert _said(term, "typed_ahead", lang, "4"), term.text()
        assert _unwrapped(BACK_WORDS[lang]) not in _unwrapped(term.seen), term.text()
        assert KEYS_BACK[lang] not in _unwrapped(term.seen), term.text()
        if lang == "en":  # (in French question 1 fits 80x24 only without the keys' sentence)
            assert _unwrapped(t("keys_first", lang)) in _screen(term), term.text()
    finally:
        term.close()


@pytest.mark.parametrize(("lang", "args"), [("en", ()), ("fr", ()), ("en", ("--caller",))])
def test_keys_typed_after_an_answer_offer_going_back(lang: str, args: tuple[str, ...],
                                                     tmp_path: Path) -> None:
    """At question 2 there is an answer to take back: "4" typed on after question 1's Enter
    is said with "type b to go back", and the keys offer b again."""
    term = Terminal(80, 24, lang, *args, cwd=tmp_path)
    try:
        _at_prompt(term, lang)
        term.send("0\r4")  # no emergency sign, its Enter, and a key typed on
        _at_prompt(term, lang)
        assert _said(term, "typed_ahead_back", lang, "4"), term.text()
        assert KEYS_BACK[lang] in _screen(term), term.text()
    finally:
        term.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_key_typed_before_the_911_check_does_not_offer_going_back(lang: str,
                                                                   tmp_path: Path) -> None:
    """"1" (an emergency sign), Enter and "y" in one go at question 1: the "y" was typed
    before the check "Is that right?" was on the screen, so it is not its answer; what is
    said of it does not tell to type b, which the check does not take."""
    term = Terminal(80, 24, lang, cwd=tmp_path)
    try:
        _at_prompt(term, lang)
        term.send("1\r" + t("yes", lang)[0])
        term.settle(lang)
        assert _said(term, "typed_ahead", lang, t("yes", lang)[0]), term.text()
        assert _unwrapped(BACK_WORDS[lang]) not in _unwrapped(term.seen), term.text()
        label = PACK.text(PACK.dispositions["emergency"]["label"], lang)
        assert label not in term.seen, term.text()  # the check still waits for its answer
    finally:
        term.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_keys_sentence_offers_b_only_with_an_answer_to_go_back_to(lang: str) -> None:
    flow = Flow(PACK, lang)
    first = prompts.question_block(PACK, flow.current, flow.progress,
                                   prompts.Look(lang, back=False))
    assert t("keys_first", lang) in first and KEYS_BACK[lang] not in first
    flow.set_answer(flow.current.id, [])
    second = prompts.question_block(PACK, flow.current, flow.progress, prompts.Look(lang))
    assert t("keys", lang) in _unwrapped(second)


def test_question_1_is_asked_without_b_and_question_2_with_it() -> None:
    """What ask_current shows: the keys' sentence after a key not understood, at question 1
    without b, at question 2 with it."""
    flow = Flow(PACK, "en")
    term = _Recording(["x", "0", "x", "45"])
    for _ in range(2):
        screens.ask_current(flow, term, prompts.Look("en"), lambda: None)
    said = _unwrapped(term.stderr.getvalue())
    first, second = said.split("Question 2")
    assert KEYS_BACK["en"] not in first and t("keys_first", "en") in first, first
    assert second.count(t("keys", "en")) == 2, second  # under the question, after "x"
    assert term.offered == [False, False, True, True]

class _Recording(LineTerminal):
    """Line input from a list, noting at each prompt whether b takes back an answer there."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(io.StringIO("".join(f"{line}\n" for line in lines)), io.StringIO())
        self.offered: list[bool] = []

    def read_line(self, prompt: str) -> str:
        self.offered.append(self.back_offered)
        return super().read_line(prompt)


def test_the_911_check_inside_a_question_does_not_offer_going_back() -> None:
    """Question 1 reopened from the review has b (back to the review), but the check of an
    emergency sign typed there does not take b: keys typed before it are said without it."""
    flow = Flow(PACK, "en")
    flow.set_answer(flow.current.id, [])
    flow.set_answer(flow.current.id, 45)
    flow.reopen(PACK.questions[0].id)
    term = _Recording(["1", "y"])
    assert screens.ask_current(flow, term, prompts.Look("en"), lambda: None) == screens.ANSWERED
    assert term.offered == [True, False]
    assert not term.back_offered  # as before the question
