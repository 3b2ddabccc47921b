"""An urgent result's record and JSON carry nothing routine (policy.said_with): every rule
that held is named, but booking, insurance, claim and therapy texts are not said next to
"call 911" or "today"; a record lists the answers in asking order, question then answer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.records.conftest import build_record
from triage.cli.app import app
from triage.engine.evaluate import evaluate
from triage.pack.bundled import default_pack_dir
from triage.pack.load import load_pack
from triage.render.records import record_text
from triage.render.result import reason_rules

# the audit's 911 case: a neck injury at 70 after a car accident (whole body, so the therapy
# notes and indications hold too)
EMERGENCY: dict[str, Any] = {
    "emergency_signs": [], "age": 70, "recent_stroke_signs": "no", "areas": ["whole_body"],
    "ces_signs": [], "neck_neuro": [], "exertion_pain": "no", "today_signs": [],
    "health_history": [], "injury": "last_2_days", "head_injury": "no", "spine_hurt": "yes",
    "spine_injury": ["dangerous_mechanism", "limb_tingling"], "duration": "under_6_weeks",
    "other_symptoms": [], "myelopathy_signs": [], "reasons": ["accident_recovery"],
    "conditions": []}
ROUTINE = ("insurance", "book", "claim", "4 weeks of therapy", "physiotherapist")
# the red flags that hold with it and send to a doctor today: the 911 result outranks them
OUTRANKED = ("spinal_injury_signs", "fall_fracture_risk", "ottawa_knee")
runner = CliRunner()
pytestmark = pytest.mark.usefixtures("own_store")  # tests/cli/conftest.py


def _file(tmp_path: Path, answers: dict[str, Any]) -> str:
    path = tmp_path / "a.json"
    path.write_text(json.dumps(answers), encoding="utf-8")
    return str(path)


def test_json_names_every_rule_but_says_only_what_goes_with_911(tmp_path: Path) -> None:
    out = runner.invoke(app, ["assess", "--answers", _file(tmp_path, EMERGENCY),
                              "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["disposition"] == "emergency"
    fired = {r["id"]: r for r in data["fired"]}
    outcome = evaluate(load_pack(default_pack_dir()), EMERGENCY)
    assert list(fired) == [r.id for r in outcome.fired]  # every id: it is data
    for rule_id in ("injury_claim", "sn_therapy_not_better",
                    "physio_accident_recovery"):
        assert fired[rule_id]["shown"] is False
        assert "reason" not in fired[rule_id] and "techniques" not in fired[rule_id]
        assert "note" not in fired[rule_id]["source"]
    flags = {r["id"]: r for r in data["fired"] if r["kind"] == "red_flag"}
    main = flags.pop(data["main_red_flag"])
    assert main["shown"] and main["reason"] and main["disposition"] == "emergency"
    # the flags the 911 result outranks are named (id, their own level), not said
    assert set(flags) == set(OUTRANKED)
    assert all(r["shown"] is False and "reason" not in r for r in flags.values())
    assert all(r["disposition"] == "same_day" for r in flags.values())
    said = json.dumps([r for r in data["fired"] if r["shown"]]).casefold()
    assert not [word for word in ROUTINE if word in said]


def test_a_therapy_result_says_every_rule(tmp_path: Path) -> None:
    pack = load_pack(default_pack_dir())
    case = next(c for c in pack.cases if c.expect == "physiotherapy")
    data = evaluate(pack, case.answers).as_dict()
    assert data["fired"] and all(r["shown"] and r["reason"] for r in data["fired"])


def test_records_show_of_an_emergency_says_nothing_routine(tmp_path: Path) -> None:
    saved = runner.invoke(app, ["assess", "--answers", _file(tmp_path, EMERGENCY), "--caller",
                                "--record", "--caller-ref", "C-1"])
    assert saved.exit_code == 0, saved.output
    listed = runner.invoke(app, ["records", "list"]).stdout.splitlines()
    shown = runner.invoke(app, ["records", "show", listed[-1].split()[0]]).stdout
    fired = shown[shown.index("Rules that fired:"):shown.index("Also held")]
    assert not [word for word in ROUTINE if word in fired.casefold()], fired
    held = shown[shown.index("Also held, not said with this result: "):].splitlines()[0]
    assert "sn_therapy_not_better" in held and "injury_claim" in held  # named: it held
    # the answers in asking order, each question without its instructions, then the answer;
    # a call's as staff read them out (tests/cli/test_records_caller.py)
    answers = shown[shown.index("Answers:"):].splitlines()[1:]
    assert answers[0].startswith("- Does the person have any of these now")
    assert answers[1] == "- How old is the person with the problem? 70 years"
    assert "- Where does the person have pain, stiffness or a problem? Many places, or all " \
        "over" in answers
    assert not [line for line in answers if "Choose all" in line]


def _saved_911_record(tmp_path: Path) -> str:
    saved = runner.invoke(app, ["assess", "--answers", _file(tmp_path, EMERGENCY), "--caller",
                                "--record", "--caller-ref", "C-1"])
    assert saved.exit_code == 0, saved.output
    return runner.invoke(app, ["records", "list"]).stdout.splitlines()[-1].split()[0]


def test_records_show_of_911_gives_an_outranked_flag_s_name_not_its_advice(
        tmp_path: Path) -> None:
    """Under "Call 911" a record printed the same-day flags' own reasons ("It needs an X-ray
    today"), read as a second instruction; the person was told only "Also found: <name>"."""
    pack = load_pack(default_pack_dir())
    shown = runner.invoke(app, ["records", "show", _saved_911_record(tmp_path)]).stdout
    told = shown[shown.index("Rules that fired:"):shown.index("Also found, outranked")]
    # a call's reasons by their names, as the reception summary gave them
    assert "neck_injury_high_risk (red_flag): Neck injury with a high-risk factor" in told
    for rule_id in OUTRANKED:
        rule = pack.rule_by_id[rule_id]
        assert rule.reason["en"] not in shown, rule_id
        # as said: a definite label (at 70, after a definite injury: no "or not sure")
        label = rule.definite_label or rule.label
        assert f"- {rule_id} (same_day): {label['en']}" in shown
    assert "X-ray today" not in shown
    assert "- fall_fracture_risk (same_day): Can't walk, or hurt in an injury, in an older " \
        "adult or with weak bones\n" in shown
    for line in shown[shown.index("Also found, outranked"):shown.index("Also held")].splitlines():
        assert not [word for word in ROUTINE if word in line.casefold()], line


