"""Shared fixtures for the records tests: real SQLite files and a real PostgreSQL server.

Everything lives here rather than in helper modules so the tests import nothing by package
path (the tests folder's own layout belongs to the main branch).
"""

from __future__ import annotations

import glob
import itertools
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from triage.records import Actor, Record, new_record
from triage.records.postgres_store import PostgresRecordStore
from triage.records.sqlite_store import SqliteRecordStore
from triage.records.store import SqlRecordStore

ACTOR = Actor(staff="sam", desk="front-1")

# Values that must never show up in a repr, an error or a traceback.
SECRET_ANSWER = "SECRET-ANSWER-7f3a"
SECRET_NAME = "SECRET-NAME-Jane-Doe"


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real home's data or config."""
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("TRIAGE_DATABASE_URL", "TRIAGE_DESK", "TRIAGE_STAFF"):
        monkeypatch.delenv(name, raising=False)


def build_record(n: int = 0, **overrides: Any) -> Record:
    fields: dict[str, Any] = {
        "caller_ref": f"C-{n:05d}",
        "desk": ACTOR.desk,
        "staff": ACTOR.staff,
        "answers": {"pain_score": 7, "where": ["neck", "shoulder"], "note": SECRET_ANSWER},
        "disposition": "rmt",
        "outcome": {"disposition": "rmt", "reasons": ["muscle tension"], "score": 0.5},
        "pack_id": "core",
        "pack_version": "1.0.0",
        "pack_hash": "sha256:abc",
        "tool_version": "0.1.0",
    }
    fields.update(overrides)
    return new_record(**fields)


def find_pg_bindir() -> Path | None:
    """Where initdb and pg_ctl live: PATH first, then Debian's versioned folders."""
    found = shutil.which("initdb")
    if found:
        bindir = Path(found).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")

    def major(path: str) -> int:
        part = Path(path).parts[-3]
        return int(part) if part.isdigit() else 0

    for initdb in sorted(candidates, key=major, reverse=True):
        bindir = Path(initdb).parent
        if (bindir / "pg_ctl").exists():
            return bindir
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unprivileged_user() -> pwd.struct_passwd:
    # initdb refuses to run as root; Debian's package creates `postgres`, `nobody` is the fallback.
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("no unprivileged user (postgres or nobody) to run PostgreSQL as")


@dataclass(frozen=True)
class PgServer:
    url: str  # connects to the `postgres` maintenance database
    port: int
    base: Path

    def url_for(self, dbname: str) -> str:
        return f"postgresql://triage@127.0.0.1:{self.port}/{dbname}"


