"""Question 1's pages say "call 911" on each wherever the introduction is out of sight (the
screen-level check is tests/cli/test_question_1_911.py); other questions never do."""

from __future__ import annotations

import re

import pytest

from tests.render.test_pages import PACK
from triage.engine.flow import Flow
from triage.i18n import t
from triage.render import prompts
from triage.render.pages import rows_of

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _said(text: str, lang: str) -> bool:
    return t("intro_911", lang) in " ".join(ANSI.sub("", text).split())


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", [80, 40])
@pytest.mark.parametrize("told", ["", "refused", "helped"])
def test_every_page_of_question_1_says_it(told: str, width: int, lang: str) -> None:
    flow = Flow(PACK, lang)
    question = flow.current
    assert question is not None
    look = prompts.Look(lang, styled=True, width=width, wrap=True, rows=24, back=False)
    said = prompts.help_text(PACK, question, look)
    pages = prompts.question_pages(PACK, question, flow.progress, look, **(
        {told: said} if told else {}))
    assert pages and all(_said(text, lang) for text, _ in pages), pages
    if told:  # the page drawn again fits, its prompt too
        assert rows_of(pages[-1][0], width) + 1 <= look.rows, pages[-1][0]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_below_the_introduction_in_sight_it_is_said_there_once(lang: str) -> None:
    """80x40: question 1 fits under the introduction, which says it."""
    flow = Flow(PACK, lang)
    assert flow.current is not None
    look = prompts.Look(lang, styled=True, width=80, wrap=True, rows=40, back=False)
    above = rows_of(prompts.intro(PACK, look), 80)
    pages = prompts.question_pages(PACK, flow.current, flow.progress, look, above=above,
                                   after_intro=True)
    assert len(pages) == 1 and not _said(pages[0][0], lang)


def test_no_other_question_says_it() -> None:
    flow = Flow(PACK, "en")
    assert flow.current is not None
    flow.set_answer(flow.current.id, [])
    question = flow.current
    assert question is not None and flow.progress.number == 2
    look = prompts.Look("en", styled=True, width=40, wrap=True, rows=24)
    pages = prompts.question_pages(PACK, question, flow.progress, look, refused="x\n")
    assert not any(_said(text, "en") for text, _ in pages)
