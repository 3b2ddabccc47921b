"""A failed submit in the browser: focus moves to the error summary (no script: autofocus),
and the answer's inputs say they are invalid (aria-invalid), for a screen reader to hear."""

from __future__ import annotations

from playwright.sync_api import Browser, Page

from .test_browser import focused, new_page, start

FOCUSED = "a && a.className"


def _submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("button[value=answer]")


def test_a_failed_submit_focuses_the_problem_and_marks_the_answer(browser: Browser,
                                                                  server: str) -> None:
    context, page = new_page(browser)
    start(page, server)
    assert page.locator("[aria-invalid]").count() == 0  # nothing wrong yet
    _submit(page)  # nothing chosen
    assert page.locator(".error-summary").is_visible()
    assert focused(page, FOCUSED, "error-summary") == "error-summary"
    boxes = page.locator("input[name=answer]")
    assert boxes.count() > 1
    assert all(boxes.nth(i).get_attribute("aria-invalid") == "true"
               for i in range(boxes.count()))
    page.check("#answer-none")
    _submit(page)
    page.fill("#answer-first", "forty")  # the age, not a number
    _submit(page)
    assert focused(page, FOCUSED, "error-summary") == "error-summary"
    assert page.get_attribute("#answer-first", "aria-invalid") == "true"
    page.fill("#answer-first", "40")
    _submit(page)
    assert page.locator("[aria-invalid]").count() == 0
    context.close()
