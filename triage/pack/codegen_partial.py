"""The source of ``_partial(answers)``: the three-valued assessment of an unfinished set of
answers (:func:`triage.engine.evaluate.assess_partial`), compiled like the complete-answer
decision (:mod:`triage.pack.codegen`).

``_partial(answers, False)`` returns ``(R, P, hidden, record)``. Bit ``i`` of ``R`` is set
when rule ``i`` holds whatever the missing answers turn out to be (``T``, the low
``len(rules)`` bits), bit ``len(rules) + i`` when it is still unknown (``U``); bit ``j`` of
``P`` when question ``j`` is pending (it may still be asked), bit ``len(questions) + j`` when it
is also askable now (its ``ask_if`` holds). ``hidden`` holds the ids of the questions answered
although their ``ask_if`` is false, in order; ``record`` the answers that count, as the
decision's record (see :mod:`triage.pack.codegen`). Which disposition that makes is the
policy's business (:func:`triage.engine.policy.certain_disposition`): the engine works it out
from ``R``.
``_partial(answers)`` (``stop``, what :func:`triage.engine.evaluate.evaluate` calls) returns
the outcome itself instead when it is known: complete answers (nothing pending), and answers
stopped early on a certain medical disposition.

Each question is read once, in one step that checks the answer and gives every bit it
decides: those of the rules that read only that question, and those of its *atoms*, the
parts of other conditions that read only it, kept in a small local per question (see
:mod:`triage.conditions.to_bits`). For a yes/no or single-choice question they come from a
table with one entry per option, worked out here by :func:`triage.conditions.truth.truth`
itself (an answer that is not an option fails the look-up); for a multiple choice or a
number, from a generated function of the answer whose results are remembered per question
(at most :data:`REMEMBERED` answers each). A pending or absent question gives constants, also
``truth``'s; the rule bits of pending questions are added at the end by table look-ups on
``P``. Rules and ``ask_if`` conditions over several questions are tests of the atoms' bits;
the parts over several questions that they repeat (a score such as "every place", expanded
into some thirty gates and rules of the bundled pack) are *derived* atoms, two locals set once
right after the last question they read (see :mod:`triage.conditions.to_atoms`).
Every bit of ``R`` and ``P`` is set once, on one path (a question is read on one of its
paths, and a rule's bits come from the one question it reads, from the pending questions'
tables or from its own test), so bits are added (``+=``, which CPython runs without the
generic operator look-up that ``|=`` goes through): a second setting would carry into the
next bit, and the property tests against the interpreter would see it.

Answers are read strictly, as by ``_decide_fast``: an answer that is ``None``, not in normal
form (see :mod:`triage.engine.answers`) or to no question of the pack raises ``KeyError`` or
``TypeError``, and the caller checks and normalises the answers, then runs it again. A
question is pending when it has no answer and its ``ask_if`` holds or is unknown, or when it
has an answer and its ``ask_if`` is unknown (as in :func:`~triage.engine.evaluate.question_states`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from triage.conditions.to_atoms import Atoms, conjuncts, to_atoms
from triage.conditions.to_python import not_a_number_answer, to_python
from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO,
    Cond,
    QuestionShape,
    questions_read,
)
from triage.conditions.truth import State, truth
from triage.pack.specs import QuestionSpec, RuleSpec

# What ``_partial(answers, stop=True)`` finds in its namespace: ``_STOPPED``, the policy's
# reading of each ``R`` met (the engine's CompiledPartial.stopped: the first fields of the
# outcome, the red flags unchecked, the rules that hold; or ``()``), ``_stop`` (fills it),
# ``_DONE`` and ``_done``, the same for ``R`` with nothing pending (CompiledPartial.head: the
# first fields), ``_LEFT`` (a one-item list: complete answer sets still to come before
# ``_again`` is called, which resets it: see CompiledPartial.missed), ``_new``
# (tuple.__new__), ``_Outcome`` (the engine's result type), ``_PACK`` and ``_careful``
# (``_partial_careful``, made on first use: see generate_partial). With ``stop``, complete
# answers, and answers with questions pending whose disposition is certain already, give the
# outcome itself instead of the masks.
PARTIAL_RUNTIME = ("_STOPPED", "_stop", "_DONE", "_done", "_LEFT", "_again", "_new",
                   "_Outcome", "_PACK", "_careful")
REMEMBERED = 1024  # answers remembered per multiple-choice or number question


def generate_partial(questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec],
                     shapes: Mapping[str, QuestionShape], *, settled: bool = False,
                     careful: bool = False) -> str:
    """The source of ``_partial`` (see the module docstring); ``questions`` in asking order
    (every ``ask_if`` reads only earlier questions).

    ``_partial`` does not look for answers to questions whose ``ask_if`` is false: when it
    read fewer answers than there are, it hands them to ``_careful`` (from its namespace,
    see :data:`PARTIAL_RUNTIME`), the same code generated with ``careful``
    (``_partial_careful``), which reads those answers too: checks them, lists them in
    ``hidden``, and raises for answers it must hand back (None, or to no question). Answers
    to questions that do not apply are rare (a person's answers are dropped when the
    question stops applying), and looking for each cost a third of the reading.

    ``settled``: the source of ``_settled(answers)`` instead, the same reading of answers
    whose questions without an answer will not get one (none is pending: as
    ``question_states(settled=True)``): it returns ``(R, hidden, record)``, every rule's bit
    in ``R`` known. What answers with only therapy details missing decide (they count as not
    answered), without the guarded two-valued code (``_decide_safe``), which reads the
    conditions' repeated parts at every place."""
    names = {q.id: f"q{i}" for i, q in enumerate(questions)}
    n = len(rules)

    def var(question_id: str) -> str:
        return names[question_id]

    def pending(question_id: str) -> str:
        return "p" + names[question_id][1:]

    # conditions over several questions first: they name the atoms each question sets
    atoms = Atoms()
    # parts over several questions that gates hold and conditions repeat are worked out once
    # (to_atoms)
    atoms.share([q.ask_if for q in questions], [r.when for r in rules])
    single: dict[str, list[int]] = {}  # question -> the rules reading only it
    constant = 0
    several: list[tuple[int, list[tuple[str, str]]]] = []
    for i, rule in enumerate(rules):
        read = questions_read(rule.when)
        if not read:
            constant |= (1 << i) if truth(rule.when, State({}, frozenset(), shapes)) else 0
        elif len(read) == 1:
            single.setdefault(next(iter(read)), []).append(i)
        else:
            several.append((i, conjuncts(rule.when, atoms, var, pending, shapes)))
    gates = {q.id: to_atoms(q.ask_if, atoms, var, pending, shapes) for q in questions
             if q.ask_if is not None and questions_read(q.ask_if)}

    def decided(qid: str, s: State) -> tuple[tuple[bool, ...], int]:
        """What question ``qid`` decides in state ``s`` (``truth``'s): the (must, may) of
        each of its atoms, and the bits of its rules in ``R``."""
        halves: list[bool] = []
        for atom in atoms.of_question.get(qid, []):
            t = truth(atom, s)
            halves += [t is True, t is not False]
        r = 0
        for i in single.get(qid, []):
            t = truth(rules[i].when, s)
            r |= (1 << i) if t is True else (1 << (n + i)) if t is None else 0
        return tuple(halves), r

    header = ["_YES_NO = {'yes': True, 'no': False}"]
    name = "_settled" if settled else "_partial_careful" if careful else "_partial"
    lean = not settled and not careful  # answers to questions that do not apply: not read
    lines = [f"def {name}(a):" if settled else f"def {name}(a, stop=True):",
             f"    R = {constant}", "    P = 0", "    n = 0",
             "    hidden = ()", "    get = a.get"]

    def reading(q: QuestionSpec) -> list[str]:
        """Statements that raise unless ``q``'s answer is in normal form; the last one an
        expression of what it decides: (its atoms' halves..., its rules' bits)."""
        v = var(q.id)
        if q.type in (YES_NO, SINGLE):
            table = {o: (*halves, r) for o in q.shape.choices
                     for halves, r in [decided(q.id, State({q.id: o}, frozenset(), shapes))]}
            header.append(f"_T_{v} = {{{', '.join(f'{o!r}: {d!r}' for o, d in table.items())}}}")
            return [f"_T_{v}[{v}]"]
        header.append(f"_M_{v} = {{}}")
        header.extend(_remembering(q, v, atoms.of_question.get(q.id, []),
                                   [(rules[i].when, i) for i in single.get(q.id, [])]))
        remembered = f"(_M_{v}.get({v}) or _F_{v}({v}))"
        if q.type == MULTI:  # _F_ checks the type (see _remembering)
            return [remembered]
        assert q.type == NUMBER  # (7.0 and True would find what 7 and 1 decided)
        return [f"if {not_a_number_answer(v, q.shape)}:", "    raise TypeError", remembered]

    index = {q.id: j for j, q in enumerate(questions)}

    def last_read(read: frozenset[str]) -> int:
        return max(index[qid] for qid in read)

    waiting_rules: list[int] = []
    for j, q in enumerate(questions):
        v, key, bit = var(q.id), repr(q.id), 1 << j
        checked = reading(q)
        *checks, last = checked
        mine = [name for atom in atoms.of_question.get(q.id, []) for name in atoms.names(atom)]
        has_rules = q.id in single
        target = ", ".join([*mine, "t" if has_rules else "_"]) + ", = "
        answered = [*checks, f"{target}{last}", *(["if t:", "    R += t"] if has_rules else [])]

        def settle(halves: tuple[bool, ...], mine: list[str] = mine,
                   unanswered: str = "") -> list[str]:
            """The atoms' halves set (and the local ``unanswered`` to None: one step)."""
            names = [*([unanswered] if unanswered else []), *mine]
            values = [*(["None"] if unanswered else []), *map(repr, halves)]
            return [f"{', '.join(names)} = {', '.join(values)}"] if names else []

        # a pending question's rule bits are added at the end, by P (see _by_pending)
        halves, r = decided(q.id, State({}, frozenset({q.id}), shapes))
        waiting = settle(halves)
        waiting_rules.append(r)
        halves, r = decided(q.id, State({}, frozenset(), shapes))
        absent = [*settle(halves), *([f"R += {r}"] if r else [])]
        not_asked = [*settle(halves, unanswered=v), *([f"R += {r}"] if r else [])]
        flag = q.id in atoms.read_directly  # read through its pending flag too
        p_true, p_false = ([f"{pending(q.id)} = True"], [f"{pending(q.id)} = False"]) if flag \
            else ([], [])
        states = {  # the question's code once its ask_if is true, unknown or false
            True: [f"{v} = get({key})", f"if {v} is None:",
                   *_indent([*absent, *p_false] or ["pass"] if settled else
                            [*waiting, f"P += {bit | bit << len(questions)}", *p_true]),
                   "else:", *_indent(["n += 1", *answered, *p_false])],
            None: [f"{v} = get({key})", f"if {v} is not None:", "    n += 1", *_indent(checked),
                   f"    {v} = None",  # an answer behind an unknown ask_if waits
                   *waiting, f"P += {bit}", *p_true],
            False: [*not_asked, *p_false] if lean else
                   [f"{v} = get({key})", f"if {v} is not None:", "    n += 1",
                    *_indent(checked), f"    hidden += ({key},)", f"    {v} = None", *absent,
                    *p_false]}
        if q.ask_if is None:
            gated = states[True]
        elif q.id not in gates:
            gated = states[truth(q.ask_if, State({}, frozenset(), shapes))]
        else:
            must, may = gates[q.id]
            # false first: most questions of an unfinished questionnaire do not apply
            gated = [f"if not {may}:", *_indent(states[False]), f"elif {must}:",
                     *_indent(states[True]), "else:", *_indent(states[None])]
        lines += _indent(gated)
        # the derived atoms whose last question this is (see to_atoms): set once, here
        lines += _indent([f"{must}, {may} = {must_source}, {may_source}"
                          for read, must, may, must_source, may_source in atoms.derived
                          if last_read(read) == j])
    # answers to no question, and None (read as no answer above), are for the caller: then
    # fewer answers were read (n) than there are (a set operation on the keys and a search
    # of the values for None cost as much as reading ten questions)
    lines += ["    if n != len(a):",
              "        return _careful(a, stop)" if lean else "        raise KeyError"]
    if not settled:  # (settled, no question is pending)
        lines += _by_pending(waiting_rules, header)
    lines += _indent(_several(several, n))
    record = tuple_display([f"_YES_NO.get({var(q.id)})" if q.type == YES_NO else var(q.id)
                            for q in questions])
    if settled:  # nothing is pending: every gate and every rule is known
        return "\n".join([*header, *lines, f"    return R, hidden, {record}"]) + "\n"
    lines += [f"    record = {record}",
              "    if stop:",
              "        if not P:  # complete answers: the outcome, as _outcome_fast makes it",
              "            _LEFT[0] -= 1",
              "            if _LEFT[0] < 1:",
              "                _again()",
              "            h = _DONE.get(R)",
              "            if h is None:",
              "                h = _done(R)",
              "            return _new(_Outcome, h + (record, hidden, _PACK, (), None))",
              "        s = _STOPPED.get(R)",  # a disposition certain already makes the outcome
              "        if s is None:",
              "            s = _stop(R)",
              "        if s:",  # the rules that hold kept in the outcome: no dict each
              "            return _new(_Outcome, s[0] + (record, hidden, _PACK, s[1], s[2]))",
              "    return R, P, hidden, record"]
    return "\n".join([*header, *lines]) + "\n"


