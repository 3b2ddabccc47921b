"""triage verify: the claims, the unsafe packs it must catch (by proof and by walking paths),
proof versus sampling, counter-examples that `triage assess --answers` reproduces."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import triage.authoring.verify_paths as paths_module
import triage.authoring.verify_symbolic as symbolic_module
from tests.authoring_helpers import BUNDLED, MINIMAL, PACKS, UNSAFE, load, small_pack
from triage.authoring.answer_space import Domains, explore, number_representatives
from triage.authoring.cases import run_cases
from triage.authoring.verify import (
    NOT_CHECKED,
    PROVEN,
    SAMPLED,
    VIOLATED,
    case_yaml,
    red_flag_leaves,
    red_flag_switches,
    verify,
)
from triage.authoring.verify_report import SYMBOLIC_ONLY
from triage.cli.app import app
from triage.engine import policy
from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
from triage.engine.policy import URGENCY
from triage.pack.compiled import CompiledPack

runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))


def statuses(pack: CompiledPack, **kw: Any) -> dict[str, str]:
    return {c.name: c.status for c in verify(pack, **kw).claims}


# --------------------------------------------------------------------------- clean packs


def test_minimal_pack_is_proven_safe() -> None:
    report = verify(load(MINIMAL))
    assert report.ok, [v.message for v in report.violations]
    assert report.mode == "symbolic" and not report.fallback_reason
    assert all(c.status == PROVEN for c in report.claims)


def test_minimal_pack_is_proven_safe_by_walking_every_path() -> None:
    report = verify(load(MINIMAL), method="paths")
    assert report.ok, [v.message for v in report.violations]
    assert report.mode == "exhaustive" and report.exact
    assert all(c.status == PROVEN for c in report.claims if c.name not in SYMBOLIC_ONLY)
    assert report.paths == 1064


@pytest.mark.long(20)
def test_bundled_pack_is_proven_safe() -> None:
    """Whatever rules/ holds, every claim must be proven (the CI gate of issues 5 and 15)."""
    report = verify(load(BUNDLED))
    assert report.ok, "\n".join(v.message for v in report.violations)
    assert report.mode == "symbolic" and report.proven


def test_paths_follow_the_engine_and_end_settled() -> None:
    pack = load(MINIMAL)
    paths = list(explore(pack, Domains(pack)))
    assert {"chest_pain": "yes"} in paths  # an emergency ends the questionnaire at once
    assert len({tuple(sorted(map(str, p.items()))) for p in paths}) == len(paths)
    for p in paths:
        evaluate(pack, p)  # never raises MissingAnswers on a path the engine finished


# --------------------------------------------------------------------------- unsafe packs

EXPECTED = {
    "unsafe_dead_rule": ("no_dead_rule", ["chest_pain_breathless", "impossible_age"]),
    "unsafe_unreachable": ("no_unreachable_question", ["bruise"]),
    "unsafe_monotone": ("monotone", ["'fever'"]),
    "unsafe_duplicate": ("no_duplicate_rule", ["older_with_fever", "fever_older"]),
    "unsafe_unasked": ("no_unasked_read", ["saddle_numbness", "no_numbness_massage"]),
}


def test_every_unsafe_pack_is_listed() -> None:
    assert sorted(EXPECTED) == UNSAFE


@pytest.mark.parametrize("method", ["symbolic", "paths"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unsafe_pack_is_caught(name: str, method: str) -> None:
    claim, words = EXPECTED[name]
    report = verify(load(PACKS / name), method=method)
    assert not report.ok
    found = [v for v in report.violations if v.claim == claim]
    assert found, [v.message for v in report.violations]
    text = "\n".join(v.message for v in found)
    for word in words:
        assert word in text
    assert {c.name: c.status for c in report.claims}[claim] == VIOLATED


def test_unreachable_question_also_makes_its_rule_dead() -> None:
    report = verify(load(PACKS / "unsafe_unreachable"))
    dead = [v.message for v in report.violations if v.claim == "no_dead_rule"]
    assert any("fall_bruise" in m for m in dead)


def test_unasked_read_counter_examples_name_the_rule() -> None:
    report = verify(load(PACKS / "unsafe_unasked"))
    fired_on_nothing = [v for v in report.violations if "no_numbness_massage" in v.message]
    assert fired_on_nothing[0].not_fires == ("no_numbness_massage",)
    assert fired_on_nothing[0].answers is not None
    assert fired_on_nothing[0].answers["area"] == "neck"


def paste(pack_dir: Path, tmp_path: Path, cases: list[str]) -> CompiledPack:
    """Copy a pack and append counter-examples to its test cases, as an author would."""
    target = tmp_path / "pasted"
    shutil.copytree(pack_dir, target)
    case_file = target / "tests" / "cases.yaml"
    case_file.write_text(case_file.read_text(encoding="utf-8") + "\n".join(cases) + "\n",
                         encoding="utf-8")
    return load(target)


def test_counter_examples_paste_into_the_pack_and_fail_until_fixed(tmp_path: Path) -> None:
    pack = load(PACKS / "unsafe_monotone")
    report = verify(pack)
    cases = [case_yaml(pack, v, i) for i, v in enumerate(report.violations, 1) if v.answers]
    assert cases
    for text in cases:
        item = yaml.safe_load("cases:\n" + text)["cases"][0]
        assert set(item) >= {"id", "answers", "expect"}
    pasted = paste(PACKS / "unsafe_monotone", tmp_path, cases)  # loads: the cases are valid
    results = {r.case.id: r for r in run_cases(pasted)}
    assert not results["verify_monotone_1"].passed  # it records the bug until it is fixed


# --------------------------------------------------------------------------- engine faults


class _Altered:
    """An outcome with some attributes replaced (works whatever fields Outcome has)."""

    def __init__(self, outcome: Outcome, **changes: Any) -> None:
        self._outcome = outcome
        self._changes = changes

    def __getattr__(self, name: str) -> Any:
        if name in self._changes:
            return self._changes[name]
        return getattr(self._outcome, name)


def _overriding_engine(pack: CompiledPack, answers: Mapping[str, Any]) -> Any:
    """A faulty engine in which soft tissue therapy overrides 'see a doctor first'."""
    outcome = evaluate(pack, answers)
    if outcome.disposition == "doctor_first":
        return _Altered(outcome, disposition="soft_tissue")
    return outcome


def test_a_red_flag_overridden_by_therapy_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack cannot override the engine's policy (red flags always win; strikes remove soft
    tissue therapy), so the fault is put in the engine to show the checks are not vacuous."""
    monkeypatch.setattr(paths_module, "evaluate", _overriding_engine)
    report = verify(load(MINIMAL), method="paths", check_monotone=False)
    claims = {v.claim for v in report.violations}
    assert {"red_flag_respected", "strike_respected"} <= claims
    example = next(v for v in report.violations if v.claim == "red_flag_respected")
    assert example.answers is not None and example.fires == ("fever_older",)
    assert example.expect == "doctor_first" and example.actual == "soft_tissue"


