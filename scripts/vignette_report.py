"""Run the vignette suites (tests/vignettes/) on a pack and report their accuracy.

Usage: python scripts/vignette_report.py [PACK_DIR] [--check]   (default: rules/)

Two suites, reported separately: the blind suite (blind.yaml: written from the patient's side
before its author read the rules) and the authored suite (vignettes.yaml: written by the pack's
author). Writes docs/vignettes.md: for each suite the accepted share, the under-triage count
(must be 0), the over-triage count, the therapy mismatches and every vignette's result; for the
blind suite also its recorded first run (before any fix). With --check it writes nothing and
exits 1 when any vignette is under-triaged or docs/vignettes.md is out of date
(tests/test_vignettes.py does the same in CI).

Levels are the pack's dispositions in the policy's urgency order (triage.engine.policy), with
the three therapies counted as one level ("therapy"): choosing physiotherapy where massage was
expected is a therapy mismatch, not a triage error.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from triage.engine.evaluate import evaluate
from triage.engine.policy import DISPOSITIONS, THERAPY
from triage.pack.compiled import CompiledPack
from triage.pack.load import load_pack
from triage.pack.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "vignettes" / "vignettes.yaml"
BLIND = ROOT / "tests" / "vignettes" / "blind.yaml"
REPORT = ROOT / "docs" / "vignettes.md"
THERAPY_LEVEL = "therapy"


def levels() -> tuple[str, ...]:
    """The policy's urgency order, most urgent first, therapies as one level."""
    out: list[str] = []
    for d in DISPOSITIONS:
        name = THERAPY_LEVEL if d in THERAPY else d
        if name not in out:
            out.append(name)
    return tuple(out)


def level_of(disposition: str) -> str:
    return THERAPY_LEVEL if disposition in THERAPY else disposition


@dataclass(frozen=True)
class Vignette:
    id: str
    source: str
    story: str
    gold: str
    accept: tuple[str, ...]
    therapy: tuple[str, ...]
    answers: dict[str, Any]
    note: str = ""


@dataclass(frozen=True)
class Suite:
    """One vignette file: its name in the report, what it is, and its recorded first run."""

    name: str
    path: Path
    about: str
    vignettes: list[Vignette]
    first_run: dict[str, Any] | None


@dataclass(frozen=True)
class Result:
    vignette: Vignette
    disposition: str
    verdict: str  # accepted | under | over | therapy_mismatch


def _answer(value: Any) -> Any:
    return frozenset(value) if isinstance(value, list) else value


def load_vignettes(path: Path = SUITE) -> list[Vignette]:
    doc, problems = load_yaml_file(path)
    if doc is None or problems:
        raise SystemExit("\n".join(str(p) for p in problems) or f"{path}: cannot read")
    known = set(levels())
    out: list[Vignette] = []
    for item in doc.data["vignettes"]:
        gold = item["gold"]
        accept = (gold, *item.get("accept", ()))
        unknown = [lv for lv in accept if lv not in known]
        if unknown:
            raise SystemExit(f"{path}: vignette '{item['id']}': unknown level {unknown}")
        out.append(Vignette(item["id"], item["source"], " ".join(item["story"].split()), gold,
                            accept, tuple(item.get("therapy", ())),
                            {k: _answer(v) for k, v in item["answers"].items()},
                            " ".join(str(item.get("note", "")).split())))
    return out


ABOUT_BLIND = (
    "Written blind (issue 14): the stories, gold levels and answers were written from the "
    "patient's side and committed before their author read `rules/` (other than the question "
    "texts and options), the authored suite, this report or the hazard log. Gold levels come "
    "from the source named on each. Where a gold level was later judged wrong, the vignette "
    "says why in a note (shown below); no gold level was changed to match the tool.")
ABOUT_AUTHORED = (
    "Limits: the suite was written by the engineer who wrote pack 0.2, after the clinical "
    "review's findings were known, so it is not blind; the answers are one plausible way "
    "each person would answer. A clinician should add vignettes of their own, written "
    "without reading `rules/`, and set the gold levels (docs/clinical-safety.md, open "
    "points).")


def load_suites() -> list[Suite]:
    """The blind suite first (the one that tests the pack), then the authored one."""
    doc, problems = load_yaml_file(BLIND)
    if doc is None or problems:
        raise SystemExit("\n".join(str(p) for p in problems) or f"{BLIND}: cannot read")
    return [Suite("blind", BLIND, ABOUT_BLIND, load_vignettes(BLIND), doc.data.get("first_run")),
            Suite("authored", SUITE, ABOUT_AUTHORED, load_vignettes(SUITE), None)]


def judge(pack: CompiledPack, vignette: Vignette) -> Result:
    disposition = evaluate(pack, vignette.answers).disposition
    order = levels()
    got = order.index(level_of(disposition))
    ranks = [order.index(lv) for lv in vignette.accept]
    if level_of(disposition) in vignette.accept:
        if disposition in THERAPY and vignette.therapy and disposition not in vignette.therapy:
            verdict = "therapy_mismatch"
        else:
            verdict = "accepted"
    elif got > max(ranks):  # further down the order: less urgent than anything accepted
        verdict = "under"
    else:
        verdict = "over"
    return Result(vignette, disposition, verdict)


def run(pack: CompiledPack, vignettes: list[Vignette]) -> list[Result]:
    return [judge(pack, v) for v in vignettes]


