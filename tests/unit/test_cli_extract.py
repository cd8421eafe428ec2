import json
import subprocess
import sys

import pytest


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "evidence_kit", *args], input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_extract_text_from_stdin_json_contract() -> None:
    text = "您已逾期15天，逾期金额3,256.00元，请于3月5日前还款"
    r = run("extract", "-", "--json", "--reference", "2025-03-01", stdin=text)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    amt = got["amounts"][0]
    assert (amt["value"], amt["currency"], amt["label"]) == ("3256.00", "CNY", "逾期金额")
    assert text[amt["start"]:amt["end"]] == amt["text"]
    assert got["dates"][0]["value"] == "2025-03-05"


def test_batch_is_jsonl_in_order_and_survives_bad_lines() -> None:
    lines = [json.dumps({"id": i, "text": f"罚息{i}.50元", "reference": None}) for i in range(50)]
    lines.insert(10, "{broken")
    r = run("extract", "--batch", stdin="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(out) == 51
    assert "error" in out[10] and out[10]["id"] is None
    ids = [o["id"] for o in out if "error" not in o]
    assert ids == list(range(50))
    assert out[0]["amounts"][0]["value"] == "0.50"


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (("extract", "/nonexistent.png"), 2, "is not a file"),
        (("extract", "-", "--reference", "2025-13-45"), 2, "not a real date"),
        (("extract", "x.txt", "--batch"), 2, "reads JSONL from stdin"),
    ],
)
def test_bad_invocations_are_plain(args: tuple[str, ...], code: int, fragment: str) -> None:
    r = run(*args, stdin="x")
    assert r.returncode == code and fragment in r.stderr and "Traceback" not in r.stderr
