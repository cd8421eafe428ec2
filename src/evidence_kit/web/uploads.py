"""Dropped files: stored content-addressed inside the case, then fed to the ingest pipeline.

The browser's file name (or folder path) is never used as a path: the copy lands in
``<case>/uploads/<first 16 hex of its SHA-256>/<the name's last part, cleaned>``, so two files
with the same name never collide and ``../`` leads nowhere. The name is kept because the
pipeline dates files from names like ``Screenshot_2025…``. Each file is written to the case's
``.evidence-kit/tmp`` first and moved into place whole, so a ``watch`` running in another
process never sees half a file (and ingesting the same bytes twice is recorded, not repeated).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from evidence_kit.case import Case
from evidence_kit.i18n import _

UPLOAD_DIR = "uploads"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_name(client_name: str | None) -> str:
    """The last part of what the browser sent, without separators or control characters."""
    name = unicodedata.normalize("NFC", client_name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        return "upload"
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        return stem[:100] + "." + ext
    return name[:110]


@dataclass(frozen=True)
class StoredUpload:
    client_name: str
    path: Path
    sha256: str
    size: int


def store_upload(case: Case, client_name: str | None, stream: BinaryIO, limit: int) -> StoredUpload:
    """Copy one uploaded file into the case; raises ValueError when it exceeds ``limit``."""
    tmp_dir = case.meta_dir / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ValueError("too large")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        folder = case.root / UPLOAD_DIR / sha[:16]
        folder.mkdir(parents=True, exist_ok=True)
        dest = folder / safe_name(client_name)
        if dest.exists():  # the same bytes under the same name: keep the first copy
            os.unlink(tmp)
        else:
            os.replace(tmp, dest)
        return StoredUpload(client_name or "", dest, sha, size)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------- ingest jobs


@dataclass
class Job:
    """One drop: its files' progress and results, read by the SSE stream as they come."""

    id: str
    names: dict[str, str]  # case-relative path of the stored copy -> the name the user dropped
    events: list[dict[str, Any]] = field(default_factory=list)
    done: bool = False
    lock: threading.Condition = field(default_factory=threading.Condition)

    def push(self, event: dict[str, Any]) -> None:
        with self.lock:
            self.events.append(event)
            self.lock.notify_all()

    def finish(self) -> None:
        with self.lock:
            self.done = True
            self.lock.notify_all()

    def wait_from(self, seen: int, timeout: float = 0.5) -> tuple[list[dict[str, Any]], bool]:
        with self.lock:
            if len(self.events) <= seen and not self.done:
                self.lock.wait(timeout)
            return self.events[seen:], self.done


class Jobs:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(
        self,
        case: Case,
        uploads: list[StoredUpload],
        refused: list[dict[str, Any]],
        clock: Callable[[], datetime],
        ocr_engine: str | None = None,
    ) -> Job:
        names = {str(u.path.relative_to(case.root)): u.client_name for u in uploads}
        job = Job(uuid.uuid4().hex, names)
        for r in refused:
            job.push(r)
        with self._lock:
            self._jobs[job.id] = job
        thread = threading.Thread(
            target=_run_ingest,
            args=(case, job, [u.path for u in uploads], clock, ocr_engine),
            daemon=True,
        )
        thread.start()
        return job


def make_analyzer(case: Case, engine: str | None) -> Any:
    """OCR + extraction, as ``evidence-kit ingest`` uses; None when not installed."""
    try:
        from evidence_kit.intake.content import ContentAnalyzer
    except ModuleNotFoundError:
        return None
    return ContentAnalyzer(
        cache_dir=case.cache_dir, engine_name=engine, utc_offset=case.utc_offset()
    )


def _run_ingest(
    case: Case, job: Job, paths: list[Path], clock: Callable[[], datetime], engine: str | None
) -> None:
    """The same pipeline as ``evidence-kit ingest PATH…``, its progress pushed to the job."""
    from evidence_kit.errors import EvidenceKitError
    from evidence_kit.intake.ingest import Ingester
    from evidence_kit.ledger.events import Ledger

    analyzer = make_analyzer(case, engine)
    ledger = Ledger(case.ledger_path, case.head_path)
    try:

        def stored(_done: int, _total: int, shown: str) -> None:
            job.push({"name": job.names.get(shown, shown), "stage": "stored"})

        def read(_done: int, _total: int, shown: str) -> None:
            job.push({"name": job.names.get(shown, shown), "stage": "reading"})

        ingester = Ingester(case, ledger, clock=clock, analyzer=analyzer)
        for result in ingester.run(paths, progress=stored, analysis_progress=read):
            data = result.to_json()
            data["name"] = job.names.get(result.path, result.path)
            data["stage"] = "done"
            job.push(data)
    except EvidenceKitError as e:
        job.push({"stage": "error", "error": str(e)})
    except Exception as e:  # the page must hear of it; the batch's other results stand
        job.push({"stage": "error", "error": _("the ingest stopped: {error}").format(error=e)})
    finally:
        ledger.close()
        job.finish()
