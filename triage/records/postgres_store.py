"""PostgreSQL backend (psycopg 3), for several desks sharing one database over the network.

psycopg is imported lazily: single-desk installs run without the `postgres` extra.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from triage.records.errors import ErrorKind, StoreError, scrubbed
from triage.records.model import Actor, utc_now
from triage.records.schema import PURGE_FUNCTION_SIGNATURE, VERSION_TABLE
from triage.records.store import Executor, SqlRecordStore
from triage.untrusted import whole_number

if TYPE_CHECKING:
    import psycopg  # lazy: psycopg is an optional extra

DEFAULT_CONNECT_TIMEOUT_S = 5
DEFAULT_LOCK_TIMEOUT_MS = 5000
# Every statement here touches a handful of rows; one running this long means a sick server.
STATEMENT_TIMEOUT_MS = 30_000
# Any constant will do; it only has to be the same for every triage on the same database.
_MIGRATION_LOCK_KEY = 0x7472696167  # "triag"

URL_SCHEMES = ("postgresql://", "postgres://")


def _pg(sql: str) -> str:
    # The shared SQL uses `?`; psycopg wants `%s`. Our statements contain no literal `%`.
    return sql.replace("?", "%s")


class _PgExecutor(Executor):
    def __init__(self, cur: psycopg.Cursor[Any]) -> None:
        self._cur = cur

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cur.execute(_pg(sql), params or None)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cur.executemany(_pg(sql), rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        self._cur.execute(_pg(sql), params or None)
        row: tuple[Any, ...] | None = self._cur.fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cur.execute(_pg(sql), params or None)
        return list(self._cur.fetchall())


def describe_url(url: str) -> str:
    """user@host:port/dbname from a connection URL, without the password."""
    from psycopg.conninfo import conninfo_to_dict  # lazy: psycopg is an optional extra

    try:
        info = conninfo_to_dict(url)
    except Exception:
        return "the configured PostgreSQL server"
    user = f"{info['user']}@" if info.get("user") else ""
    host = info.get("host") or "localhost"
    port = info.get("port") or "5432"
    dbname = info.get("dbname") or ""
    return f"postgresql://{user}{host}:{port}/{dbname}"


def _bad_url() -> StoreError:
    return StoreError(
        "The database URL is not valid. Expected postgresql://USER@HOST:PORT/DBNAME "
        "(in TRIAGE_DATABASE_URL or database_url in the config file).",
        kind="bad_url",
    )


def postgres_error(exc: Exception, where: str) -> StoreError:
    """Map by SQLSTATE class; the server's text (which can quote a failing row) is dropped."""
    import psycopg  # lazy: psycopg is an optional extra

    state = getattr(exc, "sqlstate", None) or ""
    if state == "53100":
        return StoreError(
            f"The PostgreSQL server {where} is out of disk space. Nothing was saved; "
            "tell whoever runs the server.",
            kind="full",
        )
    if state == "25006":
        return StoreError(
            f"The PostgreSQL database {where} is read-only (a standby, or read-only mode). "
            "Nothing was saved.",
            kind="read_only",
        )
    if state in ("55P03", "57014", "40001", "40P01"):
        return StoreError(
            f"The records at {where} are locked by another session, or the server is too "
            "slow to answer. Nothing was saved; try again.",
            kind="locked",
        )
    if state.startswith("28") or state == "42501":
        return StoreError(
            f"The PostgreSQL server {where} refused access: check the user name, password "
            "and privileges in the database URL.",
            kind="permission",
        )
    if state == "3D000":
        return StoreError(f"The database {where} does not exist.", kind="unreachable")
    if state.startswith("23"):
        return StoreError(
            f"The database {where} refused the record (it already exists or a value is "
            "not allowed).",
            kind="invalid",
        )
    if state.startswith("08") or isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return StoreError(
            f"Cannot reach the PostgreSQL server {where}. Check the network and that the "
            "server is running. Nothing was saved.",
            kind="unreachable",
        )
    return StoreError(
        f"The PostgreSQL database {where} failed ({state or type(exc).__name__}). "
        "Nothing was saved.",
        kind="io",
    )


def connect_error(exc: Exception, where: str) -> StoreError:
    """Errors while connecting carry no SQLSTATE; libpq's text says whether the server was
    reached. Quoting its FATAL line is safe here: at connect time no record has been sent."""
    text = str(exc)
    if "FATAL:" in text:
        reason = " ".join(text.split("FATAL:", 1)[1].split())
        kind: ErrorKind = "unreachable" if "does not exist" in reason else "permission"
        return StoreError(
            f"The PostgreSQL server {where} refused the connection: {reason}. "
            "Check the user name, password and database name in the database URL.",
            kind=kind,
        )
    return postgres_error(exc, where)


