from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from evidence_kit.errors import UsageError
from evidence_kit.ledger.events import Ledger
from evidence_kit.query.querydates import parse_query_amount, parse_query_date
from evidence_kit.query.search import excerpt, make_query, search

from .search_fixtures import sample_ledger

TZ = timezone(timedelta(hours=8))
REF = datetime(2025, 6, 1, 12, 0, tzinfo=TZ)


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        pytest.param("2025-03-01", (2025, 3, 1), (2025, 3, 2), id="iso-day"),
        pytest.param("2025-03", (2025, 3, 1), (2025, 4, 1), id="month-is-whole-month"),
        pytest.param("2025-12", (2025, 12, 1), (2026, 1, 1), id="december-rolls-year"),
        pytest.param("2025/3/1", (2025, 3, 1), (2025, 3, 2), id="slashes"),
        pytest.param("2025年3月1日", (2025, 3, 1), (2025, 3, 2), id="chinese-full"),
        pytest.param("2025年3月", (2025, 3, 1), (2025, 4, 1), id="chinese-month"),
        pytest.param("3月1日", (2025, 3, 1), (2025, 3, 2), id="month-day-reference-year"),
        pytest.param("20250301", (2025, 3, 1), (2025, 3, 2), id="compact"),
        pytest.param("２０２５－０３－０１", (2025, 3, 1), (2025, 3, 2), id="full-width"),
        pytest.param("2025", (2025, 1, 1), (2026, 1, 1), id="year"),
    ],
)
def test_query_dates(text: str, start: tuple[int, ...], end: tuple[int, ...]) -> None:
    r = parse_query_date(text, reference=REF, tz=TZ)
    assert r.start == datetime(*start, tzinfo=TZ)
    assert r.end == datetime(*end, tzinfo=TZ)


def test_month_day_takes_the_injected_year() -> None:
    r = parse_query_date("3月1日", reference=datetime(2031, 1, 5, tzinfo=TZ), tz=TZ)
    assert r.start.year == 2031


@pytest.mark.parametrize("text", ["2025-13-45", "2025-02-30", "abc", "", "3月32日", "2025-3-1x"])
def test_bad_dates_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_query_date(text, reference=REF, tz=TZ)
    assert e.value.hint and "2025-03-01" in e.value.hint


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3000", "3000"),
        ("3,000", "3000"),
        ("3千", "3000"),
        ("0.3万", "3000"),
        ("¥1234.56", "1234.56"),
        ("￥1,234.56", "1234.56"),
        ("3000元", "3000"),
        ("1.2k", "1200"),
        ("１２３", "123"),
        ("三千元", "3000"),
    ],
)
def test_query_amounts(text: str, value: str) -> None:
    assert parse_query_amount(text) == Decimal(value)


@pytest.mark.parametrize("text", ["abc", "", "1,23", "3000 4000", "--5"])
def test_bad_amounts_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        parse_query_amount(text)


def test_make_query_checks_order_and_names() -> None:
    with pytest.raises(UsageError, match="more than"):
        make_query(min_amount="5000", max_amount="3千", reference=REF)
    with pytest.raises(UsageError, match="after"):
        make_query(date_from="2025-04", date_to="2025-03", reference=REF)
    with pytest.raises(UsageError, match="kind"):
        make_query(kinds=["photo"], reference=REF)
    with pytest.raises(UsageError, match="side"):
        make_query(side="both", reference=REF)


# ---------------------------------------------------------------- running queries


@pytest.fixture
def led(tmp_path):  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    yield ledger, ids
    ledger.close()


