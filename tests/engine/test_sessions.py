"""Session files: private atomic writes and strict reading."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from triage.engine.sessions import Session, SessionFileError, load_session, write_private
from triage.pack.compiled import CompiledPack


def test_write_private_replaces_with_owner_only_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old")
    os.chmod(target, 0o644)
    write_private(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["out.json"]


def test_write_private_failure_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "folder"
    target.mkdir()
    with pytest.raises(OSError):
        write_private(target, "x")  # cannot replace a folder with a file
    assert sorted(os.listdir(tmp_path)) == ["folder"]


def test_round_trip(pack: CompiledPack, tmp_path: Path) -> None:
    session = Session.for_pack(pack, "fr", caller=True)
    session.answers = [("chest_pain", "no"), ("problems", frozenset({"strain", "stiffness"})),
                       ("age", 40)]
    session.save(tmp_path / "s.json")
    back = load_session(tmp_path / "s.json")
    assert back.answers == [("chest_pain", "no"), ("problems", ["stiffness", "strain"]),
                            ("age", 40)]
    assert (back.language, back.caller, back.status) == ("fr", True, "in_progress")
    assert back.pack_hash == pack.content_hash


@pytest.mark.parametrize("data", [
    {"format": "triage-session", "format_version": 2},
    {"format": "triage-session", "format_version": 1, "status": "done", "answers": {},
     "pack": {"id": "a", "version": "1", "hash": "h"}},
    {"format": "triage-session", "format_version": 1, "status": "stopped", "answers": [],
     "pack": {"id": "a", "version": "1", "hash": "h"}},
])
def test_bad_session_files(tmp_path: Path, data: object) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SessionFileError):
        load_session(path)
