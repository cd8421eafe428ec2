from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from evidence_kit.case import Case, init_case
from evidence_kit.ledger.events import Ledger

FIXED_NOW = datetime(2025, 4, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> Callable[[], datetime]:
    return lambda: FIXED_NOW


@pytest.fixture
def case(tmp_path: Path) -> Case:
    c, _ = init_case(tmp_path / "case")
    return c


@pytest.fixture
def ledger(case: Case):  # type: ignore[no-untyped-def]
    led = Ledger(case.ledger_path, case.head_path)
    yield led
    led.close()


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(tmp_path: Path, clock: Callable[[], datetime]) -> Callable[..., CliRun]:
    """Run the real CLI in-process with injected streams, clock and working folder."""
    from evidence_kit.cli import cli
    from evidence_kit.cli.context import Env, run_main

    def run(*argv: str, cwd: Path | None = None, environ: dict[str, str] | None = None) -> CliRun:
        out, err = io.StringIO(), io.StringIO()
        # Messages in English unless a test asks for another language (see english_messages).
        environ = {"EVIDENCE_KIT_LANG": "en", **(environ or {})}
        env = Env(stdout=out, stderr=err, clock=clock, environ=environ, cwd=cwd or tmp_path)
        code = run_main(cli, list(argv), env=env)
        return CliRun(code, out.getvalue(), err.getvalue())

    return run


def png_bytes(width: int = 40, height: int = 30, color: str = "white") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests read the kit's messages in English (the msgids); Chinese, the default for users,
    is tested in test_i18n.py and by the package read-back tests."""
    from evidence_kit import i18n

    monkeypatch.setenv("EVIDENCE_KIT_LANG", "en")
    monkeypatch.setattr(i18n, "_chosen", None)
