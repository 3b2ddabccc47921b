"""Fixtures for the web tests: the app in-process (Starlette's TestClient over HTTPS, so the
Secure cookies travel) and a tiny form-following client."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright
from starlette.testclient import TestClient

from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.web.app import create_app
from triage.web.config import WebConfig

KEY = "test-key-" + "x" * 40
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


@pytest.fixture(scope="session")
def clinical() -> CompiledPack:
    return load_pack(None, use_cache=False)


class Visitor:
    """A browser without a browser: keeps cookies, reads the hidden fields of the last page."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.page = ""
        self.status = 0

    def get(self, path: str = "/s", **kwargs: Any) -> str:
        response = self.client.get(path, **kwargs)
        self.page, self.status = response.text, response.status_code
        return self.page

    def hidden(self) -> dict[str, str]:
        return dict(_HIDDEN.findall(self.page))

    def post(self, data: dict[str, Any] | list[tuple[str, str]], *, keep: bool = True,
             **kwargs: Any) -> Any:
        """POST a form of the current page (its csrf and step added unless ``keep`` is off)."""
        fields = list(data.items()) if isinstance(data, dict) else list(data)
        if keep:
            fields = [(k, v) for k, v in self.hidden().items() if k in ("csrf", "step")] + fields
        form: dict[str, list[str]] = {}
        for key, value in fields:
            form.setdefault(key, []).append(value)
        response = self.client.post("/s", data=form, follow_redirects=False, **kwargs)
        if response.status_code == 303:
            self.get(response.headers["location"])
        else:
            self.page, self.status = response.text, response.status_code
        return response

    def start(self) -> None:
        self.get("/")
        self.post({"action": "start"})

    def answer(self, *values: str) -> Any:
        question = self.hidden()["question"]
        return self.post([("question", question), *(("answer", v) for v in values),
                          ("action", "answer")])

    def question(self) -> str | None:
        return self.hidden().get("question")


def make_client(pack: CompiledPack, *, record: bool = False) -> TestClient:
    app = create_app(WebConfig(secrets=[KEY], record=record), pack=pack)
    return TestClient(app, base_url="https://testserver", raise_server_exceptions=False)


@pytest.fixture
def visitor(clinical: CompiledPack) -> Iterator[Visitor]:
    with make_client(clinical) as client:
        yield Visitor(client)


@pytest.fixture(autouse=True)
def _own_records_store(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees only the records it made (``nothing stored`` is checked by counting)."""
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))


# ------------------------------------------------------------------ the real server, Chromium

CHROMIUM = Path("/usr/lib/chromium/chromium-headless-shell")
AXE = Path(__file__).parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(base: Path, *, secret: str, port: int | None = None,
            options: tuple[str, ...] = ()) -> Iterator[str]:
    """``python -m triage serve`` on 127.0.0.1 with ``TRIAGE_WEB_SECRET=secret``, its data,
    cache and config under ``base``; yields its URL once /healthz answers."""
    port = port or _free_port()
    env = {**os.environ, "TRIAGE_WEB_SECRET": secret,
           "TRIAGE_DATA_DIR": str(base / "data"), "TRIAGE_CACHE_DIR": str(base / "cache"),
           "TRIAGE_CONFIG_DIR": str(base / "config")}
    process = subprocess.Popen([sys.executable, "-m", "triage", "serve", "--port", str(port),
                                "--no-access-log", *options], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode() if process.stderr
                                         else "serve exited") from None
                time.sleep(0.1)
        else:
            raise AssertionError("triage serve did not answer /healthz")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(tmp_path_factory.mktemp("serve"), secret="browser-tests-" + "k" * 40) as url:
        yield url


def installed() -> None:
    """Chromium and axe-core, installed by .ci/browser.sh when missing (a fresh clone runs
    the same tests as CI, nothing skipped)."""
    if not (CHROMIUM.exists() and AXE.exists()):
        script = Path(__file__).parents[2] / ".ci" / "browser.sh"
        done = subprocess.run(["bash", str(script)], capture_output=True, text=True,
                              check=False, timeout=900)
        assert done.returncode == 0, f"bash .ci/browser.sh failed:\n{done.stderr[-2000:]}"


# module, not session: Playwright's sync API keeps an asyncio loop running in this thread while
# it is open, and a test of another module run later (the order is random) that calls
# asyncio.run() would fail with "cannot be called from a running event loop"
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    installed()
    assert CHROMIUM.exists(), "headless Chromium is missing: run bash .ci/browser.sh"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()
