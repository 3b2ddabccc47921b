"""Records as text for `triage records ...`: plain strings, no colour (tables are read aloud
and piped to grep as often as they are looked at). Formatters return strings; the CLI prints.

Stored values are shown with control characters escaped: a caller reference typed as
terminal escape codes must not repaint the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from triage.records import Record
from triage.records.model import parse_ts
from triage.text import printable

LIST_COLUMNS = ("id", "created", "desk", "staff", "caller ref", "disposition")


def clean(value: object) -> str:
    """One line of printable text (control characters escaped by the one sanitiser)."""
    return printable(value if isinstance(value, str) else str(value))


def local_time(stamp: str) -> str:
    """A stored UTC timestamp as local time to the minute, as staff think of it."""
    return parse_ts(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def _pick(text: Any, lang: str) -> str:
    """A pack text ({lang: str}) in `lang`, else English, else any language."""
    if isinstance(text, Mapping):
        for key in (lang, "en"):
            if text.get(key):
                return clean(text[key])
        return clean(next(iter(text.values()), ""))
    return clean(text) if text else ""


def records_table(records: Iterable[Record]) -> str:
    """id, created, desk, staff, caller ref, disposition: never answers or names."""
    rows = [LIST_COLUMNS] + [
        (r.id, local_time(r.created_at), clean(r.desk), clean(r.staff), clean(r.caller_ref),
         clean(r.disposition))
        for r in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(LIST_COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    return "\n".join(lines) + "\n"


def _answer(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(clean(v) for v in value) or "-"
    return clean(value)


def _answer_line(pack: Any, qid: str, value: Any, lang: str, caller: bool = False) -> str:
    """``- Do you take blood thinners? Yes`` with the pack at hand (the question without its
    instructions, as the result lists it; ``caller``: the question and the answer as staff
    read them out, "Does the person take blood thinners?"), else the stored ids."""
    question = pack.question_by_id.get(qid) if pack is not None else None
    if question is None:
        return f"- {clean(qid)}: {_answer(value)}"
    from triage.render.answers import answer_text, asked_and_answered, short_question

    text = question.caller_text if caller and question.caller_text else question.text
    asked = short_question(pack.text(text, lang))
    answer = answer_text(pack, qid, value, lang, caller=caller)
    return f"- {clean(asked_and_answered(asked, answer, lang))}"


# Who answered (Record.mode), and so how the questions below read.
_SCREENED = {
    "caller": "Screening: by reception staff on a call (the questions as read out, about the "
              "patient)",
    "patient": "Screening: answered by the person (the questions in the patient's own words)",
    None: "Screening: how it was asked is not recorded (a record kept before triage noted it); "
          "the questions in the patient's own words",
}


def _said_line(rule: Mapping[str, Any], pack: Any, lang: str, caller: bool) -> str:
    """A rule whose words go with the result, as the result said it: a reason after the "not
    sure" answers that made it hold when the reason does not say so (on the screen, the
    reasons: red flags, a strike, indications); on a call, a rule by its name, as the
    reception summary gave it (a reason is written to the patient: "tell you what is going
    on"), with the caller's "not sure", and a note as the summary read it out."""
    from triage.i18n import t
    from triage.render.reasons import doubted, rule_name

    head = f"- {clean(rule.get('id', '?'))} ({clean(rule.get('kind', '?'))})"
    spec = pack.rule_by_id.get(rule.get("id")) if pack is not None else None
    doubts: list[str] = []
    if rule.get("kind") in ("red_flag", "indication") or rule.get("effect") == \
            "strike_soft_tissue":
        doubts = [q for q in rule.get("not_sure") or () if isinstance(q, str)
                  and (pack is None or q in pack.question_by_id)]
    if caller:
        if spec is None:  # by id: the stored reason is the patient's
            return head
        if spec.kind == "note":
            return f"{head}: {clean(pack.text(spec.reason, lang))}"
        name = rule_name(pack, spec, lang)
        return f"{head}: " + clean(t("caller_not_sure_counted", lang, name=name, questions=doubted(
            pack, doubts, lang, caller=True)) if doubts else name)
    reason = _pick(rule.get("reason"), lang)
    untold = _untold(rule, spec, doubts)
    if untold and reason:
        asked = (doubted(pack, untold, lang) if pack is not None
                 else t("quoted_and", lang).join(t("quoted", lang, text=q) for q in untold))
        reason = f"{clean(t('not_sure_counted', lang, questions=asked))} {reason}"
    return head + (f": {reason}" if reason else "")


def _untold(rule: Mapping[str, Any], spec: Any, doubts: list[str]) -> list[str]:
    """The stored "not sure" answers the stored reason does not speak of: all, unless it is
    the reason of a branch of the rule (the pack at hand) written for them
    (:func:`triage.engine.doubts.untold`)."""
    if spec is None or not doubts:
        return doubts
    from triage.conditions.tree import questions_testing
    from triage.engine.policy import NOT_SURE

    told = next((questions_testing(when, NOT_SURE) for when, reason in spec.reason_when
                 if reason == rule.get("reason")), frozenset())
    return [q for q in doubts if q not in told]


def _in_asking_order(pack: Any, answers: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The stored answers in the order the questions are asked (stored JSON has its keys
    sorted); with no pack at hand, or for a question it no longer has, as stored, last."""
    if pack is None:
        return list(answers.items())
    order = {q.id: i for i, q in enumerate(pack.questions)}
    return sorted(answers.items(), key=lambda item: order.get(item[0], len(order)))


def _said(rule: Mapping[str, Any], disposition: str, pack: Any) -> str:
    """How a stored rule goes with the result (policy.said_how: said, named or held): a red
    flag from its stored disposition and the result's (whatever ``shown`` says: records kept
    before an outranked flag was only named stored its words as said, though the screen named
    it); another rule as stored (``shown``), else as the pack at hand says, else from its
    stored kind and effect (a record kept before ``shown`` was)."""
    from triage.engine.policy import (
        DISPOSITIONS,
        HELD,
        RED_FLAG,
        SAID,
        rule_said_how,
        said_how,
    )

    if rule.get("kind") == RED_FLAG and disposition in DISPOSITIONS:
        level = rule.get("disposition")
        return said_how(disposition, RED_FLAG, None, False, (),
                        level if level in DISPOSITIONS else None)
    if isinstance(rule.get("shown"), bool):
        return SAID if rule["shown"] else HELD
    if disposition not in DISPOSITIONS:
        return SAID
    spec = pack.rule_by_id.get(rule.get("id")) if pack is not None else None
    if spec is not None:
        return rule_said_how(disposition, spec)
    return said_how(disposition, str(rule.get("kind")), rule.get("effect"), False, ())


def _outranked_line(rule: Mapping[str, Any], pack: Any, lang: str,
                    answers: Mapping[str, Any]) -> str:
    """A red flag a more urgent result outranks, by id, its own level and its label (never
    its reason, which carries its own advice: "It needs an X-ray today" under "call 911"):
    its definite label when it held on the definite answers, as on the result."""
    rule_id = rule.get("id", "?")
    spec = pack.rule_by_id.get(rule_id) if pack is not None else None
    if spec is not None and spec.definite_label is not None:
        from triage.conditions.truth import truth
        from triage.engine.held import definite_state

        chosen = {k: frozenset(v) if isinstance(v, list) else v for k, v in answers.items()}
        if truth(spec.when, definite_state(chosen, (), pack.shapes)) is True:
            spec = replace(spec, label=spec.definite_label)
    label = pack.text(spec.label, lang) if spec is not None and spec.label else ""
    level = f" ({clean(rule['disposition'])})" if rule.get("disposition") else ""
    return f"- {clean(rule_id)}{level}" + (f": {clean(label)}" if label else "")


def record_text(record: Record, lang: str, pack: Any = None) -> str:
    """One record in full: who, when, which pack, the result, the rules that fired, answers.

    ``pack``: the pack at hand, whose words (questions, answers, warning signs) are used only
    if it is the very pack the record was made with (the same content hash): another
    version, or the same one edited, could word an answer otherwise ("No, never" next to
    the disposition the answer "new or worse" gave). Else ids, and one line saying why."""
    why = _words_unused(record, pack)
    if why:
        pack = None
    out = record.outcome
    advice = out.get("advice") if isinstance(out.get("advice"), Mapping) else {}
    label = _pick(advice.get("label"), lang) if advice else ""
    lines = [
        f"Record: {record.id}",
        f"Created: {local_time(record.created_at)} (UTC {record.created_at})",
        f"Status: {record.status}",
        f"Desk: {clean(record.desk)}",
        f"Staff: {clean(record.staff)}",
        f"Caller ref: {clean(record.caller_ref)}",
    ]
    if record.caller_name:
        lines.append(f"Caller name: {clean(record.caller_name)}")
    lines += [
        f"Pack: {clean(record.pack_id)} {clean(record.pack_version)} "
        f"({record.pack_hash[:12]}), triage {clean(record.tool_version)}",
        f"Disposition: {clean(record.disposition)}" + (f" ({label})" if label else ""),
        _SCREENED.get(record.mode, _SCREENED[None]),
    ]
    if why:
        lines.append(why)
    fired = [r for r in out.get("fired") or () if isinstance(r, Mapping)]
    if fired:
        from triage.engine.policy import NAMED, SAID
        lines.append("Rules that fired:")
        # routine advice (booking, insurance, therapy) is not said next to care today, nor a
        # red flag's own advice under a more urgent result; each rule is still named: the
        # record keeps what held
        held: list[str] = []
        outranked: list[str] = []
        for rule in fired:
            how = _said(rule, record.disposition, pack)
            if how == NAMED:  # an outranked red flag
                outranked.append(_outranked_line(rule, pack, lang, record.answers))
                continue
            if how != SAID:
                held.append(clean(rule.get("id", "?")))
                continue
            lines.append(_said_line(rule, pack, lang, record.mode == "caller"))
        if outranked:
            lines.append("Also found, outranked by this result (named, its advice not given):")
            lines += outranked
        if held:
            lines.append(f"Also held, not said with this result: {', '.join(held)}")
    else:
        lines.append("Rules that fired: none")
    lines += _warning_signs(out.get("red_flags"), pack, lang)
    lines.append("Answers:")
    lines += [_answer_line(pack, key, value, lang, record.mode == "caller")
              for key, value in _in_asking_order(pack, record.answers)]
    if not record.answers:
        lines.append("- none")
    return "\n".join(lines) + "\n"


def _words_unused(record: Record, pack: Any) -> str:
    """Why the answers and warning signs are shown by id, else ""."""
    by_id = "Answers and warning signs by id: "
    if pack is None:
        return by_id + "the rule pack could not be loaded."
    if pack.content_hash == record.pack_hash:
        return ""
    return (f"{by_id}the pack at hand ({clean(pack.id)} {clean(pack.version)}, "
            f"{pack.content_hash[:12]}) is not the one this record was made with; give "
            "--pack with that pack to read them in words.")


# every status but "present" (those are among the rules that fired), in the order read out
_FLAG_STATUS = (("not_ruled_out", "Warning signs not ruled out (answered not sure)"),
                ("absent", "Warning signs checked and not present"),
                ("not_asked", "Warning signs not asked (they did not apply)"),
                ("not_checked", "Warning signs not checked (the result was already clear)"))


def _warning_signs(status: Any, pack: Any, lang: str) -> list[str]:
    """The full lists the reception summary only counts, by name with the pack at hand (else
    by id). A record stored before statuses were kept has none to show."""
    if not isinstance(status, Mapping):
        return []
    if pack is not None:  # the pack's order (stored JSON has its keys sorted)
        order = {r.id: i for i, r in enumerate(pack.rules)}
        status = dict(sorted(status.items(), key=lambda item: order.get(item[0], len(order))))
    lines = []
    for wanted, title in _FLAG_STATUS:
        ids = [rule_id for rule_id, said in status.items() if said == wanted]
        if ids:
            lines.append(f"{title}:")
            lines += [f"- {_flag_name(pack, rule_id, lang)}" for rule_id in ids]
    return lines


def _flag_name(pack: Any, rule_id: Any, lang: str) -> str:
    rule = pack.rule_by_id.get(rule_id) if pack is not None else None
    if rule is None:
        return clean(rule_id)
    from triage.render.result import rule_name

    return clean(rule_name(pack, rule, lang))


@dataclass(frozen=True)
class Replay:
    """A stored screening against the current pack. ``problem``: why it could not be
    re-evaluated (question ids only, never answer values); then the new fields are None."""

    record: Record
    pack_id: str
    pack_version: str
    pack_hash: str
    disposition: str | None
    fired: Sequence[str] | None
    problem: str = ""

    @property
    def old_fired(self) -> list[str]:
        fired = self.record.outcome.get("fired")
        if not isinstance(fired, list):
            return []
        return [str(r.get("id")) for r in fired if isinstance(r, Mapping)]

    @property
    def same(self) -> bool:
        # Rule order follows the pack files; which rules fired is what matters.
        return (not self.problem and self.disposition == self.record.disposition
                and set(self.fired or ()) == set(self.old_fired))


def replay_text(replay: Replay) -> str:
    r = replay.record
    lines = [
        f"Record {r.id} was screened with pack {clean(r.pack_id)} {clean(r.pack_version)} "
        f"({r.pack_hash[:12]}) by triage {clean(r.tool_version)}.",
        f"Replayed with pack {clean(replay.pack_id)} {clean(replay.pack_version)} "
        f"({replay.pack_hash[:12]}).",
    ]
    if replay.problem:
        lines += [f"Cannot re-evaluate: {replay.problem}", "Different: the current pack cannot "
                  "give this screening a result."]
        return "\n".join(lines) + "\n"
    old, new = clean(r.disposition), clean(replay.disposition or "")
    if old == new:
        lines.append(f"Disposition: {old} (same)")
    else:
        lines.append(f"Disposition: {old} -> {new} (different)")
    old_fired, new_fired = replay.old_fired, list(replay.fired or ())
    if set(old_fired) == set(new_fired):
        lines.append(f"Rules that fired: {', '.join(old_fired) or 'none'} (same)")
    else:
        gone = [x for x in old_fired if x not in new_fired]
        added = [x for x in new_fired if x not in old_fired]
        lines.append(f"Rules that fired: {', '.join(old_fired) or 'none'} -> "
                     f"{', '.join(new_fired) or 'none'} (different)")
        if added:
            lines.append(f"  now firing: {', '.join(added)}")
        if gone:
            lines.append(f"  no longer firing: {', '.join(gone)}")
    lines.append("Same result." if replay.same else "Different result.")
    return "\n".join(lines) + "\n"
