"""Complaint packages (PDF): cover, letter, timeline, evidence list, exhibits, integrity
appendix, the originals attached. Importing this package is cheap; ReportLab and pypdf load
only when a package is built or verified.

May import: ``query``, ``ledger``, ``analysis``, ``models``, ``errors``, ``case``,
``resources``, ``i18n``. Never ``intake``, ``cli`` or ``web``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import evidence_kit
from evidence_kit import models
from evidence_kit.bundle.build import BundleResult
from evidence_kit.bundle.manifest import AttachmentCheck, BundleVerification
from evidence_kit.bundle.manifest import verify_bundle as _verify_bundle
from evidence_kit.bundle.template import RECIPIENTS, MissingField
from evidence_kit.bundle.template import missing_fields as _missing_fields

__all__ = [
    "RECIPIENTS",
    "AttachmentCheck",
    "BundleRequest",
    "BundleResult",
    "BundleVerification",
    "MissingField",
    "PackageGaps",
    "build_bundle",
    "missing_fields",
    "package_gaps",
    "verify_bundle",
]


@dataclass(frozen=True)
class BundleRequest:
    recipient: str  # consumer-association|regulator|credit-dispute|court|negotiation
    config: dict[str, Any]  # parsed case.toml
    entries: tuple[models.Entry, ...]  # already selected and ordered by the caller
    object_path: Callable[[str], Path]  # sha256 -> stored original (read-only)
    ledger_head: str
    generated_at: datetime  # injected clock
    redact: bool = False
    draft: bool = False
    analysis: dict[str, Any] | None = None
    template_dir: Path | None = None
    tool_version: str = evidence_kit.__version__


def build_bundle(
    req: BundleRequest, out: Path, *, progress: Callable[[int, int], None] | None = None
) -> BundleResult:
    """Write the package to ``out`` (atomically). Raises BundleError with the case.toml keys to
    fill, or naming the entry whose stored original is missing or corrupt."""
    from evidence_kit.bundle.build import build

    return build(req, Path(out), progress)


def missing_fields(
    recipient: str, config: dict[str, Any], template_dir: Path | None = None
) -> list[MissingField]:
    """Required keys for this recipient that case.toml leaves empty: (key, label_zh)."""
    return _missing_fields(recipient, config, template_dir)


@dataclass(frozen=True)
class PackageGaps:
    """What case.toml leaves empty for one package: ``missing`` blocks building it (without
    ``--draft``); ``court_only`` is needed only if the dispute goes to a court filing."""

    recipient: str
    missing: tuple[MissingField, ...]
    court_only: tuple[MissingField, ...]


def package_gaps(
    recipient: str, config: dict[str, Any], template_dir: Path | None = None
) -> PackageGaps:
    """The fields to fill for this recipient's package, and apart from them the fields only a
    court package asks for (none when ``recipient`` is the court)."""
    from evidence_kit.bundle.template import load_template

    missing = tuple(_missing_fields(recipient, config, template_dir))
    court_only: tuple[MissingField, ...] = ()
    if recipient != "court":
        needed = {f.key for f in load_template(recipient, template_dir).required}
        court_only = tuple(
            f for f in _missing_fields("court", config, template_dir) if f.key not in needed
        )
    return PackageGaps(recipient, missing, court_only)


def verify_bundle(pdf: Path) -> BundleVerification:
    """Re-hash the embedded originals against the manifest. ``.ok`` is False on any mismatch;
    ``.raise_if_failed()`` raises VerificationError (exit code 3)."""
    return _verify_bundle(Path(pdf))
