"""Running the app with uvicorn: one process, or ``--workers N`` processes sharing the port."""

from __future__ import annotations

import os

import uvicorn

from triage.web.config import WebConfig

# How long an idle kept-alive connection stays open. uvicorn's default, 5 s, is shorter than a
# patient spends reading most pages, so nearly every answer needed a new connection (and the
# browser's request could meet the server closing the old one); 75 s is nginx's default.
KEEP_ALIVE_SECONDS = 75


def serve(config: WebConfig, *, host: str, port: int, workers: int, access_log: bool) -> None:
    # The workers build their own app from the environment: give them the same key, so a
    # form made by one worker is accepted by another.
    os.environ.update(config.to_env())
    uvicorn.run("triage.web.app:create_app", factory=True, host=host, port=port,
                workers=workers if workers > 1 else None, access_log=access_log,
                proxy_headers=True, server_header=False, date_header=True,
                log_level="info", timeout_graceful_shutdown=5,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
