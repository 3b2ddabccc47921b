"""`assess --answers` without typer (triage.cli.fastpath) behaves exactly like the typer path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.cli.fastpath import assess_answers, parse

SAFE = ("chest_pain: no\nfall: no\nfever: no\nage: 40\narea: neck\n"
        "problems: [stiffness]\nblood_thinners: no\n")


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "a.yaml"
    path.write_text(SAFE)
    return path


@pytest.mark.parametrize("extra", [
    [], ["--plain"], ["--format", "json"], ["--format=markdown", "--lang", "fr"],
    ["--caller", "--lang=en"], ["--no-record"],
])
def test_quick_and_typer_paths_print_the_same(answers: Path, extra: list[str],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["assess", "--answers", str(answers), "--pack", str(MINIMAL), *extra]
    opts = parse(argv)
    assert opts is not None
    code, *_ = assess_answers(opts)
    quick = capsys.readouterr()
    typer_run = CliRunner().invoke(app, argv)
    assert (code, quick.out) == (typer_run.exit_code, typer_run.stdout)


@pytest.mark.parametrize(("content", "expected_code"), [  # the codes the README documents
    ("chest_pain: maybe\n", 1),  # not an answer of a yes/no question
    ("fall: no\n", 3),  # chest pain, a safety question, not answered
])
def test_quick_and_typer_paths_fail_alike(tmp_path: Path, content: str, expected_code: int,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content)
    argv = ["assess", "--answers", str(path), "--pack", str(MINIMAL)]
    opts = parse(argv)
    assert opts is not None
    code, *_ = assess_answers(opts)
    quick = capsys.readouterr()
    typer_run = CliRunner().invoke(app, argv)
    assert (code, quick.err) == (typer_run.exit_code, typer_run.stderr)
    assert code == expected_code


@pytest.mark.parametrize("argv", [
    ["assess"],
    ["assess", "--answers"],
    ["assess", "--answers", "a.yaml", "--help"],
    ["assess", "--answers", "a.yaml", "--record"],
    ["assess", "--answers", "a.yaml", "--caller-ref", "C-1"],
    ["assess", "--answers", "a.yaml", "--save", "s.json"],
    ["assess", "--answers", "a.yaml", "--format", "xml"],
    ["assess", "--answers", "a.yaml", "--lang", "de"],
    ["assess", "--answers", "a.yaml", "--answers", "b.yaml"],
    ["assess", "--answers", "a.yaml", "--plain=yes"],
    ["assess", "--answers", "a.yaml", "--pak", "rules"],
    # an empty value: typer refuses an empty path (exit 2); read here as "not given" it meant
    # the bundled pack where typer's path read the working folder
    ["assess", "--answers", ""],
    ["assess", "--answers", "a.yaml", "--pack", ""],
    ["assess", "--answers", "a.yaml", "--pack="],
    ["assess", "--answers", "a.yaml", "--report", ""],
    ["validate", "--answers", "a.yaml"],
])
def test_anything_unusual_is_left_to_typer(argv: list[str]) -> None:
    assert parse(argv) is None


def test_a_clinic_config_sends_assess_through_typer(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["assess", "--answers", "a.yaml"]
    assert parse(argv) is not None
    config_dir = Path(os.environ["TRIAGE_CONFIG_DIR"])  # this test's own (see conftest)
    config_dir.mkdir(parents=True)
    (config_dir / "config.toml").write_text("record_by_default = true\n")
    assert parse(argv) is None  # the config may ask to record: typer's path does that
    assert parse([*argv, "--no-record"]) is not None


def test_the_console_script_uses_the_quick_path_without_importing_typer(answers: Path) -> None:
    """Nor the code generator: a pack's first calls interpret (CompiledPack.still_cold)."""
    code = ("import sys, runpy\n"
            f"sys.argv = ['triage', 'assess', '--answers', {str(answers)!r}, '--pack', "
            f"{str(MINIMAL)!r}, '--plain']\n"
            "from triage.cli.entry import main\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print('TYPER' if 'typer' in sys.modules else 'NO-TYPER',\n"
            "      'CODEGEN' if 'triage.pack.codegen' in sys.modules else 'NO-CODEGEN', code,\n"
            "      file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False)
    assert result.stdout.startswith("Result: Massage therapy (RMT)")
    assert result.stderr.strip().endswith("NO-TYPER NO-CODEGEN 0")
