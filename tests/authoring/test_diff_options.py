"""`triage diff` of two packs that differ by one new option of a question (tests/packs/
diff_before and diff_after: a joint that swelled up with no injury, a doctor today with a
weak immune system, else a doctor first): the answer sets the new option opens are reported,
with what the new pack gives them, never dropped. The diff dropped an answer the old pack
lacked, the old pack asked the question again, and only its own answers were compared: "No
disposition changed", exit 0 (so 0.2.19 -> 0.2.20 hid the new swollen joint option's cases)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.authoring_helpers import PACKS, load
from triage.authoring.diff import diff
from triage.cli.app import app

BEFORE, AFTER = PACKS / "diff_before", PACKS / "diff_after"
NEW_OPTION = (("today_signs", "swollen_joint"),)
runner = CliRunner()


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRIAGE_CACHE_DIR", str(tmp_path / "cache"))


def test_the_answer_sets_a_new_option_opens_are_reported_with_the_new_result() -> None:
    report = diff(load(BEFORE), load(AFTER))
    assert report.changed == []  # nothing both packs can take changed
    assert report.unexpressed
    assert {(u.lacking, u.lacked) for u in report.unexpressed} == {("old", NEW_OPTION)}
    assert all("swollen_joint" in u.answers["today_signs"] for u in report.unexpressed)
    decided = {u.decided for u in report.unexpressed}
    assert decided == {"same_day", "doctor_first"}
    # the new pack's own cases for the option, each with its result
    cases = {u.origin.split(" (")[0]: u.decided for u in report.unexpressed
             if u.origin != "path"}
    assert cases == {"new case 'swollen_joint_weak_immunity'": "same_day",
                     "new case 'swollen_joint'": "doctor_first"}
    # every answer set of the option: alone or with another sign, the immune system either way
    weak = {u.answers.get("weak_immunity") for u in report.unexpressed
            if u.answers["today_signs"] == frozenset({"swollen_joint"})}
    assert weak == {"yes", "no"}
    # the completions with the old pack's own answers are still compared, none dropped
    assert report.compared >= 22


def test_an_option_the_new_pack_removed_is_reported_with_the_old_result() -> None:
    report = diff(load(AFTER), load(BEFORE))
    assert report.changed == []
    assert {(u.lacking, u.lacked) for u in report.unexpressed} == {("new", NEW_OPTION)}
    assert {u.decided for u in report.unexpressed} == {"same_day", "doctor_first"}


def test_a_new_option_no_rule_reads_is_tried_too(tmp_path: Path) -> None:
    """An option that no condition reads gives the result of the answers without it: the
    paths of a pack leave it out, but a new one is what a reviewer must see (here: a swollen
    joint, no rule yet, physiotherapy)."""
    target = tmp_path / "after"
    shutil.copytree(AFTER, target)
    rules = target / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    rules.write_text(text.replace("swollen_joint in today_signs", "chest_pain and stiff"),
                     encoding="utf-8")
    (target / "tests" / "cases.yaml").write_text("cases: []\n", encoding="utf-8")
    report = diff(load(BEFORE), load(target))
    assert {u.lacked for u in report.unexpressed} == {NEW_OPTION}
    assert "physiotherapy" in {u.decided for u in report.unexpressed}


def test_a_sampled_pack_gives_each_new_option_on_paths_of_its_own(tmp_path: Path) -> None:
    """A pack with more paths than --max-paths is sampled; the option the old pack lacks is
    given on paths of its own, which a sample of one path misses."""
    packs = []
    for source in (BEFORE, AFTER):  # without their cases: paths only
        target = tmp_path / source.name
        shutil.copytree(source, target)
        (target / "tests" / "cases.yaml").write_text("cases: []\n", encoding="utf-8")
        packs.append(load(target))
    for seed in range(10):
        report = diff(packs[0], packs[1], max_paths=1, samples=1, seed=seed)
        assert not report.complete
        assert {u.lacked for u in report.unexpressed} == {NEW_OPTION}, seed


def test_cli_diff_reports_them_and_exits_1() -> None:
    result = runner.invoke(app, ["diff", str(BEFORE), str(AFTER)])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "No disposition changed." in out
    assert ("8 answer sets with answers that diff_option 1.0.0 (the old pack) does not have "
            "(an option it lacks, or a value outside its range), so not compared; what "
            "diff_option 1.1.0 gives:") in out
    assert "  same_day: 5 answer sets (today_signs: swollen_joint)" in out
    assert "  doctor_first: 3 answer sets (today_signs: swollen_joint)" in out
    assert ("    e.g. {chest_pain: no, today_signs: [swollen_joint], weak_immunity: no}"
            in out)
    assert "\n    new case 'swollen_joint' (" in out
