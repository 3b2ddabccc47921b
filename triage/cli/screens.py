"""The screens of the interactive questionnaire: a question, the check before an emergency
stop, the review of answers, and the result with its keys.

Each reads from a :class:`~triage.cli.terminal.LineTerminal` and moves the pure
:class:`~triage.engine.flow.Flow`; what is shown comes from :mod:`triage.render.prompts`.
Ctrl-C, end of input and ``q`` raise KeyboardInterrupt / EOFError for the session to handle
in one place.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from triage.cli.terminal import LineTerminal
from triage.engine.flow import Flow, Rejected, parse_answer, yes_no_keys
from triage.i18n import t
from triage.pack.specs import QuestionSpec
from triage.render import prompts, stops
from triage.render.pages import Page, rows_of
from triage.text import plain_line
from triage.untrusted import digits, whole_number

# Words understood at every question, in both languages (a person tries these first).
HELP = ("?", "help", "aide")
# A one-key question reads a single key, so "help" / "aide" arrive as their first letter.
ONE_KEY_HELP = ("h", "a")
BACK = ("b", "back", "retour")
QUIT = ("q", "quit", "exit", "quitter")
ANSWERED, WENT_BACK = "answered", "went_back"
# refusals of something that is not an answer at all (not of a number out of range)
NOT_UNDERSTOOD = ("yes_no_expected", "choice_expected", "choices_expected", "number_expected")
# what acts at a question's page break besides Enter (every other key is not taken there)
PAGE_KEYS = HELP + BACK + QUIT


def _words(raw: str) -> str:
    return raw.strip().casefold()


def ask_current(flow: Flow, term: LineTerminal, look: prompts.Look,
                keep: Callable[[], None],
                sized: Callable[[prompts.Look], prompts.Look] = lambda look: look,
                *, hold_above: bool = False) -> str:
    """Ask the current question until it is answered (ANSWERED) or the person goes back
    (WENT_BACK). An answer that would stop with "call 911" is confirmed first. ``sized``:
    the look at the terminal's size now, for each screen shown again (after a key not taken,
    after "no" at the check). Going back (b) is offered only where there is an answer to
    take back: at the first question, nothing says to type b. ``hold_above``: what was
    written above the question must be read (a record that cannot be kept): where the
    question would scroll it away, Enter first."""
    # an answer to take back (a question reopened from a one-answer review is the one case
    # left out: b works there, unoffered)
    back = bool(flow.answers)
    with term.offering_back(back):
        return _ask_current(flow, term, replace(look, back=back), keep, sized, hold_above)


def _ask_current(flow: Flow, term: LineTerminal, look: prompts.Look,
                 keep: Callable[[], None],
                 sized: Callable[[prompts.Look], prompts.Look], hold_above: bool) -> str:
    pack = flow.pack
    question = flow.current
    assert question is not None
    earlier = flow.earlier_answer(question.id)
    earlier_text = None if earlier is None else prompts.echo(pack, question, earlier,
                                                              look).strip()
    one_key = term.one_key and (question.type == "yes_no" or (
        question.type == "single" and len(question.options) <= 9))

    def paged(above: int) -> list[Page]:
        return prompts.question_pages(pack, question, flow.progress, look, one_key=one_key,
                                      earlier=earlier_text, above=above,
                                      after_intro=prompts.intro(pack, look) in term.since_key)

    # rows above the page being read that must stay in sight with it: from the row of the
    # introduction that says "call 911", above question 1's first page (later pages, and a
    # first page with no introduction above it, say it themselves)
    kept_above = 0

    def in_sight(told: str, more: str) -> str:
        """What is said at a page break (a key not taken, why we ask), ending with question
        1's "call 911" where it would push the sentence off the top of the screen (French at
        40x24: a digit typed on the first page scrolled the introduction away)."""
        if flow.progress.number != 1 or look.plain or not look.rows or \
                kept_above + rows_of(term.since_page + told + more, look.width) <= look.rows:
            return told
        return told + prompts.note(t("intro_911", look.lang), look)

    def wait(more: str) -> bool:
        """Enter at a page break; False when the person went back there."""
        refused = prompts.note(t("page_refused_options", look.lang), look)
        while True:  # until Enter shows the next page (or b goes back, q stops)
            # keys typed before the page was on the screen are said as a key not taken is
            with term.telling(lambda told: term.write(in_sight(told, more))):
                key = page_break(term, more, refused, acts=PAGE_KEYS + (
                    ONE_KEY_HELP if one_key else ()), said=lambda told: in_sight(told, more))
            if key in QUIT:
                raise KeyboardInterrupt
            if key in BACK:
                if _back(flow, term, look, keep, said=lambda told: in_sight(told, more)):
                    return False
            elif key in HELP + ONE_KEY_HELP:
                term.write(in_sight(prompts.help_text(pack, question, look), more))
            else:
                return True

    def show_question() -> bool:
        """The question's pages; False when the person went back at one of them."""
        nonlocal look, kept_above
        look = sized(look)
        above = _above(term, look)
        kept_above = _rows_from_911(term.since_key, look)
        term.page()
        pages = paged(above)
        # a page in several ends with its pager's line; one alone, with the row for typing
        if (len(pages) > 1 or hold_above) and above and look.rows and rows_of(
                pages[0][0] + pages[0][1], look.width) + (len(pages) == 1) > look.rows - above:
            # What was written since the last key (the introduction, the resumed file, a
            # sign its answers already show) leaves the question's first page no room: a
            # page always shows an option, so the top of it would scroll away unread (40x24
            # in French). A question on one page lets the introduction scroll away (the
            # question and its "call 911" matter more), but not what must be read first:
            # "records cannot be kept" was gone at 80x24 before staff saw it. It waits for
            # Enter first, and the question starts a screen.
            if not wait(prompts.more_line(t("more_question", look.lang), look)):
                return False
            pages = paged(_above(term, look))
        for text, more in pages[:-1]:
            term.page()
            term.write(text)
            if not wait(more):
                return False
            kept_above = 0
        term.page()
        term.write(pages[-1][0])
        return True

    def refuse(told: str, hint: bool = False) -> None:
        """An answer not taken, and what to type (``hint``: ``told`` goes above what to type:
        why we ask, keys typed ahead). On a screen whose last page was full it would push
        the question's first lines off the top (again at every key not taken), and question
        1's "call 911" with them: then the question's last page again, what was wrong in
        place of what to type."""
        nonlocal look
        look = sized(look)
        if look.plain or not look.rows or \
                rows_of(term.since_page + told, look.width) + 1 <= look.rows:
            term.write(told)
            return
        pages = prompts.question_pages(pack, question, flow.progress, look, one_key=one_key,
                                       earlier=earlier_text, refused="" if hint else told,
                                       helped=told if hint else "")
        term.page()
        term.write(pages[-1][0])

    if not show_question():
        return WENT_BACK
    while True:
        prompt = prompts.answer_prompt(look)
        # keys typed ahead are said as a refusal is: the question stays in sight (question
        # 1's "call 911" with it), what to type after them
        with term.telling(lambda told: refuse(told, hint=True)):
            raw = term.read_key(prompt) if one_key else term.read_line(prompt)
        command = _words(raw)
        if one_key and command in ONE_KEY_HELP:
            command = HELP[0]
        value: Any = earlier if (not command and earlier is not None) else (
            None if command in HELP + BACK + QUIT else _parse(flow, question, raw, look))
        if one_key:
            # the terminal does not echo a key press: say what it meant, in words when it
            # answered ("> no"), else the key itself before the help or the message
            if value is not None and not isinstance(value, Rejected):
                term.write(prompts.after_prompt(prompts.echo(pack, question, value,
                                                             look).rstrip("\n"), look))
            else:
                term.write((command if command.isprintable() else "") + "\n")
        elif value is not None and not isinstance(value, Rejected) and \
                question.type in ("multi", "single") and not flow.stops_with(question.id, value):
            # "2 6" in words (an answer that stops is said in words by its check instead)
            term.write(prompts.chosen(pack, question, value, look))
        if command in QUIT:
            raise KeyboardInterrupt
        if command in HELP:
            refuse(prompts.help_text(pack, question, look), hint=True)
            continue
        if command in BACK:
            if _back(flow, term, look, keep):
                return WENT_BACK
            continue
        if isinstance(value, Rejected):
            # a key or word not understood: the person may be looking for help, back or stop
            keys = prompts.note(t("keys" if look.back else "keys_first", look.lang), look) \
                if value.key in NOT_UNDERSTOOD else ""
            refuse(_not_one_key(raw, one_key, look) + prompts.rejected(value, look) + keys)
            continue
        if flow.stops_with(question.id, value) and not _confirmed(flow, question.id, value,
                                                                   term, look):
            # the question again, in full: a screen reader has nothing else to read, and on
            # a narrow screen its options have scrolled away
            term.write(prompts.note(t("confirm_again_caller" if look.caller else "confirm_again",
                                      look.lang), look) + "\n")
            if not show_question():
                return WENT_BACK
            continue
        result = flow.set_answer(question.id, value)
        assert not isinstance(result, Rejected)
        if result.dropped:
            term.write(prompts.dropped_later(flow.pack, result.dropped, look))
        keep()
        term.write("\n")
        return ANSWERED


