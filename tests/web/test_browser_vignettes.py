"""Every vignette of the pack's own suite, answered in a real headless Chromium as a person
would, reaches the disposition `triage assess --answers` gives for the same answers.

The suite is every ``*.yaml`` under tests/vignettes (vignettes.yaml, and any file added
beside it). Each page is read and answered through what it shows: the option boxes are found
by their visible labels and ticked with real clicks, a number is typed into the field its
question labels, "Continue" is pressed, and a red flag's check page is confirmed with one key
(Enter on "Yes, that is right"). The browser sends the pages' own forms (CSRF token, sealed
state) to a real `triage serve`. The CLI side runs the console entry point itself
(``triage.cli.entry.main``, what the ``triage`` command runs) in this process: a fresh
interpreter per vignette would cost more than the browser. Answers a page asks for that a
vignette does not give fail the test (the vignette is incomplete), as they would the CLI.

The vignettes are shared between :data:`BROWSERS` browsers driven at once, each from its own
thread with its own Playwright (its API is not for sharing between threads): a page spends
most of its time waiting on the server or on the other browser processes, so two keep the
machine's two cores busier than one.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.conftest import REPO_ROOT
from tests.web.conftest import CHROMIUM, installed
from triage.cli import entry
from triage.engine.answers import check_answers
from triage.pack.compiled import CompiledPack
from triage.pack.yamlio import load_yaml_file

VIGNETTES = REPO_ROOT / "tests" / "vignettes"
DESKTOP = {"width": 1280, "height": 800}
START = re.compile(r"^Start( again)?$")
BROWSERS = 2

# What the page is and, on a question page, which question (one round trip, not several).
_READ = """() => {
  const q = document.querySelector('input[name=question]');
  if (q) return ['question', q.value];
  if (document.querySelector('button[value=confirm_yes]')) return ['confirm', ''];
  return [document.querySelector('section.emergency') ? 'emergency' : 'result',
          document.querySelector('h1').innerText.trim()];
}"""
# By their visible text: the labels to click (or the one to type into) and the Continue button.
_ANSWER = """([labels, typed]) => {
  const all = Array.from(document.querySelectorAll('main label'));
  for (const text of labels) {
    const found = all.filter(l => l.innerText.trim() === text);
    if (found.length !== 1) return text;
    if (typed === null) found[0].click();
    else {
      const field = document.getElementById(found[0].htmlFor);
      field.focus();
      field.value = typed;
      field.dispatchEvent(new Event('input', {bubbles: true}));
    }
  }
  const go = Array.from(document.querySelectorAll('main button'))
    .filter(b => b.innerText.trim() === 'Continue');
  if (go.length !== 1) return 'Continue';
  go[0].click();
  return null;
}"""


def vignette_suite(pack: CompiledPack) -> list[tuple[str, dict[str, Any]]]:
    """(file:id, checked answers) of every vignette in every *.yaml under tests/vignettes."""
    items = []
    files = sorted(VIGNETTES.glob("*.yaml"))
    assert files, VIGNETTES
    for path in files:
        doc, problems = load_yaml_file(path)
        assert doc is not None and not problems, (path.name, problems)
        for vignette in doc.data["vignettes"]:
            answers, wrong = check_answers(vignette["answers"], pack.shapes)
            assert not wrong, (path.name, vignette["id"], wrong)
            items.append((f"{path.name}:{vignette['id']}", answers))
    return items


def assess_answers(answers: dict[str, Any], path: Path) -> str:
    """The disposition `triage assess --answers FILE --format json` prints."""
    path.write_text(json.dumps({k: sorted(v) if isinstance(v, frozenset) else v
                                for k, v in answers.items()}), encoding="utf-8")
    out = io.StringIO()
    argv = sys.argv
    sys.argv = ["triage", "assess", "--answers", str(path), "--format", "json"]
    try:
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stop:
            entry.main()
    finally:
        sys.argv = argv
    assert stop.value.code == 0, out.getvalue()[-500:]
    return str(json.loads(out.getvalue())["disposition"])


def answer_as_a_person(page: Page, pack: CompiledPack, qid: str, value: Any) -> None:
    """Tick the boxes whose labels say the answer (or "None of these"), or type the number
    into the field the question labels; then press Continue. One round trip a page: the
    labels are found by their text and clicked in the page (a click on a label ticks the box
    it is for), and the browser sends the form."""
    q = pack.question_by_id[qid]
    if q.type == "number":
        labels, typed = [pack.text(q.text, "en")], str(value)
    else:
        chosen = sorted(value) if q.type == "multi" else [value]
        labels = [pack.text(o.text, "en") for o in q.options if o.id in chosen]
        assert len(labels) == len(chosen), (qid, value)
        labels, typed = labels or ["None of these"], None
    with page.expect_navigation(wait_until="domcontentloaded"):
        missing = page.evaluate(_ANSWER, [labels, typed])
        assert missing is None, f"{qid}: no label or button {missing!r} on the page"


def drive(page: Page, pack: CompiledPack, answers: dict[str, Any]) -> tuple[str, list[str]]:
    """Answer until a result or the emergency stop: (its heading, the questions asked)."""
    asked: list[str] = []
    for _ in range(80):
        now, detail = page.evaluate(_READ)
        if now == "question":
            assert detail in answers, f"the page asks {detail!r}, which the vignette lacks"
            asked.append(detail)
            answer_as_a_person(page, pack, detail, answers[detail])
        elif now == "confirm":  # the one-key check that a red flag was meant
            with page.expect_navigation(wait_until="domcontentloaded"):
                page.get_by_role("button", name="Yes, that is right").press("Enter")
        else:
            return str(detail), asked
    raise AssertionError("the questionnaire never ended")


def drive_share(server: str, pack: CompiledPack,
                share: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, list[str]]]:
    """(the heading reached, the questions asked) for each vignette of ``share``, in one
    browser of this thread's own."""
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport=DESKTOP, locale="en-CA")  # one, reused
            page = context.new_page()
            for _, answers in share:
                page.goto(server + "/")  # "Start", or "Start again" after a finished one
                with page.expect_navigation(wait_until="domcontentloaded"):
                    page.get_by_role("button", name=START).click()
                out.append(drive(page, pack, answers))
        finally:
            browser.close()
    return out


