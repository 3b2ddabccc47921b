"""The questionnaire and its result on a small screen (sees audit, item 6): 40x24, a phone's
SSH app or a magnifier at 400%, and 80x24. pexpect drives the program in a real
pseudo-terminal of that size and pyte keeps the screen as the terminal shows it.

Whenever the program waits for a key, everything it wrote since the last key is still on the
screen: nothing scrolls away unread. A question's text stays above its prompt; a result's
last screen holds what to do, how soon and the outcome line (the result's title).
"""

from __future__ import annotations

import functools
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pyte
import pytest

from tests.cli.test_terminal import _as_in_a_shell
from triage.cli.terminal import (
    HABITUAL_ENTER_SECONDS,
    KEYS_TOGETHER_SECONDS,
    TYPING_GAP_SECONDS,
)
from triage.engine.flow import Flow
from triage.engine.policy import THERAPY
from triage.engine.refusal import screen_answers
from triage.engine.sessions import IN_PROGRESS, Session
from triage.i18n import t
from triage.i18n_screen import SCREEN
from triage.pack.bundled import default_pack_dir
from triage.pack.load import load_pack
from triage.render import prompts
from triage.render.caller import ListsAt, booking_summary, caller_result_keys, summary_title
from triage.render.pages import result_pages, rows_of
from triage.render.result import outcome_line, result_keys

PACK = load_pack(default_pack_dir())
TIMEOUT = 60
# The program waits for a key once it is at a prompt (or a page break, or a result) and has
# written nothing for this long after answering the last key. Its writes of one screen come
# microseconds apart: this only has to outlast a busy machine's pause between two of them.
QUIET = 0.3
# Keys sent apart come at least this long after one another: never read as keys typed
# together (KEYS_TOGETHER_SECONDS), even when the program has not answered the first yet.
KEYS_APART = KEYS_TOGETHER_SECONDS + 0.3
# How much later than the last key typed the program may read it on a busy machine (2 cores,
# other test workers): after a key not taken at a page break, send waits it on top of
# TYPING_GAP_SECONDS.
TYPING_MARGIN = 1.2
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROMPTS = (">", "Answer:", "Réponse :")
PROGRESS = re.compile(r"Question \d+ ")  # a question's first line, in both languages
# what every page break starts with ("Press Enter for options ", ...)
MORE = {lang: tuple(text.split("{")[0] for text in SCREEN[lang].values()) for lang in SCREEN}
# what a key not taken at a page break is told (its first words, in either language)
PAGE_REFUSED = {" ".join(text.split()[:4]) for texts in SCREEN.values()
                for key, text in texts.items() if key.startswith("page_refused")}