def test_a_path_without_a_disposition_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(pack: CompiledPack, answers: Mapping[str, Any]) -> Outcome:
        if answers.get("area") == "knee":
            raise MissingAnswers(["area"])
        return evaluate(pack, answers)

    monkeypatch.setattr(paths_module, "evaluate", failing)
    report = verify(load(MINIMAL), method="paths", check_monotone=False)
    stops = [v for v in report.violations if v.claim == "one_disposition"]
    assert stops and stops[0].answers is not None and stops[0].answers["area"] == "knee"


def test_compiled_and_interpreted_engines_must_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    def forgetful(pack: CompiledPack, answers: Mapping[str, Any]) -> Any:
        outcome = evaluate(pack, answers)
        return _Altered(outcome, fired=outcome.fired[1:])

    monkeypatch.setattr(paths_module, "evaluate", forgetful)
    report = verify(load(MINIMAL), method="paths", check_monotone=False)
    assert any("compiled decision function" in v.message for v in report.violations)


# --------------------------------------------------------------------------- proof vs sample


def test_too_many_paths_switches_to_sampling_and_claims_no_proof() -> None:
    report = verify(load(MINIMAL), max_paths=50, samples=300, seed=1, method="paths")
    assert report.mode == "sampled" and "more than 50 paths" in report.limit_note
    assert report.ok
    by_name = {c.name: c.status for c in report.claims}
    assert by_name.pop("no_duplicate_rule") == PROVEN  # static: proven whatever the size
    for name in SYMBOLIC_ONLY:  # the solver's alone: not checked, never said sampled
        assert by_name.pop(name) == NOT_CHECKED
    assert set(by_name.values()) == {SAMPLED}
    assert not report.proven


