from pathlib import Path

from evidence_kit.models import Box, OcrLine, OcrResult
from evidence_kit.ocr.cache import OcrCache, cache_key

RESULT = OcrResult(
    lines=(
        OcrLine("逾期金额：¥3,256.00", Box(1.23456, 2, 3, 4.98765), 0.987654, 0),
        OcrLine("第二页", Box(0, 0, 9, 9), 1.0, 1),
    ),
    width=1080,
    height=2400,
    engine="rapidocr",
    source="ocr",
)


def test_round_trip_and_stats(tmp_path: Path) -> None:
    cache = OcrCache(tmp_path)
    key = cache_key("ab" * 32, "rapidocr", "rapidocr-3.10.0", "{}")
    assert cache.get(key) is None
    cache.put(key, RESULT)
    assert OcrCache(tmp_path).get(key) == RESULT
    assert (cache.stats.misses, cache.stats.writes) == (1, 1)
    assert not list(tmp_path.rglob(".tmp-*"))


def test_key_depends_on_content_engine_version_and_settings() -> None:
    base = ("ab" * 32, "rapidocr", "rapidocr-3.10.0", "a")
    keys = {
        cache_key(*base),
        cache_key("cd" * 32, *base[1:]),
        cache_key(base[0], "tesseract", *base[2:]),
        cache_key(*base[:2], "rapidocr-3.11.0", "a"),
        cache_key(*base[:3], "b"),
    }
    assert len(keys) == 5


def test_corrupt_or_foreign_entries_are_misses(tmp_path: Path) -> None:
    cache = OcrCache(tmp_path)
    key = cache_key("ef" * 32, "rapidocr", "v", "s")
    cache.put(key, RESULT)
    path = next(tmp_path.rglob(f"{key}.json"))
    for junk in ("{not json", '{"format": 99}', '{"format": 1, "lines": [{"text": "x"}]}', ""):
        path.write_text(junk, "utf-8")
        assert cache.get(key) is None
    path.write_bytes(b"\xff\xfe\x00")
    assert cache.get(key) is None