class Terminal:
    """triage in a pseudo-terminal of ``columns`` x ``rows``, and its screen."""

    def __init__(self, columns: int, rows: int, lang: str, *args: str, cwd: Path,
                 command: list[str] | None = None) -> None:
        env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", TRIAGE_LANG=lang)
        for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "COLUMNS", "LINES"):
            env.pop(var, None)
        self.rows = rows
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.Stream(self.screen)
        self.seen = ""
        self.mark = 0  # where what was written after the last key press starts
        self.key_at = 0.0  # when the last key was sent (monotonic seconds)
        self.answered_at = 0.0  # when the program's first output after it was read
        self.keys = ""  # the last keys sent
        program, words = (command[0], command[1:]) if command else (
            sys.executable, ["-m", "triage", *args])
        self.child = pexpect.spawn(program, words, env=env, encoding="utf-8",
                                   timeout=TIMEOUT, dimensions=(rows, columns), cwd=str(cwd),
                                   preexec_fn=_as_in_a_shell)

    def settle(self, lang: str, done: str = "") -> None:
        """Read until the program waits for a key: it has written something since the last
        key, it is at a page break, at a prompt, or (a result) ``done`` is on the screen, and
        it then writes nothing for :data:`QUIET` seconds. Before it answers the key, the
        screen is the one the key was typed at, which looks just as waiting: on a busy
        machine the answer can come later than any quiet time (a page turned then drew the
        page after ``settle`` had returned, read as "the page was drawn again")."""
        deadline = time.monotonic() + TIMEOUT
        last_output = time.monotonic()
        while not (len(self.seen) > self.mark and time.monotonic() - last_output >= QUIET
                   and (self.at_page_break(lang) or self.cursor_line() in PROMPTS
                        or (done and done in _unwrapped(" ".join(self.lines()))))):
            assert time.monotonic() < deadline, f"still waiting:\n{self.text()}"
            try:
                data = self.child.read_nonblocking(65536, timeout=QUIET / 3)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                return
            last_output = time.monotonic()
            if len(self.seen) == self.mark:
                self.answered_at = last_output
            self.seen += data
            self.stream.feed(data)

    def send(self, keys: str) -> None:
        """Type ``keys`` as a person does. Keys the program has answered (it wrote something
        since) were read whole: the next can follow at once, but an Enter comes at least
        :data:`HABITUAL_ENTER_SECONDS` after that answer (an Enter sooner after a one-key
        answer is dropped as a habit), unless they were an Enter too. Keys not answered yet
        are followed :data:`KEYS_APART` later (never read together with them). Only what is
        left of each wait is slept: :meth:`settle` has usually waited it already."""
        answered = self.answered_at >= self.key_at
        wait_until = 0.0 if answered else self.key_at + KEYS_APART
        if any(refused in _unwrapped(_ANSI.sub("", self.seen[self.mark:]))
               for refused in PAGE_REFUSED):
            # a key not taken at a page break: the program drops the keys that follow until
            # none comes for TYPING_GAP_SECONDS, counted from when it read the last, which
            # can be late on a busy machine
            wait_until = max(wait_until, self.key_at + TYPING_GAP_SECONDS + TYPING_MARGIN)
        if keys[:1] in ("\r", "\n") and not (answered and self.keys in ("\r", "\n")):
            # the program takes the time of a one-key answer once it has read it whole (up to
            # KEYS_TOGETHER_SECONDS after it came), before it writes its answer to it:
            # counted from that answer, no load can make the Enter come too soon
            since = self.answered_at if answered else self.key_at + KEYS_TOGETHER_SECONDS
            wait_until = max(wait_until, since + HABITUAL_ENTER_SECONDS + 0.1)
        self.mark = len(self.seen)
        self._type(keys, wait_until)

    def keep_typing(self, keys: str, after: float) -> None:
        """Type ``keys`` ``after`` seconds after the last key, not waiting for the program:
        part of what :meth:`send` began (what it writes since is still its answer)."""
        self._type(keys, self.key_at + after)

    def _type(self, keys: str, wait_until: float) -> None:
        time.sleep(max(0.0, wait_until - time.monotonic()))
        self.child.send(keys)
        self.key_at = time.monotonic()
        self.keys = keys

    def answer(self, typed: list[str]) -> None:
        """Type an answer's keys, each :data:`KEYS_APART` after the one before, as a person
        does (keys typed together at a one-key question are read as one answer)."""
        for key in typed:
            self.send(key)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())

    def cursor_line(self) -> str:
        return self.screen.display[self.screen.cursor.y].rstrip()

    def written(self) -> list[str]:
        """The lines written since the last key press, as the screen shows them."""
        text = _ANSI.sub("", self.seen[self.mark:]).replace("\r", "")
        return [line.rstrip() for line in text.split("\n") if line.strip()]

    def assert_nothing_scrolled_away(self, from_question: bool = False) -> None:
        """``from_question``: at a question's prompt, what came before the question (the
        introduction, the last answer in words) may have made room for it."""
        shown = self.lines()
        written = self.written()
        starts = [i for i, line in enumerate(written) if PROGRESS.match(line)]
        if from_question and starts:
            written = written[starts[-1]:]
        for i, line in enumerate(written):
            # the first may end a line begun before the key (the typed answer after "> ")
            assert line in shown or (i == 0 and any(s.endswith(line) for s in shown)), \
                f"{line!r} scrolled away unread:\n{self.text()}"

    def at_page_break(self, lang: str) -> bool:
        """The cursor waits after "Press Enter for ..." (which may take two rows)."""
        y = self.screen.cursor.y
        around = " ".join(self.lines()[max(y - 1, 0):y + 1])
        return any(more in around for more in MORE[lang])

    def resize(self, rows: int, columns: int) -> None:
        """The terminal made another size (SIGWINCH), as a window or a phone turned is."""
        self.child.setwinsize(rows, columns)
        self.screen.resize(rows, columns)
        self.rows = rows

    def close(self) -> None:
        self.child.close(force=True)


