"""Where a recipient's template lives: the user's own folder, or the shipped templates/."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.resources import shipped_dir


def shipped_template_dir() -> Path:
    """``evidence_kit/data/templates`` in a wheel, ``<repo>/templates`` in a checkout."""
    return shipped_dir("templates")


def template_path(recipient: str, template_dir: Path | None = None) -> Path:
    return (template_dir or shipped_template_dir()) / f"{recipient}.toml"
