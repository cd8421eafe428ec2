"""The chat reading checked against the pixels: drawn screens (real pixels through OpenCV), with
the OCR lines where the text is drawn."""

from __future__ import annotations

from datetime import datetime

from PIL import Image, ImageDraw

from evidence_kit.extract import extract
from evidence_kit.layout import read_layout
from evidence_kit.layout.bubbles import Pixels
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.layout.roles import status_bar
from evidence_kit.models import Box, OcrLine, Side

REF = datetime(2025, 3, 20, 22, 30)


def ln(text: str, x0: float, y0: float, x1: float, h: float = 30) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), 0.98)


def read(lines: list[OcrLine], image: Image.Image) -> LayoutReading:
    """The screen read with ink where its OCR lines are (a dark stroke stands for the glyphs,
    so no line is taken for a faint watermark)."""
    image = image.copy()
    d = ImageDraw.Draw(image)
    for line in lines:
        b, m = line.box, 0.3 * line.box.height
        d.rectangle((b.x0 + m, b.y0 + m, b.x1 - m, b.y1 - m), fill="#333333")
    ex = extract(extraction_text(lines), reference=REF)
    return read_layout(
        lines, image.width, image.height, extraction=ex, reference=REF, pixels=lambda: image
    )


def bubble(d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], fill: str) -> None:
    d.rounded_rectangle(box, radius=8, fill=fill, outline="#d8d8d8")


def feishu_like() -> tuple[list[OcrLine], Image.Image]:
    """A desktop window whose bubbles all start at the left: one's own are light blue, the
    other side's grey; a card of a tinted header over a white body is one message."""
    im = Image.new("RGB", (1000, 700), "#fbfbfc")
    d = ImageDraw.Draw(im)
    lines = []
    # the card: header and body stacked edge to edge, same width
    d.rectangle((100, 100, 600, 160), fill="#eef3ff")
    d.rectangle((100, 160, 600, 240), fill="#ffffff", outline="#d8d8d8")
    lines += [ln("回复 小叉：角色扮演", 115, 115, 420), ln("你是一个专业的翻译官", 115, 185, 430)]
    bubble(d, (100, 280, 520, 340), "#d1e3ff")
    lines.append(ln("采菊东篱下，悠然见南山", 115, 295, 470))
    bubble(d, (100, 380, 640, 440), "#ebecee")
    lines.append(ln("Picking chrysanthemums by the fence", 115, 395, 600))
    bubble(d, (100, 480, 300, 540), "#d1e3ff")
    lines.append(ln("此消息已撤回", 115, 495, 280))
    return lines, im


def test_one_column_of_bubbles_takes_its_sides_from_the_tinted_fill() -> None:
    lines, im = feishu_like()
    r = read(lines, im)
    talk = [(m.side, m.text[:4]) for m in r.messages if m.side is not Side.SYSTEM]
    assert talk == [
        (Side.THEM, "回复 小"),
        (Side.ME, "采菊东篱"),
        (Side.THEM, "Pick"),
        (Side.ME, "此消息已"),
    ]
    card = r.messages[0]
    assert "你是一个专业的翻译官" in card.text  # header and body: one message


def test_without_the_pixels_the_column_alone_cannot_tell_the_sides() -> None:
    # The same screen read from text positions only: every bubble hugs the left column.
    lines, im = feishu_like()
    ex = extract(extraction_text(lines), reference=REF)
    r = read_layout(lines, im.width, im.height, extraction=ex, reference=REF)
    assert Side.ME not in {m.side for m in r.messages}


