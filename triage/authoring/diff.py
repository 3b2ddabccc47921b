"""`triage diff OLD NEW`: which answer sets get a different disposition after a pack change.

The answer sets compared are the test cases of both packs and every questionnaire path of
both packs (as ``triage verify`` explores them). An answer set made for one pack may not be
complete for the other (a new question, a new option, a different ``ask_if``), so each is
completed in both packs by following the other pack's questionnaire from those answers;
every completion is compared. An answer to a question only one pack has is one the other
pack never asks: compared as not given there.

An answer one pack cannot take (an option of a question it lacks, a number outside its
range) cannot be compared: such an answer set is reported apart, counted, with what the
other pack gives it. (It was dropped, that pack asked the question again and only the
completions with its own answers were compared, so the cases a new option opens never were;
those completions are still compared.) Every option either pack lacks is tried, though no
condition reads it (a new option no rule reads is one a reviewer must see), and a sampled
pack's paths give each such option too.
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
from triage.conditions.tree import MULTI, NUMBER
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


@dataclass(frozen=True)
class Unexpressed:
    """An answer set that one pack cannot take (``lacking``: "old" or "new"), so not compared:
    ``lacked``, the answers it lacks (question id, the options or value it does not have);
    ``decided``, what the other pack gives."""

    answers: dict[str, Any]
    lacking: str
    lacked: tuple[tuple[str, str], ...]
    decided: str
    origin: str  # "path" or "case <id> (<file:line>)"


@dataclass
class DiffReport:
    compared: int = 0
    complete: bool = True  # False when a pack had more paths than the limit
    changed: list[Changed] = field(default_factory=list)
    unexpressed: list[Unexpressed] = field(default_factory=list)

    def groups(self) -> dict[tuple[str, str], list[Changed]]:
        out: dict[tuple[str, str], list[Changed]] = {}
        for c in self.changed:
            out.setdefault((c.old, c.new), []).append(c)
        return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def unexpressed_groups(self, lacking: str,
                           ) -> dict[tuple[tuple[tuple[str, str], ...], str], list[Unexpressed]]:
        """The answer sets ``lacking`` cannot take, by the answers it lacks and what the other
        pack gives, largest first."""
        out: dict[tuple[tuple[tuple[str, str], ...], str], list[Unexpressed]] = {}
        for u in self.unexpressed:
            if u.lacking == lacking:
                out.setdefault((u.lacked, u.decided), []).append(u)
        return dict(sorted(out.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _fit(pack: CompiledPack, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers this pack can take (see :func:`_take`)."""
    return _take(pack, answers)[0]


def _take(pack: CompiledPack, answers: Mapping[str, Any],
          ) -> tuple[dict[str, Any], tuple[tuple[str, str], ...]]:
    """The answers this pack can take (in normal form; answers to questions it does not have
    left out: it never asks them), and those to its questions that it cannot take, as
    (question id, what it lacks: the options it does not have, or the value), in asking
    order."""
    known = {k: (sorted(v) if isinstance(v, frozenset) else v) for k, v in answers.items()
             if k in pack.shapes}
    good, problems = check_answers(known, pack.shapes)
    if not problems:
        return good, ()
    refused = {key for key, _ in problems}
    lacked = []
    for qid in pack.question_order:
        if qid in refused:
            good.pop(qid, None)
            value, shape = answers[qid], pack.shapes[qid]
            if isinstance(value, frozenset) and shape.type == MULTI:
                value = sorted(value - set(shape.options)) or sorted(value)
            lacked.append((qid, ", ".join(value) if isinstance(value, list) else str(value)))
    return good, tuple(lacked)


