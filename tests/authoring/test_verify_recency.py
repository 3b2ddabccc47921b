"""`triage verify`'s claim recency_respected: a question that asks when something happened
lists its times oldest first (``recency``), and a more recent answer is never less urgent;
and the checks of ``recency`` where it is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.authoring_helpers import BUNDLED, load, small_pack
from tests.pack.test_validate import problems_of
from triage.authoring.verify import NOT_CHECKED, PROVEN, VIOLATED, verify
from triage.engine.evaluate import evaluate
from triage.engine.policy import urgency_tier

# A knock on the head: a sign after a knock more than 4 weeks ago is a doctor today; the
# same sign after a knock 3 days to 4 weeks ago is a doctor today only with DAYS_AGO's rule.
OPTIONS = """options:
      - {id: "no", text: "No"}
      - {id: weeks_ago, text: More than 4 weeks ago}
      - {id: days_ago, text: 3 days to 4 weeks ago}
      - {id: today, text: In the last 2 days}
      - {id: not_sure, text: Not sure}"""
KNOCK_PACK = """\
questions:
  - id: knock
    text: Did you hit your head? If more than once, answer for the most recent time.
    type: single
    red_flag_screen: true
    RECENCY
    OPTIONS
  - id: vomited
    text: Have you vomited since?
    type: yes_no
    red_flag_screen: true
    ask_if: "knock in [weeks_ago, days_ago, today, not_sure]"
  - id: stiff
    text: Is it stiff?
    type: yes_no
red_flags:
  - id: knock_today
    when: "knock in [today, not_sure]"
    disposition: same_day
    reason: A knock on the head today needs a doctor today.
    SOURCE
  - id: bleed_weeks_later
    when: "knock == weeks_ago and vomited"
    disposition: same_day
    reason: Vomiting weeks after a knock needs a doctor today.
    SOURCE
DAYS_AGO
indications:
  - id: stiffness
    when: stiff
    supports: soft_tissue
    reason: Stiffness responds to massage.
    SOURCE
""".replace("OPTIONS", OPTIONS)
DAYS_AGO = """\
  - id: vomited_days_after
    when: "knock == days_ago and vomited"
    disposition: same_day
    reason: Vomiting days after a knock needs a doctor today.
    SOURCE
"""
RECENCY = "recency: [weeks_ago, days_ago, today]"


def knock_pack(tmp_path: Path, *, recency: str = RECENCY, days_ago: str = DAYS_AGO) -> Path:
    text = KNOCK_PACK.replace("RECENCY", recency).replace("DAYS_AGO\n", days_ago)
    return small_pack(tmp_path / "pack", text)


def test_a_more_recent_answer_that_is_never_less_urgent_is_proven(tmp_path: Path) -> None:
    report = verify(load(knock_pack(tmp_path)), claims={"recency_respected"})
    (claim,) = [c for c in report.claims if c.name == "recency_respected"]
    assert claim.status == PROVEN, [v.message for v in report.violations]
    assert claim.detail == "every answer set; knock"


def test_a_more_recent_knock_that_is_less_urgent_is_a_counter_example(tmp_path: Path) -> None:
    pack = load(knock_pack(tmp_path, days_ago=""))
    report = verify(pack, claims={"recency_respected"})
    (claim,) = [c for c in report.claims if c.name == "recency_respected"]
    assert claim.status == VIOLATED
    (violation,) = report.violations
    assert violation.message == (
        f"answering 'knock' with the more recent days_ago gives {violation.actual}, less "
        f"urgent than the same_day of the older weeks_ago (the question asks for the most "
        f"recent time)")
    # the counter-example is the more recent answer (the questionnaire's path: vomiting is
    # not asked once it cannot change the result), and the engine agrees it is less urgent
    assert violation.answers is not None
    assert violation.answers["knock"] == "days_ago"
    outcome = evaluate(pack, violation.answers)
    assert outcome.disposition == violation.actual
    assert urgency_tier(outcome.disposition) < urgency_tier("same_day")
    assert violation.expect == "same_day"


def test_without_recency_there_is_nothing_to_check(tmp_path: Path) -> None:
    report = verify(load(knock_pack(tmp_path, recency="", days_ago="")),
                    claims={"recency_respected"})
    (claim,) = [c for c in report.claims if c.name == "recency_respected"]
    assert claim.status == PROVEN
    assert claim.detail.startswith("no question lists its times (recency)")


def test_the_path_walker_leaves_the_claim_to_the_solver(tmp_path: Path) -> None:
    report = verify(load(knock_pack(tmp_path, days_ago="")), method="paths")
    (claim,) = [c for c in report.claims if c.name == "recency_respected"]
    assert claim.status == NOT_CHECKED


def test_the_bundled_pack_proves_the_claim() -> None:
    pack = load(BUNDLED)
    assert any(q.recency for q in pack.questions)  # which: test_clinical_audit_0_2_29_m
    report = verify(pack, claims={"recency_respected"})
    assert report.ok, [v.message for v in report.violations]


@pytest.mark.parametrize(("recency", "expected"), [
    ("recency: [weeks_ago, dayz_ago]",
     "'dayz_ago' is not an option of 'knock' (did you mean 'days_ago'?)"),
    ("recency: [weeks_ago, not_sure]", "'not_sure' is not a time"),
    ("recency: [weeks_ago, today, weeks_ago]", "'weeks_ago' is named twice"),
    ("recency: [today]", "'recency' needs two times or more, oldest first"),
])
def test_a_wrong_recency_is_reported_where_it_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, recency: str, expected: str) -> None:
    pack = knock_pack(tmp_path, recency=recency)
    monkeypatch.chdir(tmp_path)
    problems = [p for p in problems_of(pack) if expected in p]
    assert len(problems) == 1, problems_of(pack)
    assert problems[0].startswith("pack/rules.yaml:6:"), problems


def test_recency_on_a_question_that_is_no_single_choice_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = KNOCK_PACK.replace("RECENCY", RECENCY).replace("DAYS_AGO\n", DAYS_AGO).replace(
        "    type: yes_no\n    red_flag_screen: true\n",
        "    type: yes_no\n    red_flag_screen: true\n    recency: [weeks_ago, today]\n", 1)
    pack = small_pack(tmp_path / "pack", text)
    monkeypatch.chdir(tmp_path)
    assert [p for p in problems_of(pack) if "'recency' is for a single choice" in p] == [
        "pack/rules.yaml:17:5: 'recency' is for a single choice that asks when something "
        "happened"]


def test_a_time_left_out_of_recency_is_reported(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A time left out would never be compared: "3 days to 4 weeks" left out, the pack
    without its rule proved the claim (review of 0.2.30)."""
    pack = knock_pack(tmp_path, recency="recency: [weeks_ago, today]", days_ago="")
    monkeypatch.chdir(tmp_path)
    assert [p for p in problems_of(pack) if "leaves out" in p] == [
        "pack/rules.yaml:6:5: 'recency' leaves out 'no', 'days_ago': list every time, oldest "
        "first (only 'not_sure' and one answer that says it did not happen stay out)"]


