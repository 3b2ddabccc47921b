"""Turns checked rules into the source of straight-line Python decision functions.

Three functions are generated for a pack, each generated and compiled only when first needed
(compiling Python is the slow part of building a large pack):

``decide(answers)`` (``_decide_fast`` then, if needed, ``_decide_safe``) returns
``(red, strike, soft_points, physio_points, indicated, hidden, record)``:
``red`` is the index of the first red flag that holds (rules arrive most urgent first) or -1,
``strike`` whether a contraindication removes soft tissue therapy, ``indicated`` how many
indications hold, ``hidden`` a tuple of the ids of questions whose ``ask_if`` is false, and
``record`` the answers that count, one per question in pack order (None: hidden or not
answered; yes/no answers as True/False): a snapshot taken as the answers were read, from
which an outcome's reasons are worked out later. It is what every disposition needs, and
nothing more: red flags stop at the first that holds.

It runs ``_decide_fast``, which reads every answer that applies once, strictly: yes/no answers
through a table to ``True``/``False`` (tested by truth value, as a person writes them), single
choices through a table of their options, numbers against their range, multiple choices as a
subset of their options. Anything missing, ``None`` or not in normal form raises ``KeyError``
or ``TypeError``, and the caller checks the answers and runs ``_decide_safe`` (guarded, three
ways of being absent). So complete, normal answer sets, the common case, pay for no guard,
and a fast result means every question that applies had a proper answer.

``fired(record)`` returns the index of every rule that holds, given a decision's record, for
the reasons shown to people; the engine calls it only when an outcome's fired rules are read.

Only identifiers checked by the loader and ``repr`` of literals ever reach the source text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from triage.conditions.sharing import gate_parts
from triage.conditions.to_python import AND, OR, not_a_number_answer, to_python
from triage.conditions.tree import MULTI, NUMBER, SINGLE, YES_NO, Cond, QuestionShape
from triage.conditions.truth import changes_nothing
from triage.engine.policy import (
    INDICATION,
    RED_FLAG,
    URGENCY,
    can_change_disposition,
    strikes_soft_tissue,
)
from triage.pack.codegen_partial import generate_partial, tuple_display
from triage.pack.specs import QuestionSpec, RuleSpec

# ``_partial``: the three-valued assessment of unfinished answers (see codegen_partial;
# ``_partial_careful``: the same, reading answers to questions that do not apply too);
# ``_settled``: the same reading of answers whose missing ones count as not answered
# ``_head_values``: the outcome's first fields from answers given one per question, already
# checked (see decision.values_preamble)
FUNCTIONS = ("_decide_fast", "_decide_safe", "fired", "_outcome_fast", "_head_values",
             "_partial", "_partial_careful", "_settled")
# What ``_outcome_fast`` finds in its namespace besides its own tables (see CompiledPack):
# ``_new`` (tuple.__new__), ``_Outcome`` (the engine's result type), ``_PACK``, and
# ``_HEADS``/``_dispose``: per (red, strike, totals), the outcome's first fields
# (disposition, main red flag's id, points, indications held), worked out by the engine
# through triage.engine.policy the first time each is met, then looked up (``_head_values``
# returns that head itself, and needs only those two, and ``_LoudAnswers``: see loud_check).
OUTCOME_RUNTIME = ("_new", "_Outcome", "_PACK", "_HEADS", "_dispose", "_LoudAnswers")
# scoring rules per helper function in a large pack's decision code (see generate.decision)
CHUNK = 500


def generate(questions: Sequence[QuestionSpec], rules: Sequence[RuleSpec],
             functions: Sequence[str] = FUNCTIONS, chunk: int = CHUNK) -> dict[str, str]:
    """The source of each of ``functions`` (see the module docstring).

    ``questions`` must be ordered so that every ``ask_if`` reads only earlier questions;
    ``chunk``: scoring rules per helper function of the decision code, when there are more.
    """
    names = {q.id: f"q{i}" for i, q in enumerate(questions)}

    def var(question_id: str) -> str:
        return names[question_id]

    # The fast variant reads every answer of a question that applies strictly: one that is
    # missing, None or not in normal form (see triage.engine.answers) raises KeyError or TypeError,
    # upon which the caller checks the answers and runs the guarded variant. So when it
    # returns, every question that applies had a proper answer. Yes/no answers become
    # True/False (None when the question is hidden), tested by truth value.
    always_asked = [q.id for q in questions if q.ask_if is None]  # in asking order
    ungated = frozenset(always_asked)
    flags = frozenset(q.id for q in questions if q.type == YES_NO)
    # strictly read answers (and records) hold a set of a question's options, or None
    every_option = {q.id: frozenset(o.id for o in q.options) for q in questions
                    if q.type == MULTI}
    header = ["_YES_NO = {'yes': True, 'no': False}"]
    tables: set[str] = set()

    def table(q: QuestionSpec) -> str:
        """The name of the table an answer to ``q`` is read or checked through (made once)."""
        v = var(q.id)
        if q.type == YES_NO:
            return "_YES_NO"
        if q.type == SINGLE:
            name = f"_OPTIONS_{v}"
            made = f"{name} = {{{', '.join(f'{o.id!r}: {o.id!r}' for o in q.options)}}}"
        else:  # multiple choice: a set of this question's options
            name = f"_CHOICES_{v}"
            made = f"{name} = frozenset({{{', '.join(repr(o.id) for o in q.options)}}})"
        if made not in tables:
            tables.add(made)
            header.append(made)
        return name

    def strict_read(q: QuestionSpec) -> list[str]:
        v, key = var(q.id), f"a[{q.id!r}]"
        if q.type in (YES_NO, SINGLE):
            return [f"{v} = {table(q)}[{key}]"]
        return [f"{v} = {key}", *strict_check(q)]

    def strict_check(q: QuestionSpec) -> list[str]:
        """Raises unless the local of ``q`` holds an answer in normal form (yes/no and single
        choices: kept as read, not converted; the caller sets the local to None after)."""
        v = var(q.id)
        if q.type in (YES_NO, SINGLE):
            return [f"{table(q)}[{v}]"]
        if q.type == NUMBER:
            return [f"if {not_a_number_answer(v, q.shape)}:", "    raise TypeError"]
        return [f"if not {v} <= {table(q)}:", "    raise TypeError"]

    # the source of each comparison, made once per way of reading answers (see to_python)
    memos: dict[bool, dict[int, tuple[str, int]]] = {False: {}, True: {}}
    position = {q.id: i for i, q in enumerate(questions)}

    # Parts over several questions that the gates repeat, in each other or in the deciding
    # rules ("pain in the back", a gate, inside some twenty red flags), are worked out once,
    # into a local ``c<k>``, in the code that reads answers strictly: right before the
    # first gate that holds one (every gate is tested on every call). Parts that only rules
    # repeat stay written out: the first red flag that holds ends the tests, and most
    # results are urgent (a batch's rows pay for parts worked out ahead: measured, 4%).
    # A part's definition reads the smaller parts it holds (see to_python's named).
    named: dict[int, str] = {}  # id() of each node that is such a part -> its local
    defined: dict[int, list[str]] = {-1: []}  # position of a question -> definitions after

    def strict_parts() -> tuple[dict[int, str], dict[int, list[str]]]:
        """(``named``, ``defined``), worked out on first use (only strict variants read them)."""
        if -1 not in defined:
            return named, defined
        del defined[-1]  # (the mark of "not yet")
        deciding = [r for r in rules if can_change_disposition(r)]
        scoring = sum(1 for r in deciding if r.kind != RED_FLAG and not strikes_soft_tissue(r))
        structures, first_gate = gate_parts(
            [q.ask_if for q in questions],
            [r.when for r in deciding if scoring <= chunk  # (scoring rules in helper
             or r.kind == RED_FLAG or strikes_soft_tissue(r)])  # functions: not counted)
        # a part's number -> the position after which it is set (a gate reads earlier ones)
        slot = {k: j - 1 for k, j in first_gate.items()}
        ids: dict[int, list[int]] = {}  # a part's number -> the id() of each of its nodes
        for node_id, k in structures.of.items():
            if k in slot:
                ids.setdefault(k, []).append(node_id)
        for n, k in enumerate(sorted(slot, key=lambda k: (slot[k], structures.size[k]))):
            source = to_python(structures.node[k], var, present=ungated, flags=flags,
                               within=OR, memo=memos[False], every_option=every_option,
                               named=named)
            named.update(dict.fromkeys(ids[k], f"c{n}"))
            defined.setdefault(slot[k], []).append(f"c{n} = {source}")
        return named, defined

    def test(cond: Cond, guarded: bool, within: int = OR, inline: bool = False) -> str:
        """``cond`` as the whole test of an ``if`` (``within``: or a part of one);
        ``inline``: with no part read from its local (code outside the function that sets
        them)."""
        if guarded:
            return to_python(cond, var, within=within, memo=memos[True])
        parts = {} if inline else strict_parts()[0]
        return parts.get(id(cond)) or to_python(cond, var, present=ungated, flags=flags,
                                                within=within, memo=memos[False],
                                                every_option=every_option, named=parts)

    def preamble(name: str, guarded: bool, outcome: bool = False) -> list[str]:
        """Reads every answer into a local (None where the question is hidden)."""
        out = [f"def {name}(a):", "    hidden = ()"]
        after = {} if guarded else strict_parts()[1]  # parts set after each question
        if guarded:
            out.append("    get = a.get")
        # the outcome variant counts the answers it read (each to a question of the pack, none
        # None: reading None raises), so that an answer to no question, or a None given to a
        # hidden one, shows as len(a) != n at the end: cheaper than a set test of the keys
        counted = not guarded and outcome
        if counted:
            # answers surely incomplete (fewer than the questions always asked, or none to one
            # of the last two of them, which answers stopped early lack first): None at once,
            # as raising after reading most of them would cost more than the check
            incomplete = " or ".join([f"len(a) < {len(always_asked)}",
                                      *(f"{qid!r} not in a" for qid in always_asked[-2:])])
            out += [f"    if {incomplete}:", "        return None",
                    f"    n = {len(always_asked)}"]  # the questions always asked: read below
        for j, q in enumerate(questions):
            v = var(q.id)
            reads = [f"{v} = get({q.id!r})"] if guarded else strict_read(q)
            if q.ask_if is None:
                out += ["    " + line for line in reads]
                out += ["    " + line for line in after.get(j, [])]
                continue
            out.append(f"    if {test(q.ask_if, guarded)}:")
            out += ["        " + line for line in [*reads, *(["n += 1"] if counted else [])]]
            out.append("    else:")
            if outcome:  # only what was answered although hidden: the outcome lists it, and
                # it must still be an answer (as evaluate_cold and the checked path require)
                out += [f"        {v} = a.get({q.id!r})", f"        if {v} is not None:",
                        *("            " + line for line in strict_check(q)),
                        *(["            n += 1"] if counted else []),
                        f"            hidden += ({q.id!r},)"]
            else:
                out.append(f"        hidden += ({q.id!r},)")
            out.append(f"        {v} = None")
            out += ["    " + line for line in after.get(j, [])]
        if counted:
            out += ["    if len(a) != n:", "        raise KeyError"]
        return out

    # the answers that count, one per question in order (None: hidden or not answered), yes/no
    # answers as True/False (the fast variant has them so already)
    in_order = "".join(f"{var(q.id)}, " for q in questions)
    record = tuple_display([var(q.id) for q in questions])
    safe_record = tuple_display([f"_YES_NO.get({var(q.id)})" if q.type == YES_NO
                                 else var(q.id) for q in questions])

    # The three totals are packed into one integer, so that an indication that holds costs one
    # addition (and compiling a large pack a third of the statements): the indication count
    # in the low bits, then physiotherapy points, then soft tissue points, each field wide
    # enough for the pack's largest possible sum.
    indications = [r for r in rules if r.kind == INDICATION]
    n_bits = max(len(indications).bit_length(), 1)
    st_bits = max(sum(r.points[0] for r in indications).bit_length(), 1)
    pt_bits = max(sum(r.points[1] for r in indications).bit_length(), 1)
    pt_shift, st_shift = n_bits, n_bits + pt_bits

    quiet_tables: list[str] = []
    shapes = {q.id: q.shape for q in questions}

    def values_preamble(name: str) -> list[str]:
        """Takes one answer per question, in asking order, already in normal form and valid
        (yes/no as True/False; None: no answer): a caller that checked them (a batch file's
        known cells). Raises KeyError when a question that applies has no answer; an answer
        to one that does not apply becomes None, as in the other variants. The answer as
        given to a question behind a gate stays in ``_q<n>`` (the argument's name), for
        :func:`loud_check`: whether it may state a warning sign is asked only once the
        result is known, and only when that result is not already as urgent as any such
        sign can be (most rows of a batch end at an emergency: they never ask)."""
        arguments = ", ".join(var(q.id) if q.ask_if is None else f"_{var(q.id)}"
                              for q in questions)
        out = [f"def {name}({arguments}):"]
        after = strict_parts()[1]  # parts set after each question
        if always_asked:
            out += [f"    if {' or '.join(f'{var(q)} is None' for q in always_asked)}:",
                    "        raise KeyError"]
        for j, q in enumerate(questions):
            if q.ask_if is not None:
                v = var(q.id)
                out += [f"    if {test(q.ask_if, False)}:", f"        if _{v} is None:",
                        "            raise KeyError", f"        {v} = _{v}", "    else:",
                        f"        {v} = None"]
            out += ["    " + line for line in after.get(j, [])]
        return out

    def loud_check() -> list[str]:
        """The end of ``_head_values``, once ``head`` is known: an answer to a question that
        does not apply that may state a warning sign (see :func:`quiet_answers`) more urgent
        than the head raises ``_LoudAnswers(head, ignored, stating)`` (a KeyError),
        ``ignored``: the questions answered that do not apply, in asking order, ``stating``:
        those of them whose answers are not quiet (the others state no sign); the caller
        then looks for such signs (:mod:`triage.engine.hidden`) with what it needs already
        worked out."""
        loud: list[tuple[str, int]] = []  # (local, rank: its most urgent red flag's urgency)
        for q in questions:
            if q.ask_if is None:
                continue
            quiet = quiet_answers(q, rules, shapes)
            if quiet is not None:
                v = var(q.id)
                quiet_tables.append(f"_QUIET_{v} = {quiet!r}")
                loud.append((v, max(URGENCY[r.disposition or ""] for r in rules
                                    if r.kind == RED_FLAG and q.id in r.reads)))
        if not loud:
            return []
        gated = [(q.id, var(q.id)) for q in questions if q.ask_if is not None]
        ignored = ("tuple(i for i, g, v in ("
                   + " ".join(f"({qid!r}, _{v}, {v})," for qid, v in gated)
                   + ") if v is None and g is not None)")
        most = max(rank for _, rank in loud)  # (a rank below it is tested on its own too)
        tests = " or ".join(f"{v} is None and _{v} is not None"
                            f"{f' and r < {rank}' if rank < most else ''} and _{v} not in "
                            f"_QUIET_{v}" for v, rank in loud)
        stating = ("tuple(i for i, g, v, quiet in ("
                   + " ".join(f"({qid!r}, _{v}, {v}, _QUIET_{v})," for qid, v in gated
                              if v in dict(loud))
                   + ") if v is None and g is not None and g not in quiet)")
        return ["    r = _URGENCY[head[0]]", f"    if r < {most} and ({tests}):",
                f"        raise _LoudAnswers(head, {ignored}, {stating})"]

    def decision(name: str, guarded: bool, outcome: bool = False,
                 values: bool = False) -> str:
        lines = values_preamble(name) if values else preamble(name, guarded, outcome)
        lines += ["    red = -1", "    strike = False", "    t = 0"]
        keyword = "if"
        scoring: list[RuleSpec] = []
        for index, rule in enumerate(rules):
            if not can_change_disposition(rule):
                continue
            if rule.kind == RED_FLAG:
                when = test(rule.when, guarded)
                # the first red flag that holds decides; the others only matter for reasons
                lines += [f"    {keyword} {when}:", f"        red = {index}"]
                keyword = "elif"
            elif strikes_soft_tissue(rule):
                lines += [f"    if not strike and {test(rule.when, guarded, AND)}:",
                          "        strike = True"]
            else:  # (each writes t alone, with no side effect: their order is free)
                scoring.append(rule)

        def add_points(rules: Sequence[RuleSpec], out: list[str], inline: bool = False
                       ) -> None:
            for rule in rules:
                soft, physio = rule.points
                packed = soft << st_shift | physio << pt_shift | 1
                out += [f"    if {test(rule.when, guarded, inline=inline)}:",
                        f"        t += {packed}"]

        helpers: list[str] = []
        if len(scoring) <= chunk:
            add_points(scoring, lines)
        else:
            # Compiling one function of thousands of statements takes longer per statement
            # than compiling several smaller ones (about 0.6x the time at 500 rules a function,
            # on the 6,000-rule workload), so a large pack's scoring rules go into helper
            # functions that take the answers they read and return their points (t is a sum:
            # order is free)
            for k, start in enumerate(range(0, len(scoring), chunk)):
                part = scoring[start:start + chunk]
                read = sorted(frozenset().union(*(r.reads for r in part)),
                              key=position.__getitem__)
                arguments = ", ".join(var(q) for q in read)
                helpers += [f"def {name}_{k}({arguments}):", "    t = 0"]
                add_points(part, helpers, inline=True)  # (it takes the answers alone)
                helpers.append("    return t")
                lines.append(f"    t += {name}_{k}({arguments})")
        physio_total = f"t >> {pt_shift} & {(1 << pt_bits) - 1}"
        key_shift = st_shift + st_bits + 1
        keyed = f"    key = red << {key_shift} | strike << {key_shift - 1} | t"
        dispose = (f"_dispose(key, red, strike, t >> {st_shift}, {physio_total}, "
                   f"t & {(1 << n_bits) - 1})")
        if values:  # the outcome's first fields alone (see OUTCOME_RUNTIME)
            lines += [keyed, "    try:", "        head = _HEADS[key]", "    except KeyError:",
                      f"        head = {dispose}", *loud_check(), "    return head"]
            tables = [f"_URGENCY = {dict(URGENCY)!r}", *quiet_tables]
            return "\n".join([*tables, *helpers, *lines]) + "\n"
        if outcome:
            # the engine's result type made here, with no call into Python: its first fields
            # looked up by (red, strike, totals) in a table the policy fills (see
            # OUTCOME_RUNTIME); the fields are Outcome's, in order
            lines += [keyed,
                      "    try:",
                      "        d, r, p, i = _HEADS[key]",
                      "    except KeyError:",
                      f"        d, r, p, i = {dispose}",
                      f"    return _new(_Outcome, (d, r, strike, p, i, {record}, hidden, _PACK, "
                      "(), None))"]
            return "\n".join([*header, *helpers, *lines]) + "\n"
        lines += [f"    return (red, strike, t >> {st_shift}, {physio_total}, "
                  f"t & {(1 << n_bits) - 1}, hidden, {safe_record if guarded else record})"]
        return "\n".join((header if not guarded else header[:1]) + helpers + lines) + "\n"

    def fired() -> str:
        # reads a decision's record: every answer that counts, yes/no as True/False, None
        # for hidden or unanswered questions (so every test keeps its guard)
        lines = ["def fired(r):", f"    {in_order}= r", "    out = []",
                 "    add = out.append"]
        memo: dict[int, tuple[str, int]] = {}
        for index, rule in enumerate(rules):
            test = to_python(rule.when, var, flags=flags, within=OR, memo=memo,
                             every_option=every_option)
            lines += [f"    if {test}:",
                      f"        add({index})"]
        lines.append("    return out")
        return "\n".join(lines) + "\n"

    makers: dict[str, Callable[[], str]] = {
        "_decide_fast": lambda: decision("_decide_fast", False),
        "_outcome_fast": lambda: decision("_outcome_fast", False, outcome=True),
        "_head_values": lambda: decision("_head_values", False, values=True),
        "_decide_safe": lambda: decision("_decide_safe", True), "fired": fired,
        "_partial": lambda: generate_partial(questions, rules,
                                             {q.id: q.shape for q in questions}),
        "_partial_careful": lambda: generate_partial(
            questions, rules, {q.id: q.shape for q in questions}, careful=True),
        "_settled": lambda: generate_partial(questions, rules,
                                             {q.id: q.shape for q in questions}, settled=True)}
    return {name: makers[name]() for name in functions}



def quiet_answers(question: QuestionSpec, rules: Sequence[RuleSpec],
                  shapes: Mapping[str, QuestionShape]) -> frozenset[Any] | None:
    """The answers to ``question``, as checked-answer code holds them (yes/no as True/False),
    that change no red flag when the question does not apply: answering them is as good as
    not answering (:func:`triage.conditions.truth.changes_nothing`), whatever the other
    answers are. None when no red flag reads the question: every answer is then quiet.

    Tried: yes and no, every single choice, and "none" and each option alone of a multiple
    choice; numbers are never listed (an answer not listed is checked the long way)."""
    flags = [r for r in rules if r.kind == RED_FLAG and question.id in r.reads]
    if not flags:
        return None
    tried: list[tuple[Any, Any]] = []  # (checked form, normal form)
    if question.type == YES_NO:
        tried = [(True, "yes"), (False, "no")]
    elif question.type == SINGLE:
        tried = [(o.id, o.id) for o in question.options]
    elif question.type == MULTI:
        tried = [(frozenset(), frozenset()),
                 *((frozenset((o.id,)),) * 2 for o in question.options)]
    return frozenset(checked for checked, normal in tried
                     if all(changes_nothing(r.when, question.id, normal, shapes)
                            for r in flags))
