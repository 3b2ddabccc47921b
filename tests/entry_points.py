"""Each entry point of triage, reduced to one verdict per answer set, so they can be compared.

A verdict is what an answer set gets: a result (its disposition, the ids of the rules that
hold, whether soft tissue therapy is struck) or a refusal and its kind (a safety answer
missing, a warning sign answered where it does not apply, an answer that is no answer). The
words around them differ by design (exit codes, HTTP statuses, batch error kinds); the
verdict does not.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.answer_sets import plain
from triage.cli.app import app
from triage.engine.evaluate import MissingAnswers, Outcome, evaluate
from triage.engine.refusal import screen_answers
from triage.pack.compiled import CompiledPack

MISSING = "missing_safety_answers"
HIDDEN_SIGN = "ignored_warning_sign"
BAD_VALUE = "bad_value"


@dataclass(frozen=True)
class Verdict:
    refused: str | None  # None for a result, else one of the kinds above
    disposition: str | None = None
    fired: tuple[str, ...] | None = ()  # None: not said (a batch without --fired)
    struck: bool | None = None  # None: not said (a batch row)

    def __str__(self) -> str:
        if self.refused:
            return f"refused ({self.refused})"
        fired = "" if self.fired is None else f" {list(self.fired)}"
        return f"{self.disposition}{fired} struck={self.struck}"

    def matches(self, other: Verdict) -> bool:
        """The same verdict; what one side does not say is not compared."""
        if (self.refused, self.disposition) != (other.refused, other.disposition):
            return False
        said = [(a, b) for a, b in ((self.fired, other.fired), (self.struck, other.struck))
                if a is not None and b is not None]
        return all(a == b for a, b in said)


def of_outcome(outcome: Outcome) -> Verdict:
    return Verdict(None, outcome.disposition, tuple(r.id for r in outcome.fired),
                   outcome.soft_tissue_struck)


def engine(pack: CompiledPack, answers: Mapping[str, Any]) -> Verdict:
    """:func:`evaluate` alone (no look at ignored answers: see :func:`screened`)."""
    try:
        return of_outcome(evaluate(pack, answers))
    except MissingAnswers:
        return Verdict(MISSING)


def screened(pack: CompiledPack, answers: Mapping[str, Any]) -> Verdict:
    """What every front end must say: the engine's result, or its refusal (a warning sign in
    an ignored answer first, as every front end names it first)."""
    found = screen_answers(pack, answers)
    if found.signs:
        return Verdict(HIDDEN_SIGN)
    if found.missing:
        return Verdict(MISSING)
    assert found.outcome is not None
    return of_outcome(found.outcome)


def of_json_result(data: Mapping[str, Any]) -> Verdict:
    """The verdict of ``assess --format json`` output (and the web API's, the same JSON)."""
    return Verdict(None, data["disposition"], tuple(f["id"] for f in data["fired"]),
                   data["soft_tissue_struck"])


def assess_file(runner: CliRunner, path: Path, lang: str, *more: str) -> Verdict:
    """``triage assess --answers PATH --format json --lang LANG [MORE...]``."""
    done = runner.invoke(app, ["assess", "--answers", str(path), "--format", "json",
                               "--lang", lang, *more])
    if done.exit_code == 0:
        return of_json_result(json.loads(done.stdout))
    if done.exit_code == 3:
        return Verdict(MISSING)
    assert done.exit_code == 1, (done.exit_code, done.stderr[-2000:])
    # (the problems are said in the run's language: tests/cli/test_answers_problems_language.py)
    sign = {"en": "is a warning sign", "fr": "est un signe d'alerte"}[lang]
    return Verdict(HIDDEN_SIGN if sign in done.stderr else BAD_VALUE)


def batch_rows(runner: CliRunner, path: Path, *, fired: bool) -> list[Mapping[str, Any]]:
    """``triage batch PATH --out - [--fired]``: its rows, in order."""
    done = runner.invoke(app, ["batch", str(path), "--out", "-", *(["--fired"] * fired)])
    assert done.exit_code in (0, 1), (done.exit_code, done.stderr[-2000:])
    return [json.loads(line) for line in done.stdout.splitlines()]


def of_batch_row(row: Mapping[str, Any], pack: CompiledPack) -> Verdict:
    if row["status"] == "error":
        kind = row["error_kind"]
        return Verdict(kind if kind in (MISSING, HIDDEN_SIGN) else BAD_VALUE)
    if row["fired"] is None:  # without --fired: the disposition alone
        return Verdict(None, row["disposition"], None)
    fired = tuple(row["fired"])
    rules = pack.rule_by_id
    struck = any(rules[r].kind == "contraindication" and rules[r].effect ==
                 "strike_soft_tissue" for r in fired)
    return Verdict(None, row["disposition"], fired, struck)


class Api:
    """``POST /api/assess`` on a running ``triage serve``, over one kept-alive connection."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=30)

    def post(self, body: bytes) -> Verdict:
        self.connection.request("POST", "/api/assess", body,
                                {"content-type": "application/json"})
        response = self.connection.getresponse()
        data = json.loads(response.read())
        if response.status == 200:
            return of_json_result(data)
        assert response.status in (400, 422), (response.status, data)
        kind = data["error"]  # 400: not the JSON expected (a key twice), 422: not answers
        return Verdict(kind if kind in (MISSING, HIDDEN_SIGN) else BAD_VALUE)

    def assess(self, answers: Mapping[str, Any], lang: str) -> Verdict:
        return self.post(json.dumps({"answers": {q: plain(v) for q, v in answers.items()},
                                     "lang": lang}).encode())

    def close(self) -> None:
        self.connection.close()
