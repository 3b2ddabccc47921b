"""The answers taken back (Back, then a changed answer) that the web keeps as defaults are
those the terminal's flow keeps, at every move. The web rebuilds its flow from the sealed
cookie on every request and keeps what that flow keeps (``Flow.earlier``: it worked them out
itself before, ``_still_earlier``, and this sweep found the two equal at every move of all
724 cases' walks); the terminal keeps one flow. Random walks from the bundled pack's
cases, Back 1 to 4 questions at many points and from the result, an answer kept, changed to
another option or number, or an emergency answer confirmed or not, each web move through the
sealed cookie, compared after every move with one flow driven by the same moves."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pytest

from triage.engine.flow import Accepted, Flow
from triage.pack.compiled import CompiledPack
from triage.pack.specs import QuestionSpec
from triage.web import screening
from triage.web.state import Sealer, WebState

from .conftest import KEY


def norm(value: Any) -> Any:
    """An answer as a value to compare (a multiple choice as a set, however carried)."""
    return frozenset(value) if isinstance(value, list | tuple | set | frozenset) else value


def pairs(items: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((q, norm(v)) for q, v in items)


def some_answer(rnd: random.Random, question: QuestionSpec, *known: Any) -> Any:
    """An answer to ``question``: one of ``known`` (the case's, the default kept) or another."""
    known = tuple(k for k in known if k is not None)
    if known and rnd.random() < 0.6:
        value = rnd.choice(known)
        return sorted(value) if isinstance(value, frozenset | list) else value
    if question.type == "yes_no":  # a red flag now and then: most walks go on past them
        return "yes" if rnd.random() < (0.15 if question.red_flag_screen else 0.5) else "no"
    if question.type == "single":
        return rnd.choice(question.options).id
    if question.type == "multi":
        ids = [o.id for o in question.options]
        return sorted(rnd.sample(ids, rnd.randint(0, min(3, len(ids)))))
    low = int(question.min if question.min is not None else 0)
    high = int(question.max if question.max is not None else 120)
    return rnd.choice([low, high, rnd.randint(low, high), rnd.randint(low, high)])


@dataclass
class Walk:
    """One person's moves, on the web (through the sealed cookie) and on the terminal's flow."""

    pack: CompiledPack
    sealer: Sealer
    terminal: Flow
    web: WebState
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def sealed(self, state: WebState) -> WebState:
        opened = self.sealer.open(self.sealer.seal(state))
        if opened.earlier != state.earlier:  # a full cookie leaves out the oldest defaults
            self.count("trimmed")
            self.terminal.taken_back(opened.earlier)
        return opened

    def check(self, where: str) -> None:
        """The web's state and page against the terminal's flow."""
        web, flow = self.web, self.terminal
        assert pairs(web.answers) == pairs(flow.answers.items()), where
        assert pairs(web.earlier) == pairs(flow.earlier), (where, web.earlier, flow.earlier)
        page = screening.page_for(self.pack, web)
        if web.pending is not None:
            return
        if page.kind != "question":
            assert flow.finished, where
            return
        assert page.question is not None and flow.current is not None
        assert page.question.id == flow.current.id, where
        if web.prefill is not None and pairs(web.earlier[:1]) != pairs([web.prefill]):
            self.count("confirmation said no to")  # its answer shown, not a default
        else:
            assert norm(page.selected) == norm(flow.earlier_answer(page.question.id)), where
        self.count("checked")
        if page.selected is not None:
            self.count("defaults shown")

    def answer(self, value: Any, rnd: random.Random) -> None:
        question = self.terminal.current
        assert question is not None
        moved = screening.answer(self.pack, self.web, question.id, value)
        assert isinstance(moved, WebState), (question.id, value)
        if moved.pending is not None:
            self.web = self.sealed(moved)
            self.check(f"pending {question.id}")
            if rnd.random() < 0.3:  # "no, change it": nothing recorded, on either
                self.count("emergency not confirmed")
                self.web = self.sealed(screening.confirm(self.pack, self.web, yes=False))
                return
            self.count("emergency confirmed")
            moved = screening.confirm(self.pack, self.web, yes=True)
        before = self.terminal.earlier
        accepted = self.terminal.set_answer(question.id, value)
        assert isinstance(accepted, Accepted)
        assert moved.dropped == accepted.dropped, (question.id, value)
        self.count("answers")
        if len(self.terminal.earlier) < len(before) - (question.id in dict(before)):
            self.count("defaults removed")
        self.web = self.sealed(moved)

    def back(self) -> None:
        if self.web.pending is None:
            assert self.terminal.back() is not None
        self.web = self.sealed(screening.back(self.pack, self.web))
        self.count("backs")


def walks(pack: CompiledPack, cases: int, seed: int) -> dict[str, int]:
    rnd = random.Random(seed)
    sealer = Sealer([KEY], pack)
    totals: dict[str, int] = {}
    for case in rnd.sample(list(pack.cases), cases):
        walk = Walk(pack, sealer, Flow(pack, "en"),
                    sealer.open(sealer.seal(screening.start(WebState.new()))))
        rounds = 0
        for move in range(80):
            walk.check(f"{case.id} move {move}")
            flow = walk.terminal
            if flow.answers and (rnd.random() < 0.15 or flow.finished):
                if flow.finished and rounds >= 4:
                    break
                rounds += flow.finished
                for _ in range(rnd.randint(1, 4)):
                    if not walk.terminal.answers:
                        break
                    walk.back()
                continue
            question = flow.current
            if question is None:
                break
            walk.answer(some_answer(rnd, question, case.answers.get(question.id),
                                    flow.earlier_answer(question.id)), rnd)
        for what, n in walk.counts.items():
            totals[what] = totals.get(what, 0) + n
    return totals


@pytest.mark.long(14)
def test_the_web_keeps_the_defaults_the_terminals_flow_keeps(clinical: CompiledPack) -> None:
    totals = walks(clinical, 100, 20261208)
    assert totals["checked"] > 3000 and totals["defaults removed"] > 50, totals
    assert totals["defaults shown"] > 1500 and totals["backs"] > 1500, totals
    assert totals["emergency confirmed"] > 100 and totals["emergency not confirmed"] > 50, totals
