"""Turns checked rules into the source of straight-line Python decision functions.

Three functions are generated for a pack, each compiled only when first needed (compiling
Python is the slow part of building a large pack):

``decide(answers)`` (``_decide_fast`` then, if needed, ``_decide_safe``) returns
``(red, strike, soft_points, physio_points, indicated, hidden)``:
``red`` is the index of the first red flag that holds (rules arrive most urgent first) or -1,
``strike`` whether a contraindication removes soft tissue therapy, ``indicated`` how many
indications hold, ``hidden`` a tuple of the ids of questions whose ``ask_if`` is false. It
is what every disposition needs, and nothing more: red flags stop at the first that holds.

It runs ``_decide_fast``, which reads every question without ``ask_if`` as ``a[id]`` and
compares numbers and tests multiple-choice answers without ``is not None`` guards, and falls
back to ``_decide_safe`` (guarded) when a missing answer raises ``KeyError`` or an absent one
``TypeError``: complete answer sets, the common case, pay for no guard.

``fired(answers)`` returns the index of every rule that holds, for the reasons shown to people;
the engine calls it only when an outcome's fired rules are read.

Only identifiers checked by the loader and ``repr`` of literals ever reach the source text.
"""

from __future__ import annotations

from collections.abc import Sequence

from triage.compiled import CONTRAINDICATION, INDICATION, RED_FLAG, QuestionSpec, RuleSpec
from triage.conditions import NUMBER, SINGLE, YES_NO, Cond, questions_read, to_python


def generate(questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec]) -> dict[str, str]:
    """``questions`` must be ordered so that every ``ask_if`` reads only earlier questions."""
    used: set[str] = set()
    for rule in rules:
        used |= rule.reads
    # every gate is evaluated (to know which answers to ignore), so gate inputs are needed too
    by_id = {q.id: q for q in questions}
    for q in questions:
        if q.ask_if is not None:
            used |= questions_read(q.ask_if)
    stack = list(used)
    while stack:
        q = by_id[stack.pop()]
        if q.ask_if is not None:
            for dep in questions_read(q.ask_if):
                if dep not in used:
                    used.add(dep)
                    stack.append(dep)

    names = {q.id: f"q{i}" for i, q in enumerate(questions)}

    def var(question_id: str) -> str:
        return names[question_id]

    # The fast variant assumes questions without ask_if are answered, in normal form (see
    # triage.answers), and reads them so that anything else raises KeyError or TypeError, upon
    # which the caller runs the guarded variant: yes/no through a dict to True/False (tested by
    # truth value), single choice through a dict of its options, numbers with a unary plus
    # (None + no number raise TypeError), multiple choice as they are ('x' in None raises).
    # Gated questions may be hidden (None) even in a complete answer set: they keep guards.
    ungated = frozenset(q.id for q in questions if q.ask_if is None)
    flags = frozenset(q.id for q in questions if q.ask_if is None and q.type == YES_NO)
    header = ["_YES_NO = {'yes': True, 'no': False}"]
    fast_reads: dict[str, str] = {}
    for q in questions:
        if q.ask_if is not None or q.id not in used:
            continue
        if q.type == YES_NO:
            fast_reads[q.id] = f"_YES_NO[a[{q.id!r}]]"
        elif q.type == SINGLE:
            table = f"_OPTIONS_{var(q.id)}"
            header.append(f"{table} = {{{', '.join(f'{o.id!r}: {o.id!r}' for o in q.options)}}}")
            fast_reads[q.id] = f"{table}[a[{q.id!r}]]"
        elif q.type == NUMBER:
            fast_reads[q.id] = f"+a[{q.id!r}]"
        else:
            fast_reads[q.id] = f"a[{q.id!r}]"

    def test(cond: Cond, guarded: bool) -> str:
        if guarded:
            return to_python(cond, var)
        return to_python(cond, var, present=ungated, flags=flags)

    def preamble(name: str, guarded: bool) -> list[str]:
        out = [f"def {name}(a):", "    hidden = ()"]
        if guarded or len(ungated) < len(questions):
            out.append("    get = a.get")
        for q in questions:
            if q.ask_if is None:
                if q.id in used:
                    read = f"get({q.id!r})" if guarded else fast_reads[q.id]
                    out.append(f"    {var(q.id)} = {read}")
                continue
            out += [f"    if {test(q.ask_if, guarded)}:", f"        {var(q.id)} = get({q.id!r})",
                    "    else:", f"        {var(q.id)} = None", f"        hidden += ({q.id!r},)"]
        return out

    sources: dict[str, str] = {}
    for name, guarded in (("_decide_fast", False), ("_decide_safe", True)):
        lines = (header if not guarded else []) + preamble(name, guarded)
        lines += ["    red = -1", "    strike = False", "    st = 0", "    pt = 0", "    n = 0"]
        keyword = "if"
        for index, rule in enumerate(rules):
            when = test(rule.when, guarded)
            if rule.kind == RED_FLAG:
                # the first red flag that holds decides; the others only matter for reasons
                lines += [f"    {keyword} {when}:", f"        red = {index}"]
                keyword = "elif"
                continue
            if rule.kind == CONTRAINDICATION and rule.effect == "strike_soft_tissue":
                lines += [f"    if not strike and {when}:", "        strike = True"]
            elif rule.kind == INDICATION:
                soft, physio = rule.points
                lines.append(f"    if {when}:")
                if soft:
                    lines.append(f"        st += {soft}")
                if physio:
                    lines.append(f"        pt += {physio}")
                lines.append("        n += 1")
        lines.append("    return red, strike, st, pt, n, hidden")
        sources[name] = "\n".join(lines) + "\n"
    lines = preamble("fired", True)
    lines += ["    out = []", "    add = out.append"]
    for index, rule in enumerate(rules):
        lines += [f"    if {to_python(rule.when, var)}:", f"        add({index})"]
    lines.append("    return out")
    sources["fired"] = "\n".join(lines) + "\n"
    return sources
