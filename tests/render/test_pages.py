"""Pages of a screen too short for what it shows (sees audit, item 6): every page fits the
terminal's rows, nothing is left out or said twice, a question's text stays above its
options and a result's last page holds what to do, how soon and the outcome line. Every
case and question of the bundled pack, English and French, plain and rich."""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from tests.render.test_golden import SCENARIOS, outcome_of
from triage.engine.evaluate import Outcome
from triage.engine.flow import Flow
from triage.engine.policy import THERAPY
from triage.engine.refusal import screen_answers
from triage.i18n import t
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render import prompts
from triage.render.pages import fill, result_pages, rows_of
from triage.render.result import outcome_line, outcome_text, result_keys, sections, text_units

PACK = load_pack(default_pack_dir())
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RESERVE = 2  # the pager's line may take two rows at 40 columns (French)


def _outcomes() -> Iterator[Outcome]:
    for case in PACK.cases:
        outcome = screen_answers(PACK, case.answers).outcome
        if outcome is not None:
            yield outcome


OUTCOMES = list(_outcomes())


def _lines(text: str) -> Counter[str]:
    """The lines a person reads, without colour and blank lines."""
    return Counter(line for line in ANSI.sub("", text).splitlines() if line.strip())


def test_rows_are_counted_as_a_terminal_shows_them() -> None:
    assert rows_of("", 40) == 0
    assert rows_of("one\n", 40) == 1
    assert rows_of("x" * 40 + "\n", 40) == 1
    assert rows_of("x" * 41 + "\n", 40) == 2  # plain mode: the terminal wraps it
    assert rows_of("\n\nend", 40) == 3
    assert rows_of("\x1b[1m" + "x" * 40 + "\x1b[0m\n", 40) == 1  # colour takes no column
    assert rows_of("急" * 21 + "\n", 40) == 2  # a wide character takes two


def test_a_page_ends_between_units_and_no_later_page_starts_blank() -> None:
    units = ["a\n", "\nb1\nb2\n", "\nc\n", "d\n"]
    assert fill(units, 4, 40) == ["a\n\nb1\nb2\n", "c\nd\n"]
    assert fill(["1\n2\n3\n4\n5\n"], 3, 40) == ["1\n2\n3\n", "4\n5\n"]  # cut only if taller


@pytest.mark.long(11)
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("plain", [True, False], ids=["plain", "rich"])
@pytest.mark.parametrize(("width", "rows"), [(40, 24), (80, 24)])
def test_every_result_on_pages_that_fit(lang: str, plain: bool, width: int,
                                        rows: int) -> None:
    for outcome in OUTCOMES:
        keys = result_keys(outcome, PACK, lang)
        pages = result_pages(outcome, PACK, lang, plain=plain, width=width, rows=rows,
                             part="summary", footer=keys, wrap=not plain, reserve=RESERVE)
        whole = outcome_text(outcome, PACK, lang, plain=plain, width=width, part="summary",
                             footer=keys, wrap=not plain)
        where = f"{outcome.disposition} {[r.id for r in outcome.fired]}:\n" + \
            "\n=====\n".join(pages)
        # nothing left out, nothing said twice
        assert _lines("".join(pages)) == _lines(whole), where
        assert all(rows_of(p, width) <= rows - 1 - RESERVE for p in pages[:-1]), where
        assert rows_of(pages[-1], width) <= rows - 1, where
        last = " ".join(ANSI.sub("", pages[-1]).split())
        advice = {k: " ".join(PACK.text(v, lang).split()) for k, v in outcome.advice.items()}
        assert advice["action"] in last and advice["timeframe"] in last, where
        assert last.endswith(" ".join(outcome_line(outcome, PACK, lang).split())), where
        # the first page opens with the result's title
        first = " ".join(ANSI.sub("", pages[0]).split())
        assert first.startswith(f"{t('result', lang)}{t('colon', lang)}{advice['label']}")
        if outcome.disposition == "emergency" or (width == 80 and outcome.disposition
                                                  == "emergency_department"):
            assert len(pages) == 1, where  # 911 on one screen, and at 80x24 the ED too
        if outcome.disposition in THERAPY:  # the referral line is said, once
            assert _lines("".join(pages))[t("referral", lang)] <= 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_details_on_pages_end_with_what_to_do(lang: str) -> None:
    outcome = max(OUTCOMES, key=lambda o: len(o.red_flags_absent))
    keys = result_keys(outcome, PACK, lang)
    pages = result_pages(outcome, PACK, lang, plain=False, width=40, rows=24,
                         part="details", footer=keys, wrap=True, reserve=RESERVE)
    assert len(pages) > 2
    details = outcome_text(outcome, PACK, lang, plain=False, width=40, part="details",
                           footer=keys, wrap=True)
    head = [s for s in sections(outcome, PACK, lang) if not s.detail and s.kind == "lines"
            and s.title != t("result", lang)]
    again = "".join(text_units(head, outcome, lang, plain=False, width=40, wrap=True))
    # the details, then what to do, how soon and when to seek care again on the last page
    assert _lines("".join(pages)) == _lines(details) + _lines(again)
    assert _lines(again) <= _lines(pages[-1])
    assert t("what_to_do", lang) in ANSI.sub("", pages[-1])