def test_sampling_without_a_count_runs_on_a_time_budget() -> None:
    report = verify(load(MINIMAL), max_paths=10, time_budget=0.0, seed=2, method="paths")
    # at least 20 paths whatever the budget: a budget of nothing gives exactly that floor
    assert report.mode == "sampled" and report.paths == 20


def test_sampling_reports_unseen_rules_as_unconfirmed_not_dead() -> None:
    report = verify(load(PACKS / "unsafe_dead_rule"), max_paths=2, samples=5, seed=3,
                    method="paths")
    assert not any(v.claim == "no_dead_rule" for v in report.violations)
    assert any("chest_pain_breathless" in u for u in report.unconfirmed)


def test_witness_search_confirms_rare_rules_while_sampling(tmp_path: Path) -> None:
    """Three boxes of seven ticked at once: everyday sampling (few boxes) hardly draws it."""
    pack = load(small_pack(tmp_path, """
questions:
  - id: signs
    text: Which?
    type: multi
    options: [{id: a, text: A}, {id: b, text: B}, {id: c, text: C}, {id: d, text: D},
              {id: e, text: E}, {id: f, text: F}, {id: g, text: G}]
notes:
  - id: three_signs
    when: count(a in signs, b in signs, c in signs, d in signs, e in signs, f in signs,
                g in signs) == 3
    reason: Three.
    SOURCE
indications:
  - {id: some, when: a in signs, supports: physiotherapy, reason: P., SOURCE}
"""))
    report = verify(pack, max_paths=5, samples=10, seed=5, method="paths")
    assert report.mode == "sampled"
    assert not any("three_signs" in u for u in report.unconfirmed)


def test_sums_of_numbers_make_the_classes_inexact(tmp_path: Path) -> None:
    pack = load(small_pack(tmp_path, """
questions:
  - {id: age, text: Age?, type: number, min: 0, max: 100}
  - {id: years, text: Years of pain?, type: number, min: 0, max: 50}
red_flags:
  - id: long_history
    when: sum(age, years) >= 90
    disposition: doctor_first
    reason: Long history.
    SOURCE
indications:
  - id: young
    when: age < 90
    supports: physiotherapy
    reason: Young.
    SOURCE
"""))
    report = verify(pack, method="paths")
    assert not report.exact and any("sum()" in why for why in report.inexact)
    assert all(c.status != PROVEN for c in report.claims if c.name != "no_duplicate_rule")
    proof = verify(pack)  # sums are linear arithmetic for the solver: exact
    assert proof.mode == "symbolic" and proof.proven, [v.message for v in proof.violations]


# --------------------------------------------------------------------------- red-flag values


def test_moving_a_number_within_a_met_threshold_is_not_a_red_flag_switch() -> None:
    pack = load(MINIMAL)
    leaves = red_flag_leaves(pack)["age"]
    domains = Domains(pack)
    assert 55 not in red_flag_switches(pack, domains, leaves, "age", 66)
    assert 55 in red_flag_switches(pack, domains, leaves, "age", 54)


