"""Benchmark: a 200-exhibit complaint package (generated chat screenshots ~1080×2400 and small
PDFs). Prints build seconds, pages, PDF size vs the originals' total, and the size budget
(2.5 × originals + 2 MB, originals included). Run: python benchmarks/bench_bundle.py [N]"""

from __future__ import annotations

import hashlib
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import tomllib

from evidence_kit.bundle import BundleRequest, build_bundle, verify_bundle
from evidence_kit.models import Entry, Kind, Message, Side

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "samples"))
TZ = timezone(timedelta(hours=8))


def _screenshots(folder: Path, n: int) -> list[Path]:
    import render  # samples/render.py: fictional phone screenshots

    lines = [
        "您好，您的账单已逾期，请尽快还款",
        "我目前失业，想申请协商还款",
        "今天 18:00 前还 1,234.56 元，否则联系您的紧急联系人",
        "请提供书面的还款方案",
        "我方法务部将上门核实",
    ]
    out = []
    for i in range(n):
        msgs = [{"type": "time", "text": f"3月{1 + i % 28}日 22:{i % 60:02d}"}]
        msgs += [
            {"side": "them" if k % 2 == 0 else "me", "text": lines[(i + k) % len(lines)]}
            for k in range(9)
        ]
        img, _ = render.render_chat(msgs, seed=i, min_height=2400)
        path = folder / f"Screenshot_202503{1 + i % 28:02d}-22{i % 60:02d}00_{i}.png"
        img.save(path)
        out.append(path)
    return out


def _pdfs(folder: Path, n: int) -> list[Path]:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("BenchFont", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
    out = []
    for i in range(n):
        path = folder / f"账单_{i}.pdf"
        c = Canvas(str(path), initialFontName="BenchFont")
        c.setFont("BenchFont", 14)
        c.drawString(72, 760, f"示例消费金融 电子账单 No.{i}")
        for k in range(20):
            c.drawString(
                72, 720 - k * 22, f"2025-03-{1 + k % 28:02d}  分期还款  958.33 元  服务费 45.00 元"
            )
        c.showPage()
        c.save()
        out.append(path)
    return out


def _entry(path: Path, i: int) -> Entry:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    is_pdf = path.suffix == ".pdf"
    when = (datetime(2025, 3, 1, 8, 0, tzinfo=TZ) + timedelta(hours=7 * i)).isoformat()
    msgs = () if is_pdf else (Message(Side.THEM, "您的账单已逾期，请尽快还款", when),)
    return Entry(
        id=f"e{i:04d}",
        sha256=sha,
        kind=Kind.BILL if is_pdf else Kind.CHAT,
        original_name=path.name,
        original_path=path.name,
        size=len(data),
        mime="application/pdf" if is_pdf else "image/png",
        occurred_at=when,
        occurred_at_source="filename",
        ingested_at="2025-04-01T10:00:00+08:00",
        messages=msgs,
    )


def main(n: int = 200) -> None:
    cfg = tomllib.loads((ROOT / "samples" / "case.toml").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        n_pdf = n // 5
        files = _screenshots(folder, n - n_pdf) + _pdfs(folder, n_pdf)
        print(f"generated {len(files)} originals in {time.perf_counter() - t0:.1f} s")
        entries = sorted(
            (_entry(p, i) for i, p in enumerate(files)), key=lambda e: e.occurred_at or ""
        )
        by_sha = {e.sha256: folder / e.original_name for e in entries}
        total = sum(e.size for e in entries)
        req = BundleRequest(
            recipient="regulator",
            config=cfg,
            entries=tuple(entries),
            object_path=by_sha.__getitem__,
            ledger_head="0" * 64,
            generated_at=datetime(2025, 4, 1, 12, 0, tzinfo=TZ),
        )
        out = folder / "bundle.pdf"
        t0 = time.perf_counter()
        result = build_bundle(req, out)
        seconds = time.perf_counter() - t0
        t0 = time.perf_counter()
        ok = verify_bundle(out).ok
        verify_s = time.perf_counter() - t0
        budget = 2.5 * total + 2 * 1024 * 1024
        print(f"exhibits:           {result.exhibits} ({n - n_pdf} PNG screenshots, {n_pdf} PDFs)")
        print(f"build seconds:      {seconds:.1f}  (target < 20)")
        print(f"pages:              {result.pages}")
        print(f"originals total:    {total / 1e6:.1f} MB")
        print(
            f"PDF size:           {result.size_bytes / 1e6:.1f} MB "
            f"({result.size_bytes / total:.2f} × originals)"
        )
        print(
            f"budget:             {budget / 1e6:.1f} MB (2.5 × originals + 2 MB); "
            f"used {result.size_bytes / budget:.0%}"
        )
        print(f"verify --bundle:    {'ok' if ok else 'FAILED'} in {verify_s:.1f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
