"""The printable summary a patient brings to the first appointment: Markdown or HTML.

The HTML is one self-contained file (inline CSS, no scripts, fonts or images from elsewhere)
sized to fit one printed page; urgency is in words and in a bordered box, never colour alone.
"""

from __future__ import annotations

import re
from html import escape as _escape

from triage.engine.evaluate import Outcome
from triage.engine.policy import URGENT
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.render.result import (
    asked_and_answered,
    is_urgent,
    outcome_markdown,
    sections,
)
from triage.render.typography import keep_marks_with_words

# 12 pt is the smallest type anywhere on the page (older readers, bad light): nothing is set
# in a smaller em than the body. One column on a narrow screen (a phone).
_CSS = """
@page { size: auto; margin: 10mm 12mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
       font-size: 12pt; line-height: 1.3; color: #111; max-width: 48rem; margin: 1.5rem auto;
       padding: 0 1rem; }
h1 { font-size: 1.5em; margin: 0 0 .2em; }
.result h1.label { font-size: 1.35em; }
.meta { color: #333; margin: 0 0 .5em; }
.result { border: 3px solid #111; padding: .4em .7em; margin: .3em 0 .6em; }
.result p { margin: .1em 0; }
.emergency { border: 0; background: #b00020; color: #fff; padding: .6em .8em; }
.emergency .banner { font-size: 1.8em; font-weight: 800; margin: 0 0 .2em;
                     letter-spacing: .02em; }
.emergency dt, .emergency dd { color: #fff; }
.urgent { border-width: 5px; }
h2 { font-size: 1.1em; margin: .6em 0 .15em; border-bottom: 1px solid #777; }
ul { margin: .1em 0 .2em 0; padding: 0 0 0 1.2em; }
li { margin: 0 0 .1em; }
ul.cols { columns: 2; column-gap: 1.6em; padding-left: 0; }
ul.cols li { break-inside: avoid; margin-left: 1.2em; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .1em .7em; margin: 0; }
dt { font-weight: 700; }
dd { margin: 0; }
.fine { margin: .5em 0 0; }
.src { color: #333; }
.sources { color: #333; }
@media (max-width: 40rem) {
  body { margin: .5rem auto; }
  ul.cols { columns: 1; }
  dl { grid-template-columns: 1fr; }
  dd { margin: 0 0 .3em; }
}
@media print { body { margin: 0; max-width: none; padding: 0; line-height: 1.15; }
  /* every answer is listed (a "no" can be the deciding one): three columns, tighter
     spacing, so that a therapy result still prints on one page */
  ul.answers { columns: 3; column-gap: 1em; line-height: 1.1; } li { margin-bottom: 0; }
  ul { padding-left: 1em; } .result { margin: 0 0 .4em; }
  h2 { margin: .35em 0 .1em; } .fine { margin: .3em 0 0; } }
"""


def escape(text: str) -> str:
    """HTML text in which a French mark stays with its word when the browser wraps the line
    (Chromium breaks before " :" and " ?")."""
    return _escape(keep_marks_with_words(text))


_SOURCE = re.compile(r"^(?P<text>.*) \[(?P<source>[^\[\]]*)\]$", re.DOTALL)


def _with_source(item: str, sources: dict[str, int]) -> str:
    """``reason [source]`` as ``reason [n]``: many reasons share a source, listed once below."""
    found = _SOURCE.match(item)
    if not found:
        return escape(item)
    number = sources.setdefault(found["source"], len(sources) + 1)
    return f'{escape(found["text"])} <span class="src">[{number}]</span>'