def _unwrapped(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("lang", "result_to"), [("en", ""), ("fr", ""), ("en", "file")])
def test_question_1_at_40x24_its_text_stays_above_every_page(lang: str, result_to: str,
                                                             tmp_path: Path) -> None:
    """Question 1 has 12 options, 35 rows at 40 columns: they come on pages, each with the
    question above, the last with what to type and the prompt; every option is seen whole.
    The same with the result going to a file: the questions' terminal gives the size."""
    question = PACK.questions[0]
    asked = _unwrapped(PACK.text(question.text, lang))
    term = Terminal(40, 24, lang, cwd=tmp_path, command=[
        "/bin/sh", "-c", f"{sys.executable} -m triage > result.txt"] if result_to else None)
    seen_options: set[int] = set()
    try:
        for _page in range(5):
            term.settle(lang)
            term.assert_nothing_scrolled_away()
            screen = _unwrapped(" ".join(term.lines()))
            assert asked in screen, term.text()
            seen_options |= {i for i, option in enumerate(question.options, 1)
                             if f"{i} {_unwrapped(PACK.text(option.text, lang))}" in screen}
            if not term.at_page_break(lang):
                break
            term.send("\r")
        assert term.cursor_line() == ">", term.text()  # the prompt, on the last row
        assert _unwrapped(t("hint_multi", lang)) in _unwrapped(" ".join(term.lines()))
        assert seen_options == set(range(1, len(question.options) + 1))
    finally:
        term.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_question_1_at_80x24_is_one_screen(lang: str, tmp_path: Path) -> None:
    question = PACK.questions[0]
    term = Terminal(80, 24, lang, cwd=tmp_path)
    try:
        term.settle(lang)
        screen = _unwrapped(" ".join(term.lines()))
        assert not term.at_page_break(lang)
        assert _unwrapped(PACK.text(question.text, lang)) in screen
        for i, option in enumerate(question.options, 1):
            assert f"{i} {_unwrapped(PACK.text(option.text, lang))}" in screen
        assert term.cursor_line() == ">"
    finally:
        term.close()


@functools.cache  # the same for every test that asks (screening every case takes seconds)
def _longest_case(disposition: str, lang: str) -> Any:
    """The pack's case of ``disposition`` with the longest result at 40 columns."""
    def rows(case: Any) -> int:
        outcome = screen_answers(PACK, case.answers).outcome
        assert outcome is not None
        return len("".join(result_pages(outcome, PACK, lang, plain=False, width=40, rows=0,
                                        part="summary", footer=result_keys(
                                            outcome, PACK, lang), wrap=True)).splitlines())
    cases = [c for c in PACK.cases if (o := screen_answers(PACK, c.answers).outcome)
             is not None and o.disposition == disposition]
    return max(cases, key=rows)


def _nearly_complete(case: Any, lang: str, path: Path, caller: bool = False) -> list[str]:
    """A saved session of ``case`` without its last answer; the keys that give that answer.
    ``caller``: a reception session (``--caller``)."""
    flow = Flow(PACK, lang)
    typed: list[str] = []
    while not flow.finished:
        question = flow.current
        assert question is not None
        value = case.answers[question.id]
        typed = _keys(question, value, lang)
        flow.set_answer(question.id, value)
    session = Session.for_pack(PACK, lang, caller)
    session.answers = list(flow.answers.items())[:-1]
    session.status = IN_PROGRESS
    session.save(path)
    return typed


def _keys(question: Any, value: Any, lang: str) -> list[str]:
    ids = [o.id for o in question.options]
    if question.type == "multi":
        return [" ".join(str(ids.index(v) + 1) for v in sorted(value, key=ids.index)) or "0",
                "\r"]
    if question.type == "single":
        return [str(ids.index(value) + 1)] + ([] if len(ids) <= 9 else ["\r"])
    if question.type == "yes_no":
        return [{"yes": "o" if lang == "fr" else "y", "no": "n"}[value]]
    return [str(value), "\r"]


