"""The questionnaire with the largest answers a person can give, in a real headless Chromium:
the session cookie is kept on every page and the result comes (the state once outgrew the
cookie, which the browser then dropped: the answers were lost mid-way)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from triage.pack.compiled import CompiledPack
from triage.web import screening
from triage.web.pages import STATE_COOKIE

from .cookie_states import maximal_journey
from .test_browser import answer_page, disposition_on, kind, start

BROWSER_LIMIT = 4096


@pytest.mark.long(12)
def test_the_largest_answers_reach_a_result_in_chromium(browser: Browser, server: str,
                                                        clinical: CompiledPack) -> None:
    """Every box of the first question ticked (then "no, change it" at the 911 check), each
    question with every box that does not stop it, back to the first question, and on again
    through the answers shown: the plan is made in process with the server's own moves, and
    played with clicks."""
    steps, states = maximal_journey(clinical)
    expected = screening.page_for(clinical, states[-1])
    assert expected.kind == "result" and expected.outcome is not None
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    largest = 0
    try:
        for number, step in enumerate(steps):
            if step.action == "start":
                start(page, server)
            elif step.action == "answer":
                assert answer_page(page, clinical, {step.question: step.value}) == step.question
            elif step.action == "continue":  # the answer shown again, sent as it is
                assert page.locator("input[name=question]").get_attribute("value") \
                    == step.question
                ticked = {box.get_attribute("value")
                          for box in page.locator("input[name=answer]:checked").all()}
                if clinical.question_by_id[step.question].type == "multi":
                    assert ticked == (set(step.value) or {screening.NONE_OF_THESE})
                with page.expect_navigation():
                    page.click("button[value=answer]")
            else:  # confirm_no, back
                with page.expect_navigation():
                    page.click(f"button[value={step.action}]")
            cookie = [c for c in context.cookies() if c["name"] == STATE_COOKIE]
            assert cookie, f"the browser holds no session cookie after step {number}"
            largest = max(largest, len(cookie[0]["name"]) + len(cookie[0]["value"]))
        assert kind(page) == "result"
        assert disposition_on(page, clinical, "en") == expected.outcome.disposition
        assert largest < BROWSER_LIMIT
    finally:
        context.close()
