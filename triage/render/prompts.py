"""What the questionnaire shows on the terminal, as strings (the terminal layer prints them).

Two looks: ``plain`` (screen readers, ``TERM=dumb``: one item per line, options spelled out in a
sentence, no symbols, boxes or colour) and the normal one (numbered options, bold question, dim
hints; colour only when ``styled``). Nothing here redraws the screen: every call returns lines
to append, so a screen reader reads them in order.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from triage.engine.flow import Progress, Rejected, number_text, yes_no_keys
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.render.result import answer_text


@dataclass(frozen=True)
class Look:
    """How the questionnaire looks: the same choice for every message of a session."""

    lang: str
    plain: bool = False
    styled: bool = False  # ANSI colour and bold (never in plain mode)
    caller: bool = False  # reception mode: questions about a third person
    width: int = 88


def _print(look: Look, *parts: tuple[str, str]) -> str:
    """Lines of (text, rich style); styles only count when the look is styled."""
    if look.plain or not look.styled:
        return "".join(text + "\n" for text, _ in parts)
    from rich.console import Console  # lazy: plain output needs no rich (start-up)
    from rich.text import Text

    buffer = io.StringIO()
    # wrapped at word boundaries to the terminal's width (plain mode leaves wrapping to the
    # terminal or screen reader, so its lines stay whole)
    console = Console(file=buffer, width=look.width, highlight=False, force_terminal=True,
                      color_system="standard", emoji=False)
    for text, style in parts:
        console.print(Text(text, style=style))
    return buffer.getvalue()


def question_text(pack: CompiledPack, question: QuestionSpec, look: Look) -> str:
    if look.caller and question.caller_text:
        return pack.text(question.caller_text, look.lang)
    return pack.text(question.text, look.lang)


def option_texts(pack: CompiledPack, question: QuestionSpec, look: Look) -> list[str]:
    return [pack.text(o.caller_text if look.caller and o.caller_text else o.text, look.lang)
            for o in question.options]


def intro(pack: CompiledPack, look: Look) -> str:
    key = "intro_caller" if look.caller else "intro"
    title = pack.text(pack.title, look.lang).strip()
    if title and title[-1] not in ".?!":
        title += "."
    return _print(look, (t(key, look.lang, title=title), "bold"), ("", ""))


def progress_text(progress: Progress, lang: str) -> str:
    if progress.left == 0:
        return t("progress_last", lang, number=progress.number)
    if progress.left == 1:
        return t("progress_one", lang, number=progress.number)
    return t("progress", lang, number=progress.number, left=progress.left)


def spelled_choices(texts: list[str], lang: str) -> str:
    """``1 for Neck, 2 for Lower back or 3 for Knee``."""
    items = [t("type_for", lang, n=i, text=text) for i, text in enumerate(texts, 1)]
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {t('or', lang)} {items[-1]}"


def hint(pack: CompiledPack, question: QuestionSpec, look: Look) -> str:
    lang = look.lang
    if question.type == "yes_no":
        yes, no = yes_no_keys(lang)
        return t("hint_yes_no", lang, yes=yes, no=no)
    if question.type == "single":
        if look.plain:
            return t("type_choices", lang,
                     choices=spelled_choices(option_texts(pack, question, look), lang))
        return t("hint_single", lang)
    if question.type == "multi":
        if look.plain:
            choices = spelled_choices(option_texts(pack, question, look), lang)
            return t("type_choices", lang, choices=choices) + " " + t("hint_multi", lang)
        return t("hint_multi", lang)
    return " ".join(t("hint_number", lang, min=number_text(question.min),
                      max=number_text(question.max),
                      unit=pack.text(question.unit, lang)).split())


def question_block(pack: CompiledPack, question: QuestionSpec, progress: Progress,
                   look: Look, *, one_key: bool = True) -> str:
    """Progress, the question, its options and what to type.

    ``one_key``: yes/no and single choice are answered by a key press; otherwise the hint
    says to press Enter (multiple choice and numbers always say so).
    """
    lang = look.lang
    parts: list[tuple[str, str]] = [(progress_text(progress, lang), "dim"),
                                    (question_text(pack, question, look), "bold")]
    if not look.plain:
        texts = option_texts(pack, question, look)
        digits = len(str(len(texts)))
        parts += [(f"  {i:>{digits}}  {text}", "") for i, text in enumerate(texts, 1)]
    enter = "" if one_key or question.type not in ("yes_no", "single") else \
        " " + t("then_enter", lang)
    parts.append((f"{hint(pack, question, look)}{enter} {t('keys', lang)}", "dim"))
    return _print(look, *parts)


def answer_prompt(look: Look) -> str:
    """What stands before the cursor (plain mode says it in words)."""
    return t("answer_prompt", look.lang) + " " if look.plain else "> "


def echo(pack: CompiledPack, question: QuestionSpec, value: Any, look: Look) -> str:
    """The answer in words, written after a single key press so everyone sees what counted."""
    if question.type == "multi" and not value:
        shown = t("none_of_these", look.lang)
    else:
        shown = answer_text(pack, question.id, value, look.lang)
    return shown + "\n"


def rejected(message: Rejected, look: Look) -> str:
    return _print(look, (t(message.key, look.lang, **message.values).replace("  ", " "),
                         "bold"))  # no colour: yellow is unreadable on light themes


def help_text(pack: CompiledPack, question: QuestionSpec, look: Look) -> str:
    body = pack.text(question.help, look.lang) or t("no_help", look.lang)
    return _print(look, (f"{t('why_we_ask', look.lang)}{t('colon', look.lang)}{body}", "italic"))


def note(text: str, look: Look) -> str:
    return _print(look, (text, ""))


def emergency(look: Look) -> str:
    """Said the moment an emergency is certain, before the result."""
    key = "emergency_now_caller" if look.caller else "emergency_now"
    return _print(look, ("", ""), (t(key, look.lang), "bold white on red"))


def stopped(look: Look) -> str:
    return _print(look, ("", ""), (t("stopped", look.lang), "bold"))
