"""Thousands of unknown keys cost no more than reading them (audit "inputs" D1): a 1 MB
answers file of 70,000 unknown keys took 20 s, a 64 KB web form 0.38 s of the server's one
event loop. A did-you-mean compares a key with every question id: the first few only; and
each problem's line is found without counting the lines again for each one."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from triage.batch.screening import Screener
from triage.cli.fastpath import located_answers
from triage.engine import answers as answers_module
from triage.engine.answers import SUGGESTED_KEYS, check_answers
from triage.pack.compiled import CompiledPack
from triage.problems import ProblemsError, closest, did_you_mean
from triage.render import problems_text


@pytest.fixture
def suggestions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []

    def counted(word: str, candidates: Any) -> str:
        made.append(word)
        return did_you_mean(word, candidates)

    def counted_closest(word: str, candidates: Any) -> str:  # (answers say it in any language)
        made.append(word)
        return closest(word, candidates)
    monkeypatch.setattr(answers_module, "closest", counted_closest)
    monkeypatch.setattr("triage.batch.screening.did_you_mean", counted)
    return made


def test_only_the_first_unknown_keys_get_a_did_you_mean(pack: CompiledPack,
                                                        suggestions: list[str]) -> None:
    raw = {f"fevr{i}": "yes" for i in range(3000)}
    _, problems = check_answers(raw, pack.shapes)
    assert len(problems) == 3000  # every one named
    assert len(suggestions) == SUGGESTED_KEYS
    assert problems[0] == ("fevr0", "unknown question 'fevr0' (did you mean 'fever'?)")
    assert problems[-1] == ("fevr2999", "unknown question 'fevr2999'")


def test_batch_rows_share_the_budget(pack: CompiledPack, suggestions: list[str]) -> None:
    screener = Screener(pack)
    for row in range(3):
        result = screener.screen_mapping(row + 1, {f"fevr{i}": "yes" for i in range(100)})
        assert result.error is not None and "(did you mean 'fever'?)" in result.error
    assert len(suggestions) == SUGGESTED_KEYS  # the same names again: remembered


def test_70000_unknown_keys_on_one_line_are_read_and_placed_quickly(
        pack: CompiledPack, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    source = json.dumps({f"k{i}": 1 for i in range(70_000)}, separators=(",", ":"))
    path.write_text(source)
    started = time.process_time()
    with pytest.raises(ProblemsError) as caught:
        located_answers(pack, str(path))
    text = problems_text(caught.value.problems)
    spent = time.process_time() - started
    assert len(caught.value.problems) == 70_000
    assert text.splitlines()[-1] == f"{path}:1:{source.index('k69999')}: k69999: unknown " \
                                    "question 'k69999'"  # (its quote: 1-based, one before)
    assert spent < 5, f"{spent:.1f} s of CPU (it was 12 s)"


def test_problems_are_placed_on_their_lines(pack: CompiledPack, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{\n  "fevr": "yes",\n\n    "chest_pan": "no", "x": 1\n}\n')
    with pytest.raises(ProblemsError) as caught:
        located_answers(pack, str(path))
    assert [(p.line, p.col) for p in caught.value.problems] == [(2, 3), (4, 5), (4, 24)]