# CPython builds a tuple display of more than 30 items (its compiler's guideline for the
# values it pushes at once) as a list, one append per item, then a tuple; tuples of at most
# 30 joined by ``+`` take one instruction each
TUPLE_DISPLAY_ITEMS = 30


def tuple_display(items: Sequence[str]) -> str:
    """The source of a tuple of the expressions ``items``, built in as few steps as CPython
    allows (see :data:`TUPLE_DISPLAY_ITEMS`)."""
    parts = ["(" + "".join(f"{item}, " for item in items[k:k + TUPLE_DISPLAY_ITEMS]) + ")"
             for k in range(0, len(items), TUPLE_DISPLAY_ITEMS)]
    return " + ".join(parts) if parts else "()"


def _remembering(q: QuestionSpec, v: str, atoms: list[Cond],
                 rules: list[tuple[Cond, int]]) -> list[str]:
    """``_F_<v>(answer)``: what a multiple-choice or number answer decides, as read from
    ``_T_<v>`` for the other types (raises unless it is an answer), remembered in ``_M_<v>``.
    The caller has checked a number's type; a multiple choice's is checked here, on the
    first reading of each answer: only a frozenset (or, as in the complete-answer code, a
    frozenset subclass) equals a remembered one, and a set is not a key at all."""
    lines = [f"def _F_{v}({v}):"]
    if q.type == MULTI:
        table = f"_CHOICES_{v}"
        lines = [f"{table} = frozenset({{{', '.join(repr(o.id) for o in q.options)}}})", *lines,
                 f"    if {v}.__class__ is not frozenset or not {v} <= {table}:",
                 "        raise TypeError"]
    present = frozenset({q.id})
    for k, atom in enumerate(atoms):
        lines.append(f"    a{k} = {to_python(atom, lambda _: v, present=present)}")
    lines.append("    r = 0")
    for cond, i in rules:
        lines += [f"    if {to_python(cond, lambda _: v, present=present)}:",
                  f"        r |= {1 << i}"]
    halves = "".join(f"a{k}, a{k}, " for k in range(len(atoms)))
    lines += [f"    if len(_M_{v}) >= {REMEMBERED}:", f"        _M_{v}.clear()",
              f"    found = _M_{v}[{v}] = ({halves}r,)", "    return found"]
    return lines


