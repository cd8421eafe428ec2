"""A deterministic labelled corpus of fictional chat and bill screenshots for the OCR benchmark.

    from corpus import make_corpus
    for item in make_corpus(40): item.image, item.labels, item.kind ...

Every item varies the things that hurt OCR in real evidence: phone width (720/1080/1242/1440),
every CJK font installed (``render.available_fonts()``), JPEG quality (95/75/55) and a
down-scale (1.0/0.75, as when a screenshot is forwarded). Texts are negotiation and collection
messages with amounts and dates in the forms people write them. Same ``n`` and ``seed`` → same
images and labels.
"""

from __future__ import annotations

import io
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))
import render

WIDTHS = (720, 1080, 1242, 1440)
QUALITIES = (95, 75, 55)
SCALES = (1.0, 0.75)
STYLES = ("wechat", "app")
# The moment the screenshots were "taken": relative stamps (昨天, 星期三) resolve against it.
REFERENCE = datetime(2025, 3, 20, 22, 30)

PLATFORMS = ("乐享分期", "示例花呗", "示例借呗", "安心贷", "示例银行信用卡")

THEM = (
    "您好，这里是{p}客服，您的账单已逾期{n}天，逾期金额{a}元。",
    "请于{d}前还款{a}元，否则将影响您的个人征信。",
    "您当前应还总额为¥{a}，其中罚息{b}元，违约金{c}元。",
    "最晚{d}处理，我们会在{d2}报送逾期记录。",
    "可以为您申请减免罚息{b}元，需在{d}前一次性结清{a}元。",
    "如果今天还不处理，我们将联系您的紧急联系人。",
    "系统显示您{d}还款{b}元，剩余本金{a}元。",
    "分期方案：每月还款{b}元，共{n}期，首期还款日{d}。",
)
ME = (
    "我目前失业，收入不稳定，能否协商分期还款？",
    "我在{d}已经还了{b}元，为什么还显示逾期？",
    "这个服务费{b}元是怎么算的？合同里没有写。",
    "请不要再给我的家人和同事打电话。",
    "我可以每月还{b}元，从{d}开始，可以吗？",
    "好的，我会在{d}前处理{a}元。",
    "担保费{c}元我不认可，请提供收费依据。",
    "收到，谢谢",
)
BILL_ROWS = (
    ("本期应还", "{a}"),
    ("逾期金额", "¥{a}"),
    ("本金", "{b}"),
    ("利息", "{c}"),
    ("罚息", "{c}"),
    ("服务费", "{c}"),
    ("担保费", "{c}"),
    ("最后还款日", "{d}"),
    ("账单日", "{d2}"),
    ("已还金额", "{b}元"),
)
STAMPS = (
    "昨天 22:08",
    "星期三 10:00",
    "3月5日 下午3:45",
    "2025年3月5日 上午10:15",
    "22:30",
    "3月12日 晚上8:20",
    "星期一 09:41",
)


@dataclass
class Item:
    index: int
    kind: str  # "chat" | "bill"
    image: Image.Image
    labels: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)
    reference: datetime = REFERENCE

    def gt_lines(self) -> list[dict[str, Any]]:
        """Labels that are evidence text (chrome — status bar, title, input bar — is not)."""
        return [lb for lb in self.labels if lb["role"] != "chrome"]


def _amount(rng: random.Random, lo: int, hi: int) -> str:
    value = rng.randint(lo * 100, hi * 100) / 100
    form = rng.randrange(4)
    if form == 0:
        return f"{value:,.2f}"
    if form == 1:
        return f"{value:.2f}"
    if form == 2:
        return f"{int(value):,}"
    return str(int(value))


def _date(rng: random.Random) -> str:
    month, day = rng.randint(1, 4), rng.randint(1, 28)
    form = rng.randrange(4)
    if form == 0:
        return f"2025年{month}月{day}日"
    if form == 1:
        return f"{month}月{day}日"
    if form == 2:
        return f"2025-{month:02d}-{day:02d}"
    return f"2025年{month}月{day}日下午{rng.randint(1, 5)}点"


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        p=rng.choice(PLATFORMS),
        n=rng.randint(3, 90),
        a=_amount(rng, 800, 60000),
        b=_amount(rng, 50, 3000),
        c=_amount(rng, 10, 900),
        d=_date(rng),
        d2=_date(rng),
    )


def chat_plan(rng: random.Random) -> list[dict[str, Any]]:
    plan: list[dict[str, Any]] = []
    for _ in range(rng.randint(2, 3)):
        plan.append({"type": "time", "text": rng.choice(STAMPS)})
        for _ in range(rng.randint(2, 3)):
            side = rng.choice(("them", "me"))
            plan.append(
                {"side": side, "text": _fill(rng.choice(THEM if side == "them" else ME), rng)}
            )
    return plan


def bill_rows(rng: random.Random) -> list[tuple[str, str]]:
    rows = rng.sample(BILL_ROWS, rng.randint(5, 8))
    return [(label, _fill(value, rng)) for label, value in rows]


def _degrade(img: Image.Image, labels: list[dict[str, Any]], quality: int, scale: float):
    if scale != 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
        labels = [{**lb, "box": [v * scale for v in lb["box"]]} for lb in labels]
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return buf.getvalue(), labels


def make_item(index: int, seed: int = 0) -> Item:
    rng = random.Random(f"ocr-corpus:{seed}:{index}")
    fonts = render.available_fonts()
    params: dict[str, Any] = {
        "width": WIDTHS[index % len(WIDTHS)],
        "font": fonts[(index // len(WIDTHS)) % len(fonts)],
        "quality": QUALITIES[index % len(QUALITIES)],
        "scale": SCALES[(index // 2) % len(SCALES)],
    }
    if index % 5 in (0, 1, 2):  # 3 chats for every 2 bills
        kind = "chat"
        params["style"] = STYLES[(index // 5) % len(STYLES)]
        img, labels = render.render_chat(
            chat_plan(rng),
            style=params["style"],
            width=params["width"],
            font_path=params["font"],
            title=rng.choice(PLATFORMS) + "客服",
            seed=index,
        )
    else:
        kind = "bill"
        rows = bill_rows(rng)
        img, labels = render.render_bill(
            rows,
            width=params["width"],
            font_path=params["font"],
            platform=rng.choice(PLATFORMS),
            header_amount=_amount(rng, 800, 60000),
            contract_no=f"LX2025{rng.randint(10**7, 10**8 - 1)}",
        )
    data, labels = _degrade(img, labels, params["quality"], params["scale"])
    params["bytes"] = len(data)
    image = Image.open(io.BytesIO(data)).convert("RGB")
    return Item(index, kind, image, labels, params)


def make_corpus(n: int = 40, seed: int = 0) -> Iterator[Item]:
    for i in range(n):
        yield make_item(i, seed)


if __name__ == "__main__":  # write the corpus out to look at it
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/ocr-corpus")
    out.mkdir(parents=True, exist_ok=True)
    for item in make_corpus(int(sys.argv[2]) if len(sys.argv) > 2 else 40):
        name = f"{item.index:03d}-{item.kind}-{item.params['width']}-q{item.params['quality']}"
        item.image.save(out / f"{name}.png")
    print(out)
