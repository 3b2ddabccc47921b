"""The web app in-process: the whole questionnaire, and every way a request can be wrong.

Each bad request gets a clear 4xx page, changes nothing, stores nothing and echoes nothing.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import re
import shutil
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.testclient import TestClient

from tests.conftest import MINIMAL
from triage.engine.evaluate import evaluate
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.records import SqlRecordStore, StoreError, open_store, resolve_settings
from triage.render import sections
from triage.render.report import report_html
from triage.web import screening
from triage.web.app import create_app
from triage.web.config import WebConfig
from triage.web.messages import w
from triage.web.state import KEY_ID_CHARS, Sealer, WebState

from .conftest import KEY, Visitor, make_client

THERAPY = {"emergency_signs": [], "age": 35, "areas": ["shoulder"], "today_signs": [],
           "health_history": [], "injury": "none", "duration": "under_6_weeks",
           "other_symptoms": [], "reasons": ["strain"], "conditions": [],
           "recent_stroke_signs": "no", "exertion_pain": "no"}


def form_values(pack: CompiledPack, qid: str, value: Any) -> list[str]:
    q = pack.question_by_id[qid]
    if q.type == "multi":
        return list(value) or [screening.NONE_OF_THESE]
    return [str(value)]


def finish(visitor: Visitor, pack: CompiledPack, answers: dict[str, Any]) -> None:
    for _ in range(60):
        qid = visitor.question()
        if qid is None:
            if 'value="confirm_yes"' in visitor.page:
                visitor.post({"action": "confirm_yes"})
                continue
            return
        visitor.answer(*form_values(pack, qid, answers[qid]))
    raise AssertionError("never finished")


def count_records() -> int:
    settings = resolve_settings()
    if not settings.store_path.exists():
        return 0
    with open_store(settings) as store:
        return store.count()


def replace_cookie(visitor: Visitor, value: str) -> None:
    visitor.client.cookies.clear()
    visitor.client.cookies.set("__Host-triage", value)


# ----------------------------------------------------------------------------- happy paths


def test_a_therapy_case_from_start_to_result(visitor: Visitor, clinical: CompiledPack) -> None:
    visitor.start()
    assert visitor.question() == "emergency_signs"
    finish(visitor, clinical, THERAPY)
    assert visitor.status == 200
    assert "<h1>Massage therapy (RMT)</h1>" in visitor.page
    assert "This is not a diagnosis" in visitor.page and "referral" in visitor.page
    assert count_records() == 0  # nothing stored without --record


def test_the_first_screen_shows_what_the_terminal_shows_first(
        visitor: Visitor, clinical: CompiledPack) -> None:
    """Safety-netting ("Watch for") and the therapist's precautions are never folded away:
    every section the terminal shows on its first screen is on the page before the details."""
    answers = {**THERAPY, "health_history": ["blood_thinners"], "head_injury": "no"}
    visitor.start()
    finish(visitor, clinical, answers)
    first, _, folded = visitor.page.partition("<details")
    outcome = evaluate(clinical, answers)
    head, *rest = sections(outcome, clinical, "en")  # the head is the page's h1
    assert f"<h1>{escape(head.items[0])}</h1>" in first
    on_first_screen = [s for s in rest if not s.detail]
    assert {"Watch for", "Tell your therapist"} <= {s.title for s in on_first_screen}
    for s in on_first_screen:
        assert escape(s.title) in first, s.title
        for item in s.items:
            assert escape(item) in first, item
    assert escape("Your answers") in folded and escape("Your answers") not in first


def test_the_answers_read_question_then_answer(visitor: Visitor,
                                              clinical: CompiledPack) -> None:
    """The short question, then the answer in bold: not the question with its instructions
    run into a lower-case answer ("Choose all that apply. none of these")."""
    visitor.start()
    finish(visitor, clinical, THERAPY)
    _, _, folded = visitor.page.partition("<details")
    assert ("<li>Where do you have pain, stiffness or a problem? <strong>Shoulder</strong></li>"
            in folded)
    assert "<li>Do you have any of these right now? <strong>None of these</strong></li>" in folded
    assert "Choose all that apply" not in folded


def option_text(pack: CompiledPack, qid: str, option: str, lang: str = "en") -> str:
    q = pack.question_by_id[qid]
    return pack.text(next(o.text for o in q.options if o.id == option), lang)


def test_an_emergency_answer_is_confirmed_then_stops_everything(
        visitor: Visitor, clinical: CompiledPack) -> None:
    visitor.start()
    visitor.answer("chest_pain")
    assert "Please check your answer" in visitor.page
    assert escape(option_text(clinical, "emergency_signs", "chest_pain")) in visitor.page
    visitor.post({"action": "confirm_yes"})
    assert 'class="emergency"' in visitor.page and "Call 911 now" in visitor.page
    assert 'href="tel:911"' in visitor.page
    for routine in ("referral", "Book a", "/report", "insurance"):
        assert routine not in visitor.page


def test_the_emergency_page_lists_what_the_pack_says_to_watch_for(tmp_path: Path) -> None:
    """A safety-netting note the pack shows with an emergency is on the page, as on the
    terminal's first screen."""
    shutil.copytree(MINIMAL, tmp_path / "pack")
    with (tmp_path / "pack" / "notes.yaml").open("a", encoding="utf-8") as notes:
        notes.write('''  - id: while_waiting
    when: chest_pain
    safety_net: true
    show_with: [emergency]
    reason: {en: Unlock the door while you wait., fr: Déverrouillez la porte en attendant.}
    source: {citation: "Test pack", year: 2024, kind: consensus}
''')
    pack = load_pack(tmp_path / "pack", use_cache=False)
    with make_client(pack) as client:
        visitor = Visitor(client)
        visitor.start()
        visitor.answer("yes")
        visitor.post({"action": "confirm_yes"})
    assert 'class="emergency"' in visitor.page
    assert "<h2>Watch for</h2>" in visitor.page
    assert "Unlock the door while you wait." in visitor.page


