"""open_store picks the backend the effective settings name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from triage.folders import default_db_path
from triage.records import ClinicConfig, Record, StoreError, open_store, resolve_settings
from triage.records.postgres_store import PostgresRecordStore
from triage.records.sqlite_store import SqliteRecordStore

MakeRecord = Callable[..., Record]


def test_default_is_the_sqlite_file_in_the_data_dir() -> None:
    with open_store(resolve_settings(env={}, config=ClinicConfig())) as store:
        assert isinstance(store, SqliteRecordStore)
        assert store.path == default_db_path()


def test_sqlite_url_and_store_path(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/via-url.sqlite3"
    with open_store(resolve_settings(database_url=url, env={}, config=ClinicConfig())) as store:
        assert isinstance(store, SqliteRecordStore)
        assert store.path == tmp_path / "via-url.sqlite3"
    chosen = tmp_path / "chosen.sqlite3"
    with open_store(resolve_settings(store_path=chosen, env={}, config=ClinicConfig())) as store:
        assert isinstance(store, SqliteRecordStore) and store.path == chosen


def test_environment_url_opens_postgresql(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, make_record: MakeRecord
) -> None:
    monkeypatch.setenv("TRIAGE_DATABASE_URL", pg_url)
    monkeypatch.setenv("TRIAGE_STAFF", "kim")
    monkeypatch.setenv("TRIAGE_DESK", "front-9")
    with open_store(resolve_settings(config=ClinicConfig())) as store:
        assert isinstance(store, PostgresRecordStore)
        record = make_record()
        store.add(record)
        assert [(e.staff, e.desk) for e in store.audit_log()] == [("kim", "front-9")]


def test_unknown_scheme_is_a_bad_url() -> None:
    settings = resolve_settings(database_url="mysql://x@y/z", env={}, config=ClinicConfig())
    with pytest.raises(StoreError) as caught:
        open_store(settings)
    assert caught.value.kind == "bad_url"


@pytest.mark.parametrize("port", ["\u00b2", "\u2460", "\u0663\u0668", "5432,\u00b2", "0", "65536",
                                  "5_432"])
def test_a_port_not_written_with_the_digits_0_to_9_is_a_bad_url(port: str) -> None:
    """Audit finding 9: "²" passed str.isdigit() and int() raised (exit 70); "٣٨" was read as
    port 38."""
    settings = resolve_settings(database_url=f"postgresql://u@localhost:{port}/db", env={},
                                config=ClinicConfig())
    with pytest.raises(StoreError) as caught:
        open_store(settings)
    assert caught.value.kind == "bad_url"
