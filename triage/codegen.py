"""Turns checked rules into the source of one straight-line Python decision function.

The generated ``decide(answers)`` reads each answer once into a local, applies ``ask_if``
gates (a hidden question's answer is ignored), tests every rule in order and returns
``(red, strike, soft_tissue_points, physio_points, indications_fired, fired, hidden)``:
``red`` is the index of the first red flag that fired (rules arrive most urgent first) or -1,
``strike`` whether a contraindication removed soft tissue therapy, and ``fired`` the indices
of every rule that fired, ``hidden`` the ids of questions whose ``ask_if`` is false.
Only identifiers checked by the loader and ``repr`` of literals ever
reach the source text.
"""

from __future__ import annotations

from collections.abc import Sequence

from triage.compiled import CONTRAINDICATION, INDICATION, RED_FLAG, QuestionSpec, RuleSpec
from triage.conditions import questions_read, to_python


def generate(questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec]) -> str:
    """``questions`` must be ordered so that every ``ask_if`` reads only earlier questions."""
    used: set[str] = set()
    for rule in rules:
        used |= rule.reads
    # a gate's own inputs are needed too, transitively
    by_id = {q.id: q for q in questions}
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

    lines = ["def decide(a):", "    get = a.get", "    hidden = []"]
    for q in questions:
        if q.ask_if is None:
            if q.id in used:
                lines.append(f"    {var(q.id)} = get({q.id!r})")
            continue
        gate = to_python(q.ask_if, var)
        lines += [f"    if {gate}:", f"        {var(q.id)} = get({q.id!r})", "    else:",
                  f"        {var(q.id)} = None", f"        hidden.append({q.id!r})"]
    lines += ["    fired = []", "    add = fired.append", "    red = -1", "    strike = False",
              "    st = 0", "    pt = 0", "    n = 0"]
    for index, rule in enumerate(rules):
        lines.append(f"    if {to_python(rule.when, var)}:")
        lines.append(f"        add({index})")
        if rule.kind == RED_FLAG:
            lines.append(f"        if red < 0: red = {index}")
        elif rule.kind == CONTRAINDICATION and rule.effect == "strike_soft_tissue":
            lines.append("        strike = True")
        elif rule.kind == INDICATION:
            soft, physio = rule.points
            if soft:
                lines.append(f"        st += {soft}")
            if physio:
                lines.append(f"        pt += {physio}")
            lines.append("        n += 1")
    lines.append("    return red, strike, st, pt, n, fired, hidden")
    return "\n".join(lines) + "\n"
