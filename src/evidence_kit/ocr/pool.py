"""OCR of many files in worker processes, each result cached by content hash.

Identical bytes are OCR'd at most once: the cache is consulted in the parent before anything is
submitted, and jobs sharing a sha256 within one batch are served by a single OCR run. Each
worker loads its engine once (RapidOCR's models take a second and ~0.9 GB peak on tall
screenshots), so the pool is bounded by memory as well as by cores.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import EvidenceKitError, InputFileError, OcrError
from evidence_kit.i18n import _
from evidence_kit.models import Box, OcrFrame, OcrResult
from evidence_kit.ocr.cache import OcrCache, cache_key
from evidence_kit.ocr.engine import OcrEngine, engine_identity, get_engine

if TYPE_CHECKING:  # preprocess pulls in OpenCV: imported where an image is really read
    from PIL import Image

    from evidence_kit.ocr.preprocess import Plan, Prepared

WORKER_LOG = "ocr-workers.log"  # in the cache folder: the workers' stderr
BYTES_PER_WORKER = 1_200_000_000  # RapidOCR peaks near 0.9 GB on a tall screenshot


@dataclass(frozen=True)
class OcrJob:
    sha256: str
    path: Path | str
    kind: str = "image"  # "image" or "pdf"; other values are sniffed from the bytes


@dataclass
class OcrStats:
    """What one ``ocr_many`` call did (filled in as results are yielded)."""

    cached: int = 0  # served from the cache
    ocred: int = 0  # read by an engine
    deduped: int = 0  # same bytes as another job of the batch
    failed: int = 0
    worker_crashes: int = 0
    workers: int = 0
    peak_rss_mb: float = 0.0  # the largest worker's peak resident memory


def memory_available() -> int | None:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def worker_count(requested: int | None, jobs: int) -> int:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    n = requested or cpus or 1
    if requested is None:
        mem = memory_available()
        if mem is not None:
            n = min(n, max(1, mem // BYTES_PER_WORKER))
    return max(1, min(n, jobs))


# ---------------------------------------------------------------- one file, in this process


@lru_cache(maxsize=4)
def _engine(name: str | None) -> OcrEngine:
    return get_engine(name)


def read_file(
    path: Path | str, engine: OcrEngine, kind: str = "image", plan: Plan | None = None
) -> OcrResult:
    """OCR one image or PDF with ``engine`` (no cache). ``plan``: the straightening plan
    already made for the cache key, so that it is not made twice."""
    from evidence_kit.ocr.image import read_image, read_pages
    from evidence_kit.ocr.loading import load_image
    from evidence_kit.ocr.pdf import read_pdf
    from evidence_kit.ocr.preprocess import (
        plan_for_file,
        prepare,
        remember_engine_input,
        to_original,
    )

    if _is_pdf(path, kind):
        return read_pdf(path, engine)
    image = load_image(path)  # checks size and decodes; a TIFF's first page
    if image.format in (None, "TIFF") and _is_tiff(path):
        pages = read_pages(engine, path)
        if pages is not None:
            return pages
    prepared = prepare(image, plan if plan is not None else plan_for_file(path))
    result = read_image(engine, prepared.image)
    if prepared.matrix is None:
        return result
    remember_engine_input(path, prepared.plan, prepared.image)
    outline = _outline(prepared, image.size)
    if outline is not None:  # a photographed screen: its faint stamp rows read again
        from evidence_kit.ocr.faint import reread
        from evidence_kit.ocr.order import reading_order

        extra = reread(engine, prepared.image, result.lines, outline)
        if extra:
            result = replace(result, lines=tuple(reading_order([*result.lines, *extra])))
    # Boxes go back onto the original: the exhibit and the review show the untouched file.
    boxes = to_original([(b.x0, b.y0, b.x1, b.y1) for b in (ln.box for ln in result.lines)],
                        prepared.matrix)
    lines = tuple(replace(ln, box=Box(*bx)) for ln, bx in zip(result.lines, boxes, strict=True))
    frame = OcrFrame(prepared.matrix, result.width, result.height,
                     tuple(ln.box for ln in result.lines), outline)
    return replace(result, lines=lines, width=image.width, height=image.height, frame=frame)


def _outline(prepared: Prepared, size: tuple[int, int]) -> Box | None:
    """Where the outline the photo was cut to lies on the engine's input."""
    import numpy as np

    plan = prepared.plan
    if not (plan.quad and plan.crop) or prepared.matrix is None:
        return None
    w, h = size
    pts = np.array([[x * w, y * h, 1.0] for x, y in plan.quad]).T
    moved = np.array(prepared.matrix) @ pts
    xs, ys = moved[0] / moved[2], moved[1] / moved[2]
    return Box(float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))


