"""Golden screens from tests/packs/minimal: results, booking summaries, questionnaire transcripts.

Regenerate after an intended change with ``python -m pytest tests/test_golden.py
--update-golden`` (or TRIAGE_UPDATE_GOLDEN=1) and read the diff before committing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.cli.app import app
from triage.engine.evaluate import Outcome
from triage.engine.flow import Accepted, Flow
from triage.pack.compiled import CompiledPack
from triage.render import outcome_text, stops
from triage.render import prompts as p
from triage.render.caller import ListsAt, booking_summary, caller_details

SCENARIOS: dict[str, dict[str, Any]] = {
    # both therapies, with a precaution, an area to avoid and a note
    "knee": {"chest_pain": "no", "fall": "no", "age": 40, "fever": "no", "area": "knee",
             "problems": ["stiffness", "after_surgery"], "blood_thinners": "yes"},
    "emergency": {"chest_pain": "yes"},
    # a certain same-day disposition: later red flags are listed as not asked
    "fall": {"chest_pain": "no", "fall": "yes", "can_bear_weight": "no", "age": 80},
}

Check = Callable[[str, str], None]


def outcome_of(pack: CompiledPack, name: str) -> Outcome:
    flow = Flow(pack)
    truth = SCENARIOS[name]
    while not flow.finished:
        q = flow.current
        assert q is not None
        assert isinstance(flow.set_answer(q.id, truth[q.id]), Accepted)
    return flow.outcome()


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("plain", [True, False], ids=["plain", "rich"])
def test_result_screens(pack: CompiledPack, golden: Check, name: str, lang: str,
                        plain: bool) -> None:
    text = outcome_text(outcome_of(pack, name), pack, lang, plain=plain)
    golden(f"result-{name}-{lang}-{'plain' if plain else 'rich'}.txt", text)


@pytest.mark.parametrize("name", SCENARIOS)
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_booking_summaries(pack: CompiledPack, golden: Check, name: str, lang: str) -> None:
    golden(f"caller-{name}-{lang}.txt", booking_summary(outcome_of(pack, name), pack, lang))


@pytest.mark.parametrize("name", ["knee", "fall"])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_caller_details(pack: CompiledPack, golden: Check, name: str, lang: str) -> None:
    golden(f"caller-details-{name}-{lang}.txt",
           caller_details(outcome_of(pack, name), pack, lang))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("plain", [True, False], ids=["plain", "rich"])
def test_question_screens(pack: CompiledPack, golden: Check, lang: str, plain: bool) -> None:
    flow = Flow(pack, lang)
    look = p.Look(lang, plain=plain, styled=not plain)
    screens = []
    for qid, value in [("chest_pain", "no"), ("fall", "no"), ("age", 40), ("fever", "no"),
                       ("area", "knee"), ("problems", ["stiffness"])]:
        q = flow.current
        assert q is not None and q.id == qid
        screens.append(p.question_block(pack, q, flow.progress, look))
        flow.set_answer(qid, value)
    q = pack.question_by_id["chest_pain"]
    screens += [p.help_text(pack, q, look), stops.stopped(look), stops.emergency(look)]
    golden(f"questions-{lang}-{'plain' if plain else 'rich'}.txt", "".join(screens))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_plain_transcript(golden: Check, lang: str) -> None:
    """Everything a screen reader user hears, in order, for one session with mistakes."""
    typed = "?\nn\nx\nn\n200\n40\nn\n3\n1 2\nb\n1 2\n" + ("y\n" if lang == "en" else "o\n")
    result = CliRunner().invoke(app, ["assess", "--pack", str(MINIMAL), "--plain",
                                      "--lang", lang], input=typed,
                                env={"TRIAGE_INTERACTIVE": "1"})
    assert result.exit_code == 0, result.stderr
    golden(f"transcript-{lang}-plain.txt",
           result.stderr + "----- stdout -----\n" + result.stdout)


# the answers match no therapy: the reception summary's one next step
NO_MATCH = {"chest_pain": "no", "fall": "no", "age": 40, "fever": "no", "area": "knee",
            "problems": [], "blood_thinners": "no"}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_booking_summary_of_no_match_and_of_a_record(pack: CompiledPack, golden: Check,
                                                     lang: str) -> None:
    """No match: no "Tell the caller" of the pack's own next step, the callback said once,
    last. Being recorded: the record named by its id, and `d` while on the screen."""
    flow = Flow(pack)
    while (q := flow.current) is not None:
        assert isinstance(flow.set_answer(q.id, NO_MATCH[q.id]), Accepted)
    golden(f"caller-no-match-{lang}.txt", booking_summary(flow.outcome(), pack, lang))
    golden(f"caller-knee-{lang}-recorded.txt",
           booking_summary(outcome_of(pack, "knee"), pack, lang,
                           ListsAt("7k3m9pxd2q4t", details_key=True)))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_caller_transcript(golden: Check, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything reception staff see for one recorded call: help, a mistake, an option
    chosen by its words, going back (the earlier answer kept), the review, the summary, `d`,
    the record. Each program text speaks to staff about the call, not to a patient."""
    from triage.records import model

    monkeypatch.setattr(model, "new_id", lambda: "7k3m9pxd2q4t")
    knee = "knee" if lang == "en" else "genou"
    yes = "y" if lang == "en" else "o"
    typed = f"?\nn\nx\nn\n40\nn\n{knee}\n1 2\nb\n\n{yes}\n\nd\n\n"
    result = CliRunner().invoke(app, ["assess", "--pack", str(MINIMAL), "--plain", "--caller",
                                      "--record", "--caller-ref", "C-1", "--lang", lang],
                                input=typed, env={"TRIAGE_INTERACTIVE": "1"})
    assert result.exit_code == 0, result.stderr
    golden(f"transcript-caller-{lang}-plain.txt",
           result.stderr + "----- stdout -----\n" + result.stdout)