def test_unknown_rows_or_a_tall_screen_give_one_page_as_before() -> None:
    outcome = OUTCOMES[0]
    for rows in (0, 200):
        pages = result_pages(outcome, PACK, "en", plain=False, width=40, rows=rows,
                             part="summary", footer="keys", wrap=True)
        assert pages == [outcome_text(outcome, PACK, "en", plain=False, width=40,
                                      part="summary", footer="keys", wrap=True)]


def _looks(width: int, rows: int) -> Iterator[prompts.Look]:
    for lang in ("en", "fr"):
        for plain in (True, False):
            yield prompts.Look(lang, plain=plain, styled=not plain, width=width,
                               wrap=not plain, rows=rows)


@pytest.mark.parametrize(("width", "rows"), [(40, 24), (80, 24)])
def test_every_question_on_pages_that_fit(width: int, rows: int) -> None:
    progress = Flow(PACK).progress
    for look in _looks(width, rows):
        for question in PACK.questions:
            for above in (0, 5):
                pages = prompts.question_pages(PACK, question, progress, look, above=above)
                where = f"{question.id} {look}:\n" + "\n=====\n".join(
                    text + more for text, more in pages)
                _check_pages(pages, look, above, where)
                texts = [ANSI.sub("", text) for text, _ in pages]
                asked = prompts.question_text(PACK, question, look)
                said = [" ".join(text.split()).count(" ".join(asked.split()))
                        for text in texts]
                # above every page's options in the normal look; once for a screen reader
                assert said == ([1] + [0] * (len(pages) - 1) if look.plain
                                else [1] * len(pages)), where
                numbers = [int(a or b) for text in texts for a, b in re.findall(
                    r"^(?: *(\d+)  \S|(\d+), )", text, re.MULTILINE)]
                assert numbers == list(range(1, len(question.options) + 1)), where
                if len(pages) > 1:  # what to type comes last, with every key named
                    assert t("keys", look.lang).split()[-1] in " ".join(texts[-1].split())


def _check_pages(pages: list[prompts.Page], look: prompts.Look, above: int,
                 where: str) -> None:
    """Each page with its pager's line (or the prompt's row) fits; only the last has none.
    One page may let what is above it scroll away."""
    assert [bool(more) for _, more in pages] == [True] * (len(pages) - 1) + [False], where
    if len(pages) == 1:
        assert rows_of(pages[0][0], look.width) + 1 <= look.rows, where
        return
    for number, (text, more) in enumerate(pages):
        room = look.rows - (above if number == 0 else 0)
        used = rows_of(text, look.width) + (rows_of(more, look.width) if more else 1)
        assert used <= room, where


def test_a_key_said_in_words_is_broken_between_words_after_the_prompt() -> None:
    """A one-key answer is said after "> ": at 40 columns "...very bad: the worst pain"
    was cut by the terminal in the middle of a word."""
    said = "Suddenly, within minutes, and very bad: the worst pain of your life"
    look = prompts.Look("en", styled=True, width=40, wrap=True)
    lines = (prompts.answer_prompt(look) + prompts.after_prompt(said, look)).splitlines()
    assert all(len(line) <= 40 for line in lines) and len(lines) == 2
    assert " ".join(" ".join(lines)[2:].split()) == said
    plain = prompts.Look("en", plain=True, width=40)
    assert prompts.after_prompt(said, plain) == said + "\n"  # a reader's line: never broken


def test_the_review_on_pages_keeps_its_prompt_last() -> None:
    flow = Flow(PACK, "fr")
    case = max(PACK.cases, key=lambda c: len(c.answers))
    while not flow.finished:
        question = flow.current
        assert question is not None
        flow.set_answer(question.id, case.answers[question.id])
    for look in _looks(40, 24):
        pages = prompts.review_pages(PACK, flow.review(), look, above=2)
        where = "\n=====\n".join(text + more for text, more in pages)
        assert len(pages) > 1
        _check_pages(pages, look, 2, where)
        title = t("review_title", look.lang)
        assert title in pages[0][0]
        # every later page says again what it lists, as a question's pages do (sees audit
        # 2, item 14: "Your answers:" was on the first page only); a reader hears it once
        later = [ANSI.sub("", text) for text, _ in pages[1:]]
        again = "" if look.plain else title + "\n"
        assert all(text.startswith(again) and title not in text[len(again):]
                   for text in later), where
        whole = ANSI.sub("", pages[0][0]) + "".join(text[len(again):] for text in later)
        assert whole == ANSI.sub("", prompts.review(PACK, flow.review(), look))