def planned_settings(settings_key: str, path: Path | str, kind: str) -> tuple[str, Plan | None]:
    """The engine settings plus what preprocessing changes in the engine's input (the cache
    key changes exactly when the engine would see different pixels), and the plan that says
    so: None for a PDF or an unreadable file, which the worker then reports."""
    from evidence_kit.ocr.preprocess import plan_for_file

    if _is_pdf(path, kind):
        return settings_key, None
    try:
        plan = plan_for_file(path)
    except Exception:  # any decoder failure: the worker reports the unreadable file
        return settings_key, None
    sig = plan.signature
    if plan.quad and plan.crop:  # read_file gives such a photo a second look (ocr/faint.py)
        from evidence_kit.ocr.faint import REREAD_VERSION

        sig += f";reread{REREAD_VERSION}"
    return (f"{settings_key}|{sig}" if sig else settings_key), plan


def _is_tiff(path: Path | str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) in (b"II*\x00", b"MM\x00*")
    except OSError:
        return False


def ocr_file(
    path: Path | str,
    sha256: str,
    *,
    engine_name: str | None = None,
    cache_dir: Path | str | None = None,
    kind: str = "image",
) -> OcrResult:
    """OCR one file in this process, through the cache when ``cache_dir`` is given."""
    ident = engine_identity(engine_name)
    cache = OcrCache(cache_dir) if cache_dir is not None else None
    settings, plan = planned_settings(ident.settings_key, path, kind)
    key = cache_key(sha256, ident.name, ident.version, settings)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    result = read_file(path, _engine(ident.name), kind, plan)
    if cache is not None:
        cache.put(key, result)
    return result


def _is_pdf(path: Path | str, kind: str) -> bool:
    if kind in ("pdf", "image"):
        return kind == "pdf"
    try:
        with open(path, "rb") as f:
            return f.read(5) == b"%PDF-"
    except OSError:
        return False


# ---------------------------------------------------------------- worker side

_WORKER_ENGINE: OcrEngine | None = None
_WORKER_INIT_ERROR: EvidenceKitError | None = None
PR_SET_PDEATHSIG = 1
PARENT_CHECK_S = 1.0


def _die_with_parent(parent_pid: int) -> None:
    """A worker must not outlive its parent (a SIGKILL'd ingest, a closed terminal).

    Linux: the kernel sends SIGKILL when the parent dies (PR_SET_PDEATHSIG). Everywhere: a
    daemon thread exits the process as soon as it is re-parented. The pool's resource tracker
    ends by itself once no process holds its pipe."""
    import signal
    import threading
    import time

    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the thread below does the job
        pass
    if os.getppid() != parent_pid:
        os._exit(1)  # the parent died before this line

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


LOG_LIMIT = 5_000_000


def rotate_log(path: Path, limit: int = LOG_LIMIT) -> None:
    """A debug log over ``limit`` bytes becomes ``<name>.1`` (replacing the older one)."""
    try:
        if path.stat().st_size > limit:
            os.replace(path, path.with_name(path.name + ".1"))
    except OSError:
        pass


