"""The HTML report in a real headless Chromium (Playwright), at a phone's size and on US Letter.

Chromium is Debian's chromium-headless-shell (`.ci/browser.sh` installs it; Playwright cannot
download its own build here). Screenshots go to a temporary folder, or to
``TRIAGE_SCREENSHOT_DIR`` for a person to look at: never into the repository.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from tests.render.test_golden import outcome_of
from triage.pack.compiled import CompiledPack
from triage.render.report import report_html

CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
PHONE = {"width": 390, "height": 844}
LETTER = {"width": 816, "height": 1056}  # 8.5 x 11 in at 96 px per inch
MIN_PX = 16.0  # 12 pt


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def screenshot(page: Page, path: Path) -> None:
    """A screenshot for a person to look at (not checked by the tests). Chromium sometimes
    answers "Unable to capture screenshot" when no frame was drawn in time, on a machine
    busy with other work (one CI run in many): it is asked again once."""
    try:
        page.screenshot(path=str(path), full_page=True)
    except PlaywrightError as exc:
        if "Unable to capture screenshot" not in str(exc):
            raise
        page.wait_for_timeout(500)
        page.screenshot(path=str(path), full_page=True)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("TRIAGE_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_report(browser: Browser, html: str, size: dict[str, int]) -> Page:
    page = browser.new_page(viewport=size)  # type: ignore[arg-type]
    page.set_content(html)
    return page


SMALLEST_TEXT = """() => {
  let smallest = 1000, where = '';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const size = parseFloat(getComputedStyle(node.parentElement).fontSize);
    if (size < smallest) { smallest = size; where = node.textContent.trim().slice(0, 40); }
  }
  return [smallest, where];
}"""


@pytest.mark.parametrize("name", ["knee", "emergency", "fall"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_text_below_12_points(browser: Browser, pack: CompiledPack, name: str,
                                 lang: str) -> None:
    page = open_report(browser, report_html(outcome_of(pack, name), pack, lang), LETTER)
    smallest, where = page.evaluate(SMALLEST_TEXT)
    assert smallest >= MIN_PX, f"{where!r} is set at {smallest}px"
    page.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_column_on_a_phone(browser: Browser, pack: CompiledPack, lang: str,
                               shots: Path) -> None:
    page = open_report(browser, report_html(outcome_of(pack, "knee"), pack, lang), PHONE)
    screenshot(page, shots / f"report-knee-{lang}-phone.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    columns = page.evaluate("getComputedStyle(document.querySelector('ul.cols')).columnCount")
    assert columns in ("1", "auto")
    # definition terms above their text, not beside it in a cramped grid
    grid = page.evaluate("getComputedStyle(document.querySelector('dl')).gridTemplateColumns")
    assert len(grid.split()) == 1, grid
    page.close()


def _pdf_pages(page: Page) -> int:
    pdf = page.pdf(format="Letter", print_background=True)
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("name", ["knee", "emergency"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_prints_on_one_letter_page(browser: Browser, pack: CompiledPack, name: str, lang: str,
                                   shots: Path) -> None:
    page = open_report(browser, report_html(outcome_of(pack, name), pack, lang), LETTER)
    screenshot(page, shots / f"report-{name}-{lang}-letter.png")
    assert _pdf_pages(page) == 1
    page.close()


@pytest.mark.parametrize(("lang", "banner", "routine"), [
    ("en", "EMERGENCY: CALL 911 NOW", ("referral", "Bring this page", "Good to know")),
    ("fr", "URGENCE : APPELEZ LE 911 MAINTENANT", ("recommandation pour", "Apportez",
                                                  "Bon à savoir"))])
def test_the_emergency_report_is_unmistakable(browser: Browser, pack: CompiledPack, lang: str,
                                              banner: str, routine: tuple[str, ...]) -> None:
    page = open_report(browser, report_html(outcome_of(pack, "emergency"), pack, lang), LETTER)
    box: Any = page.evaluate("""() => {
      const box = document.querySelector('section.result');
      const style = getComputedStyle(box);
      return [box.innerText, style.backgroundColor, style.color];
    }""")
    text, background, colour = box
    # the banner's colon is kept with its word by a no-break space (read as a space)
    assert text.splitlines()[0].replace("\xa0", " ") == banner  # in words first
    red, green, blue = (int(x) for x in re.findall(r"\d+", background)[:3])
    assert red > 150 and green < 60 and blue < 60, background  # a red banner
    assert colour == "rgb(255, 255, 255)"
    body = page.evaluate("document.body.innerText")
    for word in routine:
        assert word not in body
    page.close()


@pytest.mark.parametrize(("lang", "checked", "clinical"), [
    ("en", "2 warning signs were checked and are not present.", "Chest pain can be a heart"),
    ("fr", "2 signes d'alerte ont été vérifiés et sont absents.",
     "Une douleur à la poitrine")])
def test_the_screened_list_is_one_plain_sentence(browser: Browser, pack: CompiledPack,
                                                 lang: str, checked: str,
                                                 clinical: str) -> None:
    page = open_report(browser, report_html(outcome_of(pack, "knee"), pack, lang), LETTER)
    body = page.evaluate("document.body.innerText").replace("\xa0", " ")
    assert checked in body
    assert clinical not in body
    not_asked = {"en": "1 other warning sign did not apply to your answers, so it was not "
                       "asked about.",
                 "fr": "1 autre signe d'alerte ne s'appliquait pas à vos réponses : il n'a pas "
                       "été demandé."}[lang]
    assert not_asked in body  # the fall rule: its questions were not asked for a knee
    page.close()


def test_the_french_report_is_french(browser: Browser, pack: CompiledPack) -> None:
    page = open_report(browser, report_html(outcome_of(pack, "knee"), pack, "fr"), LETTER)
    body = page.evaluate("document.body.innerText")
    for english in ("Result", "What to do", "How soon", "Your answers", "warning signs",
                    "Bring this page", "not a diagnosis"):
        assert english not in body
    assert "Sources (publications en anglais)" in body  # the citations' own titles stay
    page.close()


# every French mark that follows a space (or « followed by one) whose line differs from the
# word before it (after it, for «): the browser parted them
PARTED_MARKS = r"""() => {
  const parted = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const top = (node, i) => {
    const range = document.createRange();
    range.setStart(node, i); range.setEnd(node, i + 1);
    return range.getBoundingClientRect().top;
  };
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.textContent;
    for (let i = 1; i < text.length - 1; i++) {
      let word = -1;
      if (':;?!»'.includes(text[i]) && /\s/.test(text[i - 1]) && i > 1) word = i - 2;
      if (text[i] === '«' && /\s/.test(text[i + 1]) && i + 2 < text.length) word = i + 2;
      if (word >= 0 && Math.abs(top(node, word) - top(node, i)) > 2)
        parted.push(text.slice(Math.max(0, i - 12), i + 12));
    }
  }
  return parted;
}"""


def test_french_marks_stay_with_their_words_at_any_width(browser: Browser,
                                                         pack: CompiledPack) -> None:
    """Chromium breaks before " :" and " ?" (and after "« "): the report's no-break spaces
    keep each mark on its word's line, from a phone's width up."""
    html = report_html(outcome_of(pack, "knee"), pack, "fr")
    page = browser.new_page()
    page.set_content(html)
    for width in range(280, 700, 9):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate(PARTED_MARKS) == [], width
    page.close()
