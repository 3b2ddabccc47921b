"""The store API, run against both backends (a real SQLite file and a real PostgreSQL)."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from triage.records import LATEST_VERSION, Actor, Record, RecordStore, StoreError
from triage.records import store as store_module
from triage.records.model import format_ts
from triage.records.store import SqlRecordStore, start_of_local_day

MakeRecord = Callable[..., Record]
StoreFactory = Callable[..., SqlRecordStore]


def at(record: Record, moment: datetime) -> Record:
    """The same record as if created at `moment` (frozen, so rebuilt)."""
    stamp = format_ts(moment)
    fields = {name: getattr(record, name) for name in record.__dataclass_fields__}
    return Record(**{**fields, "created_at": stamp, "updated_at": stamp})


def raw(store: SqlRecordStore, sql: str) -> None:
    """Run SQL straight through the store's connection, outside the API."""
    with store._tx(write=True) as ex:
        ex.run(sql)


def test_store_satisfies_the_protocol(store: SqlRecordStore) -> None:
    assert isinstance(store, RecordStore)


def test_add_then_get_round_trips_every_field(
    store: SqlRecordStore, make_record: MakeRecord
) -> None:
    record = make_record(
        answers={"pain": 7, "ratio": 0.25, "where": ["neck", "ünïcødé"], "free": "a\nb"},
        outcome={"disposition": "doctor", "nested": {"flags": [1, 2]}, "none": None},
        status="stopped",
    )
    assert store.add(record) == record.id
    assert store.get(record.id) == record
    assert store.get("no-such-id") is None
    assert store.count() == 1


def test_duplicate_id_is_refused_without_a_second_row(
    store: SqlRecordStore, make_record: MakeRecord
) -> None:
    record = make_record()
    store.add(record)
    with pytest.raises(StoreError) as caught:
        store.add(record)
    assert caught.value.kind == "invalid"
    assert store.count() == 1
    assert [e.action for e in store.audit_log()] == ["create"]


def test_list_filters_by_since_today_and_disposition(
    store: SqlRecordStore, make_record: MakeRecord
) -> None:
    now = datetime.now(UTC)
    old = at(make_record(1, disposition="physio"), now - timedelta(days=10))
    recent = at(make_record(2, disposition="physio"), now - timedelta(days=2))
    fresh = make_record(3, disposition="doctor")
    for record in (fresh, old, recent):
        store.add(record)

    assert [r.id for r in store.list()] == [old.id, recent.id, fresh.id]  # oldest first
    assert [r.id for r in store.list(since=now - timedelta(days=3))] == [recent.id, fresh.id]
    assert [r.id for r in store.list(since=(now - timedelta(days=3)).date())] == [
        recent.id,
        fresh.id,
    ]
    assert [r.id for r in store.list(today=True)] == [fresh.id]
    assert [r.id for r in store.list(disposition="physio")] == [old.id, recent.id]
    assert [r.id for r in store.list(disposition="physio", limit=1)] == [old.id]
    assert store.list(disposition="both") == []
    with pytest.raises(ValueError):
        store.list(today=True, since=now)


def test_today_starts_at_local_midnight() -> None:
    start = start_of_local_day(date(2026, 3, 1))
    assert start.tzinfo is not None
    assert (start.hour, start.minute) == (0, 0)
    assert start.date() == date(2026, 3, 1)


