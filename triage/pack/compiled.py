"""A validated rule pack in the form the engine runs: plain dataclasses.

Everything here is produced by :mod:`triage.pack.validate` after every check has passed, so the
engine can trust it. Texts are always ``{language: text}`` maps.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from triage.conditions.tree import YES_NO, Cond, questions_read
from triage.conditions.truth import State, truth
from triage.engine.policy import RED_FLAG
from triage.pack.specs import CaseSpec, QuestionSpec, RuleSpec, Text

# the fast decision code reads yes/no answers as True/False (see triage.pack.codegen)
_YES_NO_TEXT: dict[Any, str] = {True: "yes", False: "no"}
_YES_NO_VALUES: dict[Any, bool] = {"yes": True, "no": False}

# How many times a pack answers by interpreting its conditions before it compiles the code
# for the same job. Compiling the decision costs about as much as 50 interpreted evaluations
# (~15 ms against ~0.3 ms on the bundled pack), so a one-shot `assess`, or a questionnaire's
# first question, never pays for it and a batch pays once. Both give the same results:
# tests/engine/test_tiers.py checks them against each other.
COMPILE_AFTER = 32
COMPILED_JOBS = ("outcome", "partial", "fired")  # see CompiledPack.still_cold


CaseSource = tuple[CaseSpec, ...] | Callable[[], tuple[CaseSpec, ...]]


def top_level_parts(source: str) -> list[str]:
    """Generated ``source`` cut before each top-level ``def``, to be compiled one part at a
    time (in order, into one namespace): a large pack's code comes in several functions (see
    codegen.CHUNK), and compiling them one by one needs far less memory at once (the whole
    6,000-rule decision at once: 60 MB, 16,000 page faults) and less time. (Generated
    source holds no line break inside a literal: only ``repr`` of literals goes into it.)"""
    first, *functions = source.split("\ndef ")
    return [first, *("def " + f for f in functions)]


class DeferredCases:
    """``CompiledPack.cases``, which may be given as a function that reads them: the pack
    cache keeps the test cases apart (a third of a pack's data) and a run that never looks at
    them (``assess``, the questionnaire) never reads them."""

    def __get__(self, pack: CompiledPack | None, owner: type | None = None
                ) -> tuple[CaseSpec, ...]:
        if pack is None:
            raise AttributeError("cases")  # no default (see dataclasses: descriptor fields)
        found: CaseSource = pack.__dict__["_cases"]
        if not isinstance(found, tuple):
            found = pack.__dict__["_cases"] = found()
        return found

    def __set__(self, pack: CompiledPack, cases: CaseSource) -> None:
        pack.__dict__["_cases"] = cases


@dataclass
class CompiledPack:
    id: str
    version: str
    title: Text
    languages: tuple[str, ...]
    disclaimer: Text
    dispositions: dict[str, dict[str, Text]]  # disposition -> label/action/timeframe/if_worse
    both_threshold: int
    questions: tuple[QuestionSpec, ...]  # in asking order: red-flag screening first
    rules: tuple[RuleSpec, ...]  # red flags (most urgent first), contraindications, ...
    content_hash: str
    # tuple[CaseSpec, ...] (see DeferredCases: required, although mypy sees a default)
    cases: DeferredCases = DeferredCases()
    # Python source of the generated functions (see codegen), each made when first needed
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    root: str = ""  # where the pack was loaded from
    review_status: str = "draft"  # "reviewed" once a clinician signed the pack off
    # reception mode: disposition -> the parts the pack words about the patient (caller_*)
    caller_dispositions: dict[str, dict[str, Text]] = field(default_factory=dict)
    # answers about a child, given by a parent or carer (``child_when``): disposition -> the
    # parts the pack words for the parent (child_*)
    child_when: Cond | None = None
    child_dispositions: dict[str, dict[str, Text]] = field(default_factory=dict)
    _functions: dict[str, Callable[..., Any]] = field(
        default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.question_by_id = {q.id: q for q in self.questions}
        self.rule_by_id = {r.id: r for r in self.rules}
        self.shapes = {q.id: q.shape for q in self.questions}
        self.question_ids = frozenset(self.question_by_id)
        self.question_order = tuple(q.id for q in self.questions)
        self.yes_no_ids = tuple(q.id for q in self.questions if q.type == YES_NO)
        self.red_flag_rules = tuple(r for r in self.rules if r.kind == RED_FLAG)
        self._cold_calls: dict[str, int] = {}
        # the engine's complete-answer code (triage.engine.evaluate), made when first needed:
        # an attribute, not looked up in a dict, as it is read on every evaluation
        self.fast_outcome: Callable[[Mapping[str, Any]], Any] | None = None
        # (question, answer) -> (place among the red flags, urgency) of each red flag that
        # answer may make hold when its question does not apply
        # (triage.engine.hidden.stated_flags): worked out once per answer
        self.hidden_answer_flags: dict[tuple[str, Any], tuple[tuple[int, int], ...]] = {}
        # what a search for such a flag found (triage.engine.hidden), by what it read
        self.hidden_sign_memo: dict[tuple[Any, ...], Any] = {}

    @cached_property
    def counted_as_asked(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(question, the questions it makes count as asked once it has an answer): what a
        place question's ``problem_with_no_place`` and ``named_later`` conditions read, and
        what the ``named_later`` of any other question reads (the later answers that imply
        one of its answers: a questionnaire stopped early never reaches them; see
        :meth:`triage.engine.outcome.Outcome.red_flags_not_asked`); worked out once a pack."""
        out = []
        for q in self.questions:
            read: set[str] = set()
            if q.places is not None:
                if q.places.problem_with_no_place is not None:
                    read |= questions_read(q.places.problem_with_no_place)
                for later in q.places.named_later:
                    read |= questions_read(later.when)
            for named in q.named_later:
                read |= questions_read(named.when)
            if read - {q.id}:
                out.append((q.id, frozenset(read - {q.id})))
        return tuple(out)

    @cached_property
    def gate_reads(self) -> dict[str, frozenset[str]]:
        """Question -> the questions its ``ask_if`` reads, for each question with a gate:
        read for every pending question each time the next question is chosen, so walked
        once a pack."""
        return {q.id: questions_read(q.ask_if) for q in self.questions if q.ask_if is not None}

    def with_gates(self, questions: Iterable[str], within: Container[str] | None = None
                   ) -> set[str]:
        """``questions`` and the questions their gates read, the questions those gates read,
        and so on; with ``within``, only through the questions in it."""
        found = set(questions)
        todo = list(found)
        reads = self.gate_reads.get
        while todo:
            for dep in reads(todo.pop(), ()):
                if dep not in found and (within is None or dep in within):
                    found.add(dep)
                    todo.append(dep)
        return found

    @cached_property
    def repeat_families(self) -> tuple[frozenset[str], ...]:
        """Each question asked again later (``repeats``) with its repeats: one question for
        the red flags' status."""
        family: dict[str, set[str]] = {}
        for q in self.questions:
            family.setdefault(q.repeats or q.id, set()).add(q.id)
        return tuple(frozenset(m) for m in family.values() if len(m) > 1)

    def still_cold(self, job: str) -> bool:
        """True for the first :data:`COMPILE_AFTER` calls of ``job`` (counted here): the caller
        then interprets the conditions instead of compiling code for them."""
        n = self._cold_calls.get(job, 0)
        if n >= COMPILE_AFTER:
            return False
        self._cold_calls[job] = n + 1
        return True

    def warm_up(self) -> None:
        """Compile from the next call on: for callers that will make many (and for tests of
        the compiled code)."""
        self._cold_calls.update(dict.fromkeys(COMPILED_JOBS, COMPILE_AFTER))

    def __getstate__(self) -> dict[str, Any]:
        # outcomes hold their pack and may cross process boundaries (multiprocessing):
        # generated code is rebuilt from the checked specs on the other side
        state = dict(self.__dict__)
        state["_cases"] = self.cases  # read now: a function reading them does not travel
        state["_functions"] = {}
        for derived in ("question_by_id", "rule_by_id", "shapes", "question_ids",
                        "question_order", "yes_no_ids", "red_flag_rules",
                        "fast_decision", "fast_outcome", "two_valued_outcome",
                        "compiled_partial",
                        "hidden_answer_flags", "hidden_sign_memo", "counted_as_asked",
                        "repeat_families", "gate_reads"):
            state.pop(derived, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def function(self, name: str, runtime: Mapping[str, Any] | None = None
                 ) -> Callable[..., Any]:
        """A generated function, compiled on first use; ``runtime``: names its code finds in
        its namespace besides its own (see codegen.OUTCOME_RUNTIME)."""
        found = None if runtime else self._functions.get(name)
        if found is None:
            namespace: dict[str, Any] = dict(runtime or {})
            if name not in self.sources:
                # imported here: a pack's first calls interpret (see still_cold), so a
                # one-off assessment never loads the code generator (about 8 ms of imports)
                from triage.pack.codegen import generate
                self.sources.update(generate(self.questions, self.rules, (name,)))
            where = f"<rule pack {self.id} {self.version}: {name}>"
            for part in top_level_parts(self.sources[name]):
                exec(compile(part, where, "exec"), namespace)  # generated: see codegen
            found = namespace[name]
            if not runtime:  # with a runtime, the caller keeps the function
                self._functions[name] = found
        return found

    @cached_property
    def fast_decision(self) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
        """The unguarded decision code (see :mod:`triage.pack.codegen`): raises ``KeyError`` or
        ``TypeError`` when an answer is missing or not in normal form; then use
        ``function("_decide_safe")``. :meth:`decide` does both."""
        return self.function("_decide_fast")

    def decide(self, answers: Mapping[str, Any]) -> tuple[Any, ...]:
        """What a disposition needs (see :mod:`triage.pack.codegen`), compiled on first use."""
        try:
            return self.fast_decision(answers)
        except (KeyError, TypeError):  # an answer is missing: use the guarded code
            pass  # (outside this handler: the error may quote an answer)
        return self.function("_decide_safe")(answers)  # type: ignore[no-any-return]

    def answers_of(self, record: tuple[Any, ...]) -> dict[str, Any]:
        """The answers in a decision's record (see :mod:`triage.pack.codegen`), in normal form."""
        answers = {qid: v for qid, v in zip(self.question_order, record, strict=True)
                   if v is not None}
        for qid in self.yes_no_ids:  # held as True/False
            v = answers.get(qid)
            if v is True or v is False:
                answers[qid] = _YES_NO_TEXT[v]
        return answers

    def record_of(self, answers: Mapping[str, Any]) -> tuple[Any, ...]:
        """A record (see :mod:`triage.pack.codegen`) of answers that all count."""
        return tuple(_YES_NO_VALUES.get(answers.get(q.id)) if q.type == YES_NO
                     else answers.get(q.id) for q in self.questions)

    def fired_in(self, record: tuple[Any, ...]) -> list[int]:
        """Indices of every rule that holds, given a decision's record."""
        if "fired" not in self._functions and self.still_cold("fired"):
            settled = State(self.answers_of(record), frozenset(), self.shapes)
            return [i for i, rule in enumerate(self.rules) if truth(rule.when, settled) is True]
        return self.function("fired")(record)  # type: ignore[no-any-return]

    def fired_indices(self, answers: Mapping[str, Any]) -> list[int]:
        """Indices of every rule that holds for ``answers`` (hidden answers ignored)."""
        return self.fired_in(self.decide(answers)[6])

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def advice_text(self, disposition: str, part: str, lang: str, *,
                    caller: bool = False) -> str:
        """A disposition's ``part`` (label, action, timeframe, if_worse) in ``lang``;
        ``caller``: as reception staff read it about the patient, when the pack words it so
        (``caller_<part>``), else as the patient reads it."""
        said = self.caller_dispositions.get(disposition, {}).get(part) if caller else None
        return self.text(said or self.dispositions[disposition][part], lang)

    def about_child(self, answers: Mapping[str, Any]) -> bool:
        """Whether ``answers`` are about a child, given by a parent or carer: the pack's
        ``child_when`` holds (a question it reads that has no answer makes it not hold)."""
        return self.child_when is not None and truth(
            self.child_when, State(dict(answers), frozenset(), self.shapes)) is True

    def advice_for(self, disposition: str, *, child: bool) -> dict[str, Text]:
        """A disposition's texts (label, action, timeframe, if_worse) as the person reads
        them; ``child``: for a parent or carer answering for a child, each part the pack
        words so (``child_<part>``) in place of the patient's own."""
        own = self.dispositions[disposition]
        for_parent = self.child_dispositions.get(disposition) if child else None
        return {**own, **for_parent} if for_parent else own

    def text(self, text: Text | None, lang: str) -> str:
        """``text`` in ``lang``, falling back to the pack's default language."""
        if not text:
            return ""
        return text.get(lang) or text.get(self.default_language) or next(iter(text.values()))
