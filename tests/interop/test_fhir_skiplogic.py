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
import operator
import re
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


# --------------------------------------------------------------------------- reads

# How the generated expressions read a response: a question's answers, as values. Nothing else
# of the response is reachable from a FHIRPath expression without ``%resource`` (checked).
_VALUES = re.compile(r"%resource\.item\.where\(linkId = '([^'%$\\]+)'\)\.answer\.value(?!\w)")
# What may follow a question's values so that the whole is one operand whose result depends
# only on a feature of the answers (a comparison or ``contains`` binds more tightly than
# ``and``/``or``, a ``,`` or a bracket, so it is whole when those stand either side of it)
_WHOLE_BEFORE = ("(", ", ", " and ", " or ")
_WHOLE_AFTER = r"(?=\)|,| and | or |$)"
_FEATURES: list[tuple[str, re.Pattern[str]]] = [
    ("exists", re.compile(r"\.exists\(\)")),
    ("codes", re.compile(r"\.code\.where\(((?:\$this = '[^'%$\\]+'(?: or )?)+)\)\.distinct\(\)"
                         r"\.(?:exists|count)\(\)")),
    ("code", re.compile(r"\.code contains '([^'%$\\]+)'" + _WHOLE_AFTER)),
    ("boolean", re.compile(r" contains (true|false)" + _WHOLE_AFTER)),
    ("compare", re.compile(r"\.first\(\) (<=|>=|!=|<|>|=) (-?\d+(?:\.\d+)?)" + _WHOLE_AFTER)),
]
_LITERAL = re.compile(r"'[^'\\]*'")
# what the rest of an expression may hold once the reads are taken out: operators, numbers,
# brackets and functions of what is before them; no %variable, $this or bare path, which
# would read the response (or the clock) some other way
_REST = re.compile(r"(?:\s|[(),+\-*/<>=!]|\d+(?:\.\d+)?|§|\b(?:and|or|iif|contains|true|false)\b"
                   r"|\.(?:not|exists|first|count|distinct)\(\)|\.code\b)*")

Feature = tuple[Any, ...]  # ("whole",) | ("exists",) | ("codes", codes) | ("code", code) ...


def expression_reads(expression: str) -> dict[str, set[Feature]]:
    """linkId -> what ``expression`` reads of that question's answers: all of them
    (``("whole",)``) or only features of them, each a test whose result alone decides the
    operand it stands in. Two responses alike in these give the expression the same value."""
    assert all(re.fullmatch(r"'[\w.\- ]*'", s) for s in _LITERAL.findall(expression)), \
        expression  # a string holds no quote, %, $ or escape: the reads below are all there is
    reads: dict[str, set[Feature]] = {}
    rest, end = [], 0
    for m in _VALUES.finditer(expression):
        rest.append(expression[end:m.start()])
        found = reads.setdefault(m.group(1), set())
        end = m.end()
        whole_operand = m.start() == 0 or expression[:m.start()].endswith(_WHOLE_BEFORE)
        for kind, pattern in _FEATURES:
            after = pattern.match(expression, m.end())
            if after is None or (kind in ("code", "boolean", "compare") and not whole_operand):
                continue
            if kind == "codes":
                found.add((kind, frozenset(re.findall(r"'([^']*)'", after.group(1)))))
            elif kind in ("code", "boolean"):
                found.add((kind, after.group(1) if kind == "code" else after.group(1) == "true"))
            elif kind == "compare":
                found.add((kind, after.group(1), float(after.group(2))))
            else:
                found.add((kind,))
            end = after.end()
            break
        else:
            found.add(("whole",))  # read some other way: the answers decide as a whole
        rest.append(" § ")  # no FHIRPath: it cannot stand for anything else
    rest.append(expression[end:])
    left = _LITERAL.sub(" ", "".join(rest))
    assert _REST.fullmatch(left), f"reads the response some other way: {left}"
    return reads


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge}


_KNOWN = {"valueCoding", "valueBoolean", "valueInteger", "valueDecimal", "valueString"}


