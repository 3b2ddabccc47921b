"""Several desks at once, and a desk killed mid-write, on both backends (real processes)."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from triage.records import LATEST_VERSION, Actor
from triage.records.errors import StoreError
from triage.records.postgres_store import PostgresRecordStore
from triage.records.sqlite_store import SqliteRecordStore
from triage.records.store import Executor, SqlRecordStore

WRITERS = 4
PER_WRITER = 1000

Spawn = Callable[..., subprocess.Popen[str]]


def _open(location: str) -> SqlRecordStore:
    actor = Actor(staff="checker", desk="test")
    if location.startswith("postgresql://"):
        return PostgresRecordStore(location, actor=actor)
    return SqliteRecordStore(location, actor=actor)


def _acks(output: str) -> dict[str, str]:
    """ref -> id for every add the writer reported as committed."""
    acks: dict[str, str] = {}
    for line in output.splitlines():
        if line.startswith("ok "):
            _, record_id, ref = line.split()
            acks[ref] = record_id
    return acks


def _await_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        proc.wait()
        stderr = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"writer did not start: {line!r}\n{stderr}")


def test_four_concurrent_writers_lose_and_duplicate_nothing(
    db_location: str, spawn_writer: Spawn
) -> None:
    # Each writer opens a brand-new database, so the first-start migration races too.
    procs = [spawn_writer(db_location, count=PER_WRITER, tag=f"w{n}") for n in range(WRITERS)]
    for proc in procs:
        _await_ready(proc)
    for proc in procs:  # release them together
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    acks: dict[str, str] = {}
    for proc in procs:
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        acks.update(_acks(out))

    expected_refs = {f"w{n}-{i:05d}" for n in range(WRITERS) for i in range(PER_WRITER)}
    assert set(acks) == expected_refs
    with _open(db_location) as store:
        assert store.count() == WRITERS * PER_WRITER
        records = list(store.export())
        assert len(records) == WRITERS * PER_WRITER
        assert len({r.id for r in records}) == WRITERS * PER_WRITER
        assert {r.caller_ref: r.id for r in records} == acks
        for record in records:
            tag, seq = record.caller_ref.split("-")
            assert record.answers["writer"] == tag
            assert record.answers["seq"] == int(seq)
            assert record.desk == f"desk-{tag}"
        creates = [e for e in store.audit_log() if e.action == "create"]
        assert sorted(e.record_id or "" for e in creates) == sorted(acks.values())
        assert store.schema_version() == LATEST_VERSION


def test_kill_9_mid_write_keeps_every_committed_record(
    db_location: str, spawn_writer: Spawn
) -> None:
    proc = spawn_writer(db_location, count=100_000, tag="k")
    _await_ready(proc)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()
    acked: dict[str, str] = {}
    # Kill while the writer is busy in its loop: it is always inside or between writes.
    while len(acked) < 300:
        line = proc.stdout.readline()
        assert line, proc.stderr.read() if proc.stderr else ""
        acked.update(_acks(line))
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    acked.update(_acks(proc.stdout.read()))  # acks printed before the kill landed

    with _open(db_location) as store:
        stored = {r.caller_ref: r for r in store.export()}
        # Every acknowledged record is there; at most the one in flight went beyond that.
        assert set(acked) <= set(stored)
        assert len(stored) - len(acked) in (0, 1)
        for ref, record_id in acked.items():
            record = store.get(record_id)
            assert record is not None and record.caller_ref == ref
            assert record.answers["seq"] == int(ref.split("-")[1])
            json.dumps(record.outcome)
        if isinstance(store, SqliteRecordStore):
            assert store._conn is not None
            assert store._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # Each record has its create audit row: record and audit commit together.
        created = {e.record_id for e in store.audit_log() if e.action == "create"}
        assert created == {r.id for r in stored.values()}


def _other_desk(location: str, other: dict[str, Any]) -> threading.Thread:
    """Desk B, opening the same database in a thread: records "ok", or the store error's kind."""
    def open_and_close() -> None:
        try:
            _open(location).close()
            other["ok"] = True
        except StoreError as err:
            other["error"] = err.kind

    return threading.Thread(target=open_and_close)


def test_a_desk_whose_first_start_races_another_s_is_not_told_the_database_is_foreign(
    db_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deterministic form of a race the four-writer test hit about once in 30 runs under
    # load: desk A looks for triage_schema_version on a new database (none yet), desk B's
    # first start commits the whole schema, and A's next read finds tables. Two reads that
    # see different commits called a new triage database another program's. Here B runs
    # exactly at that moment, in a thread; where A's reads are one snapshot, or under the
    # migration lock, B waits (it cannot commit between them) and both desks start.
    store_class: type[SqlRecordStore] = (
        PostgresRecordStore if db_location.startswith("postgresql://") else SqliteRecordStore
    )
    real = store_class._version_table_exists
    other: dict[str, Any] = {}

    def first_look_lets_another_desk_start(self: SqlRecordStore, ex: Executor) -> bool:
        found = real(self, ex)
        if "thread" not in other:
            other["thread"] = _other_desk(db_location, other)
            other["thread"].start()
            # Long enough for B to start a new database; short of its 5 s lock/busy wait.
            other["thread"].join(timeout=2.5)
        return found

    monkeypatch.setattr(store_class, "_version_table_exists", first_look_lets_another_desk_start)
    with _open(db_location) as store:
        assert store.schema_version() == LATEST_VERSION
    other["thread"].join(timeout=30)
    assert other == {"thread": other["thread"], "ok": True}


def test_a_desk_that_waited_for_the_migration_lock_sees_the_schema_committed_meanwhile(
    db_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other moment of the same race: desk A's migration transaction waits for the lock
    # while desk B, holding it, commits the schema. On PostgreSQL, to_regclass() then still
    # answered from A's catalog cache ("no version table") while a query on pg_class saw B's
    # tables: a new triage database looked like another program's. Here B commits only once
    # A is seen waiting (pg_locks), so A always waits across B's commit.
    is_pg = db_location.startswith("postgresql://")
    store_class: type[SqlRecordStore] = PostgresRecordStore if is_pg else SqliteRecordStore
    real = store_class._lock_schema
    other: dict[str, Any] = {}
    b_holds_the_lock = threading.Event()

    def lock_behind_another_desk(self: SqlRecordStore, ex: Executor) -> None:
        if "thread" not in other:  # desk A
            other["thread"] = _other_desk(db_location, other)
            other["thread"].start()
            # SQLite: A's BEGIN IMMEDIATE already keeps B out until A commits; go on.
            b_holds_the_lock.wait(timeout=10 if is_pg else 1)
            real(self, ex)
            return
        real(self, ex)  # desk B
        b_holds_the_lock.set()
        if is_pg:
            waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            for _ in range(1000):
                row = ex.one(waiting)
                if row and row[0]:
                    break
                time.sleep(0.01)

    monkeypatch.setattr(store_class, "_lock_schema", lock_behind_another_desk)
    with _open(db_location) as store:
        assert store.schema_version() == LATEST_VERSION
    other["thread"].join(timeout=30)
    assert other == {"thread": other["thread"], "ok": True}
