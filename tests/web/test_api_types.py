"""``POST /api/assess`` takes each answer in the JSON type its question takes (sees ux-t, item
5): ``"age": "35"`` and ``"areas": "shoulder"`` were read as an answers file reads them, and a
program that mixed up its fields got a result for what was guessed. Now a number is a JSON
number, a multiple choice a list, a choice a string (a yes/no a string or true/false): any
other type is a 422 naming the question and the type given, never the value, every problem at
once. Answers files, typed by people, stay lenient (tests/cli)."""

from __future__ import annotations

from typing import Any

import pytest

from triage.conditions.tree import MULTI, SINGLE, YES_NO
from triage.pack.compiled import CompiledPack

from .conftest import Visitor, make_client
from .test_app import THERAPY

# for each type of question: values of another JSON type (each a mistake a program makes)
WRONG: dict[str, list[Any]] = {
    "number": ["35", " 35 ", "35.0", True, [35], {"years": 35}],
    MULTI: ["shoulder", "", True, 1, {"shoulder": True}],
    SINGLE: [["none"], [], 1, True, {"none": 1}],
    YES_NO: [["no"], 0, 1.0, {"no": 1}],
}


def assessed(visitor: Visitor, answers: dict[str, Any]) -> Any:
    return visitor.client.post("/api/assess", json={"answers": answers, "lang": "fr"})


def kind_of(pack: CompiledPack, qid: str) -> str:
    t = pack.question_by_id[qid].type
    return t if t in (MULTI, SINGLE, YES_NO) else "number"


def right_value(pack: CompiledPack, qid: str) -> Any:
    q = pack.question_by_id[qid]
    if q.type == MULTI:
        return []
    if q.type == YES_NO:
        return "no"
    if q.type == SINGLE:
        return q.options[0].id
    return int(q.min if q.min is not None else 0)


@pytest.mark.parametrize("which", ["bundled", "minimal"])  # (minimal: yes/no questions)
def test_every_question_refuses_a_value_of_another_json_type(
        clinical: CompiledPack, minimal_pack: CompiledPack, which: str) -> None:
    pack, base = (clinical, THERAPY) if which == "bundled" else (minimal_pack, {})
    kinds = set()
    with make_client(pack) as client:
        visitor = Visitor(client)
        for q in pack.questions:
            kinds.add(kind_of(pack, q.id))
            for value in WRONG[kind_of(pack, q.id)]:
                response = assessed(visitor, {**base, q.id: value})
                body = response.json()
                assert response.status_code == 422, (q.id, value, body)
                assert body["error"] == "invalid_answers", (q.id, body)
                assert q.id in body["questions"], (q.id, body)
                said = [p for p in body["problems"] if p.startswith(f"{q.id}: ")]
                assert len(said) == 1 and f"'{q.id}' takes " in said[0], said
                given = said[0].split(", not ")[1]  # the type given, never the value
                assert given in ("a string", "true or false", "a list", "an object",
                                 "a number"), said
    assert kinds == set(WRONG) if which == "minimal" else kinds >= {"number", MULTI, SINGLE}


def test_the_types_a_program_sends_are_taken(visitor: Visitor, clinical: CompiledPack) -> None:
    # a number as a JSON number (35.0 too), a yes/no as true/false too, a list as a list
    response = assessed(visitor, {**THERAPY, "age": 35.0, "recent_stroke_signs": "No",
                                  "areas": ["Shoulder"]})
    assert response.status_code == 200, response.text
    assert response.json()["disposition"] == assessed(visitor, THERAPY).json()["disposition"]


def test_a_yes_no_takes_a_string_or_true_or_false(minimal_pack: CompiledPack) -> None:
    with make_client(minimal_pack) as client:
        visitor = Visitor(client)
        for value in ("yes", "No", True, False):
            body = assessed(visitor, {"chest_pain": value}).json()
            assert "chest_pain" not in str(body.get("problems", "")), (value, body)


def test_every_type_problem_is_named_at_once(visitor: Visitor) -> None:
    response = assessed(visitor, {**THERAPY, "age": "35", "areas": "shoulder",
                                  "injury": ["none"], "zzzzzz": 1})
    body = response.json()
    assert response.status_code == 422
    assert body["questions"] == ["age", "areas", "injury", "zzzzzz"]
    assert sorted(body["problems"]) == [
        "age: 'age' takes a JSON number, not a string",
        "areas: 'areas' takes a list of answers, e.g. [\"head\"], not a string",
        "injury: 'injury' takes one answer as a string, e.g. \"none\", not a list",
        "zzzzzz: unknown question 'zzzzzz'",
    ]


@pytest.mark.parametrize("value", ["35", "shoulder"])
def test_an_answers_file_stays_lenient(clinical: CompiledPack, value: str) -> None:
    from triage.engine.answers import check_answers

    qid = "age" if value == "35" else "areas"
    assert not check_answers({**THERAPY, qid: value}, clinical.shapes)[1]
