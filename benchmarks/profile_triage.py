#!/usr/bin/env python3
"""Where triage's time goes, for the engine's owner: build and evaluation, profiled.

    .venv/bin/python benchmarks/profile_triage.py --size 6000 [--top 25]

1. ``load_pack(use_cache=False)`` of the translated pack under cProfile (cumulative top list);
2. per answer set: the if/else ceiling, ``pack.decide``, ``engine.evaluate`` (best of several
   interleaved rounds, microseconds);
3. the generated ``decide`` source with each of its per-call costs removed in turn (where
   present: an ``add(i)`` for every fired rule, ``is not None`` guards, ``get('id')`` instead
   of ``a['id']``), to show what each costs. These variants are experiments on a copy of the
   source, never a change to triage, and they do not keep triage's behaviour for absent
   answers.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import DEFAULT_DATA_DIR, ensure_data, load_answers, load_ruleset
from benchmarks.peers import ifelse
from benchmarks.peers.triage_engine import native
from benchmarks.translate import write_pack


def per_call_us(
    fns: dict[str, tuple[Callable[[Any], Any], Sequence[Any]]], rounds: int
) -> dict[str, float]:
    best = {k: float("inf") for k in fns}
    for _ in range(rounds):
        for name, (fn, xs) in fns.items():  # interleaved: machine drift hits all alike
            t0 = time.perf_counter()
            for a in xs:
                fn(a)
            best[name] = min(best[name], (time.perf_counter() - t0) / len(xs) * 1e6)
    return best


def variant(source: str, name: str, fname: str) -> Callable[[Any], Any]:
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{name}>", "exec"), namespace)
    fn: Callable[[Any], Any] = namespace[fname]
    return fn


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=6000)
    ap.add_argument("--answers", type=int, default=0, help="default: 5000 / (size / 60)")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--top", type=int, default=25)
    ns = ap.parse_args()

    from triage.engine import evaluate as engine
    from triage.pack.load import load_pack

    data = ensure_data(DEFAULT_DATA_DIR)
    ruleset = load_ruleset(data, ns.size)
    n = ns.answers or max(200, 5000 * 60 // ns.size)
    raw = load_answers(data, n)
    answers = [native(a) for a in raw]
    with tempfile.TemporaryDirectory(prefix="triage-profile-") as tmp:
        pack_dir = write_pack(ruleset, Path(tmp))
        load_pack(pack_dir, use_cache=False)  # imports and first-time costs out of the way
        prof = cProfile.Profile()
        t0 = time.perf_counter()
        prof.enable()
        pack = load_pack(pack_dir, use_cache=False)
        prof.disable()
        wall = time.perf_counter() - t0
        t0 = time.perf_counter()
        # compiled from the first call on: a pack's first 32 calls of a kind interpret its
        # conditions (CompiledPack.still_cold), which made engine.evaluate look 1.8x the
        # if/else at 6,000 rules where it is 0.94-0.97x
        pack.warm_up()
        decide = pack.decide
        decide(answers[0])  # the generated code is compiled on first use
        compile_s = time.perf_counter() - t0
    # the generated function behind pack.decide for complete answer sets
    fname = "_decide_fast"
    source = pack.sources[fname]
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(ns.top)
    text = out.getvalue()
    print(
        f"## load_pack(use_cache=False), {ns.size} rules: {wall:.2f} s under cProfile; then "
        f"the first decide() {compile_s:.2f} s (compiles {len(source):,} bytes of source)\n"
    )
    print(text[text.index("ncalls") :])

    ceiling = ifelse.build(ruleset).evaluate
    edits: dict[str, Callable[[str], str]] = {}
    if re.search(r"\n        add\(\d+\)", source):
        edits["without add(i) per fired rule"] = lambda src: re.sub(
            r"\n        add\(\d+\)", "", src
        )
    if "is not None and " in source:
        edits["without 'is not None' guards"] = lambda src: re.sub(
            r"q\d+ is not None and ", "", src
        )
    if "get('" in source:
        edits["with a['id'] for get('id')"] = lambda src: re.sub(
            r"get\(('[a-z_0-9]+')\)", r"a[\1]", src
        )
    fns: dict[str, tuple[Callable[[Any], Any], Sequence[Any]]] = {
        "if/else ceiling": (ceiling, raw),
        "pack.decide as generated": (decide, answers),
        "engine.evaluate": (lambda a: engine.evaluate(pack, a), answers),
    }
    combined = source
    for name, edit in edits.items():
        fns[f"decide {name}"] = (variant(edit(source), name, fname), answers)
        combined = edit(combined)
    if len(edits) > 1:
        fns["decide with all of these"] = (variant(combined, "all", fname), answers)
    for name, (fn, xs) in fns.items():  # every variant must still decide the same
        if name.startswith("decide"):
            assert [fn(a)[:5] for a in xs[:50]] == [decide(a)[:5] for a in xs[:50]], name
    best = per_call_us(fns, ns.rounds)
    base = best["if/else ceiling"]
    print(
        f"## per answer set, {ns.size} rules, {len(answers):,} answer sets, best of "
        f"{ns.rounds} interleaved rounds\n"
    )
    print("| code | us per answer set | ÷ if/else |")
    print("|---|---:|---:|")
    for name, us in best.items():
        print(f"| {name} | {us:.2f} | {us / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