def widget() -> tuple[list[OcrLine], Image.Image]:
    """A chat widget over a web page: page text at the far left moves no column; the other
    side's bubbles are blue at the widget's left, one's own green at its right; a blue bubble
    holding only an emoji is a sticker."""
    im = Image.new("RGB", (650, 700), "#ffffff")
    d = ImageDraw.Draw(im)
    lines = [ln("页面上的正文一行", 0, 120, 80, 20), ln("另一行正文", 0, 260, 80, 20)]
    bubble(d, (150, 100, 230, 150), "#a7d4f3")
    lines.append(ln("是的", 165, 110, 215))
    lines.append(ln("2021-01-29 13:32:11", 270, 180, 390, 16))
    bubble(d, (150, 220, 260, 270), "#a7d4f3")
    lines.append(ln("你来了啊", 165, 230, 245))
    lines.append(ln("2021-01-29 13:44:24", 270, 300, 390, 16))
    bubble(d, (150, 340, 200, 390), "#a7d4f3")
    d.ellipse((160, 350, 190, 380), fill="#f5c518")  # an emoji, no text
    lines.append(ln("2021-01-29 13:44:32", 270, 420, 390, 16))
    bubble(d, (370, 460, 520, 510), "#99e066")
    lines.append(ln("我想问个问题", 385, 470, 505))
    bubble(d, (150, 540, 300, 590), "#a7d4f3")
    lines.append(ln("好的请稍等", 165, 550, 285))
    return lines, im


def test_a_widget_over_a_page_reads_its_sides_from_the_bubble_regions() -> None:
    lines, im = widget()
    r = read(lines, im)
    got = [(m.side, m.text) for m in r.messages if not m.text.startswith("20")]
    talk = [g for g in got if g[1] in ("是的", "你来了啊", "[表情]", "我想问个问题", "好的请稍等")]
    assert talk == [
        (Side.THEM, "是的"),
        (Side.THEM, "你来了啊"),
        (Side.THEM, "[表情]"),
        (Side.ME, "我想问个问题"),
        (Side.THEM, "好的请稍等"),
    ]


def test_a_picture_is_an_opaque_block_in_a_column() -> None:
    im = Image.new("RGB", (600, 800), "#ededed")
    d = ImageDraw.Draw(im)
    lines = []
    bubble(d, (90, 100, 400, 150), "#ffffff")
    lines.append(ln("你好，在吗", 105, 110, 300))
    bubble(d, (250, 200, 510, 250), "#95ec69")
    lines.append(ln("在的，什么事", 265, 210, 495))
    for y in range(300, 460, 4):  # a photo: many colours, no background showing
        d.rectangle((350, y, 510, y + 3), fill=(40 + y % 160, 90, 200 - y % 120))
    bubble(d, (90, 500, 330, 550), "#ffffff")
    lines.append(ln("收到了", 105, 510, 200))
    r = read(lines, im)
    assert [(m.side, m.text) for m in r.messages] == [
        (Side.THEM, "你好，在吗"),
        (Side.ME, "在的，什么事"),
        (Side.ME, "[图片]"),
        (Side.THEM, "收到了"),
    ]


def test_a_sent_list_is_ones_own_and_its_labels_are_no_text() -> None:
    im = Image.new("RGB", (1000, 1400), "#f2f2f2")
    d = ImageDraw.Draw(im)
    lines = [ln("正在发送", 300, 150, 560, 60)]
    for k, (no, text) in enumerate([("12345678", "xxx，元旦快乐！"), ("5554", "yyy，元旦快乐！")]):
        y = 400 + 300 * k
        d.rectangle((60, y, 940, y + 240), fill="#ffffff")
        lines += [  # as the app sets them: the status level with the gap between the two
            ln(no, 180, y + 30, 180 + 30 * len(no), 44),
            ln("已发送", 780, y + 60, 900, 44),
            ln(text, 180, y + 90, 560, 60),
        ]
    r = read(lines, im)
    talk = [(m.side, m.text) for m in r.messages if m.side is not Side.SYSTEM]
    assert (Side.ME, "xxx，元旦快乐！") in talk and (Side.ME, "yyy，元旦快乐！") in talk
    assert not any("已发送" in t or t.startswith("1234") for _s, t in talk)


def test_a_sender_row_under_a_divider_is_no_status_bar() -> None:
    # A chat record cropped at its top: the 2018-3-31 divider is the first row, so the
    # 下午3:59 below it is a row's time, not the phone's clock.
    lines = [
        ln("2018-3-31", 320, 0, 428, 23),
        ln("刘备", 103, 46, 164, 38),
        ln("下午3:59", 630, 47, 721, 28),
        ln("我想要两阳一阴的客厅在中间的", 108, 92, 566, 33),
    ]
    assert status_bar(lines, 750, 2500) == set()
    assert 0 in status_bar([ln("下午3:59", 40, 10, 140, 28), *lines[1:]], 750, 2500)


