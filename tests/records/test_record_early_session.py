"""rec-early in a real terminal (pexpect): reception staff screening a caller with `triage
--caller --record` learn that the record cannot be kept before question 1, not after the
call. Real stores: a file where the records folder should be, a PostgreSQL URL to a port
where nothing listens, and the real test server for the good path; and a store that works
at the start but not at the end, which keeps today's behaviour. The words are checked, never
how long anything takes (the timeout only stops a broken run)."""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.conftest import MINIMAL
from tests.records.conftest import ACTOR, free_port
from triage.folders import default_db_path
from triage.i18n import t
from triage.records import open_store, resolve_settings
from triage.records.postgres_store import PostgresRecordStore

TIMEOUT = 60
SECRET = "s3cret-pw"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
NAMED = re.compile(r"record (\w+) \(triage records show \1\)")


class Call:
    """`triage --caller --record` on the minimal pack in a pseudo-terminal, all it wrote kept."""

    def __init__(self, lang: str = "en", **env: str) -> None:
        full = dict(os.environ, TERM="xterm", LANG="C.UTF-8", TRIAGE_LANG=lang, **env)
        for var in ("NO_COLOR", "TRIAGE_ACCESSIBLE", "TRIAGE_INTERACTIVE"):
            full.pop(var, None)
        self.log = io.StringIO()
        self.child = pexpect.spawn(
            sys.executable, ["-m", "triage", "--pack", str(MINIMAL), "--caller", "--record"],
            env=full, encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 200),
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.child.logfile_read = self.log

    def press(self, keys: str) -> None:
        """At the next prompt, the keys (a person waits for the question to be shown)."""
        self.child.expect_exact("> ")
        time.sleep(0.6)  # an Enter right after a one-key answer is dropped as a habit
        self.child.send(keys)

    def stiff_neck(self) -> None:
        """No warning sign, 30, the neck, stiffness, no blood thinners; the review; Enter."""
        for keys in ("n", "n", "30\r", "n", "1", "1\r", "n", "\r"):
            self.press(keys)

    def emergency(self) -> None:
        """Chest pain, and yes at the check: the result at once."""
        self.press("y")
        self.press("y")

    def end(self, reference: str | None = None) -> int:
        """Enter after the result; the caller reference if asked; the exit code."""
        # the summary's last line, what to book: the keys are above it, on its last page
        self.child.expect("(Book|Rendez-vous à prendre)\xa0?: [^\r]*\r\n")
        time.sleep(0.6)
        self.child.send("\r")
        if reference is not None:
            self.child.expect("Reference for the record")
            self.press(reference + "\r")
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus is not None, self.child.signalstatus
        return int(self.child.exitstatus)

    def said(self) -> str:
        return " ".join(ANSI.sub("", self.log.getvalue()).split())


def in_order(text: str, *parts: str) -> None:
    """Each of ``parts`` is in ``text``, one after the other."""
    at = [text.find(part) for part in parts]
    assert -1 not in at and at == sorted(at), (parts, at, text)


def _before_question_1(call: Call, text: str) -> None:
    call.child.expect(re.escape(text.split(":")[0]))
    call.child.expect("Question 1")
    in_order(call.said(), " ".join(text.split()), "Question 1")


def _told_and_not_saved(call: Call, lang: str, wrong: str, code: int) -> None:
    said = call.said()
    first = " ".join(t("record_unusable", lang, problem=wrong).split())
    last = " ".join(t("record_unusable_after", lang, problem=wrong).split())
    assert code == 4, said
    in_order(said, first, "Question 1", last)
    assert "records show" not in said and "Saved as record" not in said
    assert "Reference for the record" not in said  # for a record that will not be kept
    assert "Traceback" not in said and "internal error" not in said


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_file_where_the_records_folder_should_be(tmp_path: Path, lang: str) -> None:
    blocker = tmp_path / "records-folder"
    blocker.write_text("a file\n")  # fails as root too: no folder can be made under a file
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    (config / "config.toml").write_text(f'store_path = "{blocker}/records.sqlite3"\n')
    call = Call(lang, TRIAGE_CONFIG_DIR=str(config))
    wrong = t("store_not_folder", lang, where=str(blocker))
    _before_question_1(call, t("record_unusable", lang, problem=wrong))
    call.stiff_neck()
    _told_and_not_saved(call, lang, wrong, call.end())
    assert blocker.read_text() == "a file\n"


def test_a_database_server_where_nothing_listens() -> None:
    """An emergency call still gets its 911 instruction; the URL's password is never said."""
    port = free_port()  # closed again: nothing listens there
    call = Call(TRIAGE_DATABASE_URL=f"postgresql://desk:{SECRET}@127.0.0.1:{port}/triage")
    wrong = t("store_unreachable", "en", where=f"postgresql://desk:***@127.0.0.1:{port}/triage")
    _before_question_1(call, t("record_unusable", "en", problem=wrong))
    call.emergency()
    call.child.expect("call 911")
    _told_and_not_saved(call, "en", wrong, call.end())
    assert SECRET not in call.log.getvalue()


@pytest.mark.long(9)
def test_the_real_server_keeps_the_record_the_summary_names(pg_url: str) -> None:
    call = Call(TRIAGE_DATABASE_URL=pg_url)
    call.child.expect("Question 1")
    call.stiff_neck()
    assert call.end(reference="C-9") == 0
    said = call.said()
    assert "Records cannot be kept" not in said, said
    named = NAMED.search(said)
    saved = re.search(r"Saved as record (\w+)\.", said)
    assert named and saved and named[1] == saved[1], said
    with PostgresRecordStore(pg_url, actor=ACTOR) as store:
        record = store.get(saved[1])
        assert record is not None and record.caller_ref == "C-9"
        assert store.count() == 1  # the check before question 1 added nothing


@pytest.mark.long(8)
def test_a_store_that_fails_only_at_the_end_says_so_as_before() -> None:
    """It took a record at the start (the summary names the record); gone by the end (a file
    put where its folder was): today's words, that there is no such record, exit 4."""
    call = Call()
    call.child.expect("Question 1")
    folder = default_db_path().parent
    assert folder.is_dir()  # made by the check, empty of records
    shutil.rmtree(folder)
    folder.write_text("a file\n")
    call.stiff_neck()
    code = call.end(reference="C-5")
    said = call.said()
    named = NAMED.search(said)
    assert named, said
    assert f"The result above was NOT saved (there is no record {named[1]})." in said
    assert "Records cannot be kept" not in said and code == 4
    folder.unlink()
    with open_store(resolve_settings()) as store:
        assert store.count() == 0
