"""``b`` at a question reopened from the review goes back to the review (Flow.back), and
says so: it said "Back to the previous question." and then showed the review, not the
previous question (found by brk-t: review, 2, b in --plain --lang fr). Going back during the
questionnaire still says "Back to the previous question."."""

from __future__ import annotations

import pytest

from tests.cli.test_back_dropped import TO_SPINE, invoke
from tests.cli.test_narrow_screen import _unwrapped
from triage.i18n import t

# the rest of the questions to the review (as test_the_review_and_going_back_say_it_the_same_way)
TO_REVIEW = [*TO_SPINE, "4", "1", "0", "0", "0", "0"]


@pytest.mark.parametrize(("lang", "args"), [
    ("en", []), ("fr", []), ("en", ["--plain"]), ("fr", ["--plain"]), ("en", ["--caller"]),
    ("fr", ["--caller"])])
def test_b_at_a_question_reopened_from_the_review_says_back_to_the_answers(
        lang: str, args: list[str]) -> None:
    # at the review, 6 reopens the injury question; b there goes back to the review
    result = invoke(["assess", "--lang", lang, *args], [*TO_REVIEW, "6", "b", ""])
    err = _unwrapped(result.stderr)
    reopened = err.rindex(_unwrapped(t("going_back_review_caller" if "--caller" in args
                                       else "going_back_review", lang)))
    title = t("review_title_caller" if "--caller" in args else "review_title", lang)
    assert title in err[reopened:], err[reopened:][:600]  # the review follows
    assert t("going_back", lang) not in err  # never the previous question's words here


def test_b_during_the_questionnaire_still_says_the_previous_question() -> None:
    result = invoke(["assess"], [*TO_SPINE, "b"])
    err = _unwrapped(result.stderr)
    assert t("going_back", "en") in err and t("going_back_review", "en") not in err
