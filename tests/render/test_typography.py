"""French typography at the end of a line: a word keeps its « » : ; ? ! in every renderer. A
terminal result wrapped "Quand consulter" / ": Si cela empire" (textwrap and rich break at
any space); a browser breaks before " :" and " ?" unless the space is a no-break space."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.conftest import REPO_ROOT
from tests.render.test_answers_list import ANSWERS
from triage.engine.evaluate import evaluate
from triage.engine.flow import Flow
from triage.i18n import MESSAGES
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.render import outcome_text, wrap_words
from triage.render import prompts as p
from triage.render.caller import booking_summary
from triage.render.report import report_html
from triage.render.result import outcome_markdown
from triage.render.typography import keep_marks_with_words

ANSI = re.compile(r"\x1b\[[0-9;]*m")
PARTED = re.compile(r"^[\s•\-]*[:;?!»]|«\s*$")  # a line that starts with a mark, or ends «


@pytest.fixture(scope="module")
def clinical() -> CompiledPack:
    return load_pack(REPO_ROOT / "rules", use_cache=False)


def french_texts(pack: CompiledPack) -> Iterator[str]:
    yield from (m for m in MESSAGES["fr"].values() if "{" not in m and len(m) > 3)
    for q in pack.questions:
        yield from (pack.text(x, "fr") for x in (q.text, q.caller_text, q.help) if x)
        yield from (pack.text(o.text, "fr") for o in q.options)
    for r in pack.rules:
        yield pack.text(r.reason, "fr")
        if r.source.note:
            yield pack.text(r.source.note, "fr")
    for parts in pack.dispositions.values():
        yield from (pack.text(x, "fr") for x in parts.values())


def parted(text: str) -> list[str]:
    return [line for line in ANSI.sub("", text).splitlines() if PARTED.search(line)]


def test_a_no_break_space_goes_where_french_puts_a_space_before_or_after_a_mark() -> None:
    assert keep_marks_with_words("Quand : oui ; « mot » non ? ah ! Type ? ok") == (
        "Quand\xa0: oui\xa0; «\xa0mot\xa0» non\xa0? ah\xa0! Type\xa0? ok")
    assert keep_marks_with_words("http://x:80 a:b (2004). Note") == "http://x:80 a:b (2004). Note"


def test_wrapped_terminal_lines_never_part_a_word_from_its_mark(
        clinical: CompiledPack) -> None:
    texts = [f"- {text}" for text in french_texts(clinical) if re.search(r" [:;?!»]|« ", text)]
    assert len(texts) > 50
    for width in range(20, 101, 3):
        for text in texts:
            wrapped = wrap_words(text, width)
            assert not parted(wrapped), (width, wrapped)
            assert " ".join(wrapped.split()) == " ".join(text.split())  # nothing lost


@pytest.mark.parametrize("plain", [True, False], ids=["plain", "rich"])
def test_french_results_and_summaries_wrap_whole(clinical: CompiledPack, plain: bool) -> None:
    outcome = evaluate(clinical, {**ANSWERS, "health_history": ["not_sure"], "ces_signs": [],
                                  "bladder_bowel": [],
                                  "wound_signs": [], "pregnancy_signs": [], "first_time": "no",
                                  "aneurysm_pain": "no", "areas": ["low_back"],
                                  "exertion_pain_later": "no", "head_injury": "no",
                                  "cancer_nerve_pain": "no"})
    for width in range(40, 121, 4):
        text = outcome_text(outcome, clinical, "fr", plain=plain, width=width, wrap=True,
                            footer=MESSAGES["fr"]["result_keys"])
        assert not parted(text), width
        assert all(len(line) <= width for line in ANSI.sub("", text).splitlines()
                   if " " in line.strip()), width
        summary = "".join(wrap_words(line, width)
                          for line in booking_summary(outcome, clinical, "fr").splitlines())
        assert not parted(summary), width


@pytest.mark.parametrize("styled", [True, False])
def test_french_questions_wrap_whole(clinical: CompiledPack, styled: bool) -> None:
    flow = Flow(clinical, "fr")
    for width in range(40, 101, 6):
        look = p.Look("fr", plain=not styled, styled=styled, width=width, wrap=True)
        for q in clinical.questions:
            shown = p.question_block(clinical, q, flow.progress, look) + p.help_text(
                clinical, q, look)
            assert not parted(shown), (width, q.id)


def test_what_a_browser_or_another_program_lays_out_has_no_break_spaces(
        clinical: CompiledPack) -> None:
    outcome = evaluate(clinical, ANSWERS)
    for text in (outcome_markdown(outcome, clinical, "fr"),
                 report_html(outcome, clinical, "fr"), booking_summary(outcome, clinical, "fr")):
        assert not re.search(r" [:;?!»]|« ", text.replace("<style>", "").split("</style>")[-1])
        assert "\xa0:" in text


@pytest.mark.parametrize(("text", "indent"), [
    ("   1  Face drooping on one side, with a label long enough to go on", 6),
    ("  12  Knee, with a label long enough to go on to the next line", 6),
    ("- An item of a list, long enough to go on to the next line", 2),
    ("1, Face drooping on one side (plain numbering), long enough to go on", 3),
    # a sentence that starts with a number is no item: its next line is not indented
    ("0 means none of these, so it goes alone. Type 0, or the numbers that apply.", 0),
    ("3 to 5 days after the injury, a text long enough to go on to the next line", 0),
    ("- 3 à 5 jours après une blessure, un texte qui passe à la ligne", 2)])
def test_a_continued_line_is_indented_under_its_item_only(text: str, indent: int) -> None:
    first, *rest = wrap_words(text, 40).splitlines()
    assert rest and first
    assert all(len(line) - len(line.lstrip(" ")) == indent for line in rest), rest
