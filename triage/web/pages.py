"""The pages: what each screen of ``triage serve`` shows, rendered from the templates.

Questions, the confirmation of a red-flag answer, the emergency stop, the one-screen result and
the error pages. The result's words come from :func:`triage.render.sections`, the same as the
terminal's and the printed report's; the report itself is :func:`triage.render.report.report_html`.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import anyio.to_thread
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from triage.conditions.tree import MULTI, NUMBER, YES_NO
from triage.engine.answers import check_answers
from triage.engine.evaluate import Outcome
from triage.engine.flow import Rejected, number_text
from triage.engine.policy import MEDICAL, URGENT
from triage.i18n import LANGUAGES, t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.records import StoreError, resolve_settings
from triage.records.screening import save_screening
from triage.render import Section, answer_text, asked_and_answered, sections
from triage.render.reasons import dropped_text, reason_text
from triage.render.typography import keep_marks_with_words
from triage.web import screening
from triage.web.config import WebConfig
from triage.web.guard import PageError
from triage.web.messages import LANGUAGE_NAMES, negotiate, w
from triage.web.recording import record_id_for, reference_for
from triage.web.state import COOKIE_LIMIT, Sealer, StateError, WebState

log = logging.getLogger("triage.web")


STATE_COOKIE = "__Host-triage"  # __Host-: only over HTTPS (or localhost), only this host
LANG_COOKIE = "__Host-triage-lang"


@dataclass(frozen=True)
class Answered:
    """A POST's outcome: the new state, or a page to show again with a message."""

    state: WebState | None
    rejected: Rejected | None = None
    submitted: tuple[str, ...] = ()


