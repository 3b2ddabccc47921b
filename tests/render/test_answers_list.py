""""Your answers" reads question, then answer: the question without its instructions, then
the answer, set off (a capital, bold where the format has it), in every renderer. It printed
"...Cochez tout ce qui s'applique. aucun"."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import REPO_ROOT
from triage.engine.evaluate import evaluate
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render import outcome_json, outcome_markdown, outcome_text, sections
from triage.render.report import report_html

ANSWERS = {"emergency_signs": [], "age": 38, "recent_stroke_signs": "no",
           "areas": ["neck", "shoulder"], "neck_neuro": [], "exertion_pain": "no",
           "today_signs": [], "health_history": [], "injury": "none",
           "duration": "under_6_weeks", "onset": "gradual", "other_symptoms": [],
           "myelopathy_signs": [], "bladder_bowel": [], "reasons": ["desk_posture"],
           "conditions": []}
AREAS = {"en": ("Where do you have pain, stiffness or a problem?", "Neck, Shoulder"),
         "fr": ("Où avez-vous de la douleur, de la raideur ou un problème?", "Cou, Épaule")}
NONE = {"en": "None of these", "fr": "Aucun"}
INSTRUCTIONS = {"en": "Choose all that apply", "fr": "Cochez tout ce qui s'applique"}


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(REPO_ROOT / "rules", use_cache=False)


def answers_lines(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(f"{title}{' :' if title == 'Vos réponses' else ':'}") + 1
    return [line for line in lines[start:] if line.startswith("- ")][:len(ANSWERS)]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_answer_follows_its_short_question(clinical: CompiledPack, lang: str) -> None:
    outcome = evaluate(clinical, ANSWERS)
    (section,) = [s for s in sections(outcome, clinical, lang) if s.pairs]
    question, answer = AREAS[lang]
    assert (question, answer) in section.pairs
    assert ("Quel âge avez-vous?" if lang == "fr" else "How old are you?",
            "38 ans" if lang == "fr" else "38 years") in section.pairs
    plain = outcome_text(outcome, clinical, lang, plain=True)
    lines = answers_lines(plain, section.title)
    assert f"- {question} {answer}" in lines
    assert f"- {section.pairs[0][0]} {NONE[lang]}" == lines[0]  # a capital after the "?"
    for line in lines:
        assert INSTRUCTIONS[lang] not in line, line
        assert not re.search(r"[.?] (none of these|aucun)$", line), line
    markdown = outcome_markdown(outcome, clinical, lang)
    assert f"- {question} **{answer}**" in markdown
    rich = outcome_text(outcome, clinical, lang, plain=False, width=200)
    assert f"{question} \x1b[1m{answer}\x1b[0m" in rich
    html = report_html(outcome, clinical, lang)
    assert f"<li>{question} <strong>{answer}</strong></li>".replace("'", "&#x27;") in html
    assert INSTRUCTIONS[lang].replace("'", "&#x27;") not in html


def test_answers_not_used_are_named_by_their_short_question(clinical: CompiledPack) -> None:
    outcome = evaluate(clinical, {**ANSWERS, "areas": ["knee"]})  # neck_neuro: not asked
    (section,) = [s for s in sections(outcome, clinical, "fr")
                  if s.title.startswith("Répondu, mais non utilisé")]
    assert "Avec ce problème, avez-vous eu l'un de ces signes?" in section.items
    assert not [item for item in section.items if INSTRUCTIONS["fr"] in item]
    summary = json.loads(outcome_json(outcome, clinical, "fr"))["summary"]
    assert f"{AREAS['fr'][0]} Genou" in summary["Vos réponses"]


@pytest.mark.parametrize(("lang", "age", "said"), [
    ("en", 1, "1 year"), ("en", 0, "0 years"), ("en", 2, "2 years"), ("en", 1.0, "1 year"),
    ("fr", 1, "1 an"), ("fr", 0, "0 an"), ("fr", 2, "2 ans"), ("fr", 38, "38 ans"),
])
def test_a_number_answer_takes_the_unit_its_count_takes(clinical: CompiledPack, lang: str,
                                                        age: float, said: str) -> None:
    """"1 ans", "1 years": the unit after 1 (in French, 0 too) is the pack's ``unit_one``,
    wherever the answer is shown again (the review, the result, a record, the report)."""
    from triage.render.answers import answer_text

    assert answer_text(clinical, "age", age, lang) == said
    # a child is asked the arm signs and whether it is the first time
    child = {"arm_injury_signs": [], "first_time": "yes"} if age < 16 else {}
    outcome = evaluate(clinical, {**ANSWERS, **child, "age": age})
    for text in (outcome_text(outcome, clinical, lang, plain=True),
                 outcome_markdown(outcome, clinical, lang)):
        assert re.search(rf"\b{re.escape(said)}\b", text), text
