"""``ask_if`` as FHIR skip logic means what the engine means.

Every item's enableWhen (read as the FHIR specification defines its operators) or
enableWhenExpression (run by fhirpathpy, a port of the fhirpath.js that LHC-Forms uses,
with the R4 and R5 models) is compared with the engine's own reading of ``ask_if``:
on every step of every path the bundled pack's cases and the vignettes (every
tests/vignettes/*.yaml) take, in R5 and in R4, each step's exported QuestionnaireResponse
valid against HL7's official schema of its version; and on random answers to test packs whose
conditions use every construct of the condition language.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fhirpathpy import compile as compile_fhirpath
from fhirpathpy.models import models
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, REPO_ROOT
from tests.interop.fhir_support import ResponsesChecked, fhir_enabled, response_values
from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO,
    And,
    Answer,
    Compare,
    Cond,
    Count,
    Has,
    Is,
    Not,
    Number,
    Or,
    Sum,
    questions_read,
)
from triage.conditions.truth import State, truth
from triage.engine.answers import check_answers
from triage.engine.evaluate import question_states
from triage.interop.fhir import (
    ENABLE_WHEN_EXPRESSION,
    NOTICE_PREFIX,
    Canon,
    emergency_notices,
    enable_when,
    fhirpath,
    notice_condition,
    questionnaire,
    questionnaire_response,
    simplified,
)
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.yamlio import load_yaml_file

CANON = Canon("minimal")
WHEN = datetime(2026, 11, 26, 14, 30, tzinfo=UTC)


def generated_pack(tmp_path: Path) -> CompiledPack:
    """The minimal pack with conditions enableWhen can say, and ones only FHIRPath can:
    negations, counts, sums of numbers, decimals, all-of inside any-of."""
    root = tmp_path / "pack"
    shutil.copytree(MINIMAL, root)
    questions = root / "questions.yaml"
    text = questions.read_text(encoding="utf-8")
    blood = "fr: Prenez-vous des anticoagulants?}\n    type: yes_no\n"
    assert blood in text and 'ask_if: {question: area, op: "==", value: low_back}' in text
    assert "ask_if: fall\n" in text
    text = text.replace(blood, blood + '    ask_if: "age >= 18 and area != knee"\n')
    text = text.replace('ask_if: {question: area, op: "==", value: low_back}',
                        'ask_if: "count(worry, fever, strain not in problems, stiffness in '
                        'problems, after_surgery in problems) >= 2 or '
                        '(not fall and sum(age, fever, 3) > 40.5)"')
    text = text.replace("ask_if: fall\n",
                        'ask_if: "(fall and age < 65) or (chest_pain and area in [neck, knee]) '
                        'or (fever and (strain in problems or stiffness in problems))"\n')
    questions.write_text(text, encoding="utf-8")
    return load_pack(root, use_cache=False)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> list[CompiledPack]:
    return [load_pack(MINIMAL, use_cache=False),
            generated_pack(tmp_path_factory.mktemp("fhir"))]


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(None, use_cache=False)


# --------------------------------------------------------------------------- shapes


@pytest.mark.parametrize(("cond", "expected"), [
    (Is("area", frozenset({"neck", "knee"})),
     ([("area", "=", "area.neck"), ("area", "=", "area.knee")], "any")),
    (Or((Is("fall", frozenset({"yes"})), Compare("<", Number(18.0), Answer("age")))),
     ([("fall", "=", True), ("age", ">", 18)], "any")),
    (Has("problems", "strain", negate=True),
     ([("problems", "exists", True), ("problems", "!=", "problems.strain")], "all")),
    (Compare("!=", Answer("age"), Number(40.0)),
     ([("age", "exists", True), ("age", "!=", 40)], "all")),
    (Compare("==", Answer("age"), Number(40.0)), ([("age", "=", 40)], None)),
    # count(...) >= 1 is an any-of
    (Compare(">=", Count((Is("fall", frozenset({"yes"})), Has("problems", "strain"))),
             Number(1.0)),
     ([("fall", "=", True), ("problems", "=", "problems.strain")], "any")),
    (Compare("<=", Number(1.0), Count((Has("problems", "strain"),))),
     ([("problems", "=", "problems.strain")], None)),
])
def test_enable_when_shapes(pack: CompiledPack, cond: Any,
                            expected: tuple[list[tuple[str, str, Any]], str | None]) -> None:
    found = enable_when(pack, CANON, cond)
    assert found is not None
    clauses, behavior = found

    def short(c: dict[str, Any]) -> tuple[str, str, Any]:
        value = next(v for k, v in c.items() if k.startswith("answer"))
        return c["question"], c["operator"], value["code"] if isinstance(value, dict) else value

    assert ([short(c) for c in clauses], behavior) == expected


@pytest.mark.parametrize("cond", [
    Not(Is("fall", frozenset({"yes"}))),
    Compare(">=", Count((Is("fall", frozenset({"yes"})),)), Number(2.0)),
    Or((And((Is("fall", frozenset({"yes"})), Is("fever", frozenset({"yes"})))),
        Is("chest_pain", frozenset({"yes"})))),
    And((Is("area", frozenset({"neck", "knee"})), Is("fall", frozenset({"yes"})))),
    Compare(">", Answer("age"), Number(17.5)),  # a whole-number question vs 17.5
])
def test_conditions_enable_when_cannot_say_go_to_fhirpath(pack: CompiledPack,
                                                          cond: Any) -> None:
    assert enable_when(pack, CANON, cond) is None
    assert "%resource.item.where(linkId" in fhirpath(pack, cond)


def test_simplified_flattens_and_reads_counts_as_any_of() -> None:
    a, b, c = (Is(q, frozenset({"yes"})) for q in ("a", "b", "c"))
    assert simplified(And((a, And((b, c))))) == And((a, b, c))
    assert simplified(Or((a,))) == a
    assert simplified(Compare(">", Count((a, b)), Number(0.0))) == Or((a, b))
    assert simplified(Compare("!=", Count((a, b)), Number(0.0))) == Or((a, b))
    kept = Compare(">=", Count((a, b)), Number(2.0))
    assert simplified(kept) == kept


def test_fhirpath_text(pack: CompiledPack) -> None:
    values = "%resource.item.where(linkId = '{}').answer.value"
    assert fhirpath(pack, Has("problems", "strain", negate=True)) == (
        f"({values.format('problems')}.exists() and "
        f"({values.format('problems')}.code contains 'problems.strain').not())")
    assert fhirpath(pack, Compare("<", Answer("age"), Number(65.0))) == (
        f"({values.format('age')}.exists() and {values.format('age')}.first() < 65)")
    # an absent number counts 0 in a sum
    assert fhirpath(pack, Compare(">", Sum((Answer("age"), Number(2.5))), Number(3.0))) == (
        f"((iif({values.format('age')}.exists(), {values.format('age')}.first(), 0) + 2.5) > 3)")


# --------------------------------------------------------------------------- agreement


class SkipLogic:
    """The FHIR reading of every item's skip logic in one pack's Questionnaire."""

    def __init__(self, pack: CompiledPack, version: str = "R5") -> None:
        self.pack, self.version = pack, version
        self.validate = False  # whether each exported response is checked by the schema
        self.validated: set[str] = set()  # the exported responses already schema-checked
        self.exported: set[str] = set()  # the distinct exports of the paths read since reset
        self.checked = ResponsesChecked(version)  # their parts, each distinct one once
        self.items = {i["linkId"]: i for i in questionnaire(pack, fhir_version="R5"
                                                            if version == "R5" else "R4")["item"]}
        self.expressions: dict[str, Callable[..., list[Any]]] = {}
        # what enables each item: a question's ask_if, a notice's emergency red flags
        self.conditions: dict[str, Cond] = {
            q.id: q.ask_if for q in pack.questions if q.ask_if is not None}
        self.notices = {f"{NOTICE_PREFIX}{qid}": rules
                        for qid, rules in emergency_notices(pack).items()}
        self.conditions.update({link_id: notice_condition(rules)
                                for link_id, rules in self.notices.items()})
        # an expression's result depends only on the answers its condition reads: each
        # distinct set of those is run once (FHIRPath in Python is slow), and the engine's
        # reading of the same condition with it
        self.reads = {link_id: questions_read(cond) for link_id, cond in self.conditions.items()}
        self.seen: dict[tuple[str, tuple[tuple[str, Any], ...]], bool] = {}
        self.engine_seen: dict[tuple[str, tuple[tuple[str, Any], ...]], bool] = {}
        for link_id, item in self.items.items():
            for ext in item.get("extension", []):
                if ext["url"] == ENABLE_WHEN_EXPRESSION:
                    self.expressions[link_id] = compile_fhirpath(
                        ext["valueExpression"]["expression"], models[version.lower()])

    def key(self, link_id: str, applicable: dict[str, Any],
            ) -> tuple[str, tuple[tuple[str, Any], ...]]:
        """``link_id`` and the answers its condition reads (all either reading depends on)."""
        return link_id, tuple(sorted((q, applicable[q]) for q in self.reads[link_id]
                                     if q in applicable))

    def engine(self, link_id: str, applicable: dict[str, Any]) -> bool:
        """The engine's reading: the item's ask_if holds, or one of the notice's red flags."""
        key = self.key(link_id, applicable)
        if key not in self.engine_seen:
            state = State(applicable, frozenset(), self.pack.shapes)
            if link_id in self.notices:
                found = any(truth(r.when, state) is True for r in self.notices[link_id])
            else:
                found = engine_enabled(self.pack, link_id, applicable)
            self.engine_seen[key] = found
        return self.engine_seen[key]

    def enabled(self, link_id: str, response: dict[str, Any],
                applicable: dict[str, Any]) -> bool:
        expression = self.expressions.get(link_id)
        if expression is None:
            return fhir_enabled(self.items[link_id], response_values(response))
        reads = self.reads[link_id]
        key = self.key(link_id, applicable)
        if key not in self.seen:
            # only the items the expression reads: the same result, much faster
            items = [i for i in response.get("item", []) if i["linkId"] in reads]
            response = {**response, "item": items}
            result = expression(response, {"resource": response})
            assert result in ([True], [False]), (link_id, result)  # never empty or several
            self.seen[key] = bool(result[0])
        return self.seen[key]