class Web:
    """Everything a request needs: the pack, the keys, the templates, the settings."""

    def __init__(self, pack: CompiledPack, config: WebConfig) -> None:
        self.pack = pack
        self.config = config
        self.sealer = Sealer(config.secrets, pack)  # PackTooLarge: see `serve`
        # auto_reload off: the templates ship inside the package and never change under a
        # running server, so no page pays a stat() of each template file it uses
        # every text a page shows keeps its French marks with its words when the browser
        # wraps the line (Chromium breaks before " :" and " ?"); nothing on a page is markup
        self.env = Environment(loader=PackageLoader("triage.web", "templates"),
                               autoescape=select_autoescape(default=True),
                               trim_blocks=True, lstrip_blocks=True, auto_reload=False,
                               finalize=_marks_kept)

    # -- requests ----------------------------------------------------------------------------

    def lang(self, request: Request) -> str:
        chosen = request.cookies.get(LANG_COOKIE, "")
        if chosen in LANGUAGES:
            return chosen
        return negotiate(request.headers.get("accept-language"))

    def state(self, request: Request) -> WebState | None:
        token = request.cookies.get(STATE_COOKIE)
        if token is None:
            return None
        try:
            return self.sealer.open(token)
        except StateError as exc:
            if exc.kind == "outdated":  # sealed for other questions: start again, never guess
                raise PageError(410, "outdated") from None
            if exc.kind == "other_key":  # sealed with a key this server lacks: never read
                raise PageError(410, "ended") from None
            raise PageError(400 if exc.kind == "tampered" else 410) from None

    def with_state(self, response: Response, state: WebState) -> Response:
        response.set_cookie(STATE_COOKIE, self.sealer.seal(state),
                            max_age=self.sealer.max_age_seconds, path="/", secure=True,
                            httponly=True, samesite="lax")
        # the sealed value fits (Sealer.fitted); name and attributes count too, and a browser
        # drops a larger cookie without a word: better a plain error page than lost answers
        if len(response.raw_headers[-1][1]) > COOKIE_LIMIT:
            raise RuntimeError("state cookie too large")
        return response

    # -- pages -------------------------------------------------------------------------------

    def html(self, template: str, lang: str, *, status: int = 200, back: str = "s",
             **values: Any) -> HTMLResponse:
        def m(key: str, **more: object) -> str:
            return w(key, lang, **more)

        page = self.env.get_template(template).render(
            lang=lang, m=m, site=self.pack.text(self.pack.title, lang), back_to=back,
            other_languages=[(c, LANGUAGE_NAMES[c]) for c in LANGUAGES if c != lang],
            **values)
        return HTMLResponse(page, status_code=status)

    def error_page(self, status: int, lang: str, kind: str = "", *,
                   back: str = "") -> HTMLResponse:
        key = kind or str(status)
        return self.html("error.html", lang, status=status, back=back,
                         title=w(f"err_title_{key}", lang), text=w(f"err_text_{key}", lang),
                         go_on=status in (409, 405))

    def screen(self, state: WebState, lang: str, *, status: int = 200,
               answered: Answered | None = None) -> HTMLResponse:
        page = screening.page_for(self.pack, state)
        common: dict[str, Any] = {"csrf": self.sealer.csrf_token(state), "step": state.step,
                                  # the answers the change before this page removed, said
                                  # in the terminal's words (the flow's Accepted.dropped)
                                  "dropped": dropped_text(self.pack, state.dropped, lang)
                                  if state.dropped else ""}
        if page.kind == "question":
            assert page.question is not None
            return self.question(page, lang, common, status, answered)
        if page.kind == "confirm":
            q = page.question
            assert q is not None
            chosen = screening_choice_texts(self.pack, q, page.selected, lang)
            return self.html("confirm.html", lang, title=w("confirm_title", lang),
                             question_text=self.pack.text(q.text, lang),
                             yes_no=q.type == YES_NO, chosen=chosen, **common)
        if page.kind == "no_result":
            return self.html("no_result.html", lang, status=422, title=w("no_result_title", lang),
                             text=t("missing_answers", lang,
                                    questions=", ".join(self.question_text(q, lang)
                                                        for q in page.missing)), **common)
        assert page.outcome is not None
        reference = self.reference_text(state, lang)
        if page.kind == "emergency":
            return self.emergency(page.outcome, lang, common, reference)
        return self.result(page.outcome, state, lang, common, reference)

    def question_text(self, qid: str, lang: str) -> str:
        q = self.pack.question_by_id.get(qid)
        return self.pack.text(q.text, lang) if q else qid

    def question(self, page: screening.Page, lang: str, common: dict[str, Any], status: int,
                 answered: Answered | None) -> HTMLResponse:
        q = page.question
        assert q is not None
        pack = self.pack
        error = ""
        if answered is not None and answered.rejected is not None:
            r = answered.rejected
            error = " ".join(w(r.key, lang, **r.values).split())
            chosen: set[str] = set(answered.submitted)
            typed = answered.submitted[0] if answered.submitted else ""
        else:
            chosen, typed = _chosen(q, page.selected)
        if q.type == YES_NO:
            options = [{"id": v, "text": t(v, lang).capitalize(), "chosen": v in chosen}
                       for v in ("yes", "no")]
            hint = w("hint_one", lang)
        else:
            options = [{"id": o.id, "text": pack.text(o.text, lang), "chosen": o.id in chosen}
                       for o in q.options]
            hint = w("hint_some" if q.type == MULTI else "hint_one", lang)
        unit = pack.text(q.unit, lang) if q.unit else ""
        if q.type == NUMBER:
            hint = w("hint_number", lang, min=number_text(q.min), max=number_text(q.max))
        text = pack.text(q.text, lang)
        return self.html(
            "question.html", lang, status=status, title=text, error=error,
            q=q, text=text, help=pack.text(q.help, lang) if q.help else "", hint=hint,
            kind=q.type, options=options, none_value=screening.NONE_OF_THESE,
            none_chosen=screening.NONE_OF_THESE in chosen, typed=typed, unit=unit,
            number=page.number, percent=page.percent, **common)

    def emergency(self, outcome: Outcome, lang: str, common: dict[str, Any],
                  reference: str) -> HTMLResponse:
        pack = self.pack
        advice = {k: pack.text(v, lang) for k, v in outcome.advice.items()}
        # as it held: the reason of the branch these answers took
        main = next((r for r in outcome.fired if r.id == outcome.main_red_flag), None)
        # what the terminal lists on its first screen (e.g. what to watch for, when the pack
        # shows it with an emergency) is on this page too
        lists = [(s.title, s.items) for s in sections(outcome, pack, lang)
                 if s.kind == "list" and not s.detail and s.items]
        # no "when to seek care" line: "call 911" is the result and what to do, said once
        # as everywhere else (render.result.sections); it was the page's fifth "Call 911",
        # with "even if the signs went away" under signs that are there (meningitis)
        return self.html("emergency.html", lang, title=advice["label"], label=advice["label"],
                         action=advice["action"], lists=lists,
                         reason=reason_text(outcome, pack, main, lang) if main else "",
                         colon=t("colon", lang), reference=reference,
                         not_diagnosis=t("not_diagnosis", lang), **common)

    def result(self, outcome: Outcome, state: WebState, lang: str, common: dict[str, Any],
               reference: str) -> HTMLResponse:
        # the first screen is what the terminal shows on its first screen (the sections
        # not marked as details): the safety-netting and the therapist's precautions are
        # never folded away; only the details are
        blocks = sections(outcome, self.pack, lang)
        head, rest = blocks[0], blocks[1:]
        urgent = outcome.disposition in URGENT

        def shown(s: Section) -> dict[str, Any]:
            items = [i for i in s.items
                     if not (urgent and i == t("referral", lang))]  # nothing routine
            return {"kind": s.kind, "title": s.title, "items": items,
                    "text": " ".join(items),
                    # the answers: the question, then its answer set off in bold
                    "pairs": [(asked_and_answered(q, "", lang), a) for q, a in s.pairs]}

        first = [shown(s) for s in rest if not s.detail]
        details = [shown(s) for s in rest if s.detail]
        # on paper, the warning signs checked (and those not asked, or not checked) are
        # counted, not listed: listed, they took five of six printed pages. Where the lists
        # are is said once, where the first of them was (the printable summary counts them
        # the same way)
        counted = {t("flags_absent", lang): "report_flags_checked",
                   t("flags_not_asked", lang): "report_flags_not_asked",
                   t("flags_unchecked", lang): "print_flags_unchecked"}
        long = [d for d in details if d["title"] in counted and d["items"]]
        for d in long:
            d["long"] = True
        if long:
            long[0]["printed"] = " ".join(
                [w(counted[d["title"]], lang, count=len(d["items"])) for d in long]
                + [w("print_lists_on_screen", lang, details=w("details", lang))])
        not_saved = w("not_saved", lang) if state.ref == "" else ""
        return self.html("result.html", lang, title=head.items[0], label=head.items[0],
                         first=first, details=details, colon=t("colon", lang),
                         urgent=outcome.disposition in MEDICAL,
                         reference=reference, not_saved=not_saved, **common)

    def reference_text(self, state: WebState, lang: str) -> str:
        return w("reference", lang, ref=state.ref) if state.ref else ""

    # -- recording ---------------------------------------------------------------------------

    async def record_if_done(self, state: WebState) -> WebState:
        """With ``serve --record``: store a finished screening once (a copy of the request
        that finished it stores nothing more: :mod:`triage.web.recording`)."""
        if not self.config.record or state.ref is not None:
            return state
        page = screening.page_for(self.pack, state)
        if page.kind not in ("result", "emergency") or page.outcome is None:
            return state
        outcome = page.outcome
        # after going back from a recorded result: the same reference, so the records of the
        # first result and of the changed one are read together (last_ref is that reference;
        # only a session from before references were worked out has another one)
        reference = state.last_ref or reference_for(state)
        record_id = record_id_for(self.pack.content_hash, state)
        answers = dict(state.answers)

        def save() -> None:
            settings = resolve_settings(desk=self.config.desk, staff=self.config.staff)
            # the web has no reception mode: the person answers in their own words
            save_screening(self.pack, _normal(self.pack, answers), outcome,
                           caller_ref=reference, config=settings, record_id=record_id,
                           mode="patient")

        try:
            await anyio.to_thread.run_sync(save)
        except StoreError as exc:  # the message never carries answers; still, log the kind
            log.error("screening not recorded (%s)", exc.kind)
            return replace(state, ref="")
        return replace(state, ref=reference)


