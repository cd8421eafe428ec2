"""The manifest embedded in every package, and checking a package against it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.errors import VerificationError

MANIFEST_NAME = "manifest.json"
FORMAT = "evidence-kit-bundle/1"


def attachment_name(label: str, original_name: str) -> str:
    safe = "".join(c if c not in '/\\:*?"<>|' else "_" for c in original_name)
    return f"{label}_{safe}"


def manifest_json(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")


@dataclass(frozen=True)
class AttachmentCheck:
    name: str
    expected_sha256: str
    actual_sha256: str | None  # None: the attachment is missing
    ok: bool


@dataclass(frozen=True)
class BundleVerification:
    path: Path
    manifest_found: bool
    redacted: bool
    checks: tuple[AttachmentCheck, ...]
    ledger_head: str | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.manifest_found and self.problem is None and all(c.ok for c in self.checks)

    def raise_if_failed(self) -> None:
        if self.ok:
            return
        if not self.manifest_found:
            raise VerificationError(
                f"{self.path}: {self.problem or 'no manifest.json attached'}",
                hint="this file is not an evidence-kit package, or it was altered",
            )
        bad = [c for c in self.checks if not c.ok]
        detail = "; ".join(
            f"{c.name}: {'missing' if c.actual_sha256 is None else 'hash differs'}" for c in bad
        )
        raise VerificationError(
            f"{self.path}: {len(bad)} attachment(s) fail: {detail}",
            hint="the package was altered after it was built; rebuild it",
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "ok": self.ok,
            "manifest_found": self.manifest_found,
            "redacted": self.redacted,
            "ledger_head": self.ledger_head,
            "problem": self.problem,
            "attachments": [
                {
                    "name": c.name,
                    "expected_sha256": c.expected_sha256,
                    "actual_sha256": c.actual_sha256,
                    "ok": c.ok,
                }
                for c in self.checks
            ],
        }


def verify_bundle(pdf: Path) -> BundleVerification:
    """Recompute every embedded original's SHA-256 and compare it with the manifest."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attachments = PdfReader(pdf).attachments
        files = {name: list(attachments[name]) for name in attachments}
    except (PdfReadError, OSError, ValueError, KeyError) as e:
        return BundleVerification(pdf, False, False, (), problem=f"not a readable PDF ({e})")
    raw = files.get(MANIFEST_NAME)
    if not raw:
        return BundleVerification(pdf, False, False, (), problem="no manifest.json attached")
    try:
        manifest = json.loads(raw[0].decode("utf-8"))
        exhibits = manifest["exhibits"]
    except (ValueError, KeyError, TypeError) as e:
        return BundleVerification(pdf, False, False, (), problem=f"manifest.json unreadable ({e})")
    redacted = bool(manifest.get("redacted"))
    checks = []
    # a recording kept in two formats is one exhibit with both originals attached
    flat = [x for ex in exhibits for x in (ex, *(ex.get("twins") or []))]
    for ex in flat:
        name = ex.get("attachment")
        if not name:
            if not redacted:
                checks.append(
                    AttachmentCheck(str(ex.get("original_name")), ex.get("sha256", ""), None, False)
                )
            continue
        blobs = files.get(name)
        actual = hashlib.sha256(blobs[0]).hexdigest() if blobs else None
        checks.append(
            AttachmentCheck(name, ex.get("sha256", ""), actual, actual == ex.get("sha256"))
        )
    return BundleVerification(pdf, True, redacted, tuple(checks), manifest.get("ledger_head"))
