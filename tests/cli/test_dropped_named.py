"""An answer removed because its question no longer applies (a changed answer earlier on, or
a saved session resumed) is told with its question in the words it was asked in: never the
question's id ("spine_hurt", "areas"), which is pack data a patient or the staff at the desk
cannot read (found by hand: "Answers that no longer apply were removed: spine_hurt.")."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from triage.cli.app import app
from triage.pack.load import load_pack
from triage.render import prompts
from triage.render.answers import short_question

PACK = load_pack()
IDS = re.compile(r"\b(" + "|".join(re.escape(q.id) for q in PACK.questions) + r")\b")

# 70, lower back, an injury 3 to 10 days ago, no head knock, and it hurt the back, then no
# sign to the end; at the review, answer 6 (the injury) changed to "No injury": spine_hurt is
# removed
TO_REVIEW = "0\n70\n6\n0\n0\n3\n1\n1\n4\n1\n0\n0\n0\n0\n"
NO_INJURY = "6\n1\n"


def invoke(args: list[str], text: str) -> Result:
    return CliRunner().invoke(app, args, input=text, env={"TRIAGE_INTERACTIVE": "1"})


def spoken_ids(text: str) -> list[str]:
    """The question ids in what was shown (a word such as "age" is a question id too: only
    ids with an underscore, or the id of a question removed, count as pack data)."""
    return [m for m in IDS.findall(text) if "_" in m]


@pytest.mark.parametrize(("lang", "caller", "words"), [
    ("en", False, "The answer to “Did an injury that started this problem, or made it worse, "
                  "hurt your neck or back?” no longer applies and was removed."),
    ("en", True, "The answer to “Did an injury that started the person's problem, or made it "
                 "worse, hurt their neck or back?” no longer applies and was removed."),
    ("fr", False, "La réponse à « Une blessure à l'origine de ce problème, ou qui l'a aggravé, "
                  "a-t-elle touché votre cou ou votre dos? » ne s'applique plus et a été "
                  "retirée."),
])
def test_an_answer_removed_by_going_back_is_told_by_its_question(lang: str, caller: bool,
                                                                 words: str) -> None:
    args = ["assess", "--lang", lang] + (["--caller"] if caller else [])
    result = invoke(args, TO_REVIEW + NO_INJURY)
    err = " ".join(result.stderr.split())
    assert words in err
    assert "spine_hurt" not in err
    assert spoken_ids(err) == []


def test_a_resumed_session_names_a_dropped_answer_by_its_question(tmp_path: Path) -> None:
    saved = tmp_path / "s.json"
    invoke(["assess", "--save", str(saved)], "0\n40\n6\n")
    data = json.loads(saved.read_text())
    data["answers"]["areas"] = ["low_back", "no_such_place"]
    data["answers"]["retired_question"] = "yes"
    saved.write_text(json.dumps(data))
    for lang, caller, words in (
            ("en", False, "The saved answer to “Where do you have pain, stiffness or a "
                          "problem?” was dropped: the answer no longer fits the question."),
            ("en", True, "The saved answer to “Where does the person have pain, stiffness or "
                         "a problem?” was dropped"),
            ("fr", False, "La réponse enregistrée à « Où avez-vous de la douleur, de la "
                          "raideur ou un problème? » a été retirée")):
        args = ["assess", "--lang", lang, "--resume", str(saved)] + (
            ["--caller"] if caller else [])
        err = " ".join(invoke(args, "").stderr.split())
        assert words in err
        # a question the pack no longer has is named the one way it can be
        assert "“retired_question”" in err or "« retired_question »" in err
        assert "'areas'" not in err and "« areas »" not in err and "“areas”" not in err
        saved.write_text(json.dumps(data))  # as saved: the run keeps what it resumed


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("caller", [False, True])
def test_every_question_removed_is_told_in_its_words(lang: str, caller: bool) -> None:
    """The class: whichever questions a changed answer removes, one or many, the note says
    each as it was asked (in reception mode, as staff read it out), and no id."""
    look = prompts.Look(lang, plain=True, caller=caller)
    qids = [q.id for q in PACK.questions]
    for many in ([qid] for qid in qids):
        note = prompts.dropped_later(PACK, many, look)
        assert spoken_ids(note) == [], note
        q = PACK.question_by_id[many[0]]
        text = q.caller_text if caller and q.caller_text else q.text
        assert short_question(PACK.text(text, lang)) in note
    note = prompts.dropped_later(PACK, qids, look)
    assert spoken_ids(note) == []
    assert ("The answers to" if lang == "en" else "Les réponses à") in note