def ids_of(ledger: Ledger, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    words = kw.pop("words", None)
    return [h.entry.id for h in search(ledger, make_query(words, reference=REF, **kw))]


def test_no_filters_lists_everything_oldest_first_undated_last(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    assert ids_of(ledger) == [ids["bill"], ids["chat"], ids["note"], ids["april"], ids["undated"]]


def test_long_word_uses_the_trigram_index_and_shows_the_message(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    hits = search(ledger, make_query("协商还款", reference=REF))
    assert [h.entry.id for h in hits] == [ids["chat"]]
    m = hits[0].matches[0]
    assert m.where == "message" and m.side and m.side.value == "them"
    assert m.highlighted() == "可以为您登记«协商还款»方案"
    assert hits[0].snippet == "可以为您登记«协商还款»方案"


def test_short_word_falls_back_to_substring(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    assert ids_of(ledger, words="罚息") == [ids["chat"]]
    assert ids_of(ledger, words="逾期") == [ids["chat"], ids["note"]]
    # Two words: both must occur (one short, one long).
    assert ids_of(ledger, words="逾期 紧急联系人") == [ids["note"]]


def test_fts_syntax_characters_are_plain_text(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    for words in [
        '"引号"',
        "a*b",
        "(括号)",
        "50%",
        "下划线_",
        '"',
        "*",
        "()",
        "NEAR(a b)",
        "x OR y",
    ]:
        found = ids_of(ledger, words=words)
        expected = (
            [ids["undated"]] if words not in ('"', "*", "()", "NEAR(a b)", "x OR y") else None
        )
        if expected is not None:
            assert found == expected, words
        else:
            assert found in ([], [ids["undated"]]), words
    assert ids_of(ledger, words="%") == [ids["undated"]]  # LIKE wildcard escaped
    underscore = ids_of(ledger, words="_")  # in names like Screenshot_…, not a wildcard
    assert ids["undated"] in underscore and ids["note"] not in underscore


def test_dates_filter_on_occurred_at(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    assert ids_of(ledger, date_from="2025-03", date_to="2025-03") == [
        ids["bill"],
        ids["chat"],
        ids["note"],
    ]
    assert ids_of(ledger, date_from="3月5日", date_to="3月5日") == [ids["chat"]]
    assert ids_of(ledger, date_from="2025/4/1") == [ids["april"]]
    assert ids_of(ledger, date_to="2025-03-01") == [ids["bill"]]  # a bare date is that day


def test_amounts_as_written(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    for lo, hi in [("3000", "3000"), ("3,000", "3千"), ("0.3万", "3000元")]:
        assert ids_of(ledger, min_amount=lo, max_amount=hi) == [ids["chat"], ids["april"]]
    assert ids_of(ledger, min_amount="3250") == [ids["note"]]
    hits = search(ledger, make_query(min_amount="100", max_amount="200", reference=REF))
    assert [h.amounts for h in hits] == [("128.50",)]


def test_label_and_amount_hold_for_the_same_amount(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    assert ids_of(ledger, labels=["罚息"]) == [ids["chat"]]
    assert ids_of(ledger, labels=["罚息"], min_amount="1000") == []  # 3000 is 逾期金额, not 罚息
    assert ids_of(ledger, labels=["逾期"], min_amount="1000") == [ids["chat"]]


def test_kind_and_side(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    assert ids_of(ledger, kinds=["bill", "note"]) == [ids["bill"], ids["note"]]
    assert ids_of(ledger, words="分期还款", side="me") == [ids["chat"]]
    assert ids_of(ledger, words="分期还款", side="them") == []
    assert ids_of(ledger, side="me") == [ids["chat"]]
    # An amount said by them vs by me.
    assert ids_of(ledger, min_amount="500", max_amount="500", side="me") == [ids["chat"]]
    assert ids_of(ledger, min_amount="500", max_amount="500", side="them") == []
    hits = search(ledger, make_query(min_amount="500", max_amount="500", side="me", reference=REF))
    assert hits[0].matches[0].highlighted() == "我想申请分期还款，每期«500元»"


def test_everything_together(led) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = led
    assert ids_of(
        ledger,
        words="逾期",
        date_from="2025-03-01",
        date_to="2025-03-31",
        min_amount="3千",
        max_amount="0.4万",
        kinds=["note"],
    ) == [ids["note"]]


def test_to_json_shape(led) -> None:  # type: ignore[no-untyped-def]
    ledger, _ids = led
    hit = search(ledger, make_query("罚息", reference=REF))[0]
    data = hit.to_json()
    for key in ("id", "kind", "occurred_at", "title", "sha256", "amounts", "snippet", "matches"):
        assert key in data
    assert data["matches"][0]["side"] == "them"
    assert data["amounts"][0]["value"] == "3000.00"


def test_excerpt_marks_and_trims() -> None:
    text = "前" * 40 + "罚息" + "后" * 40
    out = excerpt(text, [(40, 42)], context=5)
    assert out == "…前前前前前«罚息»后后后后后…"


# ---------------------------------------------------------------- paging

PAGED_QUERIES = [
    {},
    {"words": "逾期"},
    {"words": "协商还款"},
    {"words": "逾期 紧急联系人"},
    {"date_from": "2025-03"},
    {"min_amount": "100"},
    {"words": "逾期", "min_amount": "1", "date_to": "2025-12"},
    {"side": "them"},
]


@pytest.mark.parametrize("scan_limit", [20000, 0])  # 0: words always through the FTS index
@pytest.mark.parametrize("kw", PAGED_QUERIES)
def test_pages_are_slices_of_the_full_result_with_its_total(led, kw, scan_limit) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.query.search import search_page

    ledger, _ids = led
    ledger.SCAN_LIMIT = scan_limit
    kw = dict(kw)
    query = make_query(kw.pop("words", None), reference=REF, **kw)
    full = [h.entry.id for h in search(ledger, query)]
    for limit in (None, 0, 1, 2, 50):
        for offset in (0, 1, 3, 10):
            page = search_page(ledger, query, limit=limit, offset=offset)
            end = None if limit is None else offset + limit
            assert [h.entry.id for h in page.hits] == full[offset:end], (limit, offset)
            assert page.total == len(full)
            assert page.to_json()["total"] == len(full)
            assert (page.to_json()["limit"], page.to_json()["offset"]) == (limit, offset)


def test_negative_paging_is_a_usage_error(led) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.query.search import search_page

    with pytest.raises(UsageError):
        search_page(led[0], make_query(None, reference=REF), offset=-1)
