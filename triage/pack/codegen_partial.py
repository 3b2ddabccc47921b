"""The source of ``_partial(answers)``: the three-valued assessment of an unfinished set of
answers (:func:`triage.engine.evaluate.assess_partial`), compiled like the complete-answer
decision (:mod:`triage.pack.codegen`).

It returns ``(T, U, P, A, hidden, record)``: bit ``i`` of ``T`` is set when rule ``i`` holds
whatever the missing answers turn out to be, of ``U`` when it is unknown; bit ``j`` of ``P``
when question ``j`` is pending (it may still be asked), of ``A`` when it is also askable now
(its ``ask_if`` holds); ``hidden`` the ids of the questions answered although their ``ask_if``
is false, in order; ``record`` the answers that count, as the decision's record (see
:mod:`triage.pack.codegen`). Which disposition that makes is the policy's business
(:func:`triage.engine.policy.certain_disposition`): the engine works it out from ``T`` and
``U``.

Answers are read strictly, as by ``_decide_fast``: an answer that is ``None``, not in normal
form (see :mod:`triage.engine.answers`) or to no question of the pack raises ``KeyError`` or
``TypeError``, and the caller checks and normalises the answers, then runs it again. A
question is pending when it has no answer and its ``ask_if`` holds or is unknown, or when it
has an answer and its ``ask_if`` is unknown (as in :func:`~triage.engine.evaluate.question_states`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from triage.conditions.to_kleene import Names, SharedParts, to_kleene
from triage.conditions.to_python import to_python
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, QuestionShape, questions_read
from triage.conditions.truth import State, truth
from triage.pack.specs import QuestionSpec, RuleSpec


def generate_partial(questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec],
                     shapes: Mapping[str, QuestionShape]) -> str:
    """The source of ``_partial`` (see the module docstring); ``questions`` in asking order
    (every ``ask_if`` reads only earlier questions)."""
    names = {q.id: f"q{i}" for i, q in enumerate(questions)}

    def var(question_id: str) -> str:
        return names[question_id]

    def pending(question_id: str) -> str:
        return "p" + names[question_id][1:]

    header = ["_YES_NO = {'yes': True, 'no': False}"]
    lines = ["def _partial(a):", "    P = A = T = U = 0", "    hidden = ()",
             "    get = a.get"]

    def check(q: QuestionSpec) -> list[str]:
        """Statements that raise unless ``q``'s answer is in normal form."""
        v = var(q.id)
        if q.type == YES_NO:
            return [f"_YES_NO[{v}]"]
        if q.type == SINGLE:
            table = f"_OPTIONS_{v}"
            header.append(f"{table} = frozenset({{{', '.join(repr(o.id) for o in q.options)}}})")
            return [f"if {v} not in {table}:", "    raise KeyError"]
        if q.type == NUMBER:
            kinds = "(int,)" if q.shape.integer else "(int, float)"
            return [f"if {v}.__class__ not in {kinds} or not "
                    f"{_literal(q.min)} <= {v} <= {_literal(q.max)}:", "    raise TypeError"]
        assert q.type == MULTI
        table = f"_CHOICES_{v}"
        header.append(f"{table} = frozenset({{{', '.join(repr(o.id) for o in q.options)}}})")
        return [f"if {v}.__class__ is not frozenset or not {v} <= {table}:",
                "    raise TypeError"]

    for j, q in enumerate(questions):
        v, p, bit, key = var(q.id), pending(q.id), 1 << j, repr(q.id)
        read = check(q)
        states = {  # the question's code once its ask_if is true, unknown or false
            True: [f"{v} = get({key})", f"if {v} is not None:", *_indent(read),
                   f"    {p} = False", "else:", f"    {p} = True", f"    P |= {bit}",
                   f"    A |= {bit}"],
            None: [f"{v} = get({key})", f"if {v} is not None:", *_indent(read),
                   f"    {v} = None",  # an answer behind an unknown ask_if waits
                   f"{p} = True", f"P |= {bit}"],
            False: [f"{v} = get({key})", f"if {v} is not None:", *_indent(read),
                    f"    hidden += ({key},)", f"    {v} = None", f"{p} = False"]}
        lines += _indent(_gated(q, states, var, pending, shapes))
    # answers to no question, and None (read as no answer above), are for the caller
    header.append(f"_QUESTIONS = frozenset({{{', '.join(repr(q.id) for q in questions)}}})")
    lines += ["    if not a.keys() <= _QUESTIONS or None in a.values():", "        raise KeyError"]
    shared = SharedParts([r.when for r in rules if len(questions_read(r.when)) > 1], shapes)
    lines += _indent(shared.lines(var, pending, [q.id for q in questions]))
    lines += _rules(questions, rules, shapes, var, pending, shared)
    record = "".join(f"_YES_NO.get({var(q.id)}), " if q.type == YES_NO else f"{var(q.id)}, "
                     for q in questions)
    lines.append(f"    return T, U, P, A, hidden, ({record})")
    return "\n".join([*header, *lines]) + "\n"


