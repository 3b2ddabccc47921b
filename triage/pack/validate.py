"""Validation of a whole rule pack: every problem found, located, then compiled.

Order of work: YAML (triage.pack.yamlio) -> models per file (pydantic, errors mapped back to
lines) -> cross-file checks (ids, texts, references, ask_if cycles, reachability, cases) ->
a :class:`~triage.pack.compiled.CompiledPack`. Problems are collected, never raised one at a time.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from triage.conditions.checker import ConditionChecker
from triage.conditions.tree import (
    MULTI,
    NUMBER,
    SINGLE,
    YES_NO,
    Cond,
    NumExpr,
    QuestionShape,
    numeric_thresholds,
    questions_read,
)
from triage.conditions.truth import State, truth
from triage.engine.policy import (
    CONTRAINDICATION,
    DISPOSITIONS,
    INDICATION,
    NOTE,
    RED_FLAG,
    precedence,
)
from triage.pack import models as m
from triage.pack.compiled import CompiledPack
from triage.pack.gc_pause import building_long_lived
from triage.pack.sources import PackFileBytes
from triage.pack.specs import CaseSpec, Location, OptionSpec, QuestionSpec, RuleSpec, SourceRef
from triage.pack.yamlio import YamlDocument, parse_yaml_bytes
from triage.problems import Problem, did_you_mean, display_path

DocPath = tuple[str | int, ...]
SECTION_MODELS: dict[str, type[BaseModel]] = {
    "questions": m.Question, "scores": m.Score, "red_flags": m.RedFlag,
    "contraindications": m.Contraindication, "indications": m.Indication, "notes": m.Note,
    "cases": m.Case}
SECTIONS = ("pack", *SECTION_MODELS)
RULE_SECTIONS = {"red_flags": RED_FLAG, "contraindications": CONTRAINDICATION,
                 "indications": INDICATION, "notes": NOTE}
_ALL_FIELDS = sorted({name for model in (m.PackFile, m.PackMeta, m.Question, m.Option,
                                         m.RedFlag, m.Contraindication, m.Indication, m.Note,
                                         m.Score, m.Case, m.Source, m.DispositionText,
                                         m.Dispositions, m.Points, m.TherapyPolicy)
                      for name in model.model_fields})
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
MAX_ENUMERATION = 20_000


@dataclass
class Located:
    """A validated model and where it came from."""

    model: Any
    doc: YamlDocument
    path: DocPath

    def problem(self, message: str, *below: str | int, key: bool = False, offset: int = 0,
                severity: str = "error") -> Problem:
        return self.doc.problem((*self.path, *below), message, key=key, offset=offset,
                                severity=severity)

    def location(self) -> Location:
        line, col = self.doc.mark(self.path)
        return Location(self.doc.file, line, col)


@dataclass
class _Collected:
    metas: list[Located] = field(default_factory=list)
    questions: list[Located] = field(default_factory=list)
    scores: list[Located] = field(default_factory=list)
    rules: list[tuple[str, Located]] = field(default_factory=list)
    cases: list[Located] = field(default_factory=list)


# --------------------------------------------------------------------------- pydantic errors


def _walk(data: Any, loc: Sequence[Any], base: DocPath) -> tuple[DocPath, list[Any]]:
    """Split a pydantic error location into the part that exists in the data and the rest."""
    path: list[str | int] = list(base)
    rest: list[Any] = []
    node = data
    for part in base:
        node = node[part]
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            node = node[part]
            path.append(part)
        else:
            rest.append(part)
    return tuple(path), rest


def _plain(err: Any, doc: YamlDocument, path: DocPath, rest: list[Any]) -> tuple[str, bool]:
    """(message in plain words, whether to point at the key rather than the value)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if kind == "missing":
        return f"missing required field '{err['loc'][-1]}'", False
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        return f"unknown field '{name}'{did_you_mean(name, _ALL_FIELDS)}", True
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        return (f"'{value}' is not allowed here; use {expected}"
                f"{did_you_mean(str(value), options)}"), False
    if kind == "string_type":
        raw = doc.raw_scalar(path)
        if raw is not None and doc.mark(path) and value is None:
            return "this has no value", False
        if raw is not None:
            return f"expected text; put it in quotes: '{raw}'", False
        return "expected text", False
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern == "^[a-z]{2}$":
            hint = (" (a comma inside {...} starts a new entry: put the text in quotes)"
                    if " " in str(value) else "")
            return f"'{value}' is not a two-letter language code such as 'en' or 'fr'{hint}", \
                False
        return (f"'{value}' is not a valid id: use lower-case letters, digits and _, "
                f"starting with a letter"), False
    messages = {
        "int_type": "expected a whole number",
        "float_type": "expected a number",
        "bool_type": "expected true or false",
        "list_type": "expected a list (lines starting with '- ')",
        "dict_type": "expected a mapping (key: value lines)",
        "model_type": "expected a mapping (key: value lines)",
        "string_too_short": "must not be empty",
        "too_short": "must not be empty",
    }
    if kind in messages:
        return messages[kind], False
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        words = {"greater_than_equal": "at least", "less_than_equal": "at most",
                 "greater_than": "more than", "less_than": "less than"}[kind]
        bound = next(iter(ctx.values()), "")
        return f"must be {words} {bound}", False
    return str(err["msg"]), False


