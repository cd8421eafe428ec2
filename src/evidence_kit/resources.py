"""Files shipped with the kit (templates/, samples/), found in a wheel or a source checkout."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.errors import MissingDependencyError

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """``data/<name>`` inside an installed wheel, else ``<repo>/<name>`` in a checkout."""
    for candidate in (_PACKAGE / "data" / name, _PACKAGE.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise MissingDependencyError(
        f"the kit's {name}/ folder is missing from this installation",
        "reinstall evidence-kit (pip install --force-reinstall evidence-kit)",
    )
