"""`triage serve` in a real headless Chromium, as a patient uses it.

A real server (`python -m triage serve`, uvicorn) on 127.0.0.1 and Debian's
chromium-headless-shell driven by Playwright; axe-core (npm, tests/js) checks every kind of page
for WCAG 2.2 A/AA problems. `.ci/browser.sh` installs the browser and axe-core.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from typer.testing import CliRunner

from triage.cli.app import app
from triage.engine.answers import check_answers
from triage.pack.compiled import CompiledPack
from triage.pack.yamlio import load_yaml_file

from .test_app import THERAPY, option_text

CHROMIUM = Path("/usr/lib/chromium/chromium-headless-shell")
AXE = Path(__file__).parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
VIGNETTES = Path(__file__).parents[1] / "vignettes" / "vignettes.yaml"  # issue 14's suite
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    base = tmp_path_factory.mktemp("serve")
    env = {**os.environ, "TRIAGE_WEB_SECRET": "browser-tests-" + "k" * 40,
           "TRIAGE_DATA_DIR": str(base / "data"), "TRIAGE_CACHE_DIR": str(base / "cache"),
           "TRIAGE_CONFIG_DIR": str(base / "config")}
    process = subprocess.Popen([sys.executable, "-m", "triage", "serve", "--port", str(port),
                                "--no-access-log"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode() if process.stderr
                                         else "serve exited") from None
                time.sleep(0.1)
        else:
            raise AssertionError("triage serve did not answer /healthz")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


def _installed() -> None:
    """Chromium and axe-core, installed by .ci/browser.sh when missing (a fresh clone runs
    the same tests as CI, nothing skipped)."""
    if not (CHROMIUM.exists() and AXE.exists()):
        script = Path(__file__).parents[2] / ".ci" / "browser.sh"
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True,
                              check=False, timeout=900)
        assert done.returncode == 0, f"bash .ci/browser.sh failed:\n{done.stderr[-2000:]}"


# module, not session: Playwright's sync API keeps an asyncio loop running in this thread while
# it is open, and a test of another module run later (the order is random) that calls
# asyncio.run() would fail with "cannot be called from a running event loop"
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _installed()
    assert CHROMIUM.exists(), "headless Chromium is missing: run bash .ci/browser.sh"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    _installed()
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
        for box in page.locator("input[name=answer]:checked").all():
            box.uncheck()  # an answer shown again after going back
        for option in value or []:
            page.check(f"input[name=answer][value='{option}']")
        if not value:
            page.check("#answer-none")
    else:
        page.check(f"input[name=answer][value='{value}']")
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
    page.click("summary")  # the details open, and are still fine
    axe_check(page, axe_source)
    context.close()


def test_an_emergency_stop_after_one_confirmation(browser: Browser, server: str,
                                                   clinical: CompiledPack,
                                                   axe_source: str) -> None:
    context, page = new_page(browser)
    start(page, server)
    page.get_by_label(option_text(clinical, "emergency_signs", "chest_pain")).check()
    page.get_by_role("button", name="Continue").click()
    assert kind(page) == "confirm"
    assert "Chest pain" in page.locator("main").inner_text()
    axe_check(page, axe_source)
    page.get_by_role("button", name="Yes, that is right").click()
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
    page.click("button[value=answer]")
    page.get_by_role("button", name="No, change my answer").click()
    assert page.is_checked("input[value=chest_pain]")  # the answer is shown again
    page.uncheck("input[value=chest_pain]")
    page.check("#answer-none")
    page.click("button[value=answer]")
    page.fill("input[name=answer]", "35")
    page.click("button[value=answer]")
    page.get_by_role("button", name="Back").click()
    assert page.input_value("input[name=answer]") == "35"
    page.get_by_role("button", name="Back").click()
    assert page.is_checked("#answer-none") and not page.is_checked("input[value=chest_pain]")
    assert drive(page, clinical, THERAPY) == "result"
    page.get_by_role("button", name="Change my last answer").click()
    assert kind(page) == "question"
    qid = page.locator("input[name=question]").get_attribute("value")
    assert qid is not None and page.locator("input[name=answer]:checked").count() >= 1
    progress_before = int(page.locator("progress").get_attribute("value") or 0)
    changed = {**THERAPY, qid: _another_answer(clinical, qid, THERAPY[qid])}
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
    page.get_by_role("button", name="Commencer").click()
    assert "Avez-vous" in page.locator("h1").inner_text()
    axe_check(page, axe_source)
    answer_page(page, clinical, THERAPY)
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator(".count").inner_text() == "Question 2"  # same place, other language
    page.get_by_role("link", name="Français").click()
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
    assert page.locator("h1").inner_text() == "Therapy triage summary"
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
    assert page.locator("h1").inner_text() == "Therapy triage summary"
    style = page.locator("h1").evaluate("e => getComputedStyle(e).fontSize")
    assert style != "32px"  # the report's own style applied (Chromium's default h1 is 2em)
    assert problems == []
    context.close()


# What a page is and, on a question page, which question: one round trip instead of several.
_READ = """() => {
  const q = document.querySelector('input[name=question]');
  if (q) return ['question', q.value];
  if (document.querySelector('button[value=confirm_yes]')) return ['confirm', ''];
  return [document.querySelector('section.emergency') ? 'emergency' : 'result',
          document.querySelector('h1').innerText.trim()];
}"""
# Tick or type the answer and press the button, as the real form does (no request is built).
_SUBMIT = """([values, button]) => {
  const boxes = document.querySelectorAll('input[name=answer]');
  for (const box of boxes) {
    if (box.type === 'text') box.value = values[0];
    else box.checked = values.includes(box.value);
  }
  document.querySelector(`button[value=${button}]`).click();
}"""


def quick_drive(page: Page, pack: CompiledPack, answers: dict[str, Any]) -> str:
    """The pages' own forms, filled and sent by the browser; the heading of the last page."""
    for _ in range(80):
        now, detail = page.evaluate(_READ)
        if now not in ("question", "confirm"):
            return str(detail)
        if now == "confirm":
            values, button = [], "confirm_yes"
        else:
            q = pack.question_by_id[detail]
            value = answers[detail]
            values = (sorted(value) or [":none"]) if q.type == "multi" else [str(value)]
            button = "answer"
        with page.expect_navigation(wait_until="domcontentloaded"):
            page.evaluate(_SUBMIT, [values, button])
    raise AssertionError("the questionnaire never ended")


