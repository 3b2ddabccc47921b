"""The ASGI app of ``triage serve``: server-rendered pages on the same flow as the terminal.

Every page works without JavaScript (there is none). The screening pages share one address,
``/s``, whatever they show (question, confirmation, emergency stop, result): an access log or a
proxy sees no answer and no outcome in a URL. Forms are POSTed to ``/s`` and answered with a
303 redirect back to it (post/redirect/get), so reloading a page never sends an answer twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NoReturn
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from triage.engine.answers import check_answers, json_type_problem
from triage.engine.flow import Rejected
from triage.engine.refusal import screen_answers, screen_readable, sign_messages
from triage.i18n import LANGUAGES, t
from triage.i18n_counts import how_many
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.problems import did_you_mean
from triage.render import outcome_json
from triage.render.report import report_html
from triage.untrusted import InputError, decode_utf8, strict_json, whole_number
from triage.web import screening
from triage.web.config import WebConfig
from triage.web.guard import Guard, PageError, too_large
from triage.web.pages import LANG_COOKIE, Answered, Web, report_csp
from triage.web.state import WebState

MAX_FORM_BYTES = 8 * 1024  # the largest page of ours sends well under 1 KB
MAX_FORM_FIELDS = 64
MAX_API_BYTES = 64 * 1024
API_KEYS = frozenset({"answers", "lang"})  # what a POST /api/assess body holds
BACK_TARGETS = {"": "/", "s": "/s", "report": "/report"}  # where a language switch returns


# ------------------------------------------------------------------------------- handlers


async def read_form(request: Request) -> dict[str, list[str]]:
    """The urlencoded body, read with a cap (413) before anything is parsed."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise PageError(415)
    body = await _read_capped(request, MAX_FORM_BYTES)
    try:
        # errors="strict": a %-escape that is not UTF-8 (csrf=%ff%fe) is a form no page of
        # ours sends, refused here rather than read as U+FFFD in whatever field it was in
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False,
                          max_num_fields=MAX_FORM_FIELDS, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise PageError(400) from None
    form: dict[str, list[str]] = {}
    for key, value in pairs:
        form.setdefault(key, []).append(value)
    return form


async def _read_capped(request: Request, cap: int) -> bytes:
    length = request.headers.get("content-length")
    if length is not None:
        # a header is Latin-1: the byte 0xB2 is "²", which str.isdigit() took and int() raised on
        size = whole_number(length)
        if size is None or size > cap:
            raise too_large()
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > cap:
            raise too_large()
    return bytes(body)


def _one(form: dict[str, list[str]], key: str) -> str:
    values = form.get(key, [])
    return values[0] if len(values) == 1 else ""


