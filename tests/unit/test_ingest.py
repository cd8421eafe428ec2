import io
import json
import os
from pathlib import Path

from evidence_kit.case import Case
from evidence_kit.intake.ingest import Ingester, IngestStatus
from evidence_kit.ledger.events import Ledger
from tests.conftest import png_bytes


def ingest(case: Case, clock, paths=None):  # type: ignore[no-untyped-def]
    with Ledger(case.ledger_path, case.head_path) as led:
        return {r.path: r for r in Ingester(case, led, clock=clock).run(paths)}


def bad_batch(root: Path) -> dict[str, str]:
    """Every kind of bad input next to good files. Returns name → expected error fragment."""
    from PIL import Image
    from pypdf import PdfWriter

    (root / "good.png").write_bytes(png_bytes(50, 80, "green"))
    (root / "通话记录.txt").write_text("3月10日 催收来电", "utf-8")
    (root / "gbk笔记.txt").write_bytes("逾期金额3000元".encode("gbk"))
    (root / "empty.jpg").write_bytes(b"")
    buf = io.BytesIO()
    Image.effect_noise((300, 300), 50).convert("RGB").save(buf, "PNG")
    (root / "truncated.png").write_bytes(buf.getvalue()[:4000])
    (root / "fake.png").write_text("not an image at all", "utf-8")
    w = PdfWriter()
    w.add_blank_page(100, 100)
    w.encrypt(user_password="pw", owner_password="pw2")
    buf = io.BytesIO()
    w.write(buf)
    (root / "locked.pdf").write_bytes(buf.getvalue())
    buf = io.BytesIO()
    Image.new("1", (15000, 15000)).save(buf, "PNG")
    (root / "bomb.png").write_bytes(buf.getvalue())
    os.symlink("loop2", root / "loop1")
    os.symlink("loop1", root / "loop2")
    os.symlink("/etc/hostname", root / "outside-link.txt")
    os.mkfifo(root / "pipe")
    return {
        "empty.jpg": "empty",
        "truncated.png": "truncated",
        "fake.png": "content is text",
        "locked.pdf": "password",
        "bomb.png": "decompression bomb",
        "loop1": "loops back",
        "loop2": "loops back",
        "outside-link.txt": "outside the case folder",
        "pipe": "not a regular file",
    }


def test_bad_files_fail_one_by_one_and_the_rest_goes_in(case: Case, clock) -> None:  # type: ignore[no-untyped-def]
    expected = bad_batch(case.root)
    results = ingest(case, clock)
    for name, fragment in expected.items():
        r = results[name]
        assert r.status is IngestStatus.FAILED, name
        assert r.error and fragment in r.error, (name, r.error)
        assert "\n" not in r.error  # one line each
    for good in ("good.png", "通话记录.txt", "gbk笔记.txt"):
        assert results[good].status is IngestStatus.INGESTED
    # Rejected bytes are not kept in the store; accepted ones are.
    with Ledger(case.ledger_path, case.head_path) as led:
        assert led.entry_count() == 3
        assert {e.kind.value for e in led.entries()} == {"chat", "note"}
    stored = [p for p in case.objects_dir.rglob("*") if p.is_file()]
    assert len(stored) == 3