def test_a_fill_stops_at_its_bubble_and_the_background_is_no_bubble() -> None:
    im = Image.new("RGB", (400, 300), "#f6f6f6")
    d = ImageDraw.Draw(im)
    d.rectangle((50, 50, 250, 110), fill="#ffffff")  # 9 levels above the background
    inside = ln("白色气泡", 80, 65, 200)
    outside = ln("背景上的字", 80, 200, 220)
    pix = Pixels(im, [inside, outside])
    r = pix.region_of(inside)
    assert r is not None and (r.box.x0, r.box.y0, r.box.x1, r.box.y1) == (50, 50, 251, 111)
    assert not r.tinted
    assert pix.region_of(outside) is None and pix.background == (246, 246, 246)


def test_a_repeated_faint_watermark_is_no_content_and_one_dim_stamp_stays() -> None:
    from evidence_kit.layout.pixels import watermarks

    im = Image.new("RGB", (900, 700), "#f7f9fc")
    d = ImageDraw.Draw(im)
    faint = [(30, 20), (620, 20), (40, 330), (700, 300)]
    lines = []
    for x, y in faint:  # a name and a number printed faintly over the whole screen
        d.text((x + 5, y + 8), "Zhang 6128", fill="#e6e8ec")
        lines.append(ln("Zhang 6128", x, y, x + 90, 30))
    d.text((145, 108), "Weather 9", fill="#222222")
    lines.append(ln("Weather 9", 140, 100, 230, 30))
    assert watermarks(im, lines) == {0, 1, 2, 3}
    assert watermarks(im, lines[2:]) == set()  # two faint lines: not taken for a watermark


def test_in_a_chat_a_short_number_bubble_is_a_message_not_a_label() -> None:
    im = Image.new("RGB", (600, 700), "#ededed")
    d = ImageDraw.Draw(im)
    bubble(d, (90, 100, 200, 145), "#ffffff")
    bubble(d, (90, 148, 330, 198), "#ffffff")  # the next bubble just below, taller text
    bubble(d, (250, 260, 510, 310), "#95ec69")
    lines = [
        ln("7200", 105, 110, 170, 26),  # digits measure lower than Chinese
        ln("毛坯多少钱?", 105, 156, 300, 32),
        ln("好的，谢谢", 265, 270, 495, 32),
    ]
    r = read(lines, im)
    assert [(m.side, m.text) for m in r.messages] == [
        (Side.THEM, "7200"),
        (Side.THEM, "毛坯多少钱?"),
        (Side.ME, "好的，谢谢"),
    ]


def _jpeg(im: Image.Image, quality: int = 75) -> Image.Image:
    """The image as a screenshot saved as JPEG: ringing beside every sharp edge."""
    import io

    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def desktop_window() -> tuple[list[OcrLine], Image.Image]:
    """A desktop chat window scrolled mid-conversation (WeChat for PC): a white title bar, the
    #F5F5F5 chat pane, white bubbles at the left and green ones at the right, beside square
    avatars; the first bubble sits just under the title bar and the last is cut by the
    screenshot's bottom edge."""
    im = Image.new("RGB", (1100, 844), "#f5f5f5")
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, 1099, 70), fill="#ffffff")
    d.line((0, 71, 1099, 71), fill="#e0e0e0")
    lines = [ln("chatbot", 33, 18, 150, 32)]
    rows = [
        ("me", "#model", 84),
        ("them", "[INFO] 当前模型为: dify，可以开始对话了", 180),
        ("me", "画一只可爱的萨摩耶小狗", 300),
        ("them", "我已经为您画好了一只可爱的萨摩耶小狗，请查看。", 420),
        ("me", "总结网页内容", 540),
        ("them", "网页内容总结如下：大会将在上海举办，请查看。", 660),
        ("me", "3月23日上海的天气如何", 790),
    ]
    for side, text, top in rows:
        width = 22 * len(text) + 30
        if side == "me":
            x0, x1, face = 1000 - width, 1000, (1015, top, 1055, top + 40)
        else:
            x0, x1, face = 96, 96 + width, (40, top, 80, top + 40)
        d.rectangle(face, fill="#4a7fb5")
        bottom = min(top + 44, 843)
        d.rectangle((x0, top, x1, bottom), fill="#95ec69" if side == "me" else "#ffffff")
        lines.append(ln(text, x0 + 12, top + 9, x1 - 12, 26))
    return lines, im