def test_export_streams_in_batches_and_audits_what_it_yields(
    store: SqlRecordStore, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "EXPORT_BATCH", 3)
    base = datetime.now(UTC) - timedelta(hours=1)
    # Equal timestamps across a batch boundary: paging must neither skip nor repeat.
    records = [at(make_record(n), base + timedelta(seconds=n // 2)) for n in range(8)]
    for record in records:
        store.add(record)
    exported = store.export()
    first = next(exported)
    assert first.id == min(records, key=lambda r: (r.created_at, r.id)).id
    # Only the first batch has left the store so far, and only it is audited.
    assert len([e for e in store.audit_log() if e.action == "export"]) == 3
    rest = list(exported)
    ordered = sorted(records, key=lambda r: (r.created_at, r.id))
    assert [first.id] + [r.id for r in rest] == [r.id for r in ordered]
    exports = [e.record_id for e in store.audit_log() if e.action == "export"]
    assert sorted(e or "" for e in exports) == sorted(r.id for r in records)
    since = base + timedelta(seconds=2)
    assert [r.id for r in store.export(since=since)] == [r.id for r in ordered[4:]]


def test_purge_removes_only_old_records_and_audits_each(
    store: SqlRecordStore, make_record: MakeRecord
) -> None:
    now = datetime.now(UTC)
    old = [at(make_record(n), now - timedelta(days=91 + n)) for n in range(3)]
    keep = [at(make_record(10), now - timedelta(days=89)), make_record(11)]
    for record in old + keep:
        store.add(record)
    assert store.purge(90) == 3
    assert {r.id for r in store.list()} == {r.id for r in keep}
    purged = [e for e in store.audit_log() if e.action == "purge"]
    assert {e.record_id for e in purged} == {r.id for r in old}
    assert all(e.detail == "older_than_days=90" for e in purged)
    assert store.purge(90) == 0
    assert store.purge(1, now=now + timedelta(days=100)) == 2
    assert store.count() == 0
    with pytest.raises(ValueError):
        store.purge(-1)


def test_audit_records_who_did_what_to_which_record(
    open_any: StoreFactory, make_record: MakeRecord
) -> None:
    front = open_any(actor=Actor(staff="ana", desk="front-1"))
    back = open_any(actor=Actor(staff="ben", desk="back-2"))
    record = make_record()
    front.add(record)
    back.get(record.id)
    back.list()
    entries = front.audit_log(record.id)
    assert [(e.action, e.staff, e.desk) for e in entries] == [
        ("create", "ana", "front-1"),
        ("view", "ben", "back-2"),
        ("view", "ben", "back-2"),
    ]
    assert [e.seq for e in entries] == sorted(e.seq for e in entries)
    assert all(e.at.endswith("Z") for e in entries)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE triage_audit SET staff = 'someone-else'", "DELETE FROM triage_audit"],
)
def test_audit_table_is_append_only_in_the_database(
    store: SqlRecordStore, make_record: MakeRecord, statement: str
) -> None:
    store.add(make_record())
    before = store.audit_log()
    with pytest.raises(StoreError):
        raw(store, statement)
    assert store.audit_log() == before


def test_names_are_refused_unless_the_clinic_keeps_them(
    open_any: StoreFactory, make_record: MakeRecord
) -> None:
    named = make_record(caller_name="Jane Doe")
    with pytest.raises(StoreError) as caught:
        open_any().add(named)
    assert caught.value.kind == "invalid"
    assert "Jane" not in str(caught.value)
    keeping = open_any(keep_names=True)
    keeping.add(named)
    fetched = keeping.get(named.id)
    assert fetched is not None and fetched.caller_name == "Jane Doe"
    assert keeping.count() == 1


def test_schema_is_migrated_once_and_reopening_is_a_no_op(
    open_any: StoreFactory, make_record: MakeRecord
) -> None:
    first = open_any()
    first.add(make_record())
    assert first.schema_version() == LATEST_VERSION
    second = open_any()
    assert second.schema_version() == LATEST_VERSION
    assert second.count() == 1


def test_a_newer_schema_than_known_is_a_clear_error(open_any: StoreFactory) -> None:
    store = open_any()
    raw(
        store,
        "INSERT INTO triage_schema_version (version, applied_at, tool_version) "
        f"VALUES ({LATEST_VERSION + 1}, '2030-01-01T00:00:00.000000Z', '9.9.9')",
    )
    with pytest.raises(StoreError) as caught:
        open_any()
    assert caught.value.kind == "schema"
    assert f"schema version {LATEST_VERSION + 1}" in str(caught.value)
    assert "Upgrade triage" in str(caught.value)


def test_a_failed_write_leaves_no_trace_and_no_driver_text(
    store: SqlRecordStore, make_record: MakeRecord
) -> None:
    """A NOT NULL failure: PostgreSQL's own message quotes the whole row, answers included."""
    secret = "SECRET-ANSWER-6d1e"
    record = make_record(answers={"note": secret}, caller_ref="REF-SECRET-77")
    object.__setattr__(record, "pack_hash", None)  # bypass validation to reach the database
    with pytest.raises(StoreError) as caught:
        store.add(record)
    err = caught.value
    assert err.__context__ is None and err.__cause__ is None
    for text in (str(err), repr(err), "".join(traceback.format_exception(err))):
        assert secret not in text
        assert "REF-SECRET-77" not in text
    assert store.count() == 0
    assert store.audit_log() == []


def test_closed_store_says_so(open_any: StoreFactory) -> None:
    store = open_any()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.count()


def test_a_later_migration_applies_on_top_of_existing_data(
    open_any: StoreFactory, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    from triage.records import schema

    old = open_any()
    record = make_record()
    old.add(record)
    old.close()
    v2 = schema.Migration(
        version=LATEST_VERSION + 1,
        description="test: a column added later",
        common=("ALTER TABLE triage_records ADD COLUMN test_note TEXT",),
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, v2))
    monkeypatch.setattr(store_module, "LATEST_VERSION", LATEST_VERSION + 1)
    upgraded = open_any()
    assert upgraded.schema_version() == LATEST_VERSION + 1
    assert upgraded.get(record.id) == record
    with upgraded._tx(write=False) as ex:
        rows = ex.all("SELECT version, tool_version FROM triage_schema_version ORDER BY version")
    assert [row[0] for row in rows] == list(range(1, LATEST_VERSION + 2))


def _other_programs_database(backend: str, location: str) -> None:
    """A database another program made: one table of its own, no triage tables."""
    if backend == "sqlite":
        import sqlite3
        from pathlib import Path

        Path(location).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        conn = sqlite3.connect(location)
        conn.execute("CREATE TABLE invoices (n INTEGER, total TEXT)")
        conn.execute("INSERT INTO invoices VALUES (1, '12.50')")
        conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("CREATE TABLE invoices (n INTEGER, total TEXT)")


def _tables(backend: str, location: str) -> set[str]:
    if backend == "sqlite":
        import sqlite3

        conn = sqlite3.connect(location)
        try:
            return {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(location) as conn:
        return {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}


def test_another_programs_database_is_refused_and_left_as_it_was(
        backend: str, db_location: str, open_any: StoreFactory) -> None:
    # A store_path or database URL that points at another program's database (tables, but
    # no triage_schema_version): triage must not add its schema and health data to it.
    _other_programs_database(backend, db_location)
    with pytest.raises(StoreError) as caught:
        open_any()
    assert caught.value.kind == "foreign"
    assert "is not a triage database" in str(caught.value)
    assert "Nothing was changed" in str(caught.value)
    assert _tables(backend, db_location) == {"invoices"}


def test_an_empty_database_and_triage_s_own_are_used(open_any: StoreFactory,
                                                     make_record: MakeRecord) -> None:
    open_any().add(make_record(1))  # an empty database gets the schema
    assert open_any().count() == 1  # and is triage's from then on


def test_records_kept_before_schema_3_read_as_not_saying_who_answered(
    open_any: StoreFactory, make_record: MakeRecord, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Schema version 3 adds who answered (``mode``: a caller screening shows the questions as
    staff read them out). A database of version 2, with records in it, is migrated in place:
    those records read back unchanged, with no mode; new ones keep theirs (sees audit 2,
    item 2). Both backends."""
    from triage.records import schema

    old_fields = [name for name in store_module.RECORD_FIELDS if name != "mode"]
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
    monkeypatch.setattr(store_module, "LATEST_VERSION", 2)
    old = open_any()
    assert old.schema_version() == 2
    kept = make_record(1)
    params = [value for name, value in zip(store_module.RECORD_FIELDS,
                                           store_module._record_params(kept), strict=True)
              if name != "mode"]
    with old._tx(write=True) as ex:  # as triage before version 3 wrote it
        ex.run(f"INSERT INTO triage_records ({', '.join(old_fields)}) "
               f"VALUES ({', '.join('?' for _ in old_fields)})", params)
    old.close()
    monkeypatch.undo()

    upgraded = open_any()
    assert upgraded.schema_version() == LATEST_VERSION == 3
    assert upgraded.get(kept.id) == kept and kept.mode is None
    called = make_record(2, mode="caller")
    upgraded.add(called)
    assert upgraded.get(called.id) == called
    assert [r.mode for r in upgraded.list()] == [None, "caller"]
    with pytest.raises(ValueError, match="mode"):
        make_record(3, mode="staff")
