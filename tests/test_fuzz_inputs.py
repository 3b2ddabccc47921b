"""Fuzzing every way answers come in (issue 12): answers files, standard input, saved sessions
and batch rows. Whatever the bytes: never an internal error (exit 70), never a traceback,
never a result from input that failed a check, and always in bounded time."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from triage.batch.reading import screen_csv, screen_jsonl
from triage.batch.rows import ERROR, OK
from triage.cli.app import app
from triage.cli.exitcodes import EXIT_MISSING_ANSWERS, EXIT_OK, EXIT_PROBLEMS
from triage.pack.load import load_pack

PACK = load_pack(MINIMAL, use_cache=False)
runner = CliRunner()
SECONDS = 10.0  # per input, on a loaded 2-core machine; a hang or a blow-up takes far longer

HOSTILE_TEXT = ["\x1b]0;pwned\x07", "\x1b[2J", "\u202e", "\x9b31m", "3_8", "\u0663\u0668",
                "1" * 5000, "nan", "inf", "1e999", "yes", "no", "neck", "stiffness", "",
                "none", "\udcff"[:0]]
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.integers(),
    st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=12))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)
keys = st.one_of(st.sampled_from(sorted(PACK.shapes)), st.sampled_from(HOSTILE_TEXT[:4]),
                 st.text(max_size=8))
answer_maps = st.dictionaries(keys, values, max_size=9)


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, str]:
    """(bytes of an answers document, what is known to be wrong with it: "" if unknown)."""
    data = draw(answer_maps)
    text = json.dumps(data, ensure_ascii=draw(st.booleans()))
    flaw = ""
    trick = draw(st.sampled_from(["none", "dup", "deep", "long", "bytes", "yaml", "cut"]))
    if trick == "dup" and data:
        key = json.dumps(next(iter(data)))
        text = "{" + f"{key}: \"yes\", " + text[1:]
        flaw = "dup"
    elif trick == "deep":
        depth = draw(st.integers(9, 5000))
        text = '{"age": ' + "[" * depth + "]" * depth + "}"
        flaw = "deep"
    elif trick == "long":
        text = '{"age": ' + "9" * draw(st.integers(41, 6000)) + "}"
        flaw = "long"
    elif trick == "bytes":
        return draw(st.binary(max_size=200)), ""
    elif trick == "yaml":
        lines = [f"{k}: {json.dumps(v)}" for k, v in data.items() if isinstance(k, str)]
        text = "\n".join(lines) + "\n"
    elif trick == "cut":
        text = text[: draw(st.integers(0, len(text)))]
    raw = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()) and raw:
        raw = raw + b"\xff"
        flaw = flaw or "utf8"
    return raw, flaw


def check_run(result: Any, flaw: str, started: float) -> None:
    assert time.monotonic() - started < SECONDS
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (EXIT_OK, EXIT_PROBLEMS, EXIT_MISSING_ANSWERS), result.output
    assert "Traceback" not in result.output and "internal error" not in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    if result.exit_code != EXIT_OK:
        assert result.stdout == ""  # no result from input that failed a check
    if flaw:
        assert result.exit_code == EXIT_PROBLEMS, (flaw, result.output)


FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(doc=documents())
def test_answers_files(tmp_path_factory: Any, doc: tuple[bytes, str]) -> None:
    raw, flaw = doc
    path = Path(tmp_path_factory.mktemp("fuzz")) / "a.json"
    path.write_bytes(raw)
    started = time.monotonic()
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", str(path),
                                 "--format", "json"])
    check_run(result, flaw, started)
    if result.exit_code == EXIT_OK:
        assert json.loads(result.stdout)["disposition"]


@FUZZ
@given(doc=documents())
def test_standard_input(doc: tuple[bytes, str]) -> None:
    raw, flaw = doc
    started = time.monotonic()
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--answers", "-"],
                           input=raw)
    check_run(result, flaw, started)


@FUZZ
@given(answers=answer_maps, extra=st.dictionaries(st.text(max_size=8), values, max_size=3),
       raw_tail=st.sampled_from([b"", b"\xff", b"]]"]))
def test_session_files(tmp_path_factory: Any, answers: dict[str, Any], extra: dict[str, Any],
                       raw_tail: bytes) -> None:
    session = {"format": "triage-session", "format_version": 1, "status": "in_progress",
               "pack": {"id": PACK.id, "version": PACK.version, "hash": PACK.content_hash},
               "language": "en", "caller": False, "answers": answers, **extra}
    path = Path(tmp_path_factory.mktemp("fuzz")) / "s.json"
    path.write_bytes(json.dumps(session).encode("utf-8", "surrogatepass") + raw_tail)
    started = time.monotonic()
    result = runner.invoke(app, ["assess", "--pack", str(MINIMAL), "--resume", str(path),
                                 "--plain"], input="", env={"TRIAGE_INTERACTIVE": "1"})
    assert time.monotonic() - started < SECONDS
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (EXIT_OK, EXIT_PROBLEMS, EXIT_MISSING_ANSWERS, 130)
    assert "Traceback" not in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


@FUZZ
@given(docs=st.lists(documents(), min_size=1, max_size=6))
def test_batch_rows(docs: list[tuple[bytes, str]]) -> None:
    lines = [raw.decode("utf-8", "replace").replace("\n", " ") + "\n" for raw, _ in docs]
    started = time.monotonic()
    results = list(screen_jsonl(PACK, lines))
    assert time.monotonic() - started < SECONDS
    rows = [r for r in results]
    assert len(rows) == sum(1 for line in lines if line.strip())
    for (_raw, flaw), result in zip([d for d, line in zip(docs, lines, strict=True)
                                    if line.strip()], rows, strict=True):
        assert result.status in (OK, ERROR)
        if flaw in ("dup", "deep", "long"):
            assert result.status == ERROR and result.disposition is None
        if result.status == ERROR:
            assert result.error and "\x1b" not in result.error


@FUZZ
@given(cells=st.lists(st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=6)),
                               min_size=7, max_size=8), min_size=1, max_size=6))
def test_batch_csv_rows(cells: list[list[str]]) -> None:
    header = "chest_pain,fall,fever,age,area,problems,blood_thinners\n"
    lines = [header] + [",".join(json.dumps(c) for c in row) + "\n" for row in cells]
    started = time.monotonic()
    results = list(screen_csv(PACK, lines))
    assert time.monotonic() - started < SECONDS
    for result in results:
        assert result.status in (OK, ERROR)
        if result.status == OK:
            assert result.disposition
        else:
            assert result.error and "\x1b" not in result.error