def _not_one_key(raw: str, one_key: bool, look: prompts.Look) -> str:
    """Keys typed together at a question asked by one key are read as one answer ("yes",
    "not sure"); when they are none ("1 8"), none of them is taken, and that is said: the
    first alone was taken before, the rest dropped without a word."""
    typed = raw.strip()
    if not one_key or len(typed) < 2 or not typed.isprintable():
        return ""
    return prompts.note(t("keys_together_refused", look.lang, keys=typed), look)


def _parse(flow: Flow, question: QuestionSpec, raw: str, look: prompts.Look) -> Any:
    """A typed answer (or :class:`Rejected`): an option's words choose it as they are shown
    (in reception mode, as staff read them out), and the patient's own words still do."""
    shown = dict(zip([o.id for o in question.options], prompts.option_texts(
        flow.pack, question, look), strict=True))
    return parse_answer(question, raw, look.lang, shown,
                        flow.option_texts(question) if look.caller else None)


def _back(flow: Flow, term: LineTerminal, look: prompts.Look, keep: Callable[[], None],
          said: Callable[[str], str] = str) -> bool:
    """``b``: back to the previous question (True), or at the first, say there is none
    (``said``: as the question keeps it in sight). From a question reopened at the review,
    ``b`` returns to the review, and says so."""
    to_review = flow.reopened
    if flow.back() is None:
        term.write(said(prompts.note(t("at_start", look.lang), look)))
        return False
    going = ("going_back_review_caller" if look.caller else "going_back_review") \
        if to_review else "going_back"
    term.write(prompts.note(t(going, look.lang), look) + "\n")
    keep()
    return True


