"""`triage serve` in a real headless Chromium, as a patient uses it.

A real server (`python -m triage serve`, uvicorn) on 127.0.0.1 and Debian's
chromium-headless-shell driven by Playwright; axe-core (npm, tests/js) checks every kind of page
for WCAG 2.2 A/AA problems. `.ci/browser.sh` installs the browser and axe-core.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from triage.pack.compiled import CompiledPack

from .conftest import AXE, _free_port, installed, serving
from .test_app import THERAPY, option_text

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def axe_source() -> str:
    installed()
    assert AXE.exists(), "axe-core is missing: run bash .ci/browser.sh"
    return AXE.read_text(encoding="utf-8")


def new_page(browser: Browser, *, viewport: dict[str, int] = DESKTOP, locale: str = "en-CA",
             **options: Any) -> tuple[BrowserContext, Page]:
    # bypass_csp: only so axe can be injected; test_no_csp_violations runs with the CSP on
    context = browser.new_context(viewport=viewport, locale=locale, bypass_csp=True, **options)
    return context, context.new_page()


def axe_check(page: Page, axe_source: str) -> None:
    """No serious or critical WCAG 2.2 A/AA violation on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " where: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))", WCAG)
    bad = [v for v in found if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {json.dumps(bad, indent=1)}"


def focused(page: Page, expression: str, want: str) -> Any:
    """``expression`` over ``a``, the focused element, once it gives
    ``want``, or after 2 s: Chromium moves the focus to an ``autofocus`` element at the
    page's next rendering, which can come after the load event a navigation waits for (a
    test that read it at once failed now and then)."""
    read = f"() => {{ const a = document.activeElement; return {expression}; }}"
    with contextlib.suppress(PlaywrightTimeout):  # (the assertion after says what it was)
        page.wait_for_function(f"() => ({read})() === {json.dumps(want)}", timeout=2000)
    return page.evaluate(read)


def follow(page: Page, target: Locator) -> None:
    """Click a button or link that loads a new page, and wait for that page: reading the page
    right after a bare click can still see the old one (or none) on a loaded machine."""
    with page.expect_navigation():
        target.click()


def kind(page: Page) -> str:
    if page.locator("input[name=question]").count():
        return "question"
    if page.locator("button[value=confirm_yes]").count():
        return "confirm"
    if page.locator("section.emergency").count():
        return "emergency"
    if page.locator("div.result").count():
        return "result"
    return "other"


def answer_page(page: Page, pack: CompiledPack, answers: dict[str, Any]) -> str:
    """Answer the question on the page from ``answers`` as a person would: tick, type, click."""
    qid = page.locator("input[name=question]").get_attribute("value")
    assert qid is not None
    q = pack.question_by_id[qid]
    value = answers[qid]
    if q.type == "number":
        page.fill("input[name=answer]", str(value))
    elif q.type == "multi":
        # an answer shown again after going back: untick one at a time (a list of the
        # ticked boxes taken first shifts as they are unticked)
        ticked = page.locator("input[name=answer]:checked")
        while ticked.count():
            ticked.first.uncheck()
        for option in value or []:
            page.check(f"input[name=answer][value='{option}']")
        if not value:
            page.check("#answer-none")
    else:
        page.check(f"input[name=answer][value='{value}']")
    # wait for the next page: under load, looking at the page straight after the click can
    # still see the old one, or none (then drive() took it for the end of the questionnaire)
    with page.expect_navigation():
        page.click("button[value=answer]")
    return qid


def drive(page: Page, pack: CompiledPack, answers: dict[str, Any],
          on_page: Any = None) -> str:
    """Answer until a result or an emergency stop; the kind of the last page."""
    for _ in range(80):
        now = kind(page)
        if on_page is not None:
            on_page(page, now)
        if now == "question":
            answer_page(page, pack, answers)
        elif now == "confirm":
            with page.expect_navigation():
                page.click("button[value=confirm_yes]")
        else:
            return now
    raise AssertionError("the questionnaire never ended")


def start(page: Page, server: str) -> None:
    page.goto(server + "/")
    with page.expect_navigation():
        page.click("button[value=start]")


def disposition_on(page: Page, pack: CompiledPack, lang: str) -> str:
    labels = {pack.text(advice["label"], lang): d for d, advice in pack.dispositions.items()}
    return labels[page.locator("h1").inner_text().strip()]


# ------------------------------------------------------------------------------ journeys


@pytest.mark.long(8)
def test_a_therapy_case_passes_axe_on_every_page(browser: Browser, server: str,
                                                  clinical: CompiledPack,
                                                  axe_source: str) -> None:
    context, page = new_page(browser)
    page.goto(server + "/")
    axe_check(page, axe_source)
    page.click("button[value=start]")
    page.click("button[value=answer]")  # nothing chosen: the error state is checked too
    assert page.locator(".error-summary").is_visible()
    axe_check(page, axe_source)
    seen: set[str] = set()

    def check(p: Page, now: str) -> None:
        qid = p.locator("input[name=question]").get_attribute("value") if now == "question" \
            else now
        q = clinical.question_by_id.get(qid or "")
        shape = q.type if q else now
        if shape not in seen:  # each kind of page once: multi, number, single, yes/no, result
            seen.add(shape)
            axe_check(p, axe_source)

    assert drive(page, clinical, THERAPY, check) == "result"
    check(page, "result")
    assert disposition_on(page, clinical, "en") == "soft_tissue"
    assert {"multi", "number", "single", "result"} <= seen
    # safety-netting is on the result itself, as on the terminal, not behind "details"
    assert page.get_by_role("heading", name="Watch for").is_visible()
    assert not page.get_by_role("heading", name="Your answers").is_visible()
    page.click("summary")  # the details open, and are still fine
    axe_check(page, axe_source)
    context.close()


def test_an_emergency_stop_after_one_confirmation(browser: Browser, server: str,
                                                   clinical: CompiledPack,
                                                   axe_source: str) -> None:
    context, page = new_page(browser)
    start(page, server)
    page.get_by_label(option_text(clinical, "emergency_signs", "chest_pain")).check()
    follow(page, page.get_by_role("button", name="Continue"))
    assert kind(page) == "confirm"
    assert "Chest pain" in page.locator("main").inner_text()
    axe_check(page, axe_source)
    follow(page, page.get_by_role("button", name="Yes, that is right"))
    assert kind(page) == "emergency"
    assert page.get_by_role("heading", level=1).inner_text() == "Call 911 now"
    banner = page.locator("section.emergency").bounding_box()
    assert banner is not None and banner["width"] == DESKTOP["width"]  # full width
    red = page.locator("section.emergency").evaluate("e => getComputedStyle(e).backgroundColor")
    assert red == "rgb(176, 0, 32)"
    text = page.locator("body").inner_text()
    for routine in ("referral", "insurance", "Book a", "summary"):
        assert routine not in text
    assert page.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    axe_check(page, axe_source)
    context.close()


def test_going_back_and_changing_an_answer(browser: Browser, server: str,
                                           clinical: CompiledPack) -> None:
    context, page = new_page(browser)
    start(page, server)
    page.check("input[value=chest_pain]")
    follow(page, page.locator("button[value=answer]"))
    follow(page, page.get_by_role("button", name="No, change my answer"))
    assert page.is_checked("input[value=chest_pain]")  # the answer is shown again
    page.uncheck("input[value=chest_pain]")
    page.check("#answer-none")
    follow(page, page.locator("button[value=answer]"))
    page.fill("input[name=answer]", "35")
    # each page waited for (see follow): a bare click could reach the same-named button of
    # the page before
    follow(page, page.locator("button[value=answer]"))
    follow(page, page.get_by_role("button", name="Back"))
    assert page.input_value("input[name=answer]") == "35"
    follow(page, page.get_by_role("button", name="Back"))
    assert page.is_checked("#answer-none") and not page.is_checked("input[value=chest_pain]")
    with page.expect_navigation():
        page.click("button[value=answer]")
    assert page.input_value("input[name=answer]") == "35"  # the later answer is kept too
    assert drive(page, clinical, THERAPY) == "result"
    follow(page, page.get_by_role("button", name="Change my last answer"))
    assert kind(page) == "question"
    qid = page.locator("input[name=question]").get_attribute("value")
    assert qid is not None and page.locator("input[name=answer]:checked").count() >= 1
    progress_before = int(page.locator("progress").get_attribute("value") or 0)
    # the changed answer may open a question asked again later (pack 0.2.7: recovery after an
    # operation asks the wound signs again, falls the head injury): answered "none"
    changed = {**THERAPY, "wound_signs_later": [], "head_injury_later": "no",
               qid: _another_answer(clinical, qid, THERAPY[qid])}
    assert drive(page, clinical, changed) in ("result", "emergency")
    assert progress_before > 0
    context.close()


def _another_answer(pack: CompiledPack, qid: str, value: Any) -> Any:
    q = pack.question_by_id[qid]
    if q.type == "multi":
        return [] if value else [q.options[0].id]
    if q.type == "yes_no":
        return "no" if value == "yes" else "yes"
    if q.type == "single":
        return next(o.id for o in q.options if o.id != value)
    return value + 1


def test_french_from_the_browser_and_switchable_midway(browser: Browser, server: str,
                                                       clinical: CompiledPack,
                                                       axe_source: str) -> None:
    context, page = new_page(browser, locale="fr-CA")
    page.goto(server + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    follow(page, page.get_by_role("button", name="Commencer"))
    assert "Avez-vous" in page.locator("h1").inner_text()
    axe_check(page, axe_source)
    answer_page(page, clinical, THERAPY)
    follow(page, page.get_by_role("link", name="English"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".count").inner_text() == "Question 2"  # same place, other language
    follow(page, page.get_by_role("link", name="Français"))
    assert drive(page, clinical, THERAPY) == "result"
    assert disposition_on(page, clinical, "fr") == "soft_tissue"
    assert "Ceci n'est pas un diagnostic" in page.locator("main").inner_text()
    axe_check(page, axe_source)
    context.close()


@pytest.mark.parametrize("width", [360, 320])
def test_a_phone_never_scrolls_sideways(browser: Browser, server: str, clinical: CompiledPack,
                                        axe_source: str, width: int) -> None:
    """360 px phones; 320 px is also what 400% zoom of a 1280 px window leaves (WCAG reflow)."""
    context, page = new_page(browser, viewport={"width": width, "height": 740},
                             is_mobile=True, has_touch=True, device_scale_factor=2)

    def fits(p: Page, now: str) -> None:
        overflow = p.evaluate("() => document.documentElement.scrollWidth")
        assert overflow <= width, (now, overflow)
        box = p.locator("main button").first.bounding_box()
        assert box is not None and box["height"] >= 44  # a thumb-sized target

    page.goto(server + "/")
    fits(page, "start")
    with page.expect_navigation():  # (as in answer_page: under load drive() saw the old page)
        page.click("button[value=start]")
    assert drive(page, clinical, THERAPY, fits) == "result"
    fits(page, "result")
    if width == 360:
        axe_check(page, axe_source)
    context.close()


def test_printing_the_report_gives_one_page(browser: Browser, server: str,
                                            clinical: CompiledPack) -> None:
    context, page = new_page(browser)
    start(page, server)
    drive(page, clinical, THERAPY)
    page.get_by_role("link", name="Print or save your summary").click()
    # the report opens with the result, as the result page does; what it is comes after
    disposition_on(page, clinical, "en")  # the h1 is a disposition's label
    assert page.title().endswith("Therapy triage summary")
    pdf = page.pdf(format="Letter", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>") + \
        pdf.count(b"/Type /Page/") + pdf.count(b"/Type /Page ") == 1
    context.close()


def test_no_csp_violations_or_console_errors(browser: Browser, server: str,
                                             clinical: CompiledPack) -> None:
    context = browser.new_context(viewport=DESKTOP)  # the real CSP, not bypassed
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    start(page, server)
    drive(page, clinical, THERAPY)
    page.goto(server + "/report")
    # the report opens with the result, as the result page does; what it is comes after
    disposition_on(page, clinical, "en")  # the h1 is a disposition's label
    assert page.title().endswith("Therapy triage summary")
    style = page.locator("h1").evaluate("e => getComputedStyle(e).fontSize")
    assert style != "32px"  # the report's own style applied (Chromium's default h1 is 2em)
    assert problems == []
    context.close()


# ------------------------------------------------------------------------------ the key


def test_a_page_open_while_the_key_is_rotated_is_answered_as_usual(
        browser: Browser, clinical: CompiledPack, tmp_path: Path) -> None:
    """What the README promises: TRIAGE_WEB_SECRET=new,old rotates the key without ending a
    session. A question left open in the browser while the server restarts with the new key
    first carries a CSRF token made with the old key (that form was refused, 403); once a
    page of the new key is shown, the old key can go."""
    old, new = "old-key-" + "o" * 40, "new-key-" + "n" * 40
    port = _free_port()
    context, page = new_page(browser)
    try:
        with serving(tmp_path, secret=old, port=port) as url:
            start(page, url)
            assert kind(page) == "question"
        with serving(tmp_path, secret=f"{new},{old}", port=port):
            assert answer_page(page, clinical, THERAPY) == "emergency_signs"
            assert kind(page) == "question", page.locator("h1").inner_text()
        with serving(tmp_path, secret=new, port=port):
            assert answer_page(page, clinical, THERAPY) == "age"
            assert drive(page, clinical, THERAPY) == "result"
            assert disposition_on(page, clinical, "en") == "soft_tissue"
    finally:
        context.close()
