"""The SQLite file: owner-only permissions, and clear errors when the file cannot be used."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage.folders import default_db_path
from triage.records import Actor, Record, StoreError
from triage.records.sqlite_store import SqliteRecordStore

ACTOR = Actor(staff="sam", desk="front-1")
SECRET = "SECRET-ANSWER-sqlite-91c2"

MakeRecord = Callable[..., Record]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@contextlib.contextmanager
def umask(value: int) -> Iterator[None]:
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def assert_clean(err: StoreError | dict[str, object], *secrets: str) -> None:
    """No health data in the error's text, repr or full printed traceback."""
    if isinstance(err, StoreError):
        texts = [str(err), repr(err), "".join(traceback.format_exception(err))]
        assert err.__context__ is None and err.__cause__ is None
    else:
        texts = [str(err["message"]), str(err["repr"]), str(err["traceback"])]
    assert "Traceback" not in texts[0]  # the message is a sentence, not a dump
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_default_store_lives_in_the_data_dir_owner_only(make_record: MakeRecord) -> None:
    with umask(0o022), SqliteRecordStore(actor=ACTOR) as store:
        store.add(make_record())
        path = default_db_path()
        assert store.path == path
        assert path.parent == Path(os.environ["TRIAGE_DATA_DIR"])
        # While a connection is open, the WAL side files exist: all three must be private.
        assert mode(path.parent) == 0o700
        for name in (path.name, path.name + "-wal", path.name + "-shm"):
            assert mode(path.parent / name) == 0o600, name
        assert store._conn is not None
        assert store._conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_loose_modes_on_the_default_location_are_tightened(make_record: MakeRecord) -> None:
    path = default_db_path()
    path.parent.mkdir(mode=0o755, parents=True)
    path.parent.chmod(0o755)
    path.touch()
    path.chmod(0o644)
    with SqliteRecordStore(actor=ACTOR) as store:
        store.add(make_record())
    assert mode(path.parent) == 0o700
    assert mode(path) == 0o600


def test_a_chosen_existing_folder_keeps_its_mode_but_the_file_is_private(
    tmp_path: Path, make_record: MakeRecord
) -> None:
    folder = tmp_path / "clinic-share"
    folder.mkdir()
    folder.chmod(0o750)
    with umask(0o022), SqliteRecordStore(folder / "r.sqlite3", actor=ACTOR) as store:
        store.add(make_record())
        for name in ("r.sqlite3", "r.sqlite3-wal", "r.sqlite3-shm"):
            assert mode(folder / name) == 0o600
    assert mode(folder) == 0o750


def _seed(path: Path, make_record: MakeRecord) -> None:
    with SqliteRecordStore(path, actor=ACTOR) as store:
        store.add(make_record(1))


def _count(path: Path) -> int:
    with SqliteRecordStore(path, actor=ACTOR) as store:
        assert store._conn is not None
        assert store._conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return store.count()


def test_read_only_file_gives_a_clear_error_and_writes_nothing(
    shared_tmp: Path, unprivileged: Any, make_record: MakeRecord
) -> None:
    path = shared_tmp / "records.sqlite3"
    # seeded as the folder's owner: a store in another user's folder is refused outright
    assert "ok" in unprivileged.run(lambda: _seed(path, make_record))
    path.chmod(0o400)

    def add() -> str:
        with SqliteRecordStore(path, actor=ACTOR) as store:
            return store.add(make_record(2, answers={"note": SECRET}))

    result = unprivileged.run(add)
    assert result.get("error") == "StoreError", result
    assert result["kind"] == "read_only"
    assert "read-only" in result["message"]
    assert_clean(result, SECRET)
    path.chmod(0o600)
    assert unprivileged.run(lambda: _count(path)) == {"ok": 1}


def test_read_only_folder_gives_a_clear_error(
    shared_tmp: Path, unprivileged: Any, make_record: MakeRecord
) -> None:
    folder = shared_tmp / "ro"
    folder.mkdir()
    existing = folder / "records.sqlite3"
    _seed(existing, make_record)
    for path in (folder, existing):
        unprivileged.own(path)
    folder.chmod(0o500)

    def add(path: Path) -> Callable[[], str]:
        def run() -> str:
            with SqliteRecordStore(path, actor=ACTOR) as store:
                return store.add(make_record(2, answers={"note": SECRET}))

        return run

    # An existing database whose folder is read-only (no room for -wal/-shm) ...
    result = unprivileged.run(add(existing))
    assert result.get("error") == "StoreError", result
    assert result["kind"] in ("read_only", "permission")
    assert str(existing) in result["message"]
    assert_clean(result, SECRET)
    # ... and a new database there.
    result = unprivileged.run(add(folder / "new.sqlite3"))
    assert result.get("error") == "StoreError", result
    assert result["kind"] == "permission"
    assert not (folder / "new.sqlite3").exists()
    folder.chmod(0o700)
    assert unprivileged.run(lambda: _count(existing)) == {"ok": 1}