class PostgresRecordStore(SqlRecordStore):
    dialect = "postgresql"
    # pg_class, not information_schema: a desk role must see the tables it has no privilege
    # on too (information_schema lists only those it has)
    _any_table_sql = (
        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
        " ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
        " AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LIMIT 1"
    )

    @scrubbed
    def __init__(
        self,
        url: str,
        *,
        actor: Actor,
        keep_names: bool = False,
        connect_timeout_s: int = DEFAULT_CONNECT_TIMEOUT_S,
        lock_timeout_ms: int = DEFAULT_LOCK_TIMEOUT_MS,
    ) -> None:
        super().__init__(actor=actor, keep_names=keep_names)
        try:
            import psycopg  # lazy: psycopg is an optional extra
            from psycopg.conninfo import conninfo_to_dict  # lazy: psycopg is an optional extra
        except ImportError:
            raise StoreError(
                "PostgreSQL support is not installed: pip install 'triage[postgres]'.",
                kind="config",
            ) from None
        if not url.startswith(URL_SCHEMES):
            raise _bad_url()
        try:
            info = conninfo_to_dict(url)
        except psycopg.Error:
            raise _bad_url() from None
        # libpq only notices a bad port when connecting, and then calls it unreachable.
        port = str(info.get("port") or "5432")
        if not all(0 < (whole_number(p) or 0) < 65536 for p in port.split(",")):
            raise _bad_url()
        self._location = describe_url(url)
        self.lock_timeout_ms = lock_timeout_ms
        self._conn: psycopg.Connection[Any] | None = None
        try:
            self._conn = psycopg.connect(
                url,
                autocommit=True,  # transactions are explicit, see _tx
                connect_timeout=connect_timeout_s,
                application_name="triage",
            )
            # A desk waits a bounded time for a lock or a slow server, then says so.
            self._conn.execute(
                "SELECT set_config('lock_timeout', %s, false), "
                "set_config('statement_timeout', %s, false)",
                (f"{int(lock_timeout_ms)}ms", f"{STATEMENT_TIMEOUT_MS}ms"),
            )
        except psycopg.ProgrammingError:
            self.close()
            raise _bad_url() from None
        except psycopg.Error as exc:
            self.close()
            raise connect_error(exc, self._location) from None
        try:
            self._migrate()
        except StoreError as err:
            self.close()
            if err.kind == "permission":  # a desk role may not create or change the schema
                raise StoreError(
                    f"The records database {self._location} needs its tables created or "
                    "upgraded, which only its owner role may do: the owner runs `triage "
                    "records migrate --grant-to DESK_ROLE` (see docs/records-storage.md).",
                    kind="schema",
                ) from None
            raise
        except BaseException:
            self.close()
            raise

    def describe(self) -> str:
        return self._location

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[Executor]:
        import psycopg  # lazy: psycopg is an optional extra

        conn = self._conn
        if conn is None:
            raise StoreError("The records store is closed.", kind="io")
        failure: StoreError | None = None
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield _PgExecutor(cur)
        except psycopg.Error as exc:
            failure = postgres_error(exc, self._location)
        if failure is not None:
            raise failure from None

    def _purge(self, ex: Executor, cutoff: str, detail: str) -> int:
        # Desks hold no DELETE privilege: the owner's function audits and deletes (schema v2).
        row = ex.one("SELECT triage_purge(?, ?, ?, ?, ?)",
                     (cutoff, utc_now(), self.actor.staff, self.actor.desk, detail))
        return int(row[0]) if row and row[0] is not None else 0

    def grant_desk_roles(self, roles: Sequence[str]) -> None:
        """Give each desk role what a desk needs and nothing more: read and add records and
        audit rows, purge through triage_purge(). Run by the owner (`records migrate`)."""
        from psycopg import sql

        with self._tx(write=True) as ex:
            for role in roles:
                name = sql.Identifier(role).as_string(self._conn)
                for statement in (
                    f"GRANT USAGE ON SCHEMA public TO {name}",
                    f"GRANT SELECT, INSERT ON triage_records, triage_audit TO {name}",
                    f"GRANT SELECT ON {VERSION_TABLE} TO {name}",
                    f"GRANT EXECUTE ON FUNCTION {PURGE_FUNCTION_SIGNATURE} TO {name}",
                ):
                    ex.run(statement)

    @scrubbed
    def check_can_add(self) -> None:
        """StoreError (as :meth:`add` would give it) when no record could be added now: a
        read-only database or standby, a role without the privilege. Writes nothing."""
        # asked of the server, not tried: a test row would be a record (and an audit row,
        # which no one may delete); a desk role holds INSERT on both tables (records migrate
        # --grant-to), and a standby or a read-only database refuses any write
        with self._tx(write=False) as ex:
            row = ex.one("SELECT has_table_privilege('triage_records', 'INSERT'), "
                         "has_table_privilege('triage_audit', 'INSERT'), "
                         "current_setting('transaction_read_only')")
        if row is None or row[2] == "on":
            raise StoreError(
                f"The PostgreSQL database {self._location} is read-only (a standby, or "
                "read-only mode). Nothing can be saved.",
                kind="read_only",
            )
        if not (row[0] and row[1]):
            raise StoreError(
                f"The PostgreSQL role in the database URL may not add records at "
                f"{self._location}: its owner runs `triage records migrate --grant-to "
                "DESK_ROLE` (see docs/records-storage.md).",
                kind="permission",
            )

    def _lock_schema(self, ex: Executor) -> None:
        ex.run("SELECT pg_advisory_xact_lock(?)", (_MIGRATION_LOCK_KEY,))

    def _version_table_exists(self, ex: Executor) -> bool:
        # A query on pg_class, not to_regclass(): to_regclass looks in this session's catalog
        # cache, which keeps "no such table" from an earlier look until the session next
        # takes a table lock. Waiting on the advisory lock takes none, so a desk that queued
        # behind another's first start missed the version table it had just committed while
        # _any_table_sql saw its other tables: a new triage database looked foreign.
        row = ex.one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = ?)",
            (VERSION_TABLE,),
        )
        return bool(row and row[0])

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None
