"""The printable summary a patient brings to the first appointment: Markdown or HTML.

The HTML is one self-contained file (inline CSS, no scripts, fonts or images from elsewhere)
sized to fit one printed page; urgency is in words and in a bordered box, never colour alone.
"""

from __future__ import annotations

from html import escape

from triage.compiled import CompiledPack
from triage.engine import Outcome
from triage.i18n import t
from triage.render.result import outcome_markdown, sections

_CSS = """
@page { size: auto; margin: 14mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       color: #111; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 15pt; margin: 0 0 .2rem; }
.meta { color: #444; font-size: 9pt; margin: 0 0 .6rem; }
.result { border: 3px solid #111; padding: .45rem .7rem; margin: .4rem 0 .6rem; }
.result p { margin: .1rem 0; }
.result .label { font-size: 14pt; font-weight: 700; }
.urgent { border-style: double; border-width: 5px; }
h2 { font-size: 11pt; margin: .55rem 0 .15rem; border-bottom: 1px solid #999; }
ul { margin: .1rem 0 .2rem 1.1rem; padding: 0; }
li { margin: 0 0 .1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .6rem; margin: 0; }
dt { font-weight: 700; }
dd { margin: 0; }
.fine { font-size: 9pt; color: #333; margin: .4rem 0 0; }
@media print { body { margin: 0; max-width: none; } }
"""


def report_markdown(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    body = outcome_markdown(outcome, pack, lang)
    if outcome.disposition in ("emergency", "same_day"):
        return body
    return f"{body}\n_{t('report_for_appointment', lang)}_\n"


def report_html(outcome: Outcome, pack: CompiledPack, lang: str, *, date: str = "") -> str:
    blocks = sections(outcome, pack, lang)
    urgent = " urgent" if outcome.disposition in ("emergency", "same_day") else ""
    head = blocks[0]
    # an emergency or same-day result is not about an appointment: do not suggest one
    bring = ("" if urgent else f" &middot; {escape(t('report_for_appointment', lang))}")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(t('report_title', lang))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{escape(t('report_title', lang))}</h1>",
        f'<p class="meta">{escape(pack.text(pack.title, lang))}'
        + (f" &middot; {escape(date)}" if date else "")
        + f"{bring}</p>",
        f'<section class="result{urgent}" aria-label="{escape(head.title)}">',
        f'<p class="label">{escape(head.title)}: {escape(head.items[0])}</p>',
    ]
    rest = blocks[1:]
    lines = [s for s in rest if s.kind == "lines" and s.title != t("pack", lang)]
    out.append("<dl>")
    for s in lines:
        if s.items:
            out.append(f"<dt>{escape(s.title)}</dt><dd>{escape(' '.join(s.items))}</dd>")
        else:
            out.append(f'<dt>{escape(s.title)}</dt><dd></dd>')
    out.append("</dl></section>")
    for s in rest:
        if s.kind == "list":
            out.append(f"<h2>{escape(s.title)}</h2><ul>")
            out += [f"<li>{escape(item)}</li>" for item in s.items]
            out.append("</ul>")
    for s in rest:
        if s.kind == "para":
            out += [f'<p class="fine"><strong>{escape(s.items[0])}</strong></p>',
                    *[f'<p class="fine">{escape(item)}</p>' for item in s.items[1:]]]
    for s in rest:
        if s.kind == "lines" and s.title == t("pack", lang):
            out.append(f'<p class="fine">{escape(s.title)}: {escape(" ".join(s.items))}</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
