"""``extract --batch``: one JSON line out per line in, in order; bad lines do not stop it."""

from __future__ import annotations

import json

import pytest

from evidence_kit.extract.batch import run_batch


def _run(lines: list[str]) -> list[dict]:
    return [json.loads(out) for out in run_batch(lines)]


def test_good_lines_in_order() -> None:
    lines = [
        json.dumps({"id": "a", "text": "本期应还：¥1,234.56", "reference": None}),
        json.dumps({"id": 2, "text": "昨天 22:08", "reference": "2025-03-21T10:00:00"}),
        json.dumps({"id": "c", "text": "3月21日"}),
    ]
    out = _run(lines)
    assert [o["id"] for o in out] == ["a", 2, "c"]
    assert out[0]["amounts"][0]["value"] == "1234.56"
    assert out[0]["amounts"][0]["label"] == "本期应还"
    assert out[1]["dates"] == [
        {"value": "2025-03-20T22:08:00", "text": "昨天 22:08", "start": 0, "end": 8}
    ]
    assert out[2]["dates"] == []
    assert set(out[0]) == {
        "id",
        "amounts",
        "dates",
        "phones",
        "id_cards",
        "bank_cards",
        "contract_numbers",
        "platforms",
        "companies",
        "ranges",
        "durations",
    }


@pytest.mark.parametrize(
    ("line", "expected_id", "message_part"),
    [
        ("not json", None, "not valid JSON"),
        ("[1, 2]", None, "JSON object"),
        ('{"id": 7}', 7, "text"),
        ('{"id": 8, "text": 5}', 8, "text"),
        ('{"id": 9, "text": "x", "reference": "yesterday"}', 9, "reference"),
        ('{"id": 10, "text": "x", "reference": 5}', 10, "reference"),
        ("", None, "empty"),
    ],
    ids=[
        "garbage",
        "array",
        "no-text",
        "text-not-string",
        "bad-reference",
        "reference-number",
        "empty",
    ],
)
def test_bad_line_reports_and_goes_on(line: str, expected_id: object, message_part: str) -> None:
    good = json.dumps({"id": "ok", "text": "罚息50元"})
    out = _run([line, good])
    assert out[0] == {"id": expected_id, "error": out[0]["error"]}
    assert message_part in out[0]["error"]
    assert out[1]["id"] == "ok" and out[1]["amounts"][0]["value"] == "50"


def test_reference_with_z_and_date_only() -> None:
    lines = [
        json.dumps({"id": 1, "text": "今天", "reference": "2025-03-21T23:30:00Z"}),
        json.dumps({"id": 2, "text": "今天", "reference": "2025-03-21"}),
    ]
    assert [o["dates"][0]["value"] for o in _run(lines)] == ["2025-03-21", "2025-03-21"]


def test_output_is_utf8_not_escaped() -> None:
    (line,) = run_batch([json.dumps({"id": 1, "text": "罚息50元"})])
    assert "罚息" in line and "\n" not in line
