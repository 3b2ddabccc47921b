"""The decision policy, stated once. Everything that decides reads it from here: the loader
(red-flag order), the generated decision code (which rules can change a disposition), the
engine (therapy choice, certainty with answers missing), batch screening, verification, and
every consumer of a disposition (renderers, JSON, FHIR, records, the caller summary).

Dispositions, most urgent first (a total order, :data:`DISPOSITIONS`):

=========================  ==================================================================
``emergency``              call 911 now
``emergency_department``   go to the emergency department now, within hours
``same_day``               see a doctor or nurse practitioner today
``doctor_soon``            see a doctor within 1 to 3 days, before any therapy
``doctor_first``           see a doctor before therapy (routine)
``physiotherapy``          book a physiotherapist
``both``                   physiotherapy and massage therapy together
``soft_tissue``            book a registered massage therapist
``self_care``              no care needed now: look after yourself (e.g. wait until well)
``not_enough_information`` the answers matched nothing: a clinician helps decide
=========================  ==================================================================

``self_care`` ranks above ``not_enough_information`` because it is a decision (nothing is
needed now) where the other is the lack of one. The three therapies are one level of care
(:data:`LEVEL`); their order only breaks ties in listings.

1. Red flags win. The disposition is the most urgent red flag that fired; among flags of that
   urgency the one with the highest ``priority`` (then the first in the files) is named as the
   main reason. Every fired flag is listed (an outranked one only named, or not even that
   when routine: :func:`said_how`). Rules are put in :func:`precedence` order when a
   pack is built, so "the first red flag that holds" is the main one. A red flag may be
   ``self_care`` (for example a cold: no therapy until you are well): it still wins over any
   therapy, and loses to every medical flag.
2. Otherwise indications add points: ``soft_tissue`` and ``physiotherapy`` totals. No
   indication fired: ``not_enough_information``. Both totals at or above the pack's
   ``both_threshold``: ``both``. Else the larger total; a tie goes to ``physiotherapy`` (the
   assessing profession).
3. A ``strike_soft_tissue`` contraindication removes soft tissue therapy: ``both`` becomes
   ``physiotherapy``; ``soft_tissue`` (or nothing indicated) becomes ``doctor_first``, since
   no therapy is then known to be safe and suitable. Next to care today or sooner, or self
   care, a strike is not said, only recorded: whether a therapy is safe is routine there
   (:func:`said_how`).
4. Other contraindications and notes never change the disposition; they add notes, each
   shown only with the results it applies to (:func:`note_applies`), and never with a result
   at least as urgent as the care the note itself advises. Notes marked ``safety_net`` are
   what to watch for; the others are advice.

With answers still missing every rule is true, false or unknown (three-valued); the
disposition is *certain* once no unknown rule could change it (:func:`certain_disposition`).

This module imports nothing from the package: rules are read through :class:`Rule`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

# Every disposition, most urgent first: the order is total and is the urgency order.
DISPOSITIONS: tuple[str, ...] = (
    "emergency", "emergency_department", "same_day", "doctor_soon", "doctor_first",
    "physiotherapy", "both", "soft_tissue", "self_care", "not_enough_information",
)
URGENCY: dict[str, int] = {d: len(DISPOSITIONS) - 1 - i for i, d in enumerate(DISPOSITIONS)}
# a doctor before any therapy
MEDICAL = frozenset({"emergency", "emergency_department", "same_day", "doctor_soon",
                     "doctor_first"})
# care today: these results carry nothing routine (no booking or insurance advice)
URGENT = frozenset({"emergency", "emergency_department", "same_day"})
# care now, not later today: a batch summary lists these rows first
ACT_NOW: tuple[str, ...] = ("emergency", "emergency_department")
THERAPY = frozenset({"physiotherapy", "both", "soft_tissue"})
SELF_CARE = "self_care"
NO_ANSWER = "not_enough_information"
# what a red flag may decide: every medical disposition, and self care (no therapy for now)
RED_FLAG_DISPOSITIONS: tuple[str, ...] = tuple(d for d in DISPOSITIONS
                                               if d in MEDICAL or d == SELF_CARE)
# texts a pack must give only when one of its red flags can lead there (packs written before
# these dispositions existed stay valid)
OPTIONAL_DISPOSITIONS = frozenset({"emergency_department", "doctor_soon", SELF_CARE})
# Levels of care, higher is more urgent: the therapies (and self care) are one level, and
# "no answer" is below them. Verification's "never lowers urgency" and accuracy reports
# compare levels, not positions in the listing order.
LEVEL: dict[str, int] = {}
for _d in reversed(DISPOSITIONS):
    if _d == NO_ANSWER:
        LEVEL[_d] = 0
    elif _d in THERAPY or _d == SELF_CARE:
        LEVEL[_d] = 1
    else:
        LEVEL[_d] = max(LEVEL.values()) + 1
del _d
# the dispositions that include soft tissue therapy (a strike must never leave one)
WITH_SOFT_TISSUE = frozenset({"both", "soft_tissue"})
# The answer id meaning "not sure". On a safety question it counts as yes: `triage verify`
# proves that answering it is never less urgent than any definite answer.
NOT_SURE = "not_sure"
# what removing soft tissue therapy makes of each therapy result (step 3)
_STRUCK = {"both": "physiotherapy", "soft_tissue": "doctor_first",
           NO_ANSWER: "doctor_first"}

RED_FLAG = "red_flag"
CONTRAINDICATION = "contraindication"
INDICATION = "indication"
NOTE = "note"
RULE_KINDS = (RED_FLAG, CONTRAINDICATION, INDICATION, NOTE)  # in pack order
STRIKE_SOFT_TISSUE = "strike_soft_tissue"
AVOID_TECHNIQUE = "avoid_technique"  # leaves the named techniques out of the list shown


class Rule(Protocol):
    """What the policy reads of a rule (a :class:`triage.pack.specs.RuleSpec`)."""

    @property
    def kind(self) -> str: ...
    @property
    def disposition(self) -> str | None: ...
    @property
    def priority(self) -> int: ...
    @property
    def effect(self) -> str | None: ...
    @property
    def points(self) -> tuple[int, int]: ...


def urgency_tier(disposition: str) -> int:
    """Urgency in tiers, for "never lowers urgency": the policy's levels of care (:data:`LEVEL`):
    each medical disposition its own tier; the therapies and self care one tier (moving
    between them is a choice of care, not of urgency) above ``not_enough_information``."""
    return LEVEL[disposition]


def precedence(rule: Rule, file_index: int) -> tuple[int, int, int, int]:
    """Sort key of a pack's rules: red flags most urgent first, then by ``priority`` (highest
    first), then file order; then contraindications, indications and notes in file order."""
    if rule.kind == RED_FLAG:
        return (0, -URGENCY[rule.disposition or ""], -rule.priority, file_index)
    return (RULE_KINDS.index(rule.kind), 0, 0, file_index)


def note_applies(disposition: str, safety_net: bool, only_with: Sequence[str],
                 urgency: str | None = None) -> bool:
    """A note is shown with the results its ``show_with`` names. Without one, what to watch for
    (``safety_net``) goes with every result but ``emergency`` (whose only message is: call 911
    now), and other advice with every result that is not urgent: a booking or insurance tip
    next to "see a doctor today" reads as permission to wait.

    Either way a note is redundant, and left out, next to a result at least as urgent as the
    care the note itself sends the person to (its ``urgency``; a safety-net note's default,
    without ``show_with``, is ``emergency``): "go to the emergency department at once if you
    get numbness between your legs" under "Go to the emergency department now" (given for
    that numbness) reads as if going were still conditional."""
    if safety_net and urgency is None and not only_with:
        urgency = "emergency"  # the default: all but 911 (a show_with naming it is kept)
    if urgency is not None and URGENCY[disposition] >= URGENCY[urgency]:
        return False
    if only_with:
        return disposition in only_with
    return True if safety_net else disposition not in URGENT


# How the words of a rule that holds go with a result (:func:`said_how`): its words (a
# reason, a note, techniques), only its name ("Also found: ..."), or neither (the record and
# the JSON still list it, as data).
SAID, NAMED, HELD = "said", "named", "held"


def said_how(disposition: str, kind: str, effect: str | None, safety_net: bool,
             only_with: Sequence[str], urgency: str | None = None) -> str:
    """How a rule that holds goes with this result (every rendering of the rules that
    fired: the result, JSON, a record, the caller summary): :data:`SAID`, :data:`NAMED` or
    :data:`HELD`.

    Red flags are the reasons, but one outranked by a more urgent result (``urgency``: for
    a red flag, its own disposition) is only named: its reason often carries its own advice
    ("It needs an X-ray today"), which under "call 911" reads as a second instruction; and
    next to care today or sooner (:data:`URGENT`) one of no medical level is not named at
    all ("Also found: Cold, flu or other infection now" under "call 911" is a massage
    contraindication: routine). Notes as :func:`note_applies` says; next to care today or
    sooner nothing routine: no indication (a therapy's reasons and techniques), no
    precaution for a therapist and no strike that rules massage out. Whether a therapy is
    safe is a question for when one is booked: the result already says "Do not book
    therapy", and "Massage (soft tissue) therapy is not safe for you right now" with "No
    massage while you have a cold" under "Go to the emergency department now" (for a cold
    during cancer treatment) read as a second, routine message, as under "call 911". Next
    to self care (no therapy at all for now) no strike either: the flag says no therapy,
    and a strike said it twice more. Either way the strike is found again when the
    questions are answered again (after the doctor, or once well), and the data (JSON, a
    record) still lists it, with ``soft_tissue_struck``. :func:`rule_said_how` reads these
    from a rule."""
    if kind == RED_FLAG:
        if urgency is None or URGENCY[urgency] >= URGENCY[disposition]:
            return SAID
        return HELD if disposition in URGENT and urgency not in MEDICAL else NAMED
    if kind == NOTE:
        said = note_applies(disposition, safety_net, only_with, urgency)
    elif kind == CONTRAINDICATION and effect == STRIKE_SOFT_TISSUE:
        said = disposition not in URGENT and disposition != SELF_CARE
    else:
        said = disposition not in URGENT
    return SAID if said else HELD


def said_with(disposition: str, kind: str, effect: str | None, safety_net: bool,
              only_with: Sequence[str], urgency: str | None = None) -> bool:
    """Whether the words of a rule that holds go with this result (:func:`said_how`)."""
    return said_how(disposition, kind, effect, safety_net, only_with, urgency) == SAID


class SaidRule(Protocol):
    """What :func:`rule_said_with` reads of a rule (a :class:`triage.pack.specs.RuleSpec`)."""

    @property
    def kind(self) -> str: ...
    @property
    def disposition(self) -> str | None: ...
    @property
    def effect(self) -> str | None: ...
    @property
    def safety_net(self) -> bool: ...
    @property
    def show_with(self) -> Sequence[str]: ...
    @property
    def urgency(self) -> str | None: ...


def rule_said_how(disposition: str, rule: SaidRule) -> str:
    """:func:`said_how` of a rule: a red flag's urgency is its disposition, a note's its
    ``urgency``."""
    return said_how(disposition, rule.kind, rule.effect, rule.safety_net, rule.show_with,
                    rule.disposition if rule.kind == RED_FLAG else rule.urgency)


def rule_said_with(disposition: str, rule: SaidRule) -> bool:
    """:func:`said_with` of a rule (:func:`rule_said_how`)."""
    return rule_said_how(disposition, rule) == SAID


def strikes_soft_tissue(rule: Rule) -> bool:
    return rule.kind == CONTRAINDICATION and rule.effect == STRIKE_SOFT_TISSUE


def can_change_disposition(rule: Rule) -> bool:
    """Red flags, indications and strikes; notes and precautions never do."""
    return rule.kind in (RED_FLAG, INDICATION) or strikes_soft_tissue(rule)


def is_safety_rule(rule: Rule) -> bool:
    """A rule whose unanswered questions stop a screening (fail closed)."""
    return rule.kind == RED_FLAG or strikes_soft_tissue(rule)


R = TypeVar("R", bound=Rule)


def main_red_flag(fired: Iterable[R]) -> R | None:
    """The red flag named as the main reason: the first in :func:`precedence` order."""
    return next((r for r in fired if r.kind == RED_FLAG), None)


def totals(fired: Sequence[R]) -> tuple[R | None, bool, int, int, int]:
    """What a disposition is made of, given the rules that hold (in pack order): the main red
    flag, whether soft tissue is struck, the soft tissue and physiotherapy points, and how
    many indications hold."""
    indications = [r for r in fired if r.kind == INDICATION]
    return (main_red_flag(fired), any(strikes_soft_tissue(r) for r in fired),
            sum(r.points[0] for r in indications), sum(r.points[1] for r in indications),
            len(indications))


def therapy_disposition(strike: bool, soft: int, physio: int, indicated: int,
                        both_threshold: int) -> str:
    """Steps 2 and 3."""
    if indicated == 0:
        base = NO_ANSWER
    elif soft >= both_threshold and physio >= both_threshold:
        base = "both"
    elif soft > physio:
        base = "soft_tissue"
    else:
        base = "physiotherapy"
    return _STRUCK.get(base, base) if strike else base


def technique_supports(disposition: str, strike: bool) -> frozenset[str]:
    """Whose techniques go with a therapy result, by the indications' ``supports``: the
    therapist booked uses them. A soft tissue result lists no physiotherapy techniques
    (electrotherapy from an RMT reads as a promise), and once soft tissue therapy is struck
    only physiotherapy's own: a ``both`` indication may name massage, which the strike took
    out of the answer."""
    if disposition not in THERAPY:
        return frozenset()
    if strike:
        return frozenset({"physiotherapy"})
    if disposition == "both":
        return THERAPY
    return frozenset({disposition, "both"})


def disposition(main: Rule | None, strike: bool, soft: int, physio: int, indicated: int,
                both_threshold: int) -> str:
    """Steps 1 to 3 for a finished set of answers."""
    if main is not None:
        return main.disposition or ""
    return therapy_disposition(strike, soft, physio, indicated, both_threshold)


Truth = bool | None  # three-valued: None is unknown


def known_at_least(rules: Sequence[Rule], truths: Sequence[Truth]) -> str | None:
    """The most urgent disposition of a red flag that holds whatever the missing answers are
    (three-valued ``True``), else None. Red flags win (step 1), so the result of these answers,
    however the questionnaire goes on, is this one or more urgent: the lower bound a stopped
    screening can still say (``triage verify`` proves ``red_flag_respected``: a fired red flag
    is never outranked by a less urgent disposition)."""
    best = -1
    best_disposition: str | None = None
    for rule, t in zip(rules, truths, strict=True):
        if rule.kind == RED_FLAG and t is True and URGENCY[rule.disposition or ""] > best:
            best = URGENCY[rule.disposition or ""]
            best_disposition = rule.disposition
    return best_disposition


def certain_disposition(rules: Sequence[Rule], truths: Sequence[Truth], both_threshold: int,
                        ) -> tuple[str | None, tuple[int, ...]]:
    """The disposition once it is certain (else None), and the indices of the unknown rules
    that still matter (those that could change it first, then details worth asking)."""
    best_disposition = known_at_least(rules, truths)
    best = -1 if best_disposition is None else URGENCY[best_disposition]
    open_flags = tuple(i for i, (rule, t) in enumerate(zip(rules, truths, strict=True))
                       if rule.kind == RED_FLAG and t is None
                       and URGENCY[rule.disposition or ""] > best)
    if best_disposition is not None:
        return (None if open_flags else best_disposition), open_flags
    unknown = tuple(i for i, t in enumerate(truths) if t is None)
    therapy_open = tuple(i for i in unknown if rules[i].kind == INDICATION
                         or strikes_soft_tissue(rules[i]))
    deciding = frozenset(open_flags).union(therapy_open)
    details = tuple(i for i in unknown if i not in deciding)
    if open_flags or therapy_open:
        return None, open_flags + therapy_open + details
    strike = any(t is True and strikes_soft_tissue(r) for r, t in zip(rules, truths, strict=True))
    soft = physio = indicated = 0
    for r, t in zip(rules, truths, strict=True):
        if r.kind == INDICATION and t is True:
            soft += r.points[0]
            physio += r.points[1]
            indicated += 1
    result = therapy_disposition(strike, soft, physio, indicated, both_threshold)
    if result in MEDICAL:
        return result, ()
    return result, details  # notes and precautions still worth asking about
