"""The compiled three-valued assessment of unfinished answers, read through the policy.

The pack's generated ``_partial`` (see :mod:`triage.pack.codegen_partial`) gives, as bit
masks, which rules hold for certain (``T``) and which are still unknown (``U``), and which
questions are pending (``P``) and askable now (``A``). What those mean (the disposition once
it is certain, the rules that still matter, the main red flag, the totals) is worked out by
:mod:`triage.engine.policy` the first time each pattern is met and then looked up: the
generated code never restates the policy. Each table keeps at most :data:`REMEMBERED` patterns
(an interactive questionnaire or a batch meets few; random answers many).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from triage.engine.outcome import Outcome
from triage.engine.policy import (
    RED_FLAG,
    RED_FLAG_DISPOSITIONS,
    Truth,
    certain_disposition,
    is_safety_rule,
    totals,
)
from triage.engine.policy import disposition as decide_disposition
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

REMEMBERED = 4096
# evaluate() tries one compiled code first: the complete-answer code (triage.pack.codegen)
# while answers come complete, ``_partial`` while they come with gaps (it makes the outcome of
# complete answers too, but slower than the complete-answer code on answers it has not met,
# and the complete-answer code reads answers with gaps only to hand them on). The first try
# changes after SWITCH answer sets of the other kind, counted anew at each change: which code
# runs first never changes an outcome.
SWITCH = 32
_new = tuple.__new__
# what _partial returns: T and U in one integer, P and A in one, hidden, record
Run = tuple[int, int, tuple[str, ...], tuple[Any, ...]]
Certain = tuple[str | None, tuple[int, ...], tuple[Truth, ...]]
Fired = tuple[tuple[RuleSpec, ...], str | None, bool, int, int, int]
# an outcome's first fields: disposition, main red flag's id, struck, points, indications
Head = tuple[str, str | None, bool, tuple[int, int], int]
Stopped = tuple[tuple[Any, ...], tuple[RuleSpec, ...], tuple[RuleSpec, ...]] | tuple[()]


def _bits(mask: int) -> list[int]:
    """The positions of the bits set in ``mask``, lowest first (a step per bit set, not per
    rule: a pattern met for the first time has a few of the pack's rules holding)."""
    out = []
    while mask:
        low = mask & -mask
        out.append(low.bit_length() - 1)
        mask ^= low
    return out


_TRUTH = {("1", "0"): True, ("1", "1"): True, ("0", "1"): None, ("0", "0"): False}


def _remember(table: dict[Any, Any], key: Any, value: Any) -> None:
    if len(table) >= REMEMBERED:
        table.clear()
    table[key] = value


class CompiledPartial:
    """A pack's ``_partial`` and the policy's reading of its masks (see the module docstring)."""

    def __init__(self, pack: CompiledPack) -> None:
        self.pack = pack
        self._stopped: dict[int, Stopped] = {}
        self._heads: dict[int, Head] = {}
        self._complete_left = [SWITCH]  # complete answer sets until _complete_first_again
        self._gaps_left = SWITCH  # answer sets the complete-answer code missed, until _partial
        self._complete_first: Callable[..., Any] | None = None
        runtime = {"_STOPPED": self._stopped, "_stop": self.stopped, "_DONE": self._heads,
                   "_done": self.head, "_LEFT": self._complete_left,
                   "_again": self._complete_first_again, "_new": _new,
                   "_Outcome": Outcome, "_PACK": pack, "_careful": self._careful}
        self._runtime = runtime
        # run(answers, False) -> Run; run(answers) -> the outcome if it is known already
        self.run: Callable[..., Any] = pack.function("_partial", runtime)
        self.rules = pack.rules
        self.safety = sum(1 << i for i, r in enumerate(pack.rules) if is_safety_rule(r))
        self.red_flags = sum(1 << i for i, r in enumerate(pack.rules) if r.kind == RED_FLAG)
        index = {q.id: j for j, q in enumerate(pack.questions)}
        self.reads = [sum(1 << index[q] for q in r.reads) for r in pack.rules]
        self.rule_mask = (1 << len(pack.rules)) - 1
        self.question_mask = (1 << len(pack.questions)) - 1
        self._certain: dict[int, Certain] = {}
        self._fired: dict[int, Fired] = {}
        self._unchecked: dict[int, tuple[RuleSpec, ...]] = {}
        self._safety_reads: dict[int, int] = {}
        self._settled: Callable[[Any], tuple[int, tuple[str, ...], tuple[Any, ...]]] | None = None

    def _careful(self, answers: Any, stop: bool = True) -> Any:
        """``run`` for answers it read fewer of than there are (see
        :func:`triage.pack.codegen_partial.generate_partial`): ``_partial_careful``, made on
        first use, which then takes this method's place in ``run``'s namespace."""
        careful = self.pack.function("_partial_careful", self._runtime)
        self.run.__globals__["_careful"] = careful
        return careful(answers, stop)

    def missed(self, first: Callable[..., Any]) -> None:
        """:func:`~triage.engine.evaluate.evaluate`'s first try, the complete-answer code
        ``first``, did not finish (answers with gaps, or not in normal form): after
        :data:`SWITCH` of them, ``run`` goes first (the pack's ``fast_outcome``)."""
        self._gaps_left -= 1
        if self._gaps_left < 1:
            self._complete_first = first
            self._complete_left[0] = SWITCH
            self.pack.fast_outcome = self.run

    def _complete_first_again(self) -> None:
        """``run`` made the outcome of :data:`SWITCH` complete answer sets (``_again`` in its
        namespace): the complete-answer code goes first again."""
        self._complete_left[0] = SWITCH
        self._gaps_left = SWITCH
        if self._complete_first is not None:
            self.pack.fast_outcome = self._complete_first

    def settled(self, answers: Any) -> Outcome:
        """The outcome of answers in normal form whose missing answers count as not answered
        (only therapy details are missing): the pack's generated ``_settled`` (see
        :func:`triage.pack.codegen_partial.generate_partial`), made on first use, read
        through the policy. Raises ``KeyError`` or ``TypeError`` as ``_partial`` does."""
        run = self._settled
        if run is None:
            run = self._settled = self.pack.function("_settled", {})
        true, hidden, record = run(answers)
        head = self._heads.get(true)
        if head is None:
            head = self.head(true)
        # as evaluate's complete-answer outcome: the fired rules are read from the record
        return _new(Outcome, (*head, record, hidden, self.pack, (), None))

    def head(self, true: int) -> Head:
        """An outcome's first five fields when nothing is pending: the policy's reading of the
        rules that hold (``true``: their bits), kept in the table ``_partial`` reads."""
        _, main, strike, soft, physio, indicated = self.fired(true)
        main_rule = self.pack.rule_by_id[main] if main is not None else None
        head = (decide_disposition(main_rule, strike, soft, physio, indicated,
                                   self.pack.both_threshold), main, strike, (soft, physio),
                indicated)
        _remember(self._heads, true, head)
        return head

    def split_pending(self, pending: int) -> tuple[int, int]:
        """``P`` as ``_partial`` returns it: (the pending questions, those askable now)."""
        return pending & self.question_mask, pending >> len(self.pack.questions)

    def certain(self, key: int) -> Certain:
        """(certain disposition or None, the unknown rules that still matter, each rule's
        truth): :func:`triage.engine.policy.certain_disposition` of ``T`` and ``U`` (``key``:
        ``R`` as ``_partial`` returns it, see :mod:`triage.pack.codegen_partial`)."""
        found = self._certain.get(key)
        if found is None:
            n = len(self.rules)
            true, unknown = key & self.rule_mask, key >> n
            truths = tuple(map(_TRUTH.__getitem__,  # bit i of each mask, lowest first
                               zip(bin(true)[2:].zfill(n)[::-1], bin(unknown)[2:].zfill(n)[::-1],
                                   strict=True)))
            disposition, deciding = certain_disposition(self.rules, truths,
                                                        self.pack.both_threshold)
            found = (disposition, deciding, truths)
            _remember(self._certain, key, found)
        return found

    def fired(self, true: int) -> Fired:
        """(rules that hold, main red flag id, soft tissue struck, soft tissue points,
        physiotherapy points, indications that hold)."""
        found = self._fired.get(true)
        if found is None:
            fired = tuple(self.rules[i] for i in _bits(true))
            main_rule, strike, soft, physio, indicated = totals(fired)
            found = (fired, main_rule.id if main_rule is not None else None, strike, soft,
                     physio, indicated)
            _remember(self._fired, true, found)
        return found

    def unchecked(self, unknown: int) -> tuple[RuleSpec, ...]:
        """The red flags still unknown."""
        key = unknown & self.red_flags
        found = self._unchecked.get(key)
        if found is None:
            found = tuple(self.rules[i] for i in _bits(key))
            _remember(self._unchecked, key, found)
        return found

    def stopped(self, truths: int) -> Stopped:
        """What an outcome needs when answers stop early because a medical disposition (or
        self care) is certain with questions still pending: (its first five fields, the red
        flags unchecked, the rules that hold); else ``()``. ``truths``: ``T`` and ``U`` as
        ``_partial`` returns them. Kept in the table ``_partial`` reads (see
        :data:`triage.pack.codegen_partial.PARTIAL_RUNTIME`)."""
        key = truths
        # one look-up (another thread may empty the table between two: triage serve)
        found = self._stopped.get(key)
        if found is not None:
            return found
        disposition = self.certain(key)[0]
        found = ()
        if disposition in RED_FLAG_DISPOSITIONS:
            fired, main, strike, soft, physio, indicated = self.fired(key & self.rule_mask)
            found = ((disposition, main, strike, (soft, physio), indicated),
                     self.unchecked(key >> len(self.rules)), fired)
        _remember(self._stopped, key, found)
        return found

    def unanswered_safety_questions(self, truths: int, pending: int) -> list[str]:
        """The pending questions read by unknown safety rules: those askable now if any, else
        all of them, in asking order (``truths`` and ``pending``: ``R`` and ``P`` as
        ``_partial`` returns them)."""
        key = truths >> len(self.rules) & self.safety
        pending, askable = self.split_pending(pending)
        reads = self._safety_reads.get(key)
        if reads is None:
            reads = 0
            for i in _bits(key):
                reads |= self.reads[i]
            _remember(self._safety_reads, key, reads)
        missing = reads & pending
        order = self.pack.question_order
        return [order[j] for j in _bits(missing & askable or missing)]


def compiled_partial(pack: CompiledPack) -> CompiledPartial:
    """The pack's :class:`CompiledPartial`, made on first use and kept on the pack."""
    try:
        return pack.compiled_partial  # type: ignore[attr-defined, no-any-return]
    except AttributeError:
        found = pack.compiled_partial = CompiledPartial(pack)  # type: ignore[attr-defined]
        return found
