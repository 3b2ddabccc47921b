"""The quick YAML reader builds exactly the document the ordinary reader builds, values and
positions alike, or leaves the file to it; problems are still all found, at their place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL, REPO_ROOT
from triage.pack.load import load_pack
from triage.pack.quick_yaml import quick_document
from triage.pack.yamldoc import LazyFlowMarks, YamlDocument
from triage.pack.yamlio import parse_yaml_text
from triage.problems import ProblemsError

if str(REPO_ROOT) not in sys.path:  # `benchmarks` is a top-level folder, not a package
    sys.path.insert(0, str(REPO_ROOT))

from benchmarks import translate, workload


def everything(doc: YamlDocument) -> list[Any]:
    """Every value of a document with its type, position, style and source text, and every
    key's position, in document order (what a check may ever report)."""
    out: list[Any] = [("root", doc.root_mark)]

    def walk(node: Any, path: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            values, keys = doc.table(node)
            assert list(values) == list(node) == list(keys)
            for k, v in node.items():
                out.append(((*path, k), type(v).__name__, values[k], keys[k]))
                walk(v, (*path, k))
        elif isinstance(node, list):
            table = doc.table(node)
            assert len(table) == len(node)
            for i, v in enumerate(node):
                out.append(((*path, i), type(v).__name__, table[i]))
                walk(v, (*path, i))
        else:
            out.append((path, node))

    walk(doc.data, ())
    return out


def agrees(text: str) -> YamlDocument | None:
    """The quick reading of ``text``, after checking it against the ordinary one."""
    quick = quick_document(text, "t.yaml")
    if quick is not None:
        ordinary, problems = parse_yaml_text(text, "t.yaml", quick=False)
        assert not problems and ordinary is not None, (text, problems)
        assert quick.data == ordinary.data, text
        assert everything(quick) == everything(ordinary), text
        assert quick.plain_source and ordinary.plain_source
    return quick


def repository_yaml() -> list[Path]:
    skip = {".venv", "node_modules", ".data", ".git"}
    return sorted(p for p in REPO_ROOT.rglob("*.yaml")
                  if not skip.intersection(p.relative_to(REPO_ROOT).parts))


def test_every_yaml_file_of_the_repository_reads_the_same() -> None:
    files = repository_yaml()
    read = [f for f in files if agrees(f.read_text(encoding="utf-8")) is not None]
    assert len(files) > 20 and len(read) > 10, "the quick reader should read many of them"


def test_a_large_generated_pack_is_read_quickly_and_the_same() -> None:
    files = translate.pack_files(workload.ruleset(600))
    for name, text in files.items():
        assert agrees(text) is not None, f"{name} should be read by the quick reader"


@pytest.mark.parametrize("text", [
    "a: 1\n", "a: b\n", "a:\n  b: c\n  d: [e, 'f g', \"h: i\"]\n", "a:\n  - b: c\n    d: e\n",
    "a:\n  - x\n  - 'y'\n  - {k: v}\n", "a: {}\nb: []\n", "# top\na: 1 2, 3;4 (5)\n\n  # x\nb: c\n",
    "a: true\nb: false\nc: null\nd: 1.5\nf: 1e3\ng: '1.10'\nh: yes\n",
    "a:\n    b:\n          - c: {d: 1, e: \"2\"}\n            f: g\n",
    "a:\n  - x: 1\n    y: 'z'\n  - x: 2\n    y: \"w\"\n  - v\nb:\n  - c\n  - x: 3\n",
    "a: \"x # not a comment\"\nb: 'c: d'\n", "a: \"caf\u00e9\"\n",
])
def test_everyday_files_are_read_quickly_and_the_same(text: str) -> None:
    assert agrees(text) is not None, f"{text!r} should be read by the quick reader"


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # duplicate key
    "a: {b: 1, b: 2}\n", "a:\n  - b: 1\n    b: 2\n",
    "a:\nb: 1\n",  # empty value
    "a:\n  - k:\n  - x: 1\n", "a:\n  - x: 1\n    k:\n  - y: 2\n",  # the same, in a list item
    "a:\n  b:\n    c: 1\n  - d\n",  # a "- " line under a mapping's keys
    "a:\n- b\n",  # a list as long as its key's indent
    "a: 1 # comment\n", "a:\t1\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |\n  text\n",
    "a: >\n  text\n", "a: one\n  two\n", "'a': 1\n", "---\na: 1\n", "a: 1\n...\n",
    "a: {b:1}\n", "a: {b: 1,c: 2}\n", "a: [b,c]\n", "a: [ b ]\n", "a: 1 \n", "a:  1\n",
    "a: " + "1" * 45 + "\n", "true: 1\n", "null: 1\n", "a: {true: 1}\n", 'a: "\\e[2J"\n',
    "a: x\u202e\n", "a: no\u00a0break\n", "a: 1\r\nb: 2\r\n", "- a\n- b\n", "a\n", "",
    "# only a comment\n", "a:\n  b: 1\n   c: 2\n", "a:\n  - b\n   - c\n", "a: [b, [c]]\n",
    "a: {b: {c: 1}}\n", "a: b: c\n", "a: -b\n", "a: [-b]\n", "a: %b\n", "a: @b\n",
    "a: 'it''s'\n", "a: \"b\" c\n", "? a\n: b\n",
])
def test_anything_else_is_left_to_the_ordinary_reader(text: str) -> None:
    assert quick_document(text, "t.yaml") is None