def test_a_windows_first_and_last_bubbles_under_the_chrome_are_messages() -> None:
    """A bubble just under a window's title bar, or cut by the screenshot's bottom edge, is a
    message of its column; the title on the bar spanning the window is none."""
    lines, im = desktop_window()
    r = read(lines, im)
    assert r.screen == "chat_desktop"
    assert [(m.side, m.text[:4]) for m in r.messages] == [
        (Side.ME, "#mod"),
        (Side.THEM, "[INF"),
        (Side.ME, "画一只可"),
        (Side.THEM, "我已经为"),
        (Side.ME, "总结网页"),
        (Side.THEM, "网页内容"),
        (Side.ME, "3月23"),
    ]


def test_the_background_fill_does_not_swallow_a_white_bubble_beside_a_jpegs_edges() -> None:
    """White bubbles on a #F5F5F5 pane differ by 10 levels. The pane filled first from a seed
    just beside a green bubble's edge, where a JPEG rings, keeps to the noise of the pane's
    own colour over the image, so the white bubble is a fill of its own."""
    im = Image.new("RGB", (1100, 844), "#f5f5f5")
    d = ImageDraw.Draw(im)
    d.rectangle((842, 85, 1000, 127), fill="#95ec69")
    d.rectangle((96, 180, 370, 225), fill="#ffffff")
    green = ln("#model", 846, 92, 990, 28)  # its padding seed falls 4 px outside the bubble
    white = ln("当前模型为: dify", 108, 189, 358, 26)
    for line in (green, white):
        b, m = line.box, 0.3 * line.box.height
        d.rectangle((b.x0 + m, b.y0 + m, b.x1 - m, b.y1 - m), fill="#333333")
    pix = Pixels(_jpeg(im, 85), [green, white])
    assert pix.region_of(green) is not None
    r = pix.region_of(white)
    assert r is not None and not r.tinted
    assert abs(r.box.x0 - 96) <= 2 and abs(r.box.y0 - 180) <= 2


def test_a_small_bubble_whose_box_takes_in_its_padding_is_found() -> None:
    """OCR boxes take in a few pixels around the glyphs: on a small screenshot that is all
    of a bubble's padding, so its fill shows only inside the line's box."""
    im = Image.new("RGB", (810, 572), "#f3f3f3")
    d = ImageDraw.Draw(im)
    d.rectangle((700, 115, 750, 152), fill="#95ec69")
    line = ln("测试", 701, 119, 748, 31)
    d.rectangle((710, 126, 740, 144), fill="#222222")  # the glyphs
    r = Pixels(im, [line]).region_of(line)
    assert r is not None and r.tinted
    assert (r.box.x0, r.box.y0, r.box.x1, r.box.y1) == (700, 115, 751, 153)


def phone_crop_with_letter_avatar() -> tuple[list[OcrLine], Image.Image]:
    """A phone chat cropped below the status bar: the title over the grey screen, an avatar
    drawn as letters (``NLP``, which OCR reads) at the left, and the last bubble cut by the
    screenshot's bottom edge, where an input bar would be."""
    im = Image.new("RGB", (540, 1000), "#ededed")
    d = ImageDraw.Draw(im)
    lines = [ln("大模型交流群(496)", 150, 20, 390, 30)]
    rows = [
        ("them", "有没有尝试过表格识别效果呢？", 160),
        ("me", "我刚测了下，能找到", 300),
        ("them", "可以的，识别得很准", 440),
        ("me", "好的，谢谢", 580),
        ("them", "那我也试一下，看看效果如何", 930),  # as wide as the chat, nearly
    ]
    for side, text, top in rows:
        width = 24 * len(text) + 30
        if side == "me":
            x0, x1 = 470 - width, 470
            d.rectangle((480, top, 530, top + 50), fill="#7a5c3e")
        else:
            x0, x1 = 86, 86 + width
            for y in range(top, top + 60, 2):  # a picture: no fill of one colour
                d.rectangle((8, y, 68, y + 1), fill=(60 + 3 * (y - top), 140, 200 - 2 * (y - top)))
        d.rectangle((x0, top, x1, min(top + 50, 999)), fill="#95ec69" if side == "me" else "#ffffff")
        lines.append(ln(text, x0 + 14, top + 10, x1 - 14))
    lines.insert(1, ln("NLP", 12, 175, 62, 28))  # the letters drawn in the first avatar
    return lines, im


