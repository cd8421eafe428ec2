"""Issue 11: hostile files never stop a batch, and every file is read for what it is."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from evidence_kit.case import OUTPUT_DIR, Case
from evidence_kit.intake import filetypes
from evidence_kit.intake.content import INDEX_LIMIT_CHARS, ContentAnalyzer
from evidence_kit.intake.filetypes import decode_note, inspect_file
from evidence_kit.intake.ingest import Ingester, IngestResult, IngestStatus, readable_name
from evidence_kit.ledger.events import Ledger
from evidence_kit.models import Kind
from tests.hostile_corpus import NOTE_JA, NOTE_ZH_HANS, NOTE_ZH_HANT, build, kit_package, png

Clock = Callable[[], datetime]


def ingest(case: Case, clock: Clock, paths=None, analyzer=None) -> dict[str, IngestResult]:  # type: ignore[no-untyped-def]
    with Ledger(case.ledger_path, case.head_path) as led:
        return {r.path: r for r in Ingester(case, led, clock=clock, analyzer=analyzer).run(paths)}


def test_generated_hostile_corpus(case: Case, clock: Clock) -> None:
    expected = build(case.root)
    results = ingest(case, clock)
    shown = {readable_name(k): v for k, v in expected.items()}
    assert set(results) == set(shown)
    with Ledger(case.ledger_path, case.head_path) as led:
        for name, want in shown.items():
            r = results[name]
            assert r.status.value == want.status, (name, r)
            if want.fragment and want.status == "failed":
                assert want.fragment in (r.error or ""), (name, r.error)
            if want.fragment and want.status == "ingested":
                assert want.fragment in (r.warning or ""), (name, r.warning)
            if want.kind:
                assert led.get_entry(r.id or "").kind.value == want.kind, name
            if r.error:
                assert "\n" not in r.error and "Traceback" not in r.error
    # A second run: the same answer for every file, and the ingested ones unchanged.
    again = ingest(case, clock)
    for name, r in results.items():
        if r.status is IngestStatus.FAILED:
            assert again[name].status is IngestStatus.FAILED and again[name].error == r.error
        else:
            assert again[name].status is IngestStatus.UNCHANGED, name


def test_png_named_mp3_is_refused_on_every_run_even_with_a_twin(case: Case, clock: Clock) -> None:
    data = png(30, 30, "red")
    (case.root / "a.mp3").write_bytes(data)
    (case.root / "b.png").write_bytes(data)  # same bytes, ingested after a.mp3
    for _ in range(3):
        r = ingest(case, clock)
        assert r["a.mp3"].status is IngestStatus.FAILED
        assert "named .mp3" in (r["a.mp3"].error or "")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (NOTE_ZH_HANT.encode("big5"), "big5"),
        (NOTE_ZH_HANS.encode("utf-16-be"), "utf-16-be"),
        (NOTE_ZH_HANS.encode("utf-16-le"), "utf-16-le"),
        (NOTE_JA.encode("shift_jis"), "shift_jis"),
        (NOTE_ZH_HANS.encode("gb18030"), "gbk"),
        (NOTE_ZH_HANS.encode("utf-8"), "utf-8"),
    ],
)
def test_encodings_are_detected_not_guessed(data: bytes, encoding: str) -> None:
    decoded = decode_note(data)
    assert decoded is not None and decoded.encoding == encoding and decoded.confident
    assert "2025年3月10日" in decoded.text


def test_binary_is_never_a_note(tmp_path: Path) -> None:
    p = tmp_path / "x.psd"
    p.write_bytes(b"8BPS" + bytes(range(256)) * 40)
    with pytest.raises(Exception, match="cannot read"):
        inspect_file(p, "x.psd")
    q = tmp_path / "blob"
    q.write_bytes(bytes(range(256)) * 40)
    assert inspect_file(q, "blob").kind is Kind.DOCUMENT


def test_a_short_odd_note_is_kept_with_a_warning_and_no_content_date(
    case: Case, clock: Clock
) -> None:
    (case.root / "n.txt").write_bytes("2025年3月1日催收".encode("big5"))
    analyzer = ContentAnalyzer(cache_dir=None)
    r = ingest(case, clock, analyzer=analyzer)["n.txt"]
    assert r.status is IngestStatus.INGESTED
    assert "encoding was guessed" in (r.warning or "")
    with Ledger(case.ledger_path, case.head_path) as led:
        e = led.get_entry(r.id or "")
        assert e.occurred_at_source != "content"


def test_huge_note_is_stored_whole_but_indexed_bounded(
    case: Case, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real bound is INDEX_LIMIT_CHARS (1,000,000); a small one keeps the test fast.
    assert INDEX_LIMIT_CHARS == 1_000_000
    monkeypatch.setattr("evidence_kit.intake.content.INDEX_LIMIT_CHARS", 10_000)
    text = ("催收来电，逾期金额3000元。" * 2_000).encode("utf-8")  # one line, 28,000 characters
    (case.root / "huge.txt").write_bytes(text)
    r = ingest(case, clock, analyzer=ContentAnalyzer(cache_dir=None))["huge.txt"]
    assert r.status is IngestStatus.INGESTED and "only its first" in (r.warning or "")
    with Ledger(case.ledger_path, case.head_path) as led:
        e = led.get_entry(r.id or "")
        assert e.size == len(text)
        assert (case.objects_dir / e.sha256[:2] / e.sha256[2:]).stat().st_size == len(text)
        assert len(e.text) == 10_000


def test_non_utf8_file_name_is_stored_faithfully(case: Case, clock: Clock) -> None:
    raw = "通话记录".encode("gbk") + b".txt"
    with open(os.path.join(os.fsencode(case.root), raw), "wb") as f:
        f.write("3月10日 催收来电".encode())
    r = ingest(case, clock)
    assert list(r) == ["通话记录.txt"] and r["通话记录.txt"].status is IngestStatus.INGESTED
    with Ledger(case.ledger_path, case.head_path) as led:
        events = [ev.payload for ev in led.events() if ev.type == "ingested"]
    assert bytes.fromhex(events[0]["path_bytes"]).endswith(raw)


def test_output_folder_is_skipped_and_packages_are_recognised(case: Case, clock: Clock) -> None:
    (case.root / OUTPUT_DIR).mkdir()
    (case.root / OUTPUT_DIR / "a.pdf").write_bytes(kit_package())
    (case.root / "sub").mkdir()
    (case.root / "sub" / "b.pdf").write_bytes(kit_package())
    r = ingest(case, clock)
    assert list(r) == ["sub/b.pdf"]
    assert "package made by evidence-kit" in (r["sub/b.pdf"].error or "")


def test_one_exception_in_ten_files_fails_only_that_file(
    case: Case, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(10):
        (case.root / f"n{i}.txt").write_text(f"第{i}条 催收来电 3000元", "utf-8")
    real = filetypes.inspect_file

    def flaky(stored: Path, name: str, *more):  # type: ignore[no-untyped-def]
        if name == "n4.txt":
            raise RuntimeError("boom")
        return real(stored, name, *more)

    monkeypatch.setattr("evidence_kit.intake.ingest.inspect_file", flaky)
    r = ingest(case, clock)
    assert [k for k, v in r.items() if v.status is IngestStatus.INGESTED] == [
        f"n{i}.txt" for i in range(10) if i != 4
    ]
    assert r["n4.txt"].status is IngestStatus.FAILED
    assert "internal error (RuntimeError), please report it" in (r["n4.txt"].error or "")


def test_one_exception_in_ten_analyses_fails_only_that_file(
    case: Case, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(10):
        (case.root / f"n{i}.txt").write_text(f"第{i}条 催收来电 3000元", "utf-8")
    real = ContentAnalyzer.from_text

    def flaky(self, text, job, **kw):  # type: ignore[no-untyped-def]
        if job.original_name == "n7.txt":
            raise KeyError("boom")
        return real(self, text, job, **kw)

    monkeypatch.setattr(ContentAnalyzer, "from_text", flaky)
    r = ingest(case, clock, analyzer=ContentAnalyzer(cache_dir=None))
    assert all(v.status is IngestStatus.INGESTED for v in r.values()) and len(r) == 10
    with Ledger(case.ledger_path, case.head_path) as led:
        texts = {e.original_name: e for e in led.entries()}
    assert "internal error (KeyError)" in texts["n7.txt"].meta["analysis_warning"]
    assert all("3000" in texts[f"n{i}.txt"].text for i in range(10) if i != 7)


def test_audio_durations_are_never_made_up(tmp_path: Path) -> None:
    from tests.hostile_corpus import wav

    for name, data, want in [
        ("h.wav", wav(5.0, keep=0.0), None),
        ("t.wav", wav(5.0, keep=0.2), 1.0),
        ("w.wav", wav(3.0), 3.0),
    ]:
        p = tmp_path / name
        p.write_bytes(data)
        got = inspect_file(p, name).meta.get("duration_s")
        assert (got is None) if want is None else got == pytest.approx(want, abs=0.01)


def test_multipage_tiff_is_read_page_by_page(tmp_path: Path) -> None:
    from evidence_kit.models import Box, OcrLine
    from evidence_kit.ocr import read_file
    from tests.hostile_corpus import tiff_pages

    class Counting:
        name = "counting"

        def read(self, image):  # type: ignore[no-untyped-def]
            return [OcrLine(f"page {image.getpixel((0, 0))}", Box(0, 0, 10, 10), 0.9)]

    p = tmp_path / "fax.tif"
    p.write_bytes(tiff_pages(3))
    facts = inspect_file(p, "fax.tif")
    assert facts.kind is Kind.DOCUMENT and facts.meta["pages"] == 3
    result = read_file(p, Counting(), "image")  # type: ignore[arg-type]
    assert [line.page for line in result.lines] == [0, 1, 2]


def test_watch_never_takes_in_the_kits_packages(case: Case, clock: Clock) -> None:
    from evidence_kit.intake.watch import WatchConfig, Watcher

    (case.root / OUTPUT_DIR).mkdir()
    (case.root / OUTPUT_DIR / "投诉书_20250401.pdf").write_bytes(kit_package())
    (case.root / OUTPUT_DIR / ".投诉书_20250401.pdf.x1y2.part").write_bytes(b"%PDF-1.7 half")
    (case.root / "copied_back.pdf").write_bytes(kit_package())
    (case.root / "a.txt").write_text("通话记录 一", "utf-8")
    results: list[IngestResult] = []
    with Ledger(case.ledger_path, case.head_path) as led:
        config = WatchConfig(settle=0.2, tick=0.05)
        Watcher(Ingester(case, led, clock=clock), on_result=results.append, config=config).run(
            once=True
        )
        assert led.entry_count() == 1
    got = {r.path: r for r in results}
    assert set(got) == {"a.txt", "copied_back.pdf"}
    assert "package made by evidence-kit" in (got["copied_back.pdf"].error or "")


def test_the_kits_manifest_is_recognised_by_the_same_names_bundle_writes() -> None:
    from evidence_kit.bundle.manifest import FORMAT, MANIFEST_NAME

    assert MANIFEST_NAME == filetypes.KIT_MANIFEST_NAME
    assert FORMAT.encode().startswith(filetypes.KIT_FORMAT_PREFIX)


def test_ocr_errors_name_the_users_file_not_the_store(
    case: Case, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evidence_kit.errors import OcrError

    def failing_pool(jobs, **_kw):  # type: ignore[no-untyped-def]
        for job in jobs:
            yield job, OcrError(f"{job.path}: the reading process crashed on this file")

    monkeypatch.setattr("evidence_kit.ocr.ocr_many", failing_pool)
    (case.root / "聊天.png").write_bytes(png(40, 40, "white"))
    r = ingest(case, clock, analyzer=ContentAnalyzer(cache_dir=None))["聊天.png"]
    assert "聊天.png: the reading process crashed" in (r.warning or "")
    assert str(case.objects_dir) not in (r.warning or "")


def test_c_library_chatter_goes_to_the_intake_log(
    case: Case, clock: Clock, capfd: pytest.CaptureFixture[str]
) -> None:
    """What a C library writes to fd 2 while a file is decoded lands in the case's log."""
    real = filetypes._inspect

    def noisy(stored: Path, name: str) -> filetypes.FileFacts:
        os.write(2, b"TIFFFillStrip: Read error on strip 0\n")
        return real(stored, name)

    mp = pytest.MonkeyPatch()
    mp.setattr(filetypes, "_inspect", noisy)
    try:
        (case.root / "a.txt").write_text("催收来电", "utf-8")
        assert ingest(case, clock)["a.txt"].status is IngestStatus.INGESTED
    finally:
        mp.undo()
    assert "TIFFFillStrip" not in capfd.readouterr().err
    assert "TIFFFillStrip" in (case.cache_dir / "intake.log").read_text("utf-8")


@pytest.mark.parametrize("encoding", ["gbk", "big5", "shift_jis", "utf-16-be"])
@pytest.mark.parametrize("sep", ["\n", "，"])
def test_long_notes_are_detected_past_the_sample(tmp_path: Path, encoding: str, sep: str) -> None:
    """A note longer than the sniffed sample, with and without newlines, is still a note."""
    line = {"gbk": NOTE_ZH_HANS, "big5": NOTE_ZH_HANT, "shift_jis": NOTE_JA}.get(
        encoding, NOTE_ZH_HANS
    ).replace("\n", sep)
    data = ("x" + line * 5000).encode(encoding)
    assert len(data) > 4 * filetypes.TEXT_SNIFF
    p = tmp_path / "long.txt"
    p.write_bytes(data)
    facts = inspect_file(p, "long.txt")
    assert facts.kind is Kind.NOTE and facts.encoding == encoding
    decoded = decode_note(data)
    assert decoded is not None and decoded.text.startswith("x") and "2025年3月10日" in decoded.text
