"""Issue 12, items 4 and 9: records and config commands give a plain message, never exit 70."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_USAGE
from triage.records import ClinicConfig, open_store, resolve_settings
from triage.records.config import mask_url
from triage.records.sqlite_store import SqliteRecordStore

runner = CliRunner()
ANSWERS = {"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, "area": "neck",
           "problems": ["stiffness"], "blood_thinners": "no"}


@pytest.fixture(autouse=True)
def _own_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("TRIAGE_DATABASE_URL", raising=False)


@pytest.mark.parametrize("since", ["0001-01-01", "9999-12-31", "0001-01-01T00:00",
                                   "\u0662\u0660\u0662\u0666-01-01"])
def test_far_off_dates_are_usage_errors(since: str) -> None:
    for command in (["records", "list", "--since", since],
                    ["records", "export", "--format", "csv", "--since", since]):
        result = runner.invoke(app, command)
        assert result.exit_code == EXIT_USAGE, result.output
        assert "is not a date" in result.stderr


@pytest.mark.parametrize("days", ["999999d", "36501", "0d", "\u0669\u0660d"])
def test_purge_days_out_of_range_are_usage_errors(days: str) -> None:
    result = runner.invoke(app, ["records", "purge", "--older-than", days, "--yes"])
    assert result.exit_code == EXIT_USAGE, result.output
    assert "is not a number of days" in result.stderr


def test_records_export_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(ANSWERS))
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    for n in range(3):
        subprocess.run([sys.executable, "-m", "triage", "assess", "--answers", str(answers),
                        "--pack", str(MINIMAL), "--record", "--caller-ref", f"C-{n}"],
                       env=env, capture_output=True, check=True, timeout=120)
    # `records export | head -c 10`: the reader goes away after a few bytes
    export = subprocess.Popen([sys.executable, "-m", "triage", "records", "export", "--format",
                               "jsonl"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    assert export.stdout is not None and export.stderr is not None
    export.stdout.read(10)
    export.stdout.close()
    err = export.stderr.read().decode()
    export.wait(timeout=120)
    assert "None" not in err and "Traceback" not in err and "internal error" not in err
    assert export.returncode == 0


@pytest.mark.parametrize(("url", "secret"), [
    ("host=db user=desk password=s3cret dbname=triage", "s3cret"),
    ("host=db password = 'se cr\\'et' user=desk", "se cr"),
    ("postgresql://desk:s3cret@db/triage", "s3cret"),
    ("postgresql://desk@db/triage?password=s3cret", "s3cret"),
])
def test_config_show_masks_every_password_form(url: str, secret: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert secret not in mask_url(url)
    monkeypatch.setenv("TRIAGE_DATABASE_URL", url)
    result = runner.invoke(app, ["config", "show"])
    assert secret not in result.stdout + result.stderr


def test_a_relative_sqlite_url_stays_relative(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = resolve_settings(database_url="sqlite:///rel/x.sqlite3", env={},
                                config=ClinicConfig())
    (tmp_path / "rel").mkdir(mode=0o700)
    with open_store(settings) as store:
        assert isinstance(store, SqliteRecordStore)
        assert store.path == Path("rel/x.sqlite3")
    assert (tmp_path / "rel" / "x.sqlite3").exists()
    assert not Path("/rel").exists()


def test_export_questionnaire_does_not_follow_a_symlink_or_honour_umask_000(
        tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "q.json"
    out.symlink_to(victim)
    old = os.umask(0)
    try:
        result = runner.invoke(app, ["export", "questionnaire", "--pack", str(MINIMAL),
                                     "--out", str(out)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "keep me"
    assert not out.is_symlink() and json.loads(out.read_text())["resourceType"] == \
        "Questionnaire"
    assert stat.S_IMODE(out.stat().st_mode) & 0o077 == 0