def read_of(answers: list[dict[str, Any]], feature: Feature) -> Any:
    """The value of one ``feature`` of a question's answers (FHIR ``answer`` elements)."""
    values = [(k, v) for a in answers for k, v in a.items() if k.startswith("value")]
    if any(k not in _KNOWN for k, _ in values):  # a Quantity has a code too, say
        return json.dumps(answers, sort_keys=True)
    if feature[0] == "exists":
        return bool(values)
    if feature[0] in ("code", "codes"):
        codes = {v["code"] for k, v in values if k == "valueCoding" and "code" in v}
        return feature[1] in codes if feature[0] == "code" else frozenset(codes & feature[1])
    if feature[0] == "boolean":
        return any(k == "valueBoolean" and v is feature[1] for k, v in values)
    if feature[0] == "compare" and values and values[0][0] in ("valueInteger", "valueDecimal"):
        return _COMPARE[feature[1]](values[0][1], feature[2])
    if feature[0] == "compare" and not values:
        return None  # no answer: the comparison is empty
    return json.dumps(answers, sort_keys=True)  # the answers whole


def test_expression_reads_features_of_answers_or_the_answers_whole() -> None:
    def values(q: str) -> str:
        return f"%resource.item.where(linkId = '{q}').answer.value"
    age, areas, fall = values("age"), values("areas"), values("fall")
    assert expression_reads(
        f"(({age}.exists() and {age}.first() < 65) or ({areas}.code contains 'areas.knee') "
        f"or {areas}.code.where($this = 'areas.a' or $this = 'areas.b').distinct().count() "
        f">= 2) and ({fall} contains true).not()") == {
        "age": {("exists",), ("compare", "<", 65.0)},
        "areas": {("code", "areas.knee"), ("codes", frozenset({"areas.a", "areas.b"}))},
        "fall": {("boolean", True)}}
    # a number in a sum, or compared after another operator, is read whole
    assert expression_reads(f"(iif({age}.exists(), {age}.first(), 0) + 2.5) > 3") == {
        "age": {("exists",), ("whole",)}}
    assert expression_reads(f"(2 + {age}.first() < 65)") == {"age": {("whole",)}}
    assert expression_reads(f"({age}.first() < 65 + 1)") == {"age": {("whole",)}}


@pytest.mark.parametrize("text", [
    "%resource.item.count() > 2",  # another read of the response
    "%resource.item.where(linkId = 'age').answer.valueInteger > 2",
    "%resource.item.where(linkId = 'age').answer.value.exists() and today() > @2026-01-01",
    "%resource.item.where(linkId = 'age').answer.value.exists() and item.exists()",
    "%resource.item.where(linkId = 'a').answer.value.code contains '%resource'",
])
def test_expression_reads_refuses_what_it_cannot_vouch_for(text: str) -> None:
    with pytest.raises(AssertionError):
        expression_reads(text)


def test_read_of_answers() -> None:
    def coded(*codes: str) -> list[dict[str, Any]]:
        return [{"valueCoding": {"system": "s", "code": c}} for c in codes]
    assert read_of(coded("a.x", "a.y"), ("codes", frozenset({"a.y", "a.z"}))) == {"a.y"}
    assert read_of(coded("a.x"), ("code", "a.x")) is True
    assert read_of([], ("exists",)) is False
    assert read_of([{"valueInteger": 64}], ("compare", ">=", 65.0)) is False
    assert read_of([], ("compare", ">=", 65.0)) is None
    assert read_of([{"valueBoolean": True}], ("boolean", True)) is True
    assert read_of([{"valueInteger": 1}], ("boolean", True)) is False
    # a Quantity has a code as well: its answers count whole
    quantity = [{"valueQuantity": {"value": 1, "code": "a.x"}}]
    assert read_of(quantity, ("code", "a.x")) == read_of(quantity, ("whole",))


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
        # the engine's reading of a condition depends only on the answers it reads: it is
        # worked out once for each distinct set of those
        self.reads = {link_id: questions_read(cond) for link_id, cond in self.conditions.items()}
        self.engine_seen: dict[tuple[str, tuple[tuple[str, Any], ...]], bool] = {}
        # an expression's value depends only on what it reads of the answers to the questions
        # it names (expression_reads, from its own text): it is run once for each distinct
        # reading of those (FHIRPath in Python is slow), on the first response that has it
        self.expression_reads: dict[str, list[tuple[str, list[Feature]]]] = {}
        self.seen: dict[tuple[str, tuple[Any, ...]], bool] = {}
        for link_id, item in self.items.items():
            for ext in item.get("extension", []):
                if ext["url"] == ENABLE_WHEN_EXPRESSION:
                    text = ext["valueExpression"]["expression"]
                    self.expressions[link_id] = compile_fhirpath(text, models[version.lower()])
                    self.expression_reads[link_id] = [
                        (q, sorted(features, key=repr))
                        for q, features in sorted(expression_reads(text).items())]

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

    def enabled(self, link_id: str, filled: Filled) -> bool:
        expression = self.expressions.get(link_id)
        if expression is None:
            return fhir_enabled(self.items[link_id], filled.values)
        reads = self.expression_reads[link_id]
        key = link_id, tuple((q, *(filled.read(q, f) for f in features))
                             for q, features in reads)
        if key not in self.seen:
            # only the items the expression names: the same result, much faster
            named = {q for q, _ in reads}
            items = [i for i in filled.response.get("item", []) if i["linkId"] in named]
            response = {**filled.response, "item": items}
            result = expression(response, {"resource": response})
            assert result in ([True], [False]), (link_id, result)  # never empty or several
            self.seen[key] = bool(result[0])
        return self.seen[key]


