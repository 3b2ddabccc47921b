"""What a person sees at the end, on a real 24-row screen (pexpect drives the program in a
pseudo-terminal, pyte keeps the screen as a terminal would show it).

After the last answer the result must be on the screen, not scrolled away: the disposition
and the first words of what to do, with the outcome line last; and no word may be broken
across lines at 80 or 60 columns.
"""

from __future__ import annotations

import os
import re
import sys
import time

import pexpect
import pyte
import pytest

from tests.cli.test_terminal import _as_in_a_shell
from tests.conftest import MINIMAL
from triage.i18n import t

TIMEOUT = 60
KNEE = ["n", "n", "40\r", "n", "3", "1 2\r", "y"]  # both therapies, a precaution and a note
TEXTS = {
    "en": {"label": "Physiotherapy and massage therapy", "action": "What to do: Book both.",
           "review": "Press Enter to see the result", "last": "within 2 weeks.",
           "keys": "press Enter to finish", "result": "Result:",
           "more": "to skip to the end."},
    "fr": {"label": "Physiothérapie et massothérapie",
           "action": "Que faire : Prenez les deux rendez-vous.",
           "review": "Appuyez sur Entrée pour voir le résultat",
           "last": "d'ici 2 semaines.", "keys": "appuyez sur Entrée pour terminer",
           "result": "Résultat :", "more": "fin."},
}


