"""Printing the web result page (sees ux-t, item 2): Ctrl-P printed six pages, five of them
the lists of warning signs checked and not present (or not asked), where the printable
summary printed one or two. On paper the result page now prints what a person needs first
(the result, what to do, the not-a-diagnosis line, why) and counts the long lists in a line
that says where they are; on the screen nothing changed. In a real headless Chromium: the
pages counted in the PDF it prints, the words checked in print media."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.web.messages import w

from .test_app import THERAPY
from .test_browser import drive, new_page, start
from .test_browser_small_and_print import _first_case

LOCALES = {"en-CA": "en", "fr-CA": "fr"}
MARGINS = {side: "0.4in" for side in ("top", "bottom", "left", "right")}  # Chromium's default
# each long list, and the line that counts it on paper
LONG = {"flags_absent": "report_flags_checked", "flags_not_asked": "report_flags_not_asked",
        "flags_unchecked": "print_flags_unchecked"}


_LISTS = """() => Array.from(document.querySelectorAll('details.more h2')).map(h =>
  [h.textContent.trim(), h.nextElementSibling ? h.nextElementSibling.children.length : 0])"""


def printed_pages(page: Page) -> int:
    pdf = page.pdf(format="Letter", margin=MARGINS)
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def visible_in_print(page: Page, selector: str) -> list[bool]:
    page.emulate_media(media="print")
    try:
        found = page.locator(selector)
        return [found.nth(i).is_visible() for i in range(found.count())]
    finally:
        page.emulate_media(media="screen")


def cases(pack: CompiledPack) -> list[tuple[str, dict[str, Any]]]:
    return [("therapy", THERAPY),
            *((d, _first_case(pack, d)) for d in ("emergency_department", "doctor_first"))]


@pytest.mark.long(16)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_result_page_prints_the_result_first_and_the_long_lists_counted(
        browser: Browser, server: str, clinical: CompiledPack, locale: str) -> None:
    lang = LOCALES[locale]
    titles = {t(key, lang): said for key, said in LONG.items()}
    for name, answers in cases(clinical):
        context, page = new_page(browser, locale=locale)
        start(page, server)
        assert drive(page, clinical, answers) == "result", name
        # on the screen: every list there, in the details; no printed-only line
        listed = dict(page.evaluate(_LISTS))  # (folded away until opened)
        long = {x: n for x, n in listed.items() if x in titles}
        assert long, (name, listed)  # the case has a long list to leave off paper
        assert not page.locator(".print-only").first.is_visible()
        # on paper: the result, what to do, the not-a-diagnosis line, why, and a line
        # counting the lists and saying where they are; the lists themselves left out
        page.emulate_media(media="print")
        try:
            printed = " ".join(page.locator("body").inner_text().split())
        finally:
            page.emulate_media(media="screen")
        label = page.locator("h1").inner_text()
        for text in (label, t("what_to_do", lang), t("not_diagnosis", lang),
                     t("why", lang), w("print_lists_on_screen", lang,
                                       details=w("details", lang))):
            assert text in printed, (name, text)
        assert printed.index(label) < printed.index(t("not_diagnosis", lang)) \
            < printed.index(t("why", lang)), name
        for title, items in long.items():
            assert items > 1 and title not in printed, (name, title)
            assert w(titles[title], lang, count=items) in printed, (name, title)
        # no more pages than the printable summary of the same result (and at most two)
        pages = printed_pages(page)
        page.goto(server + "/report")
        summary = printed_pages(page)
        assert pages <= max(summary, 2), (name, pages, summary)
        context.close()
