"""Fixtures for the web tests: the app in-process (Starlette's TestClient over HTTPS, so the
Secure cookies travel) and a tiny form-following client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
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
