"""The engine's result type: one disposition and everything that led to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from triage import __version__
from triage.conditions.truth import State, truth
from triage.engine.policy import (
    AVOID_TECHNIQUE,
    CONTRAINDICATION,
    INDICATION,
    LEVEL,
    NOT_SURE,
    NOTE,
    RED_FLAG,
    URGENCY,
    note_applies,
    rule_said_with,
    technique_supports,
)
from triage.pack.compiled import CompiledPack
from triage.pack.specs import RuleSpec, Text

FIELDS = ("disposition", "main_red_flag", "soft_tissue_struck", "points", "indicated", "record",
          "ignored_answers", "pack", "red_flags_unchecked", "fired_known")


def _names(longer: str, shorter: str) -> bool:
    """``Exercise therapy (strength and balance)`` names ``Exercise therapy``: the same
    technique with a qualifier."""
    a, b = longer.casefold(), shorter.casefold()
    return a != b and a.startswith(b + " (")


def merge_named(techniques: tuple[Text, ...], lang: str) -> tuple[Text, ...]:
    """Techniques one of which names the other, shown once: "Exercise therapy" and "Exercise
    therapy (strength and balance)" in one list read as two treatments. The qualified text
    stays (a qualifier such as "alongside exercise" is how the technique is given), in the
    place of the first of them."""
    names = [t.get(lang) or "" for t in techniques]
    out: list[Text] = []
    taken: set[int] = set()
    for i, name in enumerate(names):
        if i in taken:
            continue
        same = [j for j, other in enumerate(names)
                if j not in taken and (j == i or _names(other, name) or _names(name, other))]
        taken.update(same)
        out.append(techniques[max(same, key=lambda j: len(names[j]))])
    return tuple(out)


class Outcome(tuple):  # type: ignore[type-arg]
    """One disposition and everything that led to it: a named tuple of :data:`FIELDS`.

    A tuple, so that the pack's generated decision code makes it with no call into Python
    (``tuple.__new__``: see triage.pack.codegen); ``fired`` (every rule that holds, for the
    reasons shown) and ``answers`` are worked out on first use and kept on the instance:
    screening many answer sets often needs only the disposition.

    ``record`` holds the answers that count, one per question of the pack in order (None:
    hidden or not answered), as the decision read them: an immutable snapshot.
    ``ignored_answers``: answered, but the question does not apply. ``red_flags_unchecked``:
    red flags not needed once the answer was certain (a questionnaire stopped early).
    ``fired_known``: the rules that hold when they were known as the outcome was made (a
    questionnaire stopped early: worked out three-valued, so not from the record), else None;
    read them through ``fired``. Kept in the tuple rather than in the instance's dict: a dict
    made for every outcome costs more than the rest of it in a batch that keeps its results.
    """

    if TYPE_CHECKING:
        disposition: str
        main_red_flag: str | None
        soft_tissue_struck: bool
        points: tuple[int, int]  # (soft tissue, physiotherapy)
        indicated: int  # how many indications hold
        record: tuple[Any, ...]
        ignored_answers: tuple[str, ...]
        pack: CompiledPack
        red_flags_unchecked: tuple[RuleSpec, ...]
        fired_known: tuple[RuleSpec, ...] | None
    else:  # C-level getters: reading a field costs no Python call
        disposition = property(itemgetter(0))
        main_red_flag = property(itemgetter(1))
        soft_tissue_struck = property(itemgetter(2))
        points = property(itemgetter(3))
        indicated = property(itemgetter(4))
        record = property(itemgetter(5))
        ignored_answers = property(itemgetter(6))
        pack = property(itemgetter(7))
        red_flags_unchecked = property(itemgetter(8))
        fired_known = property(itemgetter(9))

    def __new__(cls, disposition: str, main_red_flag: str | None, soft_tissue_struck: bool,
                points: tuple[int, int], indicated: int, record: tuple[Any, ...],
                ignored_answers: tuple[str, ...], pack: CompiledPack,
                red_flags_unchecked: tuple[RuleSpec, ...] = (),
                fired_known: tuple[RuleSpec, ...] | None = None) -> Outcome:
        return tuple.__new__(cls, (disposition, main_red_flag, soft_tissue_struck, points,
                                   indicated, record, ignored_answers, pack,
                                   red_flags_unchecked, fired_known))

    def __getnewargs__(self) -> tuple[Any, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        return (f"Outcome(disposition={self.disposition!r}, "
                f"main_red_flag={self.main_red_flag!r}, points={self.points!r})")

    @property
    def fired_rules(self) -> tuple[RuleSpec, ...]:
        return self.fired

    @fired_rules.setter
    def fired_rules(self, rules: tuple[RuleSpec, ...]) -> None:
        """Set when the fired rules were worked out already (not again from the record)."""
        self.__dict__["fired_found"] = rules

    @property
    def answers(self) -> dict[str, Any]:
        """The answers that count (hidden questions' answers dropped), in question order."""
        kept = self.__dict__
        found = kept.get("answers")
        if found is None:
            found = kept["answers"] = self.pack.answers_of(self.record)
        return found

    @property
    def fired(self) -> tuple[RuleSpec, ...]:
        """The rules that hold, each with the reason of the branch that held
        (:meth:`as_held`)."""
        known = self[9]
        if known is not None:  # kept in the tuple, with no dict made (see the class)
            return self.as_held(known)
        kept = self.__dict__
        found = kept.get("fired")
        if found is None:
            known = kept.get("fired_found")
            if known is None:
                rules = self.pack.rules
                known = tuple(map(rules.__getitem__, self.pack.fired_in(self.record)))
            found = kept["fired"] = self.as_held(known)
        return found

    def as_held(self, rules: tuple[RuleSpec, ...]) -> tuple[RuleSpec, ...]:
        """The rules, each as it held with these answers: the reason of its branch known to
        hold, named as the person said it (:func:`triage.engine.held.as_held`)."""
        if not any(r.reason_when or r.definite_label for r in rules):
            return rules
        from triage.engine.held import as_held  # only rules with branches or doubts need it

        return as_held(self, rules)

    @property
    def doubts(self) -> dict[str, tuple[str, ...]]:
        """Rule id -> the "not sure" answers it holds on (:func:`triage.engine.doubts.doubts`)."""
        found: dict[str, tuple[str, ...]] | None = self.__dict__.get("doubts")
        if found is None:
            from triage.engine.doubts import doubts  # it reads outcomes: imported on use

            found = self.__dict__["doubts"] = doubts(self)
        return found

    def pending_questions(self, answers: dict[str, Any],
                          among: Iterable[str] | None = None) -> frozenset[str]:
        """The questions (of ``among``, else of the pack) a questionnaire stopped with
        ``answers`` (:attr:`answers`) could still have asked: no answer, and an ``ask_if``
        not known to be false, as :func:`triage.engine.evaluate.question_states` has them
        (the record keeps no answer whose gate was unknown). A gate reads only questions
        asked before its own: each is worked out once, from the answers and the questions
        its gate reads."""
        pack = self.pack
        found: dict[str, bool] = {}

        def pending(qid: str) -> bool:
            if qid in answers:
                return False
            known = found.get(qid)
            if known is None:
                gate = pack.question_by_id[qid].ask_if
                known = gate is None or truth(gate, State(
                    answers, {q for q in pack.gate_reads[qid] if pending(q)},
                    pack.shapes)) is not False
                found[qid] = known
            return known

        wanted = pack.question_order if among is None else among
        return frozenset(q for q in wanted if pending(q))

    @property
    def advice(self) -> dict[str, Text]:
        """label / action / timeframe / if_worse for the disposition, worded for a parent or
        carer where the answers are about a child (the pack's ``child_when``)."""
        pack = self.pack
        child = (self.disposition in pack.child_dispositions
                 and pack.about_child(pack.answers_of(self.record)))
        return pack.advice_for(self.disposition, child=child)

    @property
    def red_flags(self) -> tuple[RuleSpec, ...]:
        return self.pack.red_flag_rules

    @property
    def pack_id(self) -> str:
        return self.pack.id

    @property
    def pack_version(self) -> str:
        return self.pack.version

    @property
    def pack_hash(self) -> str:
        return self.pack.content_hash

    @property
    def tool_version(self) -> str:
        return __version__

    def fired_of(self, kind: str) -> tuple[RuleSpec, ...]:
        return tuple(r for r in self.fired if r.kind == kind)

    @property
    def red_flags_absent(self) -> tuple[RuleSpec, ...]:
        """Red flags checked and not present: every question they read was asked and answered,
        and no "not sure" among those answers could have made them hold.

        A flag that reads a question nobody was asked (its ``ask_if`` did not hold, e.g. the
        cauda equina questions for a shoulder problem) is *not asked*, never "absent"; one that
        a "not sure" leaves open is *not ruled out* (:attr:`red_flags_unsure`)."""
        asked = self._all_asked()
        unsure = self._unsure_flag_ids()
        return tuple(r for r in self._not_fired() if asked(r) and r.id not in unsure)

    @property
    def red_flags_unsure(self) -> tuple[RuleSpec, ...]:
        """Red flags not present on these answers, but that some definite answer in place of a
        "not sure" could make hold: not ruled out. Telling such a flag "checked and not
        present" would tell a person their doubt was settled. (A pack that counts "not sure"
        as yes fires a flag for the doubt itself; this lists the signs it leaves open.)"""
        unsure = self._unsure_flag_ids()
        return tuple(r for r in self._not_fired() if r.id in unsure) if unsure else ()

    def _unsure_flag_ids(self) -> frozenset[str]:
        """The ids of the flags :attr:`red_flags_unsure` lists, worked out once."""
        kept = self.__dict__
        found: frozenset[str] | None = kept.get("unsure_flags")
        if found is None:
            answers = self.answers
            doubted = frozenset(q for q, v in answers.items() if v == NOT_SURE
                                or (isinstance(v, frozenset) and NOT_SURE in v))
            found = frozenset()
            if doubted:
                # each doubted question as still open: three-valued, a flag that no answer
                # to it could make hold comes out False (e.g. a child's flag at 40)
                known = {q: v for q, v in answers.items() if q not in doubted}
                state = State(known, doubted, self.pack.shapes)
                asked = self._all_asked()
                found = frozenset(r.id for r in self._not_fired() if r.reads & doubted
                                  and asked(r) and truth(r.when, state) is not False)
            kept["unsure_flags"] = found
        return found

    @property
    def red_flags_not_asked(self) -> tuple[RuleSpec, ...]:
        """Red flags not present because some question they read was not asked: they did not
        apply to these answers (a knee rule for a neck problem), so nothing was checked."""
        asked = self._all_asked()
        return tuple(r for r in self._not_fired() if not asked(r))

    def _all_asked(self) -> Callable[[RuleSpec], bool]:
        """Whether every question a rule reads was asked. The questions asked only when no
        place is chosen (the ``problem_with_no_place`` of a place question: "do you have
        pain?") count as asked once a place is chosen: a flag on the back that also holds for
        a problem with no place was checked when the back was chosen and its questions were
        answered. So do the later answers that name a place (``named_later``: the conditions,
        for sciatica), which a questionnaire stopped early never reaches. A question and the
        questions that repeat it (asked again later, for those it was not asked) count as one:
        the cauda equina signs answered with the back chosen were checked, although their
        repeat after the conditions was not asked."""
        kept = self.__dict__
        found: Callable[[RuleSpec], bool] | None = kept.get("all_asked")
        if found is not None:
            return found
        answers = self.answers
        answered = answers.keys()
        placed: set[str] = set()
        for qid, read in self.pack.counted_as_asked:
            if answers.get(qid):
                placed |= read
        for members in self.pack.repeat_families:
            if members & answered:
                placed |= members
        found = kept["all_asked"] = (
            lambda rule: rule.reads.difference(answered).issubset(placed))
        return found

    # the name before "not asked" and "absent" were told apart for every flag (issue 14)
    red_flags_not_applicable = red_flags_not_asked

    def red_flag_status(self) -> dict[str, str]:
        """Every red flag of the pack: ``present``, ``absent`` (asked, not present),
        ``not_ruled_out`` (not present, but a question it reads was answered "not sure"),
        ``not_asked`` (its questions did not apply) or ``not_checked`` (the questionnaire
        stopped first), in pack order."""
        status = {r.id: "not_checked" for r in self.red_flags_unchecked}
        status.update({r.id: "present" for r in self.fired_of(RED_FLAG)})
        status.update({r.id: "absent" for r in self.red_flags_absent})
        status.update({r.id: "not_ruled_out" for r in self.red_flags_unsure})
        status.update({r.id: "not_asked" for r in self.red_flags_not_asked})
        return {r.id: status[r.id] for r in self.red_flags}

    @property
    def safety_net(self) -> tuple[RuleSpec, ...]:
        """Safety-netting for this presentation: notes marked ``safety_net`` that hold and apply
        to this disposition (what to watch for, and what to do then)."""
        return tuple(r for r in self.fired if r.kind == NOTE and r.safety_net
                     and note_applies(self.disposition, True, r.show_with, r.urgency))

    @property
    def techniques(self) -> tuple[Text, ...]:
        """Techniques of the indications that hold and go with this result
        (:func:`technique_supports`), without those an ``avoid_technique`` contraindication
        leaves out (compared in the pack's first language); none unless the result is a
        therapy: techniques next to "see a doctor first" read as a go-ahead."""
        supports = technique_supports(self.disposition, self.soft_tissue_struck)
        if not supports:
            return ()
        lang = self.pack.languages[0]
        avoided = {t.get(lang) for r in self.fired_of(CONTRAINDICATION)
                   if r.effect == AVOID_TECHNIQUE for t in r.techniques}
        shown: dict[str | None, Text] = {}
        for r in self.fired_of(INDICATION):
            if r.supports not in supports:
                continue
            for t in r.techniques:
                if t.get(lang) not in avoided:
                    shown.setdefault(t.get(lang), t)
        return merge_named(tuple(shown.values()), lang)

    @property
    def notes(self) -> tuple[RuleSpec, ...]:
        """Notes that are advice, not safety-netting, shown with this result."""
        return tuple(r for r in self.fired if r.kind == NOTE and not r.safety_net
                     and note_applies(self.disposition, False, r.show_with, r.urgency))

    def _not_fired(self) -> tuple[RuleSpec, ...]:
        skip = {r.id for r in self.fired} | {r.id for r in self.red_flags_unchecked}
        return tuple(r for r in self.red_flags if r.id not in skip)

    @property
    def urgency(self) -> int:
        return URGENCY[self.disposition]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready record of the outcome (texts in every language of the pack)."""
        def rule(r: RuleSpec) -> dict[str, Any]:
            source: dict[str, Any] = {"citation": r.source.citation, "year": r.source.year,
                                      "kind": r.source.kind}
            # every rule that holds is listed (it is data); the words of one that does not go
            # with this result (routine advice next to care today) are left out, and said so
            shown = rule_said_with(self.disposition, r)
            if r.source.note is not None and shown:  # the pack's own words, in every language
                source["note"] = r.source.note
            out: dict[str, Any] = {"id": r.id, "kind": r.kind, "shown": shown}
            if shown:
                out["reason"] = r.reason
            out["source"] = source
            for name in ("disposition", "effect", "note", "supports"):
                if getattr(r, name) and (shown or name != "note"):
                    out[name] = getattr(r, name)
            if r.techniques and shown:
                out["techniques"] = list(r.techniques)
            if shown and self.doubts.get(r.id):  # said next to the reason, in a record too
                out["not_sure"] = list(self.doubts[r.id])
            return out

        return {
            "disposition": self.disposition,
            "advice": self.advice,
            "main_red_flag": self.main_red_flag,
            "fired": [rule(r) for r in self.fired],
            "urgency": {"rank": URGENCY[self.disposition], "level": LEVEL[self.disposition]},
            "safety_net": [{"id": r.id, "text": r.reason} for r in self.safety_net],
            "techniques": list(self.techniques),
            "red_flags": self.red_flag_status(),
            "red_flags_absent": [r.id for r in self.red_flags_absent],
            "red_flags_not_ruled_out": [r.id for r in self.red_flags_unsure],
            "red_flags_not_asked": [r.id for r in self.red_flags_not_asked],
            "red_flags_unchecked": [r.id for r in self.red_flags_unchecked],
            "soft_tissue_struck": self.soft_tissue_struck,
            "points": {"soft_tissue": self.points[0], "physiotherapy": self.points[1]},
            "indications_fired": self.indicated,
            "answers": {k: sorted(v) if isinstance(v, frozenset) else v
                        for k, v in self.answers.items()},
            "ignored_answers": list(self.ignored_answers),
            "pack": {"id": self.pack_id, "version": self.pack_version, "hash": self.pack_hash},
            "tool_version": self.tool_version,
        }
