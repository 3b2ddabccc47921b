"""Conditions as Python source, built only from validated identifiers and ``repr`` of literals
(the pack's generated decision code is made of these).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from triage.conditions.tree import (
    And,
    Answer,
    Compare,
    Cond,
    Const,
    Count,
    Has,
    Is,
    Not,
    Number,
    NumExpr,
    Or,
    QuestionShape,
)

# --------------------------------------------------------------------------- compilation

# How tightly a piece of generated source binds, loosest first (Python's precedence): a piece
# is put in parentheses only where its context binds tighter. Parentheses are not free:
# Python's parser tries a tuple, then a group, for every ``(`` and so reads what is inside
# again, and compiling a large pack's code took a third longer with a pair around every part.
OR, AND, NOT, COMPARE, SUM, UNARY, ATOM = range(7)

_JOINED = (And, Or)  # a tuple: ``And | Or`` would be made anew on every call
_SIMPLE = (Number, Answer)


def to_python(node: Cond, var: Callable[[str], str], *,
              present: frozenset[str] = frozenset(),
              flags: frozenset[str] = frozenset(), within: int = ATOM,
              memo: dict[int, tuple[str, int]] | None = None,
              every_option: Mapping[str, frozenset[str]] | None = None,
              named: Mapping[int, str] | None = None) -> str:
    """Python source for the two-valued test of ``node`` (absent answers are ``None``).

    ``present``: questions whose variable the caller guarantees is never ``None`` (it reads
    them so that a missing or ``None`` answer raises, and then runs fully guarded code
    instead); their ``is not None`` guards are left out. ``flags``: yes/no questions whose
    variable holds ``True``/``False`` (or ``None``, if not ``present``) instead of
    ``"yes"``/``"no"``, tested by truth value as a person would write them. ``within``: how
    tightly the place the source goes binds (:data:`OR` for a whole ``if`` test, :data:`AND`
    for an item of ``and``); by default the source is safe anywhere (parenthesised unless
    it is a single name or literal). ``memo``: the source of comparisons already made with
    the same ``var``, ``present``, ``flags`` and ``every_option`` (a large pack's trees share
    them: see triage.conditions.quick_reader), by ``id()``: the caller keeps the trees alive.
    ``every_option``: the options of multiple-choice questions whose answers the caller
    guarantees are sets of those options (or None): "any of them all" is then the answer's
    truth value, with no look-up ("an area was chosen" is common in a pack).
    ``named``: parts (``and``, ``or``, ``not`` and comparisons) held in a local already:
    that local's name by the ``id()`` of each node that is such a part, read instead
    wherever ``node`` holds one (``node`` itself is written out: a part's definition).
    """
    code, binds = _cond(node, var, present, flags, {} if memo is None else memo,
                        every_option or {}, named or _NONE_NAMED)
    return code if binds >= within else f"({code})"


_NONE_NAMED: Mapping[int, str] = {}


def _cond(node: Cond, var: Callable[[str], str], present: frozenset[str],
          flags: frozenset[str], memo: dict[int, tuple[str, int]],
          every_option: Mapping[str, frozenset[str]],
          named: Mapping[int, str] = _NONE_NAMED) -> tuple[str, int]:
    """(source, how tightly it binds)."""
    if isinstance(node, _JOINED):
        binds = AND if isinstance(node, And) else OR
        if binds == OR:
            grouped = _tests_of_one_answer(node.items, flags)
            if grouped:
                return _or_grouped(node.items, grouped, var, present, flags, memo,
                                   every_option, named)
        parts = []
        for item in node.items:
            code, item_binds = _item(item, var, present, flags, memo, every_option, named)
            parts.append(code if item_binds >= binds else f"({code})")
        return (" and " if binds == AND else " or ").join(parts), binds
    if isinstance(node, Not):
        code, item_binds = _item(node.item, var, present, flags, memo, every_option, named)
        return (f"not {code}" if item_binds >= NOT else f"not ({code})"), NOT
    found = memo[id(node)] = _comparison(node, var, present, flags, every_option)
    return found


def _item(item: Cond, var: Callable[[str], str], present: frozenset[str],
          flags: frozenset[str], memo: dict[int, tuple[str, int]],
          every_option: Mapping[str, frozenset[str]],
          named: Mapping[int, str]) -> tuple[str, int]:
    """(source, how tightly it binds) of a part of a condition: its local, if named."""
    if named:
        local = named.get(id(item))
        if local is not None:
            return local, ATOM
    return memo.get(id(item)) or _cond(item, var, present, flags, memo, every_option, named)


# ``a in q or b in q or ...`` over one multiple-choice answer: from this many options on, one
# ``isdisjoint`` call (a C loop over a tuple constant) costs less than the tests one by one
ANY_OPTION_FROM = 3


_GROUPED = (Has, Is)


def _group_key(item: Cond) -> tuple[type, str] | None:
    """What an item of ``or`` can be tested together with: ``option in q`` items of one
    multiple-choice answer; ``q in {...}`` (or ``q == ...``) items of one other answer."""
    if isinstance(item, _GROUPED) and not item.negate:
        return type(item), item.question
    return None


def _tests_of_one_answer(items: tuple[Cond, ...], flags: frozenset[str]
                         ) -> dict[tuple[type, str], tuple[str, ...]]:
    """Items of an ``or`` to test as one, by :func:`_group_key`, with their options in the
    order given: ``Is`` items of an answer that is not yes/no (two or more: one set lookup),
    ``Has`` items of a multiple-choice answer (:data:`ANY_OPTION_FROM` or more)."""
    seen: set[str] = set()
    for item in items:  # most ``or`` nodes have none: found out cheaply (a large pack's build)
        if item.__class__ in _GROUPED and not item.negate:
            question = item.question
            if question in seen:
                break
            seen.add(question)
    else:
        return {}
    # then each group's options, and how many items give them
    options: dict[tuple[type, str], list[str]] = {}
    counts: dict[tuple[type, str], int] = {}
    for item in items:
        key = _group_key(item)
        if key is not None and key[1] not in flags:
            counts[key] = counts.get(key, 0) + 1
            given = options.setdefault(key, [])
            if isinstance(item, Is):
                given += sorted(item.options)
            elif isinstance(item, Has):
                given.append(item.option)
    return {key: tuple(dict.fromkeys(given)) for key, given in options.items()
            if counts[key] >= (2 if key[0] is Is else ANY_OPTION_FROM)}


def _or_grouped(items: tuple[Cond, ...], grouped: dict[tuple[type, str], tuple[str, ...]],
                var: Callable[[str], str], present: frozenset[str], flags: frozenset[str],
                memo: dict[int, tuple[str, int]], every_option: Mapping[str, frozenset[str]],
                named: Mapping[int, str]) -> tuple[str, int]:
    """``or`` of ``items``, each group of :func:`_tests_of_one_answer` as one test, where its
    first item was."""
    parts = []
    tested: set[tuple[type, str]] = set()  # groups made already
    for item in items:
        key = _group_key(item)
        if key is not None and key in grouped:
            if key in tested:
                continue
            tested.add(key)
            code, item_binds = _grouped(key, grouped[key], var, present, flags, every_option)
        else:
            code, item_binds = _item(item, var, present, flags, memo, every_option, named)
        parts.append(code if item_binds >= OR else f"({code})")
    if len(parts) == 1:  # all of them one test
        return code, item_binds
    return " or ".join(parts), OR


def _grouped(key: tuple[type, str], options: tuple[str, ...], var: Callable[[str], str],
             present: frozenset[str], flags: frozenset[str],
             every_option: Mapping[str, frozenset[str]]) -> tuple[str, int]:
    kind, question = key
    if kind is Is:
        return _comparison(Is(question, frozenset(options)), var, present, flags, every_option)
    return _any_option(question, options, var, present, every_option)


def _any_option(question: str, options: tuple[str, ...], var: Callable[[str], str],
                present: frozenset[str], every_option: Mapping[str, frozenset[str]]
                ) -> tuple[str, int]:
    """Whether the multiple-choice answer to ``question`` includes any of ``options``."""
    v = var(question)
    if every_option.get(question) == frozenset(options):
        return v, ATOM  # a set of its options (or None): true when not empty
    test = f"not {v}.isdisjoint({options!r})"  # a tuple display: a constant, made once
    if question in present:
        return test, NOT
    return f"{v} is not None and {test}", AND


# ``count(...) >= 1`` holds when any item does, ``count(...) == 0`` when none does (a count is
# never negative): tested as ``or`` stops at the first item that holds, and a group of options
# of one answer as one test (``count`` of every place chosen, ``== 0``: ``not areas``)
_ANY_HOLDS = ((">=", 1.0), (">", 0.0), ("!=", 0.0))
_NONE_HOLDS = (("==", 0.0), ("<", 1.0), ("<=", 0.0))


def _any_or_none(node: Compare) -> tuple[Count, bool] | None:
    """(the ``count(...)``, whether the test is that any item holds) for a count compared
    with 0 or 1 as above; None for any other comparison."""
    left, right = node.left, node.right
    if isinstance(left, Count) and isinstance(right, Number):
        test = (node.op, right.value)
        if test in _ANY_HOLDS:
            return left, True
        if test in _NONE_HOLDS:
            return left, False
    return None


def _comparison(node: Const | Is | Has | Compare, var: Callable[[str], str],
                present: frozenset[str], flags: frozenset[str],
                every_option: Mapping[str, frozenset[str]]) -> tuple[str, int]:
    if isinstance(node, Is):
        v = var(node.question)
        if node.question in flags:
            return _flag_python(v, node, node.question in present)
        guarded = node.question not in present
        if len(node.options) == 1:
            (opt,) = node.options
            if not node.negate:
                return f"{v} == {opt!r}", COMPARE
            test = f"{v} != {opt!r}"
        else:  # a set display after 'in' becomes a frozenset constant: one hash lookup
            opts = "{" + ", ".join(repr(o) for o in sorted(node.options)) + "}"
            if not node.negate:
                return f"{v} in {opts}", COMPARE
            test = f"{v} not in {opts}"
        return (f"{v} is not None and {test}", AND) if guarded else (test, COMPARE)
    if isinstance(node, Has):
        v = var(node.question)
        test = f"{node.option!r} {'not in' if node.negate else 'in'} {v}"
        if node.question in present:
            return test, COMPARE
        return f"{v} is not None and {test}", AND
    if isinstance(node, Const):
        return ("True" if node.value else "False"), ATOM
    counted = _any_or_none(node)
    if counted is not None:
        count, any_holds = counted
        if not count.items:
            return ("False", ATOM) if any_holds else ("True", ATOM)
        items = Or(count.items)
        return _cond(items if any_holds else Not(items), var, present, flags, {}, every_option)
    left, left_nullable = _num_python(node.left, var, present, flags, every_option)
    right, right_nullable = _num_python(node.right, var, present, flags, every_option)
    guards = [f"{x} is not None" for x, n in ((left, left_nullable), (right, right_nullable)) if n]
    test = f"{left} {node.op} {right}"
    return (" and ".join([*guards, test]), AND) if guards else (test, COMPARE)


def _flag_python(v: str, node: Is, present: bool) -> tuple[str, int]:
    """``node`` over a yes/no answer held as ``True``/``False`` (``None`` when absent, unless
    ``present``); the result is always a bool, so ``count`` can add it up."""
    on_yes = ("yes" in node.options) != node.negate  # the test holds for a yes
    on_no = ("no" in node.options) != node.negate
    if on_yes and on_no:
        return ("True", ATOM) if present else (f"{v} is not None", COMPARE)
    if on_yes:
        return (v, ATOM) if present else (f"{v} is True", COMPARE)
    if on_no:
        return (f"not {v}", NOT) if present else (f"{v} is False", COMPARE)
    return "False", ATOM


def _num_python(node: NumExpr, var: Callable[[str], str], present: frozenset[str],
                flags: frozenset[str], every_option: Mapping[str, frozenset[str]]
                ) -> tuple[str, bool]:
    """(source that can be an operand of a comparison, whether it may be None and needs a
    guard before comparing)."""
    if isinstance(node, Number):
        value = node.value
        if value in (float("inf"), float("-inf")):
            return f"float({str(value)!r})", False
        return (repr(int(value)) if value.is_integer() else repr(value)), False
    if isinstance(node, Answer):
        return var(node.question), node.question not in present
    parts = []
    if isinstance(node, Count):
        counted = _every_option_counted(node, every_option)
        if counted is not None:  # how many options were chosen: the set's size
            v = var(counted)
            return (f"len({v})" if counted in present else f"len({v} or ())"), False
        for item in node.items:  # an operand of + (a comparison binds more loosely)
            parts.append(to_python(item, var, present=present, flags=flags, within=UNARY))
    else:
        for num in node.items:
            code, nullable = _num_python(num, var, present, flags, every_option)
            # a sum inside a sum keeps its parentheses: float addition is not associative
            parts.append(f"({code} or 0)" if nullable
                         else code if isinstance(num, _SIMPLE) else f"({code})")
    return " + ".join(parts), False


def _every_option_counted(node: Count, every_option: Mapping[str, frozenset[str]]
                          ) -> str | None:
    """The multiple-choice question whose every option ``node`` counts, each once (``count``
    of every place), when the caller guarantees its answer is a set of those options."""
    items = node.items
    first = items[0] if items else None
    if not isinstance(first, Has) or first.question not in every_option:
        return None
    question = first.question
    options = set()
    for item in items:
        if not isinstance(item, Has) or item.negate or item.question != question:
            return None
        options.add(item.option)
    if len(options) != len(items) or options != every_option[question]:
        return None
    return question


def not_a_number_answer(v: str, shape: QuestionShape) -> str:
    """A test that holds when the local ``v`` is not an answer to the number question
    ``shape``: not an int (or float, where fractions are allowed; True and False are no
    numbers, nor are None and text) or outside its range (NaN too)."""
    assert shape.min is not None and shape.max is not None  # the loader requires both
    kind = "is not int" if shape.integer else "not in (int, float)"
    return (f"{v}.__class__ {kind} or not "
            f"{_bound(shape.min)} <= {v} <= {_bound(shape.max)}")


def _bound(bound: float) -> str:
    """A bound as it is compared fastest: whole numbers as ints (answers mostly are)."""
    return repr(int(bound)) if float(bound).is_integer() else repr(float(bound))
