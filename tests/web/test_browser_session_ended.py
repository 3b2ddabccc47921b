"""A result page reloaded after its session ended (sees ux-t, item 1): three hours on, the
browser has let the cookie go, and the reload went silently to the start page. It now says
that the answers were not kept, for privacy, and offers to start again: in English and French,
its heading focused (what a screen reader says first), at the same address (no health data in
any URL), in a real headless Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from triage.pack.compiled import CompiledPack
from triage.web.messages import w
from triage.web.state import Sealer, WebState

from .conftest import AXE, KEY, Visitor
from .test_app import THERAPY, finish, replace_cookie
from .test_browser import axe_check, drive, focused, new_page, start

LOCALES = {"en-CA": "en", "fr-CA": "fr"}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_result_reloaded_after_the_cookie_went_says_so(
        browser: Browser, server: str, clinical: CompiledPack, locale: str) -> None:
    lang = LOCALES[locale]
    axe_source = AXE.read_text(encoding="utf-8")  # (the browser fixture installed it)
    context, page = new_page(browser, locale=locale)
    start(page, server)
    assert drive(page, clinical, THERAPY) == "result"
    assert page.url == server + "/s"
    for where in ("/s", "/report"):  # the result itself, and its printable summary
        context.clear_cookies()  # the browser let the session go (3 hours on)
        page.goto(server + where)
        assert page.url == server + "/s"  # no answer and no outcome in any address
        heading = page.locator("h1")
        assert heading.inner_text() == w("err_title_410", lang)
        body = page.locator("main").inner_text()
        assert w("err_text_410", lang) in " ".join(body.split()), body
        # what a screen reader says first: the heading has the focus
        assert focused(page, "a.tagName", "H1") == "H1"
        again = page.get_by_role("link", name=w("start_again", lang))
        assert again.get_attribute("href") == "/"
        axe_check(page, axe_source)
    _starts_again(page, lang)  # and starting again works from there
    context.close()


def _starts_again(page: Page, lang: str) -> None:
    """From an ended session's page: "Start again", then the start page's button, reach the
    first question."""
    with page.expect_navigation():
        page.get_by_role("link", name=w("start_again", lang)).click()
    with page.expect_navigation():
        page.click("button[value=start]")
    assert page.locator("input[name=question]").count() == 1


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_session_on_a_screening_page_is_never_the_start_page(
        visitor: Visitor, clinical: CompiledPack, lang: str) -> None:
    visitor.client.headers["accept-language"] = lang
    visitor.start()
    finish(visitor, clinical, THERAPY)
    assert "<div class=\"result" in visitor.page
    # the browser let the cookie go: the result page reloaded
    visitor.client.cookies.delete("__Host-triage")
    response = visitor.client.get("/s", follow_redirects=False)
    assert response.status_code == 410, response.headers.get("location")
    assert re.search(r'<h1 tabindex="-1" autofocus>[^<]+</h1>', response.text)
    assert w("err_title_410", lang) in response.text.replace("&#39;", "'")
    # the language switch comes back to this page, not to the start page
    assert 'href="/lang/' in response.text and "?back=s" in response.text
    # a new session started in another tab (the start page), then the old tab reloaded
    visitor.get("/")
    assert visitor.client.get("/s", follow_redirects=False).status_code == 410


def test_a_session_the_server_let_expire_says_the_same(visitor: Visitor,
                                                       clinical: CompiledPack) -> None:
    from triage.web.state import Sealer

    visitor.start()
    old = WebState(nonce="n", started=1, started_screening=True)  # older than 3 hours
    replace_cookie(visitor, Sealer([KEY], clinical).seal(old))
    response = visitor.client.get("/s")
    assert response.status_code == 410 and "not kept" in response.text


@pytest.mark.parametrize("locale", LOCALES)
def test_a_result_reloaded_after_the_server_restarted_says_the_session_ended(
        browser: Browser, server: str, clinical: CompiledPack, locale: str) -> None:
    """`triage serve` without TRIAGE_WEB_SECRET makes its key at start: after a restart the
    browser still sends the cookie sealed with the key before. The session ended; the page
    was not damaged (it said 'changed or damaged', 400)."""
    lang = LOCALES[locale]
    axe_source = AXE.read_text(encoding="utf-8")
    context, page = new_page(browser, locale=locale)
    start(page, server)
    assert drive(page, clinical, THERAPY) == "result"
    (cookie,) = [c for c in context.cookies() if c["name"] == "__Host-triage"]
    before_restart = Sealer(["a-key-made-at-an-earlier-start-" + "o" * 40], clinical)
    cookie["value"] = before_restart.seal(WebState.new().changed(started_screening=True))
    context.add_cookies([cookie])  # type: ignore[list-item]
    response = page.reload()
    assert response is not None and response.status == 410
    assert page.url == server + "/s"
    assert page.locator("h1").inner_text() == w("err_title_ended", lang)
    body = " ".join(page.locator("main").inner_text().split())
    assert w("err_text_ended", lang) in body, body
    assert w("err_title_400", lang) not in body
    assert focused(page, "a.tagName", "H1") == "H1"
    axe_check(page, axe_source)
    _starts_again(page, lang)
    context.close()