def _rows_from_911(above: str, look: prompts.Look) -> int:
    """Rows of ``above`` (what was written since the last key) from the last that says
    "911" to its end: what must stay in sight for its "call 911" to be read."""
    at = above.rfind("911")
    return rows_of(above[above.rfind("\n", 0, at) + 1:], look.width) if at >= 0 else 0


def _above(term: LineTerminal, look: prompts.Look) -> int:
    """Rows written since the last key (the introduction, "You chose: ..."): a screen that
    has to come in pages keeps them in sight on its first."""
    return rows_of(term.since_key, look.width)


def page_break(term: LineTerminal, more: str, refused: str,
               acts: tuple[str, ...] = QUIT, said: Callable[[str], str] = str) -> str:
    """The end of a page that is not the last (:mod:`triage.render.pages`): ``more`` says
    that Enter shows the next. Enter returns "", a key (or line) in ``acts`` returns itself,
    in words, for the caller to act on. Any other key shows nothing new: ``refused`` says it
    was not taken and ``more`` is said again, and whatever is still being typed is dropped
    with it (``said``: what is said, as the question keeps it in sight). A digit typed on a
    question's first page is the start of an answer typed
    before every option was seen: turning the page on it, then taking the rest of the line
    as the answer, chose "8" for "1 8" and lost the "1". Space is not Enter here either:
    it is part of such an answer ("1 8"). Ctrl-C and end of input raise, as at every
    prompt."""
    prompt = more
    try:
        while True:
            raw = term.read_key(prompt) if term.one_key else term.read_line(prompt)
            if term.one_key:  # a key press is not echoed: what follows starts on its own line
                term.write("\n")
            if raw in ("\r", "\n") or (not term.one_key and not raw.strip()):
                return ""
            if _words(raw) in acts:
                return _words(raw)
            # what to do, at once; the keys that follow in the next second are dropped
            term.write(said(refused) + more)
            term.drop_typing()
            prompt = ""
    except (KeyboardInterrupt, EOFError):
        with contextlib.suppress(OSError):  # what is said next starts on a line of its own
            term.write("\n")
        raise


class StoppedAtEmergencyCheck(KeyboardInterrupt):
    """Ctrl-C, end of input or ``q`` at the check of an answer that means "call 911": the
    person chose an emergency sign, so the stop must say what to do if it is real.
    ``answer``: who said what, as the check put it (:func:`triage.render.stops.said`)."""

    def __init__(self, answer: str) -> None:
        super().__init__(answer)
        self.answer = answer