def test_cli_ingest_jsonl_and_exit_code(case: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    bad_batch(case.root)
    r = run_cli("--case", str(case.root), "ingest", "--no-ocr", "--json")
    assert r.code == 1
    lines = [json.loads(x) for x in r.out.splitlines()]
    assert all(set(x) >= {"path", "status", "id", "error"} for x in lines)
    by_path = {x["path"]: x for x in lines}
    assert by_path["good.png"]["status"] == "ingested" and len(by_path["good.png"]["id"]) == 12
    assert by_path["fake.png"]["status"] == "failed" and by_path["fake.png"]["id"] is None
    again = run_cli("--case", str(case.root), "ingest", "--no-ocr", "--json")
    statuses = {json.loads(x)["path"]: json.loads(x)["status"] for x in again.out.splitlines()}
    assert statuses["good.png"] == "unchanged"
    r = run_cli("--case", str(case.root), "ingest", "--no-ocr")
    assert "failed     fake.png:" in r.err and "Traceback" not in r.err


def test_duplicate_bytes_are_one_entry_with_a_sighting(case: Case, clock) -> None:  # type: ignore[no-untyped-def]
    data = png_bytes(30, 30, "red")
    (case.root / "a.png").write_bytes(data)
    (case.root / "sub").mkdir()
    (case.root / "sub" / "copy of a.png").write_bytes(data)
    results = ingest(case, clock)
    statuses = sorted(r.status.value for r in results.values())
    assert statuses == ["duplicate", "ingested"]
    assert len({r.id for r in results.values()}) == 1
    with Ledger(case.ledger_path, case.head_path) as led:
        assert led.entry_count() == 1
        types = [e.type for e in led.events()]
    assert types == ["ingested", "sighted"]


def test_unchanged_files_are_not_reread(case: Case, clock) -> None:  # type: ignore[no-untyped-def]
    p = case.root / "note.txt"
    p.write_text("原始内容 AAAA", "utf-8")
    first = ingest(case, clock)["note.txt"]
    st = os.stat(p)
    # Same size and mtime but other bytes: only a re-hash could notice, and none is done.
    p.write_text("原始内容 BBBB", "utf-8")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    second = ingest(case, clock)["note.txt"]
    assert second.status is IngestStatus.UNCHANGED and second.id == first.id
    # A real edit (new mtime) is picked up as a new version; the old one stays in the ledger.
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    third = ingest(case, clock)["note.txt"]
    assert third.status is IngestStatus.INGESTED and third.id != first.id


def test_users_files_are_never_touched(case: Case, clock) -> None:  # type: ignore[no-untyped-def]
    p = case.root / "shot.png"
    p.write_bytes(png_bytes())
    before = (p.read_bytes(), os.stat(p).st_mtime_ns, os.stat(p).st_mode)
    ingest(case, clock)
    assert (p.read_bytes(), os.stat(p).st_mtime_ns, os.stat(p).st_mode) == before


def test_ignores_the_kits_own_files_and_sync_junk(case: Case, clock) -> None:  # type: ignore[no-untyped-def]
    for name in (".DS_Store", "~$draft.docx", "photo.jpg.part", ".syncthing.x.tmp", "a.crdownload"):
        (case.root / name).write_bytes(b"junk")
    assert ingest(case, clock) == {}


def test_explicit_paths_outside_the_case(case: Case, tmp_path: Path, clock) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "Downloads"
    outside.mkdir()
    (outside / "bill.txt").write_text("本期应还 ¥1,234.56", "utf-8")
    results = ingest(case, clock, [outside / "bill.txt", tmp_path / "nope.png"])
    assert results[str(outside / "bill.txt")].status is IngestStatus.INGESTED
    assert "does not exist" in (results[str(tmp_path / "nope.png")].error or "")


def test_annotate_cli(case: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    (case.root / "n.txt").write_text("催收电话", "utf-8")
    r = run_cli("--case", str(case.root), "ingest", "--no-ocr", "--json")
    eid = json.loads(r.out.splitlines()[0])["id"]
    r = run_cli(
        "--case",
        str(case.root),
        "annotate",
        eid[:6],
        "--title",
        "催收电话记录",
        "--occurred-at",
        "2025-03-10 14:20",
        "--exclude",
        "--json",
    )
    assert r.code == 0, r.err
    got = json.loads(r.out)
    assert got["occurred_at"] == "2025-03-10T14:20:00+08:00" and got["excluded"] is True
    r = run_cli("--case", str(case.root), "annotate", eid, "--occurred-at", "2025-13-45")
    assert r.code == 2 and "not a real date" in r.err
    r = run_cli("--case", str(case.root), "annotate", "zzzz", "--title", "x")
    assert r.code == 1 and "no entry" in r.err
    r = run_cli("--case", str(case.root), "annotate", eid)
    assert r.code == 2 and "nothing to change" in r.err
