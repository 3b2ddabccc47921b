"""The Record value: validation, JSON round trip, and a repr safe for logs."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from triage.records import Record, record_from_dict, record_to_dict
from triage.records.model import format_ts, new_id, parse_ts

MakeRecord = Callable[..., Record]

answer_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**53), max_value=2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=10), max_size=4),
)
answers = st.dictionaries(st.text(min_size=1, max_size=20), answer_values, max_size=8)


def test_repr_shows_no_answers_outcome_disposition_or_name(
    make_record: MakeRecord, caplog: pytest.LogCaptureFixture
) -> None:
    record = make_record(
        answers={"note": "SECRET-ANSWER-aa1", "pain": 98765},
        outcome={"why": "SECRET-OUTCOME-bb2"},
        disposition="SECRET-DISPOSITION-cc3",
        caller_name="SECRET-NAME-dd4",
    )
    logging.getLogger("triage-test").warning("saved %r / %s", record, record)
    for text in (repr(record), str(record), caplog.text):
        for secret in ("SECRET-ANSWER", "98765", "SECRET-OUTCOME", "SECRET-DISP", "SECRET-NAME"):
            assert secret not in text
    assert record.id in repr(record) and record.caller_ref in repr(record)


def test_records_are_frozen(make_record: MakeRecord) -> None:
    record = make_record()
    with pytest.raises(AttributeError):
        record.status = "stopped"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "done"}, "status"),
        ({"answers": {"q": True}}, "answer to 'q'"),
        ({"answers": {"q": float("nan")}}, "finite"),
        ({"answers": {"q": ["a", 1]}}, "list of text"),
        ({"answers": {"q": {"nested": 1}}}, "answer to 'q'"),
        ({"caller_ref": ""}, "caller reference"),
    ],
)
def test_invalid_records_are_refused_without_echoing_values(
    make_record: MakeRecord, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        make_record(**change)
    assert "nan" not in str(caught.value).lower().replace("finite", "")


def test_outcome_must_be_json(make_record: MakeRecord) -> None:
    with pytest.raises((TypeError, ValueError)):
        make_record(outcome={"when": datetime.now(UTC)})


@given(answers=answers)
def test_record_survives_a_json_round_trip(answers: dict[str, object]) -> None:
    from triage.records import new_record

    record = new_record(
        caller_ref="C-1",
        desk="d",
        staff="s",
        answers=answers,  # type: ignore[arg-type]
        disposition="rmt",
        outcome={"a": [1, 2]},
        pack_id="p",
        pack_version="1",
        pack_hash="h",
        tool_version="0.1.0",
    )
    assert record_from_dict(json.loads(json.dumps(record_to_dict(record)))) == record


def test_timestamps_are_fixed_width_utc_and_sort_as_text() -> None:
    moments = [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=5))),
        datetime(2026, 1, 2, 3, 4, 5, 1, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    stamps = [format_ts(m) for m in moments]
    assert all(len(s) == 27 and s.endswith("Z") for s in stamps)
    assert sorted(stamps) == [format_ts(m) for m in sorted(moments)]
    assert [parse_ts(s) for s in stamps] == moments
    with pytest.raises(ValueError):
        format_ts(datetime(2026, 1, 1))


def test_ids_are_short_unambiguous_and_distinct() -> None:
    ids = {new_id() for _ in range(10_000)}
    assert len(ids) == 10_000
    assert all(len(i) == 12 and not set(i) & set("ilou") for i in ids)


def test_sets_of_options_are_stored_as_sorted_lists(make_record: MakeRecord) -> None:
    record = make_record(answers={"where": frozenset({"neck", "back"}), "order": ("b", "a")})
    assert record.answers == {"where": ["back", "neck"], "order": ["b", "a"]}
