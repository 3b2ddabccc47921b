"""Reception mode (`--caller`) as staff meet it, driven through CliRunner with typed lines
(input=): where the full lists of a call are, what is said to staff when a call stops, and
options chosen by the words staff read out. English and French."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from tests.conftest import MINIMAL, REPO_ROOT
from triage.cli.app import app
from triage.i18n import t

PACK = ["--pack", str(MINIMAL)]
# knee after surgery, on blood thinners (both), then Enter at the review and at the result
KNEE = {"en": "n\nn\n40\nn\n3\n1 2\ny\n\n\n", "fr": "n\nn\n40\nn\n3\n1 2\no\n\n\n"}
# a desk worker's stiff neck with no warning sign: massage
STIFF_NECK = str(REPO_ROOT / "examples" / "answers.yaml")
SAVED = re.compile(r"Saved as record (\w+)\.")


def invoke(args: list[str], text: str | None = None) -> Result:
    return CliRunner().invoke(app, args, input=text, env={"TRIAGE_INTERACTIVE": "1"})


def lists_line(summary: str) -> str:
    """Where the summary says the full warning sign lists are."""
    line = next(x for x in summary.splitlines() if "warning signs" in x or "signes d'alerte" in x)
    return line.replace("\xa0", " ")


def stored(record_id: str) -> bool:
    from triage.records import open_store, resolve_settings

    with open_store(resolve_settings()) as store:
        return store.get(record_id) is not None


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_summary_names_a_record_only_when_one_is_saved_and_by_its_id(
        lang: str) -> None:
    unsaved = invoke(["assess", "--answers", STIFF_NECK, "--caller", "--lang", lang])
    assert unsaved.exit_code == 0, unsaved.output
    assert lists_line(unsaved.stdout).endswith(t("caller_lists_again", lang) + "."), \
        unsaved.stdout
    assert "records" not in unsaved.stdout and "ID" not in lists_line(unsaved.stdout)
    assert "Saved as record" not in unsaved.stderr

    saved = invoke(["assess", "--answers", STIFF_NECK, "--caller", "--lang", lang,
                    "--record", "--caller-ref", "C-1"])
    assert saved.exit_code == 0, saved.output
    match = SAVED.search(saved.stderr)
    assert match, saved.stderr
    record_id = match[1]
    assert lists_line(saved.stdout).endswith(
        t("caller_lists_record", lang, id=record_id) + "."), saved.stdout
    assert stored(record_id)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_questionnaire_points_to_d_and_to_the_record_it_saves(lang: str) -> None:
    unsaved = invoke(["assess", *PACK, "--caller", "--lang", lang], KNEE[lang])
    assert unsaved.exit_code == 0, unsaved.stderr
    assert lists_line(unsaved.stdout).endswith(t("caller_lists_key", lang) + "."), \
        unsaved.stdout
    assert "records" not in unsaved.stdout

    saved = invoke(["assess", *PACK, "--caller", "--lang", lang, "--record",
                    "--caller-ref", "C-2"], KNEE[lang])
    assert saved.exit_code == 0, saved.stderr
    match = SAVED.search(saved.stderr)
    assert match, saved.stderr
    assert lists_line(saved.stdout).endswith(
        t("caller_lists_record", lang, id=match[1]) + t("caller_lists_or", lang)
        + t("caller_lists_key", lang) + "."), saved.stdout
    assert stored(match[1])


def test_a_clinic_that_records_by_default_gets_the_record_named() -> None:
    assert invoke(["config", "set", "record_by_default", "true"]).exit_code == 0
    result = invoke(["assess", "--answers", STIFF_NECK, "--caller", "--caller-ref", "C-4"])
    assert result.exit_code == 0, result.output
    match = SAVED.search(result.stderr)
    assert match, result.stderr
    assert lists_line(result.stdout).endswith(t("caller_lists_record", "en", id=match[1]) + ".")
    no = invoke(["assess", "--answers", STIFF_NECK, "--caller", "--no-record"])
    assert "records" not in no.stdout and "Saved as record" not in no.stderr


def test_a_record_that_could_not_be_saved_is_said_not_to_exist() -> None:
    """The summary named the record before saving it: if saving fails then (the store took
    it at the start, but not this record: a reference too long), say it is not there. A
    store that cannot be used at the start is said before the result, and no record is
    named (tests/cli/test_records_early.py)."""
    result = invoke(["assess", "--answers", STIFF_NECK, "--caller", "--record",
                     "--caller-ref", "C-" + "3" * 200])
    assert result.exit_code == 4, result.output
    named = re.search(r"record (\w+) \(triage records show \1\)", result.stdout)
    assert named, result.stdout
    assert f"The result above was NOT saved (there is no record {named[1]})." in result.stderr


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_stopped_call_speaks_to_staff_about_the_call(lang: str, tmp_path: Path) -> None:
    """The answers are the call's, not those of the staff member at the keyboard: "Your
    answers were not kept" is for the patient at home."""
    stopped = invoke(["assess", *PACK, "--caller", "--lang", lang], "n\nq\n")
    assert stopped.exit_code == 130
    said = " ".join(stopped.stderr.split())
    assert t("stopped_not_saved_caller", lang, command="").strip() in said, said
    assert f"triage --lang {lang} --caller --pack {MINIMAL} --save " in said, said
    for patient in (t("stopped_not_saved", lang, command="").strip(),
                    t("review_title", lang)):
        assert patient not in said
    saved = tmp_path / "call.json"
    kept = invoke(["assess", *PACK, "--caller", "--lang", lang, "--save", str(saved)],
                  "n\nq\n")
    said = " ".join(kept.stderr.split())
    assert t("stopped_saved_caller", lang, path=saved,
             command=f"triage --resume {saved}") in said, said
    # the patient at home is still spoken to
    home = invoke(["assess", *PACK, "--lang", lang], "n\nq\n")
    assert t("stopped_not_saved", lang, command="").strip() in " ".join(home.stderr.split())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_going_back_and_the_review_speak_of_the_callers_answers(lang: str) -> None:
    typed = "n\nn\n40\nn\n3\n1 2\nb\n\n" + KNEE[lang].split("1 2\n", 1)[1]
    result = invoke(["assess", *PACK, "--caller", "--lang", lang], typed)
    assert result.exit_code == 0, result.stderr
    err = " ".join(result.stderr.split())
    earlier = t("earlier_answer_caller", lang, answer="X").split("X")[0]
    assert earlier in err and t("review_title_caller", lang) in err, err
    for patient in (t("earlier_answer", lang, answer="X").split("X")[0],
                    t("review_title", lang)):
        assert patient not in err