def test_negations_decide_the_red_flag_value() -> None:
    """``not: area != low_back`` wants low_back: only that area is a red-flag value."""
    pack = load(MINIMAL)
    switches = red_flag_switches(pack, Domains(pack), red_flag_leaves(pack)["area"], "area",
                                 "neck")
    assert switches == ["low_back"]


def test_moving_between_areas_with_their_own_red_flags_is_not_a_switch(tmp_path: Path) -> None:
    """Single choice answers are categories: neck -> low back is another complaint."""
    pack = load(small_pack(tmp_path, """
questions:
  - id: area
    text: Where?
    type: single
    red_flag_screen: true
    options: [{id: neck, text: Neck}, {id: low_back, text: Low back}, {id: knee, text: Knee}]
  - {id: numb, text: Numb?, type: yes_no, red_flag_screen: true}
red_flags:
  - {id: neck_numb, when: area == neck and numb, disposition: same_day, reason: N., SOURCE}
  - {id: back_numb, when: area == low_back and numb, disposition: emergency, reason: B., SOURCE}
indications:
  - {id: any_area, when: "area in [neck, low_back, knee]", supports: physiotherapy,
     reason: P., SOURCE}
"""))
    domains, leaves = Domains(pack), red_flag_leaves(pack)
    assert red_flag_switches(pack, domains, leaves["area"], "area", "neck") == []
    assert red_flag_switches(pack, domains, leaves["area"], "area", "knee") == ["neck",
                                                                                "low_back"]
    assert red_flag_switches(pack, domains, leaves["numb"], "numb", "no") == ["yes"]
    assert verify(pack).ok


@given(st.lists(st.integers(-5, 130), max_size=5), st.integers(0, 120))
def test_number_classes_are_exact(thresholds: list[int], x: int) -> None:
    """Every answer behaves like one representative in every comparison with a threshold."""
    reps = number_representatives(0, 120, [float(t) for t in thresholds], True)
    def signature(v: float) -> tuple[bool, ...]:
        return tuple(test for t in thresholds for test in (v < t, v <= t, v == t))

    assert any(signature(r) == signature(x) for r in reps)
    assert all(0 <= r <= 120 for r in reps)


# --------------------------------------------------------------------------- CLI


