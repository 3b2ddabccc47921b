"""In a real headless Chromium: Back, an earlier answer changed so that a later one no longer
applies, and the next page names the answer removed, in a status region that has the focus
(what a screen reader reads first), in English and French; the same answer again says
nothing (sees ux-w, tests/web/test_back_dropped.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from triage.pack.compiled import CompiledPack
from triage.render.reasons import dropped_text
from triage.render.typography import keep_marks_with_words

from .conftest import AXE
from .test_back_dropped import TO_SPINE, form_for
from .test_browser import axe_check, focused, follow, new_page, start

BACK = {"en": "Back", "fr": "Retour"}


def to_the_injury_question(page: Page, pack: CompiledPack, lang: str) -> None:
    """Question 1 to 8 of the terminal test's path, clicked, then Back three times."""
    for key in TO_SPINE:
        qid = page.locator("input[name=question]").get_attribute("value")
        assert qid is not None
        values = form_for(pack, qid, key)
        if pack.question_by_id[qid].type == "number":
            page.fill("input[name=answer]", values[0])
        else:
            page.check(f"input[name=answer][value='{values[0]}']")
        follow(page, page.locator("button[value=answer]"))
    for _ in range(3):
        follow(page, page.get_by_role("button", name=BACK[lang], exact=True))
    assert page.locator("input[name=question]").get_attribute("value") == "injury"


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-CA"), ("fr", "fr-CA")])
def test_the_next_page_names_the_answer_removed(browser: Browser, server: str,
                                                clinical: CompiledPack,
                                                lang: str, locale: str) -> None:
    context, page = new_page(browser, locale=locale)
    start(page, server)
    to_the_injury_question(page, clinical, lang)
    assert page.get_by_role("status").count() == 0
    page.check("input[name=answer][value='none']")  # "No injury"
    follow(page, page.locator("button[value=answer]"))
    status = page.get_by_role("status")
    words = keep_marks_with_words(dropped_text(clinical, ["spine_hurt"], lang))
    assert status.count() == 1 and status.inner_text().strip() == words
    assert status.is_visible()
    # the focus is on it: a screen reader reads it before the question, and so does a
    # keyboard user, whose next Tab reaches the answers
    assert focused(page, "a.id", "dropped") == "dropped"
    assert page.locator("input[name=question]").get_attribute("value") == "head_injury"
    axe_check(page, AXE.read_text(encoding="utf-8"))  # (the browser fixture installed it)
    page.check("input[name=answer][value='no']")
    follow(page, page.locator("button[value=answer]"))
    assert page.get_by_role("status").count() == 0  # said once, on the next page only
    context.close()


@pytest.mark.parametrize(("lang", "locale"), [("en", "en-CA"), ("fr", "fr-CA")])
def test_the_same_answer_again_says_nothing(browser: Browser, server: str,
                                            clinical: CompiledPack, lang: str,
                                            locale: str) -> None:
    context, page = new_page(browser, locale=locale)
    start(page, server)
    to_the_injury_question(page, clinical, lang)
    assert page.is_checked("input[name=answer][value='recent']")  # shown again
    follow(page, page.locator("button[value=answer]"))
    assert page.locator("input[name=question]").get_attribute("value") == "head_injury"
    assert page.get_by_role("status").count() == 0 and page.locator("#dropped").count() == 0
    assert page.evaluate("() => document.activeElement.tagName") == "BODY"
    context.close()
