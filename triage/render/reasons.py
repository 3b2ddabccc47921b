"""Why a result: the rules behind it, and each reason as it is said wherever a reason is
shown (the result's Why, the web's stop page, the reception summary by name)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from triage.engine.doubts import untold
from triage.engine.evaluate import Outcome
from triage.engine.policy import HELD, INDICATION, NAMED, RED_FLAG, rule_said_how
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec
from triage.render.answers import short_question


def source_text(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    """The publication as cited (a title stays in its language), then the pack's own words
    about it in the reader's language, as a sentence of their own: "NICE NG38 Fractures
    (2016). Suspected scaphoid fracture: immobilise and image"."""
    s = rule.source
    label = f", {t('consensus', lang)}" if s.kind == "consensus" else ""
    cited = f"{s.citation} ({s.year}{label})"
    if s.note is None:
        return cited
    return f"{cited}. {pack.text(s.note, lang)}"


def rule_name(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    return pack.text(rule.label, lang) if rule.label else pack.text(rule.reason, lang)


def reason_rules(outcome: Outcome) -> list[tuple[RuleSpec, bool]]:
    """The rules behind the result, each with whether it is only to be named: the red flags
    that hold, as the policy says (:func:`triage.engine.policy.said_how`: one outranked by a
    more urgent result only named, or not at all if it is routine next to care today); with
    none, the indications."""
    flags = outcome.fired_of(RED_FLAG)
    if not flags:
        return [(r, False) for r in outcome.fired_of(INDICATION)]
    how = [(r, rule_said_how(outcome.disposition, r)) for r in flags]
    return [(r, said == NAMED) for r, said in how if said != HELD]


def reasons(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """Why this result (:func:`reason_rules`), each reason with its source."""
    out = []
    for r, outranked in reason_rules(outcome):
        told = (t("also_found", lang, name=rule_name(pack, r, lang)) if outranked
                else reason_text(outcome, pack, r, lang))
        out.append(f"{told} [{source_text(pack, r, lang)}]")
    return out


def reason_text(outcome: Outcome, pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    """The reason of a rule that holds, as shown wherever a reason is: first, when a "not
    sure" is what made it hold and the reason does not say so
    (:func:`triage.engine.doubts.untold`), which answer that was, counted as yes ("New
    bladder... can mean pressure on the nerves" to a person sure they have none of these
    reads as a sign they gave)."""
    reason = pack.text(rule.reason, lang)
    doubts = untold(outcome, rule)
    if not doubts:
        return reason
    return f"{t('not_sure_counted', lang, questions=doubted(pack, doubts, lang))} {reason}"


def doubted(pack: CompiledPack, questions: Iterable[str], lang: str, *,
            caller: bool = False) -> str:
    """The questions answered "not sure", each as it was asked (without its instructions;
    ``caller``: as staff read it out), in quotes: "“Since your problem started, have you
    had any of these?” and to “...”"."""
    return t("quoted_and", lang).join(quoted(pack, qid, lang, caller=caller)
                                      for qid in questions)


def quoted(pack: CompiledPack, qid: str, lang: str, *, caller: bool = False) -> str:
    """A question as it was asked, in quotes, without its instructions (``caller``: as staff
    read it out): what a person is told of a question, never its id, which is pack data. A
    question the pack no longer has (a saved answer to it) has no words but its id."""
    q = pack.question_by_id.get(qid)
    if q is None:
        return t("quoted", lang, text=qid)
    text = q.caller_text if caller and q.caller_text else q.text
    return t("quoted", lang, text=short_question(pack.text(text, lang)))


def dropped_text(pack: CompiledPack, questions: Sequence[str], lang: str, *,
                 caller: bool = False) -> str:
    """The answers a changed answer made no longer apply, removed (the flow's
    ``Accepted.dropped``), said as the terminal and the web page both say it: their questions
    as they were asked (``caller``: as staff read them out), never their ids."""
    key = "dropped_later_many" if len(questions) > 1 else "dropped_later"
    return t(key, lang, questions=doubted(pack, questions, lang, caller=caller))
