"""What a compiled pack read back from the cache must hold before the engine may run it.

The cache (:mod:`triage.pack.cache`) checks an entry's digest, key and types, which catches
every accident: a flipped bit, a half-written file, another version's entry. An entry
rewritten by hand and sealed again with a good digest passes all three, and the engine takes
a built pack to be whole: a rule sending people to a disposition that has no words, or
reading a question the pack does not have, stopped a run with an internal error (exit 70)
where a miss would have built the pack from its YAML. So a hit must also hold together: what
every lookup of the engine, the flow and the renderers needs. (Whoever can write the cache
folder can also edit the rules or the installed package; this is about never crashing, not
about keeping out the folder's owner.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from triage.conditions import tree
from triage.engine.policy import (
    DISPOSITIONS,
    OPTIONAL_DISPOSITIONS,
    RED_FLAG,
    RED_FLAG_DISPOSITIONS,
    RULE_KINDS,
    precedence,
)
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec

_CHOICE_TYPES = frozenset({tree.SINGLE, tree.MULTI, tree.YES_NO})
_NEEDED_DISPOSITIONS = frozenset(DISPOSITIONS) - OPTIONAL_DISPOSITIONS


def incoherence(pack: CompiledPack, read_back: ReadBack) -> str | None:
    """The first thing in ``pack`` the engine could not run with, or None if it holds
    together (never raises: anything unexpected is itself an answer). ``read_back``: what
    decoding it met (see :class:`ReadBack`)."""
    try:
        return _first_problem(pack, read_back)
    except Exception as error:  # a value of a shape the checks did not foresee
        return f"unreadable ({type(error).__name__})"


def _first_problem(pack: CompiledPack, read_back: ReadBack) -> str | None:
    languages = set(pack.languages)
    if not languages or len(languages) != len(pack.languages):
        return "languages"
    if len(pack.question_by_id) != len(pack.questions):
        return "a question id twice"
    if len(pack.rule_by_id) != len(pack.rules):
        return "a rule id twice"
    missing = _NEEDED_DISPOSITIONS - set(pack.dispositions)
    if missing or not set(pack.dispositions) <= set(DISPOSITIONS):
        return "dispositions"
    if not set(pack.caller_dispositions) <= set(pack.dispositions):
        return "caller dispositions"
    if not set(pack.child_dispositions) <= set(pack.dispositions):
        return "child dispositions"
    problem = _rules_problem(pack)
    if problem:
        return problem
    for q in pack.questions:
        if q.repeats is not None and q.repeats not in pack.question_by_id:
            return f"question {q.id}: repeats"
        if q.places is not None and not set(q.places.every_place) <= set(q.choices):
            return f"question {q.id}: every_place"
        if not _bounds_fit(q):
            return f"question {q.id}: min and max"
    return _read_back_problem(pack, read_back)


def _rules_problem(pack: CompiledPack) -> str | None:
    for rule in pack.rules:
        if rule.kind not in RULE_KINDS:
            return f"rule {rule.id}: kind"
        if rule.kind == RED_FLAG and (rule.disposition not in RED_FLAG_DISPOSITIONS
                                      or rule.disposition not in pack.dispositions):
            return f"rule {rule.id}: disposition"
        if not set(rule.show_with) <= set(DISPOSITIONS) or \
                rule.urgency not in (None, *DISPOSITIONS):
            return f"rule {rule.id}: show_with or urgency"
        if not rule.reads <= pack.question_ids:
            return f"rule {rule.id}: reads"
    keys = [precedence(r, i) for i, r in enumerate(pack.rules)]
    if keys != sorted(keys):  # the engine takes the first red flag that holds as the main one
        return "rules out of precedence order"
    return None


def _bounds_fit(q: QuestionSpec) -> bool:
    """A number question's range as the loader requires it (check_questions): both bounds,
    finite, the first below the second; no bounds on any other question. The reader takes
    any JSON number, NaN and Infinity too, and a bound goes into int() and range() (the
    FHIR export stopped with an internal error at a maximum of Infinity)."""
    if q.type != tree.NUMBER:
        return q.min is None and q.max is None
    return q.min is not None and q.max is not None and \
        math.isfinite(q.min) and math.isfinite(q.max) and q.min < q.max


def _read_back_problem(pack: CompiledPack, read_back: ReadBack) -> str | None:
    """Every text in every language; every condition reading a question the pack has, with
    answers it has (what :func:`triage.pack.plain.decode` met on the way in: walking the
    pack again would cost as much as a tenth of a run's start-up)."""
    languages = set(pack.languages)
    if any(set(keys) != languages for keys in read_back.text_languages):
        return "a text without every language"
    answers = {q.id: (q.type, frozenset(q.choices)) for q in pack.questions}
    for node in read_back.reads:
        if not _reads_fit(node, answers.get(node.question)):
            return f"a condition on {node.question!r}"
    return None


@dataclass
class ReadBack:
    """What reading a pack back met that :func:`incoherence` checks against the whole."""

    reads: set[tree.Is | tree.Has | tree.Answer] = field(default_factory=set)
    text_languages: set[tuple[str, ...]] = field(default_factory=set)


def _reads_fit(node: tree.Is | tree.Has | tree.Answer,
               answers: tuple[str, frozenset[str]] | None) -> bool:
    if answers is None:
        return False
    question_type, choices = answers
    if isinstance(node, tree.Answer):
        return question_type == tree.NUMBER
    if isinstance(node, tree.Has):
        return question_type == tree.MULTI and node.option in choices
    return question_type in _CHOICE_TYPES and node.options <= choices
