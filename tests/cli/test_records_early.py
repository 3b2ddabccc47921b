"""rec-early: reception staff learn that the record cannot be kept before the call, not after
it. `--record` (or the clinic's record_by_default) checks the store before the first
question, or before an answers file's result: what is wrong and where is said at once, in
the session's language, the screening goes on, the summary names no record, and the end
says again that nothing was saved (exit 4). Real stores: a file where the records folder
should be (fails as root too), a PostgreSQL URL to a port where nothing listens, a database
of a newer schema, a clinic config that cannot be read. The interactive flow in a real
terminal: tests/records/test_record_early_session.py."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_INTERRUPTED, EXIT_NOT_SAVED
from triage.folders import config_path, default_db_path
from triage.i18n import t
from triage.records import LATEST_VERSION, open_store, resolve_settings

pytestmark = pytest.mark.usefixtures("own_store")

STIFF_NECK = str(REPO_ROOT / "examples" / "answers.yaml")
# the minimal pack's stiff neck, typed as lines: then Enter at the review and at the result
TYPED_NECK = "n\nn\n30\nn\n1\n1\nn\n\n\n"
SECRET = "s3cret-pw"


def invoke(args: list[str], text: str | None = None) -> Result:
    return CliRunner().invoke(app, args, input=text, env={"TRIAGE_INTERACTIVE": "1"})


def said(text: str) -> str:
    return " ".join(text.split())


def in_order(text: str, *parts: str) -> None:
    """Each of ``parts`` is in ``text``, one after the other."""
    at = [text.find(part) for part in parts]
    assert -1 not in at and at == sorted(at), (parts, at, text)


def problem(key: str, lang: str, where: str) -> str:
    return t(key, lang, where=where)


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    """The clinic's store_path under a regular file: no folder can be made there (not even
    by root, whom a read-only mode would not stop)."""
    blocker = tmp_path / "records-folder"
    blocker.write_text("a file, where the records folder should be\n")
    assert invoke(["config", "set", "store_path",
                   str(blocker / "records.sqlite3")]).exit_code == 0
    return blocker


def assert_told_first_and_last(result: Result, lang: str, wrong: str, *,
                               answers: bool) -> None:
    """Said before anything else (the result, the first question), again after the result;
    exit 4; the summary names no record; no traceback."""
    first = t("record_unusable_answers" if answers else "record_unusable", lang, problem=wrong)
    last = t("record_unusable_after", lang, problem=wrong)
    assert result.exit_code == EXIT_NOT_SAVED, result.output
    in_order(said(result.stderr), said(first), said(last))
    # stdout and stderr as a person sees them: the problem before the result
    in_order(said(result.output), said(first), said(result.stdout)[:40])
    assert "records show" not in result.stdout and "Saved as record" not in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_answers_with_a_file_in_the_way_of_the_folder(blocked: Path, lang: str) -> None:
    result = invoke(["assess", "--answers", STIFF_NECK, "--caller", "--record",
                     "--caller-ref", "C-1", "--lang", lang])
    assert_told_first_and_last(result, lang, problem("store_not_folder", lang, str(blocked)),
                               answers=True)
    assert t("caller_lists_again", lang) in said(result.stdout)  # the summary, in full
    assert blocked.is_file()  # left as it was


def test_answers_with_a_database_server_that_does_not_answer() -> None:
    """A port where nothing listens; the URL's password is never said."""
    url = f"postgresql://desk:{SECRET}@127.0.0.1:1/triage"
    result = CliRunner().invoke(app, ["assess", "--answers", STIFF_NECK, "--caller",
                                         "--record", "--caller-ref", "C-2"],
                                env={"TRIAGE_DATABASE_URL": url})
    masked = "postgresql://desk:***@127.0.0.1:1/triage"
    assert_told_first_and_last(result, "en", problem("store_unreachable", "en", masked),
                               answers=True)
    assert SECRET not in result.output


def test_answers_with_a_database_of_a_newer_schema() -> None:
    settings = resolve_settings()
    with open_store(settings) as store:
        store.check_can_add()
    with sqlite3.connect(default_db_path()) as raw:
        raw.execute("INSERT INTO triage_schema_version (version, applied_at, tool_version) "
                    f"VALUES ({LATEST_VERSION + 1}, '2030-01-01T00:00:00.000000Z', '9.9.9')")
    raw.close()
    result = invoke(["assess", "--answers", STIFF_NECK, "--record", "--lang", "fr"])
    assert_told_first_and_last(result, "fr",
                               problem("store_schema", "fr", str(default_db_path())),
                               answers=True)


def test_a_clinic_config_that_cannot_be_read_is_said_first() -> None:
    """record_by_default cannot be known: recorded as before (which fails), said first, the
    file by its path and what is wrong in it."""
    config_path().parent.mkdir(parents=True)
    config_path().write_text("record_by_default = maybe\n")
    result = invoke(["assess", "--answers", STIFF_NECK])
    assert result.exit_code == EXIT_NOT_SAVED
    first = said(result.stderr).split(". ")[0]
    assert str(config_path()) in first and "not valid TOML" in first, first
    assert "(at line 1, column 21)" in result.stderr


def test_the_questionnaire_says_it_before_question_1_and_asks_no_reference(
        blocked: Path) -> None:
    """Line input (the terminal's keys: test_record_early_session.py): the store is checked
    before question 1, the questions go on, the summary names no record, no reference is
    asked for a record that will not be kept, and the end says it again: exit 4."""
    result = invoke(["assess", "--pack", str(MINIMAL), "--caller", "--record"], TYPED_NECK)
    wrong = problem("store_not_folder", "en", str(blocked))
    assert_told_first_and_last(result, "en", wrong, answers=False)
    stderr = said(result.stderr)
    in_order(stderr, said(t("record_unusable", "en", problem=wrong)), "Question 1")
    assert "Reference for the record" not in stderr
    assert result.stdout.startswith(t("caller_summary", "en"))


def test_a_stop_before_the_result_says_nothing_was_recorded(blocked: Path) -> None:
    result = invoke(["assess", "--pack", str(MINIMAL), "--record", "--lang", "fr"], "n\nq\n")
    assert result.exit_code == EXIT_INTERRUPTED
    wrong = problem("store_not_folder", "fr", str(blocked))
    in_order(said(result.stderr), said(t("record_unusable", "fr", problem=wrong)),
             "Question 1", said(t("nothing_recorded", "fr")))


def test_without_record_the_first_question_imports_no_store_code() -> None:
    """No --record and no clinic config: nothing is checked, nothing of the store is
    imported before question 1; with --record it is, and the store is made (empty)."""
    code = ("import sys\n"
            "from triage.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print('STORE' if any(m.startswith('triage.records') for m in sys.modules)"
            " else 'NO-STORE', file=sys.stderr)\n")
    env = dict(os.environ, TRIAGE_INTERACTIVE="1")

    def first_question(*flags: str) -> str:
        done = subprocess.run([sys.executable, "-c", code, "--pack", str(MINIMAL), *flags],
                              input="", capture_output=True, text=True, env=env, check=False)
        assert "Question 1" in done.stderr, done.stderr
        return done.stderr.strip().splitlines()[-1]

    assert first_question() == "NO-STORE"
    assert not default_db_path().exists()
    assert first_question("--record") == "STORE"
    with open_store(resolve_settings()) as store:
        assert store.count() == 0 and store.audit_log() == []
