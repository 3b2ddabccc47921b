"""Where triage keeps things when there is no home folder (HOME unset for a user id with no
passwd entry, as in some containers), or when a folder cannot be looked into: never a
traceback (audit "inputs" B3). No cache, no config file; records say what to set, exit 4.

The commands run in real processes whose passwd look-up is made to fail (what a user id with
no entry gets), so no test needs root or another user."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from triage import folders
from triage.cli.exitcodes import EXIT_NOT_SAVED, EXIT_OK
from triage.cli.fastpath import clinic_config_may_exist
from triage.pack import cache
from triage.records import ConfigError, StoreError, load_config, resolve_settings, write_config
from triage.records.config import ClinicConfig
from triage.records.model import Actor
from triage.records.sqlite_store import SqliteRecordStore

ANSWERS = str(REPO_ROOT / "examples" / "answers.yaml")
EMERGENCY_ONLY = "emergency_signs: [chest_pain]\n"


@pytest.fixture
def no_home(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    for name in ("HOME", "TRIAGE_DATA_DIR", "TRIAGE_CONFIG_DIR", "TRIAGE_CACHE_DIR",
                 "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")
    monkeypatch.setattr(pwd, "getpwuid", no_entry)


@pytest.mark.usefixtures("no_home")
def test_no_folder_names_the_variable_to_set() -> None:
    for get, variable in ((folders.data_dir, "TRIAGE_DATA_DIR"),
                          (folders.config_path, "TRIAGE_CONFIG_DIR"),
                          (folders.cache_dir, "TRIAGE_CACHE_DIR")):
        with pytest.raises(folders.NoFolderError, match=f"HOME is not set.*set {variable}"):
            get()


@pytest.mark.usefixtures("no_home")
def test_without_a_home_there_is_no_cache_and_no_config_file() -> None:
    assert cache._open_packs_folder(create=True) is None
    assert load_config() == ClinicConfig()
    assert clinic_config_may_exist() is False


@pytest.mark.usefixtures("no_home")
def test_without_a_home_records_and_saving_the_config_say_what_to_set() -> None:
    with pytest.raises(StoreError, match="set TRIAGE_DATA_DIR to a folder, or store_path"):
        resolve_settings()
    with pytest.raises(StoreError, match="set TRIAGE_DATA_DIR"):
        SqliteRecordStore(actor=Actor("desk", "staff"))
    with pytest.raises(ConfigError, match="set TRIAGE_CONFIG_DIR"):
        write_config(ClinicConfig(desk="a"))
    # records kept in a database elsewhere need no home folder
    assert resolve_settings(env={"TRIAGE_DATABASE_URL": "postgresql://db/triage"}
                            ).database_url == "postgresql://db/triage"


def test_a_config_folder_that_cannot_be_looked_into_goes_the_careful_way(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """`exists()` raises for a folder it may not enter (or a name too long): the config may
    be there (record_by_default), so the command reads it and says why it cannot."""
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / ("x" * 300)))
    assert clinic_config_may_exist() is True


# -- real processes --------------------------------------------------------------------------

SHIM = """
import os, pwd, sys
for name in ("HOME", "TRIAGE_DATA_DIR", "TRIAGE_CONFIG_DIR", "TRIAGE_CACHE_DIR"):
    os.environ.pop(name, None)
def no_entry(uid):
    raise KeyError(f"getpwuid(): uid not found: {uid}")
pwd.getpwuid = no_entry
sys.argv[0] = "triage"
from triage.cli.entry import main
main()
"""


def without_home(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("TRIAGE_DEBUG", None)
    return subprocess.run([sys.executable, "-c", SHIM, *args], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=120)


@pytest.mark.parametrize(("args", "code"), [
    (["assess", "--answers", ANSWERS], EXIT_OK),
    (["assess", "--answers", ANSWERS, "--no-record"], EXIT_OK),
    (["batch", "in.csv", "--out", "o.jsonl"], 1),  # (a row without its safety answers)
    (["records", "list"], EXIT_NOT_SAVED),
    (["config", "set", "desk", "front"], EXIT_NOT_SAVED),
])
def test_commands_without_a_home_never_end_in_a_traceback(
        tmp_path: Path, args: list[str], code: int) -> None:
    (tmp_path / "in.csv").write_text("id,emergency_signs\n1,none\n")
    done = without_home(tmp_path, *args)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    if code == EXIT_NOT_SAVED:
        assert "there is no home folder" in done.stderr


def test_config_show_without_a_home_shows_the_defaults_and_where_a_file_would_be(
        tmp_path: Path) -> None:
    """Showing the settings keeps no records: no home folder is a line of the output, not
    exit 4 (the command someone without a home folder runs to see what to set)."""
    done = without_home(tmp_path, "config", "show")
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == ("config file: none (HOME is not set, so there is no home folder; with "
                        "TRIAGE_CONFIG_DIR set to a folder, the config file is read from "
                        "config.toml there)")
    assert "desk = desk  (default)" in lines
    assert "retention_days = 90  (default)" in lines
    assert ("store_path = (not set)  (no default: HOME is not set; to keep records, set "
            "TRIAGE_DATA_DIR to a folder, or store_path)") in lines


def test_config_show_without_a_home_shows_a_store_set_elsewhere(tmp_path: Path) -> None:
    # a database URL needs no home folder: shown as it is used, the default path unused
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT),
           "TRIAGE_DATABASE_URL": "postgresql://desk:secret@db/triage"}
    env.pop("TRIAGE_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", SHIM, "config", "show"], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == EXIT_OK, done.stderr
    assert ("database_url = postgresql://desk:***@db/triage  (environment "
            "TRIAGE_DATABASE_URL)") in done.stdout.splitlines()
    assert "secret" not in done.stdout and "store_path = (not set)" not in done.stdout


def test_a_911_result_without_a_home_stands_and_says_it_was_not_saved(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(EMERGENCY_ONLY)
    done = without_home(tmp_path, "assess", "--answers", str(answers), "--record",
                        "--caller-ref", "3")
    assert done.returncode == EXIT_NOT_SAVED
    assert "Call 911 now" in done.stdout
    # said before the result (rec-early), and again after it
    assert done.stderr.startswith("Records cannot be kept: there is no home folder")
    assert "The result above was NOT saved. Records cannot be kept: there is no home" in \
        done.stderr
    assert "set TRIAGE_DATA_DIR" in done.stderr
    assert "No recommendation was made" not in done.stderr


def test_a_config_folder_that_cannot_be_looked_into_is_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT),
           "TRIAGE_CONFIG_DIR": str(tmp_path / ("x" * 300))}
    env.pop("TRIAGE_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "triage", "assess", "--answers", ANSWERS],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr
    assert done.stdout.startswith("Result: ")  # the result stands; saving it may not
    assert done.returncode == EXIT_NOT_SAVED
    assert "The result above was NOT saved" in done.stderr
