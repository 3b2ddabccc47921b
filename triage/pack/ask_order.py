"""The order questions are asked in, and cycles between ``ask_if`` gates."""

from __future__ import annotations

import heapq
from collections.abc import Iterator

from triage.conditions.tree import Cond, questions_read


def break_gate_cycles(gates: dict[str, Cond | None]) -> list[list[str]]:
    """Every cycle of gates (``a`` asked if ``b``, ``b`` asked if ``a``), each once; the gates
    of a cycle's other members are kept and its first member's is dropped, so the questions
    can still be ordered (the caller reports the cycle as an error)."""
    deps = {q: sorted(questions_read(g)) if g is not None else [] for q, g in gates.items()}
    color: dict[str, int] = {}
    reported: set[frozenset[str]] = set()
    found: list[list[str]] = []
    for start in deps:
        if color.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(deps[start]))]
        color[start] = 1
        trail = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                color[node] = 2
                stack.pop()
                trail.pop()
                continue
            if color.get(child) == 1 and child != node:
                cycle = [*trail[trail.index(child):], child]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    found.append(cycle)
                for q in cycle:
                    gates[q] = None if q == cycle[0] else gates[q]
            elif not color.get(child):
                color[child] = 1
                trail.append(child)
                stack.append((child, iter(deps.get(child, []))))
    return found


def ask_order(gates: dict[str, Cond | None], file_order: list[str],
              red_flag_screen: dict[str, bool]) -> list[str]:
    """Red-flag screening first, then file order, never before a question's gate inputs."""
    index = {qid: i for i, qid in enumerate(file_order)}
    deps = {q: questions_read(g) if g is not None else frozenset() for q, g in gates.items()}
    users: dict[str, list[str]] = {q: [] for q in gates}
    waiting = {q: len(deps[q]) for q in gates}
    for q, ds in deps.items():
        for d in ds:
            users.setdefault(d, []).append(q)
    heap = [(not red_flag_screen[q], index[q], q) for q in gates if waiting[q] == 0]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        _, _, q = heapq.heappop(heap)
        order.append(q)
        for u in users.get(q, []):
            waiting[u] -= 1
            if waiting[u] == 0:
                heapq.heappush(heap, (not red_flag_screen[u], index[u], u))
    # anything left is in a cycle (already reported); keep it so compilation can proceed
    order += [q for q in gates if q not in order]
    return order