def pydantic_problems(doc: YamlDocument, exc: ValidationError,
                      base: DocPath = ()) -> list[Problem]:
    entries = []
    for err in exc.errors(include_url=False):
        path, rest = _walk(doc.data, err["loc"], base)
        entries.append((path, rest, err))
    kept = []
    for path, rest, err in entries:
        is_type_mismatch = err["type"].endswith("_type") or err["type"] == "literal_error"
        if rest and is_type_mismatch and any(
                len(other) > len(path) and other[: len(path)] == path
                for other, _, _ in entries):
            continue  # a union branch that failed early while another got further
        kept.append((path, rest, err))
    by_path: dict[DocPath, list[tuple[str, bool]]] = {}
    for path, rest, err in kept:
        by_path.setdefault(path + (("<missing>", err["loc"][-1]) if err["type"] == "missing"
                                   else ()), []).append(_plain(err, doc, path, rest))
    problems = []
    for key_path, messages in by_path.items():
        path = key_path[:-2] if len(key_path) >= 2 and key_path[-2] == "<missing>" else key_path
        texts = list(dict.fromkeys(msg for msg, _ in messages))
        if set(texts) >= {"expected text", "expected a mapping (key: value lines)"}:
            texts = ["expected text, or a map of language code to text (en: ..., fr: ...)"]
        problems.append(doc.problem(path, " or ".join(texts), key=messages[0][1]))
    return problems


# --------------------------------------------------------------------------- the checker


