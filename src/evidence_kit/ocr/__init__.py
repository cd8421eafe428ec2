"""OCR: engines behind one interface, reading order, PDF pages, a cache and a worker pool.

May import: ``models``, ``errors``, ``i18n``. Never ``extract`` or storage: OCR only turns
pixels into lines."""

from evidence_kit.ocr.cache import OcrCache, cache_key
from evidence_kit.ocr.engine import (
    DEFAULT_ENGINE,
    ENGINE_NAMES,
    EngineIdentity,
    OcrEngine,
    engine_identity,
    get_engine,
)
from evidence_kit.ocr.image import read_image
from evidence_kit.ocr.loading import load_image
from evidence_kit.ocr.order import reading_order
from evidence_kit.ocr.pdf import normalize_text_layer, read_pdf
from evidence_kit.ocr.pool import OcrJob, OcrStats, ocr_file, ocr_many, read_file, worker_count

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINE_NAMES",
    "EngineIdentity",
    "OcrCache",
    "OcrEngine",
    "OcrJob",
    "OcrStats",
    "cache_key",
    "engine_identity",
    "get_engine",
    "load_image",
    "normalize_text_layer",
    "ocr_file",
    "ocr_many",
    "read_file",
    "read_image",
    "read_pdf",
    "reading_order",
    "worker_count",
]
