import pytest

from evidence_kit.errors import UsageError
from evidence_kit.ocr import engine_identity, get_engine, worker_count
from evidence_kit.ocr.engine import resolve_engine_name
from evidence_kit.ocr.pool import BYTES_PER_WORKER, memory_available


def test_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="paddle"):
        get_engine("paddle")
    with pytest.raises(UsageError):
        engine_identity("easyocr")


def test_default_is_rapidocr_here_and_names_are_case_insensitive() -> None:
    assert resolve_engine_name(None) == "rapidocr"
    assert resolve_engine_name("Tesseract") == "tesseract"


def test_identity_is_cheap_and_distinguishes_engines() -> None:
    rapid, tess = engine_identity(None), engine_identity("tesseract")
    assert rapid.version.startswith("rapidocr-3.")
    assert tess.version.startswith("tesseract-")
    assert rapid.settings_key != tess.settings_key


def test_worker_count_bounds() -> None:
    assert worker_count(None, 1) == 1
    assert worker_count(8, 3) == 3
    assert worker_count(2, 100) == 2
    n = worker_count(None, 1000)
    mem = memory_available()
    assert n >= 1
    if mem is not None:
        assert n <= max(1, mem // BYTES_PER_WORKER)