class PackChecker:
    def __init__(self, pack_dir: Path, files: list[PackFileBytes], pack_hash: str) -> None:
        self.pack_dir = pack_dir
        self.files = files
        self.pack_hash = pack_hash
        self.problems: list[Problem] = []
        self.collected = _Collected()
        self.languages: tuple[str, ...] = ("en",)
        self.broken_ids: set[str] = set()  # items that failed validation: no cascades
        self.reads: dict[int, frozenset[str]] = {}  # id(rule condition) -> questions it reads

    def run(self) -> CompiledPack | None:
        for f in self.files:
            self._read_file(f)
        meta = self._meta()
        if meta is None:
            return None
        self.languages = tuple(meta.model.languages)
        self._check_texts()
        questions = self._questions()
        checker = ConditionChecker(questions, score_names=frozenset(
            s.model.id for s in self.collected.scores), broken=frozenset(self.broken_ids))
        self._scores(checker)
        gates = self._gates(checker)
        order = self._ask_order(gates)
        rule_conds = self._rules(checker)
        reachable = self._reachability(order, gates, questions)
        self._rule_reads(rule_conds, reachable)
        if not any(p.is_error for p in self.problems):
            self._unused(rule_conds, gates, checker)
        cases = self._cases(questions)
        if any(p.is_error for p in self.problems):
            return None
        return self._compile(meta, order, gates, rule_conds, cases)

    # -- files ----------------------------------------------------------------------------

    def _read_file(self, f: PackFileBytes) -> None:
        shown = display_path(f.path)
        doc, problems = parse_yaml_bytes(f.data, shown)
        self.problems += problems
        if doc is None or problems:
            return
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
                    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
                        self.broken_ids.add(raw["id"])
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

    # -- texts ----------------------------------------------------------------------------

    def _check_texts(self) -> None:
        c = self.collected
        items: list[Located] = [*c.metas, *c.questions, *c.scores, *(r for _, r in c.rules)]
        for item in items:
            for below, text in _texts(item.model):
                self._check_text(item, below, text)

    def _check_text(self, item: Located, below: DocPath, text: str | dict[str, str]) -> None:
        langs = self.languages
        if isinstance(text, str):
            if len(langs) > 1:
                item_problem = item.problem(
                    f"give this text in every language of the pack ({', '.join(langs)}), "
                    f"e.g. 'en: ...' and 'fr: ...'", *below)
                self.problems.append(item_problem)
            elif not text.strip():
                self.problems.append(item.problem("the text is empty", *below))
            return
        for code, value in text.items():
            if code not in langs:
                self.problems.append(item.problem(
                    f"'{code}' is not a language of this pack ({', '.join(langs)})",
                    *below, code, key=True))
            elif not value.strip():
                self.problems.append(item.problem("the text is empty", *below, code))
        for code in langs:
            if code not in text:
                name = LANGUAGE_NAMES.get(code, code)
                self.problems.append(item.problem(f"missing {name} ('{code}') text", *below))

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
            self._question_shape(item)
            options = tuple(o.id for o in q.options or ())
            shapes[q.id] = QuestionShape(q.id, q.type, options,
                                         None if q.min is None else float(q.min),
                                         None if q.max is None else float(q.max), q.integer)
        self.question_items = first_seen
        return shapes

    def _question_shape(self, item: Located) -> None:
        q: m.Question = item.model
        has_options = bool(q.options)
        if q.type in (SINGLE, MULTI):
            need = 2 if q.type == SINGLE else 1
            if len(q.options or ()) < need:
                self.problems.append(item.problem(
                    f"a '{q.type}' question needs at least {need} options", "type"))
            seen: set[str] = set()
            for i, o in enumerate(q.options or ()):
                if o.id in seen:
                    self.problems.append(item.problem(f"duplicate option id '{o.id}'",
                                                      "options", i, "id"))
                seen.add(o.id)
        elif has_options:
            self.problems.append(item.problem(f"a '{q.type}' question has no options; "
                                              f"remove 'options'", "options", key=True))
        if q.type == NUMBER:
            if q.min is None or q.max is None:
                self.problems.append(item.problem("a number question needs 'min' and 'max'",
                                                  "type"))
            elif q.min >= q.max:
                self.problems.append(item.problem("'min' must be less than 'max'", "min"))
        else:
            for name in ("unit", "min", "max"):
                if getattr(q, name) is not None:
                    self.problems.append(item.problem(
                        f"'{name}' is only for number questions", name, key=True))

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
        deps = {q: sorted(questions_read(g)) if g is not None else [] for q, g in gates.items()}
        color: dict[str, int] = {}
        reported: set[frozenset[str]] = set()
        for start in deps:
            if color.get(start):
                continue
            stack: list[tuple[str, Iterator[str]]] = [(start, iter(deps[start]))]
            color[start] = 1
            trail = [start]
            while stack:
                node, children = stack[-1]
                child = next(children, None)
                if child is None:
                    color[node] = 2
                    stack.pop()
                    trail.pop()
                    continue
                if color.get(child) == 1 and child != node:
                    cycle = [*trail[trail.index(child):], child]
                    key = frozenset(cycle)
                    if key not in reported:
                        reported.add(key)
                        item = self.question_items[cycle[0]]
                        self.problems.append(item.problem(
                            "ask_if conditions form a cycle: " + " -> ".join(cycle), "ask_if"))
                    for q in cycle:
                        gates[q] = None if q == cycle[0] else gates[q]
                elif not color.get(child):
                    color[child] = 1
                    trail.append(child)
                    stack.append((child, iter(deps.get(child, []))))

    def _ask_order(self, gates: dict[str, Cond | None]) -> list[str]:
        """Red-flag screening first, then file order, never before a question's gate inputs."""
        index = {qid: i for i, qid in enumerate(self.question_items)}
        screen = {qid: bool(item.model.red_flag_screen)
                  for qid, item in self.question_items.items()}
        deps = {q: questions_read(g) if g is not None else frozenset() for q, g in gates.items()}
        users: dict[str, list[str]] = {q: [] for q in gates}
        waiting = {q: len(deps[q]) for q in gates}
        for q, ds in deps.items():
            for d in ds:
                users.setdefault(d, []).append(q)
        heap = [(not screen[q], index[q], q) for q in gates if waiting[q] == 0]
        heapq.heapify(heap)
        order: list[str] = []
        while heap:
            _, _, q = heapq.heappop(heap)
            order.append(q)
            for u in users.get(q, []):
                waiting[u] -= 1
                if waiting[u] == 0:
                    heapq.heappush(heap, (not screen[u], index[u], u))
        # anything left is in a cycle (already reported); keep it so compilation can proceed
        order += [q for q in gates if q not in order]
        return order

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
        for _, item, node in rules:
            if node is None:
                continue
            for qid in sorted(self.reads[id(node)]):
                if not reachable.get(qid, True):
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
        from triage.engine.answers import check_answers

        seen: set[str] = set()
        out = []
        for item in self.collected.cases:
            case: m.Case = item.model
            if case.id in seen:
                self.problems.append(item.problem(f"duplicate case id '{case.id}'", "id"))
            seen.add(case.id)
            answers, answer_problems = check_answers(case.answers, shapes)
            for key, message in answer_problems:
                if key in self.broken_ids:
                    continue
                below: DocPath = ("answers", key) if key in case.answers else ("answers",)
                self.problems.append(item.problem(message, *below, key=key in case.answers
                                                  and message.startswith("unknown")))
            for field_name in ("fires", "not_fires"):
                for i, rid in enumerate(getattr(case, field_name)):
                    if rid not in self.rule_items and rid not in self.broken_ids:
                        self.problems.append(item.problem(
                            f"unknown rule '{rid}'{did_you_mean(rid, self.rule_items)}",
                            field_name, i))
            out.append((item, answers))
        return out

    # -- compile --------------------------------------------------------------------------

    def _compile(self, meta: Located, order: list[str], gates: dict[str, Cond | None],
                 rules: list[tuple[str, Located, Cond | None]],
                 cases: list[tuple[Located, dict[str, Any]]]) -> CompiledPack:
        lang = self.languages[0]

        def text(t: str | dict[str, str] | None) -> dict[str, str] | None:
            if t is None:
                return None
            return {lang: t} if isinstance(t, str) else dict(t)

        def req(t: str | dict[str, str]) -> dict[str, str]:
            out = text(t)
            assert out is not None
            return out

        questions = []
        for qid in order:
            item = self.question_items[qid]
            q: m.Question = item.model
            questions.append(QuestionSpec(
                id=q.id, type=q.type, text=req(q.text), caller_text=text(q.caller_text),
                help=text(q.help),
                options=tuple(OptionSpec(o.id, req(o.text), text(o.caller_text))
                              for o in q.options or ()),
                unit=text(q.unit), min=None if q.min is None else float(q.min),
                max=None if q.max is None else float(q.max), integer=q.integer,
                ask_if=gates.get(qid), red_flag_screen=q.red_flag_screen,
                location=item.location()))
        specs = []
        sources: dict[tuple[Any, ...], SourceRef] = {}
        shared_reads: dict[frozenset[str], frozenset[str]] = {}
        for file_index, (kind, item, node) in enumerate(rules):
            assert node is not None
            r = item.model
            s = r.source
            extra: dict[str, Any] = {}
            if kind == RED_FLAG:
                extra = {"disposition": r.disposition, "priority": r.priority}
            elif kind == CONTRAINDICATION:
                extra = {"effect": r.effect, "note": text(r.note)}
            elif kind == INDICATION:
                default = {"soft_tissue": (1, 0), "physiotherapy": (0, 1), "both": (1, 1)}
                points = ((r.points.soft_tissue, r.points.physiotherapy) if r.points
                          else default[r.supports])
                extra = {"supports": r.supports, "points": points,
                         "techniques": tuple(req(t) for t in r.techniques)}
            source_key = (s.citation, s.year, s.kind, s.url)
            source = sources.get(source_key)
            if source is None:  # one object per distinct source: packs cite a few, often
                source = sources[source_key] = SourceRef(*source_key)
            reads = self.reads[id(node)]
            reads = shared_reads.setdefault(reads, reads)
            specs.append((file_index, RuleSpec(
                id=r.id, kind=kind, when=node, reason=req(r.reason), label=text(r.label),
                source=source, location=item.location(), reads=reads, **extra)))
        ordered = tuple(spec for _, spec in sorted(
            specs, key=lambda entry: precedence(entry[1], entry[0])))
        case_specs = tuple(
            CaseSpec(item.model.id, item.model.description, answers, item.model.expect,
                     tuple(item.model.fires), tuple(item.model.not_fires), item.location())
            for item, answers in cases)
        pm: m.PackMeta = meta.model
        dispositions = {
            name: {part: req(getattr(getattr(pm.dispositions, name), part))
                   for part in ("label", "action", "timeframe", "if_worse")}
            for name in DISPOSITIONS}
        pack_questions = tuple(questions)
        return CompiledPack(
            id=pm.id, version=pm.version, title=req(pm.title), languages=self.languages,
            disclaimer=req(pm.disclaimer), dispositions=dispositions,
            both_threshold=pm.therapy_policy.both_threshold, questions=pack_questions,
            rules=ordered, cases=case_specs, content_hash=self.pack_hash,
            root=str(self.pack_dir))