def test_an_avatars_letters_move_no_column_for_a_bubble_cut_at_the_bottom() -> None:
    lines, im = phone_crop_with_letter_avatar()
    r = read(lines, im)
    talk = [(m.side, m.text[:4]) for m in r.messages if m.side is not Side.SYSTEM]
    assert talk == [
        (Side.THEM, "有没有尝"),
        (Side.ME, "我刚测了"),
        (Side.THEM, "可以的，"),
        (Side.ME, "好的，谢"),
        (Side.THEM, "那我也试"),
    ]


def test_a_long_own_bubble_taller_than_the_screens_third_is_a_bubble() -> None:
    """One green bubble filling most of a cropped phone screen (a long pasted notice): a
    strongly coloured fill clear of the screen's sides is a bubble, not the background; its
    lines under the input bar's place are its own."""
    im = Image.new("RGB", (540, 1000), "#ededed")
    d = ImageDraw.Draw(im)
    d.rectangle((470, 90, 525, 145), fill="#3e6a8a")  # the avatar at the right
    d.rectangle((80, 90, 460, 999), fill="#95ec69")
    lines = [ln("群公告", 100, 105, 190)]
    lines += [  # a blank line between two paragraphs
        ln(f"第{k}条：本群只讨论技术问题", 100, 105 + 50 * k + (40 if k > 8 else 0), 440)
        for k in range(1, 17)
    ]
    r = read(lines, im)
    talk = [m for m in r.messages if m.side is not Side.SYSTEM]
    assert [(m.side, m.text[:3]) for m in talk] == [(Side.ME, "群公告")]
    assert talk[0].text.endswith("第16条：本群只讨论技术问题")


def test_a_file_card_reads_as_the_file_its_size_and_no_footer() -> None:
    im = Image.new("RGB", (600, 700), "#ededed")
    d = ImageDraw.Draw(im)
    bubble(d, (90, 100, 400, 150), "#ffffff")
    bubble(d, (90, 200, 380, 360), "#ffffff")  # the card: name over two lines, size, footer
    bubble(d, (250, 420, 510, 470), "#95ec69")
    lines = [
        ln("合同发你了，看一下", 105, 110, 330),
        ln("借款合同", 105, 212, 200, 26),
        ln("_2025_03.pdf", 105, 240, 260, 26),
        ln("356.2K", 105, 275, 170, 20),
        ln("微信电脑版", 105, 325, 200, 20),
        ln("好的，收到", 265, 430, 400),
    ]
    r = read(lines, im)
    assert [(m.side, m.text) for m in r.messages] == [
        (Side.THEM, "合同发你了，看一下"),
        (Side.THEM, "[文件] 借款合同_2025_03.pdf 356.2K"),
        (Side.ME, "好的，收到"),
    ]


def test_a_windows_input_box_is_no_bubble_and_the_bubble_over_it_is() -> None:
    """A desktop client with a contact list, one's own blue bubbles, and the input box and
    send button under the last bubble: the bubble is a message, the box's placeholder and the
    button are chrome (the box's fill is none of the bubbles' colours and reaches past the
    chat's column; the button reaches past the other)."""
    im = Image.new("RGB", (1560, 848), (246, 246, 246))
    d = ImageDraw.Draw(im)
    lines = []
    for k, (name, at) in enumerate((("乐享分期客服", "8:10"), ("文件传输助手", "9:11"),
                                    ("张三", "10:12"), ("示例银行", "11:13"))):
        y = 55 + 110 * k
        lines += [ln(name, 115, y, 115 + 28 * len(name), 34), ln(at, 426, y, 494, 34)]
    lines.append(ln("乐享分期客服", 921, 40, 1204, 40))
    blue = (59, 124, 255)
    for top, text in ((240, "我在2025-03-07已经还了1840.28元"), (420, "为什么还显示逾期？"),
                      (721, "请不要再给我的家人和同事打电话。")):  # the last in the input band
        x0 = 1402 - 24 * len(text) - 44
        d.rounded_rectangle((x0, top, 1402, top + 76), 10, fill=blue)
        lines.append(ln(text, x0 + 22, top + 25, 1380, 40))
    d.rounded_rectangle((590, 802, 1357, 847), 8, fill=(242, 243, 245), outline=(220, 220, 222))
    lines.append(ln("请输入您想咨询的问题", 621, 808, 949, 32))
    d.rounded_rectangle((1384, 802, 1531, 847), 8, fill=blue)
    lines.append(ln("发送", 1416, 808, 1495, 32))
    r = read(lines, im)
    assert r.screen == "chat_desktop"
    talk = [(m.side, m.text[:4]) for m in r.messages if m.side is not Side.SYSTEM]
    assert talk == [(Side.ME, "我在20"), (Side.ME, "为什么还"), (Side.ME, "请不要再")]


