"""Command line: parsing and rendering only. Every command calls one library function.

Exit codes (documented in the README): 0 ok, 1 error explained on stderr, 2 usage,
3 verification failed, 130 interrupted. They are set in one place, ``main``.

A face: it may import any wing; no wing imports it.
"""

from __future__ import annotations

import sys

# Command modules register themselves on ``cli`` when imported.
from evidence_kit.cli import case_cmds  # noqa: F401  (registration)
from evidence_kit.cli.app import cli
from evidence_kit.cli.context import run_main

for _optional in ("find_cmds", "extract_cmds", "bundle_cmds", "analyze_cmds", "serve_cmds"):
    try:
        __import__(f"evidence_kit.cli.{_optional}")
    except ModuleNotFoundError as _e:  # a command module not written yet in this checkout
        if _e.name != f"evidence_kit.cli.{_optional}":
            raise


def main(argv: list[str] | None = None) -> None:
    sys.exit(run_main(cli, argv))


__all__ = ["cli", "main"]
