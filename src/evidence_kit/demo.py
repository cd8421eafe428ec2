"""``evidence-kit demo``: a case made from the shipped, fictional samples, read and bundled."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evidence_kit.case import CONFIG_NAME, init_case, is_case
from evidence_kit.errors import EvidenceKitError
from evidence_kit.i18n import _
from evidence_kit.intake.ingest import Ingester, IngestResult, IngestStatus, status_word
from evidence_kit.ledger.events import Ledger
from evidence_kit.resources import shipped_dir

# Files in samples/ that make the samples rather than being evidence.
_NOT_EVIDENCE = {"make_samples.py", "render.py", "README.md", CONFIG_NAME}


@dataclass
class DemoResult:
    case: Path
    results: list[IngestResult] = field(default_factory=list)
    bundle: Path | None = None
    bundle_pages: int | None = None
    bundle_error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "case": str(self.case),
            "files": [r.to_json() for r in self.results],
            "bundle": str(self.bundle) if self.bundle else None,
            "bundle_pages": self.bundle_pages,
            "bundle_error": self.bundle_error,
        }

    def summary(self) -> str:
        ok = sum(r.status is not IngestStatus.FAILED for r in self.results)
        lines = [
            _("Demo case: {case}  ({ok} of {total} sample files in the ledger)").format(
                case=self.case, ok=ok, total=len(self.results)
            )
        ]
        if self.bundle:
            lines.append(
                _("Complaint package: {path}  ({pages} pages)").format(
                    path=self.bundle, pages=self.bundle_pages
                )
            )
        elif self.bundle_error:
            lines.append(_("No package built: {error}").format(error=self.bundle_error))
        lines.append(_("Next: cd {case} && evidence-kit search 罚息").format(case=self.case))
        return "\n".join(lines)


def sample_files() -> list[Path]:
    root = shipped_dir("samples")
    return sorted(
        p
        for p in root.iterdir()
        if p.is_file() and p.name not in _NOT_EVIDENCE and not p.name.startswith(".")
    )


def run_demo(
    target: Path,
    *,
    clock: Callable[[], datetime],
    engine_name: str | None = None,
    say: Callable[[str], None] = lambda _m: None,
    recipient: str = "regulator",
) -> DemoResult:
    target = target.expanduser().resolve()
    fresh = not is_case(target)
    case, _created = init_case(target)
    samples = shipped_dir("samples")
    if fresh and (samples / CONFIG_NAME).exists():
        shutil.copyfile(samples / CONFIG_NAME, case.config_path)
    for src in sample_files():
        dest = case.root / src.name
        if not dest.exists():
            shutil.copy2(src, dest)  # keep mtimes: they are the last-resort date
    say(_("Reading the sample evidence into {folder} …").format(folder=case.root))
    analyzer = None
    try:
        from evidence_kit.intake.content import ContentAnalyzer

        analyzer = ContentAnalyzer(
            cache_dir=case.cache_dir, engine_name=engine_name, utc_offset=case.utc_offset()
        )
    except ModuleNotFoundError:
        pass
    result = DemoResult(case.root)
    with Ledger(case.ledger_path, case.head_path) as ledger:
        ingester = Ingester(case, ledger, clock=clock, analyzer=analyzer)
        for r in ingester.run():
            result.results.append(r)
            word = status_word(r.status)
            say(f"  {word:<10} {r.path}" + (f": {r.error}" if r.error else ""))
        try:
            from evidence_kit.bundle.from_case import build_case_bundle, default_output
        except ModuleNotFoundError:
            return result
        out = default_output(case, recipient, clock().astimezone())
        try:
            built = build_case_bundle(case, ledger, recipient=recipient, out=out, clock=clock)
            result.bundle, result.bundle_pages = built.path, built.pages
        except EvidenceKitError as e:
            result.bundle_error = str(e)
    return result