def engine_enabled(pack: CompiledPack, link_id: str, applicable: dict[str, Any]) -> bool:
    q = pack.question_by_id[link_id]
    if q.ask_if is None:
        return True
    # the form is as filled: anything without an answer is not answered
    return truth(q.ask_if, State(applicable, frozenset(), pack.shapes)) is True


def disagreements(logic: SkipLogic, answers: dict[str, Any]) -> list[str]:
    pack = logic.pack
    normal, problems = check_answers(answers, pack.shapes)
    assert not problems
    applicable = question_states(pack, normal).applicable
    response = questionnaire_response(pack, applicable, WHEN,
                                      fhir_version="R5" if logic.version == "R5" else "R4")
    if logic.validate:  # each distinct export once (many paths share their first steps)
        key = json.dumps(response, sort_keys=True)
        if key not in logic.validated:
            logic.checked.valid(response)
            logic.validated.add(key)
        logic.exported.add(key)
    found = [f"{q.id}: FHIR {not e}, engine {e}" for q in pack.questions
             if q.ask_if is not None
             and logic.enabled(q.id, response, applicable)
             != (e := logic.engine(q.id, applicable))]
    for link_id in logic.notices:  # "call 911" exactly when a red flag holds
        fired = logic.engine(link_id, applicable)
        if logic.enabled(link_id, response, applicable) != fired:
            found.append(f"{link_id}: FHIR {not fired}, engine {fired}")
    return found


