"""Standard streams as a shell or a locale can leave them: a result is never lost (audit
"inputs" B1, B5, B6).

- A standard output whose codec is not UTF-8 (a Latin-1 or ASCII locale, PYTHONIOENCODING):
  text for people comes out whole, each character the codec lacks spelled the nearest way
  ("cœur" -> "coeur"); JSON is ASCII with \\u escapes (the same data in any locale); CSV
  data is UTF-8, as --out FILE writes it.
- A message after a bug never says "No recommendation was made" below a result.
- A closed standard input reads as empty; a closed standard output is refused up front.

Real processes: the codec, and what Python makes of a closed descriptor, are set at start-up.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli import entry, output
from triage.cli.exitcodes import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from triage.text import nearest

EXAMPLE = (REPO_ROOT / "examples" / "answers.yaml").read_text(encoding="utf-8")
# the example with pain on exertion that is new: the emergency department, and in French
# "peut venir du cœur" ("œ" is not in Latin-1)
ANGINA = EXAMPLE.replace('exertion_pain: "no"', "exertion_pain: new_or_worse")
EMERGENCY = "emergency_signs: [chest_pain]\n"


def run(*args: str, encoding: str | None = None, stdin: bytes | None = None,
        env: dict[str, str] | None = None, cwd: Path | None = None,
        shell_redirect: str = "") -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "PYTHONPATH": str(REPO_ROOT), **(env or {})}
    full.pop("TRIAGE_DEBUG", None)
    if encoding is not None:
        full["PYTHONIOENCODING"] = encoding
    command = [sys.executable, "-m", "triage", *args]
    if shell_redirect:  # a descriptor closed by the shell, as `triage <&-` closes it
        command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
    return subprocess.run(command, input=stdin, capture_output=True, env=full,
                          cwd=cwd or REPO_ROOT, timeout=120)


def answers(tmp_path: Path, text: str) -> str:
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def spelled(text: str, encoding: str) -> str:
    return "".join(nearest(ch, encoding) for ch in text)


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("form", [[], ["--format", "markdown"], ["--caller"]])
@pytest.mark.parametrize("case", ["angina", "emergency"])
def test_a_result_comes_out_whole_on_a_stdout_that_is_not_utf8(
        tmp_path: Path, encoding: str, lang: str, form: list[str], case: str) -> None:
    path = answers(tmp_path, ANGINA if case == "angina" else EMERGENCY)
    args = ["assess", "--answers", path, "--lang", lang, "--no-record", *form]
    reference = run(*args, encoding="utf-8")
    assert reference.returncode == EXIT_OK, reference.stderr
    done = run(*args, encoding=encoding)
    assert done.returncode == EXIT_OK, done.stderr
    # every character there, the ones the codec lacks spelled the nearest way, nothing lost
    assert done.stdout.decode(encoding) == spelled(reference.stdout.decode("utf-8"), encoding)
    if lang == "fr" and case == "angina" and not form:
        assert "du coeur (angine instable)" in done.stdout.decode(encoding)


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_json_is_ascii_and_the_same_data_in_any_locale(tmp_path: Path, encoding: str) -> None:
    path = answers(tmp_path, ANGINA)
    args = ["assess", "--answers", path, "--lang", "fr", "--format", "json", "--no-record"]
    reference, done = run(*args, encoding="utf-8"), run(*args, encoding=encoding)
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == reference.stdout  # the same bytes
    assert done.stdout.isascii() and "cœur" in json.dumps(json.loads(done.stdout)["summary"],
                                                        ensure_ascii=False)


def test_batch_data_on_stdout_is_the_bytes_out_file_writes(tmp_path: Path) -> None:
    """A CSV has no escape: spelled "the nearest way", "Łukasz-1" would be "Lukasz-1", and
    two patients' ids would read the same."""
    rows = tmp_path / "in.csv"
    rows.write_text("id,chest_pain,fall,age,fever,area,problems,blood_thinners\n"
                    "Łukasz-1,no,no,30,no,neck,stiffness,no\n"
                    "Lukasz-1,yes,,,,,,\n", encoding="utf-8")
    for fmt in ("csv", "jsonl"):
        common = ["batch", str(rows), "--pack", str(MINIMAL), "--format", fmt]
        to_file = run(*common, "--out", str(tmp_path / f"o.{fmt}"), encoding="ascii")
        assert to_file.returncode == EXIT_OK, to_file.stderr
        to_stdout = run(*common, "--out", "-", encoding="ascii")
        assert to_stdout.returncode == EXIT_OK, to_stdout.stderr
        assert to_stdout.stdout == (tmp_path / f"o.{fmt}").read_bytes()
        text = to_stdout.stdout.decode("utf-8")
        assert ("Łukasz-1" if fmt == "csv" else "\\u0141ukasz-1") in text


