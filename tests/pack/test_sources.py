"""A pack's files: nothing that looks like a pack file is passed over in silence (audit
finding 3: a red-flag file behind a broken link made chest pain a massage)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from triage.cli.app import app
from triage.pack.load import load_pack
from triage.pack.sources import read_pack_files
from triage.problems import ProblemsError


def _copy(tmp_path: Path) -> Path:
    pack = tmp_path / "pk"
    shutil.copytree(REPO_ROOT / "rules", pack)
    return pack


def _dangling(pack: Path) -> None:
    (pack / "red_flags.yaml").unlink()
    (pack / "red_flags.yaml").symlink_to("nowhere.yaml")


def _loop(pack: Path) -> None:
    (pack / "red_flags.yaml").unlink()
    (pack / "red_flags.yaml").symlink_to("loop.yaml")
    (pack / "loop.yaml").symlink_to("red_flags.yaml")


def _upper(pack: Path) -> None:
    (pack / "red_flags.yaml").rename(pack / "red_flags.YAML")


def _subfolder(pack: Path) -> None:
    (pack / "more").mkdir()
    (pack / "red_flags.yaml").rename(pack / "more" / "red_flags.yml")


def _fifo(pack: Path) -> None:
    os.mkfifo(pack / "extra.yaml")


def _folder(pack: Path) -> None:
    (pack / "extra.yaml").mkdir()


def _tests_subfolder(pack: Path) -> None:
    (pack / "tests" / "old").mkdir()
    (pack / "tests" / "old" / "cases.yaml").write_text("cases: []\n")


@pytest.mark.parametrize("spoil, where, says", [
    (_dangling, "pk/red_flags.yaml", "a link to a file that does not exist"),
    (_loop, "pk/red_flags.yaml", "cannot read the file"),
    (_upper, "pk/red_flags.YAML", "lower case"),
    (_subfolder, "pk/more", "a folder of YAML files that is not read"),
    (_fifo, "pk/extra.yaml", "not a regular file"),
    (_folder, "pk/extra.yaml", "a folder named like a pack file"),
    (_tests_subfolder, "pk/tests/old", "a folder of YAML files that is not read"),
])
def test_a_yaml_entry_that_is_not_read_is_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spoil: Callable[[Path], None],
        where: str, says: str) -> None:
    monkeypatch.chdir(tmp_path)
    pack = _copy(tmp_path)
    spoil(pack)
    with pytest.raises(ProblemsError) as caught:
        read_pack_files(Path("pk"))
    shown = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"{where}:1:1: ") and says in p for p in shown), shown


def test_validate_and_assess_refuse_a_pack_missing_its_red_flags(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    pack = _copy(tmp_path)
    shutil.rmtree(pack / "tests")
    _dangling(pack)
    runner = CliRunner()
    validated = runner.invoke(app, ["validate", "pk"])
    assert validated.exit_code == 1, validated.output
    assert "pk/red_flags.yaml:1:1: a link to a file that does not exist" in validated.output
    chest = tmp_path / "chest.json"
    chest.write_text('{"emergency_signs": ["chest_pain"]}')
    assessed = runner.invoke(app, ["assess", "--pack", "pk", "--answers", str(chest)])
    assert assessed.exit_code == 1, assessed.output
    assert "Massage" not in assessed.output


def test_other_entries_are_not_pack_files(tmp_path: Path) -> None:
    """A README, hidden folders and non-YAML folders are a pack's own business."""
    pack = _copy(tmp_path)
    (pack / "README.md").write_text("notes\n")
    (pack / "docs").mkdir()
    (pack / "docs" / "a.txt").write_text("x\n")
    (pack / ".git").mkdir()
    (pack / ".git" / "config.yaml").write_text("x: 1\n")
    assert load_pack(pack, use_cache=False).id == load_pack(REPO_ROOT / "rules",
                                                            use_cache=False).id


def test_a_pack_folder_that_is_a_link_loop_is_named(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("loop1").symlink_to("loop2")
    Path("loop2").symlink_to("loop1")
    result = CliRunner().invoke(app, ["validate", "loop1"])
    assert result.exit_code == 1
    assert result.output.startswith("loop1:1:1: cannot read the rule pack folder: ")
