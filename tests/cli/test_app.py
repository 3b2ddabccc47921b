"""The command line: every command and exit code, via typer's CliRunner."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import MINIMAL, REPO_ROOT
from triage import __version__
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_MISSING_ANSWERS, EXIT_NOT_SAVED, EXIT_PROBLEMS, EXIT_USAGE
from triage.cli.version import version_line
from triage.i18n import t

runner = CliRunner()
SAFE_YAML = ("chest_pain: no\nfall: no\nfever: no\nage: 40\narea: neck\n"
             "problems: [stiffness]\nblood_thinners: no\n")


def test_version_names_the_tool_and_the_bundled_pack() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == version_line()
    assert result.stdout.startswith(f"triage {__version__} (rule pack ")
    assert "?" not in result.stdout


def test_no_command_is_a_usage_error_with_a_hint() -> None:
    # no command runs the questionnaire, which cannot run without a terminal: it says what to do
    result = runner.invoke(app, [])
    assert result.exit_code == EXIT_USAGE
    assert result.stdout == ""
    assert result.stderr == (
        "The questionnaire needs a terminal, and standard input is not one. Run it in a "
        "terminal, or give the answers with --answers FILE (--answers - reads them from "
        "standard input).\n")


def test_validate_a_clean_pack() -> None:
    result = runner.invoke(app, ["validate", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "OK: pack minimal 1.0.0" in result.stdout


@pytest.mark.parametrize(("lang", "said"), [
    ("en", "3 questions, 3 rules, 1 test case."),
    ("fr", "3 questions, 3 règles, 1 cas de test.")])
def test_validate_counts_in_words_that_agree(lang: str, said: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A pack with one test case said "1 test cases"."""
    monkeypatch.setenv("TRIAGE_LANG", lang)
    result = runner.invoke(app, ["validate", str(MINIMAL.parent / "unsafe_duplicate")])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip("\n").endswith(said), result.stdout


def test_validate_reports_every_problem_and_exits_1(pack_copy: Callable[..., Path]) -> None:
    pack = pack_copy({"notes.yaml": "notes:\n  - id: Bad\n    when: nonsense\n"})
    result = runner.invoke(app, ["validate", str(pack)])
    assert result.exit_code == EXIT_PROBLEMS
    assert "notes.yaml:2:9: 'Bad' is not a valid id" in result.stderr
    assert "Traceback" not in result.output


def test_validate_a_missing_folder() -> None:
    result = runner.invoke(app, ["validate", "no/such/pack"])
    assert result.exit_code == EXIT_PROBLEMS
    assert "no/such/pack:1:1: no such rule pack folder" in result.stderr


def test_schema_is_json_and_the_committed_copy_is_current() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert "Condition" in schema["$defs"]
    committed = (REPO_ROOT / "rules" / "schema.json").read_text()
    assert json.loads(committed) == schema, "rules/schema.json is stale: run " \
                                            "'triage schema > rules/schema.json'"


def test_every_rule_file_points_editors_at_the_schema() -> None:
    rules = REPO_ROOT / "rules"
    for path in [*rules.glob("*.yaml"), *rules.glob("tests/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = "../schema.json" if path.parent.name == "tests" else "schema.json"
        assert first == f"# yaml-language-server: $schema={expected}", path


def test_assess_answers_from_a_file(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(SAFE_YAML)
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", str(answers),
                                 "--plain", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Result: Massage therapy (RMT)\n")
    assert "This is not a diagnosis." in result.stdout
    assert "some insurance plans ask for one" in result.stdout


def test_assess_json_from_stdin() -> None:
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", "-",
                                 "--format", "json"], input=json.dumps(
        {"chest_pain": "yes"}))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["disposition"] == "emergency"
    assert data["main_red_flag"] == "heart_attack_signs"
    assert data["pack"]["id"] == "minimal"


def test_assess_markdown_in_french(tmp_path: Path) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"chest_pain": "no", "fall": "no", "fever": "yes", "age": 70,
                                   "area": "neck", "problems": ["stiffness"],
                                   "blood_thinners": "no"}))
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", str(answers),
                                 "--format", "markdown", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    # a no-break space keeps the colon with its word in a viewer that wraps the line
    assert result.stdout.startswith("# Résultat\xa0: Voyez un médecin avant la thérapie")
    assert "Ceci n'est pas un diagnostic." in result.stdout