@pytest.mark.parametrize("encoding", ["latin-1", "ascii"])
def test_records_show_comes_out_whole_on_a_stdout_that_is_not_utf8(
        tmp_path: Path, encoding: str) -> None:
    """In the words of the pack it was made with (an edited copy of the bundled one), and by
    id with the line saying why with the pack at hand another (the bundled one): both whole,
    spelled the nearest way."""
    import shutil

    from triage.pack.bundled import default_pack_dir

    edited = tmp_path / "edited"
    shutil.copytree(default_pack_dir(), edited)
    notes = edited / "notes.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("911", "9-1-1", 1),
                     encoding="utf-8")
    saved = run("assess", "--answers", answers(tmp_path, ANGINA), "--lang", "fr", "--record",
                "--caller-ref", "5", "--pack", str(edited))
    assert saved.returncode == EXIT_OK, saved.stderr
    record_id = saved.stderr.decode().strip().splitlines()[-1].split()[-1].rstrip(".")
    for pack in (["--pack", str(edited)], []):
        args = ["records", "show", record_id, *pack]
        reference = run(*args, encoding="utf-8", env={"TRIAGE_LANG": "fr"})
        assert reference.returncode == EXIT_OK, reference.stderr
        done = run(*args, encoding=encoding, env={"TRIAGE_LANG": "fr"})
        assert done.returncode == EXIT_OK, done.stderr
        assert done.stdout.decode(encoding) == spelled(reference.stdout.decode("utf-8"),
                                                       encoding)
        assert "du coeur (angine instable)" in done.stdout.decode(encoding)
        assert (b"by id: the pack at hand" in done.stdout) == (not pack)


def test_the_questionnaire_shows_its_result_on_a_latin1_terminal(tmp_path: Path) -> None:
    """`--resume` of a finished French screening: Enter at the review, Enter to finish."""
    from triage.pack.load import load_pack

    pack = load_pack(None)
    session = tmp_path / "s.json"
    session.write_text(json.dumps({
        "format": "triage-session", "format_version": 1, "status": "in_progress",
        "pack": {"id": pack.id, "version": pack.version, "hash": pack.content_hash},
        "language": "fr", "caller": False,
        "answers": _yaml(ANGINA)}), encoding="utf-8")
    done = run("--resume", str(session), "--lang", "fr", encoding="latin-1",
               stdin=b"\n\n\n", env={"TRIAGE_INTERACTIVE": "1"})
    assert done.returncode == EXIT_OK, done.stderr.decode("latin-1")
    shown = done.stdout.decode("latin-1")
    assert shown.startswith("Résultat : Allez à l'urgence maintenant")
    assert "du coeur (angine instable)" in shown
    assert "internal error" not in done.stderr.decode("latin-1")


