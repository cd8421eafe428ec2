"""A package's manifest check: real PDFs (pypdf) with embedded originals, each way to fail."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pypdf import PdfWriter

from evidence_kit.bundle.manifest import (
    FORMAT,
    MANIFEST_NAME,
    attachment_name,
    manifest_json,
    verify_bundle,
)
from evidence_kit.errors import VerificationError

ORIGINALS = {"E1_chat.png": b"\x89PNG fictional chat", "E2_call.txt": "通话记录".encode()}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def exhibits(**override: object) -> list[dict[str, object]]:
    out: list[dict[str, object]] = [
        {"label": name.split("_")[0], "attachment": name, "original_name": name[3:],
         "sha256": sha(data)}
        for name, data in ORIGINALS.items()
    ]  # fmt: skip
    out[0].update(override)
    return out


def package(tmp_path: Path, manifest: object | None, files: dict[str, bytes] = ORIGINALS) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    for name, data in files.items():
        writer.add_attachment(name, data)
    if manifest is not None:
        raw = manifest if isinstance(manifest, bytes) else manifest_json(manifest)  # type: ignore[arg-type]
        writer.add_attachment(MANIFEST_NAME, raw)
    path = tmp_path / "package.pdf"
    with open(path, "wb") as f:
        writer.write(f)
    return path


def manifest(**top: object) -> dict[str, object]:
    return {"format": FORMAT, "ledger_head": "ab" * 32, "exhibits": exhibits(), **top}


def test_an_intact_package(tmp_path: Path) -> None:
    result = verify_bundle(package(tmp_path, manifest()))
    assert result.ok and result.manifest_found and not result.redacted
    assert result.ledger_head == "ab" * 32 and result.problem is None
    assert [(c.name, c.ok, c.actual_sha256) for c in result.checks] == [
        (name, True, sha(data)) for name, data in ORIGINALS.items()
    ]
    result.raise_if_failed()  # does not raise
    data = result.to_json()
    assert data["ok"] is True and data["path"] == str(result.path)
    assert data["attachments"][1] == {
        "name": "E2_call.txt", "expected_sha256": sha(ORIGINALS["E2_call.txt"]),
        "actual_sha256": sha(ORIGINALS["E2_call.txt"]), "ok": True,
    }  # fmt: skip
    assert (data["manifest_found"], data["redacted"], data["ledger_head"], data["problem"]) == (
        True, False, "ab" * 32, None,
    )  # fmt: skip


def test_an_attachment_with_other_bytes(tmp_path: Path) -> None:
    files = {**ORIGINALS, "E1_chat.png": b"\x89PNG fictional chaT"}  # same size
    result = verify_bundle(package(tmp_path, manifest(), files))
    assert not result.ok
    assert [(c.name, c.ok) for c in result.checks] == [("E1_chat.png", False), ("E2_call.txt", True)]
    assert result.checks[0].actual_sha256 == sha(files["E1_chat.png"])
    with pytest.raises(VerificationError) as e:
        result.raise_if_failed()
    assert str(e.value.args[0]).endswith("1 attachment(s) fail: E1_chat.png: hash differs")
    assert "rebuild it" in (e.value.hint or "")


def test_an_attachment_removed(tmp_path: Path) -> None:
    result = verify_bundle(package(tmp_path, manifest(), {"E2_call.txt": ORIGINALS["E2_call.txt"]}))
    assert not result.ok
    c = result.checks[0]
    assert (c.name, c.actual_sha256, c.ok) == ("E1_chat.png", None, False)
    with pytest.raises(VerificationError) as e:
        result.raise_if_failed()
    assert str(e.value.args[0]).endswith("1 attachment(s) fail: E1_chat.png: missing")
    assert result.to_json()["attachments"][0]["actual_sha256"] is None


def test_an_exhibit_without_attachment_fails_unless_the_package_is_redacted(tmp_path: Path) -> None:
    plain = manifest(exhibits=exhibits(attachment=None))
    result = verify_bundle(package(tmp_path, plain))
    assert not result.ok
    c = result.checks[0]
    assert (c.name, c.expected_sha256, c.actual_sha256, c.ok) == (
        "chat.png", sha(ORIGINALS["E1_chat.png"]), None, False,
    )  # fmt: skip
    redacted = manifest(exhibits=exhibits(attachment=None), redacted=True)
    result = verify_bundle(package(tmp_path, redacted))
    assert result.ok and result.redacted and [c.name for c in result.checks] == ["E2_call.txt"]


def test_an_exhibit_without_a_recorded_hash_fails(tmp_path: Path) -> None:
    ex = exhibits()
    del ex[0]["sha256"]
    result = verify_bundle(package(tmp_path, manifest(exhibits=ex)))
    assert not result.ok and result.checks[0].expected_sha256 == ""
    ex = exhibits(attachment=None)
    del ex[0]["sha256"]
    result = verify_bundle(package(tmp_path, manifest(exhibits=ex)))
    assert not result.ok and result.checks[0].expected_sha256 == ""


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (None, "no manifest.json attached"),
        (b"", "manifest.json unreadable"),
        (b"{not json", "manifest.json unreadable"),
        (b"\xff\xfe", "manifest.json unreadable"),
        (b'{"format": "evidence-kit-bundle/1"}', "manifest.json unreadable"),
        (b"[1, 2]", "manifest.json unreadable"),
    ],
)
def test_a_missing_or_unreadable_manifest(tmp_path: Path, raw: bytes | None, problem: str) -> None:
    result = verify_bundle(package(tmp_path, raw))
    assert not result.ok and not result.manifest_found and result.checks == ()
    assert result.problem is not None and result.problem.startswith(problem)
    with pytest.raises(VerificationError) as e:
        result.raise_if_failed()
    assert e.value.args[0] == f"{result.path}: {result.problem}"
    assert "not an evidence-kit package" in (e.value.hint or "")


def test_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "package.pdf"
    path.write_bytes(b"just text")
    result = verify_bundle(path)
    assert not result.ok and not result.manifest_found
    assert (result.problem or "").startswith("not a readable PDF")
    missing = verify_bundle(tmp_path / "gone.pdf")
    assert not missing.ok and (missing.problem or "").startswith("not a readable PDF")


def test_a_problem_fails_even_with_every_check_ok() -> None:
    from evidence_kit.bundle.manifest import BundleVerification

    result = BundleVerification(Path("p.pdf"), True, False, (), problem="odd")
    assert not result.ok


def test_attachment_names_are_safe_file_names() -> None:
    assert attachment_name("E3", 'a/b\\c:d*e?f"g<h>i|j.png') == "E3_a_b_c_d_e_f_g_h_i_j.png"
    assert attachment_name("E1", "聊天 截图.png") == "E1_聊天 截图.png"


def test_manifest_json_is_readable_utf8() -> None:
    raw = manifest_json({"a": "中文", "b": [1]})
    assert raw == '{\n  "a": "中文",\n  "b": [\n    1\n  ]\n}'.encode()
    assert json.loads(raw) == {"a": "中文", "b": [1]}


@pytest.mark.parametrize("raw", [None, b"{not json"])
def test_the_json_of_a_package_without_a_usable_manifest(tmp_path: Path, raw: bytes | None) -> None:
    result = verify_bundle(package(tmp_path, raw))
    assert result.path == tmp_path / "package.pdf"
    data = result.to_json()
    assert (data["ok"], data["manifest_found"], data["redacted"], data["attachments"]) == (
        False, False, False, [],
    )  # fmt: skip


def test_the_json_of_an_unreadable_pdf(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4 broken")
    result = verify_bundle(path)
    data = result.to_json()
    assert result.path == path and (data["manifest_found"], data["redacted"]) == (False, False)
    assert data["attachments"] == []


def test_an_intact_packages_path_is_kept(tmp_path: Path) -> None:
    assert verify_bundle(package(tmp_path, manifest())).path == tmp_path / "package.pdf"


def test_the_words_of_a_failed_package() -> None:
    from evidence_kit.bundle.manifest import AttachmentCheck, BundleVerification

    bare = BundleVerification(Path("p.pdf"), False, False, ())
    with pytest.raises(VerificationError) as e:
        bare.raise_if_failed()
    assert e.value.args[0] == "p.pdf: no manifest.json attached"
    assert e.value.hint == "this file is not an evidence-kit package, or it was altered"
    two = BundleVerification(
        Path("p.pdf"), True, False,
        (AttachmentCheck("E1_a.png", "1", "2", False), AttachmentCheck("E2_b.txt", "3", None, False)),
    )  # fmt: skip
    with pytest.raises(VerificationError) as e:
        two.raise_if_failed()
    assert e.value.args[0] == (
        "p.pdf: 2 attachment(s) fail: E1_a.png: hash differs; E2_b.txt: missing"
    )
    assert e.value.hint == "the package was altered after it was built; rebuild it"


def test_attachment_names_keep_ordinary_letters() -> None:
    assert attachment_name("E1", "XX.png") == "E1_XX.png"
