"""Reception mode: what staff screening a caller read, in place of the patient's result.

Staff read it about the patient, to the caller, on the phone: the disposition and how soon
first, then what to tell the caller (for a medical result, the pack's advice as it is written,
to be read out), what the therapist must know, and the reasons by their labels (a pack's
reasons are written to the patient, "You were not sure..."). Every red flag that fired and
every flag a "not sure" left open is listed in full; the long lists of flags checked and not
present, or not asked, are a count that says where the full lists are for this screening
(:class:`ListsAt`: the record it is being saved as, ``d`` in the questionnaire
(:func:`caller_details`), else a Markdown report or JSON of the same answers). What to book
comes last: after a longer summary, it is what is left on the screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.engine.evaluate import Outcome
from triage.engine.policy import CONTRAINDICATION, THERAPY, URGENT, rule_said_with
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec
from triage.render.answers import answer_pairs, asked_and_answered, short_question
from triage.render.reasons import doubted, reason_rules, rule_name
from triage.render.result import precaution_text
from triage.render.typography import keep_marks_with_words

# The answers matched no therapy: the pack's label and action are the patient's next step ("a
# physiotherapist or your doctor can help you decide"); at the desk the next step is the
# clinic's, a clinician calling back, said once, as what to book (``book_...``)
NO_MATCH = "not_enough_information"


@dataclass(frozen=True)
class ListsAt:
    """Where the full warning sign lists of this screening are, as the program knows when it
    prints the summary: the record it is being saved as (its id, worked out before the
    summary is printed), and ``d`` while the questionnaire is still on the screen. With
    neither, only a Markdown report or JSON of the same answers has them."""

    record_id: str | None = None
    details_key: bool = False
    # ``d`` has shown them just above the summary: it is not offered again
    details_above: bool = False


def booking_summary(outcome: Outcome, pack: CompiledPack, lang: str,
                    lists: ListsAt = ListsAt()) -> str:
    """The reception summary, the whole of what `--caller` prints for a result.

    Always plain text (no colour codes): it is meant to be copied into another program.
    ``lists``: where the full warning sign lists are for this screening (:class:`ListsAt`).
    """
    disposition = outcome.disposition
    # each text as staff read it about the patient (the pack's caller_* words, where its own
    # speak to the patient: "ask someone to drive you" is not said to a caller about someone)
    advice = {part: pack.advice_text(disposition, part, lang, caller=True)
              for part in outcome.advice}
    therapy = disposition in THERAPY
    colon = t("colon", lang)
    label = t("caller_label_" + NO_MATCH, lang) if disposition == NO_MATCH else advice["label"]
    lines = [summary_title(disposition, lang),
             f"{t('caller_disposition', lang)}{colon}{label}",
             f"{t('caller_first' if therapy else 'caller_how_soon', lang)}{colon}"
             f"{advice['timeframe']}"]
    # what to do if it gets worse is told with what to do ("Tell the caller: ... If it gets
    # worse on the way, call 911."); "watch for" lists this presentation's own signs, said to
    # the caller as written (it began with that instruction, read out as a sign). Each once:
    # a pack may say "Call 911." both as what to do and as what to do if worse; next to
    # "call 911" nothing is worse (its "if worse" is the instruction again, "Call 911 now,
    # even if the signs went away"), and no sign to watch for (as on the patient's screen)
    worse = advice["if_worse"]
    if disposition == "emergency" or worse == advice["action"]:
        worse = ""
    watch = [said for said in (caller_reason(pack, r, lang) for r in outcome.safety_net)
             if therapy or said != advice["action"]]
    tell = f"{t('caller_tell', lang)}{colon}"
    if therapy or disposition == NO_MATCH:
        # who to book (or that a clinician calls back) is the closing line; the pack's "book
        # ..." or "ask a physiotherapist or your doctor" is not said as well
        if therapy:
            lines += _titled(t("caller_precautions", lang), _precautions(outcome, pack, lang),
                             lang, none=t("caller_no_precautions", lang))
        lines += _titled(t("caller_reasons", lang), _named_reasons(outcome, pack, lang), lang)
        lines += _unsure(outcome, pack, lang)
        lines += [f"{tell}{worse}"] if worse else []
        lines += _titled(t("caller_watch_for", lang), watch, lang)
    else:  # what to tell the caller now comes before why
        lines.append(f"{tell}{advice['action']}" + (f" {worse}" if worse else ""))
        lines += _titled(t("caller_watch_for", lang), watch, lang)
        why = _named_reasons(outcome, pack, lang)
        lines += _titled(t("caller_reasons", lang), why, lang)
        lines += _unsure(outcome, pack, lang)
        # by name, once: a red flag and a contraindication can share one ("Arthritis flare")
        lines += _titled(t("caller_contraindications", lang),
                         [n for n in _contraindications(outcome, pack, lang) if n not in why],
                         lang)
    lines += _titled(t("caller_not_used", lang), _not_used(outcome, pack, lang), lang)
    lines.append(t("caller_not_diagnosis", lang))
    if therapy:  # insurance is booking advice: never next to a medical result
        lines.append(t("caller_referral", lang))
    counts = _flag_counts(outcome, lang)
    if counts:
        lines.append(t("caller_flags_counts", lang, counts=t("list_separator", lang).join(counts),
                       where=_where(lists, lang)))
    lines += [f"{t('pack', lang)}{colon}{outcome.pack_id} {outcome.pack_version} "
              f"({outcome.pack_hash[:12]})",
              f"{t('caller_book', lang)}{colon}"
              f"{t('book_' + disposition, lang, call_911=t('caller_call_911', lang))}"]
    # pasted into another program, which wraps lines itself: French marks stay with words
    return keep_marks_with_words("\n".join(lines)) + "\n"


def _where(lists: ListsAt, lang: str) -> str:
    """Where the full lists are, only as far as it is true: the record by its id (only when
    one is being saved), ``d`` while the questionnaire is on the screen; else a report or JSON
    made again from the same answers (nothing of this screening is kept)."""
    where = []
    if lists.record_id is not None:
        where.append(t("caller_lists_record", lang, id=lists.record_id))
    if lists.details_above:
        where.append(t("caller_lists_above", lang))
    elif lists.details_key:
        where.append(t("caller_lists_key", lang))
    if not where:
        where.append(t("caller_lists_again", lang))
    return t("caller_lists_or", lang).join(where)


def summary_title(disposition: str, lang: str) -> str:
    """What the summary is for: a booking (therapy), what to tell the caller now (care today
    or sooner: nothing is booked), or a call with nothing to book yet (a doctor first, self
    care, a clinician to call back)."""
    if disposition in THERAPY:
        return t("caller_summary", lang)
    return t("caller_summary_urgent" if disposition in URGENT else "caller_summary_not_yet",
             lang)


def caller_details(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    """What the summary counts or leaves out, for staff who ask for it (``d``): the warning
    signs checked and not present, not asked and not checked, the pack's booking advice and
    the answers (the questions as staff read them out)."""
    lines = [t("caller_details", lang)]
    for _, title, items in _detail_lists(outcome, pack, lang):
        lines += _titled(title, items, lang)
    return keep_marks_with_words("\n".join(lines)) + "\n"


def caller_result_keys(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    """Which keys do what after the summary, ``d`` naming only what :func:`caller_details`
    shows for this result: after "call 911" the questionnaire stopped, so there are no
    warning sign lists, and next to care today no booking advice."""
    shown = dict.fromkeys(kind for kind, _, items in _detail_lists(outcome, pack, lang)
                          if items)
    what = [t(f"caller_keys_{kind}", lang) for kind in shown]
    if not what:
        return t("caller_result_keys_no_details", lang)
    listed = what[0] if len(what) == 1 else (
        f"{', '.join(what[:-1])}{t('caller_keys_and', lang)}{what[-1]}")
    return t("caller_result_keys", lang, what=listed)


def _detail_lists(outcome: Outcome, pack: CompiledPack, lang: str,
                  ) -> list[tuple[str, str, list[str]]]:
    """(kind, title, items) of the details, in order; a list with no items is not shown."""
    disposition = outcome.disposition
    lists: list[tuple[str, str, list[str]]] = []
    if disposition != "emergency":  # the questionnaire stopped: nothing more was checked
        lists += [("flags", t(title, lang), [rule_name(pack, r, lang) for r in flags])
                  for title, flags in (("flags_absent", outcome.red_flags_absent),
                                       ("caller_flags_not_asked", outcome.red_flags_not_asked))]
    if disposition not in URGENT:  # no booking advice next to "today" or "now"
        lists += [("flags", t("flags_unchecked", lang),
                   [rule_name(pack, r, lang) for r in outcome.red_flags_unchecked]),
                  ("notes", t("caller_notes", lang),
                   [caller_reason(pack, r, lang) for r in outcome.notes])]
    lists.append(("answers", t("caller_answers", lang), _answers(outcome, pack, lang)))
    return lists


def _titled(title: str, items: list[str], lang: str, *, none: str = "") -> list[str]:
    """``Title:`` and its items, one a line; ``Title: none`` when there are none and that
    is worth saying, else nothing."""
    colon = t("colon", lang)
    if items:
        return [f"{title}{colon.rstrip()}", *[f"- {item}" for item in items]]
    return [f"{title}{colon}{none}"] if none else []


def _precautions(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """Each contraindication once, as the therapist needs it; when one took massage off the
    result, that is said first."""
    told = [t("caller_soft_tissue_struck", lang)] if outcome.soft_tissue_struck else []
    return told + [_for_the_therapist(pack, r, lang) for r in outcome.fired_of(CONTRAINDICATION)]


def _contraindications(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """With a medical (or no-therapy) result, by name: the therapist's notes are for when
    therapy is booked, after the doctor, and a screening then says them again. As the policy
    says them (:func:`triage.engine.policy.said_how`): only when care is not needed today
    (nothing routine next to "today": the result says not to book therapy); those that rule
    massage out not next to self care either (no therapy at all for now)."""
    return [rule_name(pack, r, lang) for r in outcome.fired_of(CONTRAINDICATION)
            if rule_said_with(outcome.disposition, r)]


def _unsure(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """The flags a "not sure" left open, every one of them: a doubt is not an all-clear."""
    if outcome.disposition == "emergency":
        return []
    return _titled(t("caller_flags_unsure", lang),
                   [rule_name(pack, r, lang) for r in outcome.red_flags_unsure], lang)


def _flag_counts(outcome: Outcome, lang: str) -> list[str]:
    """"32 checked and not present; 24 not asked": the lists the details, the record and
    JSON hold in full. The flags not checked are left out next to a result for today or
    sooner, as on the patient's screen."""
    if outcome.disposition == "emergency":
        return []
    counted = [("caller_count_absent", len(outcome.red_flags_absent)),
               ("caller_count_not_asked", len(outcome.red_flags_not_asked))]
    if outcome.disposition not in URGENT:
        counted.append(("caller_count_unchecked", len(outcome.red_flags_unchecked)))
    return [t(key, lang, count=n) for key, n in counted if n]


