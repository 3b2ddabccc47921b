"""How many questions the questionnaire asks: every case of the pack, and a random search.

Usage: python scripts/question_paths.py [PACK_DIR] [--samples N]

Each case is walked one question at a time through ``engine.evaluate.next_question`` with its own
answers (the case suite is the set of typical personas). The random search then answers every
question at random, favouring many body areas and some warning signs, to find the longest path
the pack allows; it prints the longest path found and its answers.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from pathlib import Path
from typing import Any

from triage.engine.evaluate import evaluate, next_question
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.specs import QuestionSpec

ROOT = Path(__file__).resolve().parent.parent


def walk(pack: CompiledPack, answers: dict[str, Any]) -> list[str]:
    so_far: dict[str, Any] = {}
    asked: list[str] = []
    while (q := next_question(pack, so_far)) is not None:
        so_far[q.id] = answers[q.id]
        asked.append(q.id)
    return asked


def random_answer(q: QuestionSpec, rng: random.Random) -> Any:
    if q.type == "yes_no":
        return rng.choice(["yes", "no"])
    if q.type == "number":
        return rng.choice([15, 19, 20, 30, 44, 45, 50, 51, 54, 55, 64, 65, 80])
    options = [o.id for o in q.options]
    if q.type == "single":
        return rng.choice(options)
    if q.red_flag_screen and q.id != "areas":
        return frozenset(rng.sample(options, rng.choice([0, 0, 0, 1])))
    return frozenset(rng.sample(options, rng.randint(0, len(options))))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("pack", nargs="?", default=str(ROOT / "rules"))
    parser.add_argument("--samples", type=int, default=20_000)
    args = parser.parse_args()
    pack = load_pack(Path(args.pack), use_cache=False)
    lengths = {case.id: len(walk(pack, case.answers)) for case in pack.cases}
    longest = max(lengths.values())
    print(f"cases: {len(lengths)}; questions asked: longest {longest}, "
          f"mean {sum(lengths.values()) / len(lengths):.1f}")
    print("  longest cases:", ", ".join(k for k, v in lengths.items() if v == longest))
    print("  distribution:", dict(sorted(Counter(lengths.values()).items())))
    rng = random.Random(20261126)
    best: list[str] = []
    best_answers: dict[str, Any] = {}
    for _ in range(args.samples):
        so_far: dict[str, Any] = {}
        asked: list[str] = []
        while (q := next_question(pack, so_far)) is not None:
            so_far[q.id] = random_answer(q, rng)
            asked.append(q.id)
        if len(asked) > len(best):
            best, best_answers = asked, so_far
    print(f"random search ({args.samples} paths): longest {len(best)} questions: {best}")
    shown = {k: sorted(v) if isinstance(v, frozenset) else v for k, v in best_answers.items()}
    print(f"  answers: {shown}")
    print(f"  result: {evaluate(pack, best_answers).disposition}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
