"""Several desks at once, and a desk killed mid-write, on both backends (real processes)."""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

import psycopg
import pytest

from triage.records import LATEST_VERSION, Actor
from triage.records.errors import StoreError
from triage.records.postgres_store import PostgresRecordStore
from triage.records.schema import VERSION_TABLE
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


def _open_with_timeout(location: str, timeout_ms: int) -> SqlRecordStore:
    """A desk that waits at most ``timeout_ms`` for a lock (PostgreSQL: lock_timeout;
    SQLite: the busy timeout), then says the records are locked."""
    actor = Actor(staff="checker", desk="test")
    if location.startswith("postgresql://"):
        return PostgresRecordStore(location, actor=actor, lock_timeout_ms=timeout_ms)
    return SqliteRecordStore(location, actor=actor, busy_timeout_ms=timeout_ms)


def _version_rows(store: SqlRecordStore) -> list[int]:
    with store._tx(write=False) as ex:
        return [int(row[0]) for row in ex.all(f"SELECT version FROM {VERSION_TABLE}"
                                              " ORDER BY version")]


def _past_the_lock(store_class: type[SqlRecordStore], monkeypatch: pytest.MonkeyPatch,
                   while_first_holds: Callable[[dict[str, int]], None]) -> dict[str, int]:
    """Counts the desks that got past the migration lock (``desks``). The first, holding the
    lock, runs ``while_first_holds(counts)`` before it migrates; a desk that got past the
    lock meanwhile is counted in ``beside`` (two desks migrating at once)."""
    real = store_class._lock_schema
    seen = {"desks": 0, "beside": 0, "holding": 0}

    def lock(self: SqlRecordStore, ex: Executor) -> None:
        real(self, ex)
        seen["desks"] += 1
        seen["beside"] += seen["holding"]
        if seen["desks"] == 1:
            seen["holding"] = 1
            try:
                while_first_holds(seen)
            finally:
                seen["holding"] = 0

    monkeypatch.setattr(store_class, "_lock_schema", lock)
    return seen


def test_a_desk_cannot_migrate_a_new_database_while_another_desk_is_migrating_it(
    db_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two desks' first starts on one new database at once. Desk A takes the migration lock
    # (PostgreSQL: pg_advisory_xact_lock; SQLite: BEGIN IMMEDIATE) and, holding it, lets desk
    # B start and waits for B to finish: B, with a 300 ms lock timeout, must wait for the lock
    # and give up ("locked"), never migrate beside A. Without the lock (no advisory lock; a
    # plain BEGIN) B got past it while A was migrating. No sleep: A holds the lock until B
    # has finished, whatever the timing.
    is_pg = db_location.startswith("postgresql://")
    store_class: type[SqlRecordStore] = PostgresRecordStore if is_pg else SqliteRecordStore
    other: dict[str, Any] = {}

    def other_desk_starts() -> None:
        try:
            _open_with_timeout(db_location, 300).close()
            other["ok"] = True
        except StoreError as err:
            other["error"] = err.kind

    def while_a_holds_the_lock(seen: dict[str, int]) -> None:
        desk_b = threading.Thread(target=other_desk_starts)
        desk_b.start()
        desk_b.join(timeout=60)  # B's own 300 ms timeout ends it; 60 s: a hung test fails
        assert not desk_b.is_alive()

    seen = _past_the_lock(store_class, monkeypatch, while_a_holds_the_lock)
    with _open(db_location) as store:
        assert seen == {"desks": 1, "beside": 0, "holding": 0}, "B got past the lock"
        assert other == {"error": "locked"}
        assert store.schema_version() == LATEST_VERSION
    with _open(db_location) as store:  # B again, once A has migrated: nothing left to do
        assert store.schema_version() == LATEST_VERSION
        assert _version_rows(store) == list(range(1, LATEST_VERSION + 1))
    assert seen["desks"] == 1


def test_two_desks_starting_a_new_postgresql_database_at_once_both_start(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same first starts, B with the usual lock timeout: A, holding the migration lock,
    # goes on only once B is seen waiting for it (pg_locks), so B always waits across A's
    # whole migration and commit; then B finds the schema done and starts too. Without the
    # lock B is never seen waiting: it gets past the lock, which ends the wait and fails.
    other: dict[str, Any] = {}
    threads: list[threading.Thread] = []

    def b_waits_for_the_lock(seen: dict[str, int]) -> None:
        threads.append(_other_desk(pg_url, other))
        threads[0].start()
        waiting = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                   " AND database = (SELECT oid FROM pg_database"
                   " WHERE datname = current_database())")
        with psycopg.connect(pg_url, autocommit=True) as watcher:
            # until B waits for the lock; or gets past it, or ends: then A must go on
            while threads[0].is_alive() and seen["desks"] == 1:
                row = watcher.execute(waiting).fetchone()
                if row and row[0]:
                    return
                time.sleep(0.005)

    seen = _past_the_lock(PostgresRecordStore, monkeypatch, b_waits_for_the_lock)
    with _open(pg_url) as store:
        assert store.schema_version() == LATEST_VERSION
    threads[0].join(timeout=30)
    assert seen["beside"] == 0, "B got past the lock while A held it"
    assert seen["desks"] == 2  # B took the lock too, once A had committed
    assert other == {"ok": True}
    with _open(pg_url) as store:
        assert _version_rows(store) == list(range(1, LATEST_VERSION + 1))