def path_steps(pack: CompiledPack, answers: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every state of the form along the path the answers take: the answers to questions
    that apply, one more at a time, in the order they are asked."""
    normal, _ = check_answers(answers, pack.shapes)
    applicable = question_states(pack, normal).applicable
    order = [q.id for q in pack.questions if q.id in applicable]
    for k in range(len(order) + 1):
        yield {qid: applicable[qid] for qid in order[:k]}


VIGNETTES = REPO_ROOT / "tests" / "vignettes"


def vignette_answers(pack: CompiledPack) -> list[tuple[str, dict[str, Any]]]:
    """(file:id, answers) of every vignette in every *.yaml under tests/vignettes."""
    found = []
    for path in sorted(VIGNETTES.glob("*.yaml")):
        doc, problems = load_yaml_file(path)
        assert doc is not None and not problems, (path.name, problems)
        for vignette in doc.data["vignettes"]:
            found.append((f"{path.name}:{vignette['id']}", dict(vignette["answers"])))
    return found


# the paths in this many parts, each a test of its own: pytest-xdist runs them on several
# workers at once (one test a version took 2-4 minutes, FHIRPath in Python being slow)
PARTS = 3
_VALIDATING: dict[str, SkipLogic] = {}  # a version's reading, shared by its parts on a worker


@pytest.mark.parametrize("part", range(PARTS))
@pytest.mark.parametrize("version", ["R5", "R4"])
def test_fhir_skip_logic_agrees_with_the_engine_on_every_case_and_vignette_path(
        clinical: CompiledPack, version: str, part: int) -> None:
    """Every step of every path, in both versions (the same expressions, another model), each
    step's export valid against the official schema of its version."""
    if version not in _VALIDATING:
        _VALIDATING[version] = SkipLogic(clinical, version)
        _VALIDATING[version].validate = True
    logic = _VALIDATING[version]
    # everything enableWhen cannot say is FHIRPath (a few questions and notices)
    assert {"spine_injury", "can_walk_4_steps", "first_time"} <= set(logic.expressions)
    vignettes = vignette_answers(clinical)
    assert len(vignettes) >= 60
    paths = [(f"case {c.id}", dict(c.answers)) for c in clinical.cases] + vignettes
    # consecutive paths in a part: neighbours share steps, each exported and read once
    share = paths[part * len(paths) // PARTS:(part + 1) * len(paths) // PARTS]
    steps, logic.exported = 0, set()
    for name, answers in share:
        for step in path_steps(clinical, answers):
            found = disagreements(logic, step)
            assert not found, (name, step, found)
            steps += 1
    # 191 cases and about 500 vignettes, a dozen steps each
    assert steps > 2500 // PARTS
    assert len(logic.exported) > 1000 // PARTS  # distinct exports, each valid
    # many paths end with a notice to call 911
    assert sum(c.expect == "emergency" for c in clinical.cases) > 20


def answer_values(pack: CompiledPack) -> st.SearchStrategy[dict[str, Any]]:
    def one(qid: str) -> st.SearchStrategy[Any]:
        shape = pack.shapes[qid]
        if shape.type == YES_NO:
            return st.sampled_from(["yes", "no"])
        if shape.type == SINGLE:
            return st.sampled_from(shape.options)
        if shape.type == MULTI:  # "none of these" included: it is an answer now
            return st.frozensets(st.sampled_from(shape.options))
        assert shape.type == NUMBER
        return st.sampled_from([0, 17, 18, 19, 37, 38, 54, 55, 64, 65, 66, 120])
    return st.fixed_dictionaries({}, optional={q: one(q) for q in pack.shapes})


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_fhir_skip_logic_agrees_with_the_engine_on_random_answers(
        packs: list[CompiledPack], data: st.DataObject) -> None:
    for pack in packs:
        logic = _logic(pack)
        answers = data.draw(answer_values(pack))
        assert not disagreements(logic, answers), answers


_LOGIC: dict[int, SkipLogic] = {}


def _logic(pack: CompiledPack) -> SkipLogic:
    if id(pack) not in _LOGIC:
        _LOGIC[id(pack)] = SkipLogic(pack)
    return _LOGIC[id(pack)]


def test_the_generated_pack_exercises_fhirpath(packs: list[CompiledPack]) -> None:
    logic = _logic(packs[1])
    assert set(logic.expressions) - set(logic.notices) == {"can_bear_weight", "low_mood"}
    assert "enableWhen" in logic.items["blood_thinners"]
