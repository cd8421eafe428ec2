"""The second look with the real engine: a faint stamp row the detector passed over is read
by the recogniser alone, and the engine reads the next image with detection as before."""

from __future__ import annotations

import pytest
from PIL import Image

from evidence_kit.models import Box
from evidence_kit.ocr import get_engine
from evidence_kit.ocr.faint import reread
from tests.unit.test_ocr_faint import washed

pytestmark = pytest.mark.slow


def test_a_faint_stamp_is_read_again_and_the_engine_still_detects_afterwards() -> None:
    engine = get_engine("rapidocr")
    grey, _found, stamps = washed(0.25)
    image = Image.fromarray(grey).convert("RGB")
    read = engine.read(image)
    before = sorted(ln.text for ln in read)
    # The lines as if the detector had passed over the stamps (on a photo it does).
    lines = [ln for ln in read if not any(s.y0 <= ln.box.cy <= s.y1 for s in stamps)]
    assert len(lines) < len(read)
    extra = reread(engine, image, lines, Box(0, 0, image.width, image.height))
    texts = [ln.text.replace(" ", "") for ln in extra]
    assert "昨天14:31" in texts
    assert all(any(s.x0 < e.box.cx < s.x1 and s.y0 < e.box.cy < s.y1 for s in stamps)
               for e in extra)
    # RapidOCR keeps the steps of a call for the next: detection must be back on.
    assert sorted(ln.text for ln in engine.read(image)) == before
