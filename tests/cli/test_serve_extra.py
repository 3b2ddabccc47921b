"""`triage serve` without the web extra names the command that adds it to this installation
(ux-new, item 3). It said "pip install 'triage[web]'": that asks the package index, where
"triage" is another project, not the clone a new user had just installed with the README's
`pip install .`; and a bare "pip" may be another environment's."""

from __future__ import annotations

import json
import shlex
import sys
from importlib import metadata
from typing import Any

import pytest
from typer.testing import CliRunner

from triage.cli.app import app
from triage.cli.exitcodes import EXIT_USAGE
from triage.cli.serve import web_extra_command


class _Installed:
    def __init__(self, direct_url: dict[str, Any] | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        assert name == "direct_url.json"
        return None if self.direct_url is None else json.dumps(self.direct_url)


def _installed(monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, Any] | None) -> None:
    monkeypatch.setattr(metadata, "distribution", lambda name: _Installed(direct_url))


PIP = f"{shlex.quote(sys.executable)} -m pip install"


@pytest.mark.parametrize(("direct_url", "command"), [
    ({"url": "file:///tmp/my%20clone", "dir_info": {}}, f"{PIP} '/tmp/my clone[web]'"),
    ({"url": "file:///work/triage", "dir_info": {"editable": True}},
     f"{PIP} -e '/work/triage[web]'"),
    ({"url": "file:///dl/triage-0.1.0-py3-none-any.whl", "archive_info": {}},
     f"{PIP} '/dl/triage-0.1.0-py3-none-any.whl[web]'"),
    (None, f"{PIP} 'triage[web]'"),  # from an index: its name there
    ({"url": "https://example.org/triage.tar.gz", "archive_info": {}}, f"{PIP} 'triage[web]'"),
], ids=["clone", "editable", "wheel", "index", "remote"])
def test_the_web_extra_is_added_where_this_copy_came_from(
        monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, Any] | None,
        command: str) -> None:
    _installed(monkeypatch, direct_url)
    assert web_extra_command() == command


def test_serve_without_the_extra_names_that_command(monkeypatch: pytest.MonkeyPatch) -> None:
    _installed(monkeypatch, {"url": "file:///tmp/ux-clone", "dir_info": {}})
    monkeypatch.setitem(sys.modules, "triage.web.config", None)  # as if not installed
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == EXIT_USAGE, result.output
    assert f"{PIP} '/tmp/ux-clone[web]'" in result.stderr, result.stderr
    assert "pip install 'triage[web]'" not in result.stderr