def _confirmed(flow: Flow, qid: str, value: Any, term: LineTerminal,
               look: prompts.Look) -> bool:
    """One key: was the answer that stops the questionnaire meant? Enter is never a yes."""
    question = flow.pack.question_by_id[qid]
    term.write(stops.confirm_stop(flow.pack, question, value, look))
    try:
        with term.offering_back(False):  # b is no answer to the check: not offered
            return _yes_or_no(question, term, look)
    except (KeyboardInterrupt, EOFError):
        raise StoppedAtEmergencyCheck(stops.said(flow.pack, question, value, look)) from None


def _yes_or_no(question: QuestionSpec, term: LineTerminal, look: prompts.Look) -> bool:
    yes, no = yes_no_keys(look.lang)
    while True:
        raw = _words(term.read_key(prompts.answer_prompt(look)) if term.one_key
                     else term.read_line(prompts.answer_prompt(look)))
        if term.one_key:
            term.write((raw if raw.isprintable() else "") + "\n")
        if raw in QUIT:
            raise KeyboardInterrupt
        if raw in (yes, t("yes", look.lang)):
            return True
        if raw in (no, t("no", look.lang)):
            return False
        term.write(_not_one_key(raw, term.one_key, look) + prompts.rejected(
            Rejected(question, "yes_no_expected", {"yes": yes, "no": no}), look))


def review(flow: Flow, term: LineTerminal, look: prompts.Look) -> bool:
    """The answers before the result. True: show the result; False: a question was reopened
    (answer it, then the review comes again). End of input shows the result: every question
    has its answer."""
    answers = flow.review()
    pages = prompts.review_pages(flow.pack, answers, look, above=_above(term, look))
    refused = prompts.note(t("page_refused_answers", look.lang), look)
    for text, more in pages[:-1]:
        term.write(text)
        try:
            key = page_break(term, more, refused)
        except EOFError:
            return True
        if key in QUIT:
            raise KeyboardInterrupt
    term.write(pages[-1][0])
    while True:
        try:
            raw = _words(term.read_line(prompts.answer_prompt(look)))
        except EOFError:
            return True
        if not raw:
            return True
        if raw in QUIT:
            raise KeyboardInterrupt
        number = whole_number(raw)
        if number is not None and 1 <= number <= len(answers):
            term.write("\n")
            flow.reopen(answers[number - 1][0].id)
            return False
        term.write(prompts.note(t("review_expected", look.lang, last=len(answers)), look))


def result_keys(term: LineTerminal, look: prompts.Look, show_details: Callable[[], None],
                keys: str, shown_keys: str) -> bool:
    """After the result: ``d`` shows the details, ``b`` goes back (True), Enter or ``q``
    (or end of input) finishes (False); anything else says ``keys`` again, or once the
    details are on the screen ``shown_keys`` (which no longer offer them)."""
    while True:
        try:
            raw = _words(term.read_key("") if term.one_key else term.read_line(""))
        except EOFError:
            return False
        if raw in ("", *QUIT) or raw in ("\r", "\n"):
            return False
        if raw in BACK:
            term.write("\n")
            return True
        if raw == "d":
            show_details()
            keys = shown_keys
            continue
        term.write(prompts.result_keys(keys, look))


def stdout_is_screen() -> bool:
    """The result goes to a terminal (one screen, details on `d`), not to a file or pipe."""
    return sys.stdout.isatty()


def ask_caller_ref(term: LineTerminal, look: prompts.Look) -> str:
    """A reference for the record (never stored as "self" without asking). Enter alone asks
    again; Ctrl-C, end of input or a closed terminal give an empty reference: the result is
    on the screen, so the record is saved all the same, without a reference."""
    try:
        term.write(prompts.note(t("ask_caller_ref", look.lang), look))
        while True:
            ref = term.read_line(prompts.answer_prompt(look)).strip()
            if not plain_line(ref):
                # as the store would refuse it, and the whole record with it: an arrow key
                # (an escape sequence), a control character, over 200 characters
                term.write(prompts.note(t("ref_not_plain", look.lang), look))
                continue
            if any(digits(c) for c in ref):  # "²" or "٣" is no digit of a caller number
                return ref
            # a caller number, never a name (names are kept only where the clinic allows it,
            # and never in the reference)
            term.write(prompts.note(t("ref_needs_digit" if ref else "ask_caller_ref",
                                      look.lang), look))
    except (KeyboardInterrupt, EOFError, OSError):
        with contextlib.suppress(OSError):  # the terminal may be gone (hang-up)
            term.write("\n" + prompts.note(t("ref_not_given", look.lang), look))
        return ""
