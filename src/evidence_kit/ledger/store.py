"""Content-addressed originals in ``objects/ab/cdef…``, by SHA-256, atomic and read-only.

The user's own file is only ever opened for reading.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from evidence_kit.errors import InputFileError, StoreError

CHUNK = 1 << 20


@dataclass(frozen=True)
class StoredObject:
    sha256: str
    size: int
    path: Path
    new: bool  # False when the same bytes were already stored


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    def __init__(self, objects_dir: Path) -> None:
        self.root = objects_dir
        self.tmp = objects_dir.parent / "tmp"

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def put_file(self, src: Path, display: str | None = None) -> StoredObject:
        """Copy ``src`` in while hashing it. Refuses a file that changes while being read."""
        display = display or str(src)
        try:
            before = os.stat(src)
            with open(src, "rb") as f:
                return self._put_stream(f, display, before)
        except PermissionError as e:
            raise InputFileError(
                display, "cannot be read (permission denied)", "check the file's permissions"
            ) from e
        except IsADirectoryError as e:
            raise InputFileError(display, "is a folder, not a file") from e
        except OSError as e:
            if isinstance(e, (InputFileError, StoreError)):
                raise
            raise InputFileError(display, f"cannot be read ({e.strerror or e})") from e

    def put_bytes(self, data: bytes) -> StoredObject:
        import io

        return self._put_stream(io.BytesIO(data), "<text>", None)

    def _put_stream(self, f: BinaryIO, display: str, before: os.stat_result | None) -> StoredObject:
        self.tmp.mkdir(parents=True, exist_ok=True)
        h = hashlib.sha256()
        size = 0
        fd, tmp_name = tempfile.mkstemp(dir=self.tmp, prefix="obj-")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
                out.flush()
                os.fsync(out.fileno())
            if before is not None:
                after = os.fstat(f.fileno())
                if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or (
                    size != before.st_size
                ):
                    raise InputFileError(
                        display,
                        "changed while it was being read (still being copied or written?)",
                        "wait until the copy has finished, then run ingest again",
                    )
            sha = h.hexdigest()
            dest = self.path_for(sha)
            if dest.exists():
                return StoredObject(sha, size, dest, new=False)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            os.replace(tmp, dest)
            _fsync_dir(dest.parent)
            return StoredObject(sha, size, dest, new=True)
        except OSError as e:
            if isinstance(e, InputFileError):
                raise
            if e.errno == 28:  # ENOSPC
                raise StoreError(
                    "the disk is full; nothing was recorded for this file",
                    "free some space and run ingest again",
                ) from e
            raise StoreError(f"cannot write to the evidence store ({e})") from e
        finally:
            if tmp.exists():
                tmp.unlink()

    def discard(self, sha256: str) -> None:
        """Remove an object this run stored but then rejected (never the user's file)."""
        path = self.path_for(sha256)
        if path.exists():
            path.unlink()

    def rehash(self, sha256: str) -> str | None:
        """The SHA-256 of what is stored now, or None if the object is missing."""
        path = self.path_for(sha256)
        if not path.is_file():
            return None
        return sha256_file(path)

    def iter_shas(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if sub.is_dir() and len(sub.name) == 2:
                for obj in sorted(sub.iterdir()):
                    yield sub.name + obj.name
