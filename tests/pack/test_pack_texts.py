"""Pack texts reach every screen: `validate` refuses control characters in them (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from triage.cli.app import app
from triage.cli.exitcodes import EXIT_PROBLEMS
from triage.pack.load import load_pack
from triage.problems import ProblemsError


@pytest.mark.parametrize("escaped", [r"\e]0;pwned\a", r"\e[2J", r"\x9b31m", r"\u202e",
                                     r"\u0007"])
def test_control_characters_in_pack_texts_are_problems(
        pack_copy: Callable[..., Path], escaped: str) -> None:
    def edit(text: str) -> str:
        start = text.index("text:")
        end = text.index("\n", start)
        return (text[:start] + f'text: {{en: "Chest pain now?{escaped}", fr: "Douleur?"}}'
                + text[end:])

    pack = pack_copy({"questions.yaml": edit})
    result = CliRunner().invoke(app, ["validate", str(pack)])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert "control characters" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    with pytest.raises(ProblemsError):
        load_pack(pack, use_cache=False)


def test_line_breaks_and_tabs_in_texts_are_fine(pack_copy: Callable[..., Path]) -> None:
    def edit(text: str) -> str:
        start = text.index("text:")
        end = text.index("\n", start)
        return (text[:start] + 'text: {en: "Chest pain\\tnow?\\nTell us.", fr: "Douleur?"}'
                + text[end:])

    assert load_pack(pack_copy({"questions.yaml": edit}), use_cache=False)
