"""Problems and their hints: a did-you-mean that a difference of case alone would mislead
(audit finding 12), and paths shown when they cannot be worked out (finding 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.problems import did_you_mean, display_path

IDS = ["stroke_signs", "dvt_signs", "age"]


def test_a_word_in_another_case_is_matched_first() -> None:
    assert did_you_mean("Stroke_Signs", IDS) == " (did you mean 'stroke_signs'?)"
    assert did_you_mean("AGE", IDS) == " (did you mean 'age'?)"


def test_close_words_are_still_suggested() -> None:
    assert did_you_mean("stroke_sign", IDS) == " (did you mean 'stroke_signs'?)"
    assert did_you_mean("zzz", IDS) == ""


def test_a_link_is_shown_as_the_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").symlink_to("elsewhere.yaml")
    Path("loop").symlink_to("loop")
    assert display_path(Path("a.yaml")) == "a.yaml"
    assert display_path(Path("loop") / "x.yaml") == "loop/x.yaml"  # a loop: as given
