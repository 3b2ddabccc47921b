"""Versioned schema migrations shared by the SQLite and PostgreSQL backends.

Each migration is mostly portable SQL; where the two engines differ (auto-numbered keys,
trigger syntax) a migration carries a per-dialect part. Migrations only ever get appended:
a released migration is never edited, because databases in the field already ran it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

Dialect: TypeAlias = Literal["sqlite", "postgresql"]

VERSION_TABLE = "triage_schema_version"

# Created outside the numbered migrations: it is what says which of them have run.
VERSION_TABLE_DDL = (
    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} ("
    " version INTEGER PRIMARY KEY,"
    " applied_at TEXT NOT NULL,"
    " tool_version TEXT NOT NULL)"
)

_SERIAL_PK: dict[Dialect, str] = {
    "sqlite": "INTEGER PRIMARY KEY AUTOINCREMENT",
    "postgresql": "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
}


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    common: tuple[str, ...]
    per_dialect: dict[Dialect, tuple[str, ...]] = field(default_factory=dict)

    def statements(self, dialect: Dialect) -> list[str]:
        subst = {"serial_pk": _SERIAL_PK[dialect]}
        return [s.format(**subst) for s in self.common] + list(self.per_dialect.get(dialect, ()))


_AUDIT_GUARD_PG = """
CREATE OR REPLACE FUNCTION triage_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'triage_audit is append-only';
END
$$
"""

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        version=1,
        description="records and append-only audit",
        common=(
            """
            CREATE TABLE triage_records (
                id TEXT PRIMARY KEY,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                caller_ref TEXT NOT NULL,
                caller_name TEXT,
                desk TEXT NOT NULL,
                staff TEXT NOT NULL,
                answers TEXT NOT NULL,
                disposition TEXT NOT NULL,
                outcome TEXT NOT NULL,
                pack_id TEXT NOT NULL,
                pack_version TEXT NOT NULL,
                pack_hash TEXT NOT NULL,
                tool_version TEXT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('complete', 'stopped'))
            )
            """,
            "CREATE INDEX triage_records_created ON triage_records (created_at, id)",
            "CREATE INDEX triage_records_disposition ON triage_records (disposition, created_at)",
            # No foreign key to triage_records: the trail must outlive purged records.
            """
            CREATE TABLE triage_audit (
                seq {serial_pk},
                at TEXT NOT NULL,
                staff TEXT NOT NULL,
                desk TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('create', 'view', 'export', 'purge')),
                record_id TEXT,
                detail TEXT NOT NULL DEFAULT ''
            )
            """,
            "CREATE INDEX triage_audit_record ON triage_audit (record_id)",
        ),
        per_dialect={
            "sqlite": (
                """
                CREATE TRIGGER triage_audit_no_update BEFORE UPDATE ON triage_audit
                BEGIN SELECT RAISE(ABORT, 'triage_audit is append-only'); END
                """,
                """
                CREATE TRIGGER triage_audit_no_delete BEFORE DELETE ON triage_audit
                BEGIN SELECT RAISE(ABORT, 'triage_audit is append-only'); END
                """,
            ),
            "postgresql": (
                _AUDIT_GUARD_PG,
                """
                CREATE TRIGGER triage_audit_no_change BEFORE UPDATE OR DELETE ON triage_audit
                FOR EACH ROW EXECUTE FUNCTION triage_audit_append_only()
                """,
                """
                CREATE TRIGGER triage_audit_no_truncate BEFORE TRUNCATE ON triage_audit
                FOR EACH STATEMENT EXECUTE FUNCTION triage_audit_append_only()
                """,
            ),
        },
    ),
)

# Version 2 (issue 12). SQLite: REPLACE deletes the row it replaces without firing delete
# triggers, so an INSERT OR REPLACE naming an existing seq could overwrite an audit row; triage
# never names a seq, so an insert that does is refused, and a new row must be the newest.
# PostgreSQL: desks get no DELETE on the records; purging goes through triage_purge(), owned
# by the owner role that ran the migration (SECURITY DEFINER, fixed search_path), which audits
# and deletes in one statement. Granting it to desk roles: `triage records migrate --grant-to`.
_PURGE_FUNCTION_PG = """
CREATE OR REPLACE FUNCTION triage_purge(cutoff TEXT, p_at TEXT, p_staff TEXT, p_desk TEXT,
                                        p_detail TEXT) RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    purged INTEGER;
BEGIN
    WITH gone AS (
        DELETE FROM public.triage_records WHERE created_at < cutoff RETURNING id
    )
    INSERT INTO public.triage_audit (at, staff, desk, action, record_id, detail)
    SELECT p_at, p_staff, p_desk, 'purge', id, p_detail FROM gone ORDER BY id;
    GET DIAGNOSTICS purged = ROW_COUNT;
    RETURN purged;
END
$$
"""

PURGE_FUNCTION_SIGNATURE = "triage_purge(TEXT, TEXT, TEXT, TEXT, TEXT)"

MIGRATIONS += (
    Migration(
        version=2,
        description="audit append-only against REPLACE; purge through an owner's function",
        common=(),
        per_dialect={
            "sqlite": (
                """
                CREATE TRIGGER triage_audit_no_replace BEFORE INSERT ON triage_audit
                WHEN NEW.seq <> -1
                BEGIN SELECT RAISE(ABORT, 'triage_audit is append-only'); END
                """,
                """
                CREATE TRIGGER triage_audit_only_newest AFTER INSERT ON triage_audit
                WHEN NEW.seq <> (SELECT MAX(seq) FROM triage_audit)
                BEGIN SELECT RAISE(ABORT, 'triage_audit is append-only'); END
                """,
            ),
            "postgresql": (
                _PURGE_FUNCTION_PG,
                f"REVOKE ALL ON FUNCTION {PURGE_FUNCTION_SIGNATURE} FROM PUBLIC",
            ),
        },
    ),
)

# Version 3: who answered (Record.mode), so that a record shows the questions as they were
# read: reception staff read them about the patient ("Did the person hit their head?").
# Nullable: the records kept before say nothing about it, and stay as they were. Table grants
# (the desk role's SELECT and INSERT) cover a column added later.
MIGRATIONS += (
    Migration(
        version=3,
        description="records say who answered: the patient, or a caller to reception",
        common=(
            "ALTER TABLE triage_records ADD COLUMN mode TEXT"
            " CHECK (mode IS NULL OR mode IN ('patient', 'caller'))",
        ),
    ),
)

LATEST_VERSION: int = MIGRATIONS[-1].version


def pending(current: int) -> list[Migration]:
    return [m for m in MIGRATIONS if m.version > current]
