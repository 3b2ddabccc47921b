"""Running the app with uvicorn: one process, or ``--workers N`` processes sharing the port."""

from __future__ import annotations

import contextlib
import errno
import os
import socket

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


class CannotListen(Exception):
    """The address to serve on cannot be used (a port in use or that needs privileges, no
    such host): the environment's to fix, said in one line (uvicorn logged an error, and its
    exit code 3 read as "a safety question has no answer")."""


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` before anything is served, as uvicorn binds one
    (IPv6 for an address with a colon; ``SO_REUSEADDR``, so a server restarted at once gets
    its port back; inheritable, for the workers); :class:`CannotListen` if it cannot be."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise CannotListen(_why(exc)) from None
    sock.set_inheritable(True)
    return sock


def _why(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return "no such host (check --host)"
    if exc.errno == errno.EADDRINUSE:
        return ("the port is in use (another server is running there?): stop it, or choose "
                "another --port")
    if exc.errno == errno.EACCES:
        return "the port needs privileges (ports below 1024): choose a port from 1024 up"
    if exc.errno == errno.EADDRNOTAVAIL:
        return "this machine has no such address (check --host)"
    return (exc.strerror or type(exc).__name__).lower()


def serve(config: WebConfig, pack: CompiledPack, sock: socket.socket, *, workers: int,
          access_log: bool) -> bool:
    """Serve ``pack`` (the one ``triage serve`` checked) on ``sock`` (bound by
    :func:`listening_socket`) until stopped. False when the server stopped because a worker
    refused to start (see :func:`triage.web.app.create_app`)."""
    host, port = sock.getsockname()[:2]
    options = {"host": host, "port": port, "access_log": access_log, "proxy_headers": True,
               "server_header": False, "date_header": True, "log_level": "info",
               "timeout_graceful_shutdown": 5, "timeout_keep_alive": KEEP_ALIVE_SECONDS}
    if workers == 1:
        # this process serves the very pack it checked: nothing is read from disk again
        # (workers=1 said, or uvicorn would take WEB_CONCURRENCY from the environment)
        one = uvicorn.Config(_app(config, pack), workers=1, **options)  # type: ignore[arg-type]
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C stops it, as uvicorn.run does
            uvicorn.Server(one).run(sockets=[sock])
        return True
    # Each worker builds its own app from the environment: give them the same key, so a form
    # made by one worker is accepted by another, and the hash of the checked pack, so that a
    # worker started later (uvicorn replaces one that died, and all of them on SIGHUP) that
    # finds the pack edited refuses to start instead of serving another pack.
    os.environ.update(config.to_env())
    settings = uvicorn.Config(WORKER_FACTORY, factory=True, workers=workers, **options)
    # uvicorn.run() would do the same, but keeps the supervisor to itself: its workers' exit
    # codes tell a worker that refused (uvicorn's STARTUP_FAILURE, which stops the supervisor
    # rather than restarting the worker for ever) from a server stopped on purpose
    supervisor = Multiprocess(settings, sockets=[sock])
    supervisor.run()
    return not any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes)


def _app(config: WebConfig, pack: CompiledPack) -> object:
    from triage.web.app import create_app

    return create_app(config, pack=pack)
