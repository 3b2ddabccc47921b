"""What the questionnaire shows on the terminal, as strings (the terminal layer prints them).

Two looks: ``plain`` (screen readers, ``TERM=dumb``: one item per line, options spelled out in a
sentence, no symbols, boxes or colour) and the normal one (numbered options, bold question, dim
hints; colour only when ``styled``). Nothing here redraws the screen: every call returns lines
to append, so a screen reader reads them in order.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from triage.engine.flow import Progress, Rejected, number_text, yes_no_keys
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.render.answers import answer_text, asked_and_answered, option_text, short_question
from triage.render.pages import Page, list_pages, rows_of
from triage.render.reasons import dropped_text
from triage.render.result import wrap_words


@dataclass(frozen=True)
class Look:
    """How the questionnaire looks: the same choice for every message of a session."""

    lang: str
    plain: bool = False
    styled: bool = False  # ANSI colour and bold (never in plain mode)
    caller: bool = False  # reception mode: questions about a third person
    width: int = 88
    wrap: bool = False  # plain text too is wrapped at ``width`` (a terminal breaks words)
    # the terminal's height: what does not fit comes in pages (0: not known, one page)
    rows: int = 0
    back: bool = True  # b takes back an answer here: not offered at the first question


# ANSI styles for the few the questionnaire uses: writing them directly keeps rich (a tenth of
# a second on a loaded machine) off the path to the first question
_ANSI = {"bold": "1", "dim": "2", "italic": "3", "bold white on red": "1;37;41"}


def _print(look: Look, *parts: tuple[str, str]) -> str:
    """Lines of (text, style); styles only count when the look is styled. Styled and wrapped
    text is broken between words at the terminal's width (plain mode leaves wrapping to the
    terminal or screen reader unless ``wrap``)."""
    if look.plain or not look.styled:
        if look.wrap:
            return "".join(wrap_words(text, look.width) for text, _ in parts)
        return "".join(text + "\n" for text, _ in parts)
    out = []
    for text, style in parts:
        code = _ANSI.get(style, "")
        for line in wrap_words(text, look.width).splitlines():
            out.append(f"\x1b[{code}m{line}\x1b[0m\n" if code and line else line + "\n")
    return "".join(out)


def question_text(pack: CompiledPack, question: QuestionSpec, look: Look) -> str:
    if look.caller and question.caller_text:
        return pack.text(question.caller_text, look.lang)
    return pack.text(question.text, look.lang)


def option_texts(pack: CompiledPack, question: QuestionSpec, look: Look) -> list[str]:
    return [option_text(pack, o, look.lang, caller=look.caller) for o in question.options]


def intro(pack: CompiledPack, look: Look) -> str:
    key = "intro_caller" if look.caller else "intro"
    title = pack.text(pack.title, look.lang).strip()
    if title and title[-1] not in ".?!":
        title += "."
    return _print(look, (t(key, look.lang, title=title), "bold"), ("", ""))


BAR = 20  # characters of the progress bar


def progress_text(progress: Progress, lang: str, *, plain: bool = False) -> str:
    """``Question 4  [########............]``: a bar, never a count of questions left (an
    answer can open new questions, and a count that goes up feels like going backwards)."""
    if plain:
        return t("progress_plain", lang, number=progress.number, percent=progress.percent)
    filled = round(progress.done * BAR)
    bar = "#" * filled + "." * (BAR - filled)
    return f"{t('question_n', lang, number=progress.number)}  [{bar}]"


def hint(pack: CompiledPack, question: QuestionSpec, look: Look) -> str:
    lang = look.lang
    if question.type == "yes_no":
        yes, no = yes_no_keys(lang)
        return t("hint_yes_no", lang, yes=yes, no=no)
    if question.type == "single":
        return t("hint_single", lang)
    if question.type == "multi":
        return t("hint_multi", lang)
    return " ".join(t("hint_number", lang, min=number_text(question.min),
                      max=number_text(question.max),
                      unit=pack.text(question.unit, lang)).split())


def question_block(pack: CompiledPack, question: QuestionSpec, progress: Progress,
                   look: Look, *, one_key: bool = True, earlier: str | None = None) -> str:
    """Progress, the question, its options and what to type.

    ``one_key``: yes/no and single choice are answered by a key press; otherwise the hint
    says to press Enter (multiple choice and numbers always say so). ``earlier``: the answer
    given before going back, kept when the person presses Enter.
    """
    top, _, options, tails = _question_parts(pack, question, progress, look,
                                             one_key=one_key, earlier=earlier)
    return top + "".join(options) + tails[0]


def question_pages(pack: CompiledPack, question: QuestionSpec, progress: Progress,
                   look: Look, *, one_key: bool = True, earlier: str | None = None,
                   above: int = 0, after_intro: bool = False, refused: str = "",
                   helped: str = "") -> list[Page]:
    """:func:`question_block` on pages of ``look.rows`` (the first ``above`` rows fewer: what
    was written above it since the last key, such as the introduction, stays in sight).

    If it fits one page without the keys' sentence ("Type ? for why we ask..."; said on
    every question that has room for it, and after any key not understood), it goes.
    Otherwise the options that do not fit come on the next pages, numbered on, and the last
    page ends with what to type and the prompt. Every page after the first says the question
    again above its options, except in plain mode: a screen reader would read it twice.

    Question 1 carries the introduction's "call 911" wherever the introduction is out of
    sight (:func:`_with_911`). ``after_intro``: what is above is the introduction.
    ``refused``: an answer was not taken; what was wrong with it says what to type, in place
    of the hint. ``helped``: said above the hint (why we ask, keys typed ahead)."""
    parts = functools.partial(_question_parts, pack, question, progress, look,
                              one_key=one_key, earlier=earlier)
    top, again, options, tails = parts()
    if refused:  # the earlier answer, if any, is still kept by Enter
        kept = "earlier_answer_caller" if look.caller else "earlier_answer"
        tails = (("" if earlier is None else _print(look, (t(
            kept, look.lang, answer=earlier), "bold"))) + refused,) * 2
    elif helped:
        tails = (helped + tails[0], helped + tails[1])
    pages = _pages(top, "" if look.plain else again, options, tails, look, "more_options",
                   above)
    if progress.number == 1 and look.rows:
        told, again, *_ = parts(note=t("intro_911", look.lang))
        pages = _with_911(pages, (top, told), "" if look.plain else again, options, tails,
                          look, above, after_intro and above > 0)
    if (refused or helped) and look.rows and \
            rows_of(pages[-1][0], look.width) + 1 > look.rows:
        # what was said leaves the last page no room for an option (why we ask, in French
        # at 40x24): the question above it, and what to type, with the prompt in sight
        return [(again + tails[0], "")]
    return pages


def _with_911(pages: list[Page], tops: tuple[str, str], again: str, options: list[str],
              tails: tuple[str, str], look: Look, above: int, intro: bool) -> list[Page]:
    """Question 1's pages, its 911 sentence in sight on each: on the progress line (and
    above the question said again on a later page), except where the introduction (the
    ``above`` rows, if ``intro``) says it in sight. Question 1 at 80x24 fits one
    screen only by letting the introduction scroll away: there it costs no row. A page
    drawn again (a refused answer, why we ask, going back to it) has nothing above."""
    top, told = tops
    if intro and len(pages) == 1:
        if rows_of(pages[0][0], look.width) + 1 <= look.rows - above:
            return pages  # the introduction stays in sight: its 911 is said there, once
        with_911 = _pages(told, again, options, tails, look, "more_options", above)
        if len(with_911) == 1 and rows_of(with_911[0][0], look.width) == \
                rows_of(pages[0][0], look.width):  # only where it costs no row
            return with_911
        return pages
    # on a first page below the introduction, the introduction says it
    return _pages(top if intro else told, again, options, tails, look, "more_options",
                  above)


def _question_parts(pack: CompiledPack, question: QuestionSpec, progress: Progress,
                    look: Look, *, one_key: bool, earlier: str | None, note: str = ""
                    ) -> tuple[str, str, list[str], tuple[str, str]]:
    """Progress with the question, the question alone, each option, and what to type (with
    the keys' sentence, and without). ``note``: said on the progress line, after it, and
    above the question alone."""
    lang = look.lang
    shown = progress_text(progress, lang, plain=look.plain)
    if note and (look.plain or rows_of(f"{shown}  {note}\n", look.width) == 1):
        shown, note_line = shown + (". " if look.plain else "  ") + note, []
    else:  # on a narrow screen, a line of its own rather than broken after "In"
        note_line = [(note, "bold")] if note else []
    asked = (question_text(pack, question, look), "bold")
    enter = "" if one_key or question.type not in ("yes_no", "single") else \
        " " + t("then_enter", lang)
    kept = [(t("earlier_answer_caller" if look.caller else "earlier_answer", lang,
               answer=earlier), "bold")] if earlier is not None else []
    what = f"{hint(pack, question, look)}{enter}"
    return (_print(look, (shown, "bold"), *note_line, asked),
            _print(look, *([(note, "bold")] if note else []), asked),
            _numbered_units(option_texts(pack, question, look), look),
            (_print(look, *kept, (f"{what} {t('keys' if look.back else 'keys_first', lang)}", "")),
             _print(look, *kept, (what, ""))))


def _pages(top: str, again: str, items: list[str], tails: tuple[str, str], look: Look,
           more_key: str, above: int = 0) -> list[Page]:
    """:func:`triage.render.pages.list_pages` on ``look.rows``, each page but the last
    ending with "Press Enter for options 6 to 12." (``more_key``)."""
    def more(first: int, last: int) -> str:
        return more_line(t(more_key, look.lang, first=first, last=last,
                       count=last - first + 1), look)

    return list_pages(top, again, items, tails, rows=look.rows, width=look.width,
                      above=above, more=more)


def more_line(text: str, look: Look) -> str:
    """The line a page ends with: the prompt of the key that shows the next page."""
    return _print(look, (text, "bold")).rstrip("\n") + " "


def _numbered(texts: list[str], look: Look) -> str:
    """Numbered lines (options, the answers to review) in the look's own way."""
    return "".join(_numbered_units(texts, look))


def _numbered_units(texts: list[str], look: Look) -> list[str]:
    """:func:`_numbered`, one string an item (with the lines it wraps to)."""
    if look.plain:
        # one a line, read as "1, Face drooping": a screen reader pauses at the comma
        return [_print(look, (f"{i}, {text}", "")) for i, text in enumerate(texts, 1)]
    digits = len(str(len(texts)))
    if not look.styled:
        return [_print(look, (f"  {i:>{digits}}  {text}", ""))
                for i, text in enumerate(texts, 1)]
    indent = " " * (digits + 4)
    out = []
    for i, text in enumerate(texts, 1):
        # a long option wraps under its own text, not under the number
        lines = wrap_words(f"{indent}{text}", look.width).splitlines() or [indent]
        out.append(f"  {i:>{digits}}  {lines[0][len(indent):]}\n" + "".join(
            f"{line}\n" if line.startswith(indent) else f"{indent}{line}\n"
            for line in lines[1:]))
    return out


def answer_prompt(look: Look) -> str:
    """What stands before the cursor (plain mode says it in words)."""
    return t("answer_prompt", look.lang) + " " if look.plain else "> "


def echo(pack: CompiledPack, question: QuestionSpec, value: Any, look: Look) -> str:
    """The answer in words, written after a single key press so everyone sees what counted."""
    if question.type == "multi" and not value:
        shown = t("none_of_these", look.lang)
    else:
        shown = answer_text(pack, question.id, value, look.lang, caller=look.caller)
    return shown + "\n"


def after_prompt(text: str, look: Look) -> str:
    """``text`` on the prompt's line (a key press said in words), broken between words as
    every other line is, the prompt's columns counted (plain mode leaves it whole)."""
    prompt = answer_prompt(look)
    if look.plain or not (look.styled or look.wrap):
        return text + "\n"
    return wrap_words(prompt + text, look.width)[len(prompt):]


def rejected(message: Rejected, look: Look) -> str:
    return _print(look, (t(message.key, look.lang, **message.values).replace("  ", " "),
                         "bold"))  # no colour: yellow is unreadable on light themes


def help_text(pack: CompiledPack, question: QuestionSpec, look: Look) -> str:
    """Why we ask: in reception mode as staff read it about the patient, when the pack says."""
    told = question.caller_help if look.caller and question.caller_help else question.help
    body = pack.text(told, look.lang) or t("no_help", look.lang)
    return _print(look, (f"{t('why_we_ask', look.lang)}{t('colon', look.lang)}{body}", "italic"))


def note(text: str, look: Look) -> str:
    return _print(look, (text, ""))


def dropped_later(pack: CompiledPack, questions: Sequence[str], look: Look) -> str:
    """The answers a changed answer made irrelevant, removed: their questions in the words
    they were asked in (as staff read them out, in reception mode), never their ids."""
    return note(dropped_text(pack, questions, look.lang, caller=look.caller), look)


def chosen(pack: CompiledPack, question: QuestionSpec, value: Any, look: Look) -> str:
    """What a typed line meant, in words: ``You chose: Knee, Ankle or foot`` (in reception
    mode, ``The caller said: ...``: staff type what the caller reported)."""
    key = "caller_said" if look.caller else "you_chose"
    return _print(look, (t(key, look.lang, answer=echo(pack, question, value, look).strip()),
                         ""))


def review(pack: CompiledPack, answers: list[tuple[QuestionSpec, Any]], look: Look) -> str:
    """The answers, numbered, before the result: a number changes one."""
    return "".join(text for text, _ in review_pages(pack, answers, replace(look, rows=0)))


def review_pages(pack: CompiledPack, answers: list[tuple[QuestionSpec, Any]],
                 look: Look, above: int = 0) -> list[Page]:
    """:func:`review` on pages of ``look.rows`` (the first ``above`` rows fewer, as
    :func:`question_pages`), its hint and prompt on the last. Every page says what it lists
    ("Your answers:"), as a question's pages say the question again; not in plain mode,
    where a screen reader would read it twice."""
    lang = look.lang
    title = (t("review_title_caller" if look.caller else "review_title", lang), "bold")
    head: list[tuple[str, str]] = [("", ""), title]
    texts = [asked_and_answered(short_question(question_text(pack, question, look)),
                                echo(pack, question, value, look).strip(), lang)
             for question, value in answers]
    tail = (t("review_hint", lang, last=len(answers)), "bold")
    last = _print(look, tail)
    return _pages(_print(look, *head), "" if look.plain else _print(look, title),
                  _numbered_units(texts, look), (last, last), look, "more_answers", above)


def result_more(page: int, pages: int, part: str, look: Look) -> str:
    """The end of a page of a result (``part``: ``summary`` or ``details``) that is not the
    last: the last says what to do (in reception mode, what to book); q goes to it."""
    key = "more_details" if part == "details" else \
        "more_result_action" if page + 1 == pages and not look.caller else "more_result"
    return more_line(t(key, look.lang, page=page, pages=pages), look)


def result_keys(keys: str, look: Look) -> str:
    """The keys after the result (``render.result_keys``, or in reception mode
    ``render.caller.caller_result_keys``: `d` shows the lists the summary counts)."""
    return _print(look, (keys, "bold"))