@contextmanager
def running_server(bindir: Path) -> Iterator[PgServer]:
    base = Path(tempfile.mkdtemp(prefix="triage-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        user = _unprivileged_user()
        os.chown(base, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", user.pw_name, "--"]
    data, log = base / "data", base / "server.log"
    port = free_port()
    started = False
    try:
        _run(
            [
                *prefix,
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "triage",
                "--auth=trust",  # loopback only, throwaway cluster
                "-E",
                "UTF8",
                "--no-sync",
            ],
            log,
        )
        options = (
            f"-k {base} -h 127.0.0.1 -p {port} "
            # Durability of a throwaway test cluster is irrelevant; speed is not.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=40"
        )
        _run(
            [
                *prefix,
                str(bindir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ],
            log,
        )
        started = True
        yield PgServer(url=f"postgresql://triage@127.0.0.1:{port}/postgres", port=port, base=base)
    finally:
        if started:
            subprocess.run(
                [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)


def _run(cmd: list[str], log: Path) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        server_log = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise RuntimeError(
            f"{Path(cmd[cmd.index('--') + 1] if '--' in cmd else cmd[0]).name} failed "
            f"({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}\n{server_log}"
        )


WRITER = Path(__file__).with_name("writer.py")
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def spawn_writer() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start tests/records/writer.py in its own process; kills leftovers at the end."""
    procs: list[subprocess.Popen[str]] = []

    def spawn(location: str, *, count: int, tag: str) -> subprocess.Popen[str]:
        env = dict(os.environ)
        # Import this checkout even when the package is not installed.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        proc = subprocess.Popen(
            [sys.executable, str(WRITER), location, str(count), tag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        procs.append(proc)
        return proc

    yield spawn
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_pg_bindir()
    if bindir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found; run .ci/postgres.sh"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    with running_server(bindir) as server:
        yield server


_db_numbers = itertools.count()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty database per test on the session's server."""
    import psycopg

    name = f"t_{os.getpid()}_{next(_db_numbers)}"
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.url_for(name)
    with psycopg.connect(pg_server.url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def make_record() -> Callable[..., Record]:
    return build_record


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "records.sqlite3"


StoreFactory = Callable[..., SqlRecordStore]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_any(backend: str, request: pytest.FixtureRequest) -> Iterator[StoreFactory]:
    """Opens stores on one database of the chosen backend; closes them all at the end."""
    opened: list[SqlRecordStore] = []
    if backend == "sqlite":
        path: Path = request.getfixturevalue("db_path")

        def factory(**kwargs: Any) -> SqlRecordStore:
            kwargs.setdefault("actor", ACTOR)
            store = SqliteRecordStore(path, **kwargs)
            opened.append(store)
            return store
    else:
        url: str = request.getfixturevalue("pg_url")

        def factory(**kwargs: Any) -> SqlRecordStore:
            kwargs.setdefault("actor", ACTOR)
            store = PostgresRecordStore(url, **kwargs)
            opened.append(store)
            return store

    yield factory
    for store in opened:
        store.close()


@pytest.fixture
def store(open_any: StoreFactory) -> SqlRecordStore:
    return open_any()


@pytest.fixture
def db_location(backend: str, request: pytest.FixtureRequest) -> str:
    """The path or URL a child process should open for this test's database."""
    if backend == "sqlite":
        return str(request.getfixturevalue("db_path"))
    return str(request.getfixturevalue("pg_url"))


@dataclass(frozen=True)
class Unprivileged:
    """Runs a function where file permissions bind: a forked child without root's powers.

    Root ignores read-only modes, and the CI runs as root, so read-only tests drop to
    `nobody` in a child process (os.fork keeps the already-imported code; no exec needed).
    """

    uid: int
    gid: int

    def own(self, path: Path) -> None:
        if os.geteuid() == 0:
            os.chown(path, self.uid, self.gid)

    def run(self, fn: Callable[[], Any]) -> dict[str, Any]:
        """{"ok": result} or {"error": type name, "kind", "message", "repr", "traceback"}."""
        if os.geteuid() != 0:
            return _outcome(fn)
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            code = 0
            try:
                os.close(read_fd)
                os.setgroups([])
                os.setgid(self.gid)
                os.setuid(self.uid)
                payload = json.dumps(_outcome(fn)).encode()
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        os.close(write_fd)
        with os.fdopen(read_fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0 and data, "unprivileged child failed"
        result: dict[str, Any] = json.loads(data)
        return result


def _outcome(fn: Callable[[], Any]) -> dict[str, Any]:
    try:
        return {"ok": fn()}
    except Exception as exc:
        return {
            "error": type(exc).__name__,
            "kind": getattr(exc, "kind", None),
            "message": str(exc),
            "repr": repr(exc),
            "traceback": "".join(traceback.format_exception(exc)),
        }


@pytest.fixture
def unprivileged() -> Unprivileged:
    if os.geteuid() == 0:
        user = pwd.getpwnam("nobody")
        return Unprivileged(uid=user.pw_uid, gid=user.pw_gid)
    return Unprivileged(uid=os.geteuid(), gid=os.getegid())


@pytest.fixture
def shared_tmp(unprivileged: Unprivileged) -> Iterator[Path]:
    """A temp folder outside pytest's root-only tmp tree, owned by the unprivileged user."""
    base = Path(tempfile.mkdtemp(prefix="triage-test-"))
    unprivileged.own(base)
    yield base
    for path in [base, *base.rglob("*")]:
        if path.is_dir():
            path.chmod(0o700)  # so cleanup can empty read-only folders when not root
    shutil.rmtree(base, ignore_errors=True)
