"""`triage serve` as a command: its defaults, its lazy imports, and workers sharing sessions."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from typer.testing import CliRunner

from triage.cli.app import app
from triage.pack.compiled import CompiledPack

from .conftest import _free_port, serving
from .test_app import REFERENCE, THERAPY, count_records, form_values

WEB_STACK = ("starlette", "jinja2", "uvicorn", "cryptography", "anyio")


def test_the_command_line_never_imports_the_web_stack() -> None:
    code = ("import sys; import triage.cli.app; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({WEB_STACK!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_defaults_bind_to_this_machine_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_socket(host: str, port: int) -> tuple[str, int]:
        seen.update(host=host, port=port)
        return (host, port)

    def fake_serve(config: Any, pack: Any, sock: Any, **options: Any) -> bool:
        assert sock == (seen["host"], seen["port"])  # served on the socket bound first
        seen.update(options, record=config.record, pack=config.pack_dir)
        return True

    monkeypatch.setattr("triage.web.server.listening_socket", fake_socket)
    monkeypatch.setattr("triage.web.server.serve", fake_serve)
    monkeypatch.delenv("TRIAGE_WEB_SECRET", raising=False)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen == {"host": "127.0.0.1", "port": 8000, "workers": 1, "access_log": True,
                    "record": False, "pack": None}
    assert "Sessions end when this server stops" in result.stderr
    result = CliRunner().invoke(app, ["serve", "--workers", "3", "--record", "--port", "9"])
    assert seen["workers"] == 3 and seen["record"] is True and seen["port"] == 9
    assert "Recording is on" in result.stderr and "HTTPS" not in result.stderr
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"])
    assert seen["host"] == "0.0.0.0" and "TLS reverse proxy" in result.stderr


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_port_in_use_is_one_line_and_the_environment_exit_code(workers: str,
                                                                 tmp_path: Path) -> None:
    """uvicorn logged "ERROR: [Errno 98] error while attempting to bind..." and exited 3,
    which the README says means a safety question has no answer. The port is bound first: a
    port in use (a real one, held here) is one line, exit 4 (the environment refused, as for
    a records store that cannot be used), nothing else said or served."""
    from triage.cli.exitcodes import EXIT_ENVIRONMENT

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        env = {**os.environ, "TRIAGE_DATA_DIR": str(tmp_path)}
        done = subprocess.run([sys.executable, "-m", "triage", "serve", "--port", str(port),
                               "--workers", workers], env=env, capture_output=True, text=True,
                              timeout=60)
    assert done.returncode == EXIT_ENVIRONMENT == 4, done.stderr
    assert done.stderr == (f"triage serve cannot listen on 127.0.0.1:{port}: the port is in use "
                           "(another server is running there?): stop it, or choose another "
                           "--port.\n")
    assert done.stdout == ""


def test_a_records_store_that_cannot_keep_records_is_said_before_anything_listens(
        tmp_path: Path) -> None:
    """`serve --record` with a file where the records folder should be: one line naming it,
    exit 4, no port bound and nothing served (patients would be promised a reference that
    is never kept), and the file left as it was."""
    from triage.cli.exitcodes import EXIT_ENVIRONMENT

    blocker = tmp_path / "records-folder"
    blocker.write_text("a file\n")
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    (config / "config.toml").write_text(f'store_path = "{blocker}/records.sqlite3"\n')
    port = _free_port()
    env = {**os.environ, "TRIAGE_CONFIG_DIR": str(config), "TRIAGE_WEB_SECRET": "s" * 40}
    done = subprocess.run([sys.executable, "-m", "triage", "serve", "--port", str(port),
                           "--record"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_ENVIRONMENT == 4, done.stderr
    assert done.stderr == (
        f"triage serve --record cannot keep records: {blocker} is a file where the records "
        "folder should be (move it aside, or set another store_path in the clinic config). "
        "Nothing is served: fix that, or serve without --record.\n")
    assert done.stdout == "" and blocker.read_text() == "a file\n"
    # without --record the same server (the same clinic config) starts: the store is
    # checked only when it is used
    with serving(tmp_path, secret="s" * 40) as url, \
            urllib.request.urlopen(url + "/healthz", timeout=5) as answer:
        assert answer.status == 200


def test_serve_record_checks_the_store_its_records_go_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check opens the store the records will be made in (as desk "web", by
    "patient-web") and asks whether it can take one; a store that can starts the server."""
    asked: list[tuple[str, str]] = []

    def check(self: Any) -> None:
        asked.append((self.actor.desk, self.actor.staff))

    monkeypatch.setattr("triage.records.sqlite_store.SqliteRecordStore.check_can_add", check)
    monkeypatch.setattr("triage.web.server.listening_socket", lambda host, port: (host, port))
    monkeypatch.setattr("triage.web.server.serve", lambda *a, **k: True)
    result = CliRunner().invoke(app, ["serve", "--record"])
    assert result.exit_code == 0, result.output
    assert asked == [("web", "patient-web")]
    assert "Recording is on" in result.stderr