def build_routes(web: Web) -> list[Route | Mount]:
    pack = web.pack

    async def start_page(request: Request) -> Response:
        lang = web.lang(request)
        try:
            state = web.state(request)
        except PageError:
            state = None  # an old or broken cookie: the start page starts afresh
        fresh = state is None
        state = state or WebState.new()
        response = web.html("start.html", lang, back="", title=pack.text(pack.title, lang),
                            disclaimer=pack.text(pack.disclaimer, lang),
                            recording=web.config.record, can_resume=state.started_screening,
                            csrf=web.sealer.csrf_token(state), step=state.step)
        return web.with_state(response, state) if fresh else response

    async def show(request: Request) -> Response:
        lang = web.lang(request)
        try:
            state = web.state(request)
        except PageError as exc:
            if exc.status != 410:
                raise
            # ended (another key, expired, outdated): at the same address, so that the
            # language links show it again, as below
            return web.error_page(410, lang, exc.kind, back="s")
        if state is None or not state.started_screening:
            # only a page of a screening links here: this is one reloaded (or reopened from
            # the history) after its session ended and the browser let the cookie go, or
            # after a new session was started in another tab. Said plainly, at the same
            # address (no answer and no outcome in a URL), never a silent start page
            return web.error_page(410, lang, back="s")
        try:
            return web.screen(state, lang)
        except screening.StaleForm:
            raise PageError(409) from None

    async def post(request: Request) -> Response:
        lang = web.lang(request)
        if request.headers.get("sec-fetch-site") == "cross-site":
            raise PageError(403)
        form = await read_form(request)
        csrf = _one(form, "csrf")
        if not csrf:
            raise PageError(403)
        state = web.state(request)
        if state is None:
            # a token but no cookie: the browser let the session go, or keeps no cookies
            raise PageError(410, "no_cookie")
        if not web.sealer.csrf_ok(state, csrf):
            raise PageError(403)
        if _one(form, "step") != str(state.step):
            raise PageError(409)
        try:
            answered = apply(web, state, form, lang)
        except screening.StaleForm:
            raise PageError(409) from None
        except screening.UnknownAnswer:
            raise PageError(400) from None
        if answered.state is None:  # a person's slip: the same page again, saying why
            return web.screen(state, lang, status=422, answered=answered)
        new = await web.record_if_done(answered.state)
        # Back from the first question leaves the screening: its page is the start page (at
        # /s, a page with no screening says the session ended)
        to = "/s" if new.started_screening else "/"
        return web.with_state(RedirectResponse(to, status_code=303), new)

    async def report(request: Request) -> Response:
        lang = web.lang(request)
        state = web.state(request)
        page = screening.page_for(pack, state) if state and state.started_screening else None
        if page is None or page.outcome is None:
            return RedirectResponse("/s", status_code=303)
        date = dt.date.today().isoformat()
        body = report_html(page.outcome, pack, lang, date=date)
        headers = {"Content-Security-Policy": report_csp(body)}
        if request.query_params.get("download") == "1":
            headers["Content-Disposition"] = 'attachment; filename="triage-summary.html"'
        return HTMLResponse(body, headers=headers)

    async def switch_language(request: Request) -> Response:
        code = request.path_params["code"]
        if code not in LANGUAGES:
            raise PageError(404)
        target = BACK_TARGETS.get(request.query_params.get("back", ""), "/")
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, path="/", secure=True,
                            httponly=True, samesite="lax")
        return response

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok", "pack": {
            "id": pack.id, "version": pack.version, "hash": pack.content_hash[:12]}})

    async def api_assess(request: Request) -> Response:
        """``POST /api/assess``: ``{"answers": {...}, "lang": "en"}`` -> the JSON result (as
        ``triage assess --format json``); a missing safety answer is a 422, never a result."""
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind != "application/json":  # also what keeps other sites' forms out (no cookies)
            return JSONResponse({"error": "content_type", "expected": "application/json"}, 415)
        try:
            # the one strict reading of answers, as for an answers file: a fraction a float
            # rounds away (an age of 15.99999999999999999) stays a fraction, no duplicate
            # keys, no NaN, bounded numbers and nesting
            data = strict_json(decode_utf8(await _read_capped(request, MAX_API_BYTES)))
        except PageError:
            return JSONResponse({"error": "too_large", "limit_bytes": MAX_API_BYTES}, 413)
        except InputError as exc:  # its message never quotes the input
            return JSONResponse({"error": "not_json",
                                 "message": f"{exc.line}:{exc.col}: {exc.message}"}, 400)
        raw = data.get("answers") if isinstance(data, dict) else None
        lang = data.get("lang", "en") if isinstance(data, dict) else "en"
        unknown = sorted(set(data) - API_KEYS) if isinstance(data, dict) else []
        if not isinstance(raw, dict) or lang not in LANGUAGES or unknown:
            # a key misspelt ("language") would be left out in silence: the result in
            # another language than asked for, or "answer" taken for no answers at all
            expected: dict[str, Any] = {
                "error": "expected {\"answers\": {...}, \"lang\": \"en|fr\"}"}
            if unknown:
                expected["unknown_keys"] = [  # keys are no health data; values never said
                    f"{key[:40]}{did_you_mean(key, API_KEYS)}" for key in unknown[:10]]
            return JSONResponse(expected, 400)
        # a program's JSON: each answer of the type its question takes (a number as a
        # number, a list as a list); an answers file typed by people stays lenient
        typed = [(q, why) for q, value in raw.items() if (shape := pack.shapes.get(q))
                 and (why := json_type_problem(shape, value))]
        wrong = {q for q, _ in typed}
        answers, problems = check_answers({q: v for q, v in raw.items() if q not in wrong},
                                          pack.shapes)
        problems += typed
        if problems:  # name the questions, never echo the values (health data)
            # well-formed JSON whose answers cannot be used: unprocessable, as a missing
            # safety answer is (400 stays for a body that is not the expected JSON)
            # a warning sign stated where it does not apply is named with them: the body
            # is refused for it too once corrected (no answers passed: never echoed)
            signs = screen_readable(pack, answers, {q: raw[q] for q, _ in problems
                                                    if q in raw})[0]
            invalid: dict[str, Any] = {
                "error": "invalid_answers", "questions": sorted({q for q, _ in problems}),
                "problems": [f"{q}: {why}" for q, why in problems] + [
                    m for _, m in sign_messages(pack, signs, already=False)]}
            if signs.signs:
                invalid["red_flags"] = [s.rule.id for s in signs.signs]
            return JSONResponse(invalid, 422)
        screened = screen_answers(pack, answers)
        if screened.signs:  # an answer the questionnaire would not have asked states a
            # warning sign (named first: the body contradicts itself); a missing safety
            # answer next to it is named too, so that one correction is enough
            messages = sign_messages(pack, screened)  # (no answers: never echoed)
            body: dict[str, Any] = {
                "error": "ignored_warning_sign", "questions": [q for q, _ in messages],
                "red_flags": [s.rule.id for s in screened.signs],
                "message": "; ".join(m for _, m in messages)}
            if screened.missing:
                body["missing_questions"] = list(screened.missing)
                body["message"] += "; " + t("missing_answers", lang,
                                            questions=", ".join(screened.missing))
            return JSONResponse(body, 422)
        if screened.missing:
            return JSONResponse({"error": "missing_safety_answers",
                                 "questions": list(screened.missing),
                                 "message": t("missing_answers", lang,
                                              questions=", ".join(screened.missing))}, 422)
        outcome = screened.outcome
        assert outcome is not None
        return Response(outcome_json(outcome, pack, lang), media_type="application/json")

    static = StaticFiles(packages=[("triage.web", "static")])
    return [
        Route("/", start_page, methods=["GET"]),
        Route("/s", show, methods=["GET"]),
        Route("/s", post, methods=["POST"]),
        Route("/report", report, methods=["GET"]),
        Route("/lang/{code}", switch_language, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/api/assess", api_assess, methods=["POST"]),
        Mount("/static", static, name="static"),
    ]


def apply(web: Web, state: WebState, form: dict[str, list[str]], lang: str) -> Answered:
    """One move from a checked form."""
    pack = web.pack
    action = _one(form, "action")
    if action == "start":
        return Answered(screening.start(state))
    if not state.started_screening:
        raise screening.StaleForm
    if action == "back":
        return Answered(screening.back(pack, state))
    if action in ("confirm_yes", "confirm_no"):
        return Answered(screening.confirm(pack, state, yes=action == "confirm_yes"))
    if action != "answer":
        raise screening.UnknownAnswer
    q = pack.question_by_id.get(_one(form, "question"))
    if q is None:
        raise screening.UnknownAnswer
    flow = screening.restore(pack, state)
    if flow.current is None or flow.current.id != q.id or state.pending is not None:
        raise screening.StaleForm
    values = form.get("answer", [])
    value = screening.read_answer(q, values, lang, flow.option_texts(q))
    if isinstance(value, Rejected):
        return Answered(None, value, tuple(values))
    moved = screening.answer(pack, state, q.id, value, flow)
    if isinstance(moved, Rejected):
        return Answered(None, moved, tuple(values))
    return Answered(moved)


def create_app(config: WebConfig | None = None, pack: CompiledPack | None = None) -> Guard:
    """The app; with no arguments, configured from the environment (``triage serve`` sets it
    for each worker process, with the content hash of the pack it checked: a worker that
    finds another pack refuses to start, see :func:`worker_pack`)."""
    config = config or WebConfig.from_env()
    pack = pack or worker_pack(config)
    web = Web(pack, config)

    async def http_error(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        if status not in (400, 403, 404, 405, 409, 410, 413, 415):
            status = 500
        return web.error_page(status, web.lang(request))

    async def page_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PageError)
        return web.error_page(exc.status, web.lang(request), exc.kind)

    app = Starlette(routes=build_routes(web),
                    exception_handlers={HTTPException: http_error, PageError: page_error,
                                        500: http_error})
    # Starlette answers "/s/" with a redirect to an absolute URL built from the request's
    # Host header: a forged Host sent people elsewhere (through a proxy that caches it).
    # No page here has a second spelling: a wrong one is a 404.
    app.router.redirect_slashes = False
    return Guard(app, lambda: bytes(web.error_page(500, "en").body))



def worker_pack(config: WebConfig) -> CompiledPack:
    """The pack a worker process serves: the one ``triage serve`` checked, read again from
    ``config.pack_dir``. If that pack was edited since (another content hash, or problems),
    the worker says so in one log line and exits with uvicorn's STARTUP_FAILURE, which stops
    the server: restarting it would fail the same way every time, and serving the edit would
    answer some people with one pack and others with another, unchecked."""
    from triage.problems import ProblemsError, display_path

    where = display_path(config.pack_dir) if config.pack_dir else "the bundled rule pack"
    try:
        pack = load_pack(config.pack_dir)
    except ProblemsError as exc:
        first = f" (the first: {exc.problems[0]})" if exc.problems else ""
        _refuse(f"{where} has {how_many(len(exc.problems), 'problem', 'problems')} since "
                "triage serve checked it"
                f"{first}")
    except OSError as exc:
        _refuse(f"{where} cannot be read since triage serve checked it "
                f"({exc.strerror or type(exc).__name__})")
    if config.pack_hash is not None and pack.content_hash != config.pack_hash:
        _refuse(f"{where} changed since triage serve checked it (content "
                f"{config.pack_hash[:12]}, now {pack.content_hash[:12]})")
    return pack


def _refuse(why: str) -> NoReturn:
    import logging
    import os
    import sys

    from uvicorn.config import STARTUP_FAILURE

    from triage.text import printable

    logging.getLogger("uvicorn.error").error(
        "%s", printable(f"Worker process [{os.getpid()}] refuses to start: {why}, and one "
                        "server serves one pack. To serve the pack as it is now, check it "
                        "with triage validate, then start triage serve again."))
    sys.exit(STARTUP_FAILURE)