def _yaml(text: str) -> dict[str, Any]:
    import yaml

    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def test_a_file_name_in_another_encoding_reaches_a_strict_utf8_stdout(tmp_path: Path) -> None:
    """`validate` names the pack folder on stdout; a folder named in Latin-1 ("pk\\xff") is
    no UTF-8 text: shown escaped, as messages show it, not a UnicodeEncodeError."""
    import shutil

    folder = os.fsdecode(os.fsencode(tmp_path) + b"/pk\xff")
    shutil.copytree(MINIMAL, folder)
    done = run("validate", folder, encoding="utf-8", cwd=tmp_path)
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout.startswith(b"pk\\udcff: OK: pack minimal")


# -- a bug after the result ------------------------------------------------------------------


@pytest.fixture
def no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRIAGE_DEBUG", raising=False)
    monkeypatch.setattr(output, "result_shown", False)


def bug_after(write: str, shown: bool) -> Any:
    def run() -> int:
        sys.stdout.write(write)
        output.result_shown = shown
        raise RuntimeError("a bug")
    return run


@pytest.mark.parametrize(("write", "shown", "said"), [
    ("Call 911 now.\n", True, "The result above stands"),
    ("{\"row\": 1", False, "The output above may be incomplete."),
    ("", False, "No recommendation was made."),
])
@pytest.mark.usefixtures("no_debug")
def test_a_bug_after_a_result_does_not_take_it_back(
        capsys: pytest.CaptureFixture[str], write: str, shown: bool, said: str) -> None:
    assert entry._guarded(bug_after(write, shown)) == EXIT_INTERNAL
    message = capsys.readouterr().err
    assert said in message
    if write:
        assert "No recommendation was made" not in message


def test_a_failed_record_after_a_911_result_says_the_result_stands(tmp_path: Path) -> None:
    """A bug in saving (here: opening the store raises) after "Call 911 now." was shown."""
    shim = ("import sys, triage.records.screening as s\n"
            "def broken(*a, **k):\n    raise RuntimeError('a bug')\n"
            "s.save_screening = broken\n"
            "sys.argv[0] = 'triage'\n"
            "from triage.cli.entry import main\nmain()\n")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    env.pop("TRIAGE_DEBUG", None)
    done = subprocess.run([sys.executable, "-c", shim, "assess", "--answers",
                           answers(tmp_path, EMERGENCY), "--record", "--caller-ref", "3"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "Call 911 now" in done.stdout
    assert done.returncode == EXIT_INTERNAL
    assert "No recommendation was made" not in done.stderr
    assert "The result above stands" in done.stderr, done.stderr


# -- closed streams --------------------------------------------------------------------------


def test_a_closed_stdin_reads_as_empty(tmp_path: Path) -> None:
    questionnaire = run(shell_redirect="<&-")
    assert questionnaire.returncode == EXIT_USAGE, questionnaire.stderr  # no one to ask
    from_stdin = run("assess", "--answers", "-", "--no-record", shell_redirect="<&-")
    assert from_stdin.returncode == EXIT_PROBLEMS, from_stdin.stderr
    assert from_stdin.stderr.startswith(b"<stdin>:1:1: ")
    for done in (questionnaire, from_stdin):
        assert b"internal error" not in done.stderr


@pytest.mark.parametrize("args", [
    ["assess", "--answers", str(REPO_ROOT / "examples" / "answers.yaml"), "--no-record"],
    ["batch", str(REPO_ROOT / "examples" / "answers.yaml"), "--out", "-"],
    ["records", "list"],
])
def test_a_closed_stdout_is_refused_before_anything_is_done(args: list[str]) -> None:
    done = run(*args, shell_redirect=">&-")
    assert done.returncode == EXIT_PROBLEMS
    assert done.stderr == (b"triage: standard output is closed, so a result would be lost: "
                           b"nothing was done.\n")


def test_a_closed_stderr_keeps_the_result() -> None:
    done = run("assess", "--answers", str(REPO_ROOT / "examples" / "answers.yaml"),
               "--no-record", shell_redirect="2>&-")
    assert done.returncode == EXIT_OK
    assert done.stdout.startswith(b"Result: ")
