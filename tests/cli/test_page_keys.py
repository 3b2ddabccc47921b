"""Keys typed at a page break (sees audit 2, item 1): a question's options on pages, and a
person who types an answer before the last page.

The old pager turned the page on any key and threw the key away, and what was typed after it
became the whole answer: "1" (Cancer) then " 8" on health_history's first page took "8"
(blood thinners) alone. Now only Enter turns the page (q, b and ? act as on the question);
any other key is not taken and says so, and the rest of what is typed with it is dropped,
so nothing partial ever reaches the answer. pexpect drives the program at 80x24 and 40x24,
keys sent with a pause between them and in one go.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_narrow_screen import PACK, QUIET, Terminal, _unwrapped
from triage.cli import screens
from triage.cli.terminal import TYPING_GAP_SECONDS, LineTerminal
from triage.engine.flow import Flow
from triage.engine.sessions import IN_PROGRESS, Session
from triage.i18n import t
from triage.render import prompts

# a woman of 62 with knee pain: health_history comes next (20 options, two pages at 80x24)
BEFORE_HISTORY = {"emergency_signs": frozenset(), "age": 62, "recent_stroke_signs": "no",
                  "areas": frozenset({"knee"}), "today_signs": frozenset()}


def _saved_before(qid: str, answers: dict[str, Any], path: Path, *, caller: bool = False
                  ) -> None:
    """A saved session whose next question is ``qid``."""
    flow = Flow(PACK, "en")
    while flow.current is not None and flow.current.id != qid:
        flow.set_answer(flow.current.id, answers[flow.current.id])
    assert flow.current is not None and flow.current.id == qid
    session = Session.for_pack(PACK, "en", caller)
    session.answers = list(flow.answers.items())
    session.status = IN_PROGRESS
    session.save(path)


def _saved_answer(path: Path, qid: str) -> Any:
    return dict(json.loads(path.read_text(encoding="utf-8"))["answers"]).get(qid)


def _number(qid: str, option: str) -> int:
    return [o.id for o in PACK.question_by_id[qid].options].index(option) + 1


def _refused_seen(term: Terminal) -> bool:
    return _unwrapped(t("page_refused_options", "en")) in _unwrapped(term.seen)


def _type(term: Terminal, first: str, rest: str, typing: str) -> None:
    """``first`` then ``rest`` and Enter: in one go, half a second apart (a person reading
    on), or with a longer pause than keys typed together have (looking for the next
    option) before the rest."""
    if typing == "together":
        term.send(f"{first}{rest}\r")
        return
    term.send(first)
    term.keep_typing(rest, after=0.5 if typing == "apart" else TYPING_GAP_SECONDS + 0.5)
    term.keep_typing("\r", after=0.6)  # not an Enter out of habit (those are dropped anyway)


TYPING = ["apart", "together", "slow"]


@pytest.mark.parametrize(("typing", "args"), [
    *((typing, ()) for typing in TYPING), ("apart", ("--plain",)),
    ("together", ("--caller",))])
def test_a_digit_on_the_first_page_of_health_history_is_not_taken(
        typing: str, args: tuple[str, ...], tmp_path: Path) -> None:
    """80x24: "1" (Cancer), a pause, " 8" and Enter (or "1 8" and Enter in one go) on the
    first page: nothing is taken, the page says so and stays; Enter then shows options 10
    to 17 and "1 8" typed there is the answer, cancer included."""
    cancer, thinners = (_number("health_history", o) for o in ("cancer", "blood_thinners"))
    assert cancer < 10 and thinners < 10  # both on the first page
    path = tmp_path / "s.json"
    _saved_before("health_history", BEFORE_HISTORY, path, caller="--caller" in args)
    term = Terminal(80, 24, "en", "--resume", "s.json", *args, cwd=tmp_path)
    try:
        term.settle("en")
        assert term.at_page_break("en"), term.text()  # options 1 to 9
        _type(term, str(cancer), f" {thinners}", typing)
        term.settle("en")
        assert _refused_seen(term), term.text()
        assert term.at_page_break("en"), term.text()  # still the first page
        assert _saved_answer(path, "health_history") is None  # nothing was taken
        assert "Question 7" not in term.seen
        term.send("\r")  # options 10 to 17, and the prompt
        term.settle("en")
        assert not term.at_page_break("en"), term.text()
        term.send(f"{cancer} {thinners}\r")
        term.settle("en")
        assert set(_saved_answer(path, "health_history")) == {"cancer", "blood_thinners"}
    finally:
        term.close()


@pytest.mark.long(11)
@pytest.mark.parametrize("typing", TYPING)
def test_at_40x24_a_digit_on_any_page_of_question_1_is_not_taken(typing: str,
                                                                  tmp_path: Path) -> None:
    """Question 1 comes on 3 pages at 40 columns: "5", a pause, " 6" and Enter on its first
    page is not taken (it was dropped with "Enter alone is not an answer"); nor is it on the
    second."""
    term = Terminal(40, 24, "en", "--save", "s.json", cwd=tmp_path)
    try:
        for page in (1, 2):
            term.settle("en")
            assert term.at_page_break("en"), term.text()
            shown = term.seen
            _type(term, "5", " 6", typing)
            term.settle("en")
            assert _refused_seen(term) and term.at_page_break("en"), term.text()
            assert t("empty_answer", "en") not in term.seen
            assert "Question 2" not in term.seen
            # the same page waits: nothing of it was written again
            assert PACK.text(PACK.questions[0].text, "en")[:20] not in term.seen[len(shown):]
            term.send("\r")  # (once the keys typed with "5" are no longer dropped)
            del page
        term.settle("en")
        assert term.cursor_line() == ">", term.text()  # the last page, the prompt
        term.send("0\r")
        term.settle("en")
        assert _saved_answer(tmp_path / "s.json", "emergency_signs") == []
    finally:
        term.close()


def test_q_b_and_help_still_act_at_a_page_and_enter_turns_it(tmp_path: Path) -> None:
    """? at a page explains the question and the page waits on; b at question 1 says there is
    nothing before it and waits on; q stops."""
    term = Terminal(40, 24, "en", cwd=tmp_path)
    try:
        term.settle("en")
        term.send("?")
        term.settle("en")
        assert t("why_we_ask", "en") in term.seen and term.at_page_break("en"), term.text()
        term.send("b")
        term.settle("en")
        assert _unwrapped(t("at_start", "en")) in _unwrapped(term.seen)
        assert term.at_page_break("en") and not _refused_seen(term), term.text()
        term.send("q")
        term.child.expect(t("stopped", "en")[:20])
    finally:
        term.close()


class _Recorder(LineTerminal):
    dropped = 0

    def drop_typing(self) -> None:
        self.dropped += 1


@pytest.mark.parametrize(("typed", "returned", "refusals"), [
    ("\n", "", 0), ("  \n", "", 0), ("q\n", "q", 0), ("1 8\n\n", "", 1),
    ("1\n 8\nb\n", "b", 2), ("?\n\n", "", 1)])
def test_page_break_takes_enter_and_its_keys_and_refuses_the_rest(
        typed: str, returned: str, refusals: int) -> None:
    """Line input (TERM=dumb): a line at a page break that is not Enter or one of the keys
    that act there is not taken (it used to turn the page, unsaid)."""
    out = io.StringIO()
    term = _Recorder(io.StringIO(typed), out)
    assert screens.page_break(term, "more ", "REFUSED\n", acts=("q", "b")) == returned
    assert out.getvalue().count("REFUSED") == refusals == term.dropped


@pytest.mark.long(9)
def test_keys_at_pages_of_the_review_and_the_result_are_not_taken(tmp_path: Path) -> None:
    """40x24, the longest "both" result: a number typed at a page of the review (it turned
    the page, and the Enter after it showed the result) and `d` at a page of the result
    (it turned the page unsaid) are not taken; Enter goes on."""
    from tests.cli.test_narrow_screen import _longest_case, _nearly_complete

    case = _longest_case("both", "en")
    typed = _nearly_complete(case, "en", tmp_path / "s.json")
    term = Terminal(40, 24, "en", "--resume", "s.json", cwd=tmp_path)
    try:
        term.settle("en")
        while term.at_page_break("en"):  # the last question's pages
            term.send("\r")
            term.settle("en")
        for key in typed:
            term.send(key)
        term.settle("en")
        assert term.at_page_break("en"), term.text()  # the review's first page
        term.send("1\r")
        term.settle("en")
        assert _unwrapped(t("page_refused_answers", "en")) in _unwrapped(term.seen)
        assert term.at_page_break("en") and t("result", "en") + ":" not in term.seen
        while term.at_page_break("en"):
            term.send("\r")
            term.settle("en")
        term.send("\r")  # the review's prompt: the result
        term.settle("en")
        assert term.at_page_break("en"), term.text()  # the result's first page
        term.send("d")
        term.settle("en")
        assert _unwrapped(t("page_refused_result", "en")) in _unwrapped(term.seen)
        assert term.at_page_break("en"), term.text()
        assert t("why", "en") + ":" not in term.seen  # no details were shown
    finally:
        term.close()


def test_in_french_too(tmp_path: Path) -> None:
    term = Terminal(40, 24, "fr", cwd=tmp_path)
    try:
        term.settle("fr")
        term.send("5")
        term.settle("fr")
        assert _unwrapped(t("page_refused_options", "fr")) in _unwrapped(term.seen), \
            term.text()
        assert term.at_page_break("fr")
    finally:
        term.close()


@pytest.mark.parametrize("above", [0, 18])
def test_a_question_with_no_room_under_what_is_above_waits_for_enter_first(above: int) -> None:
    """What was written since the last key (the introduction, a resumed file, the sign its
    answers already show: 18 rows at 40x24 in French) can leave a question's first page no
    room: a page always shows an option, so the top of what was above scrolled away unread.
    The question then waits for Enter first, and starts a screen of its own; with room, it
    follows at once as before."""
    flow = Flow(PACK, "fr")
    while flow.current is not None and flow.current.id != "health_history":
        flow.set_answer(flow.current.id, BEFORE_HISTORY[flow.current.id])
    look = prompts.Look(lang="fr", width=40, wrap=True, rows=24)
    out = io.StringIO()
    term = _Recorder(io.StringIO("\n" * 6 + "0\n"), out)
    term.since_key = "ligne\n" * above
    assert screens.ask_current(flow, term, look, lambda: None) == screens.ANSWERED
    said = " ".join(out.getvalue().split())  # wrapped at 40 columns
    wait = t("more_question", "fr")
    question = PACK.text(PACK.question_by_id["health_history"].text, "fr")[:30]
    if above:
        assert said.index(wait) < said.index(question), said
    else:
        assert wait not in said


def test_a_page_drawn_late_is_waited_for(tmp_path: Path) -> None:
    """The helper's own check (the flake of the [apart] case above under load): a program
    slow to answer Enter left the page it was typed at on the screen, which looks waiting,
    for longer than the helper's quiet time; `settle` returned on it, and the next page,
    drawn after, read as question 1's page "drawn again". The program stopped while Enter
    is typed, and let go well after the quiet time: `settle` waits for its answer."""
    question = PACK.questions[0]
    term = Terminal(40, 24, "en", cwd=tmp_path)
    try:
        term.settle("en")
        assert term.at_page_break("en"), term.text()
        turned_to = re.search(r"Press Enter for options (\d+) to", _unwrapped(
            " ".join(term.lines())))
        assert turned_to, term.text()
        option = question.options[int(turned_to.group(1)) - 1]
        shown = f"{turned_to.group(1)} {_unwrapped(PACK.text(option.text, 'en'))}"
        assert shown not in _unwrapped(" ".join(term.lines()))
        os.kill(term.child.pid, signal.SIGSTOP)
        let_go = threading.Timer(QUIET * 5, os.kill, (term.child.pid, signal.SIGCONT))
        let_go.start()
        try:
            term.send("\r")
            term.settle("en")
        finally:
            let_go.join()
        assert shown in _unwrapped(" ".join(term.lines())), term.text()  # the next page
    finally:
        term.close()
