"""The project's own benchmark workload: seeded, of the documented shape, and its reference
result by hand-worked cases (the peer adapters are checked against that reference)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks import common, workload
from tests.conftest import REPO_ROOT


def test_the_same_seed_gives_the_same_workload_and_another_seed_another() -> None:
    assert workload.answer_sets(50) == workload.answer_sets(50)
    assert workload.answer_sets(50, seed=1) != workload.answer_sets(50)
    assert workload.ruleset(60) == workload.ruleset(60)
    assert workload.rules(60) != workload.rules(60, seed=1)
    # a smaller rule set is not a prefix of a bigger one: each size has its own rules
    assert workload.rules(60)[8:] != workload.rules(600)[8:60]


def test_answer_sets_have_every_fact_of_its_type_and_range() -> None:
    schema = workload.facts_schema()
    assert Counter(spec["type"] for spec in schema.values()) == {"int": 3, "choice": 3,
                                                                 "bool": 16}
    for answer in workload.answer_sets(2000):
        assert answer.keys() == schema.keys()
        for name, value in answer.items():
            spec = schema[name]
            if spec["type"] == "int":
                assert type(value) is int and spec["min"] <= value <= spec["max"], name
            elif spec["type"] == "choice":
                assert value in spec["choices"], name
            else:
                assert type(value) is bool, name


def test_yes_no_facts_are_yes_as_often_as_the_schema_says() -> None:
    answers = workload.answer_sets(20_000)
    for name, p in workload.BOOL_FACTS.items():
        rate = sum(a[name] for a in answers) / len(answers)
        assert abs(rate - p) < 0.015, (name, rate, p)
    assert {a["area"] for a in answers} == set(workload.CHOICE_FACTS["area"])


def test_rule_sets_have_8_red_flags_then_score_rules_on_known_facts() -> None:
    schema = workload.facts_schema()

    def leaves(cond: dict[str, Any]) -> list[dict[str, Any]]:
        for key in ("all", "any"):
            if key in cond:
                return [leaf for c in cond[key] for leaf in leaves(c)]
        if "not" in cond:
            return leaves(cond["not"])
        return [cond]

    rs = workload.ruleset(600)
    rules = rs["rules"]
    assert rs["size"] == len(rules) == 600
    assert [r["kind"] for r in rules] == ["red_flag"] * 8 + ["score"] * 592
    assert len({r["id"] for r in rules}) == 600
    ops = Counter()
    for rule in rules:
        for leaf in leaves(rule["when"]):
            spec = schema[leaf["fact"]]
            ops[leaf["op"]] += 1
            if spec["type"] == "bool":
                assert leaf["op"] in ("eq", "ne") and type(leaf["value"]) is bool
            elif spec["type"] == "int":
                assert type(leaf["value"]) is int
                assert spec["min"] <= leaf["value"] <= spec["max"]
            elif leaf["op"] in ("in", "not_in"):
                assert set(leaf["value"]) <= set(spec["choices"])
            else:
                assert leaf["value"] in spec["choices"]
    assert set(ops) == {"eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in"}
    assert any("not" in str(r["when"]) for r in rules[8:])


def test_the_threshold_makes_about_a_quarter_of_therapy_answers_both() -> None:
    rs = workload.ruleset(60)
    results = [workload.reference_eval(rs, a) for a in workload.answer_sets(2000)]
    therapy = [r for r in results if r[0] != "see_doctor"]
    share = sum(r[0] == "both" for r in therapy) / len(therapy)
    assert 0.2 <= share <= 0.35, share


# --------------------------------------------------------------------------- reference_eval


def calm(**changes: Any) -> dict[str, Any]:
    """An answer set no red flag of the workload matches."""
    answer = {name: False for name in workload.BOOL_FACTS}
    answer.update(age=30, pain_score=3, duration_weeks=4, area="knee", onset="gradual",
                  activity="light")
    return {**answer, **changes}


def test_no_red_flag_matches_the_calm_answer_set() -> None:
    rs = {"both_threshold": 1, "rules": workload.rules(8)}
    assert workload.reference_eval(rs, calm()) == ["physio", "", 0, 0, 0]


def test_the_highest_priority_red_flag_is_named_whatever_the_file_order() -> None:
    rs = {"both_threshold": 1, "rules": workload.rules(8)}
    # a fever with night pain (rf_infection, 80) and chest pain at 60 (rf_cardiac, 90)
    both = calm(fever=True, night_pain=True, chest_pain=True, age=60)
    assert workload.reference_eval(rs, both)[:2] == ["see_doctor", "rf_cardiac"]
    backwards = {"both_threshold": 1, "rules": list(reversed(rs["rules"]))}
    assert workload.reference_eval(backwards, both)[:2] == ["see_doctor", "rf_cardiac"]


def test_equal_priorities_go_to_file_order() -> None:
    rules = workload.rules(8)
    tied = [r["id"] for r in rules if r["priority"] == 50]
    assert tied == ["rf_nerve_deficit", "rf_severe_sudden"]
    answer = calm(weakness=True, numbness=True, pain_score=9, onset="sudden", duration_weeks=0)
    assert workload.reference_eval({"both_threshold": 1, "rules": rules}, answer)[1] == (
        "rf_nerve_deficit")
    swapped = [r for r in rules if r["id"] != "rf_nerve_deficit"] + [
        r for r in rules if r["id"] == "rf_nerve_deficit"]
    assert workload.reference_eval({"both_threshold": 1, "rules": swapped}, answer)[1] == (
        "rf_severe_sudden")


def score(rule_id: str, when: dict[str, Any], soft: int, physio: int) -> dict[str, Any]:
    return {"id": rule_id, "kind": "score", "priority": 1, "when": when,
            "score": {"soft_tissue": soft, "physio": physio}}


@pytest.mark.parametrize(("answer", "expected"), [
    # tight muscles (2, 0) at a desk (1, 1): soft tissue leads
    (calm(muscle_tightness=True, desk_work=True), ["soft_tissue", "", 3, 1, 2]),
    # plus reduced motion (0, 3): both reach 3
    (calm(muscle_tightness=True, desk_work=True, reduced_motion=True), ["both", "", 3, 4, 3]),
    # a desk alone: a 1-1 tie goes to physio
    (calm(desk_work=True), ["physio", "", 1, 1, 1]),
    # not 'area in [knee, hip]' and pain above 5: (0, 3)
    (calm(area="neck", pain_score=6), ["physio", "", 0, 3, 1]),
    (calm(area="hip", pain_score=6), ["physio", "", 0, 0, 0]),
    # a red flag wins over any points, and the points are still counted
    (calm(muscle_tightness=True, bladder_bowel_change=True, saddle_numbness=True),
     ["see_doctor", "rf_cauda_equina", 2, 0, 1]),
])
def test_points_and_the_decision(answer: dict[str, Any], expected: list[Any]) -> None:
    rules = [*workload.rules(8),
             score("tight", workload.yes("muscle_tightness"), 2, 0),
             score("desk", {"any": [workload.yes("desk_work")]}, 1, 1),
             score("stiff", {"all": [workload.yes("reduced_motion")]}, 0, 3),
             score("upper", {"all": [{"not": workload.compare("area", "in", ["knee", "hip"])},
                                     workload.compare("pain_score", "gt", 5)]}, 0, 3)]
    assert workload.reference_eval({"both_threshold": 3, "rules": rules}, answer) == expected


# --------------------------------------------------------------------------- files


def test_the_data_folder_holds_what_the_generator_makes_and_is_reused(tmp_path: Path) -> None:
    data = common.ensure_data(tmp_path, answers=300, sizes=[60])
    assert common.load_answers(data) == workload.answer_sets(300)
    assert common.load_answers(data, limit=5) == workload.answer_sets(5)
    assert common.load_ruleset(data, 60) == json.loads(json.dumps(workload.ruleset(60)))
    before = (data / "answers.jsonl").stat().st_mtime_ns
    assert common.ensure_data(tmp_path, answers=300, sizes=[60]) == data
    assert (data / "answers.jsonl").stat().st_mtime_ns == before  # up to date: not rewritten
    common.ensure_data(tmp_path, answers=20, sizes=[60])  # other data asked for: rewritten
    assert len(common.load_answers(data)) == 20


def test_nothing_in_tests_or_benchmarks_reads_files_from_outside_the_repository() -> None:
    # the benchmarks once imported a generator from a folder beside the repository; a fresh
    # clone has nothing there, so its tests skipped
    needles = ("bench-workload", "BENCH_WORKLOAD_DIR", '"..", "shared"', 'parent / "shared"')
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {needle}"
        for folder in ("tests", "benchmarks") for path in sorted((REPO_ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".js", ".json", ".md") and path != Path(__file__)
        and not {"node_modules", ".data"} & set(path.parts)
        for needle in needles if needle in path.read_text(encoding="utf-8")]
    assert offenders == []