def test_locked_database_gives_a_clear_error_and_no_partial_record(
    db_path: Path, make_record: MakeRecord
) -> None:
    _seed(db_path, make_record)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE triage_records SET updated_at = updated_at")
        with SqliteRecordStore(db_path, actor=ACTOR, busy_timeout_ms=100) as store:
            with pytest.raises(StoreError) as caught:
                store.add(make_record(2, answers={"note": SECRET}))
            assert caught.value.kind == "locked"
            assert "locked" in str(caught.value)
            assert_clean(caught.value, SECRET)
            holder.execute("ROLLBACK")
            assert store.count() == 1
            assert [e.action for e in store.audit_log()] == ["create"]
            store.add(make_record(3))  # the lock is gone: the desk carries on
            assert store.count() == 2
    finally:
        holder.close()


def test_exclusive_locking_mode_blocks_opening(db_path: Path, make_record: MakeRecord) -> None:
    _seed(db_path, make_record)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StoreError) as caught:
            SqliteRecordStore(db_path, actor=ACTOR, busy_timeout_ms=100).add(make_record(2))
        assert caught.value.kind == "locked"
    finally:
        holder.close()
    assert _count(db_path) == 1


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real full disk: a 1 MiB tmpfs (needs root, as in CI)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_disk_gives_a_clear_error_and_keeps_what_was_saved(
    tiny_disk: Path, make_record: MakeRecord
) -> None:
    path = tiny_disk / "records.sqlite3"
    ballast = tiny_disk / "ballast"
    ballast.write_bytes(b"\0" * 256 * 1024)
    saved: list[str] = []
    bulky = "x" * 20_000
    with SqliteRecordStore(path, actor=ACTOR) as store:
        with pytest.raises(StoreError) as caught:
            for n in range(1000):
                saved.append(store.add(make_record(n, answers={"note": SECRET, "more": bulky})))
        assert caught.value.kind == "full"
        assert "full" in str(caught.value)
        assert_clean(caught.value, SECRET)
        assert saved  # some records fitted before the disk filled up
        assert store.count() == len(saved)
    ballast.unlink()  # the person frees some space; reading and exporting work again
    with SqliteRecordStore(path, actor=ACTOR) as store:
        assert store._conn is not None
        assert store._conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert {r.id for r in store.export()} == set(saved)


def test_a_file_that_is_not_a_database_gives_a_clear_error(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is a spreadsheet, not a database" * 200)
    db_path.chmod(0o600)
    with pytest.raises(StoreError) as caught:
        SqliteRecordStore(db_path, actor=ACTOR)
    assert caught.value.kind == "corrupt"
    assert str(db_path) in str(caught.value)


answer_values = st.one_of(
    st.text(max_size=40),
    st.integers(min_value=-(2**62), max_value=2**62),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=12), max_size=5),
)


# make_record is a plain function behind a fixture: nothing to reset between examples.
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    answers=st.dictionaries(st.text(min_size=1, max_size=24), answer_values, max_size=10),
    ref=st.text(min_size=1, max_size=30),
)
def test_any_answers_come_back_exactly_as_stored(
    answers: dict[str, Any], ref: str, make_record: MakeRecord
) -> None:
    folder = Path(tempfile.mkdtemp(prefix="triage-prop-"))
    try:
        with SqliteRecordStore(folder / "r.sqlite3", actor=ACTOR) as store:
            record = make_record(answers=answers, caller_ref=ref)
            store.add(record)
            assert store.get(record.id) == record
            assert [r.id for r in store.export()] == [record.id]
    finally:
        shutil.rmtree(folder)


def test_another_programs_database_keeps_its_mode_journal_and_bytes(db_path: Path) -> None:
    # Looked at read-only first: no chmod, no switch to WAL, not one byte written.
    db_path.parent.mkdir(mode=0o700)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE invoices (n INTEGER)")
    conn.commit()
    conn.close()
    db_path.chmod(0o644)
    before = db_path.read_bytes()
    with pytest.raises(StoreError) as caught:
        SqliteRecordStore(db_path, actor=ACTOR)
    assert caught.value.kind == "foreign"
    assert str(db_path) in str(caught.value)
    assert mode(db_path) == 0o644
    assert db_path.read_bytes() == before
    assert not Path(f"{db_path}-wal").exists()
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


def test_a_file_that_is_not_a_database_is_refused_before_its_mode_is_touched(
        db_path: Path) -> None:
    db_path.parent.mkdir(mode=0o700)
    db_path.write_text("name,total\nJane,12.50\n")
    db_path.chmod(0o644)
    with pytest.raises(StoreError) as caught:
        SqliteRecordStore(db_path, actor=ACTOR)
    assert caught.value.kind == "corrupt"
    assert mode(db_path) == 0o644
    assert db_path.read_text() == "name,total\nJane,12.50\n"


def test_triage_s_own_database_with_loose_modes_is_tightened(
        db_path: Path, make_record: MakeRecord) -> None:
    with SqliteRecordStore(db_path, actor=ACTOR) as store:
        store.add(make_record())
    side = [Path(f"{db_path}{s}") for s in ("-wal", "-shm")]
    for path in (db_path, *side):
        if not path.exists():
            path.write_bytes(b"")
        path.chmod(0o644)
    with SqliteRecordStore(db_path, actor=ACTOR) as store:
        assert store.count() == 1
    for path in (db_path, *side):
        if path.exists():
            assert mode(path) == 0o600, path
