"""pydantic's validation errors in plain words, at the YAML line and column they are about."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from triage.pack import models as m
from triage.pack.located import DocPath
from triage.pack.yamldoc import YamlDocument
from triage.problems import Problem, did_you_mean

# --------------------------------------------------------------------------- pydantic errors

_ALL_FIELDS = sorted({name for model in (m.PackFile, m.PackMeta, m.Question, m.Option,
                                         m.RedFlag, m.Contraindication, m.Indication, m.Note,
                                         m.Score, m.Case, m.Source, m.DispositionText,
                                         m.Dispositions, m.Points, m.TherapyPolicy)
                      for name in model.model_fields})


def _walk(data: Any, loc: Sequence[Any], base: DocPath) -> tuple[DocPath, list[Any]]:
    """Split a pydantic error location into the part that exists in the data and the rest."""
    path: list[str | int] = list(base)
    rest: list[Any] = []
    node = data
    for part in base:
        node = node[part]
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            path.append(part)
        else:
            rest.append(part)
    return tuple(path), rest


def _plain(err: Any, doc: YamlDocument, path: DocPath, rest: list[Any]) -> tuple[str, bool]:
    """(message in plain words, whether to point at the key rather than the value)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{err['loc'][-1]}'", False
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        if name in _ALL_FIELDS:  # spelt right, in the wrong place ("did you mean 'unit'?")
            return f"'{name}' is not a field of this item", True
        return f"unknown field '{name}'{did_you_mean(name, _ALL_FIELDS)}", True
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        return (f"'{value}' is not allowed here; use {expected}"
                f"{did_you_mean(str(value), options)}"), False
    if kind == "string_type":
        raw = doc.raw_scalar(path)
        if raw is not None and doc.mark(path) and value is None:
            return "this has no value", False
        if raw is not None:
            return f"expected text; put it in quotes: '{raw}'", False
        return "expected text", False
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern == "^[a-z]{2}$":
            hint = (" (a comma inside {...} starts a new entry: put the text in quotes)"
                    if " " in str(value) else "")
            return f"'{value}' is not a two-letter language code such as 'en' or 'fr'{hint}", \
                False
        return (f"'{value}' is not a valid id: use lower-case letters, digits and _, "
                f"starting with a letter"), False
    if kind == "string_too_short" and int(ctx.get("min_length", 1)) > 1:
        return f"too short: at least {ctx['min_length']} characters", False  # not empty
    messages = {
        "int_type": "expected a whole number",
        "float_type": "expected a number",
        "bool_type": "expected true or false",
        "list_type": "expected a list (lines starting with '- ')",
        "dict_type": "expected a mapping (key: value lines)",
        "model_type": "expected a mapping (key: value lines)",
        "string_too_short": "must not be empty",
        "too_short": "must not be empty",
    }
    if kind in messages:
        return messages[kind], False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"must be {words} {bound}", False
    # a validator's own words, without pydantic's "Value error, " in front of them
    return str(err["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, "), \
        False


def pydantic_problems(doc: YamlDocument, exc: ValidationError,
                      base: DocPath = ()) -> list[Problem]:
    entries = []
    for err in exc.errors(include_url=False):
        path, rest = _walk(doc.data, err["loc"], base)
        entries.append((path, rest, err))
    kept = []
    for path, rest, err in entries:
        is_type_mismatch = err["type"].endswith("_type") or err["type"] == "literal_error"
        if rest and is_type_mismatch and any(
                len(other) > len(path) and other[: len(path)] == path
                for other, _, _ in entries):
            continue  # a union branch that failed early while another got further
        kept.append((path, rest, err))
    by_path: dict[DocPath, list[tuple[str, bool]]] = {}
    for path, rest, err in kept:
        by_path.setdefault(path + (("<missing>", err["loc"][-1]) if err["type"] == "missing"
                                   else ()), []).append(_plain(err, doc, path, rest))
    problems = []
    for key_path, messages in by_path.items():
        path = key_path[:-2] if len(key_path) >= 2 and key_path[-2] == "<missing>" else key_path
        texts = list(dict.fromkeys(msg for msg, _ in messages))
        if set(texts) >= {"expected text", "expected a mapping (key: value lines)"}:
            texts = ["expected text, or a map of language code to text (en: ..., fr: ...)"]
        problems.append(doc.problem(path, " or ".join(texts), key=messages[0][1]))
    return problems
