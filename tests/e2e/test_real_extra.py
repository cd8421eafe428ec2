"""Real public images nobody tuned on (benchmarks/data/real_extra, the committed ones) through
real OCR and the layout stage: one test per class of failure the first never-seen run showed."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from evidence_kit.intake.content import read_any
from evidence_kit.models import Analysis, Side

pytestmark = pytest.mark.slow

IMAGES = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "real_extra" / "images"
CACHE: dict[str, Analysis] = {}


def read(name: str, tmp_path_factory: pytest.TempPathFactory) -> Analysis:
    if name not in CACHE:
        cache = tmp_path_factory.getbasetemp() / "ocr-cache"
        taken = datetime(2026, 12, 1, 23, 0)
        CACHE[name] = read_any(IMAGES / name, reference=taken, cache_dir=cache)[0]
    return CACHE[name]


def test_a_desktop_chat_with_code_in_a_bubble_is_a_chat(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # macOS WeChat window, no contact list: an own question, a bot's reply holding code
    # (``arr[j + 1]`` was read as signed bill rows).
    a = read("cow_wechat_desktop_bot_chat.png", tmp_path_factory)
    assert a.screen == "chat_desktop"
    assert [m.side for m in a.messages] == [Side.ME, Side.THEM]
    assert a.messages[0].text.startswith("bot")
    assert a.extraction.amounts == ()


def test_a_cropped_chat_keeps_its_first_and_last_bubbles(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # A chat crop without status, title or input bar: the top and bottom bubbles were taken
    # for the chrome and lost.
    a = read("xdr_wechat_mobile_cmd_chat.jpg", tmp_path_factory)
    assert a.messages[0].side is Side.ME and a.messages[0].text.startswith("/ai")
    last = a.messages[-1]
    assert last.side is Side.THEM and "已切换至" in last.text


def test_letters_in_an_avatar_are_no_message_and_move_no_column(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # iPhone WeChat group: an avatar reading ``NLP`` pulled the left column off the bubbles,
    # so the first two bubbles were taken for one's own.
    a = read("cow_wechat_group_mobile.jpg", tmp_path_factory)
    assert not any(m.text.strip() == "NLP" for m in a.messages)
    talk = [m for m in a.messages if m.side is not Side.SYSTEM and not m.text.startswith("[")]
    assert talk[0].text.startswith("Qwen") and talk[0].side is Side.THEM
    assert talk[1].text.startswith("有没有") and talk[1].side is Side.THEM
    own = [m for m in talk if m.side is Side.ME]
    assert [m.text[:11] for m in own] == ["DeepSeek-V3"]


def test_a_voice_message_with_its_transcript_says_it_is_one(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    # Windows WeChat: voice bubbles show their length over the transcript; the wave glyph
    # beside the length reads as ``(`` or a leading ``1`` (``115"`` is 15 s).
    a = read("cow_wechat_desktop_voice_chat.jpg", tmp_path_factory)
    assert a.messages[0].side is Side.ME and a.messages[0].text.startswith('[语音 2"] 干嘛呢')
    assert a.messages[1].side is Side.THEM and a.messages[1].text.startswith('[语音 15"] 我在')
