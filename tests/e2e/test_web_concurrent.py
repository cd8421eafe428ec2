"""The web page and a second process writing the same case at once: `evidence-kit ingest`
runs while notes are recorded through the page; nothing is lost and the chain verifies."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
pytest.importorskip("httpx2")

from starlette.testclient import TestClient  # noqa: E402

from evidence_kit.case import init_case  # noqa: E402
from evidence_kit.web.app import WebState, create_app  # noqa: E402
from evidence_kit.web.security import COOKIE, Guard, csrf_for  # noqa: E402


def test_notes_through_the_page_while_ingest_runs(tmp_path: Path) -> None:
    case, _ = init_case(tmp_path / "case")
    for i in range(40):
        (case.root / f"call-{i:02d}.txt").write_text(
            f"2025-03-{1 + i % 28:02d} 10:{i:02d} 对方来电催收，第{i}次。\n", encoding="utf-8"
        )
    state = WebState(case, Guard("t"), clock=lambda: datetime.now(timezone.utc))
    client = TestClient(create_app(state), follow_redirects=False)
    client.cookies.set(COOKIE, "t")
    headers = {"Origin": "http://testserver", "X-CSRF-Token": csrf_for("t")}
    env = {**os.environ, "EVIDENCE_KIT_LANG": "en"}
    ingest = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--case", str(case.root), "ingest", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        for i in range(10):
            r = client.post(
                "/note",
                data={"text": f"网页记录的第{i}次通话", "at": f"2025-04-{i + 1:02d} 09:00"},
                headers=headers,
            )
            assert r.status_code == 303, r.text
            assert client.get("/timeline").status_code == 200
        out, err = ingest.communicate(timeout=600)
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.communicate()
        client.close()
    assert ingest.returncode == 0, err
    statuses = [json.loads(line)["status"] for line in out.splitlines() if line.strip()]
    assert statuses.count("ingested") == 40
    v = subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--case", str(case.root), "verify", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert v.returncode == 0 and json.loads(v.stdout)["ok"], v.stdout + v.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--case", str(case.root), "search", "--json"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert json.loads(listed.stdout)["total"] == 50
