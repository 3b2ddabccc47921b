"""`triage diff OLD NEW`: which answer sets get a different disposition after a pack change.

The answer sets compared are the test cases of both packs and every questionnaire path of
both packs (as ``triage verify`` explores them). An answer set made for one pack may not be
complete for the other (a new question, a new option, a different ``ask_if``), so each is
completed in both packs by following the other pack's questionnaire from those answers;
every completion is compared. Answers the other pack does not know are dropped there.
A pack with more than ``max_paths`` paths contributes ``samples`` seeded random paths instead,
and the report says it is incomplete.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from triage.authoring.answer_space import Domains, explore, random_path
from triage.authoring.explain import settled
from triage.authoring.verify import DEFAULT_MAX_PATHS, answers_yaml
from triage.engine.answers import check_answers
from triage.pack.compiled import CompiledPack

NO_DISPOSITION = "no disposition"
MAX_ENDS = 1_000  # completions of one answer set in the other pack
EXAMPLES = 3


@dataclass(frozen=True)
class Changed:
    answers: dict[str, Any]
    old: str
    new: str
    origin: str  # "path" or "case <id> (<file:line>)"


@dataclass
class DiffReport:
    compared: int = 0
    complete: bool = True  # False when a pack had more paths than the limit
    changed: list[Changed] = field(default_factory=list)

    def groups(self) -> dict[tuple[str, str], list[Changed]]:
        out: dict[tuple[str, str], list[Changed]] = {}
        for c in self.changed:
            out.setdefault((c.old, c.new), []).append(c)
        return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _fit(pack: CompiledPack, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers this pack understands (unknown questions and options dropped)."""
    known = {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in answers.items()
             if k in pack.shapes}
    good, problems = check_answers(known, pack.shapes)
    for key, _ in problems:
        good.pop(key, None)
    return good


def _ends(pack: CompiledPack, domains: Domains, answers: Mapping[str, Any],
          report: DiffReport) -> Iterator[dict[str, Any]]:
    """Every way this pack's questionnaire can finish from these answers (up to MAX_ENDS)."""
    start = _fit(pack, answers)
    for n, end in enumerate(explore(pack, domains, start, limit=MAX_ENDS + 1), 1):
        if n > MAX_ENDS:
            report.complete = False
            return
        # keep the answers the pack did not use: the other pack may read them
        yield {**answers, **end}


def diff(old: CompiledPack, new: CompiledPack, *, max_paths: int = DEFAULT_MAX_PATHS,
         samples: int = 2_000, seed: int = 0) -> DiffReport:
    report = DiffReport()
    old_domains, new_domains = Domains(old), Domains(new)
    seeds: list[tuple[dict[str, Any], str]] = []
    for label, pack in (("old", old), ("new", new)):
        for case in pack.cases:
            seeds.append((dict(case.answers), f"{label} case '{case.id}' ({case.location})"))
    rng = random.Random(seed)
    for pack, domains in ((old, old_domains), (new, new_domains)):
        paths = list(explore(pack, domains, limit=max_paths + 1))
        if len(paths) > max_paths:
            # too many to enumerate: a seeded random sample, not the first branches only
            report.complete = False
            paths = [random_path(pack, domains, rng) for _ in range(samples)]
        seeds += [(path, "path") for path in paths]
    seen: set[frozenset[tuple[str, Any]]] = set()
    for answers, origin in seeds:
        for mid in _ends(new, new_domains, answers, report):
            for full in _ends(old, old_domains, mid, report):
                key = frozenset(full.items())
                if key in seen:
                    continue
                seen.add(key)
                report.compared += 1
                before = settled(old, _fit(old, full)) or NO_DISPOSITION
                after = settled(new, _fit(new, full)) or NO_DISPOSITION
                if before != after:
                    report.changed.append(Changed(full, before, after, origin))
    return report


def diff_text(old: CompiledPack, new: CompiledPack, report: DiffReport) -> str:
    lines = [f"triage diff: {old.id} {old.version} -> {new.id} {new.version}",
             f"Compared {report.compared:,} answer sets (test cases of both packs and every "
             f"questionnaire path of both)."]
    if not report.complete:
        lines.append("Note: not every answer set was compared (a pack had more paths than "
                     "--max-paths, so random paths were sampled, or an answer set had too many "
                     "completions): the list below may be incomplete.")
    if not report.changed:
        lines.append("No disposition changed.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(report.changed):,} answer sets changed disposition:")
    for (before, after), items in report.groups().items():
        lines.append("")
        lines.append(f"{before} -> {after}: {len(items):,} answer set"
                     f"{'s' if len(items) != 1 else ''}")
        cases = [c for c in items if c.origin != "path"]
        for c in cases:
            lines.append(f"  {c.origin}")
        for c in [c for c in items if c.origin == "path"][:EXAMPLES]:
            lines.append(f"  e.g. {answers_yaml(new, c.answers)}")
    return "\n".join(lines) + "\n"