# the suite in this many parts, each a test of its own: pytest-xdist runs them on several
# workers at once (one test of them all took 2-4 minutes, often the last to finish)
PARTS = 3


@pytest.mark.long(54)
@pytest.mark.parametrize("part", range(PARTS))
def test_the_browser_reaches_what_assess_answers_says_for_every_vignette(
        server: str, clinical: CompiledPack, tmp_path: Path, part: int) -> None:
    installed()
    suite = vignette_suite(clinical)
    assert len(suite) >= 60
    vignettes = suite[part::PARTS]  # every vignette is in exactly one part
    labels = {clinical.text(advice["label"], "en"): d
              for d, advice in clinical.dispositions.items()}
    # a child's result is headed with the label for a parent (pack 0.2.37: child_label)
    labels |= {clinical.text(advice["label"], "en"): d
               for d, advice in clinical.child_dispositions.items() if "label" in advice}
    expected = [assess_answers(answers, tmp_path / "answers.json") for _, answers in vignettes]
    shares = [vignettes[i::BROWSERS] for i in range(BROWSERS)]
    with ThreadPoolExecutor(BROWSERS) as pool:
        driven = list(pool.map(lambda share: drive_share(server, clinical, share), shares))
    reached = [driven[i % BROWSERS][i // BROWSERS] for i in range(len(vignettes))]
    wrong = [(name, labels.get(heading, f"no disposition: {heading!r}"), want, asked)
             for (name, _), (heading, asked), want in zip(vignettes, reached, expected,
                                                          strict=True)
             if labels.get(heading) != want]
    assert wrong == []
    # each part reaches the whole range: the emergency stop (after its confirmation), the
    # emergency department, a doctor, and therapies
    assert sum(want == "emergency" for want in expected) >= 3
    assert {"emergency", "emergency_department", "soft_tissue"} <= set(expected)
