"""Properties that must hold for any text: no exception, offsets slice to the text, round trips."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from evidence_kit.extract import extract, extract_amounts, extract_dates, normalize_ocr_text
from evidence_kit.extract.normalize import normalize_with_offsets

# Text that looks like bills and chats: CJK, digits, money and date signs, OCR noise.
_ALPHABET = st.sampled_from(
    list("0123456789０１２３４５６７８９.,，:：-／/¥￥Y#元万千年月日号点时分前 \n\t*%X")
    + list("逾期金额应还本金利息罚息减免退款人民币叁仟壹贰零两三十百昨天今天星期周下午晚上")
    + list("尾号手机身份证卡订单号合同编号分期乐借呗有限公司银行")
)
bill_like = st.text(alphabet=_ALPHABET, max_size=120)
any_text = st.text(max_size=200)
references = st.one_of(
    st.none(), st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 1))
)


def _check(text: str, reference: datetime | None) -> None:
    result = extract(text, reference=reference)
    for item in (*result.amounts, *result.dates, *result.entities):
        assert 0 <= item.start < item.end <= len(text)
        assert text[item.start : item.end] == item.text
    for group in (result.amounts, result.dates, result.entities):
        starts = [x.start for x in group]
        assert starts == sorted(starts)
    for d in result.dates:
        (datetime if "T" in d.value else date).fromisoformat(d.value)
    result.to_json()


@settings(max_examples=300, deadline=None)
@given(any_text, references)
def test_never_raises_on_any_text(text: str, reference: datetime | None) -> None:
    _check(text, reference)


@settings(max_examples=500, deadline=None)
@given(bill_like, references)
def test_never_raises_on_bill_like_text(text: str, reference: datetime | None) -> None:
    _check(text, reference)


@settings(max_examples=300, deadline=None)
@given(bill_like)
def test_normalisation_map_is_consistent(text: str) -> None:
    norm, pos = normalize_with_offsets(text)
    assert norm == normalize_ocr_text(text)
    if pos is not None:
        assert len(pos) == len(norm) + 1 and pos[-1] == len(text)
        assert pos == sorted(set(pos))


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=2))
def test_yen_amount_round_trips(value: Decimal) -> None:
    text = f"¥{value:,}"
    (amount,) = extract_amounts(text)
    assert amount.value == value
    assert amount.text == text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["应还", "逾期金额", "本金"]))
def test_labelled_yuan_round_trips(value: int, label: str) -> None:
    (amount,) = extract_amounts(f"{label}：{value:,}.00元，请尽快处理")
    assert amount.value == value and amount.label == label


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2099, 12, 31)))
def test_written_datetimes_round_trip(moment: datetime) -> None:
    moment = moment.replace(second=0, microsecond=0)
    for text in (
        f"{moment:%Y-%m-%d %H:%M}",
        f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}",
    ):
        (d,) = extract_dates(f"时间：{text}，")
        assert d.value == moment.isoformat()


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31)), st.integers(-120, 40))
def test_month_day_resolves_near_reference(day: date, offset: int) -> None:
    reference = datetime.combine(day + timedelta(days=offset), datetime.min.time())
    (d,) = extract_dates(f"{day.month}月{day.day}日", reference=reference)
    assert d.value == day.isoformat()


# Pieces of the issue-10 grammar (periods, lunar dates, tense cues, recurrences, titles)
# thrown together in any order: nothing may raise, and every range end must parse.
_PIECES = st.sampled_from(
    [
        "农历", "正月", "腊月", "廿", "初", "十五", "三十", "大年", "除夕", "中秋", "闰",
        "第", "99", "52", "周", "星期", "礼拜", "五", "一", "个", "季度", "Q4", "上半年", "下半月",
        "近", "最近", "未来", "过去的", "天", "小时", "分钟", "月", "年", "两", "仨", "半",
        "起", "至今", "以来", "每", "《", "》", "了", "准备", "下次", "，", "\n", " ", "~", "到",
        "和", "之间", "晚上", "下午", "晏昼", "踏", "个字", "点", "时", "秒", "pm", "号", "日",
        "9999", "2099", "1900", "九九九九", "二〇二五", "去年", "明年", "同月", "12", "3", "0",
        ":", "-", "/", "2021-09-12", "3月5日", "前", "之前",
    ]
)
grammar_like = st.lists(_PIECES, max_size=14).map("".join)


@settings(max_examples=600, deadline=None)
@given(grammar_like, references)
def test_never_raises_on_grammar_pieces(text: str, reference: datetime | None) -> None:
    _check(text, reference)
    for r in extract(text, reference=reference).ranges:
        if r.currency is None:
            for v in (r.first, r.last):
                (datetime if "T" in v else date).fromisoformat(v)
            assert r.first <= r.last
