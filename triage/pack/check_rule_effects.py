"""Checks on what rules do: a red flag's optional disposition must be worded by the pack, a
technique a precaution avoids must be one some indication lists (else nothing is left out),
and a rule the booking summary names should have a label (and a definite label, one)."""

from __future__ import annotations

from collections.abc import Sequence

from triage.engine.policy import (
    AVOID_TECHNIQUE,
    CONTRAINDICATION,
    INDICATION,
    NOTE,
    OPTIONAL_DISPOSITIONS,
    RED_FLAG,
)
from triage.pack.located import Collected, Located
from triage.problems import Problem, did_you_mean


def disposition_text_problems(collected: Collected, meta: Located) -> list[Problem]:
    """A red flag may lead to an optional disposition only if the pack words it."""
    given = meta.model.dispositions
    problems: list[Problem] = []
    for kind, item in collected.rules:
        wanted = getattr(item.model, "disposition", None) if kind == RED_FLAG else None
        if wanted in OPTIONAL_DISPOSITIONS and getattr(given, wanted) is None:
            problems.append(item.problem(
                f"disposition '{wanted}' has no texts: add 'dispositions: {wanted}:' "
                f"(label, action, timeframe, if_worse) to the pack section at "
                f"{meta.location()}", "disposition"))
    return problems


def unlabelled_rule_problems(collected: Collected) -> list[Problem]:
    """Warnings: reception staff read the booking summary about a caller, and it names red
    flags, contraindications and indications by their label; without one it shows the
    rule's reason, written to the patient ("You were not sure...")."""
    return [item.problem(
        f"rule '{item.model.id}' has no label: the booking summary that reception staff read "
        f"names a rule by its label, and shows this rule's reason instead, written to the "
        f"patient (add e.g. label: {{en: ..., fr: ...}})", "id", severity="warning")
        for kind, item in collected.rules
        if kind in (RED_FLAG, CONTRAINDICATION, INDICATION) and item.model.label is None]


def definite_label_problems(collected: Collected) -> list[Problem]:
    """A definite label names a rule that held on definite answers in place of its label:
    it is no name of its own."""
    return [item.problem("'definite_label' replaces the label when the rule held on definite "
                         "answers: give the 'label' too", "definite_label", key=True)
            for _, item in collected.rules
            if item.model.definite_label is not None and item.model.label is None]


def branch_caller_reason_problems(collected: Collected) -> list[Problem]:
    """Reception staff read a note's reason about the patient (its branches' too); the other
    rules they name by their labels, so a branch's ``caller_reason`` would never be read."""
    return [item.problem("'caller_reason' is for the branches of a note: staff name the "
                         "other rules by their label", "reason_when", i, "caller_reason",
                         key=True)
            for kind, item in collected.rules if kind != NOTE
            for i, branch in enumerate(item.model.reason_when)
            if branch.caller_reason is not None]


def avoided_technique_problems(collected: Collected,
                               languages: Sequence[str]) -> list[Problem]:
    """Techniques are compared word for word in the pack's first language."""
    def key(text: str | dict[str, str]) -> str:
        return text if isinstance(text, str) else text.get(languages[0], "")

    listed = {key(t) for kind, item in collected.rules if kind == INDICATION
              for t in item.model.techniques}
    problems: list[Problem] = []
    for kind, item in collected.rules:
        if kind != CONTRAINDICATION:
            continue
        if item.model.techniques and item.model.effect != AVOID_TECHNIQUE:
            problems.append(item.problem(
                "'techniques' is only for effect: avoid_technique", "techniques"))
        for i, t in enumerate(item.model.techniques):
            if key(t) not in listed:
                problems.append(item.problem(
                    f"technique '{key(t)}' is not a technique of any indication"
                    f"{did_you_mean(key(t), listed)}", "techniques", i))
    return problems
