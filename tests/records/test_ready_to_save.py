"""The check `--record` makes before a screening's first question (rec-early): whether the
store can take a record, asked of real SQLite files and the real PostgreSQL test server,
with nothing written: no record, no audit row (audit rows cannot be deleted)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.records.conftest import ACTOR, PgServer, StoreFactory
from triage.records import Record, StoreError, resolve_settings
from triage.records.model import AuditEntry
from triage.records.postgres_store import PostgresRecordStore
from triage.records.screening import ready_to_save
from triage.records.sqlite_store import SqliteRecordStore
from triage.records.store import SqlRecordStore

MakeRecord = Callable[..., Record]


def _contents(store: SqlRecordStore) -> tuple[int, list[AuditEntry]]:
    return store.count(), store.audit_log()


def test_the_check_writes_no_record_and_no_audit_row(open_any: StoreFactory,
                                                     make_record: MakeRecord) -> None:
    store = open_any()
    store.add(make_record(1))
    before = _contents(store)
    for _ in range(3):  # as three screenings would, one after another
        store.check_can_add()
        open_any().check_can_add()
    assert _contents(store) == before


def test_ready_to_save_makes_a_new_sqlite_store_owner_only_and_empty(tmp_path: Path) -> None:
    path = tmp_path / "new" / "records.sqlite3"
    ready_to_save(resolve_settings(store_path=path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with SqliteRecordStore(path, actor=ACTOR) as store:
        assert _contents(store) == (0, [])


def test_a_file_where_the_records_folder_should_be_is_named(tmp_path: Path) -> None:
    """A regular file in the way fails as root too (root writes anywhere else)."""
    blocker = tmp_path / "records"
    blocker.write_text("not a folder\n")
    for path in (blocker / "records.sqlite3", blocker / "deeper" / "records.sqlite3"):
        with pytest.raises(StoreError) as caught:
            ready_to_save(resolve_settings(store_path=path))
        assert caught.value.kind == "not_folder"
        assert caught.value.where == str(blocker)
        assert str(blocker) in caught.value.message
    assert blocker.read_text() == "not a folder\n"


def test_a_read_only_sqlite_file_is_found_before_any_record(
        shared_tmp: Path, unprivileged: Any, make_record: MakeRecord) -> None:
    path = shared_tmp / "records.sqlite3"

    def seed() -> int:
        with SqliteRecordStore(path, actor=ACTOR) as store:
            store.add(make_record(1))
            return store.count()

    assert unprivileged.run(seed) == {"ok": 1}
    path.chmod(0o400)

    def check() -> None:
        with SqliteRecordStore(path, actor=ACTOR) as store:
            store.check_can_add()

    result = unprivileged.run(check)
    assert result.get("error") == "StoreError", result
    assert result["kind"] == "read_only" and str(path) in result["message"]
    for made in shared_tmp.iterdir():  # SQLite gave its side files the file's mode too
        made.chmod(0o600)
    assert unprivileged.run(lambda: check() or "fine") == {"ok": "fine"}
    assert unprivileged.run(seed) == {"ok": 2}  # and nothing was added by the checks


def test_a_read_only_postgres_database_is_found_before_any_record(pg_url: str) -> None:
    dbname = pg_url.rsplit("/", 1)[1]
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        store.check_can_add()
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {dbname} SET default_transaction_read_only = on")
    with PostgresRecordStore(pg_url, actor=ACTOR) as store, \
            pytest.raises(StoreError) as caught:
        store.check_can_add()
    assert caught.value.kind == "read_only"


@pytest.fixture
def reader_url(pg_url: str, pg_server: PgServer) -> Iterator[str]:
    """A role that may read the records but not add one (a desk the owner never granted)."""
    role = f"reader_{os.getpid()}"
    with PostgresRecordStore(pg_url, actor=ACTOR):  # the owner creates the tables
        pass
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA public TO {role}")
        admin.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    yield pg_url.replace("//triage@", f"//{role}@")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"DROP OWNED BY {role}")
    with psycopg.connect(pg_server.url, autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_a_postgres_role_that_may_not_add_records_is_found_without_writing(
        reader_url: str, pg_url: str) -> None:
    with PostgresRecordStore(reader_url, actor=ACTOR) as store:
        with pytest.raises(StoreError) as caught:
            store.check_can_add()
        assert caught.value.kind == "permission"
        assert "triage records migrate --grant-to" in caught.value.message
    with PostgresRecordStore(pg_url, actor=ACTOR) as owner:
        assert _contents(owner) == (0, [])
        owner.grant_desk_roles([reader_url.split("//")[1].split("@")[0]])
    with PostgresRecordStore(reader_url, actor=ACTOR) as store:
        store.check_can_add()  # granted: it can