def test_a_record_kept_before_outranked_flags_were_named_only_names_them(
        tmp_path: Path) -> None:
    """A record stored its outranked flags as said, with their reasons: records show decides
    by the policy from the stored levels, as the screen did."""
    pack = load_pack(default_pack_dir())
    outcome = evaluate(pack, EMERGENCY).as_dict()
    for rule in outcome["fired"]:
        if rule["id"] in OUTRANKED:  # as stored before: said, with the reason
            rule["shown"] = True
            rule["reason"] = pack.rule_by_id[rule["id"]].reason
    record = build_record(disposition="emergency", outcome=outcome, answers=EMERGENCY)
    for with_pack in (pack, None):
        text = record_text(record, "en", with_pack)
        assert "X-ray today" not in text
        assert all(f"- {rule_id} (same_day)" in text for rule_id in OUTRANKED)


def test_one_policy_names_outranked_flags_on_the_screen_and_in_json() -> None:
    """Every bundled case: the flags the result names only (screen, caller summary) are the
    ones JSON and records mark as not said (policy.said_with), and none is the main flag."""
    pack = load_pack(default_pack_dir())
    named_only = 0
    for case in pack.cases:
        outcome = evaluate(pack, case.answers)
        shown = {r["id"]: r["shown"] for r in outcome.as_dict()["fired"]}
        for rule, outranked in reason_rules(outcome):
            if rule.kind == "red_flag":
                assert shown[rule.id] is not outranked, (case.id, rule.id)
                assert not (outranked and rule.id == outcome.main_red_flag), case.id
                named_only += outranked
    assert named_only >= 20
