"""What the questionnaire says when it stops short of a result: the 911 check and the stop
it leads to, a stop with answers that already fire a warning sign, and a resumed session
whose saved answers state a sign the questions would leave out. Kept apart from
:mod:`triage.render.prompts` (the questions and their pages), as strings the terminal layer
prints."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from triage.engine.flow import yes_no_keys
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.render.answers import asked_and_answered, short_question
from triage.render.prompts import Look, _print, echo, question_text

if TYPE_CHECKING:  # only a resumed session that states a hidden sign needs engine.hidden
    from triage.engine.hidden import HiddenWarningSign


def emergency(look: Look) -> str:
    """Said the moment an emergency is certain, before the result."""
    key = "emergency_now_caller" if look.caller else "emergency_now"
    return _print(look, ("", ""), (t(key, look.lang, call_911=caller_call_911(look.lang)),
                                   "bold white on red"))


def caller_call_911(lang: str) -> str:
    """What staff do for a 911 sign: one wording for the check, the stop, the result and a
    screening stopped before it (the patient may be the caller, or someone beside them)."""
    return t("caller_call_911", lang)


def stopped(look: Look, saved: str | None = None, known: str = "", urgent: bool = False,
            failed: str | None = None, again: str = "") -> str:
    """The stop message, and how to keep the answers: the saved file and the command that
    resumes it, the --save file that could not be written (``failed``), or how to save next
    time (``again``: :func:`keep_command`). ``known``: :func:`known_level`, said in place of
    "no recommendation made" (a warning sign is already known). ``urgent``: that level is
    care today or sooner: the file is named, but not as something to finish first, and
    nothing routine is said ("next time")."""
    how = how_kept(look, saved, failed, again, urgent=urgent)
    if known:
        return known + (_print(look, (how, "")) if how else "")
    return _print(look, ("", ""), (t("stopped", look.lang), "bold"), (how, ""))


def how_kept(look: Look, saved: str | None, failed: str | None, again: str = "", *,
             urgent: bool = False) -> str:
    """How the answers of a stopped screening are kept, in the session's voice (reception
    mode speaks of the call): the saved file and the command that resumes it, the --save
    file that could not be written (``failed``), or how to save next time (``again``:
    :func:`keep_command`). ``urgent``: after a sign that needs care today or sooner (or the
    911 check) the file is named, not as something to finish first, and nothing routine
    ("next time") is said: then "" when nothing was saved."""
    import shlex

    voice = "_caller" if look.caller else ""
    lang = look.lang
    if saved is not None:
        if urgent:
            return t("stopped_saved_urgent" + voice, lang, path=saved)
        return t("stopped_saved" + voice, lang, path=saved,
                 command=f"triage --resume {shlex.quote(saved)}")
    if failed is not None:
        return t("stopped_save_failed" + voice, lang, path=failed)
    if urgent:
        return ""
    return t("stopped_not_saved" + voice, lang, command=again or keep_command(look))


def known_level(pack: CompiledPack, disposition: str, look: Look) -> str:
    """A stop after answers that already fire a red flag: what that level asks for now (its
    disposition's action, as the result would say it), and that more answers could only make
    it more urgent (:func:`triage.engine.evaluate.known_at_least`)."""
    lang = look.lang
    said = t("stopped_known_caller" if look.caller else "stopped_known", lang,
             action=_action(pack, disposition, lang, caller=look.caller))
    return _print(look, ("", ""), (said, "bold"), (t("stopped_known_why", lang), ""))


def resumed_known(pack: CompiledPack, disposition: str, look: Look) -> str:
    """A resumed session whose saved answers already need care today or sooner: that first,
    before the next question (whoever stopped may have meant to finish before going)."""
    said = t("resumed_known_caller" if look.caller else "resumed_known", look.lang,
             action=_action(pack, disposition, look.lang, caller=look.caller))
    return _print(look, (said, "bold"), ("", ""))


def _action(pack: CompiledPack, disposition: str, lang: str, *, caller: bool = False) -> str:
    """A disposition's action, to run on after a colon (``caller``: about the patient)."""
    action = pack.advice_text(disposition, "action", lang, caller=caller)
    if action[:1].isupper() and action[1:2].islower():
        action = action[0].lower() + action[1:]
    return action


def said(pack: CompiledPack, question: QuestionSpec, value: Any, look: Look) -> str:
    """The answer that would stop with "call 911", as one sentence: who said what ("You
    answered yes to: ...", "The caller said: Chest pain..."). The check and a stop at the
    check both start with it."""
    lang = look.lang
    if question.type == "yes_no":
        return t("caller_answered" if look.caller else "you_answered", lang,
                 question=question_text(pack, question, look), answer=t(str(value), lang))
    answer = t("caller_said" if look.caller else "you_chose", lang,
               answer=echo(pack, question, value, look).strip())
    return answer if answer.endswith((".", "?", "!")) else answer + "."


def confirm_stop(pack: CompiledPack, question: QuestionSpec, value: Any, look: Look) -> str:
    """The one-key check before an answer stops the questionnaire with "call 911"; in
    reception mode it also says what staff will then do."""
    lang = look.lang
    yes, no = yes_no_keys(lang)
    asked = t("confirm_stop_caller" if look.caller else "confirm_stop", lang,
              said=said(pack, question, value, look), call_911=caller_call_911(lang))
    return _print(look, ("", ""), (asked, "bold"), (t("hint_yes_no", lang, yes=yes, no=no), ""))


def stopped_at_check(answer: str, look: Look) -> str:
    """What to do when the screening stops at that check: if the answer is true, 911."""
    key = "stopped_at_911_check_caller" if look.caller else "stopped_at_911_check"
    return t(key, look.lang, said=answer, call_911=caller_call_911(look.lang))


def hidden_signs_stop(pack: CompiledPack, signs: Sequence[HiddenWarningSign],
                      answers: Mapping[str, Any], look: Look, *, saved: str,
                      command: str) -> str:
    """Why a resumed questionnaire stops before any question: its saved answers state a
    warning sign to a question the current pack does not ask with the other answers (a pack
    that narrowed a gate), so any result would leave the sign out. Each sign with the saved
    answers that state it and the answers that make it not apply, then what to do if it is
    true (its disposition's action), then that the file is as it was."""
    lang, caller = look.lang, look.caller
    parts: list[tuple[str, str]] = []
    for sign in signs:
        rule = sign.rule
        label = pack.text(rule.label, lang) if rule.label else rule.id
        parts.append((t("resume_sign_caller" if caller else "resume_sign", lang, sign=label),
                      "bold"))
        for qid in sign.questions:
            question = pack.question_by_id[qid]
            parts.append((asked_and_answered(
                short_question(question_text(pack, question, look)),
                echo(pack, question, answers[qid], look).strip(), lang), ""))
        gates = "; ".join(short_question(question_text(pack, pack.question_by_id[g], look))
                          for g in sign.gates)
        parts.append((t("resume_sign_why", lang, gates=gates), ""))
        parts.append((t("resume_sign_no_result", lang), ""))
        action = pack.advice_text(rule.disposition or "", "action", lang, caller=caller)
        parts.append((t("resume_sign_act_caller" if caller else "resume_sign_act", lang,
                        action=action), "bold"))
    parts.append((t("resume_sign_kept", lang, path=saved, command=command), ""))
    return _print(look, *parts)


def keep_command(look: Look, options: Sequence[str] = ()) -> str:
    """The command that keeps the answers next time: ``triage``, the options the person
    started with (``--lang fr``, ``--record``, ...: dropping them would start another kind
    of session), and ``--save`` with an example file name in their language."""
    import shlex

    name = t("save_example_caller" if look.caller else "save_example", look.lang)
    caller = ["--caller"] if look.caller and "--caller" not in options else []
    return shlex.join(["triage", *caller, *options, "--save", name])
