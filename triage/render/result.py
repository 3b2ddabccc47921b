"""Outcomes and problems as text (rich or plain), Markdown and JSON.

Formatters return strings; only the CLI prints.
Urgency is always said in words, never by colour alone.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from triage.engine.evaluate import Outcome
from triage.engine.policy import (
    CONTRAINDICATION,
    DISPOSITIONS,
    LEVEL,
    RED_FLAG,
    STRIKE_SOFT_TISSUE,
    THERAPY,
    URGENT,
    rule_said_with,
)
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec
from triage.problems import Problem
from triage.render.answers import answer_pairs as answer_pairs
from triage.render.answers import answer_text as answer_text
from triage.render.answers import asked_and_answered as asked_and_answered
from triage.render.answers import option_text as option_text
from triage.render.answers import short_question as short_question
from triage.render.reasons import reason_rules as reason_rules
from triage.render.reasons import reason_text, reasons
from triage.render.reasons import rule_name as rule_name
from triage.render.reasons import source_text as source_text
from triage.render.typography import keep_marks_with_words
from triage.render.typography import wrap_text as _wrap
from triage.render.typography import wrap_words as wrap_words  # re-exported
from triage.text import printable

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


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
    detail: bool = False  # behind `d` on the terminal; the one-screen summary leaves it out
    # question and answer apart, for formats that can set the answer off (bold, a cell);
    # ``items`` holds the same as one line each
    pairs: tuple[tuple[str, str], ...] = ()
    cited: bool = False  # its items name their sources (the keys offer "details and sources")
    # each item's source ("" for none), for a format that cites next to the item (the HTML
    # report); the others give them in the details ("Sources for the precautions above")
    sources: tuple[str, ...] = ()


def is_urgent(disposition: str) -> bool:
    """Care today or sooner: nothing routine (booking, insurance) goes next to it."""
    return disposition in URGENT


def precaution_name(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    return pack.text(rule.label, lang) if rule.label else t(rule.effect or "precaution", lang)


def precaution_text(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    """What the therapist must do and why: "Blood thinners: Gentle pressure only... (Blood
    thinners make bruising easier.)" -- a precaution without its reason reads as arbitrary."""
    colon = t("colon", lang)
    note = pack.text(rule.note, lang)
    reason = pack.text(rule.reason, lang)
    name = precaution_name(pack, rule, lang)
    return f"{name}{colon}{note} ({reason})" if note else f"{name}{colon}{reason}"