def test_a_members_name_drawn_as_an_emoji_over_a_bubble_is_no_sticker() -> None:
    """In a group chat the sender's name sits on the top of the bubble; a name that is an
    emoji alone is a small picture there, not a sticker sent (one stands apart)."""
    im = Image.new("RGB", (600, 800), "#ededed")
    d = ImageDraw.Draw(im)
    bubble(d, (90, 100, 420, 150), "#ffffff")
    d.ellipse((100, 196, 128, 224), fill="#f5a623")  # the name: an emoji, 6 px over the bubble
    bubble(d, (90, 230, 400, 280), "#ffffff")
    bubble(d, (250, 340, 510, 390), "#95ec69")
    d.ellipse((100, 450, 130, 480), fill="#f5c518")  # an emoji sent on its own
    bubble(d, (90, 560, 330, 610), "#ffffff")
    lines = [
        ln("有没有尝试过表格识别", 105, 110, 400),
        ln("我刚测了下，能找到", 105, 240, 380),
        ln("在的，什么事", 265, 350, 495),
        ln("收到了", 105, 570, 200),
    ]
    r = read(lines, im)
    assert [(m.side, m.text) for m in r.messages] == [
        (Side.THEM, "有没有尝试过表格识别"),
        (Side.THEM, "我刚测了下，能找到"),
        (Side.ME, "在的，什么事"),
        (Side.THEM, "[表情]"),
        (Side.THEM, "收到了"),
    ]


def test_a_bubble_ocr_read_nothing_in_is_a_message_and_an_apps_card_is_none() -> None:
    """A ``...`` bubble: OCR reads no line in it, yet it is a bubble of the other side's fill
    at their column, with marks in it. An empty card holding text that was read is not one."""
    im = Image.new("RGB", (600, 700), "#f5f5f5")
    d = ImageDraw.Draw(im)
    for box, fill in (((90, 100, 400, 150), "#ffffff"), ((250, 200, 510, 250), "#95ec69"),
                      ((90, 300, 140, 350), "#ffffff"), ((90, 400, 330, 450), "#ffffff"),
                      ((250, 500, 510, 550), "#95ec69"), ((90, 600, 450, 650), "#ffffff")):
        d.rounded_rectangle(box, radius=6, fill=fill)  # no outline: white on #F5F5F5
    for x in (103, 112, 121):  # the third bubble holds only its dots
        d.rectangle((x, 330, x + 3, 333), fill="#333333")
    lines = [
        ln("@小鸟bot 将此人封印", 105, 110, 330),
        ln("[INFO] 封印成功", 265, 210, 495),
        ln("@小鸟bot string", 105, 410, 300),
        ln("[INFO] 封印中，好好反省", 265, 510, 495),
        ln("猜你想问：如何申请延期还款？", 105, 610, 430),  # the app's card: no message
    ]
    r = read(lines, im)
    assert [(m.side, m.text) for m in r.messages] == [
        (Side.THEM, "@小鸟bot 将此人封印"),
        (Side.ME, "[INFO] 封印成功"),
        (Side.THEM, "…"),
        (Side.THEM, "@小鸟bot string"),
        (Side.ME, "[INFO] 封印中，好好反省"),
    ]