class Screen:
    """A pseudo-terminal session and the screen a terminal of that size would show."""

    def __init__(self, columns: int, lang: str, *args: str) -> None:
        env = dict(os.environ, TERM="xterm", LANG="C.UTF-8", TRIAGE_LANG=lang)
        for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE", "COLUMNS", "LINES"):
            env.pop(var, None)
        self.screen = pyte.Screen(columns, 24)
        self.stream = pyte.Stream(self.screen)
        self.seen = ""
        self.mark = 0  # where output after the last key press starts
        self.child = pexpect.spawn(sys.executable, ["-m", "triage", "assess", "--pack",
                                                    str(MINIMAL), *args],
                                   env=env, encoding="utf-8", timeout=TIMEOUT,
                                   dimensions=(24, columns), preexec_fn=_as_in_a_shell)

    def wait_for(self, text: str) -> None:
        self.wait_for_any(text)

    def wait_for_any(self, *texts: str) -> str:
        """The first of ``texts`` to be shown after the last key press."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            shown = [(self.seen.index(text, self.mark), text) for text in texts
                     if text in self.seen[self.mark:]]
            if shown:
                return min(shown)[1]
            assert time.monotonic() < deadline, f"none of {texts!r} shown:\n{self.text()}"
            try:
                data = self.child.read_nonblocking(4096, timeout=1)
            except pexpect.TIMEOUT:
                continue
            self.seen += data
            self.stream.feed(data)

    def key(self, keys: str, after: str = "> ", pause: float = 0.05) -> None:
        self.wait_for(after)
        time.sleep(pause)  # an Enter right after a one-key answer is dropped as a habit
        self.mark = len(self.seen)
        self.child.send(keys)

    def drain(self) -> None:
        """Read what is still coming of the screen being written (called once its last
        words were seen): until nothing more comes for half a second."""
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.5)
            except (pexpect.TIMEOUT, pexpect.EOF):
                return
            self.seen += data
            self.stream.feed(data)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def text(self) -> str:
        return "\n".join(self.lines())


def words_of(text: str) -> set[str]:
    """Words, without a trailing colon (plain text titles end in one, the others do not)."""
    return {w.rstrip(":") for w in re.findall(r"\S+", text)} - {""}


def to_result(columns: int, lang: str, *args: str) -> Screen:
    s = Screen(columns, lang, *args)
    for keys in KNEE:
        s.key("o" if keys == "y" and lang == "fr" else keys)
    s.wait_for(TEXTS[lang]["review"])
    s.key("\r", pause=0.6)  # the review: Enter shows the result
    s.wait_for(TEXTS[lang]["last"])
    s.drain()
    return s


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("columns", [80, 60])
def test_the_result_is_on_the_last_screen(columns: int, lang: str) -> None:
    s = to_result(columns, lang)
    text = s.text()
    texts = TEXTS[lang]
    assert texts["label"] in text.replace("\n", " ")
    assert texts["action"] in text
    # the outcome line is the last thing written; the cursor waits under it
    shown = [line for line in s.lines() if line.strip()]
    assert shown[-1].strip().endswith(texts["last"]), text
    assert texts["keys"] in text.replace("\n", " ")
    s.child.send("\r")
    s.child.expect(pexpect.EOF)
    s.child.close()
    assert s.child.exitstatus == 0


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("details", [False, True], ids=["summary", "details"])
def test_no_word_is_broken_across_lines(columns: int, lang: str, details: bool) -> None:
    s = to_result(columns, lang)
    screens = [s.lines()]
    if details:  # on pages at 24 rows: each is checked, Enter shows the next
        s.key("d", after="")
        while s.wait_for_any(TEXTS[lang]["last"], TEXTS[lang]["more"]) != TEXTS[lang]["last"]:
            s.drain()
            screens.append(s.lines())
            s.key("\r", after="")
        s.drain()
        screens.append(s.lines())
    # every word of the result on the screen is a word of the result rendered unwrapped
    unwrapped = _unwrapped(lang)
    for lines in screens:
        banner = [i for i, line in enumerate(lines)
                  if line.startswith(" " + TEXTS[lang]["result"])]
        checked = lines[banner[0]:] if banner else lines
        for line in checked:
            for word in words_of(line):
                assert word in unwrapped, f"{word!r} broken in {line!r}:\n{s.text()}"
        assert len([w for line in checked for w in words_of(line)]) > 40  # it checked some
    s.child.send("\r")
    s.child.expect(pexpect.EOF)


def _unwrapped(lang: str) -> set[str]:
    """The words of the whole result and its keys, rendered without any wrapping."""
    from tests.render.test_golden import outcome_of
    from triage.pack.load import load_pack
    from triage.render import outcome_text

    pack = load_pack(MINIMAL)
    text = outcome_text(outcome_of(pack, "knee"), pack, lang, plain=True) + "".join(
        t("more_details", lang, page=page, pages=pages) + "\n"
        for pages in range(2, 10) for page in range(1, pages))  # a page's last line
    return words_of(text) | words_of(t("result_keys", lang)) | {"•"}


@pytest.mark.parametrize(("lang", "book"), [
    ("en", "Book: Physiotherapist and registered massage therapist (RMT)"),
    ("fr", "Rendez-vous à prendre : Physiothérapeute et massothérapeute (RMT hors Québec)")])
@pytest.mark.parametrize("columns", [80, 60])
def test_reception_mode_ends_with_what_to_book(columns: int, lang: str, book: str) -> None:
    s = Screen(columns, lang, "--caller")
    for keys in KNEE:
        s.key("o" if keys == "y" and lang == "fr" else keys)
    s.wait_for(TEXTS[lang]["review"])
    s.key("\r", pause=0.6)
    # the last line of the summary; one taller than the screen comes in pages (60 columns
    # in French), turned with Enter
    more = t("more_result", lang, page=1, pages=2).split("(")[0]
    while s.wait_for_any(book.split()[-1] + "\r\n", more) == more:
        s.key("\r", after="")
    s.drain()
    shown = " ".join(line.strip() for line in s.lines() if line.strip())
    # the summary keeps French marks with their words (no-break spaces) for pasting elsewhere
    assert shown.replace("\xa0", " ").endswith(book), s.text()
    from tests.render.test_golden import outcome_of
    from triage.pack.load import load_pack
    from triage.render.caller import (
        ListsAt,
        booking_summary,
        caller_details,
        caller_result_keys,
    )

    pack = load_pack(MINIMAL)
    outcome = outcome_of(pack, "knee")
    # the summary is the whole result: the patient's own (the result banner) is not shown
    assert TEXTS[lang]["result"] not in s.seen, s.text()
    # the summary starts below the review's prompt, ">", where Enter was typed (above a short
    # summary the review's last lines are still on the screen, its heading may not be)
    review = max((i for i, line in enumerate(s.lines())
                  if TEXTS[lang]["review"] in line or line.strip() == ">"), default=-1)
    # (on the screen, `d` has the full lists: the summary says so)
    summary = words_of(booking_summary(outcome, pack, lang, ListsAt(details_key=True))) | (
        words_of(caller_result_keys(outcome, pack, lang))) | words_of(
        t("more_result", lang, page=1, pages=2))
    for line in s.lines()[review + 1:]:  # every word on the screen is a whole word of it
        for word in words_of(line):
            assert word in summary, f"{word!r} broken in {line!r}"
    # d: the full lists and the answers above the summary, on pages (taller than the screen:
    # the keys are on the last); q skips to it, which ends the screen again
    s.key("d", after="")
    s.key("q", after=TEXTS[lang]["more"])
    s.wait_for(book.split()[-1] + "\r\n")
    s.drain()
    assert " ".join(line.strip() for line in s.lines() if line.strip()).replace(
        "\xa0", " ").endswith(book)
    # under the details, the summary points at them and the keys no longer offer `d`; the
    # details come in pages (taller than the screen)
    pager = words_of(t("more_details", lang, page=1, pages=2))
    details = summary | pager | words_of(caller_details(outcome, pack, lang)) | words_of(
        booking_summary(outcome, pack, lang, ListsAt(details_key=True, details_above=True))
    ) | words_of(t("result_keys_shown", lang))
    for line in s.lines():
        for word in words_of(line):
            assert word in details | _unwrapped(lang), f"{word!r} broken in {line!r}"
    s.child.send("\r")
    s.child.expect(pexpect.EOF)
