"""A pack, cache or data folder whose name is not UTF-8 (bytes of another encoding, which
Python holds as surrogates: "pk\\xff") loads, caches and records like any other: it was
"internal error" on every command (audit "inputs" B2)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.exitcodes import EXIT_OK
from triage.pack import cache as pack_cache
from triage.pack.load import load_pack


def latin1_folder(parent: Path, name: bytes) -> Path:
    return Path(os.fsdecode(os.fsencode(parent) + b"/" + name))


def test_such_a_pack_is_cached_and_read_back(tmp_path: Path, private_cache: Path) -> None:
    pack_dir = latin1_folder(tmp_path, b"pk\xff")
    shutil.copytree(MINIMAL, pack_dir)
    built = load_pack(pack_dir)
    assert len(list((private_cache / "packs").iterdir())) == 1  # written, not skipped
    cached = pack_cache.cache_get(built.content_hash, pack_dir)
    assert cached is not None
    assert cached.rules[0].location == built.rules[0].location  # the surrogate came back
    assert "\udcff" in built.rules[0].location.file


def test_screening_and_recording_in_such_folders(tmp_path: Path) -> None:
    pack_dir = latin1_folder(tmp_path, b"pk\xff")
    shutil.copytree(MINIMAL, pack_dir)
    answers = tmp_path / "a.yaml"
    answers.write_text("chest_pain: 'yes'\n")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT),
           "TRIAGE_DATA_DIR": str(latin1_folder(tmp_path, b"d\xff")),
           "TRIAGE_CACHE_DIR": str(latin1_folder(tmp_path, b"c\xe9"))}
    env.pop("TRIAGE_DEBUG", None)
    for _ in range(2):  # a cold start, then a warm one
        done = subprocess.run([sys.executable, "-m", "triage", "assess", "--answers",
                               str(answers), "--pack", str(pack_dir), "--record",
                               "--caller-ref", "3"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == EXIT_OK, done.stderr
        assert done.stdout.startswith("Result: Call 911 now")
        assert "Saved as record" in done.stderr
    listed = subprocess.run([sys.executable, "-m", "triage", "records", "list"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == EXIT_OK and listed.stderr == "2 records.\n"