def test_a_bad_pack_is_reported_before_anything_listens(tmp_path: Path) -> None:
    (tmp_path / "pack.yaml").write_text("pack: {id: x\n")
    result = CliRunner().invoke(app, ["serve", "--pack", str(tmp_path)])
    assert result.exit_code == 1 and "pack.yaml" in result.stderr


@pytest.mark.long(8)
def test_workers_share_one_key(tmp_path: Path) -> None:
    """Two uvicorn workers; a new connection per request lands on either of them: the
    questionnaire only goes on if each accepts what the other sealed."""
    port = _free_port()
    # no TRIAGE_WEB_SECRET: the key `serve` makes up must reach every worker
    env = {k: v for k, v in os.environ.items() if k != "TRIAGE_WEB_SECRET"}
    env["TRIAGE_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen([sys.executable, "-m", "triage", "serve", "--port", str(port),
                               "--workers", "2", "--no-access-log"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        client = OneShotClient(port)
        page = client.request("GET", "/")
        for i in range(31):
            fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
            form = {"csrf": fields["csrf"], "step": fields["step"]}
            form.update({"action": "start"} if i == 0 else
                        {"action": "back"} if i % 2 == 0 else
                        {"question": "emergency_signs", "answer": ":none", "action": "answer"})
            page = client.request("POST", "/s", form)
        assert "Do you have any of these now" in page  # 16 moves, all accepted
        assert client.statuses == {200, 303}
        # a patient reads a page for longer than uvicorn's default 5 s keep-alive: the
        # connection must still be open for the next answer
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        assert connection.getresponse().read()
        time.sleep(6)
        connection.request("GET", "/healthz")
        assert connection.getresponse().status == 200
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_copies_of_the_finishing_request_on_several_workers_are_one_record(
        tmp_path: Path, clinical: CompiledPack) -> None:
    """`serve --record --workers 2`: the request that finishes a screening, sent six times at
    once with the cookie it was first sent with (a double click, retries, a replay), each
    copy on a new connection so the workers race each other on the one store: one record,
    and every copy shows its reference."""
    with serving(tmp_path, secret="s" * 40, options=("--workers", "2", "--record")) as url:
        client = OneShotClient(int(url.rsplit(":", 1)[1]))
        page = client.request("GET", "/")
        fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
        page = client.request("POST", "/s", {**fields, "action": "start"})
        while True:
            fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
            qid = fields["question"]
            form = [("csrf", fields["csrf"]), ("step", fields["step"]), ("question", qid),
                    ("action", "answer"),
                    *(("answer", v) for v in form_values(clinical, qid, THERAPY[qid]))]
            cookie = client.cookie
            page = client.request("POST", "/s", form)
            if 'name="question"' not in page:
                break
        shown = set(REFERENCE.findall(page))
        assert len(shown) == 1

        def copy(_: int) -> set[str]:
            again = OneShotClient(client.port)
            again.cookie = cookie
            return set(REFERENCE.findall(again.request("POST", "/s", form)))

        with ThreadPoolExecutor(6) as pool:
            assert list(pool.map(copy, range(6))) == [shown] * 6
    assert count_records() == 1


class OneShotClient:
    """A new TCP connection for every request (so the kernel spreads them over the workers);
    keeps the session cookie and follows redirects."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""
        self.statuses: set[int] = set()

    def request(self, method: str, path: str,
                form: dict[str, str] | list[tuple[str, str]] | None = None) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        headers = {"Connection": "close"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode()
        connection.close()
        self.statuses.add(response.status)
        cookie = response.getheader("set-cookie")
        if cookie and cookie.startswith("__Host-triage="):
            self.cookie = cookie.split(";", 1)[0]
        if response.status == 303:
            return self.request("GET", response.getheader("location") or "/")
        assert response.status == 200, (response.status, text[:300])
        return text


def test_serve_hands_its_key_and_pack_hash_to_the_worker_processes(
        monkeypatch: pytest.MonkeyPatch, clinical: CompiledPack) -> None:
    from triage.web import server
    from triage.web.config import ENV_PACK_HASH, ENV_SECRET, WebConfig

    seen: dict[str, Any] = {}

    class FakeSupervisor:
        def __init__(self, config: Any, sockets: list[Any]) -> None:
            self.processes: list[Any] = []
            seen.update(target=config.app, factory=config.factory, workers=config.workers,
                        keep_alive=config.timeout_keep_alive, key=os.environ.get(ENV_SECRET),
                        from_env=WebConfig.from_env())

        def run(self) -> None:
            pass

    monkeypatch.setattr(server, "Multiprocess", FakeSupervisor)
    monkeypatch.delenv(ENV_SECRET, raising=False)
    monkeypatch.delenv(ENV_PACK_HASH, raising=False)
    with server.listening_socket("127.0.0.1", 0) as sock:
        assert server.serve(WebConfig(secrets=["s" * 40], record=True, pack_hash="ab" * 32),
                            clinical, sock, workers=3, access_log=False)
    assert seen["target"] == "triage.web.app:create_app" and seen["factory"] is True
    assert seen["workers"] == 3 and seen["key"] == "s" * 40
    assert seen["keep_alive"] >= 60  # longer than a patient reads most pages
    assert seen["from_env"].secrets == ["s" * 40] and seen["from_env"].record is True
    assert seen["from_env"].pack_hash == "ab" * 32


def test_one_worker_is_this_process_serving_the_checked_pack(
        monkeypatch: pytest.MonkeyPatch, clinical: CompiledPack) -> None:
    from triage.web import server
    from triage.web.config import WebConfig

    seen: dict[str, Any] = {}

    class FakeServer:
        def __init__(self, config: Any) -> None:
            seen.update(app=config.app, workers=config.workers,
                        timeout_keep_alive=config.timeout_keep_alive)

        def run(self, sockets: list[Any]) -> None:
            seen.update(sockets=sockets)

    monkeypatch.setattr(server.uvicorn, "Server", FakeServer)
    with server.listening_socket("127.0.0.1", 0) as sock:
        assert server.serve(WebConfig(secrets=["s" * 40]), clinical, sock, workers=1,
                            access_log=False)
    assert not isinstance(seen["app"], str)  # an app, not a factory that reads the pack again
    assert seen["workers"] == 1  # said: uvicorn would take WEB_CONCURRENCY when it is not
    assert seen["timeout_keep_alive"] >= 60
    assert seen["sockets"] == [sock]  # the socket bound before anything was said


def test_the_web_extra_runs_uvicorn_on_its_c_event_loop_and_http_parser() -> None:
    """uvloop and httptools (the `web` extra): /healthz costs the server about 0.45 ms of CPU on
    them against 0.8 ms on asyncio and h11 (benchmarks/README.md); uvicorn picks them when
    installed."""
    from uvicorn.loops.auto import auto_loop_factory
    from uvicorn.protocols.http.auto import AutoHTTPProtocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    assert AutoHTTPProtocol is HttpToolsProtocol
    if sys.platform != "win32":
        loop = auto_loop_factory()()
        try:
            assert type(loop).__module__.startswith("uvloop")
        finally:
            loop.close()