def _several(several: list[tuple[int, list[tuple[str, str]]]], n: int) -> list[str]:
    """Statements setting the bit of each rule over several questions in ``T`` (bit ``i``)
    or ``U`` (bit ``n + i``), from its conjuncts' (must, may)."""
    return _factored([(i, halves, frozenset()) for i, halves in several], n)


def _factored(rules: list[tuple[int, list[tuple[str, str]], frozenset[int]]],
              n: int) -> list[str]:
    """:func:`_several` of ``rules``, each with the positions of its conjuncts already tested
    (may hold) by the enclosing ``if`` statements. The conjunct that most rules still to
    test share is tested once for all of them, and so on within (a rule holds, or may hold,
    only if each conjunct may: a false one skips them all); the others are tested alone.
    Order is free: each rule sets its own bit."""
    out: list[str] = []
    while rules:
        shared: dict[str, int] = {}
        for _, halves, tested in rules:
            if len(halves) - len(tested) > 1:  # (a rule's last conjunct is tested alone)
                for k, (_, may) in enumerate(halves):
                    if k not in tested:
                        shared[may] = shared.get(may, 0) + 1
        best = max(shared, key=shared.__getitem__, default=None)
        if best is None or shared[best] < 2:
            break
        inside, rest = [], []
        for rule in rules:
            i, halves, tested = rule
            at = next((k for k, (_, may) in enumerate(halves)
                       if may == best and k not in tested), None)
            if at is None or len(halves) - len(tested) < 2:
                rest.append(rule)
            else:
                inside.append((i, halves, tested | {at}))
        out += [f"if {best}:", *_indent(_factored(inside, n))]
        rules = rest
    for i, halves, tested in rules:
        may = " and ".join(m for k, (_, m) in enumerate(halves) if k not in tested)
        must = " and ".join(m for m, _ in halves)
        out += [f"if {may}:", f"    if {must}:", f"        R += {1 << i}", "    else:",
                f"        R += {1 << (n + i)}"]
    return out


def _by_pending(waiting: list[int], header: list[str]) -> list[str]:
    """Statements adding to ``R`` the rule bits of every pending question (``waiting[j]``
    those of question ``j``): a look-up per 8 questions, in tables made as the code is
    loaded, one entry per pattern of ``P``'s bits."""
    header += ["def _by_pattern(bits):",
               "    table = [0]",
               "    for b in bits:",
               "        table += [t | b for t in table]",
               "    return tuple(table)"]
    parts = []
    for k in range(0, len(waiting), 8):
        chunk = waiting[k:k + 8]
        if any(chunk):
            header.append(f"_W{k} = _by_pattern({tuple(chunk)!r})")
            shifted = f"P >> {k}" if k else "P"
            parts.append(f"_W{k}[{shifted} & {(1 << len(chunk)) - 1}]")
    return [f"    R += {' | '.join(parts)}"] if parts else []


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]

