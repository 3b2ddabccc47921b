"""Pack texts reach every screen: `validate` refuses control characters in them (issue 12)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from triage.cli.app import app
from triage.cli.exitcodes import EXIT_PROBLEMS
from triage.pack.load import load_pack
from triage.problems import ProblemsError


@pytest.mark.parametrize("escaped", [r"\e]0;pwned\a", r"\e[2J", r"\x9b31m", r"\u202e",
                                     r"\u0007"])
def test_control_characters_in_pack_texts_are_problems(
        pack_copy: Callable[..., Path], escaped: str) -> None:
    def edit(text: str) -> str:
        start = text.index("text:")
        end = text.index("\n", start)
        return (text[:start] + f'text: {{en: "Chest pain now?{escaped}", fr: "Douleur?"}}'
                + text[end:])

    pack = pack_copy({"questions.yaml": edit})
    result = CliRunner().invoke(app, ["validate", str(pack)])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert "control characters" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    with pytest.raises(ProblemsError):
        load_pack(pack, use_cache=False)


def test_line_breaks_and_tabs_in_texts_are_fine(pack_copy: Callable[..., Path]) -> None:
    def edit(text: str) -> str:
        start = text.index("text:")
        end = text.index("\n", start)
        return (text[:start] + 'text: {en: "Chest pain\\tnow?\\nTell us.", fr: "Douleur?"}'
                + text[end:])

    assert load_pack(pack_copy({"questions.yaml": edit}), use_cache=False)


@pytest.mark.parametrize(("citation", "year"), [
    ("Batavia M, J Bodyw Mov Ther 8(1):48-57 (2004)", "2004"),  # the year twice
    ("Stiell IG et al., Canadian C-spine rule (2001)", "2001"),  # a second, different year
    ("NICE CG176 Head injury (2014; now NG232, 2023)", "2014, 2023"),
])
def test_a_citation_that_holds_a_year_is_a_problem(
        pack_copy: Callable[..., Path], citation: str, year: str) -> None:
    """Audit "a result a person sees", finding 16: sources printed "(2001) (2023)", the year
    in the citation and then ``year``."""
    pack = pack_copy({"contraindications.yaml": lambda text: text.replace(
        "Batavia M, J Bodyw Mov Ther 8(1):48-57", citation, 1)})
    result = CliRunner().invoke(app, ["validate", str(pack)])
    # a warning: a pack written before the check still loads (triage diff with an old pack)
    assert result.exit_code == 0, result.output
    assert "contraindications.yaml:8:24: warning: the citation holds " in result.stderr
    assert f"({year}): every result prints the citation, then its 'year' (2004)" \
        in result.stderr


@pytest.mark.parametrize("citation", [
    "Hill JC et al., STarT Back, Lancet 378:1560-71",  # pages, not years
    "Stiell IG et al., Canadian CT Head Rule, Lancet 357:1391-6",
    "Ann Emerg Med 26:1995-2003", "JAMA 275:2011", "NICE NG232 Head injury (was CG176)",
])
def test_pages_and_numbers_in_a_citation_are_no_years(
        pack_copy: Callable[..., Path], citation: str) -> None:
    pack = pack_copy({"contraindications.yaml": lambda text: text.replace(
        "Batavia M, J Bodyw Mov Ther 8(1):48-57", citation, 1)})
    assert load_pack(pack, use_cache=False)


def _with_branch(when: str, fr: str = "Douleur pendant l'effort.") -> Callable[[str], str]:
    def edit(text: str) -> str:
        anchor = "    source: {citation: \"Heart & Stroke Foundation"
        branch = (f"    reason_when:\n      - when: \"{when}\"\n        reason:\n"
                  f"          en: \"Chest pain on effort can be angina.\"\n"
                  f"          fr: \"{fr}\"\n")
        return text.replace(anchor, branch + anchor, 1)
    return edit


def test_reason_when_is_checked_like_when(pack_copy: Callable[..., Path]) -> None:
    """A branch's condition and texts are checked as a rule's own, at their place."""
    pack = pack_copy({"red_flags.yaml": _with_branch("chest_pian and age > 40", fr="")})
    result = CliRunner().invoke(app, ["validate", str(pack)])
    assert result.exit_code == EXIT_PROBLEMS, result.output
    assert "red_flags.yaml:9:16: unknown question 'chest_pian'" in result.stderr
    assert "red_flags.yaml:12:15: the text is empty" in result.stderr


def test_the_reason_of_the_branch_that_held_is_shown(pack_copy: Callable[..., Path]) -> None:
    compiled = load_pack(pack_copy({"red_flags.yaml": _with_branch("age > 40")}),
                         use_cache=False)
    from triage.engine.evaluate import evaluate
    rule = compiled.rule_by_id["heart_attack_signs"]
    assert rule.reason_when and rule.reason["en"] == "Chest pain can be a heart attack."
    older = evaluate(compiled, {"chest_pain": "yes", "age": 50})
    younger = evaluate(compiled, {"chest_pain": "yes", "age": 30})
    assert [r.reason["en"] for r in older.fired] == ["Chest pain on effort can be angina."]
    assert [r.reason["en"] for r in younger.fired] == ["Chest pain can be a heart attack."]