def report_markdown(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    body = outcome_markdown(outcome, pack, lang)
    if outcome.disposition in URGENT:
        return body
    return f"{body}\n_{t('report_for_appointment', lang)}_\n"


def report_html(outcome: Outcome, pack: CompiledPack, lang: str, *, date: str = "") -> str:
    blocks = sections(outcome, pack, lang)
    urgent = (" emergency" if outcome.disposition == "emergency" else
              " urgent" if is_urgent(outcome.disposition) else "")
    head = blocks[0]
    colon = t("colon", lang)
    # an emergency or same-day result is not about an appointment: do not suggest one
    bring = ("" if urgent else f" &middot; {escape(t('report_for_appointment', lang))}")
    label = head.items[0]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # the result first, as the web pages do: a tab, a list of files or a screen reader
        # says what to do before what this is
        f"<title>{escape(label)} &ndash; {escape(t('report_title', lang))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<section class="result{urgent}" aria-labelledby="result">',
    ]
    if outcome.disposition == "emergency":  # unmistakable, in words first and in colour
        out.append(f'<h1 class="banner" id="result">{escape(t("report_emergency", lang))}</h1>')
    else:
        out.append(f'<h1 class="label" id="result">{escape(label)}</h1>')
    rest = blocks[1:]
    out.append("<dl>")
    for s in rest:  # a title with nothing after it is no term to define
        if s.kind == "lines" and s.items and s.title != t("pack", lang):
            out.append(f"<dt>{escape(s.title)}</dt><dd>{escape(' '.join(s.items))}</dd>")
    out.append("</dl></section>")
    out.append(f'<p class="meta">{escape(pack.text(pack.title, lang))} '
               f"({escape(outcome.pack_id)} {escape(outcome.pack_version)}, "
               f"{escape(outcome.pack_hash[:12])}; triage {escape(outcome.tool_version)})"
               + (f" &middot; {escape(date)}" if date else "") + f"{bring}</p>")
    # the answers in two columns (one on a phone, three on paper); the warning signs are one plain
    # sentence, not a list of clinical names; each source is listed once
    sources: dict[str, int] = {}
    for s in rest:
        # the precautions with their sources numbered beside them, as the other reasons
        # have theirs: not a second list that names them again
        if s.kind != "list" or s.title in (t("flags_unchecked", lang),
                                           t("precaution_sources", lang)):
            continue
        if s.title in (t("flags_absent", lang), t("flags_not_asked", lang)):
            # those not asked said in a sentence, like the ones checked: one paragraph
            key = ("report_flags_checked" if s.title == t("flags_absent", lang)
                   else "report_flags_not_asked")
            said = escape(t(key, lang, count=len(s.items)))
            if out[-1].startswith('<p class="fine flags">'):
                out[-1] = out[-1].removesuffix("</p>") + f" {said}</p>"
            else:
                out.append(f'<p class="fine flags">{said}</p>')
            continue
        if s.pairs:  # every answer, as Markdown has them: a "no" can be the deciding one
            out.append(f'<h2>{escape(s.title)}</h2><ul class="cols answers">')
            out += [f"<li>{escape(asked_and_answered(question, '', lang))}"
                    f"<strong>{escape(answer)}</strong></li>" for question, answer in s.pairs]
        else:
            items = list(s.items) if not s.sources else [
                # a precaution with its source; massage struck is said under Why with its own
                f"{item} [{source}]" for item, source in zip(s.items, s.sources, strict=True)
                if source]
            if not items:
                continue
            # short items (the techniques) run on in two columns
            short = all(len(item) < 45 for item in items) and len(items) > 3
            css = ' class="cols"' if short else ""
            out.append(f"<h2>{escape(s.title)}</h2><ul{css}>")
            out += [f"<li>{_with_source(item, sources)}</li>" for item in items]
        out.append("</ul>")
    for s in rest:
        if s.kind == "para":
            out.append(f'<p class="fine"><strong>{escape(s.items[0])}</strong> '
                       + " ".join(escape(item) for item in s.items[1:]) + "</p>")
    if sources:
        out.append(f'<p class="fine sources">{escape(t("report_sources", lang))}{escape(colon)}'
                   + "; ".join(f"[{n}] {escape(text)}" for text, n in sources.items())
                   + "</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
