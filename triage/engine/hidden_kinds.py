"""What a search for a warning sign answered where it does not apply depends on
(:mod:`triage.engine.hidden`), as a key to remember it by. Pure: no terminal, no files.

A search reads the answers to the questions behind the gates of the answers that state the
sign only as answered or not (they stay open in it), and every other answer the red flag
reads only through the flag's condition: its three-valued truth, and the condition with the
answer folded in (:mod:`triage.conditions.truth`). Two answers whose folds are the same are
one *kind*, the same to any search: folding one answer and then the others gives what
folding them all at once gives, and the truth of a fold is that of the condition with the
answer given. So a key holds kinds, not answers: any one of a list of signs is one kind,
whichever is ticked, and a number is looked up by its place among the constants it is
compared with. Random rows (a batch) almost never repeat their answers, but nearly always
repeat their kinds (issue 15: the search was most of the time of a row that states a sign).
Everything is remembered per pack, :data:`MEMO_SIZE` entries at most.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Mapping
from typing import Any

from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Count,
    Has,
    Is,
    Not,
    Number,
    Or,
    Sum,
)
from triage.conditions.truth import changes_nothing, with_answer
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

# entries of each of a pack's memos: (question, answer) pairs whose effect on the red flags
# is remembered, and searches, kinds and plans remembered (memory stays flat: beyond, the
# search runs unremembered)
MEMO_SIZE = 1 << 14


class Unremembered(Exception):
    """The memo is full and does not hold what a key needs: no key (search)."""


# what stops a key being made: a value no key can hold (not in normal form: unhashable,
# not a number), or a full memo
NO_KEY = (TypeError, ValueError, OverflowError, Unremembered)
# no answer (not given, or given as None: the fold reads both as no answer, as truth does),
# a kind of its own that needs no fold
_ABSENT = ("<absent>",)
# how an answer is reduced before its kind is looked up (see _readers)
_RAW, _OPTIONS, _REGION = 0, 1, 2
# (question, how, what the reduction needs, the number naming the flag's reading of it)
Reader = tuple[str, int, Any, int]
# numbers naming plans, readers and folds in keys, never two alike (a key holds a number,
# not what it names: a tuple of trees or questions is hashed anew at every look-up)
_numbers = itertools.count()


def sign_key(pack: CompiledPack, rule: RuleSpec, stated: tuple[str, ...],
             given: Mapping[str, Any], ignored: frozenset[str]) -> tuple[Any, ...]:
    """What :func:`triage.engine.hidden._searched_sign` depends on (see the module
    docstring): which of the questions behind the gates of ``stated`` are answered, and which
    ignored (that decides the gate questions left open, ``free``, and the gates named), and
    the kind (:func:`kind`) of the answer to each other question the flag reads."""
    memo = pack.hidden_sign_memo
    behind = memo.get(("behind", stated))
    if behind is None:
        # every question behind the gates (sorted): all that gate_questions may look at
        behind = _remember(memo, ("behind", stated), tuple(sorted(pack.with_gates(
            dep for q in stated for dep in pack.gate_reads.get(q, ())))))
    gates = tuple([q in given for q in behind] + [q in ignored for q in behind])
    plan_key = ("plan", rule.id, stated, gates)
    plan: tuple[int, tuple[Reader, ...]] | None = memo.get(plan_key)
    if plan is None:
        free = gate_questions(pack, stated, given, ignored)
        plan = _remember(memo, plan_key, (next(_numbers), tuple(
            r for r in _rule_readers(pack, rule) if r[0] not in free)))
    number, readers = plan
    kinds: list[Any] = []
    for reader in readers:
        value = given.get(reader[0])
        kinds.append(_ABSENT if value is None else kind(pack, rule, reader, value))
    return ("sign", number, tuple(kinds))


def kind(pack: CompiledPack, rule: RuleSpec, reader: Reader, value: Any) -> int:
    """A number naming what ``value`` (not None), answered to ``reader``'s question, makes
    of the flag's condition: the condition with it folded in (:func:`with_answer`). Two
    answers with the same fold are the same to the search (:func:`sign_key`): folding one
    answer and then the others gives what folding them all at once gives, and the
    three-valued truth of a fold is that of the condition with the answer given. So any
    one of a list of signs is one kind, whichever is ticked. Looked up by the answer
    reduced to what the condition reads of it (see :func:`_readers`): folding is rare."""
    qid, how, data, number = reader
    if how == _OPTIONS:
        reduced = data.intersection(value) if isinstance(value, frozenset) else value
    elif how == _REGION:
        as_float = float(value)  # as the fold and truth compare it
        if as_float != as_float:
            raise ValueError("NaN")  # (no place among the constants compares like it)
        at = bisect.bisect_left(data, as_float)
        reduced = (at, at < len(data) and data[at] == as_float)
    else:
        reduced = value
    memo = pack.hidden_sign_memo
    found: int | None = memo.get(("kind", number, reduced))
    if found is None:
        found = _remember(memo, ("kind", number, reduced), _fold_id(pack, rule, qid, value))
    return found


def _fold_id(pack: CompiledPack, rule: RuleSpec, qid: str, value: Any) -> int:
    """The number of the fold of the flag's condition with ``value`` answered to ``qid``
    (None: not answered), the same for the same fold."""
    memo = pack.hidden_sign_memo
    key = ("fold", rule.id, qid, with_answer(rule.when, qid, value, pack.shapes))
    number: int | None = memo.get(key)
    if number is None:
        number = _remember(memo, key, next(_numbers))
    return number


def _remember(memo: dict[Any, Any], key: Any, value: Any) -> Any:
    """``value``, remembered under ``key`` (:data:`MEMO_SIZE` entries at most)."""
    if len(memo) >= MEMO_SIZE:
        raise Unremembered
    memo[key] = value
    return value


def _rule_readers(pack: CompiledPack, rule: RuleSpec) -> tuple[Reader, ...]:
    """:func:`_readers` of the flag's condition, worked out once per pack."""
    memo = pack.hidden_sign_memo
    readers: tuple[Reader, ...] | None = memo.get(("readers", rule.id))
    if readers is None:
        readers = _remember(memo, ("readers", rule.id), tuple(
            (qid, how, data, next(_numbers)) for qid, how, data in _readers(rule.when)))
    return readers