def _quiet_libraries(log_path: str | None) -> None:
    """Library chatter (onnxruntime, RapidOCR, pypdf, Pillow warnings) goes to the debug log,
    not the user's terminal: the worker's stderr, C level included, is that file."""
    import logging
    import sys
    import warnings

    warnings.simplefilter("default")
    logging.captureWarnings(True)
    target = log_path or os.devnull
    try:
        if log_path:
            os.makedirs(os.path.dirname(log_path), exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        fd = os.open(os.devnull, os.O_WRONLY)
    os.dup2(fd, 2)
    os.close(fd)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, force=True)


def _init_worker(
    engine_name: str,
    factory: Callable[[], OcrEngine] | None,
    parent_pid: int | None = None,
    log_path: str | None = None,
) -> None:
    global _WORKER_ENGINE, _WORKER_INIT_ERROR
    if parent_pid is not None:
        _die_with_parent(parent_pid)
        _quiet_libraries(log_path)
    try:
        _WORKER_ENGINE = factory() if factory is not None else get_engine(engine_name)
    except EvidenceKitError as e:
        _WORKER_INIT_ERROR = e


_Outcome = tuple[Any, float, "Image.Image | None"]  # result or error, peak MB, engine input


def _work(path: str, kind: str, plan: Plan | None = None) -> _Outcome:
    """Runs in a worker. Errors come back as data: our exceptions do not survive pickling.
    A straightened photo's engine input comes back too: the parent's layout reads its pixels,
    which it would otherwise have to make again (a photo's moiré filter and warp)."""
    import resource

    kept = None
    try:
        if _WORKER_ENGINE is None:
            raise _WORKER_INIT_ERROR or OcrError("the OCR engine did not start")
        payload: Any = read_file(path, _WORKER_ENGINE, kind, plan)
        if payload.frame is not None:
            from evidence_kit.ocr.preprocess import kept_engine_input

            kept = kept_engine_input(path)
    except EvidenceKitError as e:
        payload = (type(e).__name__, e.message, e.hint, getattr(e, "path", None))
    except Exception as e:  # a bug or a library failure: report it for this file only
        import logging

        logging.getLogger("evidence_kit.ocr").warning("OCR of %s failed", path, exc_info=True)
        payload = (
            "OcrError",
            _("{name}: internal error while reading ({error}), please report it").format(
                name=path, error=type(e).__name__
            ),
            _(
                "the other files are not affected; the details are in "
                ".evidence-kit/cache/ocr-workers.log"
            ),
            None,
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return payload, rss_mb, kept


def _rebuild_error(name: str, message: str, hint: str | None, path: str | None) -> EvidenceKitError:
    from evidence_kit import errors

    cls = getattr(errors, name, None)
    if not (isinstance(cls, type) and issubclass(cls, EvidenceKitError)):
        cls = OcrError
    err = cls.__new__(cls)
    EvidenceKitError.__init__(err, message, hint)
    if issubclass(cls, InputFileError):
        err.path = path or ""  # type: ignore[attr-defined]
    return err


# ---------------------------------------------------------------- the pool


def ocr_many(
    jobs: Iterable[OcrJob],
    *,
    engine_name: str | None = None,
    cache_dir: Path | str | None = None,
    workers: int | None = None,
    stats: OcrStats | None = None,
    engine_factory: Callable[[], OcrEngine] | None = None,
) -> Iterator[tuple[OcrJob, OcrResult | EvidenceKitError]]:
    """OCR every job; yield ``(job, result or error)`` as each completes, every job once.

    ``engine_factory`` (a picklable top-level callable) replaces the named engine in the
    workers — for tests and plugins; results are then cached under ``engine_name``'s key.
    A worker crash is reported as an OcrError for the file that caused it, and the pool is
    restarted for the rest.
    """
    stats = stats if stats is not None else OcrStats()
    ident = engine_identity(engine_name)
    cache = OcrCache(cache_dir) if cache_dir is not None else None

    by_sha: dict[str, list[OcrJob]] = {}
    for job in jobs:
        by_sha.setdefault(job.sha256, []).append(job)

    todo: deque[OcrJob] = deque()
    keys: dict[str, str] = {}
    plans: dict[str, Plan | None] = {}
    for sha, group in by_sha.items():
        settings, plans[sha] = planned_settings(ident.settings_key, group[0].path, group[0].kind)
        key = keys[sha] = cache_key(sha, ident.name, ident.version, settings)
        hit = cache.get(key) if cache is not None else None
        if hit is None:
            todo.append(group[0])
            continue
        for job in group:
            stats.cached += 1
            yield job, hit

    def finish(job: OcrJob, outcome: _Outcome | EvidenceKitError) -> Iterator[Any]:
        if isinstance(outcome, EvidenceKitError):
            result: OcrResult | EvidenceKitError = outcome
        else:
            payload, rss_mb, kept = outcome
            stats.peak_rss_mb = max(stats.peak_rss_mb, rss_mb)
            result = payload if isinstance(payload, OcrResult) else _rebuild_error(*payload)
            plan = plans[job.sha256]
            if kept is not None and plan is not None:
                # Kept (one file at a time) just before the caller lays this result out.
                from evidence_kit.ocr.preprocess import remember_engine_input

                remember_engine_input(job.path, plan, kept)
        if isinstance(result, OcrResult):
            stats.ocred += 1
            if cache is not None:
                cache.put(keys[job.sha256], result)
        else:
            stats.failed += 1
        group = by_sha[job.sha256]
        stats.deduped += len(group) - 1
        for same in group:
            yield same, result

    if not todo:
        return
    log_path = str(Path(cache_dir) / WORKER_LOG) if cache_dir is not None else None
    if log_path:
        rotate_log(Path(log_path))
    n = worker_count(workers, len(todo))
    stats.workers = n
    context = multiprocessing.get_context("spawn")  # fork + onnxruntime threads can deadlock

    def new_pool(size: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            size,
            mp_context=context,
            initializer=_init_worker,
            initargs=(ident.name, engine_factory, os.getpid(), log_path),
        )

    while todo:
        suspects: list[OcrJob] = []
        pool = new_pool(n)
        try:
            running: dict[Future[Any], OcrJob] = {}
            while todo or running:
                # Only as many in flight as there are workers: after a crash, the jobs that
                # were running are the only suspects.
                while todo and len(running) < n:
                    job = todo.popleft()
                    plan = plans[job.sha256]
                    running[pool.submit(_work, str(job.path), job.kind, plan)] = job
                done, _pending = wait(running, return_when=FIRST_COMPLETED)
                for fut in done:
                    job = running.pop(fut)
                    try:
                        outcome = fut.result()
                    except BrokenProcessPool:
                        suspects.append(job)
                        continue
                    except Exception as e:  # e.g. a result that cannot be pickled
                        outcome = OcrError(
                            _("{name}: internal error while reading ({error}), please report it")
                            .format(name=job.path, error=type(e).__name__),
                            _("the other files are not affected"),
                        )  # fmt: skip
                    yield from finish(job, outcome)
                if suspects:
                    suspects.extend(running.values())
                    running.clear()
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if suspects:
            stats.worker_crashes += 1
            # Each suspect alone in a fresh process: only the file that kills it is blamed.
            for job in suspects:
                yield from finish(job, _run_isolated(new_pool, job))


def _run_isolated(
    new_pool: Callable[[int], ProcessPoolExecutor], job: OcrJob
) -> _Outcome | EvidenceKitError:
    pool = new_pool(1)
    try:
        return pool.submit(_work, str(job.path), job.kind).result()
    except BrokenProcessPool:
        return OcrError(
            _("{name}: the reading process crashed on this file").format(name=job.path),
            _("the image may be damaged; open it and save it again as PNG, then ingest the copy"),
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
