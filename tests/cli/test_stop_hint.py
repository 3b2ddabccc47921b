"""The stop message's "To keep them next time, start with: triage --save ..." (ux
walk-through, item 2): after an urgent sign (a stop at the 911 check, or with a warning sign
already told) it is routine and is not said; where it is said, it keeps the options the
person started with (it dropped --lang fr and --record)."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.cli.test_reception_call import invoke
from tests.conftest import MINIMAL
from triage.i18n import t
from triage.render import stops
from triage.render.prompts import Look

PACK = ["--pack", str(MINIMAL)]
YES = {"en": "y", "fr": "o"}


def _said(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("caller", [False, True])
def test_a_stop_at_the_911_check_offers_nothing_routine(lang: str, caller: bool) -> None:
    """Chest pain: yes, then q at "Is that right?": what to do if it is true, nothing else."""
    args = ["assess", *PACK, "--lang", lang, *(["--caller"] if caller else [])]
    done = invoke(args, f"{YES[lang]}\nq\n")
    assert done.exit_code == 130
    said = _said(done.stderr)
    assert "911" in said, said
    assert "--save" not in said and "--resume" not in said, said


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_stop_at_the_911_check_with_save_does_not_offer_to_continue(
        lang: str, tmp_path: Path) -> None:
    saved = tmp_path / "a.json"
    done = invoke(["assess", *PACK, "--lang", lang, "--save", str(saved)],
                  f"{YES[lang]}\nq\n")
    said = _said(done.stderr)
    assert str(saved) in said and "--resume" not in said, said


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_stop_after_a_warning_sign_told_offers_no_next_time(lang: str) -> None:
    look = Look(lang)
    text = _said(stops.stopped(look, known="Known: see a doctor today.\n", urgent=True,
                               again=stops.keep_command(look)))
    assert "--save" not in text and "Known" in text, text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_hint_keeps_the_options_given(lang: str) -> None:
    done = invoke(["assess", *PACK, "--lang", lang, "--record", "--plain"], "n\nq\n")
    assert done.exit_code == 130
    said = _said(done.stderr)
    start = t("stopped_not_saved", lang, command="").strip()
    assert start in said, said
    words = shlex.split(said.split(start, 1)[1])
    words = words[:words.index("--save") + 2]  # the command ends with the file to save in
    assert words[0] == "triage" and words[-1] == t("save_example", lang), words
    for option in (["--lang", lang], ["--record"], ["--plain"], ["--pack", str(MINIMAL)]):
        assert any(words[i:i + len(option)] == option for i in range(len(words))), words