def _through_pages(term: Terminal, lang: str, done: str) -> Iterator[None]:
    """Each wait of the program, with nothing scrolled away; page breaks are turned with
    Enter here, every other wait is yielded to the caller (who sends a key). ``done``: the
    result's outcome line (its screen has no prompt)."""
    while True:
        term.settle(lang, done)
        term.assert_nothing_scrolled_away(from_question=not term.at_page_break(lang))
        if term.at_page_break(lang):
            term.send("\r")
            continue
        yield


@pytest.mark.long(8)
@pytest.mark.parametrize(("disposition", "lang"), [
    ("both", "en"), ("both", "fr"), ("emergency_department", "en"),
    ("emergency_department", "fr")])
def test_a_result_at_40x24_ends_with_what_to_do(disposition: str, lang: str,
                                                tmp_path: Path) -> None:
    """--resume of a nearly complete session, its last answer, the review, the result: at
    every wait everything since the last key is on the screen, and the screen left with the
    result holds what to do, how soon and the outcome line."""
    case = _longest_case(disposition, lang)
    typed = _nearly_complete(case, lang, tmp_path / "s.json")
    outcome = screen_answers(PACK, case.answers).outcome
    assert outcome is not None
    advice = {k: _unwrapped(PACK.text(v, lang)) for k, v in outcome.advice.items()}
    term = Terminal(40, 24, lang, "--resume", "s.json", cwd=tmp_path)
    waits = _through_pages(term, lang, _unwrapped(outcome_line(outcome, PACK, lang)))
    try:
        next(waits)  # the last question
        term.answer(typed)
        next(waits)  # the review
        term.send("\r")
        next(waits)  # the result, its last page
        screen = _unwrapped(" ".join(term.lines()))
        colon = t("colon", lang)
        assert f"{t('what_to_do', lang)}{colon}{advice['action']}" in screen, term.text()
        assert f"{t('how_soon', lang)}{colon}{advice['timeframe']}" in screen
        assert _unwrapped(outcome_line(outcome, PACK, lang)) in screen
        assert _unwrapped(result_keys(outcome, PACK, lang)) in screen
        if disposition == "both":  # d: the details on pages; q skips to their last
            term.send("d")
            term.settle(lang, "")
            assert term.at_page_break(lang), term.text()
            term.send("q")
            term.settle(lang, _unwrapped(outcome_line(outcome, PACK, lang)))
            term.assert_nothing_scrolled_away()
            screen = _unwrapped(" ".join(term.lines()))
            assert f"{t('what_to_do', lang)}{colon}{advice['action']}" in screen, term.text()
            assert _unwrapped(outcome_line(outcome, PACK, lang)) in screen
        term.send("\r")
        term.child.expect(pexpect.EOF)
    finally:
        term.close()


