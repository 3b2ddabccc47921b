"""`triage serve`: the questionnaire as web pages for patients at home."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from triage.cli.common import Number, PackOption, _load, app
from triage.cli.exitcodes import EXIT_ENVIRONMENT, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.output import err as _err


@app.command()
def serve(
    pack: PackOption = None,
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. Keep 127.0.0.1 behind a reverse proxy "
                       "that adds TLS (see the README).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (1 to 65535).",
                                      parser=Number(1, 65535))] = 8000,
    workers: Annotated[int, typer.Option(
        "--workers", help="Worker processes, 1 to 64 (they share the port and the session "
                          "key).", parser=Number(1, 64))] = 1,
    record: Annotated[bool, typer.Option(
        "--record", help="Store each finished screening in the records store (as `assess "
                         "--record`), with a reference shown to the patient. Off: nothing "
                         "is stored.")] = False,
    access_log: Annotated[bool, typer.Option(
        "--access-log/--no-access-log", help="Log each request's method, path and status "
        "(paths never hold answers).")] = True,
) -> None:
    """Serve the questionnaire as accessible web pages (needs the web extra: pip install
    '.[web]' in the source folder)."""
    try:
        # Lazy on purpose: Starlette, Jinja2, uvicorn and cryptography are the optional `web`
        # extra, and importing them would slow every other command's start-up.
        from triage.web.config import ENV_SECRET, WebConfig
        from triage.web.server import CannotListen, listening_socket
        from triage.web.server import serve as run
        from triage.web.state import PackTooLarge, fitting_codec
    except ImportError as exc:
        _err(f"triage serve needs the web extra ({exc.name} is missing): "
             f"{web_extra_command()}")
        raise typer.Exit(EXIT_USAGE) from None
    import os

    config = WebConfig.from_env()
    problem = config.key_problem()
    if problem is not None:  # before the pack is loaded: a usage error, said at once
        _err(problem)
        raise typer.Exit(EXIT_USAGE)
    # One pack, resolved once: the one checked here is the one every worker serves (a
    # TRIAGE_WEB_PACK left in the environment names it when --pack does not)
    pack = pack or config.pack_dir
    compiled: Any = _load(pack)  # every problem of a bad pack is listed before anything listens
    try:
        # a pack whose answers could outgrow the session cookie would lose a person's
        # answers mid-way: refused here, before anything listens
        fitting_codec(compiled)
    except PackTooLarge as exc:
        where = compiled.questions[-1].location
        _err(f"{where}: {exc}")
        raise typer.Exit(1) from None
    config = WebConfig(secrets=config.secrets, pack_dir=pack, record=record, desk=config.desk,
                       pack_hash=compiled.content_hash)
    if record:  # a server that cannot keep what it promises patients does not start
        from triage.cli.record_option import problem_text, store_problem

        unusable = store_problem(desk=config.desk, staff=config.staff)
        if unusable is not None:
            _err(f"triage serve --record cannot keep records: {problem_text(unusable, 'en')}. "
                 "Nothing is served: fix that, or serve without --record.")
            raise typer.Exit(EXIT_ENVIRONMENT)
    shown = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    try:  # the port before anything else is said: taken, it is the one thing to say
        sock = listening_socket(host, port)
    except CannotListen as exc:
        _err(f"triage serve cannot listen on {shown}: {exc}.")
        raise typer.Exit(EXIT_ENVIRONMENT) from None
    if not os.environ.get(ENV_SECRET):
        _err(f"Sessions end when this server stops (set {ENV_SECRET} to keep them, and to "
             "share them between servers).")
    if host not in ("127.0.0.1", "localhost", "::1"):
        _err(f"Listening on {host}: browsers keep the session cookie only over HTTPS (or on "
             "localhost), so put a TLS reverse proxy in front (see the README).")
    if record:
        _err("Recording is on: every finished screening is stored with a reference.")
    _err(f"Serving the questionnaire on http://{shown}/ (Ctrl-C stops it).")
    if not run(config, compiled, sock, workers=workers, access_log=access_log):
        _err("triage serve stopped: a worker process found the rule pack changed since it "
             "was checked (see the log above).")
        raise typer.Exit(EXIT_PROBLEMS)


def web_extra_command() -> str:
    """The command that adds the web extra to this very installation: this environment's
    pip, and the folder (or file) this copy was installed from when pip recorded one (PEP
    610). "pip install 'triage[web]'" asked the package index, where "triage" is another
    project: a new user who had run the README's `pip install .` in a clone installed it."""
    import json
    import shlex
    import sys
    from importlib import metadata
    from urllib.parse import unquote, urlparse

    source, editable = "triage", False
    try:
        recorded = metadata.distribution("triage").read_text("direct_url.json")
        where = json.loads(recorded) if recorded else {}
    except (metadata.PackageNotFoundError, ValueError):
        where = {}
    url = where.get("url") if isinstance(where, dict) else None
    if isinstance(url, str) and url.startswith("file://"):
        source = unquote(urlparse(url).path)
        folder = where.get("dir_info")
        editable = isinstance(folder, dict) and folder.get("editable") is True
    return (f"{shlex.quote(sys.executable)} -m pip install {'-e ' if editable else ''}"
            f"{shlex.quote(source + '[web]')}")
