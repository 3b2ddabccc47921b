"""`--record` with a store that cannot take the record says so before question 1; on a
screen too small for that and question 1 together (patient mode at 80x24 and 40x24; reception
at 40x24) question 1 scrolled it away before it could be read. It now waits for Enter first,
as it does when the introduction leaves question 1's first page no room, and question 1
still keeps "call 911" in sight. Real pseudo-terminals, the screen read as a person sees it
(pyte)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.test_narrow_screen import PROMPTS, Terminal
from tests.cli.test_question_1_911 import _911_in_sight
from triage.i18n import t


def _unusable_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A clinic config whose records would go under a file; what the note says about it."""
    blocker = tmp_path / "records-folder"
    blocker.write_text("a file\n")
    config = tmp_path / "config"
    config.mkdir(mode=0o700)
    (config / "config.toml").write_text(f'store_path = "{blocker}/records.sqlite3"\n')
    monkeypatch.setenv("TRIAGE_CONFIG_DIR", str(config))
    return str(blocker)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(("columns", "mode"), [(80, ()), (40, ()), (40, ("--caller",))])
def test_records_cannot_be_kept_is_on_the_screen_before_question_1(
        columns: int, mode: tuple[str, ...], lang: str, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = _unusable_store(tmp_path, monkeypatch)
    # compared without spaces: a long path is broken where the line ends, not at a space
    note = "".join(t("record_unusable", lang, problem=t("store_not_folder", lang,
                                                       where=blocker)).split())
    term = Terminal(columns, 24, lang, *mode, "--record", cwd=tmp_path)
    try:
        term.settle(lang)
        assert note in "".join(term.text().split()), term.text()
        assert term.at_page_break(lang), term.text()
        term.send("\r")
        for _page in range(6):  # question 1, on as many pages as it takes
            term.settle(lang)
            _911_in_sight(term, lang)
            if not term.at_page_break(lang):
                break
            term.send("\r")
        assert term.cursor_line() in PROMPTS, term.text()  # question 1's
    finally:
        term.close()


def test_a_store_that_can_take_the_record_adds_no_key(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing to read first: question 1 straight after the introduction, as without
    --record."""
    monkeypatch.setenv("TRIAGE_DATA_DIR", str(tmp_path / "data"))
    term = Terminal(80, 24, "en", "--record", cwd=tmp_path)
    try:
        term.settle("en")
        assert not term.at_page_break("en"), term.text()
        assert term.cursor_line() in PROMPTS, term.text()
    finally:
        term.close()
