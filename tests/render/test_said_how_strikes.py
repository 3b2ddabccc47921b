"""An urgent result names no massage contraindication (triage.engine.policy.said_how).

"Go to the emergency department now" for a cold during cancer treatment listed, among the
reasons to go, "Massage (soft tissue) therapy is not safe for you right now" and "No massage
while you have a cold, the flu or another infection you could pass on" with its source (the
terminal, --plain, --caller, JSON and the HTML report): urgent results (same day or sooner)
carry nothing routine, and whether a therapy is safe is routine next to "Do not book
therapy". Outranked red flags already followed the policy (sees audit 2, item 9); the
contraindications follow the same one, whatever their effect. What is a record, not advice,
stays complete: the JSON's and a record's list of the rules that held keeps each one (its
id, kind, effect and source, ``shown: false``) and ``soft_tissue_struck``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import Outcome, evaluate
from triage.engine.policy import CONTRAINDICATION, STRIKE_SOFT_TISSUE, URGENT
from triage.i18n import t
from triage.pack.load import load_pack
from triage.pack.specs import RuleSpec
from triage.records.model import new_record
from triage.render.caller import booking_summary, caller_details
from triage.render.records import record_text
from triage.render.report import report_html, report_markdown
from triage.render.result import outcome_json, outcome_text

PACK = load_pack(REPO_ROOT / "rules", use_cache=False)

# the audit's answers: 60, chemotherapy 3 weeks ago, a cold, a sore knee (pack case
# audit4e_chemo_cold_sore_knee): the emergency department
CHEMO_COLD_KNEE: dict[str, Any] = {
    "emergency_signs": frozenset(), "age": 60, "recent_stroke_signs": "no",
    "areas": frozenset({"knee"}), "today_signs": frozenset({"acute_infection"}),
    "fever_signs": frozenset(), "health_history": frozenset({"chemo"}), "injury": "none",
    "conditions": frozenset()}

_MARKUP = re.compile(r"\x1b\[[0-9;]*m|<[^>]*>")


def flat(text: str) -> str:
    """Words only: no colour codes or HTML tags, every run of spaces (a wrap, a no-break
    space before a French colon, an HTML entity's) one space, so that a text wrapped over
    two lines is still found."""
    text = _MARKUP.sub(" ", text).replace("&#x27;", "'").replace("&#39;", "'")
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def shown_everywhere(outcome: Outcome, lang: str) -> Iterator[tuple[str, str]]:
    """(where, words) of every rendering of the result a person or staff read."""
    yield "terminal", flat(outcome_text(outcome, PACK, lang, plain=False, width=2000))
    yield "plain", flat(outcome_text(outcome, PACK, lang, plain=True))
    yield "caller", flat(booking_summary(outcome, PACK, lang))
    yield "caller d", flat(caller_details(outcome, PACK, lang))
    yield "report.html", flat(report_html(outcome, PACK, lang))
    yield "report.md", flat(report_markdown(outcome, PACK, lang))
    summary = json.loads(outcome_json(outcome, PACK, lang))["summary"]
    yield "json summary", flat(" ".join(" ".join(v) for v in summary.values()))


def words_of(rule: RuleSpec, lang: str) -> list[str]:
    """What names a contraindication to the person: its reason and note (a label can be a
    red flag's too, "Fever", listed among the signs checked), its source's citation."""
    said = [flat(PACK.text(rule.reason, lang)), flat(PACK.text(rule.note, lang)),
            rule.source.citation]
    return [x for x in said if x]


def assert_not_named(outcome: Outcome, rules: tuple[RuleSpec, ...]) -> None:
    for lang in PACK.languages:
        struck = flat(t("soft_tissue_struck", lang))
        for where, shown in shown_everywhere(outcome, lang):
            assert struck not in shown, (where, lang)
            for rule in rules:
                for words in words_of(rule, lang):
                    assert flat(words) not in shown, (rule.id, where, lang, words)
            if where == "caller":
                assert flat(t("caller_contraindications", lang)) not in shown, lang
                assert flat(t("caller_soft_tissue_struck", lang)) not in shown, lang
    # the data keeps every one: its id, kind, effect and source; not its words
    data = outcome.as_dict()
    fired = {r["id"]: r for r in data["fired"]}
    for rule in rules:
        kept = fired[rule.id]
        assert kept["kind"] == CONTRAINDICATION and kept["shown"] is False, rule.id
        assert kept.get("effect") == rule.effect and kept["source"]["citation"], rule.id
        assert "reason" not in kept and "note" not in kept, rule.id
    assert data["soft_tissue_struck"] is outcome.soft_tissue_struck


def test_the_audit_case_names_no_contraindication_anywhere() -> None:
    outcome = evaluate(PACK, CHEMO_COLD_KNEE)
    assert outcome.disposition == "emergency_department"
    strikes = outcome.fired_of(CONTRAINDICATION)
    assert {"ci_acute_infection", "ci_cancer"} <= {r.id for r in strikes}
    assert outcome.soft_tissue_struck
    assert_not_named(outcome, strikes)
    # the reason to go is still said, with its source
    plain = outcome_text(outcome, PACK, "en", plain=True)
    assert "an infection can become serious very fast" in plain and "NICE CG151" in plain
    # a record lists it as held, by id
    record = new_record(caller_ref="C-1", desk="d", staff="s", answers=outcome.answers,
                        disposition=outcome.disposition, outcome=outcome.as_dict(),
                        pack_id=PACK.id, pack_version=PACK.version,
                        pack_hash=PACK.content_hash, tool_version="0")
    text = record_text(record, "en", PACK)
    assert "ci_acute_infection" in text.split("Also held, not said with this result:")[1]
    assert "No massage while" not in text


def test_the_web_result_page_names_no_contraindication() -> None:
    from tests.web.conftest import Visitor, make_client
    from tests.web.test_app import finish

    answers = {k: sorted(v) if isinstance(v, frozenset) else v
               for k, v in CHEMO_COLD_KNEE.items()}
    with make_client(PACK) as client:
        visitor = Visitor(client)
        visitor.start()
        finish(visitor, PACK, answers)
        page = flat(visitor.page)
    assert "Go to the emergency department now" in page
    assert "an infection can become serious very fast" in page
    assert flat(t("soft_tissue_struck", "en")) not in page
    assert "No massage while" not in page and "Batavia" not in page


URGENT_CASES = [c for c in PACK.cases if c.expect in URGENT]


@pytest.mark.parametrize("case", URGENT_CASES, ids=lambda c: c.id)
def test_no_urgent_pack_case_names_a_contraindication(case: Any) -> None:
    outcome = evaluate(PACK, case.answers)
    assert_not_named(outcome, outcome.fired_of(CONTRAINDICATION))


def test_the_pack_cases_sweep_covers_strikes_at_every_urgent_level() -> None:
    """The sweep tests something: every urgent level has a case with a strike."""
    levels = {evaluate(PACK, c.answers).disposition for c in URGENT_CASES
              if evaluate(PACK, c.answers).soft_tissue_struck}
    assert levels == set(URGENT)


CONTRAINDICATIONS = [r for r in PACK.rules if r.kind == CONTRAINDICATION]


@pytest.mark.parametrize("disposition", sorted(URGENT))
def test_no_urgent_disposition_names_any_contraindication(disposition: str) -> None:
    """Every urgent disposition with every contraindication of the pack holding, one at a
    time (whether or not the pack's questions can reach that pairing)."""
    assert {r.effect for r in CONTRAINDICATIONS} >= {STRIKE_SOFT_TISSUE, "avoid_technique"}
    for rule in CONTRAINDICATIONS:
        strike = rule.effect == STRIKE_SOFT_TISSUE
        outcome = Outcome(disposition, None, strike, (0, 0), 0, (None,) * len(PACK.questions),
                          (), PACK, (), (rule,))
        assert_not_named(outcome, (rule,))


def test_a_strike_is_still_said_where_therapy_is_still_to_choose() -> None:
    """Next to a doctor in the coming days (before any therapy), and a therapy result, the
    strike says why no massage meanwhile."""
    (rule,) = [r for r in CONTRAINDICATIONS if r.id == "ci_acute_infection"]
    for disposition in ("doctor_soon", "doctor_first", "physiotherapy"):
        outcome = Outcome(disposition, None, True, (0, 0), 0, (None,) * len(PACK.questions),
                          (), PACK, (), (rule,))
        plain = flat(outcome_text(outcome, PACK, "en", plain=True))
        assert flat(t("soft_tissue_struck", "en")) in plain, disposition
