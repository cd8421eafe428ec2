"""The threat / impersonation / fake-legal word list: positives and false-positive negatives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidence_kit.analysis.wording import WORD_LIST, WordingCategory, find_wording
from evidence_kit.models import Side

C = WordingCategory

POSITIVES = [
    ("再不还款后果自负", C.THREAT, "后果自负"),
    ("我们明天派人上门催收", C.THREAT, "派人上门"),
    ("你给我小心点", C.THREAT, "你给我小心点"),
    ("我们会去你单位找你", C.THREAT, "去你单位找你"),
    ("我们一定找到你", C.THREAT, "一定找到你"),
    ("你等着，让你好看", C.THREAT, "让你好看"),
    ("再不还就打断你的腿", C.THREAT, "打断你的腿"),
    ("我是法务部的王专员", C.IMPERSONATION, "法务部"),
    ("我们是XX区人民法院的", C.IMPERSONATION, "我们是XX区人民法院"),
    ("请配合我们调查", C.IMPERSONATION, "配合我们调查"),
    ("公安局的办案人员会联系你", C.IMPERSONATION, "公安局的办案人员"),
    ("今天给你发律师函", C.FAKE_LEGAL, "律师函"),
    ("法院传票已经寄出", C.FAKE_LEGAL, "法院传票"),
    ("立案通知书明天下发", C.FAKE_LEGAL, "立案通知书"),
    ("你这是涉嫌诈骗，等着坐牢吧", C.FAKE_LEGAL, "涉嫌诈骗"),
    ("要冻结你的银行卡", C.FAKE_LEGAL, "冻结你的银行卡"),
    ("等着坐牢吧", C.FAKE_LEGAL, "坐牢"),
    ("你已被列入黑名单", C.FAKE_LEGAL, "黑名单"),
    ("你就是个老赖", C.INSULT, "老赖"),
    ("不要脸", C.INSULT, "不要脸"),
    ("我们会打给你的父母", C.THIRD_PARTY, "打给你的父母"),
    ("已经通知你紧急联系人了", C.THIRD_PARTY, "通知你紧急联系人"),
    ("不还就爆你通讯录", C.DISCLOSURE, "爆你通讯录"),
    ("让你单位都知道", C.DISCLOSURE, "让你单位都知道"),
    ("把你的照片发到朋友圈", C.DISCLOSURE, "发到朋友圈"),
    ("我们要曝光你", C.DISCLOSURE, "曝光"),
    ("我们会张贴到你家门口", C.DISCLOSURE, "张贴到你家门口"),
]


@pytest.mark.parametrize(("text", "category", "matched"), POSITIVES, ids=[p[0] for p in POSITIVES])
def test_collector_wording_is_found(text, category, matched):
    hits = [h for h in find_wording(text, Side.THEM) if h.category is category]
    assert hits, f"no {category.value} hit in {text!r}"
    assert hits[0].text == matched
    assert text[hits[0].start : hits[0].end] == matched


NEGATIVES = [
    "您本期账单应还 958.33 元，请于3月15日前还款",
    "如对账单有异议，可拨打客服电话 95xxx",
    "我们将依法向法院起诉",  # a lawful statement of intent, not a fake document
    "逾期将影响您的个人征信记录",
    "请更新您的联系人信息",
    "您可以找公司客服处理",
    "路上小心点",
    "快递员会上门取件吗",  # 上门 without a threatening verb before it
    "我们能找到你的订单",
    "这是垃圾短信吗",
    "请保持电话畅通",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_collection_text_is_not_flagged(text):
    assert find_wording(text, Side.THEM) == []


def test_the_users_own_words_are_not_flagged():
    text = "我会去法院起诉你们，我已经给律师函了"
    assert find_wording(text, Side.ME) == []
    assert find_wording(text, "me") == []
    assert find_wording(text, "them")  # the same words from the collector are


# Per pattern (by its phrase name), ordinary text close to it that must not be flagged.
NEAR_MISSES = {
    "后果自负": "风险自负，请谨慎借款",
    "让你好看": "让你好好看看账单",
    "小心点": "路上小心点",
    "人身威胁": "废了好大劲才联系上您",
    "上门": "快递员会上门取件吗",
    "去家里/单位找": "您可以去单位开证明",
    "找到你": "我们能找到你的订单",
    "法务部": "请联系财务部",
    "自称官方人员": "我们将依法向法院起诉",
    "官方工作人员": "法院的判决以文书为准",
    "协查/调查": "请配合我们核对账单",
    "律师函": "我们的律师会联系您",
    "传票": "请保留好票据",
    "立案通知": "立案需要哪些材料",
    "逮捕/拘留": "请抓紧时间还款",
    "刑事责任": "这是民事纠纷",
    "黑名单": "白名单已更新",
    "强制执行": "冻结期已过",
    "老赖": "老朋友好久不见",
    "辱骂": "这是垃圾短信吗",
    "联系亲友": "请更新您的联系人信息",
    "爆通讯录": "请勿泄露通讯录",
    "曝光": "发到您的邮箱",
    "告诉亲友": "告诉你一个好消息",
    "张贴": "贴心服务，为您解忧",
    # First-person patterns (a user's own notes): the user acting, not being threatened.
    "联系我的亲友（本人记录）": "我联系单位人事开具收入证明",
    "去我家里/单位找（本人记录）": "下班后到我单位附近的银行还款",
    "让我的亲友知道（本人记录）": "我告诉家人我在协商还款",
}


def test_every_category_has_patterns_and_every_pattern_a_positive_and_a_near_miss():
    """Add a positive to POSITIVES and a near miss here with every new pattern."""
    assert {c for c, _, _ in WORD_LIST} == set(WordingCategory)
    phrases = {phrase for _, phrase, _ in WORD_LIST}
    examples = [*POSITIVES, *FIRST_PERSON_POSITIVES]
    tested = {h.phrase for t, _, _ in examples for h in find_wording(t)}
    assert phrases - tested == set(), "patterns without a positive example"
    assert phrases - set(NEAR_MISSES) == set(), "patterns without a near-miss example"


@pytest.mark.parametrize(("phrase", "text"), NEAR_MISSES.items(), ids=list(NEAR_MISSES))
def test_near_misses_are_not_flagged(phrase, text):
    assert find_wording(text, Side.THEM) == []


@given(st.text(max_size=200))
def test_never_raises_and_spans_are_exact(text):
    for hit in find_wording(text):
        assert text[hit.start : hit.end] == hit.text


# First-person patterns: a user's own notes report what the collector said ("称要联系我单位").
# One positive and one negative per pattern.
FIRST_PERSON_POSITIVES = [
    ("催收员工号C1024来电，称要联系我单位", C.THIRD_PARTY, "联系我单位"),
    ("对方说会联系我的单位和家人", C.THIRD_PARTY, "联系我的单位"),
    ("催收说下午打电话到我单位", C.THIRD_PARTY, "打电话到我单位"),
    ("对方称明天到我单位找我", C.THREAT, "到我单位找我"),
    ("称要让我家人都知道我欠钱", C.DISCLOSURE, "让我家人都知道"),
]
FIRST_PERSON_NEGATIVES = [
    ("我联系单位人事开具收入证明", C.THIRD_PARTY),  # the user contacting, no 我 after the verb
    ("下班后到我单位附近的银行还款", C.THREAT),  # 到我单位 without 找我/堵我/闹
    ("我告诉家人我在协商还款", C.DISCLOSURE),  # the user telling, not being threatened
]


@pytest.mark.parametrize(
    ("text", "category", "matched"),
    FIRST_PERSON_POSITIVES,
    ids=[p[0] for p in FIRST_PERSON_POSITIVES],
)
def test_first_person_note_wording_is_found(text, category, matched):
    hits = [h for h in find_wording(text, Side.THEM) if h.category is category]
    assert hits, f"no {category.value} hit in {text!r}"
    assert hits[0].text == matched


@pytest.mark.parametrize(
    ("text", "category"), FIRST_PERSON_NEGATIVES, ids=[n[0] for n in FIRST_PERSON_NEGATIVES]
)
def test_first_person_lookalikes_are_not_hits(text, category):
    assert [h.text for h in find_wording(text, Side.THEM) if h.category is category] == []


def test_remembered_hits_are_handed_out_as_a_new_list_each_time() -> None:
    text = "再不还钱就爆你通讯录"
    first = find_wording(text, Side.THEM)
    assert first
    first.clear()  # a caller changing its list changes nobody else's
    assert find_wording(text, Side.THEM)


@given(st.text(alphabet="爆你的通讯录曝光让家人都知道张贴门口 还钱", max_size=30))
def test_the_one_search_passes_over_only_texts_no_pattern_matches(text: str) -> None:
    import re

    expected = any(re.search(rx, text) for _cat, _phrase, rx in WORD_LIST)
    assert bool(find_wording(text, Side.THEM)) == expected