def _readers(cond: Cond) -> tuple[tuple[str, int, Any], ...]:
    """How :func:`kind` reads the answer to each question ``cond`` reads (sorted by id): a
    multiple choice tested only by ``option in question`` by the options tested
    (``_OPTIONS``: the others change no part of the fold); a number only ever compared
    directly with constants by where it lies among them (``_REGION``: the constants
    sorted); any other answer as it is (``_RAW``)."""
    uses: dict[str, set[str]] = {}  # question -> how the condition reads it
    options: dict[str, set[str]] = {}
    limits: dict[str, set[float]] = {}
    stack: list[Any] = [cond]
    while stack:
        node = stack.pop()
        if isinstance(node, Has):
            uses.setdefault(node.question, set()).add("has")
            options.setdefault(node.question, set()).add(node.option)
        elif isinstance(node, Is | Answer):
            uses.setdefault(node.question, set()).add("raw")
        elif isinstance(node, Compare):
            for side, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(side, Answer) and isinstance(other, Number):
                    uses.setdefault(side.question, set()).add("limit")
                    limits.setdefault(side.question, set()).add(other.value)
                else:
                    stack.append(side)
        elif isinstance(node, And | Or | Count | Sum):
            stack.extend(node.items)
        elif isinstance(node, Not):
            stack.append(node.item)
    readers: list[tuple[str, int, Any]] = []
    for qid in sorted(uses):
        if uses[qid] == {"has"}:
            readers.append((qid, _OPTIONS, frozenset(options[qid])))
        elif uses[qid] == {"limit"}:
            readers.append((qid, _REGION, tuple(sorted(limits[qid]))))
        else:
            readers.append((qid, _RAW, None))
    return tuple(readers)


def gate_questions(pack: CompiledPack, stated: tuple[str, ...], normal: Mapping[str, Any],
                   ignored: frozenset[str]) -> tuple[str, ...]:
    """The questions the gates of ``stated`` read (asking order): those whose answers make
    them not apply. A gate question that is not answered is followed to its own gate (it may
    be hidden too: the head injury signs behind the head injury behind the injury)."""
    free: set[str] = set()
    todo = list(stated)
    while todo:
        for qid in pack.gate_reads.get(todo.pop(), ()):
            if qid in free or qid in stated or qid in ignored:
                continue  # an ignored answer is taken as given, as the flag's own answers
            free.add(qid)
            if qid not in normal:
                todo.append(qid)
    return tuple(q for q in pack.question_order if q in free)


def changes_nothing_by_kind(pack: CompiledPack, rule: RuleSpec, qid: str,
                            value: Any) -> bool:
    """:func:`~triage.conditions.truth.changes_nothing`, by the kinds of the answers: a
    fold per kind, not per answer (and the kinds the searches' keys use)."""
    try:
        reader = next(r for r in _rule_readers(pack, rule) if r[0] == qid)
        unanswered: int | None = pack.hidden_sign_memo.get(("unanswered", rule.id, qid))
        if unanswered is None:
            unanswered = _remember(pack.hidden_sign_memo, ("unanswered", rule.id, qid),
                                   _fold_id(pack, rule, qid, None))
        return kind(pack, rule, reader, value) == unanswered
    except (*NO_KEY, StopIteration):
        return changes_nothing(rule.when, qid, value, pack.shapes)
