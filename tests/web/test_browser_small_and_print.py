"""The 911 stop and the urgent results on a short screen and on paper, in a real headless
Chromium (sees brk-s):

- at 200% zoom of the common laptop windows (1280x720, 1366x768: 640x360 and 683x384 CSS
  pixels), on a small phone (320x568) and on a phone held sideways, the French stop page's
  "Appeler le 911" button was below the first screen (its heading took two lines of 3rem):
  the button that calls is now on the first screen in both languages, whatever the size;
- printed (Ctrl-P, where browsers leave out backgrounds unless asked), the stop page's white
  words came out pale grey on white (#ababab, 2.3:1): in print media every word of every
  page is dark enough to read on white.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page

from triage.engine.refusal import screen_answers
from triage.pack.compiled import CompiledPack

from .test_app import THERAPY
from .test_browser import drive, kind, start

# (width, height) in CSS pixels: phones upright and sideways, 200% zoom of laptop windows
SIZES = [(360, 640), (320, 568), (375, 667), (568, 320), (640, 360), (683, 384), (640, 400),
         (768, 432), (1280, 800)]
LOCALES = ["en-CA", "fr-CA"]


def _first_case(pack: CompiledPack, disposition: str) -> dict[str, Any]:
    for case in pack.cases:
        outcome = screen_answers(pack, case.answers).outcome
        if outcome is not None and outcome.disposition == disposition:
            return dict(case.answers)
    raise AssertionError(f"no case of the pack ends in {disposition}")


def _reach(page: Page, server: str, pack: CompiledPack, answers: dict[str, Any]) -> str:
    start(page, server)
    return drive(page, pack, answers)


def _on_first_screen(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    height = page.evaluate("() => window.innerHeight")
    return {"top": box["y"], "bottom": box["y"] + box["height"], "height": box["height"],
            "screen": height}


@pytest.mark.long(10)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_call_911_button_is_on_the_first_screen_at_every_size(
        browser: Browser, server: str, clinical: CompiledPack, locale: str) -> None:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    assert _reach(page, server, clinical, _first_case(clinical, "emergency")) == "emergency"
    late = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        for selector in ("h1", "p.action", "a.call"):
            where = _on_first_screen(page, selector)
            if where["top"] < 0 or where["bottom"] > where["screen"]:
                late.append((width, height, selector, round(where["bottom"])))
        assert _on_first_screen(page, "a.call")["height"] >= 44  # still a thumb-sized target
        assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert not late, f"below the first screen ({locale}): {late}"
    context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_an_urgent_result_and_what_to_do_are_on_the_first_screen_at_every_size(
        browser: Browser, server: str, clinical: CompiledPack, locale: str) -> None:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    answers = _first_case(clinical, "emergency_department")
    assert _reach(page, server, clinical, answers) == "result"
    late = []
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        # the label, and under it the start of what to do (its words may go on below)
        for selector in ("div.result h1", "div.result > :nth-child(2) > strong"):
            where = _on_first_screen(page, selector)
            if where["top"] < 0 or where["bottom"] > where["screen"]:
                late.append((width, height, selector, round(where["bottom"])))
    assert not late, f"below the first screen ({locale}): {late}"
    context.close()


# Every element with words of its own that print media shows: its colour and its contrast
# with white paper (a background prints only when the page asks for it with
# print-color-adjust: exact, which no page of ours does).
_PRINTED_WORDS = """() => {
  const lum = (c) => {
    const m = c.match(/rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?\\)/);
    if (!m) return null;
    const alpha = m[4] === undefined ? 1 : Number(m[4]);
    const ch = [m[1], m[2], m[3]].map(v => {
      const s = (alpha * Number(v) + (1 - alpha) * 255) / 255;  // over white paper
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
  };
  const out = [];
  for (const e of document.querySelectorAll('body *')) {
    const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.data.trim());
    if (!own || !e.getClientRects().length) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden' || s.printColorAdjust === 'exact') continue;
    const l = lum(s.color);
    out.push({text: e.textContent.trim().slice(0, 40), color: s.color,
              contrast: l === null ? 0 : 1.05 / (l + 0.05)});
  }
  return out;
}"""


def _printed_pale(page: Page) -> list[dict[str, Any]]:
    page.emulate_media(media="print")
    try:
        words = page.evaluate(_PRINTED_WORDS)
    finally:
        page.emulate_media(media="screen")
    assert words, "nothing printed"
    return [w for w in words if w["contrast"] < 4.5]


@pytest.mark.long(8)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_page_prints_its_words_dark_on_white(browser: Browser, server: str,
                                                  clinical: CompiledPack, locale: str) -> None:
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    pale: dict[str, list[dict[str, Any]]] = {}

    def check(p: Page, now: str) -> None:
        found = _printed_pale(p)
        if found:
            pale.setdefault(now, found)

    page.goto(server + "/")
    check(page, "start")
    page.goto(server + "/no-such-page")
    check(page, "error")
    assert _reach(page, server, clinical, _first_case(clinical, "emergency")) == "emergency"
    check(page, "emergency")
    start(page, server)
    page.check("#answer-none")
    with page.expect_navigation():
        page.click("button[value=answer]")
    with page.expect_navigation():
        page.click("button[value=answer]")  # no number typed: the page with its error
    assert kind(page) == "question"
    check(page, "question with an error")
    for answers in (THERAPY, _first_case(clinical, "emergency_department")):
        start(page, server)
        drive(page, clinical, answers, check)  # every question, the checks, the result
    assert not pale, pale
    context.close()
