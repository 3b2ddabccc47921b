"""Reception mode: a short booking summary to paste into the booking system (plain text).

Staff read it about the caller: a rule is named by its label (a pack's reasons are written to
the patient, "You were not sure..."), and what is to be said to the caller is marked so.
"""

from __future__ import annotations

from triage.engine.evaluate import Outcome
from triage.engine.policy import CONTRAINDICATION, MEDICAL, THERAPY
from triage.i18n import t
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec
from triage.render.result import precaution_text, reason_rules, rule_name
from triage.render.typography import keep_marks_with_words


def booking_summary(outcome: Outcome, pack: CompiledPack, lang: str) -> str:
    """Disposition, who to book, how soon, and precautions for the therapist.

    Always plain text (no colour codes): it is meant to be copied into another program.
    """
    advice = {k: pack.text(v, lang) for k, v in outcome.advice.items()}
    disposition = outcome.disposition
    first = (advice["timeframe"] if disposition in THERAPY else t("caller_no_therapy", lang))
    precautions: list[str] = []
    if disposition not in MEDICAL:
        if outcome.soft_tissue_struck:
            precautions.append(t("caller_soft_tissue_struck", lang))
        for r in outcome.fired_of(CONTRAINDICATION):
            if r.effect == "strike_soft_tissue":
                continue
            precautions.append(_for_the_therapist(pack, r, lang))
    why = _named_reasons(outcome, pack, lang)
    colon = t("colon", lang)
    lines = [f"{t('caller_summary', lang)}"]
    if precautions:
        lines += [f"{t('caller_precautions', lang)}{colon.rstrip()}",
                  *[f"- {p}" for p in precautions]]
    elif disposition not in MEDICAL:  # "none noted" next to "see a doctor" reads as a go-ahead
        lines.append(f"{t('caller_precautions', lang)}{colon}{t('caller_no_precautions', lang)}")
    if why:
        lines += [f"{t('caller_reasons', lang)}{colon.rstrip()}", *[f"- {r}" for r in why]]
    if outcome.safety_net:
        lines += [f"{t('caller_watch_for', lang)}{colon.rstrip()}",
                  *[f"- {pack.text(r.reason, lang)}" for r in outcome.safety_net]]
    if disposition != "emergency":
        for title, flags in (("caller_flags_unsure", outcome.red_flags_unsure),
                             ("flags_absent", outcome.red_flags_absent)):
            if flags:
                lines += [f"{t(title, lang)}{colon.rstrip()}",
                          *[f"- {rule_name(pack, r, lang)}" for r in flags]]
    lines.append(f"{t('pack', lang)}{colon}{outcome.pack_id} {outcome.pack_version} "
                 f"({outcome.pack_hash[:12]})")
    # what to tell the caller and what to book come last: after a long summary, they are
    # what is left on the screen
    if disposition in MEDICAL:  # the pack's advice, said to the caller as it is written
        lines.append(f"{t('caller_tell', lang)}{colon}{advice['action']}")
    lines += [
        f"{t('caller_disposition', lang)}{colon}{advice['label']}",
        f"{t('caller_first', lang)}{colon}{first}",
        f"{t('caller_book', lang)}{colon}{t('book_' + disposition, lang)}",
    ]
    # pasted into another program, which wraps lines itself: French marks stay with words
    return keep_marks_with_words("\n".join(lines)) + "\n"


def _named_reasons(outcome: Outcome, pack: CompiledPack, lang: str) -> list[str]:
    """The result's reasons (:func:`reason_rules`) by name, an outranked flag "also found"."""
    return [t("also_found", lang, name=rule_name(pack, r, lang)) if outranked
            else rule_name(pack, r, lang) for r, outranked in reason_rules(outcome)]


def _for_the_therapist(pack: CompiledPack, rule: RuleSpec, lang: str) -> str:
    """"Blood thinners: Gentle pressure only...": the label and the note for the therapist;
    the reason, written to the patient, only when the rule has no label or no note."""
    note = pack.text(rule.note, lang)
    if rule.label is None or not note:
        return precaution_text(pack, rule, lang)
    return f"{pack.text(rule.label, lang)}{t('colon', lang)}{note}"
