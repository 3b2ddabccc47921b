"""`triage serve` serves one pack, the one it checked: with `--workers N` each worker loads the
pack again at its own start (uvicorn replaces a worker that died, and all of them on SIGHUP),
and a worker that finds it edited or broken refuses and stops the server. Real server
processes, real HTTP."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.pack.load import load_pack

from .conftest import _free_port

KEY = "one-pack-tests-" + "k" * 40
# the minimal pack's chest pain is "call 911"; the edit makes it a same-day visit
EMERGENCY = "when: chest_pain\n    disposition: emergency\n"
EDITED = "when: chest_pain\n    disposition: same_day\n"
BROKEN = "when: chest_pain\n    disposition: sameday\n"
CHEST_PAIN = {"chest_pain": "yes", "fall": "no", "fever": "no", "age": 40, "area": "neck",
              "problems": ["stiffness"], "blood_thinners": "no"}


def _env(base: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_WEB_")}
    env.update({"TRIAGE_WEB_SECRET": KEY, "TRIAGE_DATA_DIR": str(base / "data"),
                "TRIAGE_CACHE_DIR": str(base / "cache"),
                "TRIAGE_CONFIG_DIR": str(base / "config"), **extra})
    return env


class Server:
    """``python -m triage serve`` with its log (standard error) read as it comes."""

    def __init__(self, base: Path, *options: str, **env: str) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "triage", "serve", "--port", str(self.port), *options],
            env=_env(base, **env), text=True, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for(self, text: str, count: int = 1, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while sum(text in line for line in self.lines) < count:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(self.log())
            time.sleep(0.05)

    def up(self, workers: int = 1) -> Server:
        """Once every worker has loaded its pack (an edit made before would be the one
        they all start with) and /healthz answers."""
        self.wait_for("Application startup complete", workers)
        for _ in range(300):
            try:
                _health(self.port)
                return self
            except OSError:
                time.sleep(0.1)
        raise AssertionError(self.log())

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        return self.log()

    def log(self) -> str:
        return "".join(self.lines)


def _health(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
        return str(json.load(r)["pack"]["hash"])


def _assess(port: int) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/assess", method="POST",
        data=json.dumps({"answers": CHEST_PAIN}).encode(),
        headers={"Content-Type": "application/json", "Connection": "close"})
    with urllib.request.urlopen(request, timeout=5) as r:
        return str(json.load(r)["disposition"])


def _workers(server: Server) -> list[int]:
    """The worker processes: the server's children that run uvicorn (multiprocessing's
    resource tracker is one of its children too)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == server.process.pid \
                and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.parametrize(("edit", "said"), [
    (EDITED, "changed since triage serve checked it"),
    (BROKEN, "has 1 problem since triage serve checked it (the first: "),
], ids=["edited", "broken"])
def test_a_restarted_worker_that_finds_the_pack_edited_stops_the_server(
        tmp_path: Path, edit: str, said: str) -> None:
    """A worker dies after the pack was edited; uvicorn starts another, which would have
    served the edit (one server, two packs: 911 from one worker, same day from the other)
    or, broken, failed with a traceback every 1.5 s for as long as the server ran."""
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    checked = load_pack(pack, use_cache=False).content_hash[:12]
    server = Server(tmp_path, "--workers", "2", "--pack", str(pack)).up(workers=2)
    try:
        workers = _workers(server)
        assert len(workers) == 2
        flags = pack / "red_flags.yaml"
        flags.write_text(flags.read_text().replace(EMERGENCY, edit))
        os.kill(workers[0], signal.SIGKILL)
        seen: set[tuple[str, str]] = set()
        deadline = time.monotonic() + 30
        while server.process.poll() is None and time.monotonic() < deadline:
            with contextlib.suppress(OSError):  # every answer while it stops: the checked pack's
                seen.add((_health(server.port), _assess(server.port)))
            time.sleep(0.05)
        assert server.process.poll() is not None, "the server went on with the edited pack"
    finally:
        log = server.stop()
    assert server.process.returncode == 1
    assert seen <= {(checked, "emergency")}
    refusals = [line for line in log.splitlines() if "refuses to start" in line]
    assert len(refusals) == 1 and said in refusals[0], log  # one line, no crash loop
    if edit is BROKEN:  # where the problem is, as validate says it
        assert f"{pack.name}/red_flags.yaml:" in refusals[0]
    assert "Traceback" not in log
    assert "a worker process found the rule pack changed" in log.splitlines()[-1]