def _rules(questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec],
           shapes: Mapping[str, QuestionShape], var: Names, pending: Names,
           shared: SharedParts) -> list[str]:
    """Statements setting each rule's bit in ``T`` (holds) or ``U`` (unknown).

    Rules that read one question are grouped under it: answered, each is its plain test;
    pending or absent, their bits are constants (``truth``'s, worked out here). A rule that
    reads several is must/may over its parts (see SharedParts)."""
    lines: list[str] = []
    by_question: dict[str, list[tuple[int, RuleSpec]]] = {}
    constant = 0
    for i, rule in enumerate(rules):
        read = questions_read(rule.when)
        if not read:
            constant |= (1 << i) if truth(rule.when, State({}, frozenset(), shapes)) else 0
        elif len(read) == 1:
            by_question.setdefault(next(iter(read)), []).append((i, rule))
            continue
        else:
            bit = 1 << i
            must, may = to_kleene(rule.when, var, pending, shapes, shared)
            lines += [f"    if {may}:", f"        if {must}:", f"            T |= {bit}",
                      "        else:", f"            U |= {bit}"]
    if constant:
        lines.append(f"    T |= {constant}")
    for q in questions:
        group = by_question.get(q.id)
        if not group:
            continue
        v, p = var(q.id), pending(q.id)
        lines.append(f"    if {v} is not None:")
        for i, rule in group:
            lines += [f"        if {to_python(rule.when, var, present=frozenset({q.id}))}:",
                      f"            T |= {1 << i}"]
        for test in (p, None):
            true = unknown = 0
            for i, rule in group:
                t = truth(rule.when, State({}, frozenset({q.id}) if test else frozenset(),
                                           shapes))
                true |= (1 << i) if t is True else 0
                unknown |= (1 << i) if t is None else 0
            body = [f"        T |= {true}"] if true else []
            body += [f"        U |= {unknown}"] if unknown else []
            lines += [f"    elif {p}:" if test else "    else:", *(body or ["        pass"])]
    return lines


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]


def _gated(q: QuestionSpec, states: dict[bool | None, list[str]], var: Names, pending: Names,
           shapes: Mapping[str, QuestionShape]) -> list[str]:
    """``states[t]`` run where ``q``'s ``ask_if`` is ``t``. A gate reading one question is
    tested once, under that question's state (its value while the question is pending or
    absent is ``truth``'s, worked out here)."""
    if q.ask_if is None:
        return states[True]
    read = questions_read(q.ask_if)
    if len(read) == 1:
        (gate,) = read
        absent = truth(q.ask_if, State({}, frozenset(), shapes))
        waiting = truth(q.ask_if, State({}, frozenset(read), shapes))
        test = to_python(q.ask_if, var, present=frozenset(read))
        return [f"if {var(gate)} is not None:", f"    if {test}:", *_indent(_indent(states[True])),
                "    else:", *_indent(_indent(states[False])),
                f"elif {pending(gate)}:", *_indent(states[waiting]),
                "else:", *_indent(states[absent])]
    if not read:
        return states[truth(q.ask_if, State({}, frozenset(), shapes))]
    must, may = to_kleene(q.ask_if, var, pending, shapes)
    return [f"if {must}:", *_indent(states[True]), f"elif {may}:", *_indent(states[None]),
            "else:", *_indent(states[False])]


def _literal(bound: float | None) -> str:
    assert bound is not None  # the loader requires both bounds of a number question
    return repr(int(bound)) if float(bound).is_integer() else repr(float(bound))
