"""Keys typed fast after the answer key at a question asked by one key (sees-words, c).

A question of up to 9 options, and the check before a 911 stop ("Is that right?"), take one
key, without Enter. The keys typed with it in one go ("2", " 1"; "n 1") were dropped without
a word: the first key alone was the answer ("2" of "2 1"), the rest thrown away with the
read, or at the next prompt. Now no key typed as part of an answer is lost silently: keys
typed together are read as one answer, taken whole when they are one ("yes") and else not
taken at all, which is said, with the keys, and the question waits; keys typed after the
Enter that ended an answer, before the next question was on the screen, are not taken
either (a double press must not answer a question not read), and that is said too. As at a
page break (sees audit 2, item 1): nothing partial is taken, and what was not is said.

pexpect drives the program at 80x24 (pyte keeps the screen), in English and French, with
--plain and --caller.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_narrow_screen import PACK, Terminal, _unwrapped
from triage.cli.terminal import KEYS_TOGETHER_SECONDS
from triage.engine.flow import yes_no_keys
from triage.i18n import t

# every combination the brief names: both languages, --plain, --caller
MODES = [("en", ()), ("fr", ()), ("en", ("--plain",)), ("fr", ("--plain", "--caller")),
         ("en", ("--caller",))]


def _saved(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8"))["answers"])


def _said(term: Terminal, key: str, lang: str, keys: str) -> bool:
    """``key``'s words with ``keys`` are on the screen (wrapped lines joined)."""
    words = _unwrapped(t(key, lang, keys=keys))
    return words in _unwrapped(" ".join(term.lines())) or words in _unwrapped(term.seen)


def _number(qid: str, option: str) -> int:
    return [o.id for o in PACK.question_by_id[qid].options].index(option) + 1


def _at_prompt(term: Terminal, lang: str) -> None:
    """Settled at the question's prompt: its pages turned (question 1 in plain French)."""
    term.settle(lang)
    while term.at_page_break(lang):
        term.send("\r")
        term.settle(lang)


def _to_the_stroke_question(term: Terminal, lang: str) -> None:
    """No emergency sign, 45, a shoulder, nothing today, no health history, no injury:
    question 7, the mini-stroke question, asked by one key (since pack 0.2.23 it comes after
    the questions a 911 flag reads; question 3 until then). Question 8 is the effort one."""
    assert len(PACK.question_by_id["recent_stroke_signs"].options) <= 9
    _at_prompt(term, lang)
    for keys in ("0\r", "45\r", f"{_number('areas', 'shoulder')}\r", "0\r", "0\r",
                 str(_number("injury", "none"))):
        term.send(keys)
        _at_prompt(term, lang)


@pytest.mark.parametrize(("lang", "args", "typing"), [
    *((lang, args, "together") for lang, args in MODES), ("en", (), "close")])
def test_keys_typed_with_a_one_key_answer_are_not_dropped(
        lang: str, args: tuple[str, ...], typing: str, tmp_path: Path) -> None:
    """"2" (yes, in the last 2 days) and " 1" typed in one go: not taken, and said; then "1"
    alone is the answer. Then "1", Enter and "4" in one go: "1" is the answer, and "4",
    typed before the next question was on the screen, is said not taken."""
    yes_2_days, no = (_number("recent_stroke_signs", o) for o in ("within_2_days", "no"))
    term = Terminal(80, 24, lang, "--save", "s.json", *args, cwd=tmp_path)
    try:
        _to_the_stroke_question(term, lang)
        if typing == "together":
            term.send(f"{yes_2_days} {no}")
        else:  # a person typing on: well within a pause between keys typed together
            term.send(str(yes_2_days))
            term.keep_typing(f" {no}", after=KEYS_TOGETHER_SECONDS / 3)
        term.settle(lang)
        assert _said(term, "keys_together_refused", lang, f"{yes_2_days} {no}"), term.text()
        assert "recent_stroke_signs" not in _saved(tmp_path / "s.json")  # nothing taken
        assert "Question 8" not in term.seen, term.text()  # the question waits
        term.send(f"{no}\r4")  # the answer, its Enter, and a key typed on
        term.settle(lang)
        assert _saved(tmp_path / "s.json")["recent_stroke_signs"] == "no"
        assert "Question 8" in term.seen, term.text()
        assert _said(term, "typed_ahead_back", lang, "4"), term.text()
        assert "exertion_pain" not in _saved(tmp_path / "s.json")  # "4" answered nothing
    finally:
        term.close()


@pytest.mark.parametrize(("lang", "args"), [MODES[0], MODES[3], MODES[4]])
def test_keys_typed_with_the_answer_to_the_911_check_are_not_dropped(
        lang: str, args: tuple[str, ...], tmp_path: Path) -> None:
    """The check before a 911 stop ("Is that right?") takes one key: "n 1" typed in one go
    is no answer to it (not "n"): said, and the check waits; "yes" in words is one."""
    term = Terminal(80, 24, lang, "--save", "s.json", *args, cwd=tmp_path)
    yes, no = yes_no_keys(lang)
    try:
        _at_prompt(term, lang)
        term.send("1\r")  # the first emergency sign: the check
        term.settle(lang)
        asked = len(term.seen)
        term.send(f"{no} 1")
        term.settle(lang)
        assert _said(term, "keys_together_refused", lang, f"{no} 1"), term.text()
        # the check waits: the question was not asked again (what "n" alone does)
        confirm_again = "confirm_again_caller" if "--caller" in args else "confirm_again"
        assert _unwrapped(t(confirm_again, lang)) not in _unwrapped(term.seen[asked:])
        term.send(t("yes", lang))  # the word, typed in one go: one answer
        term.settle(lang, done=_unwrapped(PACK.text(
            PACK.dispositions["emergency"]["label"], lang)))
        assert PACK.text(PACK.dispositions["emergency"]["label"], lang)[:12] in term.seen
        del yes
    finally:
        term.close()


@pytest.mark.parametrize("enter", ["\r", "\n", "\r\n"])
def test_an_enter_read_with_keys_after_it_does_not_end_the_questionnaire(
        enter: str, tmp_path: Path) -> None:
    """Enter and a key in one read (typed fast, or read late on a busy machine) at a question
    asked by one key: the Enter alone, and the key said not taken. Cut at the Enter, the
    keys were an empty answer, read as the end of the input: the questionnaire stopped."""
    no = _number("recent_stroke_signs", "no")
    term = Terminal(80, 24, "en", "--save", "s.json", cwd=tmp_path)
    try:
        _to_the_stroke_question(term, "en")
        term.send(f"{enter}{no}")  # (sent late enough not to be an Enter out of habit)
        term.settle("en")
        assert term.child.isalive(), term.text()
        assert "recent_stroke_signs" not in _saved(tmp_path / "s.json")  # nothing taken
        assert "Question 8" not in term.seen, term.text()
        assert _said(term, "typed_ahead_back", "en", str(no)), term.text()
        term.send(str(no))  # now the answer
        term.settle("en")
        assert _saved(tmp_path / "s.json")["recent_stroke_signs"] == "no"
    finally:
        term.close()
