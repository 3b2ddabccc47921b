"""Schema mistakes in words: a text that is too short is not called empty (audit 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from triage.cli.app import app


def test_a_one_letter_citation_is_too_short_not_empty(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO_ROOT / "rules", "pk")
    path = Path("pk/contraindications.yaml")
    text = path.read_text()
    start = text.index('citation: "') + len('citation: "')
    path.write_text(text[:start] + "x" + text[text.index('"', start):])
    result = CliRunner().invoke(app, ["validate", "pk"])
    assert result.exit_code == 1
    assert ": too short: at least 3 characters" in result.output
    assert "empty" not in result.output
