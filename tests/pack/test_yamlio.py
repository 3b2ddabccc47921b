"""The strict YAML reader: every rejected construct is a located problem, never an exception."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import check_golden
from triage.pack.yamlio import (
    MAX_DEPTH,
    control_character_problems,
    load_yaml_file,
    parse_yaml_bytes,
    parse_yaml_text,
)

BROKEN: dict[str, bytes] = {
    "yaml_duplicate_key": b"questions: []\nnotes: []\nquestions: []\n",
    "yaml_anchor_alias": b"a: &base {x: 1}\nb: *base\n",
    "yaml_python_tag": b"a: !!python/object/apply:os.system ['true']\n",
    "yaml_tab_indent": b"pack:\n\tid: x\n",
    "yaml_not_utf8": "pack:\n  title: caf\u00e9\n".encode("latin-1"),
    "yaml_two_documents": b"a: 1\n---\nb: 2\n",
    "yaml_syntax": b"a: [1, 2\nb: 3\n",
    "yaml_too_deep": b"a: " + b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5) + b"\n",
    "yaml_nul_byte": b"a: 1\x00\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_rejected_construct_is_reported_with_its_position(name: str) -> None:
    _, problems = parse_yaml_bytes(BROKEN[name], f"{name}.yaml")
    assert problems, "a broken file must produce at least one problem"
    check_golden(f"problems/{name}.txt", "".join(f"{p}\n" for p in problems))


def test_only_true_and_false_are_booleans() -> None:
    doc, problems = parse_yaml_text(
        "a: yes\nb: no\nc: on\nd: off\ne: true\nf: false\ng: Yes\nh: NO\n", "t.yaml")
    assert not problems and doc is not None
    assert doc.data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False,
                        "g": "Yes", "h": "NO"}


def test_numbers_that_yaml_1_1_mangles_stay_recognisable() -> None:
    doc, _ = parse_yaml_text("v: 1.10\nt: 12:30\nq: '1.10'\no: 0o17\n", "t.yaml")
    assert doc is not None
    # 1.10 is a number (the models ask for text and say "put it in quotes: '1.10'")
    assert doc.data == {"v": 1.1, "t": "12:30", "q": "1.10", "o": "0o17"}
    assert doc.raw_scalar(("v",)) == "1.10"


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc, _ = parse_yaml_text("top:\n  - id: x\n    when: 'a == b'\n", "t.yaml")
    assert doc is not None
    assert doc.mark(("top", 0, "when"), key=True) == (3, 5)
    assert doc.mark(("top", 0, "when")) == (3, 11)
    assert doc.style(("top", 0, "when")) == "'"
    assert doc.mark(("top", 0, "when", "deeper")) == (3, 11)  # the closest known part
    assert doc.mark(("top", 5)) == (2, 3)


@pytest.mark.parametrize(("text", "where"), [
    ("a: 1\n[", (2, 2)),  # no line break at the end: the parser said line 3, which is not there
    ("a: 1\n[\n", (2, 2)),  # (after the final line break: no line of the file)
    ("a: 1\n[\n\n", (3, 1)),  # (an empty last line is a line of the file)
    ("[", (1, 2))])
def test_a_mistake_at_the_end_of_the_file_is_placed_in_the_file(
        text: str, where: tuple[int, int]) -> None:
    _, problems = parse_yaml_text(text, "t.yaml")
    assert [(p.line, p.col) for p in problems] == [where], problems


def test_a_file_over_the_size_cap_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * 2000 + b"\n")
    doc, problems = load_yaml_file(path, max_bytes=1000, shown_as="big.yaml")
    assert doc is None
    assert [str(p) for p in problems] == [
        "big.yaml:1:1: the file is too large (more than 1,000 bytes)"]


def test_billion_laughs_is_refused_without_expanding() -> None:
    text = "a: &a ['lol','lol']\nb: &b [*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b]\nd: [*c,*c,*c,*c]\n"
    _, problems = parse_yaml_text(text, "lol.yaml")
    assert any("aliases" in p.message for p in problems)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_give_data_or_problems_never_an_exception(raw: bytes) -> None:
    doc, problems = parse_yaml_bytes(raw, "fuzz.yaml")
    assert doc is not None or problems
    for p in problems:
        assert p.line >= 1 and p.col >= 1


# Control characters (issue 12) are looked for in every text only when the source itself has
# a backslash or a character that is not plainly printable (issue 15: one look at the whole
# file is far cheaper); these check that the shortcut never hides one.

RAW_UNSAFE = ["\u202e", "\u200b", "\u2066", "\ue000", "\ufeff"]


@pytest.mark.parametrize("char", RAW_UNSAFE)
@pytest.mark.parametrize("where", ["value", "quoted", "key"])
def test_a_raw_control_character_is_found_without_any_escape(char: str, where: str) -> None:
    line = {"value": f"  text: Chest{char} pain", "quoted": f"  text: 'Chest{char} pain'",
            "key": f"  te{char}xt: Chest pain"}[where]
    doc, problems = parse_yaml_text(f"question:\n  id: q\n{line}\n", "t.yaml")
    assert doc is not None and not problems
    assert not doc.plain_source
    found = control_character_problems(doc)
    assert len(found) == 1 and "control characters" in found[0].message
    assert (found[0].line, found[0].col) == (3, 3 if where == "key" else 9)


def test_a_plain_source_is_looked_at_once_and_a_harmless_oddity_costs_only_time() -> None:
    doc, _ = parse_yaml_text("a:\n  - 'x y'\n  - \"tab\tand\"\nb: |\n  two\n  lines\n", "t.yaml")
    assert doc is not None and doc.plain_source and control_character_problems(doc) == []
    nbsp, _ = parse_yaml_text("a: no\u00a0break\n", "t.yaml")  # not printable, yet allowed
    assert nbsp is not None and not nbsp.plain_source and control_character_problems(nbsp) == []


ODD = st.sampled_from(["a", " ", "é", "\u00a0", "\u202e", "\u200b", "\ue000", "\\e", "\\t",
                       "\\n", "\\u202e", "\\x9b", "\\\\", "\\\"", "'", "\t"])


@settings(max_examples=400, deadline=None)
@given(st.lists(ODD, max_size=8), st.lists(ODD, max_size=8),
       st.sampled_from(['"', "'", ""]))
def test_the_shortcut_finds_what_looking_at_every_text_finds(key: list[str], value: list[str],
                                                             quote: str) -> None:
    text = f'"k{"".join(key)}": {quote}v{"".join(value)}{quote}\n'
    doc, problems = parse_yaml_text(text, "t.yaml")
    if doc is None or problems:
        return  # not YAML: refused anyway
    everything = control_character_problems(dataclasses.replace(doc, plain_source=False))
    assert control_character_problems(doc) == everything
