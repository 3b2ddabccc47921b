"""The browser's back and forward buttons never tick an answer the person did not give (sees
brk-s), in a real headless Chromium.

Every screening page is at /s and no page is cached (no-store): the back button fetches the
page again, and the server shows the question the person is at. Chromium then put back the
form state it had kept for that history entry, the boxes of the page before, into the
question now shown, where their names matched: after answering "Did this start with an
injury?", back showed the next question with "sudden, severe pain" ticked, never chosen.
A "no" put on a yes/no safety question the same way, and Continue, would have been an answer
the person never gave. The forms say autocomplete="off": nothing is put back.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Browser, Page

from triage.pack.compiled import CompiledPack

from .conftest import Visitor
from .test_app import THERAPY, finish
from .test_browser import answer_page, drive, kind, start

# each answer box as the page shows it against what the server sent (its checked attribute,
# its value attribute)
_NOT_AS_SENT = """() => Array.from(document.querySelectorAll('form input:not([type=hidden])'))
  .filter(e => e.checked !== e.defaultChecked || e.value !== e.defaultValue)
  .map(e => e.name + '=' + e.value + (e.checked ? ' (ticked)' : ''))"""
_HIDDEN_NOT_AS_SENT = """() => Array.from(document.querySelectorAll('input[type=hidden]'))
  .filter(e => e.value !== e.getAttribute('value')).map(e => e.name)"""


def _shown(page: Page) -> tuple[str, list[str], list[str]]:
    question = page.locator("input[name=question]")
    return (question.get_attribute("value") or "" if question.count() else kind(page),
            page.evaluate(_NOT_AS_SENT), page.evaluate(_HIDDEN_NOT_AS_SENT))


def test_back_and_forward_never_tick_an_answer_not_given(browser: Browser, server: str,
                                                         clinical: CompiledPack) -> None:
    answers: dict[str, Any] = dict(THERAPY)
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    start(page, server)
    wrong: list[tuple[str, str, list[str], list[str]]] = []
    for _ in range(40):
        if kind(page) != "question":
            break
        asked = answer_page(page, clinical, answers)
        now = _shown(page)[0]
        for move in ("back", "forward"):
            if move == "back":
                page.go_back()
            else:
                page.go_forward()
            page.wait_for_load_state()
            qid, ticked, hidden = _shown(page)
            assert qid == now, (move, qid, now)  # the question the person is at, as before
            if ticked or hidden:
                wrong.append((f"{move} after {asked}", qid, ticked, hidden))
    assert kind(page) == "result", kind(page)
    assert not wrong, wrong
    # and the result is what the answers give, not a restored answer's
    assert drive(page, clinical, answers) == "result"
    context.close()


def test_every_form_of_every_page_says_autocomplete_off(visitor: Visitor,
                                                        clinical: CompiledPack) -> None:
    """The same, for each kind of page and without a browser: a new form without the
    attribute would be restored by the back button as the question form was."""
    pages = [visitor.get("/")]
    visitor.post({"action": "start"})
    pages.append(visitor.page)  # a question
    visitor.answer("chest_pain")
    pages.append(visitor.page)  # the check of a 911 answer
    visitor.post({"action": "confirm_yes"})
    pages.append(visitor.page)  # the 911 stop
    visitor.post({"action": "back"})
    assert visitor.question() == "emergency_signs"
    visitor.answer(":none")
    visitor.answer("")
    pages.append(visitor.page)  # a question with its error
    finish(visitor, clinical, THERAPY)
    pages.append(visitor.page)  # the result
    kinds = [page.count('class="emergency"') for page in pages]
    assert kinds == [0, 0, 0, 1, 0, 0] and 'class="result' in pages[-1]
    for page in pages:
        forms = re.findall(r"<form\b[^>]*>", page)
        assert forms, page[:200]
        for form in forms:
            assert 'autocomplete="off"' in form, form
