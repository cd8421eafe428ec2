import pytest

from evidence_kit.intake.dating import date_from_filename, decide_occurred_at, parse_offset

CST = parse_offset("+08:00")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Screenshot_20250305-101530.png", "2025-03-05T10:15:30+08:00", id="android"),
        pytest.param(
            "Screenshot_2025-03-05-10-15-30-123_com.tencent.mm.jpg",
            "2025-03-05T10:15:30+08:00",
            id="miui-wechat",
        ),
        pytest.param(
            "Screenshot 2025-03-05 at 10.15.30.png", "2025-03-05T10:15:30+08:00", id="macos"
        ),
        pytest.param("IMG_20250320_091200.jpg", "2025-03-20T09:12:00+08:00", id="camera"),
        pytest.param("微信图片_20250312223015.jpg", "2025-03-12T22:30:15+08:00", id="wechat"),
        pytest.param("QQ截图20250312223015.png", "2025-03-12T22:30:15+08:00", id="qq"),
        pytest.param("mmexport1741852800000.jpg", "2025-03-13T16:00:00+08:00", id="mmexport-ms"),
        pytest.param("wx_camera_1741852800000.jpg", "2025-03-13T16:00:00+08:00", id="wx-camera"),
        pytest.param("录音_20250314_2215.wav", "2025-03-14T22:15:00+08:00", id="recorder-hhmm"),
        pytest.param("通话记录_2025-03-10.txt", "2025-03-10", id="date-only"),
        pytest.param("IMG_1234.PNG", None, id="ios-no-date"),
        pytest.param("Screenshot_20251345-101530.png", None, id="impossible-date"),
        pytest.param("scan_19990101.png", None, id="before-2000"),
    ],
)
def test_date_from_filename(name: str, expected: str | None) -> None:
    got = date_from_filename(name, CST)
    assert (got.value if got else None) == expected
    if got:
        assert got.source == "filename"


def test_exif_beats_filename_and_mtime() -> None:
    d = decide_occurred_at(
        name="IMG_20250320_091200.jpg", tz=CST, exif="2025-03-19T08:00:00", mtime_ns=0
    )
    assert d is not None and (d.value, d.source) == ("2025-03-19T08:00:00+08:00", "exif")


def test_exif_offset_is_kept() -> None:
    d = decide_occurred_at(name="x.jpg", tz=CST, exif="2025-03-19T08:00:00+09:00")
    assert d is not None and d.value == "2025-03-19T08:00:00+09:00"


def test_pdf_metadata_after_filename_then_mtime() -> None:
    d = decide_occurred_at(name="bill.pdf", tz=CST, pdf="2025-03-01T00:00:00+00:00", mtime_ns=0)
    assert d is not None and d.source == "pdf-metadata" and d.value.startswith("2025-03-01")
    d = decide_occurred_at(name="bill.pdf", tz=CST, mtime_ns=1_741_852_800 * 10**9)
    assert d is not None and (d.value, d.source) == ("2025-03-13T16:00:00+08:00", "mtime")
