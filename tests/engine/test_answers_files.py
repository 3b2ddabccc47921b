"""Answers files: YAML in flow style (``{age: 38}``) is YAML, not broken JSON (audit finding 9);
a ``.json`` file is still read as strict JSON only."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage.engine.answers import read_answers_file
from triage.problems import ProblemsError

FLOW = "{age: 38, areas: [neck, shoulder], fever: no}\n"


@pytest.mark.parametrize("name", ["a.yaml", "a.yml", "a.txt"])
def test_yaml_flow_style_is_read_as_yaml(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(FLOW)
    assert read_answers_file(path) == {"age": 38, "areas": ["neck", "shoulder"],
                                       "fever": "no"}


def test_flow_style_on_standard_input() -> None:
    assert read_answers_file(None, FLOW.encode()) == {"age": 38, "areas": ["neck", "shoulder"],
                                                      "fever": "no"}


def test_a_json_file_is_json_only(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(FLOW)
    with pytest.raises(ProblemsError) as caught:
        read_answers_file(path)
    assert "invalid JSON" in str(caught.value.problems[0])


def test_broken_json_that_is_not_yaml_either_keeps_the_json_message(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text('{"age": 38, "fever": }\n')
    with pytest.raises(ProblemsError) as caught:
        read_answers_file(path)
    assert "invalid JSON" in str(caught.value.problems[0])


def test_a_yaml_file_with_a_flow_mistake_gets_yaml_messages(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("{age: 38, age: 40}\n")
    with pytest.raises(ProblemsError) as caught:
        read_answers_file(path)
    shown = str(caught.value.problems[0])
    assert "duplicate" in shown and "JSON" not in shown