@pytest.fixture
def knee_read_out(pack_copy: Callable[..., Path]) -> Path:
    """The minimal pack with the knee option read out to a caller in its own words."""
    return pack_copy({"questions.yaml": lambda text: text.replace(
        "- {id: knee, text: {en: Knee, fr: Genou}}",
        "- {id: knee, text: {en: Knee, fr: Genou}, "
        "caller_text: {en: The person's knee, fr: Le genou de la personne}}")})


@pytest.mark.parametrize(("lang", "read_out", "own"), [
    ("en", "the person's knee", "knee"), ("fr", "le genou de la personne", "genou")])
def test_an_option_is_chosen_by_the_words_read_out_and_by_the_patients(
        knee_read_out: Path, lang: str, read_out: str, own: str) -> None:
    def chosen(typed: str, *mode: str) -> str:
        result = invoke(["assess", "--pack", str(knee_read_out), "--lang", lang, *mode],
                        f"n\nn\n40\nn\n{typed}\nq\n")
        return " ".join(result.stderr.split())

    said = t("caller_said", lang, answer=read_out.capitalize())
    assert said in chosen(read_out, "--caller"), chosen(read_out, "--caller")
    assert said in chosen(own, "--caller")  # the patient's wording still chooses it
    assert said in chosen(read_out.upper(), "--caller")
    # the patient's own questionnaire shows the patient's words, and takes those
    home = chosen(own)
    assert t("you_chose", lang, answer=own.capitalize()) in home, home