def test_sighup_keeps_the_checked_pack(tmp_path: Path) -> None:
    """SIGHUP restarts every worker: after an edit the new ones refuse, and uvicorn keeps the
    old ones, still serving the pack that was checked."""
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    checked = load_pack(pack, use_cache=False).content_hash[:12]
    server = Server(tmp_path, "--workers", "2", "--pack", str(pack)).up(workers=2)
    try:
        flags = pack / "red_flags.yaml"
        flags.write_text(flags.read_text().replace(EMERGENCY, EDITED))
        os.kill(server.process.pid, signal.SIGHUP)
        server.wait_for("aborting the restart")
        answers = {(_health(server.port), _assess(server.port)) for _ in range(12)}
        assert answers == {(checked, "emergency")}
    finally:
        log = server.stop()
    assert "refuses to start" in log and "Traceback" not in log


def test_one_worker_serves_the_pack_it_checked_without_reading_it_again(
        tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    shutil.copytree(MINIMAL, pack)
    checked = load_pack(pack, use_cache=False).content_hash[:12]
    # WEB_CONCURRENCY would make uvicorn start workers of its own when none is said
    server = Server(tmp_path, "--pack", str(pack), WEB_CONCURRENCY="3").up()
    try:
        assert len(_workers(server)) == 0
        flags = pack / "red_flags.yaml"
        flags.write_text(flags.read_text().replace(EMERGENCY, EDITED))
        assert (_health(server.port), _assess(server.port)) == (checked, "emergency")
    finally:
        server.stop()


def test_a_stray_triage_web_pack_is_the_pack_that_is_checked(tmp_path: Path) -> None:
    """TRIAGE_WEB_PACK (left in the environment) names the pack when --pack does not: that
    pack is checked, not the bundled one, and then served."""
    broken = tmp_path / "broken"
    shutil.copytree(MINIMAL, broken)
    flags = broken / "red_flags.yaml"
    flags.write_text(flags.read_text().replace(EMERGENCY, BROKEN))
    done = subprocess.run([sys.executable, "-m", "triage", "serve", "--port",
                           str(_free_port())], env=_env(tmp_path, TRIAGE_WEB_PACK=str(broken)),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert "red_flags.yaml:" in done.stderr and "'sameday' is not allowed" in done.stderr
    assert "internal error" not in done.stderr

    edited = tmp_path / "edited"
    shutil.copytree(MINIMAL, edited)
    flags = edited / "red_flags.yaml"
    flags.write_text(flags.read_text().replace(EMERGENCY, EDITED))
    server = Server(tmp_path, TRIAGE_WEB_PACK=str(edited)).up()
    try:
        assert _health(server.port) == load_pack(edited, use_cache=False).content_hash[:12]
        assert _assess(server.port) == "same_day"
    finally:
        server.stop()


def test_the_pack_in_triage_web_pack_is_handed_to_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def fake_serve(config: Any, pack: Any, sock: Any, **options: Any) -> bool:
        seen.update(config=config, pack=pack)
        return True

    monkeypatch.setattr("triage.web.server.listening_socket", lambda host, port: None)
    monkeypatch.setattr("triage.web.server.serve", fake_serve)
    monkeypatch.setenv("TRIAGE_WEB_PACK", str(MINIMAL))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert seen["pack"].id == load_pack(MINIMAL).id
    assert seen["config"].pack_dir == MINIMAL
    assert seen["config"].pack_hash == seen["pack"].content_hash


@pytest.mark.parametrize("keys", ["short", f"{'k' * 40},short", f"{'k' * 31}"],
                         ids=["short", "second-short", "31"])
def test_a_short_server_key_is_a_usage_error(tmp_path: Path, keys: str) -> None:
    done = subprocess.run([sys.executable, "-m", "triage", "serve", "--port",
                           str(_free_port())], env=_env(tmp_path, TRIAGE_WEB_SECRET=keys),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "TRIAGE_WEB_SECRET" in done.stderr and "at least 32" in done.stderr
    assert "internal error" not in done.stderr and "short" not in done.stderr
    assert "kkkk" not in done.stderr  # a key is never printed
