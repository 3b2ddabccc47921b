"""`triage graph`: questions, the rules they feed, and the dispositions, as Mermaid or DOT text.

Nothing is fetched or sent: the text renders in any Mermaid or Graphviz viewer (for example
``dot -Tsvg``), or in Markdown that supports Mermaid blocks.

Edges: question -> question for ``ask_if`` (dotted), question -> rule for every question a
rule reads, rule -> disposition (red flags to their disposition, indications to the therapy
they support, ``strike_soft_tissue`` contraindications to soft tissue therapy, labelled
"removes"); other contraindications and notes point to a node for notes that change no
disposition.
"""

from __future__ import annotations

from triage.engine.policy import CONTRAINDICATION, DISPOSITIONS, INDICATION, NOTE, RED_FLAG
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec

MAX_LABEL = 60
NOTES_NODE = "notes"


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _edges(pack: CompiledPack) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]],
                                        list[tuple[str, str, str]]]:
    """(ask_if edges, read edges, effect edges), each (source id, target id, label)."""
    gates = [(f"q_{dep}", f"q_{qid}", "ask_if") for qid, read in pack.gate_reads.items()
             for dep in sorted(read)]
    reads = [(f"q_{qid}", f"r_{r.id}", "") for r in pack.rules for qid in sorted(r.reads)]
    effects = []
    for r in pack.rules:
        target, label = _effect(r)
        effects.append((f"r_{r.id}", target, label))
    return gates, reads, effects


def _effect(r: RuleSpec) -> tuple[str, str]:
    if r.kind == RED_FLAG:
        return f"d_{r.disposition}", ""
    if r.kind == INDICATION:
        return f"d_{r.supports}", "supports"
    if r.kind == CONTRAINDICATION and r.effect == "strike_soft_tissue":
        return "d_soft_tissue", "removes"
    return NOTES_NODE, r.effect or "note"


def _rule_label(r: RuleSpec) -> str:
    kind = {RED_FLAG: "red flag", CONTRAINDICATION: "contraindication",
            INDICATION: "indication", NOTE: "note"}[r.kind]
    return f"{kind}: {r.id}"


def mermaid(pack: CompiledPack, lang: str) -> str:
    def q(text: str) -> str:  # Mermaid labels: quotes become entities, brackets are safe inside
        return '"' + text.replace('"', "#quot;") + '"'

    lines = ["flowchart LR"]
    lines.append("  subgraph questions [Questions, in asking order]")
    for question in pack.questions:
        label = f"{question.id}: {_short(pack.text(question.text, lang))}"
        lines.append(f"    q_{question.id}[{q(label)}]")
    lines.append("  end")
    lines.append("  subgraph rules [Rules, in precedence order]")
    for r in pack.rules:
        lines.append(f"    r_{r.id}{{{{{q(_rule_label(r))}}}}}")
    lines.append("  end")
    lines.append("  subgraph dispositions [Dispositions]")
    for d in (d for d in DISPOSITIONS if d in pack.dispositions):
        label = f"{d}: {pack.text(pack.dispositions[d]['label'], lang)}"
        lines.append(f"    d_{d}([{q(label)}])")
    lines.append(f"    {NOTES_NODE}([{q('notes only: no change of disposition')}])")
    lines.append("  end")
    gates, reads, effects = _edges(pack)
    lines += [f"  {a} -. {label} .-> {b}" for a, b, label in gates]
    lines += [f"  {a} --> {b}" for a, b, _ in reads]
    lines += [f"  {a} -- {label} --> {b}" if label else f"  {a} --> {b}"
              for a, b, label in effects]
    return "\n".join(lines) + "\n"


def dot(pack: CompiledPack, lang: str) -> str:
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph triage {", "  rankdir=LR;", "  node [fontname=Helvetica];"]
    lines.append("  subgraph cluster_questions {")
    lines.append("    label=\"Questions, in asking order\";")
    for question in pack.questions:
        label = f"{question.id}: {_short(pack.text(question.text, lang))}"
        lines.append(f"    q_{question.id} [shape=box, label={q(label)}];")
    lines.append("  }")
    lines.append("  subgraph cluster_rules {")
    lines.append("    label=\"Rules, in precedence order\";")
    for r in pack.rules:
        lines.append(f"    r_{r.id} [shape=hexagon, label={q(_rule_label(r))}];")
    lines.append("  }")
    for d in (d for d in DISPOSITIONS if d in pack.dispositions):
        label = f"{d}: {pack.text(pack.dispositions[d]['label'], lang)}"
        lines.append(f"  d_{d} [shape=ellipse, style=bold, label={q(label)}];")
    lines.append(f"  {NOTES_NODE} [shape=note, label="
                 f"{q('notes only: no change of disposition')}];")
    gates, reads, effects = _edges(pack)
    lines += [f"  {a} -> {b} [style=dotted, label={q(label)}];" for a, b, label in gates]
    lines += [f"  {a} -> {b};" for a, b, _ in reads]
    lines += [f"  {a} -> {b}" + (f" [label={q(label)}];" if label else ";")
              for a, b, label in effects]
    lines.append("}")
    return "\n".join(lines) + "\n"
