"""Issue 12, items 7 and 8: an append-only audit on both backends (roles split on PostgreSQL)
and no health data in a store another user owns or can write."""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from tests.records.conftest import ACTOR, REPO_ROOT, PgServer
from triage.records import LATEST_VERSION, Record, StoreError
from triage.records.postgres_store import PostgresRecordStore
from triage.records.sqlite_store import SqliteRecordStore

MakeRecord = Callable[..., Record]


# --------------------------------------------------------------------------- SQLite audit


def test_sqlite_audit_refuses_replace_and_forged_rows(db_path: Path,
                                                      make_record: MakeRecord) -> None:
    with SqliteRecordStore(db_path, actor=ACTOR) as store:
        record_id = store.add(make_record())
        store.get(record_id)
        before = store.audit_log()
    conn = sqlite3.connect(db_path)
    try:
        attacks = [
            "INSERT OR REPLACE INTO triage_audit (seq, at, staff, desk, action, record_id) "
            "VALUES (1, 'x', 'x', 'x', 'view', 'x')",
            "REPLACE INTO triage_audit (seq, at, staff, desk, action, record_id) "
            "VALUES (2, 'x', 'x', 'x', 'view', 'x')",
            "INSERT INTO triage_audit (seq, at, staff, desk, action, record_id) "
            "VALUES (-1, 'x', 'x', 'x', 'view', 'x')",
            "INSERT INTO triage_audit (seq, at, staff, desk, action, record_id) "
            "VALUES (0, 'x', 'x', 'x', 'create', 'x')",
            "UPDATE triage_audit SET action = 'view'",
            "DELETE FROM triage_audit",
            "INSERT INTO triage_audit (seq, at, staff, desk, action, record_id) VALUES "
            "(1, 'x', 'x', 'x', 'view', 'x') ON CONFLICT (seq) DO UPDATE SET action = 'view'",
        ]
        for sql in attacks:
            with pytest.raises(sqlite3.DatabaseError):
                conn.execute(sql)
            conn.rollback()
    finally:
        conn.close()
    with SqliteRecordStore(db_path, actor=ACTOR) as store:
        assert store.audit_log() == before
        store.add(make_record(1))  # triage itself still appends
        assert len(store.audit_log()) == len(before) + 1


# --------------------------------------------------------------------------- ownership


def test_a_folder_others_can_write_is_refused(tmp_path: Path, make_record: MakeRecord) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)
    with pytest.raises(StoreError) as caught:
        SqliteRecordStore(folder / "records.sqlite3", actor=ACTOR)
    assert caught.value.kind == "permission"
    assert "can be written by others" in caught.value.message
    assert not (folder / "records.sqlite3").exists()


def test_a_symlinked_database_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    target = tmp_path / "elsewhere.sqlite3"
    target.write_bytes(b"")
    (folder / "records.sqlite3").symlink_to(target)
    with pytest.raises(StoreError, match="belongs to another user or is not a plain file"):
        SqliteRecordStore(folder / "records.sqlite3", actor=ACTOR)


def _nobody() -> tuple[int, int]:
    import pwd

    user = pwd.getpwnam("nobody")
    return user.pw_uid, user.pw_gid


