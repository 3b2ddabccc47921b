"""The record store interface and the SQL logic both backends share."""

from __future__ import annotations

import builtins
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, time, timedelta
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from triage import __version__
from triage.records.errors import DamagedRecord, StoreError, foreign_database, scrub, scrubbed
from triage.records.model import (
    RECORD_FIELDS,
    Actor,
    AuditAction,
    AuditEntry,
    Record,
    dumps_json,
    format_ts,
    utc_now,
)
from triage.records.schema import (
    LATEST_VERSION,
    VERSION_TABLE,
    VERSION_TABLE_DDL,
    Dialect,
    pending,
)

Since = datetime | date | None

EXPORT_BATCH = 500


@runtime_checkable
class RecordStore(Protocol):
    """What the CLI needs from a store, whichever database sits behind it."""

    damaged: builtins.list[str]  # ids of the damaged records the last list/export skipped

    def add(self, record: Record) -> str: ...

    def get(self, record_id: str) -> Record | None: ...

    def list(
        self,
        *,
        since: Since = None,
        today: bool = False,
        disposition: str | None = None,
        limit: int | None = None,
    ) -> list[Record]: ...

    def export(
        self, *, since: Since = None, disposition: str | None = None
    ) -> Iterator[Record]: ...

    def purge(self, older_than_days: int, *, now: datetime | None = None) -> int: ...

    def count(self) -> int: ...

    def audit_log(self, record_id: str | None = None) -> builtins.list[AuditEntry]: ...

    def schema_version(self) -> int: ...

    def close(self) -> None: ...


def start_of_local_day(day: date | None = None) -> datetime:
    """Midnight of `day` on this machine's clock: "today" at a desk means the local day."""
    day = day or datetime.now().astimezone().date()
    return datetime.combine(day, time()).astimezone()


def _since_ts(since: Since, today: bool) -> str | None:
    if today:
        if since is not None:
            raise ValueError("give either today or since, not both")
        return format_ts(start_of_local_day())
    if since is None:
        return None
    if isinstance(since, datetime):
        if since.tzinfo is None:
            since = since.astimezone()  # naive means local time, as a person typed it
        return format_ts(since)
    return format_ts(start_of_local_day(since))


