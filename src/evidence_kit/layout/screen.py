"""What kind of screen an image is: it decides which reader runs and the entry's kind."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from evidence_kit.models import Kind, OcrLine

if TYPE_CHECKING:
    from evidence_kit.extract.chat import ChatParse

SCREENS = (
    "chat_mobile",
    "chat_desktop",
    "bill_detail",
    "bill_list",
    "sms",
    "call_log",
    "receipt",
    "document_scan",
    "other",
)

_RECEIPT = re.compile(
    r"发票|价税合计|税额|税率|开票|购买方|销售方|纳税人识别号|车票|乘车|客票|检票|票价|收据|小票"
)
_SMS = re.compile(r"短信|验证码|退订|回T|SMS|^\+?\d{5,20}$", re.I | re.M)
_BILL = re.compile(
    r"账单|收支|支出|收入|明细|交易|付款|收款|支付|转账|金额|余额|应还|还款|本期|分期|预算|记账|"
    r"订单|实付|退款"
)
_LETTER = re.compile(r"尊敬的|通知书|告知函|律师函|催收函|催告函|特此通知|此致|敬礼")
# A signed amount ending its row (``-15``, ``彩票 -604.93``, ``- 20.48``): not an operator
# between operands, as in code or a formula (``arr[j + 1]``, ``x - 1``).
_SIGNED = re.compile(
    r"(?<![\w.)\]])(?<![A-Za-z0-9)\]] )[-+−]\s?[¥￥]?\s?\d[\d,]*(?:\.\d{1,2})?\s?元?$"
)
# A call list: its rows are phone numbers, with call words beside them (来电, 未接, a spam
# tag such as 响一声 or 标记为诈骗), and no SMS sender's 【brackets】.
_CALL_WORD = re.compile(
    r"来电|去电|呼入|呼出|未接|已接|拒接|响一声|通话|骚扰|推销|标记为|归属地|"
    r"\bmissed\b|\bincoming\b|\boutgoing\b|min\. ago",
    re.I,
)
_PHONE_ROW = re.compile(r"^\+?\d{5,15}$|[(（]\+?\d{5,15}[)）]")
# The one amount a bill detail shows large (a payment's ``-100.00``, ``¥1.00``).
_AMOUNT_CELL = re.compile(r"^(?:[-+−]\s?[¥￥]?|[¥￥])\s?\d[\d,]*(?:\.\d{1,2})?$")
_DATE_HEAD = re.compile(r"^(?:\d{4}\s*[年/.-]\s*)?\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?")


def screen_type(
    lines: Sequence[OcrLine],
    text: str,
    chat: ChatParse | None,
    *,
    is_call_log: bool,
    is_pdf: bool,
    width: int,
    height: int,
) -> str:
    if is_call_log or _call_list(lines, text):
        return "call_log"
    receipt = len(set(_RECEIPT.findall(text)))
    bill = len(_BILL.findall(text))
    signed = sum(1 for ln in lines if _SIGNED.search(ln.text))
    heads = sum(1 for ln in lines if _DATE_HEAD.match(ln.text.strip()))
    if receipt >= 2:
        return "receipt"
    if is_pdf:
        return "bill_detail" if bill >= 3 else "document_scan"
    page_like = 1.3 < height / max(width, 1) < 1.5  # A4 and letter pages, upright
    if page_like and (_LETTER.search(text) or len(lines) >= 25):
        return "document_scan"  # a scanned or photographed page, not a phone screen
    if bill >= 2 and signed <= 2 and _headline_amount(lines):
        return "bill_detail"  # one payment, its amount set large (a list's rows are not)
    if signed >= 3 or (heads >= 2 and bill >= 2 and signed >= 1):
        return "bill_list"
    if chat is not None and chat.is_chat:
        if _SMS.search(text) and "【" in text:
            return "sms"
        return "chat_desktop" if width > 1.2 * height else "chat_mobile"
    if _SMS.search(text) and "【" in text:
        return "sms"
    if bill >= 2:
        return "bill_detail"
    if len(lines) >= 15 and 1.2 < max(width, height) / max(min(width, height), 1) < 1.6:
        return "document_scan"
    return "other"


def _call_list(lines: Sequence[OcrLine], text: str) -> bool:
    if "【" in text:
        return False
    numbers = sum(1 for ln in lines if _PHONE_ROW.search(ln.text.strip()))
    cues = sum(1 for ln in lines if _CALL_WORD.search(ln.text))
    return numbers >= 3 and cues >= 2


def _headline_amount(lines: Sequence[OcrLine]) -> bool:
    """A signed or ``¥`` amount alone on its line, half as tall again as the screen's text."""
    if len(lines) < 5:
        return False
    heights = sorted(ln.box.height for ln in lines)
    typical = heights[len(heights) // 2]
    big = [ln for ln in lines if _AMOUNT_CELL.match(ln.text.strip())
           and ln.box.height >= 1.5 * typical]
    return len(big) == 1


def kind_of(screen: str) -> Kind | None:
    """The entry kind a screen type files as (None: keep the kit's own guess)."""
    if screen in ("chat_mobile", "chat_desktop", "sms", "call_log"):
        return Kind.CHAT
    if screen in ("bill_detail", "bill_list", "receipt"):
        return Kind.BILL
    if screen == "document_scan":
        return Kind.DOCUMENT
    return None
