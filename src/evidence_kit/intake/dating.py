"""When did the thing happen? ``occurred_at`` from EXIF, the file name, PDF metadata or mtime.

(The content — chat timestamps, a bill's date — can date an item better; that comes later from
the analysis and overrides these, see ``ledger._fold_analysis``.) Pure functions: the case's UTC
offset is passed in, no clock is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

# Plausible range for evidence: phones did not take screenshots before 2000.
MIN_YEAR = 2000
MAX_YEAR = 2100


@dataclass(frozen=True)
class Dated:
    value: str  # ISO 8601 with offset, or a bare date when only the day is known
    source: str  # exif | filename | pdf-metadata | mtime | content | user


def parse_offset(offset: str) -> timezone:
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", offset.strip())
    if not m:
        return timezone(timedelta(hours=8))
    sign = 1 if m.group(1) == "+" else -1
    return timezone(sign * timedelta(hours=int(m.group(2)), minutes=int(m.group(3))))


def _valid(y: int, mo: int, d: int, hh: int = 0, mi: int = 0, ss: int = 0) -> datetime | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return datetime(y, mo, d, hh, mi, ss)
    except ValueError:
        return None


# Epoch milliseconds: WeChat mmexport1741852800000.jpg, wx_camera_…, QQ exports.
_EPOCH_MS = re.compile(r"(?:mmexport|wx_camera_|_)?(1[3-9]\d{11})(?!\d)")
# Date and time run together or separated: Screenshot_20250305-101530, IMG_20250320_091200,
# 微信图片_20250312223015, Screenshot_2025-03-05-10-15-30-123_com.tencent.mm,
# "Screenshot 2025-03-05 at 10.15.30", 录音_20250314_2215.
_DATETIME = re.compile(
    r"(?<!\d)(20\d{2})[-_.]?(\d{2})[-_.]?(\d{2})"
    r"(?:[-_ T]?(?:at[ _])?(\d{2})[-_.:]?(\d{2})(?:[-_.:]?(\d{2}))?)?(?!\d)"
)


def date_from_filename(name: str, tz: timezone) -> Dated | None:
    stem = name.rsplit("/", 1)[-1]
    m = _EPOCH_MS.search(stem)
    if m and not _DATETIME.search(stem):
        ms = int(m.group(1))
        dt = datetime.fromtimestamp(ms / 1000, tz)
        if MIN_YEAR <= dt.year <= MAX_YEAR:
            return Dated(dt.isoformat(timespec="seconds"), "filename")
    for m in _DATETIME.finditer(stem):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if m.group(4) is not None:
            hh, mi = int(m.group(4)), int(m.group(5))
            ss = int(m.group(6)) if m.group(6) else 0
            moment = _valid(y, mo, d, hh, mi, ss)
            if moment is not None:
                return Dated(moment.replace(tzinfo=tz).isoformat(timespec="seconds"), "filename")
        day = _valid(y, mo, d)
        if day is not None:
            return Dated(day.date().isoformat(), "filename")
    return None


def with_offset(iso: str, tz: timezone) -> str | None:
    """Normalise an ISO datetime (EXIF, PDF) to carry an offset; None when unparseable."""
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if not MIN_YEAR <= dt.year <= MAX_YEAR:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=tz)
    return dt.isoformat(timespec="seconds")


def decide_occurred_at(
    *,
    name: str,
    tz: timezone,
    exif: str | None = None,
    pdf: str | None = None,
    mtime_ns: int | None = None,
) -> Dated | None:
    """The design's order: (content, decided later) EXIF, file name, PDF metadata, mtime."""
    if exif and (value := with_offset(exif, tz)):
        return Dated(value, "exif")
    if dated := date_from_filename(name, tz):
        return dated
    if pdf and (value := with_offset(pdf, tz)):
        return Dated(value, "pdf-metadata")
    if mtime_ns is not None:
        dt = datetime.fromtimestamp(mtime_ns / 1e9, tz)
        return Dated(dt.isoformat(timespec="seconds"), "mtime")
    return None