def test_cli_verify_clean_pack_exits_0() -> None:
    result = runner.invoke(app, ["verify", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "Proof by the Z3 solver" in result.stdout
    assert "every claim proven" in result.stdout
    result = runner.invoke(app, ["verify", str(MINIMAL), "--method", "paths"])
    assert result.exit_code == 0, result.output
    assert "Explored" in result.stdout and "paths exhaustively" in result.stdout


def test_cli_verify_unsafe_pack_exits_1_with_a_pastable_case() -> None:
    result = runner.invoke(app, ["verify", str(PACKS / "unsafe_monotone")])
    assert result.exit_code == 1
    assert "  - id: verify_monotone_1" in result.stdout
    assert "answers: {severe_pain: yes, fever: yes}" in result.stdout


def test_cli_verify_json() -> None:
    result = runner.invoke(app, ["verify", str(MINIMAL), "--format", "json", "--no-monotone"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["mode"] == "symbolic" and data["violations"] == []
    assert {c["name"]: c["status"] for c in data["claims"]}["monotone"] == NOT_CHECKED


def test_cli_verify_require_proof_fails_when_only_sampled() -> None:
    args = ["verify", str(MINIMAL), "--method", "paths", "--max-paths", "20", "--samples", "50"]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, [*args, "--require-proof"])
    assert result.exit_code == 1
    assert "Too large to enumerate" in result.stdout


def test_cli_verify_bad_pack_exits_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["verify", str(tmp_path / "nowhere")])
    assert result.exit_code == 1


# --------------------------------------------------------------------------- symbolic proof


def _assess(pack_dir: Path, answers_path: Path) -> str:
    result = runner.invoke(app, ["assess", "--pack", str(pack_dir), "--answers",
                                 str(answers_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return str(json.loads(result.stdout)["disposition"])


@pytest.mark.parametrize("name", ["unsafe_monotone", "unsafe_unasked", "unsafe_unreachable"])
def test_counter_examples_are_answers_files_assess_reproduces(name: str, tmp_path: Path) -> None:
    out = tmp_path / "examples"
    result = runner.invoke(app, ["verify", str(PACKS / name), "--examples", str(out)])
    assert result.exit_code == 1
    files = sorted(out.glob("*.yaml")) if out.exists() else []
    assert len(files) == result.stdout.count("Counter-example, ready to paste") > 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        said = re.search(r"^# the pack answers (\w+) here", text, re.MULTILINE)
        assert said, text
        assert _assess(PACKS / name, path) == said.group(1), text


def test_monotone_counter_example_is_the_questionnaire_path() -> None:
    report = verify(load(PACKS / "unsafe_monotone"))
    found = [(v.answers, v.expect, v.actual) for v in report.violations
             if v.claim == "monotone"]
    assert ({"severe_pain": "yes", "fever": "yes"}, "same_day", "doctor_first") in found


def test_dead_rules_come_with_the_reason_they_cannot_fire() -> None:
    report = verify(load(PACKS / "unsafe_dead_rule"))
    text = "\n".join(v.message for v in report.violations if v.claim == "no_dead_rule")
    assert "'impossible_age' never fires: its condition cannot hold" in text
    assert "'chest_pain_breathless' never fires on its own" in text


NOT_SURE_PACK = """
questions:
  - id: chest
    text: Chest pain?
    type: single
    red_flag_screen: true
    options: [{id: "yes", text: Yes}, {id: "no", text: No}, {id: not_sure, text: Not sure}]
  - id: signs
    text: Which?
    type: multi
    red_flag_screen: true
    options: [{id: numb, text: Numb}, {id: weak, text: Weak}, {id: not_sure, text: Not sure}]
  - id: fall
    text: A fall?
    type: single
    red_flag_screen: true
    options: [{id: none, text: None}, {id: minor, text: Minor}, {id: hard, text: Hard},
              {id: not_sure, text: Not sure}]
  - id: mood
    text: Mood?
    type: single
    options: [{id: good, text: Good}, {id: low, text: Low}, {id: not_sure, text: Not sure}]
  - {id: stiff, text: Stiff?, type: yes_no}
red_flags:
  - {id: chest_pain, when: "chest in CHEST", disposition: emergency, reason: C., SOURCE}
  - {id: neuro, when: "SIGNS", disposition: same_day, reason: N., SOURCE}
  - {id: weakness, when: "WEAK", disposition: emergency, reason: W., SOURCE}
  - {id: hard_fall, when: "FALL", disposition: same_day, reason: F., SOURCE}
indications:
  - {id: stiffness, when: stiff, supports: physiotherapy, reason: S., SOURCE}
  - {id: low_mood, when: "mood == low", supports: physiotherapy, reason: M., SOURCE}
"""
SAFE_NOT_SURE = {"CHEST": "[yes, not_sure]",
                 "SIGNS": "numb in signs or weak in signs or not_sure in signs",
                 "WEAK": "weak in signs or not_sure in signs",
                 "FALL": "fall in [hard, not_sure]"}


def _not_sure_pack(tmp_path: Path, **unsafe: str) -> CompiledPack:
    text = NOT_SURE_PACK
    for key, value in {**SAFE_NOT_SURE, **unsafe}.items():
        text = text.replace(key, value)
    return load(small_pack(tmp_path, text))


def test_not_sure_that_counts_as_yes_is_proven(tmp_path: Path) -> None:
    report = verify(_not_sure_pack(tmp_path))
    assert report.ok and report.proven, [v.message for v in report.violations]
    # a question offering "not sure" that is no safety question is named, not silently skipped
    detail = {c.name: c.detail for c in report.claims}["not_sure_counts_as_yes"]
    assert detail == "every answer set; not safety questions, not compared: mood"


@pytest.mark.parametrize(("unsafe", "question"), [
    ({"CHEST": "[yes]"}, "chest"),
    ({"SIGNS": "numb in signs and not not_sure in signs",
      "WEAK": "weak in signs and not not_sure in signs"}, "signs"),
    # ticking a definite box is more urgent than "not sure" (same_day against 911): not sure
    # must be compared with every definite answer, not only with none ticked
    ({"WEAK": "weak in signs"}, "signs"),
    # a single choice with no "yes" option is still a safety question
    ({"FALL": "fall == hard"}, "fall"),
])
def test_not_sure_read_as_no_is_a_counter_example(tmp_path: Path, unsafe: dict[str, str],
                                                   question: str) -> None:
    pack = _not_sure_pack(tmp_path, **unsafe)
    report = verify(pack)
    found = [v for v in report.violations if v.claim == "not_sure_counts_as_yes"]
    assert len(found) == 1 and f"'not sure' to '{question}'" in found[0].message
    assert found[0].answers is not None
    assert evaluate(pack, found[0].answers).disposition == found[0].actual
    assert URGENCY[found[0].actual or ""] < URGENCY[found[0].expect or ""]


# Fixes of the clinical audit of pack 0.2.1 that `triage verify` must catch when undone: the
# pack as it was then proved every claim, because "not sure" was compared only with leaving
# the boxes unticked (issue: clinical audit, findings 2 and 5).
UNDONE_FIXES = {
    # febrile_neutropenia's (infection_during_cancer_treatment, 0.2.19, reads the same)
    "red_flags.yaml": [("(chemo in health_history or not_sure in health_history)\n"
                        "      and (fever in today_signs",
                        "chemo in health_history\n      and (fever in today_signs"),
                       ("deformity in arm_injury_signs or not_sure in arm_injury_signs",
                        "deformity in arm_injury_signs")],
    "questions-2-history.yaml": [("duration in [over_3_months, not_sure] or",
                                  "duration == over_3_months or")],
    # (the opening parenthesis: back_duration, pack 0.2.26, reads "in [over_3_months,
    # not_sure]" too, and keeps its own not sure)
    "red_flags-3-doctor.yaml": [("(duration in [over_3_months, not_sure]",
                                 "(duration == over_3_months")],
}


def test_the_bundled_pack_with_a_not_sure_fix_undone_fails_verify(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(BUNDLED, rules)
    for name, edits in UNDONE_FIXES.items():
        text = (rules / name).read_text(encoding="utf-8")
        for fixed, undone in edits:
            assert text.count(fixed) == 1, f"{name}: the fix '{fixed}' is not in the pack"
            text = text.replace(fixed, undone)
        (rules / name).write_text(text, encoding="utf-8")
    pack = load(rules)
    report = verify(pack, claims={"not_sure_counts_as_yes"})
    found = {v.message.split("'")[3]: v for v in report.violations
             if v.claim == "not_sure_counts_as_yes"}
    # today_signs too since 0.2.19: with "not sure" about the health history, a cold or the
    # flu is the emergency department (infection_during_cancer_treatment), and "not sure"
    # about today's signs is only while febrile_neutropenia counts that "not sure" as well
    assert set(found) == {"health_history", "arm_injury_signs", "duration", "today_signs"}, \
        [v.message for v in report.violations]
    for v in found.values():
        assert v.answers is not None
        assert evaluate(pack, v.answers).disposition == v.actual
        assert URGENCY[v.actual or ""] < URGENCY[v.expect or ""]


def test_a_policy_that_keeps_soft_tissue_after_a_strike_is_proven_wrong(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoding runs the policy itself: break the policy and the proof fails, with a
    counter-example the (equally broken) engine reproduces."""
    monkeypatch.setattr(policy, "_STRUCK", {"both": "physiotherapy"})
    pack = load(MINIMAL)
    report = verify(pack, check_monotone=False)
    found = [v for v in report.violations if v.claim == "strike_respected"]
    assert found and found[0].answers is not None
    assert evaluate(pack, found[0].answers).disposition == "soft_tissue" == found[0].actual


def test_a_new_disposition_in_the_policy_is_covered(monkeypatch: pytest.MonkeyPatch) -> None:
    """A disposition the policy returns but the pack does not describe is a counter-example
    (nothing in verify lists dispositions: it follows the policy's branches)."""
    original = policy.therapy_disposition

    def finer(strike: bool, soft: int, physio: int, indicated: int, both: int) -> str:
        result = original(strike, soft, physio, indicated, both)
        return "physio_urgent" if result == "physiotherapy" and physio >= 3 else result

    monkeypatch.setattr(policy, "therapy_disposition", finer)
    monkeypatch.setattr(policy, "URGENCY", {**policy.URGENCY, "physio_urgent": 3})
    report = verify(load(MINIMAL), check_monotone=False)
    assert any("'physio_urgent'" in v.message for v in report.violations
               if v.claim == "one_disposition")


def test_an_engine_that_disagrees_with_the_policy_is_caught(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(symbolic_module, "evaluate", _overriding_engine)
    report = verify(load(MINIMAL), check_monotone=False)
    found = [v for v in report.violations if v.claim == "one_disposition"]
    assert found and "the engine answers soft_tissue" in found[0].message
    assert found[0].expect == "doctor_first"


_MINIMAL_PACK = load(MINIMAL)  # loaded once: hypothesis runs the test many times
_PROVER = symbolic_module.Prover(_MINIMAL_PACK)


@settings(deadline=None, max_examples=60)  # a solver query each: slow on a loaded machine
@given(st.data())
def test_the_encoding_agrees_with_the_engine(data: st.DataObject) -> None:
    """Random complete answer sets: the solver, told these answers, finds the engine's
    disposition and fired rules (the encoding reads conditions as the engine does)."""
    import z3

    pack, prover = _MINIMAL_PACK, _PROVER
    answers: dict[str, Any] = {}
    fixes = []
    for q in pack.questions:
        av = prover.vars[q.id]
        if q.type == "multi":
            chosen = data.draw(st.frozensets(st.sampled_from([o.id for o in q.options])))
            answers[q.id] = chosen
            fixes += [b == (o in chosen) for o, b in av.options.items()]
        elif q.type == "number":
            v = data.draw(st.integers(int(q.min or 0), int(q.max or 0)))
            answers[q.id] = v
            fixes.append(av.value == v)
        elif q.type == "yes_no":
            v = data.draw(st.sampled_from(["yes", "no"]))
            answers[q.id] = v
            fixes.append(av.value == (v == "yes"))
        else:
            i = data.draw(st.integers(0, len(q.options) - 1))
            answers[q.id] = q.options[i].id
            fixes.append(av.value == i)
    model = prover.find(*fixes)
    assert model is not None
    outcome = evaluate(pack, answers)
    assert prover.disposition_in(model) == outcome.disposition
    fired = {r.id for r in pack.rules
             if z3.is_true(model.eval(prover.dec.fires[r.id], model_completion=True))}
    assert fired == {r.id for r in outcome.fired}




# --------------------------------------------------------------------------- --claim


@pytest.mark.parametrize("method", ["symbolic", "paths"])
def test_only_the_claims_chosen_are_checked_and_the_rest_never_said_proven(
        method: str) -> None:
    """unsafe_unreachable violates four claims: choosing two reports those two, each as
    found with every claim checked, and the others as not checked."""
    pack = load(PACKS / "unsafe_unreachable")
    whole = verify(pack, method=method)
    chosen = {"no_dead_rule", "one_disposition"}
    report = verify(pack, method=method, claims=chosen)
    assert report.violations == [v for v in whole.violations if v.claim in chosen]
    assert {v.claim for v in report.violations} == {"no_dead_rule"}
    statuses = {c.name: c.status for c in report.claims}
    assert statuses.pop("no_dead_rule") == VIOLATED
    assert statuses.pop("one_disposition") == {c.name: c.status for c in whole.claims}[
        "one_disposition"] != NOT_CHECKED
    assert set(statuses.values()) == {NOT_CHECKED}
    assert not report.proven


def test_a_claim_left_out_costs_no_solver_query() -> None:
    pack = load(BUNDLED)
    duplicates = verify(pack, claims={"no_duplicate_rule"})
    assert duplicates.paths == 0 and duplicates.ok  # checked on the rules: no query
    places = verify(pack, claims={"no_place_left_out"})
    assert places.paths > 0
    assert {c.name: c.status for c in places.claims}["no_place_left_out"] == PROVEN


def test_cli_verify_claim() -> None:
    pack = str(PACKS / "unsafe_unreachable")
    result = runner.invoke(app, ["verify", pack, "--claim", "no_duplicate_rule"])
    assert result.exit_code == 0, result.output  # its one violation is of other claims
    assert "NOT CHECKED" in result.stdout and "not chosen with --claim" in result.stdout
    assert runner.invoke(app, ["verify", pack, "--claim", "no_duplicate_rule",
                               "--require-proof"]).exit_code == 1
    result = runner.invoke(app, ["verify", pack, "--claim", "no_dead_rule",
                                 "--claim", "no_duplicate_rule"])
    assert result.exit_code == 1 and "[no_dead_rule]" in result.stdout
    result = runner.invoke(app, ["verify", pack, "--claim", "no_dead_rules"])
    assert result.exit_code == 2
    assert "'no_dead_rules' is not a claim (did you mean 'no_dead_rule'?)" in result.stderr
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- --jobs


@pytest.mark.parametrize("name", [*UNSAFE, "minimal"])
def test_two_processes_prove_and_find_what_one_does(name: str) -> None:
    """The claims shared between this process and a forked one: the same statuses and the
    same violations, each said once, as proving them one after the other. A monotone
    counter-example ends where the solver's model takes it ("... lowers the disposition from
    same_day to soft_tissue", or to not_enough_information: the solver's state, not the
    processes, picks one), so it is compared without that end, and run through the engine."""
    pack = load(PACKS / name if name != "minimal" else MINIMAL)
    one, two = verify(pack, jobs=1), verify(pack, jobs=2)
    assert two.mode == one.mode == "symbolic"
    assert [(c.name, c.status) for c in two.claims] == [(c.name, c.status) for c in one.claims]

    def key(v: Any) -> tuple[str, str]:
        return v.claim, v.message.rsplit(" to ", 1)[0] if v.claim == "monotone" else v.message

    assert sorted(map(key, two.violations)) == sorted(map(key, one.violations))
    assert len({(v.claim, v.message) for v in two.violations}) == len(two.violations)
    for v in two.violations:
        if v.claim == "monotone" and v.answers is not None:
            assert evaluate(pack, v.answers).disposition == v.actual


def test_a_pack_the_solver_cannot_encode_is_walked_whichever_process_found_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """NotEncodable raised in the forked process reaches verify, which walks the paths
    instead, as when it is raised here."""
    from triage.authoring.symbolic import NotEncodable

    def unencodable(pack: CompiledPack) -> Any:
        raise NotEncodable("a test's condition the encoding cannot say")

    # the places claim is proven in the second process
    monkeypatch.setattr(symbolic_module, "place_violations", unencodable)
    report = verify(load(MINIMAL), jobs=2)
    assert report.mode != "symbolic"
    assert "a test's condition the encoding cannot say" in report.fallback_reason
