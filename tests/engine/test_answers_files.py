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


def test_a_json_answer_is_located_at_its_own_key_not_at_the_first_mention() -> None:
    """Audit finding 12: the answer was looked for as the first quoted "age" anywhere in the
    file, here a value on line 2; its key is on line 6 (and the key may be written with
    escapes)."""
    from triage.engine.answers import read_answers_located

    text = ('{\n "id_note": "age",\n "list": [{"age": 1}],\n "object": {"age": 2},\n'
            ' "t\\u0065xt": "\\"age\\": 3",\n "age": 300\n}\n')
    raw, locate = read_answers_located(None, text.encode())
    assert raw["age"] == 300 and raw["text"] == '"age": 3'
    assert locate("age", True) == (6, 2) and locate("age", False) == (6, 9)
    assert locate("text", True) == (5, 2) and locate("text", False) == (5, 15)
    assert locate("unknown", True) == (1, 1)
    # the same under "answers", where an id_note at the top is not an answer
    nested = '{"answers": {\n  "id_note": "age",\n  "age": 300}}'
    _, locate = read_answers_located(None, nested.encode())
    assert locate("age", True) == (3, 3) and locate("age", False) == (3, 10)


def test_a_json_problem_is_reported_at_the_answer(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL
    from triage.cli.fastpath import checked_answers
    from triage.pack.load import load_pack

    path = tmp_path / "a.json"
    path.write_text('{"note": "age", "fever": "no",\n "age": ' + "9" * 39 + "}\n")
    with pytest.raises(ProblemsError) as caught:
        checked_answers(load_pack(MINIMAL), str(path))
    assert [(p.line, p.col, p.message) for p in caught.value.problems] == [
        (1, 2, "note: unknown question 'note'"),
        (2, 9, "age: the answer given is out of range for 'age' (0 to 120)")]


def test_an_item_of_a_list_answer_is_located_at_the_item() -> None:
    """A list answer's items, each where it is written: JSON (read for places only when a
    problem is reported), YAML block and flow style; an item the list does not have, or the
    key, falls back to the answer's own place, as a question with no list does."""
    from triage.engine.answers import read_answers_located

    text = ('{"note": ["x", "y"],\n "areas": [\n  "knee",  {"a": ["b"]},\n  "neck"],\n'
            ' "age": 3}\n')
    _, locate = read_answers_located(None, text.encode())
    assert [locate("areas", False, i) for i in range(3)] == [(3, 3), (3, 12), (4, 3)]
    assert locate("areas", False, 3) == locate("areas", False) == (2, 11)
    assert locate("areas", True, 1) == (2, 2)
    assert locate("age", False, 0) == (5, 9)  # no list there
    nested = '{"answers": {"areas": ["knee", "neck"]}}'
    _, locate = read_answers_located(None, nested.encode())
    assert locate("areas", False, 1) == (1, 32)
    for yaml, where in [("areas:\n  - knee\n  - neck\n", [(2, 5), (3, 5)]),
                        ("areas: [knee, neck]\n", [(1, 9), (1, 15)]),
                        ("answers:\n  areas: [knee,\n    neck]\n", [(2, 11), (3, 5)])]:
        _, locate = read_answers_located(None, yaml.encode())
        assert [locate("areas", False, i) for i in range(2)] == where, yaml
        assert locate("areas", False, 2) == locate("areas", False)
