"""The OCR engine interface and the choice between engines.

An engine turns one RGB image into lines (text, box, confidence). Everything else — loading,
tiling tall screenshots, reading order, PDFs, caching, worker processes — is shared and lives
next to this module, so an engine stays a thin adapter around one library.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from evidence_kit.errors import MissingDependencyError, UsageError

if TYPE_CHECKING:
    from PIL import Image

    from evidence_kit.models import OcrLine

DEFAULT_ENGINE = "rapidocr"
ENGINE_NAMES = ("rapidocr", "tesseract")


@runtime_checkable
class OcrEngine(Protocol):
    """Image → lines. ``version`` and ``settings_key()`` go into the cache key."""

    name: str
    version: str

    def settings_key(self) -> str: ...

    def read(self, image: Image.Image) -> list[OcrLine]:
        """Lines found in ``image`` (RGB), page 0, in any order."""
        ...


def get_engine(name: str | None = None) -> OcrEngine:
    """The engine called ``name`` ("rapidocr", the default, or "tesseract").

    When RapidOCR is asked for by default (``name`` is None) but cannot be imported, Tesseract is
    used instead and its ``fallback_reason`` says why. An explicit name never falls back.
    """
    chosen = (name or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINE_NAMES:
        raise UsageError(
            f"unknown OCR engine {name!r}",
            f"choose one of: {', '.join(ENGINE_NAMES)}",
        )
    if chosen == "tesseract":
        return _tesseract()
    try:
        from evidence_kit.ocr.rapid import RapidOcrEngine

        return RapidOcrEngine()
    except MissingDependencyError as rapid_error:
        if name is not None:
            raise
        try:
            engine = _tesseract()
        except MissingDependencyError as tess_error:
            raise MissingDependencyError(
                "no OCR engine is available: " + rapid_error.message,
                "pip install 'rapidocr==3.10.0' onnxruntime, or apt-get install "
                "tesseract-ocr tesseract-ocr-chi-sim and pip install pytesseract",
            ) from tess_error
        # Callers show this as a warning; the engine itself works normally.
        engine.fallback_reason = (  # type: ignore[attr-defined]
            f"RapidOCR unavailable ({rapid_error.message}); using Tesseract"
        )
        return engine


def _tesseract() -> OcrEngine:
    from evidence_kit.ocr.tesseract import TesseractEngine

    return TesseractEngine()


@dataclass(frozen=True)
class EngineIdentity:
    """What the cache key needs, known without loading any model."""

    name: str
    version: str
    settings_key: str


def rapidocr_importable() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("rapidocr", "onnxruntime"))


def resolve_engine_name(name: str | None) -> str:
    """The engine that ``get_engine(name)`` will give (without loading it)."""
    chosen = (name or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINE_NAMES:
        raise UsageError(
            f"unknown OCR engine {name!r}", f"choose one of: {', '.join(ENGINE_NAMES)}"
        )
    if chosen == "rapidocr" and name is None and not rapidocr_importable():
        return "tesseract"
    return chosen


def engine_identity(name: str | None) -> EngineIdentity:
    resolved = resolve_engine_name(name)
    if resolved == "rapidocr":
        from evidence_kit.ocr import rapid

        try:
            return EngineIdentity("rapidocr", rapid.version(), rapid.settings_key())
        except Exception as e:  # package metadata missing
            raise MissingDependencyError(
                f"RapidOCR is not installed ({e})", "pip install 'rapidocr==3.10.0' onnxruntime"
            ) from e
    engine = _tesseract()
    return EngineIdentity(engine.name, engine.version, engine.settings_key())
