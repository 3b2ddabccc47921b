"""Each peer adapter (and triage's) must give exactly reference_eval's result.

200 answer sets at 60 rules; nothing here measures or asserts speed.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.bench_engines import Mismatch, check
from benchmarks.peers import ifelse, json_rules_engine, triage_engine, zen_engine

Workload = tuple[dict[str, Any], list[dict[str, Any]], list[list[Any]]]


def first_difference(got: list[Any], expected: list[Any], answers: list[Any]) -> str:
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        if g != e:
            return f"answer set #{i} {answers[i]}: got {g}, reference {e}"
    return ""


def test_workload_is_varied(small_workload: Workload) -> None:
    # the checks below mean little unless every kind of outcome occurs
    _, _, expected = small_workload
    assert {r[0] for r in expected} == {"see_doctor", "both", "soft_tissue", "physio"}


def test_ifelse_matches_reference(small_workload: Workload) -> None:
    ruleset, answers, expected = small_workload
    ev = ifelse.build(ruleset)
    got = ev.evaluate_many(answers)
    assert got == expected, first_difference(got, expected, answers)
    assert [ev.evaluate(a) for a in answers[:20]] == expected[:20]


def test_ifelse_source_is_straight_line(small_workload: Workload) -> None:
    source = ifelse.generate_source(small_workload[0])
    assert "for " not in source and "while " not in source
    compile(source, "<test>", "exec")


@pytest.mark.parametrize("build", ["build", "build_static", "build_batch", "build_async"])
def test_zen_engine_matches_reference(small_workload: Workload, build: str) -> None:
    ruleset, answers, expected = small_workload
    ev = getattr(zen_engine, build)(ruleset)
    got = ev.evaluate_many(answers)
    assert got == expected, first_difference(got, expected, answers)


def test_json_rules_engine_matches_reference(small_workload: Workload,
                                             node_packages: None) -> None:
    ruleset, answers, expected = small_workload
    ev = json_rules_engine.build(ruleset)
    try:
        rounds = ev.run_rounds(answers, 2)
    finally:
        ev.close()
    assert rounds.results == expected, first_difference(rounds.results, expected, answers)
    assert len(rounds.seconds) == 2 and len(rounds.round_trip_seconds) == 1


@pytest.mark.parametrize("build", ["build", "build_decide"])
def test_triage_matches_reference(small_workload: Workload, build: str) -> None:
    ruleset, answers, expected = small_workload
    ev = getattr(triage_engine, build)(ruleset)
    try:
        got = ev.run_rounds(answers, 1).results
        assert got == expected, first_difference(got, expected, answers)
        assert ev.evaluate(answers[0]) == expected[0]
    finally:
        ev.close()


def test_harness_reports_first_difference(small_workload: Workload) -> None:
    _, answers, expected = small_workload
    wrong = [list(r) for r in expected]
    wrong[7][2] += 1
    with pytest.raises(Mismatch, match=r"answer set #7") as exc:
        check("demo", 60, answers, wrong, expected)
    assert '"age"' in str(exc.value)
    check("demo", 60, answers, [list(r) for r in expected], expected)  # equal: no error