@functools.cache
def _longest_summary(lang: str) -> Any:
    """The pack's case with the longest booking summary (a therapy to book) at 40 columns
    (a resumed urgent one says its level before the next question, at the top)."""
    def rows(case: Any) -> int:
        outcome = screen_answers(PACK, case.answers).outcome
        assert outcome is not None
        return rows_of(booking_summary(outcome, PACK, lang, ListsAt(details_key=True)), 40)
    return max((c for c in PACK.cases if (o := screen_answers(PACK, c.answers).outcome)
                is not None and o.disposition in THERAPY), key=rows)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_caller_summary_at_40x24_comes_in_pages_with_the_keys_on_the_last(
        lang: str, tmp_path: Path) -> None:
    """The reception summary printed the keys above itself, whole: at 40 columns a summary
    taller than the screen scrolled them away. It comes in pages as the result does: every
    page seen whole, the last one left with the keys and what to book; `d` too (q skips to
    the end)."""
    case = _longest_summary(lang)
    typed = _nearly_complete(case, lang, tmp_path / "s.json", caller=True)
    outcome = screen_answers(PACK, case.answers).outcome
    assert outcome is not None
    summary = booking_summary(outcome, PACK, lang, ListsAt(details_key=True))
    assert rows_of(summary, 40) > 24  # a summary taller than the screen
    book = _unwrapped(summary.splitlines()[-1])
    keys = _unwrapped(caller_result_keys(outcome, PACK, lang))
    term = Terminal(40, 24, lang, "--resume", "s.json", cwd=tmp_path)
    pages = 0
    try:
        waits = _through_pages(term, lang, book)
        next(waits)  # the last question
        term.answer(typed)
        next(waits)  # the review
        term.send("\r")
        term.settle(lang)
        while term.at_page_break(lang):  # each page of the summary, seen whole
            term.assert_nothing_scrolled_away()
            pages += 1
            term.send("\r")
            term.settle(lang, book)
        term.assert_nothing_scrolled_away()
        screen = _unwrapped(" ".join(term.lines()))
        assert pages >= 1 and keys in screen and book in screen, term.text()
        assert screen.index(keys) < screen.index(book)  # what to book, last
        term.send("d")  # the details and the summary again, on pages; q skips to the end
        term.settle(lang)
        assert term.at_page_break(lang), term.text()
        term.send("q")
        term.settle(lang, book)
        term.assert_nothing_scrolled_away()
        screen = _unwrapped(" ".join(term.lines()))
        shown_keys = _unwrapped(t("result_keys_shown", lang))  # the details are above
        assert shown_keys in screen and book in screen, term.text()
        assert screen.index(shown_keys) < screen.index(book)
        term.send("\r")
        term.child.expect(pexpect.EOF)
    finally:
        term.close()


def test_a_caller_summary_to_a_file_is_one_block(tmp_path: Path) -> None:
    """Piped (or to a file), the summary is what is pasted into a booking system: no page
    breaks and no keys in it, whatever the terminal's height."""
    case = _longest_summary("en")
    typed = _nearly_complete(case, "en", tmp_path / "s.json", caller=True)
    outcome = screen_answers(PACK, case.answers).outcome
    assert outcome is not None
    term = Terminal(40, 24, "en", cwd=tmp_path, command=[
        "/bin/sh", "-c", f"{sys.executable} -m triage --resume s.json > summary.txt"])
    keys = _unwrapped(caller_result_keys(outcome, PACK, "en"))
    try:
        waits = _through_pages(term, "en", keys)
        next(waits)  # the last question
        term.answer(typed)
        next(waits)  # the review
        term.send("\r")
        next(waits)  # the keys, the summary gone to the file
        assert keys in _unwrapped(" ".join(term.lines()))
        term.send("\r")
        term.child.expect(pexpect.EOF)
    finally:
        term.close()
    written = (tmp_path / "summary.txt").read_text()
    lines = written.splitlines()
    assert lines[0] == summary_title(outcome.disposition, "en")
    assert lines[-1].startswith("Book: ")
    assert "Press Enter" not in written and keys not in _unwrapped(written)
    assert max(len(line) for line in lines) > 40  # not broken at the terminal's width


def test_ctrl_c_at_a_page_of_the_result_keeps_it(tmp_path: Path) -> None:
    """The result is shown from its first page: Ctrl-C there finishes as after the result
    (exit 0, the report written), never "Screening stopped - no recommendation made"."""
    case = _longest_case("both", "en")
    typed = _nearly_complete(case, "en", tmp_path / "s.json")
    outcome = screen_answers(PACK, case.answers).outcome
    assert outcome is not None
    term = Terminal(40, 24, "en", "--resume", "s.json", "--report", "r.md", cwd=tmp_path)
    waits = _through_pages(term, "en", _unwrapped(outcome_line(outcome, PACK, "en")))
    try:
        next(waits)
        for key in typed:
            term.send(key)
        next(waits)  # the review
        term.send("\r")
        term.settle("en")
        assert term.at_page_break("en"), term.text()  # the result's first page
        term.send("\x03")
        term.child.expect(pexpect.EOF)
        term.child.close()
        assert term.child.exitstatus == 0
        assert (tmp_path / "r.md").exists()
        assert t("stopped", "en") not in term.seen + (term.child.before or "")
    finally:
        term.close()