def _lacked(pack: CompiledPack, answers: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return _take(pack, answers)[1]


def _domains(pack: CompiledPack, other: CompiledPack) -> Domains:
    """This pack's representative answers, and besides them every option of a multiple
    choice that the other pack does not have, and the other pack's number limits: each
    answer the other pack cannot take is tried, so that it is reported, not left out
    because no condition of this pack reads it."""
    options: dict[str, set[str]] = {}
    limits: dict[str, set[float]] = {}
    for qid, shape in pack.shapes.items():
        theirs = other.shapes.get(qid)
        if theirs is None:
            continue
        if shape.type == MULTI:
            options[qid] = set(shape.options).difference(theirs.options)
        elif shape.type == NUMBER and theirs.type == NUMBER:
            # (only limits of its own: the same range would only add answers to try)
            limits[qid] = {v for v in (theirs.min, theirs.max)
                           if v is not None and v not in (shape.min, shape.max)}
    return Domains(pack, also_options=options, also_thresholds=limits)


def _only_here(pack: CompiledPack, other: CompiledPack) -> dict[str, list[Any]]:
    """Per question of both packs, the answers of this pack's options that the other pack
    does not have (a multiple choice's: each option alone)."""
    out: dict[str, list[Any]] = {}
    for qid, shape in pack.shapes.items():
        theirs = other.shapes.get(qid)
        if theirs is None or shape.type == NUMBER:
            continue
        extra = [c for c in shape.choices if c not in theirs.choices] if shape.type != MULTI \
            else [frozenset({o}) for o in shape.options if o not in theirs.options]
        if extra:
            out[qid] = extra
    return out


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
    old_domains, new_domains = _domains(old, new), _domains(new, old)
    seeds: list[tuple[dict[str, Any], str]] = []
    for label, pack in (("old", old), ("new", new)):
        for case in pack.cases:
            seeds.append((dict(case.answers), f"{label} case '{case.id}' ({case.location})"))
    rng = random.Random(seed)
    for pack, domains, other in ((old, old_domains, new), (new, new_domains, old)):
        paths = list(explore(pack, domains, limit=max_paths + 1))
        if len(paths) > max_paths:
            # too many to enumerate: a seeded random sample, not the first branches only
            report.complete = False
            paths = [random_path(pack, domains, rng) for _ in range(samples)]
            # and paths that give each answer the other pack cannot take, which a sample
            # may well miss (one option of thirteen, behind a gate)
            favoured = max(20, samples // 10)
            for qid, wanted in _only_here(pack, other).items():
                paths += [random_path(pack, domains, rng, favour={qid: wanted})
                          for _ in range(favoured)]
        seeds += [(path, "path") for path in paths]
    seen: set[frozenset[tuple[str, Any]]] = set()

    def judge(full: dict[str, Any], origin: str) -> None:
        key = frozenset(full.items())
        if key in seen:
            return
        seen.add(key)
        (old_answers, lacked_old), (new_answers, lacked_new) = _take(old, full), _take(new, full)
        if lacked_old or lacked_new:  # one pack cannot take these answers: said apart
            lacking, other, taken = ("old", new, new_answers) if lacked_old else \
                ("new", old, old_answers)
            report.unexpressed.append(Unexpressed(
                full, lacking, lacked_old or lacked_new,
                settled(other, taken) or NO_DISPOSITION, origin))
            return
        report.compared += 1
        before = settled(old, old_answers) or NO_DISPOSITION
        after = settled(new, new_answers) or NO_DISPOSITION
        if before != after:
            report.changed.append(Changed(full, before, after, origin))

    for answers, origin in seeds:
        if _lacked(new, answers):  # an answer only the old pack has: finished there too
            for full in _ends(old, old_domains, answers, report):
                judge(full, origin)
        for mid in _ends(new, new_domains, answers, report):
            if _lacked(old, mid):  # an answer only the new pack has (a new option)
                judge(mid, origin)
            # (each pack asks again what it cannot take: the same answers with its own
            # answer there, compared as well)
            for full in _ends(old, old_domains, mid, report):
                judge(full, origin)
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
    else:
        lines.append(f"{len(report.changed):,} answer sets changed disposition:")
    for (before, after), items in report.groups().items():
        lines.append("")
        lines.append(f"{before} -> {after}: {_sets(len(items))}")
        lines += _listed(new, items, "  ")
    for lacking, (pack, other) in (("old", (old, new)), ("new", (new, old))):
        groups = report.unexpressed_groups(lacking)
        if not groups:
            continue
        count = sum(len(sets) for sets in groups.values())
        lines.append("")
        lines.append(f"{_sets(count)} with answers that {pack.id} {pack.version} (the "
                     f"{lacking} pack) does not have (an option it lacks, or a value outside "
                     f"its range), so not compared; what {other.id} {other.version} gives:")
        for (lacked, decided), sets in groups.items():
            shown = "; ".join(f"{qid}: {part}" for qid, part in lacked)
            lines.append(f"  {decided}: {_sets(len(sets))} ({shown})")
            lines += _listed(other, sets, "    ")
    return "\n".join(lines) + "\n"


def _sets(n: int) -> str:
    return f"{n:,} answer set{'s' if n != 1 else ''}"


def _listed(pack: CompiledPack, items: list[Changed] | list[Unexpressed],
            indent: str) -> list[str]:
    """The test cases among ``items``, each once, then a few of the paths as examples."""
    cases: dict[str, int] = {}
    for c in items:  # a case once, with the number of its completions
        if c.origin != "path":
            cases[c.origin] = cases.get(c.origin, 0) + 1
    lines = [f"{indent}{origin}" + (f" ({n:,} completions)" if n > 1 else "")
             for origin, n in cases.items()]
    lines += [f"{indent}e.g. {answers_yaml(pack, c.answers)}"
              for c in [c for c in items if c.origin == "path"][:EXAMPLES]]
    return lines
