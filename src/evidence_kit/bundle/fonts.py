"""Find and register a CJK TrueType font ReportLab can embed (subset) in the PDF.

ReportLab's TTFont embeds glyf-outline (TrueType) fonts only. Noto Sans CJK ships as CFF
(PostScript outlines) in its .otf/.ttc files, so it is tried but usually rejected.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from evidence_kit.errors import MissingDependencyError

FONT_ENV = "EVIDENCE_KIT_FONT"
REGULAR = "EKCJK"
MONO = "EKCJKMono"

_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/msyh.ttc",
)


@dataclass(frozen=True)
class FontChoice:
    path: Path
    regular: str = REGULAR
    mono: str = MONO  # same face as regular when the collection has no mono member


_registered: FontChoice | None = None


def _fc_list_candidates() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "file"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.split(":")[0].strip() for line in out.splitlines() if line.strip()})
    return [f for f in files if f.lower().endswith((".ttf", ".ttc"))]


def _loads(path: str) -> bool:
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    try:
        TTFont("probe", path, subfontIndex=0)
    except (TTFError, OSError, ValueError):
        return False
    return True


def find_font() -> Path:
    """The first usable CJK TrueType font: $EVIDENCE_KIT_FONT, known paths, then fc-list."""
    env = os.environ.get(FONT_ENV)
    if env:
        if not Path(env).is_file() or not _loads(env):
            raise MissingDependencyError(
                f"{FONT_ENV}={env}: not a TrueType (.ttf/.ttc with glyf outlines) font file",
                hint="point it at e.g. /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            )
        return Path(env)
    seen: set[str] = set()
    for cand in (*_CANDIDATES, *_fc_list_candidates()):
        if cand in seen or not Path(cand).is_file():
            continue
        seen.add(cand)
        if _loads(cand):
            return Path(cand)
    from evidence_kit.i18n import _

    raise MissingDependencyError(
        _("no Chinese TrueType font found to embed in the PDF"),
        hint=_("sudo apt-get install fonts-wqy-zenhei, or set EVIDENCE_KIT_FONT to a .ttf/.ttc"),
    )


def register_fonts() -> FontChoice:
    """Register the CJK font with ReportLab once per process; subsetting is automatic."""
    global _registered
    if _registered is not None:
        return _registered
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    path = find_font()
    pdfmetrics.registerFont(TTFont(REGULAR, str(path), subfontIndex=0))
    mono = REGULAR
    if path.suffix.lower() == ".ttc":
        try:
            face = TTFont(MONO, str(path), subfontIndex=1)
            if b"Mono" in face.face.name:
                pdfmetrics.registerFont(face)
                mono = MONO
        except (TTFError, OSError, ValueError, IndexError):
            pass
    # One face for all styles so <b>/<i> markup never asks for a font we don't have.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(REGULAR, bold, italic, REGULAR)
    _registered = FontChoice(path=path, regular=REGULAR, mono=mono)
    return _registered
