"""SQLite backend: the single-desk default, one owner-only file in the user data folder."""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from triage.files import ensure_private_dir
from triage.folders import NoFolderError, default_db_path
from triage.records.errors import StoreError, scrubbed
from triage.records.model import Actor
from triage.records.schema import VERSION_TABLE
from triage.records.store import Executor, SqlRecordStore

DEFAULT_BUSY_TIMEOUT_MS = 5000
_SIDE_FILES = ("-wal", "-shm", "-journal")  # what SQLite keeps next to the database


def _default_path() -> Path | None:
    """The default database file, None with no home folder to put it in."""
    try:
        return default_db_path()
    except NoFolderError:
        return None


class _SqliteExecutor(Executor):
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, params)

    def many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._conn.executemany(sql, rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row: tuple[Any, ...] | None = self._conn.execute(sql, params).fetchone()
        return row

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._conn.execute(sql, params).fetchall())


def sqlite_error(exc: sqlite3.Error, path: Path, busy_timeout_ms: int) -> StoreError:
    """Turn a driver error into a sentence; uses only the error code, never the driver text
    (which is safe today, but the rule "no driver text" is easier to keep than to audit)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    where = f"the records database at {path}"
    db = f"The records database at {path}"  # the same, to start a sentence
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            f"{db} is locked by another program (waited {busy_timeout_ms / 1000:g} s). "
            "Nothing was saved; try again, or close the other program using it.",
            kind="locked",
        )
    if name.startswith("SQLITE_READONLY"):
        return StoreError(
            f"{db} is read-only. Nothing was saved; check the permissions of the file "
            "and its folder, or choose another location in the config.",
            kind="read_only",
        )
    if name == "SQLITE_FULL":
        return StoreError(
            f"The disk holding {where} is full. Nothing was saved; free some space and retry.",
            kind="full",
        )
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")):
        return StoreError(
            f"Cannot open {where}: check that its folder exists and that you may write to it.",
            kind="permission",
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreError(
            f"{db} is damaged or is not a triage database. Move it aside and restore a "
            "backup, or choose another location in the config.",
            kind="corrupt",
        )
    if name.startswith("SQLITE_CONSTRAINT"):
        return StoreError(
            f"{db} refused the record (it already exists or a value is not allowed).",
            kind="invalid",
        )
    return StoreError(
        f"{db} could not be used ({name or type(exc).__name__}). Nothing was saved.",
        kind="io",
    )


def os_error(exc: OSError, path: Path) -> StoreError:
    code = exc.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return StoreError(f"The disk holding {path} is full; free some space.", kind="full")
    if code == errno.EROFS:
        return StoreError(f"{path} is on a read-only file system.", kind="read_only")
    if code in (errno.EACCES, errno.EPERM):
        return StoreError(
            f"No permission to create or open {path}; check the folder's permissions.",
            kind="permission",
        )
    blocker = file_in_the_way(path) if code in (errno.ENOTDIR, errno.EEXIST) else None
    if blocker is not None:
        return StoreError(
            f"{blocker} is a file where the records folder should be: move it aside, or "
            "choose another location in the config.",
            kind="not_folder", where=str(blocker),
        )
    return StoreError(f"Cannot prepare {path} ({exc.strerror or 'error'}).", kind="io")


def file_in_the_way(path: Path) -> Path | None:
    """The first of ``path``'s folders (from the top) that exists and is not a folder: a
    regular file where the records folder, or one above it, should be. None if none is."""
    for folder in reversed((path.parent, *path.parent.parents)):
        try:
            if not stat.S_ISDIR(os.stat(folder).st_mode):
                return folder
        except FileNotFoundError:
            return None
        except OSError:  # (ENOTDIR: a file above it, found first)
            return None
    return None


class SqliteRecordStore(SqlRecordStore):
    dialect = "sqlite"
    _any_table_sql = "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') LIMIT 1"

    @scrubbed
    def __init__(
        self,
        path: Path | str | None = None,
        *,
        actor: Actor,
        keep_names: bool = False,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        super().__init__(actor=actor, keep_names=keep_names)
        if path is None:
            try:
                path = default_db_path()
            except NoFolderError as exc:
                raise StoreError(f"Cannot keep records: {exc.message}.", kind="config") from None
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._conn: sqlite3.Connection | None = None
        # The umask covers files SQLite creates itself (-wal, -shm, a rollback journal) in
        # case the database file was made elsewhere with a looser mode.
        old_umask = os.umask(0o077)
        try:
            self._prepare_file(tighten_dir=self.path == _default_path())
            # Another program's database must come out of this untouched: looked at read-only
            # before any chmod, WAL switch or table is made.
            self._refuse_foreign_file()
            self._tighten_modes()
            self._conn = self._connect()
            self._migrate()
        except BaseException:
            self.close()
            raise
        finally:
            os.umask(old_umask)

    def describe(self) -> str:
        return str(self.path)

    def _prepare_file(self, *, tighten_dir: bool) -> None:
        try:
            ensure_private_dir(self.path.parent, tighten_existing=tighten_dir)
            self._refuse_shared()
            try:
                # Exclusive create at 0600: SQLite gives -wal/-shm the database file's mode.
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
                os.close(fd)
            except FileExistsError:
                pass  # checked by _refuse_shared: this user's, owner-only
        except OSError as exc:
            raise os_error(exc, self.path) from None

    def _refuse_shared(self) -> None:
        """Health data goes only into a folder and files this user owns and no one else can
        write: never into a records.sqlite3 another user planted (0666, say) in a folder they
        own, where they could read it or swap it. Checked before SQLite opens anything."""
        geteuid = getattr(os, "geteuid", None)
        if geteuid is None:  # pragma: no cover - Windows: ACLs, not owners and modes
            return
        me = geteuid()
        folder = self.path.parent
        st = os.stat(folder)
        if st.st_uid != me or st.st_mode & 0o022:
            raise StoreError(
                f"The records folder {folder} belongs to another user or can be written by "
                "others, so health data is not stored there. Use a folder of your own that "
                "only you can write (or fix its owner and permissions).",
                kind="permission",
            )
        for path in (self.path, *(Path(f"{self.path}{s}") for s in _SIDE_FILES)):
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode) or st.st_uid != me:
                raise StoreError(
                    f"The records file {path} belongs to another user or is not a plain "
                    "file, so health data is not stored in it. Move it aside (it was not "
                    "made by triage for you) or choose another location in the config.",
                    kind="permission",
                )

    def _refuse_foreign_file(self) -> None:
        """Refuse a file that is not a SQLite database, or is another program's (tables but
        no triage_schema_version), through a read-only connection: opening it read-write
        and switching it to WAL would already change someone else's file."""
        # quoted from the path's bytes: a folder named in another encoding is no UTF-8 text
        uri = f"file:{quote(os.fsencode(self.path.absolute()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout_ms / 1000,
                                   isolation_level=None)
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, self.busy_timeout_ms) from None
        try:
            # One read transaction, so both reads of the check see one snapshot: in autocommit
            # another desk's first start could commit its tables between them, and a new
            # triage database looked like another program's.
            conn.execute("BEGIN")
            self._refuse_foreign(_SqliteExecutor(conn))
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, self.busy_timeout_ms) from None
        finally:
            conn.close()

    def _tighten_modes(self) -> None:
        """This user's own database (and side files), made with a looser umask: 0600. Only
        once it is known to be a triage database (or a new, empty one)."""
        for path in (self.path, *(Path(f"{self.path}{s}") for s in _SIDE_FILES)):
            try:
                if stat.S_IMODE(os.lstat(path).st_mode) & 0o077:
                    os.chmod(path, 0o600)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise os_error(exc, self.path) from None

    def _connect(self) -> sqlite3.Connection:
        """A connection in WAL mode. Switching a new file to WAL needs an exclusive lock: a
        connection opened while another desk's first start was converting the file can wait
        on that desk's open connection for ever, so a busy switch is retried on a fresh
        connection (which sees the file in WAL mode already) until the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                return self._connect_once(switch_timeout_ms=250)
            except StoreError as err:
                if err.kind != "locked" or time.monotonic() >= deadline:
                    raise
            time.sleep(0.05)

    def _connect_once(self, *, switch_timeout_ms: int) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_ms / 1000,
                isolation_level=None,  # transactions are explicit, see _tx
            )
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, self.busy_timeout_ms) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(switch_timeout_ms)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            if not mode or str(mode[0]).lower() != "wal":
                raise StoreError(
                    f"The records database at {self.path} cannot use write-ahead logging "
                    "(is it on a network drive? several desks need a PostgreSQL server).",
                    kind="io",
                )
            # FULL: a record acknowledged to the desk survives a power cut, not just a crash.
            conn.execute("PRAGMA synchronous = FULL")
            # Purged health data is overwritten on disk, not left in free pages.
            conn.execute("PRAGMA secure_delete = ON")
        except sqlite3.Error as exc:
            conn.close()
            raise sqlite_error(exc, self.path, self.busy_timeout_ms) from None
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _tx(self, *, write: bool) -> Iterator[Executor]:
        conn = self._conn
        if conn is None:
            raise StoreError("The records store is closed.", kind="io")
        failure: StoreError | None = None
        try:
            # IMMEDIATE takes the write lock up front, so a busy database waits in the busy
            # handler instead of failing at the first write inside the transaction.
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield _SqliteExecutor(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            failure = sqlite_error(exc, self.path, self.busy_timeout_ms)
        except OSError as exc:
            failure = os_error(exc, self.path)
        if failure is not None:
            raise failure from None

    def _lock_schema(self, ex: Executor) -> None:
        pass  # BEGIN IMMEDIATE already serialises writers on one file

    @scrubbed
    def check_can_add(self) -> None:
        """StoreError (as :meth:`add` would give it) when no record could be added now: a
        read-only file or folder, a file another program keeps locked. Writes nothing."""
        # BEGIN IMMEDIATE takes the write lock an add takes, but in WAL mode a read-only file
        # grants it: a write statement that changes no row is refused there (SQLITE_READONLY),
        # as the add would be, and leaves the file as it was
        with self._tx(write=True) as ex:
            ex.run(f"UPDATE {VERSION_TABLE} SET version = version WHERE 0 = 1")

    def _version_table_exists(self, ex: Executor) -> bool:
        row = ex.one(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (VERSION_TABLE,)
        )
        return row is not None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