KEYS = st.sampled_from(["a", "b", "id", "when", "true", "x_1", "'q'", "a b", "c:d"])
VALUES = st.sampled_from([
    "1", "-2", "3.5", "1e3", "true", "null", "~", "yes", "no", "text", "two words", "a, b",
    "x (y)", "'single'", "\"double\"", "\"a: b # c\"", "{k: v}", "{k: 1, m: 'n'}", "{}", "[]",
    "[a, b]", "[a,b]", "{k:v}", "& anchor", "*alias", "!tag x", "|", ">", "'it''s'", "\"\\t\"",
    "x # c", "", " ", "a: b", "-", "- x", "[a, [b]]", "12345678901234567890123456789012345678901",
])


@st.composite
def documents(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 6, 1, 3]))
        dash = draw(st.sampled_from(["", "", "- "]))
        kind = draw(st.integers(0, 5))
        if kind == 0:
            lines.append(f"{indent}{dash}{draw(VALUES)}")
        elif kind == 1:
            lines.append(f"{indent}{dash}{draw(KEYS)}:")
        elif kind == 2:
            lines.append(draw(st.sampled_from(["", "# note", "  # note", "   ", "---"])))
        else:
            lines.append(f"{indent}{dash}{draw(KEYS)}: {draw(VALUES)}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@pytest.mark.long(15)
@settings(max_examples=3000, deadline=None)
@given(documents())
def test_generated_documents_read_the_same_or_are_left_alone(text: str) -> None:
    agrees(text)


@settings(max_examples=1000, deadline=None)
@given(st.data())
def test_a_pack_file_with_one_character_changed_reads_the_same_or_is_left_alone(
        data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(["indications.yaml", "questions.yaml", "pack.yaml"]))
    text = (MINIMAL / name).read_text(encoding="utf-8")
    at = data.draw(st.integers(0, len(text) - 1))
    change = data.draw(st.sampled_from(["", " ", "  ", "-", ":", "#", "'", '"', "{", "}", "[",
                                        "]", ",", "\t", "\n", "a", "1", "&", "*", "!", "|"]))
    agrees(text[:at] + change + text[at + data.draw(st.integers(0, 2)):])


def test_problems_in_an_everyday_file_are_all_found_at_their_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = translate.pack_files(workload.ruleset(60))
    lines = files["indications-00.yaml"].split("\n")
    # a problem only later checks find, in everyday lines the quick reader reads: an unknown
    # question, an unknown option, a comparison that is never true
    whens = [i for i, line in enumerate(lines) if line.startswith("    when:")]
    lines[whens[1]] = '    when: "age_years >= 3"'
    lines[whens[2]] = '    when: "area == elbows"'
    lines[whens[3]] = '    when: "(fever == yes) and (fever == no) and"'
    files["indications-00.yaml"] = "\n".join(lines)
    assert quick_document(files["indications-00.yaml"], "x") is not None
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")

    def problems() -> list[str]:
        with pytest.raises(ProblemsError) as caught:
            load_pack(tmp_path, use_cache=False)
        return [str(p) for p in caught.value.problems]

    quick = problems()
    monkeypatch.setattr("triage.pack.yamlio.quick_document", lambda text, file: None)
    assert quick == problems()  # the same problems, at the same places, as before
    assert len(quick) == 3, quick
    assert f"indications-00.yaml:{whens[1] + 1}:" in quick[0] and "age_years" in quick[0]

    # and a problem of the YAML itself: the quick reader leaves the file alone
    monkeypatch.undo()
    assert lines[whens[4] + 1].startswith("    supports:")
    lines.insert(whens[4] + 2, "    supports: both")  # a second 'supports'
    (tmp_path / "indications-00.yaml").write_text("\n".join(lines), encoding="utf-8")
    assert any(f":{whens[4] + 3}:5: duplicate key 'supports'" in p for p in problems())


def test_marks_of_a_flow_collection_are_made_when_first_asked_for() -> None:
    # a pack repeats `source: {...}` thousands of times and reports on few of them
    doc = quick_document("a:\n  - {k: v, n: 1}\n  - {k: v, n: 1}\n", "t.yaml")
    assert doc is not None
    first, second = doc.data["a"]
    assert first == second and first is not second
    assert isinstance(doc.marks[id(first)], LazyFlowMarks)
    assert doc.mark(("a", 1, "n")) == (3, 15) and doc.mark(("a", 1, "n"), key=True) == (3, 12)
    assert doc.raw_scalar(("a", 1, "n")) == "1"
    assert isinstance(doc.marks[id(first)], LazyFlowMarks)  # only the one asked for is made
    assert doc.table(second) == ({"k": (3, 9, None, None), "n": (3, 15, None, "1")},
                                 {"k": (3, 6, None, None), "n": (3, 12, None, None)})