def _counts(results: list[Result]) -> dict[str, int]:
    return {k: sum(r.verdict == k for r in results)
            for k in ("accepted", "under", "over", "therapy_mismatch")}


def _first_run(record: dict[str, Any]) -> list[str]:
    """The blind suite's first run, as recorded before any fix (a record, not recomputed)."""
    lines = [
        f"**First run, before any fix** (pack `clinical` {record['pack_version']}, "
        f"{record['date']}): {record['vignettes']} vignettes, {record['accepted']} accepted, "
        f"**{record['under']} under-triaged**, {record['over']} over-triaged, "
        f"{record['therapy_mismatch']} therapy mismatches.",
        "",
    ]
    for item in record.get("findings", ()):
        lines.append(f"- `{item['id']}` ({item['verdict']}): gold {item['gold']}, got "
                     f"{item['got']}. {item['outcome']}")
    lines.append("")
    return lines


def _suite_section(suite: Suite, results: list[Result]) -> list[str]:
    n = len(results)
    count = _counts(results)
    by_gold = {lv: sum(r.vignette.gold == lv for r in results) for lv in levels()}
    rel = suite.path.relative_to(ROOT).as_posix()
    lines = [f"## {suite.name.capitalize()} suite (`{rel}`)", "", suite.about, ""]
    if suite.first_run:
        lines += _first_run(suite.first_run)
    lines += [
        f"Now: {n} vignettes, {count['accepted']} accepted "
        f"({100 * count['accepted'] / n:.0f}%), {count['under']} under-triaged, "
        f"{count['over']} over-triaged, {count['therapy_mismatch']} therapy mismatches.",
        "",
        "Gold levels: " + ", ".join(f"{lv} {c}" for lv, c in by_gold.items() if c) + ".",
        "",
        "| id | gold (also accepted) | result | verdict | source |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        v = r.vignette
        also = f" ({', '.join(v.accept[1:])})" if len(v.accept) > 1 else ""
        lines.append(f"| `{v.id}` | {v.gold}{also} | {r.disposition} | {r.verdict} | "
                     f"{v.source.replace('|', '/')} |")
    notes = [r.vignette for r in results if r.vignette.note]
    if notes:
        lines += ["", "Notes on gold levels:", ""]
        lines += [f"- `{v.id}`: {v.note}" for v in notes]
    lines.append("")
    return lines


def render(pack: CompiledPack, runs: list[tuple[Suite, list[Result]]]) -> str:
    lines = [
        "# Vignette suites: accuracy of the bundled pack",
        "",
        f"Pack `{pack.id}` {pack.version}. Generated by `python scripts/vignette_report.py`; "
        "`tests/test_vignettes.py` fails when this file is out of date or when any vignette is "
        "under-triaged.",
        "",
        "The vignettes (`tests/vignettes/`) are patients' own accounts with the "
        "level of care their source calls for (after Semigran et al., BMJ 2015;351:h3480: "
        "emergent, non-emergent and self-care cases, and the references named on each). A result "
        "is *accepted* when its level is the gold level or one a careful clinician would also "
        "accept; *under-triage* is a result less urgent than every accepted level; *over-triage* "
        "is more urgent. The three therapies count as one level; a different therapy from the "
        "one expected is a *therapy mismatch*. The two suites are reported separately: only the "
        "blind one was written without knowing the rules.",
        "",
        "| measure | " + " | ".join(s.name for s, _ in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    counts = [(_counts(rs), len(rs)) for _, rs in runs]
    lines.append("| vignettes | " + " | ".join(str(n) for _, n in counts) + " |")
    lines.append("| accepted | " + " | ".join(
        f"{c['accepted']} ({100 * c['accepted'] / n:.0f}%)" for c, n in counts) + " |")
    for key, label in (("under", "under-triage"), ("over", "over-triage"),
                       ("therapy_mismatch", "therapy mismatch")):
        lines.append(f"| {label} | " + " | ".join(str(c[key]) for c, _ in counts) + " |")
    lines.append("")
    for suite, results in runs:
        lines += _suite_section(suite, results)
    return "\n".join(lines)


def run_suites(pack: CompiledPack) -> list[tuple[Suite, list[Result]]]:
    return [(suite, run(pack, suite.vignettes)) for suite in load_suites()]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [a for a in argv if a != "--check"]
    pack = load_pack(Path(args[0]) if args else ROOT / "rules", use_cache=False)
    runs = run_suites(pack)
    text = render(pack, runs)
    under = [r.vignette.id for _, rs in runs for r in rs if r.verdict == "under"]
    if check:
        stale = not REPORT.exists() or REPORT.read_text(encoding="utf-8") != text
        if stale:
            print(f"{REPORT.relative_to(ROOT)} is out of date: "
                  "run python scripts/vignette_report.py")
        if under:
            print("under-triaged: " + ", ".join(under))
        return 1 if stale or under else 0
    REPORT.write_text(text, encoding="utf-8")
    for suite, rs in runs:
        c = _counts(rs)
        print(f"{suite.name}: {len(rs)} vignettes, {c['accepted']} accepted, "
              f"{c['under']} under-triaged, {c['over']} over-triaged, "
              f"{c['therapy_mismatch']} therapy mismatches")
    print(f"wrote {REPORT.relative_to(ROOT)}")
    return 1 if under else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
