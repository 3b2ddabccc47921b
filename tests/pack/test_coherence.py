"""A cache entry sealed again with a good digest after a hand edit must hold together, or it is
a miss: never an internal error (it was exit 70 for a red flag sent to a disposition without
words)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import REPO_ROOT
from triage.cli.app import app
from triage.folders import cache_dir
from triage.pack.bundled import default_pack_dir
from triage.pack.cache import _entry_name, entry_key, seal_entry, unpack_entry
from triage.pack.coherence import ReadBack, incoherence
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.plain import NODES, decode, encode

BUNDLED = default_pack_dir()
# weakness on both sides with nothing hurting: red flag weakness_both_sides, the
# emergency department
CASE_FILE = REPO_ROOT / "rules" / "tests" / "audit_0_2_27_k.yaml"


@pytest.fixture(scope="module")
def bundled() -> CompiledPack:
    return load_pack(BUNDLED, use_cache=False)


def _rule(data: dict[str, Any], rule_id: str) -> dict[str, Any]:
    return next(r for r in data["rules"] if r["id"] == rule_id)


def _question(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == question_id)


def _first_is(data: dict[str, Any], node: Any) -> dict[str, Any]:
    """The first ``Is`` node of a condition, in the pack's table of conditions (a node names
    the nodes it holds by their place in that table)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if type(n) is int:
            n = data[NODES][n]
        if isinstance(n, dict):
            if n.get("$t") == "Is":
                return n
            stack.extend(n.values())
        elif isinstance(n, list):
            stack.extend(n)
    raise AssertionError("no Is in the condition")


def _unknown_disposition(data: dict[str, Any]) -> None:
    _rule(data, "weakness_both_sides")["disposition"] = "hospital"


def _disposition_without_words(data: dict[str, Any]) -> None:
    del data["dispositions"]["same_day"]


def _question_left_out(data: dict[str, Any]) -> None:
    data["questions"] = [q for q in data["questions"] if q["id"] != "neck_neuro"]


def _option_misspelt(data: dict[str, Any]) -> None:
    node = _first_is(data, _rule(data, "weakness_both_sides")["when"])
    node["options"] = [*node["options"][1:], "yes_bothsides"]


def _has_on_a_single_choice(data: dict[str, Any]) -> None:
    node = _first_is(data, _rule(data, "weakness_both_sides")["when"])
    question = node["question"]
    node.clear()
    node.update({"$t": "Has", "question": question, "option": "yes", "negate": False})


def _number_read_from_a_choice(data: dict[str, Any]) -> None:
    rule = _rule(data, "weakness_both_sides")
    question = _first_is(data, rule["when"])["question"]
    table = data[NODES]
    table += [{"$t": "Answer", "question": question}, {"$t": "Number", "value": 1.0}]
    table.append({"$t": "Compare", "op": ">", "left": len(table) - 2, "right": len(table) - 1})
    rule["when"] = len(table) - 1


def _text_without_french(data: dict[str, Any]) -> None:
    del _rule(data, "weakness_both_sides")["reason"]["fr"]


def _rules_out_of_order(data: dict[str, Any]) -> None:
    data["rules"].reverse()


def _rule_twice(data: dict[str, Any]) -> None:
    data["rules"].insert(1, data["rules"][0])


def _question_twice(data: dict[str, Any]) -> None:
    data["questions"].append(data["questions"][0])


def _repeats_unknown(data: dict[str, Any]) -> None:
    next(q for q in data["questions"] if q["repeats"])["repeats"] = "no_such_question"


def _unknown_kind(data: dict[str, Any]) -> None:
    data["rules"][-1]["kind"] = "hint"


def _shown_with_unknown(data: dict[str, Any]) -> None:
    next(r for r in data["rules"] if r["show_with"])["show_with"] = ["massage"]


def _reads_unknown(data: dict[str, Any]) -> None:
    _rule(data, "weakness_both_sides")["reads"].append("age_years")


def _every_place_unknown(data: dict[str, Any]) -> None:
    _question(data, "areas")["places"]["every_place"] = ["everywhere"]


def _maximum_infinite(data: dict[str, Any]) -> None:
    _question(data, "age")["max"] = float("inf")  # JSON's Infinity: the reader takes it


def _minimum_not_a_number(data: dict[str, Any]) -> None:
    _question(data, "age")["min"] = float("nan")


def _no_minimum(data: dict[str, Any]) -> None:
    _question(data, "age")["min"] = None


def _bounds_crossed(data: dict[str, Any]) -> None:
    _question(data, "age").update({"min": 120.0, "max": 0.0})


def _bounds_on_a_choice(data: dict[str, Any]) -> None:
    _question(data, "injury")["max"] = 1.0


