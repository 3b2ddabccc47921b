"""triage test --coverage, explain, graph and diff."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.authoring_helpers import BUNDLED, MINIMAL, PACKS, load, small_pack
from tests.conftest import REPO_ROOT
from triage.authoring.cases import run_cases
from triage.authoring.coverage import coverage, red_flag_thresholds
from triage.authoring.diff import diff
from triage.authoring.explain import explain
from triage.authoring.graph import dot, mermaid
from triage.cli.app import app

runner = CliRunner()

FULL = ("chest_pain: no\nfall: yes\ncan_bear_weight: yes\nage: 54\nfever: no\narea: neck\n"
        "problems: [stiffness]\nblood_thinners: no\n")
STIFF_NECK = {"chest_pain": "no", "fall": "yes", "can_bear_weight": "yes", "age": 54,
              "fever": "no", "area": "neck", "problems": frozenset({"stiffness"}),
              "blood_thinners": "no"}


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))


def with_cases(tmp_path: Path, cases: str, source: Path = MINIMAL) -> Path:
    target = tmp_path / "pack"
    shutil.copytree(source, target)
    path = target / "tests" / "cases.yaml"
    path.write_text(path.read_text(encoding="utf-8") + cases, encoding="utf-8")
    return target


# --------------------------------------------------------------------------- test --coverage

NEAR_MISSES = """
  - id: fall_at_54
    answers: {chest_pain: no, fall: yes, can_bear_weight: no, age: 54, fever: no, area: neck,
              problems: [stiffness], blood_thinners: no}
    expect: soft_tissue
  - id: fever_at_64
    answers: {chest_pain: no, fall: no, age: 64, fever: yes, area: neck,
              problems: [after_surgery], blood_thinners: no}
    expect: physiotherapy
"""


def test_coverage_of_the_minimal_cases() -> None:
    pack = load(MINIMAL)
    report = coverage(pack, run_cases(pack))
    assert "fall_cannot_walk" in {r.id for r in report.rules_not_fired}
    assert "heart_attack_signs" not in {r.id for r in report.rules_not_fired}
    assert ("area", "knee") in report.options_not_chosen
    assert ("area", "neck") not in report.options_not_chosen
    assert {t.text for t in report.thresholds_not_pinned} == {"age >= 55", "age >= 65"}
    assert 0 < report.percent < 100


def test_a_case_just_below_a_threshold_pins_it(tmp_path: Path) -> None:
    pack = load(with_cases(tmp_path, NEAR_MISSES))
    results = run_cases(pack)
    assert all(r.passed for r in results), [r.failures for r in results]
    report = coverage(pack, results)
    assert report.thresholds_not_pinned == ()
    assert {t.text for t in red_flag_thresholds(pack)} == {"age >= 55", "age >= 65"}


def test_count_thresholds_are_listed(tmp_path: Path) -> None:
    pack = load(small_pack(tmp_path, """
questions:
  - {id: a, text: A?, type: yes_no, red_flag_screen: true}
  - {id: b, text: B?, type: yes_no, red_flag_screen: true}
  - {id: c, text: C?, type: yes_no, red_flag_screen: true}
red_flags:
  - id: two_of_three
    when: count(a, b, c) >= 2
    disposition: same_day
    reason: Two signs.
    SOURCE
indications:
  - {id: only_c, when: c, supports: physiotherapy, reason: C., SOURCE}
""", """cases:
  - {id: one_sign, answers: {a: yes, b: no, c: no}, expect: not_enough_information}
"""))
    (threshold,) = red_flag_thresholds(pack)
    assert threshold.text == "count(a, b, c) >= 2" and not threshold.numeric
    assert coverage(pack, run_cases(pack)).thresholds_not_pinned == ()  # b -> yes fires it


@pytest.mark.long(29)
def test_coverage_of_the_bundled_pack_pins_what_evaluating_each_step_afresh_pins() -> None:
    """The threshold search evaluates each stepped answer set once per case, whichever
    thresholds ask (it took 90 s on the bundled pack); the same thresholds stay unpinned as
    when every threshold evaluates its own steps afresh (the definition, written out here)."""
    from triage.authoring.coverage import _steps
    from triage.engine.evaluate import MissingAnswers, evaluate, question_states

    pack = load(BUNDLED)
    results = run_cases(pack)[::25]  # (every 25th case: the afresh search is the slow one)

    def fires(answers: dict[str, Any], rule_id: str) -> bool:
        try:
            return rule_id in {r.id for r in evaluate(pack, answers).fired}
        except MissingAnswers:
            return False

    def pinned_by(t: Any, answers: dict[str, Any]) -> bool:
        if fires(answers, t.rule.id):
            return False
        applicable = question_states(pack, answers).applicable
        return any(fires({**answers, qid: new}, t.rule.id)
                   for qid in t.questions if qid in applicable or not t.numeric
                   for new in _steps(pack, qid, applicable.get(qid), t.numeric))

    thresholds = red_flag_thresholds(pack)
    expected = [t.text for t in thresholds
                if not any(pinned_by(t, dict(r.case.answers)) for r in results)]
    got = [t.text for t in coverage(pack, results).thresholds_not_pinned]
    assert got == expected
    assert 0 < len(got) < len(thresholds)  # (some pinned, some not: both sides checked)


def test_cli_test_failure_shows_location_expected_actual_and_fired(tmp_path: Path) -> None:
    pack = with_cases(tmp_path, """
  - id: wrong_expectation
    answers: {chest_pain: yes}
    expect: same_day
