"""Opening images safely and cutting tall screenshots into tiles.

A hostile or accidental input (a 20000×20000 PNG, a decompression bomb, a truncated file) must
give a clear error before any pixels are decoded, so memory stays bounded.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kit.errors import InputFileError

if TYPE_CHECKING:
    from PIL import Image

# A long scrolling screenshot of 1440×40000 is 58 MP; a camera photo 48 MP.
MAX_PIXELS = 60_000_000


TILE_HEIGHT = 2600


# Must exceed the tallest text line: each line then lies whole inside at least one tile.
TILE_OVERLAP = 200


_TOO_LARGE_HINT = "crop or scale the image down, or split a long screenshot into parts"


@dataclass(frozen=True)
class Tile:
    image: Image.Image
    top: int  # y offset of the tile in the full image
    own_from: float  # lines whose centre lies in [own_from, own_to) belong to this tile
    own_to: float


def load_image(source: str | Path | bytes, name: str | None = None) -> Image.Image:
    """Decode an image file (path or bytes) to RGB, upright per its EXIF orientation.

    Raises InputFileError for empty, unreadable or oversized images (checked from the header,
    before decoding).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    register_heif()
    label = name or (str(source) if not isinstance(source, bytes) else "<image>")
    if isinstance(source, bytes):
        if not source:
            raise InputFileError(label, "the file is empty")
        fp: io.BytesIO | Path = io.BytesIO(source)
    else:
        fp = Path(source)
        try:
            if fp.stat().st_size == 0:
                raise InputFileError(label, "the file is empty")
        except OSError as e:
            raise InputFileError(label, f"cannot be read ({e.strerror or e})") from e
    try:
        with warnings.catch_warnings():
            # PIL warns (an error under pytest) and then refuses above its own bomb limit;
            # our smaller limit below gives the user-facing message either way.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fp) as img:
                check_size(label, img.width, img.height)
                img.load()
                upright: Image.Image = ImageOps.exif_transpose(img) or img
                # convert() always copies, so the file can close here.
                return upright.convert("RGB")
    except Image.DecompressionBombError as e:
        # PIL refused in open(), before we saw the size; its message holds the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(e))
        mp = f"{int(found[1]) / 1e6:.0f} MP; " if found else ""
        raise InputFileError(
            label,
            f"image is too large to be a screenshot ({mp}the limit is {MAX_PIXELS // 10**6} MP)",
            _TOO_LARGE_HINT,
        ) from e
    except UnidentifiedImageError as e:
        raise InputFileError(label, "is not an image format the kit can read") from e
    except (OSError, SyntaxError, ValueError) as e:  # truncated or corrupt data
        raise InputFileError(label, f"the image is damaged or truncated ({e})") from e


def check_size(label: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        mp = width * height / 1e6
        raise InputFileError(
            label,
            f"image is too large to be a screenshot ({width}×{height}, {mp:.0f} MP; "
            f"the limit is {MAX_PIXELS // 1_000_000} MP)",
            _TOO_LARGE_HINT,
        )


def tiles(image: Image.Image) -> list[Tile]:
    """Overlapping horizontal strips at most TILE_HEIGHT tall; the whole image if it is short."""
    h = image.height
    if h <= TILE_HEIGHT:
        return [Tile(image, 0, float("-inf"), float("inf"))]
    step = TILE_HEIGHT - TILE_OVERLAP
    out = []
    top = 0
    while True:
        bottom = min(top + TILE_HEIGHT, h)
        first, last = top == 0, bottom == h
        own_from = float("-inf") if first else top + TILE_OVERLAP / 2
        own_to = float("inf") if last else bottom - TILE_OVERLAP / 2
        out.append(Tile(image.crop((0, top, image.width, bottom)), top, own_from, own_to))
        if last:
            return out
        top += step


def register_heif() -> None:
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # HEIC photos then fail with a clear "not an image format" error
        pass
