"""The quick paths (triage.cli.fastpath) and typer's mean the same on any argv: a property over
the options of `assess` and the questionnaire, every value form included (`--opt v`,
`--opt=v`, empty, a value that looks like an option). Whatever the quick path takes, typer's
path, run on the same words, gives the same result; an empty path is refused by both (the
quick path leaves it to typer: exit 2)."""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli import interactive
from triage.cli.app import app
from triage.cli.fastpath import assess_answers, command_words, parse, parse_questionnaire
from triage.cli.questionnaire import run_questionnaire

SAFE = ("chest_pain: no\nfall: no\nfever: no\nage: 40\narea: neck\n"
        "problems: [stiffness]\nblood_thinners: no\n")
CHEST = SAFE.replace("chest_pain: no", "chest_pain: yes")
PATH_OPTIONS = ("--answers", "--pack", "--report", "--save", "--resume")


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder that is itself a pack (the minimal one, chest pain made a same-day
    visit), so an empty --pack read as the working folder gives another result than the
    bundled pack; two answers files and a second pack beside it."""
    base = tmp_path_factory.mktemp("agree")
    here = base / "here"
    shutil.copytree(MINIMAL, here)
    flags = here / "red_flags.yaml"
    flags.write_text(flags.read_text().replace("when: chest_pain\n    disposition: emergency",
                                               "when: chest_pain\n    disposition: same_day"))
    (base / "safe.yaml").write_text(SAFE)
    (base / "chest.yaml").write_text(CHEST)
    return here


def _values(name: str) -> list[str]:
    return {
        "--answers": ["../safe.yaml", "../chest.yaml", "-", ""],
        "--pack": [str(MINIMAL), ".", "", "-x", "--x"],
        "--format": ["text", "json", "markdown", "xml", ""],
        "--lang": ["en", "fr", "de", ""],
        "--report": ["../r.md", "../r.html", "../r.txt", ""],
        "--save": ["../s.json", ""],
        "--resume": ["../s.json", ""],
        "--caller-ref": ["C-1", ""],
    }[name]


FLAGS = ["--plain", "--caller", "--record", "--no-record", "--plain=yes", "--help", "x", ""]


@st.composite
def argvs(draw: st.DrawFn) -> list[str]:
    words = ["assess"] if draw(st.booleans()) else []
    names = ["--answers", "--pack", "--format", "--lang", "--report", "--save", "--resume",
             "--caller-ref"]
    for _ in range(draw(st.integers(0, 6))):
        if draw(st.integers(0, 3)) == 0:
            words.append(draw(st.sampled_from(FLAGS)))
            continue
        name = draw(st.sampled_from(names))
        value = draw(st.sampled_from(_values(name)))
        words += [f"{name}={value}"] if draw(st.booleans()) else [name, value]
    return words


class Asked:
    """Stands for the questionnaire once every check has passed: notes what it would ask
    with (the pack by content hash)."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def __call__(self, pack: Any, out: Any, *, lang_given: bool, save: Path | None,
                 resume: Path | None, recording: bool, **_: Any) -> int:
        self.calls.append((pack.content_hash, out, lang_given, save, resume, recording))
        return 0


@contextlib.contextmanager
def _streams(stdin: bytes) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    data = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    with mock.patch.object(sys, "stdin", data), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        yield out, err


def _empty_path(words: list[str]) -> bool:
    """Whether a path option's value is empty (its last: an option given twice takes the
    last value, as click does)."""
    last: dict[str, str] = {}
    i = 0
    while i < len(words):
        name, eq, value = words[i].partition("=")
        if name in PATH_OPTIONS and not eq and i + 1 < len(words):
            i += 1
            value = words[i]
        if name in PATH_OPTIONS and (eq or value):
            last[name] = value
        elif name in PATH_OPTIONS:
            last[name] = ""
        i += 1
    return "" in last.values()


@pytest.mark.long(10)
@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=argvs())
def test_the_quick_paths_and_typer_agree_on_any_options(place: Path, argv: list[str]) -> None:
    stdin = CHEST.encode()
    words = command_words(argv)
    quick = parse(words)
    ask = parse_questionnaire(words) if quick is None else None
    asked = Asked()
    with contextlib.chdir(place), mock.patch.object(interactive, "interactive", asked), \
            mock.patch.object(interactive, "can_ask", lambda: True):
        typer_run = CliRunner().invoke(app, words, input=stdin)
        typer_asked = list(asked.calls)
        asked.calls.clear()
        if quick is not None:
            with _streams(stdin) as (out, err):
                code = assess_answers(quick)[0]
            assert (code, out.getvalue(), err.getvalue()) == \
                (typer_run.exit_code, typer_run.stdout, typer_run.stderr), words
        elif ask is not None:
            with _streams(stdin) as (out, err):
                code = run_questionnaire(ask)
            assert (code, asked.calls, err.getvalue()) == \
                (typer_run.exit_code, typer_asked, typer_run.stderr), words
    if _empty_path(words):  # "$PACK" with PACK unset: never a pack, file or folder
        assert quick is None and ask is None, words
        if "--help" not in words:  # (help is shown before any value is read)
            # a usage error (this one, or another word's said first): nothing run
            assert typer_run.exit_code == 2 and typer_run.stdout == "", words
            assert not typer_asked, words


@pytest.mark.parametrize("argv", [
    ["assess", "--answers", "../chest.yaml", "--pack", ""],
    ["assess", "--answers", "../chest.yaml", "--pack=", "--format", "json"],
    ["assess", "--answers", "../chest.yaml", "--pack", "", "--record", "--caller-ref", "7"],
    ["assess", "--answers", "../chest.yaml", "--report", ""],
    ["assess", "--answers", ""],
    ["--pack", ""],
    ["assess", "--save", ""],
    ["explain", "--answers", "../chest.yaml", "--pack", ""],
    ["validate", ""],
    ["records", "show", "x", "--pack", ""],
    ["records", "export", "--format", "jsonl", "--out", ""],
    ["batch", "", "--out", "-"],
    ["batch", "../safe.yaml", "--out", ""],
    ["diff", "", "."],
    ["export", "questionnaire", "--out", ""],
])
def test_an_empty_path_is_a_usage_error_through_the_console_script(
        place: Path, argv: list[str]) -> None:
    """The console script, quick paths and all (`--pack "$PACK"` with PACK unset): in a
    folder that holds a pack, it was read as that pack on some paths, as the bundled pack
    on others."""
    import subprocess

    done = subprocess.run([sys.executable, "-c", "from triage.cli.entry import main; main()",
                           *argv], capture_output=True, text=True, check=False, timeout=60,
                          stdin=subprocess.DEVNULL, cwd=place)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "an empty path names no file or folder" in done.stderr
    assert done.stdout == ""