""")
    result = runner.invoke(app, ["test", str(pack)])
    assert result.exit_code == 1
    err = result.stderr
    assert "cases.yaml:" in err and "case 'wrong_expectation' FAILED" in err
    assert "expected: same_day" in err and "actual:   emergency" in err
    assert "fired:    heart_attack_signs" in err
    assert "2 passed, 1 failed" in result.stdout


def test_cli_coverage_and_min_coverage() -> None:
    ok = runner.invoke(app, ["test", str(MINIMAL), "--coverage"])
    assert ok.exit_code == 0
    assert "Coverage:" in ok.stdout and "Rules never fired by a case" in ok.stdout
    assert "fever_older: age >= 65" in ok.stdout
    short = runner.invoke(app, ["test", str(MINIMAL), "--min-coverage", "90"])
    assert short.exit_code == 1 and "below --min-coverage 90%" in short.stderr
    assert runner.invoke(app, ["test", str(MINIMAL), "--min-coverage", "5"]).exit_code == 0


# --------------------------------------------------------------------------- explain


def test_explain_traces_rules_and_comparisons() -> None:
    pack = load(MINIMAL)
    e = explain(pack, STIFF_NECK)
    assert e.disposition == "soft_tissue"
    by_id = {t.rule.id: t for t in e.rules}
    assert by_id["stiffness_soft_tissue"].value is True
    fall = by_id["fall_cannot_walk"]
    assert fall.value is False
    assert [(leaf.text, leaf.value) for leaf in fall.leaves] == [
        ("fall", True), ("can_bear_weight == no", False), ("age >= 55", False)]


def test_explain_counterfactuals_are_smallest_first() -> None:
    pack = load(MINIMAL)
    e = explain(pack, STIFF_NECK)
    one = {(c.changes, c.disposition) for c in e.one}
    assert ((("chest_pain", "yes"),), "emergency") in one
    assert ((("fever", "yes"),), "doctor_first") in one
    assert all(c.disposition not in {x.disposition for x in e.one} for c in e.two)
    same_day = [c for c in e.two if c.disposition == "same_day"]
    assert same_day and dict(same_day[0].changes) == {"can_bear_weight": "no", "age": 55}


def test_explain_unknown_rules_while_answers_are_missing() -> None:
    pack = load(MINIMAL)
    e = explain(pack, {"chest_pain": "no"})
    assert e.disposition is None and "fall" in e.missing
    assert {t.rule.id: t.value for t in e.rules}["fall_cannot_walk"] is None


def test_cli_explain_text_and_json(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(FULL, encoding="utf-8")
    args = ["explain", "--answers", str(answers), "--pack", str(MINIMAL), "--lang", "en"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Disposition: soft_tissue" in result.stdout
    assert ('You would have been told "Call 911 now" (emergency) if you had answered yes to '
            '"Do you have chest pain or pressure right now?".') in result.stdout
    assert 'not ticked "Stiffness"' in result.stdout
    data = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert data["disposition"] == "soft_tissue"
    assert {"changes": {"chest_pain": "yes"}, "disposition": "emergency"} in data["one_change"]


def test_cli_explain_missing_safety_answer_exits_3(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("chest_pain: no\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", "--answers", str(answers), "--pack", str(MINIMAL)])
    assert result.exit_code == 3
    assert "No disposition" in result.stdout and "UNKNOWN" in result.stdout


def test_cli_explain_bad_answers_exit_1(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("chest_pian: no\n", encoding="utf-8")
    result = runner.invoke(app, ["explain", "--answers", str(answers), "--pack", str(MINIMAL)])
    assert result.exit_code == 1 and "did you mean 'chest_pain'" in result.stderr


# a fall that was "no", with "cannot walk" answered all the same (asked only after a fall): at
# 70 that is a warning sign (same day) that assess refuses to leave out
HIDDEN_FALL = ("chest_pain: no\nfall: no\ncan_bear_weight: no\nage: 70\nfever: no\n"
               "area: knee\nproblems: []\nblood_thinners: no\n")
FALL_SIGN = ("can_bear_weight: the answer no is a warning sign (Cannot walk after a fall: red "
             "flag fall_cannot_walk, same_day), but can_bear_weight does not apply with the "
             "answer to fall, so it would be ignored; correct fall or can_bear_weight")


@pytest.mark.parametrize("text", [HIDDEN_FALL, HIDDEN_FALL.replace("chest_pain: no\n", "")],
                         ids=["sign", "sign and gap"])
def test_cli_explain_reports_what_assess_refuses_after_the_trace(
        tmp_path: Path, text: str) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(text, encoding="utf-8")
    args = ["--answers", str(answers), "--pack", str(MINIMAL)]
    assessed = runner.invoke(app, ["assess", *args])
    result = runner.invoke(app, ["explain", *args])
    # the same problems at the same places, the same exit code
    assert result.exit_code == assessed.exit_code == 1
    assert result.stderr == assessed.stderr
    assert f"{answers}:{3 if 'chest' in text else 2}:18: {FALL_SIGN}\n" in result.stderr
    # and the trace all the same: why the sign was left out
    out = result.stdout
    assert out.startswith("No disposition: answers to questions that do not apply state a "
                          f"warning sign:\n  - {FALL_SIGN}\n")
    assert ("can_bear_weight == no: false  (can_bear_weight: no, answered but not asked (its "
            "ask_if is false): ignored)") in out
    assert "What would have changed the disposition" not in out
    data = json.loads(runner.invoke(app, ["explain", *args, "--format", "json"]).stdout)
    assert data["disposition"] is None
    assert data["ignored_warning_signs"] == [
        {"question": "can_bear_weight", "red_flag": "fall_cannot_walk", "message": FALL_SIGN}]
    assert data["missing"] == ([] if "chest" in text else ["chest_pain"])


def test_explain_counts_no_change_that_assess_would_refuse() -> None:
    # fell at 70, cannot walk: same day. "fall: no" would leave "cannot walk" answered where it
    # does not apply: assess refuses that, so it is no way to another disposition
    pack = load(MINIMAL)
    answers = {"chest_pain": "no", "fall": "yes", "can_bear_weight": "no", "age": 70,
               "fever": "no", "area": "knee", "problems": frozenset(), "blood_thinners": "no"}
    e = explain(pack, answers)
    assert e.disposition == "same_day" and not e.ignored_signs
    changed = {c.changes for c in e.one}
    assert (("can_bear_weight", "yes"),) in changed
    assert (("fall", "no"),) not in changed


def test_a_case_whose_answers_assess_refuses_fails_at_the_case(tmp_path: Path) -> None:
    # the disposition the engine gives with the sign left out would pass: a case must not
    # pass where assess refuses the same answers
    pack = with_cases(tmp_path, """
  - id: fall_no_but_cannot_walk
    answers: {chest_pain: no, fall: no, can_bear_weight: no, age: 70, fever: no, area: knee,
              problems: [], blood_thinners: no}
    expect: not_enough_information
  - id: and_no_chest_pain_answer
    answers: {fall: no, can_bear_weight: no, age: 70, fever: no, area: knee, problems: [],
              blood_thinners: no}
    expect: not_enough_information
