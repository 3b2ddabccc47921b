"""The outermost layer of the app: security headers on every response, and no traceback ever.

An exception inside the app is logged by its type only (its message or a traceback could quote
an answer) and answered with a plain 500 page, even when Starlette re-raises it for the server
to log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

log = logging.getLogger("triage.web")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# our pages: no script at all, styles from our own file only, forms only to ourselves
PAGE_CSP = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class PageError(Exception):
    """Answer with the error page for ``status`` (nothing was done)."""

    def __init__(self, status: int, kind: str = "") -> None:
        super().__init__(status)
        self.status = status
        self.kind = kind  # a more precise message for this status ("" for the usual one)


def too_large() -> PageError:
    return PageError(413)


class Guard:
    def __init__(self, app: ASGIApp, error_body: Callable[[], bytes]) -> None:
        self.app = app
        self.error_body = error_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        static = str(scope.get("path", "")).startswith("/static/")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                for name, value in HEADERS.items():
                    if name not in names:
                        headers.append((name, value))
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                if b"cache-control" not in names:
                    # pages hold health data: never kept by the browser or a proxy cache
                    headers.append((b"cache-control",
                                    b"public, max-age=3600" if static else b"no-store"))
                if https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:  # never a traceback: it could carry answers
            log.error("internal error (%s) on %s %s", type(exc).__name__,
                      scope.get("method"), scope.get("path"))
            if not started:
                body = self.error_body()
                await send_with_headers({"type": "http.response.start", "status": 500,
                                         "headers": [(b"content-type", b"text/html; charset=utf-8"),
                                                     (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