class Executor(ABC):
    """One open transaction; backends adapt their driver's cursor to this."""

    @abstractmethod
    def run(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    @abstractmethod
    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...

    @abstractmethod
    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...

    @abstractmethod
    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


_COLUMNS = ", ".join(RECORD_FIELDS)
_INSERT_RECORD = (
    f"INSERT INTO triage_records ({_COLUMNS}) VALUES ({', '.join('?' for _ in RECORD_FIELDS)})"
)
_INSERT_AUDIT = (
    "INSERT INTO triage_audit (at, staff, desk, action, record_id, detail) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def _row_to_record(row: Sequence[Any]) -> Record:
    """The record of a row; DamagedRecord when its stored JSON does not make one (the
    exception's text names the record and the part, never the stored values)."""
    data = dict(zip(RECORD_FIELDS, row, strict=True))
    for part in ("answers", "outcome"):
        try:
            data[part] = json.loads(data[part])
        except (ValueError, TypeError):  # JSONDecodeError is a ValueError
            raise DamagedRecord(str(data["id"]), part) from None
        if not isinstance(data[part], dict):
            raise DamagedRecord(str(data["id"]), part)
    try:
        return Record(**data)
    except (ValueError, TypeError, OverflowError):  # e.g. a number too large, a nested value
        raise DamagedRecord(str(data["id"]), "answers or outcome") from None


def _readable(rows: Iterable[Sequence[Any]], damaged: list[str]) -> Iterator[Record]:
    """The records of ``rows``; the id of each damaged one is added to ``damaged``."""
    for row in rows:
        try:
            yield _row_to_record(row)
        except DamagedRecord as err:
            damaged.append(err.record_id)


def _record_params(record: Record) -> list[Any]:
    params: list[Any] = []
    for name in RECORD_FIELDS:
        value = getattr(record, name)
        params.append(dumps_json(value) if name in ("answers", "outcome") else value)
    return params


class SqlRecordStore(ABC):
    """add/get/list/export/purge written once in portable SQL (`?` placeholders)."""

    dialect: Dialect
    _any_table_sql: str  # a row when the database (triage's schema there) has any table or view

    def __init__(self, *, actor: Actor, keep_names: bool = False) -> None:
        self.actor = actor
        self.keep_names = keep_names
        # ids of the records the last list() or export() skipped: damaged (DamagedRecord)
        self.damaged: list[str] = []

    # -- backend hooks -------------------------------------------------------------------------

    @abstractmethod
    def _tx(self, *, write: bool) -> AbstractContextManager[Executor]:
        """A transaction that commits on success, rolls back on error, raises StoreError."""

    @abstractmethod
    def _lock_schema(self, ex: Executor) -> None:
        """Serialise concurrent migrations (several desks starting an upgraded tool at once)."""

    @abstractmethod
    def _version_table_exists(self, ex: Executor) -> bool: ...

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def describe(self) -> str:
        """Where the records live, safe to print (no password)."""

    @abstractmethod
    def check_can_add(self) -> None:
        """StoreError, as :meth:`add` gives it, when no record could be added now; no write."""

    # -- schema --------------------------------------------------------------------------------

    def _read_version(self, ex: Executor) -> int:
        if not self._version_table_exists(ex):
            return 0
        row = ex.one(f"SELECT MAX(version) FROM {VERSION_TABLE}")
        return int(row[0]) if row and row[0] is not None else 0

    def _check_version(self, version: int) -> None:
        if version > LATEST_VERSION:
            raise StoreError(
                f"The records database at {self.describe()} uses schema version {version}, "
                f"newer than this triage ({__version__}) understands (up to {LATEST_VERSION}). "
                "Upgrade triage on this desk.",
                kind="schema",
            )

    def _refuse_foreign(self, ex: Executor) -> None:
        """Another program's database (tables, but no triage_schema_version, which every
        migration creates first) is never given triage's tables and health data."""
        if not self._version_table_exists(ex) and ex.one(self._any_table_sql) is not None:
            raise foreign_database(self.describe())

    def _migrate(self) -> None:
        with self._tx(write=False) as ex:  # unlocked: a current database waits on no one
            current = self._read_version(ex)
        self._check_version(current)
        if current == LATEST_VERSION:
            return
        with self._tx(write=True) as ex:
            self._lock_schema(ex)
            # Locked: a desk's first start committing between its two reads looked foreign.
            self._refuse_foreign(ex)
            ex.run(VERSION_TABLE_DDL)
            current = self._read_version(ex)  # another desk may have migrated meanwhile
            self._check_version(current)
            for migration in pending(current):
                for statement in migration.statements(self.dialect):
                    ex.run(statement)
                ex.run(
                    f"INSERT INTO {VERSION_TABLE} (version, applied_at, tool_version) "
                    "VALUES (?, ?, ?)",
                    (migration.version, utc_now(), __version__),
                )

    @scrubbed
    def schema_version(self) -> int:
        with self._tx(write=False) as ex:
            return self._read_version(ex)

    # -- audit ---------------------------------------------------------------------------------

    def _audit(
        self, ex: Executor, action: AuditAction, record_ids: Sequence[str | None], detail: str = ""
    ) -> None:
        at = utc_now()
        ex.many(
            _INSERT_AUDIT,
            [(at, self.actor.staff, self.actor.desk, action, rid, detail) for rid in record_ids],
        )

    @scrubbed
    def audit_log(self, record_id: str | None = None) -> list[AuditEntry]:
        sql = "SELECT seq, at, staff, desk, action, record_id, detail FROM triage_audit"
        params: tuple[Any, ...] = ()
        if record_id is not None:
            sql += " WHERE record_id = ?"
            params = (record_id,)
        with self._tx(write=False) as ex:
            rows = ex.all(sql + " ORDER BY seq", params)
        return [AuditEntry(*row) for row in rows]

    # -- records -------------------------------------------------------------------------------

    @scrubbed
    def add(self, record: Record) -> str:
        if record.caller_name is not None and not self.keep_names:
            raise StoreError(
                "This clinic's config does not keep caller names; "
                "store a caller reference instead (or turn keep_names on).",
                kind="invalid",
            )
        params = _record_params(record)
        with self._tx(write=True) as ex:
            ex.run(_INSERT_RECORD, params)
            self._audit(ex, "create", [record.id])
        return record.id

    @scrubbed
    def get(self, record_id: str) -> Record | None:
        with self._tx(write=True) as ex:
            row = ex.one(f"SELECT {_COLUMNS} FROM triage_records WHERE id = ?", (record_id,))
            if row is None:
                return None
            self._audit(ex, "view", [record_id])
        return _row_to_record(row)

    @staticmethod
    def _where(since_ts: str | None, disposition: str | None) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if since_ts is not None:
            clauses.append("created_at >= ?")
            params.append(since_ts)
        if disposition is not None:
            clauses.append("disposition = ?")
            params.append(disposition)
        return clauses, params

    @scrubbed
    def list(
        self,
        *,
        since: Since = None,
        today: bool = False,
        disposition: str | None = None,
        limit: int | None = None,
    ) -> list[Record]:
        """Records oldest first; listing shows clinical data, so each one is audited as viewed."""
        clauses, params = self._where(_since_ts(since, today), disposition)
        sql = f"SELECT {_COLUMNS} FROM triage_records"
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY created_at, id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        with self._tx(write=True) as ex:
            rows = ex.all(sql, params)
            self._audit(ex, "view", [row[0] for row in rows])
        self.damaged = []
        return list(_readable(rows, self.damaged))

    def export(self, *, since: Since = None, disposition: str | None = None) -> Iterator[Record]:
        """Stream records in batches (memory stays flat); each batch is audited as exported
        in the same transaction that read it, so the trail matches what left the store."""
        try:
            yield from self._export(since, disposition)
        except StoreError as err:
            raise scrub(err) from None

    def _export(self, since: Since, disposition: str | None) -> Iterator[Record]:
        base_clauses, base_params = self._where(_since_ts(since, False), disposition)
        self.damaged = []
        last: tuple[str, str] | None = None
        while True:
            clauses, params = list(base_clauses), list(base_params)
            if last is not None:
                # Keyset paging: stable under concurrent inserts, no long-held read transaction.
                clauses.append("(created_at > ? OR (created_at = ? AND id > ?))")
                params += [last[0], last[0], last[1]]
            sql = f"SELECT {_COLUMNS} FROM triage_records"
            if clauses:
                sql += " WHERE " + " AND ".join(clauses)
            sql += f" ORDER BY created_at, id LIMIT {EXPORT_BATCH}"
            with self._tx(write=True) as ex:
                rows = ex.all(sql, params)
                self._audit(ex, "export", [row[0] for row in rows])
            yield from _readable(rows, self.damaged)
            if len(rows) < EXPORT_BATCH:
                return
            last = (rows[-1][1], rows[-1][0])

    @scrubbed
    def purge(self, older_than_days: int, *, now: datetime | None = None) -> int:
        """Delete records created more than `older_than_days` ago; returns how many."""
        if older_than_days < 0:
            raise ValueError("older_than_days must not be negative")
        try:
            cutoff = format_ts((now or datetime.now(UTC)) - timedelta(days=older_than_days))
        except OverflowError:
            raise StoreError("That is further back than the calendar goes; give fewer days.",
                             kind="invalid") from None
        with self._tx(write=True) as ex:
            return self._purge(ex, cutoff, f"older_than_days={older_than_days}")

    def _purge(self, ex: Executor, cutoff: str, detail: str) -> int:
        """Audit and delete the records created before ``cutoff``; how many."""
        ids = [
            row[0]
            for row in ex.all(
                "SELECT id FROM triage_records WHERE created_at < ? ORDER BY created_at, id",
                (cutoff,),
            )
        ]
        if ids:
            self._audit(ex, "purge", ids, detail=detail)
            # By id, not by date again: under READ COMMITTED a second date scan could
            # delete a row committed meanwhile that the audit above never named.
            ex.many("DELETE FROM triage_records WHERE id = ?", [(rid,) for rid in ids])
        return len(ids)

    @scrubbed
    def count(self) -> int:
        with self._tx(write=False) as ex:
            row = ex.one("SELECT COUNT(*) FROM triage_records")
        return int(row[0]) if row else 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
