"""The layout stage, between OCR and extraction: what each OCR line *is* on the screen.

    reading = read_layout(lines, width, height, reference=..., is_call_log=False)
    reading.roles       # one role per line: status_bar, bubble_me, list_row, value, ...
    reading.screen      # chat_mobile | chat_desktop | bill_detail | bill_list | sms | ...
    reading.extraction  # amounts and dates read per role, each with confidence, box, role
    reading.messages    # chat messages (side me / them / system), top to bottom

Extraction runs per role: the status-bar clock never dates the content, a list row takes its
group header's date, signed bare amounts in bill lists are money, and the lines of one bubble
are one message. In chats the pixels are read too (``bubbles``, ``chat``): bubble regions by
their fill colour, pictures and stickers, the avatar beside a bubble; ``pixels`` finds
watermarks.

May import: ``models``, ``errors``, ``extract``. Never ``ocr``, storage, ``intake`` or faces.
"""

from evidence_kit.layout.reading import LayoutReading, read_layout
from evidence_kit.layout.roles import ROLES

__all__ = ["ROLES", "LayoutReading", "read_layout"]