def _marks_kept(value: Any) -> Any:
    # a macro's output is markup already (its texts went through here): left as it is
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return keep_marks_with_words(value)
    return value


def _normal(pack: CompiledPack, answers: Mapping[str, Any]) -> dict[str, Any]:
    normal, problems = check_answers(answers, pack.shapes)
    if problems:  # the flow checked them already; never store what it would refuse
        raise StoreError("answers not in normal form", kind="invalid")
    return normal


def screening_choice_texts(pack: CompiledPack, q: QuestionSpec, value: Any,
                           lang: str) -> list[str]:
    if q.type == MULTI:
        chosen = set(value)
        return [pack.text(o.text, lang) for o in q.options if o.id in chosen]
    return [answer_text(pack, q.id, value, lang)]


def _chosen(q: QuestionSpec, value: Any) -> tuple[set[str], str]:
    """The boxes to tick and the text to fill in for an answer shown again."""
    if value is None:
        return set(), ""
    if q.type == NUMBER:
        return set(), number_text(float(value))
    if q.type == MULTI:
        items = set(value)
        return (items or {screening.NONE_OF_THESE}), ""
    return {str(value)}, ""


def report_csp(html: str) -> str:
    """The report is the same self-contained file ``assess --report`` writes, with its inline
    style: allow exactly that style (by hash) and nothing else."""
    hashes = [_sha256(block) for block in _between(html, "<style>", "</style>")]
    attrs = [_sha256(a) for a in _between(html, ' style="', '"')]
    style = " ".join([*(f"'sha256-{h}'" for h in hashes),
                      *(["'unsafe-hashes'"] if attrs else []),
                      *(f"'sha256-{h}'" for h in attrs)])
    return (f"default-src 'none'; style-src {style}; img-src 'none'; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'")


def _between(text: str, start: str, end: str) -> list[str]:
    out = []
    at = text.find(start)
    while at >= 0:
        stop = text.find(end, at + len(start))
        if stop < 0:
            break
        out.append(text[at + len(start):stop])
        at = text.find(start, stop)
    return out


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


