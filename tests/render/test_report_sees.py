"""The HTML report a person reads: it opens with the result (title and heading, as the web
pages do), shows every answer the Markdown report shows, and defines no empty term."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.render.test_golden import SCENARIOS, outcome_of
from tests.render.test_report_browser import screenshot
from tests.web.conftest import AXE, CHROMIUM, installed
from tests.web.test_browser import axe_check
from triage.engine.evaluate import evaluate
from triage.pack.bundled import default_pack_dir
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render.report import report_html, report_markdown
from triage.render.result import sections

# the audit's emergency department case: "Can you take 4 steps now...? No" made it ED
ED: dict[str, Any] = {
    "emergency_signs": [], "age": 70, "recent_stroke_signs": "no", "areas": ["whole_body"],
    "ces_signs": [], "neck_neuro": [], "exertion_pain": "no", "today_signs": [],
    "health_history": [], "injury": "last_2_days", "head_injury": "no", "spine_hurt": "no",
    "arm_injury_signs": [], "can_walk_4_steps": "no", "ankle_tender": [], "knee_signs": [],
    "duration": "under_6_weeks", "onset": "gradual", "other_symptoms": [], "first_time": "no",
    "myelopathy_signs": [], "reasons": ["accident_recovery"], "conditions": []}


@pytest.fixture(scope="module")
def bundled() -> CompiledPack:
    return load_pack(default_pack_dir())


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\xa0", " ")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_answer_of_the_markdown_is_in_the_html(bundled: CompiledPack, lang: str) -> None:
    outcome = evaluate(bundled, ED)
    assert outcome.disposition == "emergency_department"
    html = _text(report_html(outcome, bundled, lang))
    markdown = report_markdown(outcome, bundled, lang).replace("\xa0", " ")
    (answers,) = [s for s in sections(outcome, bundled, lang) if s.pairs]
    assert len(answers.pairs) == len(ED)
    for question, answer in answers.pairs:
        assert f"**{answer}**" in markdown
        assert f"{question} {answer}" in html or f"{question}: {answer}" in html \
            or f"{question} : {answer}" in html, (question, answer)
    steps = "Can you take 4 steps now" if lang == "en" else "Pouvez-vous faire 4 pas"
    assert steps in html  # the "no" that made it the emergency department


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_result_comes_first_as_the_heading(pack: CompiledPack, name: str,
                                               lang: str) -> None:
    outcome = outcome_of(pack, name)
    html = report_html(outcome, pack, lang)
    label = pack.text(outcome.advice["label"], lang)
    title = re.search(r"<title>(.*?)</title>", html)
    assert title is not None and _text(title[1]).startswith(label)
    body = html[html.index("<body>"):]
    first_heading = re.search(r"<h(\d)[^>]*>(.*?)</h\1>", body)
    assert first_heading is not None and first_heading[1] == "1"
    assert body.index("<h1") < body.index('class="meta"')  # before the pack line
    if outcome.disposition != "emergency":
        assert _text(first_heading[2]) == label
    assert not re.search(r"<dd>\s*</dd>", html)
    assert html.count("<h1") == 1


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    installed()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_passes_axe_and_reads_result_first(browser: Browser, bundled: CompiledPack,
                                                      lang: str, tmp_path: Path) -> None:
    html = report_html(evaluate(bundled, ED), bundled, lang)
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_content(html)
    label = bundled.text(bundled.dispositions["emergency_department"]["label"], lang)
    assert page.title().startswith(label)
    headings = page.evaluate("[...document.querySelectorAll('h1,h2')].map(h => h.tagName)")
    assert headings[0] == "H1"
    assert page.evaluate("document.querySelector('h1').innerText").replace("\xa0", " ") == label
    axe_check(page, AXE.read_text(encoding="utf-8"))
    screenshot(page, tmp_path / f"report-ed-{lang}.png")
    page.close()
