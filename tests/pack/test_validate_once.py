"""An invisible character in a condition is one problem, not two (audit finding 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from triage.cli.app import app


def test_a_zero_width_space_in_a_when_is_reported_once(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(REPO_ROOT / "rules", "pk")
    path = Path("pk/red_flags.yaml")
    text = path.read_text()
    assert 'when: "chest_pain in' in text
    path.write_text(text.replace('when: "chest_pain in', 'when: "chest_pain\u200b in', 1))
    result = CliRunner().invoke(app, ["validate", "pk"])
    assert result.exit_code == 1
    assert "control characters (\\u200b)" in result.output
    assert "non-printable" not in result.output
    assert "1 problem found." in result.output