def outcome_line(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    """The one line that says it all; shown last, so it is what stays on the screen."""
    if outcome.disposition == "emergency":
        return t("call_911", lang)
    label = pack.text(outcome.advice["label"], lang)
    timeframe = pack.text(outcome.advice["timeframe"], lang)
    if timeframe.split(",")[0].strip().casefold() in label.casefold():
        # "Get medical care today: today." says it twice; the label already says when
        return t("outcome_line_label", lang, label=label)
    if timeframe[:1].isupper() and not timeframe[1:2].isupper():  # reads on: "within ..."
        timeframe = timeframe[0].lower() + timeframe[1:]
    return t("outcome_line", lang, label=label, timeframe=timeframe)


def sections(outcome: Outcome, pack: CompiledPack, lang: str) -> list[Section]:
    """The result, in reading order, as plain strings: first what fits one screen (what to do,
    how soon, when to seek care sooner), then the details (``detail=True``)."""
    advice = {k: pack.text(v, lang) for k, v in outcome.advice.items()}
    disposition = outcome.disposition
    therapy = disposition in THERAPY
    flags = outcome.fired_of(RED_FLAG)
    out = [Section(t("result", lang), (advice["label"],), "lines")]
    out.append(Section(t("what_to_do", lang), (advice["action"],), "lines"))
    out.append(Section(t("how_soon", lang), (advice["timeframe"],), "lines"))
    if disposition != "emergency":  # "call 911" is the result and what to do: said once
        out.append(Section(t("if_worse", lang), (advice["if_worse"],), "lines"))
    if outcome.safety_net:  # what to watch for with this presentation (pack data)
        out.append(Section(t("watch_for", lang),
                           tuple(pack.text(r.reason, lang) for r in outcome.safety_net)))
    precautions = [r for r in outcome.fired_of(CONTRAINDICATION)
                   if r.effect != STRIKE_SOFT_TISSUE]
    if therapy and (precautions or outcome.soft_tissue_struck):
        struck = [t("soft_tissue_struck", lang)] if outcome.soft_tissue_struck else []
        told = struck + [precaution_text(pack, r, lang) for r in precautions]
        out.append(Section(t("tell_therapist", lang), tuple(told), sources=tuple(
            [""] * len(struck) + [source_text(pack, r, lang) for r in precautions])))
    out.append(Section("", (t("not_diagnosis", lang),) + (
        (t("referral", lang),) if therapy else ()), "para"))
    why = reasons(outcome, pack, lang)
    # a strike is said as the policy says (said_with): not next to care today or sooner, nor
    # self care (routine there: the result already says not to book therapy)
    strikes = [r for r in outcome.fired_of(CONTRAINDICATION) if r.effect == STRIKE_SOFT_TISSUE
               and rule_said_with(disposition, r)]
    if strikes:
        why.append(t("soft_tissue_struck", lang))
    why += [f"{reason_text(outcome, pack, r, lang)} [{source_text(pack, r, lang)}]"
            for r in strikes]
    if why:
        out.append(Section(t("why", lang), tuple(why), detail=True, cited=True))
    if therapy and not flags:
        # the indications' techniques less those a precaution says to avoid (pack data)
        techniques = {pack.text(x, lang).casefold(): pack.text(x, lang)
                      for x in outcome.techniques}
        if techniques:
            # listed under the precautions' condition, never next to them as if both applied
            title = t("techniques_adapted" if precautions else "techniques", lang)
            out.append(Section(title, tuple(techniques.values()), detail=True))
        # the precautions themselves are on the first screen, just said: here only their
        # sources (saying them again made a screen reader read each one twice)
        cited = [f"{precaution_name(pack, r, lang)} [{source_text(pack, r, lang)}]"
                 for r in precautions]
        if cited:
            out.append(Section(t("precaution_sources", lang), tuple(cited), detail=True,
                               cited=True))
    # booking and insurance advice is noise next to "call 911 now" or "today"
    advice_notes = [f"{pack.text(r.reason, lang)} [{source_text(pack, r, lang)}]"
                    for r in outcome.notes]
    if advice_notes:
        out.append(Section(t("notes", lang), tuple(advice_notes), detail=True, cited=True))
    if therapy:  # the referral line (said once, above) is the program's: so is its source
        out.append(Section(t("referral_source_title", lang), (t("referral_source", lang),),
                           detail=True, cited=True))
    if disposition != "emergency":
        if outcome.red_flags_unsure:  # before those ruled out: a doubt is not an all-clear
            out.append(Section(t("flags_unsure", lang),
                               tuple(rule_name(pack, r, lang) for r in outcome.red_flags_unsure),
                               detail=True))
        if outcome.red_flags_absent:
            out.append(Section(t("flags_absent", lang),
                               tuple(rule_name(pack, r, lang) for r in outcome.red_flags_absent),
                               detail=True))
        if outcome.red_flags_not_asked:
            out.append(Section(t("flags_not_asked", lang),
                               tuple(rule_name(pack, r, lang)
                                     for r in outcome.red_flags_not_asked), detail=True))
    if outcome.red_flags_unchecked and not is_urgent(disposition):
        out.append(Section(t("flags_unchecked", lang),
                           tuple(rule_name(pack, r, lang) for r in outcome.red_flags_unchecked),
                           detail=True))
    pairs = tuple(answer_pairs(outcome, pack, lang))
    if pairs:
        out.append(Section(t("answers", lang),
                           tuple(asked_and_answered(q, a, lang) for q, a in pairs),
                           detail=True, pairs=pairs))
    # answered although the question did not apply (an answers file, a batch row): said, so
    # that nobody reads an answer they gave as one the result took into account
    not_used = [short_question(pack.text(pack.question_by_id[q].text, lang))
                for q in outcome.ignored_answers if q in pack.question_by_id]
    if not_used:
        out.append(Section(t("answers_not_used", lang), tuple(not_used), detail=True))
    # as the report's line: the title may end in "?" ("...or a doctor first?: clinical" read
    # badly)
    out.append(Section(t("pack", lang), (
        f"{pack.text(pack.title, lang)} ({outcome.pack_id} {outcome.pack_version}, "
        f"{outcome.pack_hash[:12]}; triage {outcome.tool_version})",), "lines", detail=True))
    return out


def result_keys(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    """Which keys do what after the result: ``d`` offers sources only when the details cite
    some (a result no rule gave, "We could not match your answers", has none)."""
    cited = any(s.detail and s.cited for s in sections(outcome, pack, lang))
    return t("result_keys" if cited else "result_keys_no_sources", lang)


def outcome_text(outcome: Outcome, pack: CompiledPack, lang: str, *, plain: bool,
                 width: int = 88, part: str = "all", footer: str = "",
                 wrap: bool = False) -> str:
    """The result for a terminal, wrapped at ``width`` without breaking words.

    ``part``: ``all`` (the summary, the details, then the outcome line again), ``summary``
    (what fits one screen) or ``details``. ``footer`` (e.g. which keys do what) goes just
    above the closing outcome line, which is always last: after a long result, that line is
    what is left on the screen. ``plain``: no colour, boxes or symbols (screen readers).
    """
    blocks = [s for s in sections(outcome, pack, lang)
              if part == "all" or s.detail == (part == "details")]
    return "".join(text_units(blocks, outcome, lang, plain=plain, width=width, wrap=wrap)) + \
        closing_text(outcome, pack, lang, plain=plain, width=width, footer=footer, wrap=wrap)


def text_units(blocks: list[Section], outcome: Outcome, lang: str, *, plain: bool,
               width: int, wrap: bool) -> list[str]:
    """``blocks`` as :func:`outcome_text` shows them, cut where a screen may end
    (:mod:`triage.render.pages`): each unit is a line, or an item with the lines it wraps
    to; a list's title stays with its first item."""
    if not plain:
        return _rich_units(blocks, outcome, lang, width)
    units = _plain_units(blocks, lang)
    if wrap:  # on a terminal: whole words only
        return ["".join(wrap_words(line, width) for line in u.splitlines()) for u in units]
    return units


def closing_text(outcome: Outcome, pack: CompiledPack, lang: str, *, plain: bool,
                 width: int, footer: str, wrap: bool) -> str:
    """The end of every screen of a result: ``footer`` (the keys), then the outcome line."""
    closing = outcome_line(outcome, pack, lang)
    if plain:
        lines = [*([footer] if footer else []), closing]
        if wrap:
            return "".join(wrap_words(line, width) for line in lines)
        return "".join(f"{line}\n" for line in lines)
    from rich.text import Text

    console, buffer = _console(width)
    console.print()
    if footer:
        console.print(Text(_wrap(footer, width), style="dim"))
    console.print(_banner(closing, width, URGENCY_STYLE.get(outcome.disposition, "bold")))
    return _trimmed(buffer.getvalue())


def _plain_units(blocks: list[Section], lang: str) -> list[str]:
    colon = t("colon", lang)
    units: list[str] = []
    for s in blocks:
        if s.kind == "para":
            units += [f"{item}\n" for item in s.items]
        elif s.kind == "lines" and s.items:
            units.append(f"{s.title}{colon}{' '.join(s.items)}\n")
        elif s.kind == "lines":
            units.append(f"{s.title}\n")
        else:
            items = [f"- {item}\n" for item in s.items] or [""]
            units += [f"{s.title}{colon.rstrip()}\n{items[0]}", *items[1:]]
    return units


def _console(width: int) -> tuple[Console, io.StringIO]:
    from rich.console import Console  # lazy: plain output needs no rich (start-up)

    buffer = io.StringIO()
    return Console(file=buffer, width=width, highlight=False, force_terminal=True,
                   color_system="standard", emoji=False), buffer


def _trimmed(text: str) -> str:
    # the grid pads cells to the full width: trailing blanks only get in the way of copying
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def _rich_units(blocks: list[Section], outcome: Outcome, lang: str, width: int) -> list[str]:
    from rich.table import Table
    from rich.text import Text

    # rich breaks lines at any white space, the no-break space too: every text comes to it
    # already wrapped by _wrap, which keeps French marks with their words, in lines that fit
    colon = t("colon", lang)
    console, buffer = _console(width)
    ends: list[int] = []  # where each unit ends in the buffer
    style = URGENCY_STYLE.get(outcome.disposition, "bold")
    cell = width - 4  # the grid's text column: bullet column 3 and 1 between

    def bold_from(text: str, start: int, end: int | None = None) -> Text:
        # _wrap turns a breaking space into a line break: offsets hold
        shown = Text(text)
        shown.stylize("bold", start, end)
        return shown

    def unit(*shown: Any) -> None:
        console.print(*shown)
        ends.append(len(buffer.getvalue()))

    for s in blocks:
        if s.title == t("result", lang) and s.kind == "lines":
            unit(_banner(f"{s.title}{colon}{s.items[0]}", width, style))
        elif s.kind == "para":
            console.print()
            for item in s.items:
                unit(Text(_wrap(item, width), style="bold" if item == s.items[0] else ""))
        elif s.kind == "lines" and s.items:
            head = f"{s.title}{colon}"
            unit(bold_from(_wrap(head + " ".join(s.items), width), 0, len(head)))
        elif s.kind == "lines":
            unit(Text(_wrap(s.title, width), style=style))
        else:
            console.print(Text(f"\n{_wrap(s.title, width)}", style="bold underline"))
            rows = []
            for question, answer in s.pairs:  # the question, then its answer set off in bold
                both = _wrap(asked_and_answered(question, answer, lang), cell)
                rows.append(bold_from(both, len(both) - len(answer)))
            rows += [Text(_wrap(item, cell)) for item in (() if s.pairs else s.items)]
            for row in rows:  # one grid an item: the same lines, and a page may end between
                # a borderless grid gives wrapped items a hanging indent under their bullet
                grid = Table.grid(padding=(0, 1))
                grid.add_column(width=3, justify="right")
                grid.add_column()
                grid.add_row("•", row)
                unit(grid)
            if not rows:
                ends.append(len(buffer.getvalue()))
    text = buffer.getvalue()
    return [_trimmed(text[a:b]) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _banner(text: str, width: int, style: str) -> Text:
    """A coloured line with a space either side, wrapped like every other text."""
    from rich.text import Text

    return Text("\n".join(f" {line} " for line in _wrap(text, width - 2).splitlines()),
                style=style)


def outcome_markdown(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    blocks = sections(outcome, pack, lang)
    colon = t("colon", lang)
    lines = [f"# {blocks[0].title}{colon}{blocks[0].items[0]}", ""]
    for s in blocks[1:]:
        if s.kind == "para":
            lines += [*s.items, ""]
        elif s.kind == "lines":  # "**What to do:** Call 911", as the other formats say it
            lines += [f"**{s.title}{colon.rstrip()}** {' '.join(s.items)}".rstrip(), ""]
        elif s.pairs:  # the answer in bold after its question
            lines += [f"## {s.title}", "", *[
                f"- {_md_escape(asked_and_answered(q, '', lang))}**{_md_escape(a)}**"
                for q, a in s.pairs], ""]
        else:
            lines += [f"## {s.title}", "", *[f"- {_md_escape(i)}" for i in s.items], ""]
    # read in a viewer that wraps lines itself: French marks stay with their words
    return keep_marks_with_words("\n".join(lines).rstrip()) + "\n"


def _md_escape(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def outcome_json(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    data = outcome.as_dict()
    data["language"] = lang
    # the two sentences every result carries get names of their own in JSON
    data["not_a_diagnosis"] = t("not_diagnosis", lang)
    # null on a medical result: the referral sentence is booking advice (nothing routine)
    data["referral"] = t("referral", lang) if outcome.disposition in THERAPY else None
    data["summary"] = {s.title: list(s.items) for s in sections(outcome, pack, lang)
                       if s.kind != "para"}
    # ASCII, with \u escapes, as all JSON triage writes: the same bytes in every locale, read
    # back exactly whatever codec the reader decodes it with; a French result on a Latin-1
    # or ASCII standard output must not fail, or be changed, on its first "œ"
    return json.dumps(data, ensure_ascii=True, indent=2, sort_keys=False) + "\n"


def problems_text(problems: Iterable[Problem], lang: str | None = None) -> str:
    """One ``file:line:col: message`` line per problem; file names and messages can quote
    what a file held, so each line goes through the one sanitiser. ``lang``: each message
    that can be said in it (an answers file's), in it."""
    return "".join(f"{printable(p.said_in(lang) if lang else str(p))}\n" for p in problems)
