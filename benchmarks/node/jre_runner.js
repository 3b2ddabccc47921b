#!/usr/bin/env node
// json-rules-engine runner for the triage benchmarks.
//
//   node jre_runner.js RULES.json [ROUNDS]  < answers.jsonl  > results.jsonl
//
// Reads every answer set (one JSON object a line) from stdin first, so that reading and parsing
// are outside the timed loop, then evaluates all of them ROUNDS times. Writes the result of the
// first round, one JSON array a line in input order, in the reference form
// [decision, red_flag_id, soft_tissue_points, physio_points, score_rules_matched], and closes
// with one line {"timing": {...}} holding the build time and each round's time in seconds,
// measured here inside Node (the Python side times the whole round trip separately).
'use strict';

const fs = require('fs');
const readline = require('readline');
const { Engine } = require('json-rules-engine');

const OPS = {
  eq: 'equal',
  ne: 'notEqual',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  in: 'in',
  not_in: 'notIn',
};

function toCondition(c) {
  if (c.all) return { all: c.all.map(toCondition) };
  if (c.any) return { any: c.any.map(toCondition) };
  if (c.not) return { not: toCondition(c.not) };
  const operator = OPS[c.op];
  if (!operator) throw new Error(`unknown operator ${c.op}`);
  return { fact: c.fact, operator, value: c.value };
}

function build(ruleset) {
  // allowUndefinedFacts stays false: every answer set has every fact, so a missing one is a bug.
  const engine = new Engine([], { allowUndefinedFacts: false });
  ruleset.rules.forEach((rule, index) => {
    let conditions = toCondition(rule.when);
    // json-rules-engine wants a boolean operator (all/any/not) at the top of a rule.
    if (conditions.fact !== undefined) conditions = { all: [conditions] };
    const params = { id: rule.id, index, priority: rule.priority };
    if (rule.kind === 'score') {
      params.st = rule.score.soft_tissue;
      params.pt = rule.score.physio;
    }
    engine.addRule({
      name: rule.id,
      // json-rules-engine priorities must be >= 1; they only order evaluation here, the
      // red-flag choice below uses the canonical priority itself.
      priority: Math.max(1, rule.priority),
      conditions,
      event: { type: rule.kind, params },
    });
  });
  return engine;
}

async function evaluate(engine, threshold, answer) {
  const { results } = await engine.run(answer);
  let red = '';
  let redPriority = -Infinity;
  let redIndex = Infinity;
  let st = 0;
  let pt = 0;
  let n = 0;
  for (const r of results) {
    const p = r.event.params;
    if (r.event.type === 'red_flag') {
      // highest priority wins; ties go to file order
      if (p.priority > redPriority || (p.priority === redPriority && p.index < redIndex)) {
        red = p.id;
        redPriority = p.priority;
        redIndex = p.index;
      }
    } else {
      st += p.st;
      pt += p.pt;
      n += 1;
    }
  }
  let decision;
  if (red) decision = 'see_doctor';
  else if (st >= threshold && pt >= threshold) decision = 'both';
  else if (st > pt) decision = 'soft_tissue';
  else decision = 'physio';
  return [decision, red, st, pt, n];
}

async function main() {
  const [rulesPath, roundsArg] = process.argv.slice(2);
  if (!rulesPath) {
    process.stderr.write('usage: node jre_runner.js RULES.json [ROUNDS] < answers.jsonl\n');
    process.exit(2);
  }
  const rounds = Math.max(1, parseInt(roundsArg || '1', 10));
  const ruleset = JSON.parse(fs.readFileSync(rulesPath, 'utf8'));

  const answers = [];
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim()) answers.push(JSON.parse(line));
  }

  let t0 = process.hrtime.bigint();
  const engine = build(ruleset);
  const buildS = Number(process.hrtime.bigint() - t0) / 1e9;

  const roundsS = [];
  let first = null;
  for (let r = 0; r < rounds; r++) {
    const out = new Array(answers.length);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < answers.length; i++) {
      out[i] = await evaluate(engine, ruleset.both_threshold, answers[i]);
    }
    roundsS.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (first === null) first = out;
    else if (JSON.stringify(out) !== JSON.stringify(first)) {
      throw new Error(`round ${r + 1} differs from round 1`);
    }
  }

  const lines = (first || []).map((res) => JSON.stringify(res));
  lines.push(JSON.stringify({ timing: { build_s: buildS, rounds_s: roundsS, n: answers.length } }));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err.stack || err}\n`);
  process.exit(1);
});