def test_assess_fails_closed_when_a_safety_answer_is_missing(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(SAFE_YAML.replace("chest_pain: no\n", ""))
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", str(answers),
                                 "--lang", "en"])
    assert result.exit_code == EXIT_MISSING_ANSWERS
    assert "chest_pain" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("content", "message"), [
    ("chest_pain: maybe\n", "chest_pain: 'chest_pain' is a yes/no question"),
    ("age: 300\n", "age: the answer given is out of range for 'age' (0 to 120)"),
    ("agee: 30\n", "agee: unknown question 'agee' (did you mean 'age'?)"),
    ("- a\n- b\n", "answers must be a mapping"),
    ("a: [1,\n", "invalid YAML"),
])
def test_assess_reports_bad_answer_files(tmp_path: Path, content: str, message: str) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(content)
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", str(answers)])
    assert result.exit_code == EXIT_PROBLEMS
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_assess_without_answers_or_terminal_does_not_hang() -> None:
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL)], input="")
    assert result.exit_code == EXIT_USAGE


def test_test_command_runs_the_pack_cases(pack_copy: Callable[..., Path]) -> None:
    ok = runner.invoke(app, ["test", str(MINIMAL)])
    assert ok.exit_code == 0
    assert "2 passed, 0 failed" in ok.stdout
    pack = pack_copy({"tests/cases.yaml": lambda t: t.replace("expect: soft_tissue",
                                                              "expect: both")})
    bad = runner.invoke(app, ["test", str(pack)])
    assert bad.exit_code == EXIT_PROBLEMS
    assert "cases.yaml:7:5: case 'stiff_neck' FAILED" in bad.stderr
    assert "expected: both" in bad.stderr and "actual:   soft_tissue" in bad.stderr