REPEAT = """\
  - id: knock_later
    text: You named falls. Did you hit your head? If more than once, the most recent time.
    type: single
    red_flag_screen: true
    repeats: knock
    ask_if: "stiff and knock == no"
    OPTIONS
""".replace("OPTIONS", OPTIONS)


def test_a_repeat_lists_the_times_of_the_question_it_repeats(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without them the repeat's times were never compared (review of 0.2.30)."""
    text = (KNOCK_PACK.replace("RECENCY", RECENCY).replace("DAYS_AGO\n", DAYS_AGO)
            .replace("red_flags:\n", REPEAT + "red_flags:\n", 1))
    pack = small_pack(tmp_path / "pack", text)
    monkeypatch.chdir(tmp_path)
    assert [p for p in problems_of(pack) if "repeats 'knock'" in p] == [
        "pack/rules.yaml:25:5: 'knock_later' repeats 'knock': list the same 'recency' "
        "(weeks_ago, days_ago, today)"]
    pack = small_pack(tmp_path / "pack", text.replace(
        "    repeats: knock\n", f"    repeats: knock\n    {RECENCY}\n"))
    assert not [p for p in problems_of(pack) if "recency" in p]


def test_a_repeat_that_can_be_asked_with_its_original_fails_the_claim_alone(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The solver reads a question and its repeat as one answer, exact only if they are never
    both asked; `--claim recency_respected` alone said PROVEN (review of 0.2.30)."""
    both = (REPEAT.replace('ask_if: "stiff and knock == no"', 'ask_if: "stiff"')
            .replace("    repeats: knock\n", f"    repeats: knock\n    {RECENCY}\n"))
    text = (KNOCK_PACK.replace("RECENCY", RECENCY).replace("DAYS_AGO\n", DAYS_AGO)
            .replace("red_flags:\n", both + "red_flags:\n", 1))
    pack = small_pack(tmp_path / "pack", text)
    monkeypatch.chdir(tmp_path)
    report = verify(load(pack), claims={"recency_respected"})
    assert [v.message for v in report.violations] == [
        "pack/rules.yaml:21:5: 'knock_later' repeats 'knock' but both can be asked, so their "
        "times are not one answer (the ask_if of a repeat must hold only when the other's "
        "does not)"]