Check = Callable[[str, str], None]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("plain", [True, False], ids=["plain", "rich"])
def test_narrow_screens(pack: CompiledPack, golden: Check, lang: str, plain: bool) -> None:
    """What a 40x24 screen shows of the minimal pack: each question and result on its pages
    (a page's pager line after it), details included; and at 40x10, the review and a
    question on several pages. Reviewed when it changes."""
    look = prompts.Look(lang, plain=plain, styled=not plain, width=40, wrap=not plain,
                        rows=24)
    out: list[str] = []

    def page(text: str, more: str) -> None:
        out.append(ANSI.sub("", text) + (f"{ANSI.sub('', more).rstrip()}\n" if more else "")
                   + "-" * 40 + "\n")

    flow = Flow(pack, lang)
    while not flow.finished:
        question = flow.current
        assert question is not None
        for text, more in prompts.question_pages(pack, question, flow.progress, look):
            page(text, more)
        flow.set_answer(question.id, SCENARIOS["knee"][question.id])
    short = replace(look, rows=10)
    for text, more in prompts.review_pages(pack, flow.review(), short):
        page(text, more)
    flow.reopen("problems")
    question = flow.current
    assert question is not None
    for text, more in prompts.question_pages(pack, question, flow.progress, short,
                                             earlier="Stiffness"):
        page(text, more)
    for name in SCENARIOS:
        outcome = outcome_of(pack, name)
        for part in ("summary", "details"):
            pages = result_pages(outcome, pack, lang, plain=plain, width=40, rows=24,
                                 part=part, footer=result_keys(outcome, pack, lang),
                                 wrap=not plain, reserve=RESERVE)
            for number, text in enumerate(pages, 1):
                page(text, prompts.result_more(number, len(pages), part, look)
                     if number < len(pages) else "")
    golden(f"narrow-40x24-{lang}-{'plain' if plain else 'rich'}.txt", "".join(out))


@functools.cache
def _bundled() -> CompiledPack:
    return load_pack(default_pack_dir())


@functools.cache
def _caller_texts(lang: str) -> list[tuple[str, str, str, str]]:
    """(case id, keys, summary, details) of reception mode for every bundled case."""
    from triage.render.caller import ListsAt, booking_summary, caller_details, caller_result_keys

    pack = _bundled()
    out = []
    for case in pack.cases:
        outcome = screen_answers(pack, case.answers).outcome
        assert outcome is not None
        out.append((case.id, caller_result_keys(outcome, pack, lang),
                    booking_summary(outcome, pack, lang, ListsAt(details_key=True)),
                    caller_details(outcome, pack, lang)))
    return out


@pytest.mark.long(14)
@pytest.mark.parametrize(("lang", "width", "rows"), [
    ("en", 40, 24), ("fr", 40, 24), ("en", 40, 12), ("fr", 80, 24)])
def test_every_caller_summary_on_pages_with_the_keys_on_the_last(lang: str, width: int,
                                                                rows: int) -> None:
    """Reception's summary (and, on `d`, its details above it) of every bundled case: each
    page fits the screen with the pager's line; the last, left on the screen, starts with
    the keys and ends with what to book; a heading's items stay with it where they fit a
    page; nothing is lost or said twice; unknown rows give one page, the keys first."""
    from triage.render.pages import summary_pages
    from triage.render.result import wrap_words

    paged = 0
    for case, keys, summary, details in _caller_texts(lang):
        keys = prompts.result_keys(keys, prompts.Look(lang, caller=True, width=width))
        for text in (summary, details + "\n" + summary):
            pages = summary_pages(text, width=width, rows=rows, footer=keys, wrap=True,
                                  reserve=2)
            shown = "".join(wrap_words(line, width) for line in text.splitlines())
            # nothing lost or said twice: the pages are the text, the keys once, last
            assert "".join(pages).replace(keys, "", 1) == shown, case
            assert pages[-1].startswith(keys), case
            assert pages[-1].endswith(wrap_words(text.splitlines()[-1], width)), case
            assert all(rows_of(page, width) <= rows - 3 for page in pages[:-1]), case
            assert rows_of(pages[-1], width) <= rows - 1, case
            paged += len(pages) > 1
        assert summary_pages(summary, width=width, rows=0, footer=keys, wrap=True) == [
            keys + "".join(wrap_words(line, width) for line in summary.splitlines())]
    assert paged  # some do not fit
