"""The exported Questionnaire in a real FHIR form renderer: LHC-Forms (the NLM's, npm
``lforms``, pinned in package-lock.json) in headless Chromium (Debian's
chromium-headless-shell, driven by Playwright), served from 127.0.0.1 with every other
request refused.

R4 and R5 exports load with no console errors; a script fills the form as a person would
(clicks and typing) for a therapy case and an emergency case, checking at every step that
the form shows exactly the questions the engine would ask; the QuestionnaireResponse that
LHC-Forms itself produces then goes through ``triage assess --answers`` to the same
disposition as the same answers given as a plain answers file.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from typer.testing import CliRunner

from tests.interop.fhir_support import NODE_MODULES, need_node_modules, valid
from triage.cli.app import app
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO
from triage.conditions.truth import State, truth
from triage.engine.answers import check_answers
from triage.engine.evaluate import question_states
from triage.interop.fhir import (
    NONE_OPTION,
    NOTICE_PREFIX,
    Canon,
    emergency_notices,
    questionnaire,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack

CHROMIUM = "/usr/lib/chromium/chromium-headless-shell"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>triage in LHC-Forms</title>
<link href="/lforms/webcomponent/styles.css" rel="stylesheet">
<script src="/lforms/webcomponent/assets/lib/zone.min.js"></script>
<script src="/lforms/webcomponent/runtime.js" type="module"></script>
<script src="/lforms/webcomponent/polyfills.js" type="module"></script>
<script src="/lforms/webcomponent/main.js" type="module"></script>
<script src="/lforms/fhir/lformsFHIRAll.min.js" defer></script>
</head><body><div id="form"></div></body></html>
"""
THERAPY_CASE = "neck_injury_near_miss_age_64"  # its path needs two FHIRPath expressions
EMERGENCY_CASE = "neck_injury_dangerous_mechanism"
runner = CliRunner()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """LHC-Forms' built files and a page that loads them, on 127.0.0.1."""
    need_node_modules()
    root = tmp_path_factory.mktemp("site")
    (root / "lforms").symlink_to(NODE_MODULES / "lforms" / "dist" / "lforms")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    need_node_modules()  # Chromium too
    assert Path(CHROMIUM).exists(), "run 'bash .ci/browser.sh' (apt chromium-headless-shell)"
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(None, use_cache=False)