def test_a_store_of_another_user_is_refused_by_assess_record(tmp_path: Path) -> None:
    """The audit's scenario: the data folder belongs to someone else, who planted a
    records.sqlite3 at 0666. Run as root, giving the folder to `nobody`; as another user,
    a folder that others can write stands in for it."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    planted = data / "records.sqlite3"
    planted.write_bytes(b"")
    os.chmod(planted, 0o666)
    if os.geteuid() == 0:
        os.chown(data, *_nobody())
        os.chown(planted, *_nobody())
    else:
        os.chmod(data, 0o777)
    answers = tmp_path / "a.json"
    answers.write_text('{"chest_pain": "no", "fall": "no", "fever": "no", "age": 40, '
                       '"area": "neck", "problems": ["stiffness"], "blood_thinners": "no"}')
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), TRIAGE_DATA_DIR=str(data),
               TRIAGE_CONFIG_DIR=str(tmp_path / "config"))
    env.pop("TRIAGE_DATABASE_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "triage", "assess", "--answers", str(answers), "--pack",
         str(REPO_ROOT / "tests" / "packs" / "minimal"), "--record", "--caller-ref", "C-1"],
        capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 4, proc.stderr
    assert "The result above was NOT saved" in proc.stderr
    assert "Saved as record" not in proc.stderr
    assert proc.stdout  # the result was shown
    assert planted.read_bytes() == b""  # nothing written into their file
    assert not (data / "records.sqlite3-wal").exists()


def test_a_database_file_of_another_user_in_my_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o700)
    planted = folder / "records.sqlite3"
    planted.write_bytes(b"")
    if os.geteuid() == 0:
        os.chown(planted, *_nobody())
        with pytest.raises(StoreError, match="belongs to another user"):
            SqliteRecordStore(planted, actor=ACTOR)
    else:  # a file of my own with a loose mode is mine to tighten
        os.chmod(planted, 0o666)
        SqliteRecordStore(planted, actor=ACTOR).close()
        assert stat.S_IMODE(planted.stat().st_mode) == 0o600


# --------------------------------------------------------------------------- PostgreSQL roles


def documented_setup_sql() -> list[str]:
    """The SQL block of docs/records-storage.md, statement by statement."""
    text = (REPO_ROOT / "docs" / "records-storage.md").read_text()
    block = re.search(r"<!-- BEGIN role setup -->\n```sql\n(.*?)```", text, re.S)
    assert block, "docs/records-storage.md lost its role setup block"
    return [line.rstrip(";") for line in block.group(1).strip().splitlines()]


@pytest.fixture
def split_roles(pg_server: PgServer) -> Iterator[tuple[str, str]]:
    """The documented setup, with names made unique for this run: (owner URL, desk URL)."""
    suffix = f"_{os.getpid()}"
    owner, desk, db = f"triage_owner{suffix}", f"triage_desk{suffix}", f"triage{suffix}"
    admin = psycopg.connect(pg_server.url, autocommit=True)
    conn = admin
    try:
        for statement in documented_setup_sql():
            statement = (statement.replace("triage_owner", owner).replace("triage_desk", desk)
                         .replace("DATABASE triage ", f"DATABASE {db} "))
            if statement.startswith("\\connect"):
                conn = psycopg.connect(pg_server.url_for(db), autocommit=True)
                continue
            conn.execute(statement)
        if conn is not admin:
            conn.close()
        yield (f"postgresql://{owner}@127.0.0.1:{pg_server.port}/{db}",
               f"postgresql://{desk}@127.0.0.1:{pg_server.port}/{db}")
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        admin.execute(f"DROP ROLE IF EXISTS {desk}")
        admin.execute(f"DROP ROLE IF EXISTS {owner}")
        admin.close()


def triage_cli(url: str, *args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), TRIAGE_DATABASE_URL=url,
               TRIAGE_CONFIG_DIR=str(tmp / "config"), TRIAGE_DATA_DIR=str(tmp / "data"))
    return subprocess.run([sys.executable, "-m", "triage", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_desk_role_cannot_rewrite_the_audit_or_migrate(
        split_roles: tuple[str, str], make_record: MakeRecord, tmp_path: Path) -> None:
    owner_url, desk_url = split_roles
    # before the owner migrates, a desk can neither create the tables nor work
    early = triage_cli(desk_url, "records", "list", tmp=tmp_path)
    assert early.returncode == 4
    assert "triage records migrate" in early.stderr
    done = triage_cli(owner_url, "records", "migrate", "--grant-to",
                      desk_url.split("//")[1].split("@")[0], tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"Records schema version {LATEST_VERSION}" in done.stdout

    with PostgresRecordStore(desk_url, actor=ACTOR) as store:
        old = store.add(make_record(1))
        assert store.get(old) is not None
        later = datetime.now(UTC) + timedelta(days=60)
        assert store.purge(30, now=later) == 1  # through the owner's function
        assert store.get(old) is None
        log = store.audit_log()
    assert [e.action for e in log if e.record_id == old] == ["create", "view", "purge"]

    attacks = [
        "ALTER TABLE triage_audit ALTER COLUMN detail TYPE TEXT USING 'x'",
        "ALTER TABLE triage_audit DISABLE TRIGGER ALL",
        "DELETE FROM triage_audit",
        "UPDATE triage_audit SET detail = 'x'",
        "TRUNCATE triage_audit",
        "DROP TABLE triage_audit",
        "DELETE FROM triage_records",
        "UPDATE triage_records SET disposition = 'soft_tissue'",
        "INSERT INTO triage_audit (at, staff, desk, action, record_id) VALUES "
        "('x', 'x', 'x', 'view', 'x') ON CONFLICT (seq) DO UPDATE SET detail = 'x'",
        "CREATE TABLE triage_shadow (x TEXT)",
        "CREATE OR REPLACE FUNCTION triage_purge(TEXT, TEXT, TEXT, TEXT, TEXT) RETURNS INTEGER "
        "LANGUAGE sql AS 'SELECT 0'",
    ]
    with psycopg.connect(desk_url, autocommit=True) as conn:
        for sql in attacks:
            with pytest.raises(psycopg.Error):
                conn.execute(sql)
    with PostgresRecordStore(desk_url, actor=ACTOR) as store:
        assert store.audit_log() == log
