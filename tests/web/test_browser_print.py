"""Printing the web result page (sees audit 2, item 3): Ctrl-P printed the reasons and the
answers as a bare "▶ Why this result, and your answers" line, their <details> closed. In
print media they show, in Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from triage.pack.compiled import CompiledPack

from .test_app import THERAPY
from .test_browser import PHONE, drive, new_page, start


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_the_result_page_prints_its_reasons_and_answers(
        browser: Browser, server: str, clinical: CompiledPack, viewport: dict[str, int] | None
        ) -> None:
    context, page = new_page(browser, **({"viewport": viewport} if viewport else {}))
    start(page, server)
    assert drive(page, clinical, THERAPY) == "result"
    # (the long lists of warning signs are counted on paper, not listed:
    # test_browser_print_pages.py)
    inside = page.locator("details.more h2:not(.screen-only h2)")
    assert inside.count() >= 2  # why, the answers, ...
    assert not inside.first.is_visible()  # on the screen, folded away until opened
    page.emulate_media(media="print")
    for i in range(inside.count()):
        assert inside.nth(i).is_visible(), inside.nth(i).inner_text()
    answers = page.locator("details.more li strong")  # each answer, set off in bold
    assert answers.count() and answers.last.is_visible()
    page.emulate_media(media="screen")  # the screen is as it was
    assert not inside.first.is_visible()
    context.close()