class Filled:
    """An exported response, with each question's answers and each feature of them that an
    expression reads worked out once (many expressions read the same ones)."""

    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response
        self.values = response_values(response)
        self.answers: dict[str, list[dict[str, Any]]] = {}
        for item in response.get("item", []):
            self.answers.setdefault(item["linkId"], []).extend(item.get("answer", []))
        self.reads: dict[tuple[str, Feature], Any] = {}

    def read(self, question: str, feature: Feature) -> Any:
        if (question, feature) not in self.reads:
            self.reads[question, feature] = read_of(self.answers.get(question, []), feature)
        return self.reads[question, feature]


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
    filled = Filled(response)
    found = [f"{q.id}: FHIR {not e}, engine {e}" for q in pack.questions
             if q.ask_if is not None
             and logic.enabled(q.id, filled) != (e := logic.engine(q.id, applicable))]
    for link_id in logic.notices:  # "call 911" exactly when a red flag holds
        fired = logic.engine(link_id, applicable)
        if logic.enabled(link_id, filled) != fired:
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


# one test a version: each distinct expression reading is run once in it (in parts on several
# workers, a reading two parts share was run twice: 112 s of CPU in three parts, 77 s in one)
@pytest.mark.long(29)
@pytest.mark.parametrize("version", ["R5", "R4"])
def test_fhir_skip_logic_agrees_with_the_engine_on_every_case_and_vignette_path(
        clinical: CompiledPack, version: str) -> None:
    """Every step of every path, in both versions (the same expressions, another model), each
    step's export valid against the official schema of its version."""
    logic = SkipLogic(clinical, version)
    logic.validate = True
    # everything enableWhen cannot say is FHIRPath (a few questions and notices)
    assert {"spine_injury", "can_walk_4_steps", "first_time"} <= set(logic.expressions)
    vignettes = vignette_answers(clinical)
    assert len(vignettes) >= 60
    paths = [(f"case {c.id}", dict(c.answers)) for c in clinical.cases] + vignettes
    steps = 0
    done: set[str] = set()  # a step many paths share (the first ones) is the same check
    for name, answers in paths:
        for step in path_steps(clinical, answers):
            steps += 1
            key = repr(sorted((q, sorted(a) if isinstance(a, frozenset) else a)
                              for q, a in step.items()))
            if key not in done:
                found = disagreements(logic, step)
                assert not found, (name, step, found)
                done.add(key)
    # 191 cases and about 500 vignettes, a dozen steps each
    assert steps > 2500
    assert len(logic.exported) > 1000  # distinct exports, each valid
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
        # each expression's value, read once per distinct reading of what it reads, is its
        # value on this whole export (the generated pack sums numbers: read whole)
        normal, _ = check_answers(answers, pack.shapes)
        applicable = question_states(pack, normal).applicable
        response = questionnaire_response(pack, applicable, WHEN)
        for link_id, expression in logic.expressions.items():
            assert expression(response, {"resource": response}) == [
                logic.enabled(link_id, Filled(response))], (link_id, answers)


_LOGIC: dict[int, SkipLogic] = {}


def _logic(pack: CompiledPack) -> SkipLogic:
    if id(pack) not in _LOGIC:
        _LOGIC[id(pack)] = SkipLogic(pack)
    return _LOGIC[id(pack)]


def test_the_generated_pack_exercises_fhirpath(packs: list[CompiledPack]) -> None:
    logic = _logic(packs[1])
    assert set(logic.expressions) - set(logic.notices) == {"can_bear_weight", "low_mood"}
    assert "enableWhen" in logic.items["blood_thinners"]
