"""Threat, impersonation and fake-legal wording in a collector's messages: a maintained list.

Each pattern is a regex with a short phrase name; ``find_wording`` returns every hit with its
character span. Only the collector's side ("them") is checked: the same words from the
complainant ("我会去法院起诉你们") are not misconduct. Lawful statements of intent to sue
("我们将依法向法院起诉") are deliberately not on the list; fake documents and impersonation
are. Patterns are tested with positives and false-positive negatives in
``tests/unit/test_analysis_wording.py`` — add a case there when you add a pattern.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum

from evidence_kit.models import Side


class WordingCategory(str, Enum):
    THREAT = "threat"
    IMPERSONATION = "impersonation"
    FAKE_LEGAL = "fake_legal"
    INSULT = "insult"
    THIRD_PARTY = "third_party"
    DISCLOSURE = "disclosure"


@dataclass(frozen=True)
class WordingHit:
    category: WordingCategory
    phrase: str  # the list entry that matched
    text: str  # the matched text
    start: int
    end: int

    def to_json(self) -> dict[str, object]:
        return {
            "category": self.category.value,
            "phrase": self.phrase,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }


_YOUR = r"(?:你|您)(?:的)?"
_RELATIVES = (
    r"(?:家人|家里人|父母|爸妈|爸爸|妈妈|老婆|老公|妻子|丈夫|子女|孩子|亲戚|亲友|朋友|"
    r"同事|领导|老板|单位|公司|邻居|紧急联系人|联系人|通讯录)"
)
# A user's own notes report the collector's words in the first person ("称要联系我单位").
_MY = r"我(?:的)?"
_OFFICIAL = r"(?:法院|公安局?|派出所|检察院|警察|民警|经侦|网警|司法局|司法机关|政府)"

# (category, phrase, regex). Order does not matter; overlapping hits of the same category
# are merged by keeping the first, longest one.
WORD_LIST: tuple[tuple[WordingCategory, str, str], ...] = (
    # --- threats of harm or of visits
    (WordingCategory.THREAT, "后果自负", r"后果自负"),
    (WordingCategory.THREAT, "让你好看", r"让你好看|给你点颜色|走着瞧"),
    (WordingCategory.THREAT, "小心点", r"(?:你|你们|你家人)(?:给我)?小心(?:点|一点)"),
    (WordingCategory.THREAT, "人身威胁", r"弄死|打死|砍死|打断你的?腿|废了你|不得好死|要你的?命"),
    (
        WordingCategory.THREAT,
        "上门",
        r"(?:派人|安排(?:人员?|同事)?|马上|会|要|将|直接|明天|今晚|今天)[“\'「]?上门"
        r"(?!取件|服务|安装|维修|送)"
        r"|上门(?:催收|拜访|走访|找你|处理)",
    ),
    (
        WordingCategory.THREAT,
        "去家里/单位找",
        r"(?:去|到)" + _YOUR + r"?(?:家|家里|老家|单位|公司)(?:里)?(?:找你|堵你|闹)",
    ),
    (WordingCategory.THREAT, "找到你", r"(?:能|会|一定)找到你(?!的)"),
    (
        WordingCategory.THREAT,
        "去我家里/单位找（本人记录）",
        r"(?:去|到|来)" + _MY + r"(?:家|家里|老家|单位|公司)(?:里)?(?:找我|堵我|闹)",
    ),
    # --- impersonation of government, judicial bodies, police, "legal department"
    (WordingCategory.IMPERSONATION, "法务部", r"法务(?:部|中心|专员|组)"),
    (
        WordingCategory.IMPERSONATION,
        "自称官方人员",
        r"(?:我们?是|这里是|这边是)[^，。,.!！?？\s]{0,8}?" + _OFFICIAL,
    ),
    (
        WordingCategory.IMPERSONATION,
        "官方工作人员",
        _OFFICIAL + r"(?:的)?(?:工作人员|法官|警官|办案人员|执行人员|执行局)",
    ),
    (WordingCategory.IMPERSONATION, "协查/调查", r"(?:配合|协助)(?:我们)?(?:调查|协查)|协查函"),
    # --- fake legal documents and exaggerated legal consequences
    (WordingCategory.FAKE_LEGAL, "律师函", r"律师函"),
    (WordingCategory.FAKE_LEGAL, "传票", r"(?:法院)?传票"),
    (WordingCategory.FAKE_LEGAL, "立案通知", r"立案(?:通知书?|告知书|决定书)"),
    (WordingCategory.FAKE_LEGAL, "逮捕/拘留", r"逮捕令?|拘留|抓(?:你|人)|坐牢|判刑"),
    (WordingCategory.FAKE_LEGAL, "刑事责任", r"刑事(?:责任|案件|立案)|涉嫌(?:诈骗|犯罪|恶意透支)"),
    (WordingCategory.FAKE_LEGAL, "黑名单", r"黑名单"),
    (
        WordingCategory.FAKE_LEGAL,
        "强制执行",
        r"(?:强制执行|冻结)(?:你的?)?(?:财产|工资|银行卡|微信)",
    ),
    # --- insults
    (WordingCategory.INSULT, "老赖", r"老赖"),
    (
        WordingCategory.INSULT,
        "辱骂",
        r"骗子|废物|不要脸|畜生|王八蛋|狗东西|去死|傻[逼Bb比]|贱人|人渣|"
        r"你(?:就是|这个|真是)?(?:个)?垃圾",
    ),
    # --- contacting third parties
    (
        WordingCategory.THIRD_PARTY,
        "联系亲友",
        r"(?:打给|打电话给|联系|通知|找|问问|打到)(?:"
        + _YOUR
        + _RELATIVES
        + r"|(?:你的?)?(?:紧急联系人|通讯录))",
    ),
    (
        WordingCategory.THIRD_PARTY,
        "联系我的亲友（本人记录）",
        r"(?:打给|打电话给|打电话到|打到|联系|通知)" + _MY + _RELATIVES,
    ),
    # --- disclosing the debt to others
    (
        WordingCategory.DISCLOSURE,
        "爆通讯录",
        r"爆(?:你的?)?通讯录|通讯录(?:里的?)?(?:所有人|每个人)",
    ),
    (WordingCategory.DISCLOSURE, "曝光", r"曝光|公开你的|发到(?:朋友圈|群里?|网上)"),
    (
        WordingCategory.DISCLOSURE,
        "告诉亲友",
        r"(?:告诉|让)" + _YOUR + _RELATIVES + r"都?知道|让(?:所有人|全村|大家)都?知道",
    ),
    (
        WordingCategory.DISCLOSURE,
        "让我的亲友知道（本人记录）",
        r"(?:告诉|让)" + _MY + _RELATIVES + r"都?知道",
    ),
    (
        WordingCategory.DISCLOSURE,
        "张贴",
        r"大字报|(?:张贴|贴)(?:到|在)?(?:你(?:家|的)?)?(?:门口|小区|村里?|单位|公司)",
    ),
)

_COMPILED = tuple((cat, phrase, re.compile(rx)) for cat, phrase, rx in WORD_LIST)
# Every pattern at once: a text none of them matches (most messages) is passed over in one
# search instead of one per pattern.
_ANY = re.compile("|".join(f"(?:{rx})" for _cat, _phrase, rx in WORD_LIST))


def find_wording(text: str, side: Side | str = Side.THEM) -> list[WordingHit]:
    """Every listed phrase in ``text`` said by the collector; nothing for the user's own words."""
    if Side(side) is not Side.THEM or not text:
        return []
    return list(_wording_in(text))


@functools.lru_cache(maxsize=65_536)
def _wording_in(text: str) -> tuple[WordingHit, ...]:
    """A pure function of the text, so remembered: a long-running page analyses the same
    messages again after every change to the case."""
    if _ANY.search(text) is None:
        return ()
    hits: list[WordingHit] = []
    for category, phrase, rx in _COMPILED:
        for m in rx.finditer(text):
            if m.end() > m.start():
                hits.append(WordingHit(category, phrase, m.group(0), m.start(), m.end()))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[WordingHit] = []
    for hit in hits:
        if any(
            k.category is hit.category and k.start <= hit.start and hit.end <= k.end for k in kept
        ):
            continue
        kept.append(hit)
    return tuple(kept)
