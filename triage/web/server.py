"""Running the app with uvicorn: one process, or ``--workers N`` processes sharing the port."""

from __future__ import annotations

import os

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from triage.pack.compiled import CompiledPack
from triage.web.config import WebConfig

# How long an idle kept-alive connection stays open. uvicorn's default, 5 s, is shorter than a
# patient spends reading most pages, so nearly every answer needed a new connection (and the
# browser's request could meet the server closing the old one); 75 s is nginx's default.
KEEP_ALIVE_SECONDS = 75
WORKER_FACTORY = "triage.web.app:create_app"


def serve(config: WebConfig, pack: CompiledPack, *, host: str, port: int, workers: int,
          access_log: bool) -> bool:
    """Serve ``pack`` (the one ``triage serve`` checked) until stopped. False when the server
    stopped because a worker refused to start (see :func:`triage.web.app.create_app`)."""
    options = {"host": host, "port": port, "access_log": access_log, "proxy_headers": True,
               "server_header": False, "date_header": True, "log_level": "info",
               "timeout_graceful_shutdown": 5, "timeout_keep_alive": KEEP_ALIVE_SECONDS}
    if workers == 1:
        # this process serves the very pack it checked: nothing is read from disk again
        # (workers=1 said, or uvicorn would take WEB_CONCURRENCY from the environment)
        uvicorn.run(_app(config, pack), workers=1, **options)  # type: ignore[arg-type]
        return True
    # Each worker builds its own app from the environment: give them the same key, so a form
    # made by one worker is accepted by another, and the hash of the checked pack, so that a
    # worker started later (uvicorn replaces one that died, and all of them on SIGHUP) that
    # finds the pack edited refuses to start instead of serving another pack.
    os.environ.update(config.to_env())
    settings = uvicorn.Config(WORKER_FACTORY, factory=True, workers=workers,
                              **options)  # type: ignore[arg-type]
    # uvicorn.run() would do the same, but keeps the supervisor to itself: its workers' exit
    # codes tell a worker that refused (uvicorn's STARTUP_FAILURE, which stops the supervisor
    # rather than restarting the worker for ever) from a server stopped on purpose
    supervisor = Multiprocess(settings, sockets=[settings.bind_socket()])
    supervisor.run()
    return not any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes)


def _app(config: WebConfig, pack: CompiledPack) -> object:
    from triage.web.app import create_app

    return create_app(config, pack=pack)
