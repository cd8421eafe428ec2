"""Where the shipped templates live: inside the installed package, or at the repo root."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/evidence_kit


def shipped_template_dir() -> Path:
    """``evidence_kit/data/templates`` in a wheel (the build copies ``templates/`` there),
    else ``<repo root>/templates`` in a checkout."""
    packaged = _PACKAGE_DIR / "data" / "templates"
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent.parent / "templates"


def template_path(recipient: str, template_dir: Path | None = None) -> Path:
    return (template_dir or shipped_template_dir()) / f"{recipient}.toml"