""")
    result = runner.invoke(app, ["test", str(pack)])
    assert result.exit_code == 1
    assert "2 passed, 2 failed" in result.stdout
    err = result.stderr.splitlines()
    first = err.index(next(line for line in err if "fall_no_but_cannot_walk" in line))
    assert err[first].endswith(":12:5: case 'fall_no_but_cannot_walk' FAILED")
    assert err[first + 2:first + 5] == ["  actual:   no disposition", "  fired:    no rule",
                                        f"  - {FALL_SIGN}"]
    second = err.index(next(line for line in err if "and_no_chest_pain_answer" in line))
    assert err[second + 4:second + 6] == [
        f"  - {FALL_SIGN}", "  - safety questions without an answer: chest_pain"]
    # the bundled pack's own cases: none is refused
    bundled = run_cases(load(REPO_ROOT / "rules"))
    assert [r.case.id for r in bundled if not r.passed] == []


# --------------------------------------------------------------------------- graph


def test_mermaid_graph_has_every_node_and_edge_kind() -> None:
    pack = load(MINIMAL)
    text = mermaid(pack, "en")
    assert text.startswith("flowchart LR\n")
    for q in pack.questions:
        assert f"q_{q.id}[" in text
    for r in pack.rules:
        assert f"r_{r.id}{{{{" in text
    assert "q_fall -. ask_if .-> q_can_bear_weight" in text
    assert "q_chest_pain --> r_heart_attack_signs" in text
    assert "r_heart_attack_signs --> d_emergency" in text
    assert "r_fever_no_massage -- removes --> d_soft_tissue" in text
    assert "r_knee_note -- note --> notes" in text


def test_dot_graph_escapes_quotes(tmp_path: Path) -> None:
    pack = load(small_pack(tmp_path, """
