"""RapidOCR (PP-OCR models in ONNX, shipped inside the wheel, so it runs offline).

The only module that imports ``rapidocr``. Only the default models are used: others would be
downloaded at run time, and nothing here may touch the network.
"""

from __future__ import annotations

import json
import logging
from importlib import metadata
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import MissingDependencyError, OcrError
from evidence_kit.models import Box, OcrLine

if TYPE_CHECKING:
    from PIL import Image

# Tiles from preprocess are at most this tall, so RapidOCR never shrinks them (which would
# shrink the text below what the recogniser reads well).
MAX_SIDE_LEN = 2600

_PARAMS: dict[str, Any] = {
    "Global.log_level": "error",
    "Global.max_side_len": MAX_SIDE_LEN,
    # One thread per process: the worker pool gives the parallelism, and onnxruntime's own
    # thread pool in every worker would only oversubscribe the cores.
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}


def version() -> str:
    """The models ship inside the wheel, so the package version pins them too."""
    return f"rapidocr-{metadata.version('rapidocr')}"


def settings_key() -> str:
    return json.dumps(_PARAMS, sort_keys=True)


class RapidOcrEngine:
    name = "rapidocr"

    def __init__(self) -> None:
        try:
            from rapidocr import RapidOCR
        except ImportError as e:  # onnxruntime missing shows up here too
            raise MissingDependencyError(
                f"RapidOCR cannot be imported ({e})",
                "pip install 'rapidocr==3.10.0' onnxruntime",
            ) from e
        self.version = version()
        self.fallback_reason: str | None = None
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        try:
            self._ocr = RapidOCR(params=dict(_PARAMS))
        except Exception as e:  # model files missing or broken
            raise MissingDependencyError(
                f"RapidOCR cannot load its models ({e})",
                "reinstall it: pip install --force-reinstall 'rapidocr==3.10.0'",
            ) from e

    def settings_key(self) -> str:
        return settings_key()

    def read(self, image: Image.Image) -> list[OcrLine]:
        import numpy as np

        if image.width < 2 or image.height < 2:
            return []
        # RapidOCR treats arrays as BGR (OpenCV order).
        array = np.asarray(image.convert("RGB"))[:, :, ::-1]
        try:
            out = self._ocr(np.ascontiguousarray(array))
        except Exception as e:
            raise OcrError(f"RapidOCR failed on the image ({e})") from e
        boxes = getattr(out, "boxes", None)
        txts = getattr(out, "txts", None)
        scores = getattr(out, "scores", None)
        if boxes is None or txts is None or scores is None:
            return []
        lines = []
        for quad, text, score in zip(boxes, txts, scores):
            text = str(text).strip()
            if not text:
                continue
            xs = [float(p[0]) for p in quad]
            ys = [float(p[1]) for p in quad]
            lines.append(OcrLine(text, Box(min(xs), min(ys), max(xs), max(ys)), float(score)))
        return lines

    def read_line(self, image: Image.Image) -> tuple[str, float] | None:
        """The text of ``image`` taken as one line, recognised without detection (a row the
        detector passed over); None when nothing is read."""
        import numpy as np

        if image.width < 2 or image.height < 2:
            return None
        array = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
        # RapidOCR keeps the steps asked for in one call for every later one: they are put
        # back, or the next page would be read with no detection at all.
        before = {"use_det": self._ocr.use_det, "use_cls": self._ocr.use_cls}
        try:
            out = self._ocr(array, use_det=False, use_cls=False)
        except Exception as e:
            raise OcrError(f"RapidOCR failed on the image ({e})") from e
        finally:
            self._ocr.update_params(**before)
        txts = getattr(out, "txts", None)
        scores = getattr(out, "scores", None)
        if not txts or not scores or not str(txts[0]).strip():
            return None
        return str(txts[0]).strip(), float(scores[0])
