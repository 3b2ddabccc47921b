#!/usr/bin/env python3
"""Canonical workload rules -> a triage rule pack folder (YAML), as a pack author would write it.

    python benchmarks/translate.py benchmarks/.data/rules-600.json OUT_DIR

* every fact becomes a question: int -> ``number`` with its min/max, choice -> ``single`` with
  its choices as options, bool -> ``yes_no`` (answers map True/False to "yes"/"no");
* red flags become ``red_flags`` with the canonical ``priority`` and one disposition
  (``doctor_first``, the canonical ``see_doctor``), so the engine's "most urgent, then highest
  priority, then file order" is exactly the reference's "highest priority, then file order";
* score rules become ``indications`` with ``points: {soft_tissue: a, physiotherapy: b}``;
* the rule set's ``both_threshold`` becomes ``therapy_policy.both_threshold``.

Conditions are written as expression strings (``"fever == yes and age >= 40"``), the form the
format documents first. Indications are split over files of at most 1,000 rules, because a
pack file may not exceed 2 MB; files are read in name order, so rule order is kept.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import Ruleset

PACK_ID = "bench"
RED_FLAG_DISPOSITION = "doctor_first"
RULES_PER_FILE = 1000
SOURCE = (
    '{citation: "Generated benchmark rule (bench workload)", year: 2026, kind: consensus}'
)
_CMP = {"eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}

# what the pack tells people for each disposition: required by the format, unused here
_DISPOSITIONS = (
    "emergency",
    "same_day",
    "doctor_first",
    "physiotherapy",
    "both",
    "soft_tissue",
    "not_enough_information",
)


def _q(text: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar
    return json.dumps(text)


def _value(value: Any, fact_type: str) -> str:
    if fact_type == "bool":
        return "yes" if value else "no"
    if isinstance(value, bool):
        raise ValueError(f"boolean {value!r} compared with a {fact_type} fact")
    return str(value)


def expression(c: Mapping[str, Any], types: Mapping[str, str]) -> str:
    """A canonical condition tree as one triage expression string."""
    if "all" in c:
        return "(" + " and ".join(expression(x, types) for x in c["all"]) + ")"
    if "any" in c:
        return "(" + " or ".join(expression(x, types) for x in c["any"]) + ")"
    if "not" in c:
        return "not " + expression(c["not"], types)
    fact, op, value = c["fact"], c["op"], c["value"]
    t = types[fact]
    if op in ("in", "not_in"):
        items = ", ".join(_value(v, t) for v in value)
        return f"({fact} {'in' if op == 'in' else 'not in'} [{items}])"
    return f"({fact} {_CMP[op]} {_value(value, t)})"


def _pack_yaml(ruleset: Ruleset) -> str:
    lines = [
        "pack:",
        f"  id: {PACK_ID}",
        f'  version: "{ruleset.get("size", len(ruleset["rules"]))}.0.0"',
        f"  title: {_q('Benchmark pack: ' + str(len(ruleset['rules'])) + ' generated rules')}",
        "  languages: [en]",
        "  disclaimer: A generated pack for benchmarks; not clinical advice.",
        f"  therapy_policy: {{both_threshold: {int(ruleset['both_threshold'])}}}",
        "  dispositions:",
    ]
    for d in _DISPOSITIONS:
        lines.append(f"    {d}: {{label: {d}, action: {d}, timeframe: now, if_worse: {d}}}")
    return "\n".join(lines) + "\n"


def _questions_yaml(facts: Mapping[str, Any]) -> str:
    lines = ["questions:"]
    for name, spec in facts.items():
        t = spec["type"]
        lines.append(f"  - id: {name}")
        lines.append(f"    text: {_q('Benchmark fact ' + name + '?')}")
        if t == "int":
            lines += ["    type: number", f"    min: {spec['min']}", f"    max: {spec['max']}"]
        elif t == "choice":
            lines.append("    type: single")
            lines.append("    options:")
            lines += [f"      - {{id: {o}, text: {o}}}" for o in spec["choices"]]
        elif t == "bool":
            lines.append("    type: yes_no")
        else:
            raise ValueError(f"fact {name}: unknown type {t!r}")
    return "\n".join(lines) + "\n"


def pack_files(ruleset: Ruleset) -> dict[str, str]:
    """File name -> YAML text of the pack for ``ruleset``."""
    facts = ruleset["facts"]
    types = {k: v["type"] for k, v in facts.items()}
    files = {"pack.yaml": _pack_yaml(ruleset), "questions.yaml": _questions_yaml(facts)}
    reds = ["red_flags:"]
    scores: list[str] = []
    for r in ruleset["rules"]:
        when = _q(expression(r["when"], types))
        if r["kind"] == "red_flag":
            reds += [
                f"  - id: {r['id']}",
                f"    when: {when}",
                f"    disposition: {RED_FLAG_DISPOSITION}",
                f"    priority: {int(r['priority'])}",
                f"    reason: {_q('Red flag ' + r['id'])}",
                f"    source: {SOURCE}",
            ]
        elif r["kind"] == "score":
            st, pt = int(r["score"]["soft_tissue"]), int(r["score"]["physio"])
            supports = "both" if st and pt else "soft_tissue" if st else "physiotherapy"
            scores.append(
                f"  - id: {r['id']}\n"
                f"    when: {when}\n"
                f"    supports: {supports}\n"
                f"    points: {{soft_tissue: {st}, physiotherapy: {pt}}}\n"
                f"    reason: {_q('Score rule ' + r['id'])}\n"
                f"    source: {SOURCE}"
            )
        else:
            raise ValueError(f"rule {r['id']}: unknown kind {r['kind']!r}")
    files["red_flags.yaml"] = "\n".join(reds) + "\n"
    width = max(2, len(str(len(scores) // RULES_PER_FILE)))
    for i in range(0, max(1, len(scores)), RULES_PER_FILE):
        chunk = scores[i : i + RULES_PER_FILE]
        name = f"indications-{i // RULES_PER_FILE:0{width}d}.yaml"
        files[name] = "indications:\n" + "\n".join(chunk) + "\n" if chunk else "indications: []\n"
    return files


def write_pack(ruleset: Ruleset, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.yaml"):
        old.unlink()
    for name, text in pack_files(ruleset).items():
        (out_dir / name).write_text(text, encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as fh:
        ruleset = json.load(fh)
    out = write_pack(ruleset, Path(args[1]))
    print(f"wrote {out} ({len(ruleset['rules'])} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
