"""PostgreSQL-only behaviour: connection problems and server-side refusals."""

from __future__ import annotations

import traceback
from collections.abc import Callable

import psycopg
import pytest

from triage.records import Actor, Record, StoreError
from triage.records.postgres_store import PostgresRecordStore, describe_url

ACTOR = Actor(staff="sam", desk="front-1")
SECRET = "SECRET-ANSWER-pg-4b8e"
MakeRecord = Callable[..., Record]


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the block ends


def assert_no_leak(err: StoreError, *secrets: str) -> None:
    assert err.__context__ is None and err.__cause__ is None
    for text in (str(err), repr(err), "".join(traceback.format_exception(err))):
        for secret in secrets:
            assert secret not in text


def test_unreachable_server_is_a_clear_error_without_the_password() -> None:
    port = closed_port()
    url = f"postgresql://desk:hunter2-pw@127.0.0.1:{port}/clinic"
    with pytest.raises(StoreError) as caught:
        PostgresRecordStore(url, actor=ACTOR, connect_timeout_s=2)
    err = caught.value
    assert err.kind == "unreachable"
    assert f"127.0.0.1:{port}/clinic" in str(err)
    assert "Cannot reach the PostgreSQL server" in str(err)
    assert_no_leak(err, "hunter2-pw")


@pytest.mark.parametrize(
    "url",
    [
        "mysql://desk@127.0.0.1/clinic",
        "postgresql://desk:pw@127.0.0.1:notaport/clinic",
        "postgresql://desk@127.0.0.1/clinic?nosuchoption=1",
        "postgresql://%zz@host/db",
    ],
)
def test_bad_urls_are_a_clear_error(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        PostgresRecordStore(url, actor=ACTOR, connect_timeout_s=2)
    assert caught.value.kind == "bad_url", str(caught.value)
    assert "postgresql://USER@HOST:PORT/DBNAME" in str(caught.value)
    assert_no_leak(caught.value, "pw@")


def test_describe_url_hides_the_password() -> None:
    shown = describe_url("postgresql://desk:s3cr3t@db.clinic.example:6543/records")
    assert shown == "postgresql://desk@db.clinic.example:6543/records"


def test_missing_database_is_a_clear_error(pg_url: str) -> None:
    url = pg_url.rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(StoreError) as caught:
        PostgresRecordStore(url, actor=ACTOR)
    assert caught.value.kind == "unreachable"
    assert "does not exist" in str(caught.value)


def test_locked_table_times_out_with_a_clear_error_and_no_partial_record(
    pg_url: str, make_record: MakeRecord
) -> None:
    with PostgresRecordStore(pg_url, actor=ACTOR, lock_timeout_ms=150) as store:
        store.add(make_record(1))
        with psycopg.connect(pg_url) as holder:
            holder.execute("LOCK TABLE triage_records IN ACCESS EXCLUSIVE MODE")
            with pytest.raises(StoreError) as caught:
                store.add(make_record(2, answers={"note": SECRET}))
            holder.rollback()
        assert caught.value.kind == "locked"
        assert_no_leak(caught.value, SECRET)
        assert store.count() == 1
        assert [e.action for e in store.audit_log()] == ["create"]


def test_read_only_database_is_a_clear_error(pg_url: str, make_record: MakeRecord) -> None:
    dbname = pg_url.rsplit("/", 1)[1]
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        store.add(make_record(1))
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {dbname} SET default_transaction_read_only = on")
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        assert store.count() == 1  # reading still works
        with pytest.raises(StoreError) as caught:
            store.add(make_record(2, answers={"note": SECRET}))
        assert caught.value.kind == "read_only"
        assert_no_leak(caught.value, SECRET)
        assert store.count() == 1


def test_server_going_away_mid_session_is_a_clear_error(
    pg_url: str, make_record: MakeRecord
) -> None:
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        store.add(make_record(1))
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'triage' AND pid <> pg_backend_pid()"
            )
        with pytest.raises(StoreError) as caught:
            store.add(make_record(2, answers={"note": SECRET}))
        assert caught.value.kind == "unreachable"
        assert_no_leak(caught.value, SECRET)
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        assert store.count() == 1


def test_audit_cannot_be_truncated(pg_url: str, make_record: MakeRecord) -> None:
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        store.add(make_record())
        with pytest.raises(StoreError), store._tx(write=True) as ex:
            ex.run("TRUNCATE triage_audit")
        assert len(store.audit_log()) == 1


def test_unknown_role_is_refused_with_the_reason(pg_url: str) -> None:
    url = pg_url.replace("triage@", "nosuchrole:pw-77@")
    with pytest.raises(StoreError) as caught:
        PostgresRecordStore(url, actor=ACTOR)
    assert "refused the connection" in str(caught.value)
    assert 'role "nosuchrole" does not exist' in str(caught.value)
    assert_no_leak(caught.value, "pw-77")