def suite(pack: CompiledPack) -> list[tuple[str, dict[str, Any]]]:
    """The pack's own cases, and the independent vignette suite once it is in the repository."""
    items = [(f"case {c.id}", dict(c.answers)) for c in pack.cases]
    if VIGNETTES.exists():
        doc, problems = load_yaml_file(VIGNETTES)
        assert doc is not None and not problems, problems
        for vignette in doc.data["vignettes"]:
            answers, wrong = check_answers(vignette["answers"], pack.shapes)
            assert not wrong, (vignette["id"], wrong)
            items.append((f"vignette {vignette['id']}", answers))
    return items


def test_the_browser_reaches_what_assess_answers_says_for_every_pack_case(
        browser: Browser, server: str, clinical: CompiledPack,
        tmp_path: Path) -> None:
    """Every case of the pack's own suite (and every vignette), driven through the pages; the
    disposition must be the one `triage assess --answers FILE` prints for the same answers."""
    cases = suite(clinical)
    assert len(cases) > 100
    labels = {clinical.text(advice["label"], "en"): d
              for d, advice in clinical.dispositions.items()}

    def cli(name: str, answers: dict[str, Any]) -> str:
        """`triage assess --answers FILE --format json`, in this process (a few hundred
        interpreter starts would cost more than the whole browser run)."""
        path = tmp_path / "answers.json"
        path.write_text(json.dumps({k: sorted(v) if isinstance(v, frozenset) else v
                                    for k, v in answers.items()}))
        done = CliRunner().invoke(app, ["assess", "--answers", str(path), "--format", "json"])
        assert done.exit_code == 0, (name, done.output)
        return str(json.loads(done.stdout)["disposition"])

    expected = [cli(name, answers) for name, answers in cases]
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    start(page, server)
    reached = []
    for _, answers in cases:
        reached.append(labels[quick_drive(page, clinical, answers)])
        if reached[-1] == "emergency":  # nothing else on the emergency stop
            start(page, server)
            continue
        with page.expect_navigation():  # the result's "Start again"
            page.evaluate(_SUBMIT, [[], "start"])
    context.close()
    wrong = [(name, got, want) for (name, _), got, want
             in zip(cases, reached, expected, strict=True) if got != want]
    assert wrong == []
    assert sorted(set(expected)) == sorted({c.expect for c in clinical.cases})
