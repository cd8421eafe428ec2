"""Phones, ID and bank cards (for redaction), contract numbers, platforms and companies."""

from __future__ import annotations

import pytest

from evidence_kit.extract import extract, extract_entities
from evidence_kit.extract.entities import id_checksum_ok, luhn_ok

# Fictional numbers with valid check digits.
ID_NO = "110105199003071239"
ID_NO_X = "11010519900307005X"
CARD_19 = "6222020200112233446"
CARD_16 = "6225880012345675"

# (id, text, [(kind, value, text, masked), ...])
CASES = [
    ("mobile", "联系电话：13800138000", [("phone", "13800138000", "13800138000", False)]),
    ("mobile-spaced", "他的手机 138 0013 8000", [("phone", "13800138000", "138 0013 8000", False)]),
    ("mobile-dashed", "138-0013-8000", [("phone", "13800138000", "138-0013-8000", False)]),
    (
        "mobile-country-code",
        "+86 13800138000",
        [("phone", "13800138000", "+86 13800138000", False)],
    ),
    ("mobile-masked", "来电号码138****1234", [("phone", "138****1234", "138****1234", True)]),
    ("mobile-tail", "手机尾号5678", [("phone", "****5678", "尾号5678", True)]),
    ("landline", "座机010-12345678", [("phone", "01012345678", "010-12345678", False)]),
    ("hotline-400", "请拨打400-123-4567", [("phone", "4001234567", "400-123-4567", False)]),
    ("hotline-95", "客服电话95188", [("phone", "95188", "95188", False)]),
    ("hotline-400-433", "致电4008-123-456", [("phone", "4008123456", "4008-123-456", False)]),
    ("id-card", f"身份证号{ID_NO}", [("id_card", ID_NO, ID_NO, False)]),
    ("id-card-x", f"身份证：{ID_NO_X.lower()}", [("id_card", ID_NO_X, ID_NO_X.lower(), False)]),
    (
        "id-card-masked",
        "身份证110105********1239",
        [
            ("id_card", "110105********1239", "110105********1239", True),
        ],
    ),
    (
        "bank-card-spaced",
        "卡号6222 0202 0011 2233 446",
        [
            ("bank_card", CARD_19, "6222 0202 0011 2233 446", False),
        ],
    ),
    ("bank-card-plain", f"还款卡{CARD_16}", [("bank_card", CARD_16, CARD_16, False)]),
    (
        "bank-card-masked",
        "储蓄卡6222 **** **** 1234",
        [
            ("bank_card", "6222********1234", "6222 **** **** 1234", True),
        ],
    ),
    (
        "bank-card-masked-compact",
        "622202******1234",
        [
            ("bank_card", "622202******1234", "622202******1234", True),
        ],
    ),
    (
        "bank-card-tail",
        "招商银行储蓄卡(尾号1234)",
        [
            ("company", "招商银行", "招商银行", False),
            ("bank_card", "****1234", "尾号1234", True),
        ],
    ),
    (
        "contract-no",
        "借款合同编号：HT20250321001",
        [
            ("contract_no", "HT20250321001", "HT20250321001", False),
        ],
    ),
    (
        "order-no-digits",
        "订单号 2025032112345678",
        [
            ("contract_no", "2025032112345678", "2025032112345678", False),
        ],
    ),
    (
        "loan-receipt-no",
        "借据号:JJ-2025-0001",
        [("contract_no", "JJ-2025-0001", "JJ-2025-0001", False)],
    ),
    (
        "platforms",
        "我在分期乐和蚂蚁借呗都有借款",
        [
            ("platform", "分期乐", "分期乐", False),
            ("platform", "借呗", "蚂蚁借呗", False),
        ],
    ),
    (
        "company-trimmed",
        "我向重庆度小满小额贷款有限公司投诉",
        [
            ("company", "重庆度小满小额贷款有限公司", "重庆度小满小额贷款有限公司", False),
            ("platform", "度小满", "度小满", False),
        ],
    ),
    (
        "bank-company",
        "深圳前海微众银行股份有限公司",
        [
            ("company", "深圳前海微众银行股份有限公司", "深圳前海微众银行股份有限公司", False),
        ],
    ),
    (
        "consumer-finance",
        "出借人：马上消费金融股份有限公司",
        [
            ("company", "马上消费金融股份有限公司", "马上消费金融股份有限公司", False),
            ("platform", "安逸花", "马上消费金融", False),
        ],
    ),
    (
        "guarantee-company",
        "担保方为深圳市某某融资担保有限公司",
        [
            ("company", "深圳市某某融资担保有限公司", "深圳市某某融资担保有限公司", False),
        ],
    ),
]

NOT_ENTITIES = [
    ("generic-bank", "绑定的银行卡"),
    ("online-banking", "网上银行转账"),
    ("id-bad-checksum", "110105199003071238"),
    ("card-bad-luhn", "6222020200112233445"),
    ("five-digits-no-context", "本金95188元"),
    ("short-number", "订单号 12"),
    ("amount", "¥13,800.00"),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_entities(text: str, expected: list[tuple[str, str, str, bool]]) -> None:
    got = [(e.kind, e.value, e.text, e.masked) for e in extract_entities(text)]
    assert got == expected
    for e in extract_entities(text):
        assert text[e.start : e.end] == e.text


@pytest.mark.parametrize("text", [c[1] for c in NOT_ENTITIES], ids=[c[0] for c in NOT_ENTITIES])
def test_not_entities(text: str) -> None:
    assert extract_entities(text) == ()


def test_checksums() -> None:
    assert id_checksum_ok(ID_NO) and id_checksum_ok(ID_NO_X)
    assert not id_checksum_ok(ID_NO[:-1] + "0")
    assert luhn_ok(CARD_19) and luhn_ok(CARD_16)
    assert not luhn_ok(CARD_16[:-1] + "0")


@pytest.mark.parametrize(
    "text",
    [f"身份证{ID_NO}", f"卡号{CARD_19}", "电话13800138000", "订单号：2025032112345678"],
    ids=["id", "card", "phone", "order"],
)
def test_redaction_numbers_are_not_amounts_or_dates(text: str) -> None:
    result = extract(text)
    assert result.amounts == ()
    assert result.dates == ()
    assert len(result.entities) == 1


def test_id_card_is_not_also_a_phone_or_card() -> None:
    kinds = [e.kind for e in extract_entities(f"{ID_NO} {CARD_19} 13800138000")]
    assert kinds == ["id_card", "bank_card", "phone"]


def test_json_groups_entities_by_kind() -> None:
    data = extract(f"电话13800138000，身份证{ID_NO}，分期乐").to_json()
    assert [p["value"] for p in data["phones"]] == ["13800138000"]
    assert [p["value"] for p in data["id_cards"]] == [ID_NO]
    assert [p["value"] for p in data["platforms"]] == ["分期乐"]
    assert data["bank_cards"] == [] and data["companies"] == []