# each forgery, and the check that must find it (each check is the one that stops one)
FORGERIES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    f.__name__.lstrip("_"): (f, found) for f, found in (
        (_unknown_disposition, "rule weakness_both_sides: disposition"),
        (_disposition_without_words, "dispositions"),
        (_question_left_out, "rule knock_then_headache_worse: reads"),
        (_option_misspelt, "a condition on 'weakness_both_sides'"),
        (_has_on_a_single_choice, "a condition on 'weakness_both_sides'"),
        (_number_read_from_a_choice, "a condition on 'weakness_both_sides'"),
        (_text_without_french, "a text without every language"),
        (_rules_out_of_order, "rules out of precedence order"),
        (_rule_twice, "a rule id twice"),
        (_question_twice, "a question id twice"),
        (_repeats_unknown, "question head_injury_later: repeats"),
        (_unknown_kind, "rule sn_therapy_not_better: kind"),
        (_shown_with_unknown, "rule sn_therapy_not_better: show_with or urgency"),
        (_reads_unknown, "rule weakness_both_sides: reads"),
        (_every_place_unknown, "question areas: every_place"),
        (_maximum_infinite, "question age: min and max"),
        (_minimum_not_a_number, "question age: min and max"),
        (_no_minimum, "question age: min and max"),
        (_bounds_crossed, "question age: min and max"),
        (_bounds_on_a_choice, "question injury: min and max"))}


def _forged(pack: CompiledPack, forge: Callable[[dict[str, Any]], None]) -> bytes:
    data = encode(pack)
    forge(data)
    return seal_entry(data, entry_key(pack.content_hash, BUNDLED))


def test_the_bundled_pack_holds_together(bundled: CompiledPack) -> None:
    read_back = ReadBack()
    pack = decode(json.loads(json.dumps(encode(bundled))), read_back=read_back)
    assert incoherence(pack, read_back) is None
    assert read_back.reads and read_back.text_languages == {("en", "fr")}
    entry = seal_entry(encode(bundled), entry_key(bundled.content_hash, BUNDLED))
    assert unpack_entry(entry, entry_key(bundled.content_hash, BUNDLED)) is not None


@pytest.mark.parametrize("forgery", sorted(FORGERIES))
def test_a_resealed_entry_that_does_not_hold_together_is_a_miss(
        bundled: CompiledPack, forgery: str) -> None:
    forge, found = FORGERIES[forgery]
    data = encode(bundled)
    forge(data)
    read_back = ReadBack()
    pack = decode(json.loads(json.dumps(data)), read_back=read_back)  # every type fits
    assert incoherence(pack, read_back) == found
    entry = _forged(bundled, forge)
    assert unpack_entry(entry, entry_key(bundled.content_hash, BUNDLED)) is None


def test_a_check_that_meets_the_unexpected_says_so(bundled: CompiledPack) -> None:
    broken = ReadBack(reads={object()})  # type: ignore[arg-type]
    assert incoherence(bundled, broken) == "unreadable (AttributeError)"


def test_assess_with_such_an_entry_gives_the_clean_result(
        tmp_path: Path, private_cache: Path) -> None:
    case = yaml.safe_load(CASE_FILE.read_text(encoding="utf-8"))["cases"][0]
    assert case["expect"] == "emergency_department"
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump(case["answers"]), encoding="utf-8")
    args = ["assess", "--answers", str(answers), "--format", "json"]
    clean = CliRunner().invoke(app, args)
    assert clean.exit_code == 0, clean.output
    pack = load_pack(BUNDLED, use_cache=False)
    entry = cache_dir() / "packs" / _entry_name(entry_key(pack.content_hash, BUNDLED))
    assert entry.is_file()
    entry.write_bytes(_forged(pack, _unknown_disposition))
    forged = CliRunner().invoke(app, args)
    assert forged.exit_code == 0, forged.output
    assert json.loads(forged.output)["disposition"] == "emergency_department"
    assert json.loads(forged.output) == json.loads(clean.output)


@pytest.mark.parametrize("forgery", ["maximum_infinite", "minimum_not_a_number"])
def test_export_with_an_entry_whose_range_is_no_range_writes_the_clean_file(
        tmp_path: Path, private_cache: Path, forgery: str) -> None:
    """Review rev-q: an age question with a maximum of Infinity, read from a resealed entry,
    stopped `export questionnaire` with an internal error (OverflowError, exit 70); a
    minimum of NaN with a usage error that blamed --lang (exit 2). It is a miss now."""
    clean_file, forged_file = tmp_path / "clean.json", tmp_path / "forged.json"
    clean = CliRunner().invoke(app, ["export", "questionnaire", "--out", str(clean_file)])
    assert clean.exit_code == 0, clean.output
    pack = load_pack(BUNDLED, use_cache=False)
    entry = cache_dir() / "packs" / _entry_name(entry_key(pack.content_hash, BUNDLED))
    assert entry.is_file()
    entry.write_bytes(_forged(pack, FORGERIES[forgery][0]))
    forged = CliRunner().invoke(app, ["export", "questionnaire", "--out", str(forged_file)])
    assert forged.exit_code == 0, forged.output
    assert forged_file.read_bytes() == clean_file.read_bytes()
