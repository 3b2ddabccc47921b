"""GoRules zen-engine (the ``zen-engine`` Python package): the whole triage as ONE decision graph.

The graph (JDM) is  input -> red flags -> score rules -> totals -> output:

* ``red flags``: a decision table, hit policy ``first``, one row per red flag in priority order
  (ties in file order), each row's condition one ZEN expression; a last catch-all row gives "".
  First-hit in priority order *is* "highest priority wins".
* ``score rules``: a decision table, hit policy ``collect``, one row per score rule with output
  columns ``st`` and ``pt``; the matched rows land as a list under ``hits``.
* ``totals``: an expression node summing ``hits`` into soft-tissue/physio points, counting them,
  and choosing the decision with the ``both`` threshold, exactly as the reference does.

Four ways of calling it are measured, so that zen-engine is shown at its best:

* ``evaluate``: ``ZenDecision.evaluate`` once per answer set, the plain synchronous call. In this
  binding each synchronous call builds (and tears down) a multi-threaded async runtime: strace
  shows two thread spawns per call, which is most of its cost at small rule sets.
* ``static``: ``ZenEngine({"loader": ...}).evaluate(key, ctx)`` once per answer set: the
  engine loads the graph once through its loader and caches it (the mode zen-engine documents
  for serving many requests);
* ``batch``: ``ZenEngine.evaluate_batch`` over chunks of answer sets; it spreads each chunk over
  worker threads, so it uses both cores.
* ``async``: ``ZenDecision.async_evaluate`` for a chunk of answer sets gathered on one asyncio
  loop; also uses both cores.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from benchmarks.common import Answer, InProcessEvaluator, Result, Ruleset
from benchmarks.workload import red_flags_by_priority

try:
    import zen
except ImportError:  # pragma: no cover - depends on the environment
    zen = None  # type: ignore[assignment]

_CMP = {"eq": "==", "ne": "!=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
GRAPH_KEY = "triage.json"
DEFAULT_CHUNK = 256  # evaluate_batch: 100-500 were best on a 2-core machine
ASYNC_CHUNK = 16  # async_evaluate: 16-64 were best on a 2-core machine


def available() -> bool:
    return zen is not None


def version() -> str:
    from importlib.metadata import version as v

    return v("zen-engine")


def _lit(value: Any) -> str:
    # JSON literals are ZEN literals for the types used here (strings, numbers, booleans, lists)
    return json.dumps(value)


def expression(c: Mapping[str, Any]) -> str:
    """A canonical condition tree as one ZEN expression."""
    if "all" in c:
        return "(" + " and ".join(expression(x) for x in c["all"]) + ")"
    if "any" in c:
        return "(" + " or ".join(expression(x) for x in c["any"]) + ")"
    if "not" in c:
        return "not (" + expression(c["not"]) + ")"
    fact, op, value = c["fact"], c["op"], c["value"]
    if op == "in":
        return f"({fact} in {_lit(value)})"
    if op == "not_in":
        return f"({fact} not in {_lit(value)})"
    return f"({fact} {_CMP[op]} {_lit(value)})"


def _node(node_id: str, kind: str, content: dict[str, Any] | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": node_id,
        "type": kind,
        "name": node_id,
        "position": {"x": 0, "y": 0},
    }
    if content is not None:
        node["content"] = content
    return node


def _table(
    hit_policy: str, outputs: list[str], rows: list[dict[str, str]], output_path: str | None
) -> dict[str, Any]:
    return {
        "hitPolicy": hit_policy,
        # keep the answers flowing to the next node, so each node sees the facts
        "passThrough": True,
        "inputField": None,
        "outputPath": output_path,
        "executionMode": "single",
        # one input column without a field: each cell is a whole boolean expression
        "inputs": [{"id": "when", "name": "when", "type": "expression"}],
        "outputs": [{"id": o, "name": o, "field": o, "type": "expression"} for o in outputs],
        "rules": rows,
    }


def graph(ruleset: Ruleset) -> dict[str, Any]:
    """The JDM decision graph for a canonical rule set."""
    threshold = int(ruleset["both_threshold"])
    rules = ruleset["rules"]
    reds = red_flags_by_priority(rules)
    scores = [r for r in rules if r["kind"] == "score"]
    red_rows = [{"_id": r["id"], "when": expression(r["when"]), "red": _lit(r["id"])} for r in reds]
    red_rows.append({"_id": "none", "when": "", "red": '""'})
    score_rows = [
        {
            "_id": r["id"],
            "when": expression(r["when"]),
            "st": str(int(r["score"]["soft_tissue"])),
            "pt": str(int(r["score"]["physio"])),
        }
        for r in scores
    ]
    decision = (
        f'red != "" ? "see_doctor" : ($.st >= {threshold} and $.pt >= {threshold} ? "both" : '
        '($.st > $.pt ? "soft_tissue" : "physio"))'
    )
    totals = {
        "passThrough": False,
        "inputField": None,
        "outputPath": None,
        "executionMode": "single",
        "expressions": [
            {"id": "st", "key": "st", "value": "sum(map(hits, #.st))"},
            {"id": "pt", "key": "pt", "value": "sum(map(hits, #.pt))"},
            {"id": "n", "key": "n", "value": "len(hits)"},
            {"id": "red", "key": "red", "value": "red"},
            {"id": "decision", "key": "decision", "value": decision},
        ],
    }
    nodes = [
        _node("input", "inputNode"),
        _node("red_flags", "decisionTableNode", _table("first", ["red"], red_rows, None)),
        _node(
            "score_rules", "decisionTableNode", _table("collect", ["st", "pt"], score_rows, "hits")
        ),
        _node("totals", "expressionNode", totals),
        _node("output", "outputNode"),
    ]
    chain = ["input", "red_flags", "score_rules", "totals", "output"]
    edges = [
        {"id": f"e{i}", "type": "edge", "sourceId": a, "targetId": b}
        for i, (a, b) in enumerate(pairwise(chain))
    ]
    return {"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges}


def _to_result(out: Mapping[str, Any]) -> Result:
    # ZEN numbers may come back as floats (sums); the reference speaks ints
    return [out["decision"], out["red"], int(out["st"]), int(out["pt"]), int(out["n"])]


class ZenEvaluator(InProcessEvaluator):
    """``ZenDecision.evaluate`` once per answer set."""

    def __init__(self, ruleset: Ruleset) -> None:
        if zen is None:
            raise RuntimeError("zen-engine is not installed (pip install -e '.[bench]')")
        self.content = json.dumps(graph(ruleset))
        self.engine = zen.ZenEngine()
        self.decision = self.engine.create_decision(self.content)

    def evaluate(self, answer: Answer) -> Result:
        return _to_result(self.decision.evaluate(dict(answer))["result"])

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        ev = self.decision.evaluate
        return [_to_result(ev(a)["result"]) for a in answers]  # type: ignore[arg-type]


class ZenStaticEvaluator(ZenEvaluator):
    """``ZenEngine.evaluate(key, ctx)`` with a static loader, once per answer set."""

    def __init__(self, ruleset: Ruleset) -> None:
        super().__init__(ruleset)
        content = self.content
        self.engine = zen.ZenEngine({"loader": lambda key: content})

    def evaluate(self, answer: Answer) -> Result:
        return _to_result(self.engine.evaluate(GRAPH_KEY, dict(answer))["result"])

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        ev = self.engine.evaluate
        return [_to_result(ev(GRAPH_KEY, a)["result"]) for a in answers]  # type: ignore[arg-type]


class ZenBatchEvaluator(ZenEvaluator):
    """``ZenEngine.evaluate_batch`` over chunks of ``chunk`` answer sets."""

    def __init__(self, ruleset: Ruleset, chunk: int = DEFAULT_CHUNK) -> None:
        super().__init__(ruleset)
        content = self.content
        # the batch API names decisions by key and asks a loader for them (it caches them)
        self.engine = zen.ZenEngine({"loader": lambda key: content})
        self.chunk = chunk

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        out: list[Result] = []
        batch = self.engine.evaluate_batch
        for i in range(0, len(answers), self.chunk):
            reqs = [{"key": GRAPH_KEY, "context": a} for a in answers[i : i + self.chunk]]
            for j, res in enumerate(batch(reqs)):  # type: ignore[arg-type]
                if not res.get("success"):
                    raise RuntimeError(f"zen batch item {i + j} failed: {res.get('error')}")
                out.append(_to_result(res["data"]["result"]))
        return out


class ZenAsyncEvaluator(ZenEvaluator):
    """``ZenDecision.async_evaluate`` for ``chunk`` answer sets at a time, gathered."""

    def __init__(self, ruleset: Ruleset, chunk: int = ASYNC_CHUNK) -> None:
        super().__init__(ruleset)
        self.chunk = chunk

    async def _many(self, answers: Sequence[Answer]) -> list[Result]:
        ev = self.decision.async_evaluate
        out: list[Result] = []
        for i in range(0, len(answers), self.chunk):
            done = await asyncio.gather(*[ev(a) for a in answers[i : i + self.chunk]])  # type: ignore[arg-type]
            out += [_to_result(r["result"]) for r in done]
        return out

    def evaluate_many(self, answers: Sequence[Answer]) -> list[Result]:
        return asyncio.run(self._many(answers))


def build(ruleset: Ruleset) -> ZenEvaluator:
    return ZenEvaluator(ruleset)


def build_static(ruleset: Ruleset) -> ZenStaticEvaluator:
    return ZenStaticEvaluator(ruleset)


def build_batch(ruleset: Ruleset) -> ZenBatchEvaluator:
    # the loader (and so the compile) runs lazily at the first request; the harness times
    # build() plus one first evaluation for every engine, which covers that
    return ZenBatchEvaluator(ruleset)


def build_async(ruleset: Ruleset) -> ZenAsyncEvaluator:
    return ZenAsyncEvaluator(ruleset)
