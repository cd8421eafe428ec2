"""Real public images (../shared/real-dev) through real OCR and the layout stage: one test per
class of failure fixed in issue 9. Skipped when the shared folder is not beside the repo (or
at $EVIDENCE_KIT_REAL_DEV)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from evidence_kit.intake.content import read_any
from evidence_kit.models import Analysis, Side

pytestmark = pytest.mark.slow

# beside the project root, or where $EVIDENCE_KIT_REAL_DEV says (a worktree elsewhere)
REAL_DEV = Path(
    os.environ.get("EVIDENCE_KIT_REAL_DEV")
    or Path(__file__).resolve().parents[3] / "shared" / "real-dev"
)
if not (REAL_DEV / "gt.jsonl").exists():
    pytest.skip(f"no real-dev images at {REAL_DEV}", allow_module_level=True)

CACHE: dict[str, Analysis] = {}


def read(name: str, tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    """One real image read as ingest reads it: real OCR, its mtime as the moment it was taken
    (a plain copy, so a recent one, as for a download)."""
    if name not in CACHE:
        cache = tmp_path_factory.getbasetemp() / "ocr-cache"
        taken = datetime(2026, 12, 1, 23, 0)
        CACHE[name] = read_any(REAL_DEV / "images" / name, reference=taken, cache_dir=cache)[0]
    return CACHE[name]


def values(a: Analysis) -> list[Decimal]:
    return sorted(abs(x.value) for x in a.extraction.amounts)


def test_the_status_bar_clock_never_dates_content_and_rows_take_the_header_day(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Status bar 下午8:46; a 2018-3-31 divider, then rows timed 下午3:59, 下午3:59, 下午6:56.
    a = read("lefex_wechat_group_chat_menu.png", tmp_path_factory)
    dated = [d.value[:16] for d in a.extraction.dates]
    assert "2018-03-31T15:59" in dated and "2018-03-31T18:56" in dated
    assert not any(v.endswith("T20:46") for v in dated)  # the phone's clock
    assert all(v.startswith("2018-03-31") for v in dated)
    clock = [d for d in a.extraction.dates if d.role == "status_bar"]
    assert clock == []
    assert a.screen == "chat_mobile"


def test_a_list_row_takes_its_header_date_and_a_weekday_confirms_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Headers 12月12日周四 / 12月10日周二 under a 2024年 page header.
    a = read("bsaccount_monthly_detail_list.png", tmp_path_factory)
    assert sorted({d.value for d in a.extraction.dates}) == ["2024-12-10", "2024-12-12"]
    assert a.screen == "bill_list"


def test_signed_amounts_in_a_bill_list_are_money(tmp_path_factory: pytest.TempPathFactory) -> None:
    a = read("bsaccount_all_bills_list.png", tmp_path_factory)
    got = values(a)
    for v in ("2", "12", "23", "1223", "232222", "23121.12", "289900.61", "266779.49"):
        assert Decimal(v) in got, v
    assert Decimal("223") not in got  # 笔数 (a count) is not money
    first = a.extraction.amounts[0]
    assert first.confidence is not None and first.box is not None and first.role is not None


def test_a_value_beside_its_money_label_is_money(tmp_path_factory: pytest.TempPathFactory) -> None:
    a = read("xpay_payment_notice_email.png", tmp_path_factory)
    assert values(a) == [Decimal("666.00")]
    assert [d.value[:16] for d in a.extraction.dates] == ["2017-12-24T20:54"]


def test_centred_recall_notices_are_system_rows(tmp_path_factory: pytest.TempPathFactory) -> None:
    a = read("wechatmagician_wechat_recall_chat.png", tmp_path_factory)
    recalls = [m for m in a.messages if "撤回" in m.text]
    assert len(recalls) == 3 and all(m.side is Side.SYSTEM for m in recalls)
    assert [m.side for m in a.messages if m.text.startswith("反正")] == [Side.THEM]
    assert a.extraction.dates == ()  # 18:44 alone is no date of the content


def test_ingest_records_the_screen_type_and_reanalyze_keeps_it(
    tmp_path: Path,
    run_cli: Callable[..., object],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    case = tmp_path / "case"
    assert run_cli("init", str(case)).code == 0  # type: ignore[attr-defined]
    shutil.copyfile(REAL_DEV / "images" / "bsaccount_all_bills_list.png", case / "bills.png")
    assert run_cli("--case", str(case), "ingest").code == 0  # type: ignore[attr-defined]
    out = run_cli("--case", str(case), "--json", "export")
    entry = json.loads(out.out)["entries"][0]  # type: ignore[attr-defined]
    assert entry["meta"]["screen"] == "bill_list" and entry["kind"] == "bill"
    assert {"confidence", "box", "role"} <= set(entry["amounts"][0])
    cache = case / ".evidence-kit" / "cache"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")}
    assert before
    again = run_cli("--case", str(case), "--json", "reanalyze")
    # The engine input did not change: reanalyze read the OCR cache, nothing was written.
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*.json")} == before
    assert again.code == 0  # type: ignore[attr-defined]
    entry2 = json.loads(run_cli("--case", str(case), "--json", "export").out)["entries"][0]  # type: ignore[attr-defined]
    assert entry2["amounts"] == entry["amounts"] and entry2["meta"]["screen"] == "bill_list"


def talk(a: Analysis) -> list[tuple[Side, str]]:
    return [(m.side, m.text) for m in a.messages if m.side is not Side.SYSTEM]


def test_a_desktop_window_with_all_bubbles_at_the_left_reads_sides_by_their_fill(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Feishu: the user's bubbles are light blue, the bot's grey or a card; all start at the
    # left of the pane, so only the pixels tell them apart.
    a = read("feishuopenai_feishu_desktop_chat.png", tmp_path_factory)
    assert a.screen == "chat_desktop"
    got = [(s, t[:6]) for s, t in talk(a)]
    assert [s for s, _t in got] == [Side.THEM, Side.ME, Side.THEM, Side.ME, Side.ME], got
    assert "请注意" in talk(a)[0][1]  # the card's header and body are one message
    assert got[3][1].startswith("此消息已撤回")


def test_a_widget_over_a_web_page_reads_sides_inside_the_widget(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    a = read("gofly_cs_chat_widget.jpg", tmp_path_factory)
    sides = {t: s for s, t in talk(a)}
    assert sides["是的"] is Side.THEM and sides["你来了啊"] is Side.THEM
    assert sides["我想问个问题"] is Side.ME
    texts = [t for _s, t in talk(a)]
    assert (Side.THEM, "[表情]") in talk(a)  # a bubble that holds only an emoji
    assert texts.index("[表情]") < texts.index("我想问个问题")


def test_a_picture_bubble_and_a_last_stamp_above_no_input_bar(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    a = read("wechatdump_wechat_export_chat.jpg", tmp_path_factory)
    assert talk(a)[-1] == (Side.ME, "[图片]")
    last = a.messages[-1]
    assert last.side is Side.SYSTEM and last.text.replace(" ", "") == "07/1511:35:27"


def test_a_record_cropped_at_its_divider_keeps_its_first_rows_and_stickers(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    a = read("lefex_wechat_group_chat_long.jpg", tmp_path_factory)
    first = a.messages[0]
    assert first.side is Side.SYSTEM and first.text == "2018-3-31"
    texts = [t for _s, t in talk(a)]
    assert texts[0].startswith("我想要两阳一阴")
    assert texts[texts.index("没") + 1] == "[表情]"
    assert {s for s, _t in talk(a)} == {Side.THEM}


def test_outgoing_bulk_sms_are_ones_own_without_numbers_or_statuses(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    a = read("msggo_bulk_sms_sending.png", tmp_path_factory)
    mine = [t for s, t in talk(a) if "元旦快乐" in t]
    assert [t[:3] for t in mine] == ["xxx", "yyy", "ttt"]
    assert all(s is Side.ME for s, t in talk(a) if "元旦快乐" in t)
    assert not any("已发送" in t for _s, t in talk(a))


def test_a_robot_message_with_its_avatar_at_the_left_is_the_other_side(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    a = read("dingtalkbot_dingtalk_text_msg.png", tmp_path_factory)
    assert [s for s, t in talk(a) if t.startswith("我就是小丁")] == [Side.THEM]


def test_a_watermark_over_a_robot_message_is_no_content(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # DingTalk prints the viewer's name and number faintly over the whole window.
    a = read("dingtalkbot_dingtalk_markdown_msg.png", tmp_path_factory)
    assert a.screen == "chat_desktop"
    assert [s for s, t in talk(a) if t.startswith("广州天气")] == [Side.THEM]
    assert not any("张楚昭" in t or "6128" in t for _s, t in talk(a))
    assert Decimal("6128") not in values(a)
