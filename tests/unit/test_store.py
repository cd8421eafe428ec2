import hashlib
import os
import stat
from pathlib import Path

import pytest

from evidence_kit.errors import InputFileError
from evidence_kit.ledger.store import Store


def test_put_file_is_content_addressed_read_only_and_leaves_source_alone(tmp_path: Path) -> None:
    src = tmp_path / "shot.png"
    src.write_bytes(b"evidence bytes")
    before = (src.read_bytes(), os.stat(src).st_mtime_ns, stat.S_IMODE(os.stat(src).st_mode))
    store = Store(tmp_path / "objects")
    obj = store.put_file(src)
    sha = hashlib.sha256(b"evidence bytes").hexdigest()
    assert obj.sha256 == sha and obj.new
    assert obj.path == tmp_path / "objects" / sha[:2] / sha[2:]
    assert obj.path.read_bytes() == b"evidence bytes"
    assert not os.access(obj.path, os.W_OK) or os.geteuid() == 0
    assert stat.S_IMODE(os.stat(obj.path).st_mode) & 0o222 == 0
    assert (
        src.read_bytes(),
        os.stat(src).st_mtime_ns,
        stat.S_IMODE(os.stat(src).st_mode),
    ) == before
    again = store.put_file(src)
    assert again.sha256 == sha and not again.new
    assert list((tmp_path / "tmp").iterdir()) == []  # no temp files left behind


def test_rehash_detects_change_and_missing(tmp_path: Path) -> None:
    store = Store(tmp_path / "objects")
    obj = store.put_bytes(b"abc")
    assert store.rehash(obj.sha256) == obj.sha256
    os.chmod(obj.path, 0o644)
    obj.path.write_bytes(b"abd")
    assert store.rehash(obj.sha256) != obj.sha256
    obj.path.unlink()
    assert store.rehash(obj.sha256) is None


def test_unreadable_file_is_a_plain_error(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read files without permission bits")
    src = tmp_path / "locked.png"
    src.write_bytes(b"x")
    src.chmod(0)
    with pytest.raises(InputFileError, match="permission"):
        Store(tmp_path / "objects").put_file(src)


def test_has_and_discard(tmp_path: Path) -> None:
    store = Store(tmp_path / "objects")
    obj = store.put_bytes(b"fictional bill")
    other = "0" * 64
    assert store.has(obj.sha256) and not store.has(other)
    store.discard(other)  # nothing stored under it: nothing happens
    assert store.has(obj.sha256)
    store.discard(obj.sha256)
    assert not store.has(obj.sha256) and not obj.path.exists()