class Form:
    """One LHC-Forms page showing a Questionnaire, and what went wrong on it."""

    def __init__(self, browser: Browser, site: str, resource: dict[str, Any],
                 version: str) -> None:
        self.page: Page = browser.new_page()
        self.problems: list[str] = []
        self.system = resource["item"][0]["answerOption"][0]["valueCoding"]["system"]
        self.page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "assert") else None)
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))

        def only_local(route: Any) -> None:
            if route.request.url.startswith(site + "/"):
                route.continue_()
            else:
                self.problems.append(f"request outside the test server: {route.request.url}")
                route.abort()

        self.page.route("**/*", only_local)
        self.page.goto(f"{site}/index.html")
        self.page.wait_for_function("window.LForms && LForms.Util && LForms.FHIR")
        loaded = self.page.evaluate(
            """([q, v]) => LForms.Util.addFormToPage(q, "form", {fhirVersion: v})
                 .then(() => "ok", e => "failed: " + e)""", [resource, version])
        assert loaded == "ok", loaded
        self.version = version

    def shown(self) -> list[str]:
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('lhc-item'))
            .map(e => e.id.replace(/^item-/, '').replace(/\\/1$/, ''))""")

    def wait_until_shown(self, expected: list[str]) -> None:
        try:
            self.page.wait_for_function(
                """expected => JSON.stringify(Array.from(document.querySelectorAll('lhc-item'))
                     .map(e => e.id.replace(/^item-/, '').replace(/\\/1$/, '')))
                     === JSON.stringify(expected)""", arg=expected, timeout=5000)
        except Exception:
            raise AssertionError(f"shown {self.shown()}, the engine asks {expected}") from None

    def option(self, qid: str, code: str) -> Any:
        return self.page.locator(f'[id="{qid}/1|{self.system}|{qid}.{code}"]')

    def answer(self, pack: CompiledPack, qid: str, value: Any) -> None:
        kind = pack.question_by_id[qid].type
        if kind == NUMBER:
            field = self.page.locator(f'[id="{qid}/1"]')
            field.fill(str(value))
            field.press("Tab")
        elif kind == YES_NO:
            self.page.locator(f'[id="{qid}/1|{"true" if value == "yes" else "false"}"]').click()
        elif kind == SINGLE:
            self.option(qid, value).click()
        else:
            assert kind == MULTI
            for option in [o.id for o in pack.question_by_id[qid].options if o.id in value] or [
                    NONE_OPTION]:
                self.option(qid, option).click()

    def response(self) -> dict[str, Any]:
        found: dict[str, Any] = self.page.evaluate(
            """v => LForms.Util.getFormFHIRData("QuestionnaireResponse", v,
                                                  document.getElementById("form"))""",
            self.version)
        return found


def engine_shows(pack: CompiledPack, answers: dict[str, Any]) -> list[str]:
    """The questions a form filled with ``answers`` must show (no answer: not answered),
    and a "call 911" notice after the last question of an emergency red flag that holds."""
    state = State(answers, frozenset(), pack.shapes)
    notices = emergency_notices(pack)
    shown = []
    for q in pack.questions:
        if q.ask_if is None or truth(q.ask_if, state) is True:
            shown.append(q.id)
        if any(truth(r.when, state) is True for r in notices.get(q.id, ())):
            shown.append(f"{NOTICE_PREFIX}{q.id}")
    return shown


@pytest.mark.parametrize("version", ["R4", "R5"])
def test_the_export_loads_with_every_question_and_option(
        browser: Browser, site: str, clinical: CompiledPack, tmp_path: Path,
        version: str) -> None:
    resource = questionnaire(clinical, fhir_version=version)  # type: ignore[arg-type]
    form = Form(browser, site, resource, version)
    try:
        form.wait_until_shown(engine_shows(clinical, {}))
        for item in resource["item"]:
            if item["linkId"] in form.shown():
                labels = form.page.locator(f'[id^="{item["linkId"]}/1|"]')
                assert labels.count() == len(item.get("answerOption", [])) or (
                    item["type"] not in ("coding", "choice")), item["linkId"]
        # LHC-Forms 40 does not enforce optionExclusive yet (its sdc-support.md lists it as
        # not supported): a person can tick "none of these" and an option together. Such a
        # response is refused, never read as either answer. (This fails once LHC-Forms
        # enforces optionExclusive: then docs/fhir.md's advice to clients can change.)
        form.option("areas", "neck").click()
        form.option("areas", NONE_OPTION).click()
        both = tmp_path / "both.json"
        both.write_text(json.dumps(form.response()), encoding="utf-8")
        result = runner.invoke(app, ["assess", "--answers", str(both)])
        assert result.exit_code == 1
        assert "item 'areas': 'none of these' was chosen together with other options" in \
            result.stderr
        assert form.problems == []
    finally:
        form.page.close()


@pytest.mark.parametrize("version", ["R4", "R5"])
@pytest.mark.parametrize(("case_id", "expected"), [(THERAPY_CASE, "soft_tissue"),
                                                   (EMERGENCY_CASE, "emergency")])
def test_a_form_filled_in_lforms_screens_to_the_same_disposition(
        browser: Browser, site: str, clinical: CompiledPack, tmp_path: Path, version: str,
        case_id: str, expected: str) -> None:
    case = next(c for c in clinical.cases if c.id == case_id)
    normal, _ = check_answers(case.answers, clinical.shapes)
    applicable = question_states(clinical, normal).applicable
    resource = questionnaire(clinical, fhir_version=version)  # type: ignore[arg-type]
    assert resource["url"] == Canon(clinical.id).questionnaire
    form = Form(browser, site, resource, version)
    try:
        so_far: dict[str, Any] = {}
        form.wait_until_shown(engine_shows(clinical, so_far))
        for q in clinical.questions:  # in the order a person meets them
            if q.id in applicable:
                form.answer(clinical, q.id, applicable[q.id])
                so_far[q.id] = applicable[q.id]
                form.wait_until_shown(engine_shows(clinical, so_far))
                valid(form.response(), version)  # what LHC-Forms exports at every step
        response = form.response()
        notice = form.page.get_by_text("Call 911 now. Call 911 or your local emergency")
        assert notice.is_visible() == (expected == "emergency")
        assert form.problems == []
    finally:
        form.page.close()
    valid(response, version)
    from_lforms = tmp_path / "lforms-response.json"
    from_lforms.write_text(json.dumps(response), encoding="utf-8")
    plain = tmp_path / "answers.json"
    plain.write_text(json.dumps({k: sorted(v) if isinstance(v, frozenset) else v
                                 for k, v in case.answers.items()}), encoding="utf-8")
    results = []
    for path in (from_lforms, plain):
        result = runner.invoke(app, ["assess", "--answers", str(path), "--format", "json"])
        assert result.exit_code == 0, result.stderr
        results.append(json.loads(result.stdout))
    assert results[0]["disposition"] == results[1]["disposition"] == expected
    assert results[0]["answers"] == results[1]["answers"]