def _ends_on_a_paged_question(case: Any) -> bool:
    """Whether the last question ``case`` is asked takes more than one page at 40x24."""
    flow = Flow(PACK, "en")
    last = None
    while not flow.finished:
        last = flow.current
        assert last is not None
        flow.set_answer(last.id, case.answers[last.id])
    look = prompts.Look("en", styled=True, width=40, wrap=True, rows=24)
    return last is not None and len(prompts.question_pages(
        PACK, last, Flow(PACK).progress, look)) > 1


def test_b_at_a_page_of_a_question_goes_back(tmp_path: Path) -> None:
    # the longest therapy case that ends on a question on pages (pack 0.2.19: the longest
    # now ends on the effort question asked again after a heart problem, one page)
    def both(c: Any) -> bool:
        outcome = screen_answers(PACK, c.answers).outcome
        return outcome is not None and outcome.disposition == "both"
    longest_first = sorted(filter(both, PACK.cases), key=lambda c: -len(c.answers))
    case = next(c for c in longest_first if _ends_on_a_paged_question(c))
    _nearly_complete(case, "en", tmp_path / "s.json")
    flow = Flow(PACK, "en")
    asked = []
    while not flow.finished:
        question = flow.current
        assert question is not None
        asked.append(question)
        flow.set_answer(question.id, case.answers[question.id])
    term = Terminal(40, 24, "en", "--resume", "s.json", cwd=tmp_path)
    try:
        term.settle("en")
        assert term.at_page_break("en"), term.text()  # the last question, on pages
        term.send("b")
        term.settle("en")
        screen = _unwrapped(" ".join(term.lines()))
        assert t("going_back", "en") in screen, term.text()
        assert _unwrapped(PACK.text(asked[-2].text, "en")) in screen
    finally:
        term.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_911_result_at_40x24_is_one_screen(lang: str, tmp_path: Path) -> None:
    """Chest pain at question 1, confirmed: the result says call 911, what to do, how soon
    and that it is not a diagnosis on the one screen it waits on."""
    question = PACK.questions[0]
    chest = next(i for i, o in enumerate(question.options, 1) if o.id == "chest_pain")
    flow = Flow(PACK, lang)
    flow.set_answer(question.id, frozenset({"chest_pain"}))
    outcome = flow.outcome()
    term = Terminal(40, 24, lang, cwd=tmp_path)
    waits = _through_pages(term, lang, _unwrapped(outcome_line(outcome, PACK, lang)))
    try:
        next(waits)
        term.send(f"{chest}\r")
        next(waits)  # is that right?
        term.send("o" if lang == "fr" else "y")
        next(waits)
        screen = _unwrapped(" ".join(term.lines()))
        for key in ("label", "action", "timeframe"):
            assert _unwrapped(PACK.text(outcome.advice[key], lang)) in screen, term.text()
        assert _unwrapped(t("not_diagnosis", lang)) in screen
    finally:
        term.close()


def test_answers_piped_in_are_answers_not_page_turns(tmp_path: Path) -> None:
    """TRIAGE_INTERACTIVE=1 with the answers piped in, on a 40x24 terminal: no page waits
    for a key (a line would turn a page and every later answer would land on the wrong
    question)."""
    case = _longest_case("both", "en")
    flow = Flow(PACK, "en")
    lines: list[str] = []
    while not flow.finished:
        question = flow.current
        assert question is not None
        value = case.answers[question.id]
        keys = _keys(question, value, "en")
        lines.append("".join(k for k in keys if k != "\r"))
        flow.set_answer(question.id, value)
    (tmp_path / "answers.txt").write_text("\n".join(lines) + "\n\n\n", encoding="utf-8")
    term = Terminal(40, 24, "en", cwd=tmp_path, command=[
        "/bin/sh", "-c", f"TRIAGE_INTERACTIVE=1 {sys.executable} -m triage < answers.txt"])
    try:
        term.child.expect(pexpect.EOF)
        term.seen += term.child.before or ""
        assert not any(more in term.seen for more in MORE["en"])
        label = PACK.text(PACK.dispositions["both"]["label"], "en")
        assert _unwrapped(label) in _unwrapped(_ANSI.sub("", term.seen))
    finally:
        term.close()