def _not_used(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """Questions answered (in a file) that did not apply: that answer was not taken into
    account, which staff should know before they read the result out."""
    return [short_question(_question(pack, q, lang)) for q in outcome.ignored_answers
            if q in pack.question_by_id]


def _answers(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """Each answer after its question as staff read it out ("How old is the person?")."""
    return [asked_and_answered(asked, answer, lang)
            for asked, answer in answer_pairs(outcome, pack, lang, caller=True)]


def _question(pack: CompiledPack, qid: str, lang: str) -> str:
    question = pack.question_by_id[qid]
    return pack.text(question.caller_text or question.text, lang)


def _named_reasons(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """The result's reasons (:func:`reason_rules`) by name, an outranked flag "also found";
    a reason that a "not sure" made hold says so, and which answer (its name, "Cauda equina
    signs", reads as signs the caller gave)."""
    out = []
    for r, outranked in reason_rules(outcome):
        name = rule_name(pack, r, lang)
        doubts = () if outranked else outcome.doubts.get(r.id, ())
        if outranked:
            out.append(t("also_found", lang, name=name))
        elif doubts:
            out.append(t("caller_not_sure_counted", lang, name=name,
                         questions=doubted(pack, doubts, lang, caller=True)))
        else:
            out.append(name)
    return out


def caller_reason(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    """A note's reason as staff tell the caller about the patient: its ``caller_reason``
    where the pack words it so, else its reason."""
    return pack.text(rule.caller_reason or rule.reason, lang)


def _for_the_therapist(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    """"Blood thinners: Gentle pressure only...": the label and the note for the therapist
    (its ``caller_note`` where the note speaks to the patient); the reason, written to the
    patient, only when the rule has no label or no note."""
    note = pack.text(rule.caller_note or rule.note, lang)
    if rule.label is None or not note:
        return precaution_text(pack, rule, lang)
    return f"{pack.text(rule.label, lang)}{t('colon', lang)}{note}"