def test_an_internal_error_is_reported_without_a_traceback(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    answers = tmp_path / "a.yaml"
    answers.write_text(SAFE_YAML)
    # a cache entry from an incompatible build: simulated by a pack whose decide() is broken
    code = ("import sys; import triage.engine.evaluate as e\n"
            "def boom(*a, **k): raise RuntimeError('secret answer: chest_pain=yes')\n"
            "e.evaluate = boom; import triage.cli.app as c; c.evaluate = boom\n"
            "from triage.cli.entry import main; sys.argv = ['triage', 'assess', '--pack', "
            f"{str(MINIMAL)!r}, '--answers', {str(answers)!r}]; main()\n")
    env = {k: v for k, v in os.environ.items() if k != "TRIAGE_DEBUG"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, check=False)
    assert result.returncode == 70
    assert "internal error (RuntimeError)" in result.stderr
    assert "Traceback" not in result.stderr and "secret" not in result.stderr


def test_an_emergency_result_is_not_buried_under_booking_advice(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("emergency_signs: [chest_pain]\n")
    result = runner.invoke(app, ["assess", "--answers", str(answers), "--plain", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Result: Call 911 now")
    assert "check your plan" not in result.stdout  # nothing routine on an urgent result
    assert "Good to know" not in result.stdout
    assert result.stdout.endswith("Call 911 now.\n")


# a pregnant caller with an overuse injury of the arm: massage therapy, with a precaution
RECEPTION = {"emergency_signs": [], "age": 32, "areas": ["arm"], "today_signs": [],
             "health_history": ["pregnant"], "pregnancy_signs": [], "injury": "none",
             "duration": "up_to_3_months",
             "other_symptoms": [], "myelopathy_signs": [], "bladder_bowel": [],
             "reasons": ["overuse"],
             "conditions": [], "recent_stroke_signs": "no", "exertion_pain": "no"}


@pytest.mark.parametrize("extra", [[], ["--plain"], ["--lang", "fr"]])
def test_reception_mode_prints_the_summary_alone(tmp_path: Path, extra: list[str]) -> None:
    """Staff on the phone get one summary about the patient, not the patient's own result
    followed by a summary that repeats it (the same precaution three times, ~30 warning
    signs checked twice)."""
    from triage.engine.evaluate import evaluate
    from triage.pack.load import load_pack
    from triage.render.caller import booking_summary

    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(RECEPTION))
    result = runner.invoke(app, ["assess", "--answers", str(answers), "--caller",
                                 "--no-record", *extra])
    assert result.exit_code == 0, result.output
    pack = load_pack()
    lang = "fr" if "fr" in extra else "en"
    given = {k: frozenset(v) if isinstance(v, list) else v for k, v in RECEPTION.items()}
    assert result.stdout == booking_summary(evaluate(pack, given), pack, lang)
    stroke, precaution = (("Stroke signs", "Pregnancy") if lang == "en" else
                          ("Signes d'AVC", "Grossesse"))
    assert result.stdout.count(precaution) == 1
    assert stroke not in result.stdout  # a flag checked and not present: counted
    assert t("result", lang) + t("colon", lang) not in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ('{"chest_pain": "no", "chest_pain": "yes"}', "duplicate key 'chest_pain'"),
    ('{"chest_pain": "no",\n "age": }', "2:9: invalid JSON"),
])
def test_json_answer_files_are_read_strictly(tmp_path: Path, content: str, message: str) -> None:
    answers = tmp_path / "a.json"
    answers.write_text(content)
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", str(answers)])
    assert result.exit_code == EXIT_PROBLEMS
    assert message in result.stderr


def test_a_repeated_json_key_is_reported_at_its_own_line_and_column(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each repeat at its second writing, all at once, in the YAML reader's words: a nested
    object's own repeat, and a key written with an escape (``a\\u0067e`` is ``age``)."""
    monkeypatch.chdir(tmp_path)  # the file is named as typed: a.json
    Path("a.json").write_text(
        '{\n  "chest_pain": "no",\n  "answers_note": {"x": 1,\n     "age": 3, "a\\u0067e": 4},'
        '\n    "chest_pain": "yes"\n}\n')
    Path("a.yaml").write_text("chest_pain: no\nchest_pain: yes\n")
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", "a.json"])
    assert result.exit_code == EXIT_PROBLEMS
    assert result.stderr == ("a.json:4:16: duplicate key 'age'\n"
                             "a.json:5:5: duplicate key 'chest_pain'\n"
                             "2 problems found.\n")
    same = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", "a.yaml"])
    assert same.exit_code == EXIT_PROBLEMS
    assert same.stderr.splitlines()[0] == "a.yaml:2:1: duplicate key 'chest_pain'"


def test_an_answers_file_has_one_name_in_every_problem_of_a_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Named as the reader names it (relative to the working folder), whether the problem is
    the file's YAML or an answer in it: the same file was 'a.yaml' for a syntax error and
    '/tmp/.../a.yaml' for an answer, typed the same way."""
    monkeypatch.chdir(tmp_path)
    Path("bad.yaml").write_text("age: [1\n")
    Path("wrong.yaml").write_text("age: forty\n")
    for name, problem in (("bad.yaml", ":1:8: invalid YAML"), ("wrong.yaml", ":1:6: age: ")):
        result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers",
                                     str(tmp_path / name)])
        assert result.exit_code == EXIT_PROBLEMS
        assert result.stderr.startswith(name + problem), result.stderr


def test_only_the_invoked_command_is_built_at_start_up() -> None:
    import typer

    from triage.cli.entry import keep_only_invoked_command

    def fresh() -> typer.Typer:
        demo = typer.Typer()
        sub = typer.Typer()

        @demo.command()
        def assess() -> None: ...

        @demo.command("test")
        def run_tests() -> None: ...

        @sub.command("list")
        def list_all() -> None: ...

        demo.add_typer(sub, name="records")
        return demo

    names = lambda a: ([c.name or c.callback.__name__ for c in a.registered_commands],  # noqa: E731
                       [g.name for g in a.registered_groups])
    one = fresh()
    keep_only_invoked_command(one, ["assess", "--answers", "a.yaml"])
    assert names(one) == (["assess"], [])
    group = fresh()
    keep_only_invoked_command(group, ["records", "list"])
    assert names(group) == ([], ["records"])
    for argv in (["--help"], ["asess"], []):
        untouched = fresh()
        keep_only_invoked_command(untouched, argv)
        assert names(untouched) == (["assess", "test"], ["records"])


def test_json_results_carry_the_diagnosis_and_referral_sentences() -> None:
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", "-",
                                 "--format", "json", "--lang", "fr"],
                           input=json.dumps(yaml.safe_load(SAFE_YAML)))
    data = json.loads(result.stdout)
    assert data["disposition"] in ("physiotherapy", "both", "soft_tissue")
    assert data["not_a_diagnosis"].startswith("Ceci n'est pas un diagnostic")
    assert "vérifiez votre régime" in data["referral"]
    assert "" not in data["summary"]


def test_json_urgent_results_carry_nothing_routine() -> None:
    """A referral sentence or massage techniques next to "call 911" read as a go-ahead."""
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", "-",
                                 "--format", "json"],
                           input=json.dumps({**yaml.safe_load(SAFE_YAML), "chest_pain": "yes"}))
    data = json.loads(result.stdout)
    assert data["disposition"] == "emergency"
    assert data["indications_fired"] >= 1  # techniques there were to leave out
    assert data["not_a_diagnosis"].startswith("This is not a diagnosis")
    assert data["referral"] is None and data["techniques"] == []


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_answer_file_problems_are_at_their_own_lines(tmp_path: Path, suffix: str) -> None:
    answers = tmp_path / f"a.{suffix}"
    if suffix == "yaml":
        answers.write_text("chest_pain: no\nfall: no\nage: 40\n\n\nfever: maybe\narae: knee\n")
    else:
        answers.write_text('{"chest_pain": "no",\n "fall": "no",\n "fever": "maybe",\n'
                           ' "arae": "knee"}\n')
    result = runner.invoke(app, ["assess", "--answers", str(answers), "--pack", str(MINIMAL)])
    assert result.exit_code == 1
    fever, area = (("6:8", "7:1") if suffix == "yaml" else ("3:11", "4:2"))
    assert f"a.{suffix}:{fever}: fever: 'fever' is a yes/no question" in result.stderr
    assert f"a.{suffix}:{area}: arae: unknown question 'arae' (did you mean 'area'?)" in \
        result.stderr
    assert result.stderr.rstrip().endswith("2 problems found.")


@pytest.mark.parametrize(("lang", "said"), [("en", "1 problem found."),
                                            ("fr", "1 problème trouvé.")])
def test_one_problem_is_said_in_the_singular(tmp_path: Path, lang: str, said: str) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("fever: maybe\n")
    result = runner.invoke(app, ["assess", "--answers", str(answers), "--pack", str(MINIMAL)],
                           env={"TRIAGE_LANG": lang})
    assert result.stderr.rstrip().endswith(said)
    assert "(s)" not in result.stderr


@pytest.mark.parametrize(("lang", "locale", "said"), [("fr", "en", "1 problème trouvé."),
                                                      ("en", "fr", "1 problem found.")])
@pytest.mark.parametrize("where", ["answers", "pack", "questionnaire"])
def test_the_count_of_problems_is_in_the_language_asked(
        tmp_path: Path, pack_copy: Callable[..., Path], lang: str, locale: str, said: str,
        where: str) -> None:
    """``--lang`` is the session's language: the count under the problems follows it, not
    the locale (it was always the locale's: "1 problem found." after --lang fr)."""
    answers = tmp_path / "a.yaml"
    answers.write_text("fever: maybe\n" if where == "answers" else "age: 40\n")
    pack = MINIMAL
    if where != "answers":
        pack = pack_copy()
        (pack / "questions.yaml").write_text("questions: [\n")
    words = ["assess", "--lang", lang, "--pack", str(pack)]
    if where != "questionnaire":
        words += ["--answers", str(answers)]
    result = runner.invoke(app, words, env={"TRIAGE_LANG": locale})
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert said in result.stderr.splitlines(), result.stderr


# --------------------------------------------------------------------------- warning signs ignored

# a shoulder problem with nothing urgent, and a cauda equina sign ticked although the question
# is only asked for back, hip or leg problems (the bundled pack)
SHOULDER_WITH_CES_YAML = """\
emergency_signs: []
age: 38
recent_stroke_signs: "no"
areas: [shoulder]
exertion_pain: "no"
today_signs: []
health_history: []
injury: none
duration: under_6_weeks
other_symptoms: []
ces_signs: [saddle_numbness]
reasons: [desk_posture]
conditions: []
"""


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_warning_sign_answered_where_it_does_not_apply_is_a_problem_at_its_line(
        tmp_path: Path, suffix: str) -> None:
    answers = tmp_path / f"a.{suffix}"
    data = yaml.safe_load(SHOULDER_WITH_CES_YAML)
    answers.write_text(SHOULDER_WITH_CES_YAML if suffix == "yaml"
                       else json.dumps(data, indent=1), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(answers)])
    assert result.exit_code == EXIT_PROBLEMS
    assert result.stdout == ""  # no recommendation
    text = answers.read_text(encoding="utf-8")
    at = text.index("[", text.index("ces_signs"))  # the answer's place
    where = f"{text.count(chr(10), 0, at) + 1}:{at - text.rfind(chr(10), 0, at)}"
    assert where == "11:12" or suffix == "json"
    assert result.stderr == (
        f"{answers}:{where}: ces_signs: the answer saddle_numbness is a warning sign (Cauda "
        "equina signs: red flag cauda_equina_signs, emergency_department), but ces_signs does "
        "not apply with the answer to areas, so it would be ignored; correct areas or "
        "ces_signs\n1 problem found.\n")
    # the same answers with the back chosen: the emergency department, as the sign says
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(SHOULDER_WITH_CES_YAML.replace("[shoulder]", "[shoulder, low_back]"),
                     encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(fixed), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["main_red_flag"] == "cauda_equina_signs"


@pytest.mark.parametrize("suffix", ["yaml", "json"])
def test_a_missing_safety_answer_and_a_hidden_warning_sign_are_named_at_once(
        tmp_path: Path, suffix: str) -> None:
    # both wrong in one file: both named in one run (not the sign only once the gap is
    # filled), as problems in the file (exit 1, as a file with a bad answer and a gap); the
    # missing answer at the mapping it belongs in
    text = SHOULDER_WITH_CES_YAML.replace("emergency_signs: []\n", "")
    answers = tmp_path / f"a.{suffix}"
    answers.write_text(text if suffix == "yaml" else json.dumps(yaml.safe_load(text)),
                       encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(answers)])
    assert result.exit_code == EXIT_PROBLEMS
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (f"{answers}:1:1: These safety questions have no answer, so no "
                        "recommendation can be made: emergency_signs. Answer them (never "
                        "leave a safety question out).")
    assert lines[1].startswith(f"{answers}:{'10:12' if suffix == 'yaml' else '1:'}")
    assert lines[1].endswith(": ces_signs: the answer saddle_numbness is a warning sign (Cauda "
                             "equina signs: red flag cauda_equina_signs, emergency_department), "
                             "but ces_signs does not apply with the answer to areas, so it "
                             "would be ignored; correct areas or ces_signs")
    assert lines[2:] == ["2 problems found."]
    # the gap alone: exit 3, as before
    answers.write_text(text.replace("[saddle_numbness]", "[]"), encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(answers)])
    assert result.exit_code == EXIT_MISSING_ANSWERS
    assert "emergency_signs" in result.stderr and "ces_signs" not in result.stderr


def test_an_answer_that_does_not_apply_and_states_nothing_is_only_listed(
        tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(SHOULDER_WITH_CES_YAML.replace("[saddle_numbness]", "[]"),
                       encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(answers), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["ignored_answers"] == ["ces_signs"]


def test_a_refused_answers_file_is_not_recorded_and_writes_no_report(tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text(SHOULDER_WITH_CES_YAML, encoding="utf-8")
    report = tmp_path / "r.html"
    result = runner.invoke(app, ["assess", "--answers", str(answers), "--record",
                                 "--caller-ref", "C-1", "--report", str(report)])
    assert result.exit_code == EXIT_PROBLEMS
    assert not report.exists()
    listed = runner.invoke(app, ["records", "list"])
    assert "C-1" not in listed.stdout


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_summary_that_cannot_be_written_is_exit_4_after_the_result(
        tmp_path: Path, lang: str) -> None:
    """The disk refused the copy, the result was shown: the environment (4), as a record that
    cannot be saved; it was 1, which says the answers or the pack are wrong."""
    report = tmp_path / "no such folder" / "r.html"
    result = runner.invoke(app, ["assess", "--answers", str(REPO_ROOT / "examples" /
                                                            "answers.yaml"),
                                 "--report", str(report), "--lang", lang])
    assert result.exit_code == EXIT_NOT_SAVED, result.stderr
    assert result.stdout  # the result stands
    assert ("Cannot write the summary" if lang == "en"
            else "Impossible d'écrire le résumé") in result.stderr
    assert not report.exists()


def test_the_other_answers_disposition_is_said_next_to_the_sign(tmp_path: Path) -> None:
    # fever after surgery (a doctor today) for a shoulder, with the cauda equina sign
    answers = tmp_path / "a.yaml"
    answers.write_text(SHOULDER_WITH_CES_YAML.replace(
        "today_signs: []", "today_signs: [fever]\nfever_signs: []").replace(
        "health_history: []", "health_history: [recent_surgery]\nwound_signs: []"),
        encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(answers)])
    assert result.exit_code == EXIT_PROBLEMS
    assert "(the other answers already give same_day by red flag " in result.stderr


def test_a_bad_answer_and_a_hidden_warning_sign_are_named_at_once(tmp_path: Path) -> None:
    # a typo in one option of the sign's answer, and a bad age: the file was refused for
    # them alone, and the sign came up only once they were corrected
    answers = tmp_path / "a.yaml"
    answers.write_text(SHOULDER_WITH_CES_YAML.replace("[saddle_numbness]", "[saddle_numbness, "
                                                      "bladder]").replace("age: 38", "age: x"),
                       encoding="utf-8")
    result = runner.invoke(app, ["assess", "--answers", str(answers)])
    assert result.exit_code == EXIT_PROBLEMS
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert [line.split(": ")[1] for line in lines[:-1]] == ["age", "ces_signs", "ces_signs"]
    # the sign at the list, the bad item at the item itself (in the file's order)
    assert lines[1] == (f"{answers}:11:12: ces_signs: the answer saddle_numbness is a warning "
                        "sign (Cauda equina signs: red flag cauda_equina_signs, "
                        "emergency_department), but ces_signs does not apply with the answer "
                        "to areas, so it would be ignored; correct areas or ces_signs")
    assert lines[2].startswith(f"{answers}:11:30: ces_signs: an answer given is not an answer "
                               "of 'ces_signs'")
    assert lines[-1] == "3 problems found."
