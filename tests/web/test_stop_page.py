"""The web's 911 stop page (sees audit 2, item 10): it said "Call 911" four or five times, one
of them the pack's "Call 911 now, even if the signs went away." under meningitis, whose
signs are there. Like every other output (render.result.sections), it says "call 911" as the
result and what to do, and gives the reason; no "when to seek care" line."""

from __future__ import annotations

import re
from html import unescape

import pytest

from triage.engine.refusal import screen_answers
from triage.pack.compiled import CompiledPack

from .conftest import Visitor, make_client
from .test_app import finish


def _emergency_cases(pack: CompiledPack) -> dict[str, dict[str, object]]:
    """The first case of the bundled pack for each 911 warning sign that decides."""
    found: dict[str, dict[str, object]] = {}
    for case in pack.cases:
        outcome = screen_answers(pack, case.answers).outcome
        if outcome is not None and outcome.disposition == "emergency":
            found.setdefault(outcome.main_red_flag or "", dict(case.answers))
    return found


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_stop_page_says_call_911_without_the_when_to_seek_care_line(
        clinical: CompiledPack, lang: str) -> None:
    cases = _emergency_cases(clinical)
    assert "meningitis_signs" in cases and len(cases) >= 5
    if_worse = clinical.text(clinical.dispositions["emergency"]["if_worse"], lang)
    went_away = {"en": "even if the signs went away", "fr": "même si les signes ont disparu"}
    for flag, answers in cases.items():
        with make_client(clinical) as client:
            visitor = Visitor(client)
            visitor.start()
            if lang == "fr":
                visitor.get("/lang/fr?back=s")
            finish(visitor, clinical, answers)
        page = unescape(visitor.page)
        assert 'class="emergency"' in page, flag
        assert if_worse not in page, flag
        if flag == "meningitis_signs":  # its signs are there (a stroke's may have gone)
            assert went_away[lang] not in page
        section = page[page.index('<section class="emergency"'):page.index("</section>")]
        said = re.sub(r"<[^>]+>", " ", section)  # as read: not the button's tel:911
        # the heading, what to do, the button, and at most the reason's own last sentence
        assert said.count("911") <= 4, (flag, said)