_TEXT_FIELDS = frozenset({"text", "caller_text", "help", "unit", "title", "disclaimer", "reason",
                          "label", "note", "action", "timeframe", "if_worse"})


def _texts(model: BaseModel, below: DocPath = ()) -> Iterator[tuple[DocPath, Any]]:
    """Every user-facing text inside a model, with its path below the model."""
    for name, value in model.__dict__.items():  # the fields (extra ones are forbidden)
        if value is None:
            continue
        if name in _TEXT_FIELDS and isinstance(value, str | dict):
            yield (*below, name), value
        elif isinstance(value, BaseModel):
            yield from _texts(value, (*below, name))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, BaseModel):
                    yield from _texts(v, (*below, name, i))
                elif name == "techniques":
                    yield (*below, name, i), v


# --------------------------------------------------------------------------- satisfiability


def domain(shape: QuestionShape, thresholds: Iterable[float], *, can_be_absent: bool) -> list[Any]:
    """Representative answers of a question: every choice, or numbers around each threshold."""
    values: list[Any]
    if shape.type in (YES_NO, SINGLE):
        values = list(shape.choices)
    elif shape.type == MULTI:
        opts = shape.options
        if len(opts) <= 6:
            values = [frozenset(c) for r in range(len(opts) + 1)
                      for c in itertools.combinations(opts, r)]
        else:
            values = [frozenset(), frozenset(opts), *(frozenset({o}) for o in opts)]
    else:
        lo = shape.min if shape.min is not None else 0.0
        hi = shape.max if shape.max is not None else lo + 1
        points = {lo, hi}
        for t in thresholds:
            for v in (t - 1, t - 0.5, t, t + 0.5, t + 1):
                if lo <= v <= hi:
                    points.add(v)
        values = sorted(points)
    if can_be_absent:
        values.append(None)
    return values


def satisfiable(cond: Cond, shapes: dict[str, QuestionShape], gates: dict[str, Cond | None],
                reachable: dict[str, bool]) -> bool:
    """Whether some answers make ``cond`` true; True when there are too many to try."""
    reads = sorted(questions_read(cond))
    thresholds = numeric_thresholds(cond)
    domains = []
    for qid in reads:
        if not reachable.get(qid, True):
            domains.append([None])
        else:
            domains.append(domain(shapes[qid], thresholds.get(qid, ()),
                                  can_be_absent=gates.get(qid) is not None))
    total = 1
    for d in domains:
        total *= len(d)
    if total > MAX_ENUMERATION:
        return True
    for combo in itertools.product(*domains):
        answers = {q: v for q, v in zip(reads, combo, strict=True) if v is not None}
        if truth(cond, State(answers, frozenset(), shapes)):
            return True
    return False


def check_files(pack_dir: Path, files: list[PackFileBytes],
                pack_hash: str) -> tuple[CompiledPack | None, list[Problem]]:
    with building_long_lived():
        checker = PackChecker(pack_dir, files, pack_hash)
        pack = checker.run()
        problems = sorted(checker.problems)
        del checker  # its documents and models go now, not into the collector's old age
    return pack, problems
