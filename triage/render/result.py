"""Outcomes and problems as text (rich or plain), Markdown and JSON.

Formatters return strings; only the CLI prints.
Urgency is always said in words, never by colour alone.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from triage.engine.evaluate import Outcome
from triage.engine.policy import (
    CONTRAINDICATION,
    DISPOSITIONS,
    INDICATION,
    LEVEL,
    RED_FLAG,
    URGENT,
)
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec
from triage.problems import Problem
from triage.text import printable

# the style of each level of care (triage.engine.policy.LEVEL); urgency is also in the words
_LEVEL_STYLE = {6: "bold white on red", 5: "bold white on red", 4: "bold red",
                3: "bold yellow", 2: "bold yellow", 1: "bold green", 0: "bold"}
URGENCY_STYLE = {d: _LEVEL_STYLE[LEVEL[d]] for d in DISPOSITIONS}


@dataclass(frozen=True)
class Section:
    """A titled block of the result: the same content in every format."""

    title: str
    items: tuple[str, ...]
    kind: str = "list"  # list | lines (title: text) | para (sentences on their own)


def answer_text(pack: CompiledPack, qid: str, value: Any, lang: str) -> str:
    q = pack.question_by_id.get(qid)
    if q is None:
        return str(value)
    if q.type == "yes_no":
        return t(str(value), lang)
    if q.type in ("single", "multi"):
        by_id = {o.id: pack.text(o.text, lang) for o in q.options}
        chosen = set(value) if isinstance(value, frozenset | list | set) else {value}
        values = [o.id for o in q.options if o.id in chosen]  # in the order the person saw
        return ", ".join(by_id[v] for v in values) or t("none_of_these", lang)
    unit = pack.text(q.unit, lang)
    shown = int(value) if isinstance(value, float) and value.is_integer() else value
    return f"{shown} {unit}".strip()


def source_text(rule: RuleSpec, lang: str) -> str:
    s = rule.source
    label = f", {t('consensus', lang)}" if s.kind == "consensus" else ""
    return f"{s.citation} ({s.year}{label})"


def rule_name(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    return pack.text(rule.label, lang) if rule.label else pack.text(rule.reason, lang)


def sections(outcome: Outcome, pack: CompiledPack, lang: str) -> list[Section]:
    """The result, in reading order, as plain strings."""
    advice = {k: pack.text(v, lang) for k, v in outcome.advice.items()}
    out = [Section(t("result", lang), (advice["label"],), "lines")]
    if outcome.disposition == "emergency":
        out.append(Section(t("call_911", lang), (), "lines"))
    out.append(Section(t("what_to_do", lang), (advice["action"],), "lines"))
    out.append(Section(t("how_soon", lang), (advice["timeframe"],), "lines"))
    out.append(Section(t("if_worse", lang), (advice["if_worse"],), "lines"))
    if outcome.safety_net:  # what to watch for with this presentation (pack data)
        out.append(Section(t("watch_for", lang),
                           tuple(pack.text(r.reason, lang) for r in outcome.safety_net)))
    why: list[str] = []
    flags = outcome.fired_of(RED_FLAG)
    if flags:
        why += [f"{pack.text(r.reason, lang)} [{source_text(r, lang)}]" for r in flags]
    else:
        why += [f"{pack.text(r.reason, lang)} [{source_text(r, lang)}]"
                for r in outcome.fired_of(INDICATION)]
    if outcome.soft_tissue_struck:
        why.append(t("soft_tissue_struck", lang))
    strikes = [r for r in outcome.fired_of(CONTRAINDICATION) if r.effect == "strike_soft_tissue"]
    why += [f"{pack.text(r.reason, lang)} [{source_text(r, lang)}]" for r in strikes]
    if why:
        out.append(Section(t("why", lang), tuple(why)))
    if not flags:
        techniques = [pack.text(x, lang) for x in outcome.techniques]
        if techniques:
            out.append(Section(t("techniques", lang), tuple(dict.fromkeys(techniques))))
        notes = []
        for r in outcome.fired_of(CONTRAINDICATION):
            if r.effect == "strike_soft_tissue":
                continue
            label = t(r.effect or "precaution", lang)
            detail = pack.text(r.note, lang) or pack.text(r.reason, lang)
            notes.append(f"{label}{t('colon', lang)}{detail} [{source_text(r, lang)}]")
        if notes:
            out.append(Section(t("therapist_notes", lang), tuple(notes)))
    # booking and insurance advice is noise next to "go now": urgent results carry nothing routine
    advice_notes = [] if outcome.disposition in URGENT else [
        f"{pack.text(r.reason, lang)} [{source_text(r, lang)}]" for r in outcome.notes]
    if advice_notes:
        out.append(Section(t("notes", lang), tuple(advice_notes)))
    if outcome.red_flags_absent:
        out.append(Section(t("flags_absent", lang),
                           tuple(rule_name(pack, r, lang) for r in outcome.red_flags_absent)))
    if outcome.red_flags_not_asked:
        out.append(Section(t("flags_not_asked", lang),
                           tuple(rule_name(pack, r, lang) for r in outcome.red_flags_not_asked)))
    if outcome.red_flags_unchecked:
        out.append(Section(t("flags_unchecked", lang),
                           tuple(rule_name(pack, r, lang) for r in outcome.red_flags_unchecked)))
    answers = [f"{pack.text(pack.question_by_id[q].text, lang)} "
               f"{answer_text(pack, q, v, lang)}"
               for q, v in _in_question_order(pack, outcome.answers)]
    if answers:
        out.append(Section(t("answers", lang), tuple(answers)))
    out.append(Section("", (t("not_diagnosis", lang), t("referral", lang)), "para"))
    out.append(Section(t("pack", lang), (
        f"{pack.text(pack.title, lang)}{t('colon', lang)}{outcome.pack_id} {outcome.pack_version} "
        f"({outcome.pack_hash[:12]}), triage {outcome.tool_version}",), "lines"))
    return out


def _in_question_order(pack: CompiledPack, answers: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(q.id, answers[q.id]) for q in pack.questions if q.id in answers]


def outcome_text(outcome: Outcome, pack: CompiledPack, lang: str, *, plain: bool,
                 width: int = 88) -> str:
    """The result for a terminal. ``plain``: no colour, boxes or symbols (screen readers)."""
    blocks = sections(outcome, pack, lang)
    colon = t("colon", lang)
    if plain:
        lines: list[str] = []
        for s in blocks:
            if s.kind == "para":
                lines += list(s.items)
            elif s.kind == "lines" and s.items:
                lines.append(f"{s.title}{colon}{' '.join(s.items)}")
            elif s.kind == "lines":
                lines.append(s.title)
            else:
                lines.append(f"{s.title}{colon.rstrip()}")
                lines += [f"- {item}" for item in s.items]
        if outcome.disposition == "emergency":
            lines.append(t("call_911", lang))  # a long result scrolls: say it last as well
        return "\n".join(lines) + "\n"
    from rich.console import Console  # lazy: plain output needs no rich (start-up)
    from rich.table import Table
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, highlight=False, force_terminal=True,
                      color_system="standard", emoji=False)
    style = URGENCY_STYLE[outcome.disposition]
    for i, s in enumerate(blocks):
        if i == 0:
            console.print(Text(f" {s.title}{colon}{s.items[0]} ", style=style))
        elif s.kind == "para":
            console.print()
            for item in s.items:
                console.print(Text(item, style="bold" if item == s.items[0] else ""))
        elif s.kind == "lines" and s.items:
            line = Text()
            line.append(f"{s.title}{colon}", style="bold")
            line.append(" ".join(s.items))
            console.print(line)
        elif s.kind == "lines":
            console.print(Text(s.title, style=style))
        else:
            console.print(Text(f"\n{s.title}", style="bold underline"))
            # a borderless grid gives wrapped items a hanging indent under their bullet
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=3, justify="right")
            grid.add_column()
            for item in s.items:
                grid.add_row("•", Text(item))
            console.print(grid)
    if outcome.disposition == "emergency":
        console.print()
        console.print(Text(f" {t('call_911', lang)} ", style=style))  # last on the screen too
    # the grid pads cells to the full width: trailing blanks only get in the way of copying
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())


def outcome_markdown(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    blocks = sections(outcome, pack, lang)
    colon = t("colon", lang)
    lines = [f"# {blocks[0].title}{colon}{blocks[0].items[0]}", ""]
    for s in blocks[1:]:
        if s.kind == "para":
            lines += [*s.items, ""]
        elif s.kind == "lines":
            lines += [f"**{s.title}**" + (f" {' '.join(s.items)}" if s.items else ""), ""]
        else:
            lines += [f"## {s.title}", "", *[f"- {_md_escape(i)}" for i in s.items], ""]
    return "\n".join(lines).rstrip() + "\n"


def _md_escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def outcome_json(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    data = outcome.as_dict()
    data["language"] = lang
    # the two sentences every result carries get names of their own in JSON
    data["not_a_diagnosis"] = t("not_diagnosis", lang)
    data["referral"] = t("referral", lang)
    data["summary"] = {s.title: list(s.items) for s in sections(outcome, pack, lang)
                       if s.kind != "para"}
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def problems_text(problems: Iterable[Problem]) -> str:
    """One ``file:line:col: message`` line per problem; file names and messages can quote
    what a file held, so each line goes through the one sanitiser."""
    return "".join(f"{printable(str(p))}\n" for p in problems)
