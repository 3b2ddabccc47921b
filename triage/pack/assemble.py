"""Building the :class:`~triage.pack.compiled.CompiledPack` once every check has passed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from triage.conditions.tree import Cond
from triage.engine.policy import CONTRAINDICATION, DISPOSITIONS, INDICATION, RED_FLAG, precedence
from triage.pack import models as m
from triage.pack.compiled import CompiledPack
from triage.pack.located import Located
from triage.pack.specs import (
    AnswerNamedLaterSpec,
    CaseSpec,
    OptionSpec,
    PlacesSpec,
    QuestionSpec,
    RuleSpec,
    SourceRef,
)

# (soft tissue, physiotherapy) points of an indication that gives none
DEFAULT_POINTS = {"soft_tissue": (1, 0), "physiotherapy": (0, 1), "both": (1, 1)}


def assemble(meta: Located, order: list[str], gates: dict[str, Cond | None],
             rules: list[tuple[str, Located, Cond | None]],
             cases: list[tuple[Located, dict[str, Any]]], *, languages: tuple[str, ...],
             question_items: dict[str, Located], places: dict[str, PlacesSpec],
             named: dict[str, tuple[AnswerNamedLaterSpec, ...]],
             reads_of: dict[int, frozenset[str]],
             reason_when: dict[str, tuple[Cond, ...]],
             pack_dir: Path, pack_hash: str, child_when: Cond | None = None) -> CompiledPack:
    """The compiled pack from checked parts: questions in asking ``order``, rules in the
    policy's precedence order, texts as ``{language: text}`` maps."""
    lang = languages[0]

    def text(t: str | dict[str, str] | None) -> dict[str, str] | None:
        if t is None:
            return None
        return {lang: t} if isinstance(t, str) else dict(t)

    def req(t: str | dict[str, str]) -> dict[str, str]:
        out = text(t)
        assert out is not None
        return out

    questions = []
    for qid in order:
        item = question_items[qid]
        q: m.Question = item.model
        questions.append(QuestionSpec(
            id=q.id, type=q.type, text=req(q.text), caller_text=text(q.caller_text),
            help=text(q.help),
            options=tuple(OptionSpec(o.id, req(o.text), text(o.caller_text))
                          for o in q.options or ()),
            unit=text(q.unit), min=None if q.min is None else float(q.min),
            max=None if q.max is None else float(q.max), integer=q.integer,
            ask_if=gates.get(qid), red_flag_screen=q.red_flag_screen,
            location=item.location(), unit_code=q.unit_code, places=places.get(qid),
            repeats=q.repeats, named_later=named.get(qid, ()),
            caller_help=text(q.caller_help), unit_one=text(q.unit_one),
            recency=tuple(q.recency)))
    specs = []
    sources: dict[tuple[Any, ...], SourceRef] = {}
    shared_reads: dict[frozenset[str], frozenset[str]] = {}
    for file_index, (kind, item, node) in enumerate(rules):
        assert node is not None
        r = item.model
        s = r.source
        extra: dict[str, Any] = {}
        if kind == RED_FLAG:
            extra = {"disposition": r.disposition, "priority": r.priority}
        elif kind == CONTRAINDICATION:
            extra = {"effect": r.effect, "note": text(r.note),
                     "techniques": tuple(req(t) for t in r.techniques),
                     "caller_note": text(r.caller_note)}
        elif kind == INDICATION:
            points = ((r.points.soft_tissue, r.points.physiotherapy) if r.points
                      else DEFAULT_POINTS[r.supports])
            extra = {"supports": r.supports, "points": points,
                     "techniques": tuple(req(t) for t in r.techniques)}
        else:  # a note
            extra = {"safety_net": r.safety_net, "show_with": tuple(r.show_with),
                     "urgency": r.urgency, "caller_reason": text(r.caller_reason),
                     "caller_reason_when": tuple(text(b.caller_reason) for b in r.reason_when)}
        note = text(s.note)
        source_key = (s.citation, s.year, s.kind, s.url,
                      None if note is None else tuple(sorted(note.items())))
        source = sources.get(source_key)
        if source is None:  # one object per distinct source: packs cite a few, often
            source = sources[source_key] = SourceRef(s.citation, s.year, s.kind, s.url, note)
        extra["reason_when"] = tuple(
            (cond, req(branch.reason))
            for cond, branch in zip(reason_when.get(r.id, ()), r.reason_when, strict=True))
        reads = reads_of[id(node)]
        reads = shared_reads.setdefault(reads, reads)
        specs.append((file_index, RuleSpec(
            id=r.id, kind=kind, when=node, reason=req(r.reason), label=text(r.label),
            source=source, location=item.location(), reads=reads,
            definite_label=text(r.definite_label), **extra)))
    ordered = tuple(spec for _, spec in sorted(
        specs, key=lambda entry: precedence(entry[1], entry[0])))
    case_specs = tuple(
        CaseSpec(item.model.id, item.model.description, answers, item.model.expect,
                 tuple(item.model.fires), tuple(item.model.not_fires), item.location())
        for item, answers in cases)
    pm: m.PackMeta = meta.model
    dispositions = {
        name: {part: req(getattr(getattr(pm.dispositions, name), part))
               for part in ("label", "action", "timeframe", "if_worse")}
        for name in DISPOSITIONS if getattr(pm.dispositions, name) is not None}
    caller_dispositions = {
        name: {part: req(said) for part in ("label", "action", "timeframe", "if_worse")
               if (said := getattr(getattr(pm.dispositions, name), f"caller_{part}"))
               is not None}
        for name in dispositions}
    child_dispositions = {
        name: {part: req(said) for part in ("label", "action", "timeframe", "if_worse")
               if (said := getattr(getattr(pm.dispositions, name), f"child_{part}"))
               is not None}
        for name in dispositions}
    pack_questions = tuple(questions)
    return CompiledPack(
        id=pm.id, version=pm.version, title=req(pm.title), languages=languages,
        disclaimer=req(pm.disclaimer), dispositions=dispositions,
        both_threshold=pm.therapy_policy.both_threshold, questions=pack_questions,
        rules=ordered, cases=case_specs, content_hash=pack_hash,
        root=str(pack_dir), review_status=pm.review_status,
        caller_dispositions={k: v for k, v in caller_dispositions.items() if v},
        child_when=child_when,
        child_dispositions={k: v for k, v in child_dispositions.items() if v})
