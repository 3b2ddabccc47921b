"""All rendering: the only package that imports rich. Formatters return strings; only the CLI
and the terminal layer print. Urgency is always said in words, never by colour alone.

- :mod:`triage.render.result`: the outcome as text (rich or plain), Markdown and JSON;
- :mod:`triage.render.prompts`: questions, hints, progress and messages of the questionnaire;
- :mod:`triage.render.report`: the printable summary (Markdown or self-contained HTML);
- :mod:`triage.render.caller`: reception mode's summary, and the details `d` shows.
"""

from triage.render.result import (
    Section,
    answer_text,
    asked_and_answered,
    outcome_json,
    outcome_markdown,
    outcome_text,
    problems_text,
    sections,
    wrap_words,
)

__all__ = ["Section", "answer_text", "asked_and_answered", "outcome_json", "outcome_markdown",
           "outcome_text", "problems_text", "sections", "wrap_words"]
