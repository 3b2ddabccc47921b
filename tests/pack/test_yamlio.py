"""The strict YAML reader: every rejected construct is a located problem, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import check_golden
from triage.pack.yamlio import MAX_DEPTH, load_yaml_file, parse_yaml_bytes, parse_yaml_text

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
