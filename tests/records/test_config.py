"""Clinic config: TOML file, owner-only, flags > environment > file > defaults."""

from __future__ import annotations

import os
import stat
import threading
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.folders import config_dir, config_path, data_dir, default_db_path
from triage.records import ClinicConfig, ConfigError, load_config, resolve_settings, write_config
from triage.records.config import update_config


def test_env_overrides_keep_tests_out_of_the_real_home(tmp_path: Path) -> None:
    assert config_dir() == tmp_path / "config"
    assert data_dir() == tmp_path / "data"
    assert config_path() == tmp_path / "config" / "config.toml"
    assert default_db_path() == tmp_path / "data" / "records.sqlite3"


def test_missing_file_means_defaults() -> None:
    assert load_config() == ClinicConfig()
    settings = resolve_settings(env={})
    assert settings.database_url is None
    assert settings.store_path == default_db_path()
    assert settings.retention_days == 90
    assert settings.keep_names is False
    assert settings.record_by_default is False
    assert settings.desk == "desk"
    assert settings.staff  # the login name


def test_written_config_loads_back_owner_only() -> None:
    config = ClinicConfig(
        clinic_name='Clinique "Du Parc"\\Nord',
        desk="front-1",
        database_url="postgresql://desk:pw@db.local/clinic",
        retention_days=30,
        keep_names=True,
    )
    path = write_config(config)
    assert path == config_path()
    assert load_config() == config
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert list(path.parent.iterdir()) == [path]  # no temp file left behind


@given(
    name=st.text(st.characters(codec="utf-8"), max_size=40),
    days=st.integers(min_value=1, max_value=10_000),
    keep=st.booleans(),
)
def test_any_text_round_trips_through_the_file(name: str, days: int, keep: bool) -> None:
    config = ClinicConfig(clinic_name=name, retention_days=days, keep_names=keep)
    write_config(config)
    assert load_config() == config


def test_update_changes_only_what_is_given() -> None:
    write_config(ClinicConfig(clinic_name="North", desk="a"))
    assert update_config(desk="b") == ClinicConfig(clinic_name="North", desk="b")
    assert load_config().desk == "b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("desk = ", "not valid TOML"),
        ("colour = 'red'", "unknown setting 'colour'"),
        ("retention_days = '90'", "retention_days must be a int"),
        ("retention_days = true", "retention_days must be a int"),
        ("retention_days = 0", "at least 1"),
        ("keep_names = 'yes'", "keep_names must be a bool"),
    ],
)
def test_bad_files_give_a_plain_error(text: str, expected: str) -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config()
    assert expected in str(caught.value)
    assert str(config_path()) in str(caught.value)
    assert caught.value.kind == "config"


def test_non_utf8_file_is_a_plain_error() -> None:
    config_path().parent.mkdir(parents=True)
    config_path().write_bytes("clinic_name = 'Café'".encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_config()


def test_flags_beat_environment_beat_file() -> None:
    file = ClinicConfig(
        desk="file-desk",
        database_url="postgresql://file@h/db",
        retention_days=60,
        keep_names=True,
        clinic_name="North",
    )
    env = {
        "TRIAGE_DESK": "env-desk",
        "TRIAGE_STAFF": "env-staff",
        "TRIAGE_DATABASE_URL": "postgresql://env@h/db",
    }
    from_file = resolve_settings(env={}, config=file)
    assert (from_file.desk, from_file.database_url) == ("file-desk", "postgresql://file@h/db")
    assert from_file.retention_days == 60 and from_file.keep_names is True
    assert from_file.clinic_name == "North"

    from_env = resolve_settings(env=env, config=file)
    assert (from_env.desk, from_env.staff) == ("env-desk", "env-staff")
    assert from_env.database_url == "postgresql://env@h/db"

    from_flags = resolve_settings(
        desk="flag-desk",
        staff="flag-staff",
        database_url="postgresql://flag@h/db",
        retention_days=7,
        keep_names=False,
        env=env,
        config=file,
    )
    assert (from_flags.desk, from_flags.staff) == ("flag-desk", "flag-staff")
    assert from_flags.database_url == "postgresql://flag@h/db"
    assert from_flags.retention_days == 7 and from_flags.keep_names is False


def test_a_store_path_flag_beats_a_url_from_env_or_file(tmp_path: Path) -> None:
    settings = resolve_settings(
        store_path=tmp_path / "here.sqlite3",
        env={"TRIAGE_DATABASE_URL": "postgresql://env@h/db"},
        config=ClinicConfig(database_url="postgresql://file@h/db"),
    )
    assert settings.database_url is None
    assert settings.store_path == tmp_path / "here.sqlite3"


def test_environment_is_read_from_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_DESK", "from-os-env")
    assert resolve_settings(config=ClinicConfig()).desk == "from-os-env"


def test_reprs_do_not_show_the_database_url() -> None:
    url = "postgresql://desk:hunter2@db/clinic"
    assert "hunter2" not in repr(ClinicConfig(database_url=url))
    assert "hunter2" not in repr(resolve_settings(env={}, config=ClinicConfig(database_url=url)))


def test_written_toml_is_plain_and_commented() -> None:
    path = write_config(ClinicConfig(desk="a", keep_names=False))
    text = path.read_text()
    assert text.startswith("#")
    assert tomllib.loads(text) == {"desk": "a", "keep_names": False}
    assert os.access(path, os.R_OK)


def test_a_fifo_as_the_config_file_is_refused_not_waited_for() -> None:
    """Audit finding 10: a FIFO at the config path hung every command that reads it."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    raised: list[BaseException] = []

    def load() -> None:
        try:
            load_config(path)
        except ConfigError as exc:
            raised.append(exc)
    reading = threading.Thread(target=load, daemon=True)
    reading.start()
    reading.join(10)
    if reading.is_alive():  # let the stuck reader go (a writer that closes at once)
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("load_config waited for a writer on a FIFO")
    assert raised and "not a regular file" in str(raised[0])


def test_a_config_saved_with_a_byte_order_mark_reads() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b'\xef\xbb\xbfdesk = "front-2"\n')
    assert load_config(path).desk == "front-2"


def test_a_config_file_too_large_is_refused() -> None:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"# x\n" * 300_000)
    with pytest.raises(ConfigError, match="too large"):
        load_config(path)


def _write_file(text: str) -> None:
    config_path().parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    config_path().write_text(text, encoding="utf-8")


def test_a_relative_store_path_in_the_file_means_next_to_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Read as it stands it would be another store in every folder triage starts in: records
    # split, `records list` finding none, purge cleaning the wrong one.
    _write_file('store_path = "rec/desk.db"\ndatabase_url = "sqlite:///rec/url.db"\n')
    for folder in ("w1", "w2"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        config = load_config()
        assert config.store_path == str(config_dir() / "rec" / "desk.db")
        assert config.database_url == f"sqlite:///{config_dir() / 'rec' / 'url.db'}"
        settings = resolve_settings(env={}, config=config)
        assert settings.store_path == config_dir() / "rec" / "desk.db"


def test_absolute_and_home_store_paths_in_the_file_are_kept(tmp_path: Path) -> None:
    _write_file(f'store_path = "{tmp_path}/a/../desk.db"\n')
    assert load_config().store_path == f"{tmp_path}/a/../desk.db"
    _write_file('store_path = "~/desk.db"\ndatabase_url = "sqlite:////srv/x.db"\n')
    config = load_config()
    assert config.store_path == "~/desk.db"
    assert config.database_url == "sqlite:////srv/x.db"
    assert resolve_settings(env={}, config=config).store_path == Path.home() / "desk.db"