questions:
  - {id: pain, text: 'Is it a "sharp" pain?', type: yes_no, red_flag_screen: true}
red_flags:
  - {id: sharp, when: pain, disposition: same_day, reason: Sharp., SOURCE}
"""))
    text = dot(pack, "en")
    assert text.startswith("digraph triage {") and text.rstrip().endswith("}")
    assert 'label="pain: Is it a \\"sharp\\" pain?"' in text
    assert "#quot;sharp#quot;" in mermaid(pack, "en")


def test_cli_graph_formats() -> None:
    assert runner.invoke(app, ["graph", str(MINIMAL)]).stdout.startswith("flowchart")
    result = runner.invoke(app, ["graph", str(MINIMAL), "--format", "dot", "--lang", "fr"])
    assert result.exit_code == 0 and "Avez-vous de la fièvre?" in result.stdout
    assert runner.invoke(app, ["graph", str(MINIMAL), "--format", "png"]).exit_code == 2


# --------------------------------------------------------------------------- diff


def edited(tmp_path: Path, old: str, new: str, name: str = "red_flags.yaml") -> Path:
    target = tmp_path / "edited"
    shutil.copytree(MINIMAL, target)
    path = target / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_diff_of_a_pack_with_itself_is_empty() -> None:
    pack = load(MINIMAL)
    report = diff(pack, pack)
    assert report.changed == [] and report.compared == 1065  # every path of the pack


def test_diff_groups_changes_by_disposition(tmp_path: Path) -> None:
    old = load(MINIMAL)
    new = load(edited(tmp_path, "age >= 55", "age >= 50"))
    groups = diff(old, new).groups()
    assert groups and all(after == "same_day" for _, after in groups)
    for items in groups.values():
        for c in items:
            assert c.answers["fall"] == "yes" and c.answers["can_bear_weight"] == "no"
            assert 50 <= c.answers["age"] < 55


def test_diff_completes_answers_for_a_new_question(tmp_path: Path) -> None:
    """A new red-flag question: every old path is completed with its answers in the new pack."""
    target = edited(tmp_path, "red_flags:\n", """red_flags:
  - id: numb
    when: numbness
    disposition: emergency
    reason: {en: Numbness., fr: Engourdissement.}
    source: {citation: "Test fixture", year: 2026, kind: consensus}
""")
    questions = target / "questions.yaml"
    questions.write_text(questions.read_text(encoding="utf-8").replace(
        "questions:\n", "questions:\n  - {id: numbness, text: {en: Numb?, fr: Engourdi?}, "
                         "type: yes_no, red_flag_screen: true}\n"), encoding="utf-8")
    groups = diff(load(MINIMAL), load(target)).groups()
    assert {after for _, after in groups} == {"emergency"}
    assert ("emergency", "emergency") not in groups
    assert ("soft_tissue", "emergency") in groups


def test_diff_samples_packs_too_large_to_enumerate(tmp_path: Path) -> None:
    old = load(MINIMAL)
    new = load(edited(tmp_path, "age >= 55", "age >= 50"))
    report = diff(old, new, max_paths=10, samples=300, seed=4)
    assert not report.complete and report.changed
    assert all(c.new == "same_day" for c in report.changed)


def test_cli_diff_exit_codes(tmp_path: Path) -> None:
    same = runner.invoke(app, ["diff", str(MINIMAL), str(MINIMAL)])
    assert same.exit_code == 0 and "No disposition changed." in same.stdout
    changed = runner.invoke(app, ["diff", str(MINIMAL), str(edited(tmp_path, "age >= 55",
                                                                      "age >= 50"))])
    assert changed.exit_code == 1
    assert "-> same_day:" in changed.stdout and "e.g. {" in changed.stdout
    trouble = runner.invoke(app, ["diff", str(MINIMAL), str(tmp_path / "nowhere")])
    assert trouble.exit_code == 2


def test_cli_diff_lists_changed_test_cases(tmp_path: Path) -> None:
    new = edited(tmp_path, "when: chest_pain\n", "when: chest_pain and fever\n")
    result = runner.invoke(app, ["diff", str(MINIMAL), str(new)])
    assert result.exit_code == 1
    assert "old case 'chest_pain_emergency'" in result.stdout
    assert PACKS.name == "packs"
