"""Rule files edited at random, as a hurried clinic might (a character dropped or added, words
swapped, a line pasted in the wrong place): validation never raises, and every problem it
reports names a line of the file and a column of that line (a condition over several lines
was once reported at a column its first line does not have)."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MINIMAL
from triage.pack.sources import PackFileBytes, content_hash, read_pack_files
from triage.pack.validate import check_files

FILES = read_pack_files(MINIMAL)
FOLDABLE = re.compile(r'(?m)^(?P<indent> *)when: "(?P<condition>[^"]*)"$')


def _folded(quoted: re.Match[str]) -> str:
    words = quoted["condition"].split(" ")
    cut = len(words) // 2
    indent = quoted["indent"] + "  "
    return (f"{quoted['indent']}when: >-\n{indent}{' '.join(words[:cut])}\n"
            f"{indent}{' '.join(words[cut:])}")
PIECES = [" ", ":", "-", "[", "]", "{", "}", '"', "'", "#", ">-\n      ", "|", "\t", " and ",
          " or ", "not ", "==", ">=", " in ", "0", "-1", "1e9", "yes", "no", "null", "\n",
          "  ", "\n    ", "''"]


@st.composite
def edited_pack(draw: st.DrawFn) -> tuple[int, str]:
    """Which file was edited, and its new text."""
    index = draw(st.integers(0, len(FILES) - 1))
    text = FILES[index].data.decode("utf-8")
    if draw(st.booleans()):  # every condition over two lines, as most of rules/ are written
        text = FOLDABLE.sub(_folded, text)
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(lines) - 1))
        line = lines[k]
        how = draw(st.sampled_from(["drop", "add", "swap", "paste"]))
        at = draw(st.integers(0, len(line)))
        if how == "drop" and line:
            line = line[:min(at, len(line) - 1)] + line[min(at, len(line) - 1) + 1:]
        elif how == "add":
            line = line[:at] + draw(st.sampled_from(PIECES)) + line[at:]
        elif how == "swap":
            words = line.split(" ")
            i, j = draw(st.integers(0, len(words) - 1)), draw(st.integers(0, len(words) - 1))
            words[i], words[j] = words[j], words[i]
            line = " ".join(words)
        else:
            line = lines[draw(st.integers(0, len(lines) - 1))]
        lines[k] = line
    return index, "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited_pack())
def test_an_edited_pack_gives_problems_at_places_that_exist(edit: tuple[int, str]) -> None:
    index, text = edit
    original = FILES[index]
    files = list(FILES)
    files[index] = PackFileBytes(original.relative, original.path, text.encode("utf-8"))
    pack, problems = check_files(MINIMAL, files, content_hash(files))
    assert (pack is None) == any(p.is_error for p in problems), problems
    source = text.split("\n")
    if text.endswith("\n"):
        source.pop()  # (after the final line break: no line of the file)
    for problem in problems:
        if not problem.file.endswith("/" + original.relative):
            continue
        assert 1 <= problem.line <= len(source), problem
        assert 1 <= problem.col <= len(source[problem.line - 1]) + 1, (
            problem, source[problem.line - 1])
