"""Validation of a whole rule pack: every problem found, located, then compiled.

Order of work: YAML (triage.pack.yamlio) -> models per file (pydantic, errors mapped back to
lines) -> cross-file checks (ids, texts, references, ask_if cycles, reachability, cases) ->
a :class:`~triage.pack.compiled.CompiledPack`. Problems are collected, never raised one at a time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from triage.conditions.checker import ConditionChecker
from triage.conditions.tree import (
    Cond,
    NumExpr,
    QuestionShape,
    questions_read,
)
from triage.engine.policy import (
    CONTRAINDICATION,
    INDICATION,
    NOTE,
    RED_FLAG,
)
from triage.pack import models as m
from triage.pack.ask_order import ask_order, break_gate_cycles
from triage.pack.assemble import assemble
from triage.pack.check_cases import check_cases
from triage.pack.check_places import check_places, repeat_problems
from triage.pack.check_questions import question_shape_problems
from triage.pack.check_recency import recency_problems
from triage.pack.check_rule_effects import (
    avoided_technique_problems,
    branch_caller_reason_problems,
    definite_label_problems,
    disposition_text_problems,
    unlabelled_rule_problems,
)
from triage.pack.check_texts import citation_problems, text_problems
from triage.pack.compiled import CompiledPack
from triage.pack.gc_pause import building_long_lived
from triage.pack.located import Collected, DocPath, Located
from triage.pack.pydantic_errors import pydantic_problems
from triage.pack.satisfiable import satisfiable
from triage.pack.sources import PackFileBytes
from triage.pack.yamldoc import YamlDocument
from triage.pack.yamlio import control_character_problems, parse_yaml_bytes
from triage.problems import Problem, did_you_mean, display_path

SECTION_MODELS: dict[str, type[BaseModel]] = {
    "questions": m.Question, "scores": m.Score, "red_flags": m.RedFlag,
    "contraindications": m.Contraindication, "indications": m.Indication, "notes": m.Note,
    "cases": m.Case}
SECTIONS = ("pack", *SECTION_MODELS)
RULE_SECTIONS = {"red_flags": RED_FLAG, "contraindications": CONTRAINDICATION,
                 "indications": INDICATION, "notes": NOTE}
CONDITION_FIELDS = {**dict.fromkeys(RULE_SECTIONS, "when"), "questions": "ask_if",
                    "scores": "expression"}


# --------------------------------------------------------------------------- the checker


class PackChecker:
    def __init__(self, pack_dir: Path, files: list[PackFileBytes], pack_hash: str) -> None:
        self.pack_dir = pack_dir
        self.files = files
        self.pack_hash = pack_hash
        self.problems: list[Problem] = []
        self.collected = Collected()
        self.languages: tuple[str, ...] = ("en",)
        self.broken_ids: set[str] = set()  # items that failed validation: no cascades
        # their conditions, checked all the same: (document, path, condition)
        # (the item, where in it, the condition, whether a score's number)
        self.held_conditions: list[tuple[Located, DocPath, Any, bool]] = []
        # where each pack file that could not be read fails first (files in tests/ aside):
        # such a file may define any question, score or rule, so "unknown" would be a cascade
        self.unreadable: list[Problem] = []
        self.unknown_names_held_back = 0  # in cases' answers (see ConditionChecker for rules)
        self.reads: dict[int, frozenset[str]] = {}  # id(rule condition) -> questions it reads
        self.reason_when: dict[str, tuple[Cond, ...]] = {}  # rule id -> its branches' conditions

    def run(self) -> CompiledPack | None:
        for f in self.files:
            self._read_file(f)
        meta = self._meta()
        if meta is None:
            return None
        self.languages = tuple(meta.model.languages)
        self.problems += text_problems(self.collected, self.languages)
        self.problems += citation_problems(self.collected)
        questions = self._questions()
        checker = ConditionChecker(questions, score_names=frozenset(
            s.model.id for s in self.collected.scores), broken=frozenset(self.broken_ids),
            names_incomplete=bool(self.unreadable))
        self._scores(checker)
        gates = self._gates(checker)
        places, named, place_problems = check_places(self.question_items, checker,
                                                     self._reporter)
        self.problems += place_problems
        self.problems += repeat_problems(self.question_items)
        self.problems += recency_problems(self.question_items)
        order = self._ask_order(gates)
        rule_conds = self._rules(checker)
        child_when = self._child_when(meta, checker)
        self._held_conditions(checker)
        self.problems += disposition_text_problems(self.collected, meta)
        self.problems += avoided_technique_problems(self.collected, self.languages)
        self.problems += unlabelled_rule_problems(self.collected)
        self.problems += definite_label_problems(self.collected)
        self.problems += branch_caller_reason_problems(self.collected)
        reachable = self._reachability(order, gates, questions)
        self._rule_reads(rule_conds, reachable)
        if not any(p.is_error for p in self.problems):
            self._unused(rule_conds, gates, checker)
        cases = self._cases(questions)
        self._note_names_held_back(checker.unknown_names_held_back
                                   + self.unknown_names_held_back)
        if any(p.is_error for p in self.problems):
            return None
        return assemble(meta, order, gates, rule_conds, cases, languages=self.languages,
                        question_items=self.question_items, places=places, named=named,
                        reads_of=self.reads, reason_when=self.reason_when,
                        child_when=child_when, pack_dir=self.pack_dir,
                        pack_hash=self.pack_hash)

    # -- files ----------------------------------------------------------------------------

    def _read_file(self, f: PackFileBytes) -> None:
        shown = display_path(f.path)
        doc, problems = parse_yaml_bytes(f.data, shown)
        self.problems += problems
        if doc is None or problems:
            if not f.relative.startswith("tests/"):  # those hold cases only
                self.unreadable.append(min(problems, default=Problem(shown, 1, 1, "")))
            return
        self.problems += control_character_problems(doc)
        if doc.data is None:
            self.problems.append(Problem(shown, 1, 1, "the file is empty", "warning"))
            return
        if not isinstance(doc.data, dict):
            self.problems.append(doc.problem((), "a rule pack file must be a mapping of "
                                                 "sections (pack, questions, red_flags, ...)"))
            return
        if f.relative.startswith("tests/"):
            other = sorted(set(doc.data) - {"cases"})
            for key in other:
                self.problems.append(doc.problem((key,), f"files in tests/ hold only 'cases' "
                                                         f"(found '{key}')", key=True))
        c = self.collected
        for key, value in doc.data.items():
            if key == "pack":
                meta = self._validate(m.PackMeta, doc, ("pack",))
                if meta is not None:
                    c.metas.append(Located(meta, doc, ("pack",)))
                continue
            model = SECTION_MODELS.get(key)
            if model is None:
                self.problems.append(doc.problem(
                    (key,), f"unknown section '{key}'{did_you_mean(key, SECTIONS)} "
                            f"(sections: {', '.join(SECTIONS)})", key=True))
                continue
            if value is None:
                continue
            if not isinstance(value, list):
                self.problems.append(doc.problem((key,), f"'{key}' must be a list "
                                                         f"(lines starting with '- ')"))
                continue
            for i, raw in enumerate(value):
                item = self._validate(model, doc, (key, i))
                if item is None:
                    if isinstance(raw, dict):
                        self._hold_condition(doc, (key, i), raw)
                    continue
                located = Located(item, doc, (key, i))
                if key == "questions":
                    c.questions.append(located)
                elif key == "scores":
                    c.scores.append(located)
                elif key == "cases":
                    c.cases.append(located)
                else:
                    c.rules.append((RULE_SECTIONS[key], located))

    def _hold_condition(self, doc: YamlDocument, path: DocPath, raw: dict[Any, Any]) -> None:
        """An item that failed validation: its id is known to be broken (no cascade of
        "unknown" where it is used), and its condition (a score's expression) is still
        checked with the others, so that one run names every mistake (a misspelt answer in
        a rule whose priority is also wrong was found only once the priority was mended)."""
        if isinstance(raw.get("id"), str):
            self.broken_ids.add(raw["id"])
        item = Located(raw, doc, path)
        name = CONDITION_FIELDS.get(str(path[0]))
        numeric = name == "expression"  # a score's: a number, not a condition
        # (an expression that is not text is the model's problem, said once by it)
        if name is not None and raw.get(name) is not None and (
                not numeric or isinstance(raw[name], str)):
            self.held_conditions.append((item, (name,), raw[name], numeric))
        branches = raw.get("reason_when") if name == "when" else None
        for i, branch in enumerate(branches if isinstance(branches, list) else ()):
            if isinstance(branch, dict) and branch.get("when") is not None:
                self.held_conditions.append((item, ("reason_when", i, "when"), branch["when"],
                                             False))

    def _held_conditions(self, checker: ConditionChecker) -> None:
        for item, below, raw, numeric in self.held_conditions:
            check = checker.numeric if numeric else checker.condition
            check(raw, self._reporter(item, *below))

    def _validate(self, model: type[BaseModel], doc: YamlDocument, path: DocPath) -> Any:
        data: Any = doc.data
        for part in path:
            data = data[part]
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems += pydantic_problems(doc, exc, base=path)
            return None

    def _meta(self) -> Located | None:
        metas = self.collected.metas
        if not metas:
            if not any(p.is_error for p in self.problems):
                named = [f for f in self.files if f.relative == "pack.yaml"] or self.files
                first = display_path(named[0].path)
                self.problems.append(Problem(first, 1, 1, "no 'pack:' section in any file of "
                                                          "the pack (id, version, title, ...)"))
            return None
        for extra in metas[1:]:
            self.problems.append(extra.problem(
                f"a second 'pack:' section (the first is in {metas[0].doc.file})", key=True))
        return metas[0]

    def _child_when(self, meta: Located, checker: ConditionChecker) -> Cond | None:
        """The pack's condition for answers given about a child (its texts for a parent)."""
        said = meta.model.child_when
        if said is None:
            return None
        return checker.condition(said, self._reporter(meta, "child_when"))

    # -- questions ------------------------------------------------------------------------

    def _questions(self) -> dict[str, QuestionShape]:
        shapes: dict[str, QuestionShape] = {}
        first_seen: dict[str, Located] = {}
        for item in self.collected.questions:
            q: m.Question = item.model
            if q.id in first_seen:
                self.problems.append(item.problem(
                    f"duplicate question id '{q.id}' (first defined at "
                    f"{first_seen[q.id].location()})", "id"))
                continue
            first_seen[q.id] = item
            self.problems += question_shape_problems(item)
            options = tuple(o.id for o in q.options or ())
            shapes[q.id] = QuestionShape(q.id, q.type, options,
                                         None if q.min is None else float(q.min),
                                         None if q.max is None else float(q.max), q.integer)
        self.question_items = first_seen
        return shapes

    # -- scores ---------------------------------------------------------------------------

    def _scores(self, checker: ConditionChecker) -> None:
        scores: dict[str, NumExpr] = {}
        checker.scores = scores
        for item in self.collected.scores:
            s: m.Score = item.model
            if s.id in scores or s.id in checker.questions:
                self.problems.append(item.problem(
                    f"duplicate id '{s.id}' (a question or score has it already)", "id"))
                continue
            node = checker.numeric(s.expression, self._reporter(item, "expression"))
            if node is not None:
                scores[s.id] = node
            else:  # reported once, here: not again where the score is used
                checker.broken |= {s.id}

    def _reporter(self, item: Located, *below: str | int) -> Any:
        def report(path: DocPath, offset: int, message: str) -> None:
            self.problems.append(item.problem(message, *below, *path, offset=offset))
        return report

    # -- ask_if ---------------------------------------------------------------------------

    def _gates(self, checker: ConditionChecker) -> dict[str, Cond | None]:
        gates: dict[str, Cond | None] = {}
        for qid, item in self.question_items.items():
            q: m.Question = item.model
            if q.ask_if is None:
                gates[qid] = None
                continue
            node = checker.condition(q.ask_if, self._reporter(item, "ask_if"))
            gates[qid] = node
            if node is not None and qid in questions_read(node):
                self.problems.append(item.problem(f"'{qid}' cannot depend on its own answer",
                                                  "ask_if"))
                gates[qid] = None
        self._cycles(gates)
        return gates

    def _cycles(self, gates: dict[str, Cond | None]) -> None:
        for cycle in break_gate_cycles(gates):
            item = self.question_items[cycle[0]]
            self.problems.append(item.problem(
                "ask_if conditions form a cycle: " + " -> ".join(cycle), "ask_if"))

    def _ask_order(self, gates: dict[str, Cond | None]) -> list[str]:
        screen = {qid: bool(item.model.red_flag_screen)
                  for qid, item in self.question_items.items()}
        return ask_order(gates, list(self.question_items), screen)

    # -- rules ----------------------------------------------------------------------------

    def _rules(self, checker: ConditionChecker) -> list[tuple[str, Located, Cond | None]]:
        seen: dict[str, Located] = {}
        out = []
        for kind, item in self.collected.rules:
            rule = item.model
            if rule.id in seen:
                self.problems.append(item.problem(
                    f"duplicate rule id '{rule.id}' (first defined at "
                    f"{seen[rule.id].location()})", "id"))
                continue
            seen[rule.id] = item
            node = checker.condition(rule.when, self._reporter(item, "when"))
            if node is not None:
                self.reads[id(node)] = questions_read(node)
            branches = [checker.condition(b.when, self._reporter(item, "reason_when", i, "when"))
                        for i, b in enumerate(rule.reason_when)]
            self.reason_when[rule.id] = tuple(b for b in branches if b is not None)
            out.append((kind, item, node))
        self.rule_items = seen
        return out

    def _reachability(self, order: list[str], gates: dict[str, Cond | None],
                      shapes: dict[str, QuestionShape]) -> dict[str, bool]:
        reachable: dict[str, bool] = {}
        for qid in order:
            gate = gates.get(qid)
            if gate is None:
                reachable[qid] = True
                continue
            reachable[qid] = satisfiable(gate, shapes, gates, reachable)
            if not reachable[qid]:
                self.problems.append(self.question_items[qid].problem(
                    f"question '{qid}' can never be asked: its ask_if is never true", "ask_if"))
        return reachable

    def _rule_reads(self, rules: list[tuple[str, Located, Cond | None]],
                    reachable: dict[str, bool]) -> None:
        never = frozenset(qid for qid, can in reachable.items() if not can)
        for _, item, node in rules:
            if node is None or never.isdisjoint(self.reads[id(node)]):
                continue
            for qid in sorted(self.reads[id(node)] & never):
                self.problems.append(item.problem(
                    f"rule '{item.model.id}' reads question '{qid}', which can never be "
                    f"asked", "when"))

    def _unused(self, rules: list[tuple[str, Located, Cond | None]],
                gates: dict[str, Cond | None], checker: ConditionChecker) -> None:
        used: set[str] = set()
        for _, _, node in rules:
            if node is not None:
                used |= self.reads[id(node)]
        for gate in gates.values():
            if gate is not None:
                used |= questions_read(gate)
        for qid, item in self.question_items.items():
            if qid not in used:
                self.problems.append(item.problem(
                    f"question '{qid}' is not used by any rule or ask_if; it will never be "
                    f"asked", "id", severity="warning"))

    # -- cases ----------------------------------------------------------------------------

    def _cases(self, shapes: dict[str, QuestionShape]) -> list[tuple[Located, dict[str, Any]]]:
        checked, problems, held_back = check_cases(
            self.collected.cases, shapes, self.rule_items, self.broken_ids, bool(self.unreadable))
        self.problems += problems
        self.unknown_names_held_back += held_back
        return checked

    def _note_names_held_back(self, count: int) -> None:
        """One note instead of a cascade: names no readable file defines were not reported,
        because a file that does not read as YAML may define them."""
        if count and self.unreadable:
            first = min(self.unreadable)
            self.problems.append(Problem(
                first.file, first.line, first.col,
                f"not reported: {count} uses of questions or scores that no other file "
                f"defines (this file may define them: check again once it reads)", "note"))

    # -- compile --------------------------------------------------------------------------


def check_files(pack_dir: Path, files: list[PackFileBytes],
                pack_hash: str) -> tuple[CompiledPack | None, list[Problem]]:
    with building_long_lived():
        checker = PackChecker(pack_dir, files, pack_hash)
        pack = checker.run()
        problems = _once(sorted(checker.problems))
        del checker  # its documents and models go now, not into the collector's old age
    return pack, problems


def _once(problems: list[Problem]) -> list[Problem]:
    """Without the condition parser's "invalid non-printable character" where the control
    character check already named that character's line (one mistake, one problem)."""
    named = {(p.file, p.line) for p in problems
             if p.message.startswith("control characters (")}
    if not named:
        return problems
    return [p for p in problems if (p.file, p.line) not in named
            or "non-printable character" not in p.message]
