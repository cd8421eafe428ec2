"""Render one page of each recipient's package, built from the demo case, into docs/.

Run: python docs/render_pages.py   (needs poppler-utils; takes about a minute: OCR of samples/)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from evidence_kit.bundle.from_case import build_case_bundle
from evidence_kit.demo import run_demo
from evidence_kit.ledger.events import Ledger

DOCS = Path(__file__).resolve().parent
RECIPIENTS = ("consumer-association", "regulator", "credit-dispute", "court", "negotiation")
# A fixed "now" inside the story, so the pages do not change with the day they are made.
NOW = datetime(2025, 3, 21, 10, 0, tzinfo=timezone.utc)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = run_demo(Path(tmp) / "demo", clock=lambda: NOW)
        case = result.case
        from evidence_kit.case import Case

        c = Case(case)
        with Ledger(c.ledger_path, c.head_path) as ledger:
            for recipient in RECIPIENTS:
                pdf = Path(tmp) / f"{recipient}.pdf"
                built = build_case_bundle(c, ledger, recipient=recipient, out=pdf,
                                          clock=lambda: NOW)
                for page in (1, 2):
                    stem = DOCS / f"bundle-{recipient}" if page == 1 else \
                        DOCS / f"bundle-{recipient}-p2"
                    subprocess.run(
                        ["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(page),
                         "-l", str(page), str(pdf), str(stem)],
                        check=True,
                    )
                print(f"{recipient:<22} {built.pages:>3} pages  {built.size_bytes / 1e6:.1f} MB")


if __name__ == "__main__":
    sys.exit(main())
