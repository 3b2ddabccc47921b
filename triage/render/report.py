"""The printable summary a patient brings to the first appointment: Markdown or HTML.

The HTML is one self-contained file (inline CSS, no scripts, fonts or images from elsewhere)
sized to fit one printed page; urgency is in words and in a bordered box, never colour alone.
"""

from __future__ import annotations

import math
import re
from html import escape

from triage.engine.evaluate import Outcome
from triage.engine.policy import URGENT
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.render.result import answer_text, outcome_markdown, sections

_CSS = """
@page { size: auto; margin: 10mm 12mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       line-height: 1.28; color: #111; max-width: 48rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.45em; margin: 0 0 .15em; }
.meta { color: #444; font-size: .85em; margin: 0 0 .4em; }
.result { border: 3px solid #111; padding: .4em .6em; margin: .3em 0 .4em; }
.result p { margin: .1em 0; }
.result .label { font-size: 1.3em; font-weight: 700; }
.urgent { border-style: double; border-width: 5px; }
h2 { font-size: 1em; margin: .5em 0 .1em; border-bottom: 1px solid #999; }
ul { margin: .05em 0 .1em 0; padding: 0 0 0 13pt; }  /* fixed: small type keeps its bullets */
li { margin: 0 0 .05em; }
ul.cols, ul.cols3 { columns: 2; column-gap: 1.6em; font-size: .85em; line-height: 1.2; }
ul.cols3 { columns: 3; }
ul.cols, ul.cols3 { padding-left: 0; }
ul.cols li, ul.cols3 li { break-inside: avoid; margin-left: 13pt; }
.answers li { color: #333; }
.answers strong { color: #000; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .05em .6em; margin: 0; }
dt { font-weight: 700; }
dd { margin: 0; }
.fine { font-size: .85em; color: #333; margin: .3em 0 0; }
.src { font-size: .8em; color: #555; }
.sources { font-size: .78em; color: #444; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
"""


_SOURCE = re.compile(r"^(?P<text>.*) \[(?P<source>[^\[\]]*)\]$", re.DOTALL)


def _with_source(item: str, sources: dict[str, int]) -> str:
    """``reason [source]`` as ``reason [n]``: many reasons share a source, listed once below."""
    found = _SOURCE.match(item)
    if not found:
        return escape(item)
    number = sources.setdefault(found["source"], len(sources) + 1)
    return f'{escape(found["text"])} <span class="src">[{number}]</span>'


def _type_size(body: str) -> float:
    """Points for the body text: smaller as the content grows, so it prints on one sheet.

    Calibrated with headless Chromium on US Letter (the smaller of Letter and A4 in height):
    the printed area grows with the square of the type size.
    """
    text = re.sub(r"<[^>]+>", "", body)
    estimate = len(text) + 60 * body.count("<li>") + 60 * body.count("<dt>")
    return round(max(6.5, min(10.0, 10.0 * math.sqrt(5000 / estimate))), 1)


def _answers(outcome: Outcome, pack: CompiledPack, lang: str) -> list[tuple[str, str]]:
    return [(pack.text(q.text, lang), answer_text(pack, q.id, outcome.answers[q.id], lang))
            for q in pack.questions if q.id in outcome.answers]


def report_markdown(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    body = outcome_markdown(outcome, pack, lang)
    if outcome.disposition in URGENT:
        return body
    return f"{body}\n_{t('report_for_appointment', lang)}_\n"


def report_html(outcome: Outcome, pack: CompiledPack, lang: str, *, date: str = "") -> str:
    blocks = sections(outcome, pack, lang)
    urgent = " urgent" if outcome.disposition in URGENT else ""
    head = blocks[0]
    colon = t("colon", lang)
    # an emergency or same-day result is not about an appointment: do not suggest one
    bring = ("" if urgent else f" &middot; {escape(t('report_for_appointment', lang))}")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t('report_title', lang))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(t('report_title', lang))}</h1>",
        f'<p class="meta">{escape(pack.text(pack.title, lang))} '
        f"({escape(outcome.pack_id)} {escape(outcome.pack_version)}, "
        f"{escape(outcome.pack_hash[:12])}; triage {escape(outcome.tool_version)})"
        + (f" &middot; {escape(date)}" if date else "")
        + f"{bring}</p>",
        f'<section class="result{urgent}" aria-label="{escape(head.title)}">',
        f'<p class="label">{escape(head.title)}{escape(colon)}{escape(head.items[0])}</p>',
    ]
    rest = blocks[1:]
    out.append("<dl>")
    for s in rest:
        if s.kind == "lines" and s.title != t("pack", lang):
            out.append(f"<dt>{escape(s.title)}</dt><dd>{escape(' '.join(s.items))}</dd>")
    out.append("</dl></section>")
    # long lists of short items (warning signs, techniques) run on in columns, the answers in
    # two columns, and each source is listed once, so a long result still fits one page
    short = {t("flags_absent", lang), t("flags_unchecked", lang), t("techniques", lang)}
    sources: dict[str, int] = {}
    for s in rest:
        if s.kind != "list":
            continue
        if s.title == t("answers", lang):
            out.append(f'<h2>{escape(s.title)}</h2><ul class="cols answers">')
            out += [f"<li>{escape(question)} <strong>{escape(answer)}</strong></li>"
                    for question, answer in _answers(outcome, pack, lang)]
        else:
            css = ' class="cols3"' if s.title in short else ""
            out.append(f"<h2>{escape(s.title)}</h2><ul{css}>")
            out += [f"<li>{_with_source(item, sources)}</li>" for item in s.items]
        out.append("</ul>")
    for s in rest:
        if s.kind == "para":
            out.append(f'<p class="fine"><strong>{escape(s.items[0])}</strong> '
                       + " ".join(escape(item) for item in s.items[1:]) + "</p>")
    if sources:
        out.append(f'<p class="fine sources">{escape(t("sources", lang))}{escape(colon)}'
                   + "; ".join(f"[{n}] {escape(text)}" for text, n in sources.items())
                   + "</p>")
    out.append("</body></html>")
    page = "\n".join(out) + "\n"
    body_at = page.index("<body>")
    size = _type_size(page[body_at:])
    return f'{page[:body_at]}<body style="font-size: {size}pt">{page[body_at + 6:]}'