def _to_the_places(term: Terminal, lang: str) -> Iterator[None]:
    """Question 1 answered none, the age 40: at the places question (asked right after the
    age since pack 0.2.23, before the stroke signs that went away), which fills a 40x24
    screen (``_through_pages`` turning the pages on the way)."""
    waits = _through_pages(term, lang, "")
    next(waits)
    for keys in ("0\r", "40\r"):
        term.send(keys)
        next(waits)
    return waits


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_refused_answer_keeps_the_question_and_the_prompt_in_sight(
        lang: str, tmp_path: Path) -> None:
    """At 40x24 the places question fills the screen to its prompt: "'x' is not one of the
    choices..." pushed the question's first lines off the top, and every further key not
    taken pushed more. Each refusal leaves the question, what was wrong (what to type) and
    the prompt on the screen."""
    question = PACK.question_by_id["areas"]
    asked = _unwrapped(PACK.text(question.text, lang))
    term = Terminal(40, 24, lang, cwd=tmp_path)
    try:
        _to_the_places(term, lang)
        assert asked in _unwrapped(" ".join(term.lines())), term.text()
        for typed in ("x", "99", "1 zz"):
            term.send(typed + "\r")
            term.settle(lang)
            screen = _unwrapped(" ".join(term.lines()))
            token = typed.split()[-1]
            assert asked in screen, term.text()  # the question, whole
            assert t("choices_expected", lang, token=token, last=len(question.options)).split(
                ".")[0] in screen, term.text()  # what was wrong
            assert term.cursor_line() in PROMPTS, term.text()  # and the prompt, last
    finally:
        term.close()


@pytest.mark.long(9)
def test_a_refused_key_at_a_one_key_question_keeps_it_in_sight(tmp_path: Path) -> None:
    """A single choice answered by one key: keys not taken, one after another, said each
    time what to type and pushed the question away; it stays, with the prompt."""
    question = PACK.question_by_id["recent_stroke_signs"]
    asked = _unwrapped(PACK.text(question.text, "en"))
    term = Terminal(40, 24, "en", cwd=tmp_path)
    try:
        waits = _through_pages(term, "en", "")
        next(waits)
        # none, 40, a shoulder, none today, no health history, no injury: the stroke signs
        # that went away (asked after the questions a 911 flag reads since pack 0.2.23)
        for keys in ("0\r", "40\r", "3\r", "0\r", "0\r", "1"):
            term.send(keys)
            next(waits)
        for _ in range(4):
            term.send("x")
            term.settle("en")
            screen = _unwrapped(" ".join(term.lines()))
            assert asked in screen and "type a number from 1 to" in screen, term.text()
            assert term.cursor_line() in PROMPTS, term.text()
    finally:
        term.close()


def test_the_size_is_read_for_every_screen(tmp_path: Path) -> None:
    """The width and height were read once: a terminal made wider (a phone turned, a split
    window closed) between two questions kept paging at 40 columns. Made 80x24 at the age
    question, the places question is one screen, its lines as wide as 80 columns; made
    40x24 again, its lines are broken at 40 columns again."""
    question = PACK.question_by_id["areas"]
    asked = _unwrapped(PACK.text(question.text, "en"))
    term = Terminal(40, 24, "en", cwd=tmp_path)
    try:
        waits = _through_pages(term, "en", "")
        next(waits)
        term.send("0\r")
        next(waits)  # the age
        term.resize(24, 80)
        term.send("40\r")  # the places question comes right after the age (pack 0.2.23)
        term.settle("en")
        assert not term.at_page_break("en"), term.text()  # one screen at 80x24
        assert asked in _unwrapped(" ".join(term.lines()))
        assert max(len(line) for line in term.lines()) > 40, term.text()
        assert term.cursor_line() in PROMPTS
        term.send("b\r")  # back to the age; then 40x24 again
        term.settle("en")
        term.resize(24, 40)
        term.send("\r")  # Enter keeps the age given
        term.settle("en")
        # broken between words at 40 columns again (the terminal would break words of longer
        # lines anywhere), its keys' sentence left out to fit one screen
        assert asked in _unwrapped(" ".join(term.lines())), term.text()
        assert all(len(line) <= 40 for line in term.lines()), term.text()
        assert term.cursor_line() in PROMPTS
    finally:
        term.close()
