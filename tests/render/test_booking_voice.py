"""The booking summary is read by reception staff about a caller: it names rules by their label
and never speaks to the patient ("You were not sure...", "vous"), except in what staff are to
tell the caller (marked so) and the result's own name and timeframe."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import evaluate
from triage.i18n import t
from triage.pack.load import load_pack
from triage.render.caller import booking_summary

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)
SECOND_PERSON = {"en": re.compile(r"\b(you|your)\b", re.IGNORECASE),
                 "fr": re.compile(r"(?<![-\w])(vous|votre|vos)\b", re.IGNORECASE)}


def spoken_to_the_patient(summary: str, lang: str) -> list[str]:
    """Lines in the second person outside what is marked as said to the caller."""
    said, found = False, []
    for line in summary.replace("\xa0", " ").splitlines():
        if not line.startswith("- "):
            said = line.startswith(t("caller_watch_for", lang))
            # the pack's own advice: what to tell the caller, the result's name and timeframe
            if line.startswith((t("caller_tell", lang), t("caller_disposition", lang),
                                t("caller_how_soon", lang) + t("colon", lang))):
                continue
        if not said and SECOND_PERSON[lang].search(line):
            found.append(line)
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_case_of_the_bundled_pack_speaks_to_the_patient(lang: str) -> None:
    wrong = {}
    for case in PACK.cases:
        found = spoken_to_the_patient(booking_summary(evaluate(PACK, case.answers), PACK, lang),
                                      lang)
        if found:
            wrong[case.id] = found
    assert not wrong, wrong


def test_the_summary_names_the_rules_and_marks_what_to_tell_the_caller() -> None:
    (case,) = [c for c in PACK.cases if "health_history_unsure" in c.fires
               and c.expect == "doctor_soon"][:1]
    summary = booking_summary(evaluate(PACK, case.answers), PACK, "en")
    # by its name, and the answer that made it hold (tests/test_not_sure_reasons.py)
    assert re.search(r"^- Not sure about the health history: the caller answered “not sure” "
                     r"to “Which of these .*”, which we count as yes to be safe$", summary, re.M)
    assert "You were not sure" not in summary and "[" not in summary  # no reasons, no sources
    assert re.search(r"^Tell the caller: Book a visit with your doctor", summary, re.M)
