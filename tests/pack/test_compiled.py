"""The compiled pack's gate reads: what choosing the next question, the hidden-answer
search and ``triage verify``'s counter-examples follow from a question to the questions its
gate (``ask_if``), and their gates, read."""

from __future__ import annotations

from triage.pack.load import load_pack

BUNDLED = load_pack()
# (question, a question its gate reads whose own gate reads more than the first gate does)
GATES_BEHIND_GATES = [(q, d) for q, reads in BUNDLED.gate_reads.items() for d in sorted(reads)
                      if not BUNDLED.gate_reads.get(d, frozenset()) <= reads]


def test_the_bundled_pack_has_gates_behind_gates() -> None:
    assert GATES_BEHIND_GATES  # or the tests below would prove nothing


def test_with_a_question_come_what_its_gate_reads_and_what_their_gates_read() -> None:
    for q, d in GATES_BEHIND_GATES:
        assert BUNDLED.with_gates([q]) >= {q} | BUNDLED.gate_reads[q] | BUNDLED.gate_reads[d], q


def test_questions_with_no_gate_come_alone() -> None:
    ungated = {q.id for q in BUNDLED.questions if q.ask_if is None}
    assert ungated
    assert BUNDLED.with_gates(ungated) == ungated


def test_within_the_questions_given_only_those_are_followed() -> None:
    for q, _ in GATES_BEHIND_GATES:
        direct = BUNDLED.gate_reads[q]
        assert BUNDLED.with_gates([q], within=direct) == {q} | direct, q
        assert BUNDLED.with_gates([q], within=set()) == {q}
