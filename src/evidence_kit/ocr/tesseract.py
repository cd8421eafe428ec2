"""Tesseract through pytesseract (``chi_sim+eng``). The only module that imports pytesseract."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from evidence_kit.errors import MissingDependencyError, OcrError
from evidence_kit.models import Box, OcrLine

if TYPE_CHECKING:
    from PIL import Image

LANG = "chi_sim+eng"
# psm 4: a single column of text of variable sizes — what chats and bills are.
CONFIG = "--psm 4"
# Below this width, upscale 2×: Tesseract reads CJK glyphs much better at ~30 px x-height.
UPSCALE_BELOW = 1000
_INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-chi-sim, then pip install pytesseract"

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# Tesseract separates every CJK character with a space; English words keep theirs.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


class TesseractEngine:
    name = "tesseract"

    def __init__(self) -> None:
        # Its default OpenMP threading makes it ~5× slower on small images; the pool gives
        # the parallelism. Set before the first tesseract subprocess inherits the environment.
        os.environ["OMP_THREAD_LIMIT"] = "1"
        try:
            import pytesseract
        except ImportError as e:
            raise MissingDependencyError("pytesseract is not installed", _INSTALL_HINT) from e
        try:
            version = str(pytesseract.get_tesseract_version())
            langs = set(pytesseract.get_languages(config=""))
        except Exception as e:  # TesseractNotFoundError and friends
            raise MissingDependencyError(
                f"the tesseract program cannot be run ({e})", _INSTALL_HINT
            ) from e
        missing = [lang for lang in LANG.split("+") if lang not in langs]
        if missing:
            raise MissingDependencyError(
                f"Tesseract has no language data for {', '.join(missing)}",
                "apt-get install tesseract-ocr-chi-sim",
            )
        self._pytesseract = pytesseract
        self.version = f"tesseract-{version}"
        self.fallback_reason: str | None = None

    def settings_key(self) -> str:
        return f"{LANG} {CONFIG} grey upscale<{UPSCALE_BELOW}"

    def read(self, image: Image.Image) -> list[OcrLine]:
        from PIL import Image as PILImage

        if image.width < 2 or image.height < 2:
            return []
        grey = image.convert("L")
        scale = 2 if image.width < UPSCALE_BELOW else 1
        if scale != 1:
            size = (grey.width * scale, grey.height * scale)
            grey = grey.resize(size, PILImage.Resampling.LANCZOS)
        try:
            data = self._pytesseract.image_to_data(
                grey, lang=LANG, config=CONFIG, output_type=self._pytesseract.Output.DICT
            )
        except Exception as e:
            raise OcrError(f"Tesseract failed on the image ({e})") from e
        return _group_lines(data, scale)


def _group_lines(data: dict[str, list], scale: int) -> list[OcrLine]:
    """Words → lines, keyed by Tesseract's (block, paragraph, line) numbers."""
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data["text"]):
        if not str(word).strip() or float(data["conf"][i]) < 0:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    lines = []
    for idx in groups.values():
        text = _CJK_SPACE.sub("", " ".join(str(data["text"][i]).strip() for i in idx))
        x0 = min(data["left"][i] for i in idx) / scale
        y0 = min(data["top"][i] for i in idx) / scale
        x1 = max(data["left"][i] + data["width"][i] for i in idx) / scale
        y1 = max(data["top"][i] + data["height"][i] for i in idx) / scale
        conf = sum(float(data["conf"][i]) for i in idx) / len(idx) / 100
        lines.append(OcrLine(text, Box(x0, y0, x1, y1), conf))
    return lines