def test_yes_no_questions_are_two_radio_buttons(minimal_pack: CompiledPack) -> None:
    with make_client(minimal_pack) as client:
        visitor = Visitor(client)
        visitor.start()
        q = minimal_pack.question_by_id[visitor.question() or ""]
        assert q.type == "yes_no"
        assert re.findall(r'type="radio" value="(\w+)"', visitor.page) == ["yes", "no"]
        assert ">Yes</label>" in visitor.page and ">No</label>" in visitor.page
        assert "<fieldset" in visitor.page and "<legend><h1>" in visitor.page
        visitor.answer("no")
        assert visitor.status == 200 and visitor.question() != q.id


def test_a_slip_asks_the_same_question_again_and_never_guesses(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.post([("question", "emergency_signs"), ("action", "answer")])
    assert response.status_code == 422
    assert "There is a problem" in visitor.page and visitor.question() == "emergency_signs"
    assert 'aria-describedby="hint why answer-error"' in visitor.page
    visitor.answer(":none", "chest_pain")
    assert visitor.status == 422 and "choose one or the other" in visitor.page


@pytest.mark.parametrize(("lang", "typed", "shown"), [
    ("en", "15.99999999999999999", "whole number"), ("fr", "15,99999999999999999", "entier"),
    ("en", "\u00b2", "not a number"), ("en", "9" * 39, "from 0 to 120")])
def test_a_number_the_float_would_round_is_a_mistake_on_the_page(
        visitor: Visitor, lang: str, typed: str, shown: str) -> None:
    """Audit finding 3: 15.99999999999999999 is the float 16.0 and was taken as an age of 16
    (a different result from 15); it is refused as the terminal and the files refuse it."""
    visitor.client.headers["Accept-Language"] = lang
    visitor.start()
    visitor.answer(":none")
    assert visitor.question() == "age"
    visitor.answer(typed)
    assert visitor.status == 422 and visitor.question() == "age"
    assert 'id="answer-error"' in visitor.page and shown in visitor.page
    visitor.answer("15")
    assert visitor.status == 200 and visitor.question() != "age"


def test_back_shows_the_earlier_answer_checked(visitor: Visitor) -> None:
    visitor.start()
    visitor.answer(":none")
    visitor.answer("45")
    visitor.post({"action": "back"})
    assert visitor.question() == "age" and 'value="45"' in visitor.page
    assert 'inputmode="numeric"' in visitor.page  # a whole number: digits only on a phone
    visitor.post({"action": "back"})
    assert visitor.question() == "emergency_signs"
    assert re.search(r'value=":none" checked', visitor.page)


def test_back_from_the_first_question_is_the_start_page(visitor: Visitor) -> None:
    """Not "your session has ended" (found by hand: the redirect went to /s, which says so
    for a session with no screening started)."""
    visitor.start()
    assert visitor.question() == "emergency_signs"
    response = visitor.post({"action": "back"})
    assert response.headers["location"] == "/"
    assert visitor.status == 200 and 'value="start"' in visitor.page
    assert "ended" not in visitor.page
    visitor.post({"action": "start"})
    assert visitor.status == 200 and visitor.question() == "emergency_signs"


def test_reloading_after_an_answer_never_answers_twice(visitor: Visitor) -> None:
    visitor.start()
    first = visitor.hidden()
    visitor.answer(":none")
    replay = visitor.client.post("/s", data={**first, "question": "emergency_signs",
                                             "answer": ":none", "action": "answer"},
                                 follow_redirects=False)
    assert replay.status_code == 409 and "out of date" in replay.text
    assert visitor.get() and visitor.question() == "age"


def test_a_replayed_back_form_goes_back_only_once(visitor: Visitor) -> None:
    visitor.start()
    visitor.answer(":none")
    form = {**visitor.hidden(), "action": "back"}
    form.pop("question")
    assert visitor.client.post("/s", data=form, follow_redirects=False).status_code == 303
    replay = visitor.client.post("/s", data=form, follow_redirects=False)
    assert replay.status_code == 409
    assert visitor.get() and visitor.question() == "emergency_signs"


def test_french_from_accept_language_and_the_switch_on_every_page(
        visitor: Visitor) -> None:
    visitor.client.headers["Accept-Language"] = "fr-CA,fr;q=0.9,en;q=0.5"
    page = visitor.get("/")
    assert '<html lang="fr">' in page and "Commencer" in page
    assert 'href="/lang/en?back="' in page
    visitor.post({"action": "start"})
    assert "Avez-vous" in visitor.page and 'href="/lang/en?back=s"' in visitor.page
    switched = visitor.client.get("/lang/en?back=s", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/s"
    assert '<html lang="en">' in visitor.get()


def test_french_pages_keep_marks_with_their_words(visitor: Visitor,
                                                 clinical: CompiledPack) -> None:
    """A browser breaks before " :" or " ?": every French text on a page has a no-break
    space there (the question page, the result page and its folded details)."""
    visitor.client.headers["Accept-Language"] = "fr"
    visitor.start()
    pages = [visitor.page]
    finish(visitor, clinical, THERAPY)
    pages.append(visitor.page)
    for page in pages:
        text = re.sub(r"<[^>]*>", "", page.split("<body", 1)[1])
        assert not re.search(r" [:;?!»]|« ", text), re.findall(r".{20} [:;?!»]", text)
    assert "Que faire\xa0:" in pages[-1]


@pytest.mark.parametrize("back", ["//evil.example", "https://evil.example", "../x"])
def test_the_language_switch_never_redirects_elsewhere(visitor: Visitor, back: str) -> None:
    response = visitor.client.get(f"/lang/fr?back={back}", follow_redirects=False)
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("path", ["/s/", "/static", "/lang/fr/", "/report/"])
def test_no_redirect_is_built_from_the_host_header(visitor: Visitor, path: str) -> None:
    """Starlette's slash redirects named the request's Host: "Host: evil.example" then
    "/s/" sent the browser to http://evil.example/s."""
    response = visitor.client.get(path, headers={"host": "evil.example"},
                                  follow_redirects=False)
    assert "evil.example" not in response.headers.get("location", "")
    assert "evil.example" not in response.text


def test_the_report_is_the_same_html_report_with_a_csp_for_its_style(
        visitor: Visitor, clinical: CompiledPack) -> None:
    assert visitor.client.get("/report", follow_redirects=False).status_code == 303
    visitor.start()
    finish(visitor, clinical, THERAPY)
    response = visitor.client.get("/report")
    state = Sealer([KEY], clinical).open(visitor.client.cookies["__Host-triage"].strip('"'))
    outcome = screening.page_for(clinical, state).outcome
    assert outcome is not None
    date = re.search(r"&middot; (\d{4}-\d\d-\d\d)", response.text)
    assert date is not None
    assert response.text == report_html(outcome, clinical, "en", date=date[1])
    csp = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp and "script-src" not in csp
    assert csp.count("'sha256-") == 1  # the style block (the report has no style attribute)
    assert "'unsafe-hashes'" not in csp
    assert 'href="/report?download=1"' in visitor.page
    download = visitor.client.get("/report?download=1")
    assert download.headers["content-disposition"].startswith("attachment")


# ------------------------------------------------------------------------------- headers


def test_every_page_has_the_security_headers_and_a_safe_cookie(visitor: Visitor) -> None:
    response = visitor.client.get("/")
    h = response.headers
    assert h["content-security-policy"].startswith("default-src 'none'; style-src 'self';")
    assert "script-src" not in h["content-security-policy"]
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["cache-control"] == "no-store"
    assert h["x-content-type-options"] == "nosniff"
    assert h["referrer-policy"] == "no-referrer"
    assert h["x-frame-options"] == "DENY"
    assert "server" not in h
    cookie = h["set-cookie"]
    assert cookie.startswith("__Host-triage=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/", "Max-Age="):
        assert flag in cookie
    assert "Domain" not in cookie
    assert visitor.client.get("/healthz").json()["status"] == "ok"


# --------------------------------------------------------------------------- bad requests


def test_a_tampered_state_is_a_400_page(visitor: Visitor) -> None:
    visitor.start()
    token = visitor.client.cookies["__Host-triage"].strip('"')
    replace_cookie(visitor, token[:-8] + "AAAAAAAA")
    response = visitor.client.get("/s")
    assert response.status_code == 400 and "could not be read" in response.text
    response = visitor.client.post("/s", data={**visitor.hidden(), "action": "back"})
    assert response.status_code == 400


def _plain(page: str) -> str:
    # the page keeps French marks with their words (no-break spaces): compared as words
    return " ".join(unescape(page).replace("\u00a0", " ").replace("\u202f", " ").split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_cookie_from_another_servers_key_says_the_session_ended(
        visitor: Visitor, clinical: CompiledPack, lang: str) -> None:
    """`triage serve` without TRIAGE_WEB_SECRET makes its key at start: after a restart, a
    page reloaded carries a cookie sealed with the key before. The session ended (as the
    server said when it started); nothing was damaged. Never read: no answer is taken."""
    visitor.client.headers["accept-language"] = lang
    visitor.start()
    finish(visitor, clinical, THERAPY)
    hidden = visitor.hidden()
    state = Sealer([KEY], clinical).open(visitor.client.cookies["__Host-triage"].strip('"'))
    replace_cookie(visitor, Sealer(["before-the-restart-" + "o" * 40], clinical).seal(state))
    response = visitor.client.get("/s", follow_redirects=False)
    text = _plain(response.text)
    assert response.status_code == 410
    assert w("err_title_ended", lang) in text and w("err_text_ended", lang) in text
    assert w("err_title_400", lang) not in text
    assert "?back=s" in text  # the language switch shows this page again
    assert "<div class=\"result" not in text
    response = visitor.client.post("/s", data={**hidden, "action": "back"})
    assert response.status_code == 410
    assert w("err_text_ended", lang) in _plain(response.text)
    # the start page starts afresh
    visitor.get("/")
    assert visitor.status == 200
    visitor.start()
    assert visitor.question() == "emergency_signs"


def test_a_cookie_with_bytes_flipped_is_still_a_400_page(visitor: Visitor) -> None:
    """This server's key named, but the seal fails: only a change explains it."""
    visitor.start()
    token = visitor.client.cookies["__Host-triage"].strip('"')
    raw = bytearray(base64.urlsafe_b64decode(token[KEY_ID_CHARS:]))
    raw[len(raw) // 2] ^= 0x40
    replace_cookie(visitor, token[:KEY_ID_CHARS] + base64.urlsafe_b64encode(bytes(raw)).decode())
    for response in (visitor.client.get("/s"),
                     visitor.client.post("/s", data={**visitor.hidden(), "action": "back"})):
        assert response.status_code == 400 and "changed or damaged" in response.text


def test_missing_or_wrong_csrf_is_a_403_page(visitor: Visitor) -> None:
    visitor.start()
    step = visitor.hidden()["step"]
    for data in ({"step": step, "action": "back"},
                 {"step": step, "action": "back", "csrf": "0" * 64}):
        response = visitor.client.post("/s", data=data, follow_redirects=False)
        assert response.status_code == 403 and "not accepted" in response.text
    cross = visitor.post({"action": "back"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403
    assert visitor.get() and visitor.question() == "emergency_signs"  # nothing moved


def test_a_form_from_another_session_is_refused(clinical: CompiledPack) -> None:
    with make_client(clinical) as one, make_client(clinical) as two:
        a, b = Visitor(one), Visitor(two)
        a.start()
        b.start()
        response = b.post([("csrf", a.hidden()["csrf"]), ("step", b.hidden()["step"]),
                           ("action", "back")], keep=False)
        assert response.status_code == 403


def raw_post(visitor: Visitor, body: bytes) -> Any:
    return visitor.client.post("/s", content=body, follow_redirects=False, headers={
        "content-type": "application/x-www-form-urlencoded"})


def asgi_post(visitor: Visitor, path: str, body: bytes, length: bytes, kind: bytes) -> int:
    """The status of a POST with this Content-Length header, given to the app as a server
    gives it (bytes, read as Latin-1): the test client sends a header's text as UTF-8."""
    cookie = visitor.client.cookies["__Host-triage"].encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "https", "path": path, "raw_path": path.encode(),
             "query_string": b"", "root_path": "", "server": ("testserver", 443),
             "client": ("127.0.0.1", 1),
             "headers": [(b"host", b"testserver"), (b"content-type", kind),
                         (b"content-length", length), (b"cookie", b"__Host-triage=" + cookie)]}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(visitor.client.app(scope, receive, send))
    return int(sent[0]["status"])


def test_text_that_no_page_of_ours_sends_is_refused_never_an_internal_error(
        visitor: Visitor, caplog: pytest.LogCaptureFixture) -> None:
    """A CSRF token with a character no token has (compare_digest raised TypeError on it:
    a 500), %-escapes that are not UTF-8, a Content-Length in other digits ("\u00b2", which
    isdigit() takes and int() does not)."""
    visitor.start()
    fields = visitor.hidden()
    csrf, step = fields["csrf"].encode(), fields["step"].encode()
    rest = b"&step=" + step + b"&action=back"
    for body in (b"csrf=%C3%A9" + rest, b"csrf=" + csrf[:-2] + b"%C3%A9" + rest,
                 b"csrf=%E2%91%A0" + rest):
        assert raw_post(visitor, body).status_code == 403, body
    for body in (b"csrf=%ff%fe" + rest, b"csrf=" + csrf + rest + b"&question=age&answer=%ff",
                 b"csrf=" + csrf + rest + b"&%ff=1"):
        assert raw_post(visitor, body).status_code == 400, body
    for length in (b"\xb2", b"\xb9\xb2"):  # isdigit() says yes, int() says no
        assert asgi_post(visitor, "/s", b"csrf=" + csrf + rest, length,
                         b"application/x-www-form-urlencoded") == 413
        assert asgi_post(visitor, "/api/assess", b"{}", length, b"application/json") == 413
    assert not [r for r in caplog.records if "internal error" in r.getMessage()]
    assert visitor.get() and visitor.question() == "emergency_signs"  # nothing moved


def test_an_oversized_body_is_a_413_page(visitor: Visitor) -> None:
    visitor.start()
    big = [("question", "emergency_signs"), ("answer", "x" * 9000), ("action", "answer")]
    assert visitor.post(big).status_code == 413
    assert "Too much was sent" in visitor.page

    def chunks() -> Any:  # no Content-Length: the cap applies while reading
        for _ in range(20):
            yield b"a=" + b"x" * 1000 + b"&"

    response = visitor.client.post("/s", content=chunks(), headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_other_form_encodings_are_refused(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.client.post("/s", json={"action": "back"})
    assert response.status_code == 415


@pytest.mark.parametrize("fields", [
    [("question", "emergency_signs"), ("answer", "bleeding_ears"), ("action", "answer")],
    [("question", "no_such_question"), ("answer", "yes"), ("action", "answer")],
    [("action", "launch")],
])
def test_unknown_ids_are_a_400_page_that_echoes_nothing(visitor: Visitor,
                                                        fields: list[tuple[str, str]]) -> None:
    visitor.start()
    response = visitor.post(fields)
    assert response.status_code == 400
    for _, value in fields:
        assert value not in response.text
    assert visitor.get() and visitor.question() == "emergency_signs"


def test_an_answer_to_a_question_not_being_asked_is_stale(visitor: Visitor) -> None:
    visitor.start()
    response = visitor.post([("question", "age"), ("answer", "45"), ("action", "answer")])
    assert response.status_code == 409


def test_an_expired_session_is_a_410_page(visitor: Visitor, clinical: CompiledPack) -> None:
    visitor.start()
    old = WebState(nonce="n", started=1, started_screening=True)
    replace_cookie(visitor, Sealer([KEY], clinical).seal(old))
    assert visitor.client.get("/s").status_code == 410
    visitor.client.cookies.clear()
    response = visitor.client.post("/s", data={"csrf": "a" * 64, "step": "1",
                                               "action": "back"})
    # no cookie at all: the session ended, or the browser keeps no cookies (then "start
    # again" would only come back here): the page says both
    assert response.status_code == 410 and "allow cookies for this site" in response.text
    assert "30 minutes without activity" in response.text


def test_unknown_pages_and_methods(visitor: Visitor) -> None:
    response = visitor.client.get("/admin")
    assert response.status_code == 404 and re.search(r"<h1[^>]*>Page not found</h1>",
                                                     response.text)
    assert visitor.client.put("/s").status_code == 405
    assert visitor.client.get("/lang/de").status_code == 404
    # /s with no session: a page of a screening reloaded after it ended (never silently
    # the start page: test_browser_session_ended.py)
    assert visitor.client.get("/s", follow_redirects=False).status_code == 410


def test_nothing_about_answers_reaches_the_logs(visitor: Visitor, clinical: CompiledPack,
                                                caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    visitor.start()
    visitor.answer("chest_pain")
    visitor.post({"action": "confirm_yes"})
    visitor.post([("question", "x"), ("answer", "coughing_blood"), ("action", "answer")])
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for secret in ("chest_pain", "coughing_blood", "emergency"):
        assert secret not in logged


def test_an_internal_error_is_a_plain_500_page_logged_by_type_only(
        clinical: CompiledPack, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise ValueError("answer chest_pain leaked")

    with make_client(clinical) as client:
        visitor = Visitor(client)
        visitor.start()
        monkeypatch.setattr(screening, "page_for", broken)
        response = client.get("/s")
    assert response.status_code == 500 and "Something went wrong" in response.text
    assert "chest_pain" not in response.text and "Traceback" not in response.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "ValueError" in logged and "chest_pain" not in logged
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("triage"))


# ------------------------------------------------------------------------------ recording


def test_record_stores_each_finished_screening_once_with_its_reference(
        clinical: CompiledPack) -> None:
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.get("/")
        assert "The clinic keeps a copy" in visitor.page
        visitor.post({"action": "start"})
        finish(visitor, clinical, THERAPY)
        found = re.search(r"Your reference: (W-[2-9A-Z]{4}-[2-9A-Z]{4})", visitor.page)
        assert found is not None
        visitor.get()
        visitor.get("/report")
    settings = resolve_settings()
    with open_store(settings) as store:
        assert store.count() == 1  # a reload of the result or the report stores nothing more
        records = store.list()
        assert [r.caller_ref for r in records] == [found[1]]
        assert records[0].disposition == "soft_tissue" and records[0].desk == "web"
        assert records[0].answers["areas"] == ["shoulder"]
        assert [e.action for e in store.audit_log(records[0].id)] == ["create", "view"]


def test_a_recorded_emergency_taken_back_shares_its_reference_with_the_new_result(
        clinical: CompiledPack) -> None:
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.start()
        visitor.answer("chest_pain")
        visitor.post({"action": "confirm_yes"})
        first = re.search(r"(W-[2-9A-Z]{4}-[2-9A-Z]{4})", visitor.page)
        assert first is not None and "Call 911 now" in visitor.page
        visitor.post({"action": "back"})  # "I chose a wrong answer"
        finish(visitor, clinical, THERAPY)
        assert f"Your reference: {first[1]}" in visitor.page
    with open_store(resolve_settings()) as store:
        records = store.list()
    assert sorted((r.caller_ref, r.disposition) for r in records) == [
        (first[1], "emergency"), (first[1], "soft_tissue")]


REFERENCE = re.compile(r"W-[2-9A-Z]{4}-[2-9A-Z]{4}")


def to_the_last_form(visitor: Visitor, pack: CompiledPack,
                     answers: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """Answer up to the form that finishes the screening (its 911 check's, for an emergency):
    the cookie it is sent with, and its fields, as a copy of that request would carry them."""
    for _ in range(60):
        qid = visitor.question()
        if qid is None:
            assert 'value="confirm_yes"' in visitor.page
            fields = [("action", "confirm_yes")]
        else:
            fields = [("question", qid), ("action", "answer"),
                      *(("answer", v) for v in form_values(pack, qid, answers[qid]))]
        cookie = visitor.client.cookies["__Host-triage"]
        form = [(k, v) for k, v in visitor.hidden().items() if k in ("csrf", "step")] + fields
        visitor.post(form, keep=False)
        if visitor.question() is None and 'value="confirm_yes"' not in visitor.page:
            return cookie, form
    raise AssertionError("never finished")


def send_again(visitor: Visitor, cookie: str, form: list[tuple[str, str]]) -> str:
    """The request, sent again by another connection with the cookie it was first sent with
    (a double click, a retry, a replay): the page it leads to."""
    with TestClient(visitor.client.app, base_url="https://testserver") as other:
        other.cookies.set("__Host-triage", cookie)
        response = other.post("/s", content=urlencode(form), follow_redirects=True, headers={
            "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.status_code
    return response.text


@pytest.mark.parametrize("answers", [THERAPY, {"emergency_signs": ["chest_pain"]}],
                         ids=["result", "emergency"])
def test_a_copy_of_the_request_that_finished_a_screening_records_nothing_more(
        clinical: CompiledPack, answers: dict[str, Any]) -> None:
    """A double click, a retried or a replayed POST finishes the screening again: it is
    still one record, under the one reference every copy shows."""
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.start()
        cookie, form = to_the_last_form(visitor, clinical, answers)
        shown = REFERENCE.findall(visitor.page)
        assert len(set(shown)) == 1
        for _ in range(3):
            again = send_again(visitor, cookie, form)
            assert set(REFERENCE.findall(again)) == set(shown)
            assert "could not be saved" not in again
    with open_store(resolve_settings()) as store:
        records = store.list()
        assert [r.caller_ref for r in records] == shown[:1]
        assert [e.action for e in store.audit_log() if e.action == "create"] == ["create"]


def test_another_answer_sent_with_an_old_cookie_is_another_record_of_the_screening(
        clinical: CompiledPack) -> None:
    """Only a copy is one record: a form changed before it is sent again is another result
    of the same screening (as when a person goes back): recorded, under the same reference."""
    # the last question is the reasons (the conditions come before them since pack 0.2.23,
    # as a 911 flag reads them); another reason that asks nothing more
    other = ["stiffness"]
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.start()
        cookie, form = to_the_last_form(visitor, clinical, THERAPY)
        assert ("question", "reasons") in form
        changed = [(k, v) for k, v in form if k != "answer"] + [("answer", other[0])]
        shown = set(REFERENCE.findall(visitor.page))
        assert set(REFERENCE.findall(send_again(visitor, cookie, changed))) == shown
        send_again(visitor, cookie, changed)  # and a copy of that one: nothing more
    with open_store(resolve_settings()) as store:
        records = store.list()
    assert sorted(r.answers["reasons"] for r in records) == [other, THERAPY["reasons"]]
    assert {r.caller_ref for r in records} == shown


def test_going_back_to_an_earlier_answer_records_the_result_again(
        clinical: CompiledPack) -> None:
    """A result changed and changed back is the same answers at a later step: recorded
    again, so the last record of the reference is what the person saw last."""
    other = ["stiffness"]  # the last question, the reasons (pack 0.2.23), asks nothing more
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.start()
        finish(visitor, clinical, THERAPY)
        for answer in (other, THERAPY["reasons"]):
            visitor.post({"action": "back"})
            assert visitor.question() == "reasons"
            visitor.answer(*form_values(clinical, "reasons", answer))
    with open_store(resolve_settings()) as store:
        records = store.list()
    assert [r.answers["reasons"] for r in records] == [
        THERAPY["reasons"], other, THERAPY["reasons"]]
    assert len({r.caller_ref for r in records}) == 1


def test_a_record_the_store_refuses_is_not_taken_for_a_copy(
        clinical: CompiledPack, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store says "invalid" both for an id it holds and for a record it will not take:
    only the first is a copy; the second is "not saved", never a reference."""
    def refuse(self: Any, record: Any) -> str:
        raise StoreError("refused", kind="invalid")

    monkeypatch.setattr(SqlRecordStore, "add", refuse)
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.start()
        finish(visitor, clinical, THERAPY)
    assert "could not be saved" in visitor.page and not REFERENCE.search(visitor.page)
    assert count_records() == 0


def test_each_screening_of_a_browser_session_has_its_own_reference(
        clinical: CompiledPack) -> None:
    """The reference is made from the session's nonce and the screening's start: a second
    screening in the same browser, even within the same second, is not read as the first."""
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        found = []
        for _ in range(3):
            visitor.start()
            finish(visitor, clinical, {"emergency_signs": ["chest_pain"]})
            found += REFERENCE.findall(visitor.page)
    assert len(found) == 3 and len(set(found)) == 3
    assert count_records() == 3


def test_bad_requests_store_nothing_even_when_recording(clinical: CompiledPack) -> None:
    with make_client(clinical, record=True) as client:
        visitor = Visitor(client)
        visitor.start()
        visitor.answer("chest_pain")
        step = visitor.hidden()["step"]
        assert visitor.post({"step": step, "action": "confirm_yes"}, keep=False
                            ).status_code == 403
        assert visitor.post([("csrf", "0" * 64), ("step", step), ("action", "confirm_yes")],
                            keep=False).status_code == 403
    assert count_records() == 0


# ----------------------------------------------------------------------------- JSON API


def test_api_gives_the_same_json_as_the_cli(visitor: Visitor, clinical: CompiledPack) -> None:
    response = visitor.client.post("/api/assess", json={"answers": THERAPY, "lang": "fr"})
    assert response.status_code == 200
    data = response.json()
    assert data["disposition"] == "soft_tissue" and data["language"] == "fr"


def test_api_fails_closed_on_a_missing_safety_answer(visitor: Visitor) -> None:
    answers = {k: v for k, v in THERAPY.items() if k != "emergency_signs"}
    response = visitor.client.post("/api/assess", json={"answers": answers})
    assert response.status_code == 422
    assert response.json()["questions"] == ["emergency_signs"]
    assert "disposition" not in response.json()


def test_api_refuses_a_warning_sign_answered_where_it_does_not_apply(
        visitor: Visitor) -> None:
    # a cauda equina sign for a shoulder problem: the question is not asked for a shoulder
    answers = {**THERAPY, "ces_signs": ["saddle_numbness"]}
    response = visitor.client.post("/api/assess", json={"answers": answers})
    assert response.status_code == 422
    data = response.json()
    assert (data["error"], data["questions"], data["red_flags"]) == (
        "ignored_warning_sign", ["ces_signs"], ["cauda_equina_signs"])
    assert "areas" in data["message"] and "disposition" not in data
    assert b"saddle_numbness" not in response.content  # the answer is not repeated
    none = visitor.client.post("/api/assess", json={"answers": {**THERAPY, "ces_signs": []}})
    assert none.status_code == 200 and none.json()["ignored_answers"] == ["ces_signs"]


def test_api_names_an_ignored_warning_sign_next_to_invalid_answers(visitor: Visitor) -> None:
    # a bad age as well: the body was refused for the age alone, the sign never looked at
    answers = {**THERAPY, "age": "x", "ces_signs": ["saddle_numbness", "since_removed"]}
    response = visitor.client.post("/api/assess", json={"answers": answers})
    assert response.status_code == 422
    data = response.json()
    assert (data["error"], data["questions"], data["red_flags"]) == (
        "invalid_answers", ["age", "ces_signs"], ["cauda_equina_signs"])
    assert data["problems"][-1].startswith("ces_signs: the answer is a warning sign (Cauda")
    assert b"since_removed" not in response.content  # the answer is not repeated


def test_api_names_a_missing_safety_answer_next_to_an_ignored_warning_sign(
        visitor: Visitor) -> None:
    # as assess: both named in one answer, the sign as the error (the body contradicts itself)
    answers = {k: v for k, v in THERAPY.items() if k != "emergency_signs"}
    response = visitor.client.post("/api/assess", json={"answers": {
        **answers, "ces_signs": ["saddle_numbness"]}})
    assert response.status_code == 422
    data = response.json()
    assert (data["error"], data["questions"], data["red_flags"], data["missing_questions"]) == (
        "ignored_warning_sign", ["ces_signs"], ["cauda_equina_signs"], ["emergency_signs"])
    assert data["message"].startswith("ces_signs: the answer is a warning sign (Cauda equina")
    assert data["message"].endswith("no recommendation can be made: emergency_signs. Answer "
                                     "them (never leave a safety question out).")
    assert b"saddle_numbness" not in response.content and "disposition" not in data


@pytest.mark.parametrize(("age", "error"), [
    ("15.99999999999999999", "'age' takes a whole number"),
    ("1599999999999999999e-17", "'age' takes a whole number"),
    # a number as a JSON string: the API takes JSON types (test_api_types.py)
    ('"15.99999999999999999"', "'age' takes a JSON number, not a string"),
    ("9" * 39, "the answer given is out of range for 'age' (0 to 120)"),
    ("1e400", "the answer given is out of range for 'age' (0 to 120)"),
    ('"\u00b2"', "'age' takes a JSON number, not a string"),
])
def test_api_reads_numbers_as_answers_files_do(visitor: Visitor, age: str, error: str) -> None:
    """Audit findings 3 and 12: the API read JSON with plain json.loads, so an age of
    15.99999999999999999 (the float 16.0) gave therapy where 15 gives a doctor first; it
    now reads as assess --answers does, and refuses what assess refuses, with a 422."""
    # at 15 the shoulder is asked the arm signs, injury or not (pack 0.2.17): answered none
    answers = {**THERAPY, "age": 0, "arm_injury_signs": []}
    body = json.dumps({"answers": answers}).replace('"age": 0', f'"age": {age}')
    response = visitor.client.post("/api/assess", content=body.encode(),
                                   headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json() == {"error": "invalid_answers", "questions": ["age"],
                               "problems": [f"age: {error}"]}
    for whole in ("15", "15.0", "1500e-2"):
        good = visitor.client.post("/api/assess", content=body.replace(age, whole).encode(),
                                   headers={"content-type": "application/json"})
        assert good.status_code == 200 and good.json()["disposition"] == "doctor_first"


@pytest.mark.parametrize(("body", "status", "error"), [
    (b'{"answers": {"age": 3, "age": 4}}', 400, "not_json"),
    (b"[1, 2", 400, "not_json"),
    (b'{"answers": {"age": NaN}}', 400, "not_json"),
    (b'{"answers": {"age": ' + b"1" * 41 + b"}}", 400, "not_json"),
    (b'{"answers": {"age": "\xff"}}', 400, "not_json"),
    (b'{"answers": {"emergency_signs": ["bleeding_ears"]}}', 422, "invalid_answers"),
    (b'{"answers": {}, "lang": "de"}', 400, "expected"),
    (b'{"answers": {"x": "' + b"y" * 70_000 + b'"}}', 413, "too_large"),
])
def test_api_bad_input(visitor: Visitor, body: bytes, status: int, error: str) -> None:
    response = visitor.client.post("/api/assess", content=body,
                                   headers={"content-type": "application/json"})
    assert response.status_code == status
    assert response.json()["error"].startswith(error)
    assert b"bleeding_ears" not in response.content
    if error == "not_json":  # where, and what, never the input: the reading of a file
        assert re.fullmatch(r"\d+:\d+: [a-zA-Z].*", response.json()["message"])
    assert visitor.client.post("/api/assess", data={"answers": "{}"}).status_code == 415


@pytest.mark.parametrize("length", [b"\xb2", b"\xb9", "\u2460".encode(), "\u0663".encode(),
                                    b"1_0", b"-1", b" 2", b"9" * 41])
def test_a_content_length_not_in_digits_0_to_9_is_refused_not_a_crash(
        visitor: Visitor, length: bytes) -> None:
    """Only the digits 0-9 make a length (untrusted.whole_number): "²" (the Latin-1 byte
    0xB2) passed str.isdigit() and int() raised on it (HTTP 500)."""
    visitor.start()
    assert asgi_post(visitor, "/api/assess", b"{}", length, b"application/json") == 413


@pytest.mark.parametrize(("header", "lang"), [
    ("fr;q=0.9, en;q=0.5", "fr"), ("fr;q=inf, en;q=0.5", "en"), ("fr;q=nan, en;q=0.5", "en"),
    ("fr;q=\u00b2, en;q=0.5", "en"), ("fr;q=1_0, en;q=0.5", "en"), ("fr;q=2, en;q=0.5", "en"),
    ("en;q=0.1, fr;q=1.", "fr")])
def test_language_weights_are_numbers_from_0_to_1(header: str, lang: str) -> None:
    from triage.web.messages import negotiate

    assert negotiate(header) == lang


def test_workers_share_sessions_through_the_key(clinical: CompiledPack) -> None:
    """Two app instances with one key: a form from one is accepted by the other."""
    one = create_app(WebConfig(secrets=[KEY]), pack=clinical)
    two = create_app(WebConfig(secrets=[KEY]), pack=clinical)
    from starlette.testclient import TestClient

    with TestClient(one, base_url="https://testserver") as a, \
            TestClient(two, base_url="https://testserver") as b:
        visitor = Visitor(a)
        visitor.start()
        b.cookies = a.cookies
        visitor.client = b
        visitor.answer(":none")
        assert visitor.question() == "age"


@pytest.mark.parametrize(("body", "said"), [
    ({"answers": THERAPY, "language": "fr"}, ["language (did you mean 'lang'?)"]),
    ({"answer": THERAPY}, ["answer (did you mean 'answers'?)"]),
    ({"answers": THERAPY, "lang": "fr", "caller": True}, ["caller"]),
])
def test_api_refuses_a_key_it_does_not_know(visitor: Visitor, body: dict[str, Any],
                                            said: list[str]) -> None:
    """A misspelt key left out in silence gave a result in English where French was asked
    for; each is named, never its value."""
    response = visitor.client.post("/api/assess", json=body)
    assert response.status_code == 400
    assert response.json()["unknown_keys"] == said
    assert "soft_tissue" not in response.text and "desk_posture" not in response.text
